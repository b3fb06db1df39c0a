"""Listings whose page can be empty, or miss the items asked for, while more pages remain: the service
filters the items it read for one page only after reading them, and its limit counts the items read.
For these calls a page that holds nothing (or whose first item is taken) says nothing about the
listing, so AWS201's "first item only" reads are reads of the results too, and a small limit bounds
nothing. Curated by hand from the documentation named in each row.
"""
from __future__ import annotations

DYNAMODB_FILTERS = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.FilterExpression"

# (service, operation) -> the keyword arguments that filter after reading; empty: every call does.
# "A Scan reads up to 1 MB (or `Limit` items) and then applies the filter expression": a page may hold
# no match while `LastEvaluatedKey` is set, and `Limit` counts the items read, not those returned.
FILTERED_PAGES: dict[tuple[str, str], frozenset[str]] = {
    ("dynamodb", "scan"): frozenset({"FilterExpression", "ScanFilter"}),
    ("dynamodb", "query"): frozenset({"FilterExpression", "QueryFilter"}),
}


def filters_after_reading(service: str, operation: str, keywords: frozenset[str]) -> bool:
    """Whether a call of `operation` of `service` passing `keywords` may return a page without the
    items it asks for while more pages remain."""
    filters = FILTERED_PAGES.get((service, operation))
    if filters is None:
        return False
    return not filters or bool(filters & keywords)
