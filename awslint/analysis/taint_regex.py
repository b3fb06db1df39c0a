"""Whether a regular expression check leaves nothing a shell or `eval` could interpret.

`if not re.fullmatch(r"[A-Za-z0-9.-]+", host): abort(400)` is an allow-list of characters: a value
that passes it cannot hold `;`, `$`, a quote or a space. The check here is deliberately small: the
pattern must be anchored at both ends and made only of literal safe characters, `\\w`/`\\d`, classes
of those (not negated), groups, alternation and quantifiers. Anything else (`.`, `\\S`, `[^...]`,
lookarounds) is not a sanitiser.

`re.sub(r"[^a-z0-9-]", "", name)` is the other side of the same allow-list: it removes every character
but the safe ones, so what is left holds only those (with a replacement that is itself safe).
"""
from __future__ import annotations

import string

_SAFE_CHARS = frozenset(string.ascii_letters + string.digits + "_-.:/@+,=%")
_SAFE_ESCAPES = frozenset("wd.-_:/@+,=%")
_QUANTIFIERS = frozenset("*+?")


def _class_is_safe(body: str) -> bool:
    if body.startswith("^"):
        return False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _SAFE_ESCAPES:
                return False
            i += 2
            continue
        if ch not in _SAFE_CHARS:
            return False
        i += 1
    return True


def safe_pattern(pattern: str, anchored_start: bool, anchored_end: bool) -> bool:
    """True when every string the pattern matches in full holds only safe characters.

    `anchored_start`/`anchored_end` say whether the matching function anchors the pattern itself
    (`fullmatch` both, `match` the start); otherwise `^`/`$`/`\\A`/`\\Z` must do it.
    """
    body = pattern
    if body.startswith("^"):
        body, anchored_start = body[1:], True
    elif body.startswith("\\A"):
        body, anchored_start = body[2:], True
    if body.endswith("\\Z") and not body.endswith("\\\\Z"):
        body, anchored_end = body[:-2], True
    elif body.endswith("$") and not body.endswith("\\$"):
        # `$` also matches before a final newline, which ends the command: nothing can follow it
        body, anchored_end = body[:-1], True
    if not (anchored_start and anchored_end) or not body:
        return False
    i = 0
    depth = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _SAFE_ESCAPES:
                return False
            i += 2
        elif ch == "[":
            end = body.find("]", i + 2)
            if end < 0 or not _class_is_safe(body[i + 1:end]):
                return False
            i = end + 1
        elif ch == "(":
            if body.startswith("(?:", i):
                i += 3
            elif body.startswith("(?", i):
                return False  # lookarounds, flags, named groups: not worth the risk
            else:
                i += 1
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
            i += 1
        elif ch == "|":
            if depth == 0:
                return False  # `^a|b$` anchors only one side of each alternative
            i += 1
        elif ch in _QUANTIFIERS:
            i += 1
        elif ch == "{":
            end = body.find("}", i)
            if end < 0 or not all(c.isdigit() or c == "," for c in body[i + 1:end]):
                return False
            i = end + 1
        elif ch in _SAFE_CHARS and ch != ".":
            i += 1
        else:
            return False
    return depth == 0


def strips_unsafe(pattern: str, replacement: str) -> bool:
    """True when substituting `replacement` for every match of `pattern` leaves only safe characters:
    the pattern is one negated class of safe characters (`[^A-Za-z0-9_.-]`, optionally `+` or `*`) and
    the replacement is made of safe characters too."""
    body = pattern[:-1] if pattern.endswith(("+", "*")) else pattern
    if not (body.startswith("[^") and body.endswith("]") and len(body) > 3):
        return False
    inner = body[2:-1]
    # `]` or `[` inside would end or nest the class where this reading does not
    if "[" in inner or "]" in inner or inner.endswith("\\"):
        return False
    return _class_is_safe(inner) and all(ch in _SAFE_CHARS for ch in replacement)
