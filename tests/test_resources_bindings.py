"""The resource analysis takes a function's bindings from the semantic model: the same names
`names.local_bindings` counts, by Python's scoping rules (a comprehension's names are its own)."""
from __future__ import annotations

import ast

import pytest

from awslint import Config
from awslint.analysis.model import SemanticModel
from awslint.analysis.names import local_bindings
from awslint.analysis.resource_sites import FunctionFacts
from conftest import FIXTURES, assert_labels

FILES = sorted((FIXTURES / "resources").rglob("*.py")) + sorted((FIXTURES / "process").rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_bindings_are_the_models(path: object) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    model = SemanticModel(tree)
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    assert functions
    for func in functions:
        from_module = FunctionFacts.of(func, model)
        alone = FunctionFacts.of(func)
        assert from_module.shadowed == alone.shadowed == frozenset(local_bindings(func))
        assert from_module.imported == alone.imported


def test_a_comprehension_variable_does_not_shadow_the_module() -> None:
    source = """
    import socket

    def probe(hosts):
        names = [socket for socket in hosts]
        s = socket.socket()  # expect: AWS101
        if not names:
            return None
        s.close()
        return names
    """
    assert_labels(source, "AWS1", Config(select=("AWS1",)))


def test_an_import_in_the_function_then_a_binding_is_followed() -> None:
    source = """
    def probe(host):
        import socket
        socket = socket.socket()  # expect: AWS102
        socket.connect((host, 80))
        socket.close()
    """
    assert_labels(source, "AWS1", Config(select=("AWS1",)))
