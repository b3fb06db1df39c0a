"""AWS SDK pagination (AWS201, AWS202): boto3 calls that read only the first page of their results,
and `get_paginator` for an operation that cannot be paginated."""
from __future__ import annotations

from awslint.rule import Family
from awslint.rules.pagination.check import check
from awslint.rules.pagination.rules import AwsOperationNotPageable, UnpaginatedAwsCall

FAMILY = Family(name="pagination", rules=(UnpaginatedAwsCall, AwsOperationNotPageable), check=check)
