"""The README keeps its promises: every rule in the table, and the test command is the one CI runs."""
from __future__ import annotations

import re

from awslint import RULES
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_rule_is_listed_with_its_symbol_and_default() -> None:
    for rule in RULES:
        default = "on" if rule.default_enabled else "off"
        assert f"| [{rule.code}](rules/{rule.code}.md) | {rule.name} | {default} |" in README, rule.code


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(python3 -m venv .*)\n```", README)
    assert len(commands) == 2, "the README opens with the two set-up commands"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
    assert "awslint examples/" in commands[0]


def test_settings_blocks_parse() -> None:
    import json

    yaml = __import__("pytest").importorskip("yaml")
    blocks = re.findall(r"```(json|yaml|toml)\n(.*?)```", README, re.S)
    assert blocks
    for kind, text in blocks:
        if kind == "json":
            json.loads(text)
        elif kind == "yaml":
            yaml.safe_load(text.replace("<owner>", "owner"))
        else:
            from awslint.config import tomllib

            tomllib.loads(text)
