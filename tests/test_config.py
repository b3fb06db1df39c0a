"""Selection by code prefix and `[tool.awslint]` in pyproject.toml."""
from __future__ import annotations

from pathlib import Path

import pytest

from awslint.config import Config, ConfigError, find_pyproject, load_pyproject


@pytest.mark.parametrize(
    ("select", "ignore", "code", "default_on", "expected"),
    [
        ((), (), "AWS301", True, True),
        ((), (), "AWS302", False, False),
        (("AWS",), (), "AWS302", False, False),
        (("AWS3",), (), "AWS302", False, True),
        (("AWS302",), (), "AWS302", False, True),
        (("AWS",), ("AWS3",), "AWS301", True, False),
        (("AWS301",), ("AWS3",), "AWS301", True, True),
        (("AWS1",), (), "AWS301", True, False),
        ((), ("AWS301",), "AWS301", True, False),
    ],
)
def test_prefix_selection(select: tuple[str, ...], ignore: tuple[str, ...], code: str, default_on: bool, expected: bool) -> None:
    assert Config(select=select, ignore=ignore).enabled(code, default_on) is expected


def test_pyproject_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.awslint]\nselect = ["AWS1", "AWS302"]\nignore = "AWS104"\nresource_factories = ["mylib.connect"]\n'
    )
    (tmp_path / "pkg").mkdir()
    found = find_pyproject(tmp_path / "pkg")
    assert found == tmp_path / "pyproject.toml"
    project = load_pyproject(found)
    assert (project.select, project.ignore, dict(project.options)) == (
        ("AWS1", "AWS302"), ("AWS104",), {"resource-factories": ("mylib.connect",)}
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[tool.awslint]\nunknown = 1\n", "unknown option"),
        ("[tool.awslint]\nselect = 3\n", "expected a list of strings"),
        ("[tool.awslint\n", "cannot read configuration"),
    ],
)
def test_bad_configuration_names_the_file_and_the_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as error:
        load_pyproject(path, ())
    assert str(path) in str(error.value) and message in str(error.value)
