"""The shared index: what one walk records, in source order, with the function around each."""
from __future__ import annotations

import ast
import textwrap

from awslint.analysis.index import Index

_SOURCE = textwrap.dedent(
    """\
    import os

    def outer(x=make()):
        client.list_things(Bucket=b)
        helper = lambda y=default(): inner_call()
        return os.path.join(x)(tail())

    @decorate(arg())
    class Thing(Base):
        def method(self):
            self.save()
            pass
    """
)


def _where(node: ast.AST | None) -> tuple[int, int] | None:
    return None if node is None else (node.lineno, node.col_offset)  # type: ignore[attr-defined]


def test_calls_are_in_source_order_with_the_function_around_each() -> None:
    index = Index(ast.parse(_SOURCE))
    assert [(ast.unparse(call.func), _where(scope)) for call, scope in index.calls] == [
        ("make", None),  # a default runs where the function is defined
        ("client.list_things", (3, 0)),
        ("default", (3, 0)),
        ("inner_call", (5, 13)),
        ("os.path.join(x)", (3, 0)),  # the call of a call: the outer one first, as the walk meets them
        ("os.path.join", (3, 0)),
        ("tail", (3, 0)),
        ("decorate", None),
        ("arg", None),
        ("self.save", (10, 4)),
    ]


def test_calls_grouped_by_the_called_attribute_or_name() -> None:
    index = Index(ast.parse(_SOURCE))
    by_attr = index.calls_by_attr()
    assert sorted(by_attr) == ["join", "list_things", "save"]
    assert [call.lineno for call, _ in by_attr["save"]] == [11]
    assert [_where(scope) for _, scope in by_attr["list_things"]] == [(3, 0)]
    assert sorted(index.calls_by_name()) == ["arg", "decorate", "default", "inner_call", "make", "tail"]
    # `os.path.join(x)(tail())` calls a call: neither an attribute nor a name.
    assert len(index.calls) == sum(map(len, by_attr.values())) + sum(map(len, index.calls_by_name().values())) + 1


def test_functions_statements_and_size() -> None:
    index = Index(ast.parse(_SOURCE))
    assert [(type(f).__name__, _where(f)) for f in index.functions] == [
        ("FunctionDef", (3, 0)), ("Lambda", (5, 13)), ("FunctionDef", (10, 4))
    ]
    assert index.enclosing[index.functions[1]] == index.functions[0]
    assert index.outer_functions(index.functions[1]) == [index.functions[0]]
    assert [(_where(n), _where(s)) for n, s in index.of_type(ast.Return)] == [((6, 4), (3, 0))]
    assert [c.name for c in index.classes] == ["Thing"]
    assert len(index.imports) == 1
    # Names, constants and contexts are not counted; a `pass` of a function's own body is.
    assert index.size == 26


def test_a_tree_built_by_hand_without_positions_or_fields() -> None:
    call = ast.Call(func=ast.Name(id="f", ctx=ast.Load()), args=[])  # type: ignore[call-arg]  # no keywords, no position
    tree = ast.Module(body=[ast.Expr(value=call)])  # type: ignore[call-arg]  # no type_ignores
    index = Index(tree)
    assert index.calls == [(call, None)]
    assert list(index.calls_by_name()) == ["f"]


def test_calls_named_is_a_subsequence_of_calls_in_their_order() -> None:
    index = Index(ast.parse("socket.socket().connect(a)\nopen(p)\nf.open()\nsave(x)\n"))
    assert [ast.unparse(call) for call, _ in index.calls_named({"connect", "socket", "open"})] == [
        "socket.socket().connect(a)", "socket.socket()", "open(p)", "f.open()"
    ]
    assert index.calls_named({"nothing"}) == []
    # A large set of names is looked through from the index's side: same answer.
    many = {f"name{i}" for i in range(100)} | {"save"}
    assert [ast.unparse(call) for call, _ in index.calls_named(many)] == ["save(x)"]


def test_functions_with_a_default_that_may_be_mutable() -> None:
    index = Index(ast.parse(textwrap.dedent(
        """\
        def a(x=[]): pass
        def b(x=None, *, y=None): pass
        def c(*, y=dict()): pass
        def d(x=(1, 2), y={}): pass
        e = lambda x={i for i in y}: x
        def f(x=CONSTANT): pass
        """
    )))
    assert [getattr(f, "name", "<lambda>") for f in index.defaulted] == ["a", "c", "d", "<lambda>"]


def test_decorated_and_test_named_functions() -> None:
    index = Index(ast.parse(textwrap.dedent(
        """\
        @fixture
        def conn(): pass
        def test_it(): pass
        class T:
            @staticmethod
            def test_other(): pass
        check = lambda: 0
        """
    )))
    assert [f.name for f in index.decorated] == ["conn", "test_other"]  # type: ignore[union-attr]
    assert [f.name for f in index.test_named] == ["test_it", "test_other"]  # type: ignore[union-attr]


def test_statement_buckets_are_in_source_order_whenever_first_asked() -> None:
    # The walk keeps each bucket in its own order and sorts it on the first `of_type`: nested loops
    # and loops in nested functions (walked after the module's own statements) still come in order,
    # and asking again, alone or with another kind, gives the same list.
    index = Index(ast.parse(textwrap.dedent(
        """\
        for a in x:
            def f():
                for b in y:
                    while c:
                        for d in z: pass
            for e in w: pass
        while g: pass
        for h in v: pass
        """
    )))
    fors = [(1, 0), (3, 8), (5, 16), (6, 4), (8, 0)]
    assert [_where(n) for n, _ in index.of_type(ast.For, ast.While)] == [(1, 0), (3, 8), (4, 12), (5, 16), (6, 4), (7, 0), (8, 0)]
    assert [_where(n) for n, _ in index.of_type(ast.For)] == fors
    assert [_where(n) for n, _ in index.of_type(ast.For)] == fors
    assert [_where(f) for _, f in index.of_type(ast.For)] == [None, (2, 4), (2, 4), None, None]
    assert index.of_type(ast.Try) == [] and index.of_type(ast.Assign) == []


def test_a_name_imported_twice_means_its_last_import_at_module_level() -> None:
    from awslint.analysis.names import Names

    tree = ast.parse(textwrap.dedent(
        """
        import json
        try:
            import pysqlite3 as sqlite3
        except ImportError:
            import sqlite3

        def fast():
            import ujson as json
            return json
        """
    ))
    names = Names(tree, Index(tree).imports)
    # the fallback names the API the other module stands in for; a function's own import does not
    # change what the module's name means
    assert names.aliases["sqlite3"] == "sqlite3"
    assert names.aliases["json"] == "json"
