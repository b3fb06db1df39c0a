"""Local aliases of a resource: `out = fh` gives the same object a second name, not a new owner.

A name the function binds only to the tracked name (and perhaps to None) is followed together with
it: closing, returning or storing either one releases or hands over the resource, and the alias
assignment itself is a use. A name that is also bound to anything else, or that a nested scope uses,
keeps the old reading (the assignment hands the resource over), so nothing new is reported.
"""
from __future__ import annotations

import ast
from typing import Callable

from awslint.analysis.cfg import Node
from awslint.analysis.resource_flow import Aliasing, Effect, NodeEffect
from awslint.analysis.resource_sites import FunctionFacts, Usage


def local_aliases(facts: FunctionFacts, var: str) -> tuple[frozenset[str], frozenset[ast.Assign]]:
    """The names bound only to `var` (or None), and the `alias = var` statements; empty when any
    candidate is bound to something else too, or used by a nested scope."""
    candidates: dict[str, list[ast.Assign]] = {}
    for node in facts.by_name.get(var, ()):
        parent = facts.parents.get(node)
        if (
            isinstance(node.ctx, ast.Load)
            and isinstance(parent, ast.Assign)
            and parent.value is node
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
            and parent.targets[0].id != var
        ):
            candidates.setdefault(parent.targets[0].id, []).append(parent)
    if not candidates:
        return frozenset(), frozenset()
    for name in candidates:
        if name not in facts.shadowed or name in facts.nested_names:
            return frozenset(), frozenset()
    for node in (store for name in candidates for store in facts.stores(name)):
        parent = facts.parents.get(node)
        if not isinstance(parent, ast.Assign) or len(parent.targets) != 1 or parent.targets[0] is not node:
            return frozenset(), frozenset()
        value = parent.value
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if not (isinstance(value, ast.Name) and value.id == var):
            return frozenset(), frozenset()
    statements = frozenset(s for found in candidates.values() for s in found)
    return frozenset(candidates), statements


def with_aliases(
    usage: Usage,
    aliases: frozenset[str],
    statements: frozenset[ast.Assign],
    usage_of: Callable[[str], Usage],
) -> tuple[Usage, Aliasing]:
    """What each node does to the resource: through its own name before an alias is bound (`usage`,
    where `alias = var` is a use), through any name once one is, and through the aliases alone once
    the name has moved on to a new resource (the previous iteration's one lives on in the alias).

    While both hold it, rebinding one name does not lose the resource, so those rebinds are dropped.
    """
    binds = frozenset(n for n in usage.effects if any(part in statements for part in n.parts))
    own: dict[Node, NodeEffect] = {}
    for node, eff in usage.effects.items():
        own[node] = NodeEffect(Effect.USE, eff.rebinds, eff.deletes, eff.kill_on) if node in binds else eff
    merged: dict[Node, NodeEffect] = {}
    only: dict[Node, NodeEffect] = {}
    unbinds: set[Node] = set()
    in_with = usage.in_with
    for index, source in enumerate([Usage(own, usage.in_with)] + [usage_of(a) for a in sorted(aliases)]):
        in_with = in_with or source.in_with
        for node, eff in source.effects.items():
            _merge(merged, node, NodeEffect(eff.effect, False, False, eff.kill_on))
            if index:
                _merge(only, node, eff)
                if eff.rebinds and node not in binds:
                    unbinds.add(node)
    return Usage(own, in_with), Aliasing(merged, only, binds, frozenset(unbinds))


def _merge(into: dict[Node, NodeEffect], node: Node, eff: NodeEffect) -> None:
    old = into.get(node)
    if old is None:
        into[node] = eff
        return
    into[node] = NodeEffect(
        max(old.effect, eff.effect),
        old.rebinds or eff.rebinds,
        old.deletes or eff.deletes,
        old.kill_on or eff.kill_on,
    )
