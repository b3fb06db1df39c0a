"""Ownership of one resource along the paths of a function's control-flow graph.

`follow(...)` takes the graph, the nodes that acquire the resource into a local name, and what each
node does to that name (`Effect`), and searches the graph for a path on which the resource is
neither released nor handed over before the function exits, the name is rebound, or the
acquisition runs again. The search first uses normal edges only (a leak there is AWS101), then
exception edges too (a leak only there is AWS102); it returns the first path it finds, which the
rule turns into the message and the witness `Step`s.

States: `OPEN` (this function holds the resource) and `PASSED` (it was last given to a callee that
may have kept it: if nothing touches it again, ownership went there). A small map of boolean flags
known on the path (`acquired = True` … `if not acquired: close(conn)`) prunes branches the program
cannot take.
"""
from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import AbstractSet, Callable, Iterable, Mapping

from awslint.analysis.cfg import EXC, FALSE, TRUE, Cfg, Node

_MAX_STATES = 50_000


class Effect(IntEnum):
    """What a node does to the tracked name, strongest last (a node's effect is its strongest)."""

    NONE = 0
    PEEK = 1  # inspect it (`.name`, `.getsockname()`): says nothing about who owns it
    USE = 2  # read it, call its methods, lend it to a known borrower
    PASS = 3  # give it to a callee that may keep it
    HANDOVER = 4  # return, yield or store it: ownership leaves the function
    RELEASE = 5  # close it, or give it to something that will


@dataclass(frozen=True)
class NodeEffect:
    effect: Effect = Effect.NONE
    rebinds: bool = False  # the name is assigned (or deleted) after the node's reads
    deletes: bool = False
    kill_on: str | None = None  # the branch (TRUE/FALSE) on which the test proves the name holds no resource


@dataclass(frozen=True)
class Leak:
    """A path on which the resource is left open. `how` is `exit`, `raise-exit`, `rebind` or `reacquire`."""

    how: str
    path: tuple[tuple[Node, str], ...]  # (node, kind of the edge that reached it)
    exceptional: bool  # the path takes an exception edge

    @property
    def last(self) -> Node:
        return self.path[-1][0]

    def first_exception(self) -> Node | None:
        """The node whose raising starts the exceptional part of the path."""
        for (node, _), (_, kind) in zip(self.path, self.path[1:]):
            if kind == EXC:
                return node
        return None


@dataclass(frozen=True)
class Outcome:
    normal_leak: Leak | None  # AWS101
    exception_leak: Leak | None  # AWS102 (searched only when there is no normal leak)
    released_on_normal_path: bool


OPEN, PASSED = 1, 2
Env = tuple[tuple[str, object], ...]
# (node, state, known flags, the node whose exception the path follows): keeping the raising node
# in the key lets every raising step find its own way to a handler the others already reached
_Key = tuple[Node, int, Env, "Node | None"]


def follow(
    cfg: Cfg,
    acquisitions: Iterable[Node],
    effects: Mapping[Node, NodeEffect],
    flags: Flags | None = None,
    rank: Callable[[Leak], int] | None = None,
    branches: Branches | None = None,
    start_facts: Env = (),
    raising_start: bool = False,
    aliases: Aliasing | None = None,
) -> Outcome:
    """Search for a leaking path; among exceptional ones, the shortest of the best `rank` (lowest).

    `branches` remembers the tests a path has decided, and `start_facts` those decided on the way to
    the acquisition (`if use_file: f = open(p)` … `if use_file: f.close()` takes the same branch).
    `raising_start`: the acquiring statement can still raise once the resource is held
    (`src, dst = open(a), open(b)`: opening `dst` fails with `src` open).
    """
    starts = list(acquisitions)
    paths = _Paths(flags, branches, start_facts, aliases)
    normal, released = _search(cfg, starts, effects, paths, with_exceptions=False)
    if normal:
        return Outcome(normal[0], None, released)
    exceptional: Leak | None = None
    if released:
        borrowed = reaching(cfg, aliases.effects if aliases else effects, Effect.USE)  # read, passed, stored or released later
        found, _ = _search(
            cfg, starts, effects, paths, with_exceptions=True, want=_ALTERNATIVES, borrowed=borrowed,
            raising_start=raising_start,
        )
        if found:
            exceptional = min(found, key=rank) if rank else found[0]
    return Outcome(None, exceptional, released)


_ALTERNATIVES = 40


def _search(
    cfg: Cfg,
    starts: list[Node],
    effects: Mapping[Node, NodeEffect],
    paths: _Paths,
    with_exceptions: bool,
    want: int = 1,
    borrowed: AbstractSet[Node] = frozenset(),
    raising_start: bool = False,
) -> tuple[list[Leak], bool]:
    start_set = set(starts)
    parent: dict[_Key, tuple[_Key | None, str]] = {}
    queue: deque[_Key] = deque()
    released = False
    found: list[Leak] = []
    raisers: set[Node] = set()

    def report(item: Leak) -> bool:
        """Record a leak; True once enough are known (distinct raising nodes only)."""
        origin = item.first_exception()
        if origin is None or origin not in raisers:
            if origin is not None:
                raisers.add(origin)
            found.append(item)
        return len(found) >= want

    def push(key: _Key, came_from: _Key | None, kind: str) -> None:
        if key not in parent:
            parent[key] = (came_from, kind)
            queue.append(key)

    def leak(how: str, at: _Key, final: Node | None = None, kind: str = "") -> Leak:
        path: list[tuple[Node, str]] = []
        key: _Key | None = at
        while key is not None:
            prev, edge = parent[key]
            path.append((key[0], edge))
            key = prev
        path.reverse()
        if final is not None:
            path.append((final, kind))
        return Leak(how, tuple(path), any(k == EXC for _, k in path))

    for node in starts:
        env = paths.start(node)
        env_after = paths.apply(node, env)
        # the start is keyed with state 0, which no other step uses, so that coming back to the
        # acquisition with the resource still open is seen as reacquiring it
        origin: _Key = (node, 0, env, None)
        parent[origin] = (None, "")
        for target, kind in node.succ:
            if kind != EXC:
                push((target, OPEN, env_after, None), origin, kind)
            elif with_exceptions and raising_start:
                push((target, OPEN, env, node), origin, kind)

    while queue:
        if len(parent) > _MAX_STATES:
            return found, released
        key = queue.popleft()
        node, state, env, raiser = key
        if node is cfg.exit or node is cfg.raise_exit:
            if state == OPEN and report(leak("exit" if node is cfg.exit else "raise-exit", key)):
                return found, released
            continue
        mode = paths.alias_mode(env)
        if node in start_set:
            if state == OPEN and mode is not None:
                # `previous = f` … `f = open(…)`: the alias keeps the previous one open while the name
                # takes the new one; from here only the alias's uses concern it
                env_only = paths.apply(node, paths.only(env))
                for target, kind in node.succ:
                    if kind != EXC:
                        push((target, state, env_only, raiser), key, kind)
                continue
            if state == OPEN and report(leak("reacquire", key)):
                return found, released
            continue
        eff = paths.effect(node, mode, effects)
        after = state
        if eff.effect in (Effect.RELEASE, Effect.HANDOVER):
            released = released or eff.effect == Effect.RELEASE
            after = 0
        elif eff.effect == Effect.PASS:
            after = PASSED
        elif eff.effect == Effect.USE:
            after = OPEN
        if after and eff.rebinds:
            if after == OPEN and not eff.deletes and report(leak("rebind", key)):
                return found, released
            after = 0
        env_after = paths.apply(node, env)
        known = paths.test(node, env)
        for target, kind in node.succ:
            if kind == EXC:
                if not with_exceptions:
                    continue
                # the node raised before finishing: what it did to the resource did not happen,
                # unless it released or stored it (a failing close() is not ours to report)
                exc_state = 0 if eff.effect >= Effect.HANDOVER else state
                if exc_state == PASSED and any(t in borrowed for t, k in node.succ if k != EXC):
                    # the function touches it again after this step: the callee only borrowed it
                    exc_state = OPEN
                if exc_state:
                    push((target, exc_state, env, raiser or node), key, kind)
                continue
            if not after:
                continue
            if eff.kill_on == kind:
                continue
            if known is not None and kind in (TRUE, FALSE) and (kind == TRUE) != known:
                continue
            push((target, after, paths.branch(node, env_after, kind), raiser), key, kind)
    return found, released


def reaching(cfg: Cfg, effects: Mapping[Node, NodeEffect], at_least: Effect) -> set[Node]:
    """Nodes from which a normal path reaches a node whose effect on the name is `at_least` as strong."""
    preds: dict[Node, list[Node]] = {}
    for source, target, kind in cfg.edges():
        if kind != EXC:
            preds.setdefault(target, []).append(source)
    seen = {n for n, e in effects.items() if e.effect >= at_least}
    stack = list(seen)
    while stack:
        for prev in preds.get(stack.pop(), ()):
            if prev not in seen:
                seen.add(prev)
                stack.append(prev)
    return seen


@dataclass(frozen=True)
class Aliasing:
    """Local aliases of the resource (`out = fh`): what each node does to it through any of its names
    (`effects`, used once the path has bound an alias), the nodes that bind an alias to it, and
    those that bind an alias to something else. Before a path binds the alias, the alias may still
    hold an older resource (the previous iteration's), so its uses do not count then."""

    effects: Mapping[Node, NodeEffect]
    only: Mapping[Node, NodeEffect]  # through the aliases alone, their rebinding included
    binds: AbstractSet[Node]
    unbinds: AbstractSet[Node]


_ALIAS = "=alias"
_NO_EFFECT = NodeEffect()


class _Paths:
    """What a path knows: the flags it set, the tests it decided, whether an alias holds the resource."""

    def __init__(
        self, flags: Flags | None, branches: Branches | None, start_facts: Env, aliases: Aliasing | None = None
    ) -> None:
        self.flags, self.branches, self.start_facts = flags, branches, start_facts
        self.aliases = aliases

    def alias_mode(self, env: Env) -> object:
        """None (no alias holds it), True (an alias and the name do) or "only" (the alias alone)."""
        if self.aliases is None:
            return None
        for name, value in env:
            if name == _ALIAS:
                return value
        return None

    def only(self, env: Env) -> Env:
        return tuple(sorted((*(i for i in env if i[0] != _ALIAS), (_ALIAS, "only")), key=_first))

    def effect(self, node: Node, mode: object, effects: Mapping[Node, NodeEffect]) -> NodeEffect:
        none = _NO_EFFECT
        if self.aliases is None or mode is None:
            return effects.get(node, none)
        if mode == "only":
            return self.aliases.only.get(node, none)
        return self.aliases.effects.get(node, none)

    def start(self, node: Node) -> Env:
        env = self.flags.start(node) if self.flags else ()
        if self.start_facts:
            env = tuple(sorted(set(env) | set(self.start_facts), key=_first))
        return env

    def apply(self, node: Node, env: Env) -> Env:
        if self.flags:
            env = self.flags.apply(node, env)
        if self.branches:
            env = self.branches.forget(node, env)
        if self.aliases is not None:
            mode = self.alias_mode(env)
            if node in self.aliases.binds and mode is not True:
                env = tuple(sorted((*(i for i in env if i[0] != _ALIAS), (_ALIAS, True)), key=_first))
            elif node in self.aliases.unbinds and mode is not None:
                env = tuple(item for item in env if item[0] != _ALIAS)
        return env

    def test(self, node: Node, env: Env) -> bool | None:
        known = self.flags.test(node, env) if self.flags else None
        if known is None and self.branches:
            known = self.branches.decided(node, env)
        return known

    def branch(self, node: Node, env: Env, kind: str) -> Env:
        return self.branches.record(node, env, kind) if self.branches else env


def _first(item: tuple[str, object]) -> str:
    return item[0]


def fact_key(test: ast.AST) -> str | None:
    """How a decided test is remembered, or None when it is not a pure test (it calls, indexes …)."""
    for sub in ast.walk(test):
        if not isinstance(sub, _PURE):
            return None
    try:
        return "?" + ast.dump(test)
    except RecursionError:  # a test nested thousands deep is not worth remembering
        return None


_PURE = (
    ast.Name, ast.Attribute, ast.Constant, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Load, ast.Not,
    ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Is, ast.IsNot, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
)


class Branches:
    """Pure tests (`if use_file:`, `if self.debug and not quiet:`) a path has already decided.

    A test is decided on the path until one of the names it reads is assigned again.
    """

    def __init__(self, cfg: Cfg) -> None:
        self._keys: dict[Node, str] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._stores: dict[Node, frozenset[str]] = {}
        for node in cfg.nodes:
            if node.kind == "if" and node.parts:
                key = fact_key(node.parts[0])
                if key is not None:
                    self._keys[node] = key
                    self._names[key] = frozenset(
                        n.id for n in ast.walk(node.parts[0]) if isinstance(n, ast.Name)
                    )
            if node.kind in ("stmt", "for", "with"):
                stored = frozenset(
                    n.id for part in node.parts for n in ast.walk(part)
                    if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
                )
                if stored:
                    self._stores[node] = stored

    def names_of(self, key: str) -> frozenset[str]:
        return self._names.get(key, frozenset())

    def decided(self, node: Node, env: Env) -> bool | None:
        key = self._keys.get(node)
        if key is None:
            return None
        for name, value in env:
            if name == key:
                return bool(value)
        return None

    def record(self, node: Node, env: Env, kind: str) -> Env:
        key = self._keys.get(node)
        if key is None or kind not in (TRUE, FALSE) or any(name == key for name, _ in env):
            return env
        return tuple(sorted((*env, (key, kind == TRUE)), key=_first))

    def forget(self, node: Node, env: Env) -> Env:
        stored = self._stores.get(node)
        if not stored or not env:
            return env
        return tuple(
            (name, value) for name, value in env
            if not (name.startswith("?") and self._names.get(name, frozenset()) & stored)
        )


class Flags:
    """Names the function sets to constants and tests (`acquired = False` … `if not acquired:`).

    A forward constant propagation over the graph gives the values known where the resource is
    acquired; the search carries them along its paths and skips the branch a known value rules out.
    """

    def __init__(self, cfg: Cfg, names: frozenset[str]) -> None:
        self.names = names
        self._sets: dict[Node, tuple[tuple[str, object | None], ...]] = {}
        self._tests: dict[Node, ast.expr] = {}
        for node in cfg.nodes:
            sets = tuple(self._assignments(node))
            if sets:
                self._sets[node] = sets
            test = node.parts[0] if node.kind in ("if", "while") and node.parts else None
            if isinstance(test, ast.expr) and _flag_test(test, names):
                self._tests[node] = test
        self._entry = self._propagate(cfg)

    _UNKNOWN = object()

    def _assignments(self, node: Node) -> Iterable[tuple[str, object | None]]:
        """(name, constant) for each flag the node sets; the constant is _UNKNOWN when it is not one."""
        if node.kind != "stmt" and node.kind not in ("for", "with"):
            return
        for part in node.parts:
            if isinstance(part, ast.Assign) and isinstance(part.value, ast.Constant):
                for target in part.targets:
                    if isinstance(target, ast.Name) and target.id in self.names:
                        yield target.id, part.value.value
                continue
            for sub in ast.walk(part):
                if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load) and sub.id in self.names:
                    yield sub.id, self._UNKNOWN

    def apply(self, node: Node, env: Env) -> Env:
        sets = self._sets.get(node)
        if not sets:
            return env
        values = dict(env)
        for name, value in sets:
            if value is self._UNKNOWN:
                values.pop(name, None)
            else:
                values[name] = value
        return tuple(sorted(values.items(), key=_first))

    def start(self, node: Node) -> Env:
        return self._entry.get(node, ())

    def test(self, node: Node, env: Env) -> bool | None:
        test = self._tests.get(node)
        if test is None or not env:
            return None
        try:
            return _evaluate(test, dict(env))
        except RecursionError:
            return None

    def _propagate(self, cfg: Cfg) -> dict[Node, Env]:
        entry: dict[Node, Env] = {cfg.entry: ()}
        work = deque([cfg.entry])
        steps = 0
        while work and steps < _MAX_STATES:
            steps += 1
            node = work.popleft()
            env = entry[node]
            after = self.apply(node, env)
            for target, kind in node.succ:
                out = env if kind == EXC else after
                old = entry.get(target)
                new = out if old is None else tuple(p for p in old if p in out)
                if old != new:
                    entry[target] = new
                    work.append(target)
        return entry


def _flag_test(test: ast.expr, names: frozenset[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(test))


def _evaluate(test: ast.expr, env: dict[str, object]) -> bool | None:
    """The truth of `test` from the known flags, or None."""
    if isinstance(test, ast.Name):
        return bool(env[test.id]) if test.id in env else None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _evaluate(test.operand, env)
        return None if inner is None else not inner
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name):
        right = test.comparators[0]
        if test.left.id in env and isinstance(right, ast.Constant):
            left = env[test.left.id]
            op = test.ops[0]
            if isinstance(op, (ast.Is, ast.Eq)):
                return bool(left == right.value)
            if isinstance(op, (ast.IsNot, ast.NotEq)):
                return bool(left != right.value)
        return None
    if isinstance(test, ast.BoolOp):
        values = [_evaluate(v, env) for v in test.values]
        if isinstance(test.op, ast.And):
            if any(v is False for v in values):
                return False
            return True if all(v is True for v in values) else None
        if any(v is True for v in values):
            return True
        return False if all(v is False for v in values) else None
    return None


def flag_names(cfg: Cfg, exclude: str) -> frozenset[str]:
    """Names assigned a constant somewhere and tested by an `if` or `while`."""
    assigned: set[str] = set()
    tested: set[str] = set()
    for node in cfg.nodes:
        if node.kind == "stmt":
            part = node.parts[0] if node.parts else None
            if isinstance(part, ast.Assign) and isinstance(part.value, ast.Constant):
                assigned.update(t.id for t in part.targets if isinstance(t, ast.Name))
        elif node.kind in ("if", "while") and node.parts:
            tested.update(n.id for n in ast.walk(node.parts[0]) if isinstance(n, ast.Name))
    return frozenset((assigned & tested) - {exclude})
