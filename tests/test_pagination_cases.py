"""AWS201/AWS202 on the labelled modules in tests/fixtures/pagination/<behaviour>/ (one page read, token
loops, pages handed to the caller, limits and quotas, client receivers, not boto3 or not pageable), written
as teams on AWS write them: every rule is run on each file under a product-code name, and exactly the
labelled lines are reported with exactly the labelled codes (the eval scores every line of a case, for
every rule)."""
from __future__ import annotations

from pathlib import Path

import pytest

from awslint import Config, check_source
from conftest import assert_labels, expected
from helpers import labelled_case, labelled_cases

EVERY = Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5"))
CASES = labelled_cases("pagination")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_labelled_case_under_a_product_name(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = {(f.line, f.code) for f in check_source(source, "app.py", EVERY)}
    assert found == expected(source)


def test_labelled_cases_cover_both_rules_and_silent_cases() -> None:
    labelled = [expected(path.read_text(encoding="utf-8")) for path in CASES]
    assert len(CASES) >= 30
    assert {code for labels in labelled for _, code in labels} == {"AWS201", "AWS202"}
    assert sum(1 for labels in labelled if not labels) >= 3  # files where every line must stay silent


def _messages(name: str) -> list[tuple[int, str]]:
    source = labelled_case("pagination", name).read_text(encoding="utf-8")
    return [(f.line, f.message) for f in check_source(source, "app.py", Config(select=("AWS201",)))]


def test_a_loop_that_sends_the_same_token_says_which_name_it_never_updates() -> None:
    assert _messages("ddb_stale_token_loops.py") == [
        (
            11,
            "`scan` returns one page (at most 1 MB); the loop passes `resp['LastEvaluatedKey']` as `ExclusiveStartKey` "
            "but never updates `resp`, so every call asks for the same page: pass the latest response's "
            "`LastEvaluatedKey`, or use `ddb.get_paginator('scan')`",
        ),
        (
            20,
            "`describe_log_streams` returns one page (at most 50 items); the loop passes `token` as `nextToken` but "
            "never updates `token`, so every call asks for the same page: pass the latest response's `nextToken`, "
            "or use `logs.get_paginator('describe_log_streams')`",
        ),
    ]


def test_a_listing_without_a_botocore_paginator_names_its_own_tokens_and_no_paginator() -> None:
    assert _messages("ddb_streams_shard_reader.py") == [
        (
            10,
            "`describe_stream` returns one page: loop while `StreamDescription.LastEvaluatedShardId` is in the "
            "response, passing it as `ExclusiveStartShardId`",
        )
    ]


def test_the_witness_of_a_stale_loop_names_the_loop_call() -> None:
    source = labelled_case("pagination", "ddb_stale_token_loops.py").read_text(encoding="utf-8")
    first = check_source(source, "app.py", Config(select=("AWS201",)))[0]
    assert [(s.line, s.note) for s in first.path] == [
        (11, "`scan` returns the first page"),
        (14, "`resp` is the same on every iteration"),
        (12, "only that page is read"),
    ]


def test_there_are_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_case_reports_exactly_its_labels(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS")


def test_a_page_size_that_differs_in_the_loop_is_the_same_listing_but_another_group_is_not() -> None:
    assert_labels(
        '''
        import boto3

        logs = boto3.client("logs")


        def streams(group):
            resp = logs.describe_log_streams(logGroupName=group, limit=100)
            out = list(resp["logStreams"])
            while resp.get("nextToken"):
                resp = logs.describe_log_streams(logGroupName=group, limit=50, nextToken=resp["nextToken"])
                out.extend(resp["logStreams"])
            return out


        def two_groups():
            resp = logs.describe_log_streams(logGroupName="/a")
            out = list(resp["logStreams"])
            while resp.get("nextToken"):
                resp = logs.describe_log_streams(logGroupName="/a", nextToken=resp["nextToken"])
                out.extend(resp["logStreams"])
            other = logs.describe_log_streams(logGroupName="/b")  # expect: AWS201
            return out, other["logStreams"]
        ''',
        "AWS2",
    )


def test_a_limit_from_a_parameter_default_is_judged_by_that_default() -> None:
    assert_labels(
        '''
        import boto3

        sqs = boto3.client("sqs")


        def few_queues(prefix, max_results=10):
            return sqs.list_queues(QueueNamePrefix=prefix, MaxResults=max_results)["QueueUrls"]


        def many_queues(prefix, *, max_results=1000):
            return sqs.list_queues(QueueNamePrefix=prefix, MaxResults=max_results)["QueueUrls"]  # expect: AWS201


        def caller_chooses(prefix, max_results):
            return sqs.list_queues(QueueNamePrefix=prefix, MaxResults=max_results)["QueueUrls"]
        ''',
        "AWS2",
    )
