"""AWS SDK pagination (AWS201, AWS202): boto3 calls that read only the first page of their results.

A call is a candidate when its method name is an operation botocore paginates and the receiver is a
boto3 client (or DynamoDB `Table`) of a service that pages it — known from where the receiver comes
from, or, for a receiver of unknown origin, from the evidence SPEC.md allows: PascalCase keyword
arguments, or a receiver named after a service or `client`. AWS201 then asks whether the function
follows the operation's output token back into another call of the same operation (a loop, a kwargs
dict, a token parameter, recursion) or uses a paginator, and whether the result is read at all.
"""

from __future__ import annotations

import ast
import re
import bisect
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from awslint.analysis.scopes import Blocks, Scope
from awslint.analysis.boto import (
    CLIENT,
    TABLE,
    UNKNOWN,
    UNKNOWN_RECEIVER,
    BotoReceivers,
    Receiver,
    ReceiverKind,
    dotted,
    name_words,
)
from awslint.analysis.index import FunctionNode
from awslint.analysis.module_calls import receiving_parameter
from awslint.analysis.text import shorten
from awslint.context import Context
from awslint.data.filtered_pages import FILTERED_PAGES, filters_after_reading
from awslint.data.pagination import PaginationTable, Paging, table
from awslint.data.quotas import quota, selects_one
from awslint.finding import Finding, Step
from awslint.rules.pagination.loops import (
    LIMIT_NAMES,
    POSITION,
    TOKENISH,
    Broken,
    Listing,
    Region,
    Stale,
    display_token,
    identity,
    more_results_keys,
    operation_arg,
    same_listing,
    tests_token,
    token_root,
)
from awslint.rules.pagination.naming import (
    CLIENT_WORDS,
    GENERIC_CLIENT_WORDS,
    NEUTRAL_WORDS,
    SERVICE_ALIASES,
    TABLE_WORDS,
    SNAKE,
    filtered_names,
    head_noun,
    is_pascal,
    main_paging,
    names_listed_items,
    receiver_text,
    singular_identifier,
    suggest,
)
from awslint.rules.pagination.responses import (
    Parents,
    ResultKeys,
    assigned_name,
    first_of,
    in_returned_value,
    is_none,
    not_a_dict,
    only_reads,
    read_position,
    refuses_more,
    reads_results,
    result_keys,
    token_read,
)
from awslint.rules.pagination.token_flow import BlockFlow
from awslint.rules.pagination.rules import AwsOperationNotPageable, UnpaginatedAwsCall

# The receivers `_pagings` pages by their kind; any other by the evidence of its name, or not at all.
_PAGED_KINDS: frozenset[ReceiverKind] = frozenset({CLIENT, TABLE})
# Words in the name of a limit that sizes the pages rather than bounding the answer.
_PAGE_SIZE_WORDS = ("page", "batch", "chunk")
# A constant limit at or below this asks for a bounded result on purpose ("the newest 10 events").
SMALL_LIMIT = 50


def check(ctx: Context) -> Iterable[Finding]:
    want201, want202 = ctx.enabled("AWS201"), ctx.enabled("AWS202")
    # Cheap prefilter before the table is read: boto3 operations take keyword arguments only, and
    # their names are snake_case; `get_paginator` takes the operation name. The shortlist below is
    # empty whenever this finds nothing, so once the table is read the shortlist alone decides.
    if not table.cache_info().currsize:
        by_attr = ctx.index.calls_by_attr()
        spelt = [name for name in by_attr if name == "get_paginator" or name.islower()]
        if not any(name == "get_paginator" or not call.args for name in spelt for call, _ in by_attr[name]):
            return []
    paging_table = table()
    shortlist = [
        (call, scope)
        for call, scope in ctx.index.calls_named(_asked(paging_table))
        if isinstance(call.func, ast.Attribute) and (call.func.attr == "get_paginator" or not call.args)
    ]
    if not shortlist:
        return []
    analysis = _Analysis(ctx, paging_table)
    # Tests list the two items they just created in a mocked account: AWS201 is not reported in
    # test code (SPEC "Context"); AWS202 fails the test run as it fails production, so it is.
    testcode = getattr(ctx, "testcode", None)
    found: list[Finding] = []
    for call, scope in shortlist:
        assert isinstance(call.func, ast.Attribute)
        in_test = testcode is not None and testcode.in_test(call)
        if call.func.attr == "get_paginator":
            found.extend(analysis.paginator(call, scope, want201 and not in_test, want202))
        elif want201 and not in_test:
            finding = analysis.direct_call(call, scope)
            if finding is not None:
                found.append(finding)
    return found


@lru_cache(maxsize=1)
def _asked(paging_table: PaginationTable) -> frozenset[str]:
    """The method names a shortlisted call can have: the table's snake_case operations and
    `get_paginator` (the table is read once per process, so this is computed once)."""
    return frozenset(n for n in paging_table.operation_names if n.islower()) | {"get_paginator"}


class _Analysis:
    """The facts AWS201/AWS202 need about one module, computed on demand."""

    def __init__(self, ctx: Context, paging_table: PaginationTable) -> None:
        self.ctx = ctx
        self._made: frozenset[str] | None = None
        self.table = paging_table
        self.boto = BotoReceivers(
            ctx.tree,
            ctx.names,
            ctx.index.functions,
            ctx.index.classes,
            ctx.index.imports,
            is_service=lambda s: s in paging_table.all_services,
            stub_service=paging_table.service_for_stub,
            model=ctx.model,
            lines=ctx.lines,
        )
        self._regions: dict[int, list[ast.Call]] | None = None
        self._parents: Parents | None = None
        self._service_words: dict[str, str] | None = None
        self._scopes: dict[int, FunctionNode | None] | None = None
        self._paged: dict[tuple[int, str, frozenset[str], Listing], bool] = {}
        self._region_index: dict[int, Region] = {}
        self._listings: dict[int, Listing] = {}
        self._reads_memo: dict[
            tuple[int, tuple[str, ...], object, bool, bool], tuple[bool, list[ast.Name], list[tuple[int, int]]]
        ] = {}
        self._blocks: Blocks | None = None
        self._flows: dict[int, BlockFlow | None] = {}
        self._by_attr: dict[str, tuple[list[ast.Call], list[tuple[int, int]]]] | None = None
        self._loop_functions: dict[tuple[type, ...], set[int]] = {}
        self._broken: dict[tuple[int, tuple[str, ...], frozenset[str], str], Broken | None] = {}
        self._returned: dict[tuple[int, tuple[str, ...], frozenset[str]], bool] = {}

    # -- AWS201 on a direct call ------------------------------------------------------------------

    def direct_call(self, call: ast.Call, scope: FunctionNode | None) -> Finding | None:
        assert isinstance(call.func, ast.Attribute)
        operation = call.func.attr
        if not self.boto.may_classify_as(_PAGED_KINDS) and not self._pagings(UNKNOWN_RECEIVER, call, operation):
            # any other receiver is of unknown origin (paged by the evidence, which has none here) or
            # pages nothing: classifying it, which builds the module's model, would change nothing
            return None
        receiver = self.boto.classify(call.func.value, scope)
        pagings = self._pagings(receiver, call, operation)
        if not pagings:
            return None
        passed = {k.arg for k in call.keywords}
        if any(self.table.unpaged_unless_asked(p.service, operation)
               and (p.limit_key not in passed or self.table.token_unused(p.service, operation)) for p in pagings):
            # one call returns everything (S3 `list_buckets`, EC2 `describe_security_groups`, a token
            # documented as unused) unless it asks for pages by passing the limit key
            return None
        if all(quota(p.service, operation) is not None for p in pagings):
            # a hard quota keeps every parent's items within one page (5 targets per rule); for a
            # receiver of unknown service, in every service that may be meant (Auto Scaling's
            # `describe_load_balancers` is bounded, ELB's is not)
            return None
        if self._bounded(call, pagings, scope):
            return None
        tokens = frozenset(t for p in pagings for t in p.input_tokens)
        stale = self._stale_loop(call, operation, pagings, tokens, scope)
        if stale is not None:
            if self._earlier_call(call, scope):
                return None  # a loop that asks for the same page is reported once, at the first call
        misread: tuple[str, ast.expr] | None = None
        if stale is None and self._passes_token(call, tokens, scope):
            misread = self._misnamed_token(call, scope, pagings)
            if misread is None:
                return None  # this call continues from a token: it is the loop's call, or the caller pages
        elif stale is None and self._pages_elsewhere(call, operation, pagings, tokens, scope):
            return None
        use = self._first_use(call, scope, pagings)
        if use is None and stale is not None:
            use = self._first_use(stale.call, self._scope_of(stale.call, scope), pagings)
        if use is None:
            return None
        if stale is None and self._returns_token(call, scope, pagings):
            return None  # the caller gets the page with its token (or a "more" flag), or more pages raise
        main = main_paging(pagings, call)
        limits = LIMIT_NAMES | {p.limit_key for p in pagings if p.limit_key}
        size = main.page_size if len({p.page_size for p in pagings}) == 1 else None
        if any(kw.arg in limits for kw in call.keywords):
            size = None  # the call chose its page size: the documented default is not what it gets
        problem = f"returns one page ({size})" if size else "returns one page"
        if _sparse(call, pagings):
            named = next((kw.arg for kw in call.keywords if kw.arg in _FILTERS), "its filter")
            limit = next((kw for kw in call.keywords if kw.arg in limits), None)
            counted = f" (`{limit.arg}={ast.unparse(limit.value)}` counts the items read, not the matches)" if limit else ""
            problem += (
                f" and applies `{named}` to it after reading it{counted}, so the page may miss matches that later"
                " pages hold"
            )
        where = receiver_text(call.func.value, receiver)
        table_named = self._names_a_table(*self._receiver_naming(call)[:2])
        if receiver.kind == UNKNOWN and (table_named or self._table_call(call)):
            where += ".meta.client"  # a Table resource has no paginators of its own
        outs, ins = main.output_tokens, main.input_tokens
        if len(ins) > 1:
            shown = ", ".join(f"`{display_token(t)}`" for t in outs)
            loop = f"loop while `{main.output_token}` is in the response, passing {shown} as " + ", ".join(
                f"`{t}`" for t in ins
            )
        elif len(outs) == 1 and "||" in outs[0] and (more := _more_results_key(main)) is not None:
            # S3 `list_objects` answers `NextMarker` only to a call with a `Delimiter`: without one the
            # next marker is the page's last key, and `IsTruncated` says whether there is a next page
            first, fallback = (part.strip() for part in outs[0].split("||", 1))
            loop = (f"loop while `{more}` is true, passing `{first}` as `{main.input_token}` "
                    f"(`{fallback}` when the response has no `{first}`)")
        elif "[" in main.output_token:
            loop = f"loop passing `{main.output_token}` of each response as `{main.input_token}`"
        else:
            how = "back" if main.output_token == main.input_token else f"as `{main.input_token}`"
            loop = f"loop while `{main.output_token}` is in the response, passing it {how}"
        # `get_paginator` only where botocore has one for this service: else the loop is the fix. For
        # a receiver of unknown service, also only when no namesake that pages without one may be it.
        unknown = receiver.kind == UNKNOWN or (receiver.kind == CLIENT and receiver.service is None)
        helper = f", or use `{where}.get_paginator('{operation}')`" if main.paginator and not (
            unknown and self._unpaged_namesake_fits(
                call, operation, [kw.arg for kw in call.keywords if kw.arg is not None], pagings, paged_too=True)
        ) else ""
        limit_key = main.limit_key
        if limit_key and not passed & {limit_key, None} and self.table.token_needs_limit(main.service, operation):
            # Without the limit key the service sends no token: a loop on it alone, and a paginator
            # without a page size (which is what sends the limit key), stop after the first page.
            problem += f" and no `{main.output_token}` unless the call passes `{limit_key}`"
            loop = f"pass `{limit_key}` and {loop}"
            helper += " with a `PageSize` in `PaginationConfig`" if helper else ""
        fix = f"{loop}{helper}"
        path = [Step(call.lineno, call.col_offset, f"`{operation}` returns the first page")]
        if stale is not None:
            # Every call sends the same token: the loop asks for one page again and again.
            if stale.tested:
                problem += (
                    f"; the loop tests `{main.output_token}` on `{stale.name}`, which it never updates, so it"
                    " does not stop after the last page"
                )
            else:
                problem += (
                    f"; the loop passes `{stale.text}` as `{stale.keyword}` but never updates `{stale.name}`,"
                    " so every call asks for the same page"
                )
            fix = (f"test the latest response for `{main.output_token}`{helper}" if stale.tested
                   else f"pass the latest response's `{main.output_token}`{helper}")
            path.append(Step(stale.call.lineno, stale.call.col_offset, f"`{stale.name}` is the same on every iteration"))
            line, col = read_position(use, call)
            path.append(Step(line, col, "only that page is read"))
            return UnpaginatedAwsCall.at(call, path=path, operation=operation, problem=problem, fix=fix)
        if misread is not None:
            # The loop passes on a key that is not the token: the next call asks for the first page
            # again, or the key is missing and the loop stops after one page.
            key, node = misread
            problem += (f"; the loop passes on `{key}` of the response, which is not its token: `{operation}` returns"
                        f" the next page's token in `{main.output_token}`")
            fix = (f"read `{main.output_token}` and pass it back{helper}" if main.output_token == main.input_token
                   else f"pass `{main.output_token}` as `{main.input_token}`{helper}")
            path.append(Step(node.lineno, node.col_offset, f"`{key}` is read instead of `{main.output_token}`"))
        broken = self._broken_loop(call, scope, main) if misread is None else None
        if broken is not None and self._earlier_call(call, scope):
            return None  # a broken loop is reported once, at the first call of the listing
        if broken is not None:
            # The loop repeats the first page, or never runs: say so, and what to pass.
            tested, node = broken.tested, broken.read
            back = "back as" if main.output_token == main.input_token else "as"
            if tested == main.output_token:
                problem += f"; the loop tests `{tested}` but never passes it {back} `{main.input_token}`"
            else:  # `IsTruncated`: the flag says there is more, the token is how to get it
                problem += (
                    f"; the loop tests `{tested}` but never passes `{main.output_token}` {back} `{main.input_token}`"
                )
            fix = f"pass it into the next call{helper}"
            path.append(Step(node.lineno, node.col_offset, f"the loop tests `{tested}`"))
        line, col = read_position(use, call)
        path.append(Step(line, col, "only that page is read"))
        return UnpaginatedAwsCall.at(call, path=path, operation=operation, problem=problem, fix=fix)

    def _misnamed_token(self, call: ast.Call, scope: FunctionNode | None,
                        pagings: list[Paging]) -> tuple[str, ast.expr] | None:
        """A loop that passes a token on but reads it under a key the operation's token is not
        (`params["ContinuationToken"] = resp["NextToken"]` for `list_objects_v2`, whose token is
        `NextContinuationToken`), and never reads the operation's own: the key and its read."""
        assign = self.parents.get(call)
        if not isinstance(assign, ast.Assign) or len(pagings) != 1:
            return None
        names = {t.id for t in assign.targets if isinstance(t, ast.Name)}
        paging = pagings[0]
        outputs = {display_token(t).split(".")[0].split("[")[0] for t in paging.output_tokens}
        if not names or any("[" in t or "." in t for t in paging.output_tokens):
            return None
        top: ast.AST = scope if scope is not None else self.ctx.tree
        flags = more_results_keys(paging)
        wrong: tuple[str, ast.expr] | None = None
        for name in sorted(names):
            for load in self.parents.loads(top, name):
                read = token_read(load, self.parents)
                if read is None or not isinstance(read[0], str):
                    continue
                if read[0] in outputs:
                    return None  # the operation's own token is read: the loop may well be right
                if wrong is None and _TOKEN_KEY.search(read[0]) and read[0] not in flags:
                    wrong = (read[0], read[1])
        return wrong

    def _earlier_call(self, call: ast.Call, scope: FunctionNode | None) -> bool:
        """Whether the function calls the same operation for the same listing before `call`."""
        assert isinstance(call.func, ast.Attribute)
        mine = identity(self._listing(call, scope))
        here = (call.lineno, call.col_offset)
        return any(
            (other.lineno, other.col_offset) < here and identity(self._listing(other, self._scope_of(other, scope))) == mine
            for other in self._region(scope).by_operation.get(call.func.attr, ())
        )

    def _returns_token(self, call: ast.Call, scope: FunctionNode | None, pagings: list[Paging]) -> bool:
        """Whether the function returns (or yields) the response's output token, or a test of it, to its
        caller: `return resp["Items"], resp.get("NextToken")`, `return items, bool(resp.get("NextToken"))`,
        also through one local name (`token = resp.get("NextToken")` ... `return items, token`); or tests
        it only to raise when there is more (`if resp["IsTruncated"]: raise ...`): one page on purpose."""
        parents = self.parents
        assign = parents.get(call)
        if not isinstance(assign, ast.Assign) or scope is None:
            return False
        outputs = {display_token(t).split(".")[0].split("[")[0] for p in pagings for t in p.output_tokens}
        for p in pagings:
            outputs |= more_results_keys(p)
        names = tuple(sorted({t.id for t in assign.targets if isinstance(t, ast.Name)}))
        # The same for every response bound to these names: asked once, so N rebindings cost N.
        key = (id(scope), names, frozenset(outputs))
        if key not in self._returned:
            self._returned[key] = self._token_returned(scope, names, frozenset(outputs), parents)
        return self._returned[key]

    @staticmethod
    def _token_returned(scope: FunctionNode, names: tuple[str, ...], outputs: frozenset[str], parents: Parents) -> bool:
        for name in names:
            for load in parents.loads(scope, name):
                read = token_read(load, parents)
                if read is None or read[0] not in outputs:
                    continue
                if in_returned_value(read[1], parents) or refuses_more(read[1], parents):
                    return True
                holder = assigned_name(read[1], parents)
                if holder is not None and any(
                    in_returned_value(n, parents) or refuses_more(n, parents) for n in parents.loads(scope, holder)
                ):
                    return True
        return False

    def _stale_loop(
        self, call: ast.Call, operation: str, pagings: list[Paging], tokens: frozenset[str], scope: FunctionNode | None
    ) -> Stale | None:
        """A call of this listing in a `while` loop that tests the token, passing a token read from a
        name the loop never changes (`ExclusiveStartKey=first["LastEvaluatedKey"]`, `NextToken=token`):
        each iteration asks for the same page, so the loop repeats it forever or until it breaks."""
        region = self._region(scope)
        key = (operation, tokens)
        found = region.stale.get(key)
        if found is None:
            outputs = frozenset(display_token(t).split(".")[0].split("[")[0] for p in pagings for t in p.output_tokens)
            outputs |= {k for p in pagings for k in more_results_keys(p)}
            found = []
            for other in region.by_operation.get(operation, ()):
                other_scope = self._scope_of(other, scope)
                stale = self._stale_at(other, tokens, outputs, other_scope)
                if stale is not None:
                    found.append((self._listing(other, other_scope), stale))
            region.stale[key] = found
        if not found:
            return None
        mine = self._listing(call, scope)
        return next((stale for listing, stale in found if same_listing(mine, listing)), None)

    def _stale_at(
        self, call: ast.Call, tokens: frozenset[str], outputs: frozenset[str], scope: FunctionNode | None
    ) -> Stale | None:
        for kw in call.keywords:
            if kw.arg not in tokens:
                continue
            name = token_root(kw.value)
            if name is None:
                continue
            flow = self._flow(call, scope, (ast.While,))
            if flow is None:
                return None
            at = flow.nodes_at(call)
            head = flow.innermost_while(at)
            if head is None or not isinstance(head.stmt, ast.While):
                return None
            text = shorten(ast.unparse(kw.value), 60)
            tested = _tested_response(head.stmt.test, outputs)
            if (tested is not None and tested != name and not _leaves(head.stmt, outputs)
                    and not flow.changed_around(head, [head], tested, tokens)):
                # `while "NextToken" in first:` / `NextToken=page["NextToken"]`: the test never changes
                return Stale(call, kw.arg, tested, text, tested=True)
            if not tests_token(head.stmt.test, name, outputs):
                return None
            if not flow.changed_around(head, at, name, tokens):
                return Stale(call, kw.arg, name, text)
            # `token = first.get("NextToken")` in the loop: rebound, but always from a response the loop
            # never changes, so every call still asks for the same page
            members = flow.loops()[head]
            defs = [d for d in flow.definitions(name, tokens) or () if d in members]
            roots = {_rebound_from(d.stmt, name) for d in defs}
            if len(roots) == 1 and (root := roots.pop()) is not None and not any(
                    flow.changed_around(head, [d], root, tokens) for d in defs):
                return Stale(call, kw.arg, root, text)
            return None
        return None

    def _flow(self, node: ast.AST, function: FunctionNode | None, loops: tuple[type, ...]) -> BlockFlow | None:
        """The graph facts of the block whose own statements hold `node` (`function` is the index's
        function around it), or None when that block has no loop of these kinds (told from the index,
        without building anything) or its graph cannot be built (said as a notice)."""
        if isinstance(function, ast.Lambda):
            return None  # a lambda holds no loop
        if (id(function) if function is not None else 0) not in self._functions_with(loops):
            return None
        return self._block_flow(self._block_of(node, function))

    def _functions_with(self, loops: tuple[type, ...]) -> set[int]:
        """The functions (by id, 0 for the module) whose own code holds a loop of these kinds, from the index."""
        found = self._loop_functions.get(loops)
        if found is None:
            found = self._loop_functions[loops] = {
                id(f) if f is not None else 0 for _loop, f in self.ctx.index.of_type(*loops)
            }
        return found

    def _block_of(self, node: ast.AST, function: FunctionNode | None) -> Scope:
        if self._blocks is None:
            assert isinstance(self.ctx.tree, ast.Module)
            self._blocks = Blocks(self.ctx.tree, self.ctx.index, self.ctx.graphs)
        return self._blocks.of(node, function)

    def _calls_named(self, attr: str, block: Scope) -> list[ast.Call]:
        """The calls of a method named `attr` in `block`'s source span (nested code included), found
        by bisecting them in source order, so that asking for each of N blocks costs its own calls."""
        if self._by_attr is None:
            self._by_attr = {}
            for call, _scope in self.ctx.index.calls:  # in source order
                if isinstance(call.func, ast.Attribute):
                    found = self._by_attr.setdefault(call.func.attr, ([], []))
                    found[0].append(call)
                    found[1].append((call.lineno, call.col_offset))
        calls, starts = self._by_attr.get(attr, ([], []))
        node = block.node
        if isinstance(node, ast.Module):
            return calls
        end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
        return calls[bisect.bisect_left(starts, (node.lineno, node.col_offset)):bisect.bisect_right(starts, end)]

    def _block_flow(self, block: Scope) -> BlockFlow | None:
        key = id(block.node)
        if key not in self._flows:
            node = block.node
            if isinstance(node, ast.ClassDef):
                graph, reason = block.cfg, "its control-flow graph could not be built"
                where = f"class `{node.name}`"
            else:
                graph, reason = self.ctx.graphs.of(node)
                where = "the module" if isinstance(node, ast.Module) else f"`{node.name}()`"
            if graph is None:
                self.ctx.skipped(block.node, "pagination", f"token loops in {where} are not analysed: {reason}")
                self._flows[key] = None
            else:
                self._flows[key] = BlockFlow(graph, block.node, self.ctx.model, self.parents)
        return self._flows[key]

    def _broken_loop(self, call: ast.Call, scope: FunctionNode | None, paging: Paging) -> Broken | None:
        """The key and the read of the output token (or of a "more results" flag such as `IsTruncated`)
        on the response, in a loop that calls the operation again or in a `while` test: a pagination
        loop that never passes the token back (this function passes it nowhere, or `direct_call`
        would not be here)."""
        parents = self.parents
        assign = parents.get(call)
        if not isinstance(assign, ast.Assign):
            return None
        names = tuple(sorted({t.id for t in assign.targets if isinstance(t, ast.Name)}))
        top: ast.AST = scope if scope is not None else self.ctx.tree
        outputs = {display_token(t).split(".")[0].split("[")[0] for t in paging.output_tokens}
        outputs |= more_results_keys(paging)
        # The same for every response bound to these names: asked once, so N rebindings cost N.
        key = (id(top), names, frozenset(outputs), paging.operation)
        if key not in self._broken:
            self._broken[key] = self._tested_in_loop(scope, top, names, frozenset(outputs), paging.operation)
        return self._broken[key]

    def _tested_in_loop(
        self, scope: FunctionNode | None, top: ast.AST, names: tuple[str, ...], outputs: frozenset[str], operation: str
    ) -> Broken | None:
        parents = self.parents
        for name in names:
            for load in parents.loads(top, name):
                read = token_read(load, parents)
                if read is None or read[0] not in outputs:
                    continue
                if self._read_in_loop(read[1], scope, operation):
                    return Broken(str(read[0]), read[1])
        return None

    def _read_in_loop(self, read: ast.expr, scope: FunctionNode | None, operation: str) -> bool:
        """Whether `read` is evaluated by a `while` test, or in a loop that calls `operation` again: in
        its own block's graph, then, from where that block is defined, in each block around it up to
        `scope`'s (a lambda holds no loop)."""
        if isinstance(scope, ast.Lambda):
            return False
        model = self.ctx.model
        function = model.enclosing_function(read)
        while isinstance(function, ast.Lambda):
            function = model.enclosing_function(function)
        loops = self._functions_with((ast.While, ast.For, ast.AsyncFor))
        block: Scope | None = self._block_of(read, function)
        while block is not None:
            if _function_key(block) in loops:
                flow = self._block_flow(block)
                if flow is not None and flow.in_loop_calling(read, operation, self._calls_named(operation, block)):
                    return True
            if block.node is scope or isinstance(block.node, ast.Module):
                break
            block = block.parent
        return False

    def _pagings(self, receiver: Receiver, call: ast.Call, operation: str) -> list[Paging]:
        if any(kw.arg is not None and "_" in kw.arg for kw in call.keywords):
            return []  # no botocore operation has a parameter spelled with an underscore
        if receiver.kind == TABLE or (receiver.kind == CLIENT and receiver.service is not None):
            return self._pagings_of(receiver, call, operation)
        # A receiver of unknown service: only the services whose operation takes every keyword passed
        # (`opsworks.describe_instances(StackId=...)` is neither EC2's nor GameLift's listing).
        keywords = [kw.arg for kw in call.keywords if kw.arg is not None]
        found = [p for p in self._pagings_of(receiver, call, operation) if p.accepts(keywords)]
        if found and self._unpaged_namesake_fits(call, operation, keywords, found):
            return []
        return found

    def _services_made(self) -> frozenset[str]:
        """The services this module makes clients of by name (`session.client("iam")`)."""
        if self._made is None:
            named = (self.boto.service_arg(found) for found, _ in self.ctx.index.calls_named({"client"}))
            self._made = frozenset(service for service in named if service is not None)
        return self._made

    def _unpaged_namesake_fits(self, call: ast.Call, operation: str, keywords: list[str],
                               pagings: list[Paging], paged_too: bool = False) -> bool:
        """Whether a service that does not page `operation` may be the one called: its operation of
        that name takes every keyword passed and is given every one it requires, takes none of the
        paged one's tokens (WAF Regional's pages as WAF's does, without a botocore paginator), and
        the receiver's name does not say another service, nor does the module make clients only of
        services that page it. `regional_client.describe_addresses()` may be EC2's, where one call
        returns every address, as well as Snowball's, which pages: not knowing which, the rule stays
        silent. With `paged_too`, a namesake that takes the paged one's tokens counts as well (it
        pages by hand: EventBridge's `list_endpoints` beside SageMaker's paginated one)."""
        namesakes = self.table.unpaged_namesakes(operation)
        if not namesakes:
            return False
        made = self._services_made()
        if any(p.service in made for p in pagings) and not made & set(namesakes):
            return False  # the module makes clients of the service that pages it, of none that does not
        _, named, plain = self._receiver_naming(call)
        passed = set(keywords)
        spread = any(kw.arg is None for kw in call.keywords)  # `**params` may hold what is required
        tokens = {token for paging in pagings for token in paging.input_tokens}
        return any(
            (not (named and plain) or service in named) and passed <= members
            and (paged_too or not (tokens & members)) and (spread or required <= passed)
            for service, (members, required) in namesakes.items()
        )

    def _pagings_of(self, receiver: Receiver, call: ast.Call, operation: str) -> list[Paging]:
        if receiver.kind == CLIENT:
            if receiver.service is None:
                # A client of a service the code does not say, named after one (`self.dynamodb_client`):
                # the operation must be paginated in that service.
                _, named, plain = self._receiver_naming(call)
                if named and plain:
                    return self.table.pagings(operation, [s for s in self.table.services_of(operation) if s in named])
                return self.table.pagings(operation)
            found = self.table.paging(receiver.service, operation)
            return [found] if found is not None else []
        if receiver.kind == TABLE:
            target = self.table.resource_actions("dynamodb", "Table").get(operation)
            found = self.table.paging("dynamodb", target) if target else None
            return [found] if found is not None else []
        if receiver.kind != UNKNOWN or call.args:
            return []
        return self._pagings_by_evidence(call, operation)

    def _receiver_naming(self, call: ast.Call) -> tuple[list[str], set[str], bool]:
        """The words of the receiver's name, the services they name (`ddb_client` -> dynamodb,
        `dynamodb_streams` -> dynamodbstreams), and whether the name is a plain client name: every word
        says "AWS client", or it ends in one that does (`sns_topic_client`), but not `sns_backend`,
        which is something named after the service, not its client."""
        assert isinstance(call.func, ast.Attribute)
        receiver = call.func.value
        label = receiver.id if isinstance(receiver, ast.Name) else receiver.attr if isinstance(receiver, ast.Attribute) else ""
        if label in ("self", "cls"):
            return [], set(), False
        words = name_words(label)
        service_words = self._words_to_services()
        # The longest run of words that spells a service is one unit: `dynamodb_streams` is not DynamoDB.
        units: list[str] = []
        i = 0
        while i < len(words):
            j = next((j for j in range(min(len(words), i + 4), i + 1, -1) if "".join(words[i:j]) in service_words), i + 1)
            units.append("".join(words[i:j]))
            i = j
        named = {service_words[u] for u in units if u in service_words}
        plain = bool(units) and (
            all(u in service_words or u in CLIENT_WORDS or u in NEUTRAL_WORDS or u.isdigit() for u in units)
            or units[-1] in service_words
            or units[-1] in CLIENT_WORDS
        )
        words = units
        return words, named, plain

    def _pagings_by_evidence(self, call: ast.Call, operation: str) -> list[Paging]:
        """SPEC's evidence rule for a receiver of unknown origin: a name after a service that pages the
        operation, or a PascalCase keyword, on its own; a name that says only "client" in a module that
        imports boto3 (or its relatives, or stubs)."""
        services = self.table.services_of(operation)
        words, named, plain = self._receiver_naming(call)
        if self._names_a_table(words, named):
            # `ddb_table.scan()`: named a DynamoDB Table resource, whose actions are the client's
            target = self.table.resource_actions("dynamodb", "Table").get(operation)
            found = self.table.paging("dynamodb", target) if target else None
            return [found] if found is not None else []
        if words and plain and named:
            return self.table.pagings(operation, [s for s in services if s in named])
        pascal = any(kw.arg is not None and is_pascal(kw.arg) for kw in call.keywords)
        if pascal and not named and words and words[-1] in TABLE_WORDS and self._table_call(call):
            # `orders_table.query(KeyConditionExpression=...)`: boto3 by its keywords, and a Table
            # by its name and the missing `TableName=`: it pages as the Table's action does
            target = self.table.resource_actions("dynamodb", "Table").get(operation)
            found = self.table.paging("dynamodb", target) if target else None
            return [found] if found is not None else []
        if pascal and not named:
            return self.table.pagings(operation)
        # "Only client": every word says "a client" (`client`, `regional_client`, `src_client`); a word
        # naming something else (`mongo_client`, `vault_client`) is another SDK's client.
        generic = all(w in CLIENT_WORDS or w in NEUTRAL_WORDS or w.isdigit() for w in words)
        if words and generic and any(w in GENERIC_CLIENT_WORDS for w in words) and "_" in operation and self.boto.imports_boto():
            return self.table.pagings(operation)
        return []

    def _table_call(self, call: ast.Call) -> bool:
        """A call of a DynamoDB Table's paginated action (`scan`, `query`) that does not name the table
        (`TableName=`, which the client's operation requires): the receiver can only be a Table."""
        assert isinstance(call.func, ast.Attribute)
        if call.func.attr not in self.table.resource_actions("dynamodb", "Table"):
            return False
        return not any(kw.arg == "TableName" or kw.arg is None for kw in call.keywords)

    def _names_a_table(self, words: list[str], named: set[str]) -> bool:
        """`ddb_table`, `orders_dynamodb_tbl`: a name that says "DynamoDB table" and nothing else."""
        return bool(words) and named == {"dynamodb"} and words[-1] in TABLE_WORDS and all(
            w in TABLE_WORDS or w in NEUTRAL_WORDS or w in self._words_to_services() for w in words
        )

    def _words_to_services(self) -> dict[str, str]:
        if self._service_words is None:
            words = {s.replace("-", ""): s for s in self.table.all_services}
            words.update({k: v for k, v in SERVICE_ALIASES.items() if v in self.table.all_services})
            self._service_words = words
        return self._service_words

    def _bounded(self, call: ast.Call, pagings: list[Paging], scope: FunctionNode | None) -> bool:
        limits = LIMIT_NAMES | {p.limit_key for p in pagings if p.limit_key}
        operation = pagings[0].operation
        tags = head_noun(operation).endswith("tag")
        # A limit counts the items read before the filter (DynamoDB's `Limit` with a `FilterExpression`):
        # a small one makes a page that is likely empty, not a bounded answer.
        if _sparse(call, pagings):
            limits = frozenset()
        for kw in call.keywords:
            if kw.arg is None or is_none(kw.value):
                continue
            if kw.arg in limits and self._deliberate_limit(kw.value, scope):
                return True
            if names_listed_items(kw.arg, operation) and not all(
                    self.table.selects_many(p.service, p.operation, kw.arg) for p in pagings):
                return True
            if tags and (kw.arg.lower() == "resource" or singular_identifier(kw.arg)):
                return True  # the tags of one resource: AWS allows at most 50, less than a page
            if kw.arg.endswith("Filters") and any(
                names_listed_items(name, operation, plural=True)
                or all(selects_one(p.service, p.operation, name) for p in pagings)
                for name in filtered_names(kw.value)
            ):
                return True  # `route-table-id`, or `association.subnet-id`: a subnet has one route table
        return False

    def _deliberate_limit(self, node: ast.AST, scope: FunctionNode | None) -> bool:
        """A limit the caller chose: a small constant, or a value from elsewhere (a parameter without
        a default, a setting: `limit=self.events_threshold`). A large constant (`MaxKeys=1000`, also
        through a local name or a parameter's default) only sets the page size, and the code still
        reads one page."""
        if isinstance(node, ast.Constant):
            return _small_constant(node)
        if isinstance(node, ast.Name):
            value = self.boto.local_constant(node.id, scope)
            if value is not None:
                return _small_value(value)
        if self._is_parameter(node, scope):
            return True  # the caller chose it, and may page with it
        # `MaxResults=settings.SSM_PAGE_SIZE`, `Limit=self.batch_size`: the name says it sizes the pages
        named = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        return not any(word in named.lower() for word in _PAGE_SIZE_WORDS)

    def _is_parameter(self, node: ast.AST, scope: FunctionNode | None) -> bool:
        return isinstance(node, ast.Name) and scope is not None and self.boto.is_parameter(node.id, scope)

    # -- does the function follow the token? ------------------------------------------------------

    def _region_calls(self, scope: FunctionNode | None) -> list[ast.Call]:
        """Every call in the outermost function around `scope` (or at module level)."""
        if self._regions is None:
            regions: dict[int, list[ast.Call]] = {}
            for call, inner in self.ctx.index.calls:
                root = self.boto.root(inner)
                regions.setdefault(id(root) if root is not None else 0, []).append(call)
            self._regions = regions
        root = self.boto.root(scope)
        return self._regions.get(id(root) if root is not None else 0, [])

    def _region(self, scope: FunctionNode | None) -> Region:
        """The calls of the outermost function around `scope`, grouped once by what they call, so
        that asking about each of N calls costs the calls of its own operation, not all N."""
        root = self.boto.root(scope)
        key = id(root) if root is not None else 0
        region = self._region_index.get(key)
        if region is None:
            region = Region()
            root_name = getattr(root, "name", None) if root is not None else None
            for other in self._region_calls(scope):
                func = other.func
                if isinstance(func, ast.Attribute):
                    region.by_operation.setdefault(func.attr, []).append(other)
                    if func.attr == "get_paginator":
                        named = operation_arg(other, self.boto.module_constant)
                        if named is not None:
                            region.paginators.setdefault(named, []).append(other)
                    if root_name is not None and func.attr == root_name:
                        region.recursive = True
                elif isinstance(func, ast.Name) and root_name is not None and func.id == root_name:
                    region.recursive = True
            self._region_index[key] = region
        return region

    def _pages_elsewhere(
        self, call: ast.Call, operation: str, pagings: list[Paging], tokens: frozenset[str], scope: FunctionNode | None
    ) -> bool:
        root = self.boto.root(scope)
        listing = self._listing(call, scope)
        key = (id(root) if root is not None else 0, operation, tokens, listing)
        if key not in self._paged:
            self._paged[key] = self._find_paging(operation, pagings, tokens, scope, root, listing)
        return self._paged[key]

    def _find_paging(
        self,
        operation: str,
        pagings: list[Paging],
        tokens: frozenset[str],
        scope: FunctionNode | None,
        root: FunctionNode | None,
        listing: Listing,
    ) -> bool:
        region = self._region(scope)
        theirs = self._token_listings(region, operation, tokens, scope)
        # The loop's call usually spells the listing as the first call does: one look-up; else compare.
        exact = region.token_identities.get((operation, tokens))
        if exact is None:
            exact = region.token_identities[(operation, tokens)] = {identity(t) for t in theirs}
        if identity(listing) in exact or any(same_listing(listing, t) for t in theirs):
            return True
        for other in region.paginators.get(operation, ()):
            if isinstance(other.func, ast.Attribute) and same_listing(listing, (dotted(other.func.value), ())):
                return True
        if region.recursive and root is not None:
            # Recursion pages an operation only through a call of that operation that can take a token
            # (one by name, or a `**kwargs`): a single `list_groups()` beside a recursive
            # `list_policies(**kwargs)` is not paged by it (SPEC: token handling is per operation).
            if not any(kw.arg is None or kw.arg in tokens
                       for other in region.by_operation.get(operation, ()) for kw in other.keywords):
                return False
            outputs = {display_token(t).split(".")[0] for p in pagings for t in p.output_tokens}
            if region.strings is None:
                region.strings = frozenset(
                    n.value for n in ast.walk(root) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                )
            return not outputs.isdisjoint(region.strings)
        return False

    def _token_listings(
        self, region: Region, operation: str, tokens: frozenset[str], scope: FunctionNode | None
    ) -> list[Listing]:
        """The listings of the region's calls of `operation` that pass one of `tokens` back."""
        key = (operation, tokens)
        found = region.token_listings.get(key)
        if found is None:
            found = []
            for other in region.by_operation.get(operation, ()):
                other_scope = self._scope_of(other, scope)
                if self._passes_token(other, tokens, other_scope):
                    found.append(self._listing(other, other_scope))
            region.token_listings[key] = found
        return found

    def _listing(self, call: ast.Call, scope: FunctionNode | None) -> Listing:
        """The receiver's text and the constant arguments, also those of a local `**kwargs` dict literal."""
        found = self._listings.get(id(call))
        if found is None:
            found = self._listings[id(call)] = self._listing_uncached(call, scope)
        return found

    def _listing_uncached(self, call: ast.Call, scope: FunctionNode | None) -> Listing:
        receiver = dotted(call.func.value) if isinstance(call.func, ast.Attribute) else None
        constants: list[tuple[str, str]] = []
        for kw in call.keywords:
            if kw.arg is not None:
                if isinstance(kw.value, ast.Constant):
                    constants.append((kw.arg, repr(kw.value.value)))
                continue
            bound = self.boto.single_value(kw.value.id, scope) if isinstance(kw.value, ast.Name) else None
            if isinstance(bound, ast.Dict):
                for key, value in zip(bound.keys, bound.values):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Constant):
                        constants.append((key.value, repr(value.value)))
        return receiver, tuple(sorted(constants))

    def _scope_of(self, call: ast.Call, default: FunctionNode | None) -> FunctionNode | None:
        if self._scopes is None:
            self._scopes = {id(c): scope for c, scope in self.ctx.index.calls}
        return self._scopes.get(id(call), default)

    def _passes_token(self, call: ast.Call, tokens: frozenset[str], scope: FunctionNode | None) -> bool:
        if any(isinstance(a, ast.Starred) for a in call.args):
            return True  # the arguments are not ours to see
        for kw in call.keywords:
            if kw.arg in tokens and not is_none(kw.value):
                return True
            if kw.arg is None and self._dict_may_hold(kw.value, tokens, scope, 0):
                return True
            if isinstance(kw.value, ast.Name) and TOKENISH.search(kw.value.id) and self._is_parameter(kw.value, scope):
                return True  # `lambda after: client.list_x(after=after)`: the caller walks the pages
            if kw.arg is not None and POSITION.search(kw.arg) and not isinstance(kw.value, ast.Constant):
                return True  # another way to continue a listing: `StartAfter=last_key`
        return False

    def _dict_may_hold(self, node: ast.AST, tokens: frozenset[str], scope: FunctionNode | None, depth: int) -> bool:
        """Whether a `**` argument may carry a token; True whenever the analysis cannot tell."""
        if depth > 4:
            return True
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is None:
                    if self._dict_may_hold(value, tokens, scope, depth + 1):
                        return True
                elif not isinstance(key, ast.Constant) or key.value in tokens:
                    return True
            return False
        if isinstance(node, ast.Call) and self.ctx.names.resolve(node.func, self._shadowed(scope)) == "dict":
            if node.args:
                return any(self._dict_may_hold(a, tokens, scope, depth + 1) for a in node.args)
            return any(
                kw.arg in tokens or (kw.arg is None and self._dict_may_hold(kw.value, tokens, scope, depth + 1))
                for kw in node.keywords
            )
        if isinstance(node, (ast.IfExp, ast.BoolOp)):
            parts = [node.body, node.orelse] if isinstance(node, ast.IfExp) else node.values
            return any(self._dict_may_hold(p, tokens, scope, depth + 1) for p in parts)
        if isinstance(node, ast.Name) and scope is not None:
            return self._local_dict_may_hold(node.id, tokens, scope, depth)
        return True

    def _local_dict_may_hold(self, name: str, tokens: frozenset[str], scope: FunctionNode, depth: int) -> bool:
        owner = self.boto.binding_function(name, scope)
        if owner is None or self.boto.is_parameter(name, owner):
            return True  # a module-level dict, or the caller's: it may hold anything
        parents = self.parents
        for node in parents.names(owner).get(name, ()):
            parent = parents.get(node)
            if isinstance(node.ctx, ast.Store):
                if isinstance(parent, ast.Assign) and node in parent.targets:
                    if self._dict_may_hold(parent.value, tokens, owner, depth + 1):
                        return True
                elif isinstance(parent, ast.AnnAssign) and parent.value is not None:
                    if self._dict_may_hold(parent.value, tokens, owner, depth + 1):
                        return True
                else:
                    return True  # bound by a loop, an unpacking, a `with`: not followed
                continue
            if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store):
                key = parent.slice
                if not isinstance(key, ast.Constant) or key.value in tokens:
                    return True
            elif isinstance(parent, ast.Attribute):
                call = parents.get(parent)
                if parent.attr in ("update", "setdefault", "__setitem__", "__ior__"):
                    if not isinstance(call, ast.Call):
                        return True
                    if any(kw.arg is None or kw.arg in tokens for kw in call.keywords):
                        return True
                    if parent.attr == "update":
                        if any(self._dict_may_hold(a, tokens, owner, depth + 1) for a in call.args):
                            return True
                    elif call.args and (not isinstance(call.args[0], ast.Constant) or call.args[0].value in tokens):
                        return True
            elif isinstance(parent, ast.AugAssign) and parent.target is node:
                if self._dict_may_hold(parent.value, tokens, owner, depth + 1):
                    return True
            elif isinstance(parent, ast.Call) and node in parent.args and not only_reads(parent):
                return True  # handed to a function that may add keys
            elif isinstance(parent, ast.keyword) and parent.arg is not None:
                return True
        return False

    def _shadowed(self, scope: FunctionNode | None) -> set[str]:
        return self.boto.local_names(scope) if scope is not None else set()

    # -- is the response read? --------------------------------------------------------------------

    @property
    def parents(self) -> Parents:
        if self._parents is None:
            self._parents = Parents(self.ctx.model)
        return self._parents

    def _first_use(self, call: ast.Call, scope: FunctionNode | None, pagings: list[Paging]) -> ast.AST | None:
        """The first place the response is read for its results, or None when it never is (or when
        the way it is used shows it is no boto3 response)."""
        results = result_keys(pagings)
        sparse = _sparse(call, pagings)
        parents = self.parents
        operation = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        node: ast.AST = call
        parent = parents.get(node)
        while isinstance(parent, ast.Await):
            node, parent = parent, parents.get(parent)
        if parent is None or isinstance(parent, ast.Expr):
            return None
        target_names: list[str] = []
        if isinstance(parent, ast.Assign):
            if any(isinstance(t, (ast.Tuple, ast.List, ast.Starred)) for t in parent.targets):
                return None  # unpacking a dict gives its keys: this is some other SDK's tuple
            target_names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
            if len(target_names) < len(parent.targets):
                return parent  # stored in an attribute or a container
        elif isinstance(parent, (ast.AnnAssign, ast.NamedExpr)) and isinstance(parent.target, ast.Name):
            target_names = [parent.target.id]
            if isinstance(parent, ast.NamedExpr):
                outer = parents.get(parent)
                if outer is not None and not_a_dict(parent, outer):
                    return None
                if outer is not None and not isinstance(outer, ast.Expr) and reads_results(parent, outer, parents, results, sparse):
                    return parent
        else:
            if not_a_dict(node, parent):
                return None
            if self._pages_in_helper(node, parent, operation, pagings, scope):
                return None
            if not reads_results(node, parent, parents, results, sparse):
                return None
            return parent if self._read_in_helper(node, parent, scope, results, sparse) else None
        assignment = parent
        after = (getattr(assignment, "end_lineno", 0) or 0, getattr(assignment, "end_col_offset", 0) or 0)
        foreign, reading, positions = self._reads_of(scope, tuple(sorted(set(target_names))), results, sparse)
        if foreign or not reading:
            return None
        if any(self._pages_in_helper(n, parents.get(n), operation, pagings, scope) for n in reading):
            return None
        # The first read after the assignment; a read above it is reached around a loop.
        index = bisect.bisect_left(positions, after)
        return reading[index] if index < len(reading) else reading[0]

    def _pages_in_helper(
        self, node: ast.AST, parent: ast.AST | None, operation: str, pagings: list[Paging], scope: FunctionNode | None
    ) -> bool:
        """Whether `node`, a response, is an argument of a function of this module (or a method of this
        class) that calls the same operation passing it a token: the helper walks the pages on from
        the first (`return _drain(ddb.scan(TableName=t))`)."""
        if isinstance(parent, ast.keyword):
            parent = self.parents.get(parent)
        if not isinstance(parent, ast.Call) or parent.func is node:
            return False
        helper = self.boto.helper_of(parent.func, scope)
        if helper is None:
            return False
        tokens = frozenset(t for p in pagings for t in p.input_tokens)
        for inner in ast.walk(helper):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr == operation
                and self._passes_token(inner, tokens, helper)
            ):
                return True
        return False

    def _read_in_helper(
        self, node: ast.AST, parent: ast.AST, scope: FunctionNode | None, results: ResultKeys, sparse: bool
    ) -> bool:
        """Whether a response passed to a function of this module (or a method of this class) is read
        there for its results: the helper's parameter is judged as the caller's name would be, one
        call deep (`_hash_and_range_key(ddb.describe_table(...))` reads only `Table`). True for every
        other use that reads, and when the argument lands on no named parameter."""
        call = self.parents.get(parent) if isinstance(parent, ast.keyword) else parent
        if not isinstance(call, ast.Call) or call.func is node:
            return True
        helper = self.boto.helper_of(call.func, scope)
        if helper is None or not helper.body:
            return True
        static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in helper.decorator_list)
        # `self` is not among the call's arguments
        skip = 1 if isinstance(call.func, ast.Attribute) and not static else 0
        param = receiving_parameter(helper, skip, call, node)
        if param is None:
            return True
        foreign, reading, _ = self._reads_of(helper, (param.arg,), results, sparse, followed=True)
        return not foreign and bool(reading)

    def _reads_of(
        self, scope: FunctionNode | None, names: tuple[str, ...], results: ResultKeys, sparse: bool, followed: bool = False
    ) -> tuple[bool, list[ast.Name], list[tuple[int, int]]]:
        """For the names a response is bound to: whether some read shows it is no boto3 response, and
        the reads of its results in source order (a name passed to a helper of the module is a read
        when the helper reads it, unless this is already the helper: `followed`). Computed once per
        scope, names and result keys, so N responses bound to one name cost N, not N squared."""
        key = (
            id(scope) if scope is not None else 0, names, tuple(sorted(results.items(), key=lambda kv: kv[0])), sparse,
            followed,
        )
        found = self._reads_memo.get(key)
        if found is None:
            parents = self.parents
            top: ast.AST = scope if scope is not None else self.ctx.tree
            uses = sorted((n for name in names for n in parents.loads(top, name)), key=lambda n: (n.lineno, n.col_offset))
            foreign = False
            reading: list[ast.Name] = []
            for use in uses:
                use_parent = parents.get(use)
                if use_parent is None:
                    continue
                if not_a_dict(use, use_parent):
                    foreign = True
                    break
                if reads_results(use, use_parent, parents, results, sparse) and (
                    followed or self._read_in_helper(use, use_parent, scope, results, sparse)
                ):
                    reading.append(use)
            found = self._reads_memo[key] = (foreign, reading, [(n.lineno, n.col_offset) for n in reading])
        return found

    # -- paginators -------------------------------------------------------------------------------

    def _not_pageable_hint(self, service: str | None, operation: str, shown: str, choices: Iterable[str]) -> str:
        """What to do instead of `get_paginator(operation)`: the loop on the operation's own token, a
        word that the client is the wrong one, or a paginated operation of a similar name."""
        by_hand = self.table.token_paged(service, operation) if service else None
        if by_hand is not None:
            given, back = by_hand
            how = "back" if given == back else f"as `{given}`"
            return f"it pages by hand: loop while `{back}` is in the response, passing it {how}"
        elsewhere = self.table.services_of(operation)
        if service is not None and elsewhere and service not in self.table.unpaged_namesakes(operation):
            # botocore knows every service with an operation of this name: this one has none
            named = ", ".join(f"`{s}`" for s in elsewhere[:3])
            return f"`{service}` has no operation `{shown}` at all ({named} page it): check which client this is"
        return suggest(operation, choices)

    def paginator(self, call: ast.Call, scope: FunctionNode | None, want201: bool, want202: bool) -> Iterator[Finding]:
        assert isinstance(call.func, ast.Attribute)
        operation = operation_arg(call, self.boto.module_constant)
        if operation is None or len(call.args) + len(call.keywords) != 1:
            return
        receiver = self.boto.classify(call.func.value, scope)
        if receiver.kind == CLIENT and receiver.service is not None and receiver.service in self.table.all_services:
            choices = self.table.operations(receiver.service)
            reason = f"the `{receiver.service}` client has no paginator for `{operation}`"
        elif receiver.kind == CLIENT or (receiver.kind == UNKNOWN and (SNAKE.match(operation) or is_pascal(operation))):
            label = dotted(call.func.value) or ""
            if receiver.kind == UNKNOWN and label.split(".")[-1] in ("self", "cls"):
                return
            choices = tuple(sorted(self.table.paginator_names))
            reason = f"no AWS service has a paginator for `{operation}`"
        else:
            return
        if operation not in choices:
            if want202:
                shown = shorten(operation)
                reason = reason.replace(f"`{operation}`", f"`{shown}`")
                yield AwsOperationNotPageable.at(call, operation=shown, reason=reason,
                                                 hint=self._not_pageable_hint(receiver.service, operation, shown, choices))
            return
        if want201:
            pagings = self.table.pagings(operation, [receiver.service] if receiver.service else None)
            if any(self.table.unpaged_unless_asked(p.service, operation) for p in pagings) or (
                pagings and all(quota(p.service, operation) for p in pagings)
            ):
                return  # every item fits the first page
            yield from self._one_page(call, scope, operation, pagings)

    def _one_page(self, call: ast.Call, scope: FunctionNode | None, operation: str, pagings: list[Paging]) -> Iterator[Finding]:
        """`paginate()` calls on this paginator whose pages are read only up to the first."""
        parents = self.parents
        paginate_calls: list[ast.Call] = []
        parent = parents.get(call)
        if isinstance(parent, ast.Attribute) and parent.attr == "paginate":
            grand = parents.get(parent)
            if isinstance(grand, ast.Call):
                paginate_calls.append(grand)
        elif isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            name = parent.targets[0].id
            for other in self._region_calls(scope):
                func = other.func
                if isinstance(func, ast.Attribute) and func.attr == "paginate" and isinstance(func.value, ast.Name) and func.value.id == name:
                    paginate_calls.append(other)
        for paginate in paginate_calls:
            if _bounded_pages(paginate, lambda node: self._dict_literal(node, self._scope_of(paginate, scope))):
                continue
            first = self._first_page_read(paginate, scope)
            if first is not None:
                fix = "iterate over every page (`for page in paginator.paginate(...)`), or call `.build_full_result()`"
                path = [
                    Step(paginate.lineno, paginate.col_offset, "the paginator starts here"),
                    Step(getattr(first, "lineno", paginate.lineno), getattr(first, "col_offset", 0), "only the first page is read"),
                ]
                line = getattr(first, "lineno", paginate.lineno)
                yield UnpaginatedAwsCall.at(
                    paginate, path=path, operation=operation,
                    problem=f"paginator is read for its first page only (line {line})", fix=fix,
                )

    def _dict_literal(self, node: ast.AST, scope: FunctionNode | None) -> ast.AST | None:
        if isinstance(node, ast.Name):
            return self.boto.single_value(node.id, scope)
        return node

    def _first_page_read(self, paginate: ast.Call, scope: FunctionNode | None) -> ast.AST | None:
        scope_of = self._scope_of(paginate, scope)
        parents = self.parents
        first = first_of(paginate, parents)
        if first is not None:
            return first
        parent = parents.get(paginate)
        # `pages = list(paginator.paginate(...))` ... `pages[0]`: the list of every page, of which
        # only the first is read.
        listed = (
            isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in ("list", "tuple")
            and len(parent.args) == 1 and parent.args[0] is paginate and not parent.keywords
        )
        if listed:
            parent = parents.get(parent) if parent is not None else None
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
            return None
        name = parent.targets[0].id
        top: ast.AST = scope_of if scope_of is not None else self.ctx.tree
        found: ast.AST | None = None
        for node in parents.loads(top, name):
            one = _first_item(node, parents) if listed else first_of(node, parents)
            if one is None:
                return None  # the pages are also read some other way
            found = found or one
        return found


def _tested_response(test: ast.AST, outputs: frozenset[str]) -> str | None:
    """The one name a loop test reads an output token on (`"NextToken" in first`, `first.get("Marker")`,
    `first["IsTruncated"]`), or None."""
    found: set[str] = set()
    for node in ast.walk(test):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) and node.left.value in outputs and len(
                node.comparators) == 1 and isinstance(node.comparators[0], ast.Name):
            found.add(node.comparators[0].id)
        elif isinstance(node, (ast.Subscript, ast.Call)):
            key = node.slice if isinstance(node, ast.Subscript) else node.args[0] if node.args else None
            root = token_root(node)
            if root is not None and isinstance(key, ast.Constant) and key.value in outputs:
                found.add(root)
    return found.pop() if len(found) == 1 else None


def _rebound_from(stmt: ast.AST | None, name: str) -> str | None:
    """`first` for `name = first["NextToken"]` or `name = first.get("NextToken")`."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and (
            stmt.targets[0].id == name) and not isinstance(stmt.value, ast.Name):
        root = token_root(stmt.value)
        return root if root != name else None
    return None


# A response key spelled like a token (`NextToken`, `nextMarker`, `ContinuationToken`): read and passed on
# where the operation's token has another name, the loop cannot get past the first page.
_TOKEN_KEY = re.compile(r"(token|marker)$", re.IGNORECASE)


def _leaves(loop: ast.While, outputs: frozenset[str]) -> bool:
    """Whether the loop's own body may leave it other than by its test, on a path that does not
    merely stop early: a `break`, `return` or `raise` that no `if` guards, or one under an `if` that
    reads an output token (`if "NextToken" not in resp: break`). A leave under any other test
    (`if len(rows) > 10_000: break`) is a cap: the loop still runs on its stale test until then."""
    stack: list[tuple[ast.AST, bool]] = [(stmt, False) for stmt in loop.body]
    while stack:
        node, capped = stack.pop()
        if isinstance(node, (ast.Break, ast.Return, ast.Raise)):
            if not capped:
                return True
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            # a `break` there leaves the inner loop; a `return` or `raise` still leaves this one
            stack.extend((n, capped) for n in ast.walk(node) if isinstance(n, (ast.Return, ast.Raise)))
            continue
        if isinstance(node, ast.If) and not any(
                isinstance(n, ast.Constant) and n.value in outputs for n in ast.walk(node.test)):
            stack.extend((n, True) for n in (*node.body, *node.orelse))
            continue
        stack.extend((child, capped) for child in ast.iter_child_nodes(node))
    return False


def _first_item(node: ast.AST, parents: Parents) -> ast.AST | None:
    """`pages[0]` for a load `pages` of a list of pages."""
    parent = parents.get(node)
    if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.slice, ast.Constant):
        return parent if parent.slice.value == 0 else None
    return None


def _function_key(block: Scope) -> int:
    """The index's name for the function whose own code `block` is (a class body's is the function
    around the class; the module's is 0)."""
    current: Scope | None = block
    while current is not None and not current.is_function:
        current = current.parent
    return id(current.node) if current is not None else 0


_FILTERS = frozenset(k for filters in FILTERED_PAGES.values() for k in filters)


def _sparse(call: ast.Call, pagings: list[Paging]) -> bool:
    """Whether the call's page may hold none of the items it asks for while more remain: the
    service filters each page after reading it (`FilterExpression=` of a DynamoDB `scan`)."""
    keywords = frozenset(kw.arg for kw in call.keywords if kw.arg is not None and not is_none(kw.value))
    return any(filters_after_reading(p.service, p.operation, keywords) for p in pagings)


def _more_results_key(paging: Paging) -> str | None:
    """The response's flag that says whether another page follows (`IsTruncated`), when it has one."""
    return next((key for key in paging.other_keys if key.startswith(("Is", "Has"))), None)


def _small_constant(node: ast.AST) -> bool:
    return _small_value(node.value) if isinstance(node, ast.Constant) else False


def _small_value(value: object) -> bool:
    """1 to SMALL_LIMIT, as an int or, as Route 53 spells its limits, a string of digits."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= SMALL_LIMIT


def _bounded_pages(paginate: ast.Call, resolve: Callable[[ast.AST], ast.AST | None]) -> bool:
    """A small `MaxItems`, or a `StartingToken` handed in: the code walks the pages one call at a time
    (an API's page of results), as a call whose token comes from a parameter does. `resolve` gives the
    dict literal a local name holds (`PaginationConfig=config`)."""
    for kw in paginate.keywords:
        config = resolve(kw.value) if kw.arg == "PaginationConfig" else None
        if isinstance(config, ast.Dict):
            for key, value in zip(config.keys, config.values):
                if isinstance(key, ast.Constant) and key.value == "StartingToken" and not is_none(value):
                    return True
            for key, value in zip(config.keys, config.values):
                if isinstance(key, ast.Constant) and key.value == "MaxItems":
                    return _small_constant(value)
    return False
