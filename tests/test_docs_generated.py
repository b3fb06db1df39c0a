"""Generated documents are current: the README's rule table comes from the catalogue."""
from __future__ import annotations

from awslint.docs import TABLE_END, TABLE_START, rule_table, with_rule_table
from conftest import ROOT


def test_readme_rule_table_is_generated_from_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert TABLE_START in readme and TABLE_END in readme
    assert with_rule_table(readme) == readme, "run `python -m awslint.docs readme`"
    assert rule_table().count("\n") >= 3
