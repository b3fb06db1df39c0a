"""The taint analysis's scope facts (taint_scopes) give the answers of the module's semantic model."""
from __future__ import annotations

import ast
import sysconfig
import textwrap
from pathlib import Path

import pytest

from awslint.analysis.index import FunctionNode
from awslint.analysis.model import SemanticModel
from awslint.analysis.taint_scopes import TaintScopes
from awslint.config import Config
from awslint.context import Context

FIXTURES = Path(__file__).parent / "fixtures"

TRICKY = textwrap.dedent(
    '''\
    import os
    global at_module

    def helper():
        return 1

    class Tool:
        global in_class
        if os.name == "nt":
            def run(self, cmd):
                return helper()
        else:
            try:
                def run(self, cmd):
                    def inner():
                        return cmd
                    return inner()
            except ImportError:
                pass
        pick = lambda self: self.run("x")
        rows = [lambda: n for n in range(3)]

    def outer(event):
        def helper():
            return event
        def helper():
            return event["k"]
        class Local:
            def method(self):
                return helper()
        sink = lambda: helper()
        keep = [lambda: helper() for helper in ()]
        def uses_global():
            global helper
            return helper()
        def uses_nonlocal():
            nonlocal event
            return helper()
        return helper, Local, sink, keep, uses_global, uses_nonlocal
    '''
)


def _model_answers(model: SemanticModel, func: FunctionNode) -> tuple[object, ...]:
    scope = model.scope(func)
    assert scope is not None
    parent = scope.parent
    method_class = parent.node if parent is not None and isinstance(parent.node, ast.ClassDef) else None
    outer = parent
    if isinstance(func, ast.Lambda):
        while outer is not None and not isinstance(outer.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            outer = outer.parent
    around = outer.node if outer is not None and isinstance(outer.node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    bound = frozenset(n for n, found in scope.bindings.items() if scope.binds(n) and any(b.kind != "import" for b in found))
    bindings = {n: [(b.kind, b.node, b.value) for b in found] for n, found in scope.bindings.items()}
    return method_class, around, bound, bindings


def _visible_by_model(model: SemanticModel, func: FunctionNode, name: str) -> FunctionNode | None:
    found = model.resolve_scope(func, name)
    if found is None or not isinstance(found.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return None
    defs = [b.node for b in found.bindings.get(name, ()) if b.kind == "def"
            and isinstance(b.node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return max(defs, key=lambda d: (d.lineno, d.col_offset)) if defs else None


def _compare(source: str) -> int:
    """Every function's scope facts, by taint_scopes and by the whole model; returns how many functions."""
    tree = ast.parse(source)
    ctx = Context(tree, source.splitlines(), "m.py", Config())
    model = SemanticModel(tree)
    facts = TaintScopes(ctx)
    declared = frozenset(n for s in model.scopes.values() if s.node is not tree for n in s.declared_global)
    assert facts.declared_global() == declared
    names = {f.name for f in ctx.index.functions if not isinstance(f, ast.Lambda)}
    for func in ctx.index.functions:
        own = facts.own_scope(func)
        assert own is not None
        mine = (facts.method_class(func), facts.parent_function(func), facts.bound(func),
                {n: [(b.kind, b.node, b.value) for b in found] for n, found in own.bindings.items()})
        assert mine == _model_answers(model, func), ast.dump(func)[:200]
        for name in names:
            assert facts.visible_def(func, name) is _visible_by_model(model, func, name), (func.lineno, name)
    return len(ctx.index.functions)


def test_tricky_scopes_match_the_model() -> None:
    assert _compare(TRICKY) == 14


def test_the_module_scope_matches_the_model() -> None:
    tree = ast.parse(TRICKY)
    ctx = Context(tree, TRICKY.splitlines(), "m.py", Config())
    own = TaintScopes(ctx).own_scope(tree)
    assert own is not None
    assert {n: [b.node for b in found] for n, found in own.bindings.items()} == {
        n: [b.node for b in found] for n, found in SemanticModel(tree).module.bindings.items()}
    assert TaintScopes(ctx).declared_global() == frozenset({"in_class", "helper"})


def test_a_nested_def_resolves_to_the_last_def_around_it() -> None:
    tree = ast.parse(TRICKY)
    ctx = Context(tree, TRICKY.splitlines(), "m.py", Config())
    facts = TaintScopes(ctx)
    by_line = {f.lineno: f for f in ctx.index.functions}
    method, uses_global, uses_nonlocal = by_line[29], by_line[33], by_line[36]
    assert facts.visible_def(method, "helper") is by_line[26]
    assert facts.visible_def(uses_global, "helper") is None  # `global helper`: the module's, not a nested def
    assert facts.visible_def(uses_nonlocal, "helper") is by_line[26]
    assert facts.method_class(by_line[29]) is not None and facts.parent_function(by_line[29]) is None


def test_injection_fixtures_match_the_model() -> None:
    count = sum(_compare(p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "injection").rglob("*.py")))
    assert count > 100


@pytest.mark.slow
def test_standard_library_top_level_matches_the_model() -> None:
    count = 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py")):
        try:
            source = path.read_text(encoding="utf-8")
            ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        count += _compare(source)
    assert count > 7_000
