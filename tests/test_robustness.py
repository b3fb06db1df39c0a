"""The core never raises and is deterministic, whatever it is given."""
from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awslint import check_source, check_tree
from conftest import EVERY_RULE


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_generated_programs_never_raise_and_are_deterministic(source: str) -> None:
    first = check_source(source, "generated.py", EVERY_RULE)
    assert first == check_source(source, "generated.py", EVERY_RULE)


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_node())
def test_generated_syntax_trees_never_raise(source: str) -> None:
    check_source(source, "generated.py", EVERY_RULE)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    assert isinstance(check_source(text, "noise.py", EVERY_RULE), list)


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "(" * 5000 + "1" + ")" * 5000,
        "x = " + "+".join(["a"] * 20000),
        "x = " + "[" * 5000 + "]" * 5000,
        "def f(a=[]):\n    return " + "-".join(["a"] * 20000),
        "".join(f"{'    ' * i}if x:\n" for i in range(99)) + "    " * 99 + "pass\n",
        "\0",
        "def f(:\n",
    ],
    ids=["parens", "long-sum", "nested-lists", "deep-return", "deep-ifs", "nul", "syntax-error"],
)
def test_pathological_sources(source: str) -> None:
    assert isinstance(check_source(source, "deep.py", EVERY_RULE), list)


def test_deep_tree_handed_over_by_a_caller() -> None:
    # flake8 hands us trees it parsed itself; a tree deeper than the recursion limit must not escape as an error.
    at = {"lineno": 2, "col_offset": 11, "end_lineno": 2, "end_col_offset": 12}
    node: ast.expr = ast.Name("a", ast.Load(), **at)
    for _ in range(20000):
        node = ast.BinOp(node, ast.Add(), ast.Name("a", ast.Load(), **at), **at)
    func = ast.FunctionDef(
        name="f",
        args=ast.arguments(posonlyargs=[], args=[ast.arg("a")], kwonlyargs=[], kw_defaults=[], defaults=[ast.List([], ast.Load(), lineno=1, col_offset=8)]),
        body=[ast.Return(node, **at)],
        decorator_list=[],
        lineno=1,
        col_offset=0,
    )
    tree = ast.Module(body=[func], type_ignores=[])  # ast.fix_missing_locations would itself recurse
    assert isinstance(check_tree(tree, [], "deep.py", EVERY_RULE), list)


STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.mark.slow
def test_whole_standard_library() -> None:
    checked = 0
    for path in sorted(STDLIB.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        check_source(text, str(path), EVERY_RULE)
        checked += 1
    assert checked > 500
