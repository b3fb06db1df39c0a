"""The shipped SDK tables (batch failures, waiters, deprecated operations) and their generator."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from awslint import Config, check_source
from awslint.data.sdk_tables import (
    BATCH_PATH,
    DEPRECATED_PATH,
    WAITER_PATH,
    Acceptor,
    BatchTable,
    batch_table,
    deprecated_table,
    waiter_table,
)
from conftest import ROOT


def test_batch_failure_rows() -> None:
    t = batch_table()
    row = t.lookup("dynamodb", "batch_write_item")
    assert row is not None and row.members == ("UnprocessedItems",) and row.verb == "write"
    assert t.lookup("dynamodb", "batch_get_item") is not None
    kinesis = t.lookup("kinesis", "put_records")
    assert kinesis is not None and kinesis.members == ("FailedRecordCount",)
    assert kinesis.entry_errors == (("Records", "ErrorCode"),)
    events = t.lookup("events", "put_events")
    assert events is not None and events.entry_errors == (("Entries", "ErrorCode"),)
    assert t.lookup("sqs", "send_message_batch") is not None
    assert t.lookup("s3", "delete_objects") is not None
    assert t.lookup("ecs", "run_task") is not None
    # Look-ups whose failures only name what was not found are not in the table.
    assert t.lookup("ecs", "describe_tasks") is None and t.lookup("ecs", "describe_services") is None
    # Members that only share the word: an integration's errors, a job's failure reason.
    assert t.lookup("rds", "create_integration") is None
    assert t.lookup("glue", "get_job_run") is None


def test_waiter_rows() -> None:
    waiters = {w.name: w for w in waiter_table().waiters("ec2", "describe_instances")}
    running = waiters["instance_running"]
    assert Acceptor("success", "Reservations[].Instances[].State.Name", "running") in running.acceptors
    assert Acceptor("success", "Reservations[].Instances[].State.Name", "running").field == "State.Name"
    assert {w.name for w in waiter_table().waiters("eks", "describe_cluster")} >= {"cluster_active", "cluster_deleted"}
    assert waiter_table().waiters("athena", "get_query_execution") == ()
    assert "eks" in waiter_table().services_of("describe_cluster") and "kafka" in waiter_table().elsewhere("describe_cluster")


def test_deprecated_rows() -> None:
    t = deprecated_table()
    listing = t.lookup("s3", "list_objects")
    assert listing is not None and listing.kind == "superseded" and listing.successors == ("list_objects_v2",)
    master = t.lookup("guardduty", "get_master_account")
    assert master is not None and master.kind == "deprecated" and "`get_administrator_account`" in master.advice
    assert t.lookup("s3", "list_objects_v2") is None
    assert "list_objects" in t.deprecated_everywhere and "tag_resource" not in t.deprecated_everywhere
    assert t.vendored_requests_exports >= {"exceptions", "ConnectionError"} and "get" not in t.vendored_requests_exports


def test_what_is_left_of_vendored_requests() -> None:
    survives = deprecated_table().vendored_survives
    assert survives([]) and survives(["exceptions", "ReadTimeout"]) and survives(["packages", "urllib3", "exceptions"])
    assert survives(["packages", "urllib3", "exceptions", "InsecureRequestWarning"])
    assert not survives(["packages", "urllib3", "util", "retry"]) and not survives(["packages", "urllib3", "PoolManager"])
    assert not survives(["adapters"]) and not survives(["get"])


def test_tables_record_one_botocore_version() -> None:
    versions = {json.loads(p.read_text(encoding="utf-8"))["botocore"] for p in (BATCH_PATH, WAITER_PATH, DEPRECATED_PATH)}
    assert len(versions) == 1


def test_malformed_rows_do_not_break_lookups() -> None:
    t = BatchTable({"services": {"x": {"op": [["Failed"]]}}})
    row = t.lookup("x", "op")
    assert row is not None and row.members == ("Failed",) and row.verb == "process" and row.entry_errors == ()
    assert t.lookup("x", "other") is None and t.botocore_version == "unknown"


def test_tables_are_not_read_without_candidate_calls() -> None:
    for loader in (batch_table, waiter_table, deprecated_table):
        loader.cache_clear()
    check_source("import os\n\ndef f(p):\n    return os.path.join(p, 'x')\n", "x.py", Config(select=("AWS203", "AWS204")))
    assert batch_table.cache_info().currsize == 0 and waiter_table.cache_info().currsize == 0


def _generator() -> ModuleType:  # the regeneration script, imported by path (scripts/ is not a package)
    spec = importlib.util.spec_from_file_location("generate_sdk_tables", ROOT / "scripts" / "generate_sdk_tables.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generator_check_passes_against_installed_botocore() -> None:
    botocore = pytest.importorskip("botocore")
    if botocore.__version__ != batch_table().botocore_version:
        pytest.skip(f"botocore {botocore.__version__} installed, the tables come from {batch_table().botocore_version}")
    assert _generator().main(["--check"]) == 0


def test_generator_check_fails_on_a_stale_table(tmp_path: Path) -> None:
    pytest.importorskip("botocore")
    for path in (BATCH_PATH, WAITER_PATH, DEPRECATED_PATH):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / BATCH_PATH.name).write_text("{}\n", encoding="utf-8")
    generator = _generator()
    assert generator.main(["--check", "--output-dir", str(tmp_path)]) == 1


def test_loader_names_its_generator() -> None:
    from awslint.data import sdk_tables

    assert "generate_sdk_tables.py" in (sdk_tables.__doc__ or "")
