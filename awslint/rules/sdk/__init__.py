"""AWS SDK usage beyond pagination (AWS203–AWS206): batch failures nobody reads, polling loops a
waiter implements, deprecated APIs, and credentials in the source."""
from __future__ import annotations

from awslint.rule import Family
from awslint.rules.sdk.check import check
from awslint.rules.sdk.fix import CODES, plan
from awslint.rules.sdk.rules import (
    AwsBatchFailuresIgnored,
    AwsPollingWithoutWaiter,
    DeprecatedAwsApi,
    HardcodedAwsCredentials,
)

FAMILY = Family(
    name="sdk",
    rules=(AwsBatchFailuresIgnored, AwsPollingWithoutWaiter, DeprecatedAwsApi, HardcodedAwsCredentials),
    check=check,
    fixes=(plan,),
    fixable=CODES,
)
