"""awslint.analysis.nodes walks in ast's own orders (a rule that reports the first node it meets
reports the same one)."""
from __future__ import annotations

import ast
import sysconfig
import warnings
from pathlib import Path

import pytest

from awslint.analysis.nodes import breadth_first, children


@pytest.mark.slow
def test_walks_keep_ast_orders_on_the_standard_library() -> None:
    checked = 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_text(encoding="utf-8"))
        walked = list(ast.walk(tree))
        assert list(breadth_first(tree)) == walked
        for node in walked[::50]:
            assert children(node) == list(ast.iter_child_nodes(node))
        checked += 1
    assert checked > 100


def test_walks_keep_ast_orders_on_one_module() -> None:
    tree = ast.parse("def f(a, *, b=[1, 2]):\n    return [x async for x in a] if b else {k: (y := k) for k in b}\n")
    assert list(breadth_first(tree)) == list(ast.walk(tree))
    function = tree.body[0]
    assert children(function) == list(ast.iter_child_nodes(function))
    assert [type(n).__name__ for n in children(function)] == ["arguments", "Return"]
