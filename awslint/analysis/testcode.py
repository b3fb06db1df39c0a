"""Where the file's test code is: test files, test functions, fixtures, and code run under a mock.

Tests run against data they create or mock, so a rule about what happens with real data at scale
(one page of a listing, a batch failure, a poll loop) would report what no reviewer wants changed there.
The answer is computed once per file and asked by position: `in_test(node)`.
"""
from __future__ import annotations

import ast
import bisect
import fnmatch
import os
from functools import lru_cache
from pathlib import Path, PurePath
from typing import AbstractSet, Sequence

from awslint.analysis.index import CallSite, FunctionNode, Index
from awslint.analysis.names import Names, dotted
from awslint.analysis.nodes import top_statement
from awslint.data.testing import (
    FIXTURE_DECORATORS,
    MOCK_CALLS,
    MOCK_MODULE_PREFIXES,
    PROJECT_MARKERS,
    STUB_CLASSES,
    TEST_DIRECTORIES,
    TEST_FILE_PATTERNS,
    TESTCASE_SUFFIX,
)

_NOT_FILES = frozenset({"", "-", "<unknown>", "<stdin>", "stdin"})


@lru_cache(maxsize=1024)
def _project_root(folder: str) -> str | None:
    """The nearest folder at or above `folder` holding a project marker."""
    current = Path(folder)
    for candidate in (current, *current.parents):
        try:
            if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
                return str(candidate)
        except OSError:
            return None
    return None


def relative_to_project(filename: str) -> PurePath:
    """`filename` relative to its project root, or as given when no root is found."""
    path = PurePath(filename)
    try:
        absolute = Path(os.path.abspath(filename))
    except (OSError, ValueError):
        return path
    root = _project_root(str(absolute.parent))
    if root is None:
        return path
    try:
        return absolute.relative_to(root)
    except ValueError:
        return path


def is_test_file(filename: str, test_paths: Sequence[str] = ()) -> bool:
    """Whether the file's path says it is test code (a `tests` folder, `test_*.py`, a `test-paths` glob)."""
    if filename in _NOT_FILES:
        return False
    relative = relative_to_project(filename)
    folders = relative.parts[:-1]
    if any(part in TEST_DIRECTORIES for part in folders):
        return True
    name = relative.name
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in TEST_FILE_PATTERNS):
        return True
    posix = relative.as_posix()
    return any(fnmatch.fnmatchcase(posix, glob) or fnmatch.fnmatchcase(filename, glob) for glob in test_paths)


class TestContext:
    """The test regions of one module, as line spans, and whether the whole file is test code."""

    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(
        self, tree: ast.AST, filename: str, index: Index, names: Names, test_paths: Sequence[str] = ()
    ) -> None:
        self.file_is_test = is_test_file(filename, test_paths)
        self._names = names
        self.whole_file_mocked = False
        spans: list[tuple[int, int]] = []
        if not self.file_is_test:
            spans = self._regions(index, tree)
        self._starts, self._ends = _merge(spans)

    def in_test(self, node: ast.AST) -> bool:
        """Whether `node` is test code: in a test file, a test function or fixture, or under a mock."""
        if self.file_is_test or self.whole_file_mocked:
            return True
        line = getattr(node, "lineno", None)
        if line is None or not self._starts:
            return False
        i = bisect.bisect_right(self._starts, line) - 1
        return i >= 0 and line <= self._ends[i]

    @property
    def any_test(self) -> bool:
        return self.file_is_test or self.whole_file_mocked or bool(self._starts)

    # -- the regions --------------------------------------------------------------------------

    def _regions(self, index: Index, tree: ast.AST) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for cls in index.classes:
            if self._is_test_class(cls):
                spans.append(_span(cls))
        # From the index: functions named test_* and those with a decorator, not every function.
        spans.extend(_span(function) for function in index.test_named)
        spans.extend(_span(function) for function in index.decorated if self._is_test_function(function))
        # Most calls of a module are not mocks: the called name rules them out, one look per name
        # (the index groups the calls by it), before anything is resolved.
        aliases = self._names.aliases
        candidates: list[CallSite] = []
        by_attr = index.calls_by_attr()
        for attr in _called(by_attr.keys()):
            candidates.extend(by_attr[attr])
        by_name = index.calls_by_name()
        for called in _called(by_name.keys() - aliases.keys()):
            candidates.extend(by_name[called])
        for called in by_name.keys() & aliases.keys():
            last = aliases[called]
            if last.rpartition(".")[2] in _LAST_NAMES or "mock_" in last:
                candidates.extend(by_name[called])
        for call, scope in candidates:
            name = self._names.resolve(call.func)
            if name is None:
                continue
            if _is_mock(name):
                if scope is None and not _in_decorator_or_with(call, index):
                    # moto started at import time (`mock_aws().start()`): the module runs mocked.
                    self.whole_file_mocked = True
                elif scope is not None:
                    spans.append(_span(scope))
            elif name in STUB_CLASSES:
                # the client it wraps answers with canned responses: the function that stubs it, or
                # at module level the statement that does (`if __name__ == "__main__":` a smoke check)
                holder = scope if scope is not None else top_statement(tree, call)
                if holder is not None:
                    spans.append(_span(holder))
        for node, _ in index.of_type(ast.With, ast.AsyncWith):
            if any(self._is_mock_expr(item.context_expr) for item in node.items):  # type: ignore[attr-defined]
                spans.append(_span(node))
        return spans

    def _is_mock_expr(self, node: ast.AST) -> bool:
        target = node.func if isinstance(node, ast.Call) else node
        name = self._names.resolve(target)
        return name is not None and _is_mock(name)

    def _is_test_function(self, function: FunctionNode) -> bool:
        for decorator in getattr(function, "decorator_list", ()):
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self._names.resolve(target)
            if name is None:
                continue
            if name in FIXTURE_DECORATORS or _is_mock(name):
                return True
        return False

    def _is_test_class(self, cls: ast.ClassDef) -> bool:
        if cls.name.startswith("Test") and _collected_by_pytest(cls):
            return True
        for base in cls.bases:
            name = self._names.resolve(base) or dotted(base)
            if name and name.rsplit(".", 1)[-1].endswith(TESTCASE_SUFFIX):
                return True
        return any(self._is_mock_expr(d) for d in cls.decorator_list)


def _collected_by_pytest(cls: ast.ClassDef) -> bool:
    """A `Test*` class pytest collects: one with no `__init__` of its own, written or generated (a
    dataclass), as pytest's own rule says; `class TestRunRecorder: def __init__(...)` is product code."""
    if any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__init__" for s in cls.body):
        return False
    return not any(
        (dotted(d.func if isinstance(d, ast.Call) else d) or "").rsplit(".", 1)[-1] in ("dataclass", "define", "s")
        for d in cls.decorator_list
    )


# The last part of every name _regions looks for; moto's `mock_*` are matched by prefix.
_LAST_NAMES = frozenset(name.rpartition(".")[2] for name in MOCK_CALLS | STUB_CLASSES)


def _called(names: AbstractSet[str]) -> list[str]:
    """The names (no dots) a mock or stub call may be spelled with: one of `_LAST_NAMES` or a `mock_*`;
    the few of them found by set look-ups and one search of all the names at once."""
    found = [name for name in _LAST_NAMES if name in names] if len(_LAST_NAMES) < len(names) else [
        name for name in names if name in _LAST_NAMES]
    if "mock_" in "\n".join(names):
        found.extend(name for name in names if "mock_" in name and name not in _LAST_NAMES)
    return found


def _is_mock(name: str) -> bool:
    if name in MOCK_CALLS:
        return True
    module, _, attr = name.rpartition(".")
    return attr.startswith("mock_") and any(
        module == prefix or module.startswith(prefix + ".") for prefix in MOCK_MODULE_PREFIXES
    )


def _span(node: ast.AST) -> tuple[int, int]:
    start = min([getattr(node, "lineno", 1), *(d.lineno for d in getattr(node, "decorator_list", ()))])
    return (start, getattr(node, "end_lineno", None) or start)


def _in_decorator_or_with(call: ast.Call, index: Index) -> bool:
    """Whether a module-level mock call is a decorator or a `with` item (a region, not the module)."""
    decorated: list[ast.AST] = [*index.functions, *index.classes]
    for node in decorated:
        for decorator in getattr(node, "decorator_list", ()):
            if call is decorator or any(call is n for n in ast.walk(decorator)):
                return True
    for statement, _ in index.of_type(ast.With, ast.AsyncWith):
        if any(call is item.context_expr for item in statement.items):  # type: ignore[attr-defined]
            return True
    return False


def _merge(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if starts and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends
