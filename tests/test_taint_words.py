"""What the taint analysis leaves uninterpreted because no external input can arise there (taint_words)."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from awslint.analysis import taint
from awslint.analysis.taint import Engine, TaintOptions, Verdict, analyse
from awslint.analysis.taint_words import source_words
from awslint import check_source, check_tree
from awslint.config import Config
from awslint.context import Context

FIXTURES = Path(__file__).parent / "fixtures"


def _engine(source: str) -> Engine:
    text = textwrap.dedent(source)
    return Engine(Context(ast.parse(text), text.splitlines(), "t.py", Config()))


def _key(verdicts: list[Verdict]) -> list[tuple[object, ...]]:
    return [(v.sink.call.lineno, v.sink.call.col_offset, v.sink.api, v.role, v.kind,
             v.origin.sort_key() if v.origin else None) for v in verdicts]


def test_the_words_of_sources_and_their_aliases() -> None:
    words = source_words({"sys": "sys", "args": "sys.argv", "r": "requests", "get": "requests.get", "op": "os.path"},
                         (".get_payload", "myapp.io.read_request"), {"SESSION"})
    for text in ("sys.argv[1]", "args[0]", "r.get(url)", "get(url)", "input()", "sock.recv(4)", "p.parse_args()",
                 "conn.getresponse()", "s3.get_object(Bucket=b, Key=k)", "request.GET", "app.current_request",
                 "msg.get_payload()", "read_request()", "SESSION.get(u)", "sys.stdin.read()", "urlopen(u)",
                 "s3.Object(b, k).get()", "aiohttp.ClientSession()"):
        assert words.search(text), text
    plain = source_words({"sys": "sys", "op": "os.path"}, (), ())
    for text in ("os.path.join(a, b)", "op.join(a)", "d.get('k')", "sys.exit(1)", "arguments", "requested",
                 "self.data", "subprocess.run(cmd)", "args[0]", "proc.stdin.write(x)", "run(cmd, input=data)",
                 "run(cmd, stdin=PIPE)", "self.input", "request.method", "sys.stdout.buffer", "input == 3", "the input is"):
        assert not plain.search(text), text
    for text in ("sys.stdin.buffer.read()", "sys .argv", "(sys)\\\n.argv", "x = input('> ')", "input ('> ')", "x = input\\\n('> ')"):
        assert plain.search(text), text
    renamed = source_words({"_sys": "sys", "rq": "flask.request"}, (), ())
    assert renamed.search("_sys.argv[1]") and renamed.search("rq.args") and renamed.search("_sys.stdin")


def test_a_caller_without_input_is_not_interpreted() -> None:
    engine = _engine("""
        import subprocess
        import sys

        def run(cmd):
            subprocess.call(cmd, shell=True)

        def build(name):
            run("make " + name)

        def cli():
            run(sys.argv[1])
    """)
    verdicts = engine.run()
    assert [(v.sink.call.lineno, v.kind, v.origin.text if v.origin else None) for v in verdicts] == [
        (6, "source", "sys.argv[1]")]
    interpreted = {name for name, f in engine.module_defs.items() if id(f) in engine._summaries}
    assert interpreted == {"run", "cli"}


def test_a_caller_is_interpreted_when_input_may_come_from_above() -> None:
    engine = _engine("""
        import subprocess
        import sys

        def run(cmd):
            subprocess.call(cmd, shell=True)

        def build(name):
            run("make " + name)

        def main():
            build(sys.argv[1])
    """)
    verdicts = engine.run()
    assert [(v.sink.call.lineno, v.kind, v.origin.text if v.origin else None) for v in verdicts] == [
        (6, "source", "sys.argv[1]")]
    interpreted = {name for name, f in engine.module_defs.items() if id(f) in engine._summaries}
    assert interpreted == {"run", "build", "main"}


def test_a_call_whose_value_is_dropped_needs_no_summary_without_input() -> None:
    engine = _engine("""
        import os

        def log(message):
            os.system("logger " + message)

        def work(item):
            log(item)
            return item * 2
    """)
    engine.run()
    work = engine.module_defs["work"]
    assert not engine.may_reach_sink(work)
    assert not engine.may_reach_sink(engine.module_defs["log"])


def _fixtures() -> list[Path]:
    return sorted((FIXTURES / "injection").rglob("*.py"))


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.stem)
def test_skipping_changes_no_verdict(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fixture: the same verdicts, witnesses included, as when every caller is interpreted."""
    text = path.read_text(encoding="utf-8")

    def run() -> list[tuple[object, ...]]:
        return _key(analyse(Context(ast.parse(text), text.splitlines(), str(path), Config()), TaintOptions()))

    skipping = run()
    monkeypatch.setattr(taint.Engine, "_may_see_input", lambda self, scope: True)
    assert run() == skipping


def test_without_review_a_sink_no_input_reaches_is_not_interpreted() -> None:
    text = textwrap.dedent("""
        import os
        import sys

        def run(cmd):
            os.system(cmd)

        def cli():
            os.system("echo " + sys.argv[1])
    """)
    ctx = Context(ast.parse(text), text.splitlines(), "t.py", Config())
    engine = Engine(ctx, TaintOptions(), review=False)
    verdicts = engine.run()
    assert [(v.sink.call.lineno, v.kind) for v in verdicts] == [(6, None), (9, "source")]
    assert {name for name, f in engine.module_defs.items() if id(f) in engine._summaries} == {"cli"}
    reviewed = analyse(Context(ast.parse(text), text.splitlines(), "t.py", Config()))
    assert [(v.sink.call.lineno, v.kind) for v in reviewed] == [(6, "param"), (9, "source")]


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.stem)
def test_without_review_the_default_rules_find_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fixture, default rules (AWS403 off): the same findings as when every sink is reviewed."""
    text = path.read_text(encoding="utf-8")

    def found() -> list[tuple[object, ...]]:
        return [(f.code, f.line, f.col, f.message) for f in check_source(text, str(path), Config())]

    passing_over = found()
    original = taint.analyse
    monkeypatch.setattr("awslint.rules.injection.analyse",
                        lambda ctx, options, interpret=True, review=True: original(ctx, options, interpret, True))
    assert found() == passing_over


def test_without_the_source_lines_every_caller_is_interpreted() -> None:
    """`check_tree(tree)` may come without its lines: no text to read, so no function is passed over."""
    text = textwrap.dedent("""
        import subprocess
        import sys

        def run(cmd):
            subprocess.call(cmd, shell=True)

        def build(name):
            run("make " + name)

        def main():
            build(sys.argv[1])
    """)
    tree = ast.parse(text)
    without = Engine(Context(tree, (), "t.py", Config()), TaintOptions(), review=False)
    verdicts = without.run()
    assert [(v.sink.call.lineno, v.kind, v.origin.text if v.origin else None) for v in verdicts] == [
        (6, "source", "sys.argv[1]")]
    assert [(f.code, f.line) for f in check_tree(tree)] == [("AWS401", 6)]


def test_the_search_for_input_above_a_chain_of_callers_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    # f0 holds the sink and each f<i> calls f<i-1>; only main reads input. Asking each function of the
    # chain whether input may arise above it must not walk the rest of the chain again every time.
    n = 300
    text = "import os\nimport sys\n\ndef f0(x):\n    os.system(x)\n\n"
    text += "".join(f"def f{i}(x):\n    f{i - 1}(x)\n\n" for i in range(1, n))
    text += f"def main():\n    f{n - 1}(sys.argv[1])\n"
    asked: list[object] = []
    callers_of = Engine._callers_of

    def counting(self: Engine, func: object) -> list[object]:
        asked.append(func)
        return callers_of(self, func)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "_callers_of", counting)
    codes = [(f.code, f.line) for f in check_source(text, "chain.py", Config(select=("AWS401",)))]
    assert codes == [("AWS401", 5)]
    assert len(asked) <= 4 * (n + 1)  # a few questions a function; the quadratic search asked ~n * n / 2
