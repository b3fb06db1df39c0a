"""The SDK family's orchestration: one pass over the module's method calls, each rule asked only for
the operation names its table holds, and the shared facts (receivers, response flow) built on demand."""
from __future__ import annotations

import ast
from typing import Iterable

from awslint.analysis.index import FunctionNode
from awslint.context import Context
from awslint.data.sdk_tables import batch_table, deprecated_table, waiter_table
from awslint.finding import Finding
from awslint.rules.sdk import batch, credentials, deprecated, polling
from awslint.rules.sdk.facts import SdkFacts


def check(ctx: Context) -> Iterable[Finding]:
    want = {code: ctx.enabled(code) for code in ("AWS203", "AWS204", "AWS205", "AWS206")}
    facts = SdkFacts(ctx)
    found: list[Finding] = []
    if want["AWS206"]:
        found.extend(credentials.check(ctx))
    if want["AWS205"]:
        found.extend(deprecated.vendored_imports(ctx))
    # boto3 operations take keyword arguments only and are spelled in snake_case.
    calls: list[tuple[ast.Call, FunctionNode | None]] = [
        (call, scope)
        for call, scope in ctx.index.calls
        if isinstance(call.func, ast.Attribute)
        and call.func.attr.islower()
        and (not call.args or call.func.attr == "get_paginator")
    ]
    if not calls:
        return found
    if want["AWS203"]:
        names = batch_table().operation_names
        for call, scope in calls:
            if call.func.attr in names:  # type: ignore[attr-defined]
                finding = batch.check_call(facts, call, scope)
                if finding is not None:
                    found.append(finding)
    if want["AWS204"]:
        names = waiter_table().operation_names
        for call, scope in calls:
            if call.func.attr in names:  # type: ignore[attr-defined]
                finding = polling.check_call(facts, call, scope)
                if finding is not None:
                    found.append(finding)
    if want["AWS205"]:
        names = deprecated_table().operation_names
        for call, scope in calls:
            attr = call.func.attr  # type: ignore[attr-defined]
            if attr in names or attr == "get_paginator":
                finding = deprecated.check_call(facts, call, scope)
                if finding is not None:
                    found.append(finding)
    return found
