"""Every rule declares the shared analyses it needs, and selecting it builds no other.

The context builds each analysis lazily; this test watches which are built when one rule alone is
selected, over every fixture, and holds the rule to its `needs`. It is what makes `--select AWS404`
run no taint interpretation, and `--select AWS502` build no control-flow graph.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import awslint.analysis.boto as boto
import awslint.analysis.cfg as cfg
import awslint.analysis.taint_interp as taint_interp
import awslint.context as context
from awslint import RULES, Config, check_source
from awslint.rule import Rule

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = sorted(FIXTURES.rglob("*.py"))


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    seen: set[str] = set()

    def watch(name: str, original: object) -> object:
        def wrapper(*args: object, **kwargs: object) -> object:
            seen.add(name)
            return original(*args, **kwargs)  # type: ignore[operator]
        return wrapper

    monkeypatch.setattr(cfg, "_Builder", watch("cfg", cfg._Builder))
    monkeypatch.setattr(taint_interp.FunctionTaint, "run", watch("taint", taint_interp.FunctionTaint.run))
    monkeypatch.setattr(boto.BotoReceivers, "__init__", watch("receivers", boto.BotoReceivers.__init__))
    for name in ("model", "testcode"):
        prop = getattr(context.Context, name)
        monkeypatch.setattr(
            context.Context, name,
            property(lambda self, _n=name, _p=prop: (seen.add(_n), _p.__get__(self, context.Context))[1]),
        )
    return seen


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_a_rule_alone_builds_only_what_it_declares(rule: type[Rule], built: set[str]) -> None:
    config = Config(select=(rule.code,))
    for path in CORPUS:
        check_source(path.read_text(encoding="utf-8"), "app.py", config)
    assert built <= set(rule.needs), f"{rule.code} built {sorted(built - set(rule.needs))} it does not declare"


def test_outdated_process_apis_alone_run_no_taint_interpretation() -> None:
    by_code = {r.code: r for r in RULES}
    assert "taint" not in by_code["AWS404"].needs and "taint" in by_code["AWS401"].needs
    assert "cfg" not in by_code["AWS502"].needs
