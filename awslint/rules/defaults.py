"""Mutable default arguments (AWS301, AWS302)."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable, Iterator, cast

from awslint.analysis.index import FunctionNode
from awslint.analysis.names import Names, local_bindings, parameters, target_names
from awslint.context import Context
from awslint.finding import Finding, Step
from awslint.rule import Family, Rule

_MUTATORS = frozenset(
    {
        "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update", "setdefault",
        "add", "discard", "sort", "reverse", "appendleft", "extendleft", "popleft", "rotate",
        "difference_update", "intersection_update", "symmetric_difference_update", "subtract",
        "__setitem__", "__delitem__", "__iadd__",
    }
)
# Functions that change the list passed as their first argument in place.
_MUTATING_FUNCTIONS = frozenset(
    {
        "random.shuffle", "heapq.heappush", "heapq.heappop", "heapq.heapify", "heapq.heapreplace",
        "heapq.heappushpop", "bisect.insort", "bisect.insort_left", "bisect.insort_right",
    }
)
_CONSTRUCTORS = {
    "list": ("list", "[]"),
    "dict": ("dict", "{}"),
    "set": ("set", "set()"),
    "bytearray": ("bytearray", "bytearray()"),
    "collections.defaultdict": ("defaultdict", "defaultdict(...)"),
    "collections.deque": ("deque", "deque()"),
    "collections.OrderedDict": ("OrderedDict", "OrderedDict()"),
    "collections.Counter": ("Counter", "Counter()"),
}
_DISPLAYS: dict[type, tuple[str, str]] = {
    ast.List: ("list", "[]"),
    ast.ListComp: ("list", "[]"),
    ast.Dict: ("dict", "{}"),
    ast.DictComp: ("dict", "{}"),
    ast.Set: ("set", "set()"),
    ast.SetComp: ("set", "set()"),
}
_CACHE_WORDS = ("cache", "memo")
# The object a method-like function works on is left out of a cache key on purpose.
_RECEIVERS = frozenset({"self", "cls", "ctx"})


class MutatedMutableDefault(Rule):
    """
    ## What it finds

    A mutable default argument (a list, dict or set display or comprehension, or a call of `list()`,
    `dict()`, `set()`, `bytearray()` or a `collections` container) that the function mutates, returns,
    yields or stores before rebinding the parameter.

    The parameter is followed along every branch, through local aliases, subscript and attribute chains
    and nested functions, until it is rebound (`x = list(x)`, `x = x or []`); a mutation under a guard an
    empty default cannot pass (`if x:`, `if k in x:`) does not count. A deliberate cache (a name with a
    leading underscore or containing `cache` or `memo`) is reported only when it stores a value computed
    from a parameter its key leaves out. `awslint --fix` rewrites the default to `None` with the guard.

    ## Why is this bad?

    The default value is created once, when `def` runs, and every call that omits the argument shares
    it. Whatever one call adds is still there in the next, so results leak between calls and requests.
    """

    code = "AWS301"
    name = "mutated-mutable-default"
    msgid = "W7331"
    title = "Mutable default argument is mutated, returned or stored"
    message = (
        "mutable default `{param}` {action} at line {line}, so its contents carry over to later calls; "
        "default to None and create it inside: `if {param} is None: {param} = {fresh}`"
    )
    INVALID = (
        '''
def list_topics(client, topics=[]):  # expect: AWS301
    for page in client.get_paginator("list_topics").paginate():
        topics.extend(t["TopicArn"] for t in page["Topics"])
    return topics
''',
    )
    VALID = (
        '''
def list_topics(client, topics=None):
    if topics is None:
        topics = []
    for page in client.get_paginator("list_topics").paginate():
        topics.extend(t["TopicArn"] for t in page["Topics"])
    return topics
''',
    )


class MutableDefaultArgument(Rule):
    """
    ## What it finds

    A mutable default argument that the function does not (yet) mutate, return or store, and
    deliberate caches such as `def fib(n, _memo={})`. It is off by default: select it with `AWS302`.
    `awslint --fix` rewrites the default to `None` where every use only reads it.

    ## Why is this bad?

    The default is shared by every call. Nothing goes wrong today, but the first edit that appends to
    it, or hands it to a caller, turns it into state that leaks between calls. A `None` default, or an
    immutable one (a tuple, a `frozenset`), cannot.
    """

    code = "AWS302"
    name = "mutable-default-argument"
    msgid = "W7332"
    title = "Mutable default argument"
    default_enabled = False
    message = (
        "mutable default `{param}` is created once and shared by every call; "
        "use None (or an immutable value) and create a new {kind} inside"
    )
    INVALID = (
        '''
def render(template, context={}):  # expect: AWS302
    return template.format(**context)
''',
    )
    VALID = (
        '''
def render(template, context=None):
    return template.format(**(context or {}))
''',
    )



@dataclass(frozen=True)
class _Default:
    param: str
    node: ast.expr
    kind: str
    fresh: str
    empty: bool


@dataclass(frozen=True)
class _Event:
    node: ast.AST
    action: str


class _Found(Exception):
    def __init__(self, event: _Event) -> None:
        self.event = event


@dataclass(frozen=True)
class _State:
    """Names that may still be the default object (`aliases`), or a display holding it (`holders`)."""

    aliases: frozenset[str] = frozenset()
    holders: frozenset[str] = frozenset()
    # Names bound to a comprehension over an empty default: empty too, while the default is.
    empties: frozenset[str] = frozenset()

    def __or__(self, other: _State) -> _State:
        return _State(self.aliases | other.aliases, self.holders | other.holders, self.empties & other.empties)

    def __bool__(self) -> bool:
        return bool(self.aliases or self.holders)

    def without(self, names: Iterable[str]) -> _State:
        gone = frozenset(names)
        return _State(self.aliases - gone, self.holders - gone, self.empties - gone)


_DEAD = _State()


def _mutable_defaults(func: FunctionNode, names: Names) -> Iterator[_Default]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    for arg, default in pairs:
        found = _kind(default, names)
        if found:
            kind, fresh, empty = found
            yield _Default(arg.arg, default, kind, fresh, empty)


def _kind(node: ast.expr, names: Names) -> tuple[str, str, bool] | None:
    """(kind, a fresh value to suggest, whether the default starts out empty), or None if immutable."""
    display = _DISPLAYS.get(type(node))
    if display:
        empty = isinstance(node, (ast.List, ast.Dict)) and not (
            node.elts if isinstance(node, ast.List) else node.keys
        )
        return display[0], _suggest(node, display[1]), empty
    if isinstance(node, ast.Call):
        target = names.resolve(node.func)
        known = _CONSTRUCTORS.get(target or "")
        if known:
            empty = not node.keywords and (
                not node.args or (target == "collections.defaultdict" and len(node.args) == 1)
            )
            return known[0], _suggest(node, known[1]), empty
    return None


def _suggest(node: ast.expr, empty_form: str) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 and not isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp)) else empty_form


def _root(node: ast.AST) -> tuple[str | None, bool]:
    """The name a subscript/attribute chain starts from, and whether the chain indexes into it."""
    indexed = False
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        indexed = indexed or isinstance(node, ast.Subscript)
        node = node.value
    return (node.id if isinstance(node, ast.Name) else None), indexed


class _Tracker:
    """Follows one mutable default through a function body, in order, along every branch."""

    def __init__(self, default: _Default, params: frozenset[str], deliberate_cache: bool, names: Names) -> None:
        self.default = default
        self.names = names
        self.params = params
        # A deliberate cache (`_memo={}`) is fine while what it stores depends only on its key; a
        # value computed from another parameter leaks into calls that pass a different one.
        self.cache = deliberate_cache
        self.func: FunctionNode | None = None
        self.sources: dict[str, set[str]] | None = None  # local name -> parameters it is computed from

    def found(self, event: _Event, key: ast.expr | None = None, value: ast.expr | None = None) -> None:
        if not self.cache:
            raise _Found(event)
        if key is None or value is None:
            return
        if self.sources is None:
            self.sources = _sources(self.func, self.params) if self.func is not None else {}
        leaked = (
            self.params_in(value) - self.params_in(key) - {self.default.param} - _RECEIVERS
        )
        if leaked:
            names = ", ".join(f"`{n}`" for n in sorted(leaked))
            raise _Found(_Event(event.node, f"caches a value computed from {names}, which its key leaves out,"))

    def params_in(self, node: ast.expr) -> set[str]:
        """The parameters `node` is computed from, also through the function's local variables."""
        out: set[str] = set()
        for name in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}:
            if name in self.params:
                out.add(name)
            else:
                out |= (self.sources or {}).get(name, set())
        return out

    def function(self, func: FunctionNode) -> _Event | None:
        self.func = func
        start = _State(aliases=frozenset({self.default.param}))
        try:
            if isinstance(func, ast.Lambda):
                self.escape(func.body, start, "is returned")
                self.expr(func.body, start)
            else:
                self.block(func.body, start)
        except _Found as found:
            return found.event
        return None

    # statements

    def block(self, stmts: list[ast.stmt], state: _State) -> _State:
        for stmt in stmts:
            if not state:
                return state
            state = self.stmt(stmt, state)
        return state

    def stmt(self, node: ast.stmt, state: _State) -> _State:  # noqa: C901 - one case per statement kind
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            if node.value is None:
                return state
            self.expr(node.value, state)
            targets: list[ast.expr] = list(node.targets) if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                self.store(target, node.value, state)
            return self.rebind(targets, node.value, state)
        if isinstance(node, ast.AugAssign):
            self.expr(node.value, state)
            root, indexed = _root(node.target)
            if root in state.aliases:
                op = _AUG.get(type(node.op), "an augmented assignment")
                what = "has an item changed" if indexed else "is changed in place"
                self.found(_Event(node, f"{what} by `{op}`"))
            return state
        if isinstance(node, ast.Delete):
            for target in node.targets:
                root, indexed = _root(target)
                if root in state.aliases and indexed:
                    self.found(_Event(node, "has an item deleted"))
            return state.without(t.id for t in node.targets if isinstance(t, ast.Name))
        if isinstance(node, ast.Return):
            if node.value is not None:
                self.escape(node.value, state, "is returned")
                self.expr(node.value, state)
            return _DEAD
        if isinstance(node, ast.Expr):
            self.expr(node.value, state)
            return state
        if isinstance(node, ast.If):
            self.expr(node.test, state)
            when_true, when_false = self.guard(node.test, state)
            return self.block(node.body, when_true) | self.block(node.orelse, when_false)
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self.expr(node.iter, state)
            inner = _DEAD if self.empty_iterable(node.iter, state) else self.rebind([node.target], None, state)
            after = self.block(node.body, inner) | state
            return self.block(node.orelse, after) | after
        if isinstance(node, ast.While):
            self.expr(node.test, state)
            when_true, when_false = self.guard(node.test, state)
            after = self.block(node.body, when_true) | when_false
            return self.block(node.orelse, after) | after
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr, state)
                if item.optional_vars is not None:
                    state = self.rebind([item.optional_vars], None, state)
            return self.block(node.body, state)
        if isinstance(node, _TRY):
            node = cast(ast.Try, node)  # TryStar (3.11+) has the same fields
            body = self.block(node.body, state)
            anywhere = state | body
            out = self.block(node.orelse, body) if node.orelse else body
            for handler in node.handlers:
                out = out | self.block(handler.body, anywhere)
            if node.finalbody:
                return self.block(node.finalbody, out | anywhere) and out
            return out
        if isinstance(node, ast.Match):
            self.expr(node.subject, state)
            out = _DEAD
            for case in node.cases:
                out = out | self.block(case.body, state)
            return out | state
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for expr in [*node.decorator_list, *node.args.defaults]:
                self.expr(expr, state)
            # A closure that mutates the default mutates it whenever it is called.
            self.block(node.body, state.without(local_bindings(node)))
            return state.without([node.name])
        if isinstance(node, ast.ClassDef):
            self.block(node.body, state)
            return state.without([node.name])
        if isinstance(node, (ast.Raise, ast.Assert)):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, state)
            return _DEAD if isinstance(node, ast.Raise) else state
        if isinstance(node, (ast.Break, ast.Continue)):
            return _DEAD
        return state

    def guard(self, test: ast.expr, state: _State) -> tuple[_State, _State]:
        """States on the true and false branch of `test`: an empty default never passes `if x:`."""
        if not self.default.empty:
            return state, state
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        core = test.operand if isinstance(test, ast.UnaryOp) and negated else test
        conjuncts = core.values if isinstance(core, ast.BoolOp) and isinstance(core.op, ast.And) else [core]
        if negated and len(conjuncts) > 1:
            return state, state
        if any(_truthy_test(c, state) for c in conjuncts):
            return (state, _DEAD) if negated else (_DEAD, state)
        if not negated and _absent_test(core, state):
            return state, _DEAD
        return state, state

    def rebind(self, targets: list[ast.expr], value: ast.expr | None, state: _State) -> _State:
        names = [n for t in targets for n in target_names(t)]
        if not names:
            return state
        out = state.without(names)
        if isinstance(value, ast.Name) and value.id in state.aliases:
            out = _State(out.aliases | frozenset(names), out.holders, out.empties)
        elif value is not None and self.holds(value, state):
            out = _State(out.aliases, out.holders | frozenset(names), out.empties)
        elif (
            isinstance(value, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
            and self.empty_iterable(value.generators[0].iter, state)
        ):
            out = _State(out.aliases, out.holders, out.empties | frozenset(names))
        return out

    def empty_iterable(self, node: ast.expr, state: _State) -> bool:
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

    def store(self, target: ast.expr, value: ast.expr, state: _State) -> None:
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            root, indexed = _root(target)
            if root in state.aliases and (indexed or isinstance(target, ast.Subscript)):
                key = target.slice if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) else None
                self.found(_Event(target, "is changed by item assignment"), key, value)
            if root not in state.aliases:
                self.escape(value, state, f"is stored in `{_short(target)}`")

    # expressions

    def escape(self, value: ast.expr, state: _State, action: str) -> None:
        if self.holds(value, state, holders=True):
            self.found(_Event(value, action))

    def holds(self, value: ast.expr, state: _State, holders: bool = False) -> bool:
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
                # `x or fallback`: an empty default is falsy, so only the last operand can come out of it.
                stack.extend(node.values if not self.default.empty else node.values[-1:])
            elif isinstance(node, ast.NamedExpr):
                stack.append(node.value)
        return False

    def expr(self, root: ast.expr, state: _State) -> None:
        stack: list[tuple[ast.AST, _State]] = [(root, state)]
        while stack:
            node, live = stack.pop()
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
                if node.args[0].id in live.aliases and self.names.resolve(node.func) in _MUTATING_FUNCTIONS:
                    self.found(_Event(node, f"is changed by `{ast.unparse(node.func)}()`"))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name, _ = _root(node.func.value)
                method = node.func.attr
                if name in live.aliases and method in _MUTATORS:
                    setdefault = method == "setdefault" and len(node.args) == 2
                    key, value = (node.args[0], node.args[1]) if setdefault else (None, None)
                    self.found(_Event(node, f"is changed by `.{method}()`"), key, value)
                elif method in _STORERS and any(self.holds(a, live) for a in node.args):
                    self.found(_Event(node, f"is stored in a container by `.{method}()`"))
            elif isinstance(node, ast.Yield) and node.value is not None:
                if self.holds(node.value, live, holders=True):
                    self.found(_Event(node, "is yielded"))
            elif isinstance(node, ast.Lambda):
                inner = live.without(a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs])
                stack.append((node.body, inner))
                continue
            stack.extend((child, live) for child in ast.iter_child_nodes(node))


# Methods that keep their argument itself in the receiver (`update`/`extend` copy its items instead).
_STORERS = frozenset({"append", "insert", "add", "appendleft", "setdefault"})
_TRY: tuple[type[ast.stmt], ...] = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t)
_AUG = {
    ast.Add: "+=", ast.BitOr: "|=", ast.Sub: "-=", ast.BitAnd: "&=", ast.BitXor: "^=", ast.Mult: "*=",
}


def _membership(node: ast.expr, state: _State, op: type[ast.cmpop]) -> bool:
    return (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], op)
        and isinstance(node.comparators[0], ast.Name)
        and node.comparators[0].id in state.aliases
    )


def _absent_test(node: ast.expr, state: _State) -> bool:
    """`k not in x`: always true for an empty default."""
    return _membership(node, state, ast.NotIn)


def _truthy_test(node: ast.expr, state: _State) -> bool:
    """Whether `node` can only be true when the default is not empty (`x`, `len(x)`, `k in x`)."""
    if isinstance(node, ast.Name):
        return node.id in state.aliases
    if _membership(node, state, ast.In):
        return True
    # len(x) and len(x) > 0 are as false as x itself for an empty default
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Gt, ast.NotEq)):
        right = node.comparators[0]
        if isinstance(right, ast.Constant) and right.value == 0:
            node = node.left
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in state.aliases
    )


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


def _short(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _deliberate_cache(name: str) -> bool:
    lowered = name.lower()
    return name.startswith("_") or any(word in lowered for word in _CACHE_WORDS)


def check(ctx: Context) -> Iterable[Finding]:
    want_mutated = ctx.enabled(MutatedMutableDefault.code)
    want_style = ctx.enabled(MutableDefaultArgument.code)
    for func in ctx.index.functions:
        if not (func.args.defaults or func.args.kw_defaults):
            continue
        for default in _mutable_defaults(func, ctx.names):
            event = None
            # A nested function's defaults are made anew each time the enclosing function runs: the
            # "mutable cell" idiom (`def reader(lnum=[lnum])`) keeps state for one closure on purpose.
            # The mutation is looked for even when only AWS302 is selected: a mutated default is never
            # "any other" mutable default, whichever of the two the user asked for.
            if ctx.index.enclosing.get(func) is None:
                params = frozenset(a.arg for a in parameters(func))
                event = _Tracker(default, params, _deliberate_cache(default.param), ctx.names).function(func)
            if event is not None:
                if not want_mutated:
                    continue
                line = getattr(event.node, "lineno", default.node.lineno)
                yield MutatedMutableDefault.at(
                    default.node,
                    path=(
                        Step(default.node.lineno, default.node.col_offset, f"`{default.param}` defaults to one shared {default.kind}"),
                        Step(line, getattr(event.node, "col_offset", 0), f"`{default.param}` {event.action}"),
                    ),
                    param=default.param,
                    action=event.action,
                    line=line,
                    fresh=default.fresh,
                )
            elif want_style:
                yield MutableDefaultArgument.at(default.node, param=default.param, kind=default.kind)


FAMILY = Family(name="defaults", rules=(MutatedMutableDefault, MutableDefaultArgument), check=check)
