"""The shape of a rule and of a rule family.

A rule is a class that only declares: its code, pylint symbol and message id, its message template and
its documentation and examples. A family owns the analysis that reports one or more rules, and the
options that tune it. The adapters, the rule pages and the SARIF metadata are all generated from these
declarations, so a code or a message is written exactly once.
"""
from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Literal

from awslint.finding import Finding, Step

if TYPE_CHECKING:
    from awslint.context import Context

_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


# The shared analyses a rule may need: the checker's context builds each only when asked, and a rule
# declares which it asks for (tests/test_rule_needs.py holds every rule to its declaration).
Need = Literal["model", "testcode", "cfg", "taint", "receivers"]


class Rule:
    """Base class of every rule; subclasses set the class attributes below."""

    code: ClassVar[str]
    name: ClassVar[str]  # the pylint symbol, which names the problem
    msgid: ClassVar[str]  # the pylint message id
    title: ClassVar[str]
    message: ClassVar[str]  # a str.format template with named fields
    default_enabled: ClassVar[bool] = True
    needs: ClassVar[frozenset[Need]] = frozenset()
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def at(cls, node: ast.AST, path: Iterable[Step] = (), **fields: Any) -> Finding:
        """A finding of this rule at `node`, its message filled from `fields`."""
        return Finding(
            code=cls.code,
            line=getattr(node, "lineno", 1),
            col=getattr(node, "col_offset", 0),
            message=cls.message.format(**fields),
            end_line=getattr(node, "end_lineno", None),
            end_col=getattr(node, "end_col_offset", None),
            path=tuple(path),
        )

    @classmethod
    def sections(cls) -> dict[str, str]:
        """The docstring's `## Heading` sections, in order."""
        doc = inspect.cleandoc(cls.__doc__ or "")
        parts = _SECTION.split(doc)
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}

    @classmethod
    def rationale(cls) -> str:
        """Why the defect matters, in one paragraph (pylint's message description, SARIF's fullDescription)."""
        text = cls.sections().get("Why is this bad?", cls.title)
        return text.split("\n\n")[0].replace("\n", " ")

    @classmethod
    def summary(cls) -> str:
        text = cls.sections().get("What it finds", cls.title)
        return text.split("\n\n")[0].replace("\n", " ")


# What one value of an option must look like: a dotted name; a dotted name, `Class.method` or `.method`;
# a taint sink (`name[:shell|program|code]`); a file pattern.
OptionKind = Literal["dotted", "name", "sink", "glob"]


@dataclass(frozen=True)
class Option:
    """A list-valued option shared by every front end.

    flake8 spells it `--aws-<name>`, pylint `aws-<name>`, `[tool.awslint]` `<name>`. Every value is
    validated against `kind`; without one, an option named `*-paths` holds file patterns, `*-sinks` taint
    sinks, and any other names (`mylib.connect`, `Class.method`, `.method`).
    """

    name: str
    help: str
    default: tuple[str, ...] = ()
    kind: OptionKind | None = None

    @property
    def value_kind(self) -> OptionKind:
        if self.kind is not None:
            return self.kind
        if self.name.endswith("-paths"):
            return "glob"
        return "sink" if self.name.endswith("-sinks") else "name"


@dataclass(frozen=True)
class Family:
    """The rules one analysis reports, the function that runs it, and its options."""

    name: str
    rules: tuple[type[Rule], ...]
    check: Callable[["Context"], Iterable[Finding]]
    options: tuple[Option, ...] = ()
    # `--fix` planners of this family's rules: (source, tree, findings) -> groups of edits, and the
    # codes they can fix. A family's fixes live with its rules; awslint.fix collects them from here.
    fixes: tuple[Callable[..., Any], ...] = ()
    fixable: frozenset[str] = frozenset()
