"""AWS501–AWS504 on the labelled modules in tests/fixtures/flow/<behaviour>/: every rule is run, and exactly the labelled
lines are reported with exactly the labelled codes (every other line silent for every rule)."""
from __future__ import annotations

from pathlib import Path

import pytest

from awslint import Config, check_source
from conftest import expected
from helpers import labelled_cases

EVERY = Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5"))
CASES = labelled_cases("flow")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_labelled_case(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = {(f.line, f.code) for f in check_source(source, f"app/{path.name}", EVERY)}
    assert found == expected(source)


def test_labelled_cases_have_every_rule() -> None:
    codes = {code for path in CASES for _, code in expected(path.read_text(encoding="utf-8")) if code.startswith("AWS5")}
    assert len(CASES) >= 30 and codes == {"AWS501", "AWS502", "AWS503", "AWS504"}
