"""AWS204: a loop that polls an operation, sleeps, and leaves on a state one of its waiters expects.

The loop is the innermost `while`/`for` around the call in the same function (not a `for` over items
that asks about a different item on each turn: that is a search) — or, when the call sits
in a small helper of the same module or class that returns its response or a value read from it
(`def _status(self): return self.ddb.describe_table(...)["Table"]["TableStatus"]`), the loop around a
call of that helper. It must sleep in its own body (`time.sleep`, `asyncio.sleep`, or a helper of the
module or class whose own body calls them) and leave on a comparison — in its condition, in an `if`
that breaks out of it or returns, or in a `case "ACTIVE":` of a `match` — of a value read from the
response with string constants (literals, module constants, tuples of them, enum members).

Which way the comparison goes matters. A loop that leaves once the value *is* one of the constants
waits for it: a constant counts when a success acceptor of a waiter expects it. A loop that goes on
*while* the value is one of the constants waits it out: that is a waiter only when a retry acceptor
expects the constant (`while status == "InProgress"`: `function_updated`) and no success acceptor
does. Where the code reads the value by a key (`["State"]["Name"]`), the key must be the acceptor's field.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from awslint.analysis.boto import dotted
from awslint.analysis.index import FunctionNode
from awslint.analysis.names import local_bindings
from awslint.analysis.nodes import breadth_first, children
from awslint.data.sdk_tables import Acceptor, Waiter, waiter_table
from awslint.finding import Finding, Step
from awslint.rules.sdk.facts import SdkFacts
from awslint.rules.sdk.rules import AwsPollingWithoutWaiter

_LOOPS = (ast.While, ast.For, ast.AsyncFor)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_SLEEPS = frozenset({"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep", "eventlet.sleep"})
# Calls whose answer is true exactly when the comparisons inside them are (for every item, for some).
_QUANTIFIERS = frozenset({"all", "any"})
# A helper that reads a state is small: a docstring, the call, a look-up or two, the return.
_HELPER_STATEMENTS = 5
Loop = ast.While | ast.For | ast.AsyncFor


@dataclass(frozen=True)
class _Poll:
    """A loop that calls the operation: `probe` is the call inside the loop whose value is the response
    read by `prefix` (the operation's call itself, or a call of a helper that returns a part of it)."""

    loop: Loop
    probe: ast.Call
    prefix: tuple[str, ...]


@dataclass(frozen=True)
class _Exit:
    """A comparison the loop leaves on; `until` is true when the loop leaves once it holds (`==`, `in`)
    and false when it goes on while it holds (`while state == "InProgress"`)."""

    compare: ast.Compare
    leaves_when: bool


@dataclass(frozen=True)
class _Match:
    waiter: Waiter
    acceptor: Acceptor
    compare: ast.Compare
    poll: _Poll
    waits_out: bool  # the loop waits while the state is the acceptor's (a retry state)


def check_call(facts: SdkFacts, call: ast.Call, scope: FunctionNode | None) -> Finding | None:
    assert isinstance(call.func, ast.Attribute)
    operation = call.func.attr
    table = waiter_table()
    polls = [
        p for p in _polls(facts, call) if not _walks_items(p) and _sleeps(facts, p.loop) and not facts.in_test(p.probe)
    ]
    if not polls:
        return None
    candidate = facts.receivers.candidate(call, scope, table.services_of(operation), table.elsewhere(operation))
    if candidate is None or facts.in_test(call):
        return None
    waiters = [w for s in candidate.services for w in table.waiters(s, operation)]
    if not waiters:
        return None
    matches = [
        m for poll in polls for exit_ in _exit_tests(poll.loop) for m in _matching(facts, poll, exit_, waiters)
    ]
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.waits_out, m.waiter.name))
    receiver = dotted(call.func.value) or "client"
    arguments = ", ".join(_argument(kw) for kw in call.keywords)
    state = f"`{best.acceptor.field}` is no longer" if best.waits_out else f"`{best.acceptor.field}` is"
    path = [Step(best.poll.loop.lineno, best.poll.loop.col_offset, "the loop starts here")]
    if best.poll.probe is not call:
        path.append(Step(best.poll.probe.lineno, best.poll.probe.col_offset, f"it calls a helper that calls `{operation}`"))
    path.append(Step(call.lineno, call.col_offset, f"it calls `{operation}`"))
    path.append(Step(best.compare.lineno, best.compare.col_offset, f"and leaves when {state} `{best.acceptor.expected}`"))
    return AwsPollingWithoutWaiter.at(
        call,
        path=path,
        operation=operation,
        condition=f"{state} `{best.acceptor.expected}`",
        waiter=best.waiter.name,
        receiver=receiver,
        arguments=arguments,
        others=_other_waiters(best, matches),
    )


def _other_waiters(best: _Match, matches: list[_Match]) -> str:
    """The waiters made for the states the loop also leaves on, when they are not `best`'s: `in
    ["CREATE_COMPLETE", "UPDATE_COMPLETE"]` after a create or an update wants `stack_update_complete`
    for the update, since `stack_create_complete` takes `UPDATE_IN_PROGRESS` as done. For each state
    the waiter made for it is the one that accepts the fewest states."""
    if best.waits_out:
        return ""
    by_state: dict[str, set[Waiter]] = {}
    for match in matches:
        if match.compare is best.compare and not match.waits_out:
            by_state.setdefault(match.acceptor.expected, set()).add(match.waiter)
    others: dict[str, str] = {}
    for state, waiters in by_state.items():
        made_for = min(waiters, key=lambda w: (sum(a.state == "success" for a in w.acceptors), w.name))
        if made_for.name != best.waiter.name:
            others[state] = made_for.name
    if not others:
        return ""
    named = ", ".join(f"the `{name}` waiter for `{state}`" for state, name in sorted(others.items()))
    return f" (and {named})"


def _argument(kw: ast.keyword) -> str:
    if kw.arg is None:
        return f"**{ast.unparse(kw.value)}" if len(ast.unparse(kw.value)) <= 30 else "**..."
    text = ast.unparse(kw.value)
    return f"{kw.arg}={text}" if len(text) <= 30 else f"{kw.arg}=..."


# -- where the operation is polled ---------------------------------------------------------------


def _polls(facts: SdkFacts, call: ast.Call) -> Iterator[_Poll]:
    loop = _loop_around(facts, call)
    if loop is not None:
        yield _Poll(loop, call, ())
        return
    helper = facts.ctx.model.enclosing_function(call)
    if not isinstance(helper, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return
    prefix = _returned_part(facts, helper, call)
    if prefix is None:
        return
    for site in _helper_calls(facts, helper):
        outer = _loop_around(facts, site)
        if outer is not None:
            yield _Poll(outer, site, prefix)


def _returned_part(
    facts: SdkFacts, helper: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call
) -> tuple[str, ...] | None:
    """The keys by which `helper` returns a part of `call`'s response, when every `return` does."""
    nodes = list(_own_nodes(helper))
    if len(helper.body) > _HELPER_STATEMENTS or any(isinstance(n, _LOOPS) for n in nodes):
        return None  # a function that waits or works on its own is no helper that reads a state
    returns = [n for n in nodes if isinstance(n, ast.Return)]
    if len(returns) != 1 or returns[0].value is None:
        return None
    return facts.flow.derived(returns[0].value, call)


def _helper_calls(facts: SdkFacts, helper: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.Call]:
    """Calls of `helper`: by its name where the name means it (the module's function, or a function
    nested in the same function), or `self.helper(...)` in the methods of its class."""
    model = facts.ctx.model
    owner = model.parent(helper)
    if isinstance(owner, ast.ClassDef):
        for method in model.methods(owner).values():
            args = [*method.args.posonlyargs, *method.args.args]
            if not args or any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in method.decorator_list):
                continue
            me = args[0].arg
            for node in breadth_first(method):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == helper.name
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == me
                ):
                    yield node
        return
    root = owner if isinstance(owner, ast.Module) else model.enclosing_function(helper)
    if root is None:
        return
    for node in breadth_first(root):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == helper.name:
            if _means(facts, node, helper, root):
                yield node


def _means(facts: SdkFacts, site: ast.Call, helper: ast.AST, root: ast.AST) -> bool:
    """Whether the name called at `site` is bound to `helper` there: no function between `root` and
    the call binds the name anew, and `root` binds it only by this definition."""
    assert isinstance(site.func, ast.Name)
    name = site.func.id
    model = facts.ctx.model
    definitions = model.bindings_of(root, name)
    if len(definitions) != 1:
        return False
    for ancestor in model.ancestors(site):
        if ancestor is root:
            return True
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and name in model.local_names(ancestor):
            return False
    return False


def _loop_around(facts: SdkFacts, call: ast.Call) -> Loop | None:
    for ancestor in facts.ctx.model.ancestors(call):
        if isinstance(ancestor, _FUNCTIONS):
            return None
        if isinstance(ancestor, _LOOPS):
            if isinstance(ancestor, (ast.For, ast.AsyncFor)) and _within(call, ancestor.iter):
                continue  # `for x in client.op(...)`: the call runs once, not in the loop
            return ancestor
    return None


def _walks_items(poll: _Poll) -> bool:
    """A `for` loop whose target feeds the probe's arguments, directly or through a name the body
    builds from it (`for iid in ids: ...describe_instances(InstanceIds=[iid])`), asks about another
    item on each turn: it searches the items (and sleeps to stay under a rate limit), it does not
    wait for one of them, and no waiter does what it does."""
    loop = poll.loop
    if not isinstance(loop, (ast.For, ast.AsyncFor)):
        return False
    fed = {n.id for n in breadth_first(loop.target) if isinstance(n, ast.Name)}
    for stmt in _statements(loop.body):
        if isinstance(stmt, ast.Assign) and _mentions(stmt.value, fed):
            fed |= {n.id for t in stmt.targets for n in breadth_first(t) if isinstance(n, ast.Name)}
    return any(_mentions(a, fed) for a in (*poll.probe.args, *(kw.value for kw in poll.probe.keywords)))


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in breadth_first(node))


def _within(node: ast.AST, root: ast.AST) -> bool:
    return any(n is node for n in breadth_first(root))


def _own_nodes(root: ast.AST) -> Iterator[ast.AST]:
    """The nodes under `root`, not those of functions or classes defined inside it."""
    stack = children(root)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _FUNCTIONS):
            stack.extend(children(node))


def _sleeps(facts: SdkFacts, loop: ast.AST, through_helpers: bool = True) -> bool:
    """Whether the loop sleeps: a call of `time.sleep` and the like in its body, or of a helper of the
    module or class whose own body does (`_backoff(attempt)` around `time.sleep(2 ** attempt)`)."""
    function = facts.ctx.model.enclosing_function(loop)
    # an import in the function (`from time import sleep`) resolves as a module's would
    shadowed = local_bindings(function) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else frozenset()
    for node in _own_nodes(loop):
        if isinstance(node, ast.Call):
            resolved = facts.ctx.names.resolve(node.func, shadowed)
            if resolved in _SLEEPS:
                return True
            if through_helpers:
                helper = _called_helper(facts, node, function)
                if helper is not None and _sleeps(facts, helper, through_helpers=False):
                    return True
    return False


def _called_helper(facts: SdkFacts, call: ast.Call, function: ast.AST | None) -> ast.AST | None:
    """The function of this module (by a name no enclosing function rebinds) or the method of this
    class (`self.method(...)`) that `call` calls, when one `def` defines it."""
    model = facts.ctx.model
    func = call.func
    if isinstance(func, ast.Name):
        tree = facts.ctx.tree
        if not isinstance(tree, ast.Module) or not _means_module(facts, call):
            return None
        defs = [b.node for b in model.bindings_of(tree, func.id)]
        found = defs[0] if len(defs) == 1 else None
        return found if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and function is not None:
        method = function
        for outer in _outer(facts, function):
            method = outer
        owner = model.parent(method)
        if not isinstance(owner, ast.ClassDef) or not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        args = [*method.args.posonlyargs, *method.args.args]
        if not args or args[0].arg != func.value.id:
            return None
        return model.methods(owner).get(func.attr)
    return None


def _means_module(facts: SdkFacts, site: ast.Call) -> bool:
    """Whether the name called at `site` reads the module's binding (no enclosing function binds it)."""
    assert isinstance(site.func, ast.Name)
    model = facts.ctx.model
    for ancestor in model.ancestors(site):
        functions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        if isinstance(ancestor, functions) and site.func.id in model.local_names(ancestor):
            return False
    return True


# -- what the loop leaves on -----------------------------------------------------------------------


def _exit_tests(loop: Loop) -> Iterator[_Exit]:
    """The comparisons the loop leaves on: its condition (it leaves when that is false), and the tests
    of `if`s of which one branch breaks or returns and the other does not."""
    if isinstance(loop, ast.While):
        yield from _compares(loop.test, False)
    for stmt in _statements(loop.body):
        if isinstance(stmt, ast.If):
            body, orelse = _leaves(stmt.body), _leaves(stmt.orelse)
            if body != orelse:
                yield from _compares(stmt.test, body)
        elif isinstance(stmt, ast.Match):
            yield from _case_tests(stmt)


def _case_tests(match: ast.Match) -> Iterator[_Exit]:
    """`match state:` in the loop: each unguarded `case "ACTIVE":` (or `case "A" | "B":`) is the test
    `state in ("ACTIVE",)`; it leaves the loop when its body breaks or returns and another case does
    not, and it goes on while it holds when every other case leaves."""
    leaving = [_leaves(case.body) for case in match.cases]
    for i, case in enumerate(match.cases):
        if case.guard is not None:
            continue
        patterns = case.pattern.patterns if isinstance(case.pattern, ast.MatchOr) else [case.pattern]
        values = [p.value for p in patterns if isinstance(p, ast.MatchValue)]
        if not values or len(values) != len(patterns):
            continue
        others = leaving[:i] + leaving[i + 1:]
        if leaving[i] and not all(others):
            leaves_when = True
        elif not leaving[i] and others and all(others):
            leaves_when = False
        else:
            continue
        test = ast.Compare(left=match.subject, ops=[ast.In()], comparators=[ast.Tuple(elts=values, ctx=ast.Load())])
        yield _Exit(ast.copy_location(test, case.pattern), leaves_when)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of the loop body, into `if`/`try`/`with` blocks but not into inner loops or functions."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (*_LOOPS, *_FUNCTIONS)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                blocks = [s for h in inner for s in h.body] if field == "handlers" else inner
                yield from _statements([s for s in blocks if isinstance(s, ast.stmt)])


def _leaves(body: list[ast.stmt]) -> bool:
    for stmt in _statements(body):
        if isinstance(stmt, (ast.Break, ast.Return)):
            return True
    return False


def _compares(test: ast.AST, leaves_when: bool) -> Iterator[_Exit]:
    """The comparisons a test is made of, each with the truth value that makes the loop leave:
    through `and`/`or`, `not`, and `all(...)`/`any(...)` over a generator."""
    if isinstance(test, ast.Compare):
        yield _Exit(test, leaves_when)
    elif isinstance(test, ast.BoolOp):
        for value in test.values:
            yield from _compares(value, leaves_when)
    elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield from _compares(test.operand, not leaves_when)
    elif isinstance(test, ast.NamedExpr):
        yield from _compares(test.value, leaves_when)
    elif (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id in _QUANTIFIERS
        and len(test.args) == 1
        and isinstance(test.args[0], (ast.GeneratorExp, ast.ListComp))
    ):
        yield from _compares(test.args[0].elt, leaves_when)


# -- the constants a state is compared with ------------------------------------------------------


def _constants(facts: SdkFacts, node: ast.AST, depth: int = 0) -> list[str]:
    """The strings `node` spells: a literal, a module constant (`ACTIVE = "ACTIVE"`, `DONE = ("A", "B")`),
    a tuple/list/set of those, a constants class's attribute (`States.ACTIVE`), a str-mixin enum's
    member, or an enum member's `.value`."""
    if depth > 4:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):
        function = facts.ctx.model.enclosing_function(node)
        scope = function if function is not None and node.id in facts.ctx.model.local_names(function) else None
        if scope is None and function is not None and any(node.id in facts.ctx.model.local_names(f) for f in _outer(facts, function)):
            return []
        value = facts.receivers.boto.single_value(node.id, scope)
        if value is None or value is node:
            return []
        return _constants(facts, value, depth + 1)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values = [v for e in node.elts for v in _constants(facts, e, depth + 1)]
        return values if len(values) >= len(node.elts) else []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set", "tuple"):
        if len(node.args) == 1 and not node.keywords:
            return _constants(facts, node.args[0], depth + 1)
    if isinstance(node, ast.Attribute):
        return _member(facts, node)
    return []


def _outer(facts: SdkFacts, function: ast.AST) -> Iterator[ast.AST]:
    for ancestor in facts.ctx.model.ancestors(function):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield ancestor


def _member(facts: SdkFacts, node: ast.Attribute) -> list[str]:
    """`States.ACTIVE` of a module class: the string for a constants class or a str-mixin enum;
    `Status.ACTIVE.value` for any enum. A plain enum's member is never equal to a string."""
    want_value = node.attr == "value" and isinstance(node.value, ast.Attribute)
    member = node.value if want_value else node
    if not (isinstance(member, ast.Attribute) and isinstance(member.value, ast.Name)):
        return []
    cls = _module_class(facts, member.value.id)
    if cls is None:
        return []
    value = _class_string(cls, member.attr)
    if value is None:
        return []
    bases = {(dotted(b) or "").split(".")[-1] for b in cls.bases}
    enum = any(b.endswith(("Enum", "Flag")) for b in bases)
    if want_value:
        return [value] if enum else []
    if not enum or "str" in bases or "StrEnum" in bases:
        return [value]
    return []


def _module_class(facts: SdkFacts, name: str) -> ast.ClassDef | None:
    tree = facts.ctx.tree
    if not isinstance(tree, ast.Module):
        return None
    found = [s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == name]
    bound = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]
    return found[0] if len(found) == 1 and not bound else None


def _class_string(cls: ast.ClassDef, attr: str) -> str | None:
    values = [
        stmt.value
        for stmt in cls.body
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == attr for t in stmt.targets)
    ]
    value = values[0] if len(values) == 1 else None
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


# -- the comparison against the waiters ----------------------------------------------------------


def _matching(facts: SdkFacts, poll: _Poll, exit_: _Exit, waiters: list[Waiter]) -> Iterator[_Match]:
    compare = exit_.compare
    # `(status := resp["Stacks"][0]["StackStatus"]) != "CREATE_COMPLETE"`: the value the walrus binds
    operands = [o.value if isinstance(o, ast.NamedExpr) else o for o in (compare.left, *compare.comparators)]
    for i, op in enumerate(compare.ops):
        if not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
            continue
        left, right = operands[i], operands[i + 1]
        sides = ((left, right), (right, left)) if isinstance(op, (ast.Eq, ast.NotEq)) else ((left, right),)
        for value_side, const_side in sides:
            values = _constants(facts, const_side)
            if not values:
                continue
            found = facts.flow.derived(value_side, poll.probe)
            if found is None:
                continue
            keys = (*poll.prefix, *found)
            # The loop leaves once the state is among `values` (`until`), or goes on while it is.
            until = isinstance(op, (ast.Eq, ast.In)) == exit_.leaves_when
            yield from _acceptors(keys, values, until, waiters, compare, poll)


def _acceptors(
    keys: tuple[str, ...], values: list[str], until: bool, waiters: list[Waiter], compare: ast.Compare, poll: _Poll
) -> Iterator[_Match]:
    def fits(acceptor: Acceptor) -> bool:
        # Where the code reads the value by a key, it must be the acceptor's field.
        return acceptor.expected in values and (not keys or keys[-1] == acceptor.last_key)

    if until:
        # A loop that waits for a waiter's failure state (`UPDATE_IN_PROGRESS`) does something else.
        for waiter in waiters:
            for acceptor in waiter.acceptors:
                if acceptor.state == "success" and fits(acceptor):
                    yield _Match(waiter, acceptor, compare, poll, False)
        return
    # Waiting while the state is a waiter's success state waits for it to end: no waiter does that.
    if any(a.state == "success" and fits(a) for w in waiters for a in w.acceptors):
        return
    for waiter in waiters:
        for acceptor in waiter.acceptors:
            if acceptor.state == "retry" and fits(acceptor):
                yield _Match(waiter, acceptor, compare, poll, True)
