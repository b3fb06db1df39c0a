"""AWS201/AWS202: the seed cases, every correct shape, receivers, bounds, messages and fixture files."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from awslint import Config
from conftest import FIXTURES, assert_labels, findings

PAGINATION = Config(select=("AWS2",))
FIXTURE_FILES = sorted((FIXTURES / "pagination").glob("*.py"))


def aws2(source: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.col, f.code, f.message) for f in findings(source, PAGINATION)]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.name for p in FIXTURE_FILES])
def test_fixture_reports_exactly_its_labels(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS2")


# -- the seed cases -----------------------------------------------------------------------------

SEED = '''
import boto3

def sync_ddb_table(source_ddb, destination_ddb):
    response = source_ddb.scan(TableName="table1")
    for item in response['Items']:
        destination_ddb.put_item(TableName="table2", Item=item)
'''


def test_seed_unpaginated_scan_is_reported_at_the_scan_call() -> None:
    assert aws2(SEED) == [
        (
            5,
            15,
            "AWS201",
            "`scan` returns one page (at most 1 MB): loop while `LastEvaluatedKey` is in the response, "
            "passing it as `ExclusiveStartKey`, or use `source_ddb.get_paginator('scan')`",
        )
    ]


def test_seed_finding_carries_the_path_to_the_read() -> None:
    (finding,) = findings(SEED, PAGINATION)
    assert [(s.line, s.note) for s in finding.path] == [
        (5, "`scan` returns the first page"),
        (6, "only that page is read"),
    ]


def test_seed_fixed_with_while_loop_is_silent() -> None:
    assert aws2(
        '''
        def sync_ddb_table(source_ddb, destination_ddb):
            response = source_ddb.scan(TableName="table1")
            for item in response["Items"]:
                destination_ddb.put_item(TableName="table2", Item=item)
            while "LastEvaluatedKey" in response:
                response = source_ddb.scan(TableName="table1", ExclusiveStartKey=response["LastEvaluatedKey"])
                for item in response["Items"]:
                    destination_ddb.put_item(TableName="table2", Item=item)
        '''
    ) == []


def test_seed_fixed_with_table_resource_and_scan_kwargs_is_silent() -> None:
    assert aws2(
        '''
        def sync_ddb_table(source_ddb, destination_ddb):
            table = source_ddb.Table("table1")
            scan_kwargs = {"ProjectionExpression": "pk, sk"}
            done = False
            start_key = None
            while not done:
                if start_key:
                    scan_kwargs["ExclusiveStartKey"] = start_key
                response = table.scan(**scan_kwargs)
                for item in response.get("Items", []):
                    destination_ddb.put_item(Item=item)
                start_key = response.get("LastEvaluatedKey", None)
                done = start_key is None
        '''
    ) == []


def test_seed_sns_from_helper_is_reported() -> None:
    assert aws2(
        '''
        from opsutil.aws import boto_session

        def topics_for_account(creds, region):
            sns = boto_session('sns', creds, region)
            response = sns.list_topics()
            return [t["TopicArn"] for t in response["Topics"]]
        '''
    ) == [
        (
            6,
            15,
            "AWS201",
            "`list_topics` returns one page: loop while `NextToken` is in the response, passing it back, "
            "or use `sns.get_paginator('list_topics')`",
        )
    ]


# -- shapes that depend on one detail ----------------------------------------------------------


def test_table_scan_without_the_loop_is_reported_with_the_client_paginator_in_the_fix() -> None:
    (finding,) = aws2(
        '''
        import boto3

        def items(name):
            table = boto3.resource("dynamodb").Table(name)
            scan_kwargs = {"ProjectionExpression": "pk"}
            return table.scan(**scan_kwargs)["Items"]
        '''
    )
    assert finding[:3] == (7, 11, "AWS201")
    assert finding[3].endswith("or use `table.meta.client.get_paginator('scan')`")


def test_kwargs_dict_handed_to_a_helper_may_receive_the_token() -> None:
    assert aws2(
        '''
        import boto3
        logs = boto3.client("logs")

        def events(group):
            kwargs = {"logGroupName": group}
            add_token(kwargs)
            return logs.filter_log_events(**kwargs)["events"]
        '''
    ) == []


def test_module_level_call_is_checked_too() -> None:
    assert [f[:3] for f in aws2(
        '''
        import boto3
        sqs = boto3.client("sqs")
        QUEUES = sqs.list_queues()["QueueUrls"]
        '''
    )] == [(4, 9, "AWS201")]


@pytest.mark.parametrize(
    ("limit", "reported"),
    [("MaxResults=1", False), ("MaxResults=50", False), ("MaxResults=count", False), ("MaxResults=1000", True)],
)
def test_small_constant_or_caller_chosen_limit_is_a_deliberate_bound(limit: str, reported: bool) -> None:
    source = f'''
        import boto3
        ec2 = boto3.client("ec2")

        def images(count=10):
            return ec2.describe_images(Owners=["self"], {limit})["Images"]
        '''
    assert bool(aws2(source)) is reported


@pytest.mark.parametrize(
    ("call", "reported"),
    [
        ('ec2.describe_instances(InstanceIds=ids)["Reservations"]', False),
        ('cw.describe_alarms(AlarmNames=[name])["MetricAlarms"]', False),
        ('elb.describe_target_groups(Names=[name])["TargetGroups"]', False),
        ('cw.describe_alarms(AlarmNamePrefix=name)["MetricAlarms"]', True),
        ('ec2.describe_instances(Filters=[{"Name": "tag:app", "Values": [name]}])["Reservations"]', True),
        ('cfn.describe_stack_events(StackName=name)["StackEvents"]', True),
        ('cfn.describe_stacks(StackName=name)["Stacks"]', False),
    ],
)
def test_explicit_identifiers_bound_the_result_and_parent_scopes_do_not(call: str, reported: bool) -> None:
    source = f'''
        import boto3
        ec2, cw = boto3.client("ec2"), boto3.client("cloudwatch")
        elb = boto3.client("elbv2")
        cfn = boto3.client("cloudformation")

        def read(ids, name):
            return {call}
        '''
    assert bool(aws2(source)) is reported


def test_token_handling_is_per_operation() -> None:
    assert [f[:3] for f in aws2(
        '''
        import boto3
        iam = boto3.client("iam")

        def everything():
            users, marker = [], None
            while True:
                resp = iam.list_users(**({"Marker": marker} if marker else {}))
                users += resp["Users"]
                marker = resp.get("Marker")
                if not marker:
                    break
            return users, iam.list_roles()["Roles"]
        '''
    )] == [(13, 18, "AWS201")]


def test_operation_of_another_service_is_not_a_candidate() -> None:
    assert aws2(
        '''
        import boto3
        s3 = boto3.client("s3")

        def f():
            return s3.list_topics()["Topics"]
        '''
    ) == []


def test_unknown_receiver_named_after_a_service_that_does_not_page_the_operation_is_silent() -> None:
    assert aws2(
        '''
        def f(s3_client):
            return s3_client.describe_instances()["Reservations"]
        '''
    ) == []


def test_class_attribute_assigned_in_another_method() -> None:
    assert [f[:3] for f in aws2(
        '''
        import boto3

        class Topics:
            def connect(self):
                self._sns = boto3.Session().client("sns")

            def arns(self):
                return [t["TopicArn"] for t in self._sns.list_topics()["Topics"]]
        '''
    )] == [(9, 39, "AWS201")]


def test_paginator_bounded_by_max_items_is_silent() -> None:
    assert aws2(
        '''
        import boto3

        def newest(bucket):
            pages = boto3.client("s3").get_paginator("list_objects_v2").paginate(
                Bucket=bucket, PaginationConfig={"MaxItems": 1})
            return next(iter(pages))
        '''
    ) == []


def test_one_page_message() -> None:
    (finding,) = aws2(
        '''
        import boto3

        def first(bucket):
            paginator = boto3.client("s3").get_paginator("list_objects_v2")
            return next(iter(paginator.paginate(Bucket=bucket)))["Contents"]
        '''
    )
    assert finding == (
        6,
        21,
        "AWS201",
        "`list_objects_v2` paginator is read for its first page only (line 6): iterate over every page "
        "(`for page in paginator.paginate(...)`), or call `.build_full_result()`",
    )


# -- AWS202 --------------------------------------------------------------------------------------


def test_not_pageable_lists_the_closest_paginated_names() -> None:
    assert aws2(
        '''
        import boto3
        sns = boto3.client("sns")

        def arns():
            return sns.get_paginator("list_topic")
        '''
    ) == [
        (
            6,
            11,
            "AWS202",
            "`get_paginator('list_topic')` raises OperationNotPageableError: the `sns` client has no paginator "
            "for `list_topic`; did you mean `list_topics`?",
        )
    ]


def test_not_pageable_for_unknown_service_names_any_service() -> None:
    ((line, col, code, message),) = aws2(
        '''
        def pages(client):
            return client.get_paginator("list_object_v3")
        '''
    )
    assert (line, code) == (3, "AWS202")
    assert message.startswith(
        "`get_paginator('list_object_v3')` raises OperationNotPageableError: no AWS service has a paginator"
    )
    assert "`list_objects_v2`" in message


def test_rules_can_be_selected_separately() -> None:
    source = (FIXTURES / "pagination" / "not_pageable.py").read_text(encoding="utf-8")
    only_201 = Config(select=("AWS201",))
    assert [f for f in findings(source, only_201) if f.code.startswith("AWS2")] == []


@pytest.mark.parametrize(
    "source",
    [
        "x.list_topics(",
        "def f(:\n",
        "\n".join(f"{'    ' * i}if x:" for i in range(80)) + "\n" + "    " * 80 + "client.list_topics()['Topics']\n",
        "client.get_paginator()\nclient.get_paginator(1)\nclient.get_paginator(operation_name='nope')\n",
        "async def f(c):\n    return (await c.list_topics())['Topics']\n",
        "x = (client := boto3.client('s3')).list_objects_v2(Bucket=b)['Contents']\n",
    ],
)
def test_odd_input_never_raises(source: str) -> None:
    findings(textwrap.dedent(source), PAGINATION)


def test_unknown_service_message_uses_the_tokens_spelled_like_the_call() -> None:
    ((line, col, code, message),) = aws2(
        '''
        def targets(client, policy_id):
            return client.list_targets_for_policy(PolicyId=policy_id)["Targets"]
        '''
    )
    assert (line, col, code) == (3, 11, "AWS201")
    assert message == (
        "`list_targets_for_policy` returns one page: loop while `NextToken` is in the response, passing it back, "
        "or use `client.get_paginator('list_targets_for_policy')`"
    )


# -- one binding model (issue 9 item 1) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("rebinding", "reported"),
    [
        ("", True),  # `Limit=1000` sets the page size: the code still reads one page
        ('match settings:\n        case {"page_size": limit}:\n            pass', False),
        ("try:\n        settings.check()\n    except ValueError as limit:\n        pass", False),
    ],
)
def test_a_limit_a_match_capture_or_except_name_may_rebind_is_the_callers_choice(rebinding: str, reported: bool) -> None:
    source = (
        "import boto3\n\ndef users(settings):\n    ddb = boto3.client('dynamodb')\n    limit = 1000\n"
        f"    {rebinding}\n    return ddb.scan(TableName='users', Limit=limit)['Items']\n"
    )
    assert [code for _, _, code, _ in aws2(source)] == (["AWS201"] if reported else [])
