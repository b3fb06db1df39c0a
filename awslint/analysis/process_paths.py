"""The paths the process rules search, on the function's control-flow graph.

`left_running` (AWS105) starts where `communicate(timeout=...)`/`wait(timeout=...)` raises
`TimeoutExpired` and follows the exception to the handler that catches it (matched by name: the graph
itself does not know which exception is in flight), or out of the function, then the normal paths
from there. A path is a witness when it ends the function, rebinds the name, or waits for the child
again without a timeout, before anything kills it, hands it over, looks at its state or waits with a
timeout again (that call is judged on its own). Only explicit `raise`s and re-raises are followed as
exceptions after the timeout: the other statements of a handler are taken not to fail. A test of a
flag the path itself set to a constant takes only the branch the flag decides (`path_flags`).

`unread_pipe` (AWS106) follows the normal paths from a `Popen(...)` to each `wait()` of it, carrying
the piped streams nothing has read to their end yet.
"""
from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from enum import Enum
from typing import AbstractSet, Iterable, Literal, Mapping

from awslint.analysis.cfg import EXC, FALSE, TRUE, Cfg, Node
from awslint.analysis.names import Names
from awslint.analysis.processes import LEAKS, Act, Stream, StreamSteps
from awslint.data.processes import CATCHES_TIMEOUT
from awslint.analysis.names import dotted
from awslint.analysis.path_flags import NO_FLAGS, Flags, after, decided

_MAX_STATES = 20_000

# What is in flight: the timeout, or another exception ("other", or "other:<name>" when the `raise`
# names its class: `raise DeployError(...)` is caught by `except DeployError`).
InFlight = str


class Catch(Enum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"  # an exception of a kind the analysis does not know, at a handler that names some
    UNKNOWN = "unknown"  # the handler names something the analysis cannot resolve


class Handlers:
    """Which `except` clauses catch `subprocess.TimeoutExpired`, resolved through imports."""

    def __init__(self, names: Names, shadowed: AbstractSet[str], classes: AbstractSet[str]) -> None:
        self.names, self.shadowed, self.classes = names, shadowed, classes

    def catches(self, node: Node, inflight: InFlight) -> Catch:
        stmt = node.stmt
        if isinstance(stmt, ast.ExceptHandler):
            if stmt.type is None:
                return Catch.YES
            options = stmt.type.elts if isinstance(stmt.type, ast.Tuple) else [stmt.type]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            options = _suppressed(stmt)  # the handler the graph draws for `with suppress(...)`
        else:
            return Catch.UNKNOWN
        verdicts = [self._option(o) for o in options]
        if Catch.YES in verdicts and (inflight == "timeout" or self._broad(options)):
            return Catch.YES
        if inflight != "timeout":
            raised = inflight.partition(":")[2]
            if raised and any((dotted(o) or "") == raised for o in options):
                return Catch.YES
            return Catch.MAYBE
        if Catch.UNKNOWN in verdicts:
            return Catch.UNKNOWN
        return Catch.NO

    def _broad(self, options: Iterable[ast.expr]) -> bool:
        return any(
            self.names.resolve(o, self.shadowed) in ("Exception", "BaseException", "builtins.Exception",
                                                     "builtins.BaseException")
            for o in options
        )

    def _option(self, option: ast.expr) -> Catch:
        if isinstance(option, ast.Starred):
            return Catch.UNKNOWN
        resolved = self.names.resolve(option, self.shadowed)
        if resolved in CATCHES_TIMEOUT:
            return Catch.YES
        if resolved is not None:
            last = resolved.rsplit(".", 1)[-1]
            # an imported CONSTANT may be a tuple of classes; an imported class is not a base of TimeoutExpired
            return Catch.UNKNOWN if last.isupper() else Catch.NO
        if isinstance(option, ast.Name) and option.id in self.classes and option.id not in self.shadowed:
            return Catch.NO
        return Catch.UNKNOWN


def _suppressed(stmt: ast.With | ast.AsyncWith) -> list[ast.expr]:
    for item in stmt.items:
        expr = item.context_expr
        if isinstance(expr, ast.Call):
            func = expr.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == "suppress":
                return list(expr.args)
    return []


@dataclass(frozen=True)
class Escape:
    """A path on which the child is left running after the timeout at `start`.

    `how`: `exit` (the function returns), `raise-exit` (an exception leaves it), `end` (the program
    exits: the OS does not stop its children), `wait` (it waits for the child without a timeout),
    `rebind` (the name takes another value).
    """

    how: Literal["exit", "raise-exit", "end", "wait", "rebind"]
    start: Node
    handler: Node | None  # the `except` that caught the timeout
    path: tuple[Node, ...]

    @property
    def last(self) -> Node:
        return self.path[-1]


_Key = tuple[Node, "InFlight | None", "Node | None", Flags]


def left_running(cfg: Cfg, starts: Iterable[Node], acts: Mapping[Node, Act], handlers: Handlers) -> Escape | None:
    """The first path (breadth first) from a timeout at one of `starts` that leaves the child running."""
    parent: dict[_Key, _Key | None] = {}
    queue: deque[_Key] = deque()

    def push(key: _Key, came_from: _Key | None) -> None:
        if key not in parent:
            parent[key] = came_from
            queue.append(key)

    def escape(how: Literal["exit", "raise-exit", "end", "wait", "rebind"], key: _Key) -> Escape:
        path: list[Node] = []
        at: _Key | None = key
        while at is not None:
            path.append(at[0])
            at = parent[at]
        path.reverse()
        return Escape(how, path[0], key[2], tuple(path))

    for start in starts:
        origin: _Key = (start, None, None, NO_FLAGS)
        parent[origin] = None
        for target, kind in start.succ:
            if kind == EXC:
                push((target, "timeout", None, NO_FLAGS), origin)

    while queue:
        if len(parent) > _MAX_STATES:
            return None
        key = queue.popleft()
        node, inflight, handler, flags = key
        if node is cfg.exit:
            return escape("exit", key)
        if node is cfg.raise_exit:
            return escape("raise-exit", key)
        if node.kind == "end":
            return escape("end", key)
        if node.kind == "except" and inflight is not None:
            verdict = handlers.catches(node, inflight)
            if verdict is Catch.UNKNOWN or not node.succ:
                continue
            body, rest = node.succ[0][0], node.succ[1:]
            if verdict in (Catch.YES, Catch.MAYBE):
                push((body, None, handler or node if inflight == "timeout" else handler, flags), key)
            if verdict in (Catch.NO, Catch.MAYBE):
                for target, _ in rest:
                    push((target, inflight, handler, flags), key)
            continue
        act = acts.get(node, Act.NONE)
        if act in LEAKS:
            return escape("wait" if act is Act.WAIT else "rebind", key)
        if act is not Act.NONE:
            continue  # killed, handed over, looked at, or waited for again with a timeout
        taken = decided(node, flags)  # `if timed_out:` after the handler set `timed_out = True`
        flags = after(node, flags)
        # a call that never returns normally (`pytest.fail(...)`, `flask.abort(404)`) raises as `raise` does
        always_raises = node.kind == "stmt" and all(kind == EXC for _, kind in node.succ)
        for target, kind in node.succ:
            if kind != EXC:
                if taken is None or kind == taken:
                    push((target, inflight, handler, flags), key)
            elif node.kind in ("raise", "reraise"):
                push((target, _raised(node, inflight, handler), handler, flags), key)
            elif always_raises:
                push((target, "other", handler, flags), key)
    return None


def _raised(node: Node, inflight: InFlight | None, handler: Node | None) -> InFlight:
    """What a `raise` sends on: the timeout again (`raise`, `raise exc`), or another exception."""
    if node.kind == "reraise":
        return inflight or "other"
    stmt = node.stmt
    if isinstance(stmt, ast.Raise) and inflight is None and handler is not None:
        bound = handler.stmt.name if isinstance(handler.stmt, ast.ExceptHandler) else None
        if stmt.exc is None or (isinstance(stmt.exc, ast.Name) and bound and stmt.exc.id == bound):
            return "timeout"
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        raised = (dotted(stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc) or "")
        if raised:
            return f"other:{raised}"
    return "other"


@dataclass(frozen=True)
class Unread:
    """A `wait()` reached while `streams` are pipes not read to their end (`partly`: some were read a part)."""

    call: ast.Call
    receiver: str
    streams: tuple[Stream, ...]
    partly: frozenset[Stream]
    path: tuple[Node, ...]


_PipeKey = tuple[Node, frozenset[str], frozenset[str]]


def unread_pipes(cfg: Cfg, starts: Iterable[Node], pipes: tuple[Stream, ...], steps: StreamSteps,
                 after: tuple[int, int] | None = None) -> list[Unread]:
    """Every `wait()` of the process some normal path reaches with a piped stream unread. `after` is where
    the call that starts it ends: what a starting node does to the streams after that counts (the second
    item of `with Popen(...) as a, Popen(..., stdin=a.stdout) as b` hands `a.stdout` over)."""
    parent: dict[_PipeKey, _PipeKey | None] = {}
    queue: deque[_PipeKey] = deque()
    found: dict[ast.Call, Unread] = {}
    ordered_starts = list(dict.fromkeys(starts))  # in graph order: the first path found must not depend on hashing
    start_set = set(ordered_starts)

    def push(key: _PipeKey, came_from: _PipeKey | None) -> None:
        if key[1] and key not in parent:
            parent[key] = came_from
            queue.append(key)

    def path_to(key: _PipeKey) -> tuple[Node, ...]:
        out: list[Node] = []
        at: _PipeKey | None = key
        while at is not None:
            out.append(at[0])
            at = parent[at]
        return tuple(reversed(out))

    for start in ordered_starts:
        origin: _PipeKey = (start, frozenset(pipes), frozenset())
        parent[origin] = None
        left = frozenset(pipes)
        if after is not None:
            for position, event in zip(steps.positions.get(start, ()), steps.events.get(start, ())):
                if position > after and event.kind == "drain" and event.stream:
                    left = left - {event.stream}
                elif position > after and event.kind == "drain-all":
                    left = frozenset()
        for target, kind in start.succ:
            if kind != EXC:
                push((target, left, frozenset()), origin)

    while queue:
        if len(parent) > _MAX_STATES:
            break
        key = queue.popleft()
        node, unread, partly = key
        if node in start_set or node is cfg.exit or node is cfg.raise_exit:
            continue
        alive = True
        for event in steps.events.get(node, ()):
            if event.kind == "drain-all" or event.kind == "rebind":
                alive = False
                break
            if event.kind == "drain" and event.stream:
                unread = unread - {event.stream}
            elif event.kind == "partial" and event.stream:
                partly = partly | {event.stream}
            elif event.kind == "wait" and event.call is not None:
                if unread and event.call not in found:
                    ordered = tuple(s for s in ("stdout", "stderr") if s in unread)
                    found[event.call] = Unread(
                        event.call, event.receiver, ordered, frozenset(partly & unread), path_to(key)  # type: ignore[arg-type]
                    )
                alive = False  # once the child has ended, its pipes can no longer block it
                break
            if not unread:
                alive = False
                break
        if not alive:
            continue
        exhausted = steps.exhausted_on_false.get(node, frozenset())
        absent = steps.absent_on.get(node)
        ended = steps.ended_on.get(node)
        for target, kind in node.succ:
            if kind == EXC:
                continue
            if ended is not None and kind == ended[0]:
                if unread - ended[1]:  # where the child has ended, those pipes can no longer block it
                    push((target, unread - ended[1], partly), key)
                continue
            if absent is not None and absent[0] == kind:
                push((target, unread - {absent[1]}, partly), key)  # the stream is None there: no pipe
            elif kind == FALSE and exhausted:
                push((target, unread - exhausted, partly), key)
            elif kind == TRUE and exhausted:
                push((target, unread, partly | (exhausted & unread)), key)
            else:
                push((target, unread, partly), key)
    return sorted(found.values(), key=lambda u: (u.call.lineno, u.call.col_offset))
