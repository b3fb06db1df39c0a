"""scopes.Blocks finds, from the shared index alone, the same block around a node as walking every
block with scopes() does — and the same enclosing class — on nested shapes where positions matter."""
from __future__ import annotations

import ast
import textwrap

from awslint.analysis.index import Index
from awslint.analysis.scopes import Blocks, scopes

SOURCE = textwrap.dedent('''
    import contextlib

    try:
        import json
    except ImportError:
        json = None

    class Outer:
        for name in ("a", "b"):
            pass

        class Inner:
            try:
                X = 1
            except Exception:
                X = 2

            def method(self, items):
                for item in items:
                    with contextlib.suppress(Exception):
                        items.remove(item)

        @staticmethod
        def build(values=[v for v in range(3)], key=lambda v: v):
            class Local:
                while True:
                    break

                def run(self):
                    try:
                        return 1
                    finally:
                        pass

            for value in values:
                pass
            return Local

    def top(rows):
        def inner():
            for row in rows:
                try:
                    row.pop()
                except KeyError:
                    pass
        class K:
            for r in rows:
                pass
        return inner, K
''')
KINDS = (ast.ExceptHandler, ast.Try, ast.With, ast.For, ast.While)


def test_blocks_agree_with_scopes() -> None:
    tree = ast.parse(SOURCE)
    truth: dict[int, ast.AST] = {}
    classes: dict[int, ast.ClassDef | None] = {}
    for scope in scopes(tree):
        for node in scope.own_nodes():
            truth[id(node)] = scope.node
        classes[id(scope.node)] = scope.enclosing_class()
    index = Index(tree)
    blocks = Blocks(tree, index)
    pairs = index.of_type(*KINDS)
    assert len(pairs) == 14
    for node, function in pairs:
        block = blocks.of(node, function)
        assert block.node is truth[id(node)], (getattr(node, "lineno", 0), type(node).__name__)
        assert block.enclosing_class() is classes[id(block.node)]
