"""The resource options through every front end: flake8 flags, pylint options and `[tool.awslint]`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

SOURCE = '''\
import mylib


def fetch(dsn):
    conn = mylib.connect(dsn)
    rows = conn.query("SELECT 1")
    mylib.give_back(conn)
    return rows


def fetch_unreleased(dsn):
    conn = mylib.connect(dsn)
    return conn.query("SELECT 1")
'''

AWS102 = "`conn` opened at line 5 is not closed when `conn.query()` raises at line 6; use `with` or close it in `finally`"
AWS101 = (
    "`conn` opened at line 12 is not closed on the path through the `return` at line 13; "
    "use `with` or close it in `finally`"
)


def run(args: list[str], cwd: Path) -> str:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120).stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_flake8_options(project: Path) -> None:
    flake8 = BIN / "flake8"
    if not flake8.exists():
        pytest.skip("flake8 is not installed in this environment")
    options = ["--aws-resource-factories", "mylib.connect", "--aws-release-functions", "mylib.give_back"]
    out = run([str(flake8), "--isolated", "--select", "AWS", *options, "m.py"], project)
    assert out.splitlines() == [f"m.py:5:12: AWS102 {AWS102}", f"m.py:12:12: AWS101 {AWS101}"]
    assert run([str(flake8), "--isolated", "--select", "AWS", "m.py"], project) == ""


def test_pylint_options(project: Path) -> None:
    pylint = BIN / "pylint"
    if not pylint.exists():
        pytest.skip("pylint is not installed in this environment")
    out = run(
        [
            str(pylint), "--load-plugins=pylint_awslint", "--disable=all",
            "--enable=resource-not-closed,resource-leak-on-exception", "--score=n",
            "--msg-template={line}:{column}: {msg_id} {msg}",
            "--aws-resource-factories=mylib.connect", "--aws-release-functions=mylib.give_back", "m.py",
        ],
        project,
    )
    assert [line for line in out.splitlines() if not line.startswith("*")] == [
        f"5:11: W7312 {AWS102}",
        f"12:11: W7311 {AWS101}",
    ]


def test_pyproject_options(project: Path) -> None:
    awslint = BIN / "awslint"
    if not awslint.exists():
        pytest.skip("the awslint command is not installed in this environment")
    (project / "pyproject.toml").write_text(
        '[tool.awslint]\nresource-factories = ["mylib.connect"]\nrelease-functions = ["mylib.give_back"]\n',
        encoding="utf-8",
    )
    out = run([str(awslint), "m.py"], project)
    assert out.splitlines() == [f"m.py:5:12: AWS102 {AWS102}", f"m.py:12:12: AWS101 {AWS101}"]
