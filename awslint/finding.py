"""What a rule reports: a finding, with the witness path that leads to it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One step of a witness path: 1-based line, 0-based column, and what happens there."""

    line: int
    col: int
    note: str


@dataclass(frozen=True)
class Finding:
    """A defect at `line`/`col` (1-based line, 0-based column, as `ast` gives them)."""

    code: str
    line: int
    col: int
    message: str
    end_line: int | None = None
    end_col: int | None = None
    path: tuple[Step, ...] = ()

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.col, self.code, self.message)
