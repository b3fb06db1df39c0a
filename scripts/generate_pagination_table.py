#!/usr/bin/env python3
"""Regenerate `awslint/data/pagination.json` from an installed botocore (and boto3, for resources).

    python3 scripts/generate_pagination_table.py [--check]

botocore is not a run-time dependency of awslint: this script runs with any Python that has botocore
installed (the table records which version it came from). `--check` compares instead of writing, and
exits 1 when the shipped table differs from what the installed botocore gives.

For every service it reads `data/<service>/<newest version>/paginators-1.json` and records, per
operation in boto3's snake_case, the input token(s), output token(s), result key(s) and limit key, and
the operation's other input members (a call passing a keyword outside them is another operation). It
also records the `serviceId` of each service (boto3 stub packages name their classes after it:
`DynamoDBClient`, `SFNClient`) and the boto3 resource actions that call a paginated operation
(the DynamoDB `Table.scan`/`Table.query`), the operations whose token the service documents
as reserved for future use or unused (one call returns everything, like S3 `list_buckets`), the
input members documented as matching many of the listed items (CloudWatch `list_metrics`' `MetricName`:
a filter, not one item's name), and, per
paged operation, the other services whose operation of the same name is not paged (with its input
members), which a call on a receiver of unknown service may as well be, and the operations without a
paginator that still page through a token (the fix AWS202 names for them is a loop).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "awslint" / "data" / "pagination.json"

# Operations that return every item unless the caller asks for pages (the service documents that
# the limit key is what turns paging on), so a single call reads everything. Beyond these, the ones
# whose limit key's documentation says so (`_ALL_WITHOUT_LIMIT`) are found in the service models.
UNPAGED_UNLESS_ASKED = {"s3": ["list_buckets"]}

# Operations a service pages by a token although botocore gives them no paginator (so `get_paginator`
# raises): rows in the table's own shape, checked against the service model when the table is built.
# The fix AWS201 names for them is the loop, never `get_paginator`.
HAND_PAGED: dict[str, dict[str, list[Any]]] = {
    "dynamodbstreams": {
        "describe_stream": [
            ["ExclusiveStartShardId"], ["StreamDescription.LastEvaluatedShardId"], ["StreamDescription.Shards"],
            "Limit", [], None,
        ],
        "list_streams": [["ExclusiveStartStreamArn"], ["LastEvaluatedStreamArn"], ["Streams"], "Limit", [], None],
    },
}

# The page size where the service documents a bound that is not a count of items.
PAGE_SIZE = {
    "dynamodb": {"scan": "at most 1 MB", "query": "at most 1 MB"},
    "s3": {
        "list_objects": "at most 1,000 keys",
        "list_objects_v2": "at most 1,000 keys",
        "list_object_versions": "at most 1,000 versions",
        "list_multipart_uploads": "at most 1,000 uploads",
        "list_parts": "at most 1,000 parts",
    },
}

# "If you do not include this parameter, the number of items defaults to 100", "returns a maximum
# of 50 items in each response": the default page size, read from the limit key's documentation.
_DEFAULT_SIZE = re.compile(
    r"(?:\bdefaults? (?:value )?(?:is|to|of)(?: up to)?|\breturns (?:up to|a maximum of))\s+(\d[\d,]*)\b(?![.,]\d)"
)
# "Reserved for future use", "A null value and not currently used", "Currently pagination is not
# supported": a token the service documents as unused, so one call returns every item.
_UNUSED_TOKEN = re.compile(
    r"reserved for future|for future use|not currently used|currently unused|does not paginate|pagination is not supported",
    re.IGNORECASE,
)
# "If this parameter is not specified, then all items are returned" (EC2 `describe_security_groups`),
# "If you don't specify this, Firewall Manager returns all available objects": without the limit key,
# one call reads everything.
_ALL_WITHOUT_LIMIT = re.compile(
    r"(?:if (?:this parameter is|you do not specify|you don't specify|this value is)[^.]*?not (?:specified|used|set)?"
    r"[^.]*?|if you (?:do not|don't) specify (?:this|it|a value)[^.]*?|when this parameter is not used[^.]*?)"
    r"\b(?:all (?:items|results|available \w+) (?:are|is) returned|returns all (?:results|items|available \w+))",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
# "Only the metrics with names that match exactly will be returned" (CloudWatch `list_metrics`'
# `MetricName`), "The name of the attribute to filter the results with" (ECS `list_attributes`): a
# name that many of the listed items share, so it filters the listing rather than naming one item.
_SELECTS_MANY = re.compile(
    r"\bonly (?:include )?(?:the )?(?:[\w-]+ ){0,3}?[\w-]+s (?:with|whose)\b|\bto filter the results with\b",
    re.IGNORECASE,
)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _newest_with_paginators(service_dir: Path) -> Path | None:
    versions = sorted(
        d for d in service_dir.iterdir() if d.is_dir() and (d / "paginators-1.json").is_file()
    )
    return versions[-1] if versions else None


def _load_json(path: Path) -> Any:
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    gz = path.with_name(path.name + ".gz")
    if gz.is_file():
        with gzip.open(gz, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    return None


def _page_size(model: Any, operation: str, limit_key: str | None) -> str | None:
    if not limit_key or not isinstance(model, dict):
        return None
    op = model.get("operations", {}).get(operation, {})
    shape_name = op.get("input", {}).get("shape")
    member = model.get("shapes", {}).get(shape_name, {}).get("members", {}).get(limit_key, {})
    doc = _TAG.sub("", member.get("documentation", ""))
    match = _DEFAULT_SIZE.search(doc)
    if not match:
        return None
    size = int(match.group(1).replace(",", ""))
    return f"at most {size:,} items" if size > 1 else None


def _member_doc(model: Any, operation: str, direction: str, member: str) -> str:
    if not isinstance(model, dict):
        return ""
    shape_name = model.get("operations", {}).get(operation, {}).get(direction, {}).get("shape")
    key = member.split("||")[0].strip().split(".")[0].split("[")[0]
    found = model.get("shapes", {}).get(shape_name, {}).get("members", {}).get(key, {})
    return _TAG.sub("", found.get("documentation", ""))


def _input_members(model: Any, operation: str) -> list[str]:
    """The operation's input members, sorted: a call that passes a keyword outside them is not a call
    of this operation (botocore refuses it before sending anything)."""
    spec = model.get("operations", {}).get(operation, {}) if isinstance(model, dict) else {}
    shape = spec.get("input", {}).get("shape")
    return sorted(model.get("shapes", {}).get(shape, {}).get("members", {})) if shape else []


def _all_without_limit(model: Any, operation: str, limit_key: str | None) -> bool:
    """Whether the service documents that, without the limit key, the operation returns every item."""
    return bool(limit_key) and bool(_ALL_WITHOUT_LIMIT.search(_member_doc(model, operation, "input", limit_key or "")))


def _selecting_many(model: Any, operation: str, members: list[str]) -> list[str]:
    """The input members the service documents as matching many of the listed items."""
    return [m for m in members if _SELECTS_MANY.search(_TAG.sub("", _member_doc(model, operation, "input", m)))]


# "You must set MaxResults to receive a value for NextToken in the response" (SQS `list_queues`): a
# call without the limit key gets no token, so a loop on the token alone stops after the first page.
_TOKEN_NEEDS_LIMIT = re.compile(r"must (?:set|specify|include) \w+ (?:in order )?to (?:receive|get)", re.IGNORECASE)


def _token_needs_limit(model: Any, operation: str, limit_key: str | None) -> bool:
    """Whether the service documents that only a call passing the limit key gets a token back."""
    return bool(limit_key) and bool(_TOKEN_NEEDS_LIMIT.search(_TAG.sub("", _member_doc(model, operation, "input", limit_key or ""))))


def _tokens_unused(model: Any, operation: str, spec: dict[str, Any]) -> bool:
    """Whether the service documents the operation's output (or input) token as unused."""
    docs = [_member_doc(model, operation, "output", t) for t in _as_list(spec.get("output_token"))]
    docs += [_member_doc(model, operation, "input", t) for t in _as_list(spec.get("input_token"))]
    return any(_UNUSED_TOKEN.search(doc) for doc in docs)


def build(botocore_dir: Path, boto3_dir: Path | None, version: str) -> dict[str, Any]:
    from botocore import xform_name  # type: ignore[import-untyped,import-not-found,unused-ignore]  # only the generator needs botocore

    services: dict[str, dict[str, list[Any]]] = {}
    service_ids: dict[str, str] = {}
    unpaged_services: list[str] = []
    tokens_unused: dict[str, list[str]] = {}
    token_needs_limit: dict[str, list[str]] = {}
    selecting_many: dict[str, dict[str, list[str]]] = {}
    unpaged_unless_asked = {service: list(ops) for service, ops in UNPAGED_UNLESS_ASKED.items()}
    for service_dir in sorted((botocore_dir / "data").iterdir()):
        if not service_dir.is_dir():
            continue
        newest = _newest_with_paginators(service_dir)
        if newest is None:
            if any((v / "service-2.json").is_file() or (v / "service-2.json.gz").is_file() for v in service_dir.iterdir()):
                unpaged_services.append(service_dir.name)  # a real service without any paginator
            continue
        service = service_dir.name
        paginators = _load_json(newest / "paginators-1.json")["pagination"]
        model = _load_json(newest / "service-2.json")
        if isinstance(model, dict) and model.get("metadata", {}).get("serviceId"):
            service_ids[service] = model["metadata"]["serviceId"]
        ops: dict[str, list[Any]] = {}
        for operation, spec in sorted(paginators.items()):
            name = xform_name(operation)
            limit_key = spec.get("limit_key")
            size = PAGE_SIZE.get(service, {}).get(name) or _page_size(model, operation, limit_key)
            if _tokens_unused(model, operation, spec):
                tokens_unused.setdefault(service, []).append(name)
            if _token_needs_limit(model, operation, limit_key):
                token_needs_limit.setdefault(service, []).append(name)
            if _all_without_limit(model, operation, limit_key) and name not in unpaged_unless_asked.get(service, ()):
                unpaged_unless_asked.setdefault(service, []).append(name)
            input_tokens = _as_list(spec.get("input_token"))
            others = [m for m in _input_members(model, operation) if m not in input_tokens and m != limit_key]
            many = _selecting_many(model, operation, others)
            if many:
                selecting_many.setdefault(service, {})[name] = many
            ops[name] = [
                input_tokens,
                _as_list(spec.get("output_token")),
                _as_list(spec.get("result_key")),
                limit_key,
                _as_list(spec.get("non_aggregate_keys")) + _as_list(spec.get("more_results")),
                size,
                others,
            ]
        services[service] = ops

    hand_paged = _checked_hand_paged(botocore_dir, services, xform_name)
    unpaged_namesakes, token_paged = _unpaged_operations(botocore_dir, services, hand_paged, xform_name)

    resources: dict[str, dict[str, dict[str, str]]] = {}
    if boto3_dir is not None:
        for path in sorted((boto3_dir / "data").glob("*/*/resources-1.json")):
            service = path.parent.parent.name
            if path.parent != max(path.parent.parent.iterdir()):
                continue  # only the newest API version
            data = json.loads(path.read_text(encoding="utf-8"))
            for resource, spec in sorted(data.get("resources", {}).items()):
                for action, body in sorted(spec.get("actions", {}).items()):
                    operation = xform_name(body.get("request", {}).get("operation", ""))
                    if operation in services.get(service, {}):
                        resources.setdefault(service, {}).setdefault(resource, {})[xform_name(action)] = operation

    return {
        "botocore": version,
        "fields": [
            "input_tokens", "output_tokens", "result_keys", "limit_key", "other_keys", "page_size", "other_inputs",
        ],
        "services": services,
        "service_ids": service_ids,
        "services_without_paginators": unpaged_services,
        "resources": resources,
        "unpaged_unless_asked": unpaged_unless_asked,
        "tokens_unused": tokens_unused,
        "token_needs_limit": token_needs_limit,
        "selecting_many": selecting_many,
        "hand_paged": hand_paged,
        "unpaged_namesakes": unpaged_namesakes,
        "token_paged": token_paged,
    }


def _newest_models(botocore_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each service's newest model, paginated or not, one at a time (all of them at once would hold
    hundreds of megabytes)."""
    for service_dir in sorted((botocore_dir / "data").iterdir()):
        versions = sorted(d for d in service_dir.iterdir() if d.is_dir()) if service_dir.is_dir() else []
        model = next((m for m in (_load_json(v / "service-2.json") for v in reversed(versions)) if m), None)
        if isinstance(model, dict):
            yield service_dir.name, model


def _unpaged_operations(botocore_dir: Path, services: dict[str, dict[str, list[Any]]],
                        hand_paged: dict[str, dict[str, list[Any]]], xform: Any
                        ) -> tuple[dict[str, dict[str, list[list[str]]]], dict[str, dict[str, list[str]]]]:
    """What the operations no paginator covers tell, read in one pass over every model:

    - per operation some service pages, the other services that have an operation of that name and do
      not page it, each with that operation's input members and the required ones: for a receiver
      whose service is not known, a call of `describe_addresses()` may be EC2's (one call returns every
      address) as well as Snowball's (paged), and its keywords may tell which;
    - the operations that still page through a token (Cost Explorer's `get_cost_and_usage` on
      `NextPageToken`): `get_paginator` refuses them, and the fix is a loop."""
    paged: dict[str, set[str]] = {}
    for table in (services, hand_paged):
        for service, ops in table.items():
            for name in ops:
                paged.setdefault(name, set()).add(service)
    namesakes: dict[str, dict[str, list[list[str]]]] = {}
    token_paged: dict[str, dict[str, list[str]]] = {}
    for service, model in _newest_models(botocore_dir):
        shapes = model.get("shapes", {})
        for operation, spec in sorted(model.get("operations", {}).items()):
            name = xform(operation)
            if service in paged.get(name, ()):
                continue
            if name in paged:
                shape = spec.get("input", {}).get("shape")
                required = sorted(shapes.get(shape, {}).get("required", [])) if shape else []
                namesakes.setdefault(name, {})[service] = [_input_members(model, operation), required]
            tokens = _token_pair(shapes, spec)
            if tokens is not None:
                token_paged.setdefault(service, {})[name] = tokens
    return dict(sorted(namesakes.items())), token_paged


# An input member that continues a listing, and the output members that may hand it back.
_TOKEN_INPUT = re.compile(r"^(?:next_?)?(?:page_?)?token$|^marker$|^next_?marker$", re.IGNORECASE)


def _token_pair(shapes: dict[str, Any], spec: dict[str, Any]) -> list[str] | None:
    """The input token of an operation and the output member that hands it back, if it has both."""
    inputs = shapes.get(spec.get("input", {}).get("shape", ""), {}).get("members", {})
    outputs = shapes.get(spec.get("output", {}).get("shape", ""), {}).get("members", {})
    for member in inputs:
        if _TOKEN_INPUT.match(member):
            back = next((o for o in (member, "Next" + member, "next" + member[:1].upper() + member[1:])
                         if o in outputs), None)
            if back is not None:
                return [member, back]
    return None


def _checked_hand_paged(botocore_dir: Path, services: dict[str, dict[str, list[Any]]], xform: Any) -> dict[str, Any]:
    """HAND_PAGED, after checking each row's members against the service model: a row for an operation
    that botocore now paginates, or whose members are gone, is an error to fix by hand."""
    for service, ops in HAND_PAGED.items():
        versions = sorted(d for d in (botocore_dir / "data" / service).iterdir() if d.is_dir())
        model = _load_json(versions[-1] / "service-2.json")
        by_snake = {xform(name): spec for name, spec in model["operations"].items()}
        for operation, (inputs, outputs, results, limit, _, _) in ops.items():
            if operation in services.get(service, {}):
                raise SystemExit(f"{service}.{operation} has a botocore paginator now: drop its HAND_PAGED row")
            spec = by_snake[operation]
            members_in = model["shapes"][spec["input"]["shape"]]["members"]
            for name in [*inputs, limit]:
                if name not in members_in:
                    raise SystemExit(f"{service}.{operation} has no input member {name}")
            for expression in [*outputs, *results]:
                shape = model["shapes"][spec["output"]["shape"]]
                for part in expression.split("."):
                    member = shape.get("members", {}).get(part)
                    if member is None:
                        raise SystemExit(f"{service}.{operation} has no output member {expression}")
                    shape = model["shapes"][member["shape"]]
    return HAND_PAGED


def render(table: dict[str, Any]) -> str:
    # One service per line: compact enough to load fast, still reviewable in a diff.
    lines = ["{"]
    for key, value in table.items():
        if key == "services":
            lines.append('"services": {')
            items = list(value.items())
            for i, (service, ops) in enumerate(items):
                comma = "," if i < len(items) - 1 else ""
                lines.append(f"{json.dumps(service)}: {json.dumps(ops, separators=(',', ':'))}{comma}")
            lines.append("},")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, separators=(',', ':'), sort_keys=True)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped table instead of writing it")
    parser.add_argument("--output", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    import botocore  # type: ignore[import-untyped,import-not-found,unused-ignore]

    try:
        import boto3  # type: ignore[import-untyped,import-not-found,unused-ignore]

        boto3_dir: Path | None = Path(boto3.__file__).parent
    except ImportError:
        boto3_dir = None
    built = build(Path(botocore.__file__).parent, boto3_dir, botocore.__version__)
    if boto3_dir is None and args.output.is_file():
        # Without boto3 the resource actions cannot be read: keep the shipped ones rather than drop them.
        print("boto3 is not installed: keeping the shipped resource actions", file=sys.stderr)
        built["resources"] = json.loads(args.output.read_text(encoding="utf-8")).get("resources", {})
    text = render(built)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} differs from botocore {botocore.__version__}: regenerate it", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    ops = sum(len(v) for v in json.loads(text)["services"].values())
    print(f"wrote {args.output}: {len(json.loads(text)['services'])} services, {ops} operations, botocore {botocore.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
