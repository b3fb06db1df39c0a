"""A per-function control-flow graph with exception edges.

One node per simple statement, and one per part of a compound statement that evaluates something (the
test of an `if`/`while`, the iterator of a `for`, the items of a `with`, the subject and each case of a
`match`, each `except` clause). Edges are labelled:

- `normal`: control falls through or jumps (`break`, `continue`, `return`);
- `true`/`false`: the two outcomes of a test;
- `exc`: the statement raised, and control goes to the nearest enclosing handler, `finally` or out
  of the function (`Cfg.raise_exit`).

A `finally` body is copied once per way of entering it (falling through, an exception, `return`,
`break`, `continue`), so that every path through the graph is a path the program can take: the copy
entered by an exception re-raises at its end, the one entered by `return` returns, and a `finally`
that itself returns swallows the exception. Nested functions and classes are single nodes (their
decorators and defaults run; their bodies do not), and comprehensions stay inside the expression of
the statement that holds them.

A module body is built the same way (its functions and classes are single nodes too), for the
analyses that follow the module's own statements (taint through module-level code).

Which calls never return is the caller's to say when it resolves names (`from sys import exit`, a
local `exit` that shadows the builtin): `build_cfg_or_reason` takes that test; without it, the
dotted text of the call is matched against `awslint.data.calls.NO_RETURN`.

The graph is built only on request (the rule families ask for it for the few functions that need
it); `build_cfg` returns None for a function too large to be worth it.
"""
from __future__ import annotations

import ast
from collections.abc import Set
from dataclasses import dataclass, field
from typing import AbstractSet, Callable, Iterator, Literal, Optional, Union

from awslint.data.calls import LOG_METHODS, NO_RETURN
from awslint.data.reporters import LOGGER_NAMES
from awslint.analysis.names import dotted

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
# What a graph is built for: a function's body or a module's.
BlockNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module]
# How a statement-level call that never returns ends its path: the program ends (`sys.exit()`), or it
# raises to the caller every time (`flask.abort()`); None for a call that returns.
NoReturnKind = Literal["end", "raise"]
NoReturnTest = Callable[[ast.Call], Optional[NoReturnKind]]

# How control leaves a node: falls through or jumps, one outcome of a test, or an exception.
EdgeKind = Literal["normal", "true", "false", "exc"]
NORMAL: EdgeKind = "normal"
TRUE: EdgeKind = "true"
FALSE: EdgeKind = "false"
EXC: EdgeKind = "exc"
# What a node stands for: a simple statement (`stmt`), the evaluated part of a compound one, a jump,
# the program's end (`end`: `sys.exit()`), the re-raise at the end of a `finally` copy entered by an
# exception (`reraise`), and the graph's own `entry`, `exit` and `raise-exit`.
NodeKind = Literal[
    "entry", "exit", "raise-exit", "stmt", "if", "while", "for", "with", "try", "match", "case", "except",
    "return", "raise", "reraise", "assert", "break", "continue", "end",
]
_MAX_NODES = 400_000

# Exceptions these names catch include every exception a statement can raise in practice: a handler
# for one of them covers all (SPEC: `except Exception` and a bare `except` cover all).
_CATCH_ALL = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})


# Builtins whose call does not raise in any way a reviewer would plan for.
_SAFE_CALLS = frozenset({
    "range", "len", "isinstance", "issubclass", "id", "type", "bool", "hasattr", "callable", "super",
    "repr", "str", "print", "locals", "globals", "dict", "list", "tuple", "set", "frozenset", "object",
    "suppress", "ExitStack", "AsyncExitStack", "Path",
})


_SAFE_DOTTED = frozenset({
    "os.path.join", "os.path.basename", "os.path.dirname", "os.path.exists", "os.path.isfile",
    "os.path.isdir", "os.path.abspath", "os.path.normpath", "os.path.splitext", "os.path.split",
    "contextlib.suppress", "contextlib.ExitStack", "contextlib.AsyncExitStack", "typing.cast", "t.cast", "time.time", "time.monotonic", "time.perf_counter", "time.sleep",
    "traceback.print_exc", "traceback.format_exc", "os.getpid", "os.getcwd", "sys.exc_info",
    "os.getenv", "pathlib.Path",
})
# String and mapping methods whose failure no reviewer plans for.
_SAFE_METHODS = frozenset({
    "lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith", "casefold", "isdigit",
    "isalnum", "isalpha", "isspace", "items", "keys", "values", "addCleanup", "append",
    "split", "rsplit", "splitlines", "partition", "rpartition",
    # a list's, dict's or set's `clear()` cannot fail; repeating it in a handler is no retry of what failed
    "clear",
    # a failing close() in a `finally` that closes several resources is not a path reviewers plan for
    "close",
})
# A logger is named as modules name theirs (`awslint.data.reporters`), or is an attribute of `self` so named.
_LOGGERS = LOGGER_NAMES | frozenset(f"self.{name}" for name in LOGGER_NAMES)


# The calls that never return (`awslint.data.calls`) split in two: the interpreter's own exits (`sys.exit`,
# `os._exit`, builtin `exit`) end the program, and the OS takes back what it held; the others
# (`flask.abort`, `pytest.fail`) raise to the caller every time, so only their exception edge is taken.
_ENDS = frozenset(n for n in NO_RETURN if "." not in n or n.split(".", 1)[0] in ("sys", "os", "builtins"))
_ALWAYS_RAISE = NO_RETURN - _ENDS


def no_return_kind(name: str | None) -> NoReturnKind | None:
    """How a call of the function named `name` (dotted, or as resolved from the imports) ends its path."""
    if name in _ENDS:
        return "end"
    if name in _ALWAYS_RAISE:
        return "raise"
    return None


def _by_text(call: ast.Call) -> NoReturnKind | None:
    return no_return_kind(dotted(call.func))


def safe_call(func: ast.expr) -> bool:
    """Whether calling `func` is taken not to raise (`len`, `log.info`, `os.path.join`, `s.strip`)."""
    if isinstance(func, ast.Name):
        return func.id in _SAFE_CALLS
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in _SAFE_METHODS:
        return True
    if func.attr in LOG_METHODS and (dotted(func.value) or "") in _LOGGERS:
        return True
    return (dotted(func) or "") in _SAFE_DOTTED


class Node:
    """One step of the graph. `parts` are the expressions (or the statement) evaluated at this step."""

    __slots__ = ("id", "kind", "stmt", "parts", "line", "col", "_succ", "_can_raise", "_pending")

    def __init__(self, nid: int, kind: NodeKind, stmt: ast.AST | None, parts: tuple[ast.AST, ...]) -> None:
        self.id = nid
        self.kind: NodeKind = kind
        self.stmt = stmt
        self.parts = parts
        self.line: int = getattr(stmt, "lineno", 0)
        self.col: int = getattr(stmt, "col_offset", 0)
        self._succ: list[tuple[Node, EdgeKind]] = []
        self._can_raise = False
        # An exception edge straight out of the function, worked out when first asked for: what may
        # raise, the function's containers, and its raise-exit.
        self._pending: tuple[tuple[ast.AST, ...], AbstractSet[str], Node] | None = None

    @property
    def succ(self) -> list[tuple[Node, EdgeKind]]:
        """The edges out of this node, the exception edge (always the last) included."""
        if self._pending is not None:
            self._resolve()
        return self._succ

    @property
    def inside_succ(self) -> list[tuple[Node, EdgeKind]]:
        """The edges out of this node, less an exception edge straight out of the function not yet worked
        out: for an analysis that carries nothing out of the function by an exception (taint), which
        then need not decide what may raise where no handler or `finally` would see it."""
        return self._succ

    @property
    def can_raise(self) -> bool:
        if self._pending is not None:
            self._resolve()
        return self._can_raise

    @can_raise.setter
    def can_raise(self, value: bool) -> None:
        self._can_raise = value

    def _resolve(self) -> None:
        assert self._pending is not None
        parts, containers, raise_exit = self._pending
        self._pending = None
        if can_raise(parts, containers):
            self._can_raise = True
            self._succ.append((raise_exit, EXC))

    def __repr__(self) -> str:
        return f"<Node {self.id} {self.kind} line {self.line}>"


class TooLarge(Exception):
    """The graph would exceed the size we are willing to analyse."""


@dataclass
class Cfg:
    """The graph of one function: `entry`, the normal `exit` and the exceptional `raise_exit`."""

    entry: Node
    exit: Node
    raise_exit: Node
    nodes: list[Node] = field(default_factory=list)
    # The first `except` clause of each `try` (by the `try` node's id), entered even when the graph sees
    # nothing in the body raise (`try: import x`): an analysis that must visit every handler starts there.
    handlers: dict[int, Node] = field(default_factory=dict)
    # The ids of the nodes built for each `for` loop's body (by the head's id): an edge into the head from
    # one of them comes round again, any other edge enters the loop (whose iterable is evaluated once).
    loop_bodies: dict[int, range] = field(default_factory=dict)
    _preds: dict[Node, list[Node]] | None = field(default=None, repr=False, compare=False)
    _holding: dict[int, list[Node]] | None = field(default=None, repr=False, compare=False)
    _made_for: dict[int, list[Node]] | None = field(default=None, repr=False, compare=False)
    _entered_last: frozenset[int] | None = field(default=None, repr=False, compare=False)

    def nodes_of(self, stmt: ast.AST) -> list[Node]:
        """Every node made for `stmt` (more than one when it sits in a copied `finally`), from an index
        built on the first question (a rule asking once per handler would otherwise scan the graph
        once per handler)."""
        if self._made_for is None:
            index: dict[int, list[Node]] = {}
            for node in self.nodes:
                index.setdefault(id(node.stmt), []).append(node)
            self._made_for = index
        return list(self._made_for.get(id(stmt), ()))

    def edges(self) -> Iterator[tuple[Node, Node, EdgeKind]]:
        for node in self.nodes:
            for target, kind in node.succ:
                yield node, target, kind

    def normal_predecessors(self) -> dict[Node, list[Node]]:
        """The nodes with a normal (not exceptional) edge to each node, computed once."""
        if self._preds is None:
            preds: dict[Node, list[Node]] = {}
            for source, target, kind in self.edges():
                if kind != EXC:
                    preds.setdefault(target, []).append(source)
            self._preds = preds
        return self._preds

    def reached_only_from_above(self) -> frozenset[int]:
        """The nodes that no node of a lower id reaches by `inside_succ` (or by the jump from a `try` to
        its first handler): a forward pass that takes the highest id first has then seen every edge into
        such a node before it takes the node, and takes it once, so what reaches it is final.

        Sources in increasing id order, each marking what it reaches and was not reached before: the
        first source to reach a node is its lowest ancestor, and what it reaches from there was marked
        by it too, so every node is marked once.
        """
        if self._entered_last is None:
            dispatch = self.handlers
            lowest: dict[int, int] = {}
            for source in self.nodes:  # by id: a node's id is its place in the list
                jump = dispatch.get(source.id)
                stack = [t for t, _ in source.inside_succ] + ([jump] if jump is not None else [])
                while stack:
                    node = stack.pop()
                    if node.id in lowest:
                        continue
                    lowest[node.id] = source.id
                    stack.extend(t for t, _ in node.inside_succ)
                    jump = dispatch.get(node.id)
                    if jump is not None:
                        stack.append(jump)
            self._entered_last = frozenset(n.id for n in self.nodes if lowest.get(n.id, n.id + 1) > n.id)
        return self._entered_last

    def holding(self, part: ast.AST) -> list[Node]:
        """The nodes whose `parts` include `part` itself (several when it sits in a copied `finally`)."""
        if self._holding is None:
            index: dict[int, list[Node]] = {}
            for node in self.nodes:
                for item in node.parts:
                    index.setdefault(id(item), []).append(node)
            self._holding = index
        return self._holding.get(id(part), [])


@dataclass
class _Frame:
    """Where control goes from inside one block: the targets of raise, return, break and continue.

    Targets are produced on demand because a `finally` copy is built only for the ways that
    actually leave its `try`.
    """

    exc: Callable[[], Node]
    ret: Callable[[], Node]
    brk: Callable[[], Node] | None
    cont: Callable[[], Node] | None
    # the function's raise-exit, when an exception here leaves the function with nothing on the way
    exits: Node | None = None


def _once(make: Callable[[], Node]) -> Callable[[], Node]:
    cache: list[Node] = []

    def get() -> Node:
        if not cache:
            cache.append(make())
        return cache[0]

    return get


def can_raise(parts: tuple[ast.AST, ...], local_containers: AbstractSet[str] = frozenset(),
              yields: bool = True, quiet: Callable[[ast.Call], bool] | None = None) -> bool:
    """Whether evaluating `parts` may raise: a call, a subscript, `await`, `yield` (the generator may be
    closed or thrown into there; with `yields` False, only what the `yield` evaluates counts). Attribute
    reads and arithmetic are taken not to raise, which keeps the exceptional paths to those a reviewer
    would recognise; so are subscripts of the dicts and lists named in `local_containers` (the function
    built them itself: `seen[key] = True`). A call `quiet` answers for is taken not to raise itself (a
    function of the module that catches every error: analysis.guarded); its arguments still count."""
    stack: list[ast.AST] = list(parts)
    # subscripts of a plain name are judged last: the containers are worth working out only when
    # nothing else raises
    named: list[ast.Subscript] = []
    pop, push, extend = stack.pop, stack.append, stack.extend
    while True:
        if not stack:
            if not named:
                return False
            subscript = named.pop()
            assert isinstance(subscript.value, ast.Name)
            if subscript.value.id not in local_containers:
                return True
            push(subscript.slice)
            continue
        node = pop()
        kind = node.__class__
        if kind in _INERT:
            continue
        if kind is ast.Subscript:
            assert isinstance(node, ast.Subscript)
            if node.value.__class__ is ast.Name and node.ctx.__class__ is not ast.Del:
                named.append(node)
                continue
            return True
        if kind is ast.Call:
            assert isinstance(node, ast.Call)
            if not safe_call(node.func) and (quiet is None or not quiet(node)):
                return True
            if node.func.__class__ is ast.Attribute:
                push(node.func.value)
            extend(node.args)
            extend(k.value for k in node.keywords)
            continue
        if kind in _RAISING:
            if kind is ast.Yield and not yields:
                assert isinstance(node, ast.Yield)
                if node.value is not None:
                    push(node.value)
                continue
            return True
        if kind is ast.AnnAssign:
            assert isinstance(node, ast.AnnAssign)
            # in a function, an annotation is never evaluated (`rows: list[dict[str, Any]] = []`)
            push(node.target)
            if node.value is not None:
                push(node.value)
            continue
        if kind is ast.comprehension:
            assert isinstance(node, ast.comprehension)
            if node.iter.__class__ not in _DISPLAY_ITERS:
                return True  # taking the next item calls the iterator
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef:
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            extend(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                extend(node.bases)
                extend(k.value for k in node.keywords)
            else:
                extend(node.args.defaults)
                extend(d for d in node.args.kw_defaults if d is not None)
            continue
        elif kind is ast.Lambda:
            assert isinstance(node, ast.Lambda)
            extend(node.args.defaults)
            continue
        extend(_children(node))


# Nodes with nothing under them that could raise; nodes that may raise themselves; the iterables whose
# next item is taken without a call.
_INERT = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal,
                    ast.Import, ast.ImportFrom})
_RAISING = frozenset({ast.Await, ast.Yield, ast.YieldFrom, ast.Raise, ast.Assert})
_DISPLAY_ITERS = frozenset({ast.Tuple, ast.List, ast.Set})
# Fields that never hold a node a raising step could be in (names, operators, contexts, numbers).
_LEAF_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "name", "names", "module", "level", "kind", "type_comment",
    "conversion", "is_async", "simple", "asname", "lineno", "tag",
})
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}
_AST = ast.AST


def _children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of `node` that can hold an expression, as `ast.iter_child_nodes` finds them but
    without its generator (the graph builder asks for every statement)."""
    kind = node.__class__
    fields = _NODE_FIELDS.get(kind)
    if fields is None:
        fields = _NODE_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
    out: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if value.__class__ is list:
            out.extend(item for item in value if isinstance(item, _AST))
        elif isinstance(value, _AST):
            out.append(value)
    return out


class _LazyNames(Set[str]):
    """A set of names computed on first use: most graphs never ask which locals are containers."""

    __slots__ = ("_make", "_names")

    def __init__(self, make: Callable[[], frozenset[str]]) -> None:
        self._make = make
        self._names: frozenset[str] | None = None

    def _get(self) -> frozenset[str]:
        if self._names is None:
            self._names = self._make()
        return self._names

    def __contains__(self, name: object) -> bool:
        return name in self._get()

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _truth(test: ast.expr) -> bool | None:
    """The constant truth value of a loop or `if` test, if it has one (`while True:`, `while 1:`)."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    return None


def is_catch_all(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    options = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    for option in options:
        name = option.id if isinstance(option, ast.Name) else (
            option.attr if isinstance(option, ast.Attribute) else None
        )
        if name in _CATCH_ALL:
            return True
    return False


def _suppressed(stmt: ast.With | ast.AsyncWith) -> list[str] | None:
    """The exception names a `with contextlib.suppress(A, B):` item swallows, or None without one."""
    for item in stmt.items:
        expr = item.context_expr
        if isinstance(expr, ast.Call) and (dotted(expr.func) or "").rsplit(".", 1)[-1] == "suppress" and not expr.keywords:
            return [(dotted(a) or "") for a in expr.args]
    return None


def _irrefutable(case: ast.match_case) -> bool:
    pattern = case.pattern
    while isinstance(pattern, ast.MatchAs) and pattern.pattern is not None:
        pattern = pattern.pattern
    return case.guard is None and isinstance(pattern, ast.MatchAs) and pattern.pattern is None


# The statements that are more than one node, or jump: everything else is a simple statement.
_CONTROL = frozenset({
    ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match, ast.Return, ast.Raise,
    ast.Break, ast.Continue, ast.Assert, *(getattr(ast, name) for name in ("TryStar",) if hasattr(ast, name)),
})


class _Builder:
    """Builds the graph backwards: each block is built knowing the node that follows it."""

    def __init__(self, local_containers: AbstractSet[str] = frozenset(),
                 noreturn: NoReturnTest = _by_text) -> None:
        self.nodes: list[Node] = []
        self.containers = local_containers
        self.noreturn = noreturn
        self.handlers: dict[int, Node] = {}
        self.loop_bodies: dict[int, range] = {}

    def can_raise(self, parts: tuple[ast.AST, ...]) -> bool:
        return can_raise(parts, self.containers)

    def node(self, kind: NodeKind, stmt: ast.AST | None, parts: tuple[ast.AST, ...] = ()) -> Node:
        if len(self.nodes) >= _MAX_NODES:
            raise TooLarge
        made = Node(len(self.nodes), kind, stmt, parts)
        self.nodes.append(made)
        return made

    def simple(self, kind: NodeKind, stmt: ast.AST, parts: tuple[ast.AST, ...], nxt: Node | None, frame: _Frame) -> Node:
        made = self.node(kind, stmt, parts)
        if nxt is not None:
            made._succ.append((nxt, NORMAL))
        self.raises_if(made, frame, parts)
        return made

    def raises_if(self, node: Node, frame: _Frame, parts: tuple[ast.AST, ...]) -> None:
        """An exception edge when evaluating `parts` may raise; worked out when first asked for if the
        exception would leave the function straight away (only some analyses follow those)."""
        if frame.exits is not None:
            node._pending = (parts, self.containers, frame.exits)
        else:
            self.raises(node, frame, self.can_raise(parts))

    @staticmethod
    def raises(node: Node, frame: _Frame, possible: bool) -> None:
        if possible:
            node.can_raise = True
            node._succ.append((frame.exc(), EXC))

    def block(self, stmts: list[ast.stmt], nxt: Node, frame: _Frame) -> Node:
        build = self.stmt
        for stmt in reversed(stmts):
            nxt = build(stmt, nxt, frame)
        return nxt

    def stmt(self, stmt: ast.stmt, nxt: Node, frame: _Frame) -> Node:
        kind = stmt.__class__
        if kind not in _CONTROL:
            # a simple statement, the common case: one node, unless it is a call that never returns
            if kind is ast.Expr and stmt.value.__class__ is ast.Call:  # type: ignore[attr-defined]
                ends = self.noreturn(stmt.value)  # type: ignore[attr-defined]
                if ends == "end":
                    # the program ends here: nothing after it runs, and the OS takes back what it held
                    return self.node("end", stmt, (stmt,))
                if ends == "raise":
                    made = self.node("stmt", stmt, (stmt,))
                    self.raises(made, frame, True)
                    return made
            # `simple`, inlined: most nodes are made here
            nodes = self.nodes
            if len(nodes) >= _MAX_NODES:
                raise TooLarge
            made = Node(len(nodes), "stmt", stmt, (stmt,))
            nodes.append(made)
            made._succ.append((nxt, NORMAL))
            if frame.exits is not None:
                made._pending = ((stmt,), self.containers, frame.exits)
            else:
                self.raises(made, frame, self.can_raise((stmt,)))
            return made
        if isinstance(stmt, ast.If):
            return self.if_(stmt, nxt, frame)
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            return self.for_(stmt, nxt, frame)
        if isinstance(stmt, ast.While):
            return self.while_(stmt, nxt, frame)
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            body = self.block(stmt.body, nxt, self._suppressing(stmt, nxt, frame))
            items: list[ast.AST] = []
            for item in stmt.items:
                items.append(item.context_expr)
                if item.optional_vars is not None:
                    items.append(item.optional_vars)
            return self.simple("with", stmt, tuple(items), body, frame)
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            return self.try_(stmt, nxt, frame)  # type: ignore[arg-type]
        if isinstance(stmt, ast.Match):
            return self.match(stmt, nxt, frame)
        if isinstance(stmt, ast.Return):
            made = self.node("return", stmt, (stmt,))
            made._succ.append((frame.ret(), NORMAL))
            self.raises_if(made, frame, (stmt,))
            return made
        if isinstance(stmt, ast.Raise):
            made = self.node("raise", stmt, (stmt,))
            self.raises(made, frame, True)
            return made
        if isinstance(stmt, ast.Break):
            made = self.node("break", stmt, ())
            if frame.brk is not None:
                made._succ.append((frame.brk(), NORMAL))
            return made
        if isinstance(stmt, ast.Continue):
            made = self.node("continue", stmt, ())
            if frame.cont is not None:
                made._succ.append((frame.cont(), NORMAL))
            return made
        if isinstance(stmt, ast.Assert):
            made = self.node("assert", stmt, (stmt,))
            made._succ.append((nxt, NORMAL))
            self.raises(made, frame, True)
            return made
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            ends = self.noreturn(stmt.value)
            if ends == "end":
                # the program ends here: nothing after it runs, and the OS takes back what it held
                return self.node("end", stmt, (stmt,))
            if ends == "raise":
                made = self.node("stmt", stmt, (stmt,))
                self.raises(made, frame, True)
                return made
        return self.simple("stmt", stmt, (stmt,), nxt, frame)

    def _suppressing(self, stmt: ast.With | ast.AsyncWith, nxt: Node, frame: _Frame) -> _Frame:
        """The frame of a `with` body: under `contextlib.suppress(...)` an exception from the body
        continues after the block (when the names it suppresses cover all) or may (otherwise)."""
        names = _suppressed(stmt)
        if names is None:
            return frame
        covers_all = any(n.rsplit(".", 1)[-1] in _CATCH_ALL for n in names)

        def handler() -> Node:
            made = self.node("except", stmt, ())
            made._succ.append((nxt, NORMAL))
            if not covers_all:
                made._succ.append((frame.exc(), EXC))  # an exception it does not name keeps propagating
            return made

        return _Frame(_once(handler), frame.ret, frame.brk, frame.cont)

    def if_(self, stmt: ast.If, nxt: Node, frame: _Frame) -> Node:
        # an `elif` chain is an `if` nested in the `else` of the one before: built in a loop, from its
        # last link back, so that a chain of hundreds of branches does not recurse once per branch
        chain = [stmt]
        while len(chain[-1].orelse) == 1 and isinstance(chain[-1].orelse[0], ast.If):
            chain.append(chain[-1].orelse[0])
        following = self.block(chain[-1].orelse, nxt, frame)
        for link in reversed(chain):
            body = self.block(link.body, nxt, frame)
            made = self.node("if", link, (link.test,))
            self.branch(made, link.test, body, following, frame)
            following = made
        return following

    def for_(self, stmt: ast.For | ast.AsyncFor, nxt: Node, frame: _Frame) -> Node:
        after = self.block(stmt.orelse, nxt, frame)
        head = self.node("for", stmt, (stmt.iter, stmt.target))
        inner = _Frame(frame.exc, frame.ret, lambda: nxt, lambda: head, frame.exits)
        first = len(self.nodes)
        body = self.block(stmt.body, head, inner)
        self.loop_bodies[head.id] = range(first, len(self.nodes))
        head._succ.extend([(body, TRUE), (after, FALSE)])
        # taking the next item calls the iterator, which may raise, except over a display
        fixed = isinstance(stmt.iter, (ast.Tuple, ast.List, ast.Set)) or (
            isinstance(stmt.iter, ast.Call) and safe_call(stmt.iter.func)  # range(n), d.items()
        )
        if fixed:
            self.raises_if(head, frame, (stmt.iter,))
        else:
            self.raises(head, frame, True)
        return head

    def while_(self, stmt: ast.While, nxt: Node, frame: _Frame) -> Node:
        after = self.block(stmt.orelse, nxt, frame)
        head = self.node("while", stmt, (stmt.test,))
        inner = _Frame(frame.exc, frame.ret, lambda: nxt, lambda: head, frame.exits)
        body = self.block(stmt.body, head, inner)
        self.branch(head, stmt.test, body, after, frame)
        return head

    def branch(self, made: Node, test: ast.expr, when_true: Node, when_false: Node, frame: _Frame) -> None:
        """The edges out of a test: a constant test (`while True:`) has only the branch it takes."""
        truth = _truth(test)
        if truth is not False:
            made._succ.append((when_true, TRUE))
        if truth is not True:
            made._succ.append((when_false, FALSE))
        self.raises_if(made, frame, (test,))

    def match(self, stmt: ast.Match, nxt: Node, frame: _Frame) -> Node:
        following = nxt
        for case in reversed(stmt.cases):
            body = self.block(case.body, nxt, frame)
            parts: tuple[ast.AST, ...] = (case.pattern,) if case.guard is None else (case.pattern, case.guard)
            made = self.node("case", case.pattern, parts)
            made._succ.append((body, TRUE))
            if not _irrefutable(case):
                made._succ.append((following, FALSE))
            if case.guard is not None:
                self.raises_if(made, frame, (case.guard,))
            following = made
        return self.simple("match", stmt, (stmt.subject,), following, frame)

    def try_(self, stmt: ast.Try, nxt: Node, frame: _Frame) -> Node:
        if stmt.finalbody:
            final = stmt.finalbody

            def through_finally(then: Callable[[], Node]) -> Callable[[], Node]:
                return _once(lambda: self.block(final, then(), frame))

            def reraise() -> Node:
                made = self.node("reraise", stmt, ())
                made._succ.append((frame.exc(), EXC))
                return made

            after = self.block(final, nxt, frame)
            outer = _Frame(
                exc=through_finally(reraise),
                ret=through_finally(frame.ret),
                brk=through_finally(frame.brk) if frame.brk is not None else None,
                cont=through_finally(frame.cont) if frame.cont is not None else None,
            )
        else:
            after, outer = nxt, frame

        orelse = self.block(stmt.orelse, after, outer)
        dispatch: Node | None = None
        if stmt.handlers:
            for handler in reversed(stmt.handlers):
                body = self.block(handler.body, after, outer)
                parts = tuple(p for p in (handler.type,) if p is not None)
                made = self.node("except", handler, parts)
                made._succ.append((body, NORMAL))
                if not is_catch_all(handler):
                    if dispatch is None:
                        made._succ.append((outer.exc(), EXC))  # no clause matched: keep propagating
                    else:
                        made._succ.append((dispatch, NORMAL))
                dispatch = made
            first = dispatch
            assert first is not None
            inner = _Frame(lambda: first, outer.ret, outer.brk, outer.cont)
        else:
            inner = outer
        body = self.block(stmt.body, orelse, inner)
        start = self.node_pass("try", stmt, body)
        if dispatch is not None:
            self.handlers[start.id] = dispatch
        return start

    def node_pass(self, kind: NodeKind, stmt: ast.AST, nxt: Node) -> Node:
        made = self.node(kind, stmt, ())
        made._succ.append((nxt, NORMAL))
        return made


def build_cfg(func: BlockNode, noreturn: NoReturnTest | None = None) -> Cfg | None:
    """The graph of `func`'s own body, or None when it is too large (or too deeply nested) to build."""
    return build_cfg_or_reason(func, noreturn)[0]


def build_cfg_or_reason(func: BlockNode, noreturn: NoReturnTest | None = None) -> tuple[Cfg | None, str]:
    """The graph of `func` (a function, or a module's top level), or None and why it was not built (so that
    a caller can say it skipped). `noreturn` says which statement-level calls never return (by default,
    their dotted text against NO_RETURN)."""
    builder = _Builder(_LazyNames(lambda: local_containers(func)), noreturn or _by_text)
    try:
        exit_node = builder.node("exit", None)
        raise_exit = builder.node("raise-exit", None)
        frame = _Frame(lambda: raise_exit, lambda: exit_node, None, None, raise_exit)
        if isinstance(func, ast.Lambda):
            body = builder.simple("stmt", func.body, (func.body,), exit_node, frame)
        else:
            body = builder.block(func.body, exit_node, frame)
        entry = builder.node_pass("entry", func, body)
    except TooLarge:
        return None, f"its control-flow graph would exceed {_MAX_NODES} nodes"
    except RecursionError:
        return None, "it is nested too deeply to build its control-flow graph"
    if isinstance(func, ast.Module):
        end = max((getattr(s, "end_lineno", None) or s.lineno for s in func.body[-1:]), default=1)
    else:
        end = func.end_lineno or func.lineno
    exit_node.line = raise_exit.line = end
    return Cfg(entry=entry, exit=exit_node, raise_exit=raise_exit, nodes=builder.nodes,
               handlers=builder.handlers, loop_bodies=builder.loop_bodies), ""


_CONTAINER_CALLS = frozenset({"dict", "list", "set"})
_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda})
_DISPLAYS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def local_containers(func: BlockNode) -> frozenset[str]:
    """The local names the function binds only to dicts, lists and sets it builds itself (`seen = {}`,
    `opts = dict(a=1)`, `merged = {**opts}`): storing into them or reading them does not fail in a way
    a reviewer plans for. (Of a module: the names its top level so binds.)"""
    if isinstance(func, ast.Lambda):
        return frozenset()
    built: set[str] = set()
    other: set[str] = set()
    if not isinstance(func, ast.Module):
        other.update(a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs))
        other.update(a.arg for a in (func.args.vararg, func.args.kwarg) if a is not None)
    stack: list[ast.AST] = list(func.body)
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node = pop()
        kind = node.__class__
        if kind is ast.Name:
            if node.ctx.__class__ is not ast.Load:  # type: ignore[attr-defined]
                other.add(node.id)  # type: ignore[attr-defined]
            continue
        if kind is ast.Constant or kind in _SCOPES:
            continue
        if kind is ast.Global or kind is ast.Nonlocal:
            other.update(node.names)  # type: ignore[attr-defined]
            continue
        if (kind is ast.Assign or kind is ast.AnnAssign) and node.value is not None:  # type: ignore[attr-defined]
            assert isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            made = isinstance(value, _DISPLAYS) or (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in _CONTAINER_CALLS
            )
            for target in targets:
                if isinstance(target, ast.Name):
                    (built if made else other).add(target.id)
                    continue
                push(target)
            push(value)
            continue
        if kind is ast.AugAssign and node.target.__class__ is ast.Name:  # type: ignore[attr-defined]
            push(node.value)  # type: ignore[attr-defined]
            continue  # `items += [x]` keeps the list a list
        if kind is ast.Import or kind is ast.ImportFrom:
            other.update((a.asname or a.name).split(".")[0] for a in node.names)  # type: ignore[attr-defined]
            continue
        extend(_children(node))
    return frozenset(built - other)
