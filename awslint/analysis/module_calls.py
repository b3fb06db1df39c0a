"""Which function of the same module a call runs, and which of its parameters each argument binds.

Only what the source settles: a module-level function called by its name (not rebound anywhere in
the module), a class of the module called by its name (its `__init__`), a method called on
`self`/`cls` from a method of the same class, and `super().__init__(...)` when the class's only base
is a class of the module. Anything else (an import, a name bound twice, a `*args` in the call) is
unknown.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

from awslint.analysis.index import FunctionNode
from awslint.analysis.model import SemanticModel

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Target:
    """The function a call runs and how many of its leading parameters the call binds itself (`self`)."""

    function: ast.FunctionDef | ast.AsyncFunctionDef
    bound: int
    name: str  # as the caller wrote it, for messages


def _module_definition(model: SemanticModel, name: str) -> ast.AST | None:
    """The one `def` or `class` that binds `name` at module level, when nothing else binds it."""
    bindings = model.bindings_of(model.tree, name)
    if len(bindings) != 1 or bindings[0].kind not in ("def", "class"):
        return None
    return bindings[0].node


def _static(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list)


def _constructor(model: SemanticModel, cls: ast.AST, name: str) -> Target | None:
    if not isinstance(cls, ast.ClassDef):
        return None
    init = model.methods(cls).get("__init__")
    return Target(init, 1, name) if init is not None else None


def _owner(model: SemanticModel, function: FunctionNode) -> ast.ClassDef | None:
    scope = model.scope(function)
    parent = scope.parent if scope is not None else None
    return parent.node if parent is not None and isinstance(parent.node, ast.ClassDef) else None


def call_target(
    model: SemanticModel,
    call: ast.Call,
    caller: FunctionNode,
    class_of: Callable[[ast.FunctionDef | ast.AsyncFunctionDef], ast.ClassDef | None] | None = None,
) -> Target | None:
    """The function of this module that `call`, made in `caller`'s own code, runs; None when unknown.

    `class_of`, when given, says which class's body defines a `def` (the model's answer, read from the
    class bodies without building the model), so that `self.m(...)` needs no model."""
    func = call.func
    if isinstance(func, ast.Name):
        if model.resolve_scope(caller, func.id) is not model.module:
            return None
        found = _module_definition(model, func.id)
        if isinstance(found, _DEFS):
            return Target(found, 0, func.id)
        return _constructor(model, found, func.id) if found is not None else None
    if not isinstance(func, ast.Attribute):
        return None
    owner = class_of(caller) if class_of is not None and isinstance(caller, _DEFS) else _owner(model, caller)
    if owner is None:
        return None
    receiver = func.value
    if isinstance(receiver, ast.Name) and receiver.id in ("self", "cls"):
        method = model.methods(owner).get(func.attr)
        if method is None:
            return None
        return Target(method, 0 if _static(method) else 1, f"{receiver.id}.{func.attr}")
    if (
        func.attr == "__init__"
        and isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Name)
        and receiver.func.id == "super"
        and not receiver.args
        and len(owner.bases) == 1
        and isinstance(owner.bases[0], ast.Name)
        and model.resolve_scope(caller, owner.bases[0].id) is model.module
    ):
        base = _module_definition(model, owner.bases[0].id)
        return _constructor(model, base, "super().__init__") if base is not None else None
    return None


def receiving_parameter(
    function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, skip: int, call: ast.Call, argument: ast.AST
) -> ast.arg | None:
    """The parameter of `function` that `argument` (one of `call`'s arguments, or a keyword's value)
    binds, the first `skip` positional parameters being bound by the call itself (`self`); None when
    no named parameter takes it or where it lands is unknown (after a `*args` of the call)."""
    args = function.args
    positional = [*args.posonlyargs, *args.args][skip:]
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return None  # where the later arguments land depends on the unpacked value
        if arg is argument:
            return positional[index] if index < len(positional) else None
    for keyword in call.keywords:
        if (keyword.value is argument or keyword is argument) and keyword.arg is not None:
            # positional-only parameters cannot be passed by name
            return next((a for a in [*args.args, *args.kwonlyargs] if a.arg == keyword.arg), None)
    return None


def bound_parameter(target: Target, call: ast.Call, argument: ast.expr) -> str | None:
    """The parameter of `target` that `argument` (one of `call`'s arguments) binds, when it is known."""
    found = receiving_parameter(target.function, target.bound, call, argument)
    return found.arg if found is not None else None
