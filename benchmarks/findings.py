"""Every finding over the real-world packages and the standard library, saved for a before/after diff.

    python benchmarks/findings.py save OUT.json [--cache DIR] [--jobs J]
    python benchmarks/findings.py diff BEFORE.json AFTER.json

`save` runs every rule (the opt-in ones included) over the packages benchmarks/realworld.py unpacked
under `--cache` and over the running interpreter's standard library, in J processes, and writes
each finding as [path, line, code, message]. `diff` prints the findings only one of two such files
holds: `-` for those that went, `+` for those that came. To see what a change to a rule does to
real code, save once on the commit before it (a `git worktree` and `PYTHONPATH` pointing at it) and
once after. This is a benchmark: it reads what realworld.py fetched, and no test runs it.
"""
from __future__ import annotations

import argparse
import json
import sys
import sysconfig
import warnings
from multiprocessing import Pool
from pathlib import Path

from awslint import Config, check_source

EVERY_RULE = Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5"))


def _findings(path: str) -> list[tuple[str, int, str, str]]:
    warnings.simplefilter("ignore")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [(path, f.line, f.code, f.message) for f in check_source(text, path, EVERY_RULE)]


def save(out: Path, cache: Path, jobs: int) -> int:
    roots = [cache / "src", Path(sysconfig.get_paths()["stdlib"])]
    files = [str(p) for root in roots for p in sorted(root.rglob("*.py")) if "site-packages" not in p.parts]
    with Pool(jobs) as pool:
        found = sorted(f for chunk in pool.imap(_findings, files, chunksize=20) for f in chunk)
    out.write_text(json.dumps(found))
    print(f"{len(found)} findings in {len(files)} files -> {out}")
    return 0


def diff(before: Path, after: Path) -> int:
    old = {tuple(f) for f in json.loads(before.read_text())}
    new = {tuple(f) for f in json.loads(after.read_text())}
    for sign, found in (("-", old - new), ("+", new - old)):
        for path, line, code, message in sorted(found):
            print(sign, f"{path}:{line}", code, message)
    print(f"{len(old - new)} went, {len(new - old)} came")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save")
    saving.add_argument("out", type=Path)
    saving.add_argument("--cache", type=Path, default=Path(".realworld"))
    saving.add_argument("--jobs", type=int, default=2)
    diffing = commands.add_parser("diff")
    diffing.add_argument("before", type=Path)
    diffing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "save":
        return save(args.out, args.cache, args.jobs)
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
