"""One walk of the module, recording the nodes the rule families start from.

Every family reads this index instead of walking the tree again; the expensive analyses (control
flow, taint) are then built only for the few functions the index points at.
"""
from __future__ import annotations

import ast
from typing import Union

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class Index:
    """Functions, calls (with the function that contains each) and imports of one module."""

    def __init__(self, tree: ast.AST) -> None:
        self.functions: list[FunctionNode] = []
        self.calls: list[tuple[ast.Call, FunctionNode | None]] = []
        self.imports: list[ast.Import | ast.ImportFrom] = []
        self.classes: list[ast.ClassDef] = []
        # Statements that rules start from, with the function that contains each (None at module or
        # class level), so that a family can tell in one look whether a file has anything for it.
        self.statements: dict[type, list[tuple[ast.AST, FunctionNode | None]]] = {k: [] for k in _BUCKETED}
        # The function each function is nested in (None at module or class level of the module).
        self.enclosing: dict[FunctionNode, FunctionNode | None] = {}
        # How many nodes the walk visited (names and constants, never visited, are not counted): the
        # size the per-file guard reads.
        self.size = 0
        self._walk(tree)

    def _walk(self, tree: ast.AST) -> None:
        # The walk is most of what a clean file costs, so it avoids ast.walk's generators: fields that
        # never hold a node (names, operators, load/store contexts) are skipped per class, leaves
        # (names, constants) are never pushed, one dictionary look-up says what a node is to the index,
        # and each function body is a work item of its own, so no node carries its scope around.
        calls, functions, enclosing = self.calls, self.functions, self.enclosing
        imports, classes = self.imports, self.classes
        buckets = self.statements
        roles = _ROLES
        fields_of = _CHILD_FIELDS
        leaves = _LEAVES
        node_type = ast.AST
        work: list[tuple[FunctionNode | None, list[ast.AST]]] = [(None, [tree])]
        size = 0
        while work:
            scope, stack = work.pop()
            pop, push = stack.pop, stack.append
            while stack:
                node = pop()
                size += 1
                kind = node.__class__
                role = roles.get(kind)
                if role is not None:
                    if role is _CALL:
                        calls.append((node, scope))  # type: ignore[arg-type]
                    elif role is _FUNCTION:
                        functions.append(node)  # type: ignore[arg-type]
                        enclosing[node] = scope  # type: ignore[index]
                        # Decorators and defaults run in the enclosing scope; the body in the function's.
                        outer = [*getattr(node, "decorator_list", ()), *node.args.defaults, *node.args.kw_defaults]  # type: ignore[attr-defined]
                        stack.extend(n for n in outer if n is not None and n.__class__ not in leaves)
                        body = node.body  # type: ignore[attr-defined]
                        work.append((node, list(body) if kind is not ast.Lambda else [body]))  # type: ignore[arg-type]
                        continue
                    elif role is _IMPORT:
                        imports.append(node)  # type: ignore[arg-type]
                        continue
                    elif role is _CLASS:
                        classes.append(node)  # type: ignore[arg-type]
                    else:
                        buckets[kind].append((node, scope))
                fields = fields_of.get(kind)
                if fields is None:
                    fields = fields_of[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
                for field in fields:
                    value = getattr(node, field, None)
                    if value.__class__ is list:
                        for item in value:
                            if item.__class__ not in leaves and isinstance(item, node_type):
                                push(item)
                    elif value.__class__ not in leaves and isinstance(value, node_type):
                        push(value)
        self.size = size
        # The stacks visit children last-first; sources read more naturally in order.
        functions.sort(key=_position)
        calls.sort(key=lambda pair: _position(pair[0]))
        for bucket in buckets.values():
            bucket.sort(key=lambda pair: _position(pair[0]))

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
            return self.statements.get(kinds[0], [])
        return sorted(
            (pair for kind in kinds for pair in self.statements.get(kind, [])), key=lambda p: _position(p[0])
        )


_BUCKETED: tuple[type, ...] = tuple(
    kind
    for kind in (
        ast.Try, getattr(ast, "TryStar", None), ast.ExceptHandler, ast.For, ast.AsyncFor, ast.While,
        ast.With, ast.AsyncWith, ast.Return, ast.Break, ast.Continue, ast.Delete, ast.Global, ast.Nonlocal,
    )
    if kind is not None
)
# What a node is to the index (None for most nodes: walked through, not recorded).
_CALL, _FUNCTION, _IMPORT, _CLASS, _STATEMENT = "call", "function", "import", "class", "statement"
_ROLES: dict[type, str] = {
    ast.Call: _CALL, ast.FunctionDef: _FUNCTION, ast.AsyncFunctionDef: _FUNCTION, ast.Lambda: _FUNCTION,
    ast.Import: _IMPORT, ast.ImportFrom: _IMPORT, ast.ClassDef: _CLASS,
    **{kind: _STATEMENT for kind in _BUCKETED},
}
# Nodes with no child worth visiting and nothing the index records.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Load, ast.Store, ast.Del})
# Fields that hold identifiers, numbers, operators or contexts, never a node worth visiting.
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "level", "kind", "type_comment", "conversion",
     "is_async", "simple", "asname", "op", "ops", "names", "lineno", "tag"}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Name: (), ast.Constant: (), ast.Load: (), ast.Store: (), ast.Del: (), ast.Pass: (),
    ast.Break: (), ast.Continue: (), ast.Global: (), ast.Nonlocal: (),
}


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
