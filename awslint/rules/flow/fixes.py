"""`--fix` for AWS503: iterate over a copy, `for x in list(C):`, where that keeps what the loop meant.

A dict or set changed in size raises on the next item, so any loop that does it means to visit the
items as they were: a copy says so. A list is copied only when the loop only shrinks it (a loop that
appends may mean to visit what it appends, a worklist). The copy is left out when the body assigns an
element of the container (`C[i] = ...`, a key other than the loop's own): the loop would then read
values the copy no longer has, and for `enumerate(C)`, whose indices refer to the list as it changes.
"""
from __future__ import annotations

import ast
from typing import Sequence

from awslint.analysis.containers import Containers
from awslint.analysis.index import Index
from awslint.analysis.names import Names, dotted
from awslint.analysis.scopes import own_nodes, scopes
from awslint.finding import Finding
from awslint.fix_edits import Edit, Source

FIXABLE = frozenset({"AWS503"})


def plan(src: Source, tree: ast.AST, findings: Sequence[Finding]) -> list[list[Edit]]:
    from awslint.rules.flow.check import loop_changes  # the check module imports the rule classes

    wanted = {(f.line, f.col) for f in findings if f.code == "AWS503"}
    if not wanted:
        return []
    names = Names(tree, Index(tree).imports)
    groups: list[list[Edit]] = []
    for scope in scopes(tree):
        loops = [n for n in scope.own_nodes() if isinstance(n, (ast.For, ast.AsyncFor))]
        if not loops:
            continue
        containers = Containers(scope, names)
        for stmt in loops:
            found = list(loop_changes(scope, containers, stmt))
            if not found or not any((c.node.lineno, c.node.col_offset) in wanted for _, c in found):  # type: ignore[attr-defined]
                continue
            loop = found[0][0]
            if loop.view == "enumerate":
                continue
            kinds = {c.kind for _, c in found}
            if kinds == {"list"} and any(c.grows is not False for _, c in found):
                continue
            group = containers.same(loop.name, stmt)
            if _assigns_elements(stmt, group, loop.own_key):
                continue
            start, end = src.start(stmt.iter), src.end(stmt.iter)
            text = f"list({src.text[start:end]})"
            groups.append([Edit(start, end, text, (start, end), "AWS503")])
    return groups


def _assigns_elements(stmt: ast.For | ast.AsyncFor, group: set[str], own_key: str | None) -> bool:
    for node in own_nodes(list(stmt.body)):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and dotted(node.value) in group:
            if not (isinstance(node.slice, ast.Name) and node.slice.id == own_key):
                return True
    return False
