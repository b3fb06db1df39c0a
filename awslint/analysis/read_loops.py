"""Whether a `while` loop that reads a stream in parts (`line = proc.stdout.readline()`) reads it to the end.

A loop like that drains the stream when it stops only once a read comes back empty (`if not line:
break`, `while line := ...`) or once the child has ended (`proc.poll() is not None`: a child that has
exited blocks on no pipe). It stops early when one of its exits is taken on what the line says rather
than on its being empty (`if not line or "ready" in line: break`), the `while` counterpart of a `for
line in proc.stdout:` that breaks at the first match. An exit on anything else (a flag, a count, a
clock) says nothing about the stream: the loop is then taken to drain it, as any other loop is, so the
rule stays silent where it cannot tell.
"""
from __future__ import annotations

import ast
from enum import IntEnum
from typing import Iterator

from awslint.data.processes import STATE_READS

# A condition as a list of (test, holds) pairs that must all hold: `holds` False means `not test`.
Condition = list[tuple[ast.expr, bool]]


class Exit(IntEnum):
    """What a loop's exit condition says about the stream, from the weakest claim to the strongest."""

    OTHER = 0  # says nothing about the line read (a flag, a count)
    END = 1  # holds only once the read came back empty, or the child has ended
    LINE = 2  # may hold while the line read is not empty: the loop stops before the stream ends


def stops_early(loop: ast.While, read: ast.Call) -> bool:
    """Whether some exit of `loop`, in which `read` reads a part of a stream, may be taken before the
    stream ends."""
    held = _read_names(loop, read)
    exits: list[Condition] = [] if _always_true(loop.test) else [[(loop.test, False)]]
    exits.extend(_breaks(loop.body, []))
    return any(_conjunction(c, held, read) is Exit.LINE for c in exits)


def _always_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and bool(test.value)


def _read_names(loop: ast.While, read: ast.Call) -> frozenset[str]:
    """The names the loop binds to what `read` returns (`line = proc.stdout.readline()`,
    `while (line := ...)`)."""
    names: set[str] = set()
    for node in ast.walk(loop):
        if isinstance(node, ast.Assign) and _contains(node.value, read):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.NamedExpr) and _contains(node.value, read):
            names.add(node.target.id)
    return frozenset(names)


def _contains(expr: ast.AST, node: ast.AST) -> bool:
    return any(n is node for n in ast.walk(expr))


def _breaks(stmts: list[ast.stmt], conditions: Condition) -> Iterator[Condition]:
    """The condition under which each `break` of this loop is reached (those of nested loops and
    functions belong to them). A `break` in an `except` handler leaves on an error, and one in a
    `case` on a pattern this analysis does not judge: neither says anything about the line."""
    for stmt in stmts:
        if isinstance(stmt, ast.Break):
            yield conditions
        elif isinstance(stmt, ast.If):
            yield from _breaks(stmt.body, conditions + [(stmt.test, True)])
            yield from _breaks(stmt.orelse, conditions + [(stmt.test, False)])
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        else:
            for field in ("body", "orelse", "finalbody"):
                yield from _breaks(getattr(stmt, field, None) or [], conditions)


def _conjunction(condition: Condition, held: frozenset[str], read: ast.Call) -> Exit:
    """All of them hold: one that says the stream ended is enough; else one about the line decides.
    An unconditional `break` stops after one read."""
    if not condition:
        return Exit.LINE
    found = [_atom(test, holds, held, read) for test, holds in condition]
    return Exit.END if Exit.END in found else max(found)


def _disjunction(found: list[Exit]) -> Exit:
    """Any of them may hold: one about the line may stop the loop early; else one about something else
    may stop it while the stream has more."""
    return Exit.LINE if Exit.LINE in found else min(found)


def _atom(test: ast.expr, holds: bool, held: frozenset[str], read: ast.Call) -> Exit:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _atom(test.operand, not holds, held, read)
    if isinstance(test, ast.BoolOp):
        parts = [_atom(v, holds, held, read) for v in test.values]
        both = isinstance(test.op, ast.And) == holds  # `a and b` holds, or `a or b` fails: all of them
        return (Exit.END if Exit.END in parts else max(parts)) if both else _disjunction(parts)
    if _asks_state(test):
        return Exit.END
    line = _line(test, held, read)
    if line:
        return Exit.LINE if holds else Exit.END  # `if line:` holds on a line; `if not line:` at the end
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        empty = _empty_test(test, held, read)
        if empty is not None:
            return Exit.END if empty == holds else Exit.LINE
    if any(_line(n, held, read) for n in ast.walk(test) if isinstance(n, ast.expr)):
        return Exit.LINE
    return Exit.OTHER


def _line(expr: ast.expr, held: frozenset[str], read: ast.Call) -> bool:
    """`expr` is the line read itself: the call, a name bound to it, or `(line := ...)`."""
    if isinstance(expr, ast.NamedExpr):
        return expr.target.id in held
    return expr is read or (isinstance(expr, ast.Name) and expr.id in held)


def _empty_test(test: ast.Compare, held: frozenset[str], read: ast.Call) -> bool | None:
    """For `line == ""`, `line is b""`, `len(line) == 0`: True; for `!=`/`is not`: False; else None."""
    left, right = test.left, test.comparators[0]
    if not isinstance(right, ast.Constant):
        left, right = right, left
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "len" and len(left.args) == 1:
        if not (isinstance(right, ast.Constant) and right.value == 0):
            return None
        left = left.args[0]
    elif not (isinstance(right, ast.Constant) and right.value in ("", b"")):
        return None
    if not _line(left, held, read):
        return None
    if isinstance(test.ops[0], (ast.Eq, ast.Is)):
        return True
    if isinstance(test.ops[0], (ast.NotEq, ast.IsNot)):
        return False
    return None


def _asks_state(test: ast.expr) -> bool:
    """The test asks whether the child has ended (`proc.poll()`, `proc.returncode`)."""
    return any(isinstance(n, ast.Attribute) and n.attr in STATE_READS for n in ast.walk(test))
