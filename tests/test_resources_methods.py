"""The user's method factories and release methods: `.getconn` (any receiver) and `Engine.connect`
(a receiver known to be an `Engine`), in `resource-factories` and `release-functions`."""
from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from awslint import Config
from awslint.analysis.model import SemanticModel
from awslint.analysis.names import Names
from awslint.analysis.resource_receivers import Receivers, class_matches
from conftest import assert_labels, findings, reported


def config(factories: tuple[str, ...], releasers: tuple[str, ...] = ()) -> Config:
    options = {"resource-factories": factories}
    if releasers:
        options["release-functions"] = releasers
    return Config(select=("AWS1",), options=options)


POOL = """
def report(pool):
    conn = pool.getconn()  # expect: AWS101
    cur = conn.cursor()
    cur.execute("SELECT 1")
    return cur.fetchall()


def report_given_back(pool):
    conn = pool.getconn()
    try:
        return conn.cursor().fetchall()
    finally:
        pool.putconn(conn)


def report_from_attribute(self):
    conn = self.pool.getconn()  # expect: AWS101
    return conn.cursor().fetchall()


def handed_on(pool):
    conn = pool.getconn()
    return conn
"""


def test_method_of_any_receiver_is_a_factory() -> None:
    assert_labels(POOL, "AWS1", config((".getconn",)))
    (first, second) = findings(POOL, config((".getconn",)))
    assert (first.line, first.col) == (3, 11)
    assert first.message == (
        "`conn` opened at line 3 is not closed on the path through the `return` at line 6; "
        "use `with` or close it in `finally`"
    )
    assert second.line == 18
    # without the option, `getconn` means nothing
    assert reported(POOL, "AWS1", Config(select=("AWS1",))) == set()


def test_method_release_of_any_receiver() -> None:
    source = """
    def report(pool):
        conn = pool.getconn()  # expect: AWS102
        rows = conn.cursor().fetchall()
        pool.putconn(conn)
        return rows
    """
    assert_labels(source, "AWS1", config((".getconn",), (".putconn",)))
    (found,) = findings(textwrap.dedent(source), config((".getconn",), (".putconn",)))
    assert "when `conn.cursor()` raises at line 4" in found.message
    # not declared a release: `pool.putconn(conn)` may keep the connection, so nothing is reported
    assert reported(source, "AWS1", config((".getconn",))) == set()


def test_inline_and_with_method_factories() -> None:
    source = """
    def count(pool):
        return pool.getconn().cursor().rowcount  # expect: AWS103

    def count_with(pool):
        with pool.getconn() as conn:
            return conn.cursor().rowcount

    def another_class(sock, address):
        sock.getconn(address)  # a method of that name on something else, which returns nothing
    """
    assert_labels(source, "AWS1", config((".getconn",)))
    (found,) = findings(textwrap.dedent(source), config((".getconn",)))
    assert found.message == (
        "`pool.getconn(...)` at line 3 is used through `.cursor()` and never closed; open it in a `with` statement"
    )
    # a class's method (`Pool.getconn`) is a factory wherever the receiver is known: discarded, it leaks
    known = """
    from psycopg2.pool import Pool

    def warm(dsn):
        pool = Pool(dsn)
        pool.getconn()  # expect: AWS103
    """
    assert_labels(known, "AWS1", config(("Pool.getconn",)))


ENGINE = """
import sqlalchemy
from sqlalchemy import Engine
from typing import Optional

ENGINE = sqlalchemy.Engine("sqlite://")


def constructed(url):
    engine = Engine(url)
    conn = engine.connect()  # expect: AWS101
    return conn.execute("SELECT 1")


def annotated(engine: Engine):
    conn = engine.connect()  # expect: AWS101
    return conn.execute("SELECT 1")


def optional(engine: Optional[Engine] = None):
    conn = engine.connect()  # expect: AWS101
    return conn.execute("SELECT 1")


def string_annotation(engine: "Engine | None"):
    return engine.connect().execute("SELECT 1")  # expect: AWS103


def module_level():
    conn = ENGINE.connect()  # expect: AWS101
    return conn.execute("SELECT 1")


def direct(url):
    conn = Engine(url).connect()  # expect: AWS101
    return conn.execute("SELECT 1")


def closed(engine: Engine):
    conn = engine.connect()
    try:
        return conn.execute("SELECT 1")
    finally:
        conn.close()


def unknown_receiver(thing):
    conn = thing.connect()
    return conn.execute("SELECT 1")


def another_class(sock: "socketlib.Socket"):
    conn = sock.connect()
    return conn.execute("SELECT 1")


def either(url, other):
    engine = Engine(url) if url else other
    conn = engine.connect()
    return conn.execute("SELECT 1")


def rebound(url, make):
    engine = Engine(url)
    engine = make(engine)
    conn = engine.connect()
    return conn.execute("SELECT 1")


class Repository:
    backup: Engine

    def __init__(self, url):
        self.engine = Engine(url)
        self.other = None

    def rows(self):
        conn = self.engine.connect()  # expect: AWS101
        return conn.execute("SELECT 1")

    def backup_rows(self):
        conn = self.backup.connect()  # expect: AWS101
        return conn.execute("SELECT 1")

    def other_rows(self):
        conn = self.other.connect()
        return conn.execute("SELECT 1")

    @staticmethod
    def static(self):
        conn = self.engine.connect()
        return conn.execute("SELECT 1")


class Swapping:
    def __init__(self, url, fallback):
        self.engine = Engine(url)

    def swap(self, fallback):
        self.engine = fallback

    def rows(self):
        conn = self.engine.connect()
        return conn.execute("SELECT 1")
"""


@pytest.mark.parametrize("spelling", ["Engine.connect", "sqlalchemy.Engine.connect", "sqlalchemy.engine.Engine.connect"])
def test_method_of_a_known_class_is_a_factory(spelling: str) -> None:
    assert_labels(ENGINE, "AWS1", config((spelling,)))


def test_method_of_another_class_is_not_the_factory() -> None:
    assert reported(ENGINE, "AWS1", config(("Pool.connect",))) == set()
    assert reported(ENGINE, "AWS1", config(("otherlib.Engine.connect",))) == set()


def test_method_release_of_a_known_class() -> None:
    source = """
    from psycopg2.pool import SimpleConnectionPool

    def report(dsn):
        pool = SimpleConnectionPool(1, 4, dsn)
        conn = pool.getconn()  # expect: AWS102
        rows = conn.cursor().fetchall()
        pool.putconn(conn)
        return rows

    def report_other(pool, dsn):
        conn = pool.getconn()
        rows = conn.cursor().fetchall()
        pool.putconn(conn)
        return rows
    """
    spelled = config(("SimpleConnectionPool.getconn",), ("SimpleConnectionPool.putconn",))
    assert_labels(source, "AWS1", spelled)
    # the pool of `report_other` is not a SimpleConnectionPool as far as the module shows: its
    # putconn() is a callee that may keep the connection, so the function has handed it on
    assert reported(source, "AWS1", config((".getconn",), ("SimpleConnectionPool.putconn",))) == {(6, "AWS102")}
    assert reported(source, "AWS1", config((".getconn",), (".putconn",))) == {(6, "AWS102"), (12, "AWS102")}


def test_class_matches() -> None:
    assert class_matches("Engine", frozenset({"sqlalchemy.Engine"}))
    assert class_matches("sqlalchemy.engine.Engine", frozenset({"sqlalchemy.Engine"}))
    assert class_matches("sqlalchemy.Engine", frozenset({"sa.Engine", "sqlalchemy.Engine"}))
    assert not class_matches("sqlalchemy.Engine", frozenset({"Engine"}))
    assert not class_matches("sqlalchemy.Engine", frozenset({"otherlib.Engine"}))
    assert not class_matches("Engine", frozenset({"Engines"}))


def test_receivers_agree_on_the_resolved_name() -> None:
    tree = ast.parse(textwrap.dedent("""
        import sqlalchemy as sa
        from sqlalchemy import Engine

        def f(url, flag):
            if flag:
                engine = Engine(url)
            else:
                engine = sa.Engine(url)
            engine.connect()
    """))
    receivers = Receivers(SemanticModel(tree), Names(tree, [n for n in tree.body if isinstance(n, ast.ImportFrom | ast.Import)]))
    func = tree.body[2]
    assert isinstance(func, ast.FunctionDef)
    assert receivers.classes(ast.Name("engine"), func) == frozenset({"sqlalchemy.Engine"})
    assert receivers.classes(ast.Name("url"), func) == frozenset()


def test_method_factory_from_pyproject(tmp_path: Path) -> None:
    awslint = Path(sys.executable).parent / "awslint"
    if not awslint.exists():
        pytest.skip("the awslint command is not installed in this environment")
    (tmp_path / "pyproject.toml").write_text('[tool.awslint]\nresource-factories = [".getconn"]\n', encoding="utf-8")
    (tmp_path / "m.py").write_text(
        "def report(pool):\n    conn = pool.getconn()\n    return conn.cursor().fetchall()\n", encoding="utf-8"
    )
    proc = subprocess.run(
        [str(awslint), "--no-cache", "m.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout.splitlines() == [
        "m.py:2:12: AWS101 `conn` opened at line 2 is not closed on the path through the `return` at line 3; "
        "use `with` or close it in `finally`"
    ]
    assert proc.returncode == 1
