"""The defaults tracker's shortcuts (mutation_flow) give the answers of what they stand in for.

An expression's names and `:=` are found once (`_scan`), so are the nodes the tracker acts on in it
(`_actions`), a method's class is read from the class
bodies, the functions that declare `global` come from the index, and a call that cannot run a function
of the module is told apart without the semantic model. Each is compared here with the slower answer it
replaces, on every function and call of the standard library's top level and of the fixtures.
"""
from __future__ import annotations

import ast
import sysconfig
import textwrap
import warnings
from pathlib import Path
from typing import Iterable, Iterator

import pytest

from awslint.analysis.index import Index
from awslint.analysis.model import SemanticModel
from awslint.analysis.module_calls import _owner, call_target
from awslint.analysis.mutation_flow import Helpers, _actions, _declared_global, _scan, graph_cache
from awslint.analysis.names import Names

FIXTURES = Path(__file__).parent / "fixtures"

TRICKY = textwrap.dedent(
    '''\
    import os
    x = 0

    def helper(v):
        return v

    class Tool:
        if os.name == "nt":
            def run(self, cmd):
                return self.other(cmd)
        else:
            try:
                def run(self, cmd):
                    def inner():
                        global x
                        x = cmd
                    return inner()
            except ImportError:
                def other(self, cmd):
                    pass
            finally:
                with open("f") as fh:
                    def closing(self):
                        return fh
        match x:
            case 1:
                def matched(self):
                    return helper(self)
        class Inner:
            def method(self):
                return super().__init__(self)
        pick = lambda self: self.run("x")

    def outer(event, seen=[]):
        class Local:
            def method(self):
                global x
                return helper(seen)
        if (n := len(seen)) and [y := v for v in seen] and (lambda: (z := 1)):
            seen.append(n)
        hooks = map(lambda seen, k=seen.add: (lambda n: seen[n] + k)(1), seen.copy().pop)
        yield (lambda *seen: seen.append)(seen).get, seen[0], seen[:1]
        return Local
    '''
)


def _sources() -> Iterator[str]:
    yield TRICKY
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in [*sorted(stdlib.glob("*.py")), *sorted(FIXTURES.rglob("*.py"))]:
        try:
            yield path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue


def _trees() -> Iterator[ast.Module]:
    for source in _sources():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                yield ast.parse(source)
            except (SyntaxError, ValueError):
                continue


def _walrus_reference(parts: Iterable[ast.AST]) -> Iterator[ast.NamedExpr]:
    """The walk `_scan` replaced: the `:=` that bind in this function, in its order."""
    stack = list(parts)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.NamedExpr):
            yield node
        if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _acted_on_reference(root: ast.expr) -> list[tuple[ast.AST, frozenset[str], frozenset[str]]]:
    """The walk `Tracker.expr` made before `_actions`: the nodes it acted on, with the lambda parameters
    around each and the names a test around it finds non-empty (`x.pop() if x else None`, `x and
    x.pop()`), in its order."""
    def tested(test: ast.AST) -> frozenset[str]:
        if isinstance(test, ast.Name):
            return frozenset({test.id})
        if (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "len"
                and len(test.args) == 1 and isinstance(test.args[0], ast.Name)):
            return frozenset({test.args[0].id})
        return frozenset()

    out: list[tuple[ast.AST, frozenset[str], frozenset[str]]] = []
    stack: list[tuple[ast.AST, frozenset[str], frozenset[str]]] = [(root, frozenset(), frozenset())]
    called: set[int] = set()
    while stack:
        node, hidden, guarded = stack.pop()
        if isinstance(node, ast.Call):
            called.add(id(node.func))
            out.append((node, hidden, guarded))
        elif isinstance(node, ast.Attribute) and id(node) not in called and isinstance(node.value, ast.Name):
            out.append((node, hidden, guarded))
        elif isinstance(node, ast.Subscript):
            if isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name):
                out.append((node, hidden, guarded))
        elif isinstance(node, ast.Yield) and node.value is not None:
            out.append((node, hidden, guarded))
        elif isinstance(node, ast.Lambda):
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            stack.append((node.body, hidden | {a.arg for a in args}, guarded))
            continue
        elif isinstance(node, ast.IfExp):
            stack += [(node.test, hidden, guarded), (node.body, hidden, guarded | tested(node.test)),
                      (node.orelse, hidden, guarded)]
            continue
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            before: frozenset[str] = frozenset()
            for operand in node.values:
                stack.append((operand, hidden, guarded | before))
                before |= tested(operand)
            continue
        stack.extend((child, hidden, guarded) for child in ast.iter_child_nodes(node))
    return out


@pytest.mark.slow
def test_shortcuts_agree_with_what_they_replace() -> None:
    checked = {"class_of": 0, "globals": 0, "targets": 0, "scans": 0, "actions": 0}
    for tree in _trees():
        index = Index(tree)
        model = SemanticModel(tree)
        helpers = Helpers(model, Names(tree, index.imports), graph_cache(lambda f: None), index)
        for func in index.functions:
            assert helpers.declared_global(func) == _declared_global(func)
            checked["globals"] += 1
            if not isinstance(func, ast.Lambda):
                assert helpers.class_of(func) is _owner(model, func)
                checked["class_of"] += 1
            for stmt in ([func.body] if isinstance(func, ast.Lambda) else func.body):
                facts = _scan(stmt)
                assert list(facts.walrus) == list(_walrus_reference([stmt]))
                assert facts.names == frozenset(n.id for n in ast.walk(stmt) if isinstance(n, ast.Name))
                checked["scans"] += 1
                for part in ast.iter_child_nodes(stmt):
                    if isinstance(part, ast.expr):
                        assert list(_actions(part)) == _acted_on_reference(part)
                        checked["actions"] += 1
        for call, caller in index.calls:
            if caller is None:
                continue
            with_model = call_target(model, call, caller)
            if with_model is not None:
                assert helpers.may_run_own(call)
                checked["targets"] += 1
            if not isinstance(caller, ast.Lambda):
                assert call_target(model, call, caller, helpers.class_of) == with_model
    assert min(checked.values()) > 100, checked
