"""The control-flow graph on its own: edges of every statement kind, exception edges and `finally` copies."""
from __future__ import annotations

import ast
import textwrap

from awslint.analysis.cfg import EXC, FALSE, NORMAL, TRUE, Cfg, Node, build_cfg, can_raise


def graph(source: str) -> Cfg:
    func = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
    cfg = build_cfg(func)
    assert cfg is not None
    return cfg


def at(cfg: Cfg, line: int, kind: str | None = None) -> list[Node]:
    found = [n for n in cfg.nodes if n.line == line and n.kind not in ("exit", "raise-exit", "entry")]
    if kind is not None:
        found = [n for n in found if n.kind == kind]
    assert found, f"no node at line {line}"
    return found


def one(cfg: Cfg, line: int, kind: str | None = None) -> Node:
    found = at(cfg, line, kind)
    assert len(found) == 1, found
    return found[0]


def edges(cfg: Cfg, node: Node) -> set[tuple[str, str]]:
    """(where the edge goes, its kind): a line number, or `exit`/`raise-exit`."""
    return {(t.kind if t in (cfg.exit, cfg.raise_exit) else str(t.line), kind) for t, kind in node.succ}


def reachable(cfg: Cfg, start: Node, kinds: tuple[str, ...] = (NORMAL, TRUE, FALSE, EXC)) -> set[Node]:
    seen = {start}
    stack = [start]
    while stack:
        for target, kind in stack.pop().succ:
            if kind in kinds and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def test_if_elif_else_branches() -> None:
    cfg = graph(
        """
        def f(x):
            if x > 1:
                a = 1
            elif x:
                a = 2
            else:
                a = 3
            return a
        """
    )
    assert edges(cfg, one(cfg, 3, "if")) == {("4", TRUE), ("5", FALSE)}
    assert edges(cfg, one(cfg, 5, "if")) == {("6", TRUE), ("8", FALSE)}
    assert edges(cfg, one(cfg, 4)) == {("9", NORMAL)}
    assert edges(cfg, one(cfg, 9)) == {("exit", NORMAL)}


def test_for_else_break_continue() -> None:
    cfg = graph(
        """
        def f(items):
            for item in items:
                if item is None:
                    continue
                if item:
                    break
            else:
                return 0
            return 1
        """
    )
    head = one(cfg, 3, "for")
    assert edges(cfg, head) == {("4", TRUE), ("9", FALSE), ("raise-exit", EXC)}
    assert edges(cfg, one(cfg, 5, "continue")) == {("3", NORMAL)}
    assert edges(cfg, one(cfg, 7, "break")) == {("10", NORMAL)}  # past the else
    assert edges(cfg, one(cfg, 6, "if")) == {("7", TRUE), ("3", FALSE)}


def test_while_true_has_no_exit_but_break() -> None:
    cfg = graph(
        """
        def f(sock):
            while True:
                data = sock.recv(10)
                if not data:
                    break
            return data
        """
    )
    assert edges(cfg, one(cfg, 3, "while")) == {("4", TRUE)}
    assert edges(cfg, one(cfg, 6, "break")) == {("7", NORMAL)}
    assert ("raise-exit", EXC) in edges(cfg, one(cfg, 4))


def test_raise_goes_to_matching_handler_and_unmatched_propagates() -> None:
    cfg = graph(
        """
        def f(x):
            try:
                g(x)
                raise ValueError(x)
            except KeyError:
                return 1
            except ValueError:
                return 2
            return 3
        """
    )
    first = one(cfg, 6, "except")
    assert edges(cfg, one(cfg, 5, "raise")) == {("6", EXC)}
    assert edges(cfg, one(cfg, 4)) == {("5", NORMAL), ("6", EXC)}
    assert edges(cfg, first) == {("7", NORMAL), ("8", NORMAL)}
    # the last clause names one exception: the others keep propagating
    assert edges(cfg, one(cfg, 8, "except")) == {("9", NORMAL), ("raise-exit", EXC)}


def test_catch_all_handlers_do_not_propagate() -> None:
    cfg = graph(
        """
        def f(x):
            try:
                g(x)
            except Exception:
                return 1
        """
    )
    assert edges(cfg, one(cfg, 5, "except")) == {("6", NORMAL)}


def test_finally_is_copied_per_way_in() -> None:
    cfg = graph(
        """
        def f(x):
            try:
                if x:
                    return g(x)
                h(x)
            finally:
                cleanup()
            return 0
        """
    )
    copies = at(cfg, 8)
    # falling through, returning, and an exception each have their own copy of the finally body
    assert len(copies) == 3
    targets = {frozenset(edges(cfg, n)) for n in copies}
    assert frozenset({("9", NORMAL), ("raise-exit", EXC)}) in targets  # fall-through copy
    assert frozenset({("exit", NORMAL), ("raise-exit", EXC)}) in targets  # the `return` copy
    reraise = [n for n in cfg.nodes if n.kind == "reraise"]
    assert len(reraise) == 1 and edges(cfg, reraise[0]) == {("raise-exit", EXC)}
    assert edges(cfg, one(cfg, 5, "return")) <= {(str(c.line), NORMAL) for c in copies} | {(str(8), EXC)}


def test_finally_that_returns_swallows_the_exception() -> None:
    cfg = graph(
        """
        def f(x):
            try:
                raise ValueError(x)
            finally:
                return 0
        """
    )
    assert cfg.raise_exit not in reachable(cfg, cfg.entry)
    assert cfg.exit in reachable(cfg, one(cfg, 4, "raise"))


def test_nested_try_finally_break_runs_both_finally_blocks() -> None:
    cfg = graph(
        """
        def f(items):
            for item in items:
                try:
                    try:
                        break
                    finally:
                        inner()
                finally:
                    outer()
            return 1
        """
    )
    brk = one(cfg, 6, "break")
    (inner,) = [t for t, _ in brk.succ]
    assert inner.line == 8
    (outer,) = [t for t, k in inner.succ if k == NORMAL]
    assert outer.line == 10
    assert [t.line for t, k in outer.succ if k == NORMAL] == [11]


def test_with_and_async_with() -> None:
    cfg = graph(
        """
        async def f(path, lock):
            async with lock:
                with open(path) as fh:
                    data = fh.read()
            return data
        """
    )
    # entering `lock` is taken not to fail; opening a file is a call that may
    assert edges(cfg, one(cfg, 3, "with")) == {("4", NORMAL)}
    assert edges(cfg, one(cfg, 4, "with")) == {("5", NORMAL), ("raise-exit", EXC)}
    assert edges(cfg, one(cfg, 5)) == {("6", NORMAL), ("raise-exit", EXC)}


def test_match_cases_and_irrefutable_pattern() -> None:
    cfg = graph(
        """
        def f(cmd):
            match cmd:
                case ["go", where] if where:
                    return 1
                case {"stop": _}:
                    return 2
                case _:
                    return 3
        """
    )
    assert edges(cfg, one(cfg, 3, "match")) == {("4", NORMAL)}
    assert edges(cfg, one(cfg, 4, "case")) == {("5", TRUE), ("6", FALSE)}
    assert edges(cfg, one(cfg, 6, "case")) == {("7", TRUE), ("8", FALSE)}
    assert edges(cfg, one(cfg, 8, "case")) == {("9", TRUE)}


def test_assert_yield_await_can_raise() -> None:
    cfg = graph(
        """
        async def f(x):
            assert x
            y = x + 1
            await g(y)
            return y
        """
    )
    assert edges(cfg, one(cfg, 3, "assert")) == {("4", NORMAL), ("raise-exit", EXC)}
    assert edges(cfg, one(cfg, 4)) == {("5", NORMAL)}  # arithmetic is taken not to raise
    assert edges(cfg, one(cfg, 5)) == {("6", NORMAL), ("raise-exit", EXC)}
    gen = graph(
        """
        def f(x):
            value = yield x
            return value
        """
    )
    assert ("raise-exit", EXC) in edges(gen, one(gen, 3))


def test_comprehensions_stay_in_their_statement_and_nested_functions_are_one_node() -> None:
    cfg = graph(
        """
        def f(items):
            names = [str(i) for i in items if i]
            def helper(x=g(items)):
                raise ValueError(x)
            return names, helper
        """
    )
    assert len(at(cfg, 3)) == 1
    helper = one(cfg, 4)
    assert edges(cfg, helper) == {("6", NORMAL), ("raise-exit", EXC)}  # the default's call runs here
    assert not [n for n in cfg.nodes if n.line == 5]  # the nested body is not part of this graph


def test_safe_builtins_do_not_raise() -> None:
    cfg = graph(
        """
        def f(items):
            n = len(items)
            for i in range(n):
                print(i)
        """
    )
    assert edges(cfg, one(cfg, 3)) == {("4", NORMAL)}
    assert edges(cfg, one(cfg, 5)) == {("4", NORMAL)}


def test_lambda_graph() -> None:
    func = ast.parse("f = lambda p: open(p).read()").body[0].value  # type: ignore[attr-defined]
    cfg = build_cfg(func)
    assert cfg is not None
    body = [n for n in cfg.nodes if n.kind == "stmt"]
    assert len(body) == 1 and edges(cfg, body[0]) == {("exit", NORMAL), ("raise-exit", EXC)}


def test_deep_nesting_gives_no_graph_rather_than_an_error() -> None:
    inner: list[ast.stmt] = [ast.Pass()]
    for _ in range(20_000):
        inner = [ast.If(test=ast.Name("x", ast.Load()), body=inner, orelse=[], lineno=2, col_offset=0)]
    func = ast.FunctionDef(
        name="f", args=ast.arguments([], [], None, [], [], None, []), body=inner, decorator_list=[], lineno=1
    )
    assert build_cfg(func) is None


def test_logging_path_joins_and_string_methods_do_not_raise_but_iteration_does() -> None:
    cfg = graph(
        """
        def f(log, base, name, lines):
            log.info("joining %s", name)
            path = os.path.join(base, name.strip())
            names = [n for n in lines]
            fixed = [n for n in ("a", "b")]
        """
    )
    assert edges(cfg, one(cfg, 3)) == {("4", NORMAL)}
    assert edges(cfg, one(cfg, 4)) == {("5", NORMAL)}
    assert edges(cfg, one(cfg, 5)) == {("6", NORMAL), ("raise-exit", EXC)}
    assert edges(cfg, one(cfg, 6)) == {("exit", NORMAL)}


def test_exiting_the_program_ends_the_path() -> None:
    cfg = graph(
        """
        def main(argv):
            if not argv:
                sys.exit(2)
            return 0
        """
    )
    end = one(cfg, 4, "end")
    assert end.succ == []


def test_a_call_that_always_raises_has_only_its_exception_edge() -> None:
    cfg = graph(
        """
        def view(item):
            if item is None:
                flask.abort(404)
            return item
        """
    )
    # `flask.abort` raises to the caller every time: what follows is not reached from it, and it is not
    # the end of the program either
    abort = one(cfg, 4, "stmt")
    assert edges(cfg, abort) == {("raise-exit", EXC)}
    assert one(cfg, 4).kind != "end"


def test_suppress_continues_after_its_block() -> None:
    cfg = graph(
        """
        def f(fh, parse):
            with contextlib.suppress(Exception):
                data = fh.read()
            with suppress(ValueError, KeyError):
                data = parse(data)
            fh.close()
        """
    )
    # suppress() itself does not fail; what it covers goes on after the block, through a handler
    assert edges(cfg, one(cfg, 3, "with")) == {("4", NORMAL)}
    (read_exc,) = [t for t, k in one(cfg, 4).succ if k == EXC]
    assert read_exc.kind == "except" and edges(cfg, read_exc) == {("5", NORMAL)}
    # exceptions it does not name keep propagating
    (parse_exc,) = [t for t, k in one(cfg, 6).succ if k == EXC]
    assert parse_exc.kind == "except" and edges(cfg, parse_exc) == {("7", NORMAL), ("raise-exit", EXC)}


def test_close_is_taken_not_to_raise() -> None:
    cfg = graph(
        """
        def f(a, b):
            try:
                a.write(b.read())
            finally:
                a.close()
                b.close()
        """
    )
    assert all(k != EXC for n in at(cfg, 6) for _, k in n.succ)


def test_annotations_of_locals_are_not_evaluated() -> None:
    """`rows: list[dict[str, Any]] = []` in a function evaluates only its value (PEP 526)."""
    (stmt,) = ast.parse("rows: list[dict[str, Any]] = []").body
    assert not can_raise((stmt,))
    (stmt,) = ast.parse("rows: list[int] = load()").body
    assert can_raise((stmt,))
    (stmt,) = ast.parse("self.rows: dict[str, int] = {}").body
    assert not can_raise((stmt,))


def test_nodes_reached_only_from_above_are_those_outside_loops() -> None:
    # What a forward pass taking the highest id first sees whole and takes once: the taint interpreter
    # evaluates such a node's state in place instead of copying it.
    cfg = graph("""
        def f(items, flag):
            a = 1
            if flag:
                b = 2
            else:
                b = 3
            for item in items:
                c = item
                if c:
                    continue
            while flag:
                flag = step(flag)
            d = 4
            try:
                e = risky()
            except ValueError:
                e = 0
            return a + b + d + e
    """)
    final = cfg.reached_only_from_above()
    outside = [one(cfg, 3), one(cfg, 4, "if"), one(cfg, 5), one(cfg, 7), one(cfg, 14), one(cfg, 19)]
    inside = [one(cfg, 8, "for"), one(cfg, 9), one(cfg, 10, "if"), one(cfg, 12, "while"), one(cfg, 13)]
    assert all(node.id in final for node in outside), [n for n in outside if n.id not in final]
    assert not any(node.id in final for node in inside), [n for n in inside if n.id in final]
    # a node no id below reaches takes every edge into it before it is taken itself: all come from above
    for node in cfg.nodes:
        if node.id in final:
            assert all(source.id > node.id for source in cfg.nodes for target, _ in source.inside_succ
                       if target is node)
