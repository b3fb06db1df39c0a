"""AWS201's evidence of boto3 as SPEC weighs it, on the shapes real AWS projects use (issue 14 item 4)."""
from __future__ import annotations

import pytest

from awslint import Config
from awslint.analysis.boto import CLIENT, UNKNOWN, Receiver
from conftest import assert_labels, findings
from helpers import receiver_of

PAGINATION = Config(select=("AWS2",))


def aws201(source: str, filename: str = "app.py") -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in findings(source, PAGINATION, filename) if f.code == "AWS201"]


# -- a name that says only "client" -----------------------------------------------------------


def test_client_named_receiver_without_keywords_needs_a_module_that_imports_boto3() -> None:
    other_sdk = '''
    from vendor.sdk import connect

    def endpoints(client):
        return [e["Id"] for e in client.list_endpoints()["Endpoints"]]
    '''
    assert aws201(other_sdk) == []
    assert [line for line, _ in aws201("import boto3\n" + other_sdk.replace("\n    ", "\n"))] == [6]


@pytest.mark.parametrize(
    "header",
    ["import botocore.session", "import aioboto3", "from aiobotocore.session import get_session",
     "from mypy_boto3_events import EventBridgeClient", "from types_boto3_events.client import EventBridgeClient"],
)
def test_boto3_relatives_and_stub_packages_count_as_importing_boto3(header: str) -> None:
    source = f'''
{header}

def endpoints(client):
    return [e["Arn"] for e in client.list_endpoints()["Endpoints"]]
'''
    assert [line for line, _ in aws201(source)] == [5]


def test_a_service_name_or_a_pascal_case_keyword_counts_on_its_own() -> None:
    assert_labels(
        '''
        def topics(sns):
            return sns.list_topics()["Topics"]  # expect: AWS201

        def rows(client, name):
            return client.scan(TableName=name)["Items"]  # expect: AWS201
        ''',
        "AWS2",
    )


# -- the service a name tells -----------------------------------------------------------------


def test_a_client_named_for_a_service_pages_only_that_services_operations() -> None:
    # `describe_table` is paginated in Redshift Data, not in DynamoDB.
    assert aws201(
        '''
        import boto3

        class Async:
            def __init__(self, session, name):
                self.dynamodb_client = session.client(name)

            def table(self, name):
                described = self.dynamodb_client.describe_table(TableName=name)
                return described["Table"]
        '''
    ) == []


def test_the_fix_names_the_token_of_the_service_the_name_tells() -> None:
    ((line, message),) = aws201(
        '''
        import boto3

        class Topics:
            def __init__(self, session, name):
                self.sns_client = session.client(name)

            def remove(self, topic):
                for sub in self.sns_client.list_subscriptions()["Subscriptions"]:
                    print(sub["TopicArn"])
        '''
    )
    assert line == 9
    assert message == (
        "`list_subscriptions` returns one page: loop while `NextToken` is in the response, passing it back, "
        "or use `self.sns_client.get_paginator('list_subscriptions')`"
    )


def test_words_that_spell_one_service_together_are_that_service() -> None:
    # `dynamodb_streams` is DynamoDB Streams, not Kinesis nor DynamoDB: it pages `describe_stream` with
    # its own `LastEvaluatedShardId`, and botocore gives it no paginator to name in the fix.
    assert aws201(
        '''
        def shards(dynamodb_streams, kinesis, arn):
            kinesis.describe_stream(StreamName="s")["StreamDescription"]["Shards"]
            return dynamodb_streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        '''
    ) == [
        (
            3,
            "`describe_stream` returns one page (at most 100 items): loop passing `StreamDescription.Shards[-1].ShardId` "
            "of each response as `ExclusiveStartShardId`, or use `kinesis.get_paginator('describe_stream')`",
        ),
        (
            4,
            "`describe_stream` returns one page: loop while `StreamDescription.LastEvaluatedShardId` is in the "
            "response, passing it as `ExclusiveStartShardId`",
        ),
    ]


# -- clients from the module's own factories --------------------------------------------------


FACTORY = '''
import boto3

class AWSClient:
    def __init__(self, session):
        self._session = session

    def _client(self, service_name):
        return self._session.client(service_name)

    def rest_apis(self):
        return self._client("apigateway").get_rest_apis()["items"]

    def role_policies(self, name):
        client = self._client("iam")
        return client.list_role_policies(RoleName=name)["PolicyNames"]

    def table(self, name):
        return self._client("dynamodb").describe_table(TableName=name)["Table"]
'''


def test_a_factory_method_makes_a_client_of_the_service_its_argument_names() -> None:
    assert receiver_of(FACTORY.replace('.get_rest_apis()["items"]', '.get_rest_apis()["items"]  # here')) == Receiver(
        CLIENT, "apigateway"
    )
    assert aws201(FACTORY) == [
        (
            12,
            "`get_rest_apis` returns one page (at most 25 items): loop while `position` is in the response, "
            "passing it back, or use `self._client('apigateway').get_paginator('get_rest_apis')`",
        ),
        (
            16,
            "`list_role_policies` returns one page (at most 100 items): loop while `Marker` is in the response, "
            "passing it back, or use `client.get_paginator('list_role_policies')`",
        ),
    ]


def test_a_module_factory_function_with_a_service_parameter_and_a_default() -> None:
    source = '''
    import boto3

    def make(service="sqs", region=None):
        return boto3.client(service, region_name=region)

    def queues():
        return make().list_queues()["QueueUrls"]

    def functions():
        return make("lambda", "eu-west-1").list_functions()["Functions"]
    '''
    assert [line for line, _ in aws201(source)] == [8, 11]


# -- annotations that say nothing -------------------------------------------------------------


@pytest.mark.parametrize("annotation", ["Any", "typing.Any", "object", "Optional[Any]"])
def test_a_parameter_annotated_any_or_object_is_of_unknown_origin(annotation: str) -> None:
    source = f'''
import typing
from typing import Any, Optional

def importers(cloudformation_client: {annotation}, name):
    return list(cloudformation_client.list_imports(ExportName=name).get("Imports", []))
'''
    assert receiver_of(source.replace("[]))", "[]))  # here")) == Receiver(UNKNOWN)
    assert [line for line, _ in aws201(source)] == [6]


def test_a_parameter_annotated_with_another_librarys_class_is_not_boto3() -> None:
    assert aws201(
        '''
        from vendor.sdk import CloudFormationClient

        def importers(cloudformation_client: CloudFormationClient, name):
            return list(cloudformation_client.list_imports(ExportName=name).get("Imports", []))
        '''
    ) == []


# -- test code --------------------------------------------------------------------------------

LISTING = '''
import boto3

def bucket_keys(bucket):
    s3 = boto3.client("s3")
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
'''


def test_product_code_is_reported() -> None:
    assert [line for line, _ in aws201(LISTING, "app.py")] == [6]
    assert [line for line, _ in aws201(LISTING, "src/pkg/listing.py")] == [6]


@pytest.mark.parametrize("filename", ["tests/test_listing.py", "test_listing.py", "listing_test.py", "conftest.py"])
def test_not_reported_in_a_test_file(filename: str) -> None:
    assert aws201(LISTING, filename) == []


@pytest.mark.parametrize(
    "source",
    [
        LISTING.replace("def bucket_keys(bucket):", "def test_bucket_keys(bucket):"),
        LISTING.replace("import boto3\n", "import boto3\nfrom moto import mock_aws\n\n@mock_aws").replace("@mock_aws\n\n", "@mock_aws\n"),
        LISTING.replace("import boto3\n", "import boto3\nimport pytest\n\n@pytest.fixture").replace("@pytest.fixture\n\n", "@pytest.fixture\n"),
        LISTING.replace("def bucket_keys(bucket):", "import unittest\n\nclass Keys(unittest.TestCase):\n    def keys(self, bucket):")
        .replace("\n    s3 =", "\n        s3 =").replace("\n    return", "\n        return"),
        '''
import boto3
from moto import mock_aws

def bucket_keys(bucket):
    with mock_aws():
        s3 = boto3.client("s3")
        return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
''',
    ],
    ids=["test-function", "mock_aws-decorator", "fixture", "testcase-method", "mock_aws-context"],
)
def test_not_reported_in_test_code_of_a_product_file(source: str) -> None:
    assert aws201(source, "app.py") == []


def test_aws202_is_still_reported_in_test_code() -> None:
    source = '''
import boto3

def test_topics():
    sns = boto3.client("sns")
    return [t for page in sns.get_paginator("list_topic").paginate() for t in page["Topics"]]
'''
    assert [(f.line, f.code) for f in findings(source, PAGINATION, "tests/test_topics.py")] == [(6, "AWS202")]
