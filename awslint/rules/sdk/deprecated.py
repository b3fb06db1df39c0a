"""AWS205: deprecated or superseded operations, and imports of the removed `botocore.vendored.requests`.

A call is judged in its receiver's service; a receiver of unknown service only for operation names
deprecated in every service that has them. `get_paginator("list_objects")` names the operation too.
`botocore.vendored.requests` still exports its exception classes, down to
`packages.urllib3.exceptions`, so an import that only reaches those
(`from botocore.vendored.requests.exceptions import ConnectionError`) is silent, and one that reaches
further into what was removed (`from botocore.vendored.requests.packages.urllib3.util.retry import
Retry`) is not.
"""
from __future__ import annotations

import ast
from typing import Callable, Iterator

from awslint.analysis.index import FunctionNode
from awslint.analysis.nodes import breadth_first
from awslint.context import Context
from awslint.data.sdk_tables import Deprecation, deprecated_table
from awslint.finding import Finding
from awslint.rules.sdk.facts import SdkFacts
from awslint.rules.sdk.rules import DeprecatedAwsApi

VENDORED = "botocore.vendored.requests"


def check_call(facts: SdkFacts, call: ast.Call, scope: FunctionNode | None) -> Finding | None:
    assert isinstance(call.func, ast.Attribute)
    table = deprecated_table()
    operation = call.func.attr
    target = call
    if operation == "get_paginator":
        named = call.args[0] if len(call.args) == 1 and not call.keywords else None
        if not (isinstance(named, ast.Constant) and isinstance(named.value, str)):
            return None
        operation = named.value
        target = ast.Call(func=call.func, args=[], keywords=[])  # judged as a call of the operation
        ast.copy_location(target, call)
    services = table.services_of(operation)
    if not services:
        return None
    candidate = facts.receivers.candidate(target, scope, services)
    if candidate is None:
        return None
    if not candidate.known and operation not in table.deprecated_everywhere:
        return None
    found = [d for d in (table.lookup(s, operation) for s in candidate.services) if d is not None]
    if not found:
        return None
    gone = found[0]
    subject = _everywhere(found, call is not target) if len(found) > 1 and not candidate.known else _subject(
        gone, call is not target)
    return DeprecatedAwsApi.at(call, subject=subject, advice=_advice(gone))


def _subject(gone: Deprecation, paginator: bool) -> str:
    where = "model" if gone.kind == "deprecated" else "documentation"
    return f"{_what(gone, paginator)} is {gone.kind} in botocore's `{gone.service}` {where}"


def _everywhere(found: list[Deprecation], paginator: bool) -> str:
    """A receiver of unknown service, and an operation of several: the name is judged because every
    service that has it retires it, and the message says so rather than name one as the receiver's."""
    kinds = sorted({gone.kind for gone in found})
    services = ", ".join(f"`{gone.service}`" for gone in sorted(found, key=lambda gone: gone.service))
    return f"{_what(found[0], paginator)} is {' or '.join(kinds)} in every botocore service that has it ({services})"


def _what(gone: Deprecation, paginator: bool) -> str:
    return f"the paginator of `{gone.operation}`" if paginator else f"`{gone.operation}`"


def _advice(gone: Deprecation) -> str:
    text = gone.advice.strip().rstrip(".")
    if gone.kind == "deprecated" and gone.successors and "`" not in text:
        text = f"{text}; use " + ", ".join(f"`{s}`" for s in gone.successors)
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first in _PLAIN_OPENERS else text


# Words a model's advice starts with that read right in lower case after the colon.
_PLAIN_OPENERS = frozenset({"Use", "This", "Please", "Deprecated", "The", "Instead"})


# -- botocore.vendored.requests -----------------------------------------------------------------


def vendored_imports(ctx: Context) -> Iterator[Finding]:
    table = deprecated_table()
    for node in ctx.index.imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == VENDORED or alias.name.startswith(VENDORED + "."):
                    rest = alias.name[len(VENDORED) + 1 :].split(".") if alias.name != VENDORED else []
                    if rest and table.vendored_survives(rest):
                        continue
                    bound = alias.asname or alias.name.split(".")[0]
                    prefix = bound if alias.asname else VENDORED
                    if not rest and _only_exports(ctx, bound, prefix, table.vendored_survives):
                        continue
                    if not _compatibility_branch(ctx, node):
                        yield _vendored(node, alias.name)
        elif node.level == 0 and node.module:
            module = node.module
            if module == "botocore.vendored":
                for alias in node.names:
                    bound = alias.asname or "requests"
                    if alias.name == "requests" and not _only_exports(ctx, bound, bound, table.vendored_survives) and (
                            not _compatibility_branch(ctx, node)):
                        yield _vendored(node, VENDORED)
            elif module == VENDORED or module.startswith(VENDORED + "."):
                below = module[len(VENDORED) + 1 :].split(".") if module != VENDORED else []
                missing = [a.name for a in node.names if not table.vendored_survives([*below, a.name])]
                if missing and not _compatibility_branch(ctx, node):
                    yield _vendored(node, f"{module}.{missing[0]}" if table.vendored_survives(below) else module)


# What replaced the vendored copy: an import of one of these beside it is a compatibility shim.
_SUCCESSORS = ("requests", "botocore.httpsession", "urllib3")


def _compatibility_branch(ctx: Context, node: ast.Import | ast.ImportFrom) -> bool:
    """The import sits in one branch of an `if` whose other branch imports what replaced it (`if
    PYNAMODB4: import botocore.httpsession` / `else: import botocore.vendored.requests.sessions`): a
    version gate that reaches the old module only where old versions need it. A `try` that falls back
    on it when `requests` is missing is no such gate: the fallback fails on every botocore since 1.13."""
    parent = ctx.model.parent(node)
    if not isinstance(parent, ast.If):
        return False
    other = parent.orelse if node in parent.body else parent.body
    return any(_imports_successor(stmt) for stmt in other)


def _imports_successor(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Import):
        return any(a.name == s or a.name.startswith(s + ".") for a in stmt.names for s in _SUCCESSORS)
    if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
        return any(stmt.module == s or stmt.module.startswith(s + ".") for s in _SUCCESSORS)
    return False


def _only_exports(ctx: Context, bound: str, prefix: str, survives: Callable[[list[str]], bool]) -> bool:
    """Whether every use of the imported module reads something it still exports."""
    depth = prefix.count(".") + 1
    used = False
    for node in breadth_first(ctx.tree):
        if not (isinstance(node, ast.Name) and node.id == bound and isinstance(node.ctx, ast.Load)):
            continue
        chain: list[str] = [node.id]
        current: ast.AST = node
        parent = ctx.model.parent(current)
        while isinstance(parent, ast.Attribute) and parent.value is current:
            chain.append(parent.attr)
            current, parent = parent, ctx.model.parent(parent)
        if ".".join(chain[:depth]) != prefix:
            continue  # `botocore.session`: another part of botocore
        used = True
        if len(chain) <= depth or not survives(chain[depth:]):
            return False
    return used


def _vendored(node: ast.AST, name: str) -> Finding:
    subject = f"`{name}` is gone: botocore removed its vendored copy of requests in 1.13 and keeps only the exceptions"
    return DeprecatedAwsApi.at(node, subject=subject, advice="depend on `requests` and import it directly")
