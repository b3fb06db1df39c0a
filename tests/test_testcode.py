"""Test code, as the SPEC's context model defines it: folders, file names, functions, mocks."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Iterable

import pytest

from awslint.analysis.testcode import is_test_file
from awslint.config import Config
from awslint.context import Context
from awslint.finding import Finding
from awslint.lines import source_lines

MODULE = textwrap.dedent(
    '''\
    import pytest
    from moto import mock_aws
    from unittest import TestCase
    from botocore.stub import Stubber

    def product(c):
        return c.scan()

    @pytest.fixture
    def fixture():
        return 1

    @mock_aws
    def mocked():
        return 2

    def uses_mock():
        with mock_aws():
            return 3

    class Checks(TestCase):
        def helper(self):
            return 4

    def stubbed(c):
        Stubber(c)
        return 5

    def test_listing():
        return 6
    '''
)


def _returns(filename: str, config: Config = Config()) -> dict[int, bool]:
    tree = ast.parse(MODULE)
    context = Context(tree, MODULE.splitlines(), filename, config)
    return {n.lineno: context.testcode.in_test(n) for n in ast.walk(tree) if isinstance(n, ast.Return)}


def test_functions_fixtures_testcases_and_mocks_are_test_code() -> None:
    assert _returns("app.py") == {7: False, 11: True, 15: True, 19: True, 23: True, 27: True, 30: True}


@pytest.mark.parametrize(
    "name", ["tests/app.py", "pkg/test/app.py", "testing/app.py", "test_app.py", "app_test.py", "conftest.py",
             "pkg/testutils.py", "pkg/testutil.py", "pkg/testing.py"]
)
def test_test_files_by_path(name: str) -> None:
    assert set(_returns(name).values()) == {True}


def test_test_paths_option() -> None:
    config = Config(options={"test-paths": ("qa/*.py",)})
    assert set(_returns("qa/app.py", config).values()) == {True}
    assert _returns("src/app.py", config)[7] is False


def test_test_folders_are_judged_below_the_project_root(tmp_path: Path) -> None:
    project = tmp_path / "tests" / "project"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    assert not is_test_file(str(project / "src" / "app.py"))
    assert is_test_file(str(project / "src" / "tests" / "app.py"))
    assert not is_test_file("-") and not is_test_file("<unknown>")


@pytest.mark.parametrize("separator", ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_only_python_line_ends_end_a_line(separator: str) -> None:
    text = f"a = 1  # x{separator}y\nb = 2\r\nc = 3\rd = 4\n"
    assert source_lines(text) == [f"a = 1  # x{separator}y", "b = 2", "c = 3", "d = 4"]
    tree = ast.parse(text)
    assert [node.lineno for node in tree.body] == [1, 2, 3, 4]


def test_a_form_feed_in_a_comment_does_not_shift_findings() -> None:
    from awslint import check_source

    text = "import os\n# section\f break\ndef run(cmd):\n    os.system(cmd)\n"
    found = check_source(text, "app.py", Config(select=("AWS404",)))
    assert [(f.code, f.line, f.col) for f in found] == [("AWS404", 4, 4)]


def test_a_family_that_fails_leaves_a_notice_not_silence(monkeypatch: pytest.MonkeyPatch) -> None:
    from awslint import analyse_source
    from awslint.rules import FAMILIES

    family = next(f for f in FAMILIES if any(r.code == "AWS301" for r in f.rules))

    def broken(context: Context) -> Iterable[Finding]:
        raise RecursionError

    import dataclasses

    import awslint.checker as checker

    monkeypatch.setattr(
        checker, "FAMILIES", tuple(dataclasses.replace(f, check=broken) if f is family else f for f in FAMILIES)
    )
    result = analyse_source("def f(x=[]):\n    x.append(1)\n", "app.py")
    assert result.findings == ()
    assert [(n.line, n.family, n.reason) for n in result.notices] == [(1, family.name, "not analysed: RecursionError")]
