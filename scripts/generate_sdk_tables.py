#!/usr/bin/env python3
"""Regenerate the AWS203–AWS205 tables in `awslint/data/` from an installed botocore.

    python3 scripts/generate_sdk_tables.py [--check]

botocore is not a run-time dependency of awslint: this script runs with any Python that has botocore
installed, and each table records the version it came from. `--check` compares instead of writing and
exits 1 when a shipped table differs from what the installed botocore gives.

It reads every service's newest `service-2.json` and `waiters-2.json` and writes:

- `batch_failures.json`: per service and operation (boto3's snake_case), the output members that list
  the items the call could not act on (`UnprocessedItems`, EC2's `Unsuccessful`, `Failed`,
  `FailedEntryCount`, `Failures`, an `Errors` list of per-item errors), and the output lists whose entries
  carry their own error code (Kinesis `put_records`' `Records[].ErrorCode`, DynamoDB
  `batch_execute_statement`'s `Responses[].Error`). A member that only shares the word (`FailureReason`,
  an `Errors` list about the whole request, the `failures` of a look-up) is not one; the rules the
  generator judges by are below, with the reviewed exceptions.
- `waiters.json`: per service and operation, its waiters (boto3's snake_case) and, per waiter, the
  acceptors that match a path of the response with a string: (state, path, expected value).
- `deprecated.json`: operations the model marks `deprecated`, with the model's advice (its
  `deprecatedMessage`, or the documentation's note naming the successor), operations whose
  documentation names the operation that supersedes them (S3 `list_objects` -> `list_objects_v2`),
  and the names `botocore.vendored.requests` and its surviving submodules still export (the exceptions only).
"""
from __future__ import annotations

import argparse
import ast
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "awslint" / "data"
BATCH_TABLE = DATA / "batch_failures.json"
WAITER_TABLE = DATA / "waiters.json"
DEPRECATED_TABLE = DATA / "deprecated.json"

# -- per-item failures ---------------------------------------------------------------------------

# A member named so holds items the call did not act on, when it is a list or a map.
_UNPROCESSED = re.compile(r"^(?:unprocessed|unsuccessful)", re.IGNORECASE)  # EC2: `Unsuccessful`
_FAILED = re.compile(r"^failed(?!.*(?:reason|message|time|status|code)$)", re.IGNORECASE)
_FAILED_COUNT = re.compile(r"^failed\w*count$", re.IGNORECASE)
_FAILURES = re.compile(r"^failures$", re.IGNORECASE)
# `Errors` is also the name of request-level errors (an integration's, a template's): it is a per-item
# list only when its entries name the item they are about.
_ERRORS = re.compile(r"^errors$", re.IGNORECASE)
_ITEM_ID = re.compile(r"(?:^|[a-z])(?:id|key|arn|name|identifier|index)$|^(?:id|key|arn|name|identifier|index)", re.IGNORECASE)
# The fields of an error entry that describe the error rather than the item.
_ERROR_FIELD = re.compile(r"error|code|message|reason|description", re.IGNORECASE)
# Operations that only look things up: their `failures` name identifiers that were not found (ECS
# `describe_tasks`), which the caller sees as missing from the answer. A `batch_get_*` is different:
# DynamoDB's `UnprocessedKeys` are keys it did not read because of throttling, to be asked for again.
READ_ONLY_VERBS = frozenset(
    {"describe", "list", "get", "search", "validate", "is", "test", "render", "retrieve", "detect", "classify",
     "preview", "estimate", "query", "scan", "lookup", "check", "evaluate", "simulate", "chat"}
)
# Reviewed by hand: members the rules above take that are not per-item failures, and per-item
# failures they miss. (service, operation, member).
NOT_FAILURES: frozenset[tuple[str, str, str]] = frozenset(
    {
        # the outcome of a capacity task as a whole, not items it failed on
        ("outposts", "start_capacity_task", "Failed"),
    }
)
EXTRA_FAILURES: frozenset[tuple[str, str, str]] = frozenset()
# The verb a message uses for what the operation could not do with the items.
_VERBS = {
    "write": "write", "put": "put", "send": "send", "delete": "delete", "get": "read", "update": "update",
    "create": "create", "change": "change", "remove": "remove", "publish": "publish", "associate": "associate",
    "disassociate": "disassociate", "import": "import", "run": "start", "start": "start", "stop": "stop",
    "tag": "tag", "untag": "untag", "add": "add", "register": "register", "deregister": "deregister",
    "enable": "enable", "disable": "disable", "execute": "execute", "detect": "process",
}


def _top_verb(operation: str) -> str:
    words = operation.split("_")
    return words[1] if words[0] == "batch" and len(words) > 1 else words[0]


def _shape(model: dict[str, Any], name: str | None) -> dict[str, Any]:
    return model.get("shapes", {}).get(name or "", {}) if name else {}


def _entry_shape(model: dict[str, Any], member: dict[str, Any]) -> dict[str, Any]:
    shape = _shape(model, member.get("shape"))
    if shape.get("type") == "list":
        return _shape(model, shape.get("member", {}).get("shape"))
    if shape.get("type") == "map":
        return _shape(model, shape.get("value", {}).get("shape"))
    return {}


def _failure_members(service: str, operation: str, model: dict[str, Any], output: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if _top_verb(operation) in READ_ONLY_VERBS and not operation.startswith("batch_"):
        return [m for s, o, m in sorted(EXTRA_FAILURES) if (s, o) == (service, operation)]
    for name, member in output.get("members", {}).items():
        if (service, operation, name) in NOT_FAILURES:
            continue
        kind = _shape(model, member.get("shape")).get("type")
        if kind in ("integer", "long"):
            if _FAILED_COUNT.match(name):
                found.append(name)
            continue
        if kind not in ("list", "map"):
            continue
        if _UNPROCESSED.match(name) or _FAILED.match(name) or _FAILURES.match(name):
            found.append(name)
        elif _ERRORS.match(name):
            fields = list(_entry_shape(model, member).get("members", {}))
            if any(_ITEM_ID.search(field) for field in fields) or (
                    operation.startswith("batch_") and _error_about_an_item(fields)):
                found.append(name)
    found.extend(m for s, o, m in sorted(EXTRA_FAILURES) if (s, o) == (service, operation) and m not in found)
    return found


def _error_about_an_item(fields: list[str]) -> bool:
    """An entry of a batch operation's `Errors` that holds an error and something else: the item it is
    about, whatever it is called (Glue's `PartitionValues`, AppStream's `UserStackAssociation`)."""
    errors = [field for field in fields if _ERROR_FIELD.search(field)]
    return bool(errors) and len(errors) < len(fields)


def _entry_errors(model: dict[str, Any], output: dict[str, Any], failures: list[str]) -> dict[str, str]:
    """Output lists whose entries carry their own error code: `Records` -> `ErrorCode`."""
    out: dict[str, str] = {}
    for name, member in output.get("members", {}).items():
        if name in failures:
            continue
        entry = _entry_shape(model, member)
        for field in entry.get("members", {}):
            if field in ("ErrorCode", "errorCode"):
                out[name] = field
    return out


def _item_errors(operation: str, model: dict[str, Any], output: dict[str, Any]) -> dict[str, str]:
    """A batch operation that answers item by item, each answer carrying its own `Error` structure
    (DynamoDB `batch_execute_statement`'s `Responses[].Error`): the failures are in the entries."""
    if not operation.startswith("batch_"):
        return {}
    out: dict[str, str] = {}
    for name, member in output.get("members", {}).items():
        if _shape(model, member.get("shape")).get("type") != "list":
            continue
        entry = _entry_shape(model, member)
        for field, spec in entry.get("members", {}).items():
            if field in ("Error", "error") and _shape(model, spec.get("shape")).get("type") == "structure":
                out[name] = field
    return out


# -- waiters -------------------------------------------------------------------------------------

_PATH_MATCHERS = frozenset({"path", "pathAll", "pathAny"})


def _waiters(data: dict[str, Any], xform: Any) -> dict[str, dict[str, list[list[str]]]]:
    """operation -> waiter -> [[state, argument, expected], ...] for the string-valued path acceptors."""
    out: dict[str, dict[str, list[list[str]]]] = {}
    for waiter, spec in sorted(data.get("waiters", {}).items()):
        operation = xform(spec.get("operation", ""))
        acceptors = [
            [a.get("state", ""), a.get("argument", ""), a["expected"]]
            for a in spec.get("acceptors", [])
            if a.get("matcher") in _PATH_MATCHERS and isinstance(a.get("expected"), str)
        ]
        out.setdefault(operation, {})[xform(waiter)] = acceptors
    return out


# -- deprecated and superseded operations --------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
# What a model's documentation says when an operation has a successor.
_SUCCESSOR = re.compile(
    r"(?:superseded by|has been replaced by(?: the)?|use the newer version,|updated version of this API, see|No longer used, see(?: the)?|"
    r"Deprecated\. Use(?: the)?|is deprecated\. Use(?: the)?|We recommend you use|For asynchronous function invocation, use|"
    r"deprecated[^.]*?\. Use(?: the)?|deprecated operation\. Instead of [A-Za-z0-9]+\s*, use(?: the)?)\s+"
    r"((?:[A-Z][A-Za-z0-9]+(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)?)+)"
)
_PASCAL_WORD = re.compile(r"\b([A-Z][a-z0-9]+(?:[A-Z0-9][A-Za-z0-9]*)+)\b")
# Deprecation messages that carry no advice (a date); the documentation's note is used instead.
_NO_ADVICE = re.compile(r"^\s*(?:since:.*)?$")
# Reviewed by hand: operations the documentation calls revised whose successor does not do the same
# work in one call, so naming it would be wrong advice (Kinesis `describe_stream` lists shards, which
# `describe_stream_summary` does not; `list_shards` does).
NOT_SUPERSEDED: frozenset[tuple[str, str]] = frozenset({("kinesis", "describe_stream")})


def _clean(doc: str) -> str:
    return _SPACE.sub(" ", _TAG.sub(" ", doc)).strip()


def _successors(text: str, operations: dict[str, str], xform: Any) -> list[str]:
    """The operations of the same service that `text` names as the one to use instead."""
    found: list[str] = []
    for match in _SUCCESSOR.finditer(_clean(text)):
        for word in re.findall(r"[A-Z][A-Za-z0-9]+", match.group(1)):
            if word in operations and xform(word) not in found:
                found.append(xform(word))
    return found


def _named_operations(message: str, own: str, operations: dict[str, str], xform: Any) -> list[str]:
    """The other operations of the service a deprecation message names ("Use TagResource.")."""
    found: list[str] = []
    for word in _PASCAL_WORD.findall(message):
        if word in operations and word != own and xform(word) not in found:
            found.append(xform(word))
    return found


def _advice(message: str, operations: dict[str, str], xform: Any) -> str:
    """The model's message with the operations it names spelled as boto3 calls them."""
    text = _clean(message).rstrip(".")

    def snake(match: re.Match[str]) -> str:
        word = match.group(1)
        return f"`{xform(word)}`" if word in operations else word

    return _PASCAL_WORD.sub(snake, text)


def _deprecations(service: str, model: dict[str, Any], xform: Any) -> dict[str, list[Any]]:
    """operation -> [kind ("deprecated" or "superseded"), advice, successors]."""
    operations = {name: name for name in model.get("operations", {})}
    out: dict[str, list[Any]] = {}
    for name, spec in sorted(model.get("operations", {}).items()):
        operation = xform(name)
        doc = spec.get("documentation", "")
        successors = _successors(doc, operations, xform)
        if spec.get("deprecated"):
            message = spec.get("deprecatedMessage") or ""
            successors = successors or _named_operations(message, name, operations, xform)
            if _NO_ADVICE.match(message):
                since = message.partition("since:")[2].strip()
                # The model gives no reason and no successor: say so, and where to look, rather than
                # repeat that it is deprecated.
                when = f" (deprecated since {since})" if since else ""
                quiet = f"the model names no successor{when}; check the service's API reference for what replaces it"
                advice = "use " + ", ".join(f"`{s}`" for s in successors) if successors else quiet
            else:
                advice = _advice(message, operations, xform)
            out[operation] = ["deprecated", advice, successors]
        elif successors and (service, operation) not in NOT_SUPERSEDED:
            out[operation] = ["superseded", "use " + ", ".join(f"`{s}`" for s in successors), successors]
    return out


def _vendored_requests(botocore_dir: Path) -> list[str]:
    """The names `botocore.vendored.requests` still exports since botocore removed the library."""
    return _vendored_modules(botocore_dir).get("", [])


def _vendored_modules(botocore_dir: Path) -> dict[str, list[str]]:
    """What is left of `botocore.vendored.requests`: each surviving module (dotted, relative to
    `requests`; "" for the package itself) and the names it exports. Only the exceptions survive,
    down to `packages.urllib3.exceptions`; `packages.urllib3.util`, `adapters` … are gone."""
    package = botocore_dir / "vendored" / "requests"
    out: dict[str, list[str]] = {}
    if not (package / "__init__.py").is_file():
        return out
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).with_suffix("")
        parts = list(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
        out[".".join(parts)] = _module_names(path)
    return out


def _module_names(path: Path) -> list[str]:
    """The public names a module defines or imports, and, for a package, its submodules."""
    names: set[str] = set()
    if path.name == "__init__.py":
        names = {p.stem if p.suffix == ".py" else p.name for p in path.parent.iterdir()
                 if p.name != "__init__.py" and (p.suffix == ".py" or (p / "__init__.py").is_file())}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return sorted(n for n in names if not n.startswith("_"))


# -- reading botocore ----------------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    gz = path.with_name(path.name + ".gz")
    if gz.is_file():
        with gzip.open(gz, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    return None


def _newest(service_dir: Path, filename: str) -> Path | None:
    versions = sorted(
        d for d in service_dir.iterdir()
        if d.is_dir() and ((d / filename).is_file() or (d / f"{filename}.gz").is_file())
    )
    return versions[-1] if versions else None


def build(botocore_dir: Path, version: str) -> dict[str, dict[str, Any]]:
    """The three tables, keyed by file name."""
    from botocore import xform_name  # only the generator needs botocore

    failures: dict[str, dict[str, list[Any]]] = {}
    waiters: dict[str, dict[str, dict[str, list[list[str]]]]] = {}
    deprecated: dict[str, dict[str, list[Any]]] = {}
    services: list[str] = []
    having: dict[str, set[str]] = {}  # operation -> the services that have an operation of that name
    for service_dir in sorted(p for p in (botocore_dir / "data").iterdir() if p.is_dir()):
        newest = _newest(service_dir, "service-2.json")
        if newest is None:
            continue
        service = service_dir.name
        services.append(service)
        model = _load_json(newest / "service-2.json")
        rows: dict[str, list[Any]] = {}
        for name, spec in sorted(model.get("operations", {}).items()):
            operation = xform_name(name)
            having.setdefault(operation, set()).add(service)
            output = _shape(model, spec.get("output", {}).get("shape"))
            members = _failure_members(service, operation, model, output)
            entries = _entry_errors(model, output, members) if members else _item_errors(operation, model, output)
            if members or entries:
                verb = _VERBS.get(_top_verb(operation), "process")
                rows[operation] = [members, entries, verb]
        if rows:
            failures[service] = rows
        waiter_dir = _newest(service_dir, "waiters-2.json")
        if waiter_dir is not None:
            found = _waiters(_load_json(waiter_dir / "waiters-2.json") or {}, xform_name)
            if found:
                waiters[service] = found
        gone = _deprecations(service, model, xform_name)
        if gone:
            deprecated[service] = gone
    return {
        BATCH_TABLE.name: {
            "botocore": version,
            "fields": ["failure_members", "entry_error_fields", "verb"],
            "reviewed_not_failures": sorted([list(t) for t in NOT_FAILURES]),
            # Services that have an operation of the same name without per-item failures: a receiver
            # of unknown service may be one of them.
            "elsewhere": _elsewhere(failures, having),
            "services": failures,
        },
        WAITER_TABLE.name: {
            "botocore": version,
            "fields": {"operation": {"waiter": [["state", "argument", "expected"]]}},
            "elsewhere": _elsewhere(waiters, having),
            "services": waiters,
        },
        DEPRECATED_TABLE.name: {
            "botocore": version,
            "fields": ["kind", "advice", "successors"],
            "all_services": services,
            # A receiver of unknown service is judged only by these: deprecated wherever they exist.
            "deprecated_everywhere": sorted(
                op for op, owners in having.items() if all(op in deprecated.get(s, {}) for s in owners)
            ),
            "vendored_requests_exports": _vendored_requests(botocore_dir),
            # module (relative to `botocore.vendored.requests`) -> the names it still exports
            "vendored_requests_modules": _vendored_modules(botocore_dir),
            "services": deprecated,
        },
    }


def _elsewhere(table: dict[str, dict[str, Any]], having: dict[str, set[str]]) -> dict[str, list[str]]:
    """operation -> the services that have it but no row in `table`."""
    names = {op for ops in table.values() for op in ops}
    out = {}
    for op in sorted(names):
        others = sorted(s for s in having.get(op, ()) if op not in table.get(s, {}))
        if others:
            out[op] = others
    return out


def render(table: dict[str, Any]) -> str:
    # One service per line: compact enough to load fast, still reviewable in a diff.
    lines = ["{"]
    for key, value in table.items():
        if key == "services":
            lines.append('"services": {')
            items = list(value.items())
            for i, (service, ops) in enumerate(items):
                comma = "," if i < len(items) - 1 else ""
                lines.append(f"{json.dumps(service)}: {json.dumps(ops, separators=(',', ':'), sort_keys=True)}{comma}")
            lines.append("},")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, separators=(',', ':'), sort_keys=True)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped tables instead of writing them")
    parser.add_argument("--output-dir", type=Path, default=DATA)
    args = parser.parse_args(argv)
    import botocore  # type: ignore[import-untyped]

    tables = build(Path(botocore.__file__).parent, botocore.__version__)
    stale = []
    for filename, data in tables.items():
        path = args.output_dir / filename
        text = render(data)
        if args.check:
            current = path.read_text(encoding="utf-8") if path.is_file() else ""
            if current != text:
                stale.append(path)
            continue
        path.write_text(text, encoding="utf-8")
        ops = sum(len(v) for v in data["services"].values())
        print(f"wrote {path}: {len(data['services'])} services, {ops} operations, botocore {botocore.__version__}")
    for path in stale:
        print(f"{path} differs from botocore {botocore.__version__}: regenerate it", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
