"""Resource leaks (AWS101–AWS104): the seed cases, messages and witness paths, options, and fixtures."""
from __future__ import annotations

import ast
import textwrap

import pytest

from awslint import Config, Step
from conftest import FIXTURES, assert_labels, findings, reported

RESOURCES = Config(select=("AWS1",))

SEED_RETRY = """\
import time
import psycopg2

RETRIES = 3


def get_connection(dsn):
    for attempt in range(RETRIES):
        conn = psycopg2.connect(dsn)
        if not validate_connection(conn):
            close_quietly(conn)
            time.sleep(0.5 * (attempt + 1))
        else:
            return conn
    raise RuntimeError("no valid connection")
"""

SEED_RETRY_FIXED = """\
import time
import psycopg2

RETRIES = 3


def get_connection(dsn):
    for attempt in range(RETRIES):
        conn = psycopg2.connect(dsn)
        acquired = False
        try:
            if validate_connection(conn):
                acquired = True
                return conn
        finally:
            if not acquired:
                close_quietly(conn)
        time.sleep(0.5 * (attempt + 1))
    raise RuntimeError("no valid connection")
"""

SEED_READ_LINES = """\
def read_lines(file):
    lines = []
    f = open(file, 'r')
    for line in f:
        lines.append(line.strip())
    return lines
"""

SEED_READ_LINES_FIXED = """\
def read_lines(file):
    lines = []
    with open(file, 'r') as f:
        for line in f:
            lines.append(line.strip())
    return lines
"""


def test_seed_retry_loop_reports_aws102_at_connect() -> None:
    (found,) = findings(SEED_RETRY, RESOURCES)
    assert (found.code, found.line, found.col) == ("AWS102", 9, 15)
    # The SPEC's message ends "use `with` or close it in `finally`"; but the connection is returned when
    # it validates, which `with` (or a plain `finally`) would close: the release belongs in a handler.
    assert found.message == (
        "`conn` opened at line 9 is not closed when `validate_connection()` raises at line 10; "
        "close it in an `except` handler that re-raises, since `conn` is handed on when all goes well"
    )
    assert found.path == (
        Step(9, 15, "`conn` is opened here"),
        Step(10, 8, "an exception is raised here"),
        Step(15, 0, "the exception leaves the function with `conn` still open"),
    )


def test_seed_retry_loop_fixed_with_finally_is_silent() -> None:
    assert findings(SEED_RETRY_FIXED, RESOURCES) == []


def test_seed_read_lines_reports_aws101_at_open() -> None:
    (found,) = findings(SEED_READ_LINES, RESOURCES)
    assert (found.code, found.line, found.col) == ("AWS101", 3, 8)
    assert found.message == (
        "`f` opened at line 3 is not closed on the path through the `return` at line 6; "
        "use `with` or close it in `finally`"
    )
    assert found.path[0] == Step(3, 8, "`f` is opened here")
    # the path ends at the `return` it leaves through, not at the function's last line
    assert found.path[-1] == Step(6, 4, "the function returns here with `f` still open")


def test_early_return_step_names_the_return_line() -> None:
    (found,) = findings(
        """
        import csv

        def write_report(path, rows):
            report = open(path, "w", newline="")
            if not rows:
                return 0
            writer = csv.writer(report)
            writer.writerows(rows)
            report.close()
            return len(rows)
        """,
        RESOURCES,
    )
    assert found.code == "AWS101" and found.line == 5
    assert found.path == (
        Step(5, 13, "`report` is opened here"),
        Step(6, 4, "the condition is true"),
        Step(7, 8, "the function returns here with `report` still open"),
    )


def test_seed_read_lines_with_version_is_silent() -> None:
    assert findings(SEED_READ_LINES_FIXED, RESOURCES) == []


def test_break_that_skips_close_is_named() -> None:
    (found,) = findings(
        """
        import socket

        def first_open(host, ports):
            found = None
            for port in ports:
                s = socket.socket()
                if s.connect_ex((host, port)) == 0:
                    found = port
                    break
                s.close()
            return found
        """,
        RESOURCES,
    )
    assert found.code == "AWS101" and found.line == 7
    assert "on the path through the `break` at line 10" in found.message
    assert Step(8, 8, "the condition is true") in found.path


def test_branch_that_skips_close_is_named() -> None:
    (found,) = findings(
        """
        def maybe_close(path, done):
            f = open(path)
            f.read()
            if done:
                f.close()
        """,
        RESOURCES,
    )
    assert found.message.startswith("`f` opened at line 3 is not closed when the condition at line 5 is false;")


def test_rebinding_and_next_iteration_messages() -> None:
    rebind, loop = findings(
        """
        def rebind(a, b):
            f = open(a)
            f = open(b)
            try:
                return f.read()
            finally:
                f.close()

        def loop(paths):
            for p in paths:
                fh = open(p)
                fh.read()
        """,
        RESOURCES,
    )
    assert rebind.message.startswith("`f` opened at line 3 is not closed before it is reassigned at line 4;")
    assert loop.message.startswith("`fh` opened at line 12 is not closed before line 12 opens another one")


def test_explicit_raise_and_assert_events() -> None:
    raised, asserted = findings(
        """
        def check(path, limit):
            f = open(path)
            if f.seek(0, 2) > limit:
                raise ValueError(path)
            f.close()

        def check2(path):
            g = open(path)
            assert g.readable()
            g.close()
        """,
        RESOURCES,
    )
    assert raised.code == "AWS102"
    # the seek only moves the position (it fails on a programming error, an unseekable stream): the
    # `raise` the function itself runs when the file is too big is the path a reader believes
    assert "when the `raise` at line 5 runs" in raised.message
    assert asserted.code == "AWS102" and "when the `assert` at line 10 fails" in asserted.message


def test_iteration_is_named_as_reading() -> None:
    (found,) = findings(
        """
        def names(path):
            f = open(path)
            out = [line.strip() for line in f]
            f.close()
            return out
        """,
        RESOURCES,
    )
    assert found.code == "AWS102"
    assert "when reading `f` raises at line 4" in found.message


def test_a_loop_over_a_call_given_a_value_of_the_resource_names_the_call() -> None:
    # `os.listdir(tmp.name)` reads a directory by its name, not the resource; `csv.reader(fh)` reads fh;
    # building a `Path` is taken not to raise, so the step named is the first that can
    listed, read, touched = findings(
        """
        import csv
        import os
        import tempfile
        from pathlib import Path

        def bundle(files):
            tmp = tempfile.TemporaryDirectory()
            for name in os.listdir(tmp.name):
                files.append(name)
            tmp.cleanup()

        def rows(path):
            fh = open(path)
            for row in csv.reader(fh):
                print(row)
            fh.close()

        def marker():
            tf = tempfile.TemporaryDirectory()
            p = Path(tf.name) / "empty"
            p.touch()
            tf.cleanup()
        """,
        RESOURCES,
    )
    assert "when `os.listdir()` raises at line 9" in listed.message
    assert "when reading `fh` raises at line 15" in read.message
    assert "when `p.touch()` raises at line 22" in touched.message


def test_open_configure_return_is_not_aws102() -> None:
    assert findings(
        """
        import sqlite3

        def open_db(path):
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA journal_mode=WAL")
            return conn
        """,
        RESOURCES,
    ) == []


def test_aws103_messages() -> None:
    messages = [f.message for f in findings(
        """
        import json

        def a(p):
            return json.load(open(p))

        def b(p):
            return open(p).read()

        def c(p):
            for line in open(p):
                print(line)

        def d(p):
            open(p, "w")
        """,
        RESOURCES,
    )]
    assert messages == [
        "`open(...)` at line 5 is passed to `json.load()` and never closed; open it in a `with` statement",
        "`open(...)` at line 8 is used through `.read()` and never closed; open it in a `with` statement",
        "`open(...)` at line 11 is iterated by a `for` loop and never closed; open it in a `with` statement",
        "`open(...)` at line 15 is discarded and never closed; open it in a `with` statement",
    ]


def test_aws103_message_for_a_discarded_piped_process() -> None:
    # a server left to run (sagemaker's history server): a `with` would wait for it, so the fix names
    # a reader for its pipes instead
    found = findings(
        """
        import subprocess

        def start(cmd):
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def head(cmd):
            return subprocess.Popen(cmd, stdout=subprocess.PIPE).stdout.readline()
        """,
        RESOURCES,
    )
    assert [(f.code, f.line, f.message) for f in found] == [
        ("AWS103", 5, "`subprocess.Popen(...)` at line 5 is discarded and never closed; nobody reads its pipes: "
         "send the output it does not need to `subprocess.DEVNULL`, or keep the process and `communicate()` with it"),
        ("AWS103", 8, "`subprocess.Popen(...)` at line 8 is used through `.stdout` and never closed; "
         "open it in a `with` statement"),
    ]


def test_aws104_message_and_fixes() -> None:
    (found,) = findings(
        """
        import sqlite3

        def save(path, rows):
            with sqlite3.connect(path) as db:
                db.executemany("INSERT INTO t VALUES (?)", rows)
        """,
        RESOURCES,
    )
    assert (found.code, found.line, found.col) == ("AWS104", 5, 9)
    assert found.message == (
        "`db` from `sqlite3.connect()` at line 5 is never closed: its `with` only commits or rolls back; "
        "use `with contextlib.closing(sqlite3.connect(...)) as db:`"
    )
    # closed after the `with`: not AWS104, but an exception from the block skips the close, as it
    # does for `db = sqlite3.connect(path)` / `with db:` / `db.close()`
    assert reported(
        """
        import sqlite3

        def save(path, rows):
            with sqlite3.connect(path) as db:
                db.executemany("INSERT INTO t VALUES (?)", rows)
            db.close()

        def save_bound(path, rows):
            db = sqlite3.connect(path)
            with db:
                db.executemany("INSERT INTO t VALUES (?)", rows)
            db.close()
        """,
        "AWS1",
        RESOURCES,
    ) == {(5, "AWS102"), (10, "AWS102")}
    assert reported(
        """
        import sqlite3

        def save(path, rows):
            with sqlite3.connect(path) as db:
                try:
                    db.executemany("INSERT INTO t VALUES (?)", rows)
                finally:
                    db.close()

        def save2(path, rows):
            import pymysql
            with pymysql.connect(host=path) as db:
                db.cursor().execute("SELECT 1")
        """,
        "AWS1",
        RESOURCES,
    ) == set()


def test_names_resolve_through_imports_aliases_and_local_rebinding() -> None:
    assert_labels(
        """
        import sqlite3 as lite
        from socket import socket as Sock
        from tempfile import NamedTemporaryFile as NTF

        def a(p):
            c = lite.connect(p)  # expect: AWS101
            return c.execute("SELECT 1").fetchall()

        def b():
            s = Sock()  # expect: AWS101
            s.bind(("", 0))
            return s.getsockname()

        def c():
            t = NTF(delete=False)  # expect: AWS101
            t.write(b"x")
            return t.name

        def d(p, opener):
            open = opener
            f = open(p)
            return f.read()
        """,
        "AWS1",
        RESOURCES,
    )


def test_user_factories_and_release_functions_are_honoured() -> None:
    source = """
    import mylib

    def fetch(dsn):
        conn = mylib.connect(dsn)  # expect: AWS101
        return conn.query("SELECT 1")

    def fetch_released(dsn):
        conn = mylib.connect(dsn)
        try:
            return conn.query("SELECT 1")
        finally:
            mylib.give_back(conn)
    """
    options = Config(
        select=("AWS1",),
        options={"resource-factories": ("mylib.connect",), "release-functions": ("mylib.give_back",)},
    )
    assert_labels(source, "AWS1", options)
    named = Config(
        select=("AWS1",),
        options={"resource-factories": ("mylib.connect",), "release-functions": ("mylib.release",)},
    )
    # a function named for releasing (`mylib.release`) releases whether or not it is configured
    assert reported(source.replace("give_back", "release"), "AWS1", named) == {(5, "AWS101")}
    # without the options, mylib means nothing to awslint
    assert reported(source, "AWS1", RESOURCES) == set()
    unprotected = """
    import mylib

    def fetch(dsn):
        conn = mylib.connect(dsn)  # expect: AWS102
        rows = conn.query("SELECT 1")
        mylib.give_back(conn)
        return rows
    """
    assert_labels(unprotected, "AWS1", options)
    (found,) = findings(unprotected, options)
    assert "when `conn.query()` raises at line 6" in found.message
    # without the release function, give_back() is an unknown callee that takes the connection over
    only_factory = Config(select=("AWS1",), options={"resource-factories": ("mylib.connect",)})
    assert reported(unprotected, "AWS1", only_factory) == set()


def test_family_declares_its_options() -> None:
    from awslint.rules.resources import FAMILY

    assert [o.name for o in FAMILY.options] == ["resource-factories", "release-functions"]


def test_rules_can_be_selected_one_by_one() -> None:
    only_103 = Config(select=("AWS103",))
    assert {f.code for f in findings(SEED_READ_LINES + "\n\ndef g(p):\n    return open(p).read()\n", only_103)} == {
        "AWS103"
    }


@pytest.mark.parametrize("name", ["leaks.py", "clean.py", "inline.py"])
def test_fixture(name: str) -> None:
    assert_labels((FIXTURES / "resources" / name).read_text(encoding="utf-8"), "AWS1", RESOURCES)


def test_module_level_bound_resources_are_not_reported_but_inline_ones_are() -> None:
    assert_labels(
        textwrap.dedent(
            """
            import sqlite3
            DB = sqlite3.connect("x.db")
            LOG = open("x.log", "a")
            TEXT = open("x.txt").read()  # expect: AWS103
            """
        ),
        "AWS1",
        RESOURCES,
    )


def test_expected_failures_in_tests_are_not_reported() -> None:
    assert findings(
        """
        import tarfile

        class T:
            def test_missing(self):
                with self.assertRaises(FileNotFoundError):
                    tarfile.open("missing.tar")
                with self.assertRaises(OSError):
                    f = open("missing")
                try:
                    open("missing")
                except FileNotFoundError:
                    pass
        """,
        RESOURCES,
    ) == []


def test_never_raises_on_odd_code() -> None:
    source = "def f(p):\n" + "".join(
        "    " * (i + 1) + f"if p{i}:\n" for i in range(90)
    ) + "    " * 91 + "f = open(p)\n"
    assert [f.code for f in findings(source, RESOURCES)] == ["AWS101"]


def test_the_raising_step_named_is_an_operation_on_the_resource() -> None:
    (found,) = findings(
        """
        import smtplib
        from email.message import EmailMessage

        def emit(record, host, to):
            try:
                smtp = smtplib.SMTP(host)
                msg = EmailMessage()
                msg["To"] = to
                msg.set_content(format_record(record))
                smtp.send_message(msg)
                smtp.quit()
            except Exception:
                handle_error(record)
        """,
        RESOURCES,
    )
    assert found.code == "AWS102"
    assert "when `smtp.send_message()` raises at line 11" in found.message


def test_a_callee_that_only_borrowed_does_not_protect_later_raises() -> None:
    source = """
        def load(path):
            f = open(path)
            reader = make_reader(f)
            rows = reader.rows(){close}
            return rows
        """
    (found,) = findings(source.format(close="\n            f.close()"), RESOURCES)
    assert found.code == "AWS102" and "when `make_reader()` raises at line 4" in found.message
    # with no later use, make_reader() took the file over: nothing to report
    assert findings(source.format(close=""), RESOURCES) == []


def test_ownership_search_on_its_own() -> None:
    """`follow` over a graph: the normal leak, then the exceptional one only when released somewhere."""
    import ast

    from awslint.analysis.cfg import build_cfg
    from awslint.analysis.index import Index
    from awslint.analysis.names import Names
    from awslint.analysis.resource_flow import Effect, follow
    from awslint.analysis.resource_sites import Catalogue, FunctionFacts, effects_of
    from awslint.data.resources import FACTORY_BY_NAME

    source = textwrap.dedent(
        """
        def f(path, flag):
            fh = open(path)
            data = fh.read()
            if flag:
                return data
            fh.close()
            return data
        """
    )
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    facts = FunctionFacts.of(func)
    cfg = build_cfg(func)
    assert cfg is not None and facts.cfg is not None
    names = Names(tree, Index(tree).imports)
    usage = effects_of(facts, "fh", FACTORY_BY_NAME["open"], Catalogue(), names)
    by_line = {node.line: e.effect for node, e in usage.effects.items()}
    assert by_line == {3: Effect.NONE, 4: Effect.USE, 7: Effect.RELEASE}
    assert next(e for n, e in usage.effects.items() if n.line == 3).rebinds
    starts = [n for n in facts.cfg.nodes if n.line == 3]
    outcome = follow(facts.cfg, starts, usage.effects)
    assert outcome.normal_leak is not None and outcome.exception_leak is None
    assert [n.kind for n, _ in outcome.normal_leak.path][-2:] == ["return", "exit"]
    assert outcome.normal_leak.path[-2][0].line == 6 and not outcome.normal_leak.exceptional


def test_deeply_nested_tests_do_not_raise() -> None:
    test = "not " * 900 + "ready"
    source = f"def f(p, ready):\n    ready = False\n    f = open(p)\n    if {test}:\n        f.close()\n"
    assert [f.code for f in findings(source, RESOURCES)] == ["AWS101"]


def test_aliases_tuples_and_conditional_acquisitions() -> None:
    found = findings(
        """
        def export(path, rows):
            fh = open(path, "w")
            out = fh
            out.write(rows)

        def rotate(paths, out):
            current = None
            for p in paths:
                f = open(p)
                current = f
                out.write(current.read())
            if current is not None:
                current.close()

        def pair(a, b):
            src, dst = open(a), open(b)
            try:
                dst.write(src.read())
            finally:
                src.close()

        def trace(path, lines):
            fh = open(path, "a") if path else None
            for line in lines:
                if fh:
                    fh.write(line)
        """,
        RESOURCES,
    )
    assert [(f.code, f.line, f.message) for f in found] == [
        ("AWS101", 3, "`fh` opened at line 3 is not closed when the function ends at line 5; "
         "use `with` or close it in `finally`"),
        ("AWS101", 10, "`f` opened at line 10 is not closed before `current`, which still holds it, is "
         "reassigned at line 11; use `with` or close it in `finally`"),
        ("AWS102", 17, "`src` opened at line 17 is not closed when `open()` raises at line 17; "
         "use `with` or close it in `finally`"),
        ("AWS101", 17, "`dst` opened at line 17 is not closed when the function ends at line 21; "
         "use `with` or close it in `finally`"),
        ("AWS101", 24, "`fh` opened at line 24 is not closed when the loop at line 25 ends; "
         "use `with` or close it in `finally`"),
    ]


def test_the_function_ends_at_the_last_statement_of_a_straight_stretch() -> None:
    """The leak search crosses statements that do not touch the resource in one step; the line where
    the function ends is still the last one that runs, not the first of that stretch."""
    found = findings(
        """
        import wave

        def transcribe(path, job, s3):
            audio = wave.open(path, "rb")
            if audio.getnchannels() != 1:
                raise RuntimeError("mono only")
            frames = audio.readframes(4000)
            s3.put_object(Bucket="b", Key="k", Body=frames)
            job["status"] = "done"
            job["format"] = "wav"
            print("done", job)
        """,
        RESOURCES,
    )
    assert [(f.code, f.line, f.message) for f in found] == [
        ("AWS101", 5, "`audio` opened at line 5 is not closed when the function ends at line 12; "
         "use `with` or close it in `finally`"),
    ]


def test_the_raising_step_named_is_not_one_that_only_queues_or_configures() -> None:
    """`pool.apply_async()` only queues the work, `s.headers.update()` fills a dict the session holds:
    the step named is the call that does I/O."""
    found = findings(
        """
        from multiprocessing.pool import ThreadPool

        import requests

        def fetch(url, load_proxies):
            s = requests.Session()
            s.headers.update({"User-Agent": "sync"})
            s.proxies.update(load_proxies())
            data = s.get(url).content
            s.close()
            return data

        def copy_all(keys, work, listing):
            pool = ThreadPool(4)
            for key in keys:
                pool.apply_async(work, (key,))
            done = listing()
            pool.close()
            pool.join()
            return done
        """,
        RESOURCES,
    )
    assert [(f.code, f.line, f.message) for f in found] == [
        ("AWS102", 7, "`s` opened at line 7 is not closed when `s.get()` raises at line 10; "
         "use `with` or close it in `finally`"),
        ("AWS102", 15, "`pool` opened at line 15 is not closed when `listing()` raises at line 18; "
         "use `with` or close it in `finally`"),
    ]


def test_a_loop_over_a_zip_directory_is_not_the_raising_step() -> None:
    """`for name in src.namelist()` walks the directory read when the archive was opened; reading a
    member is the step that fails."""
    (found,) = findings(
        """
        import zipfile

        def append_archive(target, source):
            src = zipfile.ZipFile(source)
            out = zipfile.ZipFile(target, "a")
            for name in src.namelist():
                out.writestr(name, src.read(name))
            out.close()
            src.close()
        """,
        RESOURCES,
    )[:1]
    assert (found.code, found.line, found.message) == (
        "AWS102", 5, "`src` opened at line 5 is not closed when `src.read()` raises at line 8; "
        "use `with` or close it in `finally`")


def test_timed_communicate_is_the_process_rules_business() -> None:
    """A process whose only unreleased path is the timeout of `communicate(timeout=)` is AWS105's, not
    also AWS102; a step before it that can raise still is AWS102."""
    source = textwrap.dedent(
        """\
        import subprocess


        def run_timed(cmd):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            try:
                out, _ = proc.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                return None
            return out


        def wait_timed(cmd):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            if proc.wait(timeout=5):
                return None
            return proc.stdout


        def feed(cmd, path):
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
            data = read_payload(path)
            proc.stdin.write(data)
            return proc.communicate(timeout=5)
        """
    )
    (found,) = findings(source, Config(select=("AWS102",)))
    assert (found.line, found.message) == (
        21,
        "`proc` opened at line 21 is not closed when `read_payload()` raises at line 22; "
        "use `with Popen(...)` or call `proc.communicate()` (or `proc.wait()`) in `finally`",
    )


def test_talking_to_the_process_is_not_a_raising_step() -> None:
    """Reading or writing a process's own pipes, handing one to a reader thread, working on what was
    read and echoing it, until the wait, are the conversation with the child: one defect (AWS106,
    AWS105) is one finding."""
    source = textwrap.dedent(
        """\
        import subprocess
        import sys
        import threading


        def diff(repo):
            proc = subprocess.Popen(["git", "-C", repo, "diff"], stdout=subprocess.PIPE, text=True)
            data = proc.stdout.read()
            proc.wait()
            return data


        def first(cmd):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            line = proc.stdout.readline().decode().split()
            sys.stdout.write(line[0])
            proc.wait()
            return line


        def feed(cmd, data):
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
            proc.stdin.write(data)
            return proc.communicate(timeout=5)


        def drained(cmd, sink):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            reader = threading.Thread(target=sink.extend, args=(proc.stderr,))
            reader.start()
            out = [line for line in proc.stdout]
            rc = proc.wait()
            reader.join()
            return rc, out


        def headers(path):
            found = []
            proc = subprocess.Popen(["dump", "-H", path], stdout=subprocess.PIPE, text=True)
            while header := read_header(proc):
                found.append(header)
            proc.stdout.close()
            proc.wait()
            return found
        """
    )
    assert sorted((f.line, f.code) for f in findings(source)) == [(17, "AWS106"), (24, "AWS105")]


def test_a_step_of_the_functions_own_after_the_first_read_leaves_the_child() -> None:
    """Once the function talks to the child, a call of its own (`parse(line)` for each line read,
    `handle(line)`) can still raise before the wait, and the child is left unwaited: AWS102."""
    source = textwrap.dedent(
        """\
        import subprocess


        def metrics(cmd):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            found = [parse(line) for line in proc.stdout]
            proc.wait()
            return found


        def first(cmd):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            line = proc.stdout.readline()
            handle(line)
            proc.wait()
            return line
        """
    )
    assert [(f.line, f.message) for f in findings(source, Config(select=("AWS102",)))] == [
        (5, "`proc` opened at line 5 is not closed when `parse()` raises at line 6; "
            "use `with Popen(...)` or call `proc.communicate()` (or `proc.wait()`) in `finally`"),
        (12, "`proc` opened at line 12 is not closed when `handle()` raises at line 14; "
             "use `with Popen(...)` or call `proc.communicate()` (or `proc.wait()`) in `finally`"),
    ]


def test_contextmanager_yield_message() -> None:
    source = textwrap.dedent(
        """\
        from contextlib import contextmanager


        @contextmanager
        def opened(path):
            fh = open(path)
            yield fh
            fh.close()
        """
    )
    (found,) = findings(source, RESOURCES)
    assert found.message == (
        "`fh` opened at line 6 is not closed when the `with` block it serves raises at the `yield` at line 7; "
        "use `with` or close it in `finally`"
    )


def test_display_argument_message() -> None:
    (found,) = findings("import requests\nrequests.put('u', files={'f': open('p')})\n", RESOURCES)
    assert (found.code, found.line, found.col) == ("AWS103", 2, 30)
    assert found.message == (
        "`open(...)` at line 2 is passed inside a display to `requests.put()` and never closed; "
        "open it in a `with` statement"
    )


def test_local_containers_do_not_raise() -> None:
    from awslint.analysis.cfg import local_containers

    func = ast.parse(
        "def f(a, table):\n"
        "    seen = {}\n    items = [1]\n    made = dict(x=1)\n    merged = {**seen}\n"
        "    again = {}\n    again = table\n    for loop in []: pass\n    global g\n    g = {}\n"
    ).body[0]
    assert isinstance(func, ast.FunctionDef)
    assert local_containers(func) == frozenset({"seen", "items", "made", "merged"})


def test_reading_the_process_stream_is_not_the_raising_step() -> None:
    """`for line in process.stdout:` then `wait()` is the idiom (SPEC: Popen is released by wait);
    a raising step before the function starts reading still is one."""
    source = textwrap.dedent(
        """\
        import subprocess


        def build(cmd):
            process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            log = []
            for line in process.stdout:
                log.append(line)
            process.wait()
            return log


        def build_logged(cmd, path):
            process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            sink = open_sink(path)
            for line in process.stdout:
                sink.write(line)
            process.wait()
            return sink
        """
    )
    (found,) = findings(source, RESOURCES)
    assert (found.code, found.line, found.message) == (
        "AWS102",
        14,
        "`process` opened at line 14 is not closed when `open_sink()` raises at line 15; "
        "use `with Popen(...)` or call `process.communicate()` (or `process.wait()`) in `finally`",
    )


def test_anonymous_mmap_and_buffer_archives_are_memory() -> None:
    source = textwrap.dedent(
        """\
        import io
        import mmap
        import zipfile


        def shared(size, check):
            buf = mmap.mmap(-1, size)
            check(buf)
            buf.close()


        def packed(code, extra):
            out = io.BytesIO()
            archive = zipfile.ZipFile(out, "w")
            archive.writestr("index.py", code)
            archive.writestr("extra.py", extra())
            archive.close()
            return out.getvalue()
        """
    )
    assert findings(source, RESOURCES) == []


def test_a_temporary_file_kept_on_close_says_so_in_the_fix() -> None:
    source = (
        "import tempfile\n\n\ndef write_key(text):\n"
        "    f = tempfile.NamedTemporaryFile('w', delete=False)\n    f.write(text)\n    return f.name\n"
    )
    (finding,) = [f for f in findings(source, Config(select=("AWS101",))) if f.code == "AWS101"]
    # the path is returned: the file is meant to outlive the call, so the fix does not ask to remove it
    assert finding.message.endswith(
        "use `with` or close it in `finally` (made with `delete=False`, the file stays after `close()` for "
        "whoever its path is handed to)"
    )


def test_a_temporary_file_whose_path_stays_local_is_to_be_removed_too() -> None:
    source = (
        "import tempfile\n\n\ndef edit(text, run):\n"
        "    f = tempfile.NamedTemporaryFile('w', delete=False)\n    f.write(text)\n    run(['vi', f.name])\n"
    )
    (finding,) = [f for f in findings(source, Config(select=("AWS101",))) if f.code == "AWS101"]
    assert finding.message.endswith("(made with `delete=False`, the file stays after `close()`: remove it too when done)")


def test_witness_names_a_step_that_does_io_and_the_last_statement_run() -> None:
    exported, tracked = findings(
        """
        import csv
        import tempfile

        def export(rows, path, sanitize):
            csv_file = open(path, "w", newline="")
            writer = csv.writer(csv_file)
            for row in rows:
                writer.writerow([sanitize(v) for v in row])
            csv_file.close()

        def track(proc, log):
            temp = tempfile.TemporaryFile("wb")
            temp.write(b"started")
            if proc.returncode == 0:
                log.info("ok")
            else:
                log.error("failed")
                raise RuntimeError(proc.returncode)
        """,
        RESOURCES,
    )
    # csv.writer() only wraps the file and iterating a list at hand seldom fails: the write is the step
    assert exported.code == "AWS102" and "when `writer.writerow()` raises at line 9" in exported.message
    # the normal path runs off the end after line 16; line 19 is the `raise` of the other branch
    assert tracked.code == "AWS101" and "when the function ends at line 16" in tracked.message
    assert tracked.path[-1].line == 16
