"""AWS204: a loop that polls an operation, sleeps, and leaves on a state one of its waiters expects.

The loop is the innermost `while`/`for` around the call in the same function. It must sleep in its
own body (`time.sleep`, `asyncio.sleep`) and leave on a comparison — in its condition, or in an `if`
that breaks out of it or returns — of a value read from this call's response with string constants.
A constant counts when a success acceptor of a waiter of the operation expects it and, where the code reads
the value by a key (`["State"]["Name"]`), when that key is the acceptor's field.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from awslint.analysis.boto import dotted
from awslint.analysis.index import FunctionNode
from awslint.data.sdk_tables import Acceptor, Waiter, waiter_table
from awslint.finding import Finding, Step
from awslint.rules.sdk.facts import SdkFacts
from awslint.rules.sdk.rules import AwsPollingWithoutWaiter

_LOOPS = (ast.While, ast.For, ast.AsyncFor)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_SLEEPS = frozenset({"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep", "eventlet.sleep"})


@dataclass(frozen=True)
class _Match:
    waiter: Waiter
    acceptor: Acceptor
    compare: ast.Compare


def check_call(facts: SdkFacts, call: ast.Call, scope: FunctionNode | None) -> Finding | None:
    assert isinstance(call.func, ast.Attribute)
    operation = call.func.attr
    table = waiter_table()
    loop = _loop_around(facts, call)
    if loop is None or not _sleeps(facts, loop, scope):
        return None
    candidate = facts.receivers.candidate(call, scope, table.services_of(operation), table.elsewhere(operation))
    if candidate is None or facts.in_test(call):
        return None
    waiters = [w for s in candidate.services for w in table.waiters(s, operation)]
    if not waiters:
        return None
    matches = [m for compare in _exit_tests(loop) for m in _matching(facts, call, compare, waiters)]
    if not matches:
        return None
    best = min(matches, key=lambda m: m.waiter.name)
    receiver = dotted(call.func.value) or "client"
    arguments = ", ".join(_argument(kw) for kw in call.keywords)
    path = [
        Step(loop.lineno, loop.col_offset, "the loop starts here"),
        Step(call.lineno, call.col_offset, f"it calls `{operation}`"),
        Step(best.compare.lineno, best.compare.col_offset, f"and leaves when the state is `{best.acceptor.expected}`"),
    ]
    return AwsPollingWithoutWaiter.at(
        call,
        path=path,
        operation=operation,
        field=best.acceptor.field,
        value=best.acceptor.expected,
        waiter=best.waiter.name,
        receiver=receiver,
        arguments=arguments,
    )


def _argument(kw: ast.keyword) -> str:
    if kw.arg is None:
        return f"**{ast.unparse(kw.value)}" if len(ast.unparse(kw.value)) <= 30 else "**..."
    text = ast.unparse(kw.value)
    return f"{kw.arg}={text}" if len(text) <= 30 else f"{kw.arg}=..."


def _loop_around(facts: SdkFacts, call: ast.Call) -> ast.While | ast.For | ast.AsyncFor | None:
    for ancestor in facts.ctx.model.ancestors(call):
        if isinstance(ancestor, _FUNCTIONS):
            return None
        if isinstance(ancestor, _LOOPS):
            if isinstance(ancestor, (ast.For, ast.AsyncFor)) and _within(call, ancestor.iter):
                continue  # `for x in client.op(...)`: the call runs once, not in the loop
            return ancestor
    return None


def _within(node: ast.AST, root: ast.AST) -> bool:
    return any(n is node for n in ast.walk(root))


def _own_nodes(loop: ast.AST) -> Iterator[ast.AST]:
    """The loop's nodes, not those of functions defined inside it."""
    stack = list(ast.iter_child_nodes(loop))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _FUNCTIONS):
            stack.extend(ast.iter_child_nodes(node))


def _sleeps(facts: SdkFacts, loop: ast.AST, scope: FunctionNode | None) -> bool:
    shadowed = facts.ctx.model.local_names(scope) if scope is not None else frozenset()
    for node in _own_nodes(loop):
        if isinstance(node, ast.Call):
            resolved = facts.ctx.names.resolve(node.func, shadowed)
            if resolved in _SLEEPS:
                return True
    return False


def _exit_tests(loop: ast.While | ast.For | ast.AsyncFor) -> Iterator[ast.Compare]:
    """The comparisons the loop leaves on: its condition, and the tests of `if`s that break or return."""
    if isinstance(loop, ast.While):
        yield from _compares(loop.test)
    for stmt in _statements(loop.body):
        if isinstance(stmt, ast.If) and (_leaves(stmt.body) or _leaves(stmt.orelse)):
            yield from _compares(stmt.test)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of the loop body, into `if`/`try`/`with` blocks but not into inner loops or functions."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (*_LOOPS, *_FUNCTIONS)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                blocks = [s for h in inner for s in h.body] if field == "handlers" else inner
                yield from _statements([s for s in blocks if isinstance(s, ast.stmt)])


def _leaves(body: list[ast.stmt]) -> bool:
    for stmt in _statements(body):
        if isinstance(stmt, (ast.Break, ast.Return)):
            return True
    return False


def _compares(test: ast.AST) -> Iterator[ast.Compare]:
    for node in ast.walk(test):
        if isinstance(node, ast.Compare):
            yield node


def _constants(facts: SdkFacts, node: ast.AST) -> list[str]:
    """The strings `node` spells: a literal, a module constant (`ACTIVE = "ACTIVE"`), or a tuple of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):
        value = facts.receivers.boto.module_constant(node.id)
        return [value] if isinstance(value, str) else []
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values = [v for e in node.elts for v in _constants(facts, e)]
        return values if len(values) == len(node.elts) else []
    return []


def _matching(facts: SdkFacts, call: ast.Call, compare: ast.Compare, waiters: list[Waiter]) -> Iterator[_Match]:
    operands = [compare.left, *compare.comparators]
    for i, op in enumerate(compare.ops):
        if not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
            continue
        left, right = operands[i], operands[i + 1]
        for value_side, const_side in ((left, right), (right, left)):
            values = _constants(facts, const_side)
            if not values:
                continue
            keys = facts.flow.derived(value_side, call)
            if keys is None:
                continue
            for waiter in waiters:
                for acceptor in waiter.acceptors:
                    # The state the loop waits for is the one the waiter succeeds on; a loop that
                    # waits for a waiter's failure state (`UPDATE_IN_PROGRESS`) does something else.
                    if acceptor.state != "success" or acceptor.expected not in values:
                        continue
                    if keys and keys[-1] != acceptor.last_key:
                        continue  # the code compares some other field
                    yield _Match(waiter, acceptor, compare)
