"""The real pylint, as a subprocess: symbols and msgids from the catalogue, disables, stdin and -j."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from awslint import RULES
from helpers import SEED

pytest.importorskip("pylint")

SOURCE = SEED + "\n\ndef g(y=[]):\n    return len(y)\n\n\ndef h(z={}):  # pylint: disable=mutated-mutable-default\n    return z\n"
ONLY_OURS = ["--disable=all", "--enable=" + ",".join(r.name for r in RULES if r.default_enabled)]


def pylint(*args: str, cwd: Path, stdin: str | None = None) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=pylint_awslint", "--score=n",
         "--msg-template={path}:{line}:{column}: {msg_id} {symbol}", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return sorted(line for line in proc.stdout.splitlines() if line and not line.startswith("*"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


def test_reports_with_catalogue_symbol_and_msgid(project: Path) -> None:
    assert pylint(*ONLY_OURS, "app.py", cwd=project) == [
        "app.py:1:39: W7331 mutated-mutable-default",
        "app.py:3:15: W7321 unpaginated-aws-call",
    ]


def test_opt_in_message_enabled_by_symbol(project: Path) -> None:
    found = pylint(*ONLY_OURS, "--enable=mutable-default-argument", "app.py", cwd=project)
    assert found == [
        "app.py:1:39: W7331 mutated-mutable-default",
        "app.py:3:15: W7321 unpaginated-aws-call",
        "app.py:9:8: W7332 mutable-default-argument",
    ]


def test_opt_in_message_is_off_in_a_default_run(project: Path) -> None:
    found = pylint("app.py", cwd=project)
    assert "app.py:1:39: W7331 mutated-mutable-default" in found
    assert not any("W7332" in line for line in found)


def test_from_stdin(project: Path) -> None:
    found = pylint(*ONLY_OURS, "--from-stdin", "buffer.py", cwd=project, stdin=SOURCE)
    assert found == ["buffer.py:1:39: W7331 mutated-mutable-default", "buffer.py:3:15: W7321 unpaginated-aws-call"]


def test_parallel_jobs(project: Path) -> None:
    for i in range(3):
        (project / f"copy{i}.py").write_text(SOURCE)
    found = pylint(*ONLY_OURS, "-j", "2", "app.py", "copy0.py", "copy1.py", "copy2.py", cwd=project)
    names = ("app", "copy0", "copy1", "copy2")
    assert found == sorted(
        [f"{n}.py:1:39: W7331 mutated-mutable-default" for n in names]
        + [f"{n}.py:3:15: W7321 unpaginated-aws-call" for n in names]
    )


def test_options_are_declared_from_the_catalogue(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=pylint_awslint", "--help"],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    from awslint import OPTIONS

    for option in OPTIONS:
        assert f"--aws-{option.name}" in proc.stdout
