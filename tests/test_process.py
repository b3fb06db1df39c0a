"""Processes left hanging: AWS105 (not killed on timeout) and AWS106 (wait() on an unread pipe)."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from awslint import Config
from awslint.analysis.names import Names
from awslint.analysis.processes import detached, piped_streams, timeout_of
from conftest import FIXTURES, assert_labels, expected, findings, reported
from helpers import labelled_cases

PROCESS_CASES = sorted((FIXTURES / "process").glob("*.py"))
LABELLED = labelled_cases("process")  # tests/fixtures/process/<behaviour>/


@pytest.mark.parametrize("path", PROCESS_CASES, ids=[p.name for p in PROCESS_CASES])
def test_fixture_labels(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    # (the resource rules judge the same processes as resources; their findings are theirs to test)
    for code in ("AWS105", "AWS106"):
        assert reported(source, code) == expected(source, code), code


def test_there_are_labelled_cases() -> None:
    assert len(LABELLED) >= 8


@pytest.mark.parametrize("path", LABELLED, ids=[p.name for p in LABELLED])
def test_labelled_case_with_every_rule(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS")


def _only(source: str, code: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.col, f.message) for f in findings(source) if f.code == code]


HANDLED = """
import subprocess

def status(unit):
    with subprocess.Popen(["systemctl", "status", unit], stdout=subprocess.PIPE) as proc:
        try:
            out, _ = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            return None
    return out
"""


def test_message_of_a_handled_timeout() -> None:
    assert _only(HANDLED, "AWS105") == [(
        7, 21,
        "`proc` is left running when `communicate()` times out at line 7 (handled at line 8); "
        "call `proc.kill()` and then `proc.communicate()` in the handler",
    )]


def test_witness_path_of_a_handled_timeout() -> None:
    (finding,) = [f for f in findings(HANDLED) if f.code == "AWS105"]
    assert [(s.line, s.note) for s in finding.path] == [
        (7, "`communicate()` raises `TimeoutExpired` here"),
        (8, "the timeout is handled here"),
        (9, "`return`"),
        (9, "the function returns with `proc` still running"),
    ]


def test_message_of_a_timeout_that_leaves_the_function() -> None:
    source = """
    from subprocess import Popen

    def install(pkg):
        child = Popen(["apt-get", "install", "-y", pkg])
        return child.wait(timeout=600)
    """
    assert _only(source, "AWS105") == [(
        6, 11,
        "`child` is left running when `wait()` times out at line 6; call `child.kill()` and then "
        "`child.communicate()` in an `except subprocess.TimeoutExpired:` handler",
    )]


def test_message_says_the_builtin_timeout_error_does_not_catch_it() -> None:
    source = """
    import subprocess

    def convert(cmd):
        proc = subprocess.Popen(cmd)
        try:
            return proc.wait(timeout=60)
        except TimeoutError:
            proc.kill()
            return None
    """
    assert _only(source, "AWS105") == [(
        7, 15,
        "`proc` is left running when `wait()` times out at line 7; call `proc.kill()` and then "
        "`proc.communicate()` in an `except subprocess.TimeoutExpired:` handler "
        "(the `except TimeoutError:` at line 8 does not catch it)",
    )]


def test_message_names_the_alias_the_call_uses() -> None:
    source = """
    import subprocess

    def run(cmd):
        started = subprocess.Popen(cmd)
        proc = started
        try:
            return proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            return None
    """
    assert [m for _, _, m in _only(source, "AWS105")] == [
        "`proc` is left running when `wait()` times out at line 8 (handled at line 9); "
        "call `proc.kill()` and then `proc.communicate()` in the handler"
    ]


def test_messages_of_unread_pipes() -> None:
    source = """
    import subprocess

    def never_read(cmd):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        proc.wait()
        return proc.stdout.read()

    def both(cmd):
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.wait()

    def first_line(cmd):
        with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
            line = proc.stdout.readline()
            proc.wait()
        return line

    def inline(cmd):
        return subprocess.Popen(cmd, stdout=subprocess.PIPE).wait()
    """
    assert _only(source, "AWS106") == [
        (6, 4, "`proc.wait()` at line 6 can deadlock: `proc.stdout` is a pipe nobody reads; use `proc.communicate()`"),
        (11, 11, "`p.wait()` at line 11 can deadlock: `p.stdout` and `p.stderr` are pipes nobody reads; "
                 "use `p.communicate()`"),
        (16, 8, "`proc.wait()` at line 16 can deadlock: `proc.stdout` is a pipe not read to its end; "
                "use `proc.communicate()`"),
        (20, 11, "`subprocess.Popen(...).wait()` at line 20 can deadlock: its stdout is a pipe nobody reads; "
                 "use `subprocess.Popen(...).communicate()`"),
    ]


@pytest.mark.parametrize(
    "handler",
    ["subprocess.TimeoutExpired", "subprocess.SubprocessError", "Exception", "BaseException",
     "(OSError, subprocess.TimeoutExpired)", "TimeoutExpired"],
)
def test_every_handler_that_catches_the_timeout(handler: str) -> None:
    source = f"""
    import subprocess
    from subprocess import TimeoutExpired

    def run(cmd):
        with subprocess.Popen(cmd) as proc:
            try:
                return proc.wait(timeout=5)  # expect: AWS105
            except {handler}:
                return None
    """
    assert_labels(source, "AWS105")
    (finding,) = [f for f in findings(source) if f.code == "AWS105"]
    assert "(handled at line 9)" in finding.message


@pytest.mark.parametrize(
    "release",
    ["proc.kill()", "proc.terminate()", "proc.send_signal(signal.SIGINT)", "os.kill(proc.pid, signal.SIGKILL)",
     "os.killpg(os.getpgid(proc.pid), signal.SIGTERM)", "kill_tree(proc.pid)", "stop_child(proc)",
     "return proc", "self.stuck.append(proc)"],
)
def test_every_way_of_stopping_or_handing_over_the_child_is_silent(release: str) -> None:
    source = f"""
    import os
    import signal
    import subprocess

    def run(self, cmd):
        with subprocess.Popen(cmd) as proc:
            try:
                return proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                {release}
    """
    assert reported(source, "AWS105") == set()


def test_a_log_line_with_the_pid_does_not_stop_the_child() -> None:
    source = """
    import logging
    import subprocess

    def run(cmd):
        with subprocess.Popen(cmd) as proc:
            try:
                return proc.wait(timeout=5)  # expect: AWS105
            except subprocess.TimeoutExpired:
                logging.warning("pid %d hung", proc.pid)
                print(f"pid {proc.pid} hung")
    """
    assert_labels(source, "AWS105")


def test_suppressing_the_timeout_is_catching_it() -> None:
    source = """
    import contextlib
    import subprocess

    def run(cmd):
        proc = subprocess.Popen(cmd)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)  # expect: AWS105
        return None
    """
    assert_labels(source, "AWS105")


def test_a_handler_that_waits_without_killing_is_reported_there() -> None:
    source = """
    import subprocess

    def run(cmd):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        try:
            out, _ = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            out, _ = proc.communicate()
        return out
    """
    (finding,) = [f for f in findings(source) if f.code == "AWS105"]
    assert finding.line == 7
    assert finding.path[-1].line == 9 and finding.path[-1].note == "this waits for `proc`, which nothing stopped"


def test_timeouts_judged_one_call_at_a_time() -> None:
    source = """
    import subprocess

    def stop(cmd):
        proc = subprocess.Popen(cmd)
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.send_signal(15)
            proc.wait(timeout=5)  # expect: AWS105

    def stop_for_sure(cmd):
        proc = subprocess.Popen(cmd)
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)  # after SIGKILL the timeout guards against the impossible
    """
    assert_labels(source, "AWS105")


def test_only_the_selected_rule_reports() -> None:
    source = """
    import subprocess

    def run(cmd):
        with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
            return proc.wait(timeout=5)
    """
    assert reported(source, "AWS10", Config(select=("AWS105",))) == {(6, "AWS105")}
    assert reported(source, "AWS10", Config(select=("AWS106",))) == {(6, "AWS106")}
    assert reported(source, "AWS10", Config(select=("AWS1",), ignore=("AWS105", "AWS106"))) == set()


def test_reported_in_test_code_too() -> None:
    source = """
    import subprocess

    def test_server_starts():
        server = subprocess.Popen(["./server"], stdout=subprocess.PIPE)
        server.wait()  # expect: AWS106
    """
    assert reported(textwrap.dedent(source), "AWS106") == expected(textwrap.dedent(source), "AWS106")
    assert [f.code for f in findings(source, filename="tests/test_server.py") if f.code == "AWS106"] == ["AWS106"]


def test_module_level_processes_and_unknown_names_are_left_alone() -> None:
    source = """
    import subprocess

    proc = subprocess.Popen(["make"], stdout=subprocess.PIPE)
    proc.wait()

    def restart(self):
        self.proc = subprocess.Popen(["server"], stdout=subprocess.PIPE)
        self.proc.wait(timeout=5)

    def either(cmd, proc=None):
        proc = proc or subprocess.Popen(cmd, stdout=subprocess.PIPE)
        proc.wait(timeout=5)
    """
    assert reported(source, "AWS105") == set() and reported(source, "AWS106") == set()


def _call(text: str) -> ast.Call:
    tree = ast.parse(textwrap.dedent(text))
    return next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == len(tree.body))


def _names(text: str) -> Names:
    tree = ast.parse(textwrap.dedent(text))
    return Names(tree, [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))])


@pytest.mark.parametrize(
    ("text", "pipes"),
    [
        ("import subprocess\nsubprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)", ("stdout",)),
        ("import subprocess as sp\nsp.Popen(c, stdout=sp.PIPE, stderr=sp.PIPE)", ("stdout", "stderr")),
        ("from subprocess import PIPE, Popen\nPopen(c, stderr=PIPE)", ("stderr",)),
        ("from subprocess import DEVNULL, Popen\nPopen(c, stdout=DEVNULL, stderr=DEVNULL)", ()),
        ("from subprocess import Popen\nPIPE = -1\nPopen(c, stdout=PIPE)", ()),
        ("from subprocess import Popen, PIPE\nPopen(c, -1, None, None, PIPE, PIPE)", ("stdout", "stderr")),
    ],
)
def test_piped_streams_resolve_through_imports(text: str, pipes: tuple[str, ...]) -> None:
    assert piped_streams(_call(text), _names(text)) == pipes


@pytest.mark.parametrize(
    ("text", "has_timeout"),
    [
        ("p.wait(timeout=5)", True), ("p.wait(5)", True), ("p.wait()", False), ("p.wait(timeout=None)", False),
        ("p.communicate(b'x', 5)", True), ("p.communicate(b'x')", False), ("p.communicate(timeout=t)", True),
        ("p.poll()", False),
    ],
)
def test_timeout_of(text: str, has_timeout: bool) -> None:
    assert (timeout_of(_call(text)) is not None) == has_timeout


@pytest.mark.parametrize(
    ("text", "expected_detached"),
    [
        ("import subprocess\nsubprocess.Popen(c, start_new_session=True)", True),
        ("import os, subprocess\nsubprocess.Popen(c, preexec_fn=os.setsid)", True),
        ("import subprocess\nsubprocess.Popen(c, creationflags=subprocess.DETACHED_PROCESS)", True),
        ("import subprocess\nsubprocess.Popen(c, start_new_session=False)", False),
        ("import subprocess\nsubprocess.Popen(c)", False),
    ],
)
def test_detached_children(text: str, expected_detached: bool) -> None:
    assert detached(_call(text), _names(text)) == expected_detached


READ_LOOP = """
import subprocess

def follow(cmd):
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as proc:
{loop}
        return proc.wait()
"""


@pytest.mark.parametrize(("loop", "stops_early"), [
    # stops only once a read comes back empty, or once the child has ended: drained
    ("        while True:\n            line = proc.stdout.readline()\n            if not line:\n                break", False),
    ("        while True:\n            line = proc.stdout.readline()\n"
     "            if line == '' and proc.poll() is not None:\n                break", False),
    ("        while (line := proc.stdout.readline()):\n            print(line)", False),
    ("        while True:\n            line = proc.stdout.readline()\n            if line:\n                print(line)\n"
     "            else:\n                break", False),
    ("        while True:\n            line = proc.stdout.readline()\n            if len(line) == 0:\n                break", False),
    # an exit on something that is not the line says nothing about the stream: taken to drain it
    ("        count = 0\n        while True:\n            line = proc.stdout.readline()\n            count += 1\n"
     "            if count > 1000:\n                break", False),
    ("        while proc.poll() is None:\n            line = proc.stdout.readline()\n            if not line:\n"
     "                break", False),
    # a `break` on an error says nothing about the line
    ("        while True:\n            try:\n                line = proc.stdout.readline()\n"
     "            except OSError:\n                break\n            if not line:\n                break", False),
    # stops on what a line says, before the stream ends
    ("        while True:\n            line = proc.stdout.readline()\n            if not line or 'ready' in line:\n"
     "                break", True),
    ("        while proc.poll() is None:\n            line = proc.stdout.readline()\n"
     "            if line.startswith('DONE'):\n                break", True),
    ("        while 'ready' not in (line := proc.stdout.readline()):\n            pass", True),
    ("        while True:\n            header = proc.stdout.readline()\n            break", True),
])
def test_readline_loops_drain_unless_they_stop_on_a_line(loop: str, stops_early: bool) -> None:
    source = READ_LOOP.format(loop=loop)
    wait_line = source.splitlines().index("        return proc.wait()") + 1
    assert [line for line, _, _ in _only(source, "AWS106")] == ([wait_line] if stops_early else [])


def test_message_of_a_suppressed_timeout() -> None:
    source = """
    import contextlib
    import subprocess

    def probe(cmd):
        proc = subprocess.Popen(cmd)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=3)
        return proc.returncode
    """
    assert _only(source, "AWS105") == [(
        8, 8,
        "`proc` is left running when `wait()` times out at line 8 (suppressed at line 7); "
        "call `proc.kill()` and then `proc.communicate()` in an `except subprocess.TimeoutExpired:` handler",
    )]


@pytest.mark.parametrize(("flags", "test", "taken"), [
    ({("timed_out", True)}, "timed_out", "true"),
    ({("timed_out", True)}, "not timed_out", "false"),
    ({("rc", None)}, "rc is None", "true"),
    ({("rc", -1)}, "rc is None", "false"),
    ({("status", "timeout")}, "status == 'ok'", "false"),
    ({("status", "timeout")}, "status != 'ok' or other", "true"),
    ({("status", "timeout")}, "status == 'ok' and other", "false"),
    ({("status", "timeout")}, "status != 'ok' and other", None),
    ({("rc", None)}, "other is None", None),
])
def test_constant_flags_decide_the_tests_of_a_path(flags: set[tuple[str, object]], test: str, taken: str | None) -> None:
    from awslint.analysis.cfg import Node
    from awslint.analysis.path_flags import decided

    expr = ast.parse(test, mode="eval").body
    assert decided(Node(1, "if", None, (expr,)), frozenset(flags)) == taken


def test_a_store_forgets_a_flag_and_a_constant_sets_it() -> None:
    from awslint.analysis.cfg import Node
    from awslint.analysis.path_flags import after

    set_it, rebind, augment = (ast.parse(text).body[0] for text in ("rc = None", "rc = proc.wait()", "n += 1"))
    flags = after(Node(1, "stmt", set_it, (set_it,)), frozenset({("n", 0)}))
    assert flags == {("n", 0), ("rc", None)}
    assert after(Node(2, "stmt", rebind, (rebind,)), flags) == {("n", 0)}
    assert after(Node(3, "stmt", augment, (augment,)), flags) == {("rc", None)}


def test_message_of_a_timeout_handled_outside_the_with() -> None:
    source = """
    import subprocess

    def plan(cmd):
        try:
            with subprocess.Popen(cmd) as proc:
                proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            return False
        return True
    """
    assert _only(source, "AWS105") == [(
        7, 12,
        "`proc` is left running when `wait()` times out at line 7 (handled at line 8); call `proc.kill()` and "
        "then `proc.communicate()` in an `except subprocess.TimeoutExpired:` handler inside the `with` at line 6, "
        "whose exit waits for the child before the handler runs",
    )]
