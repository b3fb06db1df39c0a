"""The project holds itself to its own standards: mypy --strict on the core, and our flake8 config,
which runs awslint on its own code."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


def test_mypy_strict_on_the_core() -> None:
    pytest.importorskip("mypy")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "awslint"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_flake8_with_our_plugin_on_our_code() -> None:
    pytest.importorskip("flake8")
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "awslint", "flake8_awslint", "pylint_awslint", "benchmarks", "scripts", "tests"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_our_plugin_is_the_one_flake8_loaded() -> None:
    pytest.importorskip("flake8")
    proc = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True, timeout=120)
    assert "awslint" in proc.stdout
