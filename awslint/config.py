"""Which rules run and with which options, from whatever front end the user chose.

`[tool.awslint]` in the nearest `pyproject.toml` is read by all three front ends; each validates every
value here, so a bad code, name or kind is the same one-line error wherever it is given.
"""
from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from awslint.rule import Option, OptionKind


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

    def key(self) -> str:
        """A stable text of everything that changes results (for the cache)."""
        opts = ";".join(f"{k}={','.join(v)}" for k, v in sorted(self.options.items()))
        return f"select={','.join(self.select)}|ignore={','.join(self.ignore)}|{opts}"


DEFAULT = Config()


def split_list(value: Any, where: str) -> tuple[str, ...]:
    """A list option given as a TOML array or a comma-separated string."""
    if isinstance(value, str):
        items = [v.strip() for v in value.replace("\n", ",").split(",")]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value]
    else:
        raise ConfigError(f"{where}: expected a list of strings, got {_short(value)}")
    return tuple(v for v in items if v)


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:
        text = f"a nested {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


# --- validation -------------------------------------------------------------------------------------

def _dotted(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.split("."))


def _name(text: str) -> bool:
    return _dotted(text[1:]) if text.startswith(".") else _dotted(text)


SINK_KINDS = ("shell", "program", "code")

_EXPECTED: dict[str, str] = {
    "dotted": "a dotted name (`mylib.release`)",
    "name": "a dotted name (`mylib.connect`), `Class.method`, or `.method` for a method of any receiver",
    "sink": "a dotted name with an optional kind: `mylib.run`, `mylib.run:program`, `mylib.run:code`",
    "glob": "a file pattern (`tests/*`)",
}


def _valid(kind: OptionKind, value: str) -> bool:
    if kind == "dotted":
        return _dotted(value)
    if kind == "name":
        return _name(value)
    if kind == "sink":
        name, colon, sink_kind = value.partition(":")
        return _name(name.strip()) and (not colon or sink_kind.strip() in SINK_KINDS)
    return "\0" not in value


def validate_option(option: Option, values: Iterable[str], where: str) -> tuple[str, ...]:
    """`values` checked against `option`'s kind; the first bad one is a ConfigError naming it."""
    out = tuple(values)
    for value in out:
        if not _valid(option.value_kind, value):
            raise ConfigError(f"{where}: {value!r} is not {_EXPECTED[option.value_kind]}")
    return out


def validate_codes(codes: Iterable[str], where: str) -> tuple[str, ...]:
    """Code prefixes, upper-cased; one that starts no rule's code is a ConfigError naming it."""
    from awslint.rules import RULES

    out = tuple(c.strip().upper() for c in codes if c.strip())
    for code in out:
        if code != "AWS" and not any(rule.code.startswith(code) for rule in RULES):
            raise ConfigError(f"{where}: {code} is not a code or prefix of one (see awslint --list-rules)")
    return out


def validate_globs(globs: Iterable[str], where: str) -> tuple[str, ...]:
    out = tuple(globs)
    for glob in out:
        if "\0" in glob:
            raise ConfigError(f"{where}: {glob!r} is not a file pattern")
    return out


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start`."""
    try:
        start = start.resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (start, *start.parents) if start.is_dir() else start.parents:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Project:
    """`[tool.awslint]` of one pyproject.toml, validated. Paths in `per_file_ignores` and the exclude
    patterns are relative to `root`, the folder of the file."""

    root: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def ignored_for(self, relpath: str) -> tuple[str, ...]:
        """The codes per-file-ignores leaves out for `relpath` (POSIX, relative to `root`)."""
        name = relpath.rsplit("/", 1)[-1]
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            pat = pattern.rstrip("/")
            if (
                fnmatch.fnmatch(relpath, pat)
                or fnmatch.fnmatch(name, pat)
                or relpath.startswith(pat + "/")
            ):
                out.extend(codes)
        return tuple(out)


_CODE_KEYS = ("select", "ignore", "extend-select", "extend-ignore")
_GLOB_KEYS = ("exclude", "extend-exclude")


def _per_file_ignores(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A table `{"tests/*" = ["AWS1"]}` or flake8's text `tests/*: AWS1 AWS2` (one pattern a line)."""
    pairs: list[tuple[str, tuple[str, ...]]] = []
    if isinstance(value, dict):
        for pattern, codes in value.items():
            pairs.append((pattern, validate_codes(split_list(codes, f"{where} {pattern!r}"), f"{where} {pattern!r}")))
    elif isinstance(value, str):
        for entry in value.replace(",", " ").splitlines():
            if not entry.strip():
                continue
            pattern, colon, codes = entry.partition(":")
            if not colon:
                raise ConfigError(f"{where}: {entry.strip()!r} is not `pattern: CODES`")
            pairs.append((pattern.strip(), validate_codes(codes.split(), f"{where} {pattern.strip()!r}")))
    else:
        raise ConfigError(f"{where}: expected a table of pattern = [codes], got {_short(value)}")
    return tuple(pairs)


def load_pyproject(path: Path, known: Sequence[Option] | None = None) -> Project:
    """The `[tool.awslint]` table of `path`; unknown keys and bad values raise ConfigError."""
    if known is None:
        from awslint.rules import OPTIONS

        known = OPTIONS
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {' '.join(str(exc).split())}") from exc
    except (RecursionError, MemoryError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: nested too deeply") from exc
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table, got {_short(tool)}")
    table = tool.get("awslint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.awslint] must be a table, got {_short(table)}")
    by_name = {o.name: o for o in known}
    fields: dict[str, Any] = {"root": path.parent}
    options: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        name = key.replace("_", "-")
        where = f"{path}: [tool.awslint] {key}"
        if name in _CODE_KEYS:
            fields[name.replace("-", "_")] = validate_codes(split_list(value, where), where)
        elif name in _GLOB_KEYS:
            fields[name.replace("-", "_")] = validate_globs(split_list(value, where), where)
        elif name == "per-file-ignores":
            fields["per_file_ignores"] = _per_file_ignores(value, where)
        elif name in by_name:
            options[name] = validate_option(by_name[name], split_list(value, where), where)
        else:
            names = sorted({*_CODE_KEYS, *_GLOB_KEYS, "per-file-ignores", *by_name})
            raise ConfigError(f"{where}: unknown option (known: {', '.join(names)})")
    return Project(options=options, **fields)


def shared_options(start: Path, known: Sequence[Option]) -> dict[str, tuple[str, ...]]:
    """The rule options of the `[tool.awslint]` nearest `start`, for the flake8 and pylint plugins."""
    path = find_pyproject(start)
    return dict(load_pyproject(path, known).options) if path else {}
