"""Which functions of the module only borrow the resource they are given.

A call the catalogue cannot place (`parse(fh)`) may keep the resource, so as its last use it counts as
a hand-over (SPEC: "passed to a callee that may keep it"). When the callee is a function of the same
module (a module-level `def` called by its name from a function that binds the name nowhere between,
a method called on `self`/`cls` from a method of the class that defines it), its source settles the
question: a parameter that the callee only reads, writes or lends to known
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

from awslint.analysis.index import FunctionNode, Index
from awslint.analysis.module_calls import Target, bound_parameter
from awslint.analysis.names import Names, local_bindings, target_names
from awslint.analysis.resource_flow import Effect
from awslint.analysis.resource_sites import Catalogue, FileFacts, Lends, classify
from awslint.analysis.scopes import own_nodes, own_statements
from awslint.data.resources import ALWAYS_RELEASES, Factory

# How deep the helpers a resource is lent to are followed (a helper lending it to another ...).
_DEPTH = 3
# Decorators that leave the decorated function the one that runs.
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_Key = tuple[ast.AST, str, Factory]


class Lenders:
    """The module's functions a resource is lent to, and whether each only borrows its parameter."""

    def __init__(self, tree: ast.AST, index: Index, names: Names, facts: FileFacts, catalogue: Catalogue) -> None:
        self._tree = tree
        self._index = index
        self._names = names
        self._facts = facts
        self._catalogue = catalogue
        self._module: _Module | None = None  # read from the tree on the first call that needs it
        self._borrows: dict[_Key, bool] = {}
        self._active: list[_Key] = []
        self._raising: dict[ast.AST, bool] = {}

    def lends(self, caller: FunctionNode, factory: Factory) -> Lends:
        """The `Lends` question for calls made in `caller`'s own code with a resource of `factory`."""
        return lambda call, argument: self.borrowed(caller, factory, call, argument)

    def borrowed(self, caller: FunctionNode, factory: Factory, call: ast.Call, argument: ast.expr) -> bool:
        """Whether `call`, made in `caller` with the resource as `argument`, runs a function of the
        module that only borrows the parameter `argument` binds."""
        target = self._target(call, caller)
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

    def raises(self, caller: FunctionNode, call: ast.Call) -> bool:
        """Whether `call`, made in `caller`, runs a function of the module that has a `raise` of its own
        (`_wait_for_banner(proc.stdout, ...)` raising `TimeoutError`): it can fail for reasons of its
        own, whatever it is given."""
        target = self._target(call, caller)
        if target is None:
            return False
        found = self._raising.get(target.function)
        if found is None:
            found = self._raising[target.function] = any(
                isinstance(stmt, ast.Raise) for stmt in own_statements(target.function.body)
            )
        return found

    def _target(self, call: ast.Call, caller: FunctionNode) -> Target | None:
        """The function of the module `call` runs, read from the module's own scope and the class
        bodies, without the semantic model of the whole module (as `module_calls.call_target`
        answers it, less the constructors, which keep what they are given)."""
        func = call.func
        if isinstance(func, ast.Name):
            return self._module_function(func.id, caller)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            return self._method(func.attr, caller, f"{func.value.id}.{func.attr}")
        return None

    def _read_module(self) -> _Module:
        if self._module is None:
            self._module = _Module.of(self._tree)
        return self._module

    def _module_function(self, name: str, caller: FunctionNode) -> Target | None:
        found = self._read_module().defs.get(name)
        if found is None:
            return None  # no `def` of the module binds it, or something else binds it too
        facts = self._facts.of(caller)
        if name in facts.shadowed or name in facts.imported:
            return None
        if any(name in local_bindings(outer) for outer in self._index.outer_functions(caller)):
            return None
        return Target(found, 0, name)

    def _method(self, name: str, caller: FunctionNode, spelled: str) -> Target | None:
        module = self._read_module()
        owner = module.owners.get(caller)
        if owner is None or module.method_count.get(name) != 1:
            return None  # not a method, or one that another class of the module (a subclass) defines too
        found = [s for s in owner.body if isinstance(s, _DEFS) and s.name == name]
        if not found:
            return None
        method = found[-1]
        static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in method.decorator_list)
        return Target(method, 0 if static else 1, spelled)

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
        # last, as the one walk of the whole body: a generator's object holds its argument
        return not any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in own_nodes(function.body))


class _Module:
    """What one pass over the module's own statements says about its functions: the one `def` that
    binds each module-level name (None when something else binds it too: a second `def`, an
    assignment, an import, a class), each method of a class and its class, and how many classes
    define a method of each name."""

    def __init__(self) -> None:
        self.defs: dict[str, _Function | None] = {}
        self.owners: dict[ast.AST, ast.ClassDef] = {}
        self.method_count: dict[str, int] = {}

    @classmethod
    def of(cls, tree: ast.AST) -> _Module:
        module = cls()
        classes: list[ast.ClassDef] = []
        for stmt in own_statements(tree.body if isinstance(tree, ast.Module) else []):
            if isinstance(stmt, _DEFS):
                module._bound(stmt.name, stmt)
            elif isinstance(stmt, ast.ClassDef):
                module._bound(stmt.name)
                classes.append(stmt)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    module._bound((alias.asname or alias.name).split(".")[0])
            else:
                for target in _targets(stmt):
                    for name in target_names(target):
                        module._bound(name)
        while classes:
            owner = classes.pop()
            names = set()
            for stmt in owner.body:
                if isinstance(stmt, _DEFS):
                    module.owners[stmt] = owner
                    names.add(stmt.name)
                elif isinstance(stmt, ast.ClassDef):
                    classes.append(stmt)
            for name in names:
                module.method_count[name] = module.method_count.get(name, 0) + 1
        return module

    def _bound(self, name: str, function: _Function | None = None) -> None:
        self.defs[name] = function if name not in self.defs else None


def _targets(stmt: ast.stmt) -> list[ast.expr]:
    """The targets a simple or compound statement binds names in (not its body's statements)."""
    if isinstance(stmt, (ast.Assign, ast.Delete)):
        return stmt.targets
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        return [stmt.target]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [i.optional_vars for i in stmt.items if i.optional_vars is not None]
    return []
