"""Where the source text may mention a name: tests on the text that rule a block out before any walk.

The family asks questions of a few nodes (`for` loops, `except` handlers, functions) whose answers need
a name to occur somewhere: a loop cannot change a container its body never names, a function cannot
build up a dict it never spells. Reading the text (`str.find`, in C) costs nothing next to walking the
nodes, so each test here is a necessary condition, and a block that fails it is exactly one the walk
would have found nothing in. Every test is conservative: where the text does not settle it (a line
that is not ASCII, whose identifiers Python normalises, or a statement split over lines) it answers
"maybe", and the walk decides.
"""
from __future__ import annotations

from typing import Iterator, Sequence

_IDENT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_LETTERS = _IDENT - frozenset("0123456789")
# What may stand between the tokens of one dotted name on a line (`self . items`, a continued line).
_SPACE = frozenset(" \t\f\r\\")
# What may directly follow a name that is no whole target or value of an assignment (the first thing
# `_right` would stop at, and not one it accepts).
_NOT_AFTER_A_TARGET = frozenset(".([,]{}+-*/%<>!&|^~@'\"")
# The characters before an `=` that make it part of another operator (`==`, `<=`, `+=`, `:=`).
_NOT_PLAIN_ASSIGN = frozenset("=!<>+-*/%&|^@:")


class SourceText:
    """The lines of one module, joined once, with the text of any line range on request.

    The lines are `source_lines`' (no line ends) or flake8's (each with its line end); either way the
    joined text holds each line whole, and a line break between any two."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._joiner = "" if lines and lines[0].endswith("\n") else "\n"
        self._whole: str | None = None

    @property
    def whole(self) -> str:
        if self._whole is None:
            self._whole = self._joiner.join(self.lines)
        return self._whole

    def span(self, first: int, last: int) -> str:
        """Lines `first` to `last` (1-based, inclusive), joined."""
        if first <= 1 and last >= len(self.lines):
            return self.whole
        return self._joiner.join(self.lines[max(first, 1) - 1:last])

    def lines_holding(self, words: Sequence[str]) -> list[int]:
        """The numbers of the lines holding one of `words` (none of which holds a line break), sorted."""
        text = self.whole
        offsets: list[int] = []
        for word in words:
            start = text.find(word)
            while start >= 0:
                offsets.append(start)
                start = text.find(word, start + 1)
        if not offsets:
            return []
        offsets.sort()
        found: list[int] = []
        number, at = 1, 0
        for offset in offsets:
            number += text.count("\n", at, offset)
            at = offset
            if not found or found[-1] != number:
                found.append(number)
        # the breaks counted are the lines' own only if there are as many as the lines say (a line
        # break of another kind inside a line would shift every number after it): one count in all
        ends = self._joiner == "" and self.lines[-1].endswith("\n")
        if number - 1 + text.count("\n", at) != len(self.lines) - 1 + ends:
            return [n for n, line in enumerate(self.lines, 1) if any(word in line for word in words)]
        return found


def occurrences(text: str, word: str) -> Iterator[int]:
    """The offsets where `word` (an identifier) stands in `text` as a whole identifier."""
    size, length = len(text), len(word)
    find = text.find
    start = find(word)
    while start >= 0:
        end = start + length
        # a digit before an identifier cannot belong to it, but is taken as a boundary anyway: the
        # test must not miss an occurrence the tokenizer would see (a pattern per word would cost its
        # compilation, more than the search)
        if (start == 0 or text[start - 1] not in _LETTERS) and (end >= size or text[end] not in _IDENT):
            yield start
        start = find(word, start + 1)


def mentions(text: str, word: str) -> bool:
    """Whether `word` stands in `text` as an identifier (or the text is not ASCII, where Python
    normalises identifiers and the spelling in the source may differ)."""
    if not text.isascii():
        return True
    for _ in occurrences(text, word):
        return True
    return False


def may_be_aliased(text: str, word: str) -> bool:
    """Whether some occurrence of `word` in `text` may be one side of an assignment between two dotted
    names (`pending = self.pending`, `self.pending = pending`), the only statements that make one
    container known under two names. A text holding `:=` may bind anywhere inside an expression, so it
    always may. `word` is the last identifier of the dotted name."""
    if ":=" in text or not text.isascii():
        return True
    size, length = len(text), len(word)
    for start in occurrences(text, word):
        end = start + length
        if end < size and text[end] in _NOT_AFTER_A_TARGET:
            continue  # `word.x`, `word(`, `word[`, `word,`: the common uses, settled by one character
        after, _ = _right(text, end)
        if after < size and text[after] not in "\n;#:=":
            continue  # what follows is neither the statement's end nor an assignment's `=` or `:`
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if _may_alias(line, start - line_start, start - line_start + len(word)):
            return True
    return False


def _may_alias(line: str, start: int, end: int) -> bool:
    """Whether the identifier at `line[start:end]` may end a dotted name that is a whole target or the
    whole value of an `=` assignment whose other side is a dotted name too. What lies on the line
    around it must then be only the name's own tokens (identifiers, dots, parentheses) up to the
    assignment's `=` or `:`, a `;`, a comment or the line's end; when the statement goes on over
    another line, the answer is "maybe"."""
    if not line.isascii():
        return True
    stop, opened = _left(line, start)
    if stop == "reject":
        return False
    after, closed = _right(line, end)
    following = line[after] if after < len(line) else ""
    plain_assign = following == "=" and line[after + 1:after + 2] != "="
    if stop == "=":
        # the value (or a later target of a chain): the statement must end after it, and a `)` that
        # closes what was open before the `=` makes that `=` a keyword argument's
        if closed > opened:
            return False
        return following in ("", ";", "#") or plain_assign
    if following in ("", ":") or (stop == "start" and following in (";", "#")):
        return True  # a target (annotated, or going on over the next line), or a line of a longer statement
    return plain_assign and _value_may_be_dotted(line, after + 1)


def _left(line: str, start: int) -> tuple[str, int]:
    """What stands before the dotted name ending at `start`: `=`, `:` or `;`, the line's start
    ("start"), or something else ("reject"); and how many `(` were passed on the way."""
    opened, at = 0, start
    expect_name = False  # after a dot, an identifier must come before anything else
    after_open = False  # after a `(`, only another `(` or the assignment's token may come
    while True:
        while at > 0 and line[at - 1] in _SPACE:
            at -= 1
        if at == 0:
            return "start", opened
        char = line[at - 1]
        if expect_name:
            if char in _IDENT:
                while at > 0 and line[at - 1] in _IDENT:
                    at -= 1
                expect_name = False
                continue
            # `(a).b`: a parenthesised part of the name; the line does not settle it
            return ("start", opened) if char == ")" else ("reject", opened)
        if char == "(":
            opened += 1
            at -= 1
            after_open = True
            continue
        if char == "." and not after_open:
            at -= 1
            expect_name = True
            continue
        if char == "=":
            return ("=" if at < 2 or line[at - 2] not in _NOT_PLAIN_ASSIGN else "reject"), opened
        if char in ":;":
            return char, opened
        return "reject", opened


def _right(line: str, end: int) -> tuple[int, int]:
    """Where the first token after the name ending at `end` starts, past spaces and `)`, and how many
    `)` were passed."""
    closed, size = 0, len(line)
    while end < size and (line[end] in _SPACE or line[end] == ")"):
        closed += line[end] == ")"
        end += 1
    return end, closed


def _value_may_be_dotted(line: str, at: int) -> bool:
    """Whether what follows the `=` at `at - 1` may be a dotted name that ends the statement (or
    further targets of a chain, or a value on the next line)."""
    if "=" in line[at:]:
        return True  # a chain of targets: the value is the last of them
    size = len(line)
    expect_name = True
    while True:
        while at < size and (line[at] in _SPACE or (line[at] == "(" and expect_name)):
            at += 1
        if at >= size:
            return True
        char = line[at]
        if expect_name:
            if char not in _LETTERS:
                return False
            while at < size and line[at] in _IDENT:
                at += 1
            expect_name = False
        elif char == ".":
            at += 1
            expect_name = True
        elif char == ")":
            at += 1
        else:
            return char in ";#"
