"""Round 2 of the resource and process rules: labelled modules written from SPEC, run with every rule.

Each file in `tests/fixtures/resources/round2/` and `tests/fixtures/process/round2/` is a small module
as teams write them on AWS (Lambda handlers, sockets, connections, archives, pools, child processes),
with `# expect: AWS1xx` on exactly the lines that must be reported; every other line must stay silent
for every rule, as the eval scores it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, assert_labels

CASES = sorted((FIXTURES / "resources" / "round2").glob("*.py")) + sorted((FIXTURES / "process" / "round2").glob("*.py"))


def test_there_are_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.parent.name}/{p.name}" for p in CASES])
def test_round2_case(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS")


def _messages(path: str) -> list[tuple[int, str, str]]:
    from awslint import Config, check_source

    source = (FIXTURES / path).read_text(encoding="utf-8")
    return [(f.line, f.code, f.message) for f in check_source(source, path, Config(select=("AWS1",)))]


def test_messages_name_the_step_that_goes_wrong() -> None:
    """The `continue` that skips the release, a borrower that writes the resource, a subscript that
    raises, reading the resource through a consuming builtin."""
    fix = "use `with` or close it in `finally`"
    assert _messages("resources/round2/ftp_download_continue.py") == [
        (11, "AWS101", "`ftp` opened at line 11 is not closed on the path through the `continue` at line 15, "
         f"before line 11 opens another one; {fix}"),
    ]
    assert (9, "AWS102", f"`out` opened at line 9 is not closed when `json.dump()` raises at line 10; {fix}") in (
        _messages("resources/round2/fdopen_mkstemp.py")
    )
    assert _messages("resources/round2/window_cannot_raise_round2.py") == [
        (14, "AWS102", f"`fh` opened at line 14 is not closed when `options['encoding']` raises at line 15; {fix}"),
    ]
    assert (14, "AWS102", f"`fh` opened at line 14 is not closed when reading `fh` raises at line 15; {fix}") in (
        _messages("resources/round2/gzip_lines_and_inline.py")
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
