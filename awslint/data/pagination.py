"""The boto3 pagination table: which operations return their results in pages, and how to follow them.

Generated from botocore's `paginators-1.json` by `scripts/generate_pagination_table.py`; the table
records the botocore version it came from. It is read on first use (`table()`), so a run over files
that call no paginated operation never pays for it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

TABLE_PATH = Path(__file__).with_name("pagination.json")


@dataclass(frozen=True)
class Paging:
    """How one operation of one service pages (names as in botocore's paginator model)."""

    service: str
    operation: str  # boto3's snake_case name
    input_tokens: tuple[str, ...]
    output_tokens: tuple[str, ...]  # may be JMESPath expressions: "NextMarker || Contents[-1].Key"
    result_keys: tuple[str, ...]  # may be dotted: "DistributionList.Items"
    limit_key: str | None
    other_keys: tuple[str, ...]  # keys of the response that are not results (non_aggregate_keys, more_results)
    page_size: str | None  # "at most 1 MB", "at most 100 items", where botocore documents it
    paginator: bool = True  # False for a service's token paging that botocore has no paginator for
    other_inputs: frozenset[str] | None = None  # the input members besides tokens and limit (None: not recorded)

    def accepts(self, keywords: Iterable[str]) -> bool:
        """Whether a call passing these keyword arguments can be a call of this operation: botocore
        refuses a keyword the operation's input does not have."""
        if self.other_inputs is None:
            return True
        known = self.other_inputs | set(self.input_tokens) | ({self.limit_key} if self.limit_key else set())
        return all(k in known for k in keywords)

    @property
    def output_token(self) -> str:
        """The response key to loop on, as a reader writes it."""
        return self.output_tokens[0].split("||")[0].strip() if self.output_tokens else "NextToken"

    @property
    def input_token(self) -> str:
        return self.input_tokens[0] if self.input_tokens else "NextToken"


class PaginationTable:
    """Lookups over the generated table; build it with `table()`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.botocore_version: str = str(data.get("botocore", "unknown"))
        self._raw: dict[str, dict[str, list[Any]]] = data.get("services", {})
        self._service_ids: dict[str, str] = data.get("service_ids", {})
        self._resources: dict[str, dict[str, dict[str, str]]] = data.get("resources", {})
        self._unpaged: dict[str, list[str]] = data.get("unpaged_unless_asked", {})
        self._tokens_unused: dict[str, list[str]] = data.get("tokens_unused", {})
        # Operations that return a token only to a call passing the limit key (SQS `list_queues`).
        self._token_needs_limit: dict[str, list[str]] = data.get("token_needs_limit", {})
        # Operations without a paginator that page through a token: (input member, output member).
        self._token_paged: dict[str, dict[str, list[str]]] = data.get("token_paged", {})
        # Input members documented as matching many listed items (`list_metrics`' `MetricName`).
        self._selecting_many: dict[str, dict[str, list[str]]] = data.get("selecting_many", {})
        # Token paging without a botocore paginator (DynamoDB Streams' `describe_stream`).
        self._hand: dict[str, dict[str, list[Any]]] = data.get("hand_paged", {})
        # Per paged operation, the services whose operation of that name is not paged, with its inputs.
        self._namesakes: dict[str, dict[str, list[list[str]]]] = data.get("unpaged_namesakes", {})
        self._namesake_sets: dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]] = {}
        by_name: dict[str, list[str]] = {}
        for service, ops in self._raw.items():
            for op in ops:
                by_name.setdefault(op, []).append(service)
        # The operations `get_paginator` accepts for some service.
        self.paginator_names: frozenset[str] = frozenset(by_name)
        for service, ops in self._hand.items():
            for op in ops:
                by_name.setdefault(op, []).append(service)
        self._services_of: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in by_name.items()}
        # Every operation that returns pages, with or without a paginator.
        self.operation_names: frozenset[str] = frozenset(by_name)
        self.services: frozenset[str] = frozenset(self._raw)
        # Every service botocore knows, with or without paginators.
        self.all_services: frozenset[str] = self.services | frozenset(data.get("services_without_paginators", ()))
        # boto3 stub packages name a client class after the service id without spaces: `SFNClient`.
        self._by_stub: dict[str, str] = {}
        for service in self._raw:
            self._by_stub.setdefault(service.replace("-", "").lower(), service)
        for service, service_id in self._service_ids.items():
            self._by_stub[service_id.replace(" ", "").replace("-", "").lower()] = service

    def paging(self, service: str, operation: str) -> Paging | None:
        row = self._raw.get(service, {}).get(operation)
        paginator = row is not None
        if row is None:
            row = self._hand.get(service, {}).get(operation)
        if row is None:
            return None
        inputs, outputs, results, limit, other, size, accepted = (list(row) + [None] * 7)[:7]
        return Paging(
            service=service,
            operation=operation,
            input_tokens=tuple(inputs or ()),
            output_tokens=tuple(outputs or ()),
            result_keys=tuple(results or ()),
            limit_key=limit,
            other_keys=tuple(other or ()),
            page_size=size,
            paginator=paginator,
            other_inputs=frozenset(accepted) if accepted is not None else None,
        )

    def services_of(self, operation: str) -> tuple[str, ...]:
        """The services in which `operation` is paginated."""
        return self._services_of.get(operation, ())

    def unpaged_namesakes(self, operation: str) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """The services that have an operation named `operation` and do not page it (EC2's
        `describe_addresses`; Snowball's pages), each with that operation's input members and the
        required ones."""
        found = self._namesake_sets.get(operation)
        if found is None:
            found = self._namesake_sets[operation] = {
                service: (frozenset(members), frozenset(required))
                for service, (members, required) in self._namesakes.get(operation, {}).items()}
        return found

    def pagings(self, operation: str, services: Iterable[str] | None = None) -> list[Paging]:
        """`operation`'s paging in each of `services` (default: every service that pages it)."""
        names = self.services_of(operation) if services is None else services
        found = (self.paging(s, operation) for s in names)
        return [p for p in found if p is not None]

    def operations(self, service: str) -> tuple[str, ...]:
        """The operations `service` has a paginator for (what `get_paginator` accepts)."""
        return tuple(self._raw.get(service, ()))

    def unpaged_unless_asked(self, service: str, operation: str) -> bool:
        """True for operations that return everything in one call: unless the caller asks for pages
        (S3 `list_buckets`), or because the service documents their token as reserved or unused."""
        return operation in self._unpaged.get(service, ()) or self.token_unused(service, operation)

    def token_unused(self, service: str, operation: str) -> bool:
        """Whether botocore documents the operation's token as reserved for future use or unused
        (CloudTrail `list_tags`, WAF `get_rate_based_rule_managed_keys`)."""
        return operation in self._tokens_unused.get(service, ())

    def token_needs_limit(self, service: str, operation: str) -> bool:
        """Whether botocore documents that the operation returns its token only to a call that passes
        the limit key (SQS `list_queues`: "You must set MaxResults to receive a value for NextToken")."""
        return operation in self._token_needs_limit.get(service, ())

    def token_paged(self, service: str, operation: str) -> tuple[str, str] | None:
        """The (input, output) token of an operation botocore has no paginator for, when it still pages
        (Cost Explorer `get_cost_and_usage`: `NextPageToken` both ways)."""
        pair = self._token_paged.get(service, {}).get(operation)
        return (pair[0], pair[1]) if pair else None

    def selects_many(self, service: str, operation: str, member: str) -> bool:
        """Whether botocore documents `member` as matching many of the items the operation lists
        (CloudWatch `list_metrics`' `MetricName`, ECS `list_attributes`' `attributeName`): a filter,
        although its name spells an identifier of the items."""
        return member in self._selecting_many.get(service, {}).get(operation, ())

    def service_for_stub(self, prefix: str) -> str | None:
        """The service a boto3 stub class prefix names: `DynamoDB` (of `DynamoDBClient`) -> `dynamodb`."""
        return self._by_stub.get(prefix.replace("_", "").replace("-", "").lower())

    def resource_actions(self, service: str, resource: str) -> dict[str, str]:
        """A boto3 resource's actions that call a paginated operation: `Table` -> {"scan": "scan", ...}."""
        return dict(self._resources.get(service, {}).get(resource, {}))


@lru_cache(maxsize=1)
def table() -> PaginationTable:
    """The shipped table, read once per process."""
    with TABLE_PATH.open(encoding="utf-8") as handle:
        return PaginationTable(json.load(handle))
