"""Every rule's documented examples: the noncompliant ones report exactly their labels, the compliant
ones report nothing from that rule's family; and the pages in rules/ are the rendered rule docs."""
from __future__ import annotations

import pytest

from awslint import FAMILIES, RULES
from awslint.docs import render
from conftest import ROOT, assert_labels, expected, reported

CASES = [(rule, i, ex) for rule in RULES for i, ex in enumerate(rule.INVALID)]
GOOD = [(rule, i, ex) for rule in RULES for i, ex in enumerate(rule.VALID)]


def _family_prefix(rule: type) -> str:
    return rule.code[:4]  # AWS1, AWS2 ...: one family


@pytest.mark.parametrize(("rule", "i", "example"), CASES, ids=[f"{r.code}-bad{i}" for r, i, _ in CASES])
def test_noncompliant_example_reports_its_labels(rule: type, i: int, example: str) -> None:
    assert any(code == rule.code for _, code in expected(example)), "an INVALID example must label its rule"
    assert_labels(example, _family_prefix(rule))


@pytest.mark.parametrize(("rule", "i", "example"), GOOD, ids=[f"{r.code}-good{i}" for r, i, _ in GOOD])
def test_compliant_example_is_silent(rule: type, i: int, example: str) -> None:
    assert reported(example, _family_prefix(rule)) == set()


def test_every_rule_has_examples_and_unique_ids() -> None:
    for rule in RULES:
        assert rule.INVALID and rule.VALID, rule.code
        assert rule.sections().get("What it finds") and rule.sections().get("Why is this bad?"), rule.code
    codes = [r.code for r in RULES]
    symbols = [r.name for r in RULES]
    msgids = [r.msgid for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(symbols)) == len(symbols) and len(set(msgids)) == len(msgids)
    for rule in RULES:
        assert rule.code[:3] == "AWS" and rule.code[3:].isdigit() and len(rule.code) == 6
        # pylint wants one checker id (73) for all of a checker's messages; the rest mirrors the code.
        assert rule.msgid[0] in "CRWEF" and rule.msgid[1:3] == "73", rule.msgid
        assert rule.msgid[3:] == rule.code[3] + rule.code[5], rule.msgid
        assert rule.name == rule.name.lower() and " " not in rule.name
    assert len({f.name for f in FAMILIES}) == len(FAMILIES)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_page_is_current(rule: type) -> None:
    page = ROOT / "rules" / f"{rule.code}.md"
    assert page.is_file(), f"run `python -m awslint.docs rules` to write {page.name}"
    assert page.read_text(encoding="utf-8") == render(rule), f"{page.name} is stale: run `python -m awslint.docs rules`"
