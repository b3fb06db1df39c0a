"""Linear scans of the format strings and route rules the taint analysis reads.

They read user text of any length (a one-megabyte literal is valid Python), so they never backtrack: a
regular expression with an optional group before a repeated class took quadratic time on `"%(%(%(..."`
and `"<int(<int(..."`.
"""
from __future__ import annotations

from typing import AbstractSet

_FLAGS = frozenset("-#0 +")
_LENGTH = frozenset("hlL")


def percent_conversions(text: str) -> list[str]:
    """The conversion letters of a `%` format string (`"%s-%d"` -> s, d; `"%%"` -> %), as
    `%(name)-08.3ld` spells them."""
    out: list[str] = []
    n = len(text)
    close = -1  # the next `)` at or after the current mapping key, found at most once per stretch
    i = text.find("%")
    while 0 <= i < n - 1:
        j = i + 1
        if text[j] == "(":
            if close < j:
                close = text.find(")", j)
                if close < 0:
                    close = n  # no mapping key can end: no later `%(` starts a conversion either
            if close >= n:
                i = text.find("%", j)
                continue
            j = close + 1
        while j < n and text[j] in _FLAGS:
            j += 1
        if j < n and text[j] == "*":
            j += 1
        else:
            while j < n and text[j].isdigit() and text[j].isascii():
                j += 1
        if j + 1 < n and text[j] == "." and text[j + 1] == "*":
            j += 2
        elif j + 1 < n and text[j] == "." and text[j + 1].isdigit() and text[j + 1].isascii():
            j += 2
            while j < n and text[j].isdigit() and text[j].isascii():
                j += 1
        length = j < n and text[j] in _LENGTH
        if length:
            j += 1
        if j < n and (text[j] == "%" or (text[j].isascii() and text[j].isalpha())):
            out.append(text[j])
            i = text.find("%", j + 1)
        elif length:
            out.append(text[j - 1])  # `%l` with nothing after it: the letter is the conversion
            i = text.find("%", j)
        else:
            i = text.find("%", i + 1)
    return out


def converted_variables(rule: str, converters: AbstractSet[str]) -> list[str]:
    """The names of a Flask rule's converted variables (`<int:count>`, `<uuid(strict=False):job_id>`)."""
    out: list[str] = []
    n = len(rule)
    paren = angle = -1  # the next `)` and `>`, each searched for again only once passed
    start = rule.find("<")
    while start >= 0:
        j = start + 1
        while j < n and rule[j].isascii() and (rule[j].isalnum() or rule[j] == "_"):
            j += 1
        if rule[start + 1:j] in converters:
            if j < n and rule[j] == "(":
                if paren < j:
                    paren = _find(rule, ")", j)
                if angle < j:
                    angle = _find(rule, ">", j)
                j = paren + 1 if paren < angle else n
            if j < n and rule[j] == ":":
                k = end = j + 1
                while end < n and rule[end].isascii() and (rule[end].isalnum() or rule[end] == "_"):
                    end += 1
                if end < n and rule[end] == ">" and end > k and not rule[k].isdigit():
                    out.append(rule[k:end])
                    start = rule.find("<", end)
                    continue
        start = rule.find("<", start + 1)
    return out


def _find(text: str, char: str, start: int) -> int:
    found = text.find(char, start)
    return found if found >= 0 else len(text)
