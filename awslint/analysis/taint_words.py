"""The words without which no external input can arise in a piece of code.

The interpreter makes a value external input (a `source`) only where the code names one: a source
module attribute (`sys.argv`, `flask.request`), a source function (`input`, `urlopen`), a network read
(`recv`, `getresponse`, `get_object`, an HTTP module's or client's `get`), a parser's `parse_args`, a
request's attribute (`request.GET`, `current_request`) or a configured source. Each of these shows in
the code's text as one of the words below, or as a name the module binds to one of them (an import
alias, a module-level HTTP client, a module-level global holding input). A function whose text holds
none of them, whose parameters are not input and whose callees and enclosing function see none, cannot
hand input to any sink, so its interpretation can add no injection finding (taint.Engine.run skips it).

The words come from the tables of awslint/data/taint.py, so a source added there is covered; a new kind
of source in the interpreter must add its word here (tests/test_taint_words.py checks every fixture).
"""
from __future__ import annotations

import re
from typing import AbstractSet, Callable, Iterable, Mapping

from awslint.data.taint import (
    ARGPARSE_METHODS,
    CHALICE_REQUEST_ATTR,
    HTTP_CLIENTS,
    HTTP_MODULES,
    KEYWORD_READ_METHODS,
    READ_METHODS,
    REQUEST_ATTRS,
    REQUEST_NAME,
    S3_OBJECT_RESOURCES,
    SOURCE_CALLS,
    SOURCE_NAME_PREFIXES,
    SOURCE_NAMES,
)

# Dotted names that are input, or under which every name is (`flask.request.args`); an HTTP module's
# verbs (`requests.get`) and the HTTP clients, whose `get` reads the network.
_DOTTED: tuple[str, ...] = (*SOURCE_NAMES, *(p.rstrip(".") for p in SOURCE_NAME_PREFIXES), *SOURCE_CALLS,
                            *HTTP_MODULES, *HTTP_CLIENTS)


_NAME_OR_DOT = r"[\w.]"


def _word(word: str, not_after: str = r"\w") -> str:
    """`word` not preceded by a character of the class `not_after`, written literal first: the regex
    engine scans a text for a pattern's leading literal at C speed, but tries a pattern that starts
    with an assertion (`\\b`, a lookbehind) at every position of it, some 60 times slower. The
    lookbehind after the literal asks the same of the character before it."""
    escaped = re.escape(word)
    return rf"{escaped}(?<!{not_after}{escaped})"


def _spelling(dotted: str) -> tuple[str, str] | None:
    """What every spelling of `dotted` shows: the word every match starts with, and the pattern; None
    when a shorter listed name it starts with shows already (`sys.stdin` for `sys.stdin.buffer`,
    `requests` for `requests.Session`).

    `module.name` is read through its module (`sys.argv`; a module imported under another name, or
    the name imported itself, is a word of the module's own, see `source_words`), so `proc.stdin` or a
    keyword `stdin=` is not `sys.stdin`. A longer name shows its last part (`urlopen`). A builtin
    (`input`) is called by its name: `input(...)`, not `run(cmd, input=data)` or `self.input`."""
    parts = dotted.split(".")
    if any(".".join(parts[:i]) in _DOTTED for i in range(1, len(parts))):
        return None
    if len(parts) == 1:
        if dotted in HTTP_MODULES:
            return dotted, rf"{_word(dotted)}\b"
        return dotted, _word(dotted, _NAME_OR_DOT) + r"[\s\\]*\("
    if len(parts) == 2:
        return parts[0], rf"{_word(parts[0])}[\s\\)]*\.[\s\\]*{re.escape(parts[1])}\b"
    return parts[-1], rf"{_word(parts[-1])}\b"


# `module.name` sources: a module imported under another name (`import sys as _sys`) makes `name` a word
_THROUGH_MODULE: dict[str, set[str]] = {}
for _dotted in _DOTTED:
    _parts = _dotted.split(".")
    if len(_parts) == 2 and _spelling(_dotted) is not None:
        _THROUGH_MODULE.setdefault(_parts[0], set()).add(_parts[1])

_WORDS: frozenset[str] = frozenset({
    *READ_METHODS, *KEYWORD_READ_METHODS, *ARGPARSE_METHODS, CHALICE_REQUEST_ATTR, *S3_OBJECT_RESOURCES})
_SPELLINGS: tuple[tuple[str, str], ...] = (
    *(s for s in map(_spelling, _DOTTED) if s is not None),
    # a request's data (`request.GET`, `self.request.body`), where `request` is the view's parameter
    (REQUEST_NAME, rf"{_word(REQUEST_NAME)}[\s\\)]*\.[\s\\]*(?:{'|'.join(sorted(REQUEST_ATTRS))})\b"),
    *((word, rf"{_word(word)}\b") for word in _WORDS),
)


def _by_word(spellings: Iterable[tuple[str, str]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One pattern per leading word, searched only in a text that holds the word: a substring test
    rules out most texts far faster than any pattern's scan of them."""
    grouped: dict[str, set[str]] = {}
    for word, pattern in spellings:
        grouped.setdefault(word, set()).add(pattern)
    return tuple((word, re.compile("|".join(sorted(grouped[word])))) for word in sorted(grouped))


_FIXED = _by_word(_SPELLINGS)


_WORD = re.compile(r"\w+")


class Words:
    """Finds any of the words in a text: the fixed ones (compiled once), a module's names for sources
    (import aliases, module globals), which a function binding the same name does not see, and the parts
    of configured sources, attributes included, which it does."""

    def __init__(self, names: Iterable[str], parts: Iterable[str] = ()) -> None:
        self._names = frozenset(names) - _WORDS
        self._parts = frozenset(parts) - _WORDS

    def search(self, text: str, local: Callable[[], AbstractSet[str]] = frozenset) -> bool:
        """Whether `text` holds a word; `local` gives the names the code binds itself, asked only when
        one of the module's names shows in it."""
        if any(word in text and pattern.search(text) is not None for word, pattern in _FIXED):
            return True
        if not any(w in text for w in self._parts) and not any(n in text for n in self._names):
            return False
        found = set(_WORD.findall(text))
        return not self._parts.isdisjoint(found) or not (self._names - local()).isdisjoint(found)


def source_words(aliases: Mapping[str, str], user_sources: Iterable[str], bound: Iterable[str]) -> Words:
    """The words of sources in a module: the fixed ones, the local names of imports that stand for a
    source (`from sys import argv as args`, `import requests as r`), every part of a configured source,
    and `bound` (module-level names that hold input or an HTTP client)."""
    names: set[str] = set(bound)
    configured = [c.lstrip(".") for c in user_sources]
    dotted = {*_DOTTED, *configured}
    for local, target in aliases.items():
        parts = target.split(".")
        # the alias names a source, or a name under one: `target` or one of its leading parts is listed
        if parts[0] in HTTP_MODULES or any(".".join(parts[:i]) in dotted for i in range(1, len(parts) + 1)):
            names.add(local)
    words: set[str] = set()
    for local, target in aliases.items():
        if local != target and target in _THROUGH_MODULE:
            words.update(_THROUGH_MODULE[target])  # `_sys.argv`: an attribute, whatever binds `argv`
    for name in configured:
        words.update(p for p in name.split(".") if p)
    return Words(names, words)
