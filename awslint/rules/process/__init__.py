"""Child processes left hanging (AWS105, AWS106).

A `subprocess.Popen(...)` held in a local name (or a `with`) is followed along the function's
control-flow graph: from a `communicate(timeout=...)`/`wait(timeout=...)` that raises
`TimeoutExpired` to the end of the function (AWS105, `awslint/analysis/process_paths.py`), and from
the start of the process to each `wait()` while one of its output pipes is unread (AWS106). Only
functions that start a process get a graph.
"""
from __future__ import annotations

import ast
from typing import Iterable, Iterator

from awslint.analysis.cfg import EXC, FALSE, TRUE, Cfg, Node
from awslint.analysis.index import FunctionNode
from awslint.analysis.names import dotted
from awslint.analysis.process_paths import Escape, Handlers, Unread, left_running, unread_pipes
from awslint.analysis.processes import (
    Act,
    Process,
    Starters,
    is_popen,
    process_acts,
    started,
    stream_aliases,
    stream_steps,
    timeout_of,
)
from awslint.analysis.resource_sites import FunctionFacts, file_facts
from awslint.context import Context
from awslint.data.processes import EXPECTING_RAISE, MOCKING, POPEN_FACTORIES
from awslint.finding import Finding, Step
from awslint.rule import Family, Rule


class ProcessNotKilledOnTimeout(Rule):
    """
    ## What it finds

    `proc.communicate(timeout=...)` or `proc.wait(timeout=...)` on a `subprocess.Popen` the function
    owns (or holds in a `with`), where some path from the `TimeoutExpired` it raises — through a
    handler that catches it (by name, `SubprocessError`, `Exception`, `BaseException` or a bare
    `except`), or out of the function — neither kills nor terminates the child (`proc.kill()`,
    `proc.terminate()`, `os.kill(proc.pid, ...)`, also through a copy, `pid = proc.pid`) before the
    function ends or waits for it again without a timeout (a handler that fails the test,
    `pytest.fail(...)`, or aborts the request, `flask.abort(504)`, leaves the function as `raise`
    does); in `with Popen(...)`, before the `with`
    ends, whose exit waits for the child (a kill in a handler outside it comes too late). `except TimeoutError:` does not catch it: `subprocess.TimeoutExpired` is no
    subclass of the builtin (nor of asyncio's), and the message says so when the timeout passes one.

    ## Why is this bad?

    The timeout does not stop the child: the standard library documents that the process is not
    killed when `TimeoutExpired` is raised. A hung child keeps running, holding its pipes, memory
    and locks, and `with Popen(...)` does not help — its exit waits for the child, forever.
    Kill it in the handler, then call `communicate()` to reap it and collect its output.
    `subprocess.run(..., timeout=...)` does this itself and is never reported. A process the
    function hands over (returns, stores, passes to a callee that may keep it) is its new owner's.

    ## Where it reports

    At the `communicate(timeout=...)`/`wait(timeout=...)` call, in product and test code alike.

    ## References

    - [`Popen.communicate`](https://docs.python.org/3/library/subprocess.html#subprocess.Popen.communicate)
    """

    code = "AWS105"
    name = "process-not-killed-on-timeout"
    msgid = "W7315"
    needs = frozenset({"cfg"})
    title = "Child process is left running when its timeout expires"
    message = "`{var}` is left running when `{method}()` times out at line {line}{handled}; {fix}"
    INVALID = (
        '''
import subprocess

def unit_state(unit):
    with subprocess.Popen(["systemctl", "is-active", unit], stdout=subprocess.PIPE, text=True) as proc:
        try:
            out, _ = proc.communicate(timeout=5)  # expect: AWS105
        except subprocess.TimeoutExpired:
            return "timeout"
    return out.strip()
''',
        '''
import subprocess

def install(package):
    with subprocess.Popen(["apt-get", "install", "-y", package]) as proc:
        return proc.wait(timeout=600)  # expect: AWS105
''',
    )
    VALID = (
        '''
import subprocess

def unit_state(unit):
    with subprocess.Popen(["systemctl", "is-active", unit], stdout=subprocess.PIPE, text=True) as proc:
        try:
            out, _ = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return "timeout"
    return out.strip()
''',
        '''
import subprocess

def install(package):
    return subprocess.run(["apt-get", "install", "-y", package], timeout=600).returncode
''',
    )


class PipeDeadlock(Rule):
    """
    ## What it finds

    `proc.wait()` (with or without a timeout) on a `subprocess.Popen` started with `stdout=PIPE` or
    `stderr=PIPE` when, on some path before the call, a piped output stream has not been read to its
    end: never read, or read only in part (one `readline()`, `read(4096)`, `next(proc.stdout)`,
    `itertools.islice(proc.stdout, n)`, `readline()` in a loop over `range(n)`, a loop left with
    `break` on what a line says, as in `if not line or "ready" in line: break`). Reading it with
    `communicate()`, `read()`, `readlines()`, a loop over it to its end (`for line in proc.stdout`, a
    `readline()` loop that stops once a read comes back empty), or handing it to a callee, a thread or
    another process (`Popen(["gzip"], stdin=proc.stdout)`, also in a later item of the same `with`)
    counts as reading it; `stderr=STDOUT` joins stderr to stdout's pipe. Past a test that says the
    child has ended (`if proc.poll() is not None:`, or after a `while proc.poll() is None:` loop that
    reads the pipe), it blocks on no pipe; a loop that only sleeps there never sees it end.

    ## Why is this bad?

    An OS pipe holds a few tens of kilobytes. Once the child has written that much to a pipe nobody
    reads, its next write blocks; the parent blocks in `wait()` for a child that cannot finish, and
    neither ever returns. It works in tests with small outputs and hangs in production.
    `communicate()` reads every pipe while it waits.

    ## Where it reports

    At the `wait()` call, in product and test code alike.

    ## References

    - [`Popen.wait`](https://docs.python.org/3/library/subprocess.html#subprocess.Popen.wait)
    """

    code = "AWS106"
    name = "pipe-deadlock"
    msgid = "W7316"
    needs = frozenset({"cfg"})
    title = "`wait()` on a process whose output pipe is not read"
    message = "`{var}.wait()` at line {line} can deadlock: {pipes}; use `{var}.communicate()`"
    INVALID = (
        '''
import subprocess

def newest_subject(repo):
    with subprocess.Popen(["git", "-C", repo, "log", "--format=%s"], stdout=subprocess.PIPE, text=True) as proc:
        subject = proc.stdout.readline().strip()
        proc.wait()  # expect: AWS106
    return subject
''',
    )
    VALID = (
        '''
import subprocess

def newest_subject(repo):
    with subprocess.Popen(["git", "-C", repo, "log", "-1", "--format=%s"], stdout=subprocess.PIPE, text=True) as proc:
        out, _ = proc.communicate()
    return out.strip()
''',
        '''
import subprocess

def build(cmd):
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
        for line in proc.stdout:
            print(line, end="")
        return proc.wait()
''',
    )


def check(ctx: Context) -> Iterable[Finding]:
    starters = _starters(ctx)
    if starters is None:
        return  # no function calls Popen: nothing starts a process the module could follow
    wanted = starters.last_names
    by_function: dict[FunctionNode, list[ast.Call]] = {}
    for call, func in ctx.index.calls_named(wanted):
        if func is None or isinstance(func, ast.Lambda):
            continue  # a module-level process lives as long as the program
        if starters.popens(call) is not None:
            by_function.setdefault(func, []).append(call)
    if not by_function:
        return
    classes = frozenset(c.name for c in ctx.index.classes)
    for func, calls in by_function.items():
        yield from _check_function(ctx, starters, func, calls, classes)


def _starters(ctx: Context) -> Starters | None:
    """The module's functions and methods that start a process and return it (only those that call
    `Popen`); None when no function calls `Popen`."""
    popen = frozenset({"Popen"} | {a for a, target in ctx.names.aliases.items() if target in POPEN_FACTORIES})
    holders = {func for call, func in ctx.index.calls_named(popen) if func is not None and is_popen(call, ctx.names)}
    if not holders:
        return None
    tree = ctx.tree
    body = tree.body if isinstance(tree, ast.Module) else []
    # only the names of functions that call it can start one: every definition of those is looked at
    named = {func.name for func in holders if not isinstance(func, ast.Lambda)}
    functions: dict[str, list[FunctionNode]] = {}
    methods: dict[str, list[FunctionNode]] = {}
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in named:
            functions.setdefault(stmt.name, []).append(stmt)
    for cls in ctx.index.classes:
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in named:
                methods.setdefault(stmt.name, []).append(stmt)
    # a name defined more than once must start a process in every definition
    return Starters(
        ctx.names,
        {n: fs for n, fs in functions.items() if all(f in holders for f in fs)},
        {n: fs for n, fs in methods.items() if all(f in holders for f in fs)},
        popen,
        file_facts(ctx),
    )


def _check_function(
    ctx: Context, starters: Starters, func: FunctionNode, calls: list[ast.Call], classes: frozenset[str]
) -> Iterator[Finding]:
    facts = file_facts(ctx).of(func)
    calls = [c for c in calls if starters.popens(c, facts.shadowed) is not None]
    if not calls:
        return
    cfg = facts.cfg
    if cfg is None:
        return
    handlers = Handlers(ctx.names, facts.shadowed, classes)
    for call in calls:
        yield from _inline(ctx, starters, facts, cfg, call, handlers)
    for process in started(facts, calls, starters):
        if ctx.enabled("AWS105"):
            yield from _timeouts(ctx, starters, facts, cfg, process, handlers)
        if ctx.enabled("AWS106"):
            yield from _deadlocks(ctx, starters, facts, cfg, process)


def _inline(
    ctx: Context, starters: Starters, facts: FunctionFacts, cfg: Cfg, call: ast.Call, handlers: Handlers
) -> Iterator[Finding]:
    """`Popen(...).wait()`, `Popen(...).communicate(timeout=...)`: nothing holds the child to stop or read it."""
    attribute = facts.parents.get(call)
    method = facts.parents.get(attribute) if isinstance(attribute, ast.Attribute) else None
    if not (isinstance(attribute, ast.Attribute) and isinstance(method, ast.Call) and method.func is attribute):
        return
    text = f"{_callee(call)}(...)"
    if attribute.attr == "wait" and ctx.enabled("AWS106"):
        pipes = starters.pipes(call)
        if pipes:
            yield PipeDeadlock.at(
                method,
                path=(Step(call.lineno, call.col_offset, f"the child's {_and(pipes)} {_is(pipes)} piped here"),),
                var=text,
                line=method.lineno,
                pipes=f"its {_and(pipes)} {_is(pipes)} {_pipes(pipes)} nobody reads",
            )
    if (
        attribute.attr in ("wait", "communicate")
        and timeout_of(method) is not None
        and ctx.enabled("AWS105")
        and not starters.detached(call)
        and not _expects_raise(method, facts)
    ):
        escape = left_running(cfg, _nodes_holding(cfg, method, facts), {}, handlers)
        if escape is not None:
            yield ProcessNotKilledOnTimeout.at(
                method,
                path=_timeout_steps(escape, method, text, cfg),
                var=text,
                method=attribute.attr,
                line=method.lineno,
                handled=_handled(escape),
                fix="bind it to a name, and call `kill()` and then `communicate()` on it when it times out",
            )


def _timeouts(
    ctx: Context, starters: Starters, facts: FunctionFacts, cfg: Cfg, process: Process, handlers: Handlers
) -> Iterator[Finding]:
    timed = [
        call for call in _method_calls(facts, process, ("communicate", "wait"))
        if timeout_of(call) is not None
        and not _expects_raise(call, facts)
        and any(_may_run_in(call, started_by, facts) for started_by in process.calls)
    ]
    if not timed or any(starters.detached(c) for c in process.calls):
        return
    acts = process_acts(facts, process, ctx.names)
    # after `proc.kill()` (SIGKILL, which no child can ignore) a timeout only guards against the impossible
    owners = {node for node, act in acts.items() if act in (Act.HANDOVER, Act.KILLED)}
    for call in timed:
        starts = _nodes_holding(cfg, call, facts)
        if not starts or owners & _reaching(cfg, starts):
            continue  # handed over (or killed) before it waits: its owner stops it
        holder = _popen_with_around(call, facts)
        if holder is None:
            escape = left_running(cfg, starts, acts, handlers)
        else:
            # the `with Popen(...)` exit waits for the child without a timeout: a kill after it comes
            # too late (`try: with Popen(...) as p: p.wait(timeout=5)` / `except TimeoutExpired: p.kill()`)
            inside = {id(n) for n in ast.walk(holder)}
            escape = left_running(cfg, starts, {n: a for n, a in acts.items() if id(n.stmt) in inside}, handlers)
        if escape is None:
            continue
        if not (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)):
            continue
        var = call.func.value.id
        around = _with_outside_handler(holder, escape)
        if around is not None:
            how = (f"in an `except subprocess.TimeoutExpired:` handler inside the `with` at line {around.lineno}, "
                   "whose exit waits for the child before the handler runs")
        elif _in_handler(escape):
            how = "in the handler"
        else:
            how = "in an `except subprocess.TimeoutExpired:` handler"
            missed = _other_timeout_handler(escape, ctx)
            if missed is not None:
                how += f" (the `except {missed[0]}:` at line {missed[1]} does not catch it)"
        yield ProcessNotKilledOnTimeout.at(
            call,
            path=_timeout_steps(escape, call, var, cfg),
            var=var,
            method=call.func.attr,
            line=call.lineno,
            handled=_handled(escape),
            fix=f"call `{var}.kill()` and then `{var}.communicate()` {how}",
        )


def _deadlocks(
    ctx: Context, starters: Starters, facts: FunctionFacts, cfg: Cfg, process: Process
) -> Iterator[Finding]:
    if not _method_calls(facts, process, ("wait",)):
        return
    aliases = stream_aliases(facts, process)
    steps = stream_steps(facts, process, ctx.names, aliases)
    reported: set[ast.Call] = set()
    for call in process.calls:
        pipes = starters.pipes(call)
        if not pipes:
            continue
        after = (call.end_lineno or call.lineno, call.end_col_offset or call.col_offset)
        for unread in unread_pipes(cfg, _nodes_holding(cfg, call, facts), pipes, steps, after):
            if unread.call in reported or not _may_run_in(unread.call, call, facts):
                continue
            reported.add(unread.call)
            var = unread.receiver
            streams = [f"`{var}.{s}`" for s in unread.streams]
            partly = bool(unread.partly) and len(unread.streams) == 1
            what = "not read to its end" if partly else "nobody reads"
            yield PipeDeadlock.at(
                unread.call,
                path=_pipe_steps(unread, call, var),
                var=var,
                line=unread.call.lineno,
                pipes=f"{_and(streams)} {_is(streams)} {_pipes(streams)} {what}",
            )


def _may_run_in(call: ast.Call, started_by: ast.Call, facts: FunctionFacts) -> bool:
    """Whether `call` may run while the process `started_by` starts is alive: after `with Popen(...)`
    ends, its exit has closed the pipes and waited for the child."""
    item = facts.parents.get(started_by)
    if not isinstance(item, ast.withitem) or item.context_expr is not started_by:
        return True
    block = facts.parents.get(item)
    node: ast.AST | None = call
    while node is not None and node is not facts.func:
        parent = facts.parents.get(node)
        if parent is block:
            return isinstance(block, (ast.With, ast.AsyncWith)) and node in block.body
        node = parent
    return False


def _expects_raise(call: ast.Call, facts: FunctionFacts) -> bool:
    """Inside `with self.assertRaises(...)` or `pytest.raises(...)` the timeout is what the test wants;
    inside `with mock.patch...(...)` (or a name bound to one) what the call waits for is replaced."""
    patches = {
        target.id for node, parent in facts.parents.items()
        if isinstance(node, ast.Call) and _mocks(node.func)
        and isinstance(parent, ast.Assign) for target in parent.targets if isinstance(target, ast.Name)
    }
    node: ast.AST | None = facts.parents.get(call)
    while node is not None and node is not facts.func:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and (_last_name(expr.func) in EXPECTING_RAISE or _mocks(expr.func)):
                    return True
                if isinstance(expr, ast.Name) and expr.id in patches:
                    return True
        node = facts.parents.get(node)
    return False


def _mocks(func: ast.expr) -> bool:
    text = (dotted(func) or "")
    return any(text == m or text.endswith("." + m) for m in MOCKING)


def _last_name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _method_calls(facts: FunctionFacts, process: Process, methods: tuple[str, ...]) -> list[ast.Call]:
    out = []
    parents = facts.parents
    for name in process.names:
        for occurrence in facts.every_occurrence(name):
            attribute = parents.get(occurrence)
            if isinstance(attribute, ast.Attribute) and attribute.value is occurrence and attribute.attr in methods:
                call = parents.get(attribute)
                if isinstance(call, ast.Call) and call.func is attribute:
                    out.append(call)
    return sorted(out, key=lambda c: (c.lineno, c.col_offset))


def _nodes_holding(cfg: Cfg, expr: ast.AST, facts: FunctionFacts) -> list[Node]:
    """The graph nodes that evaluate `expr` (several when it sits in a copied `finally`)."""
    # the expression and what holds it, each looked up in the graph's index of parts (no scan of
    # every node per call), in the graph's order (a node's id is its place in `cfg.nodes`)
    found: dict[int, Node] = {}
    node: ast.AST | None = expr
    while node is not None and node is not facts.func:
        for holder in cfg.holding(node):
            found[holder.id] = holder
        node = facts.parents.get(node)
    return [found[i] for i in sorted(found)]


def _reaching(cfg: Cfg, targets: list[Node]) -> set[Node]:
    """Nodes from which a normal path leads to one of `targets` (the targets excluded)."""
    preds: dict[Node, list[Node]] = {}
    for source, target, kind in cfg.edges():
        if kind != EXC:
            preds.setdefault(target, []).append(source)
    seen: set[Node] = set()
    stack = list(targets)
    while stack:
        for prev in preds.get(stack.pop(), ()):
            if prev not in seen:
                seen.add(prev)
                stack.append(prev)
    return seen - set(targets)


def _handled(escape: Escape) -> str:
    if escape.handler is None:
        return ""
    if not _in_handler(escape):
        return f" (suppressed at line {escape.handler.line})"
    return f" (handled at line {escape.handler.line})"


def _popen_with_around(call: ast.Call, facts: FunctionFacts) -> ast.With | None:
    """The `with Popen(...) as proc:` whose body holds `proc.wait(timeout=...)`, if any."""
    func = call.func
    var = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
    parent = facts.parents.get(call)
    while var is not None and parent is not None and parent is not facts.func:
        if isinstance(parent, ast.With) and any(
                isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == var for item in parent.items):
            return parent
        parent = facts.parents.get(parent)
    return None


def _with_outside_handler(holder: ast.With | None, escape: Escape) -> ast.With | None:
    """`holder`, the `with Popen(...) as var:` around the timed call, when the handler that catches the
    timeout lies outside it: a kill there comes after the `with` exit has waited for the child."""
    handler = escape.handler.stmt if escape.handler is not None else None
    if holder is None or not isinstance(handler, ast.ExceptHandler):
        return None
    return None if any(n is handler for n in ast.walk(holder)) else holder


# Timeout exceptions of other libraries that `subprocess.TimeoutExpired` is no subclass of.
_OTHER_TIMEOUTS = frozenset({
    "TimeoutError", "builtins.TimeoutError", "asyncio.TimeoutError", "socket.timeout",
    "concurrent.futures.TimeoutError",
})


def _other_timeout_handler(escape: Escape, ctx: Context) -> tuple[str, int] | None:
    """An `except TimeoutError:` the timeout passed by uncaught (how it is written, and its line)."""
    for node in escape.path:
        stmt = node.stmt
        if node.kind != "except" or not isinstance(stmt, ast.ExceptHandler) or stmt.type is None:
            continue
        options = stmt.type.elts if isinstance(stmt.type, ast.Tuple) else [stmt.type]
        for option in options:
            if ctx.names.resolve(option) in _OTHER_TIMEOUTS:
                return ast.unparse(stmt.type), stmt.lineno
    return None


def _in_handler(escape: Escape) -> bool:
    """The timeout is caught by an `except` clause, where the kill can go; `with suppress(...)` has none."""
    return escape.handler is not None and isinstance(escape.handler.stmt, ast.ExceptHandler)


def _timeout_steps(escape: Escape, call: ast.Call, var: str, cfg: Cfg) -> tuple[Step, ...]:
    method = call.func.attr if isinstance(call.func, ast.Attribute) else "wait"
    steps = [Step(call.lineno, call.col_offset, f"`{method}()` raises `TimeoutExpired` here")]
    for node in escape.path[1:-1]:
        if node is escape.handler:
            steps.append(Step(node.line, node.col, "the timeout is handled here"))
        elif node.kind in ("return", "break", "continue", "raise"):
            steps.append(Step(node.line, node.col, f"`{node.kind}`"))
    last = escape.last
    if escape.how == "exit":
        at = next((n for n in reversed(escape.path) if n.kind == "return"), None)
        line = at.line if at is not None else cfg.exit.line
        steps.append(Step(line, at.col if at is not None else 0, f"the function returns with `{var}` still running"))
    elif escape.how == "end":
        steps.append(Step(last.line, last.col, f"the program exits with `{var}` still running"))
    elif escape.how == "raise-exit":
        steps.append(Step(cfg.raise_exit.line, 0, f"the exception leaves the function with `{var}` still running"))
    elif escape.how == "wait":
        steps.append(Step(last.line, last.col, f"this waits for `{var}`, which nothing stopped"))
    else:
        steps.append(Step(last.line, last.col, f"`{var}` is reassigned while the child still runs"))
    return tuple(steps[:40])


def _pipe_steps(unread: Unread, call: ast.Call, var: str) -> tuple[Step, ...]:
    steps = [Step(call.lineno, call.col_offset, f"{_and(unread.streams)} {_is(unread.streams)} piped here")]
    for before, after in zip(unread.path, unread.path[1:]):
        kind = next((k for t, k in before.succ if t is after), "")
        if before.kind == "if" and kind in (TRUE, FALSE):
            steps.append(Step(before.line, before.col, f"the condition is {kind}"))
        elif before.kind in ("break", "continue"):
            steps.append(Step(before.line, before.col, f"`{before.kind}`"))
    steps.append(Step(unread.call.lineno, unread.call.col_offset, f"`{var}.wait()` blocks once a pipe is full"))
    return tuple(steps[:40])


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return func.id if isinstance(func, ast.Name) else "Popen"


def _and(items: Iterable[str]) -> str:
    words = list(items)
    return " and ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " and " + words[-1]


def _is(items: Iterable[str]) -> str:
    return "is" if len(list(items)) == 1 else "are"


def _pipes(items: Iterable[str]) -> str:
    return "a pipe" if len(list(items)) == 1 else "pipes"


FAMILY = Family(
    name="process",
    rules=(ProcessNotKilledOnTimeout, PipeDeadlock),
    check=check,
)
