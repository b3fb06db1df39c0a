"""suppress.parse: a text without a directive is not tokenized, and a text that only seems to hold one
(a string that spells it) still holds none."""
from __future__ import annotations

import tokenize

import pytest

from awslint import suppress


def test_no_directive_means_no_tokenizing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokenize, "generate_tokens", lambda *a, **k: pytest.fail("tokenized"))
    text = "import os  # a comment\nx = os.getcwd()  # noqa\n"
    assert suppress.parse(text, None, ("pylint",)) == []  # flake8's question: only pylint comments
    assert suppress.parse("x = 1\n", None) == []


def test_a_string_that_spells_a_directive_is_none() -> None:
    text = 'HELP = "# pylint: disable=resource-not-closed"\nNOTE = "# noqa"\n'
    assert suppress.parse(text, None) == []


def test_a_directive_is_still_found() -> None:
    text = "f = open(p)  # pylint: disable=resource-not-closed\ng = open(q)  # NOQA: AWS101\n"
    found = [(d.kind, d.line, d.codes) for d in suppress.parse(text, None)]
    assert found == [("pylint", 1, ("AWS101",)), ("noqa", 2, ("AWS101",))]
