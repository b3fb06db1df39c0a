"""`--fix` for AWS205: S3 `list_objects` becomes `list_objects_v2` where nothing can tell them apart.

The rename is made only when the call passes parameters both take alike (no `Marker`, which v2 spells
`StartAfter` with another meaning, and no `**kwargs` the fixer cannot see), and the response is read in
the function only for keys both return alike (`Contents`, `CommonPrefixes`, `Name`, `Prefix` ...): not
`Marker`/`NextMarker`, which v2 lacks, and not handed over to code that might read them. v2 leaves out
each object's `Owner` unless asked (`FetchOwner=True`), so a function that reads an `Owner`, or lets
the `Contents` go elsewhere, keeps `list_objects`.
"""
from __future__ import annotations

import ast
from typing import Sequence

from awslint.analysis.model import SemanticModel
from awslint.analysis.sdk_responses import ResponseFlow
from awslint.finding import Finding
from awslint.fix_edits import Edit, Source
from awslint.rules.sdk.facts import is_logger_call

CODES = frozenset({"AWS205"})
_OLD, _NEW = "list_objects", "list_objects_v2"
_SAME_PARAMETERS = frozenset(
    {"Bucket", "Delimiter", "EncodingType", "MaxKeys", "Prefix", "RequestPayer", "ExpectedBucketOwner",
     "OptionalObjectAttributes"}
)
_SAME_KEYS = frozenset(
    {"Contents", "CommonPrefixes", "Name", "Prefix", "Delimiter", "MaxKeys", "EncodingType", "IsTruncated",
     "RequestCharged", "ResponseMetadata"}
)


def plan(src: Source, tree: ast.AST, findings: Sequence[Finding]) -> list[list[Edit]]:
    wanted = {(f.line, f.col) for f in findings if f.code in CODES and f"`{_OLD}`" in f.message and "`s3`" in f.message}
    if not wanted:
        return []
    model = SemanticModel(tree)
    flow = ResponseFlow(model, is_logger_call)
    groups: list[list[Edit]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and (node.lineno, node.col_offset) in wanted):
            continue
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == _OLD and _safe(node, model, flow)):
            continue
        end = src.end(func)
        start = end - len(_OLD)
        if src.text[start:end] != _OLD:
            continue
        groups.append([Edit(start, end, _NEW, (start, end), "AWS205")])
    return groups


def _safe(call: ast.Call, model: SemanticModel, flow: ResponseFlow) -> bool:
    if call.args or any(kw.arg not in _SAME_PARAMETERS for kw in call.keywords):
        return False
    uses = flow.uses(call)
    if uses.handed_over or uses.whole or not uses.keys <= _SAME_KEYS:
        return False
    for key, read in uses.reads:
        if key == "Contents" and flow.uses_of(read).handed_over:
            return False
    scope: ast.AST = model.enclosing_function(call) or tree_of(model)
    return not any(isinstance(n, ast.Constant) and n.value == "Owner" for n in ast.walk(scope))


def tree_of(model: SemanticModel) -> ast.AST:
    return model.tree
