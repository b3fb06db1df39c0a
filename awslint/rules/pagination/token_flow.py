"""Token loops on the shared control-flow graph (`awslint.analysis.cfg`): which loop holds a call, and
whether a value the loop may give a name reaches the call around the loop.

A loop is the natural loop of a `while` or `for` head: the head and every node that reaches one of its
back edges (an edge into the head from the loop's own statements) without passing the head, and that
the head reaches. "The loop never changes `name`" is reaching definitions on that subgraph: no
definition of `name` made at a node of the loop reaches the call along a path inside the loop (the
next iteration included). A definition is any event that may give the name another value: a binding
(the semantic model's: assignments, `for`/`with`/`except`/`match` targets, walrus, imports, `del`),
a store into it, a mutating method, handing it to a function that may change it (also inside a nested
function or lambda, which is evaluated, for the block, where it is defined). A name the block declares
`global` or `nonlocal`, or one a scope nested in the block declares `nonlocal` (in a module, `global`),
may change at any call: taken as changed. A nested function, lambda or class that declares neither
cannot rebind the block's name, so `key=lambda item: item["Name"]` in the loop changes nothing.

So a rebinding on a path that always leaves the loop (`token = ...; break`) does not feed the next
iteration, nor does one in the loop's `else`, while a rebinding after the call does.
"""

from __future__ import annotations

import ast
from typing import Iterable, Sequence

from awslint.analysis.cfg import Cfg, Node
from awslint.analysis.model import SemanticModel
from awslint.rules.pagination.responses import Parents, only_reads

_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__", "append", "extend"})


def changes(load: ast.Name, parents: Parents, tokens: frozenset[str]) -> bool:
    """Whether this read of a name may give it another value: a store into it (`token[k] = v`), a
    mutating method (`token.update(...)`), handing it to a function (other than as a listing's token,
    or to a reader such as `print`), or unpacking it (`*token`)."""
    parent = parents.get(load)
    if isinstance(parent, ast.Subscript) and not isinstance(parent.ctx, ast.Load):
        return True
    if isinstance(parent, ast.Attribute) and parent.attr in _MUTATORS:
        return True
    if isinstance(parent, ast.keyword) and parent.arg in tokens:
        return False  # `NextToken=token`: sent as a listing's token, which does not change it
    holder = parent.value if isinstance(parent, ast.keyword) else None
    outer = parents.get(parent) if isinstance(parent, ast.keyword) else parent
    if isinstance(outer, ast.Call) and (load in outer.args or holder is load) and not only_reads(outer):
        return True
    return isinstance(parent, ast.Starred)


class BlockFlow:
    """The loops of one block's graph and the definitions of names at its nodes, computed on demand."""

    def __init__(self, cfg: Cfg, block: ast.AST, model: SemanticModel, parents: Parents) -> None:
        self.cfg = cfg
        self.block = block
        self._model = model
        self._parents = parents
        # An AST node -> the graph nodes that evaluate it (several when it sits in a copied `finally`).
        self._at: dict[int, list[Node]] = {}
        for node in cfg.nodes:
            if node.stmt is not None:
                self._at.setdefault(id(node.stmt), []).append(node)
            for part in node.parts:
                if part is not node.stmt:
                    self._at.setdefault(id(part), []).append(node)
        self._preds: dict[Node, list[Node]] = {}
        for source in cfg.nodes:
            for target, _kind in source.succ:
                self._preds.setdefault(target, []).append(source)
        self._loops: dict[Node, frozenset[Node]] | None = None
        self._innermost: dict[Node, Node] = {}  # node -> the head of the innermost loop holding it
        self._outer: dict[Node, Node] = {}  # loop head -> the head of the loop around that loop
        self._defs: dict[tuple[str, frozenset[str]], frozenset[Node] | None] = {}
        self._declared: frozenset[str] | None = None
        self._calling: dict[str, frozenset[Node]] = {}
        self._reached: dict[tuple[Node, str, frozenset[str]], frozenset[Node] | None] = {}

    # -- where an AST node is evaluated --------------------------------------------------------

    def nodes_at(self, node: ast.AST) -> list[Node]:
        """The graph nodes that evaluate `node`: those of the innermost statement or part holding it (a
        node inside a nested function or class is evaluated, for this block, where that is defined)."""
        current: ast.AST | None = node
        get = self._parents.get
        while current is not None and current is not self.block:
            found = self._at.get(id(current))
            if found is not None:
                return found
            current = get(current)
        return []

    # -- loops ---------------------------------------------------------------------------------

    def loops(self) -> dict[Node, frozenset[Node]]:
        """Every loop of the block by its head, found once: nested loops are found with their outer one."""
        if self._loops is None:
            self._loops = {}
            for node in self.cfg.nodes:
                if node.kind in ("while", "for") and isinstance(node.stmt, (ast.While, ast.For, ast.AsyncFor)):
                    self._loops[node] = self._natural_loop(node, node.stmt)
            # Outermost first, so that each node ends up with the innermost loop that holds it.
            for head, members in sorted(self._loops.items(), key=lambda item: (-len(item[1]), item[0].id)):
                outer = self._innermost.get(head)
                if outer is not None:
                    self._outer[head] = outer
                for member in members:
                    self._innermost[member] = head
        return self._loops

    def _natural_loop(self, head: Node, stmt: ast.stmt) -> frozenset[Node]:
        preds = self._preds
        # Back edges come from the loop's own statements; the edge that enters the loop comes from outside it.
        sources = [p for p in preds.get(head, ()) if p.kind != "entry" and _within(p.stmt, stmt)]
        body: set[Node] = {head}
        stack = list(sources)
        while stack:
            node = stack.pop()
            if node in body:
                continue
            body.add(node)
            stack.extend(preds.get(node, ()))
        # Only what the head reaches: code no path runs (after a `return`) is no part of any iteration.
        reached: set[Node] = {head}
        stack = [head]
        while stack:
            for target, _kind in stack.pop().succ:
                if target in body and target not in reached:
                    reached.add(target)
                    stack.append(target)
        return frozenset(reached)

    def enclosing_loops(self, nodes: Iterable[Node]) -> list[Node]:
        """The heads of the loops holding any of `nodes`, innermost first for each."""
        self.loops()
        heads: list[Node] = []
        for node in nodes:
            head = self._innermost.get(node)
            while head is not None:
                if head not in heads:
                    heads.append(head)
                head = self._outer.get(head)
        return heads

    def innermost_while(self, nodes: Iterable[Node]) -> Node | None:
        """The head of the innermost `while` loop holding one of `nodes` (a `for` between is passed)."""
        for head in self.enclosing_loops(nodes):
            if head.kind == "while":
                return head
        return None

    def in_loop_calling(self, node: ast.AST, operation: str, calls: Sequence[ast.Call]) -> bool:
        """Whether `node` is evaluated by a `while` test, or in a loop (in its body: a `for` loop's
        iterable is evaluated once) that also evaluates one of `calls` (those of `operation`)."""
        at = self.nodes_at(node)
        if any(n.kind == "while" for n in at):
            return True
        heads = [h for h in self.enclosing_loops(at) if not (h.kind == "for" and h in at)]
        if not heads:
            return False
        calling = self._calling.get(operation)
        if calling is None:
            calling = self._calling[operation] = frozenset(n for call in calls for n in self.nodes_at(call))
        loops = self.loops()
        return any(not calling.isdisjoint(loops[head]) for head in heads)

    # -- definitions ---------------------------------------------------------------------------

    def definitions(self, name: str, tokens: frozenset[str]) -> frozenset[Node] | None:
        """The nodes that may give `name` another value, or None when any call may (`global`, `nonlocal`)."""
        key = (name, tokens)
        if key not in self._defs:
            self._defs[key] = self._definitions(name, tokens)
        return self._defs[key]

    def _definitions(self, name: str, tokens: frozenset[str]) -> frozenset[Node] | None:
        scope = self._model.scope(self.block)
        if scope is not None and (name in scope.declared_global or name in scope.declared_nonlocal):
            return None
        if name in self._handed_out():
            return None  # a function nested here rebinds it through `nonlocal` (or `global`) whenever it is called
        sites: list[ast.AST] = [b.node for b in self._model.bindings_of(self.block, name) if b.kind != "parameter"]
        sites.extend(load for load in self._parents.loads(self.block, name) if changes(load, self._parents, tokens))
        found: set[Node] = set()
        for site in sites:
            found.update(self.nodes_at(site))
        return frozenset(found)

    def _handed_out(self) -> frozenset[str]:
        """The names that scopes nested in this block declare `nonlocal` (or, in a module, `global`)."""
        if self._declared is None:
            names: set[str] = set()
            for scope in self._model.scopes.values():
                declared = scope.declared_nonlocal | scope.declared_global if isinstance(self.block, ast.Module) else (
                    scope.declared_nonlocal
                )
                if not declared or scope.node is self.block:
                    continue
                owner = scope.parent
                while owner is not None and owner.node is not self.block:
                    owner = owner.parent
                if owner is not None:
                    names |= declared
            self._declared = frozenset(names)
        return self._declared

    def changed_around(self, head: Node, at: Iterable[Node], name: str, tokens: frozenset[str]) -> bool:
        """Whether a definition of `name` made in the loop of `head` reaches one of the nodes `at` (the
        call) along a path inside the loop, the way around the back edge included."""
        reached = self.reached(head, name, tokens)
        members = self.loops()[head]
        return reached is None or any(n in reached for n in at if n in members)

    def reached(self, head: Node, name: str, tokens: frozenset[str]) -> frozenset[Node] | None:
        """The nodes of `head`'s loop that a definition of `name` made in the loop reaches (the
        reaching definitions of the loop, forward from each definition to a fixpoint), or None when
        any call may change the name. Once per loop and name, so N calls in one loop cost one pass."""
        key = (head, name, tokens)
        if key not in self._reached:
            defs = self.definitions(name, tokens)
            if defs is None:
                self._reached[key] = None
            else:
                members = self.loops()[head]
                found: set[Node] = set()
                stack = [t for d in defs if d in members for t, _kind in d.succ if t in members]
                while stack:
                    node = stack.pop()
                    if node not in found:
                        found.add(node)
                        stack.extend(t for t, _kind in node.succ if t in members and t not in found)
                self._reached[key] = frozenset(found)
        return self._reached[key]


def _within(inner: ast.AST | None, outer: ast.stmt) -> bool:
    """Whether `inner` lies in `outer`'s source span (a statement of the loop, not the one before it)."""
    if inner is None or not hasattr(inner, "lineno"):
        return False
    start = (inner.lineno, getattr(inner, "col_offset", 0))
    end = (getattr(inner, "end_lineno", None) or inner.lineno, getattr(inner, "end_col_offset", None) or 0)
    outer_end = (outer.end_lineno or outer.lineno, outer.end_col_offset or 0)
    return (outer.lineno, outer.col_offset) <= start and end <= outer_end and inner is not outer
