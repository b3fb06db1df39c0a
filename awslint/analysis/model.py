"""The semantic model of one module: scopes, the names each binds and how, parents, classes, calls.

One walk builds it, on first use, and every family asks it instead of re-deriving bindings. It
follows Python's own scoping: a function's, lambda's, class's or comprehension's names are its own;
`global`/`nonlocal` hand a name to the module or the enclosing function; a comprehension's `:=`
binds in the nearest enclosing function (PEP 572); decorators, defaults and annotations run in the
enclosing scope, as does a comprehension's first iterable.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Callable, Iterator, Literal, NamedTuple, Union

ScopeNode = Union[
    ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
]
FunctionLike = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]

BindingKind = Literal[
    "parameter", "assign", "augassign", "annassign", "for", "with", "except", "walrus", "match",
    "import", "def", "class", "delete", "comprehension",
]

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Binding(NamedTuple):
    """One place that binds `name` in `scope`: the node that binds it and, where there is one, the value.

    A named tuple, not a dataclass: a module has one per binding, and a tuple is made several times
    faster and holds no dictionary.
    """

    name: str
    kind: BindingKind
    node: ast.AST
    scope: ScopeNode
    value: ast.AST | None = None


@dataclass
class Scope:
    node: ScopeNode
    parent: Scope | None
    bindings: dict[str, list[Binding]]
    declared_global: set[str]
    declared_nonlocal: set[str]

    def binds(self, name: str) -> bool:
        return name in self.bindings and name not in self.declared_global and name not in self.declared_nonlocal

    def local_names(self) -> frozenset[str]:
        return frozenset(n for n in self.bindings if self.binds(n))


_Work = list[tuple[Scope, list[ast.AST]]]


class SemanticModel:
    """Scopes and bindings, parents, classes and their methods, module definitions, the call graph.

    Nothing is computed until the first question, so a family that keeps a model at hand for the
    rare case costs nothing on a file without one; the parent map is built only when first asked.
    `only_root` limits the walk to the root's own scope (the root function's bindings, for
    `names.local_bindings`): the bodies of nested functions and classes are not walked.
    """

    def __init__(self, tree: ast.AST, only_root: bool = False) -> None:
        self.tree = tree
        self._only_root = only_root
        self._scopes: dict[ast.AST, Scope] | None = None
        self._classes: list[ast.ClassDef] = []
        self._parents: dict[ast.AST, ast.AST] | None = None
        self._calls: dict[ast.AST, list[ast.Call]] = {}

    @property
    def scopes(self) -> dict[ast.AST, Scope]:
        """Every scope of the module by the node that opens it."""
        if self._scopes is None:
            self._scopes = {}
            self._build()
        return self._scopes

    @property
    def classes(self) -> list[ast.ClassDef]:
        self.scopes
        return self._classes

    # -- questions -------------------------------------------------------------------------

    def scope(self, node: ast.AST) -> Scope | None:
        """The scope `node` opens (a module, function, lambda, class or comprehension), if it opens one."""
        return self.scopes.get(node)

    @property
    def module(self) -> Scope:
        return self.scopes[self.tree]

    def local_names(self, node: ast.AST) -> frozenset[str]:
        """The names the scope opened by `node` binds itself (not those it declares global/nonlocal)."""
        scope = self.scopes.get(node)
        return scope.local_names() if scope else frozenset()

    def bindings_of(self, node: ast.AST, name: str) -> list[Binding]:
        scope = self.scopes.get(node)
        return list(scope.bindings.get(name, ())) if scope else []

    def resolve_scope(self, scope_node: ast.AST, name: str) -> Scope | None:
        """The scope a read of `name` inside `scope_node` finds it in, by Python's rules (LEGB)."""
        scope = self.scopes.get(scope_node)
        start = scope
        while scope is not None:
            if name in scope.declared_global:
                return self.module if self.module.binds(name) else None
            if scope.binds(name) and (scope is start or not isinstance(scope.node, ast.ClassDef)):
                return scope
            scope = scope.parent
        return None

    def parent(self, node: ast.AST) -> ast.AST | None:
        if self._parents is None:
            self._parents = _parent_map(self.tree)
        return self._parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parent(node)
        while current is not None:
            yield current
            current = self.parent(current)

    def enclosing_function(self, node: ast.AST) -> FunctionLike | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, _FUNCTIONS):
                return ancestor
        return None

    def methods(self, cls: ast.ClassDef) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        return {s.name: s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}

    def module_functions(self) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        body = self.tree.body if isinstance(self.tree, ast.Module) else []
        return {s.name: s for s in body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}

    def calls_in(self, scope_node: ast.AST) -> list[ast.Call]:
        """The calls made in the scope's own code (not in nested functions or classes)."""
        self.scopes
        calls = self._calls.get(scope_node, [])
        # The walk visits children last-first; callers read calls in source order.
        return sorted(calls, key=lambda c: (c.lineno, c.col_offset))

    def callees(self, function: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        """The module's own functions and methods `function` calls by name (`f()`, `self.m()`), in order."""
        found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        functions = self.module_functions()
        owner = self._owner_class(function)
        methods = self.methods(owner) if owner else {}
        for call in self.calls_in(function):
            target: ast.FunctionDef | ast.AsyncFunctionDef | None = None
            if isinstance(call.func, ast.Name):
                if self.resolve_scope(function, call.func.id) is self.module:
                    target = functions.get(call.func.id)
            elif (
                isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id in ("self", "cls")
            ):
                target = methods.get(call.func.attr)
            if target is not None and target not in found:
                found.append(target)
        return found

    def _owner_class(self, function: ast.AST) -> ast.ClassDef | None:
        scope = self.scopes.get(function)
        parent = scope.parent if scope else None
        return parent.node if parent is not None and isinstance(parent.node, ast.ClassDef) else None

    # -- the walk --------------------------------------------------------------------------

    def _build(self) -> None:
        root = self.tree
        module_node: ScopeNode = root if isinstance(root, ast.Module) else ast.Module(body=[], type_ignores=[])
        top = self._open(module_node, None)
        if module_node is not root:
            self.scopes[root] = top
        # Work items: a scope and the nodes of its code still to visit (a stack). Iterative, so no depth
        # of nesting can overflow. A node that opens a scope pushes the items of its outer parts and
        # of its body on top and the walk goes on with those, which visits the nodes in the order one
        # stack of (node, scope) pairs would, without making a pair per node.
        # The walk is the model's whole cost: one table look-up per node says what it is (a scope to
        # open, a binding form, a call, something to walk through, or a leaf to drop) and gives the
        # getter of its child fields (one C call); lists are pushed whole, leaves dropped when popped.
        work: _Work = [(top, [root])]
        calls = self._calls
        table = _TABLE
        learn = _learn
        skip = _NOT_PUSHED
        while work:
            scope, stack = work[-1]
            pop, push, extend = stack.pop, stack.append, stack.extend
            while stack:
                node = pop()
                kind = node.__class__
                try:
                    role, handler, get = table[kind]
                except KeyError:
                    role, handler, get = learn(kind)
                if role is not _WALK:
                    if role is _LEAF:
                        continue
                    if role is _OPENS:
                        handler(self, node, scope, work)
                        break
                    if role is _BINDS:
                        handler(self, node, scope)
                    else:
                        found = calls.get(scope.node)
                        if found is None:
                            calls[scope.node] = [node]  # type: ignore[list-item]
                        else:
                            found.append(node)  # type: ignore[arg-type]
                if get is None:
                    continue
                try:
                    values = get(node)
                except AttributeError:  # a node built by hand, without some field
                    values = tuple(getattr(node, field, None) for field in _child_fields(kind))
                if values.__class__ is tuple:
                    for value in values:
                        if value.__class__ is list:
                            extend(value)
                        elif value.__class__ not in skip:
                            push(value)
                elif values.__class__ is list:
                    extend(values)
                elif values.__class__ not in skip:
                    push(values)
            else:
                work.pop()

    def _open(self, node: ScopeNode, parent: Scope | None) -> Scope:
        scope = Scope(node, parent, {}, set(), set())
        self.scopes[node] = scope
        return scope

    def _add(self, scope: Scope, name: str, kind: BindingKind, node: ast.AST, value: ast.AST | None = None) -> None:
        scope.bindings.setdefault(name, []).append(Binding(name, kind, node, scope.node, value))

    def _targets(self, scope: Scope, target: ast.AST, kind: BindingKind, site: ast.AST, value: ast.AST | None) -> None:
        stack = [target]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                self._add(scope, node.id, kind, site, value)
            elif isinstance(node, (ast.Tuple, ast.List)):
                # A value unpacked into several names is not any one name's value.
                value = None
                stack.extend(reversed(node.elts))
            elif isinstance(node, ast.Starred):
                value = None
                stack.append(node.value)

    def _assign(self, node: ast.Assign, scope: Scope) -> None:
        for target in node.targets:
            self._targets(scope, target, "assign", node, node.value)

    def _augassign(self, node: ast.AugAssign, scope: Scope) -> None:
        self._targets(scope, node.target, "augassign", node, node.value)

    def _annassign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if isinstance(node.target, ast.Name):
            self._add(scope, node.target.id, "annassign", node, node.value)

    def _for(self, node: ast.For | ast.AsyncFor, scope: Scope) -> None:
        self._targets(scope, node.target, "for", node, None)

    def _with(self, node: ast.With | ast.AsyncWith, scope: Scope) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._targets(scope, item.optional_vars, "with", node, item.context_expr)

    def _except(self, node: ast.ExceptHandler, scope: Scope) -> None:
        if node.name:
            self._add(scope, node.name, "except", node)

    def _walrus(self, node: ast.NamedExpr, scope: Scope) -> None:
        target_scope = scope
        while isinstance(target_scope.node, _COMPREHENSIONS) and target_scope.parent is not None:
            target_scope = target_scope.parent
        self._targets(target_scope, node.target, "walrus", node, node.value)

    def _delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            self._targets(scope, target, "delete", node, None)

    def _import(self, node: ast.Import | ast.ImportFrom, scope: Scope) -> None:
        for alias in node.names:
            if alias.name == "*":
                continue
            bound = alias.asname or (alias.name.split(".")[0] if isinstance(node, ast.Import) else alias.name)
            self._add(scope, bound, "import", node)

    def _global(self, node: ast.Global, scope: Scope) -> None:
        scope.declared_global.update(node.names)

    def _nonlocal(self, node: ast.Nonlocal, scope: Scope) -> None:
        scope.declared_nonlocal.update(node.names)

    def _match_name(self, node: ast.AST, scope: Scope) -> None:
        name = getattr(node, "name", None)
        if name:
            self._add(scope, name, "match", node)

    def _match_rest(self, node: ast.AST, scope: Scope) -> None:
        rest = getattr(node, "rest", None)
        if rest:
            self._add(scope, rest, "match", node)

    def _function(self, node: FunctionLike, scope: Scope, work: _Work) -> None:
        outer: list[ast.AST] = []
        if not isinstance(node, ast.Lambda):
            self._add(scope, node.name, "def", node)
            outer.extend(node.decorator_list)
            if node.returns is not None:
                outer.append(node.returns)
        args = node.args
        outer.extend(default for default in [*args.defaults, *args.kw_defaults] if default is not None)
        inner = self._open(node, scope)
        for arg in [*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg]:
            if arg is None:
                continue
            self._add(inner, arg.arg, "parameter", arg)
            if arg.annotation is not None:
                outer.append(arg.annotation)
        if outer:
            work.append((scope, outer))
        if self._only_root and node is not self.tree:
            return
        work.append((inner, list(node.body) if isinstance(node.body, list) else [node.body]))

    def _class(self, node: ast.ClassDef, scope: Scope, work: _Work) -> None:
        self._add(scope, node.name, "class", node)
        self._classes.append(node)
        outer: list[ast.AST] = [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]
        if outer:
            work.append((scope, outer))
        inner = self._open(node, scope)
        if self._only_root and node is not self.tree:
            return
        work.append((inner, list(node.body)))

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp, scope: Scope, work: _Work
    ) -> None:
        inner = self._open(node, scope)
        # The first iterable is evaluated in the enclosing scope, before the comprehension runs.
        work.append((scope, [node.generators[0].iter]))
        own: list[ast.AST] = []
        for i, generator in enumerate(node.generators):
            if i:
                own.append(generator.iter)
            self._targets(inner, generator.target, "comprehension", generator, None)
            own.extend(generator.ifs)
            # The target's own sub-expressions (subscripts, attributes) still need their reads walked.
            own.append(generator.target)
        own.extend([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt])
        work.append((inner, own))


_Binder = Callable[[SemanticModel, Any, Scope], None]
_BINDERS: dict[type, _Binder] = {
    ast.Assign: SemanticModel._assign, ast.AugAssign: SemanticModel._augassign,
    ast.AnnAssign: SemanticModel._annassign, ast.For: SemanticModel._for, ast.AsyncFor: SemanticModel._for,
    ast.With: SemanticModel._with, ast.AsyncWith: SemanticModel._with,
    ast.ExceptHandler: SemanticModel._except, ast.NamedExpr: SemanticModel._walrus,
    ast.Delete: SemanticModel._delete, ast.Import: SemanticModel._import, ast.ImportFrom: SemanticModel._import,
    ast.Global: SemanticModel._global, ast.Nonlocal: SemanticModel._nonlocal,
}
for _name, _binder in (("MatchAs", SemanticModel._match_name), ("MatchStar", SemanticModel._match_name),
                       ("MatchMapping", SemanticModel._match_rest)):
    if hasattr(ast, _name):
        _BINDERS[getattr(ast, _name)] = _binder

_Opener = Callable[[SemanticModel, Any, Scope, _Work], None]
_SCOPE_OPENERS: dict[type, _Opener] = {
    ast.FunctionDef: SemanticModel._function, ast.AsyncFunctionDef: SemanticModel._function,
    ast.Lambda: SemanticModel._function, ast.ClassDef: SemanticModel._class,
    **{kind: SemanticModel._comprehension for kind in _COMPREHENSIONS},
}

# Nodes that bind nothing and hold nothing that binds: never worth a work item.
_NOT_PUSHED = frozenset({
    ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.Pass, ast.Break, ast.Continue,
    *(type(op) for op in (ast.Add(), ast.Sub(), ast.Mult(), ast.Div(), ast.Mod(), ast.And(), ast.Or(),
                          ast.Not(), ast.Eq(), ast.NotEq(), ast.Is(), ast.IsNot(), ast.In(), ast.NotIn(),
                          ast.Lt(), ast.LtE(), ast.Gt(), ast.GtE(), ast.USub(), ast.UAdd())),
})
# Fields that hold identifiers, numbers, operators or contexts, never a node that binds or calls.
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment", "conversion",
     "is_async", "simple", "asname", "op", "ops", "names", "lineno", "tag", "rest"}
)
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _child_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in getattr(kind, "_fields", ()) if f not in _LEAF_FIELDS)
    return fields


# What a node is to the walk.
_WALK, _LEAF, _OPENS, _BINDS, _CALL = "walk", "leaf", "opens", "binds", "call"
_Entry = tuple[str, Any, Union[Callable[[Any], Any], None]]
# Per class, learnt on first sight: its role, its handler (opener or binder) and the getter of its
# child fields (the value itself for one field, a tuple for several, None for none).
_TABLE: dict[type, _Entry] = {}


def _learn(kind: type) -> _Entry:
    entry: _Entry
    if kind in _NOT_PUSHED or not issubclass(kind, ast.AST):
        entry = (_LEAF, None, None)
    elif kind in _SCOPE_OPENERS:
        entry = (_OPENS, _SCOPE_OPENERS[kind], None)
    else:
        fields = _child_fields(kind)
        getter = attrgetter(*fields) if fields else None
        if kind in _BINDERS:
            entry = (_BINDS, _BINDERS[kind], getter)
        elif kind is ast.Call:
            entry = (_CALL, None, getter)
        else:
            entry = (_WALK, None, getter)
    _TABLE[kind] = entry
    return entry


def _parent_map(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    """Every node's parent (the node whose field holds it); contexts and operators are left out."""
    parents: dict[ast.AST, ast.AST] = {}
    stack = [tree]
    pop, push = stack.pop, stack.append
    node_type = ast.AST
    fields_of = _PARENT_FIELDS
    leaves = _LEAVES
    while stack:
        node = pop()
        kind = node.__class__
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(f for f in kind._fields if f not in ("ctx", "op", "ops"))
        for field in fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type):
                        parents[item] = node
                        if item.__class__ not in leaves:
                            push(item)
            elif isinstance(value, node_type):
                parents[value] = node
                if value.__class__ not in leaves:
                    push(value)
    return parents


# Contexts and operators are shared instances (one `Load()` for the whole process): they have no parent.
_PARENT_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal})
