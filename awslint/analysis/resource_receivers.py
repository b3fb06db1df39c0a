"""Which class a method call's receiver is an instance of, as far as the module itself shows it.

A user's `resource-factories` entry `Engine.connect` makes `engine.connect()` a resource only when
`engine` is known to be an `Engine`; an unknown receiver is no evidence, so the call is left alone.
Known means: the constructor call itself (`Engine(url).connect()`); a name whose every binding in its
scope is `Engine(...)`, None, or annotated as one (`engine: Engine`, `Optional[Engine]`,
`Engine | None`, `"Engine"`), parameters included; `self.engine` when every assignment to it in the
methods of the class (and the class body's annotation) says so.

A class is spelt as the module spells it (`Engine`, `sa.Engine`) and as it resolves through the
imports (`sqlalchemy.Engine`); `class_matches` decides whether one of those is the class the user named.
"""
from __future__ import annotations

import ast
from typing import Callable

from awslint.analysis.model import SemanticModel
from awslint.analysis.names import Names
from awslint.analysis.names import dotted

# The classes an expression is an instance of, each as a set of spellings; empty when not known.
ClassOf = Callable[[ast.expr], frozenset[str]]

_OPTIONAL = frozenset({"typing.Optional", "Optional", "typing_extensions.Optional"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_UNKNOWN: frozenset[str] = frozenset()


def class_matches(wanted: str, spellings: frozenset[str]) -> bool:
    """Whether the class the user named (`Engine`, `sqlalchemy.Engine`, `pkg.mod.Pool`) is one of
    `spellings`: the same dotted name; a bare name given by the user is the class of that name from
    anywhere; a dotted one matches a class of that name from the same top-level package (packages
    re-export their classes: `sqlalchemy.engine.Engine` is `sqlalchemy.Engine`)."""
    last = wanted.rsplit(".", 1)[-1]
    top = wanted.split(".", 1)[0]
    for spelling in spellings:
        if spelling == wanted:
            return True
        if spelling.rsplit(".", 1)[-1] != last:
            continue
        if "." not in wanted or ("." in spelling and spelling.split(".", 1)[0] == top):
            return True
    return False


class Receivers:
    """Answers `classes(expr, scope)` for one module, remembering what it worked out."""

    def __init__(self, model: SemanticModel, names: Names) -> None:
        self.model = model
        self.names = names
        self._bound: dict[tuple[ast.AST, str], frozenset[str]] = {}
        self._attributes: dict[tuple[ast.ClassDef, str], frozenset[str]] = {}

    def class_of(self, scope: ast.AST | None) -> ClassOf:
        """`classes` for receivers inside `scope` (a function, or None for module level)."""
        where = scope if scope is not None else self.model.tree
        return lambda expr: self.classes(expr, where)

    def classes(self, expr: ast.expr, scope: ast.AST) -> frozenset[str]:
        """The spellings of the class `expr` is known to be an instance of inside `scope`, or empty."""
        if isinstance(expr, ast.Call):
            return self._spellings(expr.func)
        if isinstance(expr, ast.Name):
            key = (scope, expr.id)
            found = self._bound.get(key)
            if found is None:
                found = self._bound[key] = self._name(expr.id, scope)
            return found
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            owner = self._owner(scope, expr.value.id)
            if owner is None:
                return _UNKNOWN
            key2 = (owner, expr.attr)
            found = self._attributes.get(key2)
            if found is None:
                found = self._attributes[key2] = self._attribute(owner, expr.attr)
            return found
        return _UNKNOWN

    # -- one class expression ----------------------------------------------------------------

    def _spellings(self, expr: ast.expr) -> frozenset[str]:
        """How `Engine` / `sa.Engine` is spelt here and what it resolves to."""
        text = dotted(expr)
        if text is None:
            return _UNKNOWN
        resolved = self.names.resolve(expr)
        return frozenset({text, resolved} if resolved else {text})

    def _annotation(self, expr: ast.expr | None) -> frozenset[str]:
        """The class an annotation names: `Engine`, `Optional[Engine]`, `Engine | None`, `"Engine"`."""
        if expr is None:
            return _UNKNOWN
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            try:
                parsed = ast.parse(expr.value, mode="eval").body
            except SyntaxError:
                return _UNKNOWN
            return self._annotation(parsed) if not isinstance(parsed, ast.Constant) else _UNKNOWN
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            sides = [s for s in (expr.left, expr.right) if not _is_none(s)]
            return self._annotation(sides[0]) if len(sides) == 1 else _UNKNOWN
        if isinstance(expr, ast.Subscript):
            if self._spellings(expr.value) & _OPTIONAL:
                return self._annotation(expr.slice)
            return _UNKNOWN
        return self._spellings(expr)

    def _value(self, value: ast.AST | None, annotation: ast.expr | None) -> frozenset[str] | None:
        """What one binding says (None: it binds None, which says nothing either way)."""
        if annotation is not None:
            return self._annotation(annotation)
        if _is_none(value):
            return None
        if isinstance(value, ast.Call):
            return self._spellings(value.func)
        return _UNKNOWN

    # -- a name ------------------------------------------------------------------------------

    def _name(self, name: str, scope: ast.AST) -> frozenset[str]:
        found = self.model.resolve_scope(scope, name)
        if found is None:
            return _UNKNOWN
        answers: list[frozenset[str]] = []
        for binding in found.bindings.get(name, ()):
            node = binding.node
            if binding.kind == "parameter" and isinstance(node, ast.arg):
                answer = self._annotation(node.annotation)
            elif binding.kind == "annassign" and isinstance(node, ast.AnnAssign):
                answer = self._annotation(node.annotation)
            elif binding.kind in ("assign", "walrus"):
                if binding.value is None:
                    return _UNKNOWN  # unpacked, or something the model could not pin to this name
                one = self._value(binding.value, None)
                if one is None:
                    continue
                answer = one
            else:
                return _UNKNOWN
            if not answer:
                return _UNKNOWN
            answers.append(answer)
        return _agree(answers)

    # -- an attribute of `self` --------------------------------------------------------------

    def _owner(self, scope: ast.AST, receiver: str) -> ast.ClassDef | None:
        """The class whose method `scope` is, when `receiver` is that method's `self`."""
        if not isinstance(scope, _FUNCTIONS) or not scope.args.args or scope.args.args[0].arg != receiver:
            return None
        if any(_decorator_name(d) in ("staticmethod", "classmethod") for d in scope.decorator_list):
            return None
        found = self.model.scope(scope)
        parent = found.parent if found is not None else None
        return parent.node if parent is not None and isinstance(parent.node, ast.ClassDef) else None

    def _attribute(self, owner: ast.ClassDef, attr: str) -> frozenset[str]:
        answers: list[frozenset[str]] = []
        for statement in owner.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                if statement.target.id == attr:
                    answers.append(self._annotation(statement.annotation))
            elif isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == attr for t in statement.targets
            ):
                one = self._value(statement.value, None)
                if one is not None:
                    answers.append(one)
        for method in owner.body:
            if not isinstance(method, _FUNCTIONS) or not method.args.args:
                continue
            me = method.args.args[0].arg
            for node in ast.walk(method):
                stored = _assigned(node, me, attr)
                if stored is False:
                    continue
                if stored is True:
                    return _UNKNOWN  # augmented, unpacked, deleted: not one value
                answer = self._value(*stored)
                if answer is not None:
                    answers.append(answer)
        if any(not a for a in answers):
            return _UNKNOWN
        return _agree(answers)


def _assigned(node: ast.AST, me: str, attr: str) -> tuple[ast.AST | None, ast.expr | None] | bool:
    """For a statement that stores `me.attr`: (value, annotation); True when it stores it in a way that
    gives no single value; False when it does not store it."""

    def is_target(target: ast.AST) -> bool:
        return (
            isinstance(target, ast.Attribute) and target.attr == attr
            and isinstance(target.value, ast.Name) and target.value.id == me
        )

    if isinstance(node, ast.Assign):
        if any(is_target(t) for t in node.targets):
            return node.value, None
        if any(is_target(e) for t in node.targets if isinstance(t, (ast.Tuple, ast.List)) for e in t.elts):
            return True
        return False
    if isinstance(node, ast.AnnAssign) and is_target(node.target):
        return node.value, node.annotation
    if isinstance(node, (ast.AugAssign, ast.Delete)):
        targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
        return True if any(is_target(t) for t in targets) else False
    if isinstance(node, (ast.For, ast.AsyncFor, ast.withitem, ast.NamedExpr)):
        target = node.target if not isinstance(node, ast.withitem) else node.optional_vars
        return True if target is not None and is_target(target) else False
    return False


def _agree(answers: list[frozenset[str]]) -> frozenset[str]:
    """The spellings every binding shares (a name bound to `Engine(...)` and to `sa.Engine(...)` is an
    `Engine` by its resolved name); empty when the bindings disagree or there are none."""
    if not answers:
        return _UNKNOWN
    common = answers[0]
    for answer in answers[1:]:
        common = common & answer
    return common


def _decorator_name(expr: ast.expr) -> str:
    return expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else ""


def _is_none(expr: ast.AST | None) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None
