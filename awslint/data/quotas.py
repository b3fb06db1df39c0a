"""Listings bounded by a hard AWS quota below one page: one call returns every item.

Each row lists the children of one parent (the access keys of one user, the targets of one rule) where
AWS documents a quota on how many children a parent can have, and that quota — at its adjustable
maximum, where it can be raised — is below the operation's page size. Curated by hand from the AWS
documentation named in each row; `tests/test_pagination_quotas.py` checks every row against the
pagination table (the operation pages, and the quota is below its documented page size where the
table records one).
"""
from __future__ import annotations

from dataclasses import dataclass

IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
AUTOSCALING_QUOTAS = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html"
WAF_CLASSIC_QUOTAS = "https://docs.aws.amazon.com/waf/latest/developerguide/classic-limits.html"


@dataclass(frozen=True)
class Quota:
    """At most `limit` items per `parent` for `operation` of `service`, as `source` documents."""

    service: str
    operation: str  # boto3's snake_case name
    limit: int
    parent: str
    source: str


QUOTAS: tuple[Quota, ...] = (
    Quota("iam", "list_access_keys", 2, "IAM user", IAM_QUOTAS),
    Quota("iam", "list_signing_certificates", 2, "IAM user", IAM_QUOTAS),
    Quota("iam", "list_ssh_public_keys", 5, "IAM user", IAM_QUOTAS),
    Quota("iam", "list_mfa_devices", 8, "IAM user", IAM_QUOTAS),
    Quota("iam", "list_groups_for_user", 10, "IAM user", IAM_QUOTAS),
    Quota("iam", "list_policy_versions", 5, "managed policy", IAM_QUOTAS),
    # Managed policies attached: 10 by default, raised to at most 20 for roles and users.
    Quota("iam", "list_attached_role_policies", 20, "IAM role", IAM_QUOTAS),
    Quota("iam", "list_attached_user_policies", 20, "IAM user", IAM_QUOTAS),
    Quota("iam", "list_attached_group_policies", 10, "IAM group", IAM_QUOTAS),
    # Inline policies: "the total aggregate policy size ... can't exceed: User 2,048 characters, Group
    # 5,120" (whitespace not counted), and the smallest valid policy, `{"Statement":[{"Effect":"Allow",
    # "Action":"*","Resource":"*"}]}`, takes 58: at most 35 for a user and 88 for a group, under the
    # page of 100. A role's 10,240 allows more than a page.
    Quota("iam", "list_user_policies", 35, "IAM user", IAM_QUOTAS),
    Quota("iam", "list_group_policies", 88, "IAM group", IAM_QUOTAS),
    # "Aliases for an AWS account: 1".
    Quota("iam", "list_account_aliases", 1, "AWS account", IAM_QUOTAS),
    # "the only valid policy name is default": every KMS key has exactly one key policy.
    Quota(
        "kms", "list_key_policies", 1, "KMS key",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html",
    ),
    Quota(
        "events", "list_targets_by_rule", 5, "rule",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html",
    ),
    Quota(
        "logs", "describe_subscription_filters", 2, "log group",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html",
    ),
    Quota(
        "logs", "describe_resource_policies", 10, "Region of an account",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html",
    ),
    # One mount target per Availability Zone, and no Region has more than 6; the page is 10.
    Quota(
        "efs", "describe_mount_targets", 6, "file system (one per Availability Zone)",
        "https://docs.aws.amazon.com/efs/latest/ug/limits.html",
    ),
    Quota(
        "guardduty", "list_detectors", 1, "account in a Region",
        "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_limits.html",
    ),
    # "Classic Load Balancers per Auto Scaling group: 50", "Elastic Load Balancing target groups per
    # Auto Scaling group: 50" (cannot be changed); both listings take the group as a required parameter
    # and page 100 items.
    Quota("autoscaling", "describe_load_balancers", 50, "Auto Scaling group", AUTOSCALING_QUOTAS),
    Quota("autoscaling", "describe_load_balancer_target_groups", 50, "Auto Scaling group", AUTOSCALING_QUOTAS),
    # AWS WAF Classic: "Rules per rule group: 10" (cannot be changed); the listing pages 100.
    Quota("waf", "list_activated_rules_in_rule_group", 10, "rule group", WAF_CLASSIC_QUOTAS),
    Quota(
        "organizations", "list_roots", 1, "organization",
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
    ),
    Quota(
        "organizations", "list_parents", 1, "root, OU or account",
        "https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html",
    ),
)

_BY_OPERATION = {(q.service, q.operation): q for q in QUOTAS}


def quota(service: str, operation: str) -> Quota | None:
    """The quota that bounds `operation` of `service` below one page, if the table has one."""
    return _BY_OPERATION.get((service, operation))


VPC_ROUTE_TABLES = "https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html"
VPC_NETWORK_ACLS = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"
VPC_INTERNET_GATEWAYS = "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html"

# Filters that select at most one item, because the resource they name can be associated with only
# one of the items listed: "A subnet can be associated with only one route table at a time", "A subnet
# can be associated with only one network ACL at a time", "You can attach only one internet gateway to
# a VPC". (service, operation) -> {filter name: source}.
ONE_ITEM_FILTERS: dict[tuple[str, str], dict[str, str]] = {
    ("ec2", "describe_route_tables"): {"association.subnet-id": VPC_ROUTE_TABLES},
    ("ec2", "describe_network_acls"): {"association.subnet-id": VPC_NETWORK_ACLS},
    ("ec2", "describe_internet_gateways"): {"attachment.vpc-id": VPC_INTERNET_GATEWAYS},
}


def selects_one(service: str, operation: str, filter_name: str) -> bool:
    """Whether filtering `operation` of `service` on `filter_name` to one value selects at most one item."""
    return filter_name in ONE_ITEM_FILTERS.get((service, operation), {})
