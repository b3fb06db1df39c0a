"""The AWS SDK rules beyond pagination (AWS203–AWS206): what each finds, why, and its examples."""
from __future__ import annotations

from awslint.rule import Rule


class AwsBatchFailuresIgnored(Rule):
    """
    ## What it finds

    A call of a boto3 operation that reports per-item failures in its response instead of raising
    (DynamoDB `batch_write_item`'s `UnprocessedItems`, SQS `send_message_batch`'s `Failed`, Kinesis
    `put_records`' `FailedRecordCount`, S3 `delete_objects`' `Errors`, ECS `run_task`'s `failures`
    and some 300 more, generated from botocore's models: an `Errors` list counts when its entries name
    the item each is about, or, for a `batch_*` operation, hold something besides the error, as Glue
    `batch_create_partition`'s `PartitionValues`) whose response no path reads for that member:
    no subscript, `.get`, `in` test, iteration over the response or `**` unpacking. For Kinesis
    `put_records` and EventBridge `put_events`, reading each entry's `ErrorCode` counts as reading the
    failures. A call in a lambda is judged by what becomes of the lambda's results: mapped over chunks
    with the results dropped (`pool.map(lambda c: sqs.send_message_batch(...), chunks)` as a statement)
    or called as a statement through its name, every response is dropped.

    A response passed to a function of the same module or a method of the same class is followed into
    that function's parameter: a helper that checks only the HTTP status reads no failures.

    Not reported: a response that is handed over (returned, yielded, stored in an attribute or a
    container, passed to a function of another module other than a logger), `Table.batch_writer()` (it retries on its
    own), look-ups whose `failures` only name what was not found (ECS `describe_tasks`), a removal of
    children followed by the deletion of their parent, which AWS refuses while a child is left
    (`events.remove_targets(Rule=r, ...)` then `events.delete_rule(Name=r)`; S3 `delete_objects`
    then `delete_bucket`; ECR `batch_delete_image` then `delete_repository` without `force=True`:
    `awslint/data/emptied_before_delete.py`), a list of the items that succeeded tested for
    emptiness or compared, also through a name it is bound to (`runs = resp["SuccessfulSubmissions"];
    if len(runs) > 0:`), and test code. The receiver is found as for AWS201, also one a method or
    function returns (`self.get_conn().batch_create_partition(DatabaseName=..., ...)`), judged by the
    factory's name and the call's boto3-spelled keywords.

    ## Why is this bad?

    These operations succeed as a whole when some of their items fail: throttled writes come back in
    `UnprocessedItems`, rejected messages in `Failed`. Code that never looks loses those items
    silently, usually under load, when it matters most.

    ## Where it reports

    At the call of the operation; not in test code.

    ## References

    - [DynamoDB: BatchWriteItem](https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html)
    - [Amazon SQS: SendMessageBatch](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html)
    """

    code = "AWS203"
    name = "aws-batch-failures-ignored"
    msgid = "W7323"
    needs = frozenset({"model", "receivers", "testcode"})
    title = "Batch AWS operation whose per-item failures are never read"
    message = "`{operation}` reports {reported}, and they are dropped here; {fix}"
    INVALID = (
        '''
import boto3

dynamodb = boto3.client("dynamodb")

def save(table, items):
    dynamodb.batch_write_item(  # expect: AWS203
        RequestItems={table: [{"PutRequest": {"Item": item}} for item in items]}
    )
''',
    )
    VALID = (
        '''
import time

import boto3

dynamodb = boto3.client("dynamodb")

def save(table, items):
    request = {table: [{"PutRequest": {"Item": item}} for item in items]}
    while request:
        response = dynamodb.batch_write_item(RequestItems=request)
        request = response.get("UnprocessedItems")
        if request:
            time.sleep(0.5)

def save_with_writer(table_name, items):
    with boto3.resource("dynamodb").Table(table_name).batch_writer() as writer:
        for item in items:
            writer.put_item(Item=item)
''',
    )


class AwsPollingWithoutWaiter(Rule):
    """
    ## What it finds

    A `while` or `for` loop that calls a boto3 operation, sleeps (`time.sleep`, `asyncio.sleep`, or a
    helper of the module or class that calls them) and leaves (a `break`, a `return`, the loop's
    condition, or a `case` of a `match` whose body breaks or returns) on a comparison of a value read from the
    response with a constant that an acceptor of one of that operation's botocore waiters expects:
    `describe_instances` until `State.Name` is `"running"`, `describe_cluster` until `"ACTIVE"`, or
    while `LastUpdateStatus` is `"InProgress"` (a state the waiter retries on). The constant may be a
    literal, a module constant or a tuple of them, a constants class's attribute or an enum member's
    value; the call may sit in a small helper of the same module or class that returns the response
    or the state, called in the loop.

    Not reported: a comparison with a value no waiter of the operation expects (a state of its own), a
    loop that waits while the state is a waiter's success state or until it is a failure state, a
    value read under another field than the waiter's, a `for` loop over items that asks about the
    current item on each turn (`for iid in ids: ...InstanceIds=[iid]`: a search, sleeping for the rate
    limit, not a wait), operations without a waiter, and test code.

    A loop that leaves on states different waiters are made for (`in ("CREATE_COMPLETE",
    "UPDATE_COMPLETE")`, after a create or an update) gets each named: the waiter made for a state is
    the one that accepts the fewest states (`stack_create_complete` takes `UPDATE_IN_PROGRESS` as done,
    so after an update only `stack_update_complete` waits).

    ## Why is this bad?

    A hand-written poll usually lacks what the waiter has: a delay tuned to the service, a limit on
    the attempts, and the failure states that end the wait early. Loops that poll forever when the
    resource fails, or hammer the API, are the common result.

    ## Where it reports

    At the call of the operation (inside the loop, or in the helper the loop calls); not in test code.

    ## References

    - [boto3: Waiters](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html#waiters)
    """

    code = "AWS204"
    name = "aws-polling-without-waiter"
    msgid = "C7324"
    needs = frozenset({"model", "receivers", "testcode"})
    title = "Polling loop that a botocore waiter implements"
    message = (
        "this loop polls `{operation}` until {condition}, which the `{waiter}` waiter does with "
        "backoff and a time limit: `{receiver}.get_waiter('{waiter}').wait({arguments})`{others}"
    )
    INVALID = (
        '''
import time

import boto3

ec2 = boto3.client("ec2")

def wait_running(instance_id):
    while True:
        reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]  # expect: AWS204
        if reservations[0]["Instances"][0]["State"]["Name"] == "running":
            return
        time.sleep(5)
''',
    )
    VALID = (
        '''
import time

import boto3

ec2 = boto3.client("ec2")

def wait_running(instance_id):
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id])

def wait_reachable(instance_id):
    while True:
        statuses = ec2.describe_instance_status(InstanceIds=[instance_id])["InstanceStatuses"]
        if statuses and statuses[0]["InstanceStatus"]["Status"] == "initializing":
            return
        time.sleep(5)
''',
    )


class DeprecatedAwsApi(Rule):
    """
    ## What it finds

    A call of a boto3 operation that botocore's service model marks deprecated in the receiver's
    service (EFS `create_tags`, GuardDuty `get_master_account`, S3 `get_bucket_lifecycle`), or that its
    documentation says is superseded by a named successor (S3 `list_objects` -> `list_objects_v2`,
    Macie `get_master_account` -> `get_administrator_account`);
    and an import of `botocore.vendored.requests` or of any part of it that botocore removed (only its
    exception classes are left, down to `packages.urllib3.exceptions`: `adapters`, `packages.urllib3.util`
    are gone). The message carries the model's own advice. Not reported: that import in the branch of
    an `if` whose other branch imports what replaced it (`botocore.httpsession`, `requests`), a
    version gate that reaches the old module only where old versions need it (a `try` that falls back
    on it when `requests` is missing is reported: that fallback fails on every botocore since 1.13).

    For a receiver whose service is unknown only operation names deprecated in every service that has
    them are judged (`describe_job_flows`, `list_objects`, not `tag_resource`). `awslint --fix` turns
    `list_objects` into `list_objects_v2` where the response is read only for keys both return alike
    (`Contents`, `CommonPrefixes`, `Name`, `Prefix` ...) and the call passes no `Marker`.

    ## Why is this bad?

    A deprecated operation may stop working or stop getting new features; its successor is where the
    service's fixes go (`list_objects_v2` lists objects after a key and pages with an opaque token).
    `botocore.vendored.requests` raises `AttributeError` at run time on anything but its exceptions.

    ## Where it reports

    At the call of the operation, or at the `import` of `botocore.vendored.requests`; in test code too.

    ## References

    - [botocore: removal of the vendored requests](https://aws.amazon.com/blogs/developer/removing-the-vendored-version-of-requests-from-botocore/)
    - [Amazon S3: ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)
    """

    code = "AWS205"
    name = "deprecated-aws-api"
    msgid = "W7325"
    needs = frozenset({"model", "receivers"})
    title = "Deprecated or superseded AWS API"
    message = "{subject}: {advice}"
    INVALID = (
        '''
import boto3

s3 = boto3.client("s3")

def first_keys(bucket, prefix):
    response = s3.list_objects(Bucket=bucket, Prefix=prefix, MaxKeys=20)  # expect: AWS205
    return [obj["Key"] for obj in response.get("Contents", [])]
''',
        '''
from botocore.vendored import requests  # expect: AWS205

def instance_id():
    return requests.get("http://169.254.169.254/latest/meta-data/instance-id", timeout=2).text
''',
    )
    VALID = (
        '''
import boto3

s3 = boto3.client("s3")

def first_keys(bucket, prefix):
    response = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=20)
    return [obj["Key"] for obj in response.get("Contents", [])]
''',
        '''
import requests
from botocore.vendored.requests.exceptions import ConnectionError

def instance_id():
    return requests.get("http://169.254.169.254/latest/meta-data/instance-id", timeout=2).text
''',
    )


class HardcodedAwsCredentials(Rule):
    """
    ## What it finds

    A string literal with the shape of a real AWS access key id (`AKIA` or `ASIA` and 16 upper-case
    letters or digits, as the whole string or a whole word inside it), or of a secret access key (40
    characters of the base64 alphabet) passed as `aws_secret_access_key=`, assigned to a name, an
    attribute or a dict key containing `secret_access_key` in any spelling (`SecretAccessKey`), or passed
    right after a string argument naming it (`os.environ.setdefault("AWS_SECRET_ACCESS_KEY", ...)`,
    `parser.set("default", "aws_secret_access_key", ...)`).

    Not reported: AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `AKIAI44QH8DHBEXAMPLE`,
    `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`) and other values that spell `EXAMPLE`, values made of one
    repeated character after the prefix, key ids that encode an account no one owns (since 2019 a
    key id encodes its account: emulators' default `000000000000`, or any one digit repeated, and AWS's
    documented example account `123456789012`, as in `ASIAQAAAAAAAGMKEM7X5`), and placeholders
    (`"testing"`, `"YOUR_SECRET_ACCESS_KEY"`), which never have the shape.

    ## Why is this bad?

    Source code is copied, pushed and shared far more widely than credentials should be: a key in it
    is a key anyone with the code can use, until it is rotated. boto3 finds credentials on its own
    (environment, shared config, instance and task roles).

    ## Where it reports

    At the string, or, in a string of several lines (a docstring, a config template), on the line
    that holds the key; in test code too (a real key in a test is just as leaked).

    ## References

    - [AWS: Best practices for managing access keys](https://docs.aws.amazon.com/accounts/latest/reference/credentials-access-keys-best-practices.html)
    - [boto3: Credentials](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html)
    """

    code = "AWS206"
    name = "hardcoded-aws-credentials"
    msgid = "W7326"
    needs = frozenset({"model"})
    title = "AWS access key written into the source"
    message = (
        "{what} is written into the source{where}: anyone with the code can use it; remove it, rotate the "
        "key, and let boto3 find credentials (environment, shared config, or a role)"
    )
    # The example's key id is split so that this file holds no key-shaped literal of its own.
    INVALID = (
        '''
import boto3

session = boto3.Session(
    aws_access_key_id="AKIA''' + '''R7HS4DMVU7VHWIMV",  # expect: AWS206
    aws_secret_access_key="SsUfPInuykJinz/5tCN9884YpEtL/8C8EKdkp6Se",  # expect: AWS206
)
''',
    )
    VALID = (
        '''
import os

import boto3

session = boto3.Session(
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
)
DOCUMENTED_EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
''',
    )
