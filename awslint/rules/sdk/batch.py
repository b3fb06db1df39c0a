"""AWS203: a batch operation's per-item failures that no path reads.

The response is followed through the function (`ResponseFlow.uses`): a read of a failure member, of
the response as a whole, or any hand-over ends the question. For operations whose entries carry their
own error code (Kinesis `put_records`' `Records[].ErrorCode`), reading the entries and an `ErrorCode`
key in the same function counts as reading the failures.
"""
from __future__ import annotations

import ast

from awslint.analysis.boto import dotted
from awslint.analysis.index import FunctionNode
from awslint.analysis.nodes import breadth_first
from awslint.data.emptied_before_delete import EmptiedBeforeDelete, emptied_before
from awslint.data.sdk_tables import BatchFailures, batch_table
from awslint.finding import Finding, Step
from awslint.rules.sdk.facts import SdkFacts
from awslint.rules.sdk.rules import AwsBatchFailuresIgnored


def check_call(facts: SdkFacts, call: ast.Call, scope: FunctionNode | None) -> Finding | None:
    assert isinstance(call.func, ast.Attribute)
    operation = call.func.attr
    table = batch_table()
    candidate = facts.receivers.candidate(call, scope, table.services_of(operation), table.elsewhere(operation))
    if candidate is None or facts.in_test(call):
        return None
    rows = [row for row in (table.lookup(s, operation) for s in candidate.services) if row is not None]
    if not rows:
        return None
    uses = facts.flow.uses(call)
    if uses.handed_over or uses.whole:
        return None
    members = {m for row in rows for m in row.members}
    if uses.keys & members:
        return None
    if any(_tests_outcome(facts, key, read) for key, read in uses.reads):
        return None
    entries = {(entry, error) for row in rows for entry, error in row.entry_errors}
    if any(entry in uses.keys and _reads_key(facts, call, error) for entry, error in entries):
        return None
    if any(_parent_deleted_after(facts, call, row) for row in rows):
        return None
    row = _main(rows)
    return AwsBatchFailuresIgnored.at(
        call,
        path=_path(call, row, uses.sites),
        operation=operation,
        reported=_reported(row),
        fix=_fix(call, row),
    )


def _reported(row: BatchFailures) -> str:
    """What the response says of the failures: the items themselves (`UnprocessedItems`), or only how
    many there are (`FailedEntryCount`, the failed entries carrying an `ErrorCode` of their own)."""
    if row.shown.endswith("Count"):
        return f"how many items it could not {row.verb} in `{row.shown}`"
    return f"the items it could not {row.verb} in `{row.shown}`"


def _main(rows: list[BatchFailures]) -> BatchFailures:
    """The row a message describes when the service is unknown: the most common spelling."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.shown] = counts.get(row.shown, 0) + 1
    best = max(counts, key=lambda k: counts[k])
    return next(r for r in rows if r.shown == best)


def _fix(call: ast.Call, row: BatchFailures) -> str:
    if row.service == "dynamodb" and row.operation == "batch_write_item":
        return "retry them with backoff, or use `Table.batch_writer()`"
    counts = [m for m in row.members if m.lower().endswith("count")]
    if counts and row.entry_errors:
        entry, error = row.entry_errors[0]
        return f"check `{counts[0]}` and resend the `{entry}` entries that carry an `{error}`, with backoff"
    if not row.members and row.entry_errors:
        entry, error = row.entry_errors[0]
        return f"read the `{error}` of each `{entry}` entry and retry or report those items"
    if row.shown.lower().startswith("unprocessed"):
        return "retry them with backoff"
    return f"read `{row.shown}` and retry or report those items"


def _tests_outcome(facts: SdkFacts, key: str, read: ast.AST) -> bool:
    """`if not resp["SuccessfulSubmissions"]`, `len(resp["Successful"]) != len(entries)`: testing the
    list of items that succeeded answers whether some failed."""
    if not key.lower().startswith("successful"):
        return False
    parent = facts.ctx.model.parent(read)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        # `runs = resp["SuccessfulSubmissions"]; if len(runs) > 0:`: the list tested through its name
        name = parent.targets[0].id
        scope: ast.AST = facts.ctx.model.enclosing_function(read) or facts.ctx.tree
        loads = [
            n for n in breadth_first(scope)
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) and n.lineno >= parent.lineno
        ]
        return any(_tested(facts, load) for load in loads)
    return _tested(facts, read)


def _tested(facts: SdkFacts, read: ast.AST) -> bool:
    """Whether `read` (a list of items that succeeded) is tested for emptiness or compared."""
    parent = facts.ctx.model.parent(read)
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "len":
        read, parent = parent, facts.ctx.model.parent(parent)
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.Compare):
        return True
    return isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is read


def _parent_deleted_after(facts: SdkFacts, call: ast.Call, row: BatchFailures) -> bool:
    """`events.remove_targets(Rule=r, ...)` followed, in the same block or one around it, by
    `events.delete_rule(Name=r)`: the deletion refuses a rule that kept a target, so an item the batch
    could not remove fails loudly there (`awslint/data/emptied_before_delete.py`)."""
    guard = emptied_before(row.service, row.operation)
    if guard is None:
        return False
    parent = _keyword(call, guard.parent)
    if parent is None:
        return False
    assert isinstance(call.func, ast.Attribute)
    receiver = ast.dump(call.func.value)
    child: ast.AST = call
    for outer in facts.ctx.model.ancestors(call):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(outer, field, None)
            if isinstance(block, list) and any(stmt is child for stmt in block):
                later = block[[id(stmt) for stmt in block].index(id(child)) + 1:]
                if isinstance(outer, ast.Try) and field != "finalbody":
                    # after the try's body come its else and finally clauses; after its else, finally
                    later += (outer.orelse if field == "body" else []) + outer.finalbody
                if any(_deletes(node, guard, receiver, parent) for stmt in later for node in ast.walk(stmt)):
                    return True
        if isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        child = outer
    return False


def _deletes(node: ast.AST, guard: EmptiedBeforeDelete, receiver: str, parent: str) -> bool:
    """Whether `node` is `<receiver>.<guard.delete>(<guard.delete_parent>=<parent>)`, not forced."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == guard.delete):
        return False
    if ast.dump(node.func.value) != receiver or _keyword(node, guard.delete_parent) != parent:
        return False
    return not any(
        kw.arg in guard.forcing and not (isinstance(kw.value, ast.Constant) and not kw.value.value)
        for kw in node.keywords
    )


def _keyword(call: ast.Call, name: str) -> str | None:
    """The dumped value of `call`'s keyword argument `name`, for comparing two calls' arguments."""
    return next((ast.dump(kw.value) for kw in call.keywords if kw.arg == name), None)


def _reads_key(facts: SdkFacts, call: ast.Call, key: str) -> bool:
    """Whether the function around `call` reads a constant `key` of anything (`rec["ErrorCode"]`)."""
    scope: ast.AST = facts.ctx.model.enclosing_function(call) or facts.ctx.tree
    for node in breadth_first(scope):
        if isinstance(node, ast.Constant) and node.value == key:
            parent = facts.ctx.model.parent(node)
            if isinstance(parent, (ast.Subscript, ast.Call, ast.Compare)):
                return True
    return False


def _path(call: ast.Call, row: BatchFailures, sites: list[ast.AST]) -> list[Step]:
    receiver = dotted(call.func.value) if isinstance(call.func, ast.Attribute) else None
    steps = [Step(call.lineno, call.col_offset, f"`{receiver or 'client'}.{row.operation}` answers with `{row.shown}`")]
    last = sites[-1] if sites else call
    steps.append(Step(getattr(last, "lineno", call.lineno), getattr(last, "col_offset", 0), f"`{row.shown}` is never read"))
    return steps
