"""Which files `awslint PATH...` checks: Python files and notebooks under the given paths, minus tooling
folders, virtual environments, installed packages and what `.gitignore` leaves out."""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

# Folders that hold other people's code or generated output, never the project's own sources.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "CVS",
        ".venv",
        "venv",
        "node_modules",
        "build",
        "dist",
        "__pycache__",
        ".tox",
        ".nox",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".awslint_cache",
        "site-packages",
        "dist-packages",
    }
)


@dataclass(frozen=True)
class Target:
    """A file to check, or (with `error` set) a path the user named that cannot be checked."""

    path: str
    error: str | None = None
    origin: str = ""  # the path the user named that led here (the tree a `--fix` may write in)


def is_virtualenv(folder: str) -> bool:
    """A virtual environment, whatever its name: `python -m venv` and virtualenv both write pyvenv.cfg."""
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def _excluded(path: str, name: str, exclude: Sequence[str]) -> bool:
    norm = path.replace(os.sep, "/")
    absolute = os.path.abspath(path).replace(os.sep, "/")
    bare = norm[2:] if norm.startswith("./") else norm
    return any(
        fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(norm, pattern) or fnmatch.fnmatch(bare, pattern)
        or fnmatch.fnmatch(absolute, pattern)
        for pattern in exclude
    )


SUFFIXES = (".py", ".pyi", ".ipynb")


def discover(
    paths: Iterable[str],
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    exclude_for: Callable[[str], Sequence[str]] | None = None,
) -> Iterator[Target]:
    """Files to check, in a stable order.

    A file named on the command line is checked whatever its extension (as flake8 does); inside a
    folder only `*.py`, `*.pyi` and `*.ipynb` files are. `-` stands for standard input and is passed
    through. `exclude_for(folder)` adds the patterns the configuration of a walked folder sets.
    """
    seen: set[str] = set()
    for given in paths:
        if given == "-":
            yield Target(given)
            continue
        if not os.path.exists(given):
            yield Target(given, error="no such file or directory")
            continue
        if os.path.isdir(given):
            patterns = (*exclude, *(exclude_for(given) if exclude_for else ()))
            found = _walk(given, patterns, respect_gitignore)
        else:
            found = iter([Target(given)])
        for target in found:
            # `awslint . src` names src/ twice; check (and report) each file once.
            key = os.path.realpath(target.path)
            if target.error is None and key in seen:
                continue
            seen.add(key)
            yield target


def _walk(root: str, exclude: Sequence[str], respect_gitignore: bool) -> Iterator[Target]:
    from awslint.gitignore import GitIgnore

    ignore = GitIgnore(root) if respect_gitignore else None
    # os.walk reports unreadable folders through onerror; a folder we cannot list is the user's to know.
    problems: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=problems.append):
        if ignore is not None:
            ignore.load(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and not d.endswith(".egg-info")
            and not is_virtualenv(os.path.join(folder, d))
            and not _excluded(os.path.join(folder, d), d, exclude)
            and not (ignore is not None and ignore.ignored(os.path.join(folder, d), True))
        )
        for name in sorted(files):
            path = os.path.join(folder, name)
            if (
                name.endswith(SUFFIXES)
                and not _excluded(path, name, exclude)
                and not (ignore is not None and ignore.ignored(path, False))
            ):
                yield Target(path, origin=root)
        while problems:
            error = problems.pop(0)
            yield Target(str(error.filename or folder), error=error.strerror or str(error), origin=root)
