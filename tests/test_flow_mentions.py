"""The text tests the flow family rules blocks out with: each must say "maybe" wherever the walk could
find something, however the statement is spelled, and "no" for the usual uses of a name."""
from __future__ import annotations

import ast

import pytest

from awslint import Config
from awslint.analysis.handlers import LocalNames
from awslint.analysis.names import dotted, local_bindings
from awslint.rules.flow.mentions import SourceText, may_be_aliased, mentions
from conftest import findings

ALIASES = [
    "pending = self.pending",
    "self.pending = pending",
    "pending: list[str] = self.pending",
    "self.pending: list[str] = other",
    "other = (pending)",
    "other = (\n    pending\n)",
    "other = \\\n    pending",
    "(pending\n) = other",
    "pending \\\n    = other",
    "x = y = pending",
    "pending = x = y",
    "d[k] = pending = other",
    "if ready: other = pending",
    "x = 1; other = pending",
    "other = pending; x = 1",
    "other = pending  # the queue",
    "other = self.\\\n    pending",
    "other = (self\n    .pending)",
    "other = (self).pending",
    "other = pending # type: list[str]",
]


@pytest.mark.parametrize("source", ALIASES)
def test_an_assignment_between_two_names_may_alias(source: str) -> None:
    tree = ast.parse(source)
    # the statement does tie `pending` to another name, as `_alias_edges` reads it
    tied = [(dotted(t), dotted(n.value)) for n in ast.walk(tree) if isinstance(n, (ast.Assign, ast.AnnAssign))
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if n.value is not None]
    assert any("pending" in (str(t).rsplit(".", 1)[-1], str(v).rsplit(".", 1)[-1]) and t and v for t, v in tied)
    assert may_be_aliased(source, "pending")


NOT_ALIASES = [
    "pending = []",
    "pending = list(seeds)",
    "pending = self.pending.copy()",
    "n = len(pending)",
    "for item in pending:",
    "if item in pending:",
    "return pending",
    "pending.append(item)",
    "pending[0] = item",
    "x = pending[0]",
    "call(key=pending)",
    "x = f(a, key=pending)",
    "pending += other",
    "x += pending",
    "if pending == other:",
    "x = pending_items",
    "x = my_pending",
    "x = 'pending'",
]


@pytest.mark.parametrize("source", NOT_ALIASES)
def test_the_usual_uses_of_a_name_do_not(source: str) -> None:
    assert not may_be_aliased(source, "pending")


def test_a_walrus_or_a_name_that_is_not_ascii_may_bind_anywhere() -> None:
    assert may_be_aliased("if (other := pending):\n    pass", "pending")
    assert may_be_aliased("n = len(pending)  # é", "pending")


def test_mentions_finds_whole_identifiers_only() -> None:
    assert mentions("x.pending.append(1)", "pending")
    assert mentions("pending", "pending")
    assert not mentions("pending_items.append(1)", "pending")
    assert not mentions("self.my_pending = 1", "pending")
    assert mentions("1 + pending", "pending")
    assert mentions("naïve = 1", "pending")  # not ASCII: the walk decides


@pytest.mark.parametrize("ends", ["", "\n", "\r\n"])
def test_the_lines_holding_a_word_are_counted_with_or_without_line_ends(ends: str) -> None:
    lines = ["def f(d):", "    if k not in d:", "        d[k] = []", "    return d.setdefault(k, [])", "x = 1"]
    text = SourceText([line + ends for line in lines[:-1]] + [lines[-1]])
    assert text.lines_holding(("setdefault", " not in ", "KeyError")) == [2, 4]
    assert text.span(2, 3).splitlines() == ["    if k not in d:", "        d[k] = []"]


ALIASED_LOOPS = """\
class Queue:
    def drain(self):
        pending = (
            self.pending
        )
        for job in self.pending:
            if job.done:
                pending.remove(job)

    def chained(self):
        first = pending = self.pending
        for job in self.pending:
            pending.append(job.child)

    def annotated(self):
        pending: list = self.pending
        for job in self.pending:
            pending.append(job.child)

    def own_key(self):
        counts = dict(self.counts)
        for key in counts:
            counts[key] = 0
            counts[key + "_seen"] = 1
"""


def test_a_container_changed_through_a_name_bound_before_the_loop_is_still_found() -> None:
    found = findings(ALIASED_LOOPS, Config(select=("AWS503",)))
    assert [(f.code, f.line) for f in found] == [("AWS503", 8), ("AWS503", 13), ("AWS503", 18), ("AWS503", 24)]


LOCAL = '''\
def handler(self, path, *args):
    import os
    try:
        os.unlink(path)
    except Exception as error:
        log.error("failed: %s", error)
        print(error)
    for item in args:
        pass
    def \\
            helper():
        pass
    total: int = 0
    logging = get_logging()
    logging.error("x")
'''


def test_local_names_answer_as_the_model_does() -> None:
    func = ast.parse(LOCAL).body[0]
    assert isinstance(func, ast.FunctionDef)
    local = LocalNames(func, LOCAL)
    asked = ["self", "path", "args", "os", "error", "log", "print", "item", "helper", "total", "logging", "Exception"]
    assert {name for name in asked if name in local} == set(local_bindings(func)) & set(asked)
    assert {name for name in asked if name in local} == {
        "self", "path", "args", "error", "item", "helper", "total", "logging"}
    fresh = LocalNames(func, LOCAL)
    assert "log" not in fresh and "print" not in fresh and "Exception" not in fresh
    assert fresh._every is None  # answered from the text alone: the scope was never built
    assert "os" not in fresh  # `import os` may bind it: the model says an import alone does not count
    assert fresh._every is not None
