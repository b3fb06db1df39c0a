"""Shared test helpers: `# expect: CODE` labels and exact comparison with what the core reports."""
from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from awslint import Config, Finding, check_source

# Fixture files are inputs of the analysis, some named like tests (`test_*.py`); pytest must not run them.
collect_ignore = ["fixtures"]

# An analysis defect must fail the suite, not vanish into "no findings".
os.environ["AWSLINT_STRICT"] = "1"

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9 ,]+)")
EVERY_RULE = Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5"))


def expected(source: str, prefix: str = "AWS") -> set[tuple[int, str]]:
    """(line, code) for every `# expect: CODE` label whose code starts with `prefix`."""
    out = set()
    for number, text in enumerate(source.splitlines(), 1):
        match = EXPECT.search(text)
        if match:
            out |= {(number, c.strip()) for c in match.group(1).split(",") if c.strip().startswith(prefix)}
    return out


def reported(source: str, prefix: str = "AWS", config: Config = EVERY_RULE) -> set[tuple[int, str]]:
    return {(f.line, f.code) for f in findings(source, config) if f.code.startswith(prefix)}


def findings(source: str, config: Config = EVERY_RULE, filename: str = "example.py") -> list[Finding]:
    return check_source(textwrap.dedent(source), filename, config)


def assert_labels(source: str, prefix: str = "AWS", config: Config = EVERY_RULE) -> None:
    """Exactly the labelled lines are reported with exactly the labelled codes."""
    source = textwrap.dedent(source)
    assert reported(source, prefix, config) == expected(source, prefix)


@pytest.fixture
def tmp_project(tmp_path: Path) -> Path:
    return tmp_path
