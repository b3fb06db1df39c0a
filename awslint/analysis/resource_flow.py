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
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import AbstractSet, Any, Callable, Iterable, Iterator, Literal, Mapping, Union

from awslint.analysis.cfg import EXC, FALSE, NORMAL, TRUE, Cfg, EdgeKind, Node

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
    kill_on: EdgeKind | None = None  # the branch (TRUE/FALSE) on which the test proves the name holds no resource


# How a path leaks: it leaves the function normally (`exit`) or by an exception (`raise-exit`) with the
# resource held, the name is rebound while it is held (`rebind`), or the acquisition runs again with the
# previous one held (`reacquire`).
LeakHow = Literal["exit", "raise-exit", "rebind", "reacquire"]
# The edge a path took to reach a node; "" for the node a path starts at.
PathEdge = Union[EdgeKind, Literal[""]]


@dataclass(frozen=True)
class Leak:
    """A path on which the resource is left open."""

    how: LeakHow
    path: tuple[tuple[Node, PathEdge], ...]  # (node, kind of the edge that reached it)
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
    skipped: str = ""  # why the search stopped before it could decide (a budget ran out): not silence


OPEN, PASSED = 1, 2
Env = tuple[tuple[str, object], ...]
# One state of the dataflow: a node, what the resource may be there (OPEN, PASSED, or 0 for the
# acquisition itself) and what the path knows (flags, decided tests, aliases). The set of states
# reached at a node is its dataflow fact; identical states met on different paths are joined.
_Key = tuple[Node, int, Env]
# One step of the search: the state reached, the kind of edge, the node that raised when an exception
# edge leaves from inside a stretch crossed at once (else None), and how many nodes the step covers.
_Step = tuple[_Key, EdgeKind, "Node | None", int]

# States explored per resource, per node of the graph (and at least this many): the decided tests a
# state may carry are bounded, so a search stays within a small multiple of the graph's size.
_PER_NODE = 64
_MIN_BUDGET = 50_000


def follow(
    cfg: Cfg,
    acquisitions: Iterable[Node],
    effects: Mapping[Node, NodeEffect],
    flags: Flags | None = None,
    rank: Callable[[Node], int] | None = None,
    branches: Branches | None = None,
    start_facts: Env = (),
    raising_start: bool = False,
    aliases: Aliasing | None = None,
    budget: int | None = None,
    quiet: AbstractSet[Node] = frozenset(),
    chains: Chains | None = None,
) -> Outcome:
    """The states the resource may be in at every node, and from them a leaking path: one on normal
    edges (AWS101) or, when every normal path releases or hands it over, one that takes an exception
    edge (AWS102), whose raising node is the best of `rank` (lowest), then the shortest.

    `branches` remembers the tests a path has decided, and `start_facts` those decided on the way to
    the acquisition (`if use_file: f = open(p)` … `if use_file: f.close()` takes the same branch).
    `raising_start`: the acquiring statement can still raise once the resource is held
    (`src, dst = open(a), open(b)`: opening `dst` fails with `src` open).
    `quiet`: nodes whose exception edges do not count for this resource (a process's own pipe read).
    `chains`: the graph's straight-line stretches (`Chains(cfg)`, built once per graph), which the
    search crosses in one step where nothing in them concerns the resource.
    """
    paths = _Paths(flags, branches, start_facts, aliases)
    limit = budget if budget is not None else max(_MIN_BUDGET, _PER_NODE * len(cfg.nodes))
    starts = list(acquisitions)
    jumps = None
    if chains is not None:
        stops = [chains.stops(effects, effects), chains.stops(None, (*starts, *quiet))]
        stops.extend(chains.stops(owner, nodes) for owner, nodes in paths.changing())
        if aliases is not None:
            stops.append(chains.stops(aliases, (*aliases.effects, *aliases.only)))
        jumps = _Jumps(chains, stops)
    search = _Search(cfg, starts, effects, paths, limit, quiet, jumps)
    normal = search.normal()
    if search.skipped:
        return Outcome(None, None, search.skipped)
    if normal is not None:
        return Outcome(normal, None)
    if not search.released:
        return Outcome(None, None)
    # read, passed, stored or released later (computed only if a raising step needs it)
    borrowed = _LazyReach(cfg, aliases.effects if aliases else effects, Effect.USE)
    exceptional = search.exceptional(borrowed, raising_start, rank)
    return Outcome(None, exceptional, search.skipped)


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
        jumps: _Jumps | None = None,
    ) -> None:
        self.cfg, self.starts, self.effects, self.paths, self.limit = cfg, starts, effects, paths, limit
        self.quiet = quiet
        self.jumps = jumps
        self.start_set = frozenset(starts)
        self.released = False
        self.skipped = ""
        # how each state was first reached: the state before, the edge kind, and the node that raised
        # when an exception edge leaves from inside a stretch crossed in one step
        self.parent: dict[_Key, tuple[_Key | None, PathEdge, Node | None]] = {}
        self.order: list[_Key] = []  # the normally reached states, in the order found (shortest first)
        self.depth: dict[_Key, int] = {}
        self.origins: dict[_Key, Env] = {}  # each acquisition's own state, with the env before it ran

    def _expand(
        self, key: _Key, with_exceptions: bool, borrowed: AbstractSet[Node] = frozenset()
    ) -> tuple[LeakHow | None, list[_Step]]:
        """What happens at `key`: the leak it ends in (`exit`, `raise-exit`, `rebind`, `reacquire`), if
        any, and the states it leads to, with the kind of each edge, the node that raised (for an
        exception edge out of a stretch crossed in one step) and how many nodes the step covers."""
        node, state, env = key
        cfg, paths = self.cfg, self.paths
        jump = self.jumps.across(node) if self.jumps is not None and state else None
        if jump is not None:
            # nothing in the stretch concerns the resource: it is held unchanged to its end
            end, raiser, offset, length = jump
            crossed: list[_Step] = []
            if with_exceptions and raiser is not None and raiser not in self.quiet:
                exc_state = OPEN if state == PASSED and end in borrowed else state
                target = next(t for t, k in raiser.succ if k == EXC)
                crossed.append(((target, exc_state, env), EXC, raiser, offset))
            crossed.append(((end, state, env), NORMAL, None, length))
            return None, crossed
        if node is cfg.exit or node is cfg.raise_exit:
            return ("exit" if node is cfg.exit else "raise-exit") if state == OPEN else None, []
        mode = paths.alias_mode(env)
        if node in self.start_set:
            if state == OPEN and mode is not None:
                # `previous = f` … `f = open(…)`: the alias keeps the previous one open while the name
                # takes the new one; from here only the alias's uses concern it
                env_only = paths.apply(node, paths.only(env))
                return None, [((t, state, env_only), k, None, 1) for t, k in node.succ if k != EXC]
            return ("reacquire" if state == OPEN else None), []
        eff = paths.effect(node, mode, self.effects)
        after = state
        leak: LeakHow | None = None
        if eff.effect in (Effect.RELEASE, Effect.HANDOVER):
            self.released = self.released or eff.effect == Effect.RELEASE
            after = 0
        elif eff.effect == Effect.PASS:
            after = PASSED
        elif eff.effect == Effect.USE:
            after = OPEN
        if after and eff.rebinds:
            if after == OPEN:
                leak = "rebind"
            after = 0
        out: list[_Step] = []
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
                    out.append(((target, exc_state, env), kind, None, 1))
                continue
            if not after or eff.kill_on == kind:
                continue
            if known is not None and kind in (TRUE, FALSE) and (kind == TRUE) != known:
                continue
            out.append(((target, after, paths.branch(node, env_after, kind)), kind, None, 1))
        return leak, out

    def _origin_steps(self, origin: _Key, with_exceptions: bool, raising_start: bool) -> list[_Step]:
        node = origin[0]
        env_after = self.paths.apply(node, origin[2])
        out: list[_Step] = []
        for target, kind in node.succ:
            if kind != EXC:
                out.append(((target, OPEN, env_after), kind, None, 1))
            elif with_exceptions and raising_start:
                out.append(((target, OPEN, origin[2]), kind, None, 1))
        return out

    def _path(self, key: _Key) -> list[tuple[Node, PathEdge]]:
        path: list[tuple[Node, PathEdge]] = []
        at: _Key | None = key
        while at is not None:
            prev, edge, via = self.parent[at]
            path.append((at[0], edge))
            if via is not None:
                path.append((via, NORMAL))
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
            self.parent[origin] = (None, "", None)
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
            for target, kind, via, length in steps:
                if target not in self.parent:
                    if len(self.parent) >= self.limit:
                        self.skipped = f"more than {self.limit} states on its paths"
                        return None
                    self.parent[target] = (key, kind, via)
                    self.depth[target] = self.depth[key] + length
                    self.order.append(target)
                    queue.append(target)
        return None

    def exceptional(
        self, borrowed: AbstractSet[Node], raising_start: bool, rank: Callable[[Node], int] | None
    ) -> Leak | None:
        """Every exception edge out of a normally reached state starts a second exploration; the states
        from which a leak is reachable are found backwards, and the best raising step is chosen."""
        raisers: list[tuple[_Key, _Key, Node | None, int]] = []
        for key in self.order:
            if key in self.origins:
                steps = self._origin_steps(key, True, raising_start)
            else:
                steps = self._expand(key, True, borrowed)[1]
            raisers.extend((key, target, via, length) for target, kind, via, length in steps if kind == EXC)
        if not raisers:
            return None
        succ: dict[_Key, list[_Step]] = {}
        ends: dict[_Key, LeakHow] = {}
        queue: deque[_Key] = deque()
        for _, target, _, _ in raisers:
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
            for target, _, _, _ in steps:
                if target not in succ:
                    if len(succ) >= budget:
                        self.skipped = f"more than {budget} states on its exceptional paths"
                        return None
                    succ[target] = []
                    queue.append(target)
        if not ends:
            return None
        # backwards from the leaks: how far each state is from one, and the next step towards it
        preds: dict[_Key, list[tuple[_Key, EdgeKind, Node | None]]] = {}
        for source, steps in succ.items():
            for target, kind, via, _ in steps:
                preds.setdefault(target, []).append((source, kind, via))
        toward: dict[_Key, tuple[_Key | None, PathEdge, Node | None, int]] = {
            end: (None, "", None, 0) for end in ends
        }
        back: deque[_Key] = deque(ends)
        while back:
            key = back.popleft()
            distance = toward[key][3]
            for source, kind, via in preds.get(key, ()):
                if source not in toward:
                    toward[source] = (key, kind, via, distance + 1)
                    back.append(source)
        ranks: dict[Node, int] = {}
        best: tuple[int, int, int] | None = None
        chosen: tuple[_Key, _Key, Node | None] | None = None
        for index, (key, target, via, offset) in enumerate(raisers):
            if target not in toward:
                continue
            node = via if via is not None else key[0]
            if node not in ranks:
                ranks[node] = rank(node) if rank else 0
            score = (ranks[node], self.depth[key] + offset + toward[target][3], index)
            if best is None or score < best:
                best, chosen = score, (key, target, via)
        if chosen is None:
            return None
        key, target, via = chosen
        path = self._path(key)
        if via is not None:
            path.append((via, NORMAL))
        path.append((target[0], EXC))
        at = target
        while True:
            step, edge, step_via, _ = toward[at]
            if step is None:
                break
            if step_via is not None:
                path.append((step_via, NORMAL))
            path.append((step[0], edge))
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


class _LazyReach(AbstractSet[Node]):
    """`reaching(...)`, computed on the first question (most searches never ask)."""

    def __init__(self, cfg: Cfg, effects: Mapping[Node, NodeEffect], at_least: Effect) -> None:
        self._args = (cfg, effects, at_least)
        self._found: set[Node] | None = None

    def _set(self) -> set[Node]:
        if self._found is None:
            self._found = reaching(*self._args)
        return self._found

    def __contains__(self, node: object) -> bool:
        return node in self._set()

    def __iter__(self) -> Iterator[Node]:
        return iter(self._set())

    def __len__(self) -> int:
        return len(self._set())


class Chains:
    """The straight-line stretches of a graph: runs of simple statements, each with one normal
    successor that no other node jumps to, all raising (if at all) to the same place. They do not
    depend on the resource; a search crosses the part of one that does nothing to its resource in a
    single step, so that N resources over N statements cost N stretches each, not N statements."""

    def __init__(self, cfg: Cfg) -> None:
        # The graph's exception edges straight out of the function are worked out when first asked for
        # (`Node.succ`); the stretches are found from the edges already made (`inside_succ`), and a node's
        # pending edge is asked for only where it could split a stretch.
        preds: dict[Node, int] = {}
        following: dict[Node, Node] = {}  # a chainable node's one normal successor
        raising: dict[Node, Node | None] = {}  # and where it raises to, as far as the graph has worked out
        for node in cfg.nodes:
            normal = 0
            after: Node | None = None
            raises_to: Node | None = None
            for successor, kind in node.inside_succ:
                if kind != EXC:
                    preds[successor] = preds.get(successor, 0) + 1
                    normal += 1
                    after = after or successor
                elif raises_to is None:
                    raises_to = successor
            if normal == 1 and node.kind == "stmt" and after is not None:
                following[node] = after
                raising[node] = raises_to
        # nodes a chainable node before them leads into
        linked = {nxt for nxt in following.values() if nxt in following and preds.get(nxt, 0) == 1}
        self.chain_of: dict[Node, tuple[list[Node], int]] = {}
        self.next_raising: dict[int, list[int]] = {}  # per chain (by id): index of the next node that can raise
        self._chains: dict[int, list[Node]] = {}
        self._stops: dict[int, tuple[object, dict[int, list[int]]]] = {}
        raise_exit = cfg.raise_exit
        for head in cfg.nodes:
            if head not in following or head in linked:
                continue
            run: list[Node] = []
            members: set[Node] = set()
            at: Node | None = head
            while at is not None and at not in self.chain_of and at not in members:
                run.append(at)
                members.add(at)
                nxt = following[at]
                at = nxt if nxt in linked else None
            if not any(raising[n] is not None and raising[n] is not raise_exit for n in run):
                # every node raises out of the function if at all (a pending edge can only go there):
                # one stretch, whatever the pending edges turn out to be
                self._add(run)
                continue
            chain: list[Node] = []
            target: Node | None = None
            for at in run:
                raises_to = next((t for t, kind in at.succ if kind == EXC), None)
                if chain and raises_to is not None and target is not None and raises_to is not target:
                    self._add(chain)  # every node of a chain raises to the same place: a new one starts
                    chain, target = [], None
                chain.append(at)
                target = target or raises_to
            self._add(chain)

    def stops(self, owner: object, nodes: Iterable[Node]) -> dict[int, list[int]]:
        """The sorted positions of `nodes` in each chain, indexed once per `owner` (the mapping or
        object they come from, kept alive with the index so that its id is not reused); None as the
        owner indexes them without keeping the result."""
        cached = self._stops.get(id(owner)) if owner is not None else None
        if cached is not None and cached[0] is owner:
            return cached[1]
        found: dict[int, list[int]] = {}
        for node in nodes:
            place = self.chain_of.get(node)
            if place is not None:
                found.setdefault(id(place[0]), []).append(place[1])
        for indexes in found.values():
            indexes.sort()
        if owner is not None:
            self._stops[id(owner)] = (owner, found)
        return found

    def _add(self, chain: list[Node]) -> None:
        for index, node in enumerate(chain):
            self.chain_of[node] = (chain, index)
        self._chains[id(chain)] = chain

    def raising_after(self, key: int) -> list[int]:
        """Per position in the chain `key` (its id), the position of the next node that can raise (the
        chain's length when none does), worked out when the chain is first crossed."""
        nexts = self.next_raising.get(key)
        if nexts is None:
            chain = self._chains[key]
            following = len(chain)
            nexts = [0] * len(chain)
            for index in range(len(chain) - 1, -1, -1):
                if chain[index].can_raise:
                    following = index
                nexts[index] = following
            self.next_raising[key] = nexts
        return nexts


def _next(node: Node) -> Node | None:
    return next((t for t, kind in node.succ if kind != EXC), None)


class _Jumps:
    """For one resource: where a search entering a chain at a node can go in one step. The nodes that
    concern the resource come as several collections, each indexed once per graph (`Chains.stops`),
    so that following many resources of one name costs nothing per resource here."""

    def __init__(self, chains: Chains, stops: list[dict[int, list[int]]]) -> None:
        self.chains = chains
        self.stops = [found for found in stops if found]

    def across(self, node: Node) -> tuple[Node, Node | None, int, int] | None:
        """From `node` (which does nothing to the resource): the node after the stretch, the first node
        in it that can raise (or None) with its distance from `node`, and the stretch's length; None
        when `node` is not in a chain, concerns the resource, or the stretch is a single node."""
        found = self.chains.chain_of.get(node)
        if found is None:
            return None
        chain, index = found
        key = id(chain)
        stop = len(chain)
        for by_chain in self.stops:
            indexes = by_chain.get(key)
            if not indexes:
                continue
            at = bisect_left(indexes, index)
            if at < len(indexes):
                if indexes[at] == index:
                    return None
                stop = min(stop, indexes[at])
        if stop - index < 2:
            return None
        end = chain[stop] if stop < len(chain) else _next(chain[-1])
        if end is None:
            return None
        first = self.chains.raising_after(key)[index]
        raiser = chain[first] if first < stop else None
        return end, raiser, first - index if raiser is not None else 0, stop - index


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

    def changing(self) -> list[tuple[object, Iterable[Node]]]:
        """The nodes at which what a path knows may change (flags set, tested names assigned, aliases
        bound), with the object each collection comes from."""
        found: list[tuple[object, Iterable[Node]]] = []
        if self.flags:
            found.append((self.flags, self.flags.setting()))
        if self.branches:
            found.append((self.branches, self.branches.storing()))
        if self.aliases is not None:
            found.append((self.aliases.binds, (*self.aliases.binds, *self.aliases.unbinds)))
        return found

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
    if not _pure(test):
        return None
    try:
        return "?" + ast.dump(test)
    except RecursionError:  # a test nested thousands deep is not worth remembering
        return None


def _pure(test: ast.AST) -> bool:
    """Whether `test` is made only of names, attributes, constants, comparisons, `and`/`or`/`not`."""
    stack = [test]
    pop, push, extend = stack.pop, stack.append, stack.extend
    name, attribute, constant, load = ast.Name, ast.Attribute, ast.Constant, ast.Load
    while stack:
        node = pop()
        kind = node.__class__
        if kind is name:
            if node.ctx.__class__ is not load:  # type: ignore[attr-defined]
                return False
        elif kind is constant:
            continue
        elif kind is attribute:
            if node.ctx.__class__ is not load:  # type: ignore[attr-defined]
                return False
            push(node.value)  # type: ignore[attr-defined]
        elif kind is ast.Compare:
            push(node.left)  # type: ignore[attr-defined]
            extend(node.comparators)  # type: ignore[attr-defined]
        elif kind is ast.BoolOp:
            extend(node.values)  # type: ignore[attr-defined]
        elif kind is ast.UnaryOp:
            if node.op.__class__ is not ast.Not:  # type: ignore[attr-defined]
                return False
            push(node.operand)  # type: ignore[attr-defined]
        else:
            return False
    return True


class Branches:
    """Pure tests (`if use_file:`, `if self.debug and not quiet:`) a path has already decided.

    A test is decided on the path until one of the names it reads is assigned again. Only tests made
    more than once in the function are remembered (a decision no later test asks about changes
    nothing), and at most `_MAX_DECIDED` at a time, which keeps the states per node bounded.
    """

    def __init__(self, cfg: Cfg, stores: Callable[[], Mapping[Node, frozenset[str]]] | None = None) -> None:
        """`stores`, when given, gives what `stored_names(cfg)` would (from facts the caller already has)."""
        self._keys: dict[Node, str] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._stores: Mapping[Node, frozenset[str]] = {}
        tests: dict[str, list[Node]] = {}
        known: dict[int, str | None] = {}  # a test copied with its `finally` is one test
        for node in cfg.nodes:
            if node.kind == "if" and node.parts:
                test = node.parts[0]
                key = known[id(test)] if id(test) in known else known.setdefault(id(test), fact_key(test))
                if key is not None:
                    tests.setdefault(key, []).append(node)
        self._repeated: set[str] = set()
        for key, nodes in tests.items():
            if len({n.stmt for n in nodes}) > 1:
                self._repeated.add(key)
            for node in nodes:
                self._keys[node] = key
            self._names[key] = frozenset(names_in(nodes[0].parts[0]))
        if self._names:
            self._stores = stores() if stores is not None else stored_names(cfg)

    def storing(self) -> Iterable[Node]:
        return self._stores.keys()

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
        if key is None or kind not in (TRUE, FALSE) or (key not in self._repeated and key not in also):
            return env
        if any(name == key for name, _ in env):
            return env
        if sum(1 for name, _ in env if name.startswith("?")) >= _MAX_DECIDED:
            return env  # too many decisions at once: this one is forgotten (the paths stay possible)
        return tuple(sorted((*env, (key, kind == TRUE)), key=_first))

    def forget(self, node: Node, env: Env) -> Env:
        stored = self._stores.get(node)
        if not stored or not env:
            return env
        names = self._names
        if not any(not stored.isdisjoint(names.get(name, ())) for name, _ in env if name.startswith("?")):
            return env
        return tuple(
            (name, value) for name, value in env
            if not (name.startswith("?") and names.get(name, frozenset()) & stored)
        )


def stored_names(cfg: Cfg) -> dict[Node, frozenset[str]]:
    """The names each statement, `for` or `with` node stores or deletes, in any scope its parts hold."""
    found: dict[Node, frozenset[str]] = {}
    for node in cfg.nodes:
        if node.kind in ("stmt", "for", "with"):
            stored = frozenset(
                n.id for part in node.parts for n in ast.walk(part)
                if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
            )
            if stored:
                found[node] = stored
    return found


class Flags:
    """Names the function sets to constants and tests (`acquired = False` … `if not acquired:`).

    A forward constant propagation over the graph gives the values known where the resource is
    acquired; the search carries them along its paths and skips the branch a known value rules out.
    """

    def __init__(
        self, cfg: Cfg, names: frozenset[str], stores: Callable[[], Mapping[Node, frozenset[str]]] | None = None
    ) -> None:
        """`stores`, when given, gives what `stored_names(cfg)` would (from facts the caller already has)."""
        self.names = names
        self._sets: dict[Node, tuple[tuple[str, object | None], ...]] = {}
        self._tests: dict[Node, ast.expr] = {}
        stored = stores() if stores is not None else None
        for node in cfg.nodes:
            sets = tuple(self._assignments(node) if stored is None else self._stored(node, stored))
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

    def _stored(self, node: Node, stored: Mapping[Node, frozenset[str]]) -> Iterable[tuple[str, object | None]]:
        """`_assignments(node)` from the names each node stores: a constant assignment sets its
        targets; any other store of a flag, in any scope the node holds, makes it unknown (the order
        of those does not matter: each one forgets the flag)."""
        if node.kind != "stmt" and node.kind not in ("for", "with"):
            return ()
        part = node.parts[0] if node.kind == "stmt" and node.parts else None
        if isinstance(part, ast.Assign) and isinstance(part.value, ast.Constant):
            return list(self._assignments(node))
        names = stored.get(node)
        if not names:
            return ()
        return [(name, self._UNKNOWN) for name in sorted(names & self.names)]

    def setting(self) -> Iterable[Node]:
        return self._sets.keys()

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
    return not names.isdisjoint(names_in(test))


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
    seen: set[int] = set()  # a test copied with its `finally` is read once
    for node in cfg.nodes:
        if node.kind == "stmt":
            part = node.parts[0] if node.parts else None
            if isinstance(part, ast.Assign) and isinstance(part.value, ast.Constant):
                assigned.update(t.id for t in part.targets if isinstance(t, ast.Name))
        elif node.kind in ("if", "while") and node.parts and id(node.parts[0]) not in seen:
            seen.add(id(node.parts[0]))
            tested |= names_in(node.parts[0])
    return frozenset((assigned & tested) - {exclude})


def names_in(expr: ast.AST) -> set[str]:
    """The names `expr` reads or writes anywhere in it (nested scopes included, as `ast.walk` finds them)."""
    found: set[str] = set()
    stack = [expr]
    pop, push = stack.pop, stack.append
    fields_of, name_type, constant_type, node_type = _EXPR_FIELDS, ast.Name, ast.Constant, ast.AST
    while stack:
        node = pop()
        kind = node.__class__
        if kind is name_type:
            found.add(node.id)  # type: ignore[attr-defined]
            continue
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(f for f in kind._fields if f not in _NO_NODE_FIELDS)
        for field_name in fields:
            value: Any = getattr(node, field_name, None)
            for child in value if value.__class__ is list else (value,):
                if child.__class__ is not constant_type and isinstance(child, node_type):
                    push(child)
    return found


# Fields that never hold a node other than a shared context or operator singleton.
_NO_NODE_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "module", "level", "kind", "type_comment", "conversion",
    "is_async", "simple", "asname", "lineno", "tag",
})
_EXPR_FIELDS: dict[type, tuple[str, ...]] = {}
