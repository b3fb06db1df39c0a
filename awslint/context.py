"""Everything a rule family may ask about the file being checked, computed at most once."""
from __future__ import annotations

import ast
from functools import cached_property
from typing import Sequence

from awslint.analysis.graphs import Graphs
from awslint.analysis.index import Index
from awslint.analysis.model import SemanticModel
from awslint.analysis.names import Names
from awslint.analysis.testcode import TestContext
from awslint.config import Config
from awslint.notice import Notice


class Context:
    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str, config: Config) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename
        self.config = config
        # What an analysis gave up on (a function too large, a budget spent): reported, never silent.
        self.notices: list[Notice] = []

    @cached_property
    def index(self) -> Index:
        return Index(self.tree)

    @cached_property
    def names(self) -> Names:
        return Names(self.tree, self.index.imports)

    @cached_property
    def model(self) -> SemanticModel:
        """Scopes, bindings, parents, classes and the module's call graph, built on first use."""
        return SemanticModel(self.tree)

    @cached_property
    def graphs(self) -> Graphs:
        """Each function's (and the module's) control-flow graph, built once for every family."""
        return Graphs(self.names)

    @cached_property
    def testcode(self) -> TestContext:
        """Test files, test functions and fixtures, code under a mock (SPEC: Context)."""
        return TestContext(self.tree, self.filename, self.index, self.names, self.option("test-paths"))

    def skipped(self, node: ast.AST, family: str, reason: str) -> None:
        """Record that `family` did not analyse `node` (a function, usually) and why."""
        self.notices.append(Notice(getattr(node, "lineno", 1), family, reason))

    def needs(self, what: str) -> bool:
        """Whether some selected rule declares that it needs the shared analysis `what`."""
        from awslint.rules import RULES

        answers = _answers(self.config)
        key = "needs:" + what
        found = answers.get(key)
        if found is None:
            found = answers[key] = any(what in rule.needs and self.enabled(rule.code) for rule in RULES)
        return found

    def enabled(self, code: str) -> bool:
        answers = _answers(self.config)
        found = answers.get(code)
        if found is None:
            from awslint.rules import RULES_BY_CODE

            found = answers[code] = self.config.enabled(code, RULES_BY_CODE[code].default_enabled)
        return found

    def option(self, name: str) -> tuple[str, ...]:
        return self.config.option(name)


# Every file of a run asks the same questions of the same configuration (which rules are on, dozens of
# times a file): the answers are kept for the last configuration seen, by identity (a Config holds a
# dict, so it has no hash; a run has one, a test suite makes many, each replacing the last). One
# read of one global, so a thread never pairs one configuration with another's answers.
_last: tuple[Config, dict[str, bool]] | None = None


def _answers(config: Config) -> dict[str, bool]:
    global _last
    last = _last
    if last is not None and last[0] is config:
        return last[1]
    answers: dict[str, bool] = {}
    _last = (config, answers)
    return answers
