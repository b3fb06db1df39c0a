"""AWS201 and AWS202: the rule classes, with their documentation and examples."""

from __future__ import annotations

from awslint.rule import Rule


class UnpaginatedAwsCall(Rule):
    """
    ## What it finds

    A call of a paginated boto3 operation (DynamoDB `scan`, S3 `list_objects_v2`, SNS `list_topics` and
    some 3,000 more) whose response is read, in a function that never passes the operation's output
    token back into another call of it and uses no paginator. Taking only the first page of a paginator
    (`next(iter(paginator.paginate()))`) is reported too.

    Token handling is per listing: a loop over `src.scan(TableName="a")` does not page a single
    `dst.scan(TableName="b")` beside it, and a function that recurses to page `list_policies(**kwargs)`
    does not page a single `list_groups()` beside it.

    A loop that passes on a key of the response the operation's token is not (`NextToken` for
    `list_objects_v2`, whose token is `NextContinuationToken`, or for ECS, whose token is `nextToken`)
    never gets past the first page, and is reported with a message that names the right key. A loop
    that tests the token but never passes it back, or passes one its loop never updates
    (`ExclusiveStartKey=first["LastEvaluatedKey"]` while each page goes to another name, a token
    rebound only on the way out of the loop, before a `break`, or one rebound in the loop from the
    first response, `token = first.get("NextToken")`), asks for the same page again; one that tests
    the token on a response it never updates (`while "NextToken" in first:`) while passing the latest
    page's does not stop after the last page, unless it breaks when the latest page has no token (a
    `break` on a count, `if len(rows) > 10_000`, is only a cap). Both are reported once, at the first
    call, with a message that says so.

    A DynamoDB `scan` or `query` with a `FilterExpression` (or the legacy `ScanFilter`/`QueryFilter`)
    is reported even when only its first item or its emptiness is read, and even with a small `Limit`:
    DynamoDB filters each page after reading it (and `Limit` counts the items read), so a page may hold
    no match while more remain (`awslint/data/filtered_pages.py`).

    Not reported: calls bounded on purpose (`MaxKeys`, `Limit`, `MaxResults` set to a small constant, a
    parameter without a large default, or a setting — unless the setting's name says it sizes the
    pages, as `settings.SSM_PAGE_SIZE` or `self.batch_size` do), calls filtered to the very items they list
    (`InstanceIds=[...]`, `StackName=`, a list of their identifiers such as `ResourceARNList=[...]`,
    but not a name botocore documents as shared by many of them, as `list_metrics`' `MetricName`; a
    `Filters` entry on the items' own id or name, unless its
    value is a wildcard pattern such as `app-*`, or on a resource that can be associated with only
    one of them, as `association.subnet-id` for route tables and network ACLs), the tags of one
    resource (AWS allows 50), calls whose
    token comes from a parameter or a `**kwargs` dict that receives it (the caller pages; also a
    paginator's `StartingToken`), a first page handed to a function of the module that calls the
    operation again with the token (`return _drain(ddb.scan(TableName=t))`) or reads none of its
    results (the helper's parameter is judged as a local name would be), a page returned to the
    caller with its token or a test of it (`return items, bool(resp.get("NextToken"))`), a page whose
    token or `IsTruncated` is tested only to raise or assert when there is more (one page on purpose,
    and loud when it is not enough; only logging it is reported), responses that are never read for
    their results (only checked for emptiness — also a `Count` compared with zero —, against `None`,
    for the type of a result list, or for their first item, also past a stand-in, `(items or
    [None])[0]`, and otherwise only shown in an exception
    raised or a log line), operations that return every item unless the call passes the limit key
    (S3 `list_buckets`, and those whose botocore model says so, as EC2 `describe_security_groups`:
    "If this parameter is not specified, then all items are returned"), operations whose token botocore documents as reserved for future use or unused (CloudTrail
    `list_tags`), and listings of one parent bounded by a hard AWS quota below one page (the 5
    targets of an EventBridge rule, the 2 access keys of an IAM user, the 10 rules of a WAF Classic
    rule group, the one root of an
    organization: `awslint/data/quotas.py` names each quota and its source).

    The receiver must be a boto3 client or DynamoDB `Table`: known from `boto3.client("s3")`,
    `Session(...).client(...)`, `resource(...).meta.client`, `.Table(name)`, the stub types
    (`S3Client`, `DynamoDBClient`), an item of a dict or list built from clients
    (`self.clients[region]`), or, where its origin is unknown, from a PascalCase keyword argument
    or a name that says what it is (`sns`, `ddb_client`, `ddb_table` for a `Table`); in a module that
    imports boto3, a name that says only "a client" (`client`, `conn`, `api`) counts too, for an
    operation with an underscore (`conn.scan()` may be a Redis cursor). Such a receiver
    is judged only for the services whose operation takes every keyword the call passes (WAFv2's
    `list_web_acls(Scope=...)`, which has no paginator, is not WAF Classic's), and not at all where
    another service has an unpaged operation of the same name that the call fits as well, unless the
    module makes clients only of the services that page it (`regional_client.describe_addresses()`
    may be EC2's, which returns every address in one call, as well as Snowball's, which pages).

    ## Why is this bad?

    The service returns at most one page per call (1 MB for a DynamoDB scan, 1,000 keys for S3, often
    50 or 100 items). Code that reads one response works in tests and on small accounts, then silently
    drops data in production once a table, bucket or account grows past the first page.

    ## Where it reports

    In product code only: not in test code (test files and folders, `test_*` functions, pytest fixtures,
    `TestCase` methods, code under moto's `mock_aws` or a `Stubber`), where tests list the few items they
    just created in a mocked account. Reported at the call of the operation (for a paginator, the
    `paginate` call). The message names the key to loop on as botocore's paginator does: S3's
    `list_objects` answers `NextMarker` only to a call with a `Delimiter`, so its loop runs while
    `IsTruncated` is true and passes the page's last key when `NextMarker` is absent.

    ## References

    - [boto3: Paginators](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/paginators.html)
    - [DynamoDB: paginating table query and scan results](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination)
    """

    code = "AWS201"
    name = "unpaginated-aws-call"
    msgid = "W7321"
    needs = frozenset({"cfg", "model", "receivers", "testcode"})
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

    The message says what to do instead: a paginated operation of a similar name, or, for an operation
    that pages through a token botocore has no paginator for (Cost Explorer `get_cost_and_usage`,
    Secrets Manager `list_secret_version_ids`, 886 in botocore 1.43), the loop on its own token; and
    when the client's service has no operation of that name at all (`sqs.get_paginator("list_topics")`),
    which services do, since the client is likely the wrong one.

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
    needs = frozenset({"model", "receivers", "testcode"})
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
