"""Which rules run and with which options, from whatever front end the user chose."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


class ConfigError(ValueError):
    """A configuration value the user must correct."""


def _longest(prefixes: tuple[str, ...], code: str) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


@dataclass(frozen=True)
class Config:
    """`select`/`ignore` are code prefixes; `options` maps an option name to its values.

    With no `select`, every default-on rule runs. A default-off rule runs only when a prefix longer
    than `AWS` selects it (`AWS3`, `AWS302`), so `--select AWS` keeps its meaning of "the usual rules".
    The longer of a matching select and ignore prefix wins, as in flake8.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def enabled(self, code: str, default_enabled: bool) -> bool:
        sel = _longest(self.select, code) if self.select else (len("AWS") if default_enabled else -1)
        if not default_enabled and sel <= len("AWS"):
            return False
        if sel < 0:
            return False
        return _longest(self.ignore, code) < sel

    def option(self, name: str) -> tuple[str, ...]:
        return tuple(self.options.get(name, ()))


DEFAULT = Config()


def split_list(value: Any, where: str) -> tuple[str, ...]:
    """A list option given as a TOML array or a comma-separated string."""
    if isinstance(value, str):
        items = [v.strip() for v in value.replace("\n", ",").split(",")]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value]
    else:
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(v for v in items if v)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    start = start.resolve()
    for folder in (start, *start.parents) if start.is_dir() else start.parents:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject(path: Path, known_options: set[str]) -> Config:
    """The `[tool.awslint]` table of `path`; unknown keys and bad values raise ConfigError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    table = data.get("tool", {}).get("awslint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.awslint] must be a table")
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        name = key.replace("_", "-")
        where = f"{path}: [tool.awslint] {key}"
        if name == "select":
            select = split_list(value, where)
        elif name == "ignore":
            ignore = split_list(value, where)
        elif name in known_options:
            options[name] = split_list(value, where)
        else:
            known = ", ".join(sorted({"select", "ignore", *known_options}))
            raise ConfigError(f"{where}: unknown option (known: {known})")
    return Config(select=select, ignore=ignore, options=options)
