"""Mutable default arguments (AWS301, AWS302)."""
from __future__ import annotations

from typing import Iterable

from awslint.context import Context
from awslint.finding import Finding
from awslint.rule import Family, Rule


class MutatedMutableDefault(Rule):
    """
    ## What it finds

    A mutable default argument (a list, dict or set display or comprehension, or a call of `list()`,
    `dict()`, `set()`, `bytearray()` or a `collections` container) that the function mutates, returns,
    yields or stores before rebinding the parameter.

    ## Why is this bad?

    The default value is created once, when `def` runs, and every call that omits the argument shares
    it. Whatever one call adds is still there in the next, so results leak between calls and requests.
    """

    code = "AWS301"
    name = "mutated-mutable-default"
    msgid = "W7331"
    title = "Mutable default argument is mutated, returned or stored"
    message = (
        "mutable default `{param}` {action} at line {line}, so its contents carry over to later calls; "
        "default to None and create it inside: `if {param} is None: {param} = {fresh}`"
    )
    INVALID = (
        '''
def list_topics(client, topics=[]):  # expect: AWS301
    for page in client.get_paginator("list_topics").paginate():
        topics.extend(t["TopicArn"] for t in page["Topics"])
    return topics
''',
    )
    VALID = (
        '''
def list_topics(client, topics=None):
    if topics is None:
        topics = []
    for page in client.get_paginator("list_topics").paginate():
        topics.extend(t["TopicArn"] for t in page["Topics"])
    return topics
''',
    )


class MutableDefaultArgument(Rule):
    """
    ## What it finds

    A mutable default argument that the function does not (yet) mutate, return or store, and
    deliberate caches such as `def fib(n, _memo={})`.

    ## Why is this bad?

    The default is shared by every call. Nothing goes wrong today, but the first edit that appends to
    it, or hands it to a caller, turns it into state that leaks between calls. A `None` default, or an
    immutable one (a tuple, a `frozenset`), cannot.
    """

    code = "AWS302"
    name = "mutable-default-argument"
    msgid = "W7332"
    title = "Mutable default argument"
    default_enabled = False
    message = (
        "mutable default `{param}` is created once and shared by every call; "
        "use None (or an immutable value) and create a new {kind} inside"
    )
    INVALID = (
        '''
def render(template, context={}):  # expect: AWS302
    return template.format(**context)
''',
    )
    VALID = (
        '''
def render(template, context=None):
    return template.format(**(context or {}))
''',
    )


def check(ctx: Context) -> Iterable[Finding]:
    return ()


FAMILY = Family(name="defaults", rules=(MutatedMutableDefault, MutableDefaultArgument), check=check)
