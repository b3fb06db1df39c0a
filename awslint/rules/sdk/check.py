"""The SDK family's orchestration: the module's calls of the methods the rules' tables name (from the
index's calls by method name, not a pass over every call), each rule asked only for the operation
names its table holds, and the shared facts (receivers, response flow) built on demand."""
from __future__ import annotations

import ast
from typing import Iterable

from awslint.context import Context
from awslint.data.sdk_tables import batch_table, deprecated_table, waiter_table
from awslint.finding import Finding
from awslint.rules.sdk import batch, credentials, deprecated, polling
from awslint.rules.sdk.facts import SdkFacts


def check(ctx: Context) -> Iterable[Finding]:
    facts = SdkFacts(ctx)
    found: list[Finding] = []
    if ctx.enabled("AWS206"):
        found.extend(credentials.check(ctx))
    want_deprecated = ctx.enabled("AWS205")
    if want_deprecated:
        found.extend(deprecated.vendored_imports(ctx))
    want_batch, want_waiter = ctx.enabled("AWS203"), ctx.enabled("AWS204")
    # boto3 operations take keyword arguments only and are spelled in snake_case. Until the tables are
    # read, they are read only for a file with such a call; then only the calls of a method they name
    # are looked at.
    wanted = (want_batch, want_waiter, want_deprecated)
    if wanted not in _OPERATIONS and not any(
        name.islower() and (name == "get_paginator" or any(not call.args for call, _scope in sites))
        for name, sites in ctx.index.calls_by_attr().items()
    ):
        return found
    calls = [
        (call, scope)
        for call, scope in ctx.index.calls_named(_operations(wanted))
        if isinstance(call.func, ast.Attribute) and (not call.args or call.func.attr == "get_paginator")
    ]
    if not calls:
        return found
    if want_batch:
        names = batch_table().operation_names
        for call, scope in calls:
            if call.func.attr in names:  # type: ignore[attr-defined]
                finding = batch.check_call(facts, call, scope)
                if finding is not None:
                    found.append(finding)
    if want_waiter:
        names = waiter_table().operation_names
        for call, scope in calls:
            if call.func.attr in names:  # type: ignore[attr-defined]
                finding = polling.check_call(facts, call, scope)
                if finding is not None:
                    found.append(finding)
    if want_deprecated:
        names = deprecated_table().operation_names
        for call, scope in calls:
            attr = call.func.attr  # type: ignore[attr-defined]
            if attr in names or attr == "get_paginator":
                finding = deprecated.check_call(facts, call, scope)
                if finding is not None:
                    found.append(finding)
    return found


_OPERATIONS: dict[tuple[bool, bool, bool], frozenset[str]] = {}


def _operations(wanted: tuple[bool, bool, bool]) -> frozenset[str]:
    """The method names the selected rules (AWS203, AWS204, AWS205) ask about, those in snake_case."""
    found = _OPERATIONS.get(wanted)
    if found is None:
        names: set[str] = set()
        if wanted[0]:
            names |= batch_table().operation_names
        if wanted[1]:
            names |= waiter_table().operation_names
        if wanted[2]:
            names |= deprecated_table().operation_names | {"get_paginator"}
        found = _OPERATIONS[wanted] = frozenset(name for name in names if name.islower())
    return found
