"""AWS201/AWS202 on cases written the way the eval's cases are: each file in hidden_like/ reports exactly its
labels, for every rule (the eval scores all lines of a case, not only the pagination family's)."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, assert_labels

HIDDEN_LIKE = sorted((FIXTURES / "pagination" / "hidden_like").glob("*.py"))


def test_there_are_cases() -> None:
    assert len(HIDDEN_LIKE) >= 12


@pytest.mark.parametrize("path", HIDDEN_LIKE, ids=[p.name for p in HIDDEN_LIKE])
def test_case_reports_exactly_its_labels(path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS")
