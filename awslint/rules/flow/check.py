"""The control-flow family's orchestration: which blocks to look at, and the findings' words."""
from __future__ import annotations

import ast
import re
from typing import Iterable, Iterator, Sequence, cast

from awslint.analysis.buildup import buildups
from awslint.analysis.containers import Change, Containers, Loop, PassedKinds, changes, goes_on, loop_over
from awslint.analysis.index import FunctionNode
from awslint.analysis.module_calls import call_target
from awslint.analysis.handlers import (
    HandlerAnalysis,
    Reporters,
    Registered,
    call_text,
    CommentLines,
    first_call,
)
from awslint.analysis.names import dotted
from awslint.analysis.scopes import Blocks, Scope, loop_level, own_nodes, own_statements
from awslint.context import Context
from awslint.data.mutating import RESIZING_METHODS
from awslint.data.reporters import GROWING_METHODS, SHRINKING_METHODS, Kind
from awslint.finding import Finding, Step
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
    blocks = Blocks(ctx.tree, ctx.index)
    found: list[Finding] = []
    if ctx.enabled("AWS501"):
        found += _swallowed(ctx, blocks)
    if ctx.enabled("AWS502"):
        found += _finally_jumps(ctx)
    if ctx.enabled("AWS503"):
        found += _modified_while_iterating(ctx, blocks)
    if ctx.enabled("AWS504"):
        for function in ctx.index.functions:
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if not _may_build_up(ctx.lines[function.lineno - 1:function.end_lineno]):
                continue
            for built in buildups(blocks.block(function), ctx.names):
                found.append(PreferDefaultdict.at(
                    built.node, name=built.name, idiom=built.idiom, line=getattr(built.node, "lineno", 0),
                    factory=built.factory,
                ))
    return found


def _candidates(ctx: Context, blocks: Blocks) -> list[tuple[Scope, list[ast.AST]]]:
    """The blocks holding a handler or a `with contextlib.suppress(...)`, in source order, each with
    its `try`s and `with`s in source order."""
    found: dict[int, tuple[Scope, list[ast.AST]]] = {}
    for node, function in ctx.index.of_type(*_TRY_TYPES, ast.With):
        if isinstance(node, ast.With):
            if not any(isinstance(item.context_expr, ast.Call)
                       and ctx.names.resolve(item.context_expr.func) == "contextlib.suppress" for item in node.items):
                continue
        elif not cast(ast.Try, node).handlers:
            continue
        scope = blocks.of(node, function)
        found.setdefault(id(scope.node), (scope, []))[1].append(node)
    return list(found.values())


def _swallowed(ctx: Context, blocks: Blocks) -> Iterator[Finding]:
    candidates = _candidates(ctx, blocks)
    if not candidates:
        return
    reporters = Reporters(ctx.tree, ctx.names, ctx.option("reporters"))
    comments = CommentLines(ctx.lines)
    registered = Registered(ctx.index, ctx.names, ctx.lines)
    for scope, statements in candidates:
        analysis = HandlerAnalysis(scope, ctx.tree, reporters, comments, registered)
        for swallow in analysis.swallowed(ctx.names, statements):
            call = first_call(swallow.body)
            if call is not None:
                source, source_line = f"`{call_text(call)}`", call.lineno
            else:
                source, source_line = "the `try` block", swallow.body[0].lineno
            line = getattr(swallow.node, "lineno", 0)
            yield ExceptionSwallowed.at(
                swallow.node,
                path=(Step(source_line, 0, "the error is raised here"), Step(line, 0, "and dropped here")),
                handler=swallow.label, line=line, source=source, source_line=source_line,
            )


def _finally_jumps(ctx: Context) -> Iterator[Finding]:
    seen: set[int] = set()
    for node, _function in ctx.index.of_type(*_TRY_TYPES):
        if not getattr(node, "finalbody", None):
            continue
        node = cast(ast.Try, node)  # `try`/`except*` have the same fields
        jumps: list[ast.stmt] = [n for n in own_nodes(list(node.finalbody)) if isinstance(n, ast.Return)]
        jumps += [n for n in loop_level(node.finalbody) if isinstance(n, (ast.Break, ast.Continue))]
        for jump in sorted(jumps, key=lambda n: (n.lineno, n.col_offset)):
            if id(jump) in seen:
                continue
            seen.add(id(jump))
            word = {ast.Return: "return", ast.Break: "break", ast.Continue: "continue"}[type(jump)]
            fix = ("return after the `try` statement" if word == "return"
                   else f"move the `{word}` after the `try` statement")
            yield ExceptionLostInFinally.at(jump, jump=word, line=jump.lineno, try_line=node.lineno, fix=fix)


_TRY_TYPES: tuple[type, ...] = tuple(k for k in (ast.Try, getattr(ast, "TryStar", None)) if k is not None)


RESIZING_NAMES = frozenset().union(
    *RESIZING_METHODS.values(), *GROWING_METHODS.values(), *SHRINKING_METHODS.values()
)


def _may_build_up(lines: Sequence[str]) -> bool:
    """Whether a function's text spells an empty dict and one of AWS504's idioms; most do not, and
    cost nothing then."""
    text = "\n".join(lines)
    return ("setdefault" in text or "KeyError" in text or " not in " in text) and _EMPTY_DICT.search(text) is not None


# `{}` or `dict()`, however spaced: the only dicts AWS504 follows.
_EMPTY_DICT = re.compile(r"\{\s*\}|\bdict\s*\(\s*\)")


def _resized(loop: ast.For | ast.AsyncFor) -> set[str]:
    """The receivers (dotted) of whatever in the loop's body can change a container's size."""
    found: set[str] = set()
    for node in own_nodes(list(loop.body)):
        receiver: ast.AST | None = None
        if isinstance(node, ast.Delete):
            found.update(text for t in node.targets if isinstance(t, ast.Subscript) and (text := dotted(t.value)))
        elif isinstance(node, ast.AugAssign):
            receiver = node.target
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            receiver = node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in RESIZING_NAMES):
            receiver = node.func.value
        text = dotted(receiver) if receiver is not None else None
        if text is not None:
            found.add(text)
    return found


def _aliases(scope: Scope, lines: Sequence[str]) -> dict[str, set[str]]:
    """Which names a binding of the block ties together (`pending = self.pending`), both ways: the
    most an alias group of `Containers.same` can hold."""
    out: dict[str, set[str]] = {}
    # assignments are statements: every node is walked only when the block's text may hold a `:=`
    first, last = getattr(scope.node, "lineno", 1), getattr(scope.node, "end_lineno", None) or len(lines)
    walrus = any(":=" in line for line in lines[first - 1:last])
    for node in scope.own_nodes() if walrus else own_statements(scope.body):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            source = dotted(node.value)
            if source is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                name = dotted(target)
                if name is not None and name != source:
                    out.setdefault(name, set()).add(source)
                    out.setdefault(source, set()).add(name)
    return out


def _may_change(name: str, receivers: set[str], aliases: dict[str, set[str]]) -> bool:
    """Whether some receiver may be the iterated object: the name itself or an alias of it."""
    group, work = {name}, [name]
    while work:
        for other in aliases.get(work.pop(), ()):
            if other not in group:
                group.add(other)
                work.append(other)
    return not group.isdisjoint(receivers)


def _modified_while_iterating(ctx: Context, blocks: Blocks) -> Iterator[Finding]:
    # The kinds and aliases of a block are worth finding only when some loop can resize something.
    by_block: dict[int, tuple[Scope, list[ast.For | ast.AsyncFor]]] = {}
    aliases: dict[int, dict[str, set[str]]] = {}
    for node, function in ctx.index.of_type(ast.For, ast.AsyncFor):
        assert isinstance(node, (ast.For, ast.AsyncFor))
        over = loop_over(node)
        receivers = _resized(node) if over is not None else set()
        if over is None or not receivers:
            continue
        scope = blocks.of(node, function)
        if over[0] not in receivers:
            if id(scope.node) not in aliases:
                aliases[id(scope.node)] = _aliases(scope, ctx.lines)
            if not _may_change(over[0], receivers, aliases[id(scope.node)]):
                continue
        by_block.setdefault(id(scope.node), (scope, []))[1].append(node)
    class_kinds: dict[int, dict[str, Kind | None]] = {}
    passed = PassedKinds(lambda: ctx.index.calls, lambda call, caller: _runs(ctx, call, caller), ctx.names)
    for scope, loops in by_block.values():
        containers = Containers(scope, ctx.names, class_kinds, passed)
        for stmt in loops:
            for loop, change in loop_changes(scope, containers, stmt):
                yield _report_change(loop, change)


def _runs(ctx: Context, call: ast.Call, caller: ast.AST | None) -> ast.AST | None:
    """The function of this module that `call` runs, when the source settles it."""
    target = call_target(ctx.model, call, cast(FunctionNode, caller if caller is not None else ctx.tree))
    return target.function if target is not None else None


def loop_changes(scope: Scope, containers: Containers, stmt: ast.For | ast.AsyncFor) -> Iterator[tuple[Loop, Change]]:
    """The changes of the iterated container inside `stmt` that the loop goes on iterating after."""
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
    loop = Loop(stmt, name, containers.kind(group, stmt), view, key, containers.origin(group, stmt))
    seen: set[int] = set()
    for change in changes(loop, group, containers):
        if id(change.node) in seen:
            continue
        seen.add(id(change.node))
        if goes_on(scope, change, stmt):
            yield loop, change


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
    """The copy the message (and the fix) iterates over instead."""
    if loop.view in ("keys", "values", "items"):
        return f"list({loop.name}.{loop.view}())"
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
