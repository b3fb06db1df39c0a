"""The result cache (issue 11, item 5): `.awslint_cache/` beside the nearest pyproject.toml, keyed by the
file's bytes, the effective configuration and awslint's version; `--no-cache`; safe under `-j` and with
two runs at once; the warm run at least 10x faster (benchmarks/bench_cache.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import SEED, awslint_command, run_awslint, write

MUTATED = "def f(seen=[]):\n    seen.append(1)\n    return seen\n"


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / ".awslint_cache").rglob("*.json") if not p.name.startswith(".tmp"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path, "src/a.py", MUTATED)
    write(tmp_path, "src/b.py", "def f(:\n")
    return tmp_path


def test_the_warm_run_reports_the_same_from_the_cache(project: Path) -> None:
    cold = run_awslint("--select", "AWS3", "src", cwd=project)
    assert len(entries(project)) == 2  # a finding and a parse error are both results
    assert (project / ".awslint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    for path in entries(project):  # what a warm run reads is the cache, not the file again
        data = json.loads(path.read_text())
        assert set(data) == {"results", "suppressed", "error", "notices"}
    warm = run_awslint("--select", "AWS3", "src", cwd=project)
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    for fmt in ("json", "sarif"):
        assert run_awslint("--select", "AWS3", "--format", fmt, "src", cwd=project).stdout == run_awslint(
            "--no-cache", "--select", "AWS3", "--format", fmt, "src", cwd=project
        ).stdout


def test_a_cached_entry_is_what_the_warm_run_shows(project: Path) -> None:
    run_awslint("--select", "AWS3", "src/a.py", cwd=project)
    (entry,) = entries(project)
    data = json.loads(entry.read_text())
    data["results"][0]["f"][3] = "from the cache"
    entry.write_text(json.dumps(data))
    assert run_awslint("--select", "AWS3", "src/a.py", cwd=project).stdout == "src/a.py:1:12: AWS301 from the cache\n"
    entry.write_text("{not json")  # a broken entry is a miss, never an error
    proc = run_awslint("--select", "AWS3", "src/a.py", cwd=project)
    assert proc.stdout.startswith("src/a.py:1:12: AWS301 mutable default `seen`")


@pytest.mark.slow
def test_content_and_configuration_are_the_key(project: Path) -> None:
    run_awslint("--select", "AWS3", "src/a.py", cwd=project)
    write(project, "src/a.py", "\n" + MUTATED)
    assert run_awslint("--select", "AWS3", "src/a.py", cwd=project).stdout.startswith("src/a.py:2:12: AWS301")
    assert run_awslint("--select", "AWS1", "src/a.py", cwd=project).stdout == ""
    write(project, "pyproject.toml", '[tool.awslint]\nignore = ["AWS301"]\n')
    assert run_awslint("--select", "AWS3", "src/a.py", cwd=project).stdout == ""
    assert len(entries(project)) == 4


def test_the_cache_lives_beside_the_nearest_pyproject(project: Path) -> None:
    run_awslint("--select", "AWS3", str(project / "src" / "a.py"), cwd=project / "src")
    assert not (project / "src" / ".awslint_cache").exists()
    assert len(entries(project)) == 1


def test_no_cache_neither_reads_nor_writes(project: Path) -> None:
    run_awslint("--no-cache", "--select", "AWS3", "src", cwd=project)
    assert not (project / ".awslint_cache").exists()


def test_fix_does_not_use_the_cache(project: Path) -> None:
    run_awslint("--select", "AWS3", "src/a.py", cwd=project)
    run_awslint("--select", "AWS3", "--fix", "src/a.py", cwd=project)
    assert "seen=None" in (project / "src" / "a.py").read_text()
    assert run_awslint("--select", "AWS3", "src/a.py", cwd=project).stdout == ""


@pytest.mark.slow
def test_parallel_runs_and_jobs_share_the_cache_safely(project: Path) -> None:
    for i in range(60):
        write(project, f"pkg/m{i:02}.py", SEED if i % 2 else MUTATED)
    args = [*awslint_command(), "--select", "AWS3", "-j", "2", "pkg"]
    procs = [subprocess.Popen(args, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [p.communicate(timeout=300) for p in procs]
    expected = run_awslint("--no-cache", "--select", "AWS3", "-j", "1", "pkg", cwd=project).stdout.encode()
    assert all(out == expected for out, _ in outputs)
    assert all(b"Traceback" not in err for _, err in outputs)
    assert run_awslint("--select", "AWS3", "-j", "2", "pkg", cwd=project).stdout.encode() == expected
    assert len(entries(project)) == 60
    assert not [p for p in (project / ".awslint_cache").rglob(".tmp*")]


@pytest.mark.slow
def test_the_cache_benchmark_runs_and_fills_one_entry_per_file() -> None:
    """The benchmark's ratio is a figure for the CHANGELOG (speed is measured in benchmarks, not asserted
    in timed tests); what the test holds it to is that the warm runs have an entry for every file."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_cache.py"), "--files", "40"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert "files: 40 (cache entries written: 40)" in proc.stdout
    assert "x faster" in proc.stdout
