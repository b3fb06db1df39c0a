"""The command's conventions, as ruff and flake8 have them (issue 11, items 3 and 4), through the real
command: selection that extends, configuration keys, what a walk skips, stdin names, `--exit-zero`
with files that do not parse, streamed output, progress, summary, statistics, source, colour and
GitHub annotations."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SEED, awslint_command, run_awslint, write

MUTATED = "def f(seen=[]):\n    seen.append(1)\n    return seen\n"
UNUSED = "def g(names=[]):\n    return len(names)\n"
LEAK = "def read(p):\n    f = open(p)\n    data = f.read()\n    return data\n"


def codes(text: str) -> list[str]:
    return [line.split(" ")[0] + " " + line.split(" ")[1] for line in text.splitlines()]


# --- selection ------------------------------------------------------------------------------------


def test_extend_select_adds_to_the_defaults(tmp_path: Path) -> None:
    write(tmp_path, "app.py", MUTATED + UNUSED + LEAK)
    proc = run_awslint("--extend-select", "AWS302", "app.py", cwd=tmp_path)
    assert codes(proc.stdout) == ["app.py:1:12: AWS301", "app.py:4:13: AWS302", "app.py:7:9: AWS101"]


def test_extend_select_in_the_table_and_extend_ignore_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, "app.py", MUTATED + UNUSED + LEAK)
    write(tmp_path, "pyproject.toml", '[tool.awslint]\nextend-select = ["AWS302"]\n')
    proc = run_awslint("--extend-ignore", "AWS1", "app.py", cwd=tmp_path)
    assert codes(proc.stdout) == ["app.py:1:12: AWS301", "app.py:4:13: AWS302"]


def test_extend_select_adds_to_a_configured_select(tmp_path: Path) -> None:
    write(tmp_path, "app.py", MUTATED + UNUSED + LEAK)
    write(tmp_path, "pyproject.toml", '[tool.awslint]\nselect = ["AWS1"]\n')
    proc = run_awslint("--extend-select", "AWS301", "app.py", cwd=tmp_path)
    assert codes(proc.stdout) == ["app.py:1:12: AWS301", "app.py:7:9: AWS101"]


def test_per_file_ignores_exclude_and_extend_exclude_in_the_table(tmp_path: Path) -> None:
    for name in ("src/app.py", "tests/test_app.py", "generated/out.py", "legacy/old.py"):
        write(tmp_path, name, MUTATED)
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.awslint]\nexclude = ["generated"]\nextend-exclude = ["legacy/*.py"]\n'
        '[tool.awslint.per-file-ignores]\n"tests/*" = ["AWS3"]\n',
    )
    proc = run_awslint(".", cwd=tmp_path)
    assert codes(proc.stdout) == [f".{os.sep}src{os.sep}app.py:1:12: AWS301"]


# --- what a walk skips ----------------------------------------------------------------------------


def test_gitignore_is_respected_and_site_packages_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".gitignore", "build_out/\n*.gen.py\n!keep.gen.py\n/rooted.py\n")
    for name in ("app.py", "build_out/x.py", "a.gen.py", "keep.gen.py", "rooted.py", "sub/rooted.py",
                 "lib/python3.11/site-packages/pkg/mod.py", "env/bin/tool.py"):
        write(tmp_path, name, MUTATED)
    write(tmp_path, "env/pyvenv.cfg", "home = /usr\n")
    proc = run_awslint("--select", "AWS3", ".", cwd=tmp_path)
    shown = sorted(line.split(":")[0] for line in proc.stdout.splitlines())
    assert shown == [os.path.join(".", n) for n in ("app.py", "keep.gen.py", os.path.join("sub", "rooted.py"))]
    proc = run_awslint("--select", "AWS3", "--no-respect-gitignore", ".", cwd=tmp_path)
    assert len(proc.stdout.splitlines()) == 6  # still no site-packages and no virtual environment


def test_a_nested_gitignore_applies_below_its_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "pkg/.gitignore", "local_*.py\n")
    write(tmp_path, "pkg/local_x.py", MUTATED)
    write(tmp_path, "local_y.py", MUTATED)
    proc = run_awslint("--select", "AWS3", ".", cwd=tmp_path)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == [os.path.join(".", "local_y.py")]


# --- stdin ----------------------------------------------------------------------------------------


def test_stdin_display_name_is_flake8s_spelling(tmp_path: Path) -> None:
    proc = run_awslint("--select", "AWS3", "--stdin-display-name", "src/app.py", "-", cwd=tmp_path, stdin=MUTATED)
    assert codes(proc.stdout) == ["src/app.py:1:12: AWS301"]


# --- --exit-zero and files that do not parse ------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    write(tmp_path, "app.py", MUTATED)
    write(tmp_path, "broken.py", "x = 1\n\ndef f(:\n    pass\n")
    return tmp_path


def test_exit_zero_exits_0_with_files_that_do_not_parse(broken: Path) -> None:
    proc = run_awslint("--select", "AWS3", "--exit-zero", ".", cwd=broken)
    assert proc.returncode == 0
    assert proc.stderr.splitlines()[0] == f".{os.sep}broken.py: error: cannot parse: invalid syntax (line 3, column 7)"
    assert codes(proc.stdout) == [f".{os.sep}app.py:1:12: AWS301"]


def test_json_lists_files_that_do_not_parse_as_errors(broken: Path) -> None:
    proc = run_awslint("--select", "AWS3", "--exit-zero", "--format", "json", ".", cwd=broken)
    items = json.loads(proc.stdout)
    assert [i["kind"] for i in items] == ["finding", "error"]
    assert items[1] == {
        "kind": "error",
        "path": f".{os.sep}broken.py",
        "line": 3,
        "column": 7,
        "code": None,
        "name": None,
        "message": "cannot parse: invalid syntax (line 3, column 7)",
    }


def test_sarif_puts_a_parse_error_at_its_line(broken: Path) -> None:
    proc = run_awslint("--select", "AWS3", "--exit-zero", "--format", "sarif", ".", cwd=broken)
    assert proc.returncode == 0
    (notification,) = json.loads(proc.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    location = notification["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken.py"
    assert location["region"] == {"startLine": 3, "startColumn": 7}


# --- feedback -------------------------------------------------------------------------------------


def test_output_is_in_path_order_whatever_the_order_given_or_jobs(tmp_path: Path) -> None:
    for i in range(30):
        write(tmp_path, f"pkg/m{i:02}.py", MUTATED)
    names = [f"pkg/m{i:02}.py" for i in range(30)]
    forward = run_awslint("--select", "AWS3", "--no-cache", "-j", "1", *names, cwd=tmp_path).stdout
    backward = run_awslint("--select", "AWS3", "--no-cache", "-j", "2", *reversed(names), cwd=tmp_path).stdout
    assert forward == backward
    assert [line.split(":")[0] for line in forward.splitlines()] == names


def test_summary_statistics_and_source(tmp_path: Path) -> None:
    write(tmp_path, "a.py", MUTATED + LEAK)
    write(tmp_path, "b.py", MUTATED)
    write(tmp_path, "c.py", "def f(:\n")
    proc = run_awslint("--statistics", "--show-source", ".", cwd=tmp_path)
    a, b = os.path.join(".", "a.py"), os.path.join(".", "b.py")
    assert proc.stdout.splitlines() == [
        f"{a}:1:12: AWS301 " + proc.stdout.splitlines()[0].split(" AWS301 ")[1],
        "def f(seen=[]):",
        "           ^^",
        f"{a}:5:9: AWS101 " + proc.stdout.splitlines()[3].split(" AWS101 ")[1],
        "    f = open(p)",
        "        ^^^^^^^",
        f"{b}:1:12: AWS301 " + proc.stdout.splitlines()[6].split(" AWS301 ")[1],
        "def f(seen=[]):",
        "           ^^",
        "2      AWS301  mutated-mutable-default",
        "1      AWS101  resource-not-closed",
    ]
    assert proc.stderr.splitlines()[-1] == "Found 3 findings in 2 files; 1 file could not be parsed"


def test_colour_always_never_and_no_color(tmp_path: Path) -> None:
    write(tmp_path, "a.py", MUTATED)
    coloured = run_awslint("--color", "always", "a.py", cwd=tmp_path).stdout
    assert coloured.startswith("\x1b[1ma.py:1:12\x1b[0m: \x1b[1;31mAWS301\x1b[0m mutable default")
    assert "\x1b[" not in run_awslint("--color", "never", "a.py", cwd=tmp_path).stdout
    assert "\x1b[" not in run_awslint("a.py", cwd=tmp_path).stdout  # not a terminal: auto is off


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[str, str]:
    """Run the command with stdout and stderr on pseudo-terminals; what each showed."""
    import pty
    import select

    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    proc = subprocess.Popen([*awslint_command(), *args], cwd=cwd, stdout=out_slave, stderr=err_slave, env=env)
    os.close(out_slave)
    os.close(err_slave)
    chunks: dict[int, bytes] = {out_master: b"", err_master: b""}
    open_fds = [out_master, err_master]
    while open_fds:
        ready, _, _ = select.select(open_fds, [], [], 60)
        if not ready:
            break
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                open_fds.remove(fd)
            else:
                chunks[fd] += data
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return chunks[out_master].decode(), chunks[err_master].decode()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_colour_and_progress(tmp_path: Path) -> None:
    body = SEED * 40
    for i in range(150):
        write(tmp_path, f"pkg/m{i:03}.py", body)
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    out, err = _on_a_terminal(["--select", "AWS3", "--no-cache", "-j", "1", "pkg"], tmp_path, env)
    assert "\x1b[1;31mAWS301\x1b[0m" in out
    assert "awslint: checked " in err and "/150 files" in err  # the run took more than a second
    assert err.rstrip().endswith("Found 6000 findings in 150 files")
    out, _ = _on_a_terminal(["--select", "AWS3", "pkg/m000.py"], tmp_path, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in out


def test_github_annotations(tmp_path: Path) -> None:
    write(tmp_path, "a.py", MUTATED)
    write(tmp_path, "b.py", "def f(:\n")
    proc = run_awslint("--format", "github", "--exit-zero", ".", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(
        f"::warning file=.{os.sep}a.py,line=1,col=12,endLine=1,endColumn=14,title=AWS301 mutated-mutable-default::"
        "mutable default `seen` is changed by `.append()` at line 2"
    )
    assert lines[1] == f"::error file=.{os.sep}b.py,line=1,col=7,title=awslint::cannot parse: invalid syntax (line 1, column 7)"


# --- no limit is silent ---------------------------------------------------------------------------


@pytest.mark.slow
def test_what_an_analysis_gave_up_on_is_said(tmp_path: Path) -> None:
    write(tmp_path, "big.py", "x = 1\n" * 1_000_001)
    write(tmp_path, "app.py", MUTATED)
    quiet = run_awslint("--select", "AWS3", ".", cwd=tmp_path)
    assert "note:" not in quiet.stderr
    verbose = run_awslint("--select", "AWS3", "-v", ".", cwd=tmp_path)
    assert f".{os.sep}big.py:1: note: awslint: not analysed: 1,000,001 lines is more than 1,000,000" in verbose.stderr
    items = json.loads(run_awslint("--select", "AWS3", "--format", "json", ".", cwd=tmp_path).stdout)
    assert [(i["kind"], i["path"]) for i in items] == [("finding", f".{os.sep}app.py"), ("notice", f".{os.sep}big.py")]
    log = json.loads(run_awslint("--select", "AWS3", "--format", "sarif", ".", cwd=tmp_path).stdout)
    (note,) = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "note" and "1,000,001 lines" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "big.py"
    # the cache keeps notices too
    again = run_awslint("--select", "AWS3", "-v", ".", cwd=tmp_path)
    assert again.stderr == verbose.stderr
