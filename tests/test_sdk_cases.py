"""AWS203–AWS206 on the labelled modules in tests/fixtures/sdk/<behaviour>/: every rule is run, and exactly the labelled
lines are reported with exactly the labelled codes (every other line silent for every rule)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from awslint import Config, check_source
from conftest import expected
from helpers import labelled_cases

EVERY = Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5"))
CASES = labelled_cases("sdk")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_labelled_case(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = {(f.line, f.code) for f in check_source(source, f"app/{path.name}", EVERY)}
    assert found == expected(source)


def test_labelled_cases_have_every_clause() -> None:
    codes = {code for path in CASES for _, code in expected(path.read_text(encoding="utf-8"))}
    assert len(CASES) >= 30 and codes == {"AWS203", "AWS204", "AWS205", "AWS206"}


def _messages(source: str) -> list[str]:
    return [f.message for f in check_source(textwrap.dedent(source), "app/example.py", EVERY)]


def test_aws203_entries_carrying_their_own_error() -> None:
    messages = _messages(
        """
        import boto3
        ddb = boto3.client("dynamodb")
        def run(statements):
            ddb.batch_execute_statement(Statements=statements)
        """
    )
    assert messages == [
        "`batch_execute_statement` reports the items it could not execute in `Responses[].Error`, and they are "
        "dropped here; read the `Error` of each `Responses` entry and retry or report those items"
    ]


def test_aws204_message_for_a_loop_that_waits_out_a_retry_state() -> None:
    messages = _messages(
        """
        import time
        import boto3
        lam = boto3.client("lambda")
        def wait(name):
            while lam.get_function_configuration(FunctionName=name)["LastUpdateStatus"] == "InProgress":
                time.sleep(2)
        """
    )
    assert messages == [
        "this loop polls `get_function_configuration` until `LastUpdateStatus` is no longer `InProgress`, which "
        "the `function_updated` waiter does with backoff and a time limit: "
        "`lam.get_waiter('function_updated').wait(FunctionName=name)`"
    ]


HELPER_POLLS = """
import time
import boto3
eks = boto3.client("eks")
def _status(name):
    return eks.describe_cluster(name=name)["cluster"]["status"]
def wait(name):
    while _status(name) != "ACTIVE":
        time.sleep(5)
def wait_again(name):
    for _ in range(10):
        if _status(name) == "ACTIVE":
            return
        time.sleep(5)
"""


def test_aws204_helper_polled_by_two_loops_is_reported_once_at_the_operation() -> None:
    found = check_source(HELPER_POLLS, "app/example.py", EVERY)
    assert [(f.code, f.line) for f in found] == [("AWS204", 6)]
    assert [step.line for step in found[0].path] == [8, 8, 6, 8]


def test_aws204_helper_defined_twice_is_not_followed() -> None:
    found = check_source(
        textwrap.dedent(
            """
            import time
            import boto3
            eks = boto3.client("eks")
            def _status(name):
                return eks.describe_cluster(name=name)["cluster"]["status"]
            def wait(name):
                while _status(name) != "ACTIVE":
                    time.sleep(5)
            def wait_again(name):
                for _ in range(10):
                    if _status(name) == "ACTIVE":
                        return
                    time.sleep(5)
            def _status(name):
                return "shadowed"
            """
        ),
        "app/example.py",
        EVERY,
    )
    # A second definition of `_status` makes the name mean either: no helper poll is inferred.
    assert found == []


def test_aws204_a_function_that_waits_itself_is_no_helper() -> None:
    source = """
import time
import boto3
ddb = boto3.client("dynamodb")
def settle(table):
    status = ddb.describe_table(TableName=table)["Table"]["TableStatus"]
    while status == "UPDATING":
        time.sleep(5)
        status = ddb.describe_table(TableName=table)["Table"]["TableStatus"]
    return status
def settle_all(tables):
    for table in tables:
        if settle(table) == "ACTIVE":
            return table
        time.sleep(1)
    return None
"""
    # `settle` polls on its own (while "UPDATING", which no waiter retries on); the outer loop is no poll.
    assert check_source(source, "app/example.py", EVERY) == []
