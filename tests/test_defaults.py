"""AWS301/AWS302: mutable defaults that are mutated, returned or stored, and those that are not."""
from __future__ import annotations

from awslint import Config
from conftest import FIXTURES, assert_labels, findings

SEED = """\
def list_sns(region, creds, sns_topics=[]):
    sns = boto_session('sns', creds, region)
    response = sns.list_topics()
    for topic_arn in response["Topics"]:
        sns_topics.append(topic_arn["TopicArn"])
    return sns_topics
"""

SEED_FIXED = """\
def list_sns(region, creds, sns_topics=None):
    if sns_topics is None:
        sns_topics = []
    sns = boto_session('sns', creds, region)
    response = sns.list_topics()
    for topic_arn in response["Topics"]:
        sns_topics.append(topic_arn["TopicArn"])
    return sns_topics
"""

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
