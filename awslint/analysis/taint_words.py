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
from typing import Iterable, Mapping

from awslint.data.taint import (
    ARGPARSE_METHODS,
    CHALICE_REQUEST_ATTR,
    HTTP_CLIENTS,
    HTTP_MODULES,
    KEYWORD_READ_METHODS,
    READ_METHODS,
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


def _parts(dotted: str) -> list[str]:
    """The words a spelling of `dotted` shows: all but the module it starts with, which an import may
    rename (`import sys as s; s.argv`), unless that is all there is (`input`)."""
    parts = [p for p in dotted.split(".") if p]
    return parts[1:] if len(parts) > 1 else parts


_WORDS: frozenset[str] = frozenset({
    *(w for d in _DOTTED for w in _parts(d)), *HTTP_MODULES, *READ_METHODS, *KEYWORD_READ_METHODS,
    *ARGPARSE_METHODS, CHALICE_REQUEST_ATTR, REQUEST_NAME, *S3_OBJECT_RESOURCES,
})


_FIXED = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _WORDS), key=lambda w: (-len(w), w))) + r")\b")


_WORD = re.compile(r"\w+")


class Words:
    """Finds any of the words in a text: the fixed ones (compiled once) and a module's own."""

    def __init__(self, extra: Iterable[str]) -> None:
        self._own = frozenset(extra) - _WORDS  # names, looked up among the text's words: no pattern per module

    def search(self, text: str) -> bool:
        return _FIXED.search(text) is not None or (bool(self._own) and not self._own.isdisjoint(_WORD.findall(text)))


def source_words(aliases: Mapping[str, str], user_sources: Iterable[str], bound: Iterable[str]) -> Words:
    """The words of sources in a module: the fixed ones, the local names of imports that stand for a
    source (`from sys import argv as args`, `import requests as r`), every part of a configured source,
    and `bound` (module-level names that hold input or an HTTP client)."""
    words: set[str] = set()
    configured = [c.lstrip(".") for c in user_sources]
    dotted = {*_DOTTED, *configured}
    for local, target in aliases.items():
        parts = target.split(".")
        # the alias names a source, or a name under one: `target` or one of its leading parts is listed
        if parts[0] in HTTP_MODULES or any(".".join(parts[:i]) in dotted for i in range(1, len(parts) + 1)):
            words.add(local)
    for name in configured:
        words.update(p for p in name.split(".") if p)
    words.update(bound)
    return Words(words)
