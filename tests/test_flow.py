"""AWS501-AWS504: the control-flow family's labels, messages and options."""
from __future__ import annotations

import pytest

from awslint import Config
from conftest import EVERY_RULE, FIXTURES, assert_labels, findings

FLOW = Config(select=("AWS5",))


def test_swallowed_labels_are_exact() -> None:
    assert_labels((FIXTURES / "flow" / "swallowed.py").read_text(), "AWS5", FLOW)


def test_finally_jump_labels_are_exact() -> None:
    assert_labels((FIXTURES / "flow" / "finally_jumps.py").read_text(), "AWS5", FLOW)


def test_iterating_labels_are_exact() -> None:
    assert_labels((FIXTURES / "flow" / "iterating.py").read_text(), "AWS5", FLOW)


def test_buildup_labels_are_exact() -> None:
    assert_labels((FIXTURES / "flow" / "buildup.py").read_text(), "AWS5", FLOW)


def test_fixtures_are_silent_for_every_other_rule() -> None:
    for name in ("swallowed.py", "finally_jumps.py", "iterating.py", "buildup.py"):
        assert_labels((FIXTURES / "flow" / name).read_text(), "AWS", EVERY_RULE)


def test_prefer_defaultdict_is_off_by_default() -> None:
    source = "def f(xs):\n    d = {}\n    for x in xs:\n        d.setdefault(x, []).append(x)\n    return d\n"
    assert [f.code for f in findings(source, Config())] == []
    assert [f.code for f in findings(source, Config(select=("AWS504",)))] == ["AWS504"]


SWALLOWED = """\
import boto3


def upload(path):
    s3 = boto3.client("s3")
    try:
        s3.upload_file(path, "b", path)
    except Exception:
        pass
"""


def test_swallowed_message_names_the_handler_the_call_and_the_fix() -> None:
    (finding,) = findings(SWALLOWED, FLOW)
    assert (finding.code, finding.line, finding.col) == ("AWS501", 8, 4)
    assert finding.message == (
        "`except Exception` at line 8 drops every error from `s3.upload_file()` (line 7) without a trace; "
        "catch the errors you expect, or log the exception"
    )


def test_swallowed_message_names_the_step_that_fails_not_a_conversion() -> None:
    stored, probed = findings(
        """
        import os

        def export(env):
            for key, value in env.items():
                try:
                    os.environ[str(key)] = value
                except Exception:
                    pass

        def describe(field_type, build):
            try:
                origin = getattr(field_type, "__origin__", None)
                return build(origin)
            except Exception:
                return None
        """,
        FLOW,
    )
    # the store into os.environ fails (a value that is not a string), not the str() of the key
    assert "drops every error from `os.environ[str(key)] = ...` (line 7)" in stored.message
    # a getattr() with a default answers it rather than raise
    assert "drops every error from `build()` (line 14)" in probed.message


def test_swallowed_message_names_the_call_of_a_chain_that_runs_first() -> None:
    (chained,) = findings(
        """
        def members(tar, names):
            found = []
            for member in names:
                try:
                    found.append(tar.extractfile(member).read().decode("latin-1"))
                except Exception:
                    continue
            return found
        """,
        FLOW,
    )
    # the archive's read fails, before the decode of what it read ever runs
    assert "drops every error from `tar.extractfile()` (line 6)" in chained.message


def test_finally_message_says_what_a_broad_handler_leaves_to_lose() -> None:
    (finding,) = findings(
        """
        async def stacks(facade, log):
            items = []
            try:
                items = await facade.list()
            except Exception as exc:
                log.warning("listing failed: %s", exc)
            finally:
                return items
        """,
        FLOW,
    )
    # `except Exception` handles what the `try` raises; the `return` loses the rest
    assert finding.message == (
        "`return` at line 9 leaves the `finally` block of the `try` at line 4, so an exception raised in its "
        "handlers or `else`, or a `BaseException` such as `KeyboardInterrupt` or `CancelledError` is silently "
        "discarded; return after the `try` statement"
    )


def test_suppress_is_reported_at_the_call() -> None:
    source = "import contextlib\n\ndef f(c):\n    with contextlib.suppress(Exception):\n        c.delete()\n"
    (finding,) = findings(source, FLOW)
    assert (finding.line, finding.col) == (4, 9)
    assert finding.message.startswith("`suppress(Exception)` at line 4 drops every error from `c.delete()` (line 5)")


def test_reporters_option_adds_functions_and_methods() -> None:
    source = SWALLOWED.replace("pass", "myapp.oops(path)")
    assert [f.code for f in findings(source, FLOW)] == ["AWS501"]
    config = Config(select=("AWS5",), options={"reporters": ("myapp.oops",)})
    assert findings(source, config) == []
    method = SWALLOWED.replace("pass", "self.bus.tell(path)")
    assert [f.code for f in findings(method, FLOW)] == ["AWS501"]
    assert findings(method, Config(select=("AWS5",), options={"reporters": (".tell",)})) == []


def test_finally_message() -> None:
    source = "def f(fn):\n    try:\n        fn()\n    finally:\n        return 1\n"
    (finding,) = findings(source, FLOW)
    assert (finding.code, finding.line, finding.col) == ("AWS502", 5, 8)
    assert finding.message == (
        "`return` at line 5 leaves the `finally` block of the `try` at line 2, so an exception raised in the "
        "`try` is silently discarded; return after the `try` statement"
    )


def test_modified_while_iterating_message_names_the_change_and_the_loop() -> None:
    source = (
        "def f(words):\n    words = list(words)\n    for i, w in enumerate(words):\n"
        "        if w:\n            words.insert(i, w)\n"
    )
    (finding,) = findings(source, FLOW)
    assert (finding.code, finding.line, finding.col) == ("AWS503", 5, 12)
    assert finding.message == (
        "`words` grows by `insert()` at line 5 while the `for` at line 3 iterates over it; "
        "iterate over a copy (`words[:]`) or build a new list"
    )


def test_modified_through_an_alias_says_so() -> None:
    source = (
        "class Q:\n    def __init__(self):\n        self.pending = set()\n\n"
        "    def flush(self):\n        pending = self.pending\n        for job in self.pending:\n"
        "            pending.discard(job)\n"
    )
    (finding,) = findings(source, FLOW)
    assert finding.message == (
        "`self.pending` shrinks by `discard()` at line 8 (through `pending`) while the `for` at line 7 "
        "iterates over it; iterate over a copy (`self.pending.copy()`) or build a new set"
    )


def test_a_container_known_only_from_its_methods_is_copied_with_list() -> None:
    # `q.append()` says list-like, but a deque has no `q[:]`: `list(q)` copies any iterable
    source = (
        "import collections\n\ndef f(items):\n    q = collections.deque(items)\n    for x in q:\n"
        "        if x:\n            q.append(x)\n"
    )
    (finding,) = findings(source, FLOW)
    assert finding.message == (
        "`q` grows by `append()` at line 7 while the `for` at line 5 iterates over it; "
        "iterate over a copy (`list(q)`) or build a new list"
    )


def test_a_defaultdict_read_by_a_new_key_grows_it() -> None:
    source = (
        "from collections import defaultdict\n\ndef f(edges):\n    graph = defaultdict(set, edges)\n"
        "    for node in graph:\n        for dep in edges[node]:\n            graph[dep].add(node)\n"
    )
    (finding,) = findings(source, FLOW)
    assert (finding.code, finding.line, finding.col) == ("AWS503", 7, 12)
    assert finding.message == (
        "`graph` grows by reading `graph[dep]` (a `defaultdict` inserts a missing key) at line 7 while the "
        "`for` at line 5 iterates over it; iterate over a copy (`list(graph)`) or build a new dict"
    )


def test_dict_message_suggests_a_copy_of_the_view() -> None:
    source = "def f(d):\n    d = dict(d)\n    for k, v in d.items():\n        del d[k]\n"
    (finding,) = findings(source, FLOW)
    assert finding.message == (
        "`d` shrinks by `del` at line 4 while the `for` at line 3 iterates over it; "
        "iterate over a copy (`list(d.items())`) or build a new dict"
    )


@pytest.mark.parametrize(("ending", "tail"), [
    ("return by_day", ", and return `dict(by_day)` so that callers still get a `KeyError`"),
    ("return sorted(by_day.items())", ""),
])
def test_prefer_defaultdict_message(ending: str, tail: str) -> None:
    source = (
        "def f(events):\n    by_day = {}\n    for e in events:\n        if e.day not in by_day:\n"
        f"            by_day[e.day] = []\n        by_day[e.day].append(e)\n    {ending}\n"
    )
    (finding,) = findings(source, Config(select=("AWS504",)))
    assert (finding.code, finding.line, finding.col) == ("AWS504", 4, 8)
    assert finding.message == (
        "`by_day` is built up with `if e.day not in by_day: by_day[e.day] = []` at line 4; "
        "create it as `collections.defaultdict(list)` and index it directly" + tail
    )


def test_prefer_defaultdict_message_shortens_a_long_key() -> None:
    source = (
        "def f(logs):\n    seen = {}\n    for log in logs:\n"
        "        if (log['userIdentity']['arn'], log['userIdentity']['type']) not in seen:\n"
        "            seen[log['userIdentity']['arn'], log['userIdentity']['type']] = set()\n"
        "        seen[log['userIdentity']['arn'], log['userIdentity']['type']].add(log['eventName'])\n"
        "    return seen\n"
    )
    (finding,) = findings(source, Config(select=("AWS504",)))
    assert finding.message == (
        "`seen` is built up with `if (log['userIdentity']['arn'], log['userI… not in seen: "
        "seen[(log['userIdentity']['arn'], log['userI…] = set()` at line 4; "
        "create it as `collections.defaultdict(set)` and index it directly, and return `dict(seen)` so that "
        "callers still get a `KeyError`"
    )


def test_except_star_class_bodies_and_module_level_are_judged() -> None:
    source = (
        "try:\n    run()\nexcept* Exception:\n    pass\n\n"
        "class A:\n    items = []\n    for i in items:\n        items.append(i)\n\n"
        "def f():\n    try:\n        run()\n    finally:\n        return\n"
    )
    assert [(f.code, f.line) for f in findings(source, FLOW)] == [("AWS501", 3), ("AWS503", 9), ("AWS502", 15)]


def test_module_level_fallback_read_by_a_function_is_kept() -> None:
    source = (
        "try:\n    import yaml\nexcept Exception:\n    yaml = None\n\n"
        "def load(text):\n    return yaml.safe_load(text) if yaml else None\n"
    )
    assert findings(source, FLOW) == []


def test_swallowed_names_the_call_that_fails_as_the_handler_expects() -> None:
    source = (
        "import re\n\n\ndef stage_of(arn, apigw):\n    try:\n"
        "        found = re.search(r'/restapis/(.+)/stages/(.+)', arn)\n"
        "        return apigw.get_stage(found.group(1), found.group(2))\n"
        "    except Exception:\n        pass\n"
    )
    (finding,) = findings(source, Config(select=("AWS501",)))
    assert "drops every error from `apigw.get_stage()` (line 7)" in finding.message


def test_swallowed_names_a_seldom_raising_call_when_it_is_the_only_one() -> None:
    source = (
        "import re\n\n\ndef escaped(token):\n    try:\n        return re.escape(token)\n"
        "    except Exception:\n        pass\n"
    )
    (finding,) = findings(source, Config(select=("AWS501",)))
    assert "drops every error from `re.escape()` (line 6)" in finding.message
