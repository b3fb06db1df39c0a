"""Where each factory call's resource goes, and for one bound to a local name, the search of its paths.

A call is recognised from the index's calls by its last name, then classified where it stands (`_site`):
used inline (AWS103), a `with` item (AWS104 when the `with` does not close it), handed over or released
at once (silent), or bound to a name, whose ownership is followed along the function's control-flow
graph (`awslint/analysis/resource_flow.py`).
"""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence

from awslint.analysis.cfg import Cfg, Node, can_raise
from awslint.analysis.index import FunctionNode
from awslint.analysis.names import Names
from awslint.analysis.nodes import top_statement
from awslint.analysis.resource_aliases import local_aliases, with_aliases
from awslint.analysis.resource_lenders import Lenders
from awslint.analysis.resource_flow import Branches, Chains, Effect, Flags, NodeEffect, fact_key, flag_names, follow
from awslint.analysis.resource_receivers import ClassOf, Receivers
from awslint.analysis.resource_sites import (
    INSPECT,
    Catalogue,
    FileFacts,
    FunctionFacts,
    cleanup_steps,
    effects_of,
    file_facts,
    is_context_manager,
    pipe_steps,
    yield_steps,
)
from awslint.context import Context
from awslint.data.processes import MOCKING
from awslint.data.resources import (
    ALWAYS_RELEASES,
    BORROWER_METHODS,
    BORROWERS,
    FACTORY_BY_NAME,
    FINALISED_FOR_NAME,
    KEEPING_CALLS,
    STANDARD_STREAMS,
    STORING_METHODS,
    Factory,
)
from awslint.finding import Finding, Step
from awslint.rules.resources.messages import (
    call_name,
    describe_event,
    describe_where,
    fix_text,
    plausibility,
    root_name,
    witness_steps,
)
from awslint.rules.resources.rules import (
    ConnectionNotClosedByWith,
    ResourceLeakOnException,
    ResourceNotBound,
    ResourceNotClosed,
)

FAMILY_NAME = "resources"

# Where a factory's result goes (`_site`): used inline (AWS103), bound to a name (followed), a `with`
# item, handed to an owner, or released on the spot (`open(p, "a").close()`).
SiteKind = Literal["inline", "bound", "with", "handed", "released"]


def check(ctx: Context) -> Iterable[Finding]:
    catalogue = _catalogue(ctx.option("resource-factories"), ctx.option("release-functions"))
    facts = _Facts(Receivers(ctx.model, ctx.names) if catalogue.asks_receivers else None, file_facts(ctx))
    lenders = Lenders(ctx.tree, ctx.index, ctx.names, facts.shared, catalogue)
    # the calls whose callee's last name could be a factory's: a look-up per name, not a pass over the calls
    for call, func in ctx.index.calls_named(catalogue.callee_names(ctx.names)):
        func_expr = call.func
        factory = catalogue.factory(call, ctx.names, frozenset(), facts.class_of(func))
        if func is not None and (factory is None or factory.wraps or factory.name == "mmap.mmap"):
            # over an in-memory buffer: a write-mode archive (its normal paths matter), or nothing
            memory = _memory_archive(call, func, facts, catalogue, ctx, over_object=factory is None)
            if memory is not None:
                factory = memory if memory.in_memory else None
        if factory is None:
            continue
        if (factory.with_closes or factory.in_memory) and call in facts.with_items(ctx):
            continue  # `with open(p) as f:` closes it: decided without looking for the call's parents
        top = func if func is not None else top_statement(ctx.tree, call)
        parents = _ancestors(top, call) if top is not None else None
        if parents is None or _expected_to_raise(call, parents):
            continue
        kind, detail = _site(call, factory, parents, ctx, catalogue)
        if kind == "inline" and (not ctx.enabled("AWS103") or _probes_for_failure(
                call, parents, lambda: ctx.testcode.in_test(call))):
            continue
        if kind == "inline" and factory.any_receiver and isinstance(parents.get(call), ast.Expr):
            # `.connect` names a method of any receiver: a discarded `sock.connect(addr)` is another
            # class's method of that name, which returns nothing
            continue
        if kind in ("handed", "released") or (kind == "with" and factory.with_closes):
            continue  # the common case, decided without looking at the rest of the function
        if factory.in_memory and kind != "bound" and kind != "inline":
            continue  # an archive over a buffer in a `with`: its exit writes the end
        info: FunctionFacts | None = None
        if func is not None:
            info = facts.of(func)
            root = root_name(func_expr)
            if (
                root is not None
                and root in info.shadowed
                and ctx.names.resolve(func_expr) is not None
                and not _imported_then_bound(info, root, catalogue, ctx)
            ):
                continue  # the function rebinds the name it calls
        yield from _check_site(ctx, catalogue, lenders, call, factory, info, kind, detail)


class _Facts:
    """`FunctionFacts` of the functions that acquire something, built once each."""

    def __init__(self, receivers: Receivers | None, shared: FileFacts) -> None:
        self.receivers = receivers
        self.shared = shared
        self.built: dict[FunctionNode, FunctionFacts] = {}
        self._memory_users: frozenset[FunctionNode | None] | None = None
        self._with_items: frozenset[ast.AST] | None = None

    def with_items(self, ctx: Context) -> frozenset[ast.AST]:
        """The expressions the module's `with` statements enter (`open(p)` of `with open(p) as f:`)."""
        if self._with_items is None:
            self._with_items = frozenset(
                item.context_expr
                for stmt, _ in ctx.index.of_type(ast.With, ast.AsyncWith)
                for item in stmt.items  # type: ignore[attr-defined]
            )
        return self._with_items

    def memory_users(self, ctx: Context, catalogue: Catalogue) -> frozenset[FunctionNode | None]:
        """The functions that call `io.BytesIO(...)` or `io.StringIO(...)` themselves."""
        if self._memory_users is None:
            wanted = catalogue.memory_callee_names(ctx.names)
            self._memory_users = frozenset(func for _, func in ctx.index.calls_named(wanted))
        return self._memory_users

    def of(self, func: FunctionNode) -> FunctionFacts:
        info = self.built.get(func)
        if info is None:
            # shared with the process rules, which may have built them first; the receivers' classes
            # are this family's own (the user's `Class.method` entries)
            info = self.built[func] = self.shared.of(func)
            info.class_of = self.class_of(func)
        return info

    def class_of(self, func: FunctionNode | None) -> ClassOf | None:
        return self.receivers.class_of(func) if self.receivers is not None else None


@lru_cache(maxsize=16)
def _catalogue(factories: tuple[str, ...], releasers: tuple[str, ...]) -> Catalogue:
    return Catalogue(factories, releasers)


def _ancestors(top: ast.AST, target: ast.AST) -> dict[ast.AST, ast.AST] | None:
    """The parent of each node from `target` up to `top`, found by descending through the nodes whose
    source span holds `target` (cheaper than a parent map of the whole function)."""
    line = getattr(target, "lineno", None)
    if line is None:
        return None
    start = (line, target.col_offset)  # type: ignore[attr-defined]
    end = (target.end_lineno or line, target.end_col_offset or 0)  # type: ignore[attr-defined]
    parents: dict[ast.AST, ast.AST] = {}
    node = top
    for _ in range(10_000):
        if node is target:
            return parents
        found = _child_holding(node, target, start, end, parents)
        if found is None:
            return None
        node = found
    return None


def _child_holding(
    node: ast.AST, target: ast.AST, start: tuple[int, int], end: tuple[int, int], parents: dict[ast.AST, ast.AST]
) -> ast.AST | None:
    """The child of `node` (through position-less nodes such as `withitem` or `keyword`) whose span holds
    the target; the parent links that lead to it are added to `parents`. Children are looked at in
    field order; in a long statement or expression list only the last one starting at or before the
    target is (found by bisection, so that finding the parents of every call in a function of
    thousands of statements stays linear overall)."""
    stack: list[ast.AST] = [node]
    links: dict[ast.AST, ast.AST] = {}  # a position-less node's parent, while the search is in it
    node_type, list_type = ast.AST, list
    children: Sequence[Any]
    while stack:
        current = stack.pop()
        kind = current.__class__
        fields = _CALL_FIELDS.get(kind)
        if fields is None:
            fields = _CALL_FIELDS[kind] = tuple(f for f in kind._fields if f not in _NO_CALL_FIELDS)
        for name in fields:
            value: Any = getattr(current, name, None)
            if value.__class__ is list_type:
                if len(value) > 16 and all(isinstance(v, (ast.stmt, ast.expr)) for v in (value[0], value[-1])):
                    lo, hi = 0, len(value) - 1
                    while lo < hi:
                        mid = (lo + hi + 1) // 2
                        if (value[mid].lineno, value[mid].col_offset) <= start:
                            lo = mid
                        else:
                            hi = mid - 1
                    children = (value[lo],)
                else:
                    children = value
            elif value is None:
                continue
            else:
                children = (value,)
            for child in children:
                if child is not target:
                    line = getattr(child, "lineno", None)
                    if line is None:
                        if isinstance(child, node_type):
                            links[child] = current
                            stack.append(child)
                        continue
                    if not (
                        (line, child.col_offset) <= start
                        and end <= (child.end_lineno or line, child.end_col_offset or 0)
                    ):
                        continue
                parents[child] = current
                while current is not node:
                    parents[current] = links[current]
                    current = links[current]
                return child  # type: ignore[no-any-return]
    return None


# Fields that never hold a node a call can sit in.
_NO_CALL_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "module", "level", "kind", "type_comment", "conversion",
    "is_async", "simple", "asname", "lineno", "tag", "name", "names", "rest",
})
_CALL_FIELDS: dict[type, tuple[str, ...]] = {}


def _inline_fix(factory: Factory, how: str | None) -> str:
    """What to do instead of the inline use. A piped process started and dropped (a server left to
    run) is not one a `with` should wait for: what it lacks is a reader for its pipes."""
    if factory.kind == "process" and how == "is discarded":
        return (
            "nobody reads its pipes: send the output it does not need to `subprocess.DEVNULL`, or keep "
            "the process and `communicate()` with it"
        )
    return "open it in a `with` statement"


def _check_site(
    ctx: Context,
    catalogue: Catalogue,
    lenders: Lenders,
    call: ast.Call,
    factory: Factory,
    info: FunctionFacts | None,
    kind: SiteKind,
    detail: str | None,
) -> Iterator[Finding]:
    if kind == "inline" and ctx.enabled("AWS103"):
        name = call_name(call)
        yield ResourceNotBound.at(
            call,
            path=(Step(call.lineno, call.col_offset, f"`{name}(...)` {detail} and never closed"),),
            call=name,
            line=call.lineno,
            how=detail,
            fix=_inline_fix(factory, detail),
        )
        return
    if info is None or isinstance(info.func, ast.Lambda):
        return  # module-level resources live as long as the program
    if kind == "with" and not factory.with_closes and ctx.enabled("AWS104"):
        if detail and _released_or_handed(info, detail, factory, catalogue, ctx):
            # closed after its `with` (which only ends the transaction): followed like any bound name
            yield from _follow_bound(ctx, catalogue, lenders, call, factory, info, detail)
            return
        var = f"`{detail}`" if detail else "the connection"
        yield ConnectionNotClosedByWith.at(
            call,
            path=(Step(call.lineno, call.col_offset, "the `with` block ends the transaction, not the connection"),),
            var=var,
            call=factory.name,
            line=call.lineno,
            name=detail or "conn",
        )
        return
    if kind == "bound" and detail:
        yield from _follow_bound(ctx, catalogue, lenders, call, factory, info, detail)


def _follow_bound(
    ctx: Context,
    catalogue: Catalogue,
    lenders: Lenders,
    call: ast.Call,
    factory: Factory,
    info: FunctionFacts,
    var: str,
) -> Iterator[Finding]:
    if var not in info.shadowed or var in info.nested_names:
        return  # a global, or captured by a nested function: the resource outlives the call
    followed = info.memo.get(("followed", var))
    if not isinstance(followed, bool):
        followed = info.memo[("followed", var)] = _single_identity(
            info, var, catalogue, ctx
        ) and not _derived_value_captured(info, var)
    if not followed:
        return
    cfg = info.cfg
    if cfg is None:
        if info.skipped and not info.memo.get("reported-skip"):
            info.memo["reported-skip"] = True
            ctx.skipped(info.func, FAMILY_NAME, f"{_function_name(info.func)} is not analysed: {info.skipped}")
        return
    starts = _nodes_holding(cfg, call, info)
    if not starts:
        return
    lends = lenders.lends(info.func, factory)
    usage = effects_of(info, var, factory, catalogue, ctx.names, lends)
    found_aliases = info.memo.get(("aliases", var))
    if not isinstance(found_aliases, tuple):
        found_aliases = info.memo[("aliases", var)] = local_aliases(info, var)
    aliases, statements = found_aliases
    aliasing = None
    if aliases:
        usage, aliasing = with_aliases(
            usage, aliases, statements, lambda name: effects_of(info, name, factory, catalogue, ctx.names, lends)
        )
    outcome = follow(
        cfg,
        starts,
        usage.effects,
        _flags(info, cfg, var),
        rank=lambda node: plausibility(node, var),
        branches=_branches(info, cfg),
        start_facts=_enclosing_tests(call, info, ctx.names),
        raising_start=_later_items_raise(call, info),
        aliases=aliasing,
        quiet=(pipe_steps(info, var, starts, lambda c: lenders.raises(info.func, c)) if factory.kind == "process" else frozenset())
        | cleanup_steps(info, usage.effects) | yield_steps(info, ctx.names),
        chains=_chains(info, cfg),
    )
    if outcome.skipped:
        ctx.skipped(
            call,
            FAMILY_NAME,
            f"`{var}` opened at line {call.lineno} in {_function_name(info.func)} is not followed: "
            f"{outcome.skipped}",
        )
    if outcome.normal_leak is not None:
        leak = outcome.normal_leak
        if usage.in_with and leak.how in ("exit", "raise-exit") and ctx.enabled("AWS104"):
            yield ConnectionNotClosedByWith.at(
                call,
                path=witness_steps(leak, var, call, cfg),
                var=f"`{var}`",
                call=factory.name,
                line=call.lineno,
                name=var,
            )
        elif ctx.enabled("AWS101"):
            yield ResourceNotClosed.at(
                call,
                path=witness_steps(leak, var, call, cfg),
                var=var,
                line=call.lineno,
                where=describe_where(leak, call, cfg, aliasing.effects if aliasing else usage.effects, var),
                fix=(_uncalled_release(info, var, factory) or fix_text(factory, var, _fallback_stream(call, info, ctx.names)))
                + _kept_file(call, factory, info, var),
            )
    elif outcome.exception_leak is not None and ctx.enabled("AWS102") and not factory.in_memory:
        leak = outcome.exception_leak
        yield ResourceLeakOnException.at(
            call,
            path=witness_steps(leak, var, call, cfg),
            var=var,
            line=call.lineno,
            event=describe_event(leak, var, is_context_manager(info.func, ctx.names)),
            fix=(_handed_on_fix(info, usage.effects, factory, var, ctx.names)
                 or fix_text(factory, var, _fallback_stream(call, info, ctx.names))) + _kept_file(call, factory, info, var),
        )


def _handed_on_fix(info: FunctionFacts, effects: Mapping[Node, NodeEffect], factory: Factory, var: str,
                   names: Names) -> str | None:
    """The fix when the function returns or stores the resource once all went well (`self.process =
    proc`, `return fh`): `with` or `finally` would release what it hands on, so the release belongs in
    a handler that re-raises. A `@contextmanager` generator's `yield` is not such a hand-over: its
    `finally` runs when the caller's block ends."""
    if is_context_manager(info.func, names):
        return None
    if not any(e.effect == Effect.HANDOVER for e in effects.values()):
        return None
    if factory.kind == "process":
        return f"call `{var}.kill()` and `{var}.wait()` in an `except` handler that re-raises, since `{var}` is handed on when all goes well"
    return f"close it in an `except` handler that re-raises, since `{var}` is handed on when all goes well"


def _uncalled_release(info: FunctionFacts, var: str, factory: Factory) -> str | None:
    """The fix when the function names a release method on a line of its own without calling it
    (`f.close`): the call it meant to write."""
    for attr, line in _named_methods(info).get(var, ()):
        if attr in ALWAYS_RELEASES or attr in factory.releases:
            return f"`{var}.{attr}` at line {line} names the method but never calls it: write `{var}.{attr}()`"
    return None


def _named_methods(info: FunctionFacts) -> dict[str, list[tuple[str, int]]]:
    """The statements of the function that only name an attribute of a name (`f.close`), by the name,
    in source order: gathered once per function, however many resources ask."""
    memo = info.memo.get("named_methods")
    if isinstance(memo, dict):
        return memo
    found: dict[str, list[tuple[str, int]]] = {}
    for node in info.parents:
        if isinstance(node, ast.Expr):
            value = node.value
            if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
                found.setdefault(value.value.id, []).append((value.attr, node.lineno))
    for entries in found.values():
        entries.sort(key=lambda entry: entry[1])
    info.memo["named_methods"] = found
    return found


def _chains(info: FunctionFacts, cfg: Cfg) -> Chains:
    found = info.memo.get("chains")
    if not isinstance(found, Chains):
        found = info.memo["chains"] = Chains(cfg)
    return found


def _branches(info: FunctionFacts, cfg: Cfg) -> Branches:
    found = info.memo.get("branches")
    if not isinstance(found, Branches):
        found = info.memo["branches"] = Branches(cfg, info.stored_names)
    return found


def _flags(info: FunctionFacts, cfg: Cfg, var: str) -> Flags | None:
    """The constant flags the function tests (`acquired = False` … `if not acquired:`), but `var`."""
    every = info.memo.get("flag-names")
    if not isinstance(every, frozenset):
        every = info.memo["flag-names"] = flag_names(cfg, "")
    names = frozenset(every - {var})
    if not names:
        return None
    found = info.memo.get(("flags", names))
    if not isinstance(found, Flags):
        found = info.memo[("flags", names)] = Flags(cfg, names, info.stored_names)
    return found


def _function_name(func: FunctionNode) -> str:
    return f"`{func.name}()`" if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) else "a lambda"


_RAISES = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "raises"})


def _expected_to_raise(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside `with self.assertRaises(...)` or `pytest.raises(...)` the acquisition is meant to fail;
    inside `with mock.patch(...)` (or a helper named for mocking) what it calls is replaced."""
    node: ast.AST | None = parents.get(call)
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and isinstance(expr.func, (ast.Attribute, ast.Name)):
                    name = expr.func.attr if isinstance(expr.func, ast.Attribute) else expr.func.id
                    if name in _RAISES:
                        return True
                    if name in MOCKING or "mock" in name.lower():
                        return True  # `with self.mocked_socket_module():`: the factory is replaced
        node = parents.get(node)
    return False


def _enclosing_tests(call: ast.Call, info: FunctionFacts, names: Names) -> tuple[tuple[str, object], ...]:
    """The pure `if` tests decided on the way to the acquisition: `if use_file: f = open(p)`."""
    facts: dict[str, object] = {}
    child: ast.AST = call
    parent = info.parents.get(child)
    while parent is not None and parent is not info.func:
        if isinstance(parent, ast.If) and child is not parent.test:
            key = fact_key(parent.test)
            if key is not None:
                facts.setdefault(key, child in parent.body)
        elif isinstance(parent, ast.IfExp) and child is not parent.test and _none_or_factory(parent, child, names):
            key = fact_key(parent.test)
            if key is not None:
                facts.setdefault(key, child is parent.body)
        child, parent = parent, info.parents.get(parent)
    return tuple(sorted(facts.items()))


def _probes_for_failure(call: ast.Call, parents: dict[ast.AST, ast.AST], in_test: Callable[[], bool]) -> bool:
    """`try: open(path)` / `except FileNotFoundError: pass` / `else: self.fail(...)`: a discarded call
    whose failure is what the code wants — in test code, or where its success path fails. A probe in
    product code that may succeed (`try: create_connection(addr)` / `except OSError: return False` /
    `return True`) drops an open socket: AWS103 like any other discarded call."""
    statement = parents.get(call)
    holder = parents.get(statement) if isinstance(statement, ast.Expr) else None
    if not (isinstance(holder, ast.Try) and holder.handlers and statement in holder.body):
        return False
    if in_test():
        return True
    after = holder.body[holder.body.index(statement) + 1:]
    return any(_fails(stmt) for stmt in after) or any(_fails(stmt) for stmt in holder.orelse)


def _fails(stmt: ast.stmt) -> bool:
    """`raise ...`, `self.fail(...)`, `pytest.fail(...)`, `assert False`: the path ends in failure."""
    if isinstance(stmt, ast.Raise):
        return True
    if isinstance(stmt, ast.Assert):
        return isinstance(stmt.test, ast.Constant) and not stmt.test.value
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        return (func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "") == "fail"
    return False


def _site(
    call: ast.Call, factory: Factory, parents: dict[ast.AST, ast.AST], ctx: Context, catalogue: Catalogue
) -> tuple[SiteKind, str | None]:
    """Where the factory's result goes: `inline` (with how), `bound` (to a name), `with`, or `handed`."""
    node: ast.AST = call
    parent = parents.get(node)
    if isinstance(parent, ast.Await):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        grand = parents.get(parent)
        if isinstance(grand, ast.Call) and grand.func is parent:
            if parent.attr in ALWAYS_RELEASES or parent.attr in factory.releases:
                return "released", None
            return "inline", f"is used through `.{parent.attr}()`"
        if parent.attr == "name" and factory.name in FINALISED_FOR_NAME:
            # the object is finalised at once and deletes what it made: a dangling path, not a leak
            return "handed", None
        return "inline", f"is used through `.{parent.attr}`"
    if isinstance(parent, ast.Subscript) and parent.value is node:
        # `shelve.open(p)[key]`, `h5py.File(p)["data"]`, `dbm.open(p, "c")[k] = v`
        written = isinstance(parent.ctx, (ast.Store, ast.Del))
        return "inline", f"is {'written' if written else 'read'} through a subscript"
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
        return "inline", "is iterated by a `for` loop"
    if isinstance(parent, ast.comprehension) and parent.iter is node:
        return "inline", "is iterated by a comprehension"
    if isinstance(parent, ast.YieldFrom):
        # `yield from open(p)` hands the consumer the lines, not the file
        return "inline", "is iterated by `yield from`"
    if isinstance(parent, ast.Starred) and isinstance(parents.get(parent), (ast.Call, ast.List, ast.Tuple, ast.Set)):
        # `print(*open(p))`, `[*open(p)]`: unpacked at once, then dropped
        return "inline", "is unpacked with `*`"
    if isinstance(parent, ast.IfExp) and node is not parent.test and (
        _none_or_factory(parent, node, ctx.names) or _factory_either_way(parent, catalogue, ctx)
    ):
        # `fh = open(p) if p else None`: bound when the test holds (a fact the search starts with);
        # `f = gzip.open(p) if gz else open(p)`: a resource either way, followed once, from the first
        if node is parent.orelse and isinstance(parent.body, ast.Call):
            return "handed", None
        node, parent = parent, parents.get(parent)
        if not isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            return "handed", None
    in_display = _display_argument(node, parents)
    if in_display is not None:
        return "inline", f"is passed inside a display to `{call_name(in_display)}()`"
    if isinstance(parent, ast.keyword):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Call) and parent.func is not node:
        callee = ctx.names.resolve(parent.func)
        if callee in BORROWERS:
            return "inline", f"is passed to `{callee}()`"
        if isinstance(parent.func, ast.Attribute) and parent.func.attr in BORROWER_METHODS:
            return "inline", f"is passed to `.{parent.func.attr}()`"
        return "handed", None
    if isinstance(parent, ast.Expr):
        return "inline", "is discarded"
    if isinstance(parent, (ast.Tuple, ast.List)):
        unpacked = _unpacked_target(parent, node, parents)
        if unpacked is not None:
            return "bound", unpacked
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return "bound", parent.targets[0].id
    if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
        return "bound", parent.target.id
    if isinstance(parent, ast.NamedExpr):
        holder = parents.get(parent)
        if isinstance(holder, ast.withitem) and holder.context_expr is parent:
            return "with", parent.target.id  # `with (sock := create_connection(a)):` closes it
        if isinstance(holder, (ast.Return, ast.Yield)):
            return "handed", None  # `return (fh := gzip.open(p))`
        return "bound", parent.target.id
    if isinstance(parent, ast.withitem) and parent.context_expr is node:
        target = parent.optional_vars
        if isinstance(target, (ast.Attribute, ast.Subscript)):
            # `with sqlite3.connect(p) as self.conn:` stores it in its owner, like `self.conn = ...`
            return "handed", None
        return "with", target.id if isinstance(target, ast.Name) else None
    return "handed", None


def _memory_archive(
    call: ast.Call, func: FunctionNode, facts: _Facts, catalogue: Catalogue, ctx: Context, over_object: bool = False
) -> Factory | None:
    """For a call over an in-memory buffer (`ZipFile(io.BytesIO(), "w")`, or over a local name the
    function binds only to `io.BytesIO()`; an anonymous `mmap.mmap(-1, n)`): the factory of a write-mode
    archive, marked `in_memory`, or the read-only one unmarked (no resource); None when the call is
    not over memory. With `over_object` (the catalogue took the call for a wrapper of an object it was
    given, not an opener of a path), a write-mode archive over any object is marked `in_memory` too."""
    resolved = ctx.names.resolve(call.func)
    if resolved not in catalogue.factories:
        return None  # neither mmap nor a wrapping factory (both are in the catalogue)
    if resolved == "mmap.mmap":
        first = call.args[0] if call.args else None
        anonymous = (
            isinstance(first, ast.UnaryOp) and isinstance(first.op, ast.USub)
            and isinstance(first.operand, ast.Constant) and first.operand.value == 1
        )
        return FACTORY_BY_NAME["mmap.mmap"] if anonymous else None
    wrapped = _wrapped(call)
    if wrapped is None:
        return None
    found = catalogue.memory_writer(call, ctx.names)
    factory = found[0] if found is not None else FACTORY_BY_NAME.get(resolved or "")
    if factory is None:
        return None
    if (found is not None and over_object) or catalogue.is_memory(wrapped, ctx.names):
        # a write-mode archive over an object it was given (`over_object`: the catalogue took the call
        # for a wrapper, not an opener of a path), a buffer or a file of the caller's: its `close()`
        # writes the end of the archive (the object's owner closes the object, not the archive)
        return factory
    if not isinstance(wrapped, ast.Name) or func not in facts.memory_users(ctx, catalogue):
        return None  # a name the function never binds to a buffer of its own making
    info = facts.of(func)
    stores = info.stores(wrapped.id)
    if not stores or wrapped.id not in info.shadowed:
        return None
    for store in stores:
        holder = info.parents.get(store)
        if not (isinstance(holder, ast.Assign) and catalogue.is_memory(holder.value, ctx.names)):
            return None
    return factory


def _wrapped(call: ast.Call) -> ast.expr | None:
    """The object a wrapper factory is given (`fileobj=`, else its first argument)."""
    for kw in call.keywords:
        if kw.arg == "fileobj":
            return kw.value
    return call.args[0] if call.args else None


def _imported_then_bound(info: FunctionFacts, root: str, catalogue: Catalogue, ctx: Context) -> bool:
    """`import socket` in the function, then `socket = socket.socket()`: the call still reaches the
    module, since the only other bindings of the name are to the resources it makes."""
    if root not in info.imported:
        return False
    for store in info.stores(root):
        holder = info.parents.get(store)
        if not (
            isinstance(holder, ast.Assign)
            and holder.targets == [store]
            and isinstance(holder.value, ast.Call)
            and root_name(holder.value.func) == root
            and catalogue.factory(holder.value, ctx.names, frozenset(), info.class_of) is not None
        ):
            return False
    return True


def _display_argument(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.Call | None:
    """The call whose argument is a display holding `node` (`requests.put(url, files={"f": open(p)})`):
    the display dies with the call, so nothing owns the resource after it. None when the callee may
    keep the display (a constructor, `append`, `submit`, a thread's `args=`)."""
    parent = parents.get(node)
    climbed = False
    while isinstance(parent, (ast.Dict, ast.List, ast.Tuple, ast.Set)) and not (
        isinstance(parent, ast.Dict) and node in parent.keys
    ):
        node, parent, climbed = parent, parents.get(parent), True
    if not climbed:
        return None
    keyword = isinstance(parent, ast.keyword)
    if isinstance(parent, ast.keyword):
        node, parent = parent, parents.get(parent)
    if not isinstance(parent, ast.Call) or parent.func is node:
        return None
    func = parent.func
    last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if not last or last[0].isupper() or last in KEEPING_CALLS:
        return None
    if last in STORING_METHODS and not (keyword and last in ("put", "post", "add", "insert", "push")):
        return None  # `items.append((open(p), n))` keeps it; `requests.put(url, files={...})` does not
    return parent


def _later_items_raise(call: ast.Call, info: FunctionFacts) -> bool:
    """`src, dst = open(a), open(b)`: whether an item after `call` in the same tuple can raise."""
    value = info.parents.get(call)
    if not isinstance(value, (ast.Tuple, ast.List)) or call not in value.elts:
        return False
    return can_raise(tuple(value.elts[value.elts.index(call) + 1:]))


def _factory_either_way(choice: ast.IfExp, catalogue: Catalogue, ctx: Context) -> bool:
    """Whether both branches of `choice` are factory calls (`gzip.open(p) if gz else open(p)`)."""
    return all(
        isinstance(branch, ast.Call) and catalogue.factory(branch, ctx.names, frozenset(), None) is not None
        for branch in (choice.body, choice.orelse)
    )


def _kept_file(call: ast.Call, factory: Factory, info: FunctionFacts, var: str) -> str:
    """`NamedTemporaryFile(delete=False)`: closing it leaves the file on disk, which the fix must say,
    and that it must be removed too, unless the function hands its path on (returns or stores it,
    gives it to a constructor): then the file is meant to outlive the call."""
    if factory.name != "tempfile.NamedTemporaryFile":
        return ""
    if not any(k.arg == "delete" and isinstance(k.value, ast.Constant) and k.value.value is False for k in call.keywords):
        return ""
    if any(_path_kept(occurrence, info.parents) for found in info.occurrences_of(var).values() for occurrence in found):
        return " (made with `delete=False`, the file stays after `close()` for whoever its path is handed to)"
    return " (made with `delete=False`, the file stays after `close()`: remove it too when done)"


def _path_kept(occurrence: ast.Name, parents: Mapping[ast.AST, ast.AST]) -> bool:
    """`tmp.name` returned, stored, or given to a constructor (`OCSF(file_path=tmp.name)`)."""
    attribute = parents.get(occurrence)
    if not (isinstance(attribute, ast.Attribute) and attribute.attr == "name"):
        return False
    holder = parents.get(attribute)
    if isinstance(holder, ast.keyword):
        holder = parents.get(holder)
    if isinstance(holder, (ast.Return, ast.Yield)):
        return True
    if isinstance(holder, (ast.Assign, ast.AnnAssign)):
        targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
        return any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets)
    if isinstance(holder, ast.Call) and holder.func is not attribute:
        func = holder.func
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return last[:1].isupper()
    return False


def _fallback_stream(call: ast.Call, info: FunctionFacts, names: Names) -> str | None:
    """The standard stream bound instead of the resource (`open(p) if p else sys.stdin`), as written."""
    choice = info.parents.get(call)
    if not isinstance(choice, ast.IfExp) or call is choice.test:
        return None
    other = choice.orelse if call is choice.body else choice.body
    return ast.unparse(other) if names.resolve(other) in STANDARD_STREAMS else None


def _none_or_factory(choice: ast.IfExp, taken: ast.AST, names: Names) -> bool:
    """Whether the other branch of `choice` holds nothing the function owns: None (`open(p) if p
    else None`) or a standard stream (`open(p) if p else sys.stdin`)."""
    other = choice.orelse if taken is choice.body else choice.body
    return (isinstance(other, ast.Constant) and other.value is None) or names.resolve(other) in STANDARD_STREAMS


def _unpacked_target(value: ast.Tuple | ast.List, item: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """`src, dst = open(a), open(b)`: the name the item at the same position is bound to."""
    holder = parents.get(value)
    if not (isinstance(holder, ast.Assign) and holder.value is value and len(holder.targets) == 1):
        return None
    target = holder.targets[0]
    if not isinstance(target, (ast.Tuple, ast.List)) or len(target.elts) != len(value.elts):
        return None
    if any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
        return None
    for element, bound in zip(value.elts, target.elts):
        if element is item:
            return bound.id if isinstance(bound, ast.Name) else None
    return None


def _released_or_handed(info: FunctionFacts, var: str, factory: Factory, catalogue: Catalogue, ctx: Context) -> bool:
    usage = effects_of(info, var, factory, catalogue, ctx.names)
    return any(e.effect >= Effect.HANDOVER for e in usage.effects.values())


def _single_identity(info: FunctionFacts, var: str, catalogue: Catalogue, ctx: Context) -> bool:
    """Whether every value assigned to `var` is a resource from a factory, or None.

    A name that holds either a file it opened or one it was given (`f = open(p) if … else
    sys.stdout`, `f = fileobj` on another branch) is closed or not according to flags the analysis
    does not follow; it is left alone.
    """
    for node in info.stores(var):
        parent = info.parents.get(node)
        if not isinstance(node.ctx, ast.Store):
            continue
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            value = parent.value
            if isinstance(value, ast.Await):
                value = value.value
            if value is None or (isinstance(value, ast.Constant) and value.value is None):
                continue
            if isinstance(value, ast.IfExp) and _factory_either_way(value, catalogue, ctx):
                continue
            if isinstance(value, ast.IfExp):
                value = next((b for b in (value.body, value.orelse) if _none_or_factory(value, b, ctx.names)), value)
            if isinstance(value, ast.Call) and (
                catalogue.factory(value, ctx.names, frozenset(), info.class_of) is not None
                or catalogue.memory_writer(value, ctx.names) is not None
            ):
                continue
            return False
    return True


def _derived_value_captured(info: FunctionFacts, var: str) -> bool:
    """Whether a nested function keeps using what the resource produced (`resp = conn.getresponse()`
    read by a generator the function returns): the resource lives on with it, owned by that closure."""
    for node in info.by_name.get(var, ()):
        parent = info.parents.get(node)
        if not isinstance(parent, ast.Attribute):
            continue
        if parent.attr in INSPECT:
            continue  # a name or an address, not something that uses the resource
        call = info.parents.get(parent)
        holder = info.parents.get(call) if isinstance(call, ast.Call) and call.func is parent else None
        if (
            isinstance(holder, ast.Assign)
            and len(holder.targets) == 1
            and isinstance(holder.targets[0], ast.Name)
            and holder.targets[0].id in info.nested_names
        ):
            return True
    return False


def _nodes_holding(cfg: Cfg, call: ast.Call, info: FunctionFacts) -> list[Node]:
    """The graph nodes that evaluate `call` (several when it sits in a copied `finally`)."""
    found: list[Node] = []
    node: ast.AST | None = call
    while node is not None and node is not info.func:
        found.extend(n for n in cfg.holding(node) if n not in found)
        node = info.parents.get(node)
    found.sort(key=lambda n: n.id)
    return found
