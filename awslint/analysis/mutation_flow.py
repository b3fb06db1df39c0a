"""Where one mutable default goes inside its function: a dataflow over the control-flow graph.

The fact carried along the graph (`State`) is the set of local names that may still hold the default
object itself (`aliases`), the names bound to a display that holds it (`holders`) and the names bound
to a comprehension over it while it is empty (`empties`), and, for a default that holds mutable
displays (`[{"hits": 0}]`), the names bound to one of its items (`items`: a loop over it, `x["k"]`),
whose in-place changes change the default, and the holders' slots that keep the default itself
(`keyed`: `req = {"headers": x}` makes `req["headers"]` the default). It is joined where paths meet and iterated to
a fixpoint, so an alias made in one iteration of a loop is seen by the next (`last = seen` ...
`last.append(item)`). Every mutation, `return`, `yield` or store of the default that a reachable
state allows is an `Event`; the earliest in the source is the one reported.

Handing the default to a function of the same module (`_add_tags(tags)`, `self._record(out)`, a
class's constructor, `super().__init__(...)`) follows that function with its parameter as the default
(`Helpers`, a few calls deep, once per function and parameter): what it changes or stores there is an
event at the call. A function the module does not define is not followed. A global assigned the
default, and a mutating method handed on as a value (`map(seen.add, keys)`), are events too.

Branches that the default cannot take are cut: an empty default never passes `if x:`/`if k in x:`,
never enters `for v in x:`, and a test with a constant value (`if False:`) has one side only. Nested
functions are followed with the state at their `def` (a closure that mutates the default mutates it
whenever it is called), lambdas with the state of the expression that holds them.
"""
from __future__ import annotations

import ast
import heapq
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable, Iterable, Iterator, Literal

from awslint.analysis.cfg import EXC, FALSE, TRUE, Cfg, Node
from awslint.analysis.index import FunctionNode, Index
from awslint.analysis.model import SemanticModel
from awslint.analysis.module_calls import bound_parameter, call_target
from awslint.analysis.names import Names, local_bindings, parameters, target_names
from awslint.analysis.nodes import breadth_first, children
from awslint.analysis.scopes import own_statements
from awslint.data.mutating import (
    ANY_MUTATING_METHOD,
    CACHE_WORDS,
    MUTATING_ATTRIBUTES,
    MUTATING_FUNCTIONS,
    MUTATING_METHODS,
    STORING_FUNCTIONS,
    STORING_METHODS,
    ContainerKind,
)

# The object a method-like function works on is left out of a cache key on purpose.
_RECEIVERS = frozenset({"self", "cls", "ctx"})
_AUG = {
    ast.Add: "+=", ast.BitOr: "|=", ast.Sub: "-=", ast.BitAnd: "&=", ast.BitXor: "^=", ast.Mult: "*=",
}
_TRY: tuple[type[ast.stmt], ...] = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t)
_COMPOUND: tuple[type[ast.stmt], ...] = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Match, *_TRY)


def deliberate_cache(name: str) -> bool:
    """A default kept on purpose, as its name says: a leading underscore, `cache` or `memo`."""
    lowered = name.lower()
    return name.startswith("_") or any(word in lowered for word in CACHE_WORDS)


@dataclass(frozen=True)
class Default:
    """One mutable default: the parameter, the value expression and what kind of container it makes."""

    param: str
    node: ast.expr
    kind: ContainerKind
    fresh: str  # the value to suggest creating inside the function
    empty: bool
    inserts_on_read: bool = False  # a defaultdict with a factory: `x[k]` inserts a missing key


# "returns": handed back to the caller (returned or yielded); "escapes": kept elsewhere (stored).
EventKind = Literal["mutates", "escapes", "returns"]


@dataclass(frozen=True)
class Event:
    """What happens to the default at `node`: it is changed, or handed out (returned, yielded, stored)."""

    node: ast.AST
    action: str
    how: EventKind = "mutates"
    # Where a helper the default is passed to changes or keeps it: (node, note) steps for the path.
    via: tuple[tuple[ast.AST, str], ...] = ()


@dataclass(frozen=True)
class State:
    """Names that may still be the default object (`aliases`), or a display holding it (`holders`)."""

    aliases: frozenset[str] = frozenset()
    holders: frozenset[str] = frozenset()
    # Names bound to a comprehension over an empty default: empty too, while the default is.
    empties: frozenset[str] = frozenset()
    # Names that may be one of the default's own mutable items (`for rule in rules:` over
    # `rules=[{"hits": 0}]`): changing one changes what the next call gets.
    items: frozenset[str] = frozenset()
    # (holder, key) where a holder's display put the default itself (`req = {"headers": x}`): the
    # subscript `req["headers"]` is the default, and changing it changes the default.
    keyed: frozenset[tuple[str, object]] = frozenset()

    def __or__(self, other: State) -> State:
        return State(
            self.aliases | other.aliases, self.holders | other.holders, self.empties & other.empties,
            self.items | other.items, self.keyed | other.keyed,
        )

    def __bool__(self) -> bool:
        return bool(self.aliases or self.holders or self.items)

    def without(self, names: Iterable[str]) -> State:
        gone = frozenset(names)
        if not gone & (self.aliases | self.holders | self.empties | self.items):
            return self
        keyed = frozenset(pair for pair in self.keyed if pair[0] not in gone) if self.keyed else self.keyed
        return State(self.aliases - gone, self.holders - gone, self.empties - gone, self.items - gone, keyed)


DEAD = State()


def _root(node: ast.AST) -> tuple[str | None, bool]:
    """The name a subscript/attribute chain starts from, and whether the chain indexes into it."""
    indexed = False
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.NamedExpr)):
        # `(buf := x).append(v)`: the walrus's value is the object the chain goes on from
        indexed = indexed or isinstance(node, ast.Subscript)
        node = node.value
    return (node.id if isinstance(node, ast.Name) else None), indexed


_MUTABLE_DISPLAYS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


def _has_mutable_items(node: ast.expr) -> bool:
    """Whether the default's display holds a mutable display itself (`[{"hits": 0}]`, `{"a": []}`):
    the only defaults whose items a loop or a subscript can hand out to be changed."""
    if isinstance(node, (ast.List, ast.Set, ast.Tuple)):
        elements: list[ast.expr] = node.elts
    elif isinstance(node, ast.Dict):
        elements = node.values
    else:
        return False  # a comprehension or a constructor call: what it holds is not read here
    return any(isinstance(e, _MUTABLE_DISPLAYS) for e in elements)


def _slot(node: ast.AST, keyed: frozenset[tuple[str, object]]) -> bool:
    """Whether `node` is `h[k]` for a holder `h` that keeps the default under the constant `k`."""
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and isinstance(node.slice, ast.Constant)
        and (node.value.id, node.slice.value) in keyed
    )


def _through_slot(node: ast.AST, keyed: frozenset[tuple[str, object]]) -> tuple[bool, bool]:
    """Whether the subscript/attribute chain `node` reaches the default through a holder's slot
    (`req["headers"]["X"]`), and whether it indexes into the default on the way there."""
    indexed = False
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if _slot(node, keyed):
            return True, indexed
        indexed = indexed or isinstance(node, ast.Subscript)
        node = node.value
    return False, False


def _attribute_path(node: ast.AST) -> str | None:
    """`self.resource` for an attribute of a name (or an attribute of one), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not parts or not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _short(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _constant_truth(test: ast.expr) -> bool | None:
    """The truth value of a test made of constants only (`True`, `0`, `not False`, `1 and 0`)."""
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _constant_truth(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        # `0 and x` is false and `1 or x` true whatever x is: one constant operand can decide.
        values = [_constant_truth(v) for v in test.values]
        deciding = isinstance(test.op, ast.Or)
        if deciding in values:
            return deciding
        return None if None in values else not deciding
    return None


def _membership(node: ast.expr, state: State, op: type[ast.cmpop]) -> bool:
    return (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], op)
        and isinstance(node.comparators[0], ast.Name)
        and node.comparators[0].id in state.aliases
    )


def _truthy_test(node: ast.expr, state: State) -> bool:
    """Whether `node` can only be true when the default is not empty (`x`, `len(x)`, `k in x`)."""
    if isinstance(node, ast.Name):
        return node.id in state.aliases
    if _membership(node, state, ast.In):
        return True
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        # `len(x) > 2`, `len(x) >= 1`, `len(x) == 3`, `0 < len(x)`: false while x has no items
        op, left, right = node.ops[0], node.left, node.comparators[0]
        if isinstance(left, ast.Constant) and type(op) in _FLIPPED:
            op, left, right = _FLIPPED[type(op)](), right, left
        bound = right.value if isinstance(right, ast.Constant) else None
        if not (isinstance(bound, int) and not isinstance(bound, bool) and _is_len(left, state)):
            return False
        return (
            (isinstance(op, ast.Gt) and bound >= 0)
            or (isinstance(op, (ast.GtE, ast.Eq)) and bound >= 1)
            or (isinstance(op, ast.NotEq) and bound == 0)
        )
    return _is_len(node, state)


_FLIPPED: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq,
}


def _is_len(node: ast.expr, state: State) -> bool:
    """`len(x)` of a name that may still be the default."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in state.aliases
    )


def _pairs(target: ast.expr, value: ast.expr | None) -> bool:
    """Whether `target = value` binds part by part: `a, b = x, 0` (no starred part on either side)."""
    return (
        isinstance(target, (ast.Tuple, ast.List))
        and isinstance(value, (ast.Tuple, ast.List))
        and len(target.elts) == len(value.elts)
        and not any(isinstance(e, ast.Starred) for e in [*target.elts, *value.elts])
    )


def _bool_results(node: ast.BoolOp, empty: bool) -> list[ast.expr]:
    """The operands an `and`/`or` may evaluate to. `x or fallback` never gives back an empty (falsy)
    default; `x and y` gives back a falsy x itself."""
    return node.values[-1:] if empty and isinstance(node.op, ast.Or) else node.values


class _Facts:
    """What one expression (or statement) contains, found in one walk and kept for every later visit:
    the names it mentions anywhere (inside lambdas too), and the `:=` in it that bind in this function
    (those in comprehensions do too; not those in lambdas), in the order `_scan` meets them."""

    __slots__ = ("names", "walrus")

    def __init__(self, names: frozenset[str], walrus: tuple[ast.NamedExpr, ...]) -> None:
        self.names = names
        self.walrus = walrus


_SCOPE_NODES = (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _scan(root: ast.AST) -> _Facts:
    """`root`'s facts, in one depth-first walk (children pushed in field order, the last popped first,
    as `Tracker.expr` visits them). A lambda, def or class inside is walked for its names only."""
    names: set[str] = set()
    walrus: list[ast.NamedExpr] = []
    stack: list[tuple[ast.AST, bool]] = [(root, False)]
    pop, push = stack.pop, stack.append
    node_type = ast.AST
    while stack:
        node, hidden = pop()
        kind = node.__class__
        if kind is ast.Name:
            names.add(node.id)  # type: ignore[attr-defined]
            continue
        if kind is ast.NamedExpr and not hidden:
            walrus.append(node)  # type: ignore[arg-type]
        elif kind in _SCOPE_NODES:
            hidden = True
        for field in node._fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type):
                        push((item, hidden))
            elif isinstance(value, node_type):
                push((value, hidden))
    return _Facts(frozenset(names), tuple(walrus))


def _actions(root: ast.expr) -> tuple[tuple[ast.AST, frozenset[str], frozenset[str]], ...]:
    """The nodes of `root` that `Tracker.expr` acts on, in the order of its walk (depth first, children
    pushed in field order, the last popped first), each with the parameters of the lambdas around it
    (which are not the default there) and the names a test around it finds non-empty (`x.pop() if x
    else None`, `x and x.pop()`: not an empty default there): every call; an attribute of a name that
    is not a call's callee (`seen.add` handed on); a subscript of a name read (`d[k]` of a defaultdict);
    a `yield` of a value. A lambda's body is walked, not its defaults."""
    out: list[tuple[ast.AST, frozenset[str], frozenset[str]]] = []
    stack: list[tuple[ast.AST, frozenset[str], frozenset[str]]] = [(root, _NO_NAMES, _NO_NAMES)]
    pop, push, node_type = stack.pop, stack.append, ast.AST
    called: set[int] = set()  # the callees of the calls met (a call is popped before its callee)
    while stack:
        node, hidden, guarded = pop()
        kind = node.__class__
        if kind is ast.Call:
            called.add(id(node.func))  # type: ignore[attr-defined]
            out.append((node, hidden, guarded))
        elif kind is ast.Attribute:
            if id(node) not in called and node.value.__class__ is ast.Name:  # type: ignore[attr-defined]
                out.append((node, hidden, guarded))
        elif kind is ast.Subscript:
            if node.ctx.__class__ is ast.Load and node.value.__class__ is ast.Name:  # type: ignore[attr-defined]
                out.append((node, hidden, guarded))
        elif kind is ast.Yield:
            if node.value is not None:  # type: ignore[attr-defined]
                out.append((node, hidden, guarded))
        elif kind is ast.Lambda:
            args = node.args  # type: ignore[attr-defined]
            push((node.body, hidden | {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}, guarded))  # type: ignore[attr-defined]
            continue
        elif kind is ast.IfExp:
            assert isinstance(node, ast.IfExp)
            tested = _nonempty_names(node.test)
            push((node.test, hidden, guarded))
            push((node.body, hidden, guarded | tested if tested else guarded))
            push((node.orelse, hidden, guarded))
            continue
        elif kind is ast.BoolOp and isinstance(node.op, ast.And):  # type: ignore[attr-defined]
            assert isinstance(node, ast.BoolOp)
            tested = _NO_NAMES
            items: list[tuple[ast.AST, frozenset[str], frozenset[str]]] = []
            for operand in node.values:
                items.append((operand, hidden, guarded | tested if tested else guarded))
                tested = tested | _nonempty_names(operand)
            stack.extend(items)
            continue
        # `ast.iter_child_nodes`' order, without its generators.
        for field in node._fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type):
                        push((item, hidden, guarded))
            elif isinstance(value, node_type):
                push((value, hidden, guarded))
    return tuple(out)


def _nonempty_names(test: ast.expr) -> frozenset[str]:
    """The names a true `test` finds non-empty: `x`, `len(x)`."""
    if isinstance(test, ast.Name):
        return frozenset({test.id})
    if (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "len"
            and len(test.args) == 1 and isinstance(test.args[0], ast.Name)):
        return frozenset({test.args[0].id})
    return _NO_NAMES


_NO_NAMES: frozenset[str] = frozenset()


class Scanned:
    """`_scan`'s answer for each expression asked about, shared by every default of the module."""

    def __init__(self) -> None:
        self._facts: dict[ast.AST, _Facts] = {}
        self._actions: dict[ast.AST, tuple[tuple[ast.AST, frozenset[str], frozenset[str]], ...]] = {}

    def __call__(self, node: ast.AST) -> _Facts:
        found = self._facts.get(node)
        if found is None:
            found = self._facts[node] = _scan(node)
        return found

    def actions(self, root: ast.expr) -> tuple[tuple[ast.AST, frozenset[str], frozenset[str]], ...]:
        found = self._actions.get(root)
        if found is None:
            found = self._actions[root] = _actions(root)
        return found


def _declared_global(func: FunctionNode) -> frozenset[str]:
    """The names `func`'s own code declares `global` (not those of functions nested in it)."""
    out: set[str] = set()
    stack: list[ast.AST] = list(func.body) if not isinstance(func, ast.Lambda) else []
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Global):
            out.update(node.names)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(children(node))
    return frozenset(out)


def _pattern_captures(pattern: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(pattern):
        name = getattr(node, "name", None) if isinstance(node, (ast.MatchAs, ast.MatchStar)) else None
        if isinstance(node, ast.MatchMapping) and node.rest:
            name = node.rest
        if isinstance(name, str):
            out.add(name)
    return out


_VISITS_PER_NODE = 8


class TooLarge(Exception):
    """A graph the tracker needs could not be built: the answer is unknown."""


Graphs = Callable[[FunctionNode], "tuple[Cfg, dict[int, Node]] | None"]


class Tracker:
    """Follows one mutable default through its function (and the functions nested in it)."""

    def __init__(
        self,
        default: Default,
        params: frozenset[str],
        deliberate: bool,
        names: Names,
        graphs: Graphs,
        helpers: Helpers | None = None,
    ) -> None:
        self.default = default
        self.names = names
        self.params = params
        self.graphs = graphs
        self.helpers = helpers
        self._current: FunctionNode | None = None  # the function whose code is being followed
        # A deliberate cache (`_memo={}`) is fine while what it stores depends only on its key; a
        # value computed from another parameter leaks into calls that pass a different one.
        self.cache = deliberate
        self.func: FunctionNode | None = None
        self.sources: dict[str, set[str]] | None = None  # local name -> parameters it is computed from
        self.events: list[Event] = []
        self._nested_seen: set[tuple[ast.AST, State]] = set()
        # Node visits left before the answer counts as unknown. Each alias can change a node's state
        # only a few times, so a real function needs a few visits per node; the budget keeps an
        # adversarial one (aliases chained backwards through a long loop) linear.
        self._budget = 0
        self._budgeted: set[ast.AST] = set()
        self._methods = MUTATING_METHODS[default.kind]
        self._mutable_items = _has_mutable_items(default.node)
        self._globals: frozenset[str] = frozenset()  # names the function being followed declares global
        self._scanned = helpers.scanned if helpers is not None else Scanned()
        self._at: tuple[Cfg, Node] | None = None  # the graph and node whose statement is being followed
        self._local_containers: dict[tuple[int, str], bool] = {}

    def function(self, func: FunctionNode) -> list[Event]:
        """Every event, the earliest in the source first; raises TooLarge when the answer is unknown."""
        self.func = self._current = func
        start = State(aliases=frozenset({self.default.param}))
        if isinstance(func, ast.Lambda):
            self.escape(func.body, start, "is returned", "returns")
            self.expr(func.body, start)
        else:
            self.flow(func, start)
        # A stable sort: of two events at one position, the one found first (the outer call) leads.
        return sorted(self.events, key=lambda e: (getattr(e.node, "lineno", 0), getattr(e.node, "col_offset", 0)))

    def found(self, event: Event, key: ast.expr | None = None, value: ast.expr | None = None) -> None:
        if not self.cache:
            self.events.append(event)
            return
        if key is None or value is None or _registered(value):
            return
        if self.sources is None:
            self.sources = _sources(self.func, self.params) if self.func is not None else {}
        leaked = self.params_in(value) - self.params_in(key) - {self.default.param} - _RECEIVERS
        if leaked:
            names = ", ".join(f"`{n}`" for n in sorted(leaked))
            self.events.append(Event(event.node, f"caches a value computed from {names}, which its key leaves out,"))

    def params_in(self, node: ast.expr) -> set[str]:
        """The parameters `node` is computed from, also through the function's local variables."""
        out: set[str] = set()
        for name in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}:
            if name in self.params:
                out.add(name)
            else:
                out |= (self.sources or {}).get(name, set())
        return out

    # the graph

    def flow(self, func: ast.FunctionDef | ast.AsyncFunctionDef, start: State) -> None:
        """Runs the transfer functions over `func`'s graph until no state at a node changes."""
        built = self.graphs(func)
        if built is None:
            raise TooLarge
        cfg, handlers = built
        outer = self._globals, self._current
        declared = self.helpers.declared_global(func) if self.helpers is not None else _declared_global(func)
        self._globals, self._current = declared, func
        at = self._at
        try:
            self.fixpoint(func, cfg, handlers, start)
        finally:
            self._globals, self._current = outer
            self._at = at

    def fixpoint(self, func: FunctionNode, cfg: Cfg, handlers: dict[int, Node], start: State) -> None:
        """The worklist over one graph; the budget of node visits is shared by the nested functions."""
        if func not in self._budgeted:
            self._budgeted.add(func)
            self._budget += _VISITS_PER_NODE * len(cfg.nodes)
        states: dict[int, State] = {cfg.entry.id: start}
        # The graph is built backwards, so later statements have smaller ids: visiting the largest id
        # first follows the source order and reaches the fixpoint in few passes.
        queue: list[int] = [-cfg.entry.id]
        queued = {cfg.entry.id}
        by_id = {node.id: node for node in cfg.nodes}
        while queue:
            nid = -heapq.heappop(queue)
            queued.discard(nid)
            self._budget -= 1
            if self._budget < 0:
                raise TooLarge
            node = by_id[nid]
            state = states[nid]
            self._at = (cfg, node)
            for succ, out in self.transfer(node, state, handlers.get(nid)):
                if not out:
                    continue  # nothing there can be the default any more
                old = states.get(succ.id)
                new = out if old is None else old | out
                if new != old:
                    states[succ.id] = new
                    if succ.id not in queued:
                        queued.add(succ.id)
                        heapq.heappush(queue, -succ.id)

    def transfer(self, node: Node, state: State, handler: Node | None) -> Iterator[tuple[Node, State]]:
        kind, stmt = node.kind, node.stmt
        normal = when_true = when_false = state
        if kind == "stmt" and isinstance(stmt, ast.stmt):
            normal = self.simple(stmt, state)
        elif kind == "return" and isinstance(stmt, ast.Return):
            if stmt.value is not None:
                self.escape(stmt.value, state, "is returned", "returns")
                self.expr(stmt.value, state)
        elif kind in ("raise", "assert", "end") and stmt is not None:
            self.children(stmt, state)
        elif kind in ("if", "while") and isinstance(stmt, (ast.If, ast.While)):
            self.expr(stmt.test, state)
            when_true, when_false = self.guard(stmt.test, state)
        elif kind == "for" and isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.expr(stmt.iter, state)
            when_true = DEAD if self.empty_iterable(stmt.iter, state) else self.rebind([stmt.target], None, state)
            if when_true and self._mutable_items:
                when_true = self.iterated_items(stmt.target, stmt.iter, state, when_true)
        elif kind == "with" and isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                self.expr(item.context_expr, state)
                normal = self.walrus([item.context_expr], normal)
                if item.optional_vars is not None:
                    normal = self.rebind([item.optional_vars], None, normal)
        elif kind == "match" and isinstance(stmt, ast.Match):
            self.expr(stmt.subject, state)
            normal = self.walrus([stmt.subject], state)
        elif kind == "case" and isinstance(stmt, ast.pattern):
            when_true = state.without(_pattern_captures(stmt))
            guard = node.parts[1] if len(node.parts) > 1 else None
            if isinstance(guard, ast.expr):
                self.expr(guard, when_true)
                when_true, _ = self.guard(guard, self.walrus([guard], when_true))
        elif kind == "except" and isinstance(stmt, ast.ExceptHandler) and stmt.name:
            normal = state.without([stmt.name])
        if kind in ("if", "while", "for"):
            parts = [stmt.test] if isinstance(stmt, (ast.If, ast.While)) else [getattr(stmt, "iter")]
            when_true, when_false = self.walrus(parts, when_true), self.walrus(parts, when_false)
        for succ, label in node.succ:
            if label == EXC:
                yield succ, state
            elif label == TRUE:
                yield succ, when_true
            elif label == FALSE:
                yield succ, when_false
            else:
                yield succ, normal
        if handler is not None:
            yield handler, state

    # statements

    def simple(self, node: ast.stmt, state: State) -> State:
        """The state after a statement the graph keeps whole (assignments, calls, nested `def` ...)."""
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            if node.value is None:
                return state
            self.expr(node.value, state)
            after = self.walrus([node.value], state)
            targets: list[ast.expr] = list(node.targets) if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                self.store(target, node.value, state)
            if state.keyed and any(_slot(t, state.keyed) for t in targets):
                # `req["headers"] = {...}`: that slot no longer holds the default
                replaced = {(t.value.id, t.slice.value) for t in targets if isinstance(t, ast.Subscript)
                            and isinstance(t.value, ast.Name) and isinstance(t.slice, ast.Constant)}
                after = replace(after, keyed=after.keyed - replaced)
            return self.rebind(targets, node.value, after)
        if isinstance(node, ast.AugAssign):
            self.expr(node.value, state)
            root, indexed = _root(node.target)
            through, inner = _through_slot(node.target, state.keyed) if state.keyed else (False, False)
            if root in state.aliases or (root in state.items and indexed) or through:
                op = _AUG.get(type(node.op), "an augmented assignment")
                deeper = inner if through else indexed or root in state.items
                what = "has an item changed" if deeper else "is changed in place"
                self.found(Event(node, f"{what} by `{op}`"))
            return self.walrus([node.value], state)
        if isinstance(node, ast.Delete):
            for target in node.targets:
                root, indexed = _root(target)
                through, inner = _through_slot(target, state.keyed) if state.keyed else (False, False)
                if ((root in state.aliases or root in state.items) and indexed) or (through and inner):
                    self.found(Event(node, "has an item deleted"))
            return state.without(t.id for t in node.targets if isinstance(t, ast.Name))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for expr in [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
                self.expr(expr, state)
            self.nested(node, state)
            return state.without([node.name])
        if isinstance(node, ast.ClassDef):
            for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
                self.expr(expr, state)
            self.straight(node.body, state)
            return state.without([node.name])
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return state.without((a.asname or a.name).split(".")[0] for a in node.names)
        if isinstance(node, ast.Expr):
            self.expr(node.value, state)
            return self.walrus([node.value], state)
        self.children(node, state)
        return self.walrus([node], state)

    def nested(self, node: ast.FunctionDef | ast.AsyncFunctionDef, state: State) -> None:
        """A closure that mutates the default mutates it whenever it is called."""
        inner = state.without(local_bindings(node))
        if not inner or (node, inner) in self._nested_seen:
            return
        self._nested_seen.add((node, inner))
        self.flow(node, inner)

    def straight(self, body: list[ast.stmt], state: State) -> State:
        """A class body inside the function, read in order: every statement runs once, when defined."""
        for stmt in body:
            if not state:
                break
            if isinstance(stmt, _COMPOUND):
                for expr in (getattr(stmt, f, None) for f in ("test", "iter", "subject")):
                    if isinstance(expr, ast.expr):
                        self.expr(expr, state)
                for item in getattr(stmt, "items", ()):
                    self.expr(item.context_expr, state)
                blocks = [getattr(stmt, f, []) for f in ("body", "orelse", "finalbody")]
                blocks += [h.body for h in getattr(stmt, "handlers", ())]
                blocks += [c.body for c in getattr(stmt, "cases", ())]
                for block in blocks:
                    self.straight(block, state)
            else:
                state = self.simple(stmt, state)
        return state

    def children(self, node: ast.AST, state: State) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, state)

    def guard(self, test: ast.expr, state: State) -> tuple[State, State]:
        """States on the true and false branch of `test`: an empty default never passes `if x:`."""
        truth = _constant_truth(test)
        if truth is not None:
            return (state, DEAD) if truth else (DEAD, state)
        if not self.default.empty:
            return state, state
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        core = test.operand if isinstance(test, ast.UnaryOp) and negated else test
        conjuncts = core.values if isinstance(core, ast.BoolOp) and isinstance(core.op, ast.And) else [core]
        if negated and len(conjuncts) > 1:
            return state, state
        if any(_truthy_test(c, state) for c in conjuncts):
            return (state, DEAD) if negated else (DEAD, state)
        if not negated and _membership(core, state, ast.NotIn):
            return state, DEAD  # `k not in x` always holds for an empty default
        return state, state

    def rebind(self, targets: list[ast.expr], value: ast.expr | None, state: State) -> State:
        names = [n for t in targets for n in target_names(t)]
        if not names:
            return state
        out = state.without(names)
        for target in targets:
            out = self.bind(target, value, state, out)
        return out

    def bind(self, target: ast.expr, value: ast.expr | None, before: State, out: State) -> State:
        """`out` with what `target = value` makes of the names in `target` (`before` is the state it reads)."""
        if _pairs(target, value):
            assert isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List))
            for part, part_value in zip(target.elts, value.elts):
                out = self.bind(part, part_value, before, out)
            return out
        if not isinstance(target, ast.Name):
            # Unpacking a value of unknown shape (`a, b = pair`): which part is which is not known.
            return out
        name = frozenset({target.id})
        if value is not None and self.itself(value, before):
            return State(out.aliases | name, out.holders, out.empties, out.items, out.keyed)
        if value is not None and self.holds(value, before):
            keyed = out.keyed | frozenset((target.id, key) for key in self.slots(value, before))
            return State(out.aliases, out.holders | name, out.empties, out.items, keyed)
        if (
            isinstance(value, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
            and self.empty_iterable(value.generators[0].iter, before)
        ):
            return State(out.aliases, out.holders, out.empties | name, out.items, out.keyed)
        if value is not None and self.item_of(value, before):
            return State(out.aliases, out.holders, out.empties, out.items | name, out.keyed)
        return out

    def walrus(self, parts: list[ast.AST], state: State) -> State:
        # The last part's first, as one walk of all the parts would pop them.
        for part in reversed(parts):
            for named in self._scanned(part).walrus:
                state = self.rebind([named.target], named.value, state)
        return state

    def empty_iterable(self, node: ast.expr, state: State) -> bool:
        """Whether iterating `node` yields nothing while the parameter is still its empty default."""
        if not self.default.empty:
            return False
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and not node.args and func.attr in ("items", "keys", "values", "copy"):
                node = func.value
            elif isinstance(func, ast.Name) and func.id in ("list", "tuple", "sorted", "set") and len(node.args) == 1:
                node = node.args[0]
        return isinstance(node, ast.Name) and (node.id in state.aliases or node.id in state.empties)

    def slots(self, value: ast.expr, state: State) -> Iterator[object]:
        """The constant keys (a dict display) or positions (a list or tuple display) under which the
        display `value` holds the default itself."""
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values):
                if isinstance(key, ast.Constant) and self.itself(item, state):
                    yield key.value
        elif isinstance(value, (ast.List, ast.Tuple)):
            for index, item in enumerate(value.elts):
                if isinstance(item, ast.Starred):
                    return  # where the later items land depends on the unpacked value
                if self.itself(item, state):
                    yield index

    def item_of(self, value: ast.expr, state: State) -> bool:
        """Whether `value` may be one of the default's mutable items: `x[0]`, `x["retry"]`,
        `x.get("retry")`, or an item of such an item."""
        if not self._mutable_items:
            return False
        if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
            return value.value.id in state.aliases or value.value.id in state.items
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "get"
            and isinstance(value.func.value, ast.Name)
        ):
            return value.func.value.id in state.aliases or value.func.value.id in state.items
        return False

    def iterated_items(self, target: ast.expr, iterable: ast.expr, before: State, out: State) -> State:
        """`out` with the loop's target bound to the default's items: `for rule in x`, `for rule in
        x.values()`, and the second name of `for i, rule in enumerate(x)` / `for k, rule in x.items()`."""
        over, pair = iterable, False
        if isinstance(over, ast.Call) and len(over.args) <= 1 and not over.keywords:
            func = over.func
            if isinstance(func, ast.Attribute) and func.attr in ("values", "items") and not over.args:
                over, pair = func.value, func.attr == "items"
            elif isinstance(func, ast.Name) and func.id == "enumerate" and len(over.args) == 1:
                over, pair = over.args[0], True
        if not (isinstance(over, ast.Name) and (over.id in before.aliases or over.id in before.items)):
            return out
        if pair:
            if not (isinstance(target, ast.Tuple) and len(target.elts) == 2):
                return out
            target = target.elts[1]
        if not isinstance(target, ast.Name):
            return out
        return State(out.aliases, out.holders, out.empties, out.items | {target.id}, out.keyed)

    def store(self, target: ast.expr, value: ast.expr, state: State) -> None:
        if _pairs(target, value):
            assert isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List))
            for part, part_value in zip(target.elts, value.elts):
                self.store(part, part_value, state)
            return
        if isinstance(target, ast.Name) and target.id in self._globals:
            # The module keeps it past the call: the next call that omits the argument stores it again.
            self.escape(value, state, f"is stored in the global `{target.id}`")
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            root, indexed = _root(target)
            if state.keyed and not _slot(target, state.keyed):
                through, inner = _through_slot(target, state.keyed)
                if through and (inner or isinstance(target, ast.Subscript)):
                    self.found(Event(target, "is changed by item assignment"))
            if root in state.items and indexed:
                self.found(Event(target, "has an item changed by item assignment"))
            if root in state.aliases and (indexed or isinstance(target, ast.Subscript)):
                key = target.slice if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) else None
                self.found(Event(target, "is changed by item assignment"), key, value)
            elif (
                root in state.aliases
                and isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.attr in MUTATING_ATTRIBUTES.get(self.default.kind, frozenset())
            ):
                self.found(Event(target, f"has its `{target.attr}` replaced"))
            if root not in state.aliases and not self._overwritten(target) and not self._kept_local(root):
                self.escape(value, state, f"is stored in `{_short(target)}`")

    def _kept_local(self, root: str | None) -> bool:
        """`kwargs = {}` / `kwargs["Tags"] = tags` / `client.create(**kwargs)`: a container the function
        builds itself and only unpacks into calls, indexes or asks about never leaves it, so storing
        the default there is passing it to the call, which is not enough."""
        function = self._current
        if root is None or function is None or isinstance(function, ast.Lambda):
            return False
        key = (id(function), root)
        known = self._local_containers.get(key)
        if known is None:
            known = self._local_containers[key] = _only_unpacked_here(function, root)
        return known

    def _overwritten(self, target: ast.Attribute | ast.Subscript) -> bool:
        """Whether every normal path on from the store being followed assigns `target` (`self.resource`)
        again, with nothing in between that reads it, from a call of another module or a display: the
        attribute no longer holds the default when the function returns."""
        text = _attribute_path(target)
        if text is None or self._at is None:
            return False
        cfg, start = self._at
        seen: set[int] = {start.id}
        stack = [succ for succ, label in start.succ if label != EXC]
        while stack:
            node = stack.pop()
            if node.id in seen:
                continue
            seen.add(node.id)
            if node is cfg.exit:
                return False
            stmt = node.stmt
            if node.kind == "stmt" and isinstance(stmt, ast.Assign) and any(
                    _attribute_path(t) == text for t in stmt.targets):
                if self._fresh(stmt.value, text):
                    continue
                return False
            if any(_attribute_path(sub) == text for part in node.parts for sub in ast.walk(part)
                   if isinstance(sub, ast.Attribute)):
                return False  # read (or stored) before the next assignment: who knows where it goes
            stack.extend(succ for succ, label in node.succ if label != EXC)
        return True

    def _fresh(self, value: ast.expr, text: str) -> bool:
        """A value that is not the object `text` names: a display or constant that does not mention it,
        or a call of a function the module does not define (`redact(resource, self.resource)`: passing
        it to an unknown function is not enough to keep it)."""
        if isinstance(value, ast.Call):
            return not (self.helpers is not None and self.helpers.may_run_own(value)) and not (
                isinstance(value.func, ast.Attribute) and _attribute_path(value.func.value) == text)
        if isinstance(value, (ast.Constant, ast.Dict, ast.List, ast.Set, ast.Tuple)):
            return not any(isinstance(sub, ast.Attribute) and _attribute_path(sub) == text for sub in ast.walk(value))
        return False

    # expressions

    def escape(self, value: ast.expr, state: State, action: str, how: EventKind = "escapes") -> None:
        if self.holds(value, state, holders=True):
            self.found(Event(value, action, how))

    def itself(self, value: ast.expr, state: State) -> bool:
        """Whether `value` may be the default object itself: `x`, `x or {}` (when x is not empty),
        `x if x is not None else []`, `(y := x)`; not a copy, nor a display holding it."""
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                if node.id in state.aliases:
                    return True
            elif isinstance(node, ast.IfExp):
                guarded = self.default.empty and _truthy_test(node.test, state)
                stack.extend([node.orelse] if guarded else [node.body, node.orelse])
            elif isinstance(node, ast.BoolOp):
                stack.extend(_bool_results(node, self.default.empty))
            elif isinstance(node, ast.NamedExpr):
                stack.append(node.value)
        return False

    def holds(self, value: ast.expr, state: State, holders: bool = False) -> bool:
        """Whether evaluating `value` gives the default itself, or a display that contains it."""
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                if node.id in state.aliases or (holders and node.id in state.holders):
                    return True
            elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                stack.extend(e for e in node.elts if not isinstance(e, ast.Starred))
            elif isinstance(node, ast.Dict):
                # `{**x}` copies x's items; only values and keys themselves are held.
                stack.extend(v for k, v in zip(node.keys, node.values) if k is not None)
                stack.extend(k for k in node.keys if k is not None)
            elif isinstance(node, ast.IfExp):
                # `x if x else fallback` never gives back an empty default.
                guarded = self.default.empty and _truthy_test(node.test, state)
                stack.extend([node.orelse] if guarded else [node.body, node.orelse])
            elif isinstance(node, ast.BoolOp):
                stack.extend(_bool_results(node, self.default.empty))
            elif isinstance(node, ast.NamedExpr):
                stack.append(node.value)
            elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                # `[{"Tags": tags} for rt in types]`: every item holds the default, unless the
                # comprehension binds the name itself
                bound = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
                if not bound & (state.aliases | (state.holders if holders else frozenset())):
                    stack.extend((node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,))
        return False

    def expr(self, root: ast.expr, state: State) -> None:
        # Every event below needs a name of `root` that may be the default (or hold it): an expression
        # that mentions none is passed over without a walk (its names are found once, for every visit).
        mentioned = self._scanned(root).names
        if mentioned.isdisjoint(state.aliases) and mentioned.isdisjoint(state.holders) and mentioned.isdisjoint(state.items):
            return
        empty = self.default.empty
        for node, hidden, guarded in self._scanned.actions(root):
            if guarded and empty:
                hidden = hidden | guarded  # an empty default never passes the test around it
            live = state.without(hidden) if hidden else state
            kind = node.__class__
            if kind is ast.Call:
                self.call(node, live)  # type: ignore[arg-type]
            elif kind is ast.Attribute:
                assert isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                if node.value.id in live.aliases and node.attr in self._methods and not node.attr.startswith("__"):
                    # `map(seen.add, keys)`, `bus.on_message(received.append)`: whoever calls it changes x.
                    self.found(Event(node, f"is changed through `{_short(node)}`, handed on as a value,"))
            elif kind is ast.Subscript:
                assert isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                if self.default.inserts_on_read and node.value.id in live.aliases:
                    self.found(Event(node, f"inserts a missing key when read with `{_short(node)}`"))
            else:
                assert isinstance(node, ast.Yield) and node.value is not None
                if self.holds(node.value, live, holders=True):
                    self.found(Event(node, "is yielded", "returns"))

    def call(self, node: ast.Call, live: State) -> None:
        self.passed(node, live)
        if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in live.aliases:
            if self.names.resolve(node.func) in MUTATING_FUNCTIONS:
                self.found(Event(node, f"is changed by `{ast.unparse(node.func)}()`"))
        kept = STORING_FUNCTIONS.get(self.names.resolve(node.func) or "")
        if kept is not None and len(node.args) > kept and self.holds(node.args[kept], live):
            self.found(Event(node, f"is stored by `{_short(node.func)}()`", "escapes"))
        if not isinstance(node.func, ast.Attribute):
            return
        receiver = node.func.value
        name, _ = _root(receiver)
        method = node.func.attr
        direct = isinstance(receiver, ast.Name)
        if name in live.aliases and method in (self._methods if direct else ANY_MUTATING_METHOD):
            setdefault = method == "setdefault" and len(node.args) == 2
            key, value = (node.args[0], node.args[1]) if setdefault else (None, None)
            self.found(Event(node, f"is changed by `.{method}()`"), key, value)
        elif name in live.items and method in ANY_MUTATING_METHOD:
            self.found(Event(node, f"has an item changed by `.{method}()`"))
        elif live.keyed and _through_slot(receiver, live.keyed)[0] and method in (
            self._methods if _slot(receiver, live.keyed) else ANY_MUTATING_METHOD
        ):
            self.found(Event(node, f"is changed by `.{method}()`"))
        elif method in STORING_METHODS and any(self.holds(a, live) for a in node.args):
            self.found(Event(node, f"is stored in a container by `.{method}()`", "escapes"))

    def passed(self, node: ast.Call, live: State) -> None:
        """The default handed to a function of this module that changes or keeps its parameter."""
        if self.helpers is None or self._current is None:
            return
        arguments = [*node.args, *(k.value for k in node.keywords)]
        handed = [a for a in arguments if isinstance(a, ast.Name) and a.id in live.aliases]
        if not handed or not self.helpers.may_run_own(node):
            return
        class_of = self.helpers.class_of if self.helpers.index is not None else None
        target = call_target(self.helpers.model, node, self._current, class_of)
        if target is None:
            return
        for argument in handed:
            param = bound_parameter(target, node, argument)
            inner = self.helpers.effect(target.function, param, self.default) if param else None
            if inner is None:
                continue
            line = getattr(inner.node, "lineno", node.lineno)
            note = f"`{param}` {inner.action}"
            self.found(
                Event(node, f"is passed to `{target.name}()` (where {note} at line {line})", inner.how,
                      via=((inner.node, f"in `{target.name}()`, {note}"), *inner.via))
            )
            return


# How deep the helpers a default is handed to are followed (a helper passing it to another ...).
_HELPER_DEPTH = 3


class Helpers:
    """The functions of the module a default may be handed to, and what each does to a parameter."""

    def __init__(self, model: SemanticModel, names: Names, graphs: Graphs, index: Index | None = None) -> None:
        self.model = model
        self.names = names
        self.graphs = graphs
        self.index = index
        self.scanned = Scanned()
        self._effects: dict[tuple[ast.AST, str, ContainerKind, bool, bool], Event | None] = {}
        self._active: list[tuple[ast.AST, str, ContainerKind, bool, bool]] = []

    @cached_property
    def _defined(self) -> frozenset[str] | None:
        """Every name a `def` or `class` of the module binds, wherever it stands (None: not known)."""
        if self.index is None:
            return None
        found = {f.name for f in self.index.functions if not isinstance(f, ast.Lambda)}
        return frozenset(found | {c.name for c in self.index.classes})

    @cached_property
    def _declaring(self) -> frozenset[ast.AST | None] | None:
        """The functions whose code holds a `global` statement (None: not known)."""
        if self.index is None:
            return None
        return frozenset(scope for _node, scope in self.index.of_type(ast.Global))

    @cached_property
    def _method_classes(self) -> dict[ast.AST, ast.ClassDef]:
        """Each `def` of a class body (through its compound statements, not inside nested functions or
        classes) and that class: the scope the semantic model puts around a method."""
        found: dict[ast.AST, ast.ClassDef] = {}
        for cls in self.index.classes if self.index is not None else ():
            for stmt in own_statements(cls.body):
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[stmt] = cls
        return found

    def class_of(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.ClassDef | None:
        """The class whose body defines `function`, if it is a method."""
        return self._method_classes.get(function)

    def may_run_own(self, call: ast.Call) -> bool:
        """A necessary condition for `call_target` to find a function of the module, read without the
        semantic model: a name some `def` or `class` binds, a method of `self`/`cls`, `super().__init__`."""
        func = call.func
        if isinstance(func, ast.Name):
            return self._defined is None or func.id in self._defined
        if not isinstance(func, ast.Attribute):
            return False
        receiver = func.value
        if isinstance(receiver, ast.Name):
            return receiver.id in ("self", "cls")
        return func.attr == "__init__" and isinstance(receiver, ast.Call)

    def declared_global(self, func: FunctionNode) -> frozenset[str]:
        """`_declared_global(func)`; the index says at once that most functions declare nothing."""
        declaring = self._declaring
        if declaring is not None and func not in declaring:
            return frozenset()
        return _declared_global(func)

    def effect(self, function: FunctionNode, param: str, default: Default) -> Event | None:
        """The first change or store of `param` in `function` when it is given `default`'s object.

        Handing it back (`return param`) is not followed: what the caller does with the result is not
        known here. A recursive chain, or one deeper than a few helpers, is unknown (None).
        """
        key = (function, param, default.kind, default.empty, default.inserts_on_read)
        if key in self._effects:
            return self._effects[key]
        if key in self._active or len(self._active) >= _HELPER_DEPTH:
            return None
        self._active.append(key)
        try:
            given = Default(param, default.node, default.kind, default.fresh, default.empty, default.inserts_on_read)
            params = frozenset(a.arg for a in parameters(function))
            tracker = Tracker(given, params, False, self.names, self.graphs, self)
            try:
                events = tracker.function(function)
            except TooLarge:
                events = []
        finally:
            self._active.pop()
        found = next((e for e in events if e.how != "returns"), None)
        self._effects[key] = found
        return found


def _registered(value: ast.expr) -> bool:
    """What a registry stores: the arguments themselves (`_registry[name] = func`, `= (func, opts)`),
    nothing computed from them that a call with another argument would get stale."""
    if isinstance(value, (ast.Name, ast.Constant)):
        return True
    if isinstance(value, (ast.Tuple, ast.List)):
        return all(_registered(item) for item in value.elts)
    return False


_CONTAINER_QUERIES = frozenset({"get", "keys", "values", "items", "update", "setdefault", "pop", "copy"})


def _only_unpacked_here(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """`name` is a local the function binds only to a new dict (`{}`, `{...}`, `dict(...)`), and every
    read of it is a `**name` in a call, an item of it (`name[k]`), one of its dict methods, or a
    test (`k in name`, `if name:`): the dict never leaves the function as itself."""
    parents: dict[int, ast.AST] = {}
    bound = False
    for node in breadth_first(function):
        for child in children(node):
            parents[id(child)] = node
    for node in breadth_first(function):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return False
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and node is not function:
            if any(isinstance(n, ast.Name) and n.id == name for n in breadth_first(node)):
                return False  # a closure may keep it
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        parent = parents.get(id(node))
        if isinstance(node.ctx, ast.Store):
            if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.targets[0] is node
                    and _new_dict(parent.value)):
                return False
            bound = True
        elif isinstance(node.ctx, ast.Load):
            if isinstance(parent, ast.keyword) and parent.arg is None:
                continue  # `f(**name)`
            if isinstance(parent, ast.Subscript) and parent.value is node:
                above = parents.get(id(parent))
                if isinstance(above, (ast.Attribute, ast.Subscript, ast.AugAssign)):
                    return False  # `name["Tags"].append(v)`: an item changed through it
                if isinstance(above, (ast.Assign, ast.AnnAssign)) and isinstance(parent.ctx, ast.Load):
                    return False  # `items = name["Tags"]`: another name for an item
                continue
            if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in _CONTAINER_QUERIES:
                continue
            if isinstance(parent, ast.Compare) and node in parent.comparators:
                continue
            if isinstance(parent, (ast.If, ast.While)) and parent.test is node:
                continue
            return False
        else:
            return False  # `del name`
    return bound


def _new_dict(value: ast.expr) -> bool:
    return isinstance(value, ast.Dict) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict")


def _sources(func: FunctionNode, params: frozenset[str]) -> dict[str, set[str]]:
    """For each local name, the parameters any of its assignments is computed from (flow-insensitive)."""
    reads: dict[str, set[str]] = {}
    for node in ast.walk(func):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value: ast.AST = node.value
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            targets, value = [node.target], node.iter
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets, value = [node.optional_vars], node.context_expr
        else:
            continue
        used = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
        for target in targets:
            for name in target_names(target):
                if name not in params:
                    reads.setdefault(name, set()).update(used)
    resolved: dict[str, set[str]] = {}
    for name in reads:
        seen, todo, found = {name}, list(reads[name]), set()
        while todo:
            used_name = todo.pop()
            if used_name in params:
                found.add(used_name)
            elif used_name in reads and used_name not in seen:
                seen.add(used_name)
                todo.extend(reads[used_name])
        resolved[name] = found
    return resolved


def graph_cache(build: Callable[[FunctionNode], Cfg | None]) -> Graphs:
    """Builds each function's graph (and its `try` clause map) once for every default tracked in it."""
    built: dict[FunctionNode, tuple[Cfg, dict[int, Node]] | None] = {}

    def get(func: FunctionNode) -> tuple[Cfg, dict[int, Node]] | None:
        if func not in built:
            cfg = build(func)
            # every handler is taken to be reachable from the start of its `try`, even when the graph
            # finds nothing in the body that can raise: the author wrote it for an error they expect
            built[func] = None if cfg is None else (cfg, cfg.handlers)
        return built[func]

    return get
