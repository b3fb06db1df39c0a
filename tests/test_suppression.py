"""Inline suppression, through the real command and both plugins (issue 11, item 1): `# noqa`,
`# noqa: AWS301`, `# pylint: disable=<awslint symbol>`, in text, JSON, SARIF (`suppressions`), the
baseline and `--fix`, and `--warn-unused-noqa`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_awslint, write

# Three copies of the same defect: silenced by a blanket noqa, by a coded noqa, by a pylint comment,
# and one left to report.
SOURCE = '''\
def a(seen=[]):  # noqa
    seen.append(1)
    return seen


def b(seen=[]):  # noqa: AWS301
    seen.append(1)
    return seen


def c(seen=[]):  # pylint: disable=mutated-mutable-default
    seen.append(1)
    return seen


def d(seen=[]):
    seen.append(1)
    return seen


def e(seen=[]):  # noqa: AWS101
    seen.append(1)
    return seen
'''


def codes(text: str) -> list[tuple[int, str]]:
    return [(int(line.split(":")[1]), line.split(" ")[1]) for line in text.splitlines()]


def test_text_reports_only_what_no_comment_silences(tmp_path: Path) -> None:
    write(tmp_path, "app.py", SOURCE)
    proc = run_awslint("--select", "AWS3", "app.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert codes(proc.stdout) == [(16, "AWS301"), (21, "AWS301")]  # AWS101 silences nothing here
    assert proc.stderr == "Found 2 findings in 1 file; 3 suppressed inline\n"


def test_a_suppressed_file_exits_0(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "def a(seen=[]):  # NOQA:AWS3\n    seen.append(1)\n    return seen\n")
    proc = run_awslint("--select", "AWS3", "app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")


def test_a_multi_line_statement_takes_the_comment_on_any_of_its_lines(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "def a(\n    seen=[],\n):  # noqa: AWS301\n    seen.append(1)\n    return seen\n")
    assert run_awslint("--select", "AWS3", "app.py", cwd=tmp_path).stdout == ""


def test_a_pylint_comment_on_its_own_line_covers_the_rest_of_the_scope(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "# pylint: disable=mutated-mutable-default\n"
        "def a(seen=[]):\n    seen.append(1)\n    return seen\n"
        "# pylint: enable=mutated-mutable-default\n"
        "def b(seen=[]):\n    seen.append(1)\n    return seen\n",
    )
    assert codes(run_awslint("--select", "AWS3", "app.py", cwd=tmp_path).stdout) == [(6, "AWS301")]


def test_json_leaves_out_suppressed_findings(tmp_path: Path) -> None:
    write(tmp_path, "app.py", SOURCE)
    proc = run_awslint("--select", "AWS3", "--format", "json", "app.py", cwd=tmp_path)
    assert [(i["line"], i["code"]) for i in json.loads(proc.stdout)] == [(16, "AWS301"), (21, "AWS301")]


def test_sarif_marks_suppressed_results(tmp_path: Path) -> None:
    write(tmp_path, "app.py", SOURCE)
    proc = run_awslint("--select", "AWS3", "--format", "sarif", "app.py", cwd=tmp_path)
    results = json.loads(proc.stdout)["runs"][0]["results"]
    shown = [
        (r["locations"][0]["physicalLocation"]["region"]["startLine"], [s["kind"] for s in r.get("suppressions", [])])
        for r in results
    ]
    assert shown == [(1, ["inSource"]), (6, ["inSource"]), (11, ["inSource"]), (16, []), (21, [])]
    assert proc.returncode == 1


def test_baseline_records_only_what_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "app.py", SOURCE)
    run_awslint("--select", "AWS3", "--write-baseline", "b.json", "app.py", cwd=tmp_path)
    recorded = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert [f["line"] for f in recorded] == [16, 21]
    proc = run_awslint("--select", "AWS3", "--baseline", "b.json", "app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")


def test_fix_leaves_suppressed_findings_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "app.py", SOURCE)
    run_awslint("--select", "AWS3", "--fix", "app.py", cwd=tmp_path)
    text = path.read_text()
    assert text.count("seen=[]") == 3  # a, b, c kept as the comments ask
    assert "def d(seen=None):" in text and "def e(seen=None):" in text


def test_warn_unused_noqa(tmp_path: Path) -> None:
    write(tmp_path, "app.py", SOURCE + "\n\nx = 1  # noqa: AWS103\ny = 2  # noqa: E501\nz = 3  # noqa\n")
    proc = run_awslint("--select", "AWS3", "--warn-unused-noqa", "app.py", cwd=tmp_path)
    assert codes(proc.stdout) == [(16, "AWS301"), (21, "AWS301"), (21, "AWS000"), (26, "AWS000")]
    lines = proc.stdout.splitlines()
    assert lines[2] == "app.py:21:18: AWS000 unused `# noqa` for AWS101: no such finding on this line; remove it"
    assert lines[3].startswith("app.py:26:8: AWS000 unused `# noqa` for AWS103")
    # other tools' codes and blanket comments may be for them: never reported
    assert "E501" not in proc.stdout and ":27:" not in proc.stdout and ":28:" not in proc.stdout


def test_flake8_applies_the_pylint_comment(tmp_path: Path) -> None:
    pytest.importorskip("flake8")
    write(tmp_path, "app.py", SOURCE)
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "AWS,AWS302", "--format", "%(row)d %(code)s", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert proc.stdout.split("\n")[:-1] == ["16 AWS301", "21 AWS301"]


def test_pylint_applies_noqa(tmp_path: Path) -> None:
    pytest.importorskip("pylint")
    write(tmp_path, "app.py", SOURCE)
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=pylint_awslint", "--disable=all",
         "--enable=mutated-mutable-default", "--score=n", "--msg-template={line} {symbol}", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert [line for line in proc.stdout.splitlines() if not line.startswith("*")] == [
        "16 mutated-mutable-default",
        "21 mutated-mutable-default",
    ]
