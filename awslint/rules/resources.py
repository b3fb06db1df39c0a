"""Resource leaks (AWS101–AWS104): files, sockets, connections and pools left open on some path.

A resource is the result of a factory call (the catalogue in `awslint/data/resources.py`, plus the
user's `resource-factories`). A resource bound to a local name is followed along the function's
control-flow graph (`awslint/analysis/resource_flow.py`); one used inline is AWS103; a database
connection whose `with` does not close it is AWS104. Only functions that call a factory get a graph.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from awslint.analysis.cfg import EXC, FALSE, TRUE, Cfg, Node, can_raise, safe_call
from awslint.analysis.index import FunctionNode
from awslint.analysis.resource_aliases import local_aliases, with_aliases
from awslint.analysis.resource_receivers import ClassOf, Receivers
from awslint.analysis.resource_flow import (
    Branches,
    Chains,
    Effect,
    Flags,
    Leak,
    NodeEffect,
    fact_key,
    flag_names,
    follow,
    reaching,
)
from awslint.analysis.resource_sites import (
    INSPECT,
    Catalogue,
    FunctionFacts,
    effects_of,
    is_context_manager,
    pipe_steps,
)
from awslint.context import Context
from awslint.data.resources import (
    ALWAYS_RELEASES,
    BORROWER_METHODS,
    BORROWERS,
    FACTORY_BY_NAME,
    FINALISED_FOR_NAME,
    KEEPING_CALLS,
    STORING_METHODS,
    Factory,
)
from awslint.finding import Finding, Step
from awslint.rule import Family, Option, Rule

_FIX = "use `with` or close it in `finally`"
FAMILY_NAME = "resources"


class ResourceNotClosed(Rule):
    """
    ## What it finds

    A file, socket, connection, process or pool bound to a local name that some normal path through
    the function (a branch, an early `return`, a `break` or `continue`, rebinding the name, the next
    iteration of a loop) neither releases nor hands over to an owner (returns it, yields it, stores
    it in an attribute or container, or gives it to a function that may keep it).

    ## Why is this bad?

    Each leaked object holds an operating-system resource until the garbage collector happens to
    finalise it: on busy or long-running processes, services run out of file descriptors or
    connection slots, and written data may never be flushed. The paths that leak are the ones tests
    rarely take. A `with` statement releases the resource on every path.

    ## Where it reports

    At the call that acquires the resource, in product and test code alike. A module-level resource
    bound to a global name lives as long as the program and is not reported. An archive written over
    an in-memory buffer (`ZipFile(io.BytesIO(), "w")`) that is never closed is reported: its `close()`
    writes the end of the archive.

    ## References

    - [The `with` statement](https://docs.python.org/3/reference/compound_stmts.html#the-with-statement)
    - [`contextlib.closing`](https://docs.python.org/3/library/contextlib.html#contextlib.closing)
    """

    code = "AWS101"
    name = "resource-not-closed"
    msgid = "W7311"
    title = "Resource is not released on every path"
    message = "`{var}` opened at line {line} is not closed {where}; {fix}"
    INVALID = (
        '''
def read_lines(path):
    lines = []
    f = open(path, encoding="utf-8")  # expect: AWS101
    for line in f:
        lines.append(line.rstrip("\\n"))
    return lines
''',
        '''
import socket

def first_open_port(host, ports):
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # expect: AWS101
        if s.connect_ex((host, port)) == 0:
            return port
        s.close()
    return None
''',
    )
    VALID = (
        '''
def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\\n") for line in f]
''',
        '''
import socket

def first_open_port(host, ports):
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex((host, port)) == 0:
                return port
    return None
''',
    )


class ResourceLeakOnException(Rule):
    """
    ## What it finds

    A resource that the function releases on every normal path, but not protected by `with` or
    `try`/`finally`: an exception raised between acquiring and releasing it (a call that fails, an
    explicit `raise`) leaves the function, or reaches a handler from which the function exits,
    without the release.

    ## Why is this bad?

    The exceptional path is exactly the one under load or failure: a retry loop that keeps raising
    leaks one connection or file per attempt until the process runs out of them. `with` (or closing
    in `finally`) releases the resource whichever way the block is left.

    ## Where it reports

    At the call that acquires the resource, in product and test code alike, when something between
    acquiring and releasing it can raise (a call, a subscript of a value the function did not build,
    `raise`, `assert`, `await`, a `yield` in a `@contextmanager` generator). In-memory objects
    (`io.BytesIO`, archives over such a buffer, an anonymous `mmap`) are not reported, nor a process
    whose only unreleased path is the timeout of `communicate(timeout=)`/`wait(timeout=)` (AWS105).

    ## References

    - [The `try` statement](https://docs.python.org/3/reference/compound_stmts.html#the-try-statement)
    """

    code = "AWS102"
    name = "resource-leak-on-exception"
    msgid = "W7312"
    title = "Resource is not released when an exception is raised"
    message = "`{var}` opened at line {line} is not closed when {event}; {fix}"
    INVALID = (
        '''
import sqlite3

def get_connection(db_path, retries=3):
    for attempt in range(retries):
        conn = sqlite3.connect(db_path)  # expect: AWS102
        if not validate_connection(conn):
            close_quietly(conn)
        else:
            return conn
    raise RuntimeError("no valid connection")
''',
        '''
def load_template(path):
    f = open(path, encoding="utf-8")  # expect: AWS102
    text = f.read()
    f.close()
    return text
''',
    )
    VALID = (
        '''
import sqlite3

def get_connection(db_path, retries=3):
    for attempt in range(retries):
        conn = sqlite3.connect(db_path)
        acquired = False
        try:
            if validate_connection(conn):
                acquired = True
                return conn
        finally:
            if not acquired:
                close_quietly(conn)
    raise RuntimeError("no valid connection")
''',
        '''
def load_template(path):
    f = open(path, encoding="utf-8")
    try:
        return f.read()
    finally:
        f.close()
''',
    )


class ResourceNotBound(Rule):
    """
    ## What it finds

    A resource used inline and never closed: `open(p).read()`, `json.load(open(p))`,
    `for line in open(p):`, a factory call whose result is discarded. The touch idiom
    `open(p, "a").close()` is fine.

    ## Why is this bad?

    Nothing holds the object, so nothing can close it: the file descriptor stays open until the
    garbage collector finalises the object, which on PyPy or with reference cycles may be much
    later, and written data may be lost. CPython also warns with `ResourceWarning`.

    ## Where it reports

    At the factory call, in product and test code alike, and at module level too. A file inside a
    display that is only a call's argument (`requests.put(url, files={"f": open(p)})`) is reported;
    `tempfile.NamedTemporaryFile().name` and `TemporaryDirectory().name` are not (the object is
    finalised at once).
    """

    code = "AWS103"
    name = "resource-not-bound"
    msgid = "W7313"
    title = "Resource used inline is never closed"
    message = "`{call}(...)` at line {line} {how} and never closed; open it in a `with` statement"
    INVALID = (
        '''
import json

def load_profile(path):
    return json.load(open(path))  # expect: AWS103
''',
        '''
def count_errors(log_path):
    return sum(1 for line in open(log_path) if " ERROR " in line)  # expect: AWS103
''',
    )
    VALID = (
        '''
import json

def load_profile(path):
    with open(path) as fh:
        return json.load(fh)
''',
        '''
def touch(path):
    open(path, "a").close()
''',
    )


class ConnectionNotClosedByWith(Rule):
    """
    ## What it finds

    A database connection (`sqlite3.connect`, `psycopg2.connect`, `pyodbc.connect` …) used as a
    `with` item and never closed.

    ## Why is this bad?

    The context manager of these connections commits or rolls back the transaction and leaves the
    connection open, unlike a file's. Code that looks as safe as `with open(...)` leaks one
    connection per call. Wrap it in `contextlib.closing`, or close it in `finally`.

    ## Where it reports

    At the `connect` call in the `with`, in product and test code alike.

    ## References

    - [sqlite3: how to use the connection context manager](https://docs.python.org/3/library/sqlite3.html#sqlite3-connection-context-manager)
    """

    code = "AWS104"
    name = "connection-not-closed-by-with"
    msgid = "W7314"
    title = "Database connection's `with` does not close it"
    message = (
        "{var} from `{call}()` at line {line} is never closed: its `with` only commits or rolls back; "
        "use `with contextlib.closing({call}(...)) as {name}:`"
    )
    INVALID = (
        '''
import sqlite3

def save_settings(path, settings):
    with sqlite3.connect(path) as db:  # expect: AWS104
        db.executemany("REPLACE INTO settings VALUES (?, ?)", settings.items())
''',
    )
    VALID = (
        '''
import contextlib
import sqlite3

def save_settings(path, settings):
    with contextlib.closing(sqlite3.connect(path)) as db:
        with db:
            db.executemany("REPLACE INTO settings VALUES (?, ?)", settings.items())
''',
    )


OPTIONS = (
    Option(
        "resource-factories",
        "extra functions or classes whose result must be closed, as dotted names (`mylib.connect`), methods of "
        "a class (`Engine.connect`: on a receiver the module shows is an `Engine`) or of any receiver "
        "(`.getconn`)",
    ),
    Option(
        "release-functions",
        "extra functions that release the resource passed to them, as dotted names (`mylib.release`), methods "
        "of a class (`Pool.putconn`) or of any receiver (`.putconn`)",
    ),
)


def check(ctx: Context) -> Iterable[Finding]:
    catalogue = _catalogue(ctx.option("resource-factories"), ctx.option("release-functions"))
    facts = _Facts(Receivers(ctx.model, ctx.names) if catalogue.asks_receivers else None)
    # every module-level call passes through here: a set lookup on its name is all most of them cost
    wanted = catalogue.last_names | ctx.names.aliases.keys()
    name_type, attribute_type = ast.Name, ast.Attribute
    for call, func in ctx.index.calls:
        func_expr = call.func
        kind_of = type(func_expr)
        if kind_of is attribute_type:
            last = func_expr.attr  # type: ignore[attr-defined]
        elif kind_of is name_type:
            last = func_expr.id  # type: ignore[attr-defined]
        else:
            continue
        if last not in wanted:
            continue
        factory = catalogue.factory(call, ctx.names, frozenset(), facts.class_of(func))
        if func is not None and (factory is None or factory.wraps or factory.name == "mmap.mmap"):
            # over an in-memory buffer: a write-mode archive (its normal paths matter), or nothing
            memory = _memory_archive(call, func, facts, catalogue, ctx)
            if memory is not None:
                factory = memory if memory.in_memory else None
        if factory is None:
            continue
        top = func if func is not None else _top_statement(ctx.tree, call)
        parents = _ancestors(top, call) if top is not None else None
        if parents is None or _expected_to_raise(call, parents):
            continue
        kind, detail = _site(call, factory, parents, ctx)
        if kind == "inline" and _probes_for_failure(call, parents):
            continue
        if kind in ("handed", "released") or (kind == "with" and factory.with_closes):
            continue  # the common case, decided without looking at the rest of the function
        if factory.in_memory and kind != "bound":
            continue  # an archive over a buffer used inline or in a `with`: nothing the system runs out of
        info: FunctionFacts | None = None
        if func is not None:
            info = facts.of(func)
            root = _root(func_expr)
            if (
                root is not None
                and root in info.shadowed
                and ctx.names.resolve(func_expr) is not None
                and not _imported_then_bound(info, root, catalogue, ctx)
            ):
                continue  # the function rebinds the name it calls
        yield from _check_site(ctx, catalogue, call, factory, info, kind, detail)


class _Facts:
    """`FunctionFacts` of the functions that acquire something, built once each."""

    def __init__(self, receivers: Receivers | None) -> None:
        self.receivers = receivers
        self.built: dict[FunctionNode, FunctionFacts] = {}

    def of(self, func: FunctionNode) -> FunctionFacts:
        info = self.built.get(func)
        if info is None:
            info = self.built[func] = FunctionFacts.of(func)
            info.class_of = self.class_of(func)
        return info

    def class_of(self, func: FunctionNode | None) -> ClassOf | None:
        return self.receivers.class_of(func) if self.receivers is not None else None


@lru_cache(maxsize=16)
def _catalogue(factories: tuple[str, ...], releasers: tuple[str, ...]) -> Catalogue:
    return Catalogue(factories, releasers)


def _top_statement(tree: ast.AST, call: ast.Call) -> ast.stmt | None:
    """The module-level statement that holds `call`."""
    body = tree.body if isinstance(tree, ast.Module) else []
    lo, hi = 0, len(body) - 1
    while lo < hi:  # the last statement starting at or before the call
        mid = (lo + hi + 1) // 2
        if body[mid].lineno <= call.lineno:
            lo = mid
        else:
            hi = mid - 1
    return body[lo] if body else None


def _position(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]] | None:
    line = getattr(node, "lineno", None)
    if line is None:
        return None
    return (line, node.col_offset), (node.end_lineno or line, node.end_col_offset or 0)  # type: ignore[attr-defined]


def _ancestors(top: ast.AST, target: ast.AST) -> dict[ast.AST, ast.AST] | None:
    """The parent of each node from `target` up to `top`, found by descending through the nodes whose
    source span holds `target` (cheaper than a parent map of the whole function)."""
    span = _position(target)
    if span is None:
        return None
    start, end = span
    parents: dict[ast.AST, ast.AST] = {}
    node = top
    for _ in range(10_000):
        if node is target:
            return parents
        found = _child_holding(node, target, start, end)
        if found is None:
            return None
        chain, child = found
        for parent, kid in chain:
            parents[kid] = parent
        node = child
    return None


def _child_holding(
    node: ast.AST, target: ast.AST, start: tuple[int, int], end: tuple[int, int]
) -> tuple[list[tuple[ast.AST, ast.AST]], ast.AST] | None:
    """The child of `node` (through position-less nodes such as `withitem` or `keyword`) whose span holds
    the target, with the parent links that lead to it."""
    stack: list[tuple[ast.AST, list[tuple[ast.AST, ast.AST]]]] = [(node, [])]
    while stack:
        current, chain = stack.pop()
        for child in _candidates(current, start):
            if child is target:
                return chain + [(current, child)], child
            pos = _position(child)
            if pos is None:
                stack.append((child, chain + [(current, child)]))
            elif pos[0] <= start and end <= pos[1]:
                return chain + [(current, child)], child
    return None


def _candidates(node: ast.AST, start: tuple[int, int]) -> Iterator[ast.AST]:
    """The children of `node` that may hold a position at `start`: in a long statement or expression
    list, only the last one starting at or before it (found by bisection, so that finding the parents
    of every call in a function of thousands of statements stays linear overall)."""
    for _, value in ast.iter_fields(node):
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            if len(value) > 16 and all(isinstance(v, (ast.stmt, ast.expr)) for v in (value[0], value[-1])):
                lo, hi = 0, len(value) - 1
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if (value[mid].lineno, value[mid].col_offset) <= start:
                        lo = mid
                    else:
                        hi = mid - 1
                yield value[lo]
            else:
                yield from (v for v in value if isinstance(v, ast.AST))


def _check_site(
    ctx: Context,
    catalogue: Catalogue,
    call: ast.Call,
    factory: Factory,
    info: FunctionFacts | None,
    kind: str,
    detail: str | None,
) -> Iterator[Finding]:
    if kind == "inline" and ctx.enabled("AWS103"):
        name = _call_name(call)
        yield ResourceNotBound.at(
            call,
            path=(Step(call.lineno, call.col_offset, f"`{name}(...)` {detail} and never closed"),),
            call=name,
            line=call.lineno,
            how=detail,
        )
        return
    if info is None or isinstance(info.func, ast.Lambda):
        return  # module-level resources live as long as the program
    if kind == "with" and not factory.with_closes and ctx.enabled("AWS104"):
        if detail and _released_or_handed(info, detail, factory, catalogue, ctx):
            # closed after its `with` (which only ends the transaction): followed like any bound name
            yield from _follow_bound(ctx, catalogue, call, factory, info, detail)
            return
        var = f"`{detail}`" if detail else "the connection"
        yield ConnectionNotClosedByWith.at(
            call,
            path=(Step(call.lineno, call.col_offset, "the `with` block ends the transaction, not the connection"),),
            var=var,
            call=factory.name,
            line=call.lineno,
            name=detail or "conn",
        )
        return
    if kind == "bound" and detail:
        yield from _follow_bound(ctx, catalogue, call, factory, info, detail)


def _follow_bound(
    ctx: Context, catalogue: Catalogue, call: ast.Call, factory: Factory, info: FunctionFacts, var: str
) -> Iterator[Finding]:
    if var not in info.shadowed or var in info.nested_names:
        return  # a global, or captured by a nested function: the resource outlives the call
    followed = info.memo.get(("followed", var))
    if not isinstance(followed, bool):
        followed = info.memo[("followed", var)] = _single_identity(
            info, var, catalogue, ctx
        ) and not _derived_value_captured(info, var)
    if not followed:
        return
    cfg = info.cfg
    if cfg is None:
        if info.skipped and not info.memo.get("reported-skip"):
            info.memo["reported-skip"] = True
            ctx.skipped(info.func, FAMILY_NAME, f"{_function_name(info.func)} is not analysed: {info.skipped}")
        return
    starts = _nodes_holding(cfg, call, info)
    if not starts:
        return
    usage = effects_of(info, var, factory, catalogue, ctx.names)
    found_aliases = info.memo.get(("aliases", var))
    if not isinstance(found_aliases, tuple):
        found_aliases = info.memo[("aliases", var)] = local_aliases(info, var)
    aliases, statements = found_aliases
    aliasing = None
    if aliases:
        usage, aliasing = with_aliases(
            usage, aliases, statements, lambda name: effects_of(info, name, factory, catalogue, ctx.names)
        )
    outcome = follow(
        cfg,
        starts,
        usage.effects,
        _flags(info, cfg, var),
        rank=lambda leak: _plausibility(leak, var),
        branches=_branches(info, cfg),
        start_facts=_enclosing_tests(call, info),
        raising_start=_later_items_raise(call, info),
        aliases=aliasing,
        quiet=pipe_steps(info, var, starts) if factory.kind == "process" else frozenset(),
        chains=_chains(info, cfg),
    )
    if outcome.skipped:
        ctx.skipped(
            call,
            FAMILY_NAME,
            f"`{var}` opened at line {call.lineno} in {_function_name(info.func)} is not followed: "
            f"{outcome.skipped}",
        )
    if outcome.normal_leak is not None:
        leak = outcome.normal_leak
        if usage.in_with and leak.how in ("exit", "raise-exit") and ctx.enabled("AWS104"):
            yield ConnectionNotClosedByWith.at(
                call,
                path=_steps(leak, var, call, cfg),
                var=f"`{var}`",
                call=factory.name,
                line=call.lineno,
                name=var,
            )
        elif ctx.enabled("AWS101"):
            yield ResourceNotClosed.at(
                call,
                path=_steps(leak, var, call, cfg),
                var=var,
                line=call.lineno,
                where=_where(leak, call, cfg, aliasing.effects if aliasing else usage.effects, var),
                fix=_fix(factory, var),
            )
    elif outcome.exception_leak is not None and ctx.enabled("AWS102") and not factory.in_memory:
        leak = outcome.exception_leak
        yield ResourceLeakOnException.at(
            call,
            path=_steps(leak, var, call, cfg),
            var=var,
            line=call.lineno,
            event=_event(leak, var, is_context_manager(info.func, ctx.names)),
            fix=_fix(factory, var),
        )


def _chains(info: FunctionFacts, cfg: Cfg) -> Chains:
    found = info.memo.get("chains")
    if not isinstance(found, Chains):
        found = info.memo["chains"] = Chains(cfg)
    return found


def _fix(factory: Factory, var: str) -> str:
    """The fix for the kind of resource: a process is released by waiting for it, not by a close."""
    if factory.kind == "process":
        return f"use `with {factory.short}(...)` or call `{var}.communicate()` (or `{var}.wait()`) in `finally`"
    return _FIX


def _branches(info: FunctionFacts, cfg: Cfg) -> Branches:
    found = info.memo.get("branches")
    if not isinstance(found, Branches):
        found = info.memo["branches"] = Branches(cfg)
    return found


def _flags(info: FunctionFacts, cfg: Cfg, var: str) -> Flags | None:
    """The constant flags the function tests (`acquired = False` … `if not acquired:`), but `var`."""
    every = info.memo.get("flag-names")
    if not isinstance(every, frozenset):
        every = info.memo["flag-names"] = flag_names(cfg, "")
    names = frozenset(every - {var})
    if not names:
        return None
    found = info.memo.get(("flags", names))
    if not isinstance(found, Flags):
        found = info.memo[("flags", names)] = Flags(cfg, names)
    return found


def _function_name(func: FunctionNode) -> str:
    return f"`{func.name}()`" if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) else "a lambda"


_RAISES = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "raises"})


def _expected_to_raise(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside `with self.assertRaises(...)` or `pytest.raises(...)` the acquisition is meant to fail."""
    node: ast.AST | None = parents.get(call)
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and isinstance(expr.func, (ast.Attribute, ast.Name)):
                    name = expr.func.attr if isinstance(expr.func, ast.Attribute) else expr.func.id
                    if name in _RAISES:
                        return True
        node = parents.get(node)
    return False


def _enclosing_tests(call: ast.Call, info: FunctionFacts) -> tuple[tuple[str, object], ...]:
    """The pure `if` tests decided on the way to the acquisition: `if use_file: f = open(p)`."""
    facts: dict[str, object] = {}
    child: ast.AST = call
    parent = info.parents.get(child)
    while parent is not None and parent is not info.func:
        if isinstance(parent, ast.If) and child is not parent.test:
            key = fact_key(parent.test)
            if key is not None:
                facts.setdefault(key, child in parent.body)
        elif isinstance(parent, ast.IfExp) and child is not parent.test:
            key = fact_key(parent.test)
            if key is not None:
                facts.setdefault(key, child is parent.body)
        child, parent = parent, info.parents.get(parent)
    return tuple(sorted(facts.items()))


def _probes_for_failure(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    """`try: open(path)` / `except OSError: …`: a discarded call whose failure is what the code wants."""
    statement = parents.get(call)
    holder = parents.get(statement) if isinstance(statement, ast.Expr) else None
    return isinstance(holder, ast.Try) and bool(holder.handlers) and statement in holder.body


def _root(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _site(
    call: ast.Call, factory: Factory, parents: dict[ast.AST, ast.AST], ctx: Context
) -> tuple[str, str | None]:
    """Where the factory's result goes: `inline` (with how), `bound` (to a name), `with`, or `handed`."""
    node: ast.AST = call
    parent = parents.get(node)
    if isinstance(parent, ast.Await):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        grand = parents.get(parent)
        if isinstance(grand, ast.Call) and grand.func is parent:
            if parent.attr in ALWAYS_RELEASES or parent.attr in factory.releases:
                return "released", None
            return "inline", f"is used through `.{parent.attr}()`"
        if parent.attr == "name" and factory.name in FINALISED_FOR_NAME:
            # the object is finalised at once and deletes what it made: a dangling path, not a leak
            return "handed", None
        return "inline", f"is used through `.{parent.attr}`"
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
        return "inline", "is iterated by a `for` loop"
    if isinstance(parent, ast.comprehension) and parent.iter is node:
        return "inline", "is iterated by a comprehension"
    if isinstance(parent, ast.IfExp) and node is not parent.test and _none_or_factory(parent, node):
        # `fh = open(p) if p else None`: bound when the test holds (a fact the search starts with)
        node, parent = parent, parents.get(parent)
        if not isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            return "handed", None
    in_display = _display_argument(node, parents)
    if in_display is not None:
        return "inline", f"is passed inside a display to `{_call_name(in_display)}()`"
    if isinstance(parent, ast.keyword):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Call) and parent.func is not node:
        callee = ctx.names.resolve(parent.func)
        if callee in BORROWERS:
            return "inline", f"is passed to `{callee}()`"
        if isinstance(parent.func, ast.Attribute) and parent.func.attr in BORROWER_METHODS:
            return "inline", f"is passed to `.{parent.func.attr}()`"
        return "handed", None
    if isinstance(parent, ast.Expr):
        return "inline", "is discarded"
    if isinstance(parent, (ast.Tuple, ast.List)):
        unpacked = _unpacked_target(parent, node, parents)
        if unpacked is not None:
            return "bound", unpacked
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return "bound", parent.targets[0].id
    if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
        return "bound", parent.target.id
    if isinstance(parent, ast.NamedExpr):
        return "bound", parent.target.id
    if isinstance(parent, ast.withitem) and parent.context_expr is node:
        target = parent.optional_vars
        return "with", target.id if isinstance(target, ast.Name) else None
    return "handed", None


def _memory_archive(
    call: ast.Call, func: FunctionNode, facts: _Facts, catalogue: Catalogue, ctx: Context
) -> Factory | None:
    """For a call over an in-memory buffer (`ZipFile(io.BytesIO(), "w")`, or over a local name the
    function binds only to `io.BytesIO()`; an anonymous `mmap.mmap(-1, n)`): the factory of a write-mode
    archive, marked `in_memory`, or the read-only one unmarked (no resource); None when the call is
    not over memory."""
    if ctx.names.resolve(call.func) == "mmap.mmap":
        first = call.args[0] if call.args else None
        anonymous = (
            isinstance(first, ast.UnaryOp) and isinstance(first.op, ast.USub)
            and isinstance(first.operand, ast.Constant) and first.operand.value == 1
        )
        return FACTORY_BY_NAME["mmap.mmap"] if anonymous else None
    wrapped = _wrapped(call)
    if wrapped is None:
        return None
    found = catalogue.memory_writer(call, ctx.names)
    factory = found[0] if found is not None else FACTORY_BY_NAME.get(ctx.names.resolve(call.func) or "")
    if factory is None:
        return None
    if catalogue.is_memory(wrapped, ctx.names):
        return factory
    if not isinstance(wrapped, ast.Name):
        return None
    info = facts.of(func)
    stores = info.stores(wrapped.id)
    if not stores or wrapped.id not in info.shadowed:
        return None
    for store in stores:
        holder = info.parents.get(store)
        if not (isinstance(holder, ast.Assign) and catalogue.is_memory(holder.value, ctx.names)):
            return None
    return factory


def _wrapped(call: ast.Call) -> ast.expr | None:
    """The object a wrapper factory is given (`fileobj=`, else its first argument)."""
    for kw in call.keywords:
        if kw.arg == "fileobj":
            return kw.value
    return call.args[0] if call.args else None


def _imported_then_bound(info: FunctionFacts, root: str, catalogue: Catalogue, ctx: Context) -> bool:
    """`import socket` in the function, then `socket = socket.socket()`: the call still reaches the
    module, since the only other bindings of the name are to the resources it makes."""
    if root not in info.imported:
        return False
    for store in info.stores(root):
        holder = info.parents.get(store)
        if not (
            isinstance(holder, ast.Assign)
            and holder.targets == [store]
            and isinstance(holder.value, ast.Call)
            and _root(holder.value.func) == root
            and catalogue.factory(holder.value, ctx.names, frozenset(), info.class_of) is not None
        ):
            return False
    return True


def _display_argument(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.Call | None:
    """The call whose argument is a display holding `node` (`requests.put(url, files={"f": open(p)})`):
    the display dies with the call, so nothing owns the resource after it. None when the callee may
    keep the display (a constructor, `append`, `submit`, a thread's `args=`)."""
    parent = parents.get(node)
    climbed = False
    while isinstance(parent, (ast.Dict, ast.List, ast.Tuple, ast.Set)) and not (
        isinstance(parent, ast.Dict) and node in parent.keys
    ):
        node, parent, climbed = parent, parents.get(parent), True
    if not climbed:
        return None
    keyword = isinstance(parent, ast.keyword)
    if isinstance(parent, ast.keyword):
        node, parent = parent, parents.get(parent)
    if not isinstance(parent, ast.Call) or parent.func is node:
        return None
    func = parent.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if not last or last[0].isupper() or last in KEEPING_CALLS:
        return None
    if last in STORING_METHODS and not (keyword and last in ("put", "post", "add", "insert", "push")):
        return None  # `items.append((open(p), n))` keeps it; `requests.put(url, files={...})` does not
    return parent


def _later_items_raise(call: ast.Call, info: FunctionFacts) -> bool:
    """`src, dst = open(a), open(b)`: whether an item after `call` in the same tuple can raise."""
    value = info.parents.get(call)
    if not isinstance(value, (ast.Tuple, ast.List)) or call not in value.elts:
        return False
    return can_raise(tuple(value.elts[value.elts.index(call) + 1:]))


def _none_or_factory(choice: ast.IfExp, taken: ast.AST) -> bool:
    """Whether the other branch of `choice` is None (`open(p) if p else None`)."""
    other = choice.orelse if taken is choice.body else choice.body
    return isinstance(other, ast.Constant) and other.value is None


def _unpacked_target(value: ast.Tuple | ast.List, item: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """`src, dst = open(a), open(b)`: the name the item at the same position is bound to."""
    holder = parents.get(value)
    if not (isinstance(holder, ast.Assign) and holder.value is value and len(holder.targets) == 1):
        return None
    target = holder.targets[0]
    if not isinstance(target, (ast.Tuple, ast.List)) or len(target.elts) != len(value.elts):
        return None
    if any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
        return None
    for element, bound in zip(value.elts, target.elts):
        if element is item:
            return bound.id if isinstance(bound, ast.Name) else None
    return None


def _released_or_handed(info: FunctionFacts, var: str, factory: Factory, catalogue: Catalogue, ctx: Context) -> bool:
    usage = effects_of(info, var, factory, catalogue, ctx.names)
    return any(e.effect >= Effect.HANDOVER for e in usage.effects.values())


def _single_identity(info: FunctionFacts, var: str, catalogue: Catalogue, ctx: Context) -> bool:
    """Whether every value assigned to `var` is a resource from a factory, or None.

    A name that holds either a file it opened or one it was given (`f = open(p) if … else
    sys.stdout`, `f = fileobj` on another branch) is closed or not according to flags the analysis
    does not follow; it is left alone.
    """
    for node in info.stores(var):
        parent = info.parents.get(node)
        if not isinstance(node.ctx, ast.Store):
            continue
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            value = parent.value
            if isinstance(value, ast.Await):
                value = value.value
            if value is None or (isinstance(value, ast.Constant) and value.value is None):
                continue
            if isinstance(value, ast.IfExp) and any(_none_or_factory(value, b) for b in (value.body, value.orelse)):
                value = value.body if isinstance(value.orelse, ast.Constant) else value.orelse
            if isinstance(value, ast.Call) and (
                catalogue.factory(value, ctx.names, frozenset(), info.class_of) is not None
                or catalogue.memory_writer(value, ctx.names) is not None
            ):
                continue
            return False
    return True


def _derived_value_captured(info: FunctionFacts, var: str) -> bool:
    """Whether a nested function keeps using what the resource produced (`resp = conn.getresponse()`
    read by a generator the function returns): the resource lives on with it, owned by that closure."""
    for node in info.by_name.get(var, ()):
        parent = info.parents.get(node)
        if not isinstance(parent, ast.Attribute):
            continue
        if parent.attr in INSPECT:
            continue  # a name or an address, not something that uses the resource
        call = info.parents.get(parent)
        holder = info.parents.get(call) if isinstance(call, ast.Call) and call.func is parent else None
        if (
            isinstance(holder, ast.Assign)
            and len(holder.targets) == 1
            and isinstance(holder.targets[0], ast.Name)
            and holder.targets[0].id in info.nested_names
        ):
            return True
    return False


def _nodes_holding(cfg: Cfg, call: ast.Call, info: FunctionFacts) -> list[Node]:
    """The graph nodes that evaluate `call` (several when it sits in a copied `finally`)."""
    found: list[Node] = []
    node: ast.AST | None = call
    while node is not None and node is not info.func:
        found.extend(n for n in cfg.holding(node) if n not in found)
        node = info.parents.get(node)
    found.sort(key=lambda n: n.id)
    return found


def _call_name(call: ast.Call) -> str:
    func = call.func
    try:
        text = ast.unparse(func)
    except Exception:  # pragma: no cover - unparse handles every expression ast.parse produces
        text = ""
    if not text or len(text) > 40:
        text = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "call"
    return text


def _raising_call(node: Node, var: str) -> ast.Call | None:
    """The call to name when `node` raises: one that touches the resource, else the first one."""
    calls: list[ast.Call] = []
    stack: list[ast.AST] = list(node.parts)
    while stack:
        sub = stack.pop(0)
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(sub, ast.Call) and not safe_call(sub.func):
            calls.append(sub)
        stack.extend(ast.iter_child_nodes(sub))
    for call in calls:
        if _inspects(call, var):
            continue  # `s.getsockname()` only asks: a call around it is the step that fails
        touched = [call.func, *call.args, *(k.value for k in call.keywords)]
        if any(isinstance(t, ast.Name) and t.id == var for t in touched) or _root(call.func) == var:
            return call
    return calls[0] if calls else None


def _inspects(call: ast.Call, var: str) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in INSPECT and isinstance(func.value, ast.Name) and (
        func.value.id == var
    )


def _plausibility(leak: Leak, var: str) -> int:
    """How convincing the raising step of an exceptional path is (lower is better): an operation on
    the resource itself first, then a call it is passed to, then an explicit `raise`, then the rest."""
    node = leak.first_exception()
    if node is None:
        return 9
    if node.kind == "for" and _mentions(node.parts[:1], var):
        return 0
    call = _raising_call(node, var)
    if call is not None and (_root(call.func) == var or _borrows(call, var)):
        return 0
    if call is not None and _touches(call, var):
        return 1
    if node.kind in ("raise", "assert"):
        return 2
    return 3


def _borrows(call: ast.Call, var: str) -> bool:
    """`json.dump(data, out)`, `zip(range(n), fh)`: a known borrower reading or writing the resource."""
    func = call.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    dotted = f"{func.value.id}.{last}" if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else last
    return (dotted in BORROWERS or last in BORROWER_METHODS) and any(
        isinstance(a, ast.Name) and a.id == var for a in (*call.args, *(k.value for k in call.keywords))
    )


def _mentions(parts: Iterable[ast.AST], var: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == var for part in parts for n in ast.walk(part))


def _touches(call: ast.Call, var: str) -> bool:
    values = [*call.args, *(k.value for k in call.keywords)]
    return any(_root(v) == var if isinstance(v, (ast.Name, ast.Attribute)) else False for v in values)


def _event(leak: Leak, var: str, context_manager: bool = False) -> str:
    node = leak.first_exception()
    if node is None:
        return f"an exception is raised (line {leak.last.line})"
    if node.kind == "raise":
        return f"the `raise` at line {node.line} runs"
    if node.kind == "assert":
        return f"the `assert` at line {node.line} fails"
    if node.kind == "reraise":
        return f"an exception propagates from line {node.line}"
    if node.kind == "for" and _mentions(node.parts[:1], var):
        return f"reading `{_read_name(node.parts[0], var)}` raises at line {node.line}"
    call = _raising_call(node, var)
    if call is not None and isinstance(call.func, ast.Name) and call.func.id in _CONSUMERS and _borrows(call, var):
        return f"reading `{var}` raises at line {call.lineno}"
    if call is not None and (_root(call.func) == var or _touches(call, var)):
        return f"`{_call_name(call)}()` raises at line {call.lineno}"
    if _iterates(node, var):
        return f"reading `{var}` raises at line {node.line}"
    if call is not None:
        return f"`{_call_name(call)}()` raises at line {call.lineno}"
    if node.kind == "for":
        return f"the iteration at line {node.line} raises"
    if any(isinstance(p, ast.Await) for part in node.parts for p in ast.walk(part)):
        return f"the `await` at line {node.line} raises"
    if context_manager and any(isinstance(p, ast.Yield) for part in node.parts for p in ast.walk(part)):
        return f"the `with` block it serves raises at the `yield` at line {node.line}"
    if any(isinstance(p, ast.Yield) for part in node.parts for p in ast.walk(part)):
        return f"the generator is closed at the `yield` at line {node.line}"
    subscript = next(
        (p for part in node.parts for p in ast.walk(part) if isinstance(p, ast.Subscript)), None
    )
    if subscript is not None:
        text = ast.unparse(subscript)
        if len(text) <= 40:
            return f"`{text}` raises at line {subscript.lineno}"
    return f"line {node.line} raises"


# Builtins that consume the iterable they are given: a failure there is reading the resource.
_CONSUMERS = frozenset({"zip", "list", "tuple", "set", "sorted", "sum", "enumerate", "map", "filter", "any", "all",
                        "next", "iter", "min", "max", "frozenset", "reversed"})


def _read_name(iterated: ast.AST, var: str) -> str:
    """What a loop reads: `proc.stdout` for `for line in proc.stdout:`, else the resource's name."""
    if isinstance(iterated, ast.Attribute) and _root(iterated) == var:
        text = ast.unparse(iterated)
        if len(text) <= 40:
            return text
    return var


def _iterates(node: Node, var: str) -> bool:
    """Whether the node iterates the resource (`[l for l in f]`, `list(f)`)."""
    for part in node.parts:
        for sub in ast.walk(part):
            if isinstance(sub, ast.comprehension) and isinstance(sub.iter, ast.Name) and sub.iter.id == var:
                return True
    return False


def _where(leak: Leak, call: ast.Call, cfg: Cfg, effects: Mapping[Node, NodeEffect], var: str = "") -> str:
    """The step that makes the path leak: the jump or branch after which no release is reachable."""
    last = leak.last
    if leak.how == "rebind":
        stored = sorted({
            n.id for part in last.parts for n in ast.walk(part)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        })
        if stored and var not in stored:  # an alias that kept it (`current = f`) takes another value
            return f"before `{stored[0]}`, which still holds it, is reassigned at line {last.line}"
        return f"before it is reassigned at line {last.line}"
    if leak.how == "reacquire":
        jump = next((n for n, _ in reversed(leak.path) if n.kind == "continue"), None)
        if jump is not None:
            return f"on the path through the `continue` at line {jump.line}, before line {call.lineno} opens another one"
        return f"before line {call.lineno} opens another one in the next iteration"
    path = leak.path
    closing = reaching(cfg, effects, Effect.HANDOVER)  # a release or a hand-over is still ahead
    turn = next(
        (i for i in range(len(path) - 1) if path[i][0] in closing and path[i + 1][0] not in closing), None
    )
    if turn is not None:
        # a `continue` or `break` that jumped over the release before the path gave up on it
        skipped = next((n for n, _ in reversed(path[1:turn]) if n.kind in ("break", "continue")), None)
        if skipped is not None and path[turn][0].kind in ("for", "while"):
            return f"on the path through the `{skipped.kind}` at line {skipped.line}"
        for node, _ in path[turn:]:
            if node.kind in ("return", "break", "continue"):
                return f"on the path through the `{node.kind}` at line {node.line}"
        node, kind = path[turn][0], path[turn + 1][1]
        if node.kind == "if" and kind in (TRUE, FALSE):
            return f"when the condition at line {node.line} is {kind}"
        if node.kind in ("for", "while") and kind == FALSE:
            return f"when the loop at line {node.line} ends"
    returns = [node for node, _ in path if node.kind == "return"]
    if returns:
        return f"on the path through the `return` at line {returns[-1].line}"
    return f"when the function ends at line {last.line}"


def _steps(leak: Leak, var: str, call: ast.Call, cfg: Cfg) -> tuple[Step, ...]:
    steps = [Step(call.lineno, call.col_offset, f"`{var}` is opened here")]
    path = leak.path
    # a path that leaves through a `return` ends there, not at the function's last line
    exit_at = next((n for n, _ in reversed(path) if n.kind == "return"), None) if leak.how == "exit" else None
    for (node, _), (_, kind) in zip(path[1:], path[2:]):
        note = None
        if node is exit_at:
            continue
        if kind == EXC:
            note = "an exception is raised here"
        elif node.kind == "if" and kind in (TRUE, FALSE):
            note = f"the condition is {kind}"
        elif node.kind in ("for", "while") and kind == FALSE:
            note = "the loop ends"
        elif node.kind in ("for", "while") and kind == TRUE:
            note = "the loop runs its body"
        elif node.kind == "case":
            note = "this case matches" if kind == TRUE else "this case does not match"
        elif node.kind in ("return", "break", "continue"):
            note = f"`{node.kind}`"
        elif node.kind == "except":
            note = "the exception is handled here"
        if note:
            steps.append(Step(node.line, node.col, note))
    last = leak.last
    if leak.how == "exit" and exit_at is not None:
        steps.append(Step(exit_at.line, exit_at.col, f"the function returns here with `{var}` still open"))
    elif leak.how == "exit":
        steps.append(Step(cfg.exit.line, 0, f"the function returns with `{var}` still open"))
    elif leak.how == "raise-exit":
        steps.append(Step(cfg.raise_exit.line, 0, f"the exception leaves the function with `{var}` still open"))
    elif leak.how == "rebind":
        steps.append(Step(last.line, last.col, f"`{var}` is reassigned while still open"))
    else:
        steps.append(Step(last.line, last.col, "another one is opened while the previous one is still open"))
    return tuple(steps[:40])


FAMILY = Family(
    name=FAMILY_NAME,
    rules=(ResourceNotClosed, ResourceLeakOnException, ResourceNotBound, ConnectionNotClosedByWith),
    check=check,
    options=OPTIONS,
)
