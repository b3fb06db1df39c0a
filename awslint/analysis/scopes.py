"""The code blocks of a module that run as one sequence of statements: the module, each class body and
each function, with the control-flow graph of each built on request.

`cfg.build_cfg` takes a function; a module or class body is handed to it wrapped in a function node
that holds those statements, so one graph builder serves every block.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator, Union

from awslint.analysis.cfg import Cfg, build_cfg

ScopeNode = Union[ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef]
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class Scope:
    """One block of statements and the graph over them."""

    node: ScopeNode
    parent: Scope | None = None
    _cfg: list[Cfg | None] = field(default_factory=list)
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
    stack: list[ast.AST] = list(reversed(stmts))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _NESTED):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


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


def inside(stmts: list[ast.stmt]) -> set[int]:
    """The ids of every node under `stmts` (a graph node whose statement is one of them is in the block)."""
    found: set[int] = set()
    for stmt in stmts:
        found.update(id(n) for n in ast.walk(stmt))
    return found


def dotted(expr: ast.AST) -> str | None:
    """`self.items` for an attribute chain on a name, the name for a name, else None."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))
