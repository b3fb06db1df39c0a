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
        # The function each function is nested in (None at module or class level of the module).
        self.enclosing: dict[FunctionNode, FunctionNode | None] = {}
        self._walk(tree)

    def _walk(self, tree: ast.AST) -> None:
        # An explicit stack: deeply nested code must not hit the interpreter's recursion limit.
        call, func_types, imp, cls = ast.Call, _FUNCTIONS, (ast.Import, ast.ImportFrom), ast.ClassDef
        children = ast.iter_child_nodes
        calls, functions = self.calls, self.functions
        stack: list[tuple[ast.AST, FunctionNode | None]] = [(tree, None)]
        pop, extend = stack.pop, stack.extend
        while stack:
            node, scope = pop()
            if isinstance(node, call):
                calls.append((node, scope))
            elif isinstance(node, func_types):
                functions.append(node)
                self.enclosing[node] = scope
                scope = node
            elif isinstance(node, imp):
                self.imports.append(node)
            elif isinstance(node, cls):
                self.classes.append(node)
            extend([(child, scope) for child in children(node)])
        # The stack visits children last-first; sources read more naturally in order.
        self.functions.sort(key=_position)
        self.calls.sort(key=lambda pair: _position(pair[0]))


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
