"""Child processes a function starts, and what each graph node does to one of them.

`started(...)` finds the `subprocess.Popen(...)` calls of a function whose result the function holds
in a local name (or in a `with`), with the output streams that are pipes. `process_acts` says what
each graph node does to the process for AWS105 (kills it, waits for it, hands it over, loses it);
`stream_steps` what each node does to its piped streams for AWS106 (reads them to the end, reads a
part, waits), in evaluation order.

A name the analysis cannot follow (bound to something else too, captured by a nested function, a
global) gives no process at all: the rules then stay silent.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import IntEnum
from typing import AbstractSet, Callable, Iterable, Literal

from awslint.analysis.cfg import FALSE, TRUE, EdgeKind, Node
from awslint.analysis.index import FunctionNode
from awslint.analysis.names import Names
from awslint.analysis.read_loops import stops_early
from awslint.analysis.resource_aliases import local_aliases
from awslint.analysis.scopes import inside
from awslint.analysis.resource_sites import FileFacts, FunctionFacts, release_words
from awslint.data.processes import (
    DETACHING_FLAGS,
    DETACHING_FUNCTIONS,
    DETACHING_KEYWORDS,
    DRAINING_METHODS,
    KILL_METHODS,
    LOOKING_METHODS,
    LOOKERS,
    OUTPUT_STREAMS,
    PARTIAL_READERS,
    PARTIAL_READS,
    PIPE,
    POPEN_FACTORIES,
    STATE_READS,
    TIMEOUT_POSITION,
    WAIT_METHODS,
)

Stream = Literal["stdout", "stderr"]


def is_popen(call: ast.Call, names: Names, shadowed: AbstractSet[str] = frozenset()) -> bool:
    return names.resolve(call.func, shadowed) in POPEN_FACTORIES


def piped_streams(call: ast.Call, names: Names) -> tuple[Stream, ...]:
    """The output streams of `Popen(...)` that are pipes; `stderr=STDOUT` joins stdout's."""
    values: dict[str, ast.expr] = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    # Popen(args, bufsize, executable, stdin, stdout, stderr, ...)
    for position, name in ((4, "stdout"), (5, "stderr")):
        if len(call.args) > position and name not in values:
            values[name] = call.args[position]
    out: list[Stream] = []
    if "stdout" in values and names.resolve(values["stdout"]) in PIPE:
        out.append("stdout")
    if "stderr" in values and names.resolve(values["stderr"]) in PIPE:
        out.append("stderr")
    return tuple(out)


def detached(call: ast.Call, names: Names) -> bool:
    """`Popen(..., start_new_session=True)`, `preexec_fn=os.setsid`, `DETACHED_PROCESS`: a child meant to
    outlive its parent."""
    for kw in call.keywords:
        value = kw.value
        if kw.arg in DETACHING_KEYWORDS and not (isinstance(value, ast.Constant) and value.value in (False, None)):
            return True
        if kw.arg == "preexec_fn" and names.resolve(value) in DETACHING_FUNCTIONS:
            return True
        if kw.arg == "creationflags" and any(
            isinstance(n, (ast.Name, ast.Attribute)) and (n.id if isinstance(n, ast.Name) else n.attr) in DETACHING_FLAGS
            for n in ast.walk(value)
        ):
            return True
    return False


def timeout_of(call: ast.Call) -> ast.expr | None:
    """The timeout a `communicate(...)`/`wait(...)` call passes, unless it is absent or None."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in WAIT_METHODS:
        return None
    value: ast.expr | None = next((kw.value for kw in call.keywords if kw.arg == "timeout"), None)
    position = TIMEOUT_POSITION[func.attr]
    if value is None and len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        value = call.args[position]
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return None
    return value


def _unknown_arguments(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args)


@dataclass(frozen=True)
class Process:
    """A child process held in the local `var` (and its `aliases`), started by `calls`."""

    var: str
    aliases: frozenset[str]
    alias_statements: frozenset[ast.Assign]
    calls: tuple[ast.Call, ...]
    # local names bound once to its pid (`pid = proc.pid`), for `os.kill(pid, SIGKILL)`
    pids: frozenset[str] = frozenset()

    @property
    def names(self) -> frozenset[str]:
        return self.aliases | {self.var}


class Starters:
    """The calls that start a child process: `subprocess.Popen(...)`, and the module's own functions and
    methods that start one and return it to their caller (`def spawn(cmd): return Popen(cmd, stdout=PIPE)`,
    called as `spawn(...)` or `self.spawn(...)`), each with the `Popen(...)` calls behind it."""

    def __init__(
        self,
        names: Names,
        functions: dict[str, list[FunctionNode]],
        methods: dict[str, list[FunctionNode]],
        popen: AbstractSet[str] | None = None,
        facts: FileFacts | None = None,
    ) -> None:
        """`popen`: the last names a `Popen(...)` call can have in the module, if the caller has them;
        `facts`: the file's `FunctionFacts`, shared with the rules that follow the processes."""
        self.names = names
        facts_of = facts.of if facts is not None else FunctionFacts.of
        self.functions = _factories(functions, names, facts_of) if functions else {}
        self.methods = _factories(methods, names, facts_of) if methods else {}
        if popen is None:
            popen = {"Popen"} | {a for a, target in names.aliases.items() if target in POPEN_FACTORIES}
        self.last_names = frozenset(popen) | set(self.functions) | set(self.methods)

    def popens(self, call: ast.Call, shadowed: AbstractSet[str] = frozenset()) -> tuple[ast.Call, ...] | None:
        """The `Popen(...)` calls whose process `call` returns, or None when it starts none."""
        if is_popen(call, self.names, shadowed):
            return (call,)
        func = call.func
        if isinstance(func, ast.Name) and func.id not in shadowed and func.id not in self.names.aliases:
            return self.functions.get(func.id)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            return self.methods.get(func.attr)
        return None

    def pipes(self, call: ast.Call) -> tuple[Stream, ...]:
        """The streams every process `call` may return has piped."""
        found = [piped_streams(c, self.names) for c in self.popens(call) or ()]
        return tuple(s for s in OUTPUT_STREAMS if found and all(s in f for f in found))  # type: ignore[misc]

    def detached(self, call: ast.Call) -> bool:
        return any(detached(c, self.names) for c in self.popens(call) or ())


def _factories(
    defs: dict[str, list[FunctionNode]], names: Names, facts_of: Callable[[FunctionNode], FunctionFacts]
) -> dict[str, tuple[ast.Call, ...]]:
    out: dict[str, tuple[ast.Call, ...]] = {}
    for name, found in defs.items():
        calls = [_returned_process(f, names, facts_of) for f in found]
        if calls and all(c for c in calls):
            out[name] = tuple(c for cs in calls for c in cs or ())
    return out


def _returned_process(
    func: FunctionNode, names: Names, facts_of: Callable[[FunctionNode], FunctionFacts]
) -> tuple[ast.Call, ...] | None:
    """The `Popen(...)` calls whose process `func` returns on every `return` that returns a value (or
    None), when that is all it does with them: no `with`, no store, no callee that may keep it."""
    if isinstance(func, ast.Lambda):
        return None
    facts = facts_of(func)
    calls: list[ast.Call] = []
    returned: set[str] = set()
    for node, parent in facts.parents.items():
        if not isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await, ast.Return)) or not _own(node, facts):
            continue
        if not isinstance(node, ast.Return):
            return None  # a generator or a coroutine does not hand its caller the process
        if node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if isinstance(value, ast.Call) and is_popen(value, names, facts.shadowed):
            calls.append(value)
        elif isinstance(value, ast.Name) and value.id in facts.shadowed and value.id not in facts.nested_names:
            returned.add(value.id)
        else:
            return None
    for var in sorted(returned):
        bound = _owned_only_to_return(facts, var, names)
        if bound is None:
            return None
        calls.extend(bound)
    return tuple(calls) or None


def _own(node: ast.AST, facts: FunctionFacts) -> bool:
    """Whether `node` belongs to the function itself, not to a function or class nested in it."""
    parent = facts.parents.get(node)
    while parent is not None and parent is not facts.func:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        parent = facts.parents.get(parent)
    return True


def _owned_only_to_return(facts: FunctionFacts, var: str, names: Names) -> list[ast.Call] | None:
    calls: list[ast.Call] = []
    for node, parent in facts.parents.items():
        if not (isinstance(node, ast.Name) and node.id == var):
            continue
        if isinstance(node.ctx, ast.Load):
            if isinstance(parent, ast.Return) or (isinstance(parent, ast.Attribute) and parent.value is node):
                continue
            return None
        if (
            isinstance(parent, ast.Assign)
            and parent.targets == [node]
            and isinstance(parent.value, ast.Call)
            and is_popen(parent.value, names, facts.shadowed)
        ):
            calls.append(parent.value)
            continue
        return None
    return calls


def started(facts: FunctionFacts, calls: Iterable[ast.Call], starters: Starters) -> list[Process]:
    """The processes `calls` (the function's calls that start one) bind to a local name it can follow."""
    by_var: dict[str, list[ast.Call]] = {}
    for call in calls:
        var = _bound_name(call, facts.parents)
        if var is not None:
            by_var.setdefault(var, []).append(call)
    out = []
    for var, acquired in by_var.items():
        if var not in facts.shadowed or var in facts.nested_names:
            continue  # a global, or a nested function may kill it or wait for it
        if not _only_processes(facts, var, starters):
            continue
        aliases, statements = local_aliases(facts, var)
        out.append(Process(var, aliases, statements, tuple(acquired), _pid_names(facts, aliases | {var})))
    return out


def _pid_names(facts: FunctionFacts, held: AbstractSet[str]) -> frozenset[str]:
    """The local names bound once, and only, to the process's pid (`pid = proc.pid`)."""
    copies = facts.memo.get("pid_copies")
    if not isinstance(copies, dict):
        copies = facts.memo["pid_copies"] = _pid_copies(facts)
    return frozenset(name for owner in held for name in copies.get(owner, ()))


def _pid_copies(facts: FunctionFacts) -> dict[str, list[str]]:
    """For each name, the names bound once, and only, to its `.pid`: found in one look at the
    function's names, however many processes ask."""
    found: dict[str, list[str]] = {}
    for name, occurrences in facts.by_name.items():
        stores = [o for o in occurrences if not isinstance(o.ctx, ast.Load)]
        if len(stores) != 1 or name in facts.nested_names:
            continue
        parent = facts.parents.get(stores[0])
        value = parent.value if isinstance(parent, ast.Assign) and parent.targets == [stores[0]] else None
        if isinstance(value, ast.Attribute) and value.attr == "pid" and isinstance(value.value, ast.Name):
            found.setdefault(value.value.id, []).append(name)
    return found


def _bound_name(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> str | None:
    parent = parents.get(call)
    if isinstance(parent, ast.withitem) and parent.context_expr is call:
        target = parent.optional_vars
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    if isinstance(parent, (ast.AnnAssign, ast.NamedExpr)) and isinstance(parent.target, ast.Name):
        return parent.target.id
    return None


def _only_processes(facts: FunctionFacts, var: str, starters: Starters) -> bool:
    """Whether every value the function gives `var` is a process it starts, or None."""
    for node in facts.every_occurrence(var):
        if isinstance(node.ctx, ast.Load):
            continue
        parent = facts.parents.get(node)
        if isinstance(node.ctx, ast.Del):
            continue
        value: ast.AST | None = None
        if isinstance(parent, ast.withitem) and parent.optional_vars is node:
            value = parent.context_expr
        elif isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and getattr(parent, "value", None):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if node not in targets:
                return False  # unpacked from a tuple
            value = parent.value
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if not (isinstance(value, ast.Call) and starters.popens(value, facts.shadowed) is not None):
            return False
    return True


class Act(IntEnum):
    """What a node does to the process after a timeout; the strongest act of a node wins."""

    NONE = 0
    WAIT = 1  # communicate()/wait() without a timeout: waits for a child nobody stopped
    REBIND = 2  # the name takes another value: nothing can stop the child any more
    TIMED = 3  # another communicate()/wait() with a timeout, judged on its own
    STATE = 4  # poll()/returncode: the code looks whether the child has ended
    KILL = 5  # terminate(), send_signal(), a callee given it (or its pid) to stop it
    KILLED = 6  # kill(), os.kill(proc.pid, SIGKILL), kill_tree(proc): SIGKILL, which no child can ignore
    HANDOVER = 7  # returned, stored, given to a callee that may keep it: its owner's to stop


LEAKS = frozenset({Act.WAIT, Act.REBIND})


def process_acts(facts: FunctionFacts, process: Process, names: Names) -> dict[Node, Act]:
    acts: dict[Node, Act] = {}
    tracked = process.names
    for node, found in facts.occurrences().items():
        strongest = Act.NONE
        for occurrence in found:
            if occurrence.id in process.pids and isinstance(occurrence.ctx, ast.Load):
                # `os.kill(pid, signal.SIGKILL)` of `pid = proc.pid`, as of `proc.pid` itself
                callee = _callee_given(occurrence, facts.parents, names)
                if callee is not None:
                    strongest = max(strongest, _kill_by(callee))
                continue
            if occurrence.id not in tracked:
                continue
            if not isinstance(occurrence.ctx, ast.Load):
                if occurrence.id == process.var and not _binds_alias(node, process):
                    strongest = max(strongest, Act.REBIND)
                continue
            strongest = max(strongest, _act(occurrence, facts, names, process))
        if strongest:
            acts[node] = strongest
    return acts


def _binds_alias(node: Node, process: Process) -> bool:
    return any(part in process.alias_statements for part in node.parts)


def _act(occurrence: ast.Name, facts: FunctionFacts, names: Names, process: Process) -> Act:
    parents = facts.parents
    parent = parents.get(occurrence)
    if isinstance(parent, ast.Attribute):
        called = _called(parent, parents)
        if called is None and isinstance(parents.get(parent), ast.Expr):
            return Act.NONE  # `proc.kill` on a line of its own: the method is named, never called
        if parent.attr in KILL_METHODS:
            if called is None:
                return Act.HANDOVER  # `Timer(t, proc.kill)`: a watchdog will
            hard = parent.attr == "kill" or (parent.attr == "send_signal" and _mentions_sigkill(called))
            return Act.KILLED if hard else Act.KILL
        if parent.attr in WAIT_METHODS:
            if called is None:
                return Act.HANDOVER
            if _unknown_arguments(called) or timeout_of(called) is not None:
                return Act.TIMED
            return Act.WAIT
        if parent.attr == "poll" and called is not None and _only_shown(called, parents, names, facts.shadowed):
            return Act.NONE  # `log.error("poll=%s", proc.poll())`: a line in the log, not a decision
        if parent.attr == "poll" or (parent.attr in STATE_READS and _tested(parent, parents)):
            return Act.STATE
        if parent.attr == "pid":
            callee = _callee_given(parent, parents, names)
            return Act.NONE if callee is None else _kill_by(callee)
        return Act.NONE
    holder, node = _lift(occurrence, parents)
    if isinstance(holder, ast.Call) and holder.func is not node:
        if _looks_only(holder, names, facts.shadowed):
            return Act.NONE
        return _kill_by(holder) if _releases(holder) else Act.HANDOVER
    if isinstance(holder, ast.Assign) and holder in process.alias_statements:
        return Act.NONE
    if _hands_over(holder, node):
        return Act.HANDOVER
    return Act.NONE


def _only_shown(expr: ast.AST, parents: dict[ast.AST, ast.AST], names: Names, shadowed: AbstractSet[str]) -> bool:
    """Whether the value of `expr` only goes into a message: an f-string, or an argument of a callee
    that only looks (`log.warning("%s", proc.poll())`, `print(proc.poll())`)."""
    node, parent = expr, parents.get(expr)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, (ast.JoinedStr, ast.FormattedValue)):
            return True
        if isinstance(parent, ast.Call) and parent.func is not node:
            return _looks_only(parent, names, shadowed)
        if isinstance(parent, ast.keyword):
            node, parent = parent, parents.get(parent)
            continue
        if not isinstance(parent, (ast.Tuple, ast.BinOp, ast.Dict)):
            return False
        node, parent = parent, parents.get(parent)
    return False


def _tested(expr: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `expr` is read by a test (`if proc.returncode is None:`), not merely passed on."""
    node, parent = expr, parents.get(expr)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.IfExp) and node is parent.test:
            return True
        if isinstance(parent, ast.comprehension) and node in parent.ifs:
            return True
        node, parent = parent, parents.get(parent)
    if isinstance(parent, (ast.If, ast.While)):
        return node is parent.test
    return isinstance(parent, ast.Assert)


def _called(attribute: ast.Attribute, parents: dict[ast.AST, ast.AST]) -> ast.Call | None:
    grand = parents.get(attribute)
    return grand if isinstance(grand, ast.Call) and grand.func is attribute else None


def _lift(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[ast.AST | None, ast.AST]:
    """The node holding `node` through `*x` and `key=x`."""
    parent = parents.get(node)
    while isinstance(parent, (ast.Starred, ast.keyword)):
        node, parent = parent, parents.get(parent)
    return parent, node


def _hands_over(holder: ast.AST | None, node: ast.AST) -> bool:
    if isinstance(holder, (ast.Return, ast.Yield, ast.YieldFrom, ast.Tuple, ast.List, ast.Set, ast.Dict)):
        return True
    if isinstance(holder, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.AugAssign)):
        return getattr(holder, "value", None) is node
    if isinstance(holder, ast.IfExp):
        return node is not holder.test
    return isinstance(holder, ast.BoolOp)


def _looks_only(call: ast.Call, names: Names, shadowed: AbstractSet[str]) -> bool:
    """A callee that only looks at what it is given: `print(proc)`, `log.info("%s", proc.pid)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr in LOOKING_METHODS
    return isinstance(func, ast.Name) and names.resolve(func, shadowed) in LOOKERS


def _releases(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return release_words(name) or "kill" in name.lower() or "stop" in name.lower()


def _given_to_callee(expr: ast.AST, parents: dict[ast.AST, ast.AST], names: Names) -> bool:
    return _callee_given(expr, parents, names) is not None


def _callee_given(expr: ast.AST, parents: dict[ast.AST, ast.AST], names: Names) -> ast.Call | None:
    """The call `proc.pid` reaches that may signal it (`os.kill`, `os.killpg(os.getpgid(...))`,
    `kill_tree(...)`): the outermost such call, not a message (`log.warning("%s", proc.pid)`, an
    f-string, `%`)."""
    node: ast.AST = expr
    parent = parents.get(node)
    found: ast.Call | None = None
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, (ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.Compare)):
            return found
        if isinstance(parent, ast.Call) and parent.func is not node:
            if _looks_only(parent, names, frozenset()):
                return found
            found = parent
        node, parent = parent, parents.get(parent)
    return found


_SOFT_SIGNALS = frozenset({"SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "CTRL_C_EVENT", "CTRL_BREAK_EVENT"})


def _mentions_sigkill(call: ast.Call) -> bool:
    return any(
        isinstance(n, (ast.Name, ast.Attribute)) and (n.id if isinstance(n, ast.Name) else n.attr) == "SIGKILL"
        for arg in call.args for n in ast.walk(arg)
    ) or any(isinstance(a, ast.Constant) and a.value == 9 for a in call.args)


def _kill_by(call: ast.Call) -> Act:
    """`os.kill(pid, SIGKILL)`, `kill_tree(proc)`: a kill; `os.kill(pid, SIGTERM)`, `stop(proc)`: a request."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if "kill" not in name.lower():
        return Act.KILL
    soft = any(
        isinstance(n, (ast.Name, ast.Attribute)) and (n.id if isinstance(n, ast.Name) else n.attr) in _SOFT_SIGNALS
        for arg in call.args for n in ast.walk(arg)
    )
    return Act.KILL if soft else Act.KILLED


@dataclass(frozen=True)
class StreamEvent:
    """One thing a node does to the process's output streams, in evaluation order."""

    kind: Literal["drain-all", "drain", "partial", "wait", "rebind"]
    stream: Stream | None = None
    call: ast.Call | None = None
    receiver: str = ""


@dataclass(frozen=True)
class StreamSteps:
    """What each node does to the streams, the `for` loops that read a stream to its end, and the tests
    that tell on one branch that a stream is no pipe (`if proc.stdout is not None:` … else) or that the
    child has ended (`if proc.poll() is not None:`), with the streams it can no longer block on there:
    after `while proc.poll() is None:` only those the loop reads (one that spins while a pipe nobody
    reads fills would never end)."""

    events: dict[Node, tuple[StreamEvent, ...]]
    exhausted_on_false: dict[Node, frozenset[Stream]]
    absent_on: dict[Node, tuple[EdgeKind, Stream]]
    ended_on: dict[Node, tuple[EdgeKind, frozenset[Stream]]] = field(default_factory=dict)
    # where in the source each of a node's events happens (parallel to `events`): a node that starts the
    # process may read or hand over its streams after that (`with Popen(...) as a, Popen(stdin=a.stdout)`)
    positions: dict[Node, tuple[tuple[int, int], ...]] = field(default_factory=dict)


def stream_aliases(facts: FunctionFacts, process: Process) -> dict[str, Stream]:
    """Local names bound only to one of the process's streams (`out = proc.stdout`)."""
    # the names some `x = proc.stdout` binds, found from the process's own names; each is kept when
    # every value the function gives it is that same stream
    parents = facts.parents
    named: set[str] = set()
    for name in process.names:
        for occurrence in facts.every_occurrence(name):
            attribute = parents.get(occurrence)
            assign = parents.get(attribute) if isinstance(attribute, ast.Attribute) else None
            if isinstance(assign, ast.Assign) and assign.value is attribute and len(assign.targets) == 1:
                target = assign.targets[0]
                if isinstance(target, ast.Name):
                    named.add(target.id)
    candidates: dict[str, Stream] = {}
    for name in named:
        streams = {_stream_value(parents.get(n), n, process) for n in facts.every_occurrence(name)
                   if not isinstance(n.ctx, ast.Load)}
        if len(streams) == 1 and None not in streams:
            candidates[name] = streams.pop()  # type: ignore[assignment]
    return {
        name: stream for name, stream in candidates.items()
        if name in facts.shadowed and name not in facts.nested_names and name not in process.names
    }


def _stream_value(parent: ast.AST | None, target: ast.Name, process: Process) -> Stream | None:
    if not (isinstance(parent, ast.Assign) and parent.targets == [target]):
        return None
    return _stream_of(parent.value, process, {})


def stream_steps(
    facts: FunctionFacts, process: Process, names: Names, aliases: dict[str, Stream]
) -> StreamSteps:
    events: dict[Node, tuple[StreamEvent, ...]] = {}
    exhausted: dict[Node, frozenset[Stream]] = {}
    absent: dict[Node, tuple[EdgeKind, Stream]] = {}
    ended: dict[Node, EdgeKind] = {}  # (the streams, once every node's events are known)
    positions: dict[Node, tuple[tuple[int, int], ...]] = {}
    tracked = process.names
    for node, found in _nodes_for(facts, [*tracked, *aliases]):
        out: list[tuple[tuple[int, int], StreamEvent]] = []
        if node.kind in ("if", "while") and node.parts and isinstance(node.parts[0], ast.expr):
            tested = _absent_branch(node.parts[0], process, aliases)
            if tested is not None:
                absent[node] = tested
            branch = _ended_branch(node.parts[0], process)
            if branch is not None:
                ended[node] = branch
        for occurrence in found:
            if occurrence.id in tracked:
                expr, stream, event = _process_event(occurrence, node, facts, names, process, aliases)
            elif occurrence.id in aliases and isinstance(occurrence.ctx, ast.Load):
                expr, stream = occurrence, aliases[occurrence.id]
                event = _stream_event(occurrence, facts, aliases, names, process)
            else:
                continue
            if event == "exhaust" and stream is not None and node.kind == "for":
                # the loop's own edges say when it has read the stream to the end
                exhausted[node] = exhausted.get(node, frozenset()) | {stream}
                event = "partial"
            elif event == "exhaust":
                event = "drain"
            if isinstance(event, StreamEvent):
                out.append((_end(event.call) if event.call else _position(expr), event))
            elif event is not None:
                out.append((_position(expr), StreamEvent(event, stream)))
        if node.kind == "for" and isinstance(node.stmt, (ast.For, ast.AsyncFor)):
            for stream in sorted(_loop_drains(node.stmt, facts, process, aliases)):
                out.append(((node.stmt.lineno, node.stmt.col_offset), StreamEvent("drain", stream)))
        if out:
            ordered = sorted(out, key=lambda pair: pair[0])
            events[node] = tuple(e for _, e in ordered)
            positions[node] = tuple(p for p, _ in ordered)
    return StreamSteps(events, exhausted, absent, {n: (b, _read_past(n, events)) for n, b in ended.items()},
                       positions)


_ALL_STREAMS: frozenset[Stream] = frozenset(("stdout", "stderr"))


def _nodes_for(facts: FunctionFacts, names: list[str]) -> list[tuple[Node, list[ast.Name]]]:
    """The graph nodes `stream_steps` must look at for a process known by `names`, in the graph's
    order, with every name each one holds: those where one of the names occurs, and every `if`,
    `while` and `for` (a test or a loop may judge the process without naming it in its own parts):
    what one process costs is its own uses and the function's branches, not every statement."""
    occurrences = facts.occurrences()
    control = facts.memo.get("control_nodes")
    if not isinstance(control, list):
        control = [node for node in occurrences if node.kind in ("if", "while", "for")]
        facts.memo["control_nodes"] = control
    chosen: dict[int, Node] = {node.id: node for node in control}
    for name in names:
        for node in facts.occurrences_of(name):
            chosen[node.id] = node
    return [(chosen[i], occurrences[chosen[i]]) for i in sorted(chosen) if chosen[i] in occurrences]


def _read_past(test: Node, events: dict[Node, tuple[StreamEvent, ...]]) -> frozenset[Stream]:
    """The streams the child cannot block on once `test` says it has ended: every one after an `if`;
    after a `while`, those its body reads (or hands on, or ends the child over)."""
    if test.kind != "while" or not isinstance(test.stmt, ast.While):
        return _ALL_STREAMS
    body = inside(test.stmt.body)
    read: set[Stream] = set()
    for node, found in events.items():
        if id(node.stmt) not in body:
            continue
        for event in found:
            if event.kind == "drain-all":
                return _ALL_STREAMS
            if event.kind in ("drain", "partial") and event.stream is not None:
                read.add(event.stream)
    return frozenset(read)


def _ended_branch(test: ast.expr, process: Process) -> EdgeKind | None:
    """The branch (TRUE/FALSE) of `if proc.poll() is not None:`, `while proc.returncode is None:` … on
    which the child has ended: it can no longer block on a pipe."""
    negate = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negate, test = not negate, test.operand
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.IsNot))
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return None
    state = test.left
    if isinstance(state, ast.Call) and not state.args and not state.keywords:
        state = state.func
    if not (
        isinstance(state, ast.Attribute)
        and state.attr in STATE_READS
        and isinstance(state.value, ast.Name)
        and state.value.id in process.names
        and (state.attr == "poll") == (state is not test.left)  # `proc.poll()` is called, `proc.returncode` read
    ):
        return None
    return TRUE if isinstance(test.ops[0], ast.IsNot) != negate else FALSE


def _absent_branch(
    test: ast.expr, process: Process, aliases: dict[str, Stream]
) -> tuple[EdgeKind, Stream] | None:
    """The branch (TRUE/FALSE) of `if proc.stdout:`, `if out is None:` … on which the stream is None."""
    negate = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negate, test = not negate, test.operand
    none_when_true = False
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        none_when_true = isinstance(test.ops[0], (ast.Is, ast.Eq))
        test = test.left
    stream: Stream | None = None
    if isinstance(test, ast.Attribute) and isinstance(test.value, ast.Name) and test.value.id in process.names:
        stream = test.attr if test.attr in OUTPUT_STREAMS else None  # type: ignore[assignment]
    elif isinstance(test, ast.Name):
        stream = aliases.get(test.id)
    if stream is None:
        return None
    return (TRUE if none_when_true != negate else FALSE), stream


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _end(node: ast.AST) -> tuple[int, int]:
    """A call runs after its arguments: it is placed at its end."""
    return getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0


_Event = Literal["drain-all", "drain", "partial", "exhaust", "rebind"]


def _process_event(
    occurrence: ast.Name,
    node: Node,
    facts: FunctionFacts,
    names: Names,
    process: Process,
    aliases: dict[str, Stream],
) -> tuple[ast.AST, Stream | None, _Event | StreamEvent | None]:
    """What one occurrence of the process's name does to its streams."""
    parents = facts.parents
    if not isinstance(occurrence.ctx, ast.Load):
        if occurrence.id == process.var and not _binds_alias(node, process):
            return occurrence, None, "rebind"
        return occurrence, None, None
    parent = parents.get(occurrence)
    if isinstance(parent, ast.Attribute):
        called = _called(parent, parents)
        if parent.attr in OUTPUT_STREAMS:
            return parent, parent.attr, _stream_event(parent, facts, aliases, names, process)  # type: ignore[return-value]
        if parent.attr == "wait" and called is not None:
            return called, None, StreamEvent("wait", call=called, receiver=occurrence.id)
        if called is None and isinstance(parents.get(parent), ast.Expr):
            return occurrence, None, None  # `proc.communicate` on a line of its own: never called
        if parent.attr in KILL_METHODS or parent.attr in WAIT_METHODS:
            return occurrence, None, "drain-all"  # the child ends, or communicate() reads every pipe
        if parent.attr == "pid" and _given_to_callee(parent, parents, names):
            return occurrence, None, "drain-all"
        return occurrence, None, None
    holder, lifted = _lift(occurrence, parents)
    if isinstance(holder, ast.Call) and holder.func is not lifted:
        if _looks_only(holder, names, facts.shadowed):
            return occurrence, None, None
        return occurrence, None, "drain-all"  # a callee or a thread may read its streams
    if isinstance(holder, ast.Assign) and holder in process.alias_statements:
        return occurrence, None, None
    if _hands_over(holder, lifted):
        return occurrence, None, "drain-all"
    return occurrence, None, None


# Reading these attributes of a stream says nothing about who reads it.
_INSPECT = frozenset({"closed", "name", "encoding", "mode", "errors", "newlines", "readable", "isatty"})


def _stream_event(
    expr: ast.expr, facts: FunctionFacts, aliases: dict[str, Stream], names: Names, process: Process
) -> Literal["drain", "partial", "exhaust"] | None:
    """What one occurrence of a stream (`proc.stdout`, or an alias of it) does to it."""
    parents = facts.parents
    parent = parents.get(expr)
    if isinstance(parent, ast.Attribute):
        if parent.attr in _INSPECT:
            return None
        called = _called(parent, parents)
        if called is None:
            if isinstance(parents.get(parent), ast.Expr):
                return None  # `proc.stdout.read` on a line of its own: nothing is called
            return "drain"  # `iter(proc.stdout.readline, "")`, `proc.stdout.buffer`: handed on
        if parent.attr in PARTIAL_READS or (parent.attr == "read" and _sized(called)):
            return "drain" if _drains_in_loop(called, facts, process) else "partial"
        if parent.attr in DRAINING_METHODS:
            return "drain"
        return None
    if (
        isinstance(parent, ast.Call)
        and parent.args
        and parent.args[0] is expr
        and names.resolve(parent.func, facts.shadowed) in PARTIAL_READERS
    ):
        return "partial"  # `next(proc.stdout)`, `islice(proc.stdout, 10)`: some lines, not to the end
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is expr:
        return "exhaust"
    if isinstance(parent, ast.Assign) and isinstance(expr, ast.Attribute) and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, ast.Name) and target.id in aliases:
            return None  # its uses through the alias say what happens to it
    if isinstance(parent, (ast.Compare, ast.If, ast.While, ast.UnaryOp, ast.IfExp)) and not (
        isinstance(parent, ast.IfExp) and parent.test is not expr
    ):
        return None
    return "drain"  # given to a callee, a thread, a container, a `with`, a comprehension


def _sized(call: ast.Call) -> bool:
    """`read(n)` reads at most n bytes; `read()`, `read(-1)`, `read(None)` read to the end."""
    if not call.args:
        return any(kw.arg == "size" for kw in call.keywords)
    first = call.args[0]
    if isinstance(first, ast.Constant) and (first.value is None or first.value == -1):
        return False
    if isinstance(first, ast.UnaryOp) and isinstance(first.op, ast.USub):
        return False
    return True


def _drains_in_loop(call: ast.Call, facts: FunctionFacts, process: Process) -> bool:
    """A read of a part run in a loop drains the stream, unless the loop is a `while` that may stop on
    what a line says (`if "ready" in line: break`) before a read comes back empty, or a `for` (or a
    comprehension) over `range(...)`, which reads so many parts and no more (`[proc.stdout.readline()
    for _ in range(5)]`) — save where each turn also writes to the child's stdin, which answers each
    request with a line (`git cat-file --batch`)."""
    parent = facts.parents.get(call)
    while parent is not None and parent is not facts.func:
        if isinstance(parent, ast.While):
            return not stops_early(parent, call)
        if isinstance(parent, (ast.For, ast.AsyncFor)):
            return not (_counted(parent.iter) and not _writes_stdin(parent, process))
        if isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return not any(_counted(g.iter) for g in parent.generators) or _writes_stdin(parent, process)
        if isinstance(parent, ast.comprehension):
            return True
        parent = facts.parents.get(parent)
    return False


def _counted(iterable: ast.expr) -> bool:
    """`range(...)`: a loop that turns a fixed number of times."""
    return isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range"


def _writes_stdin(loop: ast.AST, process: Process) -> bool:
    """Whether the loop touches the process's stdin (`proc.stdin.write(request)`)."""
    return any(
        isinstance(n, ast.Attribute) and n.attr == "stdin" and isinstance(n.value, ast.Name)
        and n.value.id in process.names
        for n in ast.walk(loop)
    )


def _loop_drains(loop: ast.For | ast.AsyncFor, facts: FunctionFacts, process: Process, aliases: dict[str, Stream]) -> frozenset[Stream]:
    """The streams a `for` loop's body reads in parts that drain them (`for path in paths: ...
    proc.stdout.readline()`): the loop as a whole reads them, also when it turns no time at all (the
    child was asked nothing, so it has nothing to say)."""
    out: set[Stream] = set()
    for stmt in loop.body:
        for node in ast.walk(stmt):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if not (node.func.attr in PARTIAL_READS or (node.func.attr == "read" and _sized(node))):
                continue
            stream = _stream_of(node.func.value, process, aliases)
            if stream is None or _nearest_loop(node, facts) is not loop or not _drains_in_loop(node, facts, process):
                continue
            out.add(stream)
    return frozenset(out)


def _stream_of(expr: ast.expr, process: Process, aliases: dict[str, Stream]) -> Stream | None:
    if isinstance(expr, ast.Name):
        return aliases.get(expr.id)
    if (
        isinstance(expr, ast.Attribute)
        and expr.attr in OUTPUT_STREAMS
        and isinstance(expr.value, ast.Name)
        and expr.value.id in process.names
    ):
        return expr.attr  # type: ignore[return-value]
    return None


def _nearest_loop(call: ast.Call, facts: FunctionFacts) -> ast.AST | None:
    parent = facts.parents.get(call)
    while parent is not None and parent is not facts.func:
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return parent
        parent = facts.parents.get(parent)
    return None
