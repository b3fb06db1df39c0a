"""Time the `awslint` command on a tree it has not seen (cold) and again unchanged (warm, from the cache).

    python benchmarks/bench_cache.py [--files N] [--jobs J] [SOURCE_FOLDER]

Copies the first N `*.py` files of SOURCE_FOLDER (default: the running interpreter's standard library)
into a temporary project with a pyproject.toml, runs the installed command once with an empty cache and
then `--repeat` times warm, and prints both wall times and their ratio. The target is warm at least 10x
faster than cold. Each run is a fresh process, as a user's would be.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path


def command() -> list[str]:
    script = Path(sys.executable).with_name("awslint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "awslint"]


def copy_corpus(source: Path, target: Path, limit: int) -> int:
    count = 0
    for path in sorted(source.rglob("*.py")):
        if "site-packages" in path.parts or "test" in path.parts or "tests" in path.parts:
            continue
        dest = target / "src" / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        count += 1
        if count >= limit:
            break
    (target / "pyproject.toml").write_text('[project]\nname = "bench"\n', encoding="utf-8")
    return count


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*command(), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--jobs", default="1")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        count = copy_corpus(Path(args.source), root, args.files)
        run = ["--quiet", "--exit-zero", "--jobs", args.jobs, "src"]
        cold = timed(run, root)
        cache = root / ".awslint_cache"
        entries = sum(1 for _ in cache.rglob("*.json")) if cache.is_dir() else 0
        warm = min(timed(run, root) for _ in range(args.repeat))
        nocache = timed(["--no-cache", *run], root)
    print(f"files: {count} (cache entries written: {entries}), jobs: {args.jobs}")
    print(f"cold:  {cold:.2f} s")
    print(f"warm:  {warm:.2f} s  ({cold / warm:.1f}x faster)")
    print(f"--no-cache: {nocache:.2f} s")
    return 0 if cold / warm >= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
