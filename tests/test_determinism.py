"""Byte-identical output for any PYTHONHASHSEED, any -j and any order of the paths (SPEC: interfaces)."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from awslint import RULES

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _corpus() -> list[str]:
    # Real code nobody here wrote (the standard library's top-level modules) and every fixture.
    files = sorted(str(p) for p in STDLIB.glob("*.py"))
    files += sorted(str(p) for p in (ROOT / "tests" / "fixtures").rglob("*.py"))
    return files


def _run(paths: list[str], seed: str, fmt: str, *extra: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    help_text = subprocess.run(
        [sys.executable, "-m", "awslint", "--help"], capture_output=True, text=True, env=env
    ).stdout
    no_cache = ["--no-cache"] if "--no-cache" in help_text else []
    done = subprocess.run(
        [sys.executable, "-m", "awslint", "--isolated", *no_cache, "--exit-zero",
         "--select", ",".join(rule.code for rule in RULES), "--format", fmt, *extra, *paths],
        capture_output=True, env=env, cwd=ROOT, timeout=600,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_output_is_the_same_for_any_seed_jobs_and_order(fmt: str) -> None:
    paths = _corpus()
    first = _run(paths, "0", fmt)
    assert first.count(b'"AWS') > 50  # the corpus has findings of several families to compare
    assert _run(paths, "1", fmt) == first
    assert _run(list(reversed(paths)), "4242", fmt, "--jobs", "2") == first


def test_witness_text_does_not_depend_on_the_seed(tmp_path: Path) -> None:
    program = tmp_path / "steps.py"
    program.write_text(
        "import os\nimport sys\n\n\ndef main():\n    steps = [(sys.argv[1], sys.argv[2])]\n"
        "    for cmd, kind in steps:\n        os.system(cmd + kind)\n"
    )
    outputs = {_run([str(program)], seed, "json") for seed in ("0", "1", "2", "3", "17")}
    assert len(outputs) == 1
    assert b"AWS401" in next(iter(outputs))
