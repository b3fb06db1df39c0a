"""Fingerprints that survive unrelated edits, and the baseline file that records accepted findings.

A fingerprint hashes the rule code, the file, the flagged line's text with its whitespace and trailing
comment normalised away, and the occurrence index among findings that share those three. It leaves
out the line number (and the message, which quotes line numbers), so code moving up or down, or being
re-indented, keeps every fingerprint; editing the flagged line itself makes it a new finding.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from awslint.finding import Finding
from awslint.source import printable, utf8

FORMAT_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read or is not one of ours."""


def _strip_comment(text: str) -> str:
    """The line without a trailing `# ...` comment; `#` inside a string literal is kept."""
    quote: str | None = None
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif text.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif char == "#":
            return text[:i]
        elif char in "'\"":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote) - 1
        i += 1
    return text


def normalise(line: str) -> str:
    """The flagged line as the fingerprint sees it: no comment, whitespace collapsed."""
    return " ".join(_strip_comment(line).split())


def relative(path: str, base: Path) -> str:
    """`path` relative to `base` in POSIX form, or absolute when it lies elsewhere."""
    absolute = Path(os.path.abspath(path))
    for inner, outer in ((absolute, Path(os.path.abspath(base))), (absolute.resolve(), base.resolve())):
        try:
            return inner.relative_to(outer).as_posix()
        except ValueError:
            continue
    return absolute.as_posix()


def fingerprints(relpath: str, lines: Sequence[str], findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding of one file, in the order given."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for finding in findings:
        text = normalise(lines[finding.line - 1]) if 0 < finding.line <= len(lines) else ""
        occurrence = seen.get((finding.code, text), 0)
        seen[(finding.code, text)] = occurrence + 1
        # surrogate escapes give a file name that is not UTF-8 its own bytes, so it hashes as it is stored
        digest = hashlib.sha256(utf8("\0".join((finding.code, relpath, text, str(occurrence)))))
        out.append(digest.hexdigest()[:32])
    return out


@dataclass(frozen=True)
class Entry:
    """One accepted finding; only `fingerprint` is compared, the rest is for the people reading the file."""

    fingerprint: str
    code: str
    path: str
    line: int
    message: str


def write(path: Path, entries: Sequence[Entry]) -> None:
    data = {
        "tool": "awslint",
        "version": FORMAT_VERSION,
        "findings": [
            {"fingerprint": e.fingerprint, "code": e.code, "path": printable(e.path), "line": e.line, "message": e.message}
            for e in sorted(entries, key=lambda e: (e.path, e.line, e.code, e.fingerprint))
        ],
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _short(value: object) -> str:
    try:
        text = repr(value)
    except RecursionError:
        text = f"a nested {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def read(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file accepts."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: nested too deeply") from exc
    if not isinstance(data, dict) or data.get("tool") != "awslint" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not an awslint baseline (write one with --write-baseline)")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: baseline format {_short(data.get('version'))} is not {FORMAT_VERSION}")
    found = set()
    for item in data["findings"]:
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"{path}: a baseline entry has no fingerprint: {_short(item)}")
        found.add(item["fingerprint"])
    return frozenset(found)
