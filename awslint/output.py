"""The command's report formats: flake8-style text and JSON (SARIF lives in `awslint.sarif`).

Findings carry `ast` positions (0-based UTF-8 byte columns); people and editors count characters
from 1, so the conversion happens here, at the edge, once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

from awslint.finding import Finding


def char_column(line: str, byte_col: int) -> int:
    """The 0-based character column of a 0-based UTF-8 byte offset into `line`."""
    if line.isascii():
        return byte_col
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


@dataclass(frozen=True)
class Located:
    """A finding of one file, as the user sees it: the path as given and 1-based character columns."""

    path: str
    finding: Finding
    column: int
    end_column: int | None
    fingerprint: str
    steps: tuple[tuple[int, int, str], ...] = ()  # (line, 1-based column, note)

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def line(self) -> int:
        return self.finding.line


def locate(path: str, lines: Sequence[str], finding: Finding, fingerprint: str) -> Located:
    def text(number: int | None) -> str:
        return lines[number - 1] if number and 0 < number <= len(lines) else ""

    end_col = None
    if finding.end_col is not None:
        end_col = char_column(text(finding.end_line or finding.line), finding.end_col) + 1
    steps = tuple((s.line, char_column(text(s.line), s.col) + 1, s.note) for s in finding.path)
    return Located(
        path=path,
        finding=finding,
        column=char_column(text(finding.line), finding.col) + 1,
        end_column=end_col,
        fingerprint=fingerprint,
        steps=steps,
    )


def text(results: Sequence[Located]) -> str:
    return "".join(f"{r.path}:{r.line}:{r.column}: {r.code} {r.finding.message}\n" for r in results)


def as_json(results: Sequence[Located]) -> str:
    from awslint.rules import RULES_BY_CODE

    items = []
    for r in results:
        rule = RULES_BY_CODE.get(r.code)
        items.append(
            {
                "path": r.path,
                "line": r.line,
                "column": r.column,
                "end_line": r.finding.end_line,
                "end_column": r.end_column,
                "code": r.code,
                "name": rule.name if rule else None,
                "message": r.finding.message,
                "fingerprint": r.fingerprint,
                "steps": [{"line": line, "column": col, "note": note} for line, col, note in r.steps],
            }
        )
    return json.dumps(items, indent=2) + "\n"
