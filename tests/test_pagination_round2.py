"""AWS201/AWS202 on the second round of labelled modules, written as teams on AWS write them: every rule is
run on each file under a product-code name, and exactly the labelled lines are reported with exactly the
labelled codes (the eval scores every line of a case, for every rule)."""
from __future__ import annotations

from pathlib import Path

import pytest

from awslint import Config, check_source
from conftest import FIXTURES, expected

EVERY = Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5"))
CASES = sorted((FIXTURES / "pagination" / "round2").glob("*.py"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_round2_labels(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = {(f.line, f.code) for f in check_source(source, "app.py", EVERY)}
    assert found == expected(source)


def test_round2_covers_both_rules_and_silent_cases() -> None:
    labelled = [expected(path.read_text(encoding="utf-8")) for path in CASES]
    assert len(CASES) >= 30
    assert {code for labels in labelled for _, code in labels} == {"AWS201", "AWS202"}
    assert sum(1 for labels in labelled if not labels) >= 3  # files where every line must stay silent
