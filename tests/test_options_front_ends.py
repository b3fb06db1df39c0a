"""A user-added resource factory and release function reach the analysis through every front end:
flake8's setup.cfg, pylint's pyproject table and awslint's `[tool.awslint]`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = '''\
import mylib


def work(dsn):
    conn = mylib.connect(dsn)
    conn.execute("x")
    mylib.finish(conn)
'''


def run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


def test_without_options_the_unknown_library_is_not_a_resource(project: Path) -> None:
    out = run([sys.executable, "-m", "awslint", "app.py"], project)
    assert "AWS1" not in out


def test_flake8_setup_cfg(project: Path) -> None:
    pytest.importorskip("flake8")
    (project / "setup.cfg").write_text(
        "[flake8]\nselect = AWS\naws-resource-factories = mylib.connect\naws-release-functions = mylib.finish\n"
    )
    out = run([sys.executable, "-m", "flake8", "--format", "%(path)s:%(row)d:%(col)d: %(code)s", "app.py"], project)
    assert out.split() == ["app.py:5:12:", "AWS102"]


def test_pylint_pyproject(project: Path) -> None:
    pytest.importorskip("pylint")
    (project / "pyproject.toml").write_text(
        '[tool.pylint.main]\nload-plugins = ["pylint_awslint"]\n'
        '[tool.pylint.awslint]\naws-resource-factories = ["mylib.connect"]\naws-release-functions = ["mylib.finish"]\n'
    )
    out = run(
        [sys.executable, "-m", "pylint", "--disable=all", "--enable=resource-leak-on-exception", "--score=n",
         "--msg-template={path}:{line}:{column}: {msg_id}", "app.py"],
        project,
    )
    assert [line for line in out.splitlines() if not line.startswith("*")] == ["app.py:5:11: W7312"]


def test_awslint_tool_table(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.awslint]\nresource-factories = ["mylib.connect"]\nrelease-functions = ["mylib.finish"]\n'
    )
    out = run([sys.executable, "-m", "awslint", "app.py"], project)
    assert [line.split(" ")[:2] for line in out.splitlines()] == [["app.py:5:12:", "AWS102"]]
