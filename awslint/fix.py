"""`awslint --fix` / `--diff`: rewrite the findings that have one safe, local fix.

Fixes run in rounds: each round parses the current text, runs the checks, applies every fix whose
edits do not collide with another's, and checks that the result still parses. Colliding fixes wait
for the next round, when positions are fresh. A fixed default or `with` block is no longer reported,
so a second run finds nothing to do.
"""
from __future__ import annotations

import ast
import difflib
import os
import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

from awslint import suppress
from awslint.checker import check_tree
from awslint.config import Config
from awslint.finding import Finding
from awslint.fix_edits import Edit, Source, apply, choose
from awslint.rules import FAMILIES
from awslint.source import split_lines

FIXABLE = frozenset(
    {code for family in FAMILIES for code in family.fixable}
)
_PLANNERS: tuple[Callable[[Source, ast.AST, Sequence[Finding]], list[list[Edit]]], ...] = (
    *(planner for family in FAMILIES for planner in family.fixes),
)
_ROUNDS = 8


@dataclass(frozen=True)
class Fixed:
    """The fixed text, and how many findings each code had fixed."""

    text: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _parse(text: str, filename: str) -> ast.AST | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def fix_source(text: str, filename: str = "<unknown>", config: Config | None = None) -> Fixed:
    """`text` with every safe fix applied; unchanged when there is none (or it does not parse)."""
    counts: dict[str, int] = {}
    for _ in range(_ROUNDS):
        tree = _parse(text, filename)
        if tree is None:
            break
        findings = [f for f in check_tree(tree, split_lines(text), filename, config) if f.code in FIXABLE]
        if findings:
            # what a `# noqa` or `# pylint: disable` silences is the user's decision: not reported, not fixed
            findings = suppress.apply(findings, suppress.parse(text, tree)).reported
        if not findings:
            break
        src = Source(text)
        groups: list[list[Edit]] = []
        for planner in _PLANNERS:
            try:
                groups.extend(planner(src, tree, findings))
            except (RecursionError, MemoryError):
                continue
            except Exception:
                # As in the checker: a fixer defect costs this file its fixes, not the user the run;
                # the test suite sets AWSLINT_STRICT so that it fails loudly there instead.
                if os.environ.get("AWSLINT_STRICT"):
                    raise
                continue
        edits = choose(groups)
        if not edits:
            break
        new = apply(text, edits)
        if new == text or _parse(new, filename) is None:
            break
        text = new
        for edit in edits:
            if edit.primary:
                counts[edit.code] = counts.get(edit.code, 0) + 1
    return Fixed(text, counts)


def unified_diff(before: str, after: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
        )
    )


def write_refusal(path: str, roots: Sequence[str]) -> str | None:
    """Why `--fix` must not write `path`, or None: a symlink (of the file or of a folder on its way) that
    leads out of every tree the user named is someone else's file."""
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return None
    for root in roots:
        base = os.path.realpath(root)
        if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
            return None
    return f"not fixed: it is a symlink to {real}, outside the tree being fixed"
