"""pylint adapter: `pylint --load-plugins=pylint_awslint` reports awslint's rules as pylint messages.

The rule options come from `[tool.awslint]` in the nearest pyproject.toml, each overridden by pylint's
own spelling (`aws-resource-factories` in `[tool.pylint.awslint]` or on the command line). pylint
applies its own `# pylint: disable=` comments; `# noqa` / `# noqa: AWS101` is applied here, so one
comment silences a finding in every front end.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pylint.checkers import BaseRawFileChecker

from awslint import OPTIONS, RULES, Config, check_tree
from awslint.config import ConfigError, shared_options, split_list, validate_option
from awslint.source import SourceError, decode, parse, split_lines
from awslint.suppress import filter_source

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

_BY_CODE = {rule.code: rule for rule in RULES}


def _fail(message: str) -> None:
    """A bad option: one line on stderr and exit status 2, never a traceback."""
    print(f"pylint-awslint: error: {' '.join(message.split())}", file=sys.stderr)
    raise SystemExit(2)


def _options(linter: Any) -> dict[str, tuple[str, ...]]:
    try:
        values = shared_options(Path.cwd(), OPTIONS)
    except ConfigError as exc:
        _fail(str(exc))
    for option in OPTIONS:
        given = getattr(linter.config, "aws_" + option.name.replace("-", "_"), None)
        if not given:
            continue  # not set here (pylint cannot tell empty from unset): [tool.awslint] decides
        where = f"aws-{option.name}"
        try:
            items = given if isinstance(given, str) else ",".join(str(v) for v in given)
            values[option.name] = validate_option(option, split_list(items, where), where)
        except ConfigError as exc:
            _fail(str(exc))
    return values


class AwslintChecker(BaseRawFileChecker):
    """Runs the awslint core over each module's source (the core brings its own tree and analyses)."""

    name = "awslint"
    msgs = {
        rule.msgid: (
            "%s",
            rule.name,
            rule.rationale(),
            {"default_enabled": rule.default_enabled},
        )
        for rule in RULES
    }
    options = tuple(
        (
            f"aws-{option.name}",
            {
                "default": (),
                "type": "csv",
                "metavar": "<name,...>",
                "help": f"{option.help} (default: [tool.awslint] {option.name})",
            },
        )
        for option in OPTIONS
    )
    _values: dict[str, tuple[str, ...]] | None = None

    def open(self) -> None:
        self._values = _options(self.linter)

    def process_module(self, node: nodes.Module) -> None:
        enabled = tuple(rule.code for rule in RULES if self.linter.is_message_enabled(rule.msgid))
        if not enabled:
            return
        with node.stream() as stream:
            data = stream.read()
        try:
            text, _ = decode(data)
            tree = parse(text, node.file or "<stdin>")
        except SourceError:
            return  # pylint reports the file it cannot read itself
        if self._values is None:
            self._values = _options(self.linter)
        config = Config(select=enabled, options=self._values)
        findings = check_tree(tree, split_lines(text), node.file or "<stdin>", config)
        for finding in filter_source(findings, text, tree, ("noqa",)):
            rule = _BY_CODE[finding.code]
            self.add_message(
                rule.name,
                line=finding.line,
                col_offset=finding.col,
                end_lineno=finding.end_line,
                end_col_offset=finding.end_col,
                args=(finding.message,),
            )


def register(linter: PyLinter) -> None:
    linter.register_checker(AwslintChecker(linter))


def load_configuration(linter: Any) -> None:
    """Validate the options once pylint has read its configuration: a bad one stops the run here."""
    _options(linter)
