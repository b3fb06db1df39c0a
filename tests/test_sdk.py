"""AWS203–AWS206: the labelled fixtures, the messages, the silent cases SPEC lists, and the AWS205 fix."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from awslint import Config, check_source
from awslint.fix import fix_source
from conftest import FIXTURES, expected

SDK = Config(select=("AWS203", "AWS204", "AWS205", "AWS206"))
CASES = sorted((FIXTURES / "sdk").glob("*.py"))


def _reported(source: str, filename: str = "example.py") -> set[tuple[int, str]]:
    return {(f.line, f.code) for f in check_source(source, filename, SDK)}


@pytest.mark.parametrize("path", [p for p in CASES if p.name != "in_test_code.py"], ids=lambda p: p.stem)
def test_fixture_labels(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    want = {(line, code) for line, code in expected(source) if code in SDK.select}
    assert _reported(source) == want


def test_test_code_keeps_only_aws205_and_aws206() -> None:
    source = (FIXTURES / "sdk" / "in_test_code.py").read_text(encoding="utf-8")
    assert _reported(source, "tests/test_polling.py") == expected(source)
    # The same code outside a test reports the poll and the dropped batch too.
    product = source.replace("def test_instance_starts", "def instance_starts")
    assert {code for _, code in _reported(product, "app/poll.py")} == {"AWS203", "AWS204", "AWS205", "AWS206"}


def _one(source: str) -> str:
    found = check_source(textwrap.dedent(source), "example.py", SDK)
    assert len(found) == 1, found
    return found[0].message


def test_aws203_message_names_operation_member_and_fix() -> None:
    message = _one(
        """
        import boto3
        ddb = boto3.client("dynamodb")
        def save(items):
            ddb.batch_write_item(RequestItems={"t": items})
        """
    )
    assert message == (
        "`batch_write_item` reports the items it could not write in `UnprocessedItems`, and they are dropped "
        "here; retry them with backoff, or use `Table.batch_writer()`"
    )


def test_aws203_kinesis_message_names_count_and_entries() -> None:
    message = _one(
        """
        import boto3
        kinesis = boto3.client("kinesis")
        def send(records):
            kinesis.put_records(StreamName="s", Records=records)
        """
    )
    assert "`FailedRecordCount`" in message and "`Records` entries that carry an `ErrorCode`" in message


def test_aws203_success_list_tested_is_a_check() -> None:
    source = """
    import boto3
    glue = boto3.client("glue")
    def stop(job, run_id, log):
        response = glue.batch_stop_job_run(JobName=job, JobRunIds=[run_id])
        if not response["SuccessfulSubmissions"]:
            log.error("could not stop %s", run_id)
    """
    assert _reported(textwrap.dedent(source)) == set()


def test_aws203_unknown_receiver_needs_evidence() -> None:
    source = textwrap.dedent(
        """
        def drop(queue, entries, thing):
            queue.send_message_batch(Entries=entries)
            thing.delete_objects(Bucket="b", Delete={"Objects": []})
            thing.send_message_batch(entries)
        """
    )
    # `Entries=`/`Bucket=` are boto3's spelling; a positional argument is no boto3 call.
    assert _reported(source) == {(3, "AWS203"), (4, "AWS203")}


def test_aws204_message_names_waiter_and_call() -> None:
    message = _one(
        """
        import time
        import boto3
        ec2 = boto3.client("ec2")
        def wait(instance_id):
            while ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"] != "running":
                time.sleep(5)
        """
    )
    assert message == (
        "this loop polls `describe_instances` until `State.Name` is `running`, which the `instance_running` "
        "waiter does with backoff and a time limit: "
        "`ec2.get_waiter('instance_running').wait(InstanceIds=[instance_id])`"
    )


def test_aws204_message_names_the_waiter_made_for_each_state_the_loop_leaves_on() -> None:
    message = _one(
        """
        import time
        import boto3
        cf = boto3.client("cloudformation")
        def wait_stack(name):
            while True:
                time.sleep(3)
                status = cf.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
                if status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
                    break
        """
    )
    # `stack_create_complete` takes `UPDATE_IN_PROGRESS` as done: after an update it would not wait
    assert message.endswith(
        "`cf.get_waiter('stack_create_complete').wait(StackName=name)` "
        "(and the `stack_update_complete` waiter for `UPDATE_COMPLETE`)"
    )


def test_aws205_messages_carry_the_models_advice() -> None:
    message = _one(
        """
        import boto3
        guardduty = boto3.client("guardduty")
        def admin(detector):
            return guardduty.get_master_account(DetectorId=detector)["Master"]
        """
    )
    assert message == (
        "`get_master_account` is deprecated in botocore's `guardduty` model: this operation is deprecated, "
        "use `get_administrator_account` instead"
    )


def test_aws205_unknown_receiver_names_every_service_that_retires_the_operation() -> None:
    message = _one(
        """
        import boto3
        def admin(client):
            return client.get_master_account()["Master"]
        """
    )
    assert message == (
        "`get_master_account` is deprecated or superseded in every botocore service that has it "
        "(`guardduty`, `macie2`, `securityhub`): this operation is deprecated, use `get_administrator_account` instead"
    )


def test_aws205_vendored_requests_forms() -> None:
    source = textwrap.dedent(
        """
        import botocore.vendored.requests
        from botocore.vendored import requests as r
        from botocore.vendored.requests import get
        from botocore.vendored.requests.adapters import HTTPAdapter
        from botocore.vendored.requests import exceptions
        from botocore.vendored.requests.exceptions import ReadTimeout
        import botocore.vendored.requests as still_ok

        def f():
            botocore.vendored.requests.get("u")
            r.post("u")
            return still_ok.exceptions.ConnectionError
        """
    )
    assert _reported(source) == {(2, "AWS205"), (3, "AWS205"), (4, "AWS205"), (5, "AWS205")}


def test_aws206_message_masks_the_key() -> None:
    message = _one('KEY = "AKIA' + 'R7HS4DMVU7VHWIMV"\n')  # split: no key-shaped literal in this file
    assert message.startswith("an AWS access key id (`AKIAR7HS…`) is written into the source (assigned to `KEY`)")
    assert "VHWIMV" not in message


def test_all_four_are_on_by_default() -> None:
    source = (FIXTURES / "sdk" / "in_test_code.py").read_text(encoding="utf-8")
    product = source.replace("def test_instance_starts", "def instance_starts")
    assert {f.code for f in check_source(product, "app/poll.py")} >= {"AWS203", "AWS204", "AWS205", "AWS206"}


FIXABLE = """\
import boto3

s3 = boto3.client("s3")


def keys(bucket, prefix):
    response = s3.list_objects(Bucket=bucket, Prefix=prefix)
    return [obj["Key"] for obj in response.get("Contents", [])]


def resume(bucket, marker):
    return s3.list_objects(Bucket=bucket, Marker=marker)["Contents"]


def next_marker(bucket):
    return s3.list_objects(Bucket=bucket).get("NextMarker")


def owners(bucket):
    response = s3.list_objects(Bucket=bucket)
    return [obj["Owner"]["ID"] for obj in response["Contents"]]


def handed_over(bucket, sink):
    sink(s3.list_objects(Bucket=bucket, MaxKeys=10)["Contents"])
"""


def test_aws205_fix_renames_only_where_the_keys_read_are_the_same() -> None:
    fixed = fix_source(FIXABLE, "app/keys.py", SDK)
    assert fixed.counts == {"AWS205": 1}
    assert fixed.text == FIXABLE.replace(
        "s3.list_objects(Bucket=bucket, Prefix=prefix)", "s3.list_objects_v2(Bucket=bucket, Prefix=prefix)"
    )
    assert fix_source(fixed.text, "app/keys.py", SDK).counts == {}


def test_aws205_fix_through_the_command(tmp_path: Path) -> None:
    from awslint.cli import main

    path = tmp_path / "keys.py"
    path.write_text(FIXABLE, encoding="utf-8")
    main(["--fix", "--select", "AWS205", str(path)])
    text = path.read_text(encoding="utf-8")
    assert text.count("list_objects_v2(") == 1 and text.count("list_objects(") == 4


@pytest.mark.parametrize("name", ["aws_secret__access_key", "SECRET-ACCESS_KEY", "secretAccess_Key", "SecretAccessKey"])
def test_a_secret_is_found_under_every_spelling_of_its_name(name: str) -> None:
    # the file's pre-filter must let through every name the rule itself reads as a secret's
    source = f'settings = {{"{name}": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz"}}\n'
    assert _reported(source) == {(1, "AWS206")}



def test_a_count_of_failures_is_reported_as_a_count() -> None:
    message = _one(
        """
        import boto3
        events = boto3.client("events")
        def publish(detail):
            events.put_events(Entries=[{"Source": "edge", "DetailType": "beat", "Detail": detail}])
        """
    )
    # `FailedEntryCount` counts the failures; the failed entries are the `Entries` with an `ErrorCode`
    assert message.startswith(
        "`put_events` reports how many items it could not put in `FailedEntryCount`, and they are dropped here; "
        "check `FailedEntryCount` and resend the `Entries` entries that carry an `ErrorCode`"
    )
