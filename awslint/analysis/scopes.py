"""The code blocks of a module that run as one sequence of statements: the module, each class body and
each function, with the control-flow graph of each built on request.

`cfg.build_cfg` takes a function; a module or class body is handed to it wrapped in a function node
that holds those statements, so one graph builder serves every block.
"""
from __future__ import annotations

import ast
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Callable, Collection, Iterable, Iterator, Union

from awslint.analysis.cfg import Cfg, build_cfg
from awslint.analysis.graphs import Graphs
from awslint.analysis.index import FunctionNode, Index
from awslint.analysis.nodes import children

ScopeNode = Union[ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef]
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class Scope:
    """One block of statements and the graph over them."""

    node: ScopeNode
    parent: Scope | None = None
    _cfg: list[Cfg | None] = field(default_factory=list)
    # the file's graphs, shared with the other families (a block listed on its own builds its own)
    graphs: Graphs | None = None
    _own: list[list[ast.AST]] = field(default_factory=list)

    @property
    def body(self) -> list[ast.stmt]:
        return self.node.body

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef))

    @property
    def cfg(self) -> Cfg | None:
        if not self._cfg:
            node = self.node
            if self.graphs is not None and not isinstance(node, ast.ClassDef):
                self._cfg.append(self.graphs.graph(node))
            else:
                self._cfg.append(build_cfg(self._as_function()))
        return self._cfg[0]

    def _as_function(self) -> ast.FunctionDef | ast.AsyncFunctionDef:
        if isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return self.node
        wrapper = ast.FunctionDef(
            name="<block>", args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=self.node.body, decorator_list=[], returns=None, type_comment=None,
        )
        wrapper.lineno = getattr(self.node, "lineno", 1)
        wrapper.col_offset = 0
        last = self.node.body[-1] if self.node.body else None
        wrapper.end_lineno = getattr(last, "end_lineno", wrapper.lineno)
        return wrapper

    def own_nodes(self) -> list[ast.AST]:
        """Every node of this block, not those of nested functions and classes (their decorators,
        defaults and bases run here, but are rarely where a rule looks); walked once, then kept, since
        every rule of the family asks."""
        if not self._own:
            self._own.append(list(own_nodes(self.body)))
        return self._own[0]

    def function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        return self.node if isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None

    def enclosing_class(self) -> ast.ClassDef | None:
        parent = self.parent
        return parent.node if parent is not None and isinstance(parent.node, ast.ClassDef) else None


def own_nodes(stmts: list[ast.stmt] | list[ast.AST]) -> Iterator[ast.AST]:
    """The nodes under `stmts` in source order, without entering nested functions, classes or lambdas."""
    # ast.iter_child_nodes' order (fields in order, list items in order), pushed last-first. The
    # children of a node come from one C call (an attrgetter of its fields, last first); a list is
    # pushed whole, and what is no node (a missing child, a string in a match pattern) dropped when
    # popped, which is cheaper than testing each item.
    stack: list[Any] = list(reversed(stmts))
    pop, push, extend = stack.pop, stack.append, stack.extend
    table = _GETTERS
    learn = _learn_getter
    rev = reversed
    while stack:
        node = pop()
        kind = node.__class__
        try:
            get = table[kind]
        except KeyError:
            get = learn(kind)
        if get is None:
            continue
        yield node
        if get is _NO_CHILDREN:
            continue
        try:
            values = get(node)
        except AttributeError:  # a node built by hand, without some field
            values = tuple(getattr(node, name, None) for name in _fields(kind)[::-1])
        if values.__class__ is tuple:
            for value in values:
                if value.__class__ is list:
                    extend(rev(value))
                elif value is not None:
                    push(value)
        elif values.__class__ is list:
            extend(rev(values))
        elif values is not None:
            push(values)


# Fields that hold identifiers, numbers, operators or contexts, never a node worth visiting.
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment", "conversion",
     "is_async", "simple", "asname", "names", "lineno", "tag", "op", "ops"}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _no_children(node: Any) -> None:
    return None


_NO_CHILDREN: Callable[[Any], Any] = _no_children
# Per class: the getter of its child fields, last first (the value itself for one field, a tuple for
# several); _NO_CHILDREN for a node with none or one not entered (a nested function or class), None
# for what is no node at all.
_GETTERS: dict[type, Callable[[Any], Any] | None] = {}


def _fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in getattr(kind, "_fields", ()) if f not in _LEAF_FIELDS)
    return fields


def _learn_getter(kind: type) -> Callable[[Any], Any] | None:
    getter: Callable[[Any], Any] | None
    if not issubclass(kind, ast.AST):
        getter = None
    elif kind in _NESTED or not _fields(kind):
        getter = _NO_CHILDREN
    else:
        getter = attrgetter(*_fields(kind)[::-1])
    _GETTERS[kind] = getter
    return getter


def loop_level(stmts: Iterable[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes under `stmts` that belong to the loop around them, not to a loop that starts there (a
    `break` there leaves that inner loop) nor to a nested function or class."""
    stack: list[ast.AST] = list(stmts)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(children(node))


def scopes(tree: ast.AST) -> list[Scope]:
    """The module, every class body and every function, outermost first."""
    if not isinstance(tree, ast.Module):
        return []
    out: list[Scope] = []
    work: list[Scope] = [Scope(tree)]
    while work:
        scope = work.pop(0)
        out.append(scope)
        for node in scope.own_nodes():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                work.append(Scope(node, scope))
    return out


class Blocks:
    """The block around a node, found from the shared index without walking the module.

    `scopes()` walks every node of a module to list its blocks; a rule that starts from a few nodes
    the index already holds (handlers, loops) asks for the block of each instead, and only those
    blocks are built (each once, with its parent chain, so `enclosing_class()` answers as it would).
    """

    def __init__(self, tree: ast.Module, index: Index, graphs: Graphs | None = None) -> None:
        self.tree = tree
        self.index = index
        self.graphs = graphs
        self._blocks: dict[int, Scope] = {}
        # Classes by position: the innermost one around a node is the last that starts before it.
        self._classes = sorted(index.classes, key=_start)
        self._class_starts = [_start(cls) for cls in self._classes]
        # Classes nest or are apart: each one's innermost enclosing class (an index, -1 for none), from one
        # sweep with a stack, so a node's class is found by climbing from the last class before it.
        self._function_starts: list[tuple[int, int]] | None = None
        self._class_parent: list[int] = []
        stack: list[int] = []
        for i, cls in enumerate(self._classes):
            while stack and not _contains(self._classes[stack[-1]], cls):
                stack.pop()
            self._class_parent.append(stack[-1] if stack else -1)
            stack.append(i)

    def of(self, node: ast.AST, function: ast.AST | None) -> Scope:
        """The block whose own statements hold `node`, given the function the index says holds it."""
        cls = self._innermost_class(node, function)
        if cls is not None:
            return self.block(cls)
        return self.block(function if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else self.tree)

    def block(self, node: ScopeNode) -> Scope:
        found = self._blocks.get(id(node))
        if found is None:
            found = self._blocks[id(node)] = Scope(node, self._parent(node), graphs=self.graphs)
        return found

    def _parent(self, node: ScopeNode) -> Scope | None:
        if isinstance(node, ast.Module):
            return None
        if isinstance(node, ast.ClassDef):
            function = self._function_around(node)
        else:
            function = self.index.enclosing.get(node)
        return self.of(node, function)

    def _innermost_class(self, node: ast.AST, function: ast.AST | None) -> ast.ClassDef | None:
        """The innermost class around `node` inside `function` (a class around the function holds
        the function, not the node's statements directly)."""
        at = _start(node)
        floor = _start(function) if function is not None else (0, -1)
        # sorted by start: the last one before the node that holds it is the innermost (a later one
        # around the node is nested in an earlier one), so look back from the node, down to the floor
        i = bisect_left(self._class_starts, at) - 1
        while i >= 0 and self._class_starts[i] > floor:
            cls = self._classes[i]
            if cls is not node and _contains(cls, node):
                return cls
            # not around the node: neither is anything nested in it, so climb to the class around it
            i = self._class_parent[i]
        return None

    def _function_around(self, cls: ast.ClassDef) -> ast.AST | None:
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt in self.index.enclosing:
                return self.index.enclosing[stmt]  # a method's function is the class's (classes open none)
        # The last function starting before the class, then out through the functions around it, as for
        # classes above: the first that holds the class is the innermost.
        if self._function_starts is None:
            self._function_starts = [_start(f) for f in self.index.functions]
        i = bisect_left(self._function_starts, _start(cls)) - 1
        function: FunctionNode | None = self.index.functions[i] if i >= 0 else None
        while function is not None:
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and _contains(function, cls):
                return function
            function = self.index.enclosing.get(function)
        return None


def _start(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _contains(outer: ast.AST, node: ast.AST) -> bool:
    end = (getattr(outer, "end_lineno", None) or 0, getattr(outer, "end_col_offset", None) or 0)
    return _start(outer) <= _start(node) and (
        getattr(node, "end_lineno", None) or 0, getattr(node, "end_col_offset", None) or 0) <= end


def statements(tree: ast.AST) -> Iterator[ast.stmt]:
    """Every statement of the module, nested ones too, without visiting a single expression."""
    return _statements([tree], frozenset())


# The fields that hold statements (or handlers and match cases, which hold statements in turn), in
# the order their blocks are pushed.
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
# Per class: whether it is a statement, and the getter of its block fields (the value itself for one,
# a tuple for several, None for none).
_BLOCKS: dict[type, tuple[bool, Callable[[Any], Any] | None]] = {}


def _learn_blocks(kind: type) -> tuple[bool, Callable[[Any], Any] | None]:
    fields = getattr(kind, "_fields", ())
    names = [name for name in _BLOCK_FIELDS if name in fields]
    entry = _BLOCKS[kind] = (issubclass(kind, ast.stmt), attrgetter(*names) if names else None)
    return entry


def own_statements(stmts: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements under `stmts`, nested ones too, without entering nested functions and classes
    (their own statement is yielded) and without visiting a single expression."""
    return _statements(list(reversed(stmts)), _NESTED)


def _statements(stack: list[Any], closed: Collection[type]) -> Iterator[ast.stmt]:
    # `stack` holds what is left to visit, last first; a statement of a class in `closed` is yielded
    # but not entered.
    pop, extend = stack.pop, stack.extend
    table = _BLOCKS
    rev = reversed
    while stack:
        node = pop()
        kind = node.__class__
        try:
            is_statement, get = table[kind]
        except KeyError:
            is_statement, get = _learn_blocks(kind)
        if is_statement:
            yield node
            if kind in closed:
                continue
        if get is not None:
            try:
                values = get(node)
            except AttributeError:  # a node built by hand, without some field
                values = tuple(getattr(node, name, None) for name in _BLOCK_FIELDS)
            if values.__class__ is list:
                extend(rev(values))
            elif values.__class__ is tuple:
                for value in values:
                    if value.__class__ is list:
                        extend(rev(value))


def inside(stmts: list[ast.stmt]) -> set[int]:
    """The ids of every node under `stmts` (a graph node whose statement is one of them is in the block)."""
    found: set[int] = set()
    for stmt in stmts:
        found.update(id(n) for n in ast.walk(stmt))
    return found
