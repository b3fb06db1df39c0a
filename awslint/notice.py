"""What the analysis tells the user about itself: a function or file it did not analyse, and why.

No limit is silent: where an analysis gives up, the command says so (`-v`, and notifications in JSON
and SARIF) instead of reporting nothing. flake8 and pylint have no channel for this and stay quiet.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """`reason` why `family` skipped the code at `line` (1-based; 1 for a whole file)."""

    line: int
    family: str
    reason: str

    def sort_key(self) -> tuple[int, str, str]:
        return (self.line, self.family, self.reason)
