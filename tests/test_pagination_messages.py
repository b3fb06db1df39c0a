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


def test_a_filtered_dynamodb_page_says_the_filter_runs_after_the_read_and_what_its_limit_counts() -> None:
    finding = only(
        '''
        import boto3
        from boto3.dynamodb.conditions import Attr

        table = boto3.resource("dynamodb").Table("jobs")

        def has_pending():
            return bool(table.scan(FilterExpression=Attr("state").eq("PENDING"), Limit=1)["Items"])
        '''
    )
    assert (finding.line, finding.message) == (
        8,
        "`scan` returns one page and applies `FilterExpression` to it after reading it (`Limit=1` counts the items "
        "read, not the matches), so the page may miss matches that later pages hold: loop while `LastEvaluatedKey` "
        "is in the response, passing it as `ExclusiveStartKey`, or use `table.meta.client.get_paginator('scan')`",
    )


def test_truncation_that_raises_is_one_page_on_purpose_but_one_that_is_logged_is_not() -> None:
    source = '''
        import boto3

        s3 = boto3.client("s3")

        def strict(bucket):
            resp = s3.list_objects_v2(Bucket=bucket)
            if resp["IsTruncated"]:
                raise ValueError(bucket)
            return resp["Contents"]

        def loose(bucket):
            resp = s3.list_objects_v2(Bucket=bucket)
            if resp["IsTruncated"]:
                print("truncated", bucket)
            return resp["Contents"]
        '''
    assert only(source).line == 13


def test_a_table_of_unknown_origin_is_told_to_page_through_its_client() -> None:
    finding = only(
        '''
        from boto3.dynamodb.conditions import Key

        def by_owner(orders_table, owner):
            return orders_table.query(IndexName="owner", KeyConditionExpression=Key("owner").eq(owner))["Items"]
        '''
    )
    assert finding.message == (
        "`query` returns one page (at most 1 MB): loop while `LastEvaluatedKey` is in the response, passing it as "
        "`ExclusiveStartKey`, or use `orders_table.meta.client.get_paginator('query')`"
    )


def _not_pageable(source: str) -> list[str]:
    return [f.message for f in findings(source, PAGINATION, "app.py") if f.code == "AWS202"]


def test_aws202_names_the_loop_for_an_operation_that_pages_without_a_paginator() -> None:
    (message,) = _not_pageable(
        '''
        import boto3

        def costs(period):
            ce = boto3.client("ce")
            return [r for page in ce.get_paginator("get_cost_and_usage").paginate(TimePeriod=period)
                    for r in page["ResultsByTime"]]
        '''
    )
    assert message == (
        "`get_paginator('get_cost_and_usage')` raises OperationNotPageableError: the `ce` client has no paginator "
        "for `get_cost_and_usage`; it pages by hand: loop while `NextPageToken` is in the response, passing it back"
    )


def test_aws202_says_when_the_service_has_no_such_operation_at_all() -> None:
    (message,) = _not_pageable(
        '''
        import boto3

        def topics():
            sqs = boto3.client("sqs")
            return [t for page in sqs.get_paginator("list_topics").paginate() for t in page["Topics"]]
        '''
    )
    assert message == (
        "`get_paginator('list_topics')` raises OperationNotPageableError: the `sqs` client has no paginator for "
        "`list_topics`; `sqs` has no operation `list_topics` at all (`kafka`, `sns` page it): check which client this is"
    )


def test_a_token_sent_only_with_the_limit_key_is_named_in_the_fix() -> None:
    without, with_limit = [f.message for f in findings(
        '''
        import boto3

        sqs = boto3.client("sqs")

        def queues():
            return sqs.list_queues(QueueNamePrefix="jobs-")["QueueUrls"]

        def some_queues():
            return sqs.list_queues(QueueNamePrefix="jobs-", MaxResults=100)["QueueUrls"]
        ''', PAGINATION, "app.py") if f.code == "AWS201"]
    assert without == (
        "`list_queues` returns one page and no `NextToken` unless the call passes `MaxResults`: pass `MaxResults` "
        "and loop while `NextToken` is in the response, passing it back, or use `sqs.get_paginator('list_queues')` "
        "with a `PageSize` in `PaginationConfig`"
    )
    assert with_limit == (
        "`list_queues` returns one page: loop while `NextToken` is in the response, passing it back, or use "
        "`sqs.get_paginator('list_queues')`"
    )


def test_list_objects_loops_on_is_truncated_since_next_marker_needs_a_delimiter() -> None:
    finding = only(
        '''
        import boto3

        s3 = boto3.client("s3")

        def keys(bucket, prefix):
            resp = s3.list_objects(Bucket=bucket, Prefix=prefix)
            return [o["Key"] for o in resp["Contents"]]
        '''
    )
    # S3 answers `NextMarker` only to a call with a `Delimiter`: a loop on it alone stops after a page
    assert finding.message == (
        "`list_objects` returns one page (at most 1,000 keys): loop while `IsTruncated` is true, passing "
        "`NextMarker` as `Marker` (`Contents[-1].Key` when the response has no `NextMarker`), or use "
        "`s3.get_paginator('list_objects')`"
    )
