"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

Every rule of the catalogue is listed in `tool.driver.rules`, whether or not it was selected, so that a
result's `ruleIndex` is stable between runs; the rule metadata and help come from the rule classes, as
the rule pages do. Locations are relative to `%SRCROOT%` (the folder the command ran in), columns
count Unicode code points from 1, and a finding's witness path becomes a `codeFlow`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from awslint.notice import Notice
from awslint.output import Located, Problem
from awslint.source import printable, utf8

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "awslint/v1"
ROOT_ID = "%SRCROOT%"


def _level(msgid: str) -> str:
    """SARIF's level from the pylint message category: errors, warnings, and conventions as notes."""
    return {"E": "error", "F": "error", "W": "warning"}.get(msgid[:1], "note")


def _uri(path: str) -> str:
    """A relative URI reference for a relative POSIX path: every byte that could be read as URI syntax
    is escaped, so `a:b.py` is not a scheme, `back\\slash.py` keeps its backslash (on POSIX it is a
    name character) and a name that is not UTF-8 keeps its own bytes."""
    from urllib.parse import quote

    return quote(utf8(path), safe="/")


def _region(line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict[str, int]:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if end_line is not None and end_column is not None and (end_line, end_column) > (line, column):
        region["endLine"] = end_line
        region["endColumn"] = end_column
    return region


def _location(uri: str, region: dict[str, int]) -> dict[str, Any]:
    artifact = {"uri": uri} if uri.startswith("file://") else {"uri": uri, "uriBaseId": ROOT_ID}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def uri_for(relpath: str) -> str:
    """A URI for a path that `awslint.baseline.relative` gave: relative to the root, or absolute."""
    if Path(relpath).is_absolute():
        from urllib.parse import quote

        return "file://" + quote(utf8(Path(relpath).as_posix()), safe="/")
    return _uri(relpath)


def rules_metadata() -> list[dict[str, Any]]:
    from awslint.docs import render
    from awslint.rules import FAMILIES, RULES

    family_of = {rule.code: family.name for family in FAMILIES for rule in family.rules}
    out = []
    for rule in RULES:
        page = render(rule)
        out.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.rationale()},
                "help": {"text": page, "markdown": page},
                "defaultConfiguration": {"level": _level(rule.msgid), "enabled": rule.default_enabled},
                "properties": {
                    "tags": ["awslint", family_of.get(rule.code, "")],
                    "precision": "high",
                    "pylintSymbol": rule.name,
                    "pylintMessageId": rule.msgid,
                },
            }
        )
    return out


def log(
    results: Sequence[Located],
    uris: dict[str, str],
    root: Path,
    errors: Sequence[Problem] = (),
    version: str = "",
    notices: Sequence[tuple[str, Notice]] = (),
) -> dict[str, Any]:
    """The SARIF log; `uris` maps each displayed path to its URI relative to `root`."""
    rules = rules_metadata()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    out_results = []
    for r in results:
        uri = uris.get(r.path, _uri(r.path))
        if r.file_line is not None:
            region = _region(r.file_line, r.file_column or 1)  # a notebook: the line of the .ipynb text
        else:
            region = _region(r.line, r.column, r.finding.end_line, r.end_column)
        result: dict[str, Any] = {
            "ruleId": r.code,
            "level": rules[index[r.code]]["defaultConfiguration"]["level"] if r.code in index else "warning",
            "message": {"text": r.finding.message},
            "locations": [_location(uri, region)],
            "partialFingerprints": {FINGERPRINT_KEY: r.fingerprint},
        }
        if r.code in index:
            result["ruleIndex"] = index[r.code]
        if r.suppressed_by is not None:
            result["suppressions"] = [
                {"kind": "inSource", "justification": f"silenced by a `{r.suppressed_by}` comment"}
            ]
        if r.steps and r.file_line is None:
            result["codeFlows"] = [
                {
                    "threadFlows": [
                        {
                            "locations": [
                                {"location": {**_location(uri, _region(line, col)), "message": {"text": note}}}
                                for line, col, note in r.steps
                            ]
                        }
                    ]
                }
            ]
        out_results.append(result)
    notifications = []
    for p in errors:
        notification: dict[str, Any] = {"level": "error", "message": {"text": f"{printable(p.path)}: {p.message}"}}
        if p.path in uris:
            region = {"startLine": p.line or 1, **({"startColumn": p.column} if p.line and p.column else {})}
            notification["locations"] = [_location(uris[p.path], region)]
        notifications.append(notification)
    for path, notice in notices:
        note: dict[str, Any] = {
            "level": "note",
            "message": {"text": f"{printable(path)}: {notice.family}: {notice.reason}"},
        }
        if path in uris:
            note["locations"] = [_location(uris[path], {"startLine": max(notice.line, 1)})]
        notifications.append(note)
    root_uri = root.resolve().as_uri()
    driver: dict[str, Any] = {"name": "awslint", "rules": rules}
    if version:
        driver["version"] = version
        driver["semanticVersion"] = version
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {ROOT_ID: {"uri": root_uri if root_uri.endswith("/") else root_uri + "/"}},
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {"executionSuccessful": not errors, "toolExecutionNotifications": notifications}
                ],
                "results": out_results,
            }
        ],
    }


def dumps(sarif_log: dict[str, Any]) -> str:
    return json.dumps(sarif_log, indent=2) + "\n"
