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
import bisect
import difflib
import re
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Iterable, Iterator, Optional, Tuple

from awslint.analysis.boto import (
    CLIENT,
    TABLE,
    UNKNOWN,
    BotoReceivers,
    Receiver,
    dotted,
    name_words,
)
from awslint.analysis.index import FunctionNode
from awslint.analysis.names import parameters
from awslint.context import Context
from awslint.data.pagination import PaginationTable, Paging, table
from awslint.data.quotas import quota
from awslint.finding import Finding, Step
from awslint.rule import Family, Rule


class UnpaginatedAwsCall(Rule):
    """
    ## What it finds

    A call of a paginated boto3 operation (DynamoDB `scan`, S3 `list_objects_v2`, SNS `list_topics` and
    some 3,000 more) whose response is read, in a function that never passes the operation's output
    token back into another call of it and uses no paginator. Taking only the first page of a paginator
    (`next(iter(paginator.paginate()))`) is reported too.

    Token handling is per listing: a loop over `src.scan(TableName="a")` does not page a single
    `dst.scan(TableName="b")` beside it.

    A loop that tests the token but never passes it back, or passes one its loop never updates
    (`ExclusiveStartKey=first["LastEvaluatedKey"]` while each page goes to another name), asks for the
    same page again: reported once, at the first call, with a message that says so.

    Not reported: calls bounded on purpose (`MaxKeys`, `Limit`, `MaxResults` set to a small constant, a
    parameter without a large default, or a setting), calls filtered to the very items they list
    (`InstanceIds=[...]`, `StackName=`, a `Filters` entry on the items' own id), the tags of one resource
    (AWS allows 50), calls whose token comes from a parameter or a `**kwargs` dict that receives it (the
    caller pages; also a paginator's `StartingToken`), a page returned to the caller with its token or
    a test of it (`return items, bool(resp.get("NextToken"))`), responses that are never read for their results
    (only checked for emptiness, or for their first item), S3 `list_buckets`, which returns every
    bucket unless asked for pages, operations whose token botocore documents as reserved for future use
    or unused (CloudTrail `list_tags`), and listings of one parent bounded by a hard AWS quota below one
    page (the 5 targets of an EventBridge rule, the 2 access keys of an IAM user: `awslint/data/quotas.py`
    names each quota and its source).

    The receiver must be a boto3 client or DynamoDB `Table`: known from `boto3.client("s3")`,
    `Session(...).client(...)`, `resource(...).meta.client`, `.Table(name)`, the stub types
    (`S3Client`, `DynamoDBClient`), or, where its origin is unknown, from a PascalCase keyword argument
    or a name that says what it is (`sns`, `ddb_client`).

    ## Why is this bad?

    The service returns at most one page per call (1 MB for a DynamoDB scan, 1,000 keys for S3, often
    50 or 100 items). Code that reads one response works in tests and on small accounts, then silently
    drops data in production once a table, bucket or account grows past the first page.

    ## Where it reports

    In product code only: not in test code (test files and folders, `test_*` functions, pytest fixtures,
    `TestCase` methods, code under moto's `mock_aws` or a `Stubber`), where tests list the few items they
    just created in a mocked account. Reported at the call of the operation (for a paginator, the
    `paginate` call).

    ## References

    - [boto3: Paginators](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/paginators.html)
    - [DynamoDB: paginating table query and scan results](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination)
    """

    code = "AWS201"
    name = "unpaginated-aws-call"
    msgid = "W7321"
    title = "Paginated AWS operation read from its first page only"
    message = "`{operation}` {problem}: {fix}"
    INVALID = (
        '''
import boto3

def sync_ddb_table(source_ddb, destination_ddb):
    response = source_ddb.scan(TableName="table1")  # expect: AWS201
    for item in response["Items"]:
        destination_ddb.put_item(TableName="table2", Item=item)
''',
        '''
import boto3

s3 = boto3.client("s3")

def keys(bucket):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)  # expect: AWS201
    return [obj["Key"] for obj in next(iter(pages))["Contents"]]
''',
    )
    VALID = (
        '''
import boto3

def sync_ddb_table(source_ddb, destination_ddb):
    response = source_ddb.scan(TableName="table1")
    for item in response["Items"]:
        destination_ddb.put_item(TableName="table2", Item=item)
    while "LastEvaluatedKey" in response:
        response = source_ddb.scan(TableName="table1", ExclusiveStartKey=response["LastEvaluatedKey"])
        for item in response["Items"]:
            destination_ddb.put_item(TableName="table2", Item=item)
''',
        '''
import boto3

s3 = boto3.client("s3")

def keys(bucket):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [obj["Key"] for page in pages for obj in page.get("Contents", [])]

def newest_object(bucket):
    return s3.list_objects_v2(Bucket=bucket, MaxKeys=1).get("Contents", [])
''',
    )


class AwsOperationNotPageable(Rule):
    """
    ## What it finds

    `client.get_paginator("op")` where the client's service has no paginator for `op` (a typo, or an
    operation that returns everything in one response), or, when the service is not known, where no
    service has a paginator of that name.

    ## Why is this bad?

    botocore raises `OperationNotPageableError` when `get_paginator` is called, so the code fails the
    first time it runs: usually in production, on the rarely taken path that nobody tested.

    ## Where it reports

    In every context, test code included: `get_paginator` fails there as it fails in production.
    Reported at the `get_paginator` call.

    ## References

    - [botocore: `BaseClient.get_paginator`](https://botocore.amazonaws.com/v1/documentation/api/latest/reference/client.html)
    """

    code = "AWS202"
    name = "aws-operation-not-pageable"
    msgid = "E7322"
    title = "get_paginator() for an operation that cannot be paginated"
    message = "`get_paginator('{operation}')` raises OperationNotPageableError: {reason}; {hint}"
    INVALID = (
        '''
import boto3

sns = boto3.client("sns")

def all_topic_arns():
    paginator = sns.get_paginator("list_topic")  # expect: AWS202
    return [t["TopicArn"] for page in paginator.paginate() for t in page["Topics"]]
''',
    )
    VALID = (
        '''
import boto3

sns = boto3.client("sns")

def all_topic_arns():
    paginator = sns.get_paginator("list_topics")
    return [t["TopicArn"] for page in paginator.paginate() for t in page["Topics"]]
''',
    )


# A constant limit at or below this asks for a bounded result on purpose ("the newest 10 events").
SMALL_LIMIT = 50
_LIMIT_NAMES = frozenset({"MaxResults", "MaxItems", "MaxKeys", "Limit", "MaxRecords", "maxResults", "limit"})
# Receiver names that say "a boto3 client" without naming the service.
_CLIENT_WORDS = frozenset({"client", "clients", "boto", "boto3", "botoclient"})
# Words that may appear in the name of a client variable beside the service or `client`.
_NEUTRAL_WORDS = frozenset(
    {
        "aws", "api", "src", "source", "dst", "dest", "destination", "target", "regional", "region",
        "remote", "default", "main", "primary", "secondary", "my", "the", "cross", "account", "admin",
        "new", "old", "mgmt", "management", "shared", "global", "local", "raw", "low", "level", "base",
        "prod", "dev", "staging", "conn", "connection", "sdk", "cli", "_",
    }
)
# Short names people give to clients, beside the service names themselves.
_SERVICE_ALIASES = {
    "ddb": "dynamodb", "dynamo": "dynamodb", "cw": "cloudwatch", "cfn": "cloudformation",
    "sfn": "stepfunctions", "states": "stepfunctions", "asg": "autoscaling", "r53": "route53",
    "cwlogs": "logs", "secrets": "secretsmanager", "cognito": "cognito-idp", "apigw": "apigateway",
    "org": "organizations", "orgs": "organizations", "organization": "organizations", "eventbridge": "events",
    "awslambda": "lambda", "lam": "lambda", "alb": "elbv2",
}
_ITEM_SUFFIXES = ("identifiers", "identifier", "names", "name", "ids", "id", "arns", "arn")
_PREPOSITIONS = frozenset({"for", "by", "of", "in", "on", "from", "with", "to", "at"})
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
# Keywords that continue a listing from a position other than the paginator's token.
_POSITION = re.compile(r"token|marker|cursor|startafter|exclusivestart|offset", re.IGNORECASE)
# Parameter names that carry a position in a listing from the caller.
_TOKENISH = re.compile(r"token|marker|cursor|after|continuation|start_key|next|offset", re.IGNORECASE)


def check(ctx: Context) -> Iterable[Finding]:
    want201, want202 = ctx.enabled("AWS201"), ctx.enabled("AWS202")
    # Cheap prefilter before the table is read: boto3 operations take keyword arguments only, and
    # their names are snake_case; `get_paginator` takes the operation name.
    shortlist = [
        (call, scope)
        for call, scope in ctx.index.calls
        if isinstance(call.func, ast.Attribute)
        and (call.func.attr == "get_paginator" or (not call.args and call.func.attr.islower()))
    ]
    if not shortlist:
        return []
    paging_table = table()
    names = paging_table.operation_names
    shortlist = [(c, s) for c, s in shortlist if isinstance(c.func, ast.Attribute) and (c.func.attr in names or c.func.attr == "get_paginator")]
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


class _Analysis:
    """The facts AWS201/AWS202 need about one module, computed on demand."""

    def __init__(self, ctx: Context, paging_table: PaginationTable) -> None:
        self.ctx = ctx
        self.table = paging_table
        self.boto = BotoReceivers(
            ctx.tree,
            ctx.names,
            ctx.index.functions,
            ctx.index.classes,
            ctx.index.imports,
            is_service=lambda s: s in paging_table.all_services,
            stub_service=paging_table.service_for_stub,
        )
        self._regions: dict[int, list[ast.Call]] | None = None
        self._parents: dict[int, _Parents] = {}
        self._service_words: dict[str, str] | None = None
        self._scopes: dict[int, FunctionNode | None] | None = None
        self._name_loads: dict[int, dict[str, list[ast.Name]]] = {}
        self._paged: dict[tuple[int, str, frozenset[str], _Listing], bool] = {}
        self._region_index: dict[int, _Region] = {}
        self._listings: dict[int, _Listing] = {}
        self._reads_memo: dict[tuple[int, tuple[str, ...], object], tuple[bool, list[ast.Name], list[tuple[int, int]]]] = {}
        self._changed: dict[tuple[int, str, frozenset[str]], bool] = {}
        self._broken: dict[tuple[int, tuple[str, ...], frozenset[str], str], tuple[str, ast.expr] | None] = {}
        self._returned: dict[tuple[int, tuple[str, ...], frozenset[str]], bool] = {}

    # -- AWS201 on a direct call ------------------------------------------------------------------

    def direct_call(self, call: ast.Call, scope: FunctionNode | None) -> Finding | None:
        assert isinstance(call.func, ast.Attribute)
        operation = call.func.attr
        receiver = self.boto.classify(call.func.value, scope)
        pagings = self._pagings(receiver, call, operation)
        if not pagings:
            return None
        if any(self.table.unpaged_unless_asked(p.service, operation) for p in pagings):
            return None  # one call returns everything (S3 `list_buckets`, a token documented as unused)
        if any(quota(p.service, operation) is not None for p in pagings):
            return None  # a hard quota keeps every parent's items within one page (5 targets per rule)
        if self._bounded(call, pagings, scope):
            return None
        tokens = frozenset(t for p in pagings for t in p.input_tokens)
        stale = self._stale_loop(call, operation, pagings, tokens, scope)
        if stale is not None:
            if self._earlier_call(call, scope):
                return None  # a loop that asks for the same page is reported once, at the first call
        elif self._passes_token(call, tokens, scope):
            return None  # this call continues from a token: it is the loop's call, or the caller pages
        elif self._pages_elsewhere(call, operation, pagings, tokens, scope):
            return None
        use = self._first_use(call, scope, pagings)
        if use is None and stale is not None:
            use = self._first_use(stale.call, self._scope_of(stale.call, scope), pagings)
        if use is None:
            return None
        if stale is None and self._returns_token(call, scope, pagings):
            return None  # the caller gets the page with its token (or a "more" flag): it pages, or knows
        main = _main_paging(pagings, call)
        limits = _LIMIT_NAMES | {p.limit_key for p in pagings if p.limit_key}
        size = main.page_size if len({p.page_size for p in pagings}) == 1 else None
        if any(kw.arg in limits for kw in call.keywords):
            size = None  # the call chose its page size: the documented default is not what it gets
        problem = f"returns one page ({size})" if size else "returns one page"
        where = _receiver_text(call.func.value, receiver)
        outs, ins = main.output_tokens, main.input_tokens
        if len(ins) > 1:
            shown = ", ".join(f"`{_display_token(t)}`" for t in outs)
            loop = f"loop while `{main.output_token}` is in the response, passing {shown} as " + ", ".join(
                f"`{t}`" for t in ins
            )
        elif "[" in main.output_token:
            loop = f"loop passing `{main.output_token}` of each response as `{main.input_token}`"
        else:
            how = "back" if main.output_token == main.input_token else f"as `{main.input_token}`"
            loop = f"loop while `{main.output_token}` is in the response, passing it {how}"
        # `get_paginator` only where botocore has one for this service: else the loop is the fix.
        helper = f", or use `{where}.get_paginator('{operation}')`" if main.paginator else ""
        fix = f"{loop}{helper}"
        path = [Step(call.lineno, call.col_offset, f"`{operation}` returns the first page")]
        if stale is not None:
            # Every call sends the same token: the loop asks for one page again and again.
            problem += (
                f"; the loop passes `{stale.text}` as `{stale.keyword}` but never updates `{stale.name}`,"
                " so every call asks for the same page"
            )
            fix = f"pass the latest response's `{main.output_token}`{helper}"
            path.append(Step(stale.call.lineno, stale.call.col_offset, f"`{stale.name}` is the same on every iteration"))
            line, col = _read_position(use, call)
            path.append(Step(line, col, "only that page is read"))
            return UnpaginatedAwsCall.at(call, path=path, operation=operation, problem=problem, fix=fix)
        broken = self._broken_loop(call, scope, main)
        if broken is not None and self._earlier_call(call, scope):
            return None  # a broken loop is reported once, at the first call of the listing
        if broken is not None:
            # The loop repeats the first page, or never runs: say so, and what to pass.
            tested, node = broken
            back = "back as" if main.output_token == main.input_token else "as"
            if tested == main.output_token:
                problem += f"; the loop tests `{tested}` but never passes it {back} `{main.input_token}`"
            else:  # `IsTruncated`: the flag says there is more, the token is how to get it
                problem += (
                    f"; the loop tests `{tested}` but never passes `{main.output_token}` {back} `{main.input_token}`"
                )
            fix = f"pass it into the next call{helper}"
            path.append(Step(node.lineno, node.col_offset, f"the loop tests `{tested}`"))
        line, col = _read_position(use, call)
        path.append(Step(line, col, "only that page is read"))
        return UnpaginatedAwsCall.at(call, path=path, operation=operation, problem=problem, fix=fix)

    def _earlier_call(self, call: ast.Call, scope: FunctionNode | None) -> bool:
        """Whether the function calls the same operation for the same listing before `call`."""
        assert isinstance(call.func, ast.Attribute)
        mine = _identity(self._listing(call, scope))
        here = (call.lineno, call.col_offset)
        return any(
            (other.lineno, other.col_offset) < here and _identity(self._listing(other, self._scope_of(other, scope))) == mine
            for other in self._region(scope).by_operation.get(call.func.attr, ())
        )

    def _returns_token(self, call: ast.Call, scope: FunctionNode | None, pagings: list[Paging]) -> bool:
        """Whether the function returns (or yields) the response's output token, or a test of it, to its
        caller: `return resp["Items"], resp.get("NextToken")`, `return items, bool(resp.get("NextToken"))`,
        also through one local name (`token = resp.get("NextToken")` ... `return items, token`)."""
        parents = self._parent_map(scope)
        assign = parents.get(id(call))
        if not isinstance(assign, ast.Assign) or scope is None:
            return False
        outputs = {_display_token(t).split(".")[0].split("[")[0] for p in pagings for t in p.output_tokens}
        for p in pagings:
            outputs |= _more_results_keys(p)
        names = tuple(sorted({t.id for t in assign.targets if isinstance(t, ast.Name)}))
        # The same for every response bound to these names: asked once, so N rebindings cost N.
        key = (id(scope), names, frozenset(outputs))
        if key not in self._returned:
            self._returned[key] = self._token_returned(scope, names, frozenset(outputs), parents)
        return self._returned[key]

    @staticmethod
    def _token_returned(scope: FunctionNode, names: tuple[str, ...], outputs: frozenset[str], parents: _Parents) -> bool:
        for name in names:
            for load in parents.loads(scope, name):
                read = _token_read(load, parents)
                if read is None or read[0] not in outputs:
                    continue
                if _in_returned_value(read[1], parents):
                    return True
                holder = _assigned_name(read[1], parents)
                if holder is not None and any(_in_returned_value(n, parents) for n in parents.loads(scope, holder)):
                    return True
        return False

    def _stale_loop(
        self, call: ast.Call, operation: str, pagings: list[Paging], tokens: frozenset[str], scope: FunctionNode | None
    ) -> _Stale | None:
        """A call of this listing in a `while` loop that tests the token, passing a token read from a
        name the loop never changes (`ExclusiveStartKey=first["LastEvaluatedKey"]`, `NextToken=token`):
        each iteration asks for the same page, so the loop repeats it forever or until it breaks."""
        region = self._region(scope)
        key = (operation, tokens)
        found = region.stale.get(key)
        if found is None:
            outputs = frozenset(_display_token(t).split(".")[0].split("[")[0] for p in pagings for t in p.output_tokens)
            outputs |= {k for p in pagings for k in _more_results_keys(p)}
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
        return next((stale for listing, stale in found if _same_listing(mine, listing)), None)

    def _stale_at(
        self, call: ast.Call, tokens: frozenset[str], outputs: frozenset[str], scope: FunctionNode | None
    ) -> _Stale | None:
        parents = self._parent_map(scope)
        for kw in call.keywords:
            if kw.arg not in tokens:
                continue
            name = _token_root(kw.value)
            if name is None:
                continue
            loop = _enclosing_while(call, parents)
            if loop is None or not _tests_token(loop.test, name, outputs, parents):
                return None
            key = (id(loop), name, tokens)
            if key not in self._changed:
                self._changed[key] = _changed_in(loop, name, parents, tokens)
            if self._changed[key]:
                return None
            return _Stale(call, kw.arg, name, _shorten(ast.unparse(kw.value), 60))
        return None

    def _broken_loop(self, call: ast.Call, scope: FunctionNode | None, paging: Paging) -> tuple[str, ast.expr] | None:
        """The key and the read of the output token (or of a "more results" flag such as `IsTruncated`)
        on the response, in a loop that calls the operation again or in a `while` test: a pagination
        loop that never passes the token back (this function passes it nowhere, or `direct_call`
        would not be here)."""
        parents = self._parent_map(scope)
        assign = parents.get(id(call))
        if not isinstance(assign, ast.Assign):
            return None
        names = tuple(sorted({t.id for t in assign.targets if isinstance(t, ast.Name)}))
        top: ast.AST = scope if scope is not None else self.ctx.tree
        outputs = {_display_token(t).split(".")[0].split("[")[0] for t in paging.output_tokens}
        outputs |= _more_results_keys(paging)
        # The same for every response bound to these names: asked once, so N rebindings cost N.
        key = (id(top), names, frozenset(outputs), paging.operation)
        if key not in self._broken:
            self._broken[key] = self._tested_in_loop(top, names, frozenset(outputs), paging.operation, parents)
        return self._broken[key]

    @staticmethod
    def _tested_in_loop(
        top: ast.AST, names: tuple[str, ...], outputs: frozenset[str], operation: str, parents: _Parents
    ) -> tuple[str, ast.expr] | None:
        for name in names:
            for load in parents.loads(top, name):
                read = _token_read(load, parents)
                if read is None or read[0] not in outputs:
                    continue
                node: ast.AST | None = read[1]
                while node is not None and node is not top:
                    parent = parents.get(id(node))
                    if isinstance(parent, ast.While) and parent.test is node:
                        return str(read[0]), read[1]
                    if isinstance(parent, (ast.While, ast.For, ast.AsyncFor)) and node in parent.body:
                        if any(
                            isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == operation
                            for c in ast.walk(parent)
                        ):
                            return str(read[0]), read[1]
                    node = parent
        return None

    def _pagings(self, receiver: Receiver, call: ast.Call, operation: str) -> list[Paging]:
        if any(kw.arg is not None and "_" in kw.arg for kw in call.keywords):
            return []  # no botocore operation has a parameter spelled with an underscore
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
            all(u in service_words or u in _CLIENT_WORDS or u in _NEUTRAL_WORDS or u.isdigit() for u in units)
            or units[-1] in service_words
            or units[-1] in _CLIENT_WORDS
        )
        words = units
        return words, named, plain

    def _pagings_by_evidence(self, call: ast.Call, operation: str) -> list[Paging]:
        """SPEC's evidence rule for a receiver of unknown origin: a name after a service that pages the
        operation, or a PascalCase keyword, on its own; a name that says only "client" in a module that
        imports boto3 (or its relatives, or stubs)."""
        services = self.table.services_of(operation)
        words, named, plain = self._receiver_naming(call)
        if words and plain and named:
            return self.table.pagings(operation, [s for s in services if s in named])
        pascal = any(kw.arg is not None and _pascal(kw.arg) for kw in call.keywords)
        if pascal and not named:
            return self.table.pagings(operation)
        # "Only client": every word says "a client" (`client`, `regional_client`, `src_client`); a word
        # naming something else (`mongo_client`, `vault_client`) is another SDK's client.
        generic = all(w in _CLIENT_WORDS or w in _NEUTRAL_WORDS or w.isdigit() for w in words)
        if words and generic and any(w in _CLIENT_WORDS for w in words) and "_" in operation and self.boto.imports_boto():
            return self.table.pagings(operation)
        return []

    def _words_to_services(self) -> dict[str, str]:
        if self._service_words is None:
            words = {s.replace("-", ""): s for s in self.table.all_services}
            words.update({k: v for k, v in _SERVICE_ALIASES.items() if v in self.table.all_services})
            self._service_words = words
        return self._service_words

    def _bounded(self, call: ast.Call, pagings: list[Paging], scope: FunctionNode | None) -> bool:
        limits = _LIMIT_NAMES | {p.limit_key for p in pagings if p.limit_key}
        operation = pagings[0].operation
        tags = _head_noun(operation).endswith("tag")
        for kw in call.keywords:
            if kw.arg is None or _is_none(kw.value):
                continue
            if kw.arg in limits and self._deliberate_limit(kw.value, scope):
                return True
            if _names_listed_items(kw.arg, operation):
                return True
            if tags and (kw.arg.lower() == "resource" or _singular_identifier(kw.arg)):
                return True  # the tags of one resource: AWS allows at most 50, less than a page
            if kw.arg.endswith("Filters") and any(
                _names_listed_items(name, operation, plural=True) for name in _filtered_names(kw.value)
            ):
                return True
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
        return True

    def _is_parameter(self, node: ast.AST, scope: FunctionNode | None) -> bool:
        if not isinstance(node, ast.Name) or scope is None:
            return False
        for func in [scope, *self.boto.enclosing(scope)]:
            if any(p.arg == node.id for p in parameters(func)):
                return True
            if node.id in self.boto.local_names(func):
                return False
        return False

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

    def _region(self, scope: FunctionNode | None) -> _Region:
        """The calls of the outermost function around `scope`, grouped once by what they call, so
        that asking about each of N calls costs the calls of its own operation, not all N."""
        root = self.boto.root(scope)
        key = id(root) if root is not None else 0
        region = self._region_index.get(key)
        if region is None:
            region = _Region()
            root_name = getattr(root, "name", None) if root is not None else None
            for other in self._region_calls(scope):
                func = other.func
                if isinstance(func, ast.Attribute):
                    region.by_operation.setdefault(func.attr, []).append(other)
                    if func.attr == "get_paginator":
                        named = _operation_arg(other, self.boto.module_constant)
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
        listing: _Listing,
    ) -> bool:
        region = self._region(scope)
        theirs = self._token_listings(region, operation, tokens, scope)
        # The loop's call usually spells the listing as the first call does: one look-up; else compare.
        exact = region.token_identities.get((operation, tokens))
        if exact is None:
            exact = region.token_identities[(operation, tokens)] = {_identity(t) for t in theirs}
        if _identity(listing) in exact or any(_same_listing(listing, t) for t in theirs):
            return True
        for other in region.paginators.get(operation, ()):
            if isinstance(other.func, ast.Attribute) and _same_listing(listing, (dotted(other.func.value), ())):
                return True
        if region.recursive and root is not None:
            outputs = {_display_token(t).split(".")[0] for p in pagings for t in p.output_tokens}
            if region.strings is None:
                region.strings = frozenset(
                    n.value for n in ast.walk(root) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                )
            return not outputs.isdisjoint(region.strings)
        return False

    def _token_listings(
        self, region: _Region, operation: str, tokens: frozenset[str], scope: FunctionNode | None
    ) -> list[_Listing]:
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

    def _listing(self, call: ast.Call, scope: FunctionNode | None) -> _Listing:
        """The receiver's text and the constant arguments, also those of a local `**kwargs` dict literal."""
        found = self._listings.get(id(call))
        if found is None:
            found = self._listings[id(call)] = self._listing_uncached(call, scope)
        return found

    def _listing_uncached(self, call: ast.Call, scope: FunctionNode | None) -> _Listing:
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
            if kw.arg in tokens and not _is_none(kw.value):
                return True
            if kw.arg is None and self._dict_may_hold(kw.value, tokens, scope, 0):
                return True
            if isinstance(kw.value, ast.Name) and _TOKENISH.search(kw.value.id) and self._is_parameter(kw.value, scope):
                return True  # `lambda after: client.list_x(after=after)`: the caller walks the pages
            if kw.arg is not None and _POSITION.search(kw.arg) and not isinstance(kw.value, ast.Constant):
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
        owner = None
        for func in [scope, *self.boto.enclosing(scope)]:
            if name in self.boto.local_names(func):
                owner = func
                break
        if owner is None or any(p.arg == name for p in parameters(owner)):
            return True  # a module-level dict, or the caller's: it may hold anything
        parents = self._parent_map(owner)
        for node in parents.names(owner).get(name, ()):
            parent = parents.get(id(node))
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
                call = parents.get(id(parent))
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
            elif isinstance(parent, ast.Call) and node in parent.args and not _only_reads(parent):
                return True  # handed to a function that may add keys
            elif isinstance(parent, ast.keyword) and parent.arg is not None:
                return True
        return False

    def _shadowed(self, scope: FunctionNode | None) -> set[str]:
        return self.boto.local_names(scope) if scope is not None else set()

    # -- is the response read? --------------------------------------------------------------------

    def _parent_map(self, scope: FunctionNode | None) -> _Parents:
        key = id(scope) if scope is not None else 0
        if key not in self._parents:
            top: ast.AST = scope if scope is not None else self.ctx.tree
            parents = _Parents()
            stack = [top]
            while stack:
                node = stack.pop()
                for child in ast.iter_child_nodes(node):
                    parents[id(child)] = node
                    stack.append(child)
            self._parents[key] = parents
        return self._parents[key]

    def _loads(self, scope: FunctionNode | None) -> dict[str, list[ast.Name]]:
        """Every read of a name in `scope` (nested scopes included), by name, built once per scope."""
        key = id(scope) if scope is not None else 0
        if key not in self._name_loads:
            top: ast.AST = scope if scope is not None else self.ctx.tree
            loads: dict[str, list[ast.Name]] = {}
            for node in ast.walk(top):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    loads.setdefault(node.id, []).append(node)
            self._name_loads[key] = loads
        return self._name_loads[key]

    def _first_use(self, call: ast.Call, scope: FunctionNode | None, pagings: list[Paging]) -> ast.AST | None:
        """The first place the response is read for its results, or None when it never is (or when
        the way it is used shows it is no boto3 response)."""
        results = _result_keys(pagings)
        parents = self._parent_map(scope)
        node: ast.AST = call
        parent = parents.get(id(node))
        while isinstance(parent, ast.Await):
            node, parent = parent, parents.get(id(parent))
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
                outer = parents.get(id(parent))
                if outer is not None and _not_a_dict(parent, outer):
                    return None
                if outer is not None and not isinstance(outer, ast.Expr) and _reads_results(parent, outer, parents, results):
                    return parent
        else:
            if _not_a_dict(node, parent):
                return None
            return parent if _reads_results(node, parent, parents, results) else None
        assignment = parent
        after = (getattr(assignment, "end_lineno", 0) or 0, getattr(assignment, "end_col_offset", 0) or 0)
        foreign, reading, positions = self._reads_of(scope, tuple(sorted(set(target_names))), results)
        if foreign or not reading:
            return None
        # The first read after the assignment; a read above it is reached around a loop.
        index = bisect.bisect_left(positions, after)
        return reading[index] if index < len(reading) else reading[0]

    def _reads_of(
        self, scope: FunctionNode | None, names: tuple[str, ...], results: ResultKeys
    ) -> tuple[bool, list[ast.Name], list[tuple[int, int]]]:
        """For the names a response is bound to: whether some read shows it is no boto3 response, and
        the reads of its results in source order. Computed once per scope, names and result keys, so
        N responses bound to one name cost N, not N squared."""
        key = (id(scope) if scope is not None else 0, names, tuple(sorted(results.items(), key=lambda kv: kv[0])))
        found = self._reads_memo.get(key)
        if found is None:
            parents = self._parent_map(scope)
            loads = self._loads(scope)
            uses = sorted((n for name in names for n in loads.get(name, ())), key=lambda n: (n.lineno, n.col_offset))
            foreign = False
            reading: list[ast.Name] = []
            for use in uses:
                use_parent = parents.get(id(use))
                if use_parent is None:
                    continue
                if _not_a_dict(use, use_parent):
                    foreign = True
                    break
                if _reads_results(use, use_parent, parents, results):
                    reading.append(use)
            found = self._reads_memo[key] = (foreign, reading, [(n.lineno, n.col_offset) for n in reading])
        return found

    # -- paginators -------------------------------------------------------------------------------

    def paginator(self, call: ast.Call, scope: FunctionNode | None, want201: bool, want202: bool) -> Iterator[Finding]:
        assert isinstance(call.func, ast.Attribute)
        operation = _operation_arg(call, self.boto.module_constant)
        if operation is None or len(call.args) + len(call.keywords) != 1:
            return
        receiver = self.boto.classify(call.func.value, scope)
        if receiver.kind == CLIENT and receiver.service is not None and receiver.service in self.table.all_services:
            choices = self.table.operations(receiver.service)
            reason = f"the `{receiver.service}` client has no paginator for `{operation}`"
        elif receiver.kind == CLIENT or (receiver.kind == UNKNOWN and (_SNAKE.match(operation) or _pascal(operation))):
            label = dotted(call.func.value) or ""
            if receiver.kind == UNKNOWN and label.split(".")[-1] in ("self", "cls"):
                return
            choices = tuple(sorted(self.table.paginator_names))
            reason = f"no AWS service has a paginator for `{operation}`"
        else:
            return
        if operation not in choices:
            if want202:
                shown = _shorten(operation)
                reason = reason.replace(f"`{operation}`", f"`{shown}`")
                yield AwsOperationNotPageable.at(call, operation=shown, reason=reason, hint=_suggest(operation, choices))
            return
        if want201:
            pagings = self.table.pagings(operation, [receiver.service] if receiver.service else None)
            if any(self.table.unpaged_unless_asked(p.service, operation) or quota(p.service, operation) for p in pagings):
                return  # every item fits the first page
            yield from self._one_page(call, scope, operation, pagings)

    def _one_page(self, call: ast.Call, scope: FunctionNode | None, operation: str, pagings: list[Paging]) -> Iterator[Finding]:
        """`paginate()` calls on this paginator whose pages are read only up to the first."""
        parents = self._parent_map(scope)
        paginate_calls: list[ast.Call] = []
        parent = parents.get(id(call))
        if isinstance(parent, ast.Attribute) and parent.attr == "paginate":
            grand = parents.get(id(parent))
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
        parents = self._parent_map(scope_of)
        first = _first_of(paginate, parents)
        if first is not None:
            return first
        parent = parents.get(id(paginate))
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
            return None
        name = parent.targets[0].id
        top: ast.AST = scope_of if scope_of is not None else self.ctx.tree
        found: ast.AST | None = None
        for node in _named_loads(top, name, parents):
            one = _first_of(node, parents)
            if one is None:
                return None  # the pages are also read some other way
            found = found or one
        return found


_READERS = frozenset({"print", "len", "str", "repr", "dict", "list", "sorted", "bool", "isinstance"})
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "dumps"})


def _only_reads(call: ast.Call) -> bool:
    """A call that reads a dict and cannot add a key to it: `print(kwargs)`, `log.debug("%s", kwargs)`."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in _READERS
    return isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS


def _first_of(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST | None:
    """`next(iter(pages))`, `list(pages)[0]`: the expression that reads only the first page."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.args and parent.args[0] is node:
        grand = parents.get(id(parent))
        if parent.func.id == "iter" and isinstance(grand, ast.Call) and isinstance(grand.func, ast.Name) and grand.func.id == "next":
            return grand
        if parent.func.id in ("list", "tuple") and isinstance(grand, ast.Subscript) and grand.value is parent:
            if isinstance(grand.slice, ast.Constant) and grand.slice.value == 0:
                return grand
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
        # `for page in pages: ... break` (or `return`) leaves after the first page, whatever it held,
        # unless a `continue` before it goes on to the next page (also from an inner loop's `else`).
        for index, stmt in enumerate(parent.body):
            if isinstance(stmt, (ast.Break, ast.Return)):
                return None if _may_continue(parent.body[:index]) else stmt
    return None


def _may_continue(statements: list[ast.stmt]) -> bool:
    """Whether a `continue` among `statements` continues the loop they belong to (a `continue` in an
    inner loop's body continues that loop; one in its `else` continues ours)."""
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Continue):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


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
                if isinstance(key, ast.Constant) and key.value == "StartingToken" and not _is_none(value):
                    return True
            for key, value in zip(config.keys, config.values):
                if isinstance(key, ast.Constant) and key.value == "MaxItems":
                    return _small_constant(value)
    return False


ResultKeys = Dict[str, Optional[FrozenSet[str]]]


class _Parents(Dict[int, ast.AST]):
    """A scope's parent map (child id -> parent) that also indexes, once per scope it is asked
    about, every name node by name: reading N responses asks about the same scope N times."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[int, dict[str, list[ast.Name]]] = {}
        self._loads: dict[tuple[int, str], list[ast.Name]] = {}
        self.only_tested: dict[tuple[int, str], bool] = {}  # memo of `_name_only_tested`

    def names(self, scope: ast.AST) -> dict[str, list[ast.Name]]:
        """name -> its Name nodes (loads and stores) in `scope`, nested scopes included, in `ast.walk` order."""
        found = self._names.get(id(scope))
        if found is None:
            found = {}
            for node in ast.walk(scope):
                if isinstance(node, ast.Name):
                    found.setdefault(node.id, []).append(node)
            self._names[id(scope)] = found
        return found

    def loads(self, scope: ast.AST, name: str) -> list[ast.Name]:
        key = (id(scope), name)
        found = self._loads.get(key)
        if found is None:
            found = self._loads[key] = [n for n in self.names(scope).get(name, ()) if isinstance(n.ctx, ast.Load)]
        return found


def _named_loads(scope: ast.AST, name: str, parents: dict[int, ast.AST]) -> list[ast.Name]:
    """The reads of `name` in `scope`, from the index when `parents` keeps one."""
    if isinstance(parents, _Parents):
        return parents.loads(scope, name)
    return [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]


def _result_keys(pagings: list[Paging]) -> ResultKeys:
    """Top-level response key -> None when it holds results itself, or the keys inside it that do
    (`StreamDescription` -> {"Shards"}: its other keys describe the stream and fit any page)."""
    keys: ResultKeys = {}
    for paging in pagings:
        for expression in paging.result_keys:
            head, _, rest = expression.partition(".")
            top = head.split("[")[0].strip()
            if not rest:
                keys[top] = None
            elif top not in keys or keys[top] is not None:
                inner = rest.split(".")[0].split("[")[0].strip()
                keys[top] = (keys.get(top) or frozenset()) | {inner}
    return keys


def _token_read(expr: ast.AST, parents: dict[int, ast.AST]) -> tuple[object, ast.expr] | None:
    """(key, node) for `expr[key]`, `expr.get(key)` or `key in expr` with a constant key."""
    parent = parents.get(id(expr))
    if isinstance(parent, ast.Compare) and expr in parent.comparators and isinstance(parent.left, ast.Constant):
        return parent.left.value, parent
    found = _const_key_read(expr, parents)
    if found is not None and isinstance(found[1], ast.expr):
        return found[0], found[1]
    return None


def _read_position(use: ast.AST, call: ast.Call) -> tuple[int, int]:
    """Where a read of the response is: the key of `resp["Items"]` or `resp.get("Items")` (which may
    sit lines below the call it reads), else the read itself; never above the call it reads."""
    node: ast.AST = use
    if isinstance(use, ast.Subscript):
        node = use.slice
    elif isinstance(use, ast.Call) and use.args:
        node = use.args[0]
    line, col = getattr(node, "lineno", call.lineno), getattr(node, "col_offset", 0)
    if isinstance(use, ast.Name) or (line, col) > (call.lineno, call.col_offset):
        return line, col
    end = call.end_lineno or call.lineno
    return end, call.end_col_offset or 0


def _const_key_read(expr: ast.AST, parents: dict[int, ast.AST]) -> tuple[object, ast.AST] | None:
    """(key, read) for `expr[key]` or `expr.get(key, ...)` with a constant key."""
    parent = parents.get(id(expr))
    if isinstance(parent, ast.Subscript) and parent.value is expr and isinstance(parent.slice, ast.Constant):
        return parent.slice.value, parent
    if isinstance(parent, ast.Attribute) and parent.value is expr and parent.attr == "get":
        call = parents.get(id(parent))
        if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant):
            return call.args[0].value, call
    return None


def _reads_inner(read: ast.AST, parents: dict[int, ast.AST], inner: FrozenSet[str]) -> bool:
    """Whether the value of `resp["StreamDescription"]` is read for one of its result keys."""
    found = _const_key_read(read, parents)
    if found is not None:
        key, sub = found
        return key in inner and not _existence_or_first_item(sub, parents)
    parent = parents.get(id(read))
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        scope: ast.AST | None = parent
        while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
            scope = parents.get(id(scope))
        if scope is None:
            return True
        for use in _named_loads(scope, parent.targets[0].id, parents):
            found = _const_key_read(use, parents)
            if found is None or (found[0] in inner and not _existence_or_first_item(found[1], parents)):
                return True
        return False
    return True


def _reads_results(node: ast.AST, parent: ast.AST, parents: dict[int, ast.AST], results: ResultKeys) -> bool:
    """Whether `parent` reads the response `node` for its results.

    Reading a token, the page's metadata or any other single value is not; neither is asking whether
    the first page holds anything (`if resp.get("Contents")`) or taking its first item
    (`resp["Items"][0]`): one page answers both.
    """
    if isinstance(parent, ast.Expr):
        return False
    read: ast.AST
    if isinstance(parent, ast.Subscript) and parent.value is node:
        if not isinstance(parent.slice, ast.Constant):
            return True
        key, read = parent.slice.value, parent
    elif isinstance(parent, ast.Attribute) and parent.value is node and parent.attr == "get":
        call = parents.get(id(parent))
        if not (isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant)):
            return True
        key, read = call.args[0].value, call
    elif isinstance(parent, ast.Compare) and node in parent.comparators and all(
        isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops
    ):
        return False  # `"NextToken" in resp`: a check, not a read
    else:
        return True
    # A boto3 response is a dict keyed by strings: `resp[0]` says the receiver is something else.
    if not isinstance(key, str) or key not in results:
        return False
    inner = results[key]
    if inner is not None:
        return _reads_inner(read, parents, inner)
    return not _existence_or_first_item(read, parents)


_DICT_METHODS = frozenset({"get", "keys", "items", "values", "copy", "pop", "setdefault", "update", "__getitem__"})


def _not_a_dict(node: ast.AST, parent: ast.AST) -> bool:
    """A use that no boto3 response (a dict keyed by strings) allows: iterating it directly, an
    attribute that dicts lack, an integer index. The receiver is then some other library."""
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
        return True
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return parent.attr not in _DICT_METHODS
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return isinstance(parent.slice, ast.Constant) and isinstance(parent.slice.value, int)
    return False


def _existence_or_first_item(expr: ast.AST, parents: dict[int, ast.AST], follow: bool = True) -> bool:
    """Whether the result list `expr` is only tested for emptiness or read for one item; through one
    local name too (`aliases = resp.get("AccountAliases", ()); return aliases and aliases[0]`)."""
    parent = parents.get(id(expr))
    if isinstance(parent, ast.Subscript) and parent.value is expr:
        return isinstance(parent.slice, ast.Constant) and parent.slice.value in (0, -1)
    if isinstance(parent, ast.Attribute) and parent.value is expr:
        call = parents.get(id(parent))
        return parent.attr == "pop" and isinstance(call, ast.Call) and not call.args
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.args and parent.args[0] is expr:
        if parent.func.id == "bool":
            return True
        if parent.func.id == "iter":
            grand = parents.get(id(parent))
            return isinstance(grand, ast.Call) and isinstance(grand.func, ast.Name) and grand.func.id == "next"
        if parent.func.id != "len":
            return False
        expr, parent = parent, parents.get(id(parent))
        if isinstance(parent, ast.Compare) and parent.left is expr:
            right = parent.comparators[0] if len(parent.comparators) == 1 else None
            return isinstance(right, ast.Constant) and right.value in (0, 1)
    if follow and isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return _name_only_tested(parent.targets[0].id, parent, parents)
    while isinstance(parent, (ast.UnaryOp, ast.BoolOp)):
        if isinstance(parent, ast.UnaryOp):
            return isinstance(parent.op, ast.Not)
        if isinstance(parent.op, ast.And) and parent.values[-1] is not expr:
            return True  # `items and ...`: a truth test of `items` (only an empty value flows on)
        expr, parent = parent, parents.get(id(parent))
    return isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is expr


def _name_only_tested(name: str, assign: ast.Assign, parents: dict[int, ast.AST]) -> bool:
    scope: ast.AST | None = assign
    while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
        scope = parents.get(id(scope))
    if scope is None:
        return False
    # Whatever else the name is bound to, if every read only tests it or takes one item, no read
    # needs more than the first page: the answer is the same for every binding of the name.
    memo = parents.only_tested if isinstance(parents, _Parents) else {}
    key = (id(scope), name)
    if key not in memo:
        loads = _named_loads(scope, name, parents)
        if not loads and isinstance(scope, ast.Module):
            memo[key] = False  # a module-level name is read by whoever imports it
        else:
            memo[key] = all(_existence_or_first_item(n, parents, follow=False) for n in loads)
    return memo[key]


# Who is asked and for what: the receiver's dotted text and the constant arguments of a call.
_Listing = Tuple[Optional[str], Tuple[Tuple[str, str], ...]]


# botocore's `more_results` flags (`IsTruncated`, `Truncated`, `HasMoreStreams`, `hasMoreResults` …), which the
# table keeps among a paging's other keys.
_MORE_RESULTS = re.compile(r"^(?:Is)?Truncated$|^[Hh]asMore|^Additional(?:DataPending|RoutesAvailable)$")


def _more_results_keys(paging: Paging) -> frozenset[str]:
    """The top-level response keys that say "there are more pages" for `paging`."""
    return frozenset(k for k in paging.other_keys if "." not in k and _MORE_RESULTS.match(k))


def _in_returned_value(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Whether `node` is part of the value a `return`/`yield` hands out, as itself or inside a tuple,
    dict, list or a `bool()`/`is not None` test of it (not inside some other call's argument)."""
    child: ast.AST = node
    parent = parents.get(id(child))
    while parent is not None:
        if isinstance(parent, (ast.Return, ast.Yield)):
            return True
        if isinstance(parent, ast.Call):
            if not (isinstance(parent.func, ast.Name) and parent.func.id == "bool"):
                return False
        elif isinstance(parent, ast.keyword):
            outer = parents.get(id(parent))
            if not (isinstance(outer, ast.Call) and isinstance(outer.func, ast.Name) and outer.func.id == "dict"):
                return False
            parent = outer
        elif not isinstance(parent, (ast.Tuple, ast.List, ast.Dict, ast.Compare, ast.UnaryOp, ast.BoolOp, ast.IfExp)):
            return False
        child, parent = parent, parents.get(id(parent))
    return False


def _assigned_name(node: ast.AST, parents: dict[int, ast.AST]) -> str | None:
    """`token` in `token = resp.get("NextToken")`."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


@dataclass(frozen=True)
class _Stale:
    """A call in a `while` loop whose token argument (`keyword=text`) reads `name`, which the loop never changes."""

    call: ast.Call
    keyword: str
    name: str
    text: str


def _token_root(value: ast.AST) -> str | None:
    """`resp` for `resp["NextToken"]`, `resp.get("NextToken")` or a bare `token`."""
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        return value.value.id
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "get"
        and isinstance(value.func.value, ast.Name)
    ):
        return value.func.value.id
    return None


def _enclosing_while(call: ast.Call, parents: dict[int, ast.AST]) -> ast.While | None:
    """The innermost `while` whose body holds `call`, within the call's own function."""
    node: ast.AST = call
    while True:
        parent = parents.get(id(node))
        if parent is None or isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
        if isinstance(parent, ast.While):
            return parent if node in parent.body else None
        node = parent


def _tests_token(test: ast.AST, name: str, outputs: frozenset[str], parents: dict[int, ast.AST]) -> bool:
    """Whether a loop test reads `name` or an output token of some response (`"NextToken" in resp`)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.Constant) and node.value in outputs:
            return True
    return False


_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__", "append", "extend"})


def _changed_in(loop: ast.While, name: str, parents: dict[int, ast.AST], tokens: frozenset[str]) -> bool:
    """Whether anything in the loop may give `name` another value: a binding, a store into it, a
    mutating method, or handing it to a function (other than as a listing's token, or to a reader)."""
    for node in ast.walk(loop):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return True  # a nested scope may rebind it through `nonlocal`: not followed
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        if not isinstance(node.ctx, ast.Load):
            return True
        parent = parents.get(id(node))
        if isinstance(parent, ast.Subscript) and not isinstance(parent.ctx, ast.Load):
            return True
        if isinstance(parent, ast.Attribute) and parent.attr in _MUTATORS:
            return True
        if isinstance(parent, ast.keyword) and parent.arg in tokens:
            continue  # `NextToken=token`: sent as a listing's token, which does not change it
        holder = parent.value if isinstance(parent, ast.keyword) else None
        outer = parents.get(id(parent)) if isinstance(parent, ast.keyword) else parent
        if isinstance(outer, ast.Call) and (node in outer.args or holder is node):
            if not _only_reads(outer):
                return True
        if isinstance(parent, ast.Starred):
            return True
    return False


class _Region:
    """The calls of one outermost function, by the attribute they call and by the operation a
    `get_paginator` names; whether the function calls itself; the token-passing calls found so far."""

    def __init__(self) -> None:
        self.stale: dict[tuple[str, frozenset[str]], list[tuple[_Listing, _Stale]]] = {}
        self.by_operation: dict[str, list[ast.Call]] = {}
        self.paginators: dict[str, list[ast.Call]] = {}
        self.recursive = False
        self.strings: frozenset[str] | None = None  # the string constants of a recursive function
        self.token_listings: dict[tuple[str, frozenset[str]], list[_Listing]] = {}
        self.token_identities: dict[tuple[str, frozenset[str]], set[_Listing]] = {}


def _identity(listing: _Listing) -> _Listing:
    """What `_same_listing` compares: the receiver and the constants that are neither a page size nor a position."""
    return listing[0], tuple((n, v) for n, v in listing[1] if n not in _LIMIT_NAMES and not _POSITION.search(n))


def _same_listing(one: _Listing, other: _Listing) -> bool:
    """Whether a call that follows the token may be paging the same listing as this one. Token handling
    is per listing: `src.scan(...)` in a loop does not page `dst.scan(...)`, nor does a loop over
    `Bucket="logs"` page a call for `Bucket="audit"`."""
    if one[0] is not None and other[0] is not None and one[0] != other[0]:
        return False
    theirs = dict(other[1])
    # A page size or a position differs between the first call and the loop's without changing the listing.
    return all(
        theirs.get(name, value) == value for name, value in one[1] if name not in _LIMIT_NAMES and not _POSITION.search(name)
    )


def _operation_arg(call: ast.Call, constant: Callable[[str], object] = lambda name: None) -> str | None:
    """The operation named by `get_paginator("op")`, also through a module-level constant."""
    arg: ast.AST | None = call.args[0] if call.args else None
    for kw in call.keywords:
        if kw.arg == "operation_name":
            arg = kw.value
    value = arg.value if isinstance(arg, ast.Constant) else constant(arg.id) if isinstance(arg, ast.Name) else None
    return value if isinstance(value, str) else None


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _shorten(text: str, limit: int = 80) -> str:
    """A name as a message shows it: a generated megabyte-long literal is not repeated whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pascal(name: str) -> bool:
    """`TableName`, `DescribeStacks`: an ASCII capital, then letters and digits with a lower-case one.
    One pass over the text: a pattern with two starred classes backtracks quadratically on long literals."""
    return (
        name[:1].isascii()
        and name[:1].isupper()
        and all(ch in _ASCII_ALNUM for ch in name)
        and any("a" <= ch <= "z" for ch in name)
    )


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _names_listed_items(keyword: str, operation: str, plural: bool = False) -> bool:
    """`InstanceIds` for `describe_instances`, `StackName` for `describe_stacks`: a filter to the very
    items the operation lists. A parent scope (`HostedZoneId` for `list_resource_record_sets`) is not.

    A list of identifiers (`plural`, or a keyword spelled in the plural) also bounds the operations that
    answer once per item: `ConfigRuleNames` for `describe_config_rule_evaluation_status`, `Versions`
    for `describe_launch_template_versions`.
    """
    lowered = keyword.replace("-", "").replace("_", "").lower()
    noun = _head_noun(operation)
    if not noun:
        return False
    suffix = next((s for s in _ITEM_SUFFIXES if lowered.endswith(s)), None)
    if suffix is None:
        # `Versions=[...]` names the listed items themselves.
        return lowered.endswith("s") and len(lowered) > 3 and noun.endswith(_singular(lowered))
    stem = lowered[: -len(suffix)]
    plural = plural or suffix.endswith("s")
    if not stem:
        return plural  # `Names=[...]`, `Ids=[...]`
    stem = _singular(stem)
    if plural:
        return noun.endswith(stem) or noun.startswith(stem)
    # One identifier bounds a listing of such items (`describe_stacks(StackName=)`), not the pages
    # inside one item (`describe_stream(StreamName=)` pages its shards, `get_group` its users).
    return noun.endswith(stem) and _head_noun(operation, singular=False).endswith("s")


def _singular_identifier(keyword: str) -> bool:
    """`ResourceArn`, `KeyId`, `resourceName`: one resource named by its identifier."""
    lowered = keyword.lower()
    return any(lowered.endswith(s) for s in _ITEM_SUFFIXES if not s.endswith("s")) and not lowered.endswith(
        tuple(s for s in _ITEM_SUFFIXES if s.endswith("s"))
    )


def _head_noun(operation: str, singular: bool = True) -> str:
    """`describe_db_instances` -> "dbinstance"; `list_subscriptions_by_topic` -> "subscription"."""
    head: list[str] = []
    for word in operation.split("_")[1:]:
        if word in _PREPOSITIONS:
            break
        head.append(word)
    return _singular("".join(head)) if singular else "".join(head)


def _filtered_names(value: ast.AST) -> Iterator[str]:
    """The names filtered on in `Filters=[{"Name": "instance-id", "Values": [...]}]` (or `Key`)."""
    if not isinstance(value, (ast.List, ast.Tuple)):
        return
    for element in value.elts:
        if not isinstance(element, ast.Dict):
            continue
        fields = {k.value: v for k, v in zip(element.keys, element.values) if isinstance(k, ast.Constant)}
        name = fields.get("Name", fields.get("Key"))
        if isinstance(name, ast.Constant) and isinstance(name.value, str) and "Values" in fields:
            yield name.value


def _main_paging(pagings: list[Paging], call: ast.Call | None = None) -> Paging:
    """The paging most services share (for a receiver of unknown service), among those spelled like
    the call's own keywords: a call with `PolicyId=` loops on `NextToken`, not `nextMarker`."""
    names = [kw.arg for kw in call.keywords if kw.arg] if call is not None else []
    if names:
        pascal = sum(1 for n in names if n[:1].isupper()) * 2 >= len(names)
        alike = [p for p in pagings if p.input_tokens and p.input_tokens[0][:1].isupper() == pascal]
        pagings = alike or pagings
    counts: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    for p in pagings:
        key = (p.input_tokens, p.output_tokens)
        counts[key] = counts.get(key, 0) + 1
    best = max(counts, key=lambda k: counts[k])
    return next(p for p in pagings if (p.input_tokens, p.output_tokens) == best)


def _display_token(token: str) -> str:
    return token.split("||")[0].strip()


def _receiver_text(node: ast.AST, receiver: Receiver) -> str:
    """How the fix names the client: as the code spells it (`s3`, `self._ec2`, `sqs()`,
    `boto3.client('s3')`) when that is short, else `client`."""
    text = dotted(node)
    if text is None and isinstance(node, ast.Call):
        spelled = ast.unparse(node)
        text = spelled if len(spelled) <= 40 and "\n" not in spelled else None
    text = text or "client"
    if receiver.kind == TABLE:
        return f"{text}.meta.client"
    return text


def _to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _suggest(operation: str, choices: Iterable[str]) -> str:
    pool = list(choices)
    if not pool:
        return "this service has no paginators: call the operation once, or loop on its token yourself"
    close = difflib.get_close_matches(_to_snake(operation), pool, n=3, cutoff=0.75)
    if not close:
        return "no paginated operation has a similar name: call a non-paginated operation directly"
    return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"


FAMILY = Family(name="pagination", rules=(UnpaginatedAwsCall, AwsOperationNotPageable), check=check)
