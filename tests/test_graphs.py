"""The file's shared control-flow graphs: one per block for every family, no-return calls as resolved."""
from __future__ import annotations

import ast
import textwrap

import pytest

import awslint.analysis.graphs as graphs
from awslint import Config, check_source
from awslint.analysis.graphs import Graphs
from awslint.analysis.names import Names
from awslint.rules import RULES


def _graphs(source: str) -> tuple[ast.Module, Graphs]:
    tree = ast.parse(textwrap.dedent(source))
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return tree, Graphs(Names(tree, imports))


def _kinds_at(tree: ast.Module, g: Graphs, name: str, line: int) -> list[str]:
    func = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)
    cfg = g.graph(func)
    assert cfg is not None
    return sorted(node.kind for node in cfg.nodes if node.line == line and node.kind not in ("entry", "exit", "raise-exit"))


def test_a_call_ends_its_path_by_what_its_name_resolves_to() -> None:
    tree, g = _graphs("""\
        import sys as system
        from sys import exit as leave

        def imported(p):
            leave(2)

        def aliased(p):
            system.exit(2)

        def own(exit):
            exit(2)

        def parsing(parser):
            parser.error("no input")
        """)
    assert _kinds_at(tree, g, "imported", 5) == ["end"]
    assert _kinds_at(tree, g, "aliased", 8) == ["end"]
    assert _kinds_at(tree, g, "own", 11) == ["stmt"]  # a parameter named exit is the caller's function
    assert _kinds_at(tree, g, "parsing", 14) == ["end"]  # argparse prints usage and exits


def test_a_block_is_built_once_and_the_module_has_its_own() -> None:
    tree, g = _graphs("def f():\n    return 1\n")
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert g.of(func) is g.of(func)
    module, reason = g.of(tree)
    assert module is not None and reason == ""
    assert module.entry.stmt is tree


def test_every_family_shares_one_graph_of_a_function(monkeypatch: pytest.MonkeyPatch) -> None:
    # resources, the defaults tracker, the flow rules and taint all follow paths through handle()
    source = textwrap.dedent("""\
        import os
        from flask import request

        def handle(path, seen=[]):
            fh = open(path)
            try:
                seen.append(path)
                os.system("cat " + request.args["f"])
            except Exception:
                pass
            data = fh.read()
            fh.close()
            return data
        """)
    built: list[str] = []
    real = graphs.build_cfg_or_reason

    def counting(block: ast.AST, noreturn: object = None) -> object:
        built.append(getattr(block, "name", "<module>"))
        return real(block, noreturn)  # type: ignore[arg-type]

    monkeypatch.setattr(graphs, "build_cfg_or_reason", counting)
    codes = sorted({f.code for f in check_source(source, "app.py", Config(select=tuple(r.code for r in RULES)))})
    assert codes == ["AWS102", "AWS301", "AWS401", "AWS501"]
    assert built.count("handle") == 1
