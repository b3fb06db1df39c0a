"""Inline suppression, as flake8 and pylint spell it, for every front end.

- `# noqa` silences every finding on its line, `# noqa: AWS101,AWS2` those whose code starts with one of
  the codes (flake8 matches by prefix). The comment may sit on any physical line of a statement that
  spans several (a multi-line call is reported at its first line), as flake8 has it.
- `# pylint: disable=resource-not-closed` (symbol, message id or `all`) after code silences that
  statement; on a line of its own it silences the rest of the enclosing function, class or module, up to
  a matching `# pylint: enable=`; `# pylint: disable-next=` silences the next statement.

flake8 applies `noqa` itself and pylint its own comments, so each adapter asks only for the other kind;
the `awslint` command applies both.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Iterable, Literal, Sequence

from awslint.finding import Finding

Kind = Literal["noqa", "pylint"]

_NOQA = re.compile(r"#\s*noqa\b(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_PYLINT = re.compile(r"#\s*pylint:\s*(?P<verb>disable-next|disable|enable)\s*=\s*(?P<names>[\w\-]+(?:\s*,\s*[\w\-]+)*)")
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (("noqa", _NOQA), ("pylint", _PYLINT))


@dataclass
class Directive:
    """One suppression comment; `codes` None is a blanket `# noqa`. `used` collects what it silenced."""

    kind: Kind
    line: int
    column: int  # 0-based, of the `#`
    codes: tuple[str, ...] | None
    first: int  # the lines it covers, inclusive
    last: int
    block: bool = False  # a pylint comment on a line of its own: to the end of the scope
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if not self.first <= finding.line <= self.last:
            return False
        if self.codes is None:
            return True
        if self.kind == "noqa":
            return finding.code.startswith(self.codes)
        return finding.code in self.codes


def _pylint_codes(names: str) -> tuple[str, ...] | None:
    """The awslint codes a pylint `disable=` list names; None for `all`."""
    from awslint.rules import RULES

    by_name = {rule.name: rule.code for rule in RULES}
    by_msgid = {rule.msgid.upper(): rule.code for rule in RULES}
    codes: list[str] = []
    for raw in names.split(","):
        name = raw.strip()
        if name.lower() == "all":
            return None
        code = by_name.get(name) or by_msgid.get(name.upper())
        if code:
            codes.append(code)
    return tuple(codes)


def _statements(text: str) -> tuple[dict[int, tuple[int, int]], list[tuple[int, int, str, bool]]]:
    """Each physical line's statement (first, last line) and each comment (line, col, text, alone)."""
    span: dict[int, tuple[int, int]] = {}
    comments: list[tuple[int, int, str, bool]] = []
    start: int | None = None
    code_lines: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                comments.append((tok.start[0], tok.start[1], tok.string, tok.start[0] not in code_lines))
                continue
            if tok.type in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER):
                continue
            if tok.type == tokenize.NEWLINE:
                if start is not None:
                    for line in range(start, tok.end[0] + 1):
                        span[line] = (start, tok.end[0])
                start = None
                continue
            if start is None:
                start = tok.start[0]
            code_lines.update(range(tok.start[0], tok.end[0] + 1))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # a file that tokenizes only partly keeps what was read; the rest is one line a statement
    return span, comments


def _scope_end(tree: ast.AST | None, line: int, last_line: int) -> int:
    """The last line of the innermost function or class holding `line` (the module's when none)."""
    end = last_line
    if tree is None:
        return end
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                lo, hi = child.lineno, child.end_lineno or child.lineno
                if lo <= line <= hi:
                    end = hi
                    stack.append(child)
            elif hasattr(child, "body"):
                stack.append(child)
    return end


def parse(text: str, tree: ast.AST | None = None, kinds: Iterable[Kind] = ("noqa", "pylint")) -> list[Directive]:
    """The suppression comments of `text`, of the kinds asked for."""
    wanted = set(kinds)
    # Every directive is a comment that one of these patterns matches, and a comment is part of the
    # text: a text they do not match holds none, and is not tokenized (tokenize costs ~2 ms a file of
    # 1,000 lines; flake8 asks for every file with a finding).
    if not any(pattern.search(text) for kind, pattern in _PATTERNS if kind in wanted):
        return []
    span, comments = _statements(text)
    last_line = text.count("\n") + 1
    out: list[Directive] = []
    for line, col, comment, alone in comments:
        first, last = span.get(line, (line, line))
        noqa = _NOQA.search(comment) if "noqa" in wanted else None
        if noqa is not None:
            codes = noqa.group("codes")
            parsed = tuple(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else None
            out.append(Directive("noqa", line, col + noqa.start(), parsed, first, last))
        pylint = _PYLINT.search(comment) if "pylint" in wanted else None
        if pylint is None:
            continue
        verb = pylint.group("verb")
        codes_or_all = _pylint_codes(pylint.group("names"))
        if codes_or_all == ():
            continue  # only other checkers' messages
        if verb == "enable":
            for directive in out:
                if directive.block and directive.first < line <= directive.last and (
                    codes_or_all is None or directive.codes is not None and set(directive.codes) <= set(codes_or_all)
                ):
                    directive.last = line - 1
            continue
        if verb == "disable-next":
            following = next((n for n in range(line + 1, last_line + 1) if n in span), line + 1)
            first, last = span.get(following, (following, following))
        elif alone:
            first, last = line, _scope_end(tree, line, last_line)
        out.append(Directive("pylint", line, col + pylint.start(), codes_or_all, first, last, block=alone and verb == "disable"))
    return out


@dataclass(frozen=True)
class Split:
    """Findings split into those reported and those an inline comment silenced."""

    reported: list[Finding]
    suppressed: list[tuple[Finding, Directive]]
    directives: list[Directive]


def apply(findings: Sequence[Finding], directives: Sequence[Directive]) -> Split:
    reported: list[Finding] = []
    suppressed: list[tuple[Finding, Directive]] = []
    for finding in findings:
        hit = next((d for d in directives if d.covers(finding)), None)
        if hit is None:
            reported.append(finding)
        else:
            hit.used.add(finding.code)
            suppressed.append((finding, hit))
    return Split(reported, suppressed, list(directives))


def filter_source(findings: Sequence[Finding], text: str, tree: ast.AST | None, kinds: Iterable[Kind]) -> list[Finding]:
    """The findings no comment of `kinds` silences (the adapters' entry point)."""
    if not findings:
        return []
    return apply(findings, parse(text, tree, kinds)).reported


UNUSED_CODE = "AWS000"


def unused(directives: Sequence[Directive]) -> list[Finding]:
    """`--warn-unused-noqa`: a `# noqa: AWS...` code (or a `disable=` of an awslint symbol on a statement)
    that silenced nothing. Blanket `# noqa` and other tools' codes are left alone: they may be for them."""
    from awslint.rules import RULES

    ours = {rule.code for rule in RULES}
    out: list[Finding] = []
    for d in directives:
        if d.codes is None:
            continue
        if d.block:
            continue  # a block-wide disable may be there for code to come
        stale = [c for c in d.codes if c.startswith("AWS") and not any(u.startswith(c) for u in d.used)
                 and (d.kind == "pylint" or any(code.startswith(c) for code in ours))]
        if stale:
            what = "`# noqa`" if d.kind == "noqa" else "`# pylint: disable`"
            out.append(
                Finding(
                    UNUSED_CODE,
                    d.line,
                    d.column,
                    f"unused {what} for {', '.join(stale)}: no such finding on this line; remove it",
                )
            )
    return out
