"""Round 2 of the resource and process rules: labelled modules written from SPEC, run with every rule.

Each file in `tests/fixtures/resources/round2/` and `tests/fixtures/process/round2/` is a small module
as teams write them on AWS (Lambda handlers, sockets, connections, archives, pools, child processes),
with `# expect: AWS1xx` on exactly the lines that must be reported; every other line must stay silent
for every rule, as the eval scores it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, assert_labels

CASES = sorted((FIXTURES / "resources" / "round2").glob("*.py")) + sorted((FIXTURES / "process" / "round2").glob("*.py"))


def test_there_are_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.parent.name}/{p.name}" for p in CASES])
def test_round2_case(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS")
