"""AWS201's token loops on the shared control-flow graph (issue 9 item 2).

"The loop never changes the token" is reaching definitions on the natural loop of the `while`: a
rebinding on a path that leaves the loop (`break`, a handler that gives up, the loop's `else`, code no
path reaches) does not feed the next iteration, so the loop still asks for the same page; a rebinding
on every way around the loop does, as does one the semantic model sees and a walk of `ast.Name`
stores would not (a `match` capture).
"""
from __future__ import annotations

import ast
import importlib
import textwrap

import pytest

import awslint.analysis.cfg as cfg
from awslint import Config, analyse_source, check_source
from awslint.analysis.cfg import build_cfg
from awslint.analysis.model import SemanticModel
from awslint.rules.pagination.responses import Parents
from awslint.rules.pagination.token_flow import BlockFlow
from helpers import labelled_case

PAGINATION = Config(select=("AWS2",))
STALE = (
    "`describe_log_streams` returns one page (at most 50 items); the loop passes `token` as `nextToken` but "
    "never updates `token`, so every call asks for the same page: pass the latest response's `nextToken`, "
    "or use `logs.get_paginator('describe_log_streams')`"
)


def _found(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in check_source(textwrap.dedent(source), "app.py", PAGINATION)]


def _loop(body: str) -> str:
    """A listing whose `while token:` loop holds `body` (indented as the loop's own statements)."""
    return (
        "import boto3\n\nlogs = boto3.client('logs')\n\n\ndef streams(group):\n"
        "    resp = logs.describe_log_streams(logGroupName=group)\n"
        "    out = list(resp['logStreams'])\n"
        "    token = resp.get('nextToken')\n"
        "    while token:\n"
        + textwrap.indent(textwrap.dedent(body).strip("\n"), "        ")
        + "\n    return out\n"
    )


def test_rebindings_only_on_the_way_out_leave_every_loop_stale() -> None:
    source = labelled_case("pagination", "logs_token_rebound_only_on_the_way_out.py").read_text(encoding="utf-8")
    found = check_source(source, "app.py", Config(select=("AWS201",)))
    assert [(f.line, f.message) for f in found] == [(10, STALE), (24, STALE), (38, STALE)]
    assert [[(s.line, s.note) for s in f.path] for f in found] == [
        [(10, "`describe_log_streams` returns the first page"), (14, "`token` is the same on every iteration"),
         (11, "only that page is read")],
        [(24, "`describe_log_streams` returns the first page"), (29, "`token` is the same on every iteration"),
         (25, "only that page is read")],
        [(38, "`describe_log_streams` returns the first page"), (42, "`token` is the same on every iteration"),
         (39, "only that page is read")],
    ]


def test_a_token_taken_on_every_way_around_the_loop_is_silent() -> None:
    source = labelled_case("pagination", "logs_token_taken_on_every_path.py").read_text(encoding="utf-8")
    assert check_source(source, "app.py", Config(select=("AWS201",))) == []


@pytest.mark.parametrize(
    ("body", "stale"),
    [
        # after the call, on the only way round: the next call sends it
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\n"
         "out.extend(resp['logStreams'])\ntoken = resp.get('nextToken')", False),
        # before the call, in the same iteration: this call sends it
        ("token = resp.get('nextToken')\nresp = logs.describe_log_streams(logGroupName=group, nextToken=token)\n"
         "out.extend(resp['logStreams'])", False),
        # only before a `break`
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\nout.extend(resp['logStreams'])\n"
         "if not resp['logStreams']:\n    token = None\n    break", True),
        # only before a `return`
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\nout.extend(resp['logStreams'])\n"
         "if len(out) > 100:\n    token = resp.get('nextToken')\n    return out", True),
        # only after a `continue`: no path runs it
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\nout.extend(resp['logStreams'])\n"
         "continue\ntoken = resp.get('nextToken')", True),
        # in a branch that goes round again
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\nout.extend(resp['logStreams'])\n"
         "if resp['logStreams']:\n    token = resp.get('nextToken')\nelse:\n    break", False),
        # in an inner loop's body, which runs inside this loop's iteration
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\n"
         "for stream in resp['logStreams']:\n    out.append(stream)\n    token = resp.get('nextToken')", False),
        # an `except ... as` binding of the name inside the loop (which no `ast.Name` store shows)
        ("try:\n    resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\n"
         "except KeyError as token:\n    print(token)\nout.extend(resp['logStreams'])", False),
        # a lambda in the loop cannot rebind the function's name (it declares no `nonlocal`)
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\n"
         "out.extend(sorted(resp['logStreams'], key=lambda s: s['logStreamName']))", True),
        # ... but one that mutates it does, where it is defined
        ("resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\nout.extend(resp['logStreams'])\n"
         "out.sort(key=lambda s: token.update(s))", False),
    ],
    ids=[
        "after-call", "before-call", "break-only", "return-only", "dead-code", "branch", "inner-loop", "except-as",
        "lambda", "mutating-lambda",
    ],
)
def test_where_the_loop_rebinds_its_token_decides(body: str, stale: bool) -> None:
    found = _found(_loop(body))
    assert found == ([(7, STALE)] if stale else [])


def test_a_token_a_nested_function_rebinds_through_nonlocal_is_taken_as_changed() -> None:
    source = """
    import boto3

    logs = boto3.client("logs")


    def streams(group):
        resp = logs.describe_log_streams(logGroupName=group)
        out = list(resp["logStreams"])
        token = resp.get("nextToken")

        def take(page):
            nonlocal token
            token = page.get("nextToken")
            out.extend(page["logStreams"])

        while token:
            take(logs.describe_log_streams(logGroupName=group, nextToken=token))
        return out
    """
    assert _found(source) == []


def _flow(source: str) -> tuple[BlockFlow, ast.FunctionDef]:
    tree = ast.parse(textwrap.dedent(source))
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    graph = build_cfg(func)
    assert graph is not None
    model = SemanticModel(tree)
    return BlockFlow(graph, func, model, Parents(model)), func


def test_the_loop_is_the_natural_loop_of_its_head_not_its_else_nor_the_way_out() -> None:
    flow, func = _flow(
        """
        def f(token):
            while token:
                a = 1
                if a:
                    token = 2
                    break
                b = 3
            else:
                c = 4
            d = 5
        """
    )
    (head,) = [n for n in flow.cfg.nodes if n.kind == "while"]
    lines = sorted(n.line for n in flow.loops()[head])
    assert lines == [3, 4, 5, 8]  # the head, `a = 1`, the `if`, `b = 3`: not `token = 2`, `break`, `else`, after
    assert flow.reached(head, "token", frozenset()) == frozenset()  # the rebinding reaches nothing in the loop


def test_a_definition_after_the_call_reaches_it_around_the_back_edge() -> None:
    flow, func = _flow(
        """
        def f(token):
            while token:
                page = get(token)
                token = page.next
        """
    )
    (head,) = [n for n in flow.cfg.nodes if n.kind == "while"]
    call = func.body[0].body[0].value  # type: ignore[attr-defined]
    at = flow.nodes_at(call)
    assert [n.line for n in at] == [4]
    assert flow.innermost_while(at) is head
    assert sorted(n.line for n in flow.reached(head, "token", frozenset()) or ()) == [3, 4, 5]
    assert flow.changed_around(head, at, "token", frozenset())
    # `page` is bound at the call's own statement, after the call: that binding reaches the call of the
    # next iteration around the back edge, so it counts as well
    assert flow.changed_around(head, at, "page", frozenset())
    assert not flow.changed_around(head, at, "other", frozenset())


def test_a_name_the_block_declares_global_is_taken_as_changed() -> None:
    flow, func = _flow(
        """
        def f():
            global TOKEN
            while TOKEN:
                get(TOKEN)
        """
    )
    (head,) = [n for n in flow.cfg.nodes if n.kind == "while"]
    at = flow.nodes_at(func.body[1].body[0].value)  # type: ignore[attr-defined]
    assert flow.reached(head, "TOKEN", frozenset()) is None
    assert flow.changed_around(head, at, "TOKEN", frozenset())


def test_graphs_are_built_only_for_blocks_that_hold_a_candidate_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    original = cfg.build_cfg_or_reason

    def watch(func: ast.FunctionDef, noreturn: object = None) -> object:
        built.append(func.name)
        return original(func, noreturn)  # type: ignore[arg-type]

    # every family asks the file's shared graphs (awslint.analysis.graphs), which build each one once
    monkeypatch.setattr(importlib.import_module("awslint.analysis.graphs"), "build_cfg_or_reason", watch)
    source = _loop(
        "resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\nout.extend(resp['logStreams'])"
    ) + (
        "\n\ndef plain(group):\n"
        "    resp = logs.describe_log_streams(logGroupName=group)\n"
        "    return resp['logStreams']\n"
    )
    assert [line for line, _ in _found(source)] == [7, 17]
    assert built == ["streams"]


def test_a_graph_that_cannot_be_built_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cfg, "_MAX_NODES", 5)
    source = _loop(
        "resp = logs.describe_log_streams(logGroupName=group, nextToken=token)\nout.extend(resp['logStreams'])"
    )
    result = analyse_source(source, "app.py", PAGINATION)
    assert [(n.line, n.family, n.reason) for n in result.notices] == [
        (6, "pagination", "token loops in `streams()` are not analysed: its control-flow graph would exceed 5 nodes")
    ]
    assert [f.line for f in result.findings] == []  # the stale loop is not claimed without its graph


def test_n_functions_with_a_broken_loop_are_each_reported_as_such() -> None:
    """Each function's graph is built once and asked about its own calls only (bisected by position):
    N functions cost N graphs, not N times every call of the module."""
    n = 1000
    lines = ["import boto3", "ddb = boto3.client('dynamodb')"]
    for i in range(n):
        lines += [
            f"def f{i}(name):", "    items = []", "    resp = ddb.scan(TableName=name)",
            "    while 'LastEvaluatedKey' in resp:", "        items.extend(resp['Items'])",
            "        resp = ddb.scan(TableName=name)", "    return items",
        ]
    found = check_source("\n".join(lines) + "\n", "app.py", PAGINATION)
    assert [f.line for f in found] == [5 + 7 * i for i in range(n)]
    assert {f.message for f in found} == {
        "`scan` returns one page (at most 1 MB); the loop tests `LastEvaluatedKey` but never passes it as "
        "`ExclusiveStartKey`: pass it into the next call, or use `ddb.get_paginator('scan')`"
    }
