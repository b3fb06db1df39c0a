"""What a resource finding says: the step that raises (AWS102), the step after which nothing releases
it (AWS101), the witness path, and the fix for the kind of resource."""
from __future__ import annotations

import ast
from typing import Iterable, Mapping

from awslint.analysis.cfg import EXC, FALSE, TRUE, Cfg, Node, safe_call
from awslint.analysis.nodes import breadth_first, children
from awslint.analysis.resource_flow import Effect, Leak, NodeEffect, reaching
from awslint.analysis.resource_sites import INSPECT
from awslint.data.resources import (
    BORROWER_METHODS,
    BORROWERS,
    HELD_CONTAINER_METHODS,
    POSITION_METHODS,
    QUEUEING_METHODS,
    WRAPPING_BORROWERS,
    Factory,
)
from awslint.finding import Step

_FIX = "use `with` or close it in `finally`"
# Code that does not run where it is written: a call inside is not the step that raises.
_OWN_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def call_name(call: ast.Call) -> str:
    func = call.func
    try:
        text = ast.unparse(func)
    except Exception:  # pragma: no cover - unparse handles every expression ast.parse produces
        text = ""
    if not text or len(text) > 40:
        text = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "call"
    return text

def root_name(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def fix_text(factory: Factory, var: str, fallback: str | None = None) -> str:
    """The fix for the kind of resource: a process is released by waiting for it, not by a close; a
    file that stands in for a standard stream (`fallback`) is closed only when it is not that stream,
    since `with` would close the stream too."""
    if fallback is not None:
        return f"close it in `finally` when `{var} is not {fallback}`"
    if factory.kind == "process":
        return f"use `with {factory.short}(...)` or call `{var}.communicate()` (or `{var}.wait()`) in `finally`"
    return _FIX


def _raising_call(node: Node, var: str) -> ast.Call | None:
    """The call to name when `node` raises: one that touches the resource, else the first one."""
    calls: list[ast.Call] = []
    # Breadth first, as `ast.walk` goes, so that "the first one" is the outermost call.
    order: list[ast.AST] = list(node.parts)
    at = 0
    while at < len(order):
        sub = order[at]
        at += 1
        if isinstance(sub, _OWN_SCOPES):
            continue
        if isinstance(sub, ast.Call) and not safe_call(sub.func):
            calls.append(sub)
        order.extend(children(sub))
    for call in calls:
        if _inspects(call, var):
            continue  # `s.getsockname()` only asks: a call around it is the step that fails
        touched = [call.func, *call.args, *(k.value for k in call.keywords)]
        if any(isinstance(t, ast.Name) and t.id == var for t in touched) or root_name(call.func) == var:
            return call
    return calls[0] if calls else None


def _without_io(call: ast.Call, var: str) -> bool:
    """`csv.writer(fh)`, `fh.seek(0)`, `len(fh)`, `pool.apply_async(...)`, `s.headers.update(...)`: a
    call on or around the resource that does no I/O."""
    func = call.func
    if isinstance(func, ast.Attribute) and root_name(func.value) == var:
        if func.attr in POSITION_METHODS:
            return True
        if func.attr in QUEUEING_METHODS and isinstance(func.value, ast.Name):
            return True
        if func.attr in HELD_CONTAINER_METHODS and isinstance(func.value, ast.Attribute):
            return True
    name = func.id if isinstance(func, ast.Name) else (
        f"{func.value.id}.{func.attr}" if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else "")
    return name in WRAPPING_BORROWERS


def _inspects(call: ast.Call, var: str) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in INSPECT and isinstance(func.value, ast.Name) and (
        func.value.id == var
    )


def plausibility(node: Node, var: str) -> int:
    """How convincing `node` is as the raising step of an exceptional path (lower is better): an
    operation on the resource itself first, then a call it is passed to, then an explicit `raise`, then
    the rest; last a step that does no I/O (`csv.writer(fh)`, `fh.seek(0)`), which fails only on a
    programming error."""
    if node.kind == "for" and _mentions(node.parts[:1], var):
        iterated = node.parts[0]
        # `for name in zf.namelist()`: the directory is at hand; reading the members is what fails
        return 4 if isinstance(iterated, ast.Call) and _without_io(iterated, var) else 0
    if node.kind == "for" and isinstance(node.parts[0], (ast.Name, ast.Attribute)):
        return 4  # `for row in rows`: iterating a value already at hand seldom fails
    call = _raising_call(node, var)
    if call is not None and _without_io(call, var):
        return 4
    if call is not None and (root_name(call.func) == var or _borrows(call, var)):
        return 0
    if call is not None and _touches(call, var):
        return 1
    if node.kind in ("raise", "assert"):
        return 2
    return 3


def _borrows(call: ast.Call, var: str) -> bool:
    """`json.dump(data, out)`, `zip(range(n), fh)`: a known borrower reading or writing the resource."""
    func = call.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    dotted = f"{func.value.id}.{last}" if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else last
    return (dotted in BORROWERS or last in BORROWER_METHODS) and any(
        isinstance(a, ast.Name) and a.id == var for a in (*call.args, *(k.value for k in call.keywords))
    )


def _loop_reads(iterated: ast.AST, var: str) -> bool:
    """Whether a loop over `iterated` reads the resource: the resource itself or one of its streams
    (`for line in proc.stdout`), or a reader handed the whole resource (`csv.DictReader(fh)`); not a
    call given only a value of it (`for name in os.listdir(tmp.name)`), which is named instead."""
    if isinstance(iterated, (ast.Name, ast.Attribute)):
        return root_name(iterated) == var
    return isinstance(iterated, ast.Call) and any(
        isinstance(a, ast.Name) and a.id == var for a in (*iterated.args, *(k.value for k in iterated.keywords)))


def _mentions(parts: Iterable[ast.AST], var: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == var for part in parts for n in breadth_first(part))


def _touches(call: ast.Call, var: str) -> bool:
    values = [*call.args, *(k.value for k in call.keywords)]
    return any(root_name(v) == var if isinstance(v, (ast.Name, ast.Attribute)) else False for v in values)


def describe_event(leak: Leak, var: str, context_manager: bool = False) -> str:
    node = leak.first_exception()
    if node is None:
        return f"an exception is raised (line {leak.last.line})"
    if node.kind == "raise":
        return f"the `raise` at line {node.line} runs"
    if node.kind == "assert":
        return f"the `assert` at line {node.line} fails"
    if node.kind == "reraise":
        return f"an exception propagates from line {node.line}"
    if node.kind == "for" and _loop_reads(node.parts[0], var):
        return f"reading `{_read_name(node.parts[0], var)}` raises at line {node.line}"
    call = _raising_call(node, var)
    if call is not None and isinstance(call.func, ast.Name) and call.func.id in _CONSUMERS and _borrows(call, var):
        return f"reading `{var}` raises at line {call.lineno}"
    if call is not None and (root_name(call.func) == var or _touches(call, var)):
        return f"`{call_name(call)}()` raises at line {call.lineno}"
    if _iterates(node, var):
        return f"reading `{var}` raises at line {node.line}"
    if call is not None:
        return f"`{call_name(call)}()` raises at line {call.lineno}"
    if node.kind == "for":
        return f"the iteration at line {node.line} raises"
    if any(isinstance(p, ast.Await) for part in node.parts for p in breadth_first(part)):
        return f"the `await` at line {node.line} raises"
    if context_manager and any(isinstance(p, ast.Yield) for part in node.parts for p in breadth_first(part)):
        return f"the `with` block it serves raises at the `yield` at line {node.line}"
    subscript = next(
        (p for part in node.parts for p in breadth_first(part) if isinstance(p, ast.Subscript)), None
    )
    if subscript is not None:
        text = ast.unparse(subscript)
        if len(text) <= 40:
            return f"`{text}` raises at line {subscript.lineno}"
    return f"line {node.line} raises"


# Builtins that consume the iterable they are given: a failure there is reading the resource.
_CONSUMERS = frozenset({"zip", "list", "tuple", "set", "sorted", "sum", "enumerate", "map", "filter", "any", "all",
                        "next", "iter", "min", "max", "frozenset", "reversed"})


def _read_name(iterated: ast.AST, var: str) -> str:
    """What a loop reads: `proc.stdout` for `for line in proc.stdout:`, else the resource's name."""
    if isinstance(iterated, ast.Attribute) and root_name(iterated) == var:
        text = ast.unparse(iterated)
        if len(text) <= 40:
            return text
    return var


def _iterates(node: Node, var: str) -> bool:
    """Whether the node iterates the resource (`[l for l in f]`, `list(f)`)."""
    for part in node.parts:
        for sub in breadth_first(part):
            if isinstance(sub, ast.comprehension) and isinstance(sub.iter, ast.Name) and sub.iter.id == var:
                return True
    return False


def describe_where(leak: Leak, call: ast.Call, cfg: Cfg, effects: Mapping[Node, NodeEffect], var: str = "") -> str:
    """The step that makes the path leak: the jump or branch after which no release is reachable."""
    last = leak.last
    if leak.how == "rebind" and isinstance(last.stmt, ast.Delete):
        return f"before `del` drops it at line {last.line}"
    if leak.how == "rebind":
        stored = sorted({
            n.id for part in last.parts for n in breadth_first(part)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        })
        if stored and var not in stored:  # an alias that kept it (`current = f`) takes another value
            return f"before `{stored[0]}`, which still holds it, is reassigned at line {last.line}"
        return f"before it is reassigned at line {last.line}"
    if leak.how == "reacquire":
        jump = next((n for n, _ in reversed(leak.path) if n.kind == "continue"), None)
        if jump is not None:
            return f"on the path through the `continue` at line {jump.line}, before line {call.lineno} opens another one"
        return f"before line {call.lineno} opens another one in the next iteration"
    path = leak.path
    closing = reaching(cfg, effects, Effect.HANDOVER)  # a release or a hand-over is still ahead
    turn = next(
        (i for i in range(len(path) - 1) if path[i][0] in closing and path[i + 1][0] not in closing), None
    )
    if turn is not None:
        # a `continue` or `break` that jumped over the release before the path gave up on it
        skipped = next((n for n, _ in reversed(path[1:turn]) if n.kind in ("break", "continue")), None)
        if skipped is not None and path[turn][0].kind in ("for", "while"):
            return f"on the path through the `{skipped.kind}` at line {skipped.line}"
        for node, _ in path[turn:]:
            if node.kind in ("return", "break", "continue"):
                return f"on the path through the `{node.kind}` at line {node.line}"
        node, kind = path[turn][0], path[turn + 1][1]
        if node.kind == "if" and kind in (TRUE, FALSE):
            return f"when the condition at line {node.line} is {kind}"
        if node.kind in ("for", "while") and kind == FALSE:
            return f"when the loop at line {node.line} ends"
    returns = [node for node, _ in path if node.kind == "return"]
    if returns:
        return f"on the path through the `return` at line {returns[-1].line}"
    if len(path) > 1:
        node, kind = path[-2][0], path[-1][1]
        if node.kind in ("for", "while") and kind == FALSE:
            return f"when the loop at line {node.line} ends"
        if node.kind == "if" and kind in (TRUE, FALSE):
            return f"when the condition at line {node.line} is {kind}"
    return f"when the function ends at line {fall_off_line(leak, cfg)}"


def fall_off_line(leak: Leak, cfg: Cfg) -> int:
    """Where a path that runs off the end of the function leaves it: its last statement, not the
    function's last line (which may be a `raise` on another branch)."""
    last = next((node for node, _ in reversed(leak.path[:-1]) if node.line), None)
    if last is None:
        return cfg.exit.line
    # The search crosses a straight stretch of statements in one step, so the path may name its first
    # statement only: the function runs on through that stretch, one successor at a time, to its end.
    seen = {last.id}
    while True:
        following = [node for node, kind in last.succ if kind != EXC]
        if len(following) != 1 or following[0] is cfg.exit or following[0].id in seen or not following[0].line:
            return last.line
        last = following[0]
        seen.add(last.id)


def witness_steps(leak: Leak, var: str, call: ast.Call, cfg: Cfg) -> tuple[Step, ...]:
    steps = [Step(call.lineno, call.col_offset, f"`{var}` is opened here")]
    path = leak.path
    # a path that leaves through a `return` ends there, not at the function's last line
    exit_at = next((n for n, _ in reversed(path) if n.kind == "return"), None) if leak.how == "exit" else None
    for (node, _), (_, kind) in zip(path[1:], path[2:]):
        note = None
        if node is exit_at:
            continue
        if kind == EXC:
            note = "an exception is raised here"
        elif node.kind == "if" and kind in (TRUE, FALSE):
            note = f"the condition is {kind}"
        elif node.kind in ("for", "while") and kind == FALSE:
            note = "the loop ends"
        elif node.kind in ("for", "while") and kind == TRUE:
            note = "the loop runs its body"
        elif node.kind == "case":
            note = "this case matches" if kind == TRUE else "this case does not match"
        elif node.kind in ("return", "break", "continue"):
            note = f"`{node.kind}`"
        elif node.kind == "except":
            note = "the exception is handled here"
        if note:
            steps.append(Step(node.line, node.col, note))
    last = leak.last
    if leak.how == "exit" and exit_at is not None:
        steps.append(Step(exit_at.line, exit_at.col, f"the function returns here with `{var}` still open"))
    elif leak.how == "exit":
        steps.append(Step(fall_off_line(leak, cfg), 0, f"the function returns with `{var}` still open"))
    elif leak.how == "raise-exit":
        steps.append(Step(cfg.raise_exit.line, 0, f"the exception leaves the function with `{var}` still open"))
    elif leak.how == "rebind" and isinstance(last.stmt, ast.Delete):
        steps.append(Step(last.line, last.col, f"`{var}` is deleted while still open"))
    elif leak.how == "rebind":
        steps.append(Step(last.line, last.col, f"`{var}` is reassigned while still open"))
    else:
        steps.append(Step(last.line, last.col, "another one is opened while the previous one is still open"))
    return tuple(steps[:40])
