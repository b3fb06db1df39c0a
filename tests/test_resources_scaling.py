"""Resources at scale: findings do not depend on the size of the function, and a search that must stop
says so (a notice) instead of going silent."""
from __future__ import annotations

import ast
import textwrap

import pytest

from awslint import Config, analyse_source
from awslint.analysis.cfg import build_cfg
from awslint.analysis.resource_flow import Effect, NodeEffect, follow

RESOURCES = Config(select=("AWS101", "AWS102", "AWS103", "AWS104"))


def codes(source: str) -> list[tuple[int, str]]:
    return sorted((f.line, f.code) for f in analyse_source(source, "big.py", RESOURCES).findings)


@pytest.mark.parametrize("n", [25, 3000])
def test_tests_between_open_and_return_keep_aws101(n: int) -> None:
    body = "".join(f"    if opts.o{i}:\n        log('{i}')\n" for i in range(n))
    assert codes(f"def f(path, opts):\n    fh = open(path)\n{body}    return fh.read()\n") == [(2, "AWS101")]


@pytest.mark.parametrize("n", [25, 3000])
def test_tests_between_open_and_close_keep_aws102(n: int) -> None:
    body = "".join(f"    if opts.o{i}:\n        log('{i}')\n" for i in range(n))
    found = analyse_source(f"def f(path, opts):\n    fh = open(path)\n{body}    fh.close()\n", "big.py", RESOURCES)
    (leak,) = found.findings
    assert (leak.line, leak.code) == (2, "AWS102")
    assert leak.message.startswith("`fh` opened at line 2 is not closed when `log()` raises at line 4;")


def test_every_sequential_open_is_reported() -> None:
    n = 3000
    source = "def f(path):\n" + "    fh = open(path)\n" * n + "    return fh.read()\n"
    assert codes(source) == [(line, "AWS101") for line in range(2, n + 2)]


def test_long_elif_chain() -> None:
    chain = "".join(f"    elif k == {i}:\n        g({i})\n" for i in range(1, 400))
    source = f"def f(path, k):\n    fh = open(path)\n    if k == 0:\n        pass\n{chain}    return fh.read()\n"
    assert codes(source) == [(2, "AWS101")]
    func = ast.parse(source).body[0]
    assert isinstance(func, ast.FunctionDef)
    assert build_cfg(func) is not None


def test_many_try_blocks() -> None:
    body = "".join("    try:\n        g()\n    except ValueError:\n        pass\n" for _ in range(5000))
    assert codes(f"def f(path):\n    fh = open(path)\n{body}    fh.close()\n") == [(2, "AWS102")]


def test_many_with_blocks_and_an_inline_open() -> None:
    body = "".join("    with open(path) as fh:\n        fh.read()\n" for _ in range(3000))
    assert codes(f"import json\ndef f(path):\n{body}    return json.load(open(path))\n") == [(6003, "AWS103")]


@pytest.mark.parametrize(("noise", "expected"), [("n = {i}", []), ("log({i})", [(4, "AWS102")])])
def test_correlated_tests_stay_correlated_among_many(noise: str, expected: list[tuple[int, str]]) -> None:
    """`if verbose: open … if verbose: close` takes the same branch both times, however many other
    tests come between (no AWS101); calls that can raise between them are AWS102."""
    between = "".join(f"    if opts.o{i}:\n        {noise.format(i=i)}\n" for i in range(200))
    source = textwrap.dedent(
        """\
        def f(path, verbose, opts):
            fh = None
            if verbose:
                fh = open(path)
        """
    ) + between + "    if verbose:\n        fh.close()\n"
    assert codes(source) == expected


def test_a_search_over_budget_is_a_notice_not_silence() -> None:
    func = ast.parse("def f(p):\n    fh = open(p)\n    g()\n    h()\n    fh.close()\n").body[0]
    assert isinstance(func, ast.FunctionDef)
    cfg = build_cfg(func)
    assert cfg is not None
    start = next(n for n in cfg.nodes if n.line == 2 and n.kind == "stmt")
    close = next(n for n in cfg.nodes if n.line == 5 and n.kind == "stmt")
    effects = {close: NodeEffect(Effect.RELEASE)}
    assert follow(cfg, [start], effects).exception_leak is not None
    stopped = follow(cfg, [start], effects, budget=2)
    assert (stopped.normal_leak, stopped.exception_leak) == (None, None)
    assert stopped.skipped == "more than 2 states on its paths"


def test_a_graph_too_large_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    from awslint.analysis import cfg

    monkeypatch.setattr(cfg, "_MAX_NODES", 10)
    source = "def big(p):\n    fh = open(p)\n" + "    g()\n" * 20 + "    fh.close()\n"
    analysis = analyse_source(source, "big.py", RESOURCES)
    assert analysis.findings == ()
    assert [(n.line, n.family, n.reason) for n in analysis.notices] == [
        (1, "resources", "`big()` is not analysed: its control-flow graph would exceed 10 nodes")
    ]


def test_distinct_opens_closed_at_the_end_are_each_followed() -> None:
    """N names each opened, then one raising call, then every close: each resource's search crosses
    the stretches that do nothing to it in one step (near-linear, was N squared), and the witness is
    still the first raising step after it."""
    n = 3000
    opens = "".join(f"    f{i} = open(path + '{i}')\n" for i in range(n))
    closes = "".join(f"    f{i}.close()\n" for i in range(n))
    found = analyse_source("def run(path):\n" + opens + "    work()\n" + closes, "big.py", RESOURCES).findings
    assert [(f.line, f.code) for f in found] == [(line, "AWS102") for line in range(2, n + 2)]
    assert found[0].message.startswith("`f0` opened at line 2 is not closed when `open()` raises at line 3;")
    assert found[-1].message.startswith(f"`f{n - 1}` opened at line {n + 1} is not closed when `work()` raises at line {n + 2};")


def test_stretch_raising_into_different_handlers() -> None:
    """A straight line that leaves a `try` raises to two places: the handler that closes covers the first
    calls, and the calls after the `try` are still found as the raising step."""
    source = textwrap.dedent(
        """\
        def f(path):
            fh = open(path)
            try:
                a()
                b()
            except Exception:
                fh.close()
                raise
            c()
            d()
            fh.close()
        """
    )
    (leak,) = analyse_source(source, "x.py", RESOURCES).findings
    assert (leak.line, leak.code) == (2, "AWS102")
    assert "`c()` raises at line 9" in leak.message
