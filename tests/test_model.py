"""The semantic model: every binding form lands in the scope Python puts it in."""
from __future__ import annotations

import ast
import textwrap

from awslint.analysis.model import SemanticModel

SOURCE = textwrap.dedent(
    '''\
    import os.path
    from json import loads as parse
    counter = 0

    def every_form(a, /, b, *args, c, **kw):
        global counter
        x = y = 1
        (p, [q, *r]) = 1, [2, 3]
        z: int = 2
        w: int
        x += 1
        for i, j in []:
            pass
        with open("f") as fh, open("g") as (g1, g2):
            pass
        try:
            pass
        except ValueError as err:
            pass
        try:
            pass
        except* OSError as eg:
            pass
        if (n := 3):
            pass
        match a:
            case [first, *rest]:
                pass
            case {"k": value, **others}:
                pass
            case Point(x=px) | Point(y=px):
                pass
            case _ as whole:
                pass
        import socket
        del z
        def inner():
            nonlocal x
            x = 5
        class K:
            attr = 1
        [m for m in range(3) if (hit := m)]
        counter = 1
        return lambda t: t
    '''
)


def _model() -> tuple[ast.Module, SemanticModel]:
    tree = ast.parse(SOURCE)
    return tree, SemanticModel(tree)


def test_every_binding_form_is_a_local_of_the_function() -> None:
    tree, model = _model()
    func = tree.body[3]
    assert isinstance(func, ast.FunctionDef)
    assert model.local_names(func) == {
        "a", "b", "args", "c", "kw", "x", "y", "p", "q", "r", "z", "w", "i", "j", "fh", "g1", "g2",
        "err", "eg", "n", "first", "rest", "value", "others", "px", "whole", "socket", "inner", "K", "hit",
    }
    kinds = {name: {b.kind for b in model.bindings_of(func, name)} for name in ("a", "x", "z", "err", "eg", "n", "first", "socket", "hit")}
    assert kinds == {
        "a": {"parameter"}, "x": {"assign", "augassign"}, "z": {"annassign", "delete"}, "err": {"except"},
        "eg": {"except"}, "n": {"walrus"}, "first": {"match"}, "socket": {"import"}, "hit": {"walrus"},
    }


def test_global_nonlocal_and_nested_scopes() -> None:
    tree, model = _model()
    func = tree.body[3]
    assert isinstance(func, ast.FunctionDef)
    assert "counter" not in model.local_names(func)
    assert model.resolve_scope(func, "counter") is model.module
    inner = next(n for n in ast.walk(func) if isinstance(n, ast.FunctionDef) and n.name == "inner")
    assert "x" not in model.local_names(inner)
    assert model.resolve_scope(inner, "x") is model.scope(func)
    klass = next(n for n in ast.walk(func) if isinstance(n, ast.ClassDef))
    assert model.local_names(klass) == {"attr"}
    comp = next(n for n in ast.walk(func) if isinstance(n, ast.ListComp))
    assert model.local_names(comp) == {"m"}
    lam = next(n for n in ast.walk(func) if isinstance(n, ast.Lambda))
    assert model.local_names(lam) == {"t"}
    assert model.module.local_names() == {"os", "parse", "counter", "every_form"}


def test_a_class_scope_is_not_seen_from_its_methods() -> None:
    tree = ast.parse("x = 1\nclass C:\n    x = 2\n    def m(self):\n        return x\n")
    model = SemanticModel(tree)
    method = tree.body[1].body[1]  # type: ignore[attr-defined]
    assert model.resolve_scope(method, "x") is model.module


def test_parents_classes_methods_and_call_graph() -> None:
    tree = ast.parse(textwrap.dedent(
        '''\
        def helper():
            return 1

        class Service:
            def run(self):
                return self.step() + helper()

            def step(self):
                return 2
        '''
    ))
    model = SemanticModel(tree)
    service = tree.body[1]
    assert isinstance(service, ast.ClassDef)
    assert model.classes == [service]
    assert list(model.methods(service)) == ["run", "step"]
    run = model.methods(service)["run"]
    assert [f.name for f in model.callees(run)] == ["step", "helper"]
    ret = run.body[0]
    assert isinstance(ret, ast.Return) and ret.value is not None
    assert model.parent(ret) is run
    assert model.enclosing_function(ret.value) is run


def test_deep_nesting_does_not_recurse() -> None:
    source = "x = " + "(" * 90 + "1" + ")" * 90 + "\n" + "".join(
        f"{'    ' * i}if x:\n" for i in range(90)
    ) + "    " * 90 + "y = 1\n"
    model = SemanticModel(ast.parse(source))
    assert model.module.local_names() == {"x", "y"}


def test_outer_functions_follow_scoping_not_position() -> None:
    from awslint.analysis.index import Index

    tree = ast.parse(textwrap.dedent(
        '''\
        def outer(cb=lambda v: v):
            class K:
                def method(self):
                    return lambda: 1
            return K
        '''
    ))
    index = Index(tree)
    outer = tree.body[0]
    assert isinstance(outer, ast.FunctionDef)
    default = outer.args.defaults[0]
    assert isinstance(default, ast.Lambda)
    method = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "method")
    inner = next(n for n in ast.walk(method) if isinstance(n, ast.Lambda))
    assert index.outer_functions(inner) == [method, outer]
    assert index.outer_functions(method) == [outer]
    assert index.outer_functions(default) == []


def test_local_bindings_leave_the_shared_tree_as_it_was() -> None:
    # flake8 hands one tree to every plugin: nothing of ours may appear on its nodes.
    from awslint.analysis.names import local_bindings

    tree = ast.parse(SOURCE)
    before = [(n, dict(vars(n))) for n in ast.walk(tree)]
    func = tree.body[3]
    assert isinstance(func, ast.FunctionDef)
    first = local_bindings(func)
    first.add("changed by the caller")
    assert local_bindings(func) == SemanticModel(tree).local_names(func) - {"socket"}  # bound only by an import
    inner = next(n for n in ast.walk(func) if isinstance(n, ast.FunctionDef) and n.name == "inner")
    assert local_bindings(inner) == set()  # `nonlocal x` hands x to every_form
    assert [(n, dict(vars(n))) for n in ast.walk(tree)] == before
