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
from awslint.analysis.resource_flow import Effect, NodeEffect
from awslint.analysis.resource_sites import FunctionFacts, Usage


def local_aliases(facts: FunctionFacts, var: str) -> tuple[frozenset[str], frozenset[ast.Assign]]:
    """The names bound only to `var` (or None), and the `alias = var` statements; empty when any
    candidate is bound to something else too, or used by a nested scope."""
    candidates: dict[str, list[ast.Assign]] = {}
    for node, parent in facts.parents.items():
        if (
            isinstance(node, ast.Name)
            and node.id == var
            and isinstance(node.ctx, ast.Load)
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
    for node, parent in facts.parents.items():
        if not (isinstance(node, ast.Name) and node.id in candidates and not isinstance(node.ctx, ast.Load)):
            continue
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
) -> Usage:
    """What each node does to the resource through its own name or any alias.

    Rebinding a name no longer proves the resource is lost (another name may still hold it), so
    rebinds are dropped; the strongest effect of any name wins, and `alias = var` is a use.
    """
    merged: dict[Node, NodeEffect] = {}
    in_with = usage.in_with
    sources = [usage] + [usage_of(a) for a in sorted(aliases)]
    for index, source in enumerate(sources):
        in_with = in_with or source.in_with
        for node, eff in source.effects.items():
            effect = eff.effect
            if index == 0 and any(part in statements for part in node.parts):
                effect = Effect.USE  # `out = fh`: the same object under a second name
            old = merged.get(node)
            strongest = effect if old is None else max(old.effect, effect)
            kill = eff.kill_on if old is None else (old.kill_on or eff.kill_on)
            merged[node] = NodeEffect(Effect(strongest), False, False, kill)
    return Usage(merged, in_with)
