"""Adopting awslint on legacy code: `--write-baseline` records today's findings, `--baseline` hides them."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from awslint.baseline import fingerprints, normalise
from awslint.cli import main
from awslint.finding import Finding
from helpers import SEED, UNUSED_DEFAULT, run_awslint, write

NEW_BUG = "\n\ndef collect(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n"


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "pyproject.toml", '[tool.awslint]\nselect = ["AWS3"]\n')
    write(tmp_path, "app/topics.py", SEED + "\n\n" + UNUSED_DEFAULT)
    write(tmp_path, "app/render.py", UNUSED_DEFAULT)
    return tmp_path


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_write_then_apply_reports_nothing(legacy: Path, capsys) -> None:
    status, out, err = call(capsys, "--write-baseline", "awslint-baseline.json", "app")
    assert (status, out, err) == (0, "", "awslint: recorded 3 finding(s) in awslint-baseline.json\n")
    data = json.loads((legacy / "awslint-baseline.json").read_text())
    assert data["tool"] == "awslint" and data["version"] == 1
    assert [(e["path"], e["line"], e["code"]) for e in data["findings"]] == [
        ("app/render.py", 1, "AWS302"),
        ("app/topics.py", 1, "AWS301"),
        ("app/topics.py", 9, "AWS302"),
    ]
    assert call(capsys, "--baseline", "awslint-baseline.json", "app") == (0, "", "")


def test_only_new_findings_are_reported(legacy: Path, capsys) -> None:
    call(capsys, "--write-baseline", "base.json", "app")
    topics = legacy / "app" / "topics.py"
    topics.write_text(topics.read_text() + NEW_BUG)
    status, out, _ = call(capsys, "--baseline", "base.json", "app")
    assert status == 1
    assert [line.split(": ")[0] + " " + line.split(": ")[1].split()[0] for line in out.splitlines()] == [
        f"app{os.sep}topics.py:13:26 AWS301"
    ]


def test_baseline_survives_lines_moving_and_reindenting(legacy: Path, capsys) -> None:
    call(capsys, "--write-baseline", "base.json", "app")
    topics = legacy / "app" / "topics.py"
    body = "".join("    " + line if line.strip() else line for line in topics.read_text().splitlines(keepends=True))
    topics.write_text('"""Topics."""\nimport logging\n\nLOG = logging.getLogger(__name__)\n\n\nclass Legacy:\n' + body)
    status, out, _ = call(capsys, "app")
    assert status == 1 and len(out.splitlines()) == 3  # the findings moved, they did not go away
    assert call(capsys, "--baseline", "base.json", "app") == (0, "", "")


def test_baseline_matches_from_another_working_folder(legacy: Path, capsys, monkeypatch) -> None:
    call(capsys, "--write-baseline", "base.json", "app")
    monkeypatch.chdir(legacy / "app")
    assert call(capsys, "--baseline", "../base.json", ".") == (0, "", "")
    assert call(capsys, "--baseline", str(legacy / "base.json"), str(legacy / "app" / "topics.py")) == (0, "", "")


def test_a_changed_flagged_line_is_a_new_finding(legacy: Path, capsys) -> None:
    call(capsys, "--write-baseline", "base.json", "app")
    render = legacy / "app" / "render.py"
    render.write_text(render.read_text().replace("context={}", "context={}, extra=[]"))
    status, out, _ = call(capsys, "--baseline", "base.json", "app")
    assert status == 1
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["AWS302", "AWS302"]


def test_baseline_with_json_and_sarif_formats(legacy: Path, capsys) -> None:
    call(capsys, "--write-baseline", "base.json", "app")
    assert call(capsys, "--baseline", "base.json", "--format", "json", "app") == (0, "[]\n", "")
    status, out, _ = call(capsys, "--baseline", "base.json", "--format", "sarif", "app")
    assert status == 0
    assert json.loads(out)["runs"][0]["results"] == []


def test_bad_baseline_is_a_usage_error(legacy: Path, capsys) -> None:
    write(legacy, "not-json.json", "{")
    status, out, err = call(capsys, "--baseline", "not-json.json", "app")
    assert (status, out) == (2, "")
    assert err.startswith("awslint: error: not-json.json: cannot read baseline: ")
    write(legacy, "other.json", '{"findings": []}')
    assert call(capsys, "--baseline", "other.json", "app")[2] == (
        "awslint: error: other.json: not an awslint baseline (write one with --write-baseline)\n"
    )
    assert call(capsys, "--baseline", "absent.json", "app")[0] == 2
    assert call(capsys, "--baseline", "x.json", "--write-baseline", "y.json", "app")[0] == 2


def test_installed_script_round_trip(legacy: Path) -> None:
    assert run_awslint("--write-baseline", "b.json", ".", cwd=legacy).returncode == 0
    proc = run_awslint("--baseline", "b.json", ".", cwd=legacy)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_normalise_drops_whitespace_and_comments_but_not_strings() -> None:
    assert normalise("    def f(x = [] ):   # noqa: AWS302\n") == "def f(x = [] ):"
    assert normalise("x = '#not a comment'  # a comment") == "x = '#not a comment'"
    assert normalise('x = """# still a string""" # gone') == 'x = """# still a string"""'
    assert normalise("x = 'it\\'s # here'") == "x = 'it\\'s # here'"


def test_fingerprints_are_independent_of_line_numbers() -> None:
    finding = Finding("AWS302", 1, 10, "message quoting line 1")
    moved = Finding("AWS302", 40, 10, "message quoting line 40")
    assert fingerprints("a.py", ["def f(x=[]): pass"], [finding]) == fingerprints(
        "a.py", [""] * 39 + ["def f(x=[]): pass"], [moved]
    )
    first, second = fingerprints("a.py", ["def f(x=[]): pass"] * 2, [finding, Finding("AWS302", 2, 10, "m")])
    assert first != second
