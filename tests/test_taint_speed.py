"""The shortcuts that make the taint analysis cheaper, each checked against the work it replaces."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from awslint.analysis import taint_words
from awslint.data.taint import (
    ARGPARSE_METHODS,
    CHALICE_REQUEST_ATTR,
    HTTP_MODULES,
    KEYWORD_READ_METHODS,
    READ_METHODS,
    REQUEST_ATTRS,
    REQUEST_NAME,
    S3_OBJECT_RESOURCES,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _assertion_first(dotted: str) -> str | None:
    """The words' patterns as they were written before they led with their literal (the oracle)."""
    parts = dotted.split(".")
    if any(".".join(parts[:i]) in taint_words._DOTTED for i in range(1, len(parts))):
        return None
    if len(parts) == 1:
        word = re.escape(dotted)
        return rf"\b{word}\b" if dotted in HTTP_MODULES else rf"(?<![\w.]){word}[\s\\]*\("
    if len(parts) == 2:
        return rf"\b{re.escape(parts[0])}[\s\\)]*\.[\s\\]*{re.escape(parts[1])}\b"
    return rf"\b{re.escape(parts[-1])}\b"


_WORDS = {*READ_METHODS, *KEYWORD_READ_METHODS, *ARGPARSE_METHODS, CHALICE_REQUEST_ATTR, *S3_OBJECT_RESOURCES}
_ORACLE = re.compile("|".join((
    *sorted(p for p in map(_assertion_first, taint_words._DOTTED) if p is not None),
    rf"\b{REQUEST_NAME}[\s\\)]*\.[\s\\]*(?:{'|'.join(sorted(REQUEST_ATTRS))})\b",
    r"\b(?:" + "|".join(sorted(map(re.escape, _WORDS), key=lambda w: (-len(w), w))) + r")\b",
)))

_CRAFTED = (
    "sys.argv", "xsys.argv", "_sys.argv", "sys .argv", "(sys)\\\n.argv", "sys.argvx", "sys.stdin", "os.sys.argv",
    "input(", "raw_input(", "self.input(", "x.raw_input (", "input\\\n(", "inputs(", "-input(", "ainput(",
    "requests", "requests_mock", "my_requests", "requests.get", "httpx", ".httpx", "request.GET", "request .body",
    "self.request.POST", "request.GETS", "xrequest.GET", "recv", "recv_into", "sock.recvfrom(4)", "Object(", "MyObject(",
    "ObjectSummary", "parse_args()", "parse_argsx", "urlopen(u)", "urllib2.urlopen", "aiohttp.ClientSession",
    "flask.request", "flask.requests", "urllib3.PoolManager()", "current_request", "get_object", "getresponse",
    "é_recv", "recvé", "\nrecv\n", "", "sys", ".argv",
)


def _texts() -> list[str]:
    texts = list(_CRAFTED)
    for path in sorted(FIXTURES.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.splitlines()
        texts.append(text)
        texts.extend(lines)
        texts.extend("\n".join(lines[i:i + 3]) for i in range(0, len(lines), 2))
    return texts


def test_the_literal_first_patterns_match_where_the_assertion_first_ones_did() -> None:
    checked = 0
    for text in _texts():
        fixed = any(word in text and pattern.search(text) is not None for word, pattern in taint_words._FIXED)
        assert fixed == (_ORACLE.search(text) is not None), text
        checked += fixed
    assert checked > 50  # the texts hold words, not only their absence


@pytest.mark.parametrize("text", _CRAFTED)
def test_each_crafted_spelling_agrees_with_the_oracle(text: str) -> None:
    words = taint_words.source_words({}, (), ())
    assert words.search(text) == (_ORACLE.search(text) is not None)
