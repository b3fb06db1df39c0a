"""Dicts a function builds up by hand, where `collections.defaultdict` says the same once (AWS504).

Three idioms, on a dict the function creates empty (`{}`, `dict()`) and binds once:

- `d.setdefault(k, [])` followed by a mutation of its result (or of `d[k]` in the next statement);
- `if k not in d: d[k] = []` followed by a mutation of `d[k]` in the next statement;
- `try: d[k] += n` / `except KeyError: d[k] = n` (or `d[k].append(x)` / `d[k] = [x]`).

The dict is left alone when the function also reads it in a way a `defaultdict` would change: `d[k]`
on a key that may be absent, `k in d` outside an idiom, or idioms that disagree on the empty value.
An idiom whose key is a literal (`output.setdefault("RoutingRules", []).append(rule)`) fills one field
of a record whose other fields hold other kinds of value: no grouping, so no `defaultdict`.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator, Literal

from awslint.analysis.names import Names, dotted
from awslint.analysis.nodes import breadth_first
from awslint.analysis.scopes import Scope, own_statements
from awslint.analysis.text import shorten

IdiomKind = Literal["setdefault", "if", "try"]
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "setdefault"})
_FACTORIES = {"list": "collections.defaultdict(list)", "set": "collections.defaultdict(set)",
              "dict": "collections.defaultdict(dict)", "int": "collections.Counter()"}


@dataclass(frozen=True)
class Buildup:
    node: ast.AST  # where it is reported: the `if`/`try` statement or the `setdefault` call
    name: str
    kind: IdiomKind
    empty: str  # "list", "set", "dict" or "int"
    idiom: str  # how the message quotes it
    block: tuple[ast.stmt, ...]  # the statements of the idiom
    subscripts: tuple[ast.Subscript, ...]  # the idiom's own `d[k]`

    @property
    def factory(self) -> str:
        return _FACTORIES[self.empty]


def empty_kind(value: ast.AST | None, names: Names) -> str | None:
    """"list" for `[]`/`list()`, "set" for `set()`, "dict" for `{}`/`dict()`, "int" for `0`."""
    if isinstance(value, ast.List) and not value.elts:
        return "list"
    if isinstance(value, ast.Dict) and not value.keys:
        return "dict"
    if isinstance(value, ast.Constant) and value.value == 0 and type(value.value) is int:
        return "int"
    if isinstance(value, ast.Call) and not value.args and not value.keywords:
        resolved = names.resolve(value.func)
        if resolved in ("list", "set", "dict"):
            return resolved
    return None


def _key(node: ast.Subscript, name: str) -> str | None:
    """The key text of `name[key]`, or None when `node` subscripts something else."""
    if isinstance(node.value, ast.Name) and node.value.id == name and not isinstance(node.slice, ast.Slice):
        return ast.dump(node.slice)
    return None


def _mutates(stmt: ast.stmt, name: str, key: str) -> list[ast.Subscript]:
    """The `name[key]` that `stmt` mutates in place (`d[k].append(x)`, `d[k] += 1`, `d[k][f] = v`), if
    it does."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and func.attr in _MUTATORS and isinstance(func.value, ast.Subscript):
            if _key(func.value, name) == key:
                return [func.value]
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Subscript) and _key(stmt.target, name) == key:
        return [stmt.target]
    if (isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Subscript)
            and isinstance(stmt.target.value, ast.Subscript) and _key(stmt.target.value, name) == key):
        return [stmt.target.value]  # `d[k][f] += n`: a change of the dict that `d[k]` holds
    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(target := stmt.targets[0], ast.Subscript)
            and _key(target, name) == key and isinstance(stmt.value, ast.BinOp)
            and isinstance(stmt.value.left, ast.Subscript) and _key(stmt.value.left, name) == key):
        return [target, stmt.value.left]  # `d[k] = d[k] + n`: `d[k] += n` written out
    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(inner := stmt.targets[0], ast.Subscript)
            and isinstance(inner.value, ast.Subscript) and _key(inner.value, name) == key):
        return [inner.value]  # `d[k][field] = v`: a store into the dict that `d[k]` holds
    return []


def _mutates_name(stmt: ast.stmt, name: str) -> bool:
    """`stmt` changes the object `name` holds in place (`bucket.append(x)`, `bucket[k] = v`, `bucket += x`)."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        return (isinstance(func, ast.Attribute) and func.attr in _MUTATORS
                and isinstance(func.value, ast.Name) and func.value.id == name)
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AugAssign) else []
    return any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name for t in targets) or (
        isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name
    )


def _blocks(scope: Scope) -> Iterator[list[ast.stmt]]:
    stack: list[list[ast.stmt]] = [scope.body]
    while stack:
        block = stack.pop()
        yield block
        for stmt in block:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for field in ("body", "orelse", "finalbody"):
                value = getattr(stmt, field, None)
                if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                    stack.append(value)
            for handler in getattr(stmt, "handlers", ()):
                stack.append(handler.body)
            for case in getattr(stmt, "cases", ()):
                stack.append(case.body)


def _idioms(scope: Scope, names: Names, local: set[str], text: str | None) -> Iterator[Buildup]:
    # each statement's walk for `setdefault` re-walks the statements nested in it: skipped when the
    # block spells none (a call the walk finds is outside nested functions, so among the block's nodes,
    # and in the function's text: as written, when the text is ASCII)
    if text is not None and text.isascii():
        setdefault = "setdefault" in text
    else:
        setdefault = any(isinstance(node, ast.Attribute) and node.attr == "setdefault"
                         for node in scope.own_nodes())
    for block in _blocks(scope):
        for i, stmt in enumerate(block):
            after = block[i + 1] if i + 1 < len(block) else None
            yield from _if_idiom(stmt, after, names, local)
            yield from _try_idiom(stmt, names, local)
            if setdefault:
                yield from _setdefault_idiom(stmt, after, names, local)


def _if_idiom(stmt: ast.stmt, after: ast.stmt | None, names: Names, local: set[str]) -> Iterator[Buildup]:
    if not isinstance(stmt, ast.If) or stmt.orelse or len(stmt.body) != 1 or after is None:
        return
    test = stmt.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)
            and isinstance(test.comparators[0], ast.Name) and test.comparators[0].id in local):
        return
    name = test.comparators[0].id
    assign = stmt.body[0]
    if not (isinstance(assign, ast.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Subscript)):
        return
    target = assign.targets[0]
    key = _key(target, name)
    empty = empty_kind(assign.value, names)
    if key is None or key != ast.dump(test.left) or empty is None or isinstance(test.left, ast.Constant):
        return
    mutated = _mutates(after, name, key)
    if mutated:
        shown = shorten(ast.unparse(test.left), 40)
        idiom = f"`if {shown} not in {name}: {name}[{shown}] = {shorten(ast.unparse(assign.value), 30)}`"
        yield Buildup(stmt, name, "if", empty, idiom, (stmt, after), (target, *mutated))


def _try_idiom(stmt: ast.stmt, names: Names, local: set[str]) -> Iterator[Buildup]:
    if not isinstance(stmt, ast.Try) or stmt.orelse or stmt.finalbody or len(stmt.body) != 1:
        return
    if len(stmt.handlers) != 1 or len(stmt.handlers[0].body) != 1:
        return
    handler = stmt.handlers[0]
    if not (isinstance(handler.type, ast.Name) and handler.type.id == "KeyError" and handler.name is None):
        return
    first, fallback = stmt.body[0], handler.body[0]
    if not (isinstance(fallback, ast.Assign) and len(fallback.targets) == 1 and isinstance(fallback.targets[0], ast.Subscript)):
        return
    target = fallback.targets[0]
    name = target.value.id if isinstance(target.value, ast.Name) else ""
    key = _key(target, name) if name in local and not isinstance(target.slice, ast.Constant) else None
    if key is None:
        return
    mutated = _mutates(first, name, key)
    if not mutated or isinstance(first, ast.Assign):
        return  # a store into `d[k]` (`d[k][f] = v`) is no count or list the fallback starts
    if isinstance(first, ast.AugAssign):
        if not isinstance(first.op, ast.Add) or not _number(first.value, fallback.value, names):
            return
        empty = "int"
    else:
        assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
        assert isinstance(first.value.func, ast.Attribute)
        method = first.value.func.attr
        value = fallback.value
        if method in ("append", "extend", "insert") and isinstance(value, ast.List):
            empty = "list"
        elif method in ("add", "update") and isinstance(value, (ast.Set, ast.Call)) and empty_kind(value, names) != "list":
            empty = "set"
        else:
            return
    idiom = f"`try: {shorten(ast.unparse(first), 60)}` / `except KeyError: {shorten(ast.unparse(fallback), 60)}`"
    yield Buildup(stmt, name, "try", empty, idiom, (stmt,), (target, *mutated))


def _number(added: ast.expr, fallback: ast.expr, names: Names) -> bool:
    """`d[k] += n` / `d[k] = n` counts: numbers, or the same amount read from a name or an item
    (`obj["Size"]`), or converted to a number by a builtin (`float(row["cost"])`); a list or string
    literal would not start from `0`."""
    if isinstance(added, ast.Call) and ast.dump(added) == ast.dump(fallback):
        return names.resolve(added.func) in _NUMERIC_BUILTINS and not any(
            isinstance(arg, ast.Starred) for arg in added.args) and not added.keywords
    def plain(expr: ast.expr) -> bool:
        return (isinstance(expr, ast.Constant) and type(expr.value) in (int, float)) or isinstance(
            expr, (ast.Name, ast.Attribute))
    if plain(added) and plain(fallback):
        return True
    return isinstance(added, ast.Subscript) and ast.dump(added) == ast.dump(fallback) and not isinstance(
        added.slice, ast.Slice)


# Builtins whose result is a number, whatever they are given: their own errors are not `KeyError`s
# of the dict, so the idiom reads the same amount on both sides.
_NUMERIC_BUILTINS = frozenset({"int", "float", "len", "abs", "round"})


def _setdefault_idiom(stmt: ast.stmt, after: ast.stmt | None, names: Names, local: set[str]) -> Iterator[Buildup]:
    # each idiom below is a `setdefault` call standing in one of a few places of the statement itself:
    # a statement with none there has none to yield, and is not walked
    if not any(_calls_setdefault(part) for part in _idiom_places(stmt)):
        return
    for node in breadth_first(stmt):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault"
                and isinstance(node.func.value, ast.Name) and node.func.value.id in local
                and len(node.args) == 2 and not node.keywords) or isinstance(node.args[0], ast.Constant):
            continue
        name = node.func.value.id
        empty = empty_kind(node.args[1], names)
        if empty is None:
            continue
        idiom = f"`{shorten(ast.unparse(node))}`"
        # `d.setdefault(k, []).append(x)`: the result is mutated in place, also down a chain of
        # calls (`d.setdefault(a, {}).setdefault(b, []).append(x)`: each level is filled in place)
        if isinstance(stmt, ast.Expr) and empty != "int" and _mutated_in_chain(stmt.value, node):
            # `d.setdefault(a, {}).setdefault(b, 0)` then `d[a][b] += n`: the next statement's read of
            # `d[a]` belongs to the idiom
            extra = _mutates(after, name, ast.dump(node.args[0])) if after is not None else []
            yield Buildup(node, name, "setdefault", empty, idiom, (stmt, after) if extra and after else (stmt,),
                          tuple(extra))
            continue
        # `d.setdefault(k, {})[sub] = v`: the new inner dict is filled in place (also at the end of
        # a chain: `d.setdefault(a, {}).setdefault(b, {})[sub] = v`)
        if isinstance(stmt, (ast.Assign, ast.AugAssign)) and empty == "dict":
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Subscript) and (
                    targets[0].value is node or _mutated_in_chain(targets[0].value, node)):
                yield Buildup(node, name, "setdefault", empty, idiom, (stmt,), ())
                continue
        # `bucket = d.setdefault(k, [])` then `bucket.append(x)`
        if (isinstance(stmt, ast.Assign) and stmt.value is node and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name) and after is not None and empty != "int"
                and _mutates_name(after, stmt.targets[0].id)):
            yield Buildup(node, name, "setdefault", empty, idiom, (stmt, after), ())
            continue
        # `d.setdefault(k, 0)` then `d[k] += 1`
        if isinstance(stmt, ast.Expr) and stmt.value is node and after is not None:
            mutated = _mutates(after, name, ast.dump(node.args[0]))
            if mutated:
                yield Buildup(node, name, "setdefault", empty, idiom, (stmt, after), tuple(mutated))


def _mutated_in_chain(expr: ast.expr, node: ast.Call) -> bool:
    """Whether `node` is the receiver of a mutating method call in the chain of method calls `expr`
    ends with (`expr` itself, the call its receiver is, and so on down)."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.value is node:
            return expr.func.attr in _MUTATORS
        expr = expr.func.value
    return False


def _idiom_places(stmt: ast.stmt) -> Iterator[ast.AST]:
    """Where `_setdefault_idiom` looks for its call: the statement's value, the receiver of the call
    that is its value, the subscripted object of its one subscript target."""
    if isinstance(stmt, (ast.Expr, ast.Assign)):
        yield stmt.value
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Attribute):
            yield stmt.value.func.value
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AugAssign) else []
    if len(targets) == 1 and isinstance(targets[0], ast.Subscript):
        yield targets[0].value


def _calls_setdefault(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault"


def _empty_dicts(scope: Scope, names: Names) -> set[str]:
    """Local names bound by plain assignments only, once, to a new empty dict (`_stored_otherwise`
    says which of them another statement or expression binds too)."""
    bound: dict[str, list[ast.AST | None]] = {}
    declared: set[str] = set()
    # assignments and declarations are statements: the expressions are walked only once a name is left
    for node in own_statements(scope.body):
        if isinstance(node, ast.Assign):
            # `self.index = index = {}`: the dict is an object's too, read by code not seen here
            shared = any(not isinstance(t, ast.Name) for t in node.targets)
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound.setdefault(target.id, []).append(None if shared else node.value)
                elif isinstance(target, (ast.Tuple, ast.List)):
                    for n in breadth_first(target):
                        if isinstance(n, ast.Name):
                            bound.setdefault(n.id, []).append(None)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
    func = scope.function()
    params = {a.arg for a in (func.args.args + func.args.kwonlyargs + func.args.posonlyargs)} if func else set()
    candidates = {
        name for name, values in bound.items()
        if len(values) == 1 and empty_kind(values[0], names) == "dict" and name not in declared and name not in params
    }
    return candidates


def _stored_otherwise(scope: Scope) -> set[str]:
    """The names stored other than by a plain assignment (`for` and `with` targets, augmented and
    annotated assignments, comprehensions, `:=`): none of them is a dict bound once."""
    others: set[str] = set()
    for sub in scope.own_nodes():
        if isinstance(sub, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.AugAssign, ast.AnnAssign,
                            ast.comprehension, ast.NamedExpr)):
            stored: list[ast.AST] = (
                [item.optional_vars for item in sub.items if item.optional_vars is not None]
                if isinstance(sub, (ast.With, ast.AsyncWith)) else [sub.target]
            )
            for n in (n for target in stored for n in breadth_first(target)):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    others.add(n.id)
    return others


def buildups(scope: Scope, names: Names, text: str | None = None) -> Iterator[Buildup]:
    """The idioms of the block; `text`: the function's source, when the caller has it (what it does
    not spell, the function does not hold)."""
    local = _empty_dicts(scope, names)
    if not local:
        return
    # an idiom is found for one name, whatever the other names are: the names bound otherwise too,
    # which take every node of the block to find, are looked for once some idiom is found
    found = list(_idioms(scope, names, local, text))
    if not found:
        return
    others = _stored_otherwise(scope)
    found = [built for built in found if built.name not in others]
    by_name: dict[str, list[Buildup]] = {}
    for built in found:
        by_name.setdefault(built.name, []).append(built)
    for name, idioms in by_name.items():
        if len({b.empty for b in idioms}) != 1 or _read_for_missing(scope, name, idioms) or _rendered(scope, name):
            continue
        yield from idioms


def _read_for_missing(scope: Scope, name: str, idioms: list[Buildup]) -> bool:
    """`d[k]` outside the idioms on a key that may be absent, or `k in d` outside them."""
    own = {id(s) for b in idioms for s in b.subscripts}
    tests = {id(b.node.test) for b in idioms if isinstance(b.node, ast.If)}
    safe_keys = _iterated_keys(scope, name)
    for node in scope.own_nodes():
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name:
            if id(node) in own or isinstance(node.ctx, ast.Store):
                continue
            if isinstance(node.slice, ast.Name) and node.slice.id in safe_keys:
                continue
            return True
        if isinstance(node, ast.Compare) and id(node) not in tests:
            if any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) and any(
                isinstance(c, ast.Name) and c.id == name for c in node.comparators
            ):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and dotted(node.func.value) == name:
            if node.func.attr == "setdefault" and not any(b.node is node for b in idioms):
                return True
    return False


_TEXT_BUILTINS = frozenset({"str", "repr", "format", "print"})


def _rendered(scope: Scope, name: str) -> bool:
    """The dict is turned into text — `str(d)`, `repr(d)`, `print(d)`, `"{}".format(d)`, `"%s" % d`,
    `f"{d}"` — where a `defaultdict` would read `defaultdict(<class 'list'>, {...})` (in a generated
    settings file, a report, a message)."""
    def named(expr: ast.AST) -> bool:
        return isinstance(expr, ast.Name) and expr.id == name

    for node in scope.own_nodes():
        if isinstance(node, ast.Call):
            args = [*node.args, *(k.value for k in node.keywords)]
            if not any(named(a) or isinstance(a, ast.Starred) and named(a.value) for a in args):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in _TEXT_BUILTINS:
                return True
            if isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant):
                return True
        elif isinstance(node, ast.FormattedValue) and named(node.value):
            return True
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
              and isinstance(node.left.value, str)):
            right = node.right
            if named(right) or isinstance(right, ast.Tuple) and any(named(e) for e in right.elts):
                return True
    return False


def _iterated_keys(scope: Scope, name: str) -> set[str]:
    """Loop variables that take the keys of `name` itself (`for k in d`, `for k, v in d.items()`)."""
    keys: set[str] = set()
    for node in scope.own_nodes():
        if isinstance(node, (ast.For, ast.comprehension)):
            it = node.iter
            if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr in ("keys", "items"):
                it = it.func.value
            if isinstance(it, ast.Name) and it.id == name:
                target = node.target
                if isinstance(target, ast.Tuple) and target.elts:
                    target = target.elts[0]
                if isinstance(target, ast.Name):
                    keys.add(target.id)
    return keys


def returned(scope: Scope, name: str) -> list[ast.Name]:
    """The `name` of each `return name` / `yield name` of the block: the dict handed to the caller,
    whose missing keys a `defaultdict` would insert where the caller got a `KeyError` before."""
    return [n.value for n in scope.own_nodes()
            if isinstance(n, (ast.Return, ast.Yield)) and isinstance(n.value, ast.Name) and n.value.id == name]
