"""No limit is silent: an analysis that gives up on a function leaves a notice naming it."""
from __future__ import annotations

import ast

import pytest

from awslint import Config, analyse_source, checker
from awslint.analysis.index import Index
from awslint.checker import Analysis, analyse_tree


def test_a_taint_budget_spent_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    import awslint.analysis.taint_interp as interp

    monkeypatch.setattr(interp, "_BUDGET", 0)
    monkeypatch.setattr(interp, "_BUDGET_PER_LINE", 0)
    source = "import os\nimport sys\n\n\ndef main():\n    cmd = sys.argv[1]\n    os.system(cmd)\n"
    result = analyse_source(source, "app.py", Config(select=("AWS401",)))
    assert (5, "injection", "not analysed for injection: the taint budget ran out") in {
        (n.line, n.family, n.reason) for n in result.notices
    }


# One finding (AWS401 at line 7) when the file is analysed: the guards below must take it away and say so.
_INJECTION = "import os\nimport sys\n\n\ndef main():\n    cmd = sys.argv[1]\n    os.system(cmd)\n"
_SELECT = Config(select=("AWS401",))


def _outcome(result: Analysis) -> tuple[list[tuple[str, int]], list[tuple[int, str, str]]]:
    return [(f.code, f.line) for f in result.findings], [(n.line, n.family, n.reason) for n in result.notices]


def test_under_every_limit_the_file_is_analysed() -> None:
    assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == ([("AWS401", 7)], [])


def test_a_file_of_too_many_characters_is_skipped_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checker, "MAX_SOURCE_CHARS", 60)
    assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == (
        [], [(1, "awslint", f"not analysed: {len(_INJECTION)} characters is more than 60")]
    )


def test_a_file_of_too_many_lines_is_skipped_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checker, "MAX_LINES", 5)
    parsed: list[str] = []
    monkeypatch.setattr(ast, "parse", lambda *a, **k: parsed.append("parsed"))
    assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == (
        [], [(1, "awslint", "not analysed: 7 lines is more than 5")]
    )
    assert parsed == []


def test_a_tree_handed_over_with_too_many_lines_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checker, "MAX_LINES", 5)
    lines = _INJECTION.splitlines(keepends=True)  # as flake8 hands them over
    assert _outcome(analyse_tree(ast.parse(_INJECTION), lines, "app.py", _SELECT)) == (
        [], [(1, "awslint", "not analysed: 7 lines is more than 5")]
    )


def test_a_tree_of_too_many_nodes_is_skipped_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = ast.parse(_INJECTION)
    # Module, 2 Imports, FunctionDef, Assign, Subscript, Attribute, Expr, Call, Attribute: names and
    # constants are not counted.
    assert Index(tree).size == 10
    monkeypatch.setattr(checker, "MAX_NODES", 9)
    expected: tuple[list[tuple[str, int]], list[tuple[int, str, str]]] = (
        [], [(1, "awslint", "not analysed: 10 syntax nodes is more than 9")]
    )
    assert _outcome(analyse_tree(tree, _INJECTION.splitlines(), "app.py", _SELECT)) == expected
    assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == expected
    monkeypatch.setattr(checker, "MAX_NODES", 10)
    assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == ([("AWS401", 7)], [])


def test_with_no_rule_selected_nothing_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    from awslint.context import Context

    monkeypatch.setattr(Context, "index", property(lambda self: pytest.fail("the index was built")))
    assert _outcome(analyse_source(_INJECTION, "app.py", Config(select=("E9",)))) == ([], [])


def test_a_caller_with_frozen_objects_counts_them_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # gc.get_freeze_count() walks every frozen object: asked for every file, a server that froze a large
    # heap paid more for the count than for the analysis.
    import gc

    asked: list[int] = []
    real = gc.get_freeze_count

    def counting() -> int:
        asked.append(1)
        return real()

    monkeypatch.setattr(checker, "_caller_freezes", False)
    monkeypatch.setattr(gc, "get_freeze_count", counting)
    gc.freeze()
    try:
        for _ in range(5):
            assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == ([("AWS401", 7)], [])
        assert gc.get_freeze_count() > 0  # still the caller's, not unfrozen by the analysis
    finally:
        gc.unfreeze()
    assert len(asked) == 2  # the first file's question, and the test's own


def test_the_collector_does_not_run_while_the_families_read_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checker, "_caller_freezes", False)
    # Its passes would traverse again all the analyses hold, which make next to no cyclic garbage.
    import dataclasses
    import gc

    from awslint.rules import FAMILIES

    seen: list[bool] = []
    family = next(f for f in FAMILIES if f.name == "injection")
    real = family.check

    def recording(ctx: object) -> object:
        seen.append(gc.isenabled())
        return real(ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(checker, "FAMILIES", (dataclasses.replace(family, check=recording),))
    assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == ([("AWS401", 7)], [])
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_is_left_as_the_caller_had_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    monkeypatch.setattr(checker, "_caller_freezes", False)

    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert _outcome(analyse_source(_INJECTION, "app.py", _SELECT)) == ([("AWS401", 7)], [])
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # A caller that froze objects of its own (a pre-forking server) keeps them frozen.
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert _outcome(analyse_tree(ast.parse(_INJECTION), _INJECTION.splitlines(), "app.py", _SELECT)) == (
            [("AWS401", 7)], []
        )
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        analyse_source(_INJECTION, "app.py", _SELECT)
        assert not gc.isenabled()
    finally:
        gc.enable()
