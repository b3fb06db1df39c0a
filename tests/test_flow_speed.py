"""The flow family's shortcuts answer as the full analysis would, and skip its cost: a handler that
keeps the error on its top level builds no control-flow graph; one that may drop it still does."""
from __future__ import annotations

import ast

import pytest

from awslint import Config
from awslint.analysis import scopes
from awslint.analysis.cfg import Cfg, build_cfg
from conftest import findings

FLOW = Config(select=("AWS501",))


@pytest.fixture
def graphs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    real = build_cfg

    def counting(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Cfg | None:
        built.append(func.name)
        return real(func)

    monkeypatch.setattr(scopes, "build_cfg", counting)
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


DECIDED_BY_THE_GRAPH = """\
def branches(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        if path:
            pass
        raise


def passes(s3, path):
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        pass
"""


def test_a_branch_or_a_handler_that_only_passes_is_left_to_the_graph(graphs: list[str]) -> None:
    # an `if` may leave the handler on some path: only the graph knows the `raise` is reached
    found = findings(DECIDED_BY_THE_GRAPH, FLOW)
    assert [(f.code, f.line) for f in found] == [("AWS501", 13)]
    assert graphs == ["branches", "passes"]
