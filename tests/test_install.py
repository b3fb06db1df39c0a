"""The install path the README advertises (issue 11, item 8): a wheel built from this repository installs
into a fresh virtual environment with nothing else, carries the LICENSE, and its `awslint` command
works there. Building needs the build backend from the package registry; where it cannot be had the
test is skipped with the reason."""
from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT

SHIPPED = ("awslint", "flake8_awslint", "pylint_awslint", "pyproject.toml", "README.md", "LICENSE", "setup.cfg")


def test_license_is_the_apache_license() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert 'license = { text = "Apache-2.0" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_built_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    python = bindir / "python"
    built = subprocess.run(
        [str(python), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    if built.returncode != 0:
        pytest.skip(f"the build backend could not be installed (no registry?): {built.stderr[-500:]}")
    (wheel,) = (tmp_path / "dist").glob("awslint-*.whl")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300
    )
    if installed.returncode != 0 and "tomli" in installed.stderr:
        pytest.skip("Python 3.10 needs tomli from the registry")
    assert installed.returncode == 0, installed.stderr

    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert any(n.endswith(".dist-info/LICENSE") or "/licenses/LICENSE" in n for n in names), names
    assert "awslint/data/pagination.json" in names and "awslint/py.typed" in names

    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples", project)
    script = bindir / "awslint"
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.startswith("awslint ")
    run = subprocess.run(
        [str(script), "--no-cache", "."], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert " AWS" in run.stdout
    # the fresh environment has neither flake8 nor pylint: the command needs neither
    imports = subprocess.run([str(python), "-c", "import flake8"], capture_output=True, timeout=60)
    assert imports.returncode != 0
