"""Which AWS services a method call may be an operation of, for the SDK rules (AWS203–AWS205).

It asks AWS201's receiver inference (`awslint.analysis.boto.BotoReceivers`) where the receiver comes
from, and, for a receiver of unknown origin, applies SPEC's evidence rule: a receiver named after a
service that has the operation (`sqs`, `ddb_client`; `ddb_resource` for the service resource's own
actions), or a PascalCase keyword argument of the kind
boto3 takes (`QueueUrl=`), or a receiver named only `client`/`conn` in a module that imports boto3.
boto3 operations take keyword arguments only, so a positional argument rules a call out.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from awslint.analysis.boto import CLIENT, RESOURCE, UNKNOWN, BotoReceivers, ReceiverKind, name_words
from awslint.analysis.index import FunctionNode
from awslint.context import Context

# The receivers `candidate` judges by their kind; any other is of unknown origin or no client.
_JUDGED: frozenset[ReceiverKind] = frozenset({CLIENT, RESOURCE})
# The service resource's own actions that are client operations of the same name.
RESOURCE_OPERATIONS = {"dynamodb": frozenset({"batch_get_item", "batch_write_item"})}
_BOTO_IMPORTS = re.compile(r"^(?:boto3|botocore|aioboto3|aiobotocore|mypy_boto3\w*|types_boto3\w*|types_aiobotocore\w*)$")
_PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")
# A client's own helpers whose keyword arguments are snake_case (the operations' are PascalCase).
_SNAKE_METHODS = frozenset({"get_paginator", "get_waiter", "can_paginate"})
# Receiver names that say "a client" without naming the service.
_CLIENT_WORDS = frozenset({"client", "clients", "boto", "boto3", "botoclient", "conn", "connection", "api", "sdk"})
# Words that may stand beside the service or `client` in a client's name.
_NEUTRAL_WORDS = frozenset(
    {
        "aws", "src", "source", "dst", "dest", "destination", "target", "regional", "region", "remote",
        "default", "main", "primary", "secondary", "my", "the", "cross", "account", "admin", "new", "old",
        "mgmt", "management", "shared", "global", "local", "raw", "low", "level", "base", "prod", "dev",
        "staging", "cli", "async", "aio", "session", "svc", "service",
    }
)
# The last word of a service resource's name (`ddb_resource`).
_RESOURCE_WORDS = frozenset({"resource", "resources"})
# Short names people give to clients, beside the service names themselves.
_SERVICE_ALIASES = {
    "ddb": "dynamodb", "dynamo": "dynamodb", "cw": "cloudwatch", "cfn": "cloudformation",
    "sfn": "stepfunctions", "states": "stepfunctions", "asg": "autoscaling", "r53": "route53",
    "cwlogs": "logs", "secrets": "secretsmanager", "cognito": "cognito-idp", "apigw": "apigateway",
    "org": "organizations", "orgs": "organizations", "eventbridge": "events", "awslambda": "lambda",
    "lam": "lambda", "lambda_": "lambda", "alb": "elbv2", "elb2": "elbv2", "sm": "secretsmanager",
    "kinesisfirehose": "firehose",
}


@dataclass(frozen=True)
class Candidate:
    """The services a call may be an operation of, and whether the receiver's service is known."""

    services: tuple[str, ...]
    known: bool


class SdkReceivers:
    """Receiver inference over one module for the SDK rules, built once per file on demand."""

    def __init__(self, ctx: Context, all_services: frozenset[str], stub_service: Callable[[str], str | None]) -> None:
        self.ctx = ctx
        self.all_services = all_services
        self.boto = BotoReceivers(
            ctx.tree,
            ctx.names,
            ctx.index.functions,
            ctx.index.classes,
            ctx.index.imports,
            is_service=lambda s: s in all_services,
            stub_service=stub_service,
            model=ctx.model,  # the file's one model, not a second one of its own
            lines=ctx.lines,
        )
        self.imports_boto = any(_imports_boto(node) for node in ctx.index.imports)
        words = {s.replace("-", ""): s for s in all_services}
        words.update({k: v for k, v in _SERVICE_ALIASES.items() if v in all_services})
        self._service_words = words
        self._imported_non_clients: frozenset[str] | None = None

    def candidate(
        self, call: ast.Call, scope: FunctionNode | None, having: Iterable[str], elsewhere: Iterable[str] = ()
    ) -> Candidate | None:
        """The services among `having` (those whose operation has the fact a rule asks about) that
        `call` may be a call of; None when it is no boto3 call of any of them. `elsewhere` are the
        services with an operation of the same name that lack the fact: a receiver of unknown
        service that may be one of them is not judged."""
        if not isinstance(call.func, ast.Attribute) or call.args:
            return None
        if any(kw.arg is not None and "_" in kw.arg for kw in call.keywords):
            return None  # no botocore operation has a parameter spelled with an underscore
        if any(kw.arg is None and "_" in key for kw in call.keywords for key in self._unpacked_keys(kw.value, scope)):
            return None  # nor through a dict of the function's own (`kwargs = {"path": p, "use_threads": t}`)
        operation = call.func.attr
        services = tuple(having)
        if not self.boto.may_classify_as(_JUDGED) and self._by_evidence(call, services, tuple(elsewhere)) is None:
            # the receiver can then only be of unknown origin (judged by the evidence, which has none)
            # or no client: classifying it, which builds the module's model, would change nothing
            return None
        receiver = self.boto.classify(call.func.value, scope)
        if receiver.kind == CLIENT:
            if receiver.service is None:
                # A client of unknown service (`lambda_client: BaseClient`): its name may still say which.
                named = self._named(call.func.value)
                if named:
                    matching = tuple(s for s in services if s in named)
                    if matching and not any(s in named for s in elsewhere):
                        return Candidate(matching, True)
                    return None
                return Candidate(services, False) if not tuple(elsewhere) else None
            return Candidate((receiver.service,), True) if receiver.service in services else None
        if receiver.kind == RESOURCE:
            owner = receiver.service
            if owner in services and operation in RESOURCE_OPERATIONS.get(owner or "", ()):
                return Candidate((owner,), True) if owner else None
            return None
        if receiver.kind != UNKNOWN:
            return None
        return self._by_evidence(call, services, tuple(elsewhere))

    def _not_clients(self) -> frozenset[str]:
        """Imported names that a call of the module proves are no boto3 client: some method of theirs is
        called with a snake_case keyword (`from awswrangler import s3`, `s3.read_parquet(path=p,
        use_threads=True)`), which no client operation takes."""
        if self._imported_non_clients is None:
            aliases = self.ctx.names.aliases
            found: set[str] = set()
            for call, _function in self.ctx.index.calls:
                func = call.func
                if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in aliases
                        and not _BOTO_IMPORTS.match(aliases[func.value.id].split(".")[0])
                        and func.attr not in _SNAKE_METHODS
                        and any(kw.arg is not None and "_" in kw.arg for kw in call.keywords)):
                    found.add(func.value.id)
            self._imported_non_clients = frozenset(found)
        return self._imported_non_clients

    def _unpacked_keys(self, value: ast.AST, scope: FunctionNode | None) -> list[str]:
        """The constant keys of the dict `**value` unpacks, when every binding of the name in the
        function is a dict display or `dict(...)` of keywords; else none."""
        if not isinstance(value, ast.Name):
            return []
        bindings = self.ctx.model.bindings_of(scope if scope is not None else self.ctx.tree, value.id)
        keys: list[str] = []
        for binding in bindings:
            built = binding.value
            if binding.kind not in ("assign", "annassign") or built is None:
                return []
            if isinstance(built, ast.Dict):
                keys += [k.value for k in built.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            elif isinstance(built, ast.Call) and isinstance(built.func, ast.Name) and built.func.id == "dict":
                keys += [k.arg for k in built.keywords if k.arg is not None]
            else:
                return []
        return keys

    def _named(self, value: ast.AST) -> frozenset[str]:
        """The services a receiver's name spells (`lambda_client`, `ddb`), when the name is made only
        of service words and words that stand beside them; else none."""
        label = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else ""
        words = name_words(label)
        named = frozenset(self._service_words[w] for w in words if w in self._service_words)
        plain = bool(words) and all(
            w in self._service_words or w in _CLIENT_WORDS or w in _NEUTRAL_WORDS or w.isdigit() for w in words
        )
        return named if plain else frozenset()

    def _by_evidence(self, call: ast.Call, services: tuple[str, ...], elsewhere: tuple[str, ...]) -> Candidate | None:
        assert isinstance(call.func, ast.Attribute)
        value = call.func.value
        found = self._named_evidence(call, value, services, elsewhere)
        if found is not None and isinstance(value, ast.Name) and value.id in self._not_clients():
            return None  # asked last: it reads every call of the module
        return found

    def _named_evidence(
        self, call: ast.Call, value: ast.expr, services: tuple[str, ...], elsewhere: tuple[str, ...]
    ) -> Candidate | None:
        if isinstance(value, ast.Call):
            # `self.get_conn().batch_create_partition(...)`: the factory's name says what it makes
            value = value.func
        label = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else ""
        if label in ("self", "cls"):
            return None
        words = name_words(label) if label else []
        named = {self._service_words[w] for w in words if w in self._service_words}
        if named and words[-1] in _RESOURCE_WORDS and all(
            w in self._service_words or w in _NEUTRAL_WORDS for w in words[:-1]
        ):
            # `ddb_resource`, `dynamodb_resource`: a service resource, which has only its own actions.
            operation = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            matching = tuple(s for s in services if s in named and operation in RESOURCE_OPERATIONS.get(s, ()))
            return Candidate(matching, True) if matching and not any(s in named for s in elsewhere) else None
        plain = bool(words) and (
            all(w in self._service_words or w in _CLIENT_WORDS or w in _NEUTRAL_WORDS or w.isdigit() for w in words)
            or words[-1] in self._service_words
            or words[-1] in _CLIENT_WORDS
        )
        if named and plain:
            matching = tuple(s for s in services if s in named)
            if matching and not any(s in named for s in elsewhere):
                return Candidate(matching, True)
            return None
        if elsewhere:
            return None
        pascal = any(kw.arg is not None and _PASCAL.match(kw.arg) for kw in call.keywords)
        clientish = plain and any(w in _CLIENT_WORDS for w in words)
        if (pascal and not named) or (clientish and self.imports_boto):
            return Candidate(services, False)
        return None


def _imports_boto(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.Import):
        return any(_BOTO_IMPORTS.match(alias.name.split(".")[0]) for alias in node.names)
    return node.level == 0 and bool(node.module) and bool(_BOTO_IMPORTS.match((node.module or "").split(".")[0]))
