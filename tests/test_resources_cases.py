"""Resource leaks on labelled modules written from SPEC, as teams write them on AWS (Lambda handlers,
sockets, connections, archives, pools), run with every rule.

Each file in `tests/fixtures/resources/<behaviour>/` (early exits, exception paths, hand-overs, borrowers,
inline use, ...) has `# expect: AWS1xx` on exactly the lines that must be reported; every other line must
stay silent for every rule, as the eval scores it. The child-process cases live in
`tests/fixtures/process/<behaviour>/` and are checked the same way by tests/test_process.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, assert_labels
from helpers import labelled_cases

CASES = labelled_cases("resources")


def test_there_are_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_labelled_case(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS")


def _messages(path: str) -> list[tuple[int, str, str]]:
    from awslint import Config, check_source

    source = (FIXTURES / path).read_text(encoding="utf-8")
    return [(f.line, f.code, f.message) for f in check_source(source, path, Config(select=("AWS1",)))]


def test_messages_name_the_step_that_goes_wrong() -> None:
    """The `continue` that skips the release, a borrower that writes the resource, a subscript that
    raises, reading the resource through a consuming builtin."""
    fix = "use `with` or close it in `finally`"
    assert _messages("resources/early_exits/ftp_download_continue.py") == [
        (11, "AWS101", "`ftp` opened at line 11 is not closed on the path through the `continue` at line 15, "
         f"before line 11 opens another one; {fix}"),
    ]
    assert (9, "AWS102", f"`out` opened at line 9 is not closed when `json.dump()` raises at line 10; {fix}") in (
        _messages("resources/exception_paths/fdopen_mkstemp.py")
    )
    assert _messages("resources/exception_paths/window_cannot_raise_round2.py") == [
        (14, "AWS102", f"`fh` opened at line 14 is not closed when `options['encoding']` raises at line 15; {fix}"),
    ]
    assert (14, "AWS102", f"`fh` opened at line 14 is not closed when reading `fh` raises at line 15; {fix}") in (
        _messages("resources/inline_use/gzip_lines_and_inline.py")
    )


def test_a_call_that_only_inspects_the_resource_is_not_named_as_the_failure() -> None:
    from awslint import Config, check_source

    source = (
        "import socket\n"
        "def probe(host):\n"
        "    server = socket.create_server((host, 0))\n"
        "    notify(server.getsockname())\n"
        "    server.close()\n"
    )
    (found,) = check_source(source, "x.py", Config(select=("AWS102",)))
    assert found.message == (
        "`server` opened at line 3 is not closed when `notify()` raises at line 4; use `with` or close it in `finally`"
    )


def test_messages_name_a_release_method_that_is_never_called_and_a_subscripted_inline_store() -> None:
    assert _messages("resources/releases/close_named_not_called.py") == [
        (7, "AWS101", "`f` opened at line 7 is not closed on the path through the `return` at line 10; "
         "`f.close` at line 9 names the method but never calls it: write `f.close()`"),
        (14, "AWS101", "`conn` opened at line 14 is not closed on the path through the `return` at line 17; "
         "`conn.close` at line 16 names the method but never calls it: write `conn.close()`"),
    ]
    assert _messages("resources/inline_use/subscripted_inline_stores.py")[:2] == [
        (9, "AWS103", "`shelve.open(...)` at line 9 is read through a subscript and never closed; "
         "open it in a `with` statement"),
        (13, "AWS103", "`dbm.open(...)` at line 13 is written through a subscript and never closed; "
         "open it in a `with` statement"),
    ]
