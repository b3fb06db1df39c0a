"""flake8 adapter: `flake8 --select AWS` runs awslint's rules on the tree flake8 has already parsed."""
from __future__ import annotations

import ast
from typing import Any, ClassVar, Iterator, Sequence

from awslint import OPTIONS, RULES, Config, __version__, check_tree


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
                default=",".join(option.default),
                parse_from_config=True,
                comma_separated_list=True,
                help=f"{option.help} (comma-separated)",
            )
        manager.extend_default_ignore([rule.code for rule in RULES if not rule.default_enabled])

    @classmethod
    def parse_options(cls, options: Any) -> None:
        # flake8 filters codes itself; the core only needs to know which opt-in rules to run.
        values = {o.name: tuple(getattr(options, "aws_" + o.name.replace("-", "_"), None) or ()) for o in OPTIONS}
        select = tuple(rule.code for rule in RULES if rule.default_enabled) + _selected_off_rules(options)
        cls.config = Config(select=select, options=values)

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        for finding in check_tree(self.tree, self.lines, self.filename, self.config):
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
