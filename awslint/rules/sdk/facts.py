"""What the SDK rules ask about one module, each fact built at most once and only when asked."""
from __future__ import annotations

import ast
from functools import cached_property

from awslint.analysis.boto import dotted
from awslint.analysis.sdk_receivers import SdkReceivers
from awslint.analysis.sdk_responses import ResponseFlow
from awslint.context import Context
from awslint.data.pagination import table as pagination_table
from awslint.data.reporters import LOG_METHODS, LOGGER_NAMES
from awslint.data.sdk_tables import deprecated_table


class SdkFacts:
    """What the SDK rules ask about one module, each built at most once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @cached_property
    def receivers(self) -> SdkReceivers:
        return SdkReceivers(self.ctx, deprecated_table().all_services, pagination_table().service_for_stub)

    @cached_property
    def flow(self) -> ResponseFlow:
        return ResponseFlow(self.ctx.model, is_logger_call)

    def in_test(self, node: ast.AST) -> bool:
        testcode = getattr(self.ctx, "testcode", None)
        return bool(testcode is not None and testcode.in_test(node))


def is_logger_call(call: ast.Call) -> bool:
    """`logger.info(...)`, `self.log.warning(...)`, `logging.error(...)`, `print(...)`: a call that
    shows a value to a person and keeps nothing of it."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    owner = (dotted(func.value) or "").split(".")[-1]
    return owner in LOGGER_NAMES or owner.lower().endswith(("logger", "log"))
