"""flake8 adapter: `flake8 --select AWS` runs awslint's rules on the tree flake8 has already parsed.

The rule options come from `[tool.awslint]` in the nearest pyproject.toml (as the `awslint` command
reads them), each overridden by flake8's own spelling (`--aws-resource-factories`, `aws-...` in
setup.cfg). flake8 applies `# noqa` itself; `# pylint: disable=<awslint symbol>` is applied here, so
one comment silences a finding in every front end.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any, ClassVar, Iterator, Sequence

from awslint import OPTIONS, RULES, Config, __version__, check_tree
from awslint.config import ConfigError, shared_options, split_list, validate_option
from awslint.suppress import filter_source


def _selected_off_rules(options: Any) -> tuple[str, ...]:
    """Default-off codes the user asked for by a prefix longer than `AWS` (as flake8-bugbear's B9).

    flake8 drops its default ignore list as soon as `--select` is given, so `--select AWS` alone would
    otherwise switch the opt-in rules on.
    """
    asked = [*(getattr(options, "select", None) or ()), *(getattr(options, "extend_select", None) or ())]
    return tuple(
        rule.code
        for rule in RULES
        if not rule.default_enabled and any(len(p) > len("AWS") and rule.code.startswith(p) for p in asked)
    )


def _flake8_selects(options: Any) -> frozenset[str] | None:
    """The default-on codes flake8's own decision (select, extend-select, ignore, extend-ignore) keeps,
    or None when that cannot be asked (an older flake8): then every one runs and flake8 filters."""
    try:
        from flake8.style_guide import Decision, DecisionEngine  # type: ignore[import-untyped]

        engine = DecisionEngine(options)
        return frozenset(
            rule.code for rule in RULES if rule.default_enabled and engine.decision_for(rule.code) is Decision.Selected
        )
    except Exception:  # flake8's internals differ between releases; filtering afterwards is still correct
        return None


def _fail(message: str) -> None:
    """A bad option: one line on stderr and exit status 2, never a traceback."""
    print(f"flake8-awslint: error: {' '.join(message.split())}", file=sys.stderr)
    raise SystemExit(2)


class Plugin:
    name = "awslint"
    version = __version__
    config: ClassVar[Config] = Config()

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for option in OPTIONS:
            manager.add_option(
                f"--aws-{option.name}",
                default=None,
                parse_from_config=True,
                help=f"{option.help} (comma-separated; default: [tool.awslint] {option.name})",
            )
        manager.extend_default_ignore([rule.code for rule in RULES if not rule.default_enabled])

    @classmethod
    def parse_options(cls, options: Any) -> None:
        # flake8 filters codes itself; the core only needs to know which opt-in rules to run.
        try:
            values = shared_options(Path.cwd(), OPTIONS)
        except ConfigError as exc:
            _fail(str(exc))
        for option in OPTIONS:
            given = getattr(options, "aws_" + option.name.replace("-", "_"), None)
            if given is None:
                continue
            flag = f"--aws-{option.name}"
            try:
                raw = given if isinstance(given, str) else ",".join(given)
                values[option.name] = validate_option(option, split_list(raw, flag), flag)
            except ConfigError as exc:
                _fail(str(exc))
        wanted = _flake8_selects(options)
        select = tuple(
            rule.code for rule in RULES if rule.default_enabled and (wanted is None or rule.code in wanted)
        ) + _selected_off_rules(options)
        cls.config = Config(select=select, options=values)
        # flake8 runs every plugin and filters afterwards: with no AWS code selected there is no work.
        cls.idle = not select

    idle: ClassVar[bool] = False

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        if self.idle:
            return
        findings = check_tree(self.tree, self.lines, self.filename, self.config)
        if findings:
            findings = filter_source(findings, "".join(self.lines), self.tree, ("pylint",))
        for finding in findings:
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
