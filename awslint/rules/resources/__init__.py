"""Resource leaks (AWS101–AWS104): files, sockets, connections and pools left open on some path.

A resource is the result of a factory call (the catalogue in `awslint/data/resources.py`, plus the
user's `resource-factories`). A resource bound to a local name is followed along the function's
control-flow graph (`awslint/analysis/resource_flow.py`); one used inline is AWS103; a database
connection whose `with` does not close it is AWS104. Only functions that call a factory get a graph.

`rules.py` holds the rule classes and options, `check.py` the orchestration, `messages.py` what a
finding says, `fix.py` the `--fix` rewrite of AWS103.
"""
from __future__ import annotations

from awslint.rule import Family
from awslint.rules.resources import fix
from awslint.rules.resources.check import FAMILY_NAME, check
from awslint.rules.resources.rules import (
    OPTIONS,
    ConnectionNotClosedByWith,
    ResourceLeakOnException,
    ResourceNotBound,
    ResourceNotClosed,
)

FAMILY = Family(
    name=FAMILY_NAME,
    rules=(ResourceNotClosed, ResourceLeakOnException, ResourceNotBound, ConnectionNotClosedByWith),
    check=check,
    options=OPTIONS,
    fixes=(fix.plan,),
    fixable=frozenset({fix.CODE}),
)
