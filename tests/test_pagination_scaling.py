"""AWS201/AWS202 keep every finding however long the function or the literal (issue 10).

These tests assert results, not times: `benchmarks/` measures the times. Each shape is one function of
N calls, the size at which the former per-call scans of the whole function grew quadratically.
"""
from __future__ import annotations

from awslint import Config, check_source
from awslint.finding import Finding

PAGINATION = Config(select=("AWS2",))
N = 3000


def _function(body: list[str]) -> str:
    return "\n".join(["import boto3", "", "def f():", "    client = boto3.client('dynamodb')", *body]) + "\n"


def _lines(findings: list[Finding]) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in findings]


def test_n_scans_of_distinct_tables_are_each_reported() -> None:
    body = []
    for i in range(N):
        body += [f"    r{i} = client.scan(TableName='t{i}')", f"    print(r{i}['Items'])"]
    found = check_source(_function(body), "app.py", PAGINATION)
    assert _lines(found) == [(5 + 2 * i, "AWS201") for i in range(N)]


def test_n_scans_bound_to_one_name_are_each_reported_with_their_own_read() -> None:
    body = []
    for _ in range(N):
        body += ["    resp = client.scan(TableName='t')", "    print(resp['Items'])"]
    found = check_source(_function(body), "app.py", PAGINATION)
    assert _lines(found) == [(5 + 2 * i, "AWS201") for i in range(N)]
    # The witness of each call is the read that follows it, not the first read of the name.
    assert [f.path[-1].line for f in found] == [6 + 2 * i for i in range(N)]


def test_n_first_item_reads_and_n_paged_loops_stay_silent() -> None:
    body = []
    for i in range(N):
        body += [
            "    resp = client.scan(TableName='t')",
            "    items = resp.get('Items', [])",
            "    if items:",
            "        print(items[0])",
            f"    page = client.scan(TableName='p{i}')",
            "    while 'LastEvaluatedKey' in page:",
            f"        page = client.scan(TableName='p{i}', ExclusiveStartKey=page['LastEvaluatedKey'])",
            "    print(page['Items'])",
        ]
    assert check_source(_function(body), "app.py", PAGINATION) == []


def test_a_megabyte_operation_name_is_judged_in_one_pass() -> None:
    # `get_paginator("A" + "a" * n + "_")` once took a backtracking pattern quadratic time.
    name = "A" + "a" * 1_000_000 + "_"
    source = f"import boto3\nclient = boto3.client('s3')\nclient.get_paginator('{name}')\nthing.get_paginator('{name}')\n"
    (finding,) = check_source(source, "app.py", PAGINATION)
    assert (finding.code, finding.line) == ("AWS202", 3)
    shown = "A" + "a" * 78 + "\u2026"
    assert finding.message.startswith(
        f"`get_paginator('{shown}')` raises OperationNotPageableError: the `s3` client has no paginator for `{shown}`;"
    )
    assert len(finding.message) < 400


def test_n_calls_that_send_the_loops_token_in_one_loop_are_judged_once_per_loop() -> None:
    body = ["    token = None", "    while token:"]
    for _ in range(N):
        body += ["        page = client.list_tables(ExclusiveStartTableName=token)", "        print(page['TableNames'])"]
    body += ["        token = page.get('LastEvaluatedTableName')"]
    assert _lines(check_source(_function(body), "app.py", PAGINATION)) == []
