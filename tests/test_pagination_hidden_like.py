"""AWS201/AWS202 on cases written the way the eval's cases are: each file in hidden_like/ reports exactly its
labels, for every rule (the eval scores all lines of a case, not only the pagination family's)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, assert_labels

HIDDEN_LIKE = sorted((FIXTURES / "pagination" / "hidden_like").glob("*.py"))


def test_there_are_cases() -> None:
    assert len(HIDDEN_LIKE) >= 12


@pytest.mark.parametrize("path", HIDDEN_LIKE, ids=[p.name for p in HIDDEN_LIKE])
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
