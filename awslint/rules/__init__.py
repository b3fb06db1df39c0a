"""The rule catalogue: every module in this package defines one `FAMILY`.

A new family is a new module here; nothing else needs to list it.
"""
from __future__ import annotations

import importlib
import pkgutil

from awslint.rule import Family, Option, Rule


def _discover() -> tuple[Family, ...]:
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        family = getattr(module, "FAMILY", None)
        if isinstance(family, Family):
            found.append(family)
    return tuple(found)


FAMILIES: tuple[Family, ...] = _discover()
RULES: tuple[type[Rule], ...] = tuple(
    sorted((rule for family in FAMILIES for rule in family.rules), key=lambda r: r.code)
)
RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in RULES}
# Options every family's context reads, whichever rules are selected.
GLOBAL_OPTIONS: tuple[Option, ...] = (
    Option(
        name="test-paths",
        help="globs of files that are test code, beyond `tests/` folders and `test_*.py`/`*_test.py`/"
        "`conftest.py`/`testutils.py`/`testing.py` (AWS201, AWS203, AWS204 and AWS403 are not reported there)",
    ),
)
OPTIONS: tuple[Option, ...] = GLOBAL_OPTIONS + tuple(option for family in FAMILIES for option in family.options)
