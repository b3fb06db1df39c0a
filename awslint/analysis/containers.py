"""Lists, dicts and sets in one block: what kind each name is, which names are the same object, and
the statements that change a container's size while a `for` loop iterates over it (AWS503).

A container is named by its dotted text (`items`, `self.pending`). Its kind is known from how the
block (or, for `self.x`, the class) builds it, from a parameter's annotation, or from a method only
that kind has (`append` → list, `discard` → set). Two names are the same object when one is bound
once, from the other (`pending = self.pending`). A change counts only on a path that goes back to
the loop head: followed on every path by `break`, `return` or `raise`, the loop never takes another item.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Iterator, Literal, Sequence

from awslint.analysis.cfg import EXC, Node
from awslint.analysis.names import Names, dotted, local_bindings, parameters
from awslint.analysis.scopes import Scope, inside, own_nodes, statements
from awslint.data.mutating import CONSTRUCTORS as MUTABLE_CONSTRUCTORS
from awslint.data.reporters import (
    ANNOTATIONS,
    CONSTRUCTORS,
    DISTINCT_METHODS,
    GROWING_METHODS,
    MAPPING_METHODS,
    SHRINKING_METHODS,
    Kind,
)

# Who made the iterated object: this block (a worklist it seeds may grow as it goes), the caller or
# an object (a parameter, an attribute, a global: growing it while iterating it is a defect), or unknown.
Origin = Literal["owned", "foreign", "unknown"]
_VIEWS = frozenset({"keys", "values", "items"})
_KINDS: tuple[Kind, ...] = ("list", "dict", "set")
# What removes keys from any mapping iterated through `keys()`/`values()`/`items()`.
_MAPPING_REMOVALS = frozenset({"pop", "popitem", "clear"})
# ... and what a mapping iterated through its views may change its size by (`update` with arguments).
_MAPPING_CHANGES = _MAPPING_REMOVALS | {"update"}
# The `collections` classes that resize differently from the builtin of their kind.
_COLLECTIONS = frozenset({"deque", "defaultdict", "Counter"})
# Of them, those that insert a missing key when read (`d[k]`), and when augmented (`d[k] += 1`).
_READ_INSERTS = frozenset({"defaultdict"})
_AUGMENT_INSERTS = frozenset({"defaultdict", "Counter"})


@dataclass(frozen=True)
class Loop:
    """`for target in <view of> name:` over a container."""

    stmt: ast.For | ast.AsyncFor
    name: str  # the iterated container, as written
    kind: Kind | None
    view: str | None  # "keys", "values", "items", "enumerate" or None
    own_key: str | None  # the loop variable that holds the current key of a dict
    origin: Origin = "unknown"  # who made the object the loop iterates
    guessed: bool = False  # the kind is known only from the methods called on it
    # the `collections` class it was built as: a `deque` raises when resized while iterated, a
    # `defaultdict` inserts a missing key when read, it and a `Counter` when augmented (`c[k] += 1`)
    built: str | None = None


@dataclass(frozen=True)
class Change:
    """A statement inside the loop that changes the container's size."""

    node: ast.AST  # the mutating call or statement (where the finding is reported)
    stmt: ast.stmt  # the statement holding it (its graph node)
    receiver: str  # the name it changes the container through
    kind: Kind
    how: str  # "`insert()`", "`del`", "`+=`", "`[key] = ...`"
    grows: bool | None  # None: changes size either way (slice assignment)


def kind_of_value(value: ast.AST, names: Names, shadowed: frozenset[str]) -> Kind | None:
    """The kind of container `value` builds (`[]`, `dict(...)`, a comprehension, `sorted(x)`)."""
    if isinstance(value, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(value, (ast.Set, ast.SetComp)):
        return "set"
    if isinstance(value, ast.Call):
        resolved = names.resolve(value.func, shadowed)
        if resolved in CONSTRUCTORS:
            return CONSTRUCTORS[resolved]
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        left = kind_of_value(value.left, names, shadowed)
        if left == "list" and kind_of_value(value.right, names, shadowed) == "list":
            return "list"
    return None


def kind_of_annotation(annotation: ast.AST | None) -> Kind | None:
    if annotation is None:
        return None
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        text = annotation.value.split("[", 1)[0].strip().rsplit(".", 1)[-1]
        return ANNOTATIONS.get(text)
    name = dotted(annotation)
    return ANNOTATIONS.get(name.rsplit(".", 1)[-1]) if name else None


class Containers:
    """Kinds and aliases of the containers of one block."""

    def __init__(self, scope: Scope, names: Names, class_kinds: dict[int, dict[str, Kind | None]] | None = None,
                 passed: Callable[[ast.FunctionDef | ast.AsyncFunctionDef, str], Kind | None] | None = None,
                 returned: Callable[[ast.Call], Kind | None] | None = None) -> None:
        self.scope = scope
        # what a function of the module returns when called (`tags = tags_from_api(r)`), when it knows
        self.returned = returned
        # what the module's own calls pass for a parameter (`prune({...})`), when the caller knows
        self.passed = passed
        self.names = names
        func = scope.function()
        self.shadowed = frozenset(local_bindings(func)) if func is not None else frozenset()
        # name -> values bound (None: not an assignment), and the line of each binding (0: a parameter)
        self.bindings: dict[str, list[ast.AST | None]] = {}
        self.lines: dict[str, list[int]] = {}
        # lines of the bindings made by a statement of the block itself, which every path runs
        self.straight: set[tuple[str, int]] = set()
        top = {id(stmt) for stmt in scope.body}
        self.annotations: dict[str, ast.AST] = {}
        if func is not None:
            for arg in parameters(func):
                self._bind_name(arg.arg, None, 0)
                if arg.annotation is not None:
                    self.annotations[arg.arg] = arg.annotation
        self.methods: dict[str, set[str]] = {}
        for node in scope.own_nodes():
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._bind(target, node.value)
                    name = dotted(target)
                    if name is not None and id(node) in top:
                        self.straight.add((name, node.lineno))
            elif isinstance(node, ast.AnnAssign):
                self._bind(node.target, node.value)
                name = dotted(node.target)
                if name:
                    self.annotations[name] = node.annotation
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                self._bind(node.target, None)
            elif isinstance(node, ast.comprehension):
                pass  # its targets are the comprehension's own
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._bind(item.optional_vars, None)
            elif isinstance(node, ast.NamedExpr):
                self._bind(node.target, node.value)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._bind_name(node.name, None, node.lineno)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self._bind_name(node.name, None, node.lineno)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    self._bind_name((alias.asname or alias.name).split(".")[0], None, node.lineno)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = dotted(node.func.value)
                if receiver:
                    self.methods.setdefault(receiver, set()).add(node.func.attr)
        # Every method of a class reads the same `self.x` kinds: found once per class when shared.
        cls = scope.enclosing_class() if scope.is_function else None
        cache = class_kinds if class_kinds is not None else {}
        if cls is not None and id(cls) not in cache:
            cache[id(cls)] = self._kinds_in_class()
        self._class_kinds = cache[id(cls)] if cls is not None else {}

    def own_class(self, group: set[str]) -> bool:
        """Whether a method no builtin mapping has is called on one of these names (`files.get_md5()`):
        an object of a class of its own, whatever its `keys()` returns."""
        return any(self.methods.get(name, set()) - MAPPING_METHODS for name in group)

    def _bind(self, target: ast.AST, value: ast.AST | None) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind(elt.value if isinstance(elt, ast.Starred) else elt, None)
            return
        name = dotted(target)
        if name is not None:
            self._bind_name(name, value, getattr(target, "lineno", 0))

    def _bind_name(self, name: str, value: ast.AST | None, line: int) -> None:
        self.bindings.setdefault(name, []).append(value)
        self.lines.setdefault(name, []).append(line)

    def _kinds_in_class(self) -> dict[str, Kind | None]:
        """`self.x` kinds from every assignment to `self.x` in the class around this method."""
        cls = self.scope.enclosing_class()
        if cls is None or not self.scope.is_function:
            return {}
        seen: dict[str, set[Kind | None]] = {}
        for node in statements(cls):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    name = dotted(target)
                    if name and name.startswith("self.") and name.count(".") == 1:
                        kind = kind_of_value(node.value, self.names, frozenset()) if node.value is not None else None
                        if isinstance(node, ast.AnnAssign):
                            kind = kind or kind_of_annotation(node.annotation)
                        seen.setdefault(name, set()).add(kind)
        return {name: next(iter(kinds)) if len(kinds) == 1 else None for name, kinds in seen.items()}

    def same(self, name: str, loop: ast.stmt) -> set[str]:
        """The names that hold the same object as `name` while `loop` runs (`pending` and
        `self.pending`): before the loop one is bound once, from the other, whose own bindings all come
        earlier (`old = items; items = []` are two objects, and so are `x.items = new` after the loop
        and the `x.items` the loop iterates)."""
        start = loop.lineno
        group = {name}
        changed = True
        while changed:
            changed = False
            for other, values in self.bindings.items():
                before = [(v, line) for v, line in zip(values, self.lines[other]) if line < start]
                if len(before) != 1:
                    continue
                value, at = before[0]
                source = dotted(value) if value is not None else None
                if source is None or source == other:
                    continue
                if any(at <= line < start for line in self.lines.get(source, ())):
                    continue
                if other in group and source not in group:
                    group.add(source)
                    changed = True
                elif source in group and other not in group:
                    group.add(other)
                    changed = True
        return group

    def origin(self, group: set[str], loop: ast.stmt) -> Origin:
        """Whether the object the names of `group` hold when `loop` starts was built by this block
        (`queue = [root]`, `pending = list(seeds)`), came from outside it (a parameter not rebound, an
        attribute, a name a function never binds), or from a call whose result may be either."""
        owned = False
        for name in sorted(group):
            if "." in name:
                return "foreign"  # an object's attribute outlives the loop and the call
            before = self._before(name, loop)
            if not before:
                if self.scope.is_function:
                    return "foreign"  # a global or a closure's name
                continue
            if all(line == 0 for line, _ in before):
                return "foreign"  # the parameter itself
            if all(v is not None and kind_of_value(v, self.names, self.shadowed) is not None for _, v in before):
                owned = True
        return "owned" if owned else "unknown"

    def built(self, group: set[str], loop: ast.stmt) -> str | None:
        """The `collections` class (`deque`, `defaultdict`, `Counter`) every binding before `loop` that
        may reach it builds the object as, if any."""
        found: set[str | None] = set()
        for name in sorted(group):
            for _, value in self._before(name, loop):
                if isinstance(value, ast.Call):
                    found.add(MUTABLE_CONSTRUCTORS.get(self.names.resolve(value.func, self.shadowed) or ""))
                else:
                    found.add(None)
        kinds = found - {None}
        return next(iter(kinds)) if len(kinds) == 1 and None not in found and next(iter(kinds)) in _COLLECTIONS else None

    def _before(self, name: str, loop: ast.stmt) -> list[tuple[int, ast.AST | None]]:
        """The (line, value) bindings of `name` before `loop` that may reach it: a binding by a
        statement of the block itself hides those before it."""
        pairs = sorted(zip(self.lines.get(name, []), range(10**9), self.bindings.get(name, [])),
                       key=lambda p: (p[0], p[1]))
        before = [(line, v) for line, _, v in pairs if line < loop.lineno]
        for i in range(len(before) - 1, -1, -1):
            if (name, before[i][0]) in self.straight:
                return before[i:]
        return before

    def kind(self, group: set[str], loop: ast.stmt) -> tuple[Kind | None, bool]:
        """The kind of the object the names of `group` hold when `loop` starts, or None when nothing
        says, and whether only the methods called on it say so (`q.append()` of what may be a `deque`).
        A binding by a statement of the block itself hides those before it (`d = dict(d)`)."""
        built = self._built_kind(group, loop)
        if built is not None:
            return built, False
        for name in sorted(group):
            methods = self.methods.get(name, set())
            for kind in _KINDS:
                if methods & DISTINCT_METHODS[kind]:
                    return kind, True
        return None, False

    def _value_kind(self, value: ast.AST) -> Kind | None:
        kind = kind_of_value(value, self.names, self.shadowed)
        if kind is None and self.returned is not None and isinstance(value, ast.Call):
            return self.returned(value)
        return kind

    def _built_kind(self, group: set[str], loop: ast.stmt) -> Kind | None:
        """The kind known from how the object was built, annotated, passed or held by the class."""
        for name in sorted(group):
            pairs = sorted(zip(self.lines.get(name, []), range(10**9), self.bindings.get(name, [])))
            values = [v for line, _, v in pairs if line < loop.lineno]
            lines = [line for line, _, _ in pairs if line < loop.lineno]
            for i in range(len(lines) - 1, -1, -1):
                if (name, lines[i]) in self.straight:
                    values = values[i:]
                    break
            kinds = {self._value_kind(v) if v is not None else None for v in values}
            later = [v for line, _, v in pairs if line >= loop.lineno]
            annotated = kind_of_annotation(self.annotations.get(name))
            if annotated is not None and kinds <= {annotated, None}:
                return annotated
            if values and len(kinds) == 1 and None not in kinds:
                return next(iter(kinds))
            func = self.scope.function()
            if (self.passed is not None and func is not None and lines == [0] and not later
                    and annotated is None and "." not in name):
                passed = self.passed(func, name)  # the parameter itself: what every caller gives it
                if passed is not None:
                    return passed
            if not values and not later and self._class_kinds.get(name) is not None:
                return self._class_kinds[name]
        return None


class ReturnedKinds:
    """The kind of container a function of the module returns (`def tags_from_api(r): return {t["Key"]:
    t["Value"] for t in r["Tags"]}`): every `return` of its own gives a display or comprehension of
    that kind. Unknown (None) for a decorated function (a wrapper may return anything), a generator,
    a bare `return`, or returns of different kinds."""

    def __init__(self, target: Callable[[ast.Call], ast.AST | None], names: Names) -> None:
        self._target = target
        self.names = names
        self._known: dict[int, Kind | None] = {}

    def __call__(self, call: ast.Call) -> Kind | None:
        function = self._target(call)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or function.decorator_list:
            return None
        if id(function) not in self._known:
            self._known[id(function)] = self._find(function)
        return self._known[id(function)]

    def _find(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> Kind | None:
        shadowed = frozenset(local_bindings(function))
        kinds: set[Kind | None] = set()
        for node in own_nodes(function.body):
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                return None
            if isinstance(node, ast.Return):
                kinds.add(kind_of_value(node.value, self.names, shadowed) if node.value is not None else None)
        return next(iter(kinds)) if len(kinds) == 1 else None


class PassedKinds:
    """The kind of container every call of the module passes for a parameter of one of its
    functions (`prune_tags({...})`): a function whose callers in the module all pass a dict has a
    dict there. Unknown (None) when no call is seen, a call passes anything else or unpacks
    arguments, the parameter's default is used, or the function is decorated (a wrapper may call it
    with anything)."""

    def __init__(self, calls: Callable[[], Sequence[tuple[ast.Call, ast.AST | None]]],
                 target: Callable[[ast.Call, ast.AST | None], ast.AST | None], names: Names) -> None:
        self._calls = calls
        self._target = target
        self.names = names
        self._known: dict[tuple[int, str], Kind | None] = {}

    def __call__(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> Kind | None:
        key = (id(function), name)
        if key not in self._known:
            self._known[key] = self._find(function, name)
        return self._known[key]

    def _find(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> Kind | None:
        if function.decorator_list:
            return None
        args = function.args
        positional = [a.arg for a in [*args.posonlyargs, *args.args]]
        if name not in positional and name not in [a.arg for a in args.kwonlyargs]:
            return None
        kinds: set[Kind | None] = set()
        for call, caller in self._calls():
            func = call.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if called != function.name or self._target(call, caller) is not function:
                continue
            bound = 1 if isinstance(func, ast.Attribute) else 0  # `self.method(...)` binds `self` itself
            given = _argument(call, positional[bound:], name)
            if given is None:
                return None
            kinds.add(kind_of_value(given, self.names, frozenset()))
        return kinds.pop() if len(kinds) == 1 else None


def _argument(call: ast.Call, positional: list[str], name: str) -> ast.expr | None:
    """The argument `call` passes for the parameter `name`, or None (defaulted, unpacked, unknown)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if name in positional and positional.index(name) < len(call.args):
        return call.args[positional.index(name)]
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _iterated(stmt: ast.For | ast.AsyncFor) -> tuple[str | None, ast.expr]:
    """The view a loop takes of its container (`keys`/`values`/`items`, `enumerate`, or None) and the
    expression of the container itself."""
    expr = stmt.iter
    if isinstance(expr, ast.Call) and not expr.args and not expr.keywords and isinstance(expr.func, ast.Attribute):
        if expr.func.attr in _VIEWS:
            return expr.func.attr, expr.func.value
    elif (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "enumerate"
          and len(expr.args) == 1 and not expr.keywords):
        return "enumerate", expr.args[0]
    return None, expr


def loop_over(stmt: ast.For | ast.AsyncFor) -> tuple[str, str | None, str | None] | None:
    """(container, view, own key name) of `for k in d`, `for k, v in d.items()`, `for i, x in enumerate(l)`."""
    view, expr = _iterated(stmt)
    name = dotted(expr)
    if name is None:
        return None
    target = stmt.target
    key: str | None = None
    if view in (None, "keys") and isinstance(target, ast.Name):
        key = target.id
    elif view in ("items", "enumerate") and isinstance(target, ast.Tuple) and len(target.elts) == 2:
        first = target.elts[0] if view == "items" else target.elts[1]
        key = first.id if isinstance(first, ast.Name) else None
    return name, view, key


def changes(loop: Loop, group: set[str], containers: Containers) -> Iterator[Change]:
    """The statements of the loop body that change the size of the iterated container."""
    body = list(loop.stmt.body)
    # `del key` at the end of a module-level loop's body gives the key no other value
    rebound = {n for node in own_nodes(body) if not _deletes_name(node) for n in _stores(node)}
    key_rebound = loop.own_key in rebound
    for stmt in _statements(body):
        for node in own_nodes([stmt]) if not _compound(stmt) else _own_parts(stmt):
            found = _change(node, stmt, loop, group, containers, key_rebound)
            if found is not None:
                yield found


# The function of this module a call runs, with how many leading parameters the call binds itself
# (`self`), and the parameter an argument of the call binds there.
Runs = Callable[[ast.Call], "tuple[ast.FunctionDef | ast.AsyncFunctionDef, Callable[[ast.expr], str | None]] | None"]


def item_path(expr: ast.expr) -> str | None:
    """`payload["items"]`, `self.by_region[region]`: a subscript of a dotted name by a constant or a
    name, as written (a container held in another one); None for anything else."""
    if not isinstance(expr, ast.Subscript) or dotted(expr.value) is None:
        return None
    key = expr.slice
    if isinstance(key, ast.Constant) and isinstance(key.value, (str, int)) and not isinstance(key.value, bool):
        return ast.unparse(expr)
    if isinstance(key, ast.Name):
        return ast.unparse(expr)
    return None


def item_loop(stmt: ast.For | ast.AsyncFor) -> Loop | None:
    """The loop over a container held in another (`for item in payload["items"]:`), when the body
    leaves what names it alone: no store to the outer name or the key's name."""
    view, expr = _iterated(stmt)
    name = item_path(expr)
    if name is None:
        return None
    assert isinstance(expr, ast.Subscript)
    rooted = {dotted(expr.value) or ""}
    if isinstance(expr.slice, ast.Name):
        rooted.add(expr.slice.id)
    stored = {n for node in own_nodes(list(stmt.body)) for n in _stores(node)}
    stored |= {n.id for n in ast.walk(stmt.target) if isinstance(n, ast.Name)}
    if stored & rooted:
        return None
    kind: Kind | None = "dict" if view in _VIEWS else None
    return Loop(stmt, name, kind, view, None, "foreign", kind is None, None)


def item_loop_changes(loop: Loop) -> Iterator[Change]:
    """The changes of the size of the held container a loop from `item_loop` iterates: its resizing
    methods (the kind they say, when the loop's view does not), `del` of its items through a view of
    a dict, a new key of a dict assigned through a view."""
    for stmt in _statements(list(loop.stmt.body)):
        for node in own_nodes([stmt]) if not _compound(stmt) else _own_parts(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and item_path(node.func.value) == loop.name:
                method = node.func.attr
                kinds = (loop.kind,) if loop.kind is not None else tuple(
                    k for k in _KINDS if method in DISTINCT_METHODS[k] or (method == "remove" and k == "list"))
                for k in kinds:
                    if method in GROWING_METHODS[k] or method in SHRINKING_METHODS[k]:
                        if method == "update" and not node.args and not node.keywords:
                            break
                        yield Change(node, stmt, loop.name, k, f"`{method}()`", method in GROWING_METHODS[k])
                        break
            elif isinstance(node, ast.Delete) and loop.kind == "dict":
                if any(isinstance(t, ast.Subscript) and item_path(t.value) == loop.name for t in node.targets):
                    yield Change(node, stmt, loop.name, "dict", "`del`", False)


def helper_changes(loop: Loop, group: set[str], runs: Runs) -> Iterator[Change]:
    """Calls in the loop body of a function of this module that changes the iterated container's size
    itself: `_drop(cart, item)` whose body does `cart.remove(item)` (the container handed to it), or
    `self._expire(sid)` whose body does `del self.sessions[sid]` (the same attribute of `self`).
    Followed one call deep, for a container whose kind is known."""
    kind: Kind | None = "dict" if loop.view in _VIEWS else loop.kind
    if kind is None or loop.guessed:
        return
    for stmt in _statements(list(loop.stmt.body)):
        for node in own_nodes([stmt]) if not _compound(stmt) else _own_parts(stmt):
            if not isinstance(node, ast.Call):
                continue
            passed = [a for a in [*node.args, *(k.value for k in node.keywords)] if dotted(a) in group]
            through_self = (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                            and node.func.value.id == "self" and any(n.startswith("self.") for n in group))
            if not passed and not through_self:
                continue
            found = runs(node)
            if found is None:
                continue
            function, parameter = found
            names = {p for a in passed if (p := parameter(a)) is not None}
            names |= {n for n in group if n.startswith("self.")} if through_self else set()
            inner = _first_change_in(function, names, kind)
            if inner is not None:
                line, how, grows, method = inner
                if kind == "list" and method in ("extend", "append", "+=") and _worklist(
                        stmt, loop, "extend" if method == "+=" else method):
                    continue  # the helper grows a worklist, as `queue.extend(children)` in the loop would
                callee = dotted(node.func) or "call"
                yield Change(node, stmt, loop.name, kind, f"`{callee}()` (which {how} at line {line})", grows)


def _first_change_in(function: ast.FunctionDef | ast.AsyncFunctionDef, names: set[str],
                     kind: Kind) -> tuple[int, str, bool | None, str] | None:
    """The first statement of `function` (outside its nested functions) that changes the size of what
    one of `names` holds, as (line, how, grows, the method or operator); None when the function
    rebinds one of them."""
    if not names:
        return None
    body = list(own_nodes(list(function.body)))
    if any(n in names for node in body for n in _stores(node) if not _deletes_name(node)):
        return None
    for node in body:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and dotted(node.func.value) in names:
            method = node.func.attr
            if method in GROWING_METHODS[kind] or method in SHRINKING_METHODS[kind]:
                if method == "update" and not node.args and not node.keywords:
                    continue
                grows = method in GROWING_METHODS[kind]
                return node.lineno, f"{'adds to' if grows else 'removes from'} it with `{method}()`", grows, method
        elif isinstance(node, ast.Delete):
            if kind in ("list", "dict") and any(
                    isinstance(t, ast.Subscript) and dotted(t.value) in names for t in node.targets):
                return node.lineno, "removes from it with `del`", False, "del"
        elif isinstance(node, ast.AugAssign) and dotted(node.target) in names:
            if kind == "list" and isinstance(node.op, ast.Add):
                return node.lineno, "adds to it with `+=`", True, "+="
            if kind == "set" and isinstance(node.op, (ast.BitOr, ast.Sub)):
                return node.lineno, "changes it with an augmented assignment", isinstance(node.op, ast.BitOr), "op="
    return None


def _compound(stmt: ast.stmt) -> bool:
    return isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)) or (
        type(stmt).__name__ == "TryStar"
    )


def _own_parts(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The expressions a compound statement evaluates itself (its test, iterator, items)."""
    parts: list[ast.AST] = []
    if isinstance(stmt, (ast.If, ast.While)):
        parts = [stmt.test]
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        parts = [stmt.iter]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        parts = [i.context_expr for i in stmt.items]
    elif isinstance(stmt, ast.Match):
        parts = [stmt.subject]
    for part in parts:
        yield from own_nodes([part])


def _statements(stmts: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement under `stmts`, nested blocks included, not inside nested functions or classes."""
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            value = getattr(stmt, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, (ast.ExceptHandler, ast.match_case)):
                        yield from _statements(item.body)
                    elif isinstance(item, ast.stmt):
                        yield from _statements([item])


def _deletes_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del)


def _stores(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        yield node.id
    elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
        name = dotted(node)
        if name:
            yield name


def _change(node: ast.AST, stmt: ast.stmt, loop: Loop, group: set[str], containers: Containers,
            key_rebound: bool) -> Change | None:
    kind = loop.kind
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver = dotted(node.func.value)
        if receiver not in group:
            return None
        method = node.func.attr
        # over a view only a dict can be meant; `remove` of a list-like object is the list's
        candidates = ("dict",) if loop.view in _VIEWS else _KINDS
        kinds: tuple[Kind, ...] = (kind,) if kind is not None else tuple(
            k for k in candidates if method in DISTINCT_METHODS[k] or (method == "remove" and k == "list")
            or (loop.view in _VIEWS and method in _MAPPING_CHANGES and "." not in loop.name
                and not containers.own_class(group))
        )
        for k in kinds:
            if method in GROWING_METHODS[k] or method in SHRINKING_METHODS[k]:
                if method == "update" and not node.args and not node.keywords:
                    return None
                grows = method in GROWING_METHODS[k]
                if grows and _own_item(node, loop, k, key_rebound):
                    return None  # `d.setdefault(key, ...)`, `s.add(item)` of the loop's own item: no new one
                if k == "list" and method in ("extend", "append") and _worklist(
                        stmt, loop, method, node.args[0] if node.args else None):
                    return None  # a worklist: what it appends is meant to be visited in turn
                return Change(node, stmt, receiver, k, f"`{method}()`", grows)
        return None
    if loop.built in _AUGMENT_INSERTS:
        inserted = _inserting_access(node, stmt, loop, group, key_rebound)
        if inserted is not None:
            return inserted
    if (kind is None and loop.view in _VIEWS and isinstance(node, (ast.Delete, ast.Assign)) and "." not in loop.name
            and not containers.own_class(group)):
        # a local mapping iterated through its views and losing keys, or gaining one (`d[new] = v`),
        # raises the same way; an object's attribute, or a name whose other methods no mapping has, may
        # be a class of its own whose `keys()` is a list (`email.message.Message`)
        kind = "dict"
    if kind is None:
        return None
    if isinstance(node, ast.Delete):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and dotted(target.value) in group and kind in ("list", "dict"):
                return Change(node, stmt, dotted(target.value) or loop.name, kind, "`del`", False)
        return None
    if isinstance(node, ast.AugAssign):
        receiver = dotted(node.target)
        if receiver in group:
            if kind == "list" and isinstance(node.op, ast.Add):
                if _worklist(stmt, loop, "extend", node.value):
                    return None  # like `extend()`: a worklist, unless what it adds is never empty
                return Change(node, stmt, receiver, kind, "`+=`", True)
            if kind == "set" and isinstance(node.op, (ast.BitOr, ast.Sub, ast.BitAnd, ast.BitXor)):
                op = {ast.BitOr: "|=", ast.Sub: "-=", ast.BitAnd: "&=", ast.BitXor: "^="}[type(node.op)]
                return Change(node, stmt, receiver, kind, f"`{op}`", isinstance(node.op, ast.BitOr))
            if kind == "dict" and isinstance(node.op, ast.BitOr):
                return Change(node, stmt, receiver, kind, "`|=`", True)
        return None
    if isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if not isinstance(target, ast.Subscript):
                continue
            receiver = dotted(target.value)
            if receiver not in group:
                continue
            if kind == "list" and isinstance(target.slice, ast.Slice):
                if isinstance(node, ast.Assign) and _same_length(target, node.value):
                    continue  # `xs[i:] = [f(x) for x in xs[i:]]`: each item replaced, the size stays
                return Change(node, stmt, receiver, kind, "slice assignment", None)
            if kind == "dict":
                key = target.slice
                if isinstance(key, ast.Name) and key.id == loop.own_key and not key_rebound:
                    continue  # the loop's own key: the size stays
                if _known_present(loop.stmt, node, key, group):
                    continue  # `if k in d and ...: d[k] = v`: the key is there already
                return Change(node, stmt, receiver, kind, f"`{receiver}[{ast.unparse(key)}] = ...`", True)
    return None


def _inserting_access(node: ast.AST, stmt: ast.stmt, loop: Loop, group: set[str], key_rebound: bool) -> Change | None:
    """`d[k].append(x)` on a `defaultdict`, `c[k] += 1` on it or a `Counter`, for a key that may be
    missing: the access inserts it. The loop's own key is there already, and a key the loop body tests
    with `in` (`if k in d:`) is taken to be guarded."""
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
        access, how = node.target, "`{}[{}] += ...`"
    elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and loop.built in _READ_INSERTS:
        access, how = node, "reading `{}[{}]` (a `defaultdict` inserts a missing key)"
    else:
        return None
    receiver = dotted(access.value)
    key = access.slice
    if receiver not in group or isinstance(key, ast.Slice):
        return None
    if isinstance(key, ast.Name) and key.id == loop.own_key and not key_rebound:
        return None
    if _tested_membership(loop.stmt, key, group):
        return None
    return Change(node, stmt, receiver, "dict", how.format(receiver, ast.unparse(key)), True)


def _tested_membership(loop: ast.For | ast.AsyncFor, key: ast.expr, group: set[str]) -> bool:
    """The loop body asks `key in d` / `key not in d` of the container (a guard before the access)."""
    text = ast.dump(key)
    for node in own_nodes(list(loop.body)):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            if dotted(node.comparators[0]) in group and ast.dump(node.left) == text:
                return True
    return False


def _same_length(target: ast.Subscript, value: ast.expr) -> bool:
    """`value` is a comprehension mapping the very slice it is assigned to, one item for one."""
    if not (isinstance(value, ast.ListComp) and len(value.generators) == 1):
        return False
    generator = value.generators[0]
    return not generator.ifs and not generator.is_async and ast.unparse(generator.iter) == ast.unparse(target)


def _known_present(loop: ast.For | ast.AsyncFor, assign: ast.AST, key: ast.expr, group: set[str]) -> bool:
    """The assignment `d[key] = v` runs only inside an `if` of the loop body whose test, or one of
    whose `and`-ed parts, says the key is in the dict: `key in d`, a comparison that reads `d[key]`
    (which raises when it is not), or a true `d.get(key)` (also bound by a walrus: `if raw :=
    d.get("Raw"):`). The size stays."""
    text = ast.dump(key)

    def holds(expr: ast.expr) -> bool:
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.And):
            return any(holds(v) for v in expr.values)
        if isinstance(expr, ast.NamedExpr):
            expr = expr.value
        if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get"
                and dotted(expr.func.value) in group and len(expr.args) == 1 and ast.dump(expr.args[0]) == text):
            return True  # a value is there (with a default, a true `get` would say nothing)
        if not isinstance(expr, ast.Compare):
            return False
        if (len(expr.ops) == 1 and isinstance(expr.ops[0], ast.In) and dotted(expr.comparators[0]) in group
                and ast.dump(expr.left) == text):
            return True
        return any(isinstance(side, ast.Subscript) and dotted(side.value) in group and ast.dump(side.slice) == text
                   for side in (expr.left, *expr.comparators))

    for node in own_nodes(list(loop.body)):
        if isinstance(node, ast.If) and holds(node.test) and id(assign) in inside(node.body):
            return True
    return False


def _own_item(call: ast.Call, loop: Loop, kind: Kind, key_rebound: bool) -> bool:
    """The call adds the item the loop holds (its own key of a dict, its own element of a set), which
    is already there: the size stays."""
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    if key_rebound or loop.own_key is None or not call.args:
        return False
    first = call.args[0]
    if kind == "dict" and method == "update" and isinstance(first, ast.Dict) and len(call.args) == 1:
        return bool(first.keys) and all(isinstance(k, ast.Name) and k.id == loop.own_key for k in first.keys)
    if kind == "set" and method == "update" and isinstance(first, (ast.Set, ast.List, ast.Tuple)) and len(call.args) == 1:
        return bool(first.elts) and all(isinstance(e, ast.Name) and e.id == loop.own_key for e in first.elts)
    own = isinstance(first, ast.Name) and first.id == loop.own_key
    return own and (kind == "dict" and method == "setdefault" or kind == "set" and method == "add" and len(call.args) == 1)


def _worklist(stmt: ast.stmt, loop: Loop, method: str, added: ast.expr | None = None) -> bool:
    """A list this block seeds and iterates while it appends what it discovers is a worklist: the new
    items are meant to be visited in turn. That holds while the growth may stop — `extend()`/`+=` may
    add nothing, an `append()` under an `if`, `try` or inner loop runs on some passes; an `append()`
    on every pass never runs out, nor does an `extend()`/`+=` of a display that is never empty
    (`hosts += [host + ".internal"]`). A list from the caller or an object is not the loop's to grow,
    and a `deque` is no worklist at all: it raises once it grows while iterated."""
    if loop.origin == "foreign" or loop.built == "deque":
        return False
    if method == "extend" and not _never_empty(added):
        return True
    return not any(s is stmt for s in loop.stmt.body)


def _never_empty(added: ast.expr | None) -> bool:
    """A list, tuple or set display with an item that is no `*unpacking`: it adds at least one."""
    return isinstance(added, (ast.List, ast.Tuple, ast.Set)) and any(
        not isinstance(item, ast.Starred) for item in added.elts)


def goes_on(scope: Scope, change: Change, loop: ast.For | ast.AsyncFor) -> bool:
    """Whether a path from the change goes back to the loop's head without leaving the loop."""
    cfg = scope.cfg
    if cfg is None:
        return False
    body = inside(loop.body)
    heads = {n.id for n in cfg.nodes_of(loop)}
    stack: list[Node] = [t for n in cfg.nodes_of(change.stmt) for t, kind in n.succ if kind != EXC]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node.id in heads:
            return True
        if node.id in seen or id(node.stmt) not in body:
            continue
        seen.add(node.id)
        stack.extend(t for t, _ in node.succ)
    return False
