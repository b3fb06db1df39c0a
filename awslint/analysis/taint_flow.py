"""Taint as a forward dataflow over the shared control-flow graph (`awslint.analysis.cfg`).

The state at each node's entry is the join of what its incoming edges carry; a node's transfer (the
taint interpreter's evaluation of the statement or the part of one the node stands for) says what each
outgoing edge carries: the two outcomes of a test are narrowed by its guards, an exception edge carries
the state the raising node started from (what a handler can see: the assignment that raised did not
happen). Nodes are taken highest id first, which is source order for the graph's backwards-built nodes,
so straight code is visited once and a loop settles before what follows it runs; a node is visited
again only when what reaches it changed, until nothing does.
"""
from __future__ import annotations

from heapq import heappop, heappush
from typing import Callable, Protocol

from awslint.analysis.cfg import EXC, Cfg, Node
from awslint.analysis.taint_values import State, join

# A node is visited again only when what reaches it changed, and the values only grow (origins are
# capped and never repeat a hop), so every loop settles; this only bounds one that would not (every loop
# of the standard library and of the real-code corpus settles within three rounds, nested ones included).
MAX_VISITS = 64
# The size of graph from which states are handed over instead of copied (see `forward`).
OWNED_FROM = 256


class Transfer(Protocol):
    def step(self, node: Node, state: State, back: State | None, owned: bool) -> list[State]:
        """What each of `node.inside_succ` carries, given the state at the node's entry (`back`: for a `for`
        head, what comes round from its body, kept apart since the iterable is evaluated on entry). An
        exception edge carries the state at the node's entry, which the caller sends itself: its entry
        in the list is not read. `owned`: nothing else holds or will read `state` (the node has no
        exception edge either), so the node may change it in place rather than copy it."""
        ...

    def leave(self, state: State) -> None:
        """The function returns normally with `state` (a `return`, or the end of its body)."""
        ...


def forward(cfg: Cfg, initial: State, transfer: Transfer, unsettled: Callable[[Node, int], None]) -> None:
    """Run `transfer` over `cfg` from `initial` at its entry until no node's state changes (`unsettled` is
    told of a node visited more than MAX_VISITS times, which is then left as it is)."""
    nodes = cfg.nodes
    ins: dict[int, State] = {cfg.entry.id: initial}
    # Which entry states no other node holds: a node that is taken once (`final`) may then change its
    # own in place. A function of N straight statements binding N names would otherwise copy a state of
    # up to N names at each statement and keep every copy: quadratic in time and in memory.
    # Below a few hundred nodes a copy costs less than the bookkeeping.
    owned: dict[int, bool] = {}
    final = cfg.reached_only_from_above() if len(nodes) >= OWNED_FROM else frozenset()
    backs: dict[int, State] = {}
    visits: dict[int, int] = {}
    heap: list[int] = [-cfg.entry.id]
    queued = {cfg.entry.id}
    loop_bodies = cfg.loop_bodies
    handlers = cfg.handlers
    reached: set[int] | None = None  # the nodes some edge enters, computed when a handler needs to know

    # nothing is evaluated at the exits: what reaches them is not kept
    exits = (cfg.exit.id, cfg.raise_exit.id)
    exit_id = cfg.exit.id

    def send(source: int, target: Node, state: State, alone: bool = False) -> None:
        key = target.id
        if key in exits:
            return
        into = ins
        if loop_bodies:
            body = loop_bodies.get(key)
            if body is not None and source in body:
                into = backs
        old = into.get(key)
        if old is None:
            into[key] = state
            if into is ins:
                owned[key] = alone
        else:
            new = widened(old, state)
            if new is None:
                return
            into[key] = new
            if into is ins:
                owned[key] = True  # `widened` made it
        if key not in queued:
            queued.add(key)
            heappush(heap, -key)

    while heap:
        nid = -heappop(heap)
        queued.discard(nid)
        count = visits[nid] = visits.get(nid, 0) + 1
        node = nodes[nid]
        if count > MAX_VISITS:
            unsettled(node, MAX_VISITS)
            continue
        state = ins[nid]
        succ = node.inside_succ
        # Taken for the last time, with an entry state that is its own, and no edge (an exception's, or
        # the jump into a handler) that would carry the state as it was before the node: the node may
        # change it, and hand what it does not change on.
        mine = owned.get(nid, False) and nid in final and not (handlers and nid in handlers) and not any(
            edge == EXC and target.id not in exits for target, edge in succ) if final else False
        outs = transfer.step(node, state, backs.get(nid), mine)
        # an exception edge carries what the node started from: what a handler sees
        sent = [state if edge == EXC else out for (_, edge), out in zip(succ, outs)] if final else outs
        # what goes to an exit is read there at once (or not at all), and holds nothing afterwards
        kept = [out for (target, _), out in zip(succ, sent) if target.id not in exits] if final else sent
        for (target, edge), out in zip(succ, sent):
            if target.id == exit_id:
                if edge != EXC:
                    transfer.leave(out)
                continue
            if not final:
                send(nid, target, state if edge == EXC else out)
                continue
            # a state sent along one edge only, and not still this node's, is the target's alone
            alone = (mine or out is not state) and (len(kept) == 1 or sum(o is out for o in kept) == 1)
            send(nid, target, out, alone)
        if handlers:
            dispatch = handlers.get(nid)
            if dispatch is not None:
                if reached is None:
                    reached = {t.id for n in nodes for t, _ in n.inside_succ}
                if dispatch.id not in reached:
                    # nothing the graph models raises in the body (`try: import x`), but the handler is
                    # there to run: it starts from the state before the `try`
                    send(nid, dispatch, state)


def widened(old: State, new: State) -> State | None:
    """`old` joined with `new` (as `join_states` joins them), or None when that changes nothing: most of
    what two paths carry is the same value, so this compares by identity before it joins."""
    if old is new:
        return None
    out: State | None = None
    get = old.get
    for key, b in new.items():
        a = get(key)
        if a is b:
            continue
        if a is None:
            value = b  # bound on one path only: what the bound path says
        else:
            value = join(a, b)
            if value is a or value == a:
                continue
        if out is None:
            out = dict(old)
        out[key] = value
    return out
