"""Lines as Python counts them.

`str.splitlines()` also ends a line at a form feed, `\\v`, `\\x1c`–`\\x1e`, `\\x85`, `\\u2028` and
`\\u2029`, which the tokenizer reads as ordinary characters; every later line number and column would
then be off. Only `\\r\\n`, `\\r` and `\\n` end a line.
"""
from __future__ import annotations


def source_lines(text: str) -> list[str]:
    """The lines of `text` without their ends, numbered as `ast` numbers them (from 1, at index 0)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
