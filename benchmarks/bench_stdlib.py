"""Time the awslint core over the running interpreter's standard library against `ast.parse`.

    python benchmarks/bench_stdlib.py [--limit N] [--repeat R] [--all] [--select CODES]

Both are timed in this process on the same files: `parse` is `ast.parse` alone; `analysis` is
`check_tree` on the parsed tree (what flake8 pays on top of its own parse); `core` is `check_source`
(parse + analysis, what the `awslint` command and the pylint adapter pay). Every rule is selected,
the opt-in ones included. The target is core/parse <= 1.5.

`check_source` parses with the garbage collector paused (the parse makes no garbage) and keeps the
tree out of the collector's passes while the families run; `ast.parse` here runs as a caller's would,
with the collector on. On these small files that makes no measurable difference; on one 10 MB file it
is most of the parse (see benchmarks/bench_memory.py).

`free` is the time Python takes to free each parsed tree. `check_source` pays it before it returns;
the `parse` phase does not (its tree is freed outside the clock). The last line shows the core
against parse + free, so a reader can see how much of the gap is that cost alone.
"""
from __future__ import annotations

import argparse
import ast
import gc
import sys
import sysconfig
import time
import warnings
from pathlib import Path

from awslint import Config, check_source, check_tree
from awslint.lines import source_lines as lines_of
from awslint.rules import RULES


def corpus(limit: int | None, everything: bool = False) -> list[tuple[str, str]]:
    root = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for path in sorted(root.rglob("*.py") if everything else root.glob("*.py")):
        if "site-packages" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(text)
        except (UnicodeDecodeError, SyntaxError, ValueError, OSError, RecursionError, MemoryError):
            continue
        out.append((str(path), text))
        if limit and len(out) >= limit:
            break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="only the first N files")
    ap.add_argument("--repeat", type=int, default=1, help="best of R runs of each phase")
    ap.add_argument("--all", action="store_true", help="every module of the standard library, not only the top level")
    ap.add_argument("--select", default=None,
                    help="only these code prefixes (e.g. the first round's rules: AWS101,AWS102,AWS103,AWS104,"
                         "AWS201,AWS202,AWS301,AWS302,AWS401,AWS402,AWS403,AWS404); default every rule")
    args = ap.parse_args()
    chosen = tuple(args.select.split(",")) if args.select else ()
    config = Config(select=tuple(rule.code for rule in RULES if not chosen or rule.code.startswith(chosen)))
    files = corpus(args.limit, args.all)
    lines = sum(text.count("\n") + 1 for _, text in files)
    warnings.simplefilter("ignore")

    # Interleaved per file, so that the three phases see the same heap and the same garbage
    # collector state; the best of --repeat rounds is kept for each phase.
    best = {"parse": float("inf"), "free": float("inf"), "analysis": float("inf"), "core": float("inf")}
    found = 0
    # CPU time of this process: the ratio holds on a machine that is busy with other work.
    clock = time.process_time
    for _ in range(args.repeat):
        spent = dict.fromkeys(best, 0.0)
        found = 0
        for name, text in files:
            gc.collect()  # outside the clocks: no phase pays for the garbage another left
            start = clock()
            tree = ast.parse(text, name)
            spent["parse"] += clock() - start
            source_lines = lines_of(text)
            gc.collect()  # outside the clocks: no phase pays for the garbage another left
            start = clock()
            check_tree(tree, source_lines, name, config)
            spent["analysis"] += clock() - start
            gc.collect()  # outside the clocks: no phase pays for the garbage another left
            start = clock()
            del tree
            spent["free"] += clock() - start
            gc.collect()  # outside the clocks: no phase pays for the garbage another left
            start = clock()
            found += len(check_source(text, name, config))
            spent["core"] += clock() - start
        best = {phase: min(best[phase], spent[phase]) for phase in best}
    parse, free, analysis, core = best["parse"], best["free"], best["analysis"], best["core"]
    print(f"python {sys.version.split()[0]}, {len(files)} files, {lines} lines, {found} findings")
    print(f"ast.parse      {parse:8.2f} s  {lines / parse:10.0f} lines/s")
    print(f"check_tree     {analysis:8.2f} s  {lines / analysis:10.0f} lines/s  analysis/parse = {analysis / parse:.2f}")
    print(f"check_source   {core:8.2f} s  {lines / core:10.0f} lines/s  core/parse = {core / parse:.2f}")
    print(f"freeing trees  {free:8.2f} s                     core/(parse + free) = {core / (parse + free):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
