"""AWS201 messages and witnesses: broken token loops, page sizes only where true, steps on the read's line."""
from __future__ import annotations

from awslint import Config
from awslint.finding import Finding
from conftest import findings

PAGINATION = Config(select=("AWS2",))


def only(source: str) -> Finding:
    (finding,) = [f for f in findings(source, PAGINATION, "app.py") if f.code == "AWS201"]
    return finding


def test_a_loop_that_tests_the_token_but_never_passes_it_back_is_reported_as_such() -> None:
    finding = only(
        '''
        import boto3

        def rows(name):
            ddb = boto3.client("dynamodb")
            items = []
            resp = ddb.scan(TableName=name)
            while "LastEvaluatedKey" in resp:
                items.extend(resp["Items"])
                resp = ddb.scan(TableName=name)
            return items
        '''
    )
    assert (finding.line, finding.message) == (
        7,
        "`scan` returns one page (at most 1 MB); the loop tests `LastEvaluatedKey` but never passes it as "
        "`ExclusiveStartKey`: pass it into the next call, or use `ddb.get_paginator('scan')`",
    )
    assert [(s.line, s.note) for s in finding.path] == [
        (7, "`scan` returns the first page"),
        (8, "the loop tests `LastEvaluatedKey`"),
        (9, "only that page is read"),
    ]


def test_a_page_size_is_named_only_when_the_call_passes_no_limit() -> None:
    source = '''
    import boto3

    def api_keys():
        apigw = boto3.client("apigateway")
        return [k["id"] for k in apigw.get_api_keys({limit})["items"]]
    '''
    assert only(source.replace("{limit}", "")).message.startswith("`get_api_keys` returns one page (at most 25 items): ")
    assert only(source.replace("{limit}", "limit=500")).message.startswith(
        "`get_api_keys` returns one page: loop while `position` is in the response"
    )


def test_the_read_step_is_on_the_line_of_the_key_read() -> None:
    finding = only(
        '''
        import boto3

        def images(ec2):
            out = []
            for image in ec2.describe_images(
                Owners=["self"]
            )["Images"]:
                out.append(image)
        '''
    )
    assert [(s.line, s.note) for s in finding.path] == [(6, "`describe_images` returns the first page"), (8, "only that page is read")]


def test_a_read_that_starts_above_the_call_is_placed_at_the_call() -> None:
    finding = only(
        '''
        import boto3

        def integrated(securityhub, arn):
            return arn in str(
                securityhub.list_enabled_products_for_import()
            )
        '''
    )
    assert finding.line == 6
    assert [(s.line, s.note) for s in finding.path][-1] == (6, "only that page is read")
