"""AWS301/AWS302: mutable defaults that are mutated, returned or stored, and those that are not."""
from __future__ import annotations

import pytest

from awslint import Config
from conftest import EVERY_RULE, FIXTURES, assert_labels, findings
from helpers import SEED, SEED_FIXED, labelled_cases

DEFAULTS = Config(select=("AWS3",))


def test_fixture_labels_are_exact() -> None:
    assert_labels((FIXTURES / "defaults" / "mutations.py").read_text(), "AWS3", DEFAULTS)


def test_seed_reports_the_default_with_the_appending_line_and_the_fix() -> None:
    (finding,) = [f for f in findings(SEED, DEFAULTS) if f.code.startswith("AWS3")]
    assert (finding.code, finding.line, finding.col) == ("AWS301", 1, 39)
    assert finding.message == (
        "mutable default `sns_topics` is changed by `.append()` at line 5, so its contents carry over to "
        "later calls; default to None and create it inside: `if sns_topics is None: sns_topics = []`"
    )
    assert [(s.line, s.note) for s in finding.path] == [
        (1, "`sns_topics` defaults to one shared list"),
        (5, "`sns_topics` is changed by `.append()`"),
    ]


def test_seed_fixed_is_silent() -> None:
    assert [f for f in findings(SEED_FIXED, DEFAULTS) if f.code.startswith("AWS3")] == []


def test_style_rule_is_off_by_default() -> None:
    codes = [f.code for f in findings("def f(x=[]):\n    return len(x)\n", Config())]
    assert codes == []


def test_builtin_shadowed_by_the_module_is_not_a_constructor() -> None:
    source = "def list(x):\n    return x\n\ndef f(items=list()):\n    items.append(1)\n"
    assert findings(source, DEFAULTS) == []


def test_aliased_collections_import_is_resolved() -> None:
    source = "import collections as c\n\ndef f(q=c.deque()):\n    q.append(1)\n"
    assert [(f.code, f.line) for f in findings(source, DEFAULTS)] == [("AWS301", 3)]


def test_multi_line_default_is_reported_where_the_value_starts() -> None:
    source = "def f(\n    a,\n    b={\n        'k': 1,\n    },\n):\n    b['x'] = a\n"
    assert [(f.code, f.line, f.col) for f in findings(source, DEFAULTS)] == [("AWS301", 3, 6)]


def test_cache_keyed_on_everything_it_uses_is_deliberate() -> None:
    source = "def area(w, h, cache={}):\n    cache[(w, h)] = w * h\n    return cache[(w, h)]\n"
    assert [f.code for f in findings(source, DEFAULTS)] == ["AWS302"]


def test_a_mutated_default_is_never_reported_as_the_style_rule() -> None:
    only_style = Config(select=("AWS302",))
    assert findings(SEED, only_style) == []


def test_aws_shaped_fixture_labels_are_exact() -> None:
    assert_labels((FIXTURES / "defaults" / "aws_shapes.py").read_text(), "AWS3", DEFAULTS)


def test_local_bindings_are_the_functions_own() -> None:
    import ast

    from awslint.analysis.names import local_bindings

    tree = ast.parse(
        "def f(a):\n    xs = [i for i in a]\n    try:\n        pass\n    except ValueError as e:\n        pass\n"
        "    ys = [(j := k) for k in a]\n    def g():\n        inner = 1\n"
    )
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert local_bindings(func) == {"a", "xs", "e", "ys", "j", "g"}


def test_loop_and_constant_test_fixture_labels_are_exact() -> None:
    assert_labels((FIXTURES / "defaults" / "loops_and_constants.py").read_text(), "AWS3", DEFAULTS)


def test_nested_function_fixture_labels_are_exact() -> None:
    assert_labels((FIXTURES / "defaults" / "nested.py").read_text(), "AWS3", DEFAULTS)


def test_a_back_edge_alias_is_reported_at_the_mutation_in_the_next_iteration() -> None:
    source = (
        "def collect(items, seen=[]):\n    last = None\n    for item in items:\n        if last is not None:\n"
        "            last.append(item)\n        last = seen\n    return len(seen)\n"
    )
    (finding,) = findings(source, DEFAULTS)
    assert (finding.code, finding.line, finding.col) == ("AWS301", 1, 24)
    assert finding.message.startswith("mutable default `seen` is changed by `.append()` at line 5,")


def test_nested_reuse_is_a_step_of_the_path() -> None:
    source = "def make():\n    def add(item, acc=[]):\n        acc.append(item)\n        return acc\n\n    return add\n"
    (finding,) = findings(source, DEFAULTS)
    assert (finding.code, finding.line) == ("AWS301", 2)
    assert finding.message.startswith("mutable default `acc` is changed by `.append()` at line 3,")
    assert [(s.line, s.note) for s in finding.path] == [
        (2, "`acc` defaults to one shared list"),
        (3, "`acc` is changed by `.append()`"),
        (6, "`add` is returned"),
    ]


def test_defaultdict_read_names_the_subscript() -> None:
    source = "from collections import defaultdict\n\ndef get(k, groups=defaultdict(list)):\n    return groups[k]\n"
    (finding,) = findings(source, DEFAULTS)
    assert finding.message.startswith("mutable default `groups` inserts a missing key when read with `groups[k]` at line 4")


def test_mutating_tables_name_real_methods_of_each_kind() -> None:
    import collections

    from awslint.data.mutating import CONTAINER_KINDS, MUTATING_METHODS, RESIZING_METHODS

    types = {
        "list": list, "dict": dict, "set": set, "bytearray": bytearray, "deque": collections.deque,
        "OrderedDict": collections.OrderedDict, "Counter": collections.Counter,
        "defaultdict": collections.defaultdict,
    }
    assert set(CONTAINER_KINDS) == set(types) == set(MUTATING_METHODS)
    for kind, methods in MUTATING_METHODS.items():
        assert {m for m in methods if not hasattr(types[kind], m)} == set(), kind
        assert RESIZING_METHODS[kind] <= methods
    assert {"move_to_end", "popitem"} <= MUTATING_METHODS["OrderedDict"]
    assert {"update", "subtract"} <= MUTATING_METHODS["Counter"]


def test_twenty_thousand_statements_with_loops_take_linear_time() -> None:
    import time

    def body(n: int) -> str:
        lines = ["def big(items, acc=[]):"]
        for i in range(n // 2):
            lines += [f"    for x{i} in items:", f"        y{i} = x{i}"]
        lines.append("    acc.append(1)")
        return "\n".join(lines) + "\n"

    def timed(n: int) -> tuple[float, list[str]]:
        start = time.perf_counter()
        codes = [f.code for f in findings(body(n), DEFAULTS)]
        return time.perf_counter() - start, codes

    small, small_codes = timed(2_000)
    large, large_codes = timed(20_000)
    assert small_codes == large_codes == ["AWS301"]
    assert large < 10 * small * 4  # linear: 10x the statements, well under 40x the time


def test_a_function_without_a_graph_is_silent(monkeypatch) -> None:
    import awslint.analysis.graphs as graphs

    # Past the graph's size limit the answer is unknown: neither AWS301 nor AWS302.
    monkeypatch.setattr(graphs, "build_cfg_or_reason", lambda func, noreturn=None: (None, "too large"))
    assert findings("def f(acc=[]):\n    acc.append(1)\n", DEFAULTS) == []


def test_aliases_chained_backwards_through_a_loop_stay_linear() -> None:
    import time

    def chain(n: int) -> str:
        lines = ["def f(items, acc=[]):", "    for item in items:"]
        lines += [f"        a{i} = a{i + 1}" for i in range(n)]
        lines += [f"        a{n} = acc", "        a0.append(item)"]
        return "\n".join(lines) + "\n"

    start = time.perf_counter()
    findings(chain(300), DEFAULTS)
    small = time.perf_counter() - start
    start = time.perf_counter()
    findings(chain(3_000), DEFAULTS)
    large = time.perf_counter() - start
    assert large < 10 * small * 4


def _fixed(source: str) -> str:
    from awslint.fix import fix_source

    return fix_source(source, "example.py", DEFAULTS).text


def test_fix_keeps_a_default_that_reads_a_name_and_reports_it() -> None:
    # Moved into the body, `[i]` would read the loop's last `i` at call time instead of each def's own.
    source = "handlers = []\nfor i in range(3):\n    def h(seen=[i]):\n        seen.append(1)\n        return seen\n"
    assert [(f.code, f.line) for f in findings(source, DEFAULTS)] == [("AWS301", 3)]
    assert _fixed(source) == source
    named = "URL = 'https://example.com'\n\ndef fetch(urls=[URL]):\n    urls.append('x')\n    return urls\n"
    assert [f.code for f in findings(named, DEFAULTS)] == ["AWS301"]
    assert _fixed(named) == named


def test_fix_moves_constant_displays_and_empty_constructors() -> None:
    source = (
        "from collections import deque, defaultdict\n\n"
        "def f(a={'k': [1, -2], 'n': None}, b=deque(maxlen=10), c=defaultdict(list)):\n"
        "    a['x'] = 1\n    b.append(1)\n    c['k'].append(1)\n"
    )
    assert _fixed(source) == (
        "from collections import deque, defaultdict\n\n"
        "def f(a=None, b=None, c=None):\n"
        "    if a is None:\n        a = {'k': [1, -2], 'n': None}\n"
        "    if b is None:\n        b = deque(maxlen=10)\n"
        "    if c is None:\n        c = defaultdict(list)\n"
        "    a['x'] = 1\n    b.append(1)\n    c['k'].append(1)\n"
    )


def test_fix_leaves_a_nested_function_to_a_person() -> None:
    source = "def make():\n    def add(item, acc=[]):\n        acc.append(item)\n        return acc\n\n    return add\n"
    assert [f.code for f in findings(source, DEFAULTS)] == ["AWS301"]
    assert _fixed(source) == source


def test_planner_plans_only_for_the_findings_it_is_given() -> None:
    import ast

    from awslint.rules.defaults.fix import plan
    from awslint.fix_edits import Source

    source = "def f(a=[], b=[]):  # the CLI drops a suppressed finding before planning\n    a.append(1)\n    b.append(2)\n"
    given = [f for f in findings(source, DEFAULTS) if f.col == 14]  # only `b`
    (group,) = plan(Source(source), ast.parse(source), given)
    assert sorted((e.start, e.text) for e in group if e.primary) == [(source.index("b=[]") + 2, "None")]
    assert all("a is None" not in e.text for e in group)


LABELLED = labelled_cases("defaults")  # tests/fixtures/defaults/<behaviour>/


@pytest.mark.parametrize("path", LABELLED, ids=[p.name for p in LABELLED])
def test_labelled_case_is_exact_for_every_rule(path) -> None:
    # As the labelled cases are scored: every rule selected, every unlabelled line silent.
    assert_labels(path.read_text(), "AWS", EVERY_RULE)


def test_there_are_labelled_cases() -> None:
    assert len(LABELLED) >= 30


def test_a_module_helper_that_changes_its_parameter_changes_the_default() -> None:
    source = (
        "def _stamp(tags, owner):\n    tags['owner'] = owner\n\n\n"
        "def resource_tags(owner, tags={}):\n    _stamp(tags, owner)\n    return sorted(tags)\n"
    )
    (finding,) = findings(source, DEFAULTS)
    assert (finding.code, finding.line, finding.col) == ("AWS301", 5, 30)
    assert finding.message.startswith(
        "mutable default `tags` is passed to `_stamp()` (where `tags` is changed by item assignment at line 2) at line 6,"
    )
    assert [(s.line, s.note) for s in finding.path] == [
        (5, "`tags` defaults to one shared dict"),
        (6, "`tags` is passed to `_stamp()` (where `tags` is changed by item assignment at line 2)"),
        (2, "in `_stamp()`, `tags` is changed by item assignment"),
    ]


def test_helpers_that_read_return_or_recurse_do_not_count() -> None:
    source = (
        "def _same(items):\n    return items\n\n\n"
        "def _walk(items, n):\n    return _walk(items, n - 1) if n else len(items)\n\n\n"
        "def size(items=[]):\n    _walk(items, 3)\n    return len(_same(items))\n\n\n"
        "import helpers\n\n\ndef unknown(items=[]):\n    helpers.fill(items)\n"
    )
    assert [(f.code, f.line) for f in findings(source, DEFAULTS)] == [("AWS302", 9), ("AWS302", 17)]


def test_a_helper_rebound_in_the_module_is_unknown() -> None:
    source = (
        "def _fill(items):\n    items.append(1)\n\n\n_fill = print\n\n\n"
        "def build(items=[]):\n    _fill(items)\n"
    )
    assert [(f.code, f.line) for f in findings(source, DEFAULTS)] == [("AWS302", 8)]


def test_a_constructor_of_the_module_that_keeps_its_argument_keeps_the_default() -> None:
    source = (
        "class Base:\n    def __init__(self, tags):\n        self.tags = tags\n\n\n"
        "class Child(Base):\n    def __init__(self, tags={}):\n        super().__init__(tags)\n\n\n"
        "def make(labels={}):\n    return Base(labels)\n"
    )
    got = [(f.code, f.line, f.message.split(" at line")[0]) for f in findings(source, DEFAULTS)]
    assert got == [
        ("AWS301", 7, "mutable default `tags` is passed to `super().__init__()` (where `tags` is stored in `self.tags`"),
        ("AWS301", 11, "mutable default `labels` is passed to `Base()` (where `tags` is stored in `self.tags`"),
    ]


def test_a_default_stored_in_a_global_escapes() -> None:
    source = "CURRENT = None\n\n\ndef select(profiles={}):\n    global CURRENT\n    CURRENT = profiles\n"
    (finding,) = findings(source, DEFAULTS)
    assert finding.message.startswith("mutable default `profiles` is stored in the global `CURRENT` at line 6,")


def test_a_mutating_method_handed_on_as_a_value_changes_the_default() -> None:
    source = "def dedupe(keys, seen=set()):\n    list(map(seen.add, keys))\n    return sorted(seen)\n"
    (finding,) = findings(source, DEFAULTS)
    assert finding.message.startswith("mutable default `seen` is changed through `seen.add`, handed on as a value, at line 2,")


def test_unpacking_a_tuple_binds_part_by_part() -> None:
    source = "def f(values, out=[]):\n    acc, count = out, 0\n    return count\n"
    assert [f.code for f in findings(source, DEFAULTS)] == ["AWS302"]
    source = "def f(values, out=[]):\n    count, acc = 0, out\n    acc.append(values)\n"
    assert [f.code for f in findings(source, DEFAULTS)] == ["AWS301"]


@pytest.mark.parametrize(
    ("test", "code"),
    [("len(x) > 2", "AWS302"), ("len(x) >= 1", "AWS302"), ("len(x) == 3", "AWS302"), ("0 < len(x)", "AWS302"),
     ("len(x) != 0", "AWS302"), ("len(x) < 5", "AWS301"), ("len(x) >= 0", "AWS301"), ("len(x) == 0", "AWS301")],
)
def test_length_tests_an_empty_default_cannot_pass(test: str, code: str) -> None:
    source = f"def f(x=[]):\n    if {test}:\n        x.append(1)\n"
    assert [f.code for f in findings(source, DEFAULTS)] == [code]


@pytest.mark.parametrize(
    ("rebind", "code"),
    [("x = x or {}", "AWS301"), ("x = x if x is not None else {}", "AWS301"), ("x = (x and x) or {}", "AWS301"),
     ("x = dict(x) or {}", "AWS302"), ("x = {**x}", "AWS302")],
)
def test_a_rebind_that_may_keep_a_non_empty_default_keeps_it(rebind: str, code: str) -> None:
    source = f"def f(x={{'a': 1}}):\n    {rebind}\n    x['b'] = 2\n"
    assert [f.code for f in findings(source, DEFAULTS)] == [code]


def test_setattr_keeps_the_default_on_the_object() -> None:
    source = "class A:\n    def __init__(self, tags={}):\n        object.__setattr__(self, 'tags', tags)\n"
    (finding,) = findings(source, DEFAULTS)
    assert finding.message.startswith("mutable default `tags` is stored by `object.__setattr__()` at line 3,")
