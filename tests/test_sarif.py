"""`awslint --format sarif`: valid SARIF 2.1.0 that code scanning can ingest and track across edits."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import awslint.checker
from awslint import RULES, Family, Finding, Step
from awslint.cli import main
from awslint.docs import render
from awslint.rules.defaults import MutableDefaultArgument, MutatedMutableDefault
from helpers import SEED, UNUSED_DEFAULT, write

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    status = main(["--format", "sarif", *argv])
    out, _ = capsys.readouterr()
    return status, json.loads(out)


def validate(log: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (a test dependency) is not installed")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_log_validates_against_the_sarif_2_1_0_schema(in_tmp: Path, capsys) -> None:
    write(in_tmp, "src/app.py", SEED + "\n\n" + UNUSED_DEFAULT)
    write(in_tmp, "src/naïve.py", "def f(é='x', seen=[]):\n    seen.append(é)\n    return seen\n")
    write(in_tmp, "src/broken.py", "def f(:\n")
    status, log = sarif(capsys, "--select", "AWS3", "src", "missing.py")
    assert status == 2
    validate(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"][0]["results"]) == 3


def test_clean_run_validates_too(in_tmp: Path, capsys) -> None:
    write(in_tmp, "clean.py", "x = 1\n")
    status, log = sarif(capsys, "clean.py")
    assert status == 0
    validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_driver_lists_every_rule_with_metadata_and_help(in_tmp: Path, capsys) -> None:
    write(in_tmp, "clean.py", "x = 1\n")
    _, log = sarif(capsys, "clean.py")
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "awslint"
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in RULES]
    for entry, rule in zip(driver["rules"], RULES):
        assert entry["name"] == rule.name
        assert entry["shortDescription"] == {"text": rule.title}
        assert entry["fullDescription"] == {"text": rule.rationale()}
        assert entry["help"] == {"text": render(rule), "markdown": render(rule)}
        assert entry["defaultConfiguration"]["enabled"] is rule.default_enabled
        level = {"E": "error", "W": "warning", "C": "note"}[rule.msgid[0]]
        assert entry["defaultConfiguration"]["level"] == level


def test_result_shape(in_tmp: Path, capsys) -> None:
    write(in_tmp, "src/topics.py", SEED)
    status, log = sarif(capsys, "--select", "AWS3", "src")
    assert status == 1
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": in_tmp.resolve().as_uri() + "/"}}
    assert run["columnKind"] == "unicodeCodePoints"
    (result,) = run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "AWS301"
    assert result["level"] == "warning"
    assert result["message"]["text"].startswith("mutable default `sns_topics` is changed by `.append()` at line 5")
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "src/topics.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 1, "startColumn": 40, "endLine": 1, "endColumn": 42},
            }
        }
    ]
    assert set(result["partialFingerprints"]) == {"awslint/v1"}


def test_code_flow_follows_the_witness_path(in_tmp: Path, capsys) -> None:
    write(in_tmp, "topics.py", SEED)
    _, log = sarif(capsys, "--select", "AWS3", "topics.py")
    (result,) = log["runs"][0]["results"]
    steps = [
        (
            loc["location"]["physicalLocation"]["artifactLocation"]["uri"],
            loc["location"]["physicalLocation"]["region"],
            loc["location"]["message"]["text"],
        )
        for loc in result["codeFlows"][0]["threadFlows"][0]["locations"]
    ]
    assert steps == [
        ("topics.py", {"startLine": 1, "startColumn": 40}, "`sns_topics` defaults to one shared list"),
        ("topics.py", {"startLine": 5, "startColumn": 9}, "`sns_topics` is changed by `.append()`"),
    ]


LEAK = """\
def read_lines(file):
    lines = []
    f = open(file, 'r')
    for line in f:
        lines.append(line.strip())
    return lines
"""


def test_code_flow_of_a_resource_leak(in_tmp: Path, capsys) -> None:
    if not any(rule.code == "AWS101" for rule in RULES):
        pytest.skip("the resources family (AWS101) is not in this checkout")
    write(in_tmp, "leak.py", LEAK)
    status, log = sarif(capsys, "--select", "AWS101", "leak.py")
    assert status == 1
    validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "AWS101"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    if "codeFlows" not in result:
        pytest.skip("this AWS101 finding carries no witness path")
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert flow[0]["location"]["physicalLocation"]["region"]["startLine"] == 3
    assert all(loc["location"]["physicalLocation"]["region"]["startColumn"] >= 1 for loc in flow)


def _fake_family(monkeypatch: pytest.MonkeyPatch, found: list[Finding]) -> None:
    """Replace the analysis by one that reports `found` for every file."""
    family = Family("defaults", (MutatedMutableDefault, MutableDefaultArgument), lambda ctx: list(found))
    monkeypatch.setattr(awslint.checker, "FAMILIES", (family,))


def test_columns_are_1_based_even_at_column_0(in_tmp: Path, capsys, monkeypatch) -> None:
    _fake_family(monkeypatch, [Finding("AWS301", 2, 0, "at the margin", 2, 5, (Step(1, 0, "start"),))])
    write(in_tmp, "m.py", "x = 1\ny = [1]\n")
    _, log = sarif(capsys, "m.py")
    (result,) = log["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 6}
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert flow[0]["location"]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
    validate(log)


def test_no_code_flow_without_a_witness_path(in_tmp: Path, capsys, monkeypatch) -> None:
    _fake_family(monkeypatch, [Finding("AWS302", 1, 4, "no path")])
    write(in_tmp, "m.py", "x = [1]\n")
    _, log = sarif(capsys, "--select", "AWS3", "m.py")
    (result,) = log["runs"][0]["results"]
    assert "codeFlows" not in result
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 5}


def _prints(log: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["ruleId"], r["partialFingerprints"]["awslint/v1"]) for r in log["runs"][0]["results"]]


def test_fingerprints_survive_unrelated_edits(in_tmp: Path, capsys) -> None:
    write(in_tmp, "app.py", SEED + "\n\n" + UNUSED_DEFAULT)
    _, before = sarif(capsys, "--select", "AWS3", "app.py")
    # New code above, the flagged lines re-indented into a class and given comments: same fingerprints.
    moved = "import os\n\n\nclass Topics:\n" + "".join(
        "    " + line if line else line for line in (SEED + "\n\n" + UNUSED_DEFAULT).splitlines(keepends=True)
    )
    moved = moved.replace("sns_topics=[]):", "sns_topics=[]):  # legacy")
    write(in_tmp, "app.py", moved)
    _, after = sarif(capsys, "--select", "AWS3", "app.py")
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after["runs"][0]["results"]] == [5, 13]
    assert _prints(after) == _prints(before)


def test_fingerprints_tell_identical_lines_apart_and_follow_the_flagged_text(in_tmp: Path, capsys) -> None:
    twice = UNUSED_DEFAULT + "\n\n" + UNUSED_DEFAULT
    write(in_tmp, "app.py", twice)
    _, log = sarif(capsys, "--select", "AWS302", "app.py")
    first, second = _prints(log)
    assert first != second
    write(in_tmp, "app.py", twice.replace("context={}", "ctx={}", 1))
    _, edited = sarif(capsys, "--select", "AWS302", "app.py")
    assert _prints(edited)[0] != first
    write(in_tmp, "other.py", twice)
    _, other = sarif(capsys, "--select", "AWS302", "other.py")
    assert _prints(other)[0] != first  # the file is part of the identity


def test_files_outside_the_root_get_absolute_uris(tmp_path: Path, capsys, monkeypatch) -> None:
    outside = tmp_path / "elsewhere"
    write(outside, "app.py", SEED)
    root = tmp_path / "root"
    root.mkdir()
    monkeypatch.chdir(root)
    _, log = sarif(capsys, "--select", "AWS3", str(outside / "app.py"))
    (result,) = log["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (outside / "app.py").resolve().as_uri()}
    validate(log)


def test_errors_become_tool_notifications(in_tmp: Path, capsys) -> None:
    write(in_tmp, "broken.py", "def f(:\n")
    status, log = sarif(capsys, "broken.py")
    assert status == 2
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == "broken.py: cannot parse: invalid syntax (line 1, column 7)"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "broken.py", "uriBaseId": "%SRCROOT%"}
