"""Receiver inference (awslint.analysis.boto): which expressions hold a boto3 client, and of which service."""
from __future__ import annotations

import ast
import textwrap

import pytest

from awslint.analysis.boto import CLIENT, NOT_BOTO, RESOURCE, SESSION, TABLE, UNKNOWN, BotoReceivers, Receiver, name_words
from awslint.analysis.index import FunctionNode, Index
from awslint.analysis.names import Names
from awslint.data.pagination import table
from helpers import receiver_of


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('import boto3\nc = boto3.client("s3")\nc.list_objects_v2()  # here', Receiver(CLIENT, "s3")),
        ('from boto3 import client\nc = client(service_name="sns")\nc.x()  # here', Receiver(CLIENT, "sns")),
        ('import boto3\nboto3.Session(profile_name="p").client("ec2").x()  # here', Receiver(CLIENT, "ec2")),
        ('import boto3\ns = boto3.session.Session()\nc = s.client(service_name="iam")\nc.x()  # here', Receiver(CLIENT, "iam")),
        ('def f(session):\n    session.client("logs").x()  # here', Receiver(CLIENT, "logs")),
        ('def f(session):\n    session.client("not-a-service").x()  # here', Receiver(UNKNOWN)),
        ('import boto3\nboto3.resource("dynamodb").meta.client.x()  # here', Receiver(CLIENT, "dynamodb")),
        ('import boto3\nr = boto3.resource("s3")\nr.x()  # here', Receiver(RESOURCE, "s3")),
        ('import boto3\nt = boto3.resource("dynamodb").Table("t")\nt.scan()  # here', Receiver(TABLE, "dynamodb")),
        ('def f(ddb):\n    t = ddb.Table("t")\n    t.scan()  # here', Receiver(TABLE, "dynamodb")),
        ('import boto3\nboto3.Session().x()  # here', Receiver(SESSION)),
        ('import boto3\nSVC = "sqs"\nc = boto3.client(SVC)\nc.x()  # here', Receiver(CLIENT, "sqs")),
        ('import boto3\ndef f(name):\n    c = boto3.client(name)\n    c.x()  # here', Receiver(CLIENT, None)),
        ('import redis\nc = redis.Redis()\nc.scan()  # here', Receiver(NOT_BOTO)),
        ('class Fake: pass\nc = Fake()\nc.x()  # here', Receiver(NOT_BOTO)),
        ('from .compat import ServerProxy\nc = ServerProxy("u")\nc.x()  # here', Receiver(NOT_BOTO)),
        ('from helpers import make\nc = make("s3")\nc.x()  # here', Receiver(UNKNOWN)),
        ('def f(c):\n    c.x()  # here', Receiver(UNKNOWN)),
    ],
)
def test_factories(source: str, expected: Receiver) -> None:
    assert receiver_of(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('from mypy_boto3_s3 import S3Client\ndef f(c: S3Client):\n    c.x()  # here', Receiver(CLIENT, "s3")),
        ('from mypy_boto3_dynamodb.client import DynamoDBClient\ndef f(c: "DynamoDBClient"):\n    c.x()  # here', Receiver(CLIENT, "dynamodb")),
        ('import types_boto3_sqs\ndef f(c: types_boto3_sqs.SQSClient):\n    c.x()  # here', Receiver(CLIENT, "sqs")),
        ('def f(c: "SFNClient"):\n    c.x()  # here', Receiver(CLIENT, "stepfunctions")),
        ('from typing import Optional\ndef f(c: Optional["EC2Client"] = None):\n    c.x()  # here', Receiver(CLIENT, "ec2")),
        ('def f(c: "S3Client | None"):\n    c.x()  # here', Receiver(CLIENT, "s3")),
        ('from mypy_boto3_dynamodb.service_resource import Table\ndef f(t: Table):\n    t.scan()  # here', Receiver(TABLE, "dynamodb")),
        ('from botocore.client import BaseClient\ndef f(c: BaseClient):\n    c.x()  # here', Receiver(CLIENT, None)),
        ('from httpx import Client\ndef f(c: Client):\n    c.x()  # here', Receiver(NOT_BOTO)),
        ('def f(c: "HttpClient"):\n    c.x()  # here', Receiver(UNKNOWN)),
    ],
)
def test_annotations(source: str, expected: Receiver) -> None:
    assert receiver_of(source) == expected


def test_self_attribute_assigned_in_another_method() -> None:
    assert receiver_of(
        '''
        import boto3

        class Sync:
            def __init__(self, region):
                self.region = region

            def connect(self):
                self.source = boto3.client("dynamodb", region_name=self.region)

            def run(me):
                me.source.scan()  # here
        '''
    ) == Receiver(CLIENT, "dynamodb")


def test_self_attribute_annotated_in_the_class_body() -> None:
    assert receiver_of(
        '''
        from mypy_boto3_sns import SNSClient

        class Notifier:
            client: SNSClient

            def topics(self):
                self.client.list_topics()  # here
        '''
    ) == Receiver(CLIENT, "sns")


def test_lazily_created_client_is_still_a_client() -> None:
    assert receiver_of(
        '''
        import boto3
        _client = None

        def client():
            global _client
            if _client is None:
                _client = boto3.client("ecr")
            _client.x()  # here
        '''
    ) == Receiver(CLIENT, "ecr")


def test_name_bound_in_an_enclosing_function() -> None:
    assert receiver_of(
        '''
        import boto3

        def outer():
            s3 = boto3.client("s3")
            def inner():
                return s3.x()  # here
            return inner
        '''
    ) == Receiver(CLIENT, "s3")


def test_disagreeing_bindings_are_unknown() -> None:
    assert receiver_of(
        '''
        import boto3, redis

        def f(flag):
            c = boto3.client("s3") if flag else redis.Redis()
            c.x()  # here
        '''
    ) == Receiver(UNKNOWN)


# -- the semantic model's bindings (issue 9 item 1): Python's scoping, every binding form --------


def test_global_declared_in_a_nested_function_reads_the_module_name_not_the_enclosing_one() -> None:
    assert receiver_of(
        '''
        import boto3, redis
        _client = boto3.client("sqs")

        def outer():
            _client = redis.Redis()
            def inner():
                global _client
                _client.x()  # here
            return inner
        '''
    ) == Receiver(CLIENT, "sqs")


def test_class_attribute_bound_under_a_condition_in_the_class_body() -> None:
    assert receiver_of(
        '''
        import os, boto3

        class Repository:
            if os.environ.get("LOCAL"):
                table_client = boto3.client("dynamodb", endpoint_url="http://localhost:8000")
            else:
                table_client = boto3.client("dynamodb")

            def items(self):
                return self.table_client.x()  # here
        '''
    ) == Receiver(CLIENT, "dynamodb")


def test_method_defined_under_a_condition_is_still_the_class_method() -> None:
    assert receiver_of(
        '''
        import sys, boto3

        class Queue:
            def __init__(self):
                self.sqs = boto3.client("sqs")

            if sys.version_info >= (3, 8):
                def names(self):
                    return self.sqs.x()  # here
        '''
    ) == Receiver(CLIENT, "sqs")


def test_module_factory_rebound_by_a_cache_wrapper_is_still_followed() -> None:
    assert receiver_of(
        '''
        import functools, boto3

        def logs():
            return boto3.client("logs")

        logs = functools.lru_cache()(logs)
        logs().x()  # here
        '''
    ) == Receiver(CLIENT, "logs")


def _receivers(source: str) -> tuple[BotoReceivers, FunctionNode]:
    tree = ast.parse(textwrap.dedent(source))
    index = Index(tree)
    t = table()
    boto = BotoReceivers(
        tree, Names(tree, index.imports), index.functions, index.classes, index.imports,
        is_service=lambda s: s in t.all_services, stub_service=t.service_for_stub,
    )
    return boto, next(f for f in index.functions if getattr(f, "name", "") == "f")


@pytest.mark.parametrize(
    "rebinding",
    [
        "match options:\n        case {\"limit\": limit}: pass",
        "try:\n        pass\n    except ValueError as limit:\n        pass",
        "from settings import limit",
        "for limit in options: pass",
        "limit += 1",
        "with open(options) as limit: pass",
    ],
)
def test_a_name_rebound_by_any_binding_form_has_no_single_value(rebinding: str) -> None:
    boto, f = _receivers(f"def f(client, options):\n    limit = 1000\n    {rebinding}\n    client.x(Limit=limit)\n")
    assert boto.local_constant("limit", f) is None
    assert boto.single_value("limit", f) is None


def test_a_name_bound_once_has_its_value_and_constant() -> None:
    boto, f = _receivers("def f(client):\n    limit = 1000\n    client.x(Limit=limit)\n")
    assert boto.local_constant("limit", f) == 1000
    value = boto.single_value("limit", f)
    assert isinstance(value, ast.Constant) and value.value == 1000


def test_name_words() -> None:
    assert name_words("source_ddb") == ["source", "ddb"]
    assert name_words("snsClient") == ["sns", "client"]
    assert name_words("_s3") == ["s3"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            'import boto3\nclients = {r: boto3.client("ec2", region_name=r) for r in ("a", "b")}\n'
            'clients["a"].x()  # here',
            Receiver(CLIENT, "ec2"),
        ),
        (
            'import boto3\nclass C:\n    def __init__(self):\n        self.c = {"s3": boto3.client("s3"), "sqs": boto3.client("sqs")}\n'
            '    def f(self):\n        self.c["sqs"].x()  # here',
            Receiver(CLIENT, "sqs"),
        ),
        (
            'import boto3\nclass C:\n    def __init__(self, session):\n        self._s = session\n        self._c = {}\n'
            '    def f(self, region):\n        if region not in self._c:\n'
            '            self._c[region] = boto3.client("lambda", region_name=region)\n'
            '        self._c[region].x()  # here',
            Receiver(CLIENT, "lambda"),
        ),
        ('import boto3\nclients = [boto3.client("s3"), make()]\nclients[0].x()  # here', Receiver(UNKNOWN)),
        ('def f(clients):\n    clients["s3"].x()  # here', Receiver(UNKNOWN)),
        ('import boto3\nbase = {}\nclients = {**base, "s3": boto3.client("s3")}\nclients["s3"].x()  # here', Receiver(UNKNOWN)),
    ],
)
def test_items_of_containers_of_clients(source: str, expected: Receiver) -> None:
    assert receiver_of(source) == expected
