"""Constant flags along one path of the control-flow graph, and the tests they decide.

A handler that notes what happened in a local name and acts on it later (`rc = None` … `if rc is
None: proc.kill()`, `timed_out = True` … `if timed_out:`) takes, on that path, only the branch the
flag decides; a search that followed the other branch too would find a path the program never takes.
Only names given a constant on the path itself are known; any other store forgets the name.
"""
from __future__ import annotations

import ast

from awslint.analysis.cfg import FALSE, TRUE, EdgeKind, Node

# (name, constant) pairs known on the path; a name appears at most once.
Flags = frozenset[tuple[str, object]]
NO_FLAGS: Flags = frozenset()

_UNKNOWN = object()


def after(node: Node, flags: Flags) -> Flags:
    """The flags once `node` has run: a constant assigned to a name is known, any other store of a
    name forgets it."""
    stmt = node.stmt
    if node.kind == "stmt" and isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
        names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        if len(names) == len(stmt.targets):
            kept = frozenset(f for f in flags if f[0] not in names)
            return kept | {(n, stmt.value.value) for n in names}
    if not flags:
        return flags
    stored = {n.id for part in node.parts for n in ast.walk(part) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    if not stored:
        return flags
    return frozenset(f for f in flags if f[0] not in stored)


def decided(node: Node, flags: Flags) -> EdgeKind | None:
    """The one branch (TRUE/FALSE) an `if`/`while` test takes under `flags`, or None when they do not
    decide it."""
    if not flags or node.kind not in ("if", "while") or not node.parts or not isinstance(node.parts[0], ast.expr):
        return None
    value = _truth(node.parts[0], dict(flags))
    if value is None:
        return None
    return TRUE if value else FALSE


def _truth(test: ast.expr, known: dict[str, object]) -> bool | None:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _truth(test.operand, known)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [_truth(v, known) for v in test.values]
        stop = isinstance(test.op, ast.Or)  # `or` stops at a true value, `and` at a false one
        if stop in values:
            return stop
        return None if None in values else not stop
    if isinstance(test, ast.Name):
        value = known.get(test.id, _UNKNOWN)
        return None if value is _UNKNOWN else bool(value)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name):
        value = known.get(test.left.id, _UNKNOWN)
        other = test.comparators[0]
        if value is _UNKNOWN or not isinstance(other, ast.Constant):
            return None
        op = test.ops[0]
        if isinstance(op, (ast.Is, ast.IsNot)) and other.value is None:
            return (value is None) == isinstance(op, ast.Is)
        if isinstance(op, (ast.Eq, ast.NotEq)):
            return (value == other.value) == isinstance(op, ast.Eq)
    return None
