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


# Where the column matters (a line holding more than one call), a label says it after the codes, where
# the eval scorer's own pattern stops reading: `# expect: AWS103; col AWS103=19`.
COLUMNS = re.compile(r"#\s*expect:[A-Z0-9 ,]+;\s*cols?\s+((?:AWS\d{3}=\d+[ ,]*)+)")


def expected_columns(source: str, prefix: str = "AWS") -> set[tuple[int, str, int]]:
    """(line, code, column) for every label that gives a column."""
    out = set()
    for number, text in enumerate(source.splitlines(), 1):
        match = COLUMNS.search(text)
        if match:
            for item in re.findall(r"(AWS\d{3})=(\d+)", match.group(1)):
                if item[0].startswith(prefix):
                    out.add((number, item[0], int(item[1])))
    return out


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
    found = [f for f in findings(source, config) if f.code.startswith(prefix)]
    assert {(f.line, f.code) for f in found} == expected(source, prefix)
    columns = expected_columns(source, prefix)
    if columns:
        labelled = {(line, code) for line, code, _ in columns}
        assert {(f.line, f.code, f.col) for f in found if (f.line, f.code) in labelled} == columns


@pytest.fixture
def tmp_project(tmp_path: Path) -> Path:
    return tmp_path
