"""The names a function binds itself, found from its statements alone.

`names.local_bindings` walks every expression of the function; the taint analysis asks for the
bindings of each function it interprets, and almost all of them come from statements (assignment
targets, loop and `with` targets, handlers, nested definitions). Expressions bind a function-local
name only through `:=`, so they are walked only when the function's source contains one.
"""
from __future__ import annotations

import ast
from typing import Sequence

from awslint.analysis.index import FunctionNode
from awslint.analysis.names import local_bindings, parameters

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _target_names(target: ast.AST, out: set[str]) -> None:
    stack = [target]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            out.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            stack.extend(node.elts)
        elif isinstance(node, ast.Starred):
            stack.append(node.value)


def function_bindings(func: FunctionNode, lines: Sequence[str]) -> frozenset[str]:
    """Parameters and names bound in `func`'s own scope (not in nested functions or classes)."""
    first, last = getattr(func, "lineno", 1), getattr(func, "end_lineno", None) or len(lines)
    if isinstance(func, ast.Lambda) or not lines or any(":=" in line for line in lines[first - 1:last]):
        return frozenset(local_bindings(func))
    out = {a.arg for a in parameters(func)}
    declared: set[str] = set()
    stack: list[ast.stmt] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Assign):
            for target in node.targets:
                _target_names(target, out)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            _target_names(node.target, out)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            _target_names(node.target, out)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    _target_names(item.optional_vars, out)
        elif isinstance(node, _DEFS):
            out.add(node.name)
            continue
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                _target_names(target, out)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                for sub in ast.walk(case.pattern):
                    for name in (getattr(sub, "name", None), getattr(sub, "rest", None)):
                        if isinstance(name, str):
                            out.add(name)
        for handler in getattr(node, "handlers", ()):
            if handler.name:
                out.add(handler.name)
            stack.extend(handler.body)
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                stack.extend(s for s in block if isinstance(s, ast.stmt))
        for case in getattr(node, "cases", ()):
            stack.extend(case.body)
    return frozenset(out - declared)
