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

_MAX_DECIDED = 6  # decided tests a path remembers at once


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
    skipped: str = ""  # why the search stopped before it could decide (a budget ran out): not silence


OPEN, PASSED = 1, 2
Env = tuple[tuple[str, object], ...]
# One state of the dataflow: a node, what the resource may be there (OPEN, PASSED, or 0 for the
# acquisition itself) and what the path knows (flags, decided tests, aliases). The set of states
# reached at a node is its dataflow fact; identical states met on different paths are joined.
_Key = tuple[Node, int, Env]

# States explored per resource, per node of the graph (and at least this many): the decided tests a
# state may carry are bounded, so a search stays within a small multiple of the graph's size.
_PER_NODE = 64
_MIN_BUDGET = 50_000


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
    budget: int | None = None,
    quiet: AbstractSet[Node] = frozenset(),
) -> Outcome:
    """The states the resource may be in at every node, and from them a leaking path: one on normal
    edges (AWS101) or, when every normal path releases or hands it over, one that takes an exception
    edge (AWS102), whose raising step is the best of `rank` (lowest), then the shortest.

    `branches` remembers the tests a path has decided, and `start_facts` those decided on the way to
    the acquisition (`if use_file: f = open(p)` … `if use_file: f.close()` takes the same branch).
    `raising_start`: the acquiring statement can still raise once the resource is held
    (`src, dst = open(a), open(b)`: opening `dst` fails with `src` open).
    `quiet`: nodes whose exception edges do not count for this resource (a process's own pipe read).
    """
    paths = _Paths(flags, branches, start_facts, aliases)
    limit = budget if budget is not None else max(_MIN_BUDGET, _PER_NODE * len(cfg.nodes))
    search = _Search(cfg, list(acquisitions), effects, paths, limit, quiet)
    normal = search.normal()
    if search.skipped:
        return Outcome(None, None, search.released, search.skipped)
    if normal is not None:
        return Outcome(normal, None, search.released)
    if not search.released:
        return Outcome(None, None, False)
    borrowed = reaching(cfg, aliases.effects if aliases else effects, Effect.USE)  # read, passed, stored or released later
    exceptional = search.exceptional(borrowed, raising_start, rank)
    return Outcome(None, exceptional, True, search.skipped)


class _Search:
    """The forward dataflow over (node, state, what the path knows), explored breadth first so that the
    parent of each state gives a shortest path to it: the witness is read back from the solution."""

    def __init__(
        self,
        cfg: Cfg,
        starts: list[Node],
        effects: Mapping[Node, NodeEffect],
        paths: _Paths,
        limit: int,
        quiet: AbstractSet[Node] = frozenset(),
    ) -> None:
        self.cfg, self.starts, self.effects, self.paths, self.limit = cfg, starts, effects, paths, limit
        self.quiet = quiet
        self.start_set = frozenset(starts)
        self.released = False
        self.skipped = ""
        self.parent: dict[_Key, tuple[_Key | None, str]] = {}
        self.order: list[_Key] = []  # the normally reached states, in the order found (shortest first)
        self.depth: dict[_Key, int] = {}
        self.origins: dict[_Key, Env] = {}  # each acquisition's own state, with the env before it ran

    def _expand(
        self, key: _Key, with_exceptions: bool, borrowed: AbstractSet[Node] = frozenset()
    ) -> tuple[str | None, list[tuple[_Key, str]]]:
        """What happens at `key`: the leak it ends in (`exit`, `raise-exit`, `rebind`, `reacquire`), if
        any, and the states it leads to, with the kind of each edge."""
        node, state, env = key
        cfg, paths = self.cfg, self.paths
        if node is cfg.exit or node is cfg.raise_exit:
            return ("exit" if node is cfg.exit else "raise-exit") if state == OPEN else None, []
        mode = paths.alias_mode(env)
        if node in self.start_set:
            if state == OPEN and mode is not None:
                # `previous = f` … `f = open(…)`: the alias keeps the previous one open while the name
                # takes the new one; from here only the alias's uses concern it
                env_only = paths.apply(node, paths.only(env))
                return None, [((t, state, env_only), k) for t, k in node.succ if k != EXC]
            return ("reacquire" if state == OPEN else None), []
        eff = paths.effect(node, mode, self.effects)
        after = state
        leak: str | None = None
        if eff.effect in (Effect.RELEASE, Effect.HANDOVER):
            self.released = self.released or eff.effect == Effect.RELEASE
            after = 0
        elif eff.effect == Effect.PASS:
            after = PASSED
        elif eff.effect == Effect.USE:
            after = OPEN
        if after and eff.rebinds:
            if after == OPEN and not eff.deletes:
                leak = "rebind"
            after = 0
        out: list[tuple[_Key, str]] = []
        env_after = paths.apply(node, env) if after else env
        known = paths.test(node, env) if after else None
        for target, kind in node.succ:
            if kind == EXC:
                if not with_exceptions or node in self.quiet:
                    continue
                # the node raised before finishing: what it did to the resource did not happen,
                # unless it released or stored it (a failing close() is not ours to report)
                exc_state = 0 if eff.effect >= Effect.HANDOVER else state
                if exc_state == PASSED and any(t in borrowed for t, k in node.succ if k != EXC):
                    # the function touches it again after this step: the callee only borrowed it
                    exc_state = OPEN
                if exc_state:
                    out.append(((target, exc_state, env), kind))
                continue
            if not after or eff.kill_on == kind:
                continue
            if known is not None and kind in (TRUE, FALSE) and (kind == TRUE) != known:
                continue
            out.append(((target, after, paths.branch(node, env_after, kind)), kind))
        return leak, out

    def _origin_steps(self, origin: _Key, with_exceptions: bool, raising_start: bool) -> list[tuple[_Key, str]]:
        node = origin[0]
        env_after = self.paths.apply(node, origin[2])
        out: list[tuple[_Key, str]] = []
        for target, kind in node.succ:
            if kind != EXC:
                out.append(((target, OPEN, env_after), kind))
            elif with_exceptions and raising_start:
                out.append(((target, OPEN, origin[2]), kind))
        return out

    def _path(self, key: _Key) -> list[tuple[Node, str]]:
        path: list[tuple[Node, str]] = []
        at: _Key | None = key
        while at is not None:
            prev, edge = self.parent[at]
            path.append((at[0], edge))
            at = prev
        path.reverse()
        return path

    def normal(self) -> Leak | None:
        """Explore the normal edges from every acquisition; the first leak found, if any."""
        queue: deque[_Key] = deque()
        for node in self.starts:
            # the start is keyed with state 0, which no other step uses, so that coming back to the
            # acquisition with the resource still open is seen as reacquiring it
            origin: _Key = (node, 0, self.paths.start(node))
            if origin in self.parent:
                continue
            self.parent[origin] = (None, "")
            self.depth[origin] = 0
            self.origins[origin] = origin[2]
            self.order.append(origin)
            queue.append(origin)
        while queue:
            key = queue.popleft()
            if key in self.origins:
                leak, steps = None, self._origin_steps(key, False, False)
            else:
                leak, steps = self._expand(key, False)
            if leak is not None:
                return Leak(leak, tuple(self._path(key)), False)
            for target, kind in steps:
                if target not in self.parent:
                    if len(self.parent) >= self.limit:
                        self.skipped = f"more than {self.limit} states on its paths"
                        return None
                    self.parent[target] = (key, kind)
                    self.depth[target] = self.depth[key] + 1
                    self.order.append(target)
                    queue.append(target)
        return None

    def exceptional(
        self, borrowed: AbstractSet[Node], raising_start: bool, rank: Callable[[Leak], int] | None
    ) -> Leak | None:
        """Every exception edge out of a normally reached state starts a second exploration; the states
        from which a leak is reachable are found backwards, and the best raising step is chosen."""
        raisers: list[tuple[_Key, _Key]] = []
        for key in self.order:
            if key in self.origins:
                steps = self._origin_steps(key, True, raising_start)
            else:
                steps = self._expand(key, True, borrowed)[1]
            raisers.extend((key, target) for target, kind in steps if kind == EXC)
        if not raisers:
            return None
        succ: dict[_Key, list[tuple[_Key, str]]] = {}
        ends: dict[_Key, str] = {}
        queue: deque[_Key] = deque()
        for _, target in raisers:
            if target not in succ:
                succ[target] = []
                queue.append(target)
        budget = self.limit
        while queue:
            key = queue.popleft()
            leak, steps = self._expand(key, True, borrowed)
            if leak is not None:
                ends[key] = leak
                if leak != "rebind":
                    continue
                steps = [s for s in steps if s[1] == EXC]
            succ[key] = steps
            for target, _ in steps:
                if target not in succ:
                    if len(succ) >= budget:
                        self.skipped = f"more than {budget} states on its exceptional paths"
                        return None
                    succ[target] = []
                    queue.append(target)
        if not ends:
            return None
        # backwards from the leaks: how far each state is from one, and the next step towards it
        preds: dict[_Key, list[tuple[_Key, str]]] = {}
        for source, steps in succ.items():
            for target, kind in steps:
                preds.setdefault(target, []).append((source, kind))
        toward: dict[_Key, tuple[_Key | None, str, int]] = {end: (None, "", 0) for end in ends}
        back: deque[_Key] = deque(ends)
        while back:
            key = back.popleft()
            distance = toward[key][2]
            for source, kind in preds.get(key, ()):
                if source not in toward:
                    toward[source] = (key, kind, distance + 1)
                    back.append(source)
        ranks: dict[Node, int] = {}
        best: tuple[int, int, int] | None = None
        chosen: tuple[_Key, _Key] | None = None
        for index, (key, target) in enumerate(raisers):
            if target not in toward:
                continue
            node = key[0]
            if node not in ranks:
                ranks[node] = rank(Leak("", ((node, ""), (target[0], EXC)), True)) if rank else 0
            score = (ranks[node], self.depth[key] + 1 + toward[target][2], index)
            if best is None or score < best:
                best, chosen = score, (key, target)
        if chosen is None:
            return None
        key, target = chosen
        path = self._path(key)
        path.append((target[0], EXC))
        at = target
        while True:
            step, kind, _ = toward[at]
            if step is None:
                break
            path.append((step[0], kind))
            at = step
        return Leak(ends[at], tuple(path), True)


def reaching(cfg: Cfg, effects: Mapping[Node, NodeEffect], at_least: Effect) -> set[Node]:
    """Nodes from which a normal path reaches a node whose effect on the name is `at_least` as strong."""
    preds = cfg.normal_predecessors()
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
        self.start_keys = frozenset(name for name, _ in start_facts)
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
        return self.branches.record(node, env, kind, self.start_keys) if self.branches else env


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

    A test is decided on the path until one of the names it reads is assigned again. Only tests made
    more than once in the function are remembered (a decision no later test asks about changes
    nothing), and at most `_MAX_DECIDED` at a time, which keeps the states per node bounded.
    """

    def __init__(self, cfg: Cfg) -> None:
        self._keys: dict[Node, str] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._stores: dict[Node, frozenset[str]] = {}
        tests: dict[str, list[Node]] = {}
        for node in cfg.nodes:
            if node.kind == "if" and node.parts:
                key = fact_key(node.parts[0])
                if key is not None:
                    tests.setdefault(key, []).append(node)
        self._repeated: set[str] = set()
        for key, nodes in tests.items():
            if len({n.stmt for n in nodes}) > 1:
                self._repeated.add(key)
            for node in nodes:
                self._keys[node] = key
            self._names[key] = frozenset(n.id for n in ast.walk(nodes[0].parts[0]) if isinstance(n, ast.Name))
        for node in cfg.nodes:
            if node.kind in ("stmt", "for", "with") and self._names:
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

    def record(self, node: Node, env: Env, kind: str, also: AbstractSet[str] = frozenset()) -> Env:
        """`env` with the outcome of `node`'s test, when a later test may ask about it (it is made again,
        or it is in `also`: decided before the acquisition)."""
        key = self._keys.get(node)
        if key is None or kind not in (TRUE, FALSE) or any(name == key for name, _ in env):
            return env
        if key not in self._repeated and key not in also:
            return env
        if sum(1 for name, _ in env if name.startswith("?")) >= _MAX_DECIDED:
            return env  # too many decisions at once: this one is forgotten (the paths stay possible)
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
        while work and steps < _PER_NODE * (len(cfg.nodes) + 10):
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
