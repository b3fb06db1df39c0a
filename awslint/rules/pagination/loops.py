"""Token loops: what identifies a listing, and the loops that test a token but never pass back the
latest one (a stale token, a name the loop never updates)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple, Optional, Tuple

from awslint.data.pagination import Paging

LIMIT_NAMES = frozenset({"MaxResults", "MaxItems", "MaxKeys", "Limit", "MaxRecords", "maxResults", "limit"})
# Keywords that continue a listing from a position other than the paginator's token.
POSITION = re.compile(r"token|marker|cursor|startafter|exclusivestart|offset", re.IGNORECASE)
# Parameter names that carry a position in a listing from the caller.
TOKENISH = re.compile(r"token|marker|cursor|after|continuation|start_key|next|offset", re.IGNORECASE)

# Who is asked and for what: the receiver's dotted text and the constant arguments of a call.
Listing = Tuple[Optional[str], Tuple[Tuple[str, str], ...]]

# botocore's `more_results` flags (`IsTruncated`, `Truncated`, `HasMoreStreams`, `hasMoreResults` …), which the
# table keeps among a paging's other keys.
_MORE_RESULTS = re.compile(r"^(?:Is)?Truncated$|^[Hh]asMore|^Additional(?:DataPending|RoutesAvailable)$")


def more_results_keys(paging: Paging) -> frozenset[str]:
    """The top-level response keys that say "there are more pages" for `paging`."""
    return frozenset(k for k in paging.other_keys if "." not in k and _MORE_RESULTS.match(k))


class Broken(NamedTuple):
    """A loop that reads `tested` (the output token, or a more-results flag such as `IsTruncated`) from
    the response at `read`, in its test or around another call of the operation, and never passes
    the token back."""

    tested: str
    read: ast.expr


@dataclass(frozen=True)
class Stale:
    """A call in a `while` loop whose token argument (`keyword=text`) reads `name`, which the loop never
    changes; or, with `tested`, a loop whose test reads the token on `name`, which the loop never changes,
    while the call passes a fresh one: the loop does not stop after the last page."""

    call: ast.Call
    keyword: str
    name: str
    text: str
    tested: bool = False


def token_root(value: ast.AST) -> str | None:
    """`resp` for `resp["NextToken"]`, `resp.get("NextToken")` or a bare `token`."""
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        return value.value.id
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "get"
        and isinstance(value.func.value, ast.Name)
    ):
        return value.func.value.id
    return None


def tests_token(test: ast.AST, name: str, outputs: frozenset[str]) -> bool:
    """Whether a loop test reads `name` or an output token of some response (`"NextToken" in resp`)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.Constant) and node.value in outputs:
            return True
    return False


class Region:
    """The calls of one outermost function, by the attribute they call and by the operation a
    `get_paginator` names; whether the function calls itself; the token-passing calls found so far."""

    def __init__(self) -> None:
        self.stale: dict[tuple[str, frozenset[str]], list[tuple[Listing, Stale]]] = {}
        self.by_operation: dict[str, list[ast.Call]] = {}
        self.paginators: dict[str, list[ast.Call]] = {}
        self.recursive = False
        self.strings: frozenset[str] | None = None  # the string constants of a recursive function
        self.token_listings: dict[tuple[str, frozenset[str]], list[Listing]] = {}
        self.token_identities: dict[tuple[str, frozenset[str]], set[Listing]] = {}


def identity(listing: Listing) -> Listing:
    """What `same_listing` compares: the receiver and the constants that are neither a page size nor a position."""
    return listing[0], tuple((n, v) for n, v in listing[1] if n not in LIMIT_NAMES and not POSITION.search(n))


def same_listing(one: Listing, other: Listing) -> bool:
    """Whether a call that follows the token may be paging the same listing as this one. Token handling
    is per listing: `src.scan(...)` in a loop does not page `dst.scan(...)`, nor does a loop over
    `Bucket="logs"` page a call for `Bucket="audit"`."""
    if one[0] is not None and other[0] is not None and one[0] != other[0]:
        return False
    theirs = dict(other[1])
    # A page size or a position differs between the first call and the loop's without changing the listing.
    return all(
        theirs.get(name, value) == value for name, value in one[1] if name not in LIMIT_NAMES and not POSITION.search(name)
    )


def operation_arg(call: ast.Call, constant: Callable[[str], object] = lambda name: None) -> str | None:
    """The operation named by `get_paginator("op")`, also through a module-level constant."""
    arg: ast.AST | None = call.args[0] if call.args else None
    for kw in call.keywords:
        if kw.arg == "operation_name":
            arg = kw.value
    value = arg.value if isinstance(arg, ast.Constant) else constant(arg.id) if isinstance(arg, ast.Name) else None
    return value if isinstance(value, str) else None


def display_token(token: str) -> str:
    return token.split("||")[0].strip()
