"""One configuration for three front ends (issue 11, item 2): `[tool.awslint]` reaches flake8 and pylint,
their own spellings override it, and a bad value is one line naming the option and the value, exit 2,
in every front end, with no traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_awslint, write

SOURCE = '''\
import mylib


def work(dsn):
    conn = mylib.connect(dsn)
    conn.execute("x")
    mylib.finish(conn)
'''
TABLE = '[tool.awslint]\nresource-factories = ["mylib.connect"]\nrelease-functions = ["mylib.finish"]\n'
FACTORY = "'@@@' is not a dotted name (`mylib.connect`), `Class.method`, or `.method` for a method of any receiver"


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("flake8")
    return run([sys.executable, "-m", "flake8", "--select", "AWS", "--format", "%(row)d %(code)s", *args, "app.py"], cwd)


def pylint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("pylint")
    return run(
        [sys.executable, "-m", "pylint", "--load-plugins=pylint_awslint", "--disable=all",
         "--enable=resource-leak-on-exception", "--score=n", "--msg-template={line} {msg_id}", *args, "app.py"],
        cwd,
    )


def pylint_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stdout.splitlines() if not line.startswith("*")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, "app.py", SOURCE)
    write(tmp_path, "pyproject.toml", TABLE)
    return tmp_path


def test_tool_awslint_reaches_flake8(project: Path) -> None:
    assert flake8(project).stdout.splitlines() == ["5 AWS102"]


def test_tool_awslint_reaches_pylint(project: Path) -> None:
    assert pylint_lines(pylint(project)) == ["5 W7312"]


def test_flake8_spelling_overrides_tool_awslint(project: Path) -> None:
    # another factory: the table's `mylib.connect` no longer makes a resource
    assert flake8(project, "--aws-resource-factories=other.connect").stdout.splitlines() == []


def test_pylint_spelling_overrides_tool_awslint(project: Path) -> None:
    proc = pylint(project, "--aws-resource-factories=other.connect")
    assert pylint_lines(proc) == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('resource-factories = ["@@@"]', f"resource-factories: {FACTORY}"),
        ('taint-sinks = ["a.b:nope"]', "taint-sinks: 'a.b:nope' is not a dotted name with an optional kind"),
        ('ignore = ["AWS999"]', "ignore: AWS999 is not a code or prefix of one"),
        ('select = ["XYZ"]', "select: XYZ is not a code or prefix of one"),
        ('per-file-ignores = { "tests/*" = ["AWS9"] }', "per-file-ignores 'tests/*': AWS9 is not a code"),
        ("resource-factories = 5", "resource-factories: expected a list of strings, got 5"),
    ],
)
def test_bad_values_in_the_table_stop_every_front_end(tmp_path: Path, table: str, message: str) -> None:
    write(tmp_path, "app.py", SOURCE)
    write(tmp_path, "pyproject.toml", f"[tool.awslint]\n{table}\n")
    proc = run_awslint("app.py", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("awslint: error: ") and message in line, line
    if "select" in table or "ignore" in table:
        return  # flake8 and pylint choose codes themselves; the table's select/ignore are the command's
    for proc in (flake8(tmp_path), pylint(tmp_path)):
        assert proc.returncode == 2
        (line,) = proc.stderr.strip().splitlines()
        assert line.endswith(message) or message in line, line


@pytest.mark.parametrize(
    ("front_end", "args", "message"),
    [
        ("awslint", ["--resource-factories", "@@@"], f"awslint: error: --resource-factories: {FACTORY}"),
        ("awslint", ["--taint-sinks", "a.b:nope"], "awslint: error: --taint-sinks: 'a.b:nope' is not a dotted name"),
        ("awslint", ["--ignore", "AWS999"], "awslint: error: --ignore: AWS999 is not a code or prefix of one"),
        ("flake8", ["--aws-resource-factories", "@@@"], f"flake8-awslint: error: --aws-resource-factories: {FACTORY}"),
        ("flake8", ["--aws-taint-sinks", "a.b:nope"], "flake8-awslint: error: --aws-taint-sinks: 'a.b:nope'"),
        ("pylint", ["--aws-release-functions", "x..y"], "pylint-awslint: error: aws-release-functions: 'x..y'"),
    ],
)
def test_bad_values_on_the_command_line(tmp_path: Path, front_end: str, args: list[str], message: str) -> None:
    write(tmp_path, "app.py", SOURCE)
    if front_end == "awslint":
        proc = run_awslint(*args, "app.py", cwd=tmp_path)
    elif front_end == "flake8":
        proc = flake8(tmp_path, *args)
    else:
        proc = pylint(tmp_path, *args)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(message), line


def test_pylint_table_value_of_the_wrong_type(tmp_path: Path) -> None:
    write(tmp_path, "app.py", SOURCE)
    write(tmp_path, "pyproject.toml", "[tool.pylint.awslint]\naws-resource-factories = 5\n")
    proc = pylint(tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "pylint-awslint: error: aws-resource-factories: '5' is not a dotted name (`mylib.connect`), "
        "`Class.method`, or `.method` for a method of any receiver"
    ]


def test_method_factories_are_accepted_and_passed_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from awslint import cli

    seen = []
    monkeypatch.chdir(tmp_path)
    from awslint.checker import Analysis

    monkeypatch.setattr(cli, "analyse_tree", lambda tree, lines, filename, config: seen.append(config) or Analysis(()))
    write(tmp_path, "app.py", SOURCE)
    write(tmp_path, "pyproject.toml", '[tool.awslint]\nresource-factories = ["Pool.getconn", ".connect"]\n')
    assert cli.main(["--no-cache", "app.py"]) == 0
    assert cli.main(["--no-cache", "--resource-factories", "psycopg2.pool.SimpleConnectionPool.getconn", "app.py"]) == 0
    assert [c.option("resource-factories") for c in seen] == [
        ("Pool.getconn", ".connect"),
        ("psycopg2.pool.SimpleConnectionPool.getconn",),
    ]
