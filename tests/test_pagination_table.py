"""The shipped pagination table: its content, its loader, its speed, and its agreement with botocore."""
from __future__ import annotations

import importlib.util
import json
import sys
import time
import types

import pytest

from awslint import Config, check_source
from awslint.data import pagination
from awslint.data.pagination import TABLE_PATH, PaginationTable, Paging, table
from conftest import ROOT


def test_dynamodb_scan_row() -> None:
    assert table().paging("dynamodb", "scan") == Paging(
        service="dynamodb",
        operation="scan",
        input_tokens=("ExclusiveStartKey",),
        output_tokens=("LastEvaluatedKey",),
        result_keys=("Items", "Count", "ScannedCount"),
        limit_key="Limit",
        other_keys=("ConsumedCapacity",),
        page_size="at most 1 MB",
        other_inputs=frozenset({
            "AttributesToGet", "ConditionalOperator", "ConsistentRead", "ExpressionAttributeNames",
            "ExpressionAttributeValues", "FilterExpression", "IndexName", "ProjectionExpression",
            "ReturnConsumedCapacity", "ScanFilter", "Segment", "Select", "TableName", "TotalSegments",
        }),
    )


def test_a_call_passing_a_keyword_the_operation_lacks_is_not_that_operation() -> None:
    waf = table().paging("waf", "list_web_acls")
    assert waf is not None and waf.accepts(["Limit", "NextMarker"]) and not waf.accepts(["Scope"])
    hand = table().paging("dynamodbstreams", "describe_stream")
    assert hand is not None and hand.other_inputs is None and hand.accepts(["StreamArn"])


def test_snake_case_names_multiple_tokens_and_expressions() -> None:
    t = table()
    versions = t.paging("s3", "list_object_versions")
    assert versions is not None
    assert versions.input_tokens == ("KeyMarker", "VersionIdMarker")
    assert versions.output_tokens == ("NextKeyMarker", "NextVersionIdMarker")
    assert versions.limit_key == "MaxKeys"
    listing = t.paging("s3", "list_objects")
    assert listing is not None and listing.output_tokens == ("NextMarker || Contents[-1].Key",)
    assert listing.output_token == "NextMarker"
    assert "IsTruncated" in listing.other_keys and "Contents" in listing.result_keys
    assert t.paging("s3", "get_object") is None
    assert t.paging("stepfunctions", "list_executions") is not None


def test_counts_version_and_lookups() -> None:
    t = table()
    data = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    assert t.botocore_version == data["botocore"] == "1.43.11"
    assert len(t.services) == 421
    assert sum(len(t.operations(s)) for s in t.services) == 3112
    assert set(t.services_of("list_topics")) == {"sns", "kafka"}
    assert t.unpaged_unless_asked("s3", "list_buckets") and not t.unpaged_unless_asked("s3", "list_objects_v2")
    assert t.service_for_stub("DynamoDB") == "dynamodb"
    assert t.service_for_stub("SFN") == "stepfunctions"
    assert t.service_for_stub("ElasticLoadBalancingv2") == "elbv2"
    assert t.resource_actions("dynamodb", "Table") == {"query": "query", "scan": "scan"}


def test_table_loads_in_under_50_ms() -> None:
    best = min(_cold_load() for _ in range(3))
    assert best < 0.050, f"loading the pagination table took {best * 1000:.1f} ms"


def _cold_load() -> float:
    table.cache_clear()
    start = time.perf_counter()
    table()
    return time.perf_counter() - start


def test_table_is_not_read_for_a_file_without_candidate_calls() -> None:
    table.cache_clear()
    check_source("import os\n\ndef f(p):\n    return os.path.join(p, 'x')\n", "x.py", Config(select=("AWS2",)))
    assert table.cache_info().currsize == 0
    check_source("def f(c):\n    return c.list_topics()['Topics']\n", "x.py", Config(select=("AWS2",)))
    assert table.cache_info().currsize == 1


def test_malformed_rows_do_not_break_lookups() -> None:
    t = PaginationTable({"services": {"x": {"list_a": [["T"]]}}})
    assert t.paging("x", "list_a") == Paging("x", "list_a", ("T",), (), (), None, (), None)
    assert t.pagings("list_b") == [] and t.botocore_version == "unknown"


def _generator() -> types.ModuleType:  # the regeneration script, imported by path (scripts/ is not a package)
    spec = importlib.util.spec_from_file_location("generate_pagination_table", ROOT / "scripts" / "generate_pagination_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_table_matches_installed_botocore() -> None:
    botocore = pytest.importorskip("botocore")
    if botocore.__version__ != table().botocore_version:
        pytest.skip(f"botocore {botocore.__version__} installed, the table comes from {table().botocore_version}")
    from pathlib import Path

    generator = _generator()
    try:
        import boto3  # type: ignore[import-untyped]

        boto3_dir = Path(boto3.__file__).parent
    except ImportError:
        boto3_dir = None
    built = generator.build(Path(botocore.__file__).parent, boto3_dir, botocore.__version__)
    shipped = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    if boto3_dir is None:
        built["resources"] = shipped["resources"]
    assert json.loads(generator.render(built)) == shipped


def test_pagination_module_names_its_source() -> None:
    assert "generate_pagination_table.py" in (pagination.__doc__ or "")


def test_token_paging_without_a_botocore_paginator_is_in_the_table_but_not_a_paginator() -> None:
    t = table()
    streams = t.paging("dynamodbstreams", "describe_stream")
    assert streams is not None and not streams.paginator
    assert (streams.input_tokens, streams.output_tokens) == (
        ("ExclusiveStartShardId",), ("StreamDescription.LastEvaluatedShardId",)
    )
    assert "describe_stream" not in t.operations("dynamodbstreams")  # `get_paginator` raises there
    assert "dynamodbstreams" in t.services_of("describe_stream")
    kinesis = t.paging("kinesis", "describe_stream")
    assert kinesis is not None and kinesis.paginator


def test_unpaged_namesakes_name_the_services_that_do_not_page_an_operation() -> None:
    # EC2's describe_addresses returns every address in one call; Snowball's pages
    ec2 = table().unpaged_namesakes("describe_addresses")["ec2"]
    assert "Filters" in ec2[0] and not ec2[1]
    assert "snowball" in table().services_of("describe_addresses")
    # Cognito's get_group requires the user pool; IAM pages its own
    members, required = table().unpaged_namesakes("get_group")["cognito-idp"]
    assert required == {"GroupName", "UserPoolId"} <= members
    assert "iam" not in table().unpaged_namesakes("get_group")
    assert table().unpaged_namesakes("list_objects_v2") == {}
