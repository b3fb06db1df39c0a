"""Which functions of the module only borrow the resource they are given.

A call the catalogue cannot place (`parse(fh)`) may keep the resource, so as its last use it counts as
a hand-over (SPEC: "passed to a callee that may keep it"). When the callee is a function of the same
module (`call_target`: a module-level `def` called by its name, a method called on `self`/`cls`), its
source settles the question: a parameter that the callee only reads, writes or lends to known
borrowers (its own methods, `json.load`, another such helper), never returning, storing, capturing,
rebinding or releasing it, is borrowed, as `json.load(fh)` is, and the caller still owns the resource
after the call.

What is not settled stays a hand-over: a callee that never touches the parameter (a stub a subclass
overrides: `def _make_transport(self, sock): raise NotImplementedError`), a decorated function (the
decorator may keep what it is given), a generator (the generator object it returns holds the
argument), a coroutine not awaited at the call, a parameter handed on more than a few helpers deep or
in a cycle.
"""
from __future__ import annotations

import ast
from typing import Callable

from awslint.analysis.index import FunctionNode, Index
from awslint.analysis.model import SemanticModel
from awslint.analysis.module_calls import bound_parameter, call_target
from awslint.analysis.names import Names
from awslint.analysis.resource_flow import Effect
from awslint.analysis.resource_sites import Catalogue, FileFacts, Lends, classify
from awslint.analysis.scopes import own_nodes, own_statements
from awslint.data.resources import ALWAYS_RELEASES, Factory

# How deep the helpers a resource is lent to are followed (a helper lending it to another ...).
_DEPTH = 3
# Decorators that leave the decorated function the one that runs.
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_Key = tuple[ast.AST, str, Factory]


class Lenders:
    """The module's functions a resource is lent to, and whether each only borrows its parameter."""

    def __init__(
        self,
        model: Callable[[], SemanticModel],
        index: Index,
        names: Names,
        facts: FileFacts,
        catalogue: Catalogue,
    ) -> None:
        self._model = model  # built on the first call that may run a function of the module
        self._index = index
        self._names = names
        self._facts = facts
        self._catalogue = catalogue
        self._defined: frozenset[str] | None = None  # the names the module's `def`s bind
        self._methods: dict[str, int] | None = None  # how many classes of the module define each method
        self._borrows: dict[_Key, bool] = {}
        self._active: list[_Key] = []

    def lends(self, caller: FunctionNode, factory: Factory) -> Lends:
        """The `Lends` question for calls made in `caller`'s own code with a resource of `factory`."""
        return lambda call, argument: self.borrowed(caller, factory, call, argument)

    def borrowed(self, caller: FunctionNode, factory: Factory, call: ast.Call, argument: ast.expr) -> bool:
        """Whether `call`, made in `caller` with the resource as `argument`, runs a function of the
        module that only borrows the parameter `argument` binds."""
        if not self._may_run_own(call):
            return False
        target = call_target(self._model(), call, caller)
        if target is None:
            return False
        param = bound_parameter(target, call, argument)
        if param is None:
            return False
        function = target.function
        if isinstance(function, ast.AsyncFunctionDef) and not isinstance(
            self._facts.of(caller).parents.get(call), ast.Await
        ):
            return False  # the coroutine object holds the argument until someone awaits it
        return self._only_borrows(function, param, factory)

    def _may_run_own(self, call: ast.Call) -> bool:
        """A necessary condition for `call_target` to find a function of the module, read without the
        semantic model: a name some `def` of the module binds, or a method of `self`/`cls` that no other
        class of the module defines (a subclass's override would run instead)."""
        func = call.func
        if isinstance(func, ast.Name):
            if self._defined is None:
                self._defined = frozenset(f.name for f in self._index.functions if not isinstance(f, ast.Lambda))
            return func.id in self._defined
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")):
            return False
        if self._methods is None:
            self._methods = {}
            for cls in self._index.classes:
                for stmt in own_statements(cls.body):
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self._methods[stmt.name] = self._methods.get(stmt.name, 0) + 1
        # one class of the module defines it: no subclass here overrides it
        return self._methods.get(func.attr) == 1

    def _only_borrows(self, function: _Function, param: str, factory: Factory) -> bool:
        key = (function, param, factory)
        found = self._borrows.get(key)
        if found is not None:
            return found
        if key in self._active or len(self._active) >= _DEPTH:
            return False  # a cycle, or a chain too deep to follow: unknown
        self._active.append(key)
        try:
            found = self._summarise(function, param, factory)
        finally:
            self._active.pop()
        self._borrows[key] = found
        return found

    def _summarise(self, function: _Function, param: str, factory: Factory) -> bool:
        if any(not (isinstance(d, ast.Name) and d.id in _PLAIN_DECORATORS) for d in function.decorator_list):
            return False
        if any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in own_nodes(function.body)):
            return False
        facts = self._facts.of(function)
        if param in facts.nested_names:
            return False  # a closure or a class made there keeps it
        occurrences = facts.by_name.get(param, ())
        if not occurrences:
            # a stub that a subclass overrides says nothing of what runs; a callee that never touches
            # the resource is no evidence that it is only borrowed
            return False
        if any(not isinstance(o.ctx, ast.Load) for o in occurrences):
            return False  # rebound or deleted: what it holds afterwards is not followed
        releases = ALWAYS_RELEASES | set(factory.releases)
        lends = self.lends(function, factory)
        for occurrence in occurrences:
            effect, in_with = classify(occurrence, facts, releases, factory, self._catalogue, self._names, lends)
            if effect > Effect.USE or in_with:
                return False
        return True
