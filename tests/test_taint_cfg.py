"""Taint on the shared control-flow graph: facts carried round a loop's back edge, module-level code, calls
that never return as the imports resolve them, what a handler sees, and the bound on a loop that would
not settle."""
from __future__ import annotations

import ast
import textwrap

import pytest

import awslint.analysis.taint_flow as taint_flow
from awslint import Config, analyse_source
from awslint.analysis.cfg import EXC, NoReturnKind, build_cfg, build_cfg_or_reason, no_return_kind
from awslint.analysis.taint import analyse
from awslint.analysis.taint_values import SOURCE
from awslint.context import Context


def summary(source: str) -> list[tuple[int, str | None, str | None]]:
    """(line, effective kind, origin text) per sink."""
    text = textwrap.dedent(source)
    verdicts = analyse(Context(ast.parse(text), text.splitlines(), "t.py", Config()))
    return [(v.sink.call.lineno, v.kind, v.origin.text if v.origin else None) for v in verdicts]


def test_a_value_carried_round_the_back_edge_reaches_the_sink() -> None:
    # the first round runs `ls`; the value assigned at the end of the body is what the next round runs
    assert summary("""
        import os
        from flask import request
        def f():
            cmd = "ls"
            for _ in range(3):
                os.system(cmd)
                cmd = request.args["c"]
    """) == [(7, SOURCE, "request.args['c']")]


def test_a_while_loop_carries_its_value_round_too() -> None:
    assert summary("""
        import os, sys
        def f(n):
            cmd = "ls"
            while n:
                os.system(cmd)
                cmd = sys.argv[1]
                n -= 1
    """) == [(6, SOURCE, "sys.argv[1]")]


def test_the_iterable_is_evaluated_once_on_entry_not_with_what_the_body_assigned() -> None:
    # `names` taken from the command line inside the body does not change what the loop iterates over
    assert summary("""
        import os, sys
        def f():
            names = ["a", "b"]
            for name in names:
                os.system("ls " + name)
                names = sys.argv
    """) == [(6, None, None)]


def test_module_level_code_is_interpreted_on_its_graph() -> None:
    assert summary("""
        import os, sys
        cmd = "ls"
        if len(sys.argv) > 1:
            cmd = sys.argv[1]
        os.system(cmd)
        os.system("true")
    """) == [(6, SOURCE, "sys.argv[1]"), (7, None, None)]


def test_an_imported_exit_ends_the_path_so_the_check_before_it_is_a_guard() -> None:
    assert summary("""
        import os, sys
        from sys import exit as leave
        ALLOWED = ("a", "b")
        def f():
            x = sys.argv[1]
            if x not in ALLOWED:
                leave(2)
            os.system("run " + x)
    """) == [(9, None, None)]


def test_a_local_exit_that_shadows_the_builtin_returns() -> None:
    assert summary("""
        import os, sys
        ALLOWED = ("a", "b")
        def f(exit):
            x = sys.argv[1]
            if x not in ALLOWED:
                exit(2)
            os.system("run " + x)
    """) == [(8, SOURCE, "sys.argv[1]")]


def test_a_handler_sees_what_the_body_assigned_before_the_statement_that_raised() -> None:
    # the body always returns, yet `helper(cmd)` may raise with `cmd` already from the command line
    assert summary("""
        import os, sys
        def f(helper):
            cmd = "ls"
            try:
                cmd = sys.argv[1]
                return helper(cmd)
            except ValueError:
                os.system(cmd)
    """) == [(9, SOURCE, "sys.argv[1]")]


def test_a_handler_whose_body_the_graph_sees_no_way_to_raise_is_still_interpreted() -> None:
    assert summary("""
        import os, sys
        try:
            import fancy
        except ImportError:
            os.system(sys.argv[1])
    """) == [(6, SOURCE, "sys.argv[1]")]


def test_a_loop_that_does_not_settle_within_the_bound_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taint_flow, "MAX_VISITS", 1)
    source = "import os\nimport sys\n\n\ndef main():\n    cmd = 'ls'\n    for _ in range(3):\n" \
             "        os.system(cmd)\n        cmd = sys.argv[1]\n"
    result = analyse_source(source, "app.py", Config(select=("AWS401",)))
    assert [(n.line, n.family, n.reason) for n in result.notices] == [
        (5, "injection", "injection: a loop did not settle within 1 rounds (line 7); "
                         "its sinks are judged on what reached them by then")]


# ----------------------------------------------------------------- the graph's side of it


def test_a_module_body_has_a_graph_whose_functions_and_classes_are_single_nodes() -> None:
    module = ast.parse(textwrap.dedent("""
        import os
        def f():
            if os.sep:
                return 1
        class C:
            x = 1
        for name in os.listdir("."):
            print(name)
    """))
    cfg = build_cfg(module)
    assert cfg is not None
    assert sorted((n.line, n.kind) for n in cfg.nodes if n.stmt is not None and n.kind != "entry") == [
        (2, "stmt"), (3, "stmt"), (6, "stmt"), (8, "for"), (9, "stmt")]
    assert cfg.exit.line == 9


def test_which_calls_never_return_is_the_callers_to_say() -> None:
    func = ast.parse("def f():\n    leave(1)\n    print('after')\n").body[0]
    assert isinstance(func, ast.FunctionDef)
    by_text = build_cfg(func)
    assert by_text is not None and sorted((n.line, n.kind) for n in by_text.nodes if n.kind == "stmt") == [
        (2, "stmt"), (3, "stmt")]

    def leave_is_sys_exit(call: ast.Call) -> NoReturnKind | None:
        return no_return_kind("sys.exit") if isinstance(call.func, ast.Name) and call.func.id == "leave" else None

    resolved, reason = build_cfg_or_reason(func, leave_is_sys_exit)
    assert resolved is not None and reason == ""
    # the program ends at line 2: the print after it is in the graph, but nothing leads there
    assert [(n.line, n.kind, n.succ) for n in resolved.nodes if n.line == 2] == [(2, "end", [])]
    assert resolved.entry.succ[0][0].line == 2
    assert no_return_kind("flask.abort") == "raise" and no_return_kind("os._exit") == "end"
    assert no_return_kind("print") is None


def test_an_exception_edge_out_of_the_function_is_worked_out_when_asked_for() -> None:
    func = ast.parse("def f(d):\n    x = d['k']\n    y = 1\n").body[0]
    assert isinstance(func, ast.FunctionDef)
    cfg = build_cfg(func)
    assert cfg is not None
    raising, plain = (next(n for n in cfg.nodes if n.line == line and n.kind == "stmt") for line in (2, 3))
    assert [kind for _, kind in raising.inside_succ] == ["normal"]  # not yet worked out
    assert [(t is cfg.raise_exit, kind) for t, kind in raising.succ] == [(False, "normal"), (True, EXC)]
    assert raising.can_raise and not plain.can_raise
    assert [kind for _, kind in plain.succ] == ["normal"]


def test_the_graph_says_where_each_try_dispatches_and_which_nodes_are_a_loop_body() -> None:
    func = ast.parse("def f(xs):\n    try:\n        import x\n    except ImportError:\n        pass\n"
                     "    for a in xs:\n        print(a)\n").body[0]
    assert isinstance(func, ast.FunctionDef)
    cfg = build_cfg(func)
    assert cfg is not None
    (try_id, dispatch), = cfg.handlers.items()
    assert cfg.nodes[try_id].kind == "try" and dispatch.kind == "except" and dispatch.line == 4
    (head_id, body), = cfg.loop_bodies.items()
    assert cfg.nodes[head_id].kind == "for"
    assert [(cfg.nodes[i].line, cfg.nodes[i].kind) for i in body] == [(7, "stmt")]
