"""`awslint --fix` / `--diff`: exact rewrites, formatting kept, unsafe cases left alone, idempotent."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awslint import RULES, Config, Finding, check_source
from awslint.cli import main
from awslint.fix import fix_source
from awslint.fix_edits import Source
from awslint.rules.resources.fix import plan as plan_inline
from conftest import FIXTURES
from helpers import SEED, SEED_FIXED, run_awslint, write

DEFAULTS = Config(select=("AWS3",))
EVERYTHING = Config(select=("AWS1", "AWS2", "AWS3", "AWS4"))


def fixed(source: str, config: Config = DEFAULTS) -> str:
    """The fixed text, after checking that it parses, is silent where fixed, and is a fixed point."""
    source = textwrap.dedent(source)
    result = fix_source(source, "example.py", config).text
    ast.parse(result)
    assert fix_source(result, "example.py", config).text == result
    return result


def codes(source: str, config: Config = DEFAULTS) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in check_source(source, "example.py", config)]


# --- AWS301 / AWS302 ------------------------------------------------------------------------------


def test_seed_gets_none_and_a_guard() -> None:
    assert fixed(SEED) == SEED_FIXED  # exactly the fix the rule's message asks for
    assert codes(fixed(SEED)) == []


def test_guard_goes_after_the_docstring_and_annotations_admit_none() -> None:
    source = '''\
        from typing import List, Optional


        class Inventory:
            def add(self, item, seen: List[str] = [], *, tags: Optional[dict] = {}) -> List[str]:
                """Record an item.

                Returns every item seen so far.
                """
                # The caller may pass its own list.
                seen.append(item)
                tags[item] = len(seen)
                return seen
        '''
    assert fixed(source) == textwrap.dedent(
        '''\
        from typing import List, Optional


        class Inventory:
            def add(self, item, seen: List[str] | None = None, *, tags: Optional[dict] = None) -> List[str]:
                """Record an item.

                Returns every item seen so far.
                """
                if seen is None:
                    seen = []
                if tags is None:
                    tags = {}
                # The caller may pass its own list.
                seen.append(item)
                tags[item] = len(seen)
                return seen
        '''
    )


def test_multi_line_signature_and_async_def() -> None:
    source = """\
        async def gather(
            client,
            names,
            results={},  # filled per name
        ) -> dict:
            for name in names:
                results[name] = await client.get(name)
            return results
        """
    assert fixed(source) == textwrap.dedent(
        """\
        async def gather(
            client,
            names,
            results=None,  # filled per name
        ) -> dict:
            if results is None:
                results = {}
            for name in names:
                results[name] = await client.get(name)
            return results
        """
    )


def test_multi_line_default_is_recreated_in_one_line() -> None:
    source = """\
        def merge(overrides, base={
            "region": "us-east-1",
            "retries": 3,
        }):
            base.update(overrides)
            return base
        """
    assert fixed(source) == textwrap.dedent(
        """\
        def merge(overrides, base=None):
            if base is None:
                base = {'region': 'us-east-1', 'retries': 3}
            base.update(overrides)
            return base
        """
    )


def test_constructor_defaults_and_unselected_aws302() -> None:
    source = """\
        import collections


        def count(words, counts=collections.Counter(), seen=set()):
            counts.update(words)
            return counts
        """
    # AWS302 (`seen`) is off by default, so only the reported AWS301 is fixed.
    assert fixed(source, Config()) == textwrap.dedent(
        """\
        import collections


        def count(words, counts=None, seen=set()):
            if counts is None:
                counts = collections.Counter()
            counts.update(words)
            return counts
        """
    )


def test_aws302_is_fixed_when_every_use_only_reads() -> None:
    source = """\
        def render(template, context={}, names=[], *, extra={}):
            for name in names:
                if name in context and len(names) > 1:
                    print(f"{name}: {context[name]}", context.get(name))
            return template.format(**extra)
        """
    assert fixed(source) == textwrap.dedent(
        """\
        def render(template, context=None, names=None, *, extra=None):
            if context is None:
                context = {}
            if names is None:
                names = []
            if extra is None:
                extra = {}
            for name in names:
                if name in context and len(names) > 1:
                    print(f"{name}: {context[name]}", context.get(name))
            return template.format(**extra)
        """
    )


def test_opt_in_aws302_is_fixed_when_selected_and_docstring_only_body() -> None:
    source = '''\
        def render(template, context={}):
            """Not implemented yet."""
        '''
    assert fixed(source) == textwrap.dedent(
        '''\
        def render(template, context=None):
            """Not implemented yet."""
            if context is None:
                context = {}
        '''
    )


def test_guard_goes_below_a_type_comment() -> None:
    source = "def f(msg, values=[]):\n    # type: (str, list) -> None\n    values.append(msg)\n    print(values)\n"
    assert fixed(source) == (
        "def f(msg, values=None):\n    # type: (str, list) -> None\n    if values is None:\n        values = []\n"
        "    values.append(msg)\n    print(values)\n"
    )


def test_line_endings_and_tabs_are_kept() -> None:
    source = "def f(x=[]):\r\n\tx.append(1)\r\n\treturn x\r\n"
    assert fixed(source) == "def f(x=None):\r\n\tif x is None:\r\n\t\tx = []\r\n\tx.append(1)\r\n\treturn x\r\n"


def test_file_without_final_newline() -> None:
    assert fixed('def f(x=[]):\n    """Doc."""') == 'def f(x=None):\n    """Doc."""\n    if x is None:\n        x = []\n'


@pytest.mark.parametrize(
    "source",
    [
        # no room for a statement in a lambda
        "collect = lambda item, bucket=[]: bucket.append(item) or bucket\n",
        # the body shares the `def` line
        "def one(x=[]): x.append(1); return x\n",
        # a deliberate cache: sharing is the point
        "def fib(n, _memo={}):\n    if n not in _memo:\n        _memo[n] = n if n < 2 else fib(n - 1) + fib(n - 2)\n    return _memo[n]\n",
        # the class attribute the default reads is not visible inside the method
        "class Registry:\n    KINDS = ('a', 'b')\n\n    def register(self, kinds=list(KINDS)):\n        kinds.append('c')\n        return kinds\n",
        # the function rebinds a name the default reads
        "def pad(items=list(DEFAULTS)):\n    DEFAULTS = (1,)\n    items.append(DEFAULTS)\n    return items\n",
        # the default reads a name the function declares global further down
        "def reset(items=list(DEFAULTS)):\n    global DEFAULTS\n    DEFAULTS = ()\n    items.append(1)\n    return items\n",
        # a string annotation is left to a person
        "def f(x: 'list[int]' = []):\n    x.append(1)\n    return x\n",
        # AWS302 handed to a helper that may keep state in it on purpose (IPython's `edit` magic does)
        "def edit(self, arg='', last_call=['', '']):\n    return self._find_target(arg, last_call)\n",
        # AWS302 in a nested function: a per-closure memo
        "def walk(paths):\n    def seen(p, m={}):\n        if p in m:\n            return True\n        m[p] = True\n"
        "    return [p for p in paths if not seen(p)]\n",
    ],
)
def test_unsafe_rewrites_are_left_alone(source: str) -> None:
    assert codes(source, Config(select=("AWS3",)))  # there is something to fix...
    assert fixed(source) == source  # ...but not safely


# --- AWS103 ---------------------------------------------------------------------------------------

needs_aws103 = pytest.mark.skipif(
    not any(rule.code == "AWS103" for rule in RULES), reason="the resources family (AWS103) is not in this checkout"
)
INLINE = """\
import csv
import json


def load(path):
    config = json.load(open(path))
    lines = open(path, encoding="utf-8").read().splitlines()  # keep this comment
    rows = csv.reader(open(path))
    for line in open(path):
        print(line)
    if path: data = json.load(open(path))
    value = compute() + json.load(open(path))["x"]
    other = json.load(open(path)) if path else None
    return config, lines, rows, data, value, other


def save(path, data):
    json.dump(data, open(path, "w"), indent=2)


f = 3
SETTINGS = json.load(
    open("settings.json")
)
"""
INLINE_FIXED = """\
import csv
import json


def load(path):
    with open(path) as fh:
        config = json.load(fh)
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()  # keep this comment
    rows = csv.reader(open(path))
    for line in open(path):
        print(line)
    if path: data = json.load(open(path))
    value = compute() + json.load(open(path))["x"]
    other = json.load(open(path)) if path else None
    return config, lines, rows, data, value, other


def save(path, data):
    with open(path, "w") as fh:
        json.dump(data, fh, indent=2)


f = 3
with open("settings.json") as fh:
    SETTINGS = json.load(
        fh
    )
"""


@needs_aws103
def test_inline_opens_move_into_with_blocks_only_where_local() -> None:
    assert fixed(INLINE, EVERYTHING) == INLINE_FIXED
    # What stays: a lazy reader, a `for` header, a one-line `if`, a call that ran first, a conditional.
    assert [c for c in codes(INLINE_FIXED, EVERYTHING) if c[1] == "AWS103"] == [
        (10, "AWS103"),
        (11, "AWS103"),
        (13, "AWS103"),
        (14, "AWS103"),
        (15, "AWS103"),
    ]


def test_inline_planner_on_given_findings() -> None:
    """The planner alone, fed the position AWS103 reports (the `open` call)."""
    source = "import json\n\n\ndef load(p, f):\n    return json.load(open(p))['items']\n"
    tree = ast.parse(source)
    (group,) = plan_inline(Source(source), tree, [Finding("AWS103", 5, 21, "m")])
    (edit,) = group
    new = source[: edit.start] + edit.text + source[edit.end :]
    assert new == "import json\n\n\ndef load(p, f):\n    with open(p) as fh:\n        return json.load(fh)['items']\n"


@pytest.mark.parametrize(
    "source",
    [
        # conditional: the file would be opened even when `p` is empty
        "def load(p):\n    return open(p).read() if p else ''\n",
        # inside a comprehension: one file per item, no single `with` fits
        "import json\n\n\ndef load(paths):\n    return [json.load(open(p)) for p in paths]\n",
        # a lazy reader would read after the `with` closed the file
        "import csv\n\n\ndef load(p):\n    return csv.reader(open(p))\n",
        # `defaults()` runs before `open` today and would run after it
        "import json\n\n\ndef load(p):\n    return merge(defaults(), json.load(open(p)))\n",
        # a `with` in a class body would leave the file as a class attribute
        "import json\n\n\nclass Settings:\n    data = json.load(open('s.json'))\n",
        # not a file-like opener: a database connection's `with` does not close it
        "import sqlite3\n\n\ndef rows(p):\n    return sqlite3.connect(p).execute('select 1').fetchall()\n",
    ],
)
def test_inline_planner_refuses_non_local_rewrites(source: str) -> None:
    tree = ast.parse(source)
    call = next(
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) in ("open", "connect")
    )
    assert plan_inline(Source(source), tree, [Finding("AWS103", call.lineno, call.col_offset, "m")]) == []


# --- robustness: every example and fixture --------------------------------------------------------


def _corpus() -> list[tuple[str, str]]:
    out = [(f"{rule.code} INVALID {i}", textwrap.dedent(ex)) for rule in RULES for i, ex in enumerate(rule.INVALID)]
    out += [(path.name, path.read_text(encoding="utf-8")) for path in sorted(FIXTURES.rglob("*.py"))]
    return out


@pytest.mark.parametrize("name,source", _corpus(), ids=[name for name, _ in _corpus()])
def test_fixes_of_every_example_parse_are_idempotent_and_remove_what_they_fix(name: str, source: str) -> None:
    result = fix_source(source, name, EVERYTHING)
    ast.parse(result.text)
    assert fix_source(result.text, name, EVERYTHING).text == result.text
    before = [f.code for f in check_source(source, name, EVERYTHING)]
    after = [f.code for f in check_source(result.text, name, EVERYTHING)]
    for code, count in result.counts.items():
        assert after.count(code) == before.count(code) - count


# --- robustness: generated and pathological programs ---------------------------------------------


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_generated_programs_are_fixed_without_raising(source: str) -> None:
    result = fix_source(source, "generated.py", EVERYTHING)
    if result.text != source:
        ast.parse(result.text)
        assert fix_source(result.text, "generated.py", EVERYTHING).text == result.text


_DEFAULTS = st.sampled_from(["[]", "{}", "set()", "list()", "dict(a=1)", "[\n    1,\n]", "collections.deque()"])
_USES = st.sampled_from(
    ["{p}.append(1)", "{p}[0] = 1", "return {p}", "for x in {p}: print(x)", "print(len({p}))", "helper({p})",
     "{p} = list({p})", "del {p}[0]", "if {p}: pass", "yield {p}", "self.items = {p}", "{p} += [1]"]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_DEFAULTS, st.lists(_USES, min_size=1, max_size=4)), min_size=1, max_size=3),
    st.booleans(),
    st.sampled_from(["", ": list", ": 'list'", ": Optional[list]"]),
)
def test_generated_default_fixes_parse_are_idempotent_and_silence_aws301(
    params: list[tuple[str, list[str]]], docstring: bool, annotation: str
) -> None:
    names = [f"p{i}" for i in range(len(params))]
    signature = ", ".join(f"{n}{annotation} = {d}" for n, (d, _) in zip(names, params))
    body = ['"""Doc."""'] if docstring else []
    for name, (_, uses) in zip(names, params):
        body += [use.format(p=name) for use in uses]
    source = "import collections\n\n\nclass C:\n    def m(self, " + signature + "):\n" + "".join(
        f"        {line}\n" for line in body
    )
    ast.parse(source)
    result = fix_source(source, "gen.py", DEFAULTS)
    ast.parse(result.text)
    assert fix_source(result.text, "gen.py", DEFAULTS).text == result.text
    if annotation != ": 'list'":
        assert [f for f in check_source(result.text, "gen.py", DEFAULTS) if f.code == "AWS301"] == []


@pytest.mark.parametrize(
    "source",
    [
        "def f(a=[]):\n    a.append(1)\n    return " + "-".join(["a"] * 20000) + "\n",
        "def f(a: " + "list[" * 2000 + "int" + "]" * 2000 + " = []):\n    a.append(1)\n    return a\n",
        "x = json.load(open(" + "(" * 3000 + "p" + ")" * 3000 + "))\n",
        "\0",
        "def f(:\n",
    ],
    ids=["deep-return", "deep-annotation", "deep-open-argument", "nul", "syntax-error"],
)
def test_pathological_sources_do_not_raise(source: str) -> None:
    assert isinstance(fix_source(source, "deep.py", EVERYTHING).text, str)


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_diff_shows_the_change_and_writes_nothing(in_tmp: Path, capsys) -> None:
    path = write(in_tmp, "topics.py", SEED)
    assert main(["--select", "AWS3", "--diff", "topics.py"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        "--- a/topics.py\n+++ b/topics.py\n@@ -1,4 +1,6 @@\n"
        "-def list_sns(region, creds, sns_topics=[]):\n+def list_sns(region, creds, sns_topics=None):\n"
        "+    if sns_topics is None:\n+        sns_topics = []\n"
        "     sns = boto_session('sns', creds, region)\n     response = sns.list_topics()\n"
        '     for topic_arn in response["Topics"]:\n'
    )
    assert path.read_text() == SEED


def test_fix_writes_reports_what_is_left_and_second_run_is_clean(in_tmp: Path, capsys) -> None:
    path = write(in_tmp, "topics.py", SEED + "\n\ncollect = lambda item, bucket=[]: bucket.append(item) or bucket\n")
    assert main(["--select", "AWS3", "--fix", "topics.py"]) == 1
    out, err = capsys.readouterr()
    assert err == "awslint: fixed 1 finding(s) (AWS301 x1)\nFound 1 finding in 1 file\n"
    assert out.startswith("topics.py:11:31: AWS301 mutable default `bucket`")
    assert path.read_text().startswith("def list_sns(region, creds, sns_topics=None):\n    if sns_topics is None:\n")
    text = path.read_text()
    assert main(["--select", "AWS3", "--fix", "topics.py"]) == 1
    assert path.read_text() == text
    assert main(["--select", "AWS3", "--diff", "topics.py"]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # only the lambda's finding from the second --fix


def test_fix_keeps_the_file_encoding(in_tmp: Path, capsys) -> None:
    raw = b"# -*- coding: latin-1 -*-\ndef f(nom='\xe9', seen=[]):\n    seen.append(nom)\n    return seen\n"
    path = write(in_tmp, "legacy.py", raw)
    assert main(["--select", "AWS3", "--fix", "legacy.py"]) == 0
    assert path.read_bytes() == (
        b"# -*- coding: latin-1 -*-\ndef f(nom='\xe9', seen=None):\n    if seen is None:\n        seen = []\n"
        b"    seen.append(nom)\n    return seen\n"
    )


def test_fix_on_stdin_prints_the_fixed_source(tmp_path: Path) -> None:
    proc = run_awslint("--select", "AWS3", "--fix", "-", cwd=tmp_path, stdin=SEED)
    assert proc.returncode == 0
    assert proc.stdout.startswith("def list_sns(region, creds, sns_topics=None):\n    if sns_topics is None:\n")
    assert proc.stderr == "awslint: fixed 1 finding(s) (AWS301 x1)\n"


def test_installed_script_fix_then_clean(tmp_path: Path) -> None:
    write(tmp_path, "pkg/topics.py", SEED)
    assert run_awslint("--select", "AWS3", "--diff", ".", cwd=tmp_path).returncode == 1
    assert run_awslint("--select", "AWS3", "--fix", ".", cwd=tmp_path).returncode == 0
    proc = run_awslint("--select", "AWS3", "--diff", ".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
