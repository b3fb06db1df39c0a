"""Operations that return everything in one call: quotas below one page, tokens documented as unused."""
from __future__ import annotations

import re

import pytest

from awslint import Config
from awslint.data.pagination import table
from awslint.data.quotas import ONE_ITEM_FILTERS, QUOTAS, Quota, quota, selects_one
from conftest import findings

PAGINATION = Config(select=("AWS2",))


def aws201(source: str) -> list[int]:
    return [f.line for f in findings(source, PAGINATION, "app.py") if f.code == "AWS201"]


@pytest.mark.parametrize("row", QUOTAS, ids=[f"{q.service}.{q.operation}" for q in QUOTAS])
def test_every_quota_row_is_a_paginated_operation_below_its_page_size(row: Quota) -> None:
    paging = table().paging(row.service, row.operation)
    assert paging is not None, "the operation must be paginated, or the row bounds nothing"
    assert row.source.startswith("https://docs.aws.amazon.com/")
    assert 0 < row.limit
    size = re.search(r"at most ([\d,]+) items", paging.page_size or "")
    if size:
        assert row.limit < int(size.group(1).replace(",", ""))


def test_quota_lookup() -> None:
    found = quota("events", "list_targets_by_rule")
    assert found is not None and (found.limit, found.parent) == (5, "rule")
    assert quota("events", "list_rules") is None


def test_listings_bounded_by_a_quota_are_silent() -> None:
    assert aws201(
        '''
        import boto3

        events = boto3.client("events")
        iam = boto3.client("iam")

        def delete_rule(name):
            targets = events.list_targets_by_rule(Rule=name)
            events.remove_targets(Rule=name, Ids=[t["Id"] for t in targets["Targets"]])

        def user_keys(user):
            return [k["AccessKeyId"] for k in iam.list_access_keys(UserName=user)["AccessKeyMetadata"]]

        def role_policies(role):
            return iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]

        def first_page_of_keys(user):
            pages = iam.get_paginator("list_access_keys").paginate(UserName=user)
            return next(iter(pages))["AccessKeyMetadata"]
        '''
    ) == []


def test_listings_of_one_parent_without_such_a_quota_are_reported() -> None:
    assert aws201(
        '''
        import boto3

        iam = boto3.client("iam")

        def group_users(group):
            return iam.get_group(GroupName=group)["Users"]

        def inline_policies(role):
            return iam.list_role_policies(RoleName=role)["PolicyNames"]
        '''
    ) == [7, 10]


def test_the_table_records_tokens_documented_as_unused() -> None:
    t = table()
    assert t.token_unused("cloudtrail", "list_tags")
    assert t.token_unused("waf", "get_rate_based_rule_managed_keys")
    assert not t.token_unused("cloudtrail", "lookup_events")
    assert t.unpaged_unless_asked("cloudtrail", "list_tags") and t.unpaged_unless_asked("s3", "list_buckets")


def test_operations_whose_token_is_unused_are_silent() -> None:
    assert aws201(
        '''
        import boto3

        cloudtrail = boto3.client("cloudtrail")

        def trail_tags(arn):
            return cloudtrail.list_tags(ResourceIdList=[arn])["ResourceTagList"]

        def public_keys():
            return cloudtrail.list_public_keys()["PublicKeyList"]

        def events():
            return cloudtrail.lookup_events()["Events"]
        '''
    ) == [13]


def test_a_quota_of_one_service_does_not_bound_the_same_name_in_another() -> None:
    assert aws201(
        '''
        import boto3

        autoscaling = boto3.client("autoscaling")

        def group_balancers(group):
            return autoscaling.describe_load_balancers(AutoScalingGroupName=group)["LoadBalancers"]

        def balancers(client):
            return client.describe_load_balancers()["LoadBalancerDescriptions"]
        '''
    ) == [10]


@pytest.mark.parametrize("key", sorted(ONE_ITEM_FILTERS), ids=[f"{s}.{o}" for s, o in sorted(ONE_ITEM_FILTERS)])
def test_every_one_item_filter_row_names_a_paginated_operation(key: tuple[str, str]) -> None:
    service, operation = key
    assert table().paging(service, operation) is not None, "the operation must be paginated, or the row bounds nothing"
    for name, source in ONE_ITEM_FILTERS[key].items():
        assert selects_one(service, operation, name)
        assert source.startswith("https://docs.aws.amazon.com/")


def test_filters_that_select_one_item_bound_the_listing() -> None:
    assert aws201(
        '''
        import boto3

        ec2 = boto3.client("ec2")

        def route_table_of(subnet_id):
            found = ec2.describe_route_tables(
                Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}]
            )
            return found["RouteTables"]

        def acl_of(subnet_id):
            return ec2.describe_network_acls(
                Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}]
            )["NetworkAcls"]

        def gateway_of(vpc_id):
            return ec2.describe_internet_gateways(
                Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
            )["InternetGateways"]

        def route_tables_of(vpc_id):
            found = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
            return found["RouteTables"]
        '''
    ) == [23]
