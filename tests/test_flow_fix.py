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


BUILDUP = Config(select=("AWS504",))


def fixed_buildup(source: str) -> tuple[str, dict[str, int]]:
    source = textwrap.dedent(source)
    result = fix_source(source, "example.py", BUILDUP)
    assert fix_source(result.text, "example.py", BUILDUP).text == result.text  # a fixed point
    return result.text, result.counts


def test_buildup_becomes_a_defaultdict_with_the_import_in_order() -> None:
    before = '''\
    """Grouping."""
    import os

    import boto3


    def by_az(instances):
        groups = {}
        for i in instances:
            groups.setdefault(i["Az"], []).append(i["Id"])
        return groups
    '''
    after = '''\
    """Grouping."""
    import collections
    import os

    import boto3


    def by_az(instances):
        groups = collections.defaultdict(list)
        for i in instances:
            groups[i["Az"]].append(i["Id"])
        return dict(groups)
    '''
    text, counts = fixed_buildup(before)
    assert text == textwrap.dedent(after)
    assert counts == {"AWS504": 1}


def test_if_and_try_idioms_are_removed_and_counts_become_a_counter() -> None:
    before = '''\
    from collections import defaultdict
    import collections


    def roles(assignments):
        roles = dict()
        for a in assignments:
            if a.account not in roles:
                roles[a.account] = set()
            roles[a.account].add(a.role)
        return roles


    def sizes(objects):
        total = {}
        for o in objects:
            try:
                total[o.bucket] += o.size
            except KeyError:
                total[o.bucket] = o.size
        return total


    def keys(names):
        grouped = {}
        for name in names:
            try:
                grouped[name[0]].append(name)
            except KeyError:
                grouped[name[0]] = [name]
            bucket = grouped.setdefault(name[-1], [])
            bucket.append(name)
        return grouped
    '''
    after = '''\
    from collections import defaultdict
    import collections


    def roles(assignments):
        roles = defaultdict(set)
        for a in assignments:
            roles[a.account].add(a.role)
        return dict(roles)


    def sizes(objects):
        total = collections.Counter()
        for o in objects:
            total[o.bucket] += o.size
        return dict(total)


    def keys(names):
        grouped = defaultdict(list)
        for name in names:
            grouped[name[0]].append(name)
            bucket = grouped[name[-1]]
            bucket.append(name)
        return dict(grouped)
    '''
    text, counts = fixed_buildup(before)
    assert text == textwrap.dedent(after)
    assert counts == {"AWS504": 4}


def test_setdefault_of_a_count_and_of_an_inner_dict() -> None:
    before = '''\
    def tally(words, rows):
        counts = {}
        for w in words:
            counts.setdefault(w, 0)
            counts[w] += 1
        tags = {}
        for r in rows:
            tags.setdefault(r.id, {})[r.key] = r.value
        return counts, tags
    '''
    after = '''\
    import collections


    def tally(words, rows):
        counts = collections.Counter()
        for w in words:
            counts[w] += 1
        tags = collections.defaultdict(dict)
        for r in rows:
            tags[r.id][r.key] = r.value
        return counts, tags
    '''
    text, _ = fixed_buildup(before)
    assert text == textwrap.dedent(after)


def test_buildup_left_alone_where_the_rewrite_would_change_the_result() -> None:
    # a fallback other than the first pass's amount starts the count elsewhere
    shifted = '''\
    import collections


    def f(jobs):
        counts = {}
        for job in jobs:
            try:
                counts[job.state] += 1
            except KeyError:
                counts[job.state] = 0
        return counts
    '''
    assert fixed_buildup(shifted)[0] == textwrap.dedent(shifted)
    # a comment on the removed lines would be lost; the whole dict stays as it is
    commented = '''\
    import collections


    def f(jobs, events):
        counts = {}
        for job in jobs:
            if job.state not in counts:  # first of its state
                counts[job.state] = 0
            counts[job.state] += 1
        for e in events:
            counts.setdefault(e.state, 0)
            counts[e.state] += 1
        return counts
    '''
    assert fixed_buildup(commented)[0] == textwrap.dedent(commented)
    # `collections` is the function's own name: it cannot reach the module
    shadowed = '''\
    def f(jobs, collections):
        counts = {}
        for job in jobs:
            counts.setdefault(job.state, []).append(job)
        return counts, collections
    '''
    assert fixed_buildup(shadowed)[0] == textwrap.dedent(shadowed)
