"""Reading a file the way Python does: its bytes, its encoding, its lines, its tree.

Python ends a line only at `\\n`, `\\r\\n` or `\\r`; `str.splitlines` also splits at a form feed, `\\v`,
`\\x1c`-`\\x1e`, `\\x85`, `\\u2028` and `\\u2029`, which would shift every later line number. Every
front end and report counts lines with `split_lines`.
"""
from __future__ import annotations

import ast
import io
import tokenize
import warnings

from awslint.lines import source_lines


class SourceError(Exception):
    """A file that cannot be read, decoded or parsed; the message is the reason, on one line.

    `line`/`column` (1-based) say where, when the parser knows.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def split_lines(text: str) -> list[str]:
    """The lines of `text` as Python's tokenizer counts them, without their line ends."""
    return source_lines(text)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of Python source bytes: a BOM or coding cookie if present, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # detect_encoding reads the first two lines as UTF-8 unless a cookie says otherwise; say where it fails.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise SourceError(f"cannot decode as utf-8: {bad.reason} at byte {bad.start}") from exc
        raise SourceError(f"cannot decode: {exc.msg}") from exc
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from exc
    except LookupError as exc:
        raise SourceError(f"cannot decode: unknown encoding {encoding}") from exc


def parse(text: str, path: str) -> ast.Module:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about the user's code are not ours to print
            return ast.parse(text, filename=path)
    except SyntaxError as exc:
        where = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
        raise SourceError(f"cannot parse: {exc.msg}{where}", exc.lineno, exc.offset) from exc
    except (ValueError, OverflowError) as exc:
        raise SourceError(f"cannot parse: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        raise SourceError("cannot parse: too deeply nested for the Python parser") from exc


def read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def printable(path: str) -> str:
    """`path` safe to print: a file name that is not UTF-8 (held as surrogate escapes) shows U+FFFD."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def utf8(text: str) -> bytes:
    """`text` as bytes for hashing or a URI: surrogate escapes give back the file name's own bytes."""
    return text.encode("utf-8", "surrogateescape")
