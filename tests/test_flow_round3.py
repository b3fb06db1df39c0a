"""AWS501's reasons after a tool's directive, and AWS504's fix of a store into the inner dict."""
from __future__ import annotations

import textwrap

import pytest

from awslint import Config
from awslint.analysis.handlers import says_why
from awslint.fix import fix_source


@pytest.mark.parametrize("comment", [
    "# pragma: no cover - telemetry must never break the caller",
    "# noqa: BLE001  # README parsing is best-effort; any failure falls back",
    "# pragma: no cover - defensive; treat as no config default",
    "# best effort",
])
def test_a_reason_for_the_reader(comment: str) -> None:
    assert says_why(comment)


@pytest.mark.parametrize("comment", [
    "# pylint: disable=W0703  # noqa: E722",
    "# pylint: disable=W0703",
    "# noqa: E722 Do not use bare except",
    "# pragma: no cover",
    "# type: ignore[attr-defined]",
    "# noqa: E722 - ok",
])
def test_a_directive_alone(comment: str) -> None:
    assert not says_why(comment)


def test_store_into_the_inner_dict_is_fixed_as_defaultdict_of_dict() -> None:
    before = textwrap.dedent("""\
    def index(items):
        d = {}
        for i in items:
            if i.kind not in d:
                d[i.kind] = {}
            d[i.kind][i.name] = i
        return d
    """)
    after = textwrap.dedent("""\
    import collections


    def index(items):
        d = collections.defaultdict(dict)
        for i in items:
            d[i.kind][i.name] = i
        return dict(d)
    """)
    assert fix_source(before, "example.py", Config(select=("AWS504",))).text == after
