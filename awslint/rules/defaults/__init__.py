"""Mutable default arguments (AWS301, AWS302)."""
from __future__ import annotations

import ast
from typing import Iterable, Iterator

from awslint.analysis.index import FunctionNode
from awslint.analysis.mutation_flow import (
    Default,
    Event,
    Helpers,
    TooLarge,
    Tracker,
    deliberate_cache,
    graph_cache,
)
from awslint.analysis.names import Names, parameters
from awslint.context import Context
from awslint.data.mutating import CONSTRUCTORS, MISSING_KEY_INSERTS, ContainerKind
from awslint.finding import Finding, Step
from awslint.rule import Family, Rule
from awslint.rules.defaults import fix
from awslint.rules.defaults.lifetime import Reuse, parents_of, reuse

_DISPLAYS: dict[type, ContainerKind] = {
    ast.List: "list", ast.ListComp: "list", ast.Dict: "dict", ast.DictComp: "dict", ast.Set: "set", ast.SetComp: "set",
}
# What to suggest creating inside the function when the default itself is too long to repeat.
_EMPTY_FORM: dict[ContainerKind, str] = {
    "list": "[]", "dict": "{}", "set": "set()", "bytearray": "bytearray()", "deque": "deque()",
    "OrderedDict": "OrderedDict()", "Counter": "Counter()", "defaultdict": "defaultdict(...)",
}


class MutatedMutableDefault(Rule):
    """
    ## What it finds

    A mutable default argument (a list, dict or set display or comprehension, or a call of `list()`,
    `dict()`, `set()`, `bytearray()` or a `collections` container) that the function mutates, returns,
    yields or stores before rebinding the parameter (also inside what it returns: a display holding
    it, or the items of a comprehension, `[{"Tags": tags} for rt in types]`).

    Mutating is any in-place method of the container's kind (`append`, `update`, `OrderedDict`'s
    `move_to_end`, `Counter`'s `subtract` ...), item assignment or deletion, `+=`, the functions that
    change a list they are given (`heapq.heappush`, `random.shuffle`), and reading a missing key of a
    `defaultdict`, which inserts it. The parameter is followed along every path of the function's
    control-flow graph, around loops until nothing changes (an alias made in one iteration is seen in
    the next), through local aliases (`a, b = x, 0` too), subscript and attribute chains, the items
    of a default that holds mutable displays (`for dim in dimensions:` over `[{"Name": ...}]`, then
    `dim["Value"] = v`; `retries = defaults["retries"]`, then `retries["max_attempts"] = n`), a display
    that holds it under a constant key (`req = {"headers": headers}`, then `req["headers"]["X"] = v`),
    nested functions and the functions of the same module it is passed to (`_add_tags(tags)`, a method on
    `self`, a constructor or `super().__init__` that keeps it on `self`), until it is rebound
    (`x = list(x)`, `x = x or []`). An attribute the method assigns again on every path after storing
    it, from a call of another module or a display, with no read in between (`self.resource =
    redact(resource, self.resource)`), no longer holds it. Assigning it to a global, or handing on one of its mutating methods
    (`map(seen.add, keys)`), counts too; passing it to a function the module does not define does
    not, nor does putting it in a dict the function builds only to unpack into a call, index or
    test (`kwargs["Tags"] = tags` / `client.create_platform_version(**kwargs)`), unless an item of
    that dict is changed in place. A path that cannot be taken does not count: a mutation under a guard an empty default cannot
    pass (`if x:`, `if k in x:`, `if len(x) > 2:`, also in an expression: `x.pop() if x else None`,
    `x and x.pop()`), or on the side of a constant test (`if False:`,
    `while False:`) that never runs.

    A function defined inside another gets a fresh default each time the outer one runs: its default
    is reported only when the inner function object outlives that run (returned, stored, passed on,
    registered, decorated by a decorator that may keep it, a method of a class made there) or runs
    more than once in it without being passed the argument (two calls, a call in a loop, recursion);
    then a counter it keeps (`def count(n=[0])`) carries over between its calls as it would at module
    level. A deliberate cache (a name with a leading underscore or containing `cache` or `memo`) is reported
    only when it stores a value computed from a parameter its key leaves out; one that stores the
    arguments themselves (`_registry[name] = func`, `= (factory, options)`) is a registry, AWS302.

    `awslint --fix` rewrites the default to `None` with a guard that creates the value inside, when the
    default is a display of constants or an empty container (`[]`, `{"region": "us-east-1"}`,
    `deque(maxlen=10)`) and the function is not nested in another. A default that reads a name
    (`seen=[i]`) would read it at call time instead of definition time, so it is reported without a fix.

    ## Why is this bad?

    The default value is created once, when `def` runs, and every call that omits the argument shares
    it. Whatever one call adds is still there in the next, so results leak between calls and requests.

    ## Where it reports

    At the default value, in product and test code alike. A function too large for the control-flow
    graph is not analysed (neither AWS301 nor AWS302).
    """

    code = "AWS301"
    name = "mutated-mutable-default"
    msgid = "W7331"
    needs = frozenset({"cfg", "model"})
    title = "Mutable default argument is mutated, returned or stored"
    message = (
        "mutable default `{param}` {action} at line {line}, so {consequence}; "
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

    A mutable default argument that the function does not (yet) mutate, return or store, deliberate
    caches such as `def fib(n, _memo={})`, and the mutated defaults of nested functions whose sharing
    stays within one run of the enclosing function. It is off by default: select it with `AWS302`.
    `awslint --fix` rewrites the default to `None` where every use only reads it and the value is a
    display of constants or an empty container.

    ## Why is this bad?

    The default is shared by every call. Nothing goes wrong today, but the first edit that appends to
    it, or hands it to a caller, turns it into state that leaks between calls. A `None` default, or an
    immutable one (a tuple, a `frozenset`), cannot.

    ## Where it reports

    At the default value, in product and test code alike.
    """

    code = "AWS302"
    name = "mutable-default-argument"
    msgid = "W7332"
    needs = frozenset({"cfg", "model"})
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


def _mutable_defaults(func: FunctionNode, names: Names) -> Iterator[Default]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    for arg, default in pairs:
        found = _kind(arg.arg, default, names)
        if found is not None:
            yield found


def _kind(param: str, node: ast.expr, names: Names) -> Default | None:
    """The mutable default `node` makes, or None when its value is immutable (or unknown)."""
    display = _DISPLAYS.get(type(node))
    if display:
        empty = isinstance(node, (ast.List, ast.Dict)) and not (
            node.elts if isinstance(node, ast.List) else node.keys
        )
        return Default(param, node, display, _suggest(node, _EMPTY_FORM[display]), empty)
    if isinstance(node, ast.Call):
        kind = CONSTRUCTORS.get(names.resolve(node.func) or "")
        if kind is not None:
            # `defaultdict(list)` inserts a missing key on read; `defaultdict()` (no factory) raises.
            factory = kind in MISSING_KEY_INSERTS and bool(node.args) and not (
                isinstance(node.args[0], ast.Constant) and node.args[0].value is None
            )
            empty = not node.keywords and (not node.args or (kind == "defaultdict" and len(node.args) == 1))
            return Default(param, node, kind, _suggest(node, _EMPTY_FORM[kind]), empty, inserts_on_read=factory)
    return None


def _suggest(node: ast.expr, empty_form: str) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 and not isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp)) else empty_form


class _Outcome:
    """What the tracker found for one default: the event, and for a nested function how it is reused."""

    def __init__(self, event: Event | None, reused: Reuse | None = None) -> None:
        self.event = event
        self.reused = reused


def _judge(
    func: FunctionNode,
    default: Default,
    ctx: Context,
    helpers: Helpers,
    parents: dict[FunctionNode, dict[ast.AST, ast.AST]],
) -> _Outcome | None:
    """None when the answer is unknown (a graph too large to build): neither rule is reported."""
    params = frozenset(a.arg for a in parameters(func))
    tracker = Tracker(default, params, deliberate_cache(default.param), ctx.names, helpers.graphs, helpers)
    try:
        events = tracker.function(func)
    except TooLarge:
        return None
    if not events:
        return _Outcome(None)
    outer = ctx.index.enclosing.get(func)
    if outer is None:
        return _Outcome(events[0])
    # A nested function gets a fresh default each time the enclosing function runs: the value is
    # shared only if the function object is used past that run, or more than once in it (SPEC). A
    # closure's counter `n=[0]` is then state kept between its calls, as it would be at module level.
    if outer not in parents:
        parents[outer] = parents_of(outer)
    reused = reuse(func, outer, ctx.names, parents[outer], default.param)
    return _Outcome(events[0] if reused is not None else None, reused)


def check(ctx: Context) -> Iterable[Finding]:
    # The functions with a display, comprehension or call among their defaults, found by the index's walk.
    candidates = ctx.index.defaulted
    if not candidates:
        return
    want_mutated = ctx.enabled(MutatedMutableDefault.code)
    want_style = ctx.enabled(MutableDefaultArgument.code)
    helpers = Helpers(ctx.model, ctx.names, graph_cache(ctx.graphs.graph), ctx.index)
    parents: dict[FunctionNode, dict[ast.AST, ast.AST]] = {}
    for func in candidates:
        for default in _mutable_defaults(func, ctx.names):
            # The mutation is looked for even when only AWS302 is selected: a mutated default is never
            # "any other" mutable default, whichever of the two the user asked for.
            outcome = _judge(func, default, ctx, helpers, parents)
            if outcome is None:
                continue
            event = outcome.event
            if event is None:
                if want_style:
                    yield MutableDefaultArgument.at(default.node, param=default.param, kind=default.kind)
                continue
            if not want_mutated:
                continue
            line = getattr(event.node, "lineno", default.node.lineno)
            steps = [
                Step(default.node.lineno, default.node.col_offset, f"`{default.param}` defaults to one shared {default.kind}"),
                Step(line, getattr(event.node, "col_offset", 0), f"`{default.param}` {event.action}"),
            ]
            if outcome.reused is not None:
                where = outcome.reused.node
                steps.append(Step(getattr(where, "lineno", line), getattr(where, "col_offset", 0), outcome.reused.note))
            path = sorted(steps, key=lambda s: (s.line, s.col))
            # What a helper does to it follows the call that hands it over, wherever the helper is.
            at = path.index(steps[1]) + 1
            path[at:at] = [Step(getattr(w, "lineno", line), getattr(w, "col_offset", 0), note) for w, note in event.via]
            yield MutatedMutableDefault.at(
                default.node,
                path=path,
                param=default.param,
                action=event.action,
                line=line,
                consequence=(
                    "its contents carry over to later calls" if event.how == "mutates"
                    else "every call that takes the default shares that one object, and a change to it shows in "
                    "later calls"
                ),
                fresh=default.fresh,
            )


FAMILY = Family(
    name="defaults",
    rules=(MutatedMutableDefault, MutableDefaultArgument),
    check=check,
    fixes=(fix.plan,),
    fixable=fix.CODES,
)
