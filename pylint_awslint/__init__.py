"""pylint adapter: `pylint --load-plugins=pylint_awslint` reports awslint's rules as pylint messages."""
from __future__ import annotations

import io
import tokenize
from typing import TYPE_CHECKING, Any

from pylint.checkers import BaseRawFileChecker

from awslint import OPTIONS, RULES, Config, check_source

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

_BY_CODE = {rule.code: rule for rule in RULES}


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
            {"default": option.default, "type": "csv", "metavar": "<name,...>", "help": option.help},
        )
        for option in OPTIONS
    )

    def process_module(self, node: nodes.Module) -> None:
        enabled = tuple(rule.code for rule in RULES if self.linter.is_message_enabled(rule.msgid))
        if not enabled:
            return
        with node.stream() as stream:
            data = stream.read()
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (SyntaxError, UnicodeDecodeError, LookupError):
            return  # pylint reports the undecodable file itself
        values = {
            o.name: tuple(getattr(self.linter.config, "aws_" + o.name.replace("-", "_"), None) or ())
            for o in OPTIONS
        }
        config = Config(select=enabled, options=values)
        for finding in check_source(text, node.file or "<stdin>", config):
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
    """Nothing to adjust after pylint reads its configuration; present so `load-plugins` hooks resolve."""
