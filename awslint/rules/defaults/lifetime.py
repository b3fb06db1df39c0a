"""Whether a function made inside another one is used past one run of it, or more than once in it.

A nested function's defaults are evaluated each time its `def` (or `lambda`) runs, so a default it
mutates is shared only by the calls of one function object. That sharing is a leak when the object
outlives the enclosing call (returned, stored, passed on, registered, decorated by a decorator that
may keep it) or is called more than once within it (two call sites, a call in a loop the `def` is not
in, a call from a function or lambda that may itself run many times).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from awslint.analysis.index import FunctionNode
from awslint.analysis.names import Names

# Decorators that hand back the function they decorate and keep no reference to it.
_KEEPS_NOTHING = frozenset({"functools.wraps", "functools.update_wrapper", "typing.overload", "staticmethod"})
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class Reuse:
    """Where the inner function object is reused: the node and what happens there."""

    node: ast.AST
    note: str


def parents_of(outer: FunctionNode) -> dict[ast.AST, ast.AST]:
    """The parent of every node inside `outer`, the nodes in `ast.walk(outer)`'s order (breadth first)."""
    parents: dict[ast.AST, ast.AST] = {}
    order: list[ast.AST] = [outer]
    push, node_type = order.append, ast.AST
    at = 0
    while at < len(order):
        node = order[at]
        at += 1
        for field in node._fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type):
                        parents[item] = node
                        push(item)
            elif isinstance(value, node_type):
                parents[value] = node
                push(value)
    return parents


def _repeats(child: ast.AST, parent: ast.AST) -> bool:
    """Whether `child` of `parent` may run more than once each time `parent` runs."""
    if isinstance(parent, (ast.For, ast.AsyncFor)):
        return child in parent.body
    if isinstance(parent, ast.While):
        return child is parent.test or child in parent.body
    if isinstance(parent, _COMPREHENSIONS):
        return child is not parent.generators[0]
    if isinstance(parent, ast.comprehension):
        return child is not parent.iter
    if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return child in parent.body
    if isinstance(parent, ast.Lambda):
        return child is parent.body
    return False


def _repeaters(node: ast.AST, outer: FunctionNode, parents: dict[ast.AST, ast.AST]) -> list[ast.AST]:
    """The ancestors of `node` (inside `outer`) that may run it more than once."""
    out: list[ast.AST] = []
    child = node
    parent = parents.get(child)
    while parent is not None and child is not outer:
        if parent is not outer and _repeats(child, parent):
            out.append(parent)
        child, parent = parent, parents.get(parent)
    return out


def _ancestors(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> set[ast.AST]:
    out: set[ast.AST] = set()
    parent = parents.get(node)
    while parent is not None:
        out.add(parent)
        parent = parents.get(parent)
    return out


def _use(node: ast.Name, parents: dict[ast.AST, ast.AST]) -> str:
    parent = parents.get(node)
    if isinstance(parent, ast.Return):
        return "is returned"
    if isinstance(parent, (ast.Yield, ast.YieldFrom)):
        return "is yielded"
    if isinstance(parent, ast.Call) and parent.func is not node:
        return f"is passed to `{_short(parent.func)}()`"
    if isinstance(parent, ast.keyword):
        call = parents.get(parent)
        if isinstance(call, ast.Call):
            return f"is passed to `{_short(call.func)}()`"
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        return "is stored"
    return "is used as a value"


def _short(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _passes(call: ast.Call, func: FunctionNode, param: str) -> bool:
    """Whether `call` passes `param` itself (so that call does not use its default)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return True  # `*args`/`**kwargs` may pass it: not a use of the default we can show
    if any(k.arg == param for k in call.keywords):
        return True
    positional = [a.arg for a in [*func.args.posonlyargs, *func.args.args]]
    return param in positional and positional.index(param) < len(call.args)


def reuse(
    func: FunctionNode, outer: FunctionNode, names: Names, parents: dict[ast.AST, ast.AST], param: str
) -> Reuse | None:
    """How the object `func` makes inside `outer` outlives a call of `outer`, or is called more than
    once in it without passing `param` (a call that passes it does not share the default).

    `parents` is `parents_of(outer)`; the first use found in its order is the one reported.
    """
    made: ast.AST = func
    name: str | None = None
    if isinstance(func, ast.Lambda):
        parent = parents.get(func)
        if isinstance(parent, ast.Call) and parent.func is func:
            return None  # `(lambda acc=[]: ...)(x)`: called once, right away
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
            return Reuse(func, "the lambda is handed on as a value")
        made, name = parent, parent.targets[0].id
    else:
        name = func.name
        if isinstance(parents.get(func), ast.ClassDef):
            return Reuse(func, f"`{name}` is a method of a class made in the call")
        for decorator in func.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if names.resolve(target) not in _KEEPS_NOTHING:
                return Reuse(decorator, f"`{name}` is decorated by `@{_short(decorator)}`, which may keep it")
    made_in = _ancestors(made, parents)
    calls: list[ast.Call] = []
    # `parents` holds every node of `outer` but `outer` itself, in `ast.walk(outer)`'s order.
    for node in parents:
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return Reuse(node, f"`{name}` is declared {type(node).__name__.lower()}")
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        parent = parents.get(node)
        if not (isinstance(parent, ast.Call) and parent.func is node):
            return Reuse(node, f"`{name}` {_use(node, parents)}")
        if _passes(parent, func, param):
            continue
        if func in _ancestors(parent, parents):
            return Reuse(parent, f"`{name}` calls itself")
        again = [r for r in _repeaters(parent, outer, parents) if r not in made_in]
        if again:
            return Reuse(parent, f"`{name}` is called in a loop or a function that may run more than once")
        calls.append(parent)
    if len(calls) > 1:
        calls.sort(key=lambda c: (c.lineno, c.col_offset))
        return Reuse(calls[1], f"`{name}` is called more than once (lines {calls[0].lineno} and {calls[1].lineno})")
    return None
