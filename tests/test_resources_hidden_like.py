"""Resource leaks: cases written as an author of unseen eval cases would write them, labelled from SPEC.

Each file in `tests/fixtures/resources/hidden_like/` is realistic code with `# expect: AWS1xx` on every
line that must be reported; every other line must stay silent, as the eval scores it (all rules on).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, assert_labels

CASES = sorted((FIXTURES / "resources" / "hidden_like").glob("*.py"))


def test_there_are_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_hidden_like_case(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS")
