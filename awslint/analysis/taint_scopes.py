"""Where a function sits and what it binds, for the taint analysis, without the module's whole model.

The taint analysis asks these questions only of the few functions around a sink. Building the semantic
model of the whole module to answer them cost more than the rest of the analysis of a typical file, so
each answer comes from what it needs alone: a function's own bindings from a walk of its own scope
(`SemanticModel(func, only_root=True)`, the walk `names.local_bindings` does), the function around a
function from the index, and the class a method belongs to from the class bodies' statements. Each
answer is the one the module's model gives (tests/test_taint_scopes.py compares them on every
function of the standard library's top level; a sweep of the whole standard library and 3,000 files of
real code found no difference). Only the nested def a lambda calls by name, where a comprehension
around the lambda may bind the name, asks the module's model.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from awslint.analysis.index import FunctionNode
from awslint.analysis.model import Binding, Scope, SemanticModel
from awslint.analysis.names import local_bindings
from awslint.analysis.nodes import children

if TYPE_CHECKING:
    from awslint.context import Context

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


class TaintScopes:
    """Scope facts of one module, each computed on first question."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._own: dict[int, Scope | None] = {}
        self._bound: dict[int, frozenset[str]] = {}
        self._methods: dict[int, ast.ClassDef] | None = None
        self._lambdas: dict[int, ast.ClassDef] | None = None

    def own_scope(self, node: FunctionNode | ast.Module) -> Scope | None:
        """The scope `node` opens, with its own bindings (those of nested functions and classes not walked)."""
        key = id(node)
        if key not in self._own:
            self._own[key] = SemanticModel(node, only_root=True).scope(node)
        return self._own[key]

    def bound(self, func: FunctionNode) -> frozenset[str]:
        """The names `func` binds itself (its parameters and locals); a name only an import binds is left
        out, since it resolves like the module's import of it."""
        key = id(func)
        found = self._bound.get(key)
        if found is None:
            # what `names.local_bindings` counts, from the one walk of the function's scope kept here
            scope = self.own_scope(func)
            found = self._bound[key] = frozenset(
                name for name, each in scope.bindings.items() if scope.binds(name) and any(
                    b.kind != "import" for b in each)) if scope is not None else frozenset(local_bindings(func))
        return found

    def bindings_of(self, node: FunctionNode | ast.Module, name: str) -> list[Binding]:
        scope = self.own_scope(node)
        return list(scope.bindings.get(name, ())) if scope is not None else []

    def method_class(self, func: FunctionNode | ast.Module) -> ast.ClassDef | None:
        """The class whose body defines `func`, when it is a method (or a lambda of the class body)."""
        if isinstance(func, ast.Module):
            return None
        if isinstance(func, ast.Lambda):
            if self._lambdas is None:
                self._lambdas = {id(node): cls for cls in self.ctx.index.classes for node in _class_lambdas(cls)}
            return self._lambdas.get(id(func))
        if self._methods is None:
            self._methods = {id(stmt): cls for cls in self.ctx.index.classes for stmt in _own_statements(cls.body)
                             if isinstance(stmt, _DEFS)}
        return self._methods.get(id(func))

    def parent_function(self, func: FunctionNode) -> FunctionNode | None:
        """The function whose locals `func` sees: a `def`'s enclosing function, unless a class body is in
        between; for a lambda, the innermost `def` around it (through lambdas, comprehensions and classes)."""
        enclosing = self.ctx.index.enclosing
        outer = enclosing.get(func)
        if isinstance(func, ast.Lambda):
            while isinstance(outer, ast.Lambda):
                outer = enclosing.get(outer)
            return outer
        if outer is None or self.method_class(func) is not None:
            return None
        return outer

    def visible_def(self, scope: FunctionNode, name: str) -> FunctionNode | None:
        """The nested function a call of `name` in `scope` runs: a `def` of `scope` itself or of a
        function around it, found by Python's scoping rules (the last `def` of the name, in source order)."""
        if isinstance(scope, ast.Lambda):
            return self._visible_def_by_model(scope, name)
        # Between a `def` and the functions around it there are only class bodies, which a name read
        # in a function does not see: the chain of enclosing functions is the chain of scopes that count.
        current: FunctionNode | None = scope
        while current is not None:
            own = self.own_scope(current)
            if own is not None:
                if name in own.declared_global:
                    return None
                if own.binds(name):
                    return _last_def(own, name)
            current = self.ctx.index.enclosing.get(current)
        return None

    def _visible_def_by_model(self, scope: FunctionNode, name: str) -> FunctionNode | None:
        found = self.ctx.model.resolve_scope(scope, name)
        if found is None or not isinstance(found.node, (*_DEFS, ast.Lambda)):
            return None
        return _last_def(found, name)

    def declared_global(self) -> frozenset[str]:
        """Names a function or a class body declares `global` (so may assign); not the module's own."""
        tree = self.ctx.tree
        at_module = {id(s) for s in _own_statements(tree.body)} if isinstance(tree, ast.Module) else set()
        return frozenset(name for node, scope in self.ctx.index.of_type(ast.Global)
                         if scope is not None or id(node) not in at_module
                         for name in node.names)  # type: ignore[attr-defined]


def _class_lambdas(cls: ast.ClassDef) -> Iterator[ast.Lambda]:
    """The lambdas whose scope's parent is `cls`: those in the code the class body runs itself, by the
    model's rules (a function's decorators, defaults and annotations, a class's bases and a
    comprehension's first iterable run in the scope around them; their bodies do not)."""
    stack: list[ast.AST] = list(cls.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Lambda):
            yield node
            stack.extend(d for d in (*node.args.defaults, *node.args.kw_defaults) if d is not None)
        elif isinstance(node, _DEFS):
            args = node.args
            stack.extend(node.decorator_list)
            stack.extend(d for d in (*args.defaults, *args.kw_defaults) if d is not None)
            stack.extend(a.annotation for a in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs,
                                                args.kwarg) if a is not None and a.annotation is not None)
            if node.returns is not None:
                stack.append(node.returns)
        elif isinstance(node, ast.ClassDef):
            stack.extend((*node.decorator_list, *node.bases, *(k.value for k in node.keywords)))
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            stack.append(node.generators[0].iter)
        else:
            stack.extend(children(node))


def _last_def(scope: Scope, name: str) -> FunctionNode | None:
    defs = [b.node for b in scope.bindings.get(name, ()) if b.kind == "def" and isinstance(b.node, _DEFS)]
    return max(defs, key=lambda d: (d.lineno, d.col_offset)) if defs else None


def _own_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a block that run in its scope: through compound statements, not into the
    bodies of the functions and classes it defines."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (*_DEFS, ast.ClassDef)):
            continue
        inner: list[ast.stmt] = []
        for field in ("body", "orelse", "finalbody"):
            block = getattr(stmt, field, None)
            if isinstance(block, list):
                inner.extend(block)
        for part in (*getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())):
            inner.extend(part.body)
        stack.extend(reversed(inner))
