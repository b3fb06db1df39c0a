"""No crash on the inputs issue 11 lists (item 7): each a one-line error and exit 2, other files still
reported; `--fix` never writes through a symlink out of the tree; lines as Python counts them in every
front end and report."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_awslint, write

MUTATED = "def f(seen=[]):\n    seen.append(1)\n    return seen\n"


def one_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    return line


def test_tool_is_not_a_table(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", 'tool = "x"\n')
    write(tmp_path, "app.py", MUTATED)
    assert one_error(run_awslint("app.py", cwd=tmp_path)) == (
        f"awslint: error: {tmp_path / 'pyproject.toml'}: `tool` must be a table, got 'x'"
    )


def test_tool_awslint_is_not_a_table(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool]\nawslint = ["AWS1"]\n')
    write(tmp_path, "app.py", MUTATED)
    assert one_error(run_awslint("app.py", cwd=tmp_path)).endswith("[tool.awslint] must be a table, got ['AWS1']")


def test_a_deeply_nested_toml_array(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.awslint]\nselect = " + "[" * 1000 + "]" * 1000 + "\n")
    write(tmp_path, "app.py", MUTATED)
    line = one_error(run_awslint("app.py", cwd=tmp_path))
    assert line.startswith("awslint: error: ") and "pyproject.toml" in line


def test_a_broken_pyproject_deeper_in_the_tree_costs_only_its_files(tmp_path: Path) -> None:
    write(tmp_path, "good/app.py", MUTATED)
    write(tmp_path, "bad/pyproject.toml", 'tool = "x"\n')
    write(tmp_path, "bad/app.py", MUTATED)
    proc = run_awslint("--select", "AWS3", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.startswith(f".{os.sep}good{os.sep}app.py:1:12: AWS301")
    assert proc.stderr.splitlines()[0].startswith(f".{os.sep}bad{os.sep}app.py: error: ")


@pytest.mark.parametrize(
    "body",
    [
        '{"tool": "awslint", "version": 1, "findings": ' + "[" * 1000 + "]" * 1000 + "}",
        "[" * 100_000 + "]" * 100_000,
        '{"tool": "awslint", "version": 1, "findings": [' + "[" * 500 + "]" * 500 + "]}",
        '{"tool": "awslint", "version": ' + "[" * 900 + "]" * 900 + ', "findings": []}',
    ],
)
def test_a_deeply_nested_baseline(tmp_path: Path, body: str) -> None:
    write(tmp_path, "b.json", body)
    write(tmp_path, "app.py", MUTATED)
    line = one_error(run_awslint("--baseline", "b.json", "app.py", cwd=tmp_path))
    assert line.startswith("awslint: error: b.json: ") and len(line) < 200


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names must be free bytes")
def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text(MUTATED)
    write(tmp_path, "good.py", MUTATED)
    text = run_awslint("--select", "AWS3", ".", cwd=tmp_path)
    assert text.returncode == 1
    assert [line.split(":")[0] for line in text.stdout.splitlines()] == [f".{os.sep}bad\ufffd.py", f".{os.sep}good.py"]
    sarif = run_awslint("--select", "AWS3", "--format", "sarif", ".", cwd=tmp_path)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(sarif.stdout)["runs"][0]["results"]]
    assert uris == ["bad%FF.py", "good.py"]
    written = run_awslint("--select", "AWS3", "--write-baseline", "b.json", ".", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert run_awslint("--select", "AWS3", "--baseline", "b.json", ".", cwd=tmp_path).returncode == 0
    assert len(run_awslint("--select", "AWS3", "--format", "json", ".", cwd=tmp_path).stdout.split('"kind"')) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX names")
def test_sarif_uris_of_names_that_look_like_uri_syntax(tmp_path: Path) -> None:
    for name in ("a:b.py", "file:x.py", "back\\slash.py", "sp ace#1.py"):
        write(tmp_path, name, MUTATED)
    log = json.loads(run_awslint("--select", "AWS3", "--format", "sarif", ".", cwd=tmp_path).stdout)
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert artifacts == [
        {"uri": "a%3Ab.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "back%5Cslash.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "file%3Ax.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "sp%20ace%231.py", "uriBaseId": "%SRCROOT%"},
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges there")
def test_fix_never_writes_through_a_symlink_out_of_the_tree(tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/lib.py", MUTATED)
    write(tmp_path, "proj/inside.py", MUTATED)
    os.symlink(outside, tmp_path / "proj" / "link.py")
    os.symlink(tmp_path / "proj" / "inside.py", tmp_path / "proj" / "alias.py")
    proc = run_awslint("--select", "AWS3", "--fix", ".", cwd=tmp_path / "proj")
    assert outside.read_text() == MUTATED
    assert proc.returncode == 2
    assert f".{os.sep}link.py: error: not fixed: it is a symlink to {outside}, outside the tree being fixed" in proc.stderr
    assert "seen=None" in (tmp_path / "proj" / "inside.py").read_text()  # a link inside the tree is fine
    proc = run_awslint("--select", "AWS3", "--fix", "link.py", cwd=tmp_path / "proj")
    assert outside.read_text() == MUTATED and proc.returncode == 2


LINE_ENDS_THAT_ARE_NOT = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("char", LINE_ENDS_THAT_ARE_NOT, ids=[hex(ord(c)) for c in LINE_ENDS_THAT_ARE_NOT])
def test_lines_are_counted_as_python_counts_them(tmp_path: Path, char: str) -> None:
    source = f'NOTE = "a{char}b"  # {char} here\n' + MUTATED
    write(tmp_path, "app.py", source)
    text = run_awslint("--select", "AWS3", "--show-source", "app.py", cwd=tmp_path)
    lines = text.stdout.splitlines()
    assert lines[0].startswith("app.py:2:12: AWS301 ")
    assert "def f(seen=[]):" in text.stdout.split("\n")[1]
    (item,) = json.loads(run_awslint("--select", "AWS3", "--format", "json", "app.py", cwd=tmp_path).stdout)
    assert (item["line"], item["column"]) == (2, 12)
    log = json.loads(run_awslint("--select", "AWS3", "--format", "sarif", "app.py", cwd=tmp_path).stdout)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    # the fingerprint hashes the flagged line itself: the same as for the file without the character
    write(tmp_path, "plain/app.py", 'NOTE = "ab"\n' + MUTATED)
    (plain,) = json.loads(run_awslint("--select", "AWS3", "--format", "json", "app.py", cwd=tmp_path / "plain").stdout)
    assert item["fingerprint"] == plain["fingerprint"]


@pytest.mark.parametrize("char", ["\x0c", "\u2028"])
def test_plugins_count_lines_as_python(tmp_path: Path, char: str) -> None:
    pytest.importorskip("flake8")
    pytest.importorskip("pylint")
    write(tmp_path, "app.py", f'NOTE = "a{char}b"\n' + MUTATED)
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "AWS", "--format", "%(row)d:%(col)d %(code)s", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert flake8.stdout.splitlines() == ["2:12 AWS301"]
    pylint = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=pylint_awslint", "--disable=all",
         "--enable=mutated-mutable-default", "--score=n", "--msg-template={line}:{column} {symbol}", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert [line for line in pylint.stdout.splitlines() if not line.startswith("*")] == ["2:11 mutated-mutable-default"]
