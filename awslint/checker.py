"""The one seam every front end uses: source or tree in, findings out, never an exception."""
from __future__ import annotations

import ast
import os
import warnings
from typing import Sequence

from awslint.config import DEFAULT, Config
from awslint.context import Context
from awslint.finding import Finding
from awslint.lines import source_lines
from awslint.rules import FAMILIES


def check_tree(
    tree: ast.AST, lines: Sequence[str] = (), filename: str = "<unknown>", config: Config | None = None
) -> list[Finding]:
    """Findings for an already parsed module, sorted by position.

    A family that fails on some construct it does not understand reports nothing for that file rather
    than take the other families (or the user's flake8 run) down with it.
    """
    config = config or DEFAULT
    context = Context(tree, lines, filename, config)
    findings: list[Finding] = []
    for family in FAMILIES:
        if not any(context.enabled(rule.code) for rule in family.rules):
            continue
        try:
            found = list(family.check(context))
        except (RecursionError, MemoryError):
            found = []
        except Exception:
            # A defect in one analysis must not cost the user the run; the test suite sets
            # AWSLINT_STRICT so that such a defect fails loudly there instead.
            if os.environ.get("AWSLINT_STRICT"):
                raise
            found = []
        findings.extend(f for f in found if context.enabled(f.code))
    return sorted(set(findings), key=Finding.sort_key)


def check_source(text: str, filename: str = "<unknown>", config: Config | None = None) -> list[Finding]:
    """Findings for source text; text that does not parse yields none (the caller reports the error)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about the user's code are not ours to print
            tree = ast.parse(text, filename=filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return []
    return check_tree(tree, source_lines(text), filename, config)

