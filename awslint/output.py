"""The command's report formats: flake8-style text (with colour, source and statistics), JSON and GitHub
workflow annotations (SARIF lives in `awslint.sarif`).

Findings carry `ast` positions (0-based UTF-8 byte columns); people and editors count characters
from 1, so the conversion happens here, at the edge, once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from awslint.finding import Finding, Step
from awslint.notice import Notice
from awslint.source import printable


def char_column(line: str, byte_col: int) -> int:
    """The 0-based character column of a 0-based UTF-8 byte offset into `line`."""
    if line.isascii():
        return byte_col
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


@dataclass(frozen=True)
class Located:
    """A finding of one file, as the user sees it: the path as given and 1-based character columns."""

    path: str
    finding: Finding
    column: int
    end_column: int | None
    fingerprint: str
    steps: tuple[tuple[int, int, str], ...] = ()  # (line, 1-based column, note)
    cell: int | None = None  # notebooks: the cell and the line in it people see
    cell_line: int | None = None
    file_line: int | None = None  # notebooks: the position in the .ipynb text, for SARIF
    file_column: int | None = None
    suppressed_by: str | None = None  # the inline comment that silenced it ("noqa" / "pylint")

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def line(self) -> int:
        return self.finding.line

    def where(self) -> str:
        """`path:line:col` as text shows it; `path:cell 3:2:5` in a notebook."""
        if self.cell is not None:
            return f"{printable(self.path)}:cell {self.cell}:{self.cell_line}:{self.column}"
        return f"{printable(self.path)}:{self.line}:{self.column}"

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "f": [f.code, f.line, f.col, f.message, f.end_line, f.end_col, [[s.line, s.col, s.note] for s in f.path]],
            "c": [self.column, self.end_column, self.fingerprint, [list(s) for s in self.steps]],
            "n": [self.cell, self.cell_line, self.file_line, self.file_column],
            "s": self.suppressed_by,
        }

    @classmethod
    def from_dict(cls, path: str, data: dict[str, Any]) -> Located:
        code, line, col, message, end_line, end_col, steps = data["f"]
        column, end_column, fingerprint, located_steps = data["c"]
        cell, cell_line, file_line, file_column = data["n"]
        finding = Finding(code, line, col, message, end_line, end_col, tuple(Step(*s) for s in steps))
        return cls(
            path, finding, column, end_column, fingerprint, tuple((a, b, c) for a, b, c in located_steps),
            cell, cell_line, file_line, file_column, data["s"],
        )


@dataclass(frozen=True)
class Problem:
    """A file that could not be checked: the reason, and where when the parser said."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None


def locate(path: str, lines: Sequence[str], finding: Finding, fingerprint: str) -> Located:
    def text(number: int | None) -> str:
        return lines[number - 1] if number and 0 < number <= len(lines) else ""

    end_col = None
    if finding.end_col is not None:
        end_col = char_column(text(finding.end_line or finding.line), finding.end_col) + 1
    steps = tuple((s.line, char_column(text(s.line), s.col) + 1, s.note) for s in finding.path)
    return Located(
        path=path,
        finding=finding,
        column=char_column(text(finding.line), finding.col) + 1,
        end_column=end_col,
        fingerprint=fingerprint,
        steps=steps,
    )


@dataclass(frozen=True)
class Style:
    """ANSI colour for a terminal; `plain` writes none."""

    color: bool = False

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text


PLAIN = Style()


def text_line(r: Located, style: Style = PLAIN) -> str:
    where = style.paint(r.where(), "1")
    return f"{where}: {style.paint(r.code, '1;31')} {r.finding.message}\n"


def source_excerpt(r: Located, lines: Sequence[str], style: Style = PLAIN) -> str:
    """`--show-source`: the flagged line and a caret under the column, as flake8 prints them."""
    if not 0 < r.line <= len(lines):
        return ""
    line = lines[r.line - 1].expandtabs(1)
    width = 1
    if r.finding.end_line == r.line and r.end_column is not None and r.end_column > r.column:
        width = r.end_column - r.column
    return f"{line}\n{' ' * (r.column - 1)}{style.paint('^' * width, '1;31')}\n"


def text(results: Sequence[Located], style: Style = PLAIN) -> str:
    return "".join(text_line(r, style) for r in results)


def problem_line(p: Problem) -> str:
    return f"{printable(p.path)}: error: {p.message}\n"


def notice_line(path: str, notice: Notice) -> str:
    """`-v`: what an analysis did not look at, and why."""
    return f"{printable(path)}:{notice.line}: note: {notice.family}: {notice.reason}\n"


def statistics(results: Sequence[Located]) -> str:
    """`--statistics`: one line per code, most frequent first, as flake8 and ruff print them."""
    from awslint.rules import RULES_BY_CODE

    counts: dict[str, int] = {}
    for r in results:
        counts[r.code] = counts.get(r.code, 0) + 1
    out = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = RULES_BY_CODE.get(code)
        out.append(f"{count:<6} {code}  {rule.name if rule else 'unused-suppression'}\n")
    return "".join(out)


def summary(results: Sequence[Located], problems: Sequence[Problem], files: int, suppressed: int) -> str:
    """The closing line: `Found 12 findings in 4 files; 3 files could not be parsed`."""
    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    with_findings = len({r.path for r in results})
    head = f"Found {plural(len(results), 'finding')} in {plural(with_findings, 'file')}" if results else (
        f"No findings in {plural(files, 'file')}"
    )
    extra = []
    if suppressed:
        extra.append(f"{suppressed} suppressed inline")
    if problems:
        extra.append(f"{plural(len(problems), 'file')} could not be parsed")
    return head + ("; " + "; ".join(extra) if extra else "") + "\n"


def as_json(
    results: Sequence[Located], problems: Sequence[Problem] = (), notices: Sequence[tuple[str, Notice]] = ()
) -> str:
    """Findings, then files that could not be checked (`"kind": "error"`, `code` null), then what an
    analysis gave up on (`"kind": "notice"`)."""
    from awslint.rules import RULES_BY_CODE

    items: list[dict[str, Any]] = []
    for r in results:
        rule = RULES_BY_CODE.get(r.code)
        item: dict[str, Any] = {
            "kind": "finding",
            "path": printable(r.path),
            "line": r.cell_line if r.cell is not None else r.line,
            "column": r.column,
            "end_line": r.finding.end_line,
            "end_column": r.end_column,
            "code": r.code,
            "name": rule.name if rule else None,
            "message": r.finding.message,
            "fingerprint": r.fingerprint,
            "steps": [{"line": line, "column": col, "note": note} for line, col, note in r.steps],
        }
        if r.cell is not None:
            item["cell"] = r.cell
            item["end_line"] = None
        items.append(item)
    for p in problems:
        items.append(
            {
                "kind": "error",
                "path": printable(p.path),
                "line": p.line,
                "column": p.column,
                "code": None,
                "name": None,
                "message": p.message,
            }
        )
    for path, notice in notices:
        items.append(
            {
                "kind": "notice",
                "path": printable(path),
                "line": notice.line,
                "column": None,
                "code": None,
                "name": notice.family,
                "message": notice.reason,
            }
        )
    return json.dumps(items, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(results: Sequence[Located], problems: Sequence[Problem] = ()) -> str:
    """GitHub Actions workflow commands: each finding an annotation on its line of the pull request."""
    from awslint.rules import RULES_BY_CODE

    out = []
    for r in results:
        rule = RULES_BY_CODE.get(r.code)
        level = "error" if rule is not None and rule.msgid[:1] in "EF" else "warning"
        line = r.file_line if r.file_line is not None else r.line
        column = r.file_column if r.file_column is not None else r.column
        props = [f"file={_escape_property(printable(r.path))}", f"line={line}", f"col={column}"]
        if r.cell is None and r.finding.end_line is not None and r.end_column is not None:
            props += [f"endLine={r.finding.end_line}", f"endColumn={r.end_column}"]
        title = f"{r.code} {rule.name}" if rule else r.code
        props.append(f"title={_escape_property(title)}")
        out.append(f"::{level} {','.join(props)}::{_escape_data(r.finding.message)}\n")
    for p in problems:
        props = [f"file={_escape_property(printable(p.path))}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column or 1}"]
        out.append(f"::error {','.join(props)},title=awslint::{_escape_data(p.message)}\n")
    return "".join(out)
