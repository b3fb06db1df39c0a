"""Walks of a syntax tree in `ast.walk`'s and `ast.iter_child_nodes`' orders, without their generators.

`ast.walk` makes a generator per node (`iter_child_nodes`, and `iter_fields` inside it); on a large
module that is most of what a walk costs. These read each node's fields directly and keep the order,
so a caller that reports the first node it finds reports the same one.
"""
from __future__ import annotations

import ast
from typing import Iterator


def children(node: ast.AST) -> list[ast.AST]:
    """`list(ast.iter_child_nodes(node))`."""
    out: list[ast.AST] = []
    push, node_type = out.append, ast.AST
    for field in node._fields:
        value = getattr(node, field, None)
        if value.__class__ is list:
            for item in value:
                if isinstance(item, node_type):
                    push(item)
        elif isinstance(value, node_type):
            push(value)
    return out


def breadth_first(root: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk(root)`: `root`, then every node under it, breadth first."""
    order: list[ast.AST] = [root]
    push, node_type = order.append, ast.AST
    at = 0
    while at < len(order):
        node = order[at]
        at += 1
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type):
                        push(item)
            elif isinstance(value, node_type):
                push(value)


def top_statement(tree: ast.AST, node: ast.AST) -> ast.stmt | None:
    """The statement of the module's body that holds `node` (found by bisection on the lines)."""
    line = getattr(node, "lineno", None)
    body = tree.body if isinstance(tree, ast.Module) else []
    if line is None or not body:
        return None
    lo, hi = 0, len(body) - 1
    while lo < hi:  # the last statement starting at or before the node
        mid = (lo + hi + 1) // 2
        if body[mid].lineno <= line:
            lo = mid
        else:
            hi = mid - 1
    found = body[lo]
    return found if found.lineno <= line <= (found.end_lineno or found.lineno) else None
