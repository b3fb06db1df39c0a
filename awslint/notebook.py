"""Jupyter notebooks: their code cells as one module, and the way back to cells and to the JSON file.

The code cells are joined in order, one module, so a name defined in one cell is known in the next.
IPython magics (`%time`, `!pip install`) become comments with a marker, which keeps the line numbers
and lets `--fix` put them back; a cell that starts with a cell magic (`%%bash`) is not Python and is
left out. A finding's line maps back to (cell, line in the cell) for people and to the line of the
`.ipynb` file itself for SARIF, whose viewers show the file as it is stored.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from awslint.source import SourceError, split_lines

_MAGIC = re.compile(r"^\s*(?:[%!]|\?\w|\w+\?\s*$)")
_MARK = "# awslint-magic: "
_CELL = re.compile(r"^# awslint-cell: (\d+)$")


class NotPython(Exception):
    """A notebook of another language (R, Julia …): nothing for awslint to check."""


class _PositionedStr(str):
    """A JSON string that remembers where its opening quote is in the file."""

    pos: int


def _load_with_positions(text: str) -> Any:
    """`json.loads`, with every string value a `_PositionedStr`."""
    import json.decoder
    import json.scanner

    scanstring: Any = getattr(json.decoder, "scanstring")

    def parse_string(s: str, end: int, strict: bool) -> tuple[str, int]:
        value, new_end = scanstring(s, end, strict)
        out = _PositionedStr(value)
        out.pos = end - 1
        return out, new_end

    decoder: Any = json.decoder.JSONDecoder()
    decoder.parse_string = parse_string
    # the C scanner would not call parse_string
    decoder.scan_once = getattr(json.scanner, "py_make_scanner")(decoder)
    value, end = decoder.raw_decode(text, len(text) - len(text.lstrip()))
    if text[end:].strip():
        raise ValueError(f"extra data at character {end}")
    return value


@dataclass(frozen=True)
class Line:
    """Where one line of the joined module came from."""

    cell: int  # 1-based, counting every cell as Jupyter numbers them
    line: int  # 1-based, in the cell
    file_line: int  # 1-based, in the .ipynb text
    file_column: int  # 0-based offset in that line of the first character of the source line


@dataclass(frozen=True)
class Notebook:
    data: dict[str, Any]
    source: str  # the joined code cells
    lines: tuple[Line | None, ...]  # per line of `source`
    cells: tuple[int, ...]  # index in data["cells"] of each joined cell, in order

    def where(self, line: int) -> Line | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None

    def file_position(self, line: int, column: int) -> tuple[int, int]:
        """1-based line and 1-based column in the .ipynb text of a position in `source`."""
        at = self.where(line)
        if at is None:
            return 1, 1
        text = split_lines(self.source)[line - 1] if line <= len(split_lines(self.source)) else ""
        prefix = json.dumps(text[: max(column - 1, 0)], ensure_ascii=False)
        return at.file_line, at.file_column + len(prefix) - 1


def _cell_lines(source: Any) -> list[str]:
    if isinstance(source, str):
        return source.splitlines(keepends=True)
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return list(source)
    raise SourceError("not a notebook: a cell's source is not text")


def _is_python(data: dict[str, Any]) -> bool:
    meta = data.get("metadata")
    info = meta.get("language_info") if isinstance(meta, dict) else None
    language = info.get("name") if isinstance(info, dict) else None
    return language in (None, "python", "ipython", "ipython3")


def read(raw: str) -> Notebook:
    """The code cells of the notebook `raw`; SourceError when it is not one."""
    try:
        data = _load_with_positions(raw)
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"not a notebook: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise SourceError("not a notebook: no list of cells")
    if not _is_python(data):
        raise NotPython()
    starts = [m.end() for m in re.finditer("\n", raw)]

    def file_pos(offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(starts, offset)
        return line + 1, offset - (starts[line - 1] if line else 0)

    parts: list[str] = []
    where: list[Line | None] = []
    cells: list[int] = []
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        lines = _cell_lines(cell.get("source", []))
        if lines and lines[0].lstrip().startswith("%%"):
            continue
        cells.append(index)
        parts.append(f"# awslint-cell: {index}\n")
        where.append(None)
        source = cell.get("source")
        for number, text in enumerate(lines, 1):
            body = text.rstrip("\r\n")
            if _MAGIC.match(body):
                body = _MARK + body
            parts.append(body + "\n")
            if isinstance(source, list) and isinstance(text, _PositionedStr):
                file_line, file_col = file_pos(text.pos)
                where.append(Line(index + 1, number, file_line, file_col + 1))
            else:
                anchor = getattr(source, "pos", 0)
                file_line, file_col = file_pos(anchor)
                where.append(Line(index + 1, number, file_line, file_col + 1))
    return Notebook(data, "".join(parts), tuple(where), tuple(cells))


def write_back(nb: Notebook, fixed: str) -> str:
    """The notebook's JSON with its code cells replaced by the cells of `fixed` (a fixed `nb.source`),
    found again by the marker comment that opens each."""
    chunks: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in split_lines(fixed):
        marker = _CELL.match(line)
        if marker:
            current = chunks.setdefault(int(marker.group(1)), [])
        elif current is not None:
            current.append(line)
    data = json.loads(json.dumps(nb.data))
    for index in nb.cells:
        chunk = chunks.get(index, [])
        original = _cell_lines(nb.data["cells"][index].get("source", []))
        ends_open = bool(original) and original[-1].endswith("\n")
        restored = [line[line.index(_MARK) + len(_MARK):] if line.lstrip().startswith(_MARK) else line for line in chunk]
        source = [line + "\n" for line in restored]
        if source and not ends_open:
            source[-1] = source[-1][:-1]
        if isinstance(data["cells"][index].get("source"), str):
            data["cells"][index]["source"] = "".join(source)
        else:
            data["cells"][index]["source"] = source
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
