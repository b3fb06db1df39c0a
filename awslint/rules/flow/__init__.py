"""Control flow that hides errors (AWS501-AWS504): swallowed exceptions, jumps out of `finally`,
collections changed while iterated, and dicts built up by hand."""
from __future__ import annotations

from awslint.rule import Family, Option
from awslint.rules.flow.check import check
from awslint.rules.flow import fix_buildup
from awslint.rules.flow.fixes import FIXABLE, plan
from awslint.rules.flow.rules import (
    ExceptionLostInFinally,
    ExceptionSwallowed,
    ModifiedWhileIterating,
    PreferDefaultdict,
)

FAMILY = Family(
    name="flow",
    rules=(ExceptionSwallowed, ExceptionLostInFinally, ModifiedWhileIterating, PreferDefaultdict),
    check=check,
    options=(
        Option(
            name="reporters",
            help=(
                "extra functions that report an error in an `except` handler (AWS501), as dotted names "
                "(`myapp.errors.report`) or `.method` for a method of any receiver (`.notify_failure`)"
            ),
        ),
    ),
    fixes=(plan, fix_buildup.plan),
    fixable=FIXABLE | {fix_buildup.CODE},
)
