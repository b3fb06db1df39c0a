"""The flow family's shortcuts answer as the full analysis would, and skip its cost: a handler that
keeps the error on its top level builds no control-flow graph; one that may drop it still does."""
from __future__ import annotations

import ast

import pytest

from awslint import Config
from awslint.analysis import graphs as graphs_module
from awslint.analysis import scopes
from awslint.analysis.cfg import Cfg, build_cfg
from conftest import findings

FLOW = Config(select=("AWS501",))


@pytest.fixture
def graphs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    real = build_cfg

    shared = graphs_module.build_cfg_or_reason

    def counting(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Cfg | None:
        built.append(func.name)
        return real(func)

    def counting_shared(func: ast.AST, noreturn: object = None) -> tuple[Cfg | None, str]:
        built.append(getattr(func, "name", "<module>"))
        return shared(func, noreturn)  # type: ignore[arg-type]

    monkeypatch.setattr(scopes, "build_cfg", counting)
    # the flow rules ask the file's shared graphs (a class body's is still built by its block)
    monkeypatch.setattr(graphs_module, "build_cfg_or_reason", counting_shared)
    return built


KEPT = """\
import logging
import sys

log = logging.getLogger(__name__)


def logged(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        log.exception("upload of %s failed", path)


def reraised(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        s3.abort(path)
        raise


def read(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception as error:
        status = str(error)
        return status
"""


def test_handlers_that_keep_the_error_on_their_top_level_build_no_graph(graphs: list[str]) -> None:
    assert findings(KEPT, FLOW) == []
    assert graphs == []


REACHED_PAST_BRANCHES = """\
import os


def branches(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        if path:
            pass
        raise


def in_a_loop(s3, paths):
    try:
        s3.upload_files(paths)
    except Exception:
        for path in paths:
            os.unlink(path)
        else:
            raise


def after_cleanup(s3, path, lock):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        with lock:
            try:
                os.unlink(path)
            finally:
                lock.release()
        raise


def either_way(s3, path, state):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        if path:
            state.failed = True
        elif state:
            return
        else:
            state.last = path
"""


def test_a_keep_every_path_reaches_past_branches_loops_and_blocks_builds_no_graph(graphs: list[str]) -> None:
    # the `raise` after an `if` with a test that is not constant, after a `for` (its `else`), after a
    # `with` and a `try` that fall through; an attribute set on the first branch
    assert findings(REACHED_PAST_BRANCHES, FLOW) == []
    assert graphs == []


DECIDED_BY_THE_GRAPH = """\
def flagged(s3, path):
    ok = True
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        ok = False
    return ok


def passes(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        pass


def never_raises(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        if False:
            raise
        while True:
            pass
        raise


def returns_first(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        return
        raise
"""


def test_a_fallback_read_later_a_pass_or_an_unreachable_keep_is_left_to_the_graph(graphs: list[str]) -> None:
    # a fallback value needs the graph to find its reader; a `raise` the graph never reaches (under
    # `if False:`, after a `while True:` that never ends, after a `return`) is no trace of the error
    found = findings(DECIDED_BY_THE_GRAPH, FLOW)
    assert [(f.code, f.line) for f in found] == [("AWS501", 13), ("AWS501", 20), ("AWS501", 31)]
    assert graphs == ["flagged", "passes", "never_raises", "returns_first"]
