"""One walk of the module, recording the nodes the rule families start from.

Every family reads this index instead of walking the tree again; the expensive analyses (control
flow, taint) are then built only for the few functions the index points at.
"""
from __future__ import annotations

import ast
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import AbstractSet, Any, Callable, Union

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
CallSite = tuple[ast.Call, Union[FunctionNode, None]]


class Index:
    """Functions, calls (with the function that contains each) and imports of one module."""

    def __init__(self, tree: ast.AST) -> None:
        self.calls: list[CallSite] = []
        self.imports: list[ast.Import | ast.ImportFrom] = []
        self.classes: list[ast.ClassDef] = []
        # Statements that rules start from, with the function that contains each (None at module or
        # class level), so that a family can tell in one look whether a file has anything for it: in
        # the walk's order, each bucket put in source order when `of_type` first asks for it (most
        # files are never asked for most kinds).
        self._buckets: dict[type, list[tuple[ast.AST, FunctionNode | None]]] = {k: [] for k in _BUCKETED}
        self._ordered: set[type] = set()
        # The function each function is nested in (None at module or class level of the module).
        self.enclosing: dict[FunctionNode, FunctionNode | None] = {}
        # How many nodes the walk visited (names and constants, never visited, are not counted): the
        # size the per-file guard reads.
        self.size = 0
        self._by_attr: dict[str, list[CallSite]] | None = None
        self._by_name: dict[str, list[CallSite]] | None = None
        # Where in `calls` each callee name is called, as an attribute (`a.x()`) or as a plain name.
        self._attr_calls: dict[str, list[int]] = {}
        self._name_calls: dict[str, list[int]] = {}
        # The walk's finds, in its order; the properties below give them in source order, sorted on
        # first use (half the files never ask for the functions, most for the decorated ones).
        self._functions: list[FunctionNode] = []
        self._defaulted: list[FunctionNode] = []
        self._decorated: list[FunctionNode] = []
        self._test_named: list[FunctionNode] = []
        self._walk(tree)

    @cached_property
    def functions(self) -> list[FunctionNode]:
        """Every function and lambda, in source order."""
        return _in_order(self._functions)

    @cached_property
    def defaulted(self) -> list[FunctionNode]:
        """The functions with a default that may be a mutable object (a list, dict or set display or
        comprehension, or a call), in source order: what the defaults family starts from."""
        return _in_order(self._defaulted)

    @cached_property
    def decorated(self) -> list[FunctionNode]:
        """The `def`s with a decorator, in source order."""
        return _in_order(self._decorated)

    @cached_property
    def test_named(self) -> list[FunctionNode]:
        """The `def`s named test_* (where test code starts), in source order."""
        return _in_order(self._test_named)

    def calls_named(self, names: AbstractSet[str]) -> list[CallSite]:
        """The calls whose callee's last name (`x` of `a.x(...)`, `f` of `f(...)`) is in `names`: a
        sub-sequence of `calls`, in its order (ties included)."""
        lists: list[list[int]] = []
        for named in (self._attr_calls, self._name_calls):
            # Whichever side is smaller is the one looked through.
            if len(names) <= len(named):
                lists.extend(named[name] for name in names if name in named)
            else:
                lists.extend(found for name, found in named.items() if name in names)
        if not lists:
            return []
        calls = self.calls
        return [calls[i] for i in (lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists)))]

    def calls_by_attr(self) -> dict[str, list[CallSite]]:
        """The calls of a method or attribute (`a.x(...)`), by the attribute's name, each list in source
        order: a family that looks for a few names asks for those instead of reading every call."""
        if self._by_attr is None:
            calls = self.calls
            self._by_attr = {name: [calls[i] for i in found] for name, found in self._attr_calls.items()}
        return self._by_attr

    def calls_by_name(self) -> dict[str, list[CallSite]]:
        """The calls of a plain name (`f(...)`), by the name, each list in source order."""
        if self._by_name is None:
            calls = self.calls
            self._by_name = {name: [calls[i] for i in found] for name, found in self._name_calls.items()}
        return self._by_name

    def _walk(self, tree: ast.AST) -> None:
        # The walk is most of what a clean file costs, and most of that is reading nodes the cache has
        # not seen yet: children come from one C call per node (an attrgetter of the fields that can
        # hold nodes), names and constants are never pushed from a single field (from a list they are,
        # and dropped when popped: cheaper than testing each item), one dictionary look-up says what a
        # node is to the index, each function body is a work item of its own (no node carries its
        # scope around). Positions are read only when a list is put in source order (`_order`).
        calls, functions, enclosing = self.calls, self._functions, self.enclosing
        imports, classes = self.imports, self.classes
        buckets = self._buckets
        # The callee's name of each call (`x` of `a.x()`, `f` of `f()`, None otherwise), taken while
        # the walk holds the call, and whether it is an attribute; parallel to calls.
        call_names: list[str | None] = []
        call_is_attr: list[bool] = []
        defaulted, decorated, test_named = self._defaulted, self._decorated, self._test_named
        mutable = _MUTABLE_DEFAULTS
        table = _TABLE
        learn = _learn
        skipped = _SKIPPED
        lambda_, pass_, attribute, name_ = ast.Lambda, ast.Pass, ast.Attribute, ast.Name
        work: list[tuple[FunctionNode | None, list[Any]]] = [(None, [tree])]
        # Popped like every node, but a name or constant as the root is counted, as the walk always has.
        size = 1 if tree.__class__ in _LEAVES else 0
        while work:
            scope, stack = work.pop()
            pop, push, extend = stack.pop, stack.append, stack.extend
            while stack:
                node = pop()
                kind = node.__class__
                try:
                    role, get = table[kind]
                except KeyError:
                    role, get = learn(kind)
                if role is _SKIP:
                    continue
                size += 1
                if role is not _PLAIN:
                    if role is _CALL:
                        calls.append((node, scope))
                        try:
                            func, arguments, keywords = get(node)  # type: ignore[misc]
                        except AttributeError:
                            func, arguments, keywords = node.func, getattr(node, "args", []), getattr(node, "keywords", [])
                        called = func.__class__
                        # The called name while the node is at hand; `a.x` itself holds nothing to visit.
                        if called is attribute:
                            call_names.append(func.attr)
                            call_is_attr.append(True)
                            if func.value.__class__ is name_:
                                size += 1
                            else:
                                push(func)
                        else:
                            call_names.append(func.id if called is name_ else None)
                            call_is_attr.append(False)
                            if called not in skipped:
                                push(func)
                        extend(arguments)
                        extend(keywords)
                        continue
                    if role is _FUNCTION:
                        functions.append(node)
                        enclosing[node] = scope
                        # Decorators and defaults run in the enclosing scope; the body in the function's.
                        args = node.args
                        if args.defaults or args.kw_defaults:
                            for default in chain(args.defaults, args.kw_defaults):
                                if default.__class__ in mutable:
                                    defaulted.append(node)
                                    break
                        if kind is lambda_:
                            extend(args.defaults)
                            extend(args.kw_defaults)
                            body = node.body
                            if body.__class__ in skipped:
                                size += 1  # a function's own statements are counted, whatever they are
                            work.append((node, [body]))
                        else:
                            decorators = getattr(node, "decorator_list", None)
                            if decorators:
                                decorated.append(node)
                                extend(decorators)
                            if node.name.startswith("test_"):
                                test_named.append(node)
                            extend(args.defaults)
                            extend(args.kw_defaults)
                            body = list(node.body)
                            size += list(map(type, body)).count(pass_)
                            work.append((node, body))
                        continue
                    if role is _IMPORT:
                        imports.append(node)
                        continue
                    if role is _CLASS:
                        classes.append(node)
                    else:
                        buckets[kind].append((node, scope))
                if get is None:
                    continue
                try:
                    values = get(node)
                except AttributeError:  # a node built by hand, without some field
                    values = tuple(getattr(node, field, None) for field in child_fields(kind))
                if values.__class__ is tuple:
                    for value in values:
                        if value.__class__ is list:
                            extend(value)
                        elif value.__class__ not in skipped:
                            push(value)
                elif values.__class__ is list:
                    extend(values)
                elif values.__class__ not in skipped:
                    push(values)
        self.size = size
        # The stacks visit children last-first; sources read more naturally in order. Every family
        # reads the calls, so those are put in order now.
        if len(calls) > 1:
            order = _order([call for call, _ in calls])
            self.calls = list(map(calls.__getitem__, order))
            call_names = list(map(call_names.__getitem__, order))
            call_is_attr = list(map(call_is_attr.__getitem__, order))
        attr_calls, name_calls = self._attr_calls, self._name_calls
        for i, called in enumerate(call_names):
            if called is not None:
                named = attr_calls if call_is_attr[i] else name_calls
                found = named.get(called)
                if found is None:
                    named[called] = [i]
                else:
                    found.append(i)

    def outer_functions(self, func: FunctionNode) -> list[FunctionNode]:
        """The functions `func` is nested in, innermost first, by Python's scoping: a lambda among a
        function's defaults or decorators is not inside that function, one in its body is."""
        chain: list[FunctionNode] = []
        outer = self.enclosing.get(func)
        while outer is not None:
            chain.append(outer)
            outer = self.enclosing.get(outer)
        return chain

    def of_type(self, *kinds: type) -> list[tuple[ast.AST, FunctionNode | None]]:
        """The statements of these kinds (from `_BUCKETED`), each with its function, in source order."""
        if len(kinds) == 1:
            return self._bucket(kinds[0])
        return sorted((pair for kind in kinds for pair in self._bucket(kind)), key=lambda p: _position(p[0]))

    def _bucket(self, kind: type) -> list[tuple[ast.AST, FunctionNode | None]]:
        bucket = self._buckets.get(kind)
        if bucket is None:
            return []
        if kind not in self._ordered:
            self._ordered.add(kind)
            if len(bucket) > 1:
                bucket = self._buckets[kind] = [bucket[i] for i in _order([node for node, _ in bucket])]
        return bucket


def _in_order(nodes: list[FunctionNode]) -> list[FunctionNode]:
    return nodes if len(nodes) < 2 else list(map(nodes.__getitem__, _order(nodes)))


def _order(nodes: list[Any]) -> list[int]:
    """The indices of `nodes` by position, equal positions (a call and the call it calls) in the walk's
    order (a stable sort)."""
    try:
        keys = list(map(_START, nodes))
    except AttributeError:  # a node built by hand, without a position
        keys = list(map(_position, nodes))
    return sorted(range(len(nodes)), key=keys.__getitem__)


_BUCKETED: tuple[type, ...] = tuple(
    kind
    for kind in (
        ast.Try, getattr(ast, "TryStar", None), ast.ExceptHandler, ast.For, ast.AsyncFor, ast.While,
        ast.With, ast.AsyncWith, ast.Return, ast.Break, ast.Continue, ast.Delete, ast.Global, ast.Nonlocal,
    )
    if kind is not None
)
# What a node is to the index (most are plain: walked through, not recorded; leaves are dropped).
_SKIP, _PLAIN, _CALL, _FUNCTION, _IMPORT, _CLASS, _STATEMENT = (
    "skip", "plain", "call", "function", "import", "class", "statement")
_ROLES: dict[type, str] = {
    ast.Call: _CALL, ast.FunctionDef: _FUNCTION, ast.AsyncFunctionDef: _FUNCTION, ast.Lambda: _FUNCTION,
    ast.Import: _IMPORT, ast.ImportFrom: _IMPORT, ast.ClassDef: _CLASS,
    **{kind: _STATEMENT for kind in _BUCKETED},
}
# Nodes with no child worth visiting and nothing the index records: neither visited nor counted.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Load, ast.Store, ast.Del})
# ... nor is a missing optional child (None).
_SKIPPED = _LEAVES | {type(None)}
# Fields that hold identifiers, numbers, operators or contexts, never a node worth visiting.
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment", "conversion",
     "is_async", "simple", "asname", "op", "ops", "names", "lineno", "tag"}
)
# The defaults that may evaluate to a mutable object (None entries of kw_defaults are not).
_MUTABLE_DEFAULTS = frozenset({ast.List, ast.ListComp, ast.Dict, ast.DictComp, ast.Set, ast.SetComp, ast.Call})
_NO_CHILDREN = frozenset({ast.Break, ast.Continue, ast.Global, ast.Nonlocal})
_START = attrgetter("lineno", "col_offset")
# Per class, learnt on first sight: its role and the getter of its child fields (the value itself
# for one field, a tuple for several, None for none).
_TABLE: dict[type, tuple[str, Callable[[Any], Any] | None]] = {}


def child_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node class that can hold a node worth visiting (not names, operators or contexts)."""
    if kind in _NO_CHILDREN:
        return ()
    return tuple(f for f in getattr(kind, "_fields", ()) if f not in _LEAF_FIELDS)


def _learn(kind: type) -> tuple[str, Callable[[Any], Any] | None]:
    # Anything else a field may hold (a string in a match pattern, True in MatchSingleton) is no node.
    if kind in _SKIPPED or not issubclass(kind, ast.AST):
        entry: tuple[str, Callable[[Any], Any] | None] = (_SKIP, None)
    else:
        fields = child_fields(kind)
        entry = (_ROLES.get(kind, _PLAIN), attrgetter(*fields) if fields else None)
    _TABLE[kind] = entry
    return entry


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
