"""`--fix` for AWS503: iterate over a copy where that keeps what the loop meant, nothing elsewhere."""
from __future__ import annotations

import textwrap

from awslint import Config
from awslint.fix import fix_source

FLOW = Config(select=("AWS5",))


def fixed(source: str) -> str:
    source = textwrap.dedent(source)
    result = fix_source(source, "example.py", FLOW)
    assert fix_source(result.text, "example.py", FLOW).text == result.text  # a fixed point
    return result.text


def test_list_that_only_shrinks_iterates_over_a_copy() -> None:
    before = """\
    def drop_blank(words):
        for word in words:  # the loop
            if not word:
                words.remove(word)
    """
    assert fixed(before) == textwrap.dedent(before).replace("in words:", "in list(words):")


def test_dict_view_and_set_are_copied() -> None:
    before = """\
    def expire(sessions, hosts, now):
        sessions = dict(sessions)
        for key, value in sessions.items():
            if value < now:
                del sessions[key]
        hosts = set(hosts)
        for host in hosts:
            hosts.discard(host)
    """
    after = (textwrap.dedent(before)
             .replace("in sessions.items():", "in list(sessions.items()):")
             .replace("in hosts:", "in list(hosts):"))
    assert fixed(before) == after


def test_left_alone_where_a_copy_changes_the_meaning() -> None:
    growing = """\
    def grow(items):
        for item in items:
            items.append(item)
    """
    assert fixed(growing) == textwrap.dedent(growing)
    indexed = """\
    def drop(items):
        items = list(items)
        for i, item in enumerate(items):
            if item is None:
                del items[i]
    """
    assert fixed(indexed) == textwrap.dedent(indexed)
    elements = """\
    def rename(d):
        d = dict(d)
        for key in d:
            d[key.upper()] = d[key]
    """
    assert fixed(elements) == textwrap.dedent(elements)


def test_nothing_else_of_the_family_is_rewritten() -> None:
    source = """\
    def f(fn):
        try:
            fn()
        except Exception:
            pass
        finally:
            return 1
    """
    assert fixed(source) == textwrap.dedent(source)
