"""The botocore tables AWS203–AWS205 read: per-item batch failures, waiters, deprecated operations.

Generated from botocore's `service-2.json` and `waiters-2.json` by `scripts/generate_sdk_tables.py`
(the reviewed exceptions are listed there); each table records the botocore version it came from.
Each is read on first use, so a run over files that call no candidate operation never pays for it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

_HERE = Path(__file__).parent
BATCH_PATH = _HERE / "batch_failures.json"
WAITER_PATH = _HERE / "waiters.json"
DEPRECATED_PATH = _HERE / "deprecated.json"

AcceptorState = Literal["success", "failure", "retry"]
DeprecationKind = Literal["deprecated", "superseded"]


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return data if isinstance(data, dict) else {}


# -- AWS203 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchFailures:
    """Where one operation's response reports the items it could not act on."""

    service: str
    operation: str
    members: tuple[str, ...]  # `UnprocessedItems`, `Failed`, `FailedRecordCount` ...
    entry_errors: tuple[tuple[str, str], ...]  # (`Records`, `ErrorCode`): each entry's own error field
    verb: str  # what it could not do with them: "write", "send", "delete" ...

    @property
    def shown(self) -> str:
        """The member a message names: a list of the failed items before a count of them."""
        lists = [m for m in self.members if not m.lower().endswith("count")]
        if lists or self.members:
            return (lists or list(self.members))[0]
        entry, error = self.entry_errors[0]  # only the entries say which failed: `Responses[].Error`
        return f"{entry}[].{error}"


class BatchTable:
    def __init__(self, data: dict[str, Any]) -> None:
        self.botocore_version = str(data.get("botocore", "unknown"))
        self._raw: dict[str, dict[str, list[Any]]] = data.get("services", {})
        self._elsewhere: dict[str, list[str]] = data.get("elsewhere", {})
        by_name: dict[str, list[str]] = {}
        for service, ops in self._raw.items():
            for op in ops:
                by_name.setdefault(op, []).append(service)
        self._services_of = {k: tuple(v) for k, v in by_name.items()}
        self.operation_names: frozenset[str] = frozenset(by_name)

    def lookup(self, service: str, operation: str) -> BatchFailures | None:
        row = self._raw.get(service, {}).get(operation)
        if not row:
            return None
        members, entries, verb = (list(row) + [[], {}, "process"])[:3]
        return BatchFailures(
            service, operation, tuple(members or ()), tuple(sorted((entries or {}).items())), str(verb or "process")
        )

    def services_of(self, operation: str) -> tuple[str, ...]:
        return self._services_of.get(operation, ())

    def elsewhere(self, operation: str) -> tuple[str, ...]:
        """The services that have `operation` without per-item failures in its response."""
        return tuple(self._elsewhere.get(operation, ()))


@lru_cache(maxsize=1)
def batch_table() -> BatchTable:
    return BatchTable(_load(BATCH_PATH))


# -- AWS204 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acceptor:
    """A waiter acceptor that matches a path of the response with a string."""

    state: AcceptorState
    argument: str  # a JMESPath expression: "Reservations[].Instances[].State.Name"
    expected: str

    @property
    def field(self) -> str:
        """The part of the path a loop reads on each item: "State.Name"."""
        return self.argument.rsplit("[].", 1)[-1].rsplit("].", 1)[-1]

    @property
    def last_key(self) -> str:
        return self.field.rsplit(".", 1)[-1].strip()


@dataclass(frozen=True)
class Waiter:
    service: str
    name: str  # boto3's snake_case: "instance_running"
    operation: str
    acceptors: tuple[Acceptor, ...]


class WaiterTable:
    def __init__(self, data: dict[str, Any]) -> None:
        self.botocore_version = str(data.get("botocore", "unknown"))
        self._raw: dict[str, dict[str, dict[str, list[list[str]]]]] = data.get("services", {})
        self._elsewhere: dict[str, list[str]] = data.get("elsewhere", {})
        by_name: dict[str, list[str]] = {}
        for service, ops in self._raw.items():
            for op in ops:
                by_name.setdefault(op, []).append(service)
        self._services_of = {k: tuple(v) for k, v in by_name.items()}
        self.operation_names: frozenset[str] = frozenset(by_name)

    def waiters(self, service: str, operation: str) -> tuple[Waiter, ...]:
        found = []
        for name, rows in sorted(self._raw.get(service, {}).get(operation, {}).items()):
            acceptors = tuple(
                Acceptor(state, argument, expected)  # type: ignore[arg-type]
                for state, argument, expected in (r for r in rows if len(r) == 3)
                if state in ("success", "failure", "retry")
            )
            found.append(Waiter(service, name, operation, acceptors))
        return tuple(found)

    def services_of(self, operation: str) -> tuple[str, ...]:
        return self._services_of.get(operation, ())

    def elsewhere(self, operation: str) -> tuple[str, ...]:
        """The services that have `operation` but no waiter on it."""
        return tuple(self._elsewhere.get(operation, ()))


@lru_cache(maxsize=1)
def waiter_table() -> WaiterTable:
    return WaiterTable(_load(WAITER_PATH))


# -- AWS205 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deprecation:
    service: str
    operation: str
    kind: DeprecationKind
    advice: str  # the model's own words, operations spelled as boto3 calls them
    successors: tuple[str, ...]


class DeprecatedTable:
    def __init__(self, data: dict[str, Any]) -> None:
        self.botocore_version = str(data.get("botocore", "unknown"))
        self._raw: dict[str, dict[str, list[Any]]] = data.get("services", {})
        self.all_services: frozenset[str] = frozenset(data.get("all_services", ()))
        self.vendored_requests_exports: frozenset[str] = frozenset(data.get("vendored_requests_exports", ()))
        modules: dict[str, list[str]] = data.get("vendored_requests_modules", {})
        self._vendored_modules = {m: frozenset(names) for m, names in modules.items()}
        # Operation names deprecated in every service that has them: judged for receivers of unknown service.
        self.deprecated_everywhere: frozenset[str] = frozenset(data.get("deprecated_everywhere", ()))
        by_name: dict[str, list[str]] = {}
        for service, ops in self._raw.items():
            for op in ops:
                by_name.setdefault(op, []).append(service)
        self._services_of = {k: tuple(v) for k, v in by_name.items()}
        self.operation_names: frozenset[str] = frozenset(by_name)

    def lookup(self, service: str, operation: str) -> Deprecation | None:
        row = self._raw.get(service, {}).get(operation)
        if not row:
            return None
        kind, advice, successors = (list(row) + ["deprecated", "", []])[:3]
        shown: DeprecationKind = "superseded" if kind == "superseded" else "deprecated"
        return Deprecation(service, operation, shown, str(advice), tuple(successors or ()))

    def services_of(self, operation: str) -> tuple[str, ...]:
        return self._services_of.get(operation, ())

    def vendored_survives(self, parts: list[str]) -> bool:
        """Whether `botocore.vendored.requests.<parts...>` still exists: the parts go down through
        surviving modules and end in one, or in a name the last of them exports (what follows that
        name is an attribute of it, not ours to judge). A table without the modules knows only the
        package's own names."""
        if not self._vendored_modules:
            return not parts or parts[0] in self.vendored_requests_exports
        module = ""
        for part in parts:
            deeper = f"{module}.{part}" if module else part
            if deeper in self._vendored_modules:
                module = deeper
                continue
            return part in self._vendored_modules.get(module, frozenset())
        return True


@lru_cache(maxsize=1)
def deprecated_table() -> DeprecatedTable:
    return DeprecatedTable(_load(DEPRECATED_PATH))
