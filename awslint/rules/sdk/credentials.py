"""AWS206: access key ids and secret access keys written into the source.

A key id is recognised by its shape alone (`AKIA`/`ASIA` and 16 upper-case letters or digits, as a
whole string or a whole word in one). A secret has no prefix, and 40 base64 characters are also
webhook keys, hashes and tokens, so a secret counts only where the code says what it is: passed as
`aws_secret_access_key=`, or bound to a name, attribute, dict key, environment variable or parameter
(or passed right after a string argument naming it, as setters and `getenv` defaults take it)
whose name contains `secret_access_key` (in any case, with or without underscores).
"""
from __future__ import annotations

import ast
import base64
import binascii
import re
from dataclasses import replace
from typing import Iterator

from awslint.analysis.nodes import breadth_first
from awslint.context import Context
from awslint.finding import Finding
from awslint.rules.sdk.rules import HardcodedAwsCredentials

# A whole word as regular expressions mean it: no letter, digit or underscore glued on either side.
_KEY_ID = re.compile(r"(?<![A-Za-z0-9_])(?:AKIA|ASIA)([A-Z0-9]{16})(?![A-Za-z0-9_])")
_SECRET = re.compile(r"^[A-Za-z0-9/+=]{40}$")
# AWS's documented examples; any value that spells EXAMPLE is one of their variants.
_EXAMPLE = "EXAMPLE"
_SECRET_NAME = "secretaccesskey"
# Key ids issued since 2019 encode their account: characters 5-12 in base32, less this offset, halved,
# with the 13th character's high bit as the last binary digit. Emulators and docs make up key ids for
# accounts no one owns: LocalStack's and moto's default 000000000000 (any one digit repeated), and
# AWS's documented example account 123456789012.
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_ACCOUNT_OFFSET = 549755813888  # int.from_bytes(base64.b32decode("QAAAAAAA"), "big")
_EXAMPLE_ACCOUNTS = frozenset({"123456789012"})
# What a file must contain to hold either: `AKIA`/`ASIA`, or (in lower case) the three words of a
# secret's name with any underscores and dashes between them (`secret_access_key`, `SECRET-ACCESS_KEY`,
# `secretAccess__key`: the names `_names_secret` accepts). One scan each (a regular expression that
# starts with a letter is searched for that letter first).
_KEY_ID_HINT = re.compile(r"A[KS]IA")
_SECRET_HINT = re.compile(r"secret[_-]*access[_-]*key")


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.lines:
        text = "\n".join(ctx.lines)
        if not (_KEY_ID_HINT.search(text) or _names_a_secret(text.lower())):
            return
    for node in _strings(ctx.tree):
        finding = _check_string(ctx, node)
        if finding is not None:
            yield finding


def _names_a_secret(lowered: str) -> bool:
    """`_SECRET_HINT` in a file's lower-cased text. Its words start with `secret`, which a plain
    substring search finds faster than the expression (whose first letter, `s`, is everywhere)."""
    return "secret" in lowered and _SECRET_HINT.search(lowered) is not None


def _strings(tree: ast.AST) -> Iterator[ast.Constant]:
    """The string constants of `tree`, in `ast.walk`'s order."""
    for node in breadth_first(tree):
        if node.__class__ is ast.Constant and isinstance(node.value, str):
            yield node


def _check_string(ctx: Context, node: ast.Constant) -> Finding | None:
    value = node.value
    assert isinstance(value, str)
    for match in _KEY_ID.finditer(value):
        if _placeholder(match.group(0), match.group(1)) or _example_account(match.group(1)):
            continue
        shown = f"`{match.group(0)[:8]}…`"
        finding = HardcodedAwsCredentials.at(node, what=f"an AWS access key id ({shown})", where=_where(ctx, node))
        return _on_the_key_line(ctx, node, match.group(0), finding)
    if _SECRET.match(value) and not _placeholder(value, value) and _kinds(value) == 3:
        where = _secret_binding(ctx, node)
        if where is not None:
            return HardcodedAwsCredentials.at(node, what="an AWS secret access key", where=where)
    return None


def _on_the_key_line(ctx: Context, node: ast.Constant, key: str, finding: Finding) -> Finding:
    """A key inside a string of several lines (a docstring, a template) is reported on the line that
    holds it, where the editor can underline it and a `# noqa` after the string can't be confused
    with it; a string on one line, or a key the source does not spell as written (escapes), stays at
    the string."""
    end = getattr(node, "end_lineno", None)
    if end is None or end == node.lineno or not ctx.lines:
        return finding
    for number in range(node.lineno, min(end, len(ctx.lines)) + 1):
        col = ctx.lines[number - 1].find(key)
        if col >= 0:
            return replace(finding, line=number, col=col, end_line=number, end_col=col + len(key))
    return finding


def _placeholder(whole: str, body: str) -> bool:
    return _EXAMPLE in whole or len(set(body)) <= 1


def _example_account(body: str) -> bool:
    """Whether the 16 characters after a key id's prefix encode an account no one owns."""
    try:
        number = int.from_bytes(base64.b32decode(body[:8]), byteorder="big")
    except (binascii.Error, ValueError):
        return False  # a digit 0, 1, 8 or 9: no account encoded
    if number < _ACCOUNT_OFFSET or body[8] not in _BASE32:
        return False
    account = str(2 * (number - _ACCOUNT_OFFSET) + (_BASE32.index(body[8]) >= 16)).zfill(12)
    return len(account) == 12 and (account in _EXAMPLE_ACCOUNTS or len(set(account)) == 1)


def _kinds(value: str) -> int:
    """How many of upper-case letters, lower-case letters and digits a value mixes: a random secret
    has all three; `abcdefghij...` made up for a test does not."""
    return sum((any(c.isupper() for c in value), any(c.islower() for c in value), any(c.isdigit() for c in value)))


def _names_secret(name: str | None) -> bool:
    return name is not None and _SECRET_NAME in name.replace("_", "").replace("-", "").lower()


def _secret_binding(ctx: Context, node: ast.Constant) -> str | None:
    """Where the code says the string is a secret access key (for the message), or None."""
    parent = ctx.model.parent(node)
    if isinstance(parent, ast.keyword) and _names_secret(parent.arg):
        return f" (passed as `{parent.arg}=`)"
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        for target in targets:
            label = _target_label(target)
            if label is not None and _names_secret(label):
                return f" (assigned to `{label}`)"
    if isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values):
            if value is node and isinstance(key, ast.Constant) and isinstance(key.value, str) and _names_secret(key.value):
                return f" (as the value of `{key.value!r}`)"
    if isinstance(parent, ast.Call):
        # The argument before it names it: `os.environ.setdefault("AWS_SECRET_ACCESS_KEY", v)`,
        # `monkeypatch.setenv(...)`, `parser.set("default", "aws_secret_access_key", v)`.
        index = next((i for i, arg in enumerate(parent.args) if arg is node), 0)
        before = parent.args[index - 1] if index else None
        if isinstance(before, ast.Constant) and isinstance(before.value, str) and _names_secret(before.value):
            return f" (as the value of `{before.value}`)"
    default = _parameter_defaulted(ctx, node)
    if default is not None and _names_secret(default):
        return f" (as the default of `{default}`)"
    return None


def _target_label(target: ast.AST) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
        return target.slice.value
    return None


def _parameter_defaulted(ctx: Context, node: ast.Constant) -> str | None:
    parent = ctx.model.parent(node)
    if not isinstance(parent, ast.arguments):
        return None
    positional = [*parent.posonlyargs, *parent.args]
    for arg, default in zip(positional[len(positional) - len(parent.defaults):], parent.defaults):
        if default is node:
            return arg.arg
    for arg, kw_default in zip(parent.kwonlyargs, parent.kw_defaults):
        if kw_default is node:
            return arg.arg
    return None


def _where(ctx: Context, node: ast.Constant) -> str:
    parent = ctx.model.parent(node)
    if isinstance(parent, ast.keyword) and parent.arg:
        return f" (passed as `{parent.arg}=`)"
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        label = _target_label(targets[0])
        if label is not None:
            return f" (assigned to `{label}`)"
    if isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values):
            if value is node and isinstance(key, ast.Constant) and isinstance(key.value, str):
                return f" (as the value of `{key.value!r}`)"
    return ""
