"""The control-flow family's orchestration: which blocks to look at, and the findings' words."""
from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from typing import Callable, Iterable, Iterator, cast

from awslint.analysis.buildup import buildups, returned
from awslint.analysis.containers import (
    Change,
    Containers,
    Loop,
    PassedKinds,
    ReturnedKinds,
    Runs,
    changes,
    goes_on,
    helper_changes,
    item_loop,
    item_loop_changes,
    loop_over,
)
from awslint.analysis.guarded import Guarded
from awslint.analysis.index import FunctionNode
from awslint.analysis.module_calls import bound_parameter, call_target
from awslint.analysis.handlers import (
    HandlerAnalysis,
    Reporters,
    Registered,
    CommentLines,
    is_broad,
    raising_step,
)
from awslint.analysis.names import Names, dotted
from awslint.analysis.scopes import Blocks, Scope, own_nodes, own_statements
from awslint.context import Context
from awslint.data.mutating import RESIZING_METHODS
from awslint.data.reporters import GROWING_METHODS, SHRINKING_METHODS, Kind
from awslint.finding import Finding, Step
from awslint.rules.flow.mentions import SourceText, may_be_aliased, mentions
from awslint.rules.flow.rules import (
    ExceptionLostInFinally,
    ExceptionSwallowed,
    ModifiedWhileIterating,
    PreferDefaultdict,
)


def check(ctx: Context) -> Iterable[Finding]:
    if not isinstance(ctx.tree, ast.Module):
        return []
    # Each rule starts from the nodes the shared index holds (handlers, `try`s, loops) and builds
    # only the blocks around them: a file with nothing for a rule costs that rule nothing.
    blocks = Blocks(ctx.tree, ctx.index, ctx.graphs)
    text = SourceText(ctx.lines)
    found: list[Finding] = []
    if ctx.enabled("AWS501"):
        found += _swallowed(ctx, blocks, text)
    if ctx.enabled("AWS502"):
        found += _finally_jumps(ctx)
    if ctx.enabled("AWS503"):
        found += _modified_while_iterating(ctx, blocks, text)
    if ctx.enabled("AWS504"):
        for function in _may_build_up_in(ctx, text):
            # the function's text spells a word of an idiom (it holds a line that does): the empty dict is
            # what is left to ask of it
            own = text.span(function.lineno, function.end_lineno or function.lineno)
            if not _spells_empty_dict(own):
                continue
            block = blocks.block(function)
            for built in buildups(block, ctx.names, own):
                # a dict handed to the caller: a `defaultdict` would insert the keys it reads that are
                # missing, where it got a `KeyError` before
                tail = (f", and return `dict({built.name})` so that callers still get a `KeyError`"
                        if returned(block, built.name) else "")
                found.append(PreferDefaultdict.at(
                    built.node, name=built.name, idiom=built.idiom, line=getattr(built.node, "lineno", 0),
                    factory=built.factory, tail=tail,
                ))
    return found


def _candidates(ctx: Context, blocks: Blocks) -> list[tuple[Scope, list[ast.AST]]]:
    """The blocks holding a broad handler or a `with contextlib.suppress(...)` of a broad exception, in
    source order, each with its `try`s and `with`s in source order. (Only those are reported, and one is
    broad before the block's own names are known: they only shadow.)"""
    names = ctx.names
    picked = [pair for kind in _TRY_TYPES for pair in ctx.index.of_type(kind)
              if any(is_broad(handler.type, names, frozenset()) for handler in cast(ast.Try, pair[0]).handlers)]
    picked += [pair for pair in ctx.index.of_type(ast.With)
               if any(isinstance(call := item.context_expr, ast.Call) and _may_be_suppress(call.func, names)
                      and names.resolve(call.func) == "contextlib.suppress"
                      and any(is_broad(a, names, frozenset()) for a in call.args)
                      for item in cast(ast.With, pair[0]).items)]
    picked.sort(key=_first_start)
    found: dict[int, tuple[Scope, list[ast.AST]]] = {}
    for node, function in picked:
        scope = blocks.of(node, function)
        found.setdefault(id(scope.node), (scope, []))[1].append(node)
    return list(found.values())


def _may_be_suppress(func: ast.expr, names: Names) -> bool:
    """What resolves to `contextlib.suppress`: an attribute named `suppress`, or a name imported as it
    (most `with` items are neither, and need no resolving)."""
    if isinstance(func, ast.Attribute):
        return func.attr == "suppress"
    return isinstance(func, ast.Name) and names.aliases.get(func.id) == "contextlib.suppress"


def _swallowed(ctx: Context, blocks: Blocks, text: SourceText) -> Iterator[Finding]:
    candidates = _candidates(ctx, blocks)
    if not candidates:
        return
    reporters = Reporters(ctx.tree, ctx.names, ctx.option("reporters"), text.whole, ctx.index.functions)
    comments = CommentLines(ctx.lines)
    registered = Registered(ctx.index, ctx.names, ctx.lines)
    guarded = Guarded(lambda: ctx.model, ctx.names, ctx.index.classes,
                      lambda expr: is_broad(expr, ctx.names, frozenset()),
                      lambda call: reporters.reports(call, frozenset()))
    for scope, statements in candidates:
        analysis = HandlerAnalysis(scope, ctx.tree, reporters, comments, registered, ctx.lines, guarded)
        for swallow in analysis.swallowed(ctx.names, statements):
            step = raising_step(swallow.body)
            source, source_line = step if step is not None else ("the `try` block", swallow.body[0].lineno)
            line = getattr(swallow.node, "lineno", 0)
            yield ExceptionSwallowed.at(
                swallow.node,
                path=(Step(source_line, 0, "the error is raised here"), Step(line, 0, "and dropped here")),
                handler=swallow.label, line=line, source=source, source_line=source_line,
            )


def _finally_jumps(ctx: Context) -> Iterator[Finding]:
    tries = [(node, function) for node, function in _in_order(ctx, *_TRY_TYPES) if getattr(node, "finalbody", None)]
    if not tries:
        return
    # The jumps are statements the index holds, each with its function: those of a `finally` are the
    # ones of the try's function inside the block's span (a nested function is another function; a class
    # body holds no jump), a `break`/`continue` not in the body of a loop that starts there.
    seen: set[int] = set()
    for node, function in tries:
        node = cast(ast.Try, node)  # `try`/`except*` have the same fields
        begin, end = _start(node.finalbody[0]), _end(node.finalbody[-1])
        jumps = [jump for kind in (ast.Return, ast.Break, ast.Continue) for jump in _within(ctx, kind, begin, end, function)]
        if not jumps:
            continue
        inner = [loop for kind in (ast.For, ast.AsyncFor, ast.While) for loop in _within(ctx, kind, begin, end, function)]
        for jump in sorted(jumps, key=_start):
            if id(jump) in seen:
                continue
            if not isinstance(jump, ast.Return) and any(
                    _start(loop.body[0]) <= _start(jump) <= _end(loop.body[-1]) for loop in inner):  # type: ignore[attr-defined]
                continue  # it leaves a loop of the `finally`, not the block
            seen.add(id(jump))
            word = {ast.Return: "return", ast.Break: "break", ast.Continue: "continue"}[type(jump)]
            fix = ("return after the `try` statement" if word == "return"
                   else f"move the `{word}` after the `try` statement")
            yield ExceptionLostInFinally.at(jump, jump=word, line=_start(jump)[0], try_line=node.lineno, fix=fix,
                                            lost=_lost(node, ctx.names))


def _lost(node: ast.Try, names: Names) -> str:
    """What the jump discards: whatever the `try` raises when nothing handles it; past a broad handler,
    what its handlers or `else` raise and the `BaseException`s it lets through (`except Exception`
    does not catch `KeyboardInterrupt` or `asyncio.CancelledError`)."""
    if not node.handlers:
        return "an exception raised in the `try`"
    if any(handler.type is None for handler in node.handlers):
        return "an exception raised in its handlers or `else`"
    if any(is_broad(handler.type, names, frozenset()) for handler in node.handlers):
        return ("an exception raised in its handlers or `else`, or a `BaseException` such as "
                "`KeyboardInterrupt` or `CancelledError`")
    return "an exception its handlers do not catch, or one they raise"


def _within(ctx: Context, kind: type, begin: tuple[int, int], end: tuple[int, int],
            function: FunctionNode | None) -> list[ast.AST]:
    """The statements of `kind` the index holds for `function` that start between `begin` and `end`
    (its lists are in source order: found by bisection)."""
    bucket = ctx.index.of_type(kind)
    first = bisect_left(bucket, begin, key=_first_start)
    last = bisect_right(bucket, end, key=_first_start)
    return [node for node, owner in bucket[first:last] if owner is function]


def _first_start(pair: tuple[ast.AST, FunctionNode | None]) -> tuple[int, int]:
    return _start(pair[0])


def _in_order(ctx: Context, *kinds: type) -> list[tuple[ast.AST, FunctionNode | None]]:
    """`ctx.index.of_type(*kinds)`, without sorting when only one of the kinds is present (an `except*`
    or an `async for` is rare)."""
    present = [kind for kind in kinds if ctx.index.of_type(kind)]
    return ctx.index.of_type(*present) if len(present) > 1 else ctx.index.of_type(present[0]) if present else []


def _start(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _end(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "end_lineno", None) or 0, getattr(node, "end_col_offset", None) or 0)


_TRY_TYPES: tuple[type, ...] = tuple(k for k in (ast.Try, getattr(ast, "TryStar", None)) if k is not None)


RESIZING_NAMES = frozenset().union(
    *RESIZING_METHODS.values(), *GROWING_METHODS.values(), *SHRINKING_METHODS.values()
)


def _may_build_up_in(ctx: Context, text: SourceText) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions, in source order, whose text spells one of AWS504's idioms (a word of one: none
    spans lines, so exactly those holding a line that does): found from those lines, climbing from the
    last function that starts before each to the functions around it, rather than by reading every
    function."""
    # each function's text is part of the module's: a module that spells no empty dict has none
    if not _spells_empty_dict(text.whole):
        return []
    lines = text.lines_holding(_BUILDUP_WORDS)
    if not lines:
        return []
    functions = ctx.index.functions
    starts = [function.lineno for function in functions]
    found: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    last = -2
    for line in lines:
        # the last `def` starting on or before the line; every `def` holding the line is that one or
        # one around it (they nest), and a lambda holds no `def`
        at = bisect_right(starts, line) - 1
        if at == last:
            continue  # no function starts since the line before: those holding this one held that one
        last = at
        while at >= 0 and not isinstance(functions[at], (ast.FunctionDef, ast.AsyncFunctionDef)):
            at -= 1
        function: FunctionNode | None = functions[at] if at >= 0 else None
        while function is not None:
            if (isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and line <= (function.end_lineno or function.lineno)):
                found.setdefault(id(function), function)
            function = ctx.index.enclosing.get(function)
    return sorted(found.values(), key=lambda f: (f.lineno, f.col_offset))


# What a function that may build up a dict spells besides an empty dict; none spans lines.
_BUILDUP_WORDS = ("setdefault", "KeyError", " not in ")


def _spells_empty_dict(text: str) -> bool:
    """`{}` or `dict()`, however spaced: the only dicts AWS504 follows. (Two searches, each starting
    from its literal, not one alternation, which the regex engine tries at every character.)"""
    if _EMPTY_BRACES.search(text) is not None:
        return True
    for match in _EMPTY_DICT_CALL.finditer(text):
        before = text[match.start() - 1] if match.start() > 0 else " "
        if not (before.isalnum() or before == "_"):  # `\b` before `dict`
            return True
    return False


_EMPTY_BRACES = re.compile(r"\{\s*\}")
_EMPTY_DICT_CALL = re.compile(r"dict\s*\(\s*\)")


def _resizing(loop: ast.For | ast.AsyncFor, own_key: str | None, inserting: bool) -> tuple[set[str], set[str], set[str]]:
    """The receivers (dotted) of whatever in the loop's body `changes` may count as changing a
    container's size, and the names the body rebinds (`loop_changes` gives up on a loop that rebinds
    what it iterates). One walk of the body, in the terms of `_change`: a resizing method, a `del` of
    an item, an augmented assignment by `+ | - & ^`, an assignment to an item, except to the loop's own
    key (a dict keeps its size; a list item or a set has no such change) while the body keeps that key.
    Third, when `inserting` (the module may build one), the receivers of an item read or augmented by
    another key than the loop's own: those resize a `defaultdict` (or, augmented, a `Counter`) that
    lacks the key."""
    indexed: set[str] = set()
    found: set[str] = set()
    keyed: set[str] = set()  # receivers of `d[key] = ...` with the loop's own key
    stored: set[str] = set()  # names stored or deleted (the key is rebound if it is among them)
    rebound: set[str] = set()  # names stored other than by an augmented assignment
    in_place: set[int] = set()
    for node in own_nodes(list(loop.body)):
        kind = node.__class__
        receiver: str | None = None
        if kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if isinstance(func, ast.Attribute) and func.attr in RESIZING_NAMES:
                receiver = dotted(func.value)
        elif kind is ast.Name or kind is ast.Attribute:
            context = node.ctx  # type: ignore[attr-defined]
            if context.__class__ is not ast.Load:
                name = dotted(node)
                if name is not None:
                    stored.add(name)
                    if context.__class__ is ast.Store and id(node) not in in_place:
                        rebound.add(name)
        elif kind is ast.Assign:
            for target in node.targets:  # type: ignore[attr-defined]
                if isinstance(target, ast.Subscript) and (text := dotted(target.value)) is not None:
                    key = target.slice
                    mine = isinstance(key, ast.Name) and key.id == own_key
                    (keyed if mine else found).add(text)
        elif kind is ast.AugAssign:
            in_place.add(id(node.target))  # type: ignore[attr-defined]
            if isinstance(node.op, _RESIZING_OPS):  # type: ignore[attr-defined]
                receiver = dotted(node.target)  # type: ignore[attr-defined]
        elif kind is ast.Delete:
            found.update(text for t in node.targets  # type: ignore[attr-defined]
                         if isinstance(t, ast.Subscript) and (text := dotted(t.value)))
        elif inserting and kind is ast.Subscript and (node.ctx.__class__ is ast.Load or id(node) in in_place):  # type: ignore[attr-defined]
            key = node.slice  # type: ignore[attr-defined]
            if not (isinstance(key, ast.Name) and key.id == own_key) and (text := dotted(node.value)):  # type: ignore[attr-defined]
                indexed.add(text)
        if receiver is not None:
            found.add(receiver)
    if own_key in stored:
        found |= keyed
        indexed |= keyed
    return found, rebound, indexed


# The augmented assignments `_change` counts: `+=` of a list, `|= -= &= ^=` of a set, `|=` of a dict.
_RESIZING_OPS = (ast.Add, ast.BitOr, ast.Sub, ast.BitAnd, ast.BitXor)


def _function_text(function_texts: dict[int, str], function: FunctionNode | None, text: SourceText) -> str:
    """The text of the function the index gives a loop (or the module's), found once per function."""
    if id(function) not in function_texts:
        function_texts[id(function)] = text.whole if function is None else text.span(
            function.lineno, getattr(function, "end_lineno", None) or function.lineno)
    return function_texts[id(function)]


def _builds_inserting(function_texts: dict[int, str], function: FunctionNode | None, text: SourceText) -> bool:
    """Whether the function's text may build a `defaultdict` or a `Counter`, whose item access inserts
    a missing key (asked only of a loop that indexes something by another key than its own)."""
    whole = _function_text(function_texts, function, text)
    return _INSERTING_WORDS[0] in whole or _INSERTING_WORDS[1] in whole


# The containers whose item access may insert a key (a `from collections import defaultdict as dd`
# alias still spells the name at its import)
_INSERTING_WORDS = ("defaultdict", "Counter")


def _may_resize(body: str) -> bool:
    """Whether a loop body's text may hold what `_resizing` looks for: a resizing method's name, `del`,
    one of those augmented assignments, or an `=` (or a line's end, or a comment, inside parentheses)
    after a `]` (an assignment to an item). Each is spelled in the text as it is in the tree, unless
    the text is not ASCII (Python normalises identifiers)."""
    if not body.isascii() or "del" in body or any(op in body for op in _RESIZING_OP_TOKENS):
        return True
    if "]" in body and _ITEM_STORE.search(body) is not None:
        return True
    return any(word in body for word in _RESIZING_WORDS)


_RESIZING_OP_TOKENS = ("+=", "|=", "-=", "&=", "^=")


def _shortest(words: Iterable[str], found_before: Iterable[str]) -> tuple[str, ...]:
    """The words that hold none of the others, nor one of `found_before` (a text holding `appendleft`
    holds `append`, one holding `__delitem__` holds `del`): asking for those answers the same."""
    every = sorted(set(words))
    return tuple(word for word in every if not any(
        other != word and other in word for other in (*every, *found_before)))


_RESIZING_WORDS = _shortest(RESIZING_NAMES, ("del",))
_ITEM_STORE = re.compile(r"\][ \t\f\r)\\]*(?:[\n#]|=(?!=)|\Z)")


def _alias_edges(scope: Scope, text: SourceText) -> list[tuple[int, str, str]]:
    """The name-to-name bindings of the block (`pending = self.pending`), each as (line, target,
    value): what `Containers.same` may tie together, taken before a loop."""
    out: list[tuple[int, str, str]] = []
    # assignments are statements: every node is walked only when the block's text may hold a `:=`
    first, last = getattr(scope.node, "lineno", 1), getattr(scope.node, "end_lineno", None) or len(text.lines)
    walrus = ":=" in text.span(first, last)
    for node in scope.own_nodes() if walrus else own_statements(scope.body):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            source = dotted(node.value)
            if source is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = dotted(target)
                if name is not None and name != source:
                    out.append((node.lineno, name, source))
    return out


def _group(name: str, edges: list[tuple[int, str, str]], before: int) -> set[str]:
    """The name and every name tied to it by a chain of the bindings made before line `before`: no
    smaller than the group `Containers.same` finds for a loop there, which counts only bindings made
    before the loop."""
    aliases: dict[str, set[str]] = {}
    for line, target, source in edges:
        if line < before:
            aliases.setdefault(target, set()).add(source)
            aliases.setdefault(source, set()).add(target)
    group, work = {name}, [name]
    while work:
        for other in aliases.get(work.pop(), ()):
            if other not in group:
                group.add(other)
                work.append(other)
    return group


def _modified_while_iterating(ctx: Context, blocks: Blocks, text: SourceText) -> Iterator[Finding]:
    # The kinds and aliases of a block are worth finding only for a loop whose body can resize what it
    # iterates: the body names it or another name bound to it, and changes it in a way `changes`
    # counts. Each step below is a necessary condition for the next, cheapest first.
    by_block: dict[int, tuple[Scope, list[ast.For | ast.AsyncFor]]] = {}
    edges: dict[int, list[tuple[int, str, str]]] = {}
    # what may bind another name to the iterated one lies in the loop's block, which lies in the text of
    # the function the index gives it (or the module's): asked once per function and name
    aliased: dict[tuple[int, str], bool] = {}
    function_texts: dict[int, str] = {}
    inserting = _INSERTING_WORDS[0] in text.whole or _INSERTING_WORDS[1] in text.whole
    for node, function in _in_order(ctx, ast.For, ast.AsyncFor):
        assert isinstance(node, (ast.For, ast.AsyncFor))
        over = loop_over(node)
        if over is None:
            if isinstance(node.iter, (ast.Subscript, ast.Call)) and _may_resize(
                    text.span(node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno)) and (
                    held := item_loop(node)) is not None:
                block = blocks.of(node, function)
                for change in item_loop_changes(held):
                    if goes_on(block, change, node):
                        yield _report_change(held, change)
            continue
        if over[0] in ("self", "cls"):
            continue  # `loop_changes` leaves a container class's own iteration to its methods
        name = over[0]
        body = text.span(node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno)
        scope: Scope | None = None
        group: set[str] | None = None
        # a call that may change it in a function of the module: one passing it, or a method of `self`
        helped = ("self." in body if name.startswith("self.") else "(" in body and mentions(body, name.rsplit(".", 1)[-1])) and (
            _hands_over(node, name))
        if not helped and not _may_resize(body):
            continue
        word = name.rsplit(".", 1)[-1]
        if helped:
            by_block.setdefault(id((scope := blocks.of(node, function)).node), (scope, []))[1].append(node)
            continue
        if not mentions(body, word):
            # only another name can reach the object here, bound to it before the loop
            key = (id(function), word)
            if key not in aliased:
                aliased[key] = may_be_aliased(_function_text(function_texts, function, text), word)
            if not aliased[key]:
                continue
            scope = blocks.of(node, function)
            group = _group(name, _edges(edges, scope, text), node.lineno)
            if not any(mentions(body, other.rsplit(".", 1)[-1]) for other in group if other != name):
                continue
        receivers, rebound, indexed = _resizing(node, over[2], inserting)
        if indexed and _builds_inserting(function_texts, function, text):
            receivers |= indexed
        if not receivers or name in rebound:
            continue
        if scope is None:
            scope = blocks.of(node, function)
        if name not in receivers:
            if group is None:
                group = _group(name, _edges(edges, scope, text), node.lineno)
            if group.isdisjoint(receivers):
                continue
        by_block.setdefault(id(scope.node), (scope, []))[1].append(node)
    class_kinds: dict[int, dict[str, Kind | None]] = {}
    passed = PassedKinds(lambda: ctx.index.calls, lambda call, caller: _runs(ctx, call, caller), ctx.names)
    returned_kinds = ReturnedKinds(lambda call: _runs(ctx, call, ctx.model.enclosing_function(call)), ctx.names)
    for scope, loops in by_block.values():
        containers = Containers(scope, ctx.names, class_kinds, passed, returned_kinds)
        runs = _helpers(ctx, scope)
        for stmt in loops:
            for loop, change in loop_changes(scope, containers, stmt, runs):
                yield _report_change(loop, change)


def _helpers(ctx: Context, scope: Scope) -> Runs:
    """What a call in `scope`'s own code runs among the module's functions, and which parameter each
    argument binds there."""
    caller = cast(FunctionNode, scope.function() or ctx.tree)
    defined: list[frozenset[str]] = []  # the names the module's `def`s bind, found on the first call
    # the class whose body holds each method, from the index: `self.m(...)` then needs no model
    owners: dict[int, ast.ClassDef] = {}

    def class_of(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.ClassDef | None:
        if not owners:
            owners.update((id(stmt), cls) for cls in ctx.index.classes for stmt in cls.body
                          if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)))
        return owners.get(id(function))

    def runs(call: ast.Call) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, Callable[[ast.expr], str | None]] | None:
        func = call.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if not defined:
            defined.append(frozenset(f.name for f in ctx.index.functions if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))))
        if name not in defined[0]:
            return None  # no function of the module has that name: the model need not be built
        target = call_target(ctx.model, call, caller, class_of)
        if target is None:
            return None
        return target.function, lambda argument: bound_parameter(target, call, argument)
    return runs


def _hands_over(loop: ast.For | ast.AsyncFor, name: str) -> bool:
    """Whether the loop body calls a function with the iterated container as an argument, or, for
    `self.x`, a method of `self`: the callee may change its size (`helper_changes` says)."""
    method = name.startswith("self.")
    for node in own_nodes(list(loop.body)):
        if isinstance(node, ast.Call):
            func = node.func
            if method and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
                return True
            if isinstance(func, (ast.Name, ast.Attribute)) and any(
                    dotted(a) == name for a in [*node.args, *(k.value for k in node.keywords)]):
                return True
    return False


def _edges(cache: dict[int, list[tuple[int, str, str]]], scope: Scope, text: SourceText) -> list[tuple[int, str, str]]:
    found = cache.get(id(scope.node))
    if found is None:
        found = cache[id(scope.node)] = _alias_edges(scope, text)
    return found


def _runs(ctx: Context, call: ast.Call, caller: ast.AST | None) -> ast.AST | None:
    """The function of this module that `call` runs, when the source settles it."""
    target = call_target(ctx.model, call, cast(FunctionNode, caller if caller is not None else ctx.tree))
    return target.function if target is not None else None


def loop_changes(scope: Scope, containers: Containers, stmt: ast.For | ast.AsyncFor,
                 runs: Runs | None = None) -> Iterator[tuple[Loop, Change]]:
    """The changes of the iterated container inside `stmt` that the loop goes on iterating after;
    `runs`, when given, finds the functions of the module the body calls, whose own changes of the
    container count at the call."""
    over = loop_over(stmt)
    if over is None:
        return
    name, view, key = over
    if name.split(".", 1)[0] in ("self", "cls") and "." not in name:
        return  # the object is a container class of its own: its methods say what they change
    group = containers.same(name, stmt)
    body = list(own_nodes(list(stmt.body)))
    in_place = {id(n.target) for n in body if isinstance(n, ast.AugAssign)}  # `items += ...` keeps the object
    rebound = {n for node in body if id(node) not in in_place for n in _stored(node)}
    if group & rebound:
        return  # the loop body rebinds the name: which object a later change reaches is not known here
    kind, guessed = containers.kind(group, stmt)
    loop = Loop(stmt, name, kind, view, key, containers.origin(group, stmt), guessed,
                containers.built(group, stmt))
    # one finding per statement: `d[k.upper()] = d.pop(k)` is one defect, reported at the change
    # Python makes first (the value's `pop()` before the target's insertion)
    first: dict[int, Change] = {}
    found = list(changes(loop, group, containers))
    if runs is not None:
        found += helper_changes(loop, group, runs)
    for change in found:
        known = first.get(id(change.stmt))
        if known is None or _evaluated_before(change, known):
            first[id(change.stmt)] = change
    for change in sorted(first.values(), key=lambda c: (c.stmt.lineno, c.stmt.col_offset)):
        if goes_on(scope, change, stmt):
            yield loop, change


def _evaluated_before(change: Change, other: Change) -> bool:
    """Whether `change` happens before `other`, both in one statement: a call's arguments before the
    call (`args.insert(0, args.pop(j))`), an assignment's value before its targets; otherwise the
    order of the source."""
    if any(n is change.node for n in ast.walk(other.node)):
        return True
    if any(n is other.node for n in ast.walk(change.node)):
        return False

    def order(c: Change) -> tuple[int, int, int]:
        value = getattr(c.stmt, "value", None) if isinstance(c.stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) else None
        inside = value is not None and any(n is c.node for n in ast.walk(value))
        return (0 if inside else 1, getattr(c.node, "lineno", 0), getattr(c.node, "col_offset", 0))
    return order(change) < order(other)


def _stored(node: ast.AST) -> Iterator[str]:
    if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Store):
        if isinstance(node, ast.Name):
            yield node.id
        else:
            parts: list[str] = []
            expr: ast.AST = node
            while isinstance(expr, ast.Attribute):
                parts.append(expr.attr)
                expr = expr.value
            if isinstance(expr, ast.Name):
                yield ".".join([expr.id, *reversed(parts)])


def copy_of(loop: Loop, kind: str) -> str:
    """The copy the message (and the fix) iterates over instead. Of a container known only from its
    methods (`q.append` of a `deque`, a parameter), `list(q)`: any iterable has that copy."""
    if loop.view in ("keys", "values", "items"):
        return f"list({loop.name}.{loop.view}())"
    if loop.kind is None or loop.guessed:
        return f"list({loop.name})"
    if kind == "list":
        return f"{loop.name}[:]"
    if kind == "set":
        return f"{loop.name}.copy()"
    return f"list({loop.name})"


def _report_change(loop: Loop, change: Change) -> Finding:
    verb = "grows" if change.grows else "shrinks" if change.grows is False else "changes size"
    via = f" (through `{change.receiver}`)" if change.receiver != loop.name else ""
    line = getattr(change.node, "lineno", change.stmt.lineno)
    return ModifiedWhileIterating.at(
        change.node,
        path=(Step(loop.stmt.lineno, loop.stmt.col_offset, f"the `for` iterates over `{loop.name}`"),
              Step(line, getattr(change.node, "col_offset", 0), f"`{loop.name}` {verb} by {change.how}")),
        name=loop.name, change=verb, how=change.how, line=line, via=via, loop=loop.stmt.lineno,
        copy=copy_of(loop, change.kind), kind=change.kind,
    )
