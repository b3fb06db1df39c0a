"""Text edits for `awslint --fix`: positions as `ast` gives them, applied to the text as it is.

Only the characters a fix means to change are touched, so every other line keeps its formatting,
comments and line endings.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] (character offsets) with `text`; `claim` is the span no other edit may touch.

    `primary` marks the one edit of each fixed finding (a fix may need helper edits too)."""

    start: int
    end: int
    text: str
    claim: tuple[int, int]
    code: str
    primary: bool = True


class Source:
    """Source text with the line table needed to turn `ast` positions into offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = [m.group(0) for m in _LINE.finditer(text)]
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.starts: list[int] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self.length = offset

    def line(self, number: int) -> str:
        """Line `number` (1-based) with its line ending; "" past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def body(self, number: int) -> str:
        """Line `number` without its line ending."""
        return self.line(number).rstrip("\r\n")

    def newline(self, number: int) -> str:
        line = self.line(number)
        ending = line[len(line.rstrip("\r\n")) :]
        return ending or "\n"

    def line_start(self, number: int) -> int:
        if number > len(self.lines):
            return self.length
        return self.starts[number - 1]

    def offset(self, line: int, byte_col: int) -> int:
        """The character offset of an `ast` position (1-based line, 0-based UTF-8 byte column)."""
        text = self.line(line)
        col = byte_col if text.isascii() else len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))
        return self.line_start(line) + col

    def start(self, node: ast.AST) -> int:
        return self.offset(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))

    def end(self, node: ast.AST) -> int:
        return self.offset(getattr(node, "end_lineno", 1) or 1, getattr(node, "end_col_offset", 0) or 0)

    def segment(self, node: ast.AST) -> str:
        return self.text[self.start(node) : self.end(node)]

    def indent_before(self, node: ast.AST) -> str | None:
        """The whitespace before `node` on its line, or None when something else precedes it."""
        prefix = self.text[self.line_start(getattr(node, "lineno", 1)) : self.start(node)]
        return prefix if prefix.strip() == "" else None

    def rest_is_blank(self, line: int, offset: int) -> bool:
        """Only whitespace or a comment follows `offset` on `line`."""
        rest = self.text[offset : self.line_start(line) + len(self.body(line))]
        return rest.strip() == "" or rest.strip().startswith("#")


def indent_unit(indent: str) -> str:
    return "\t" if "\t" in indent else "    "


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def choose(candidates: Iterable[Sequence[Edit]]) -> list[Edit]:
    """Groups of edits (one group per finding) that claim disjoint spans; a later group that
    collides with an accepted one waits for the next round, when positions are fresh."""
    accepted: list[Edit] = []
    for group in candidates:
        if any(overlaps(e.claim, a.claim) for e in group for a in accepted):
            continue
        accepted.extend(group)
    return accepted


def apply(text: str, edits: Sequence[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text
