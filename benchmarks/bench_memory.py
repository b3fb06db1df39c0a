"""Peak memory and CPU time of the awslint core on one large file, against `ast.parse` alone.

    python benchmarks/bench_memory.py [--mb 10] [--keep FILE] [--snapshot N]

A file of about `--mb` megabytes of ordinary code is generated (functions with calls, loops,
try/except, files opened and closed, boto3 clients and calls, string building, classes with methods),
with names that differ from function to function. Each measurement runs in a child process of its
own, so that one's peak is not the other's: (a) `ast.parse` alone, (b) `check_source` with every rule
selected (parse included, as the `awslint` command pays it). Both children import awslint first, so
the interpreter and the rule tables are in both baselines. The issue's target: the core's peak is no
more than 1.3 x the parser's own.

`--snapshot N` runs the core once more under tracemalloc and prints the N source lines that hold the
most memory at the core's peak (the biggest allocations still alive when the analysis ends, which is
where its peak is).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

_TEMPLATES = (
    '''
def load_{n}(path, retries={r}):
    """Read the settings of part {n}."""
    result = {{}}
    for attempt in range(retries):
        try:
            with open(path + ".{n}") as handle:
                for line in handle:
                    key, _, value = line.partition("=")
                    result[key.strip()] = value.strip()
            break
        except OSError as exc:
            log.warning("attempt %d failed: %s", attempt, exc)
    return result
''',
    '''
def upload_{n}(bucket, keys, prefix="p{n}/"):
    client = boto3.client("s3")
    sent = 0
    for key in keys:
        name = prefix + key.lower().replace(" ", "_")
        client.upload_file(key, bucket, name)
        sent += 1
    response = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sent, [item["Key"] for item in response.get("Contents", [])]
''',
    '''
class Worker{n}(Base):
    limit = {r}

    def __init__(self, name, queue=None):
        super().__init__(name)
        self.queue = queue or []
        self.table = boto3.resource("dynamodb").Table("t{n}")

    def run(self, items):
        done = []
        while self.queue and len(done) < self.limit:
            item = self.queue.pop(0)
            if item.get("kind") == "put":
                self.table.put_item(Item=item)
            elif item.get("kind") == "delete":
                self.table.delete_item(Key={{"id": item["id"]}})
            else:
                continue
            done.append("%s:%s" % (self.name, item["id"]))
        return ", ".join(done)

    def close(self):
        self.queue.clear()
''',
    '''
def report_{n}(rows, out):
    total = 0
    lines = []
    fh = open(out, "w")
    try:
        for i, row in enumerate(rows):
            total += row.amount * {r}
            lines.append(f"{{i:>5}} {{row.name:<20}} {{row.amount:10.2f}}")
            if total > 1000 and not row.flag:
                raise ValueError("too much in " + row.name)
        fh.write("\\n".join(lines))
    finally:
        fh.close()
    return total
''',
    '''
def poll_{n}(job_id, wait=lambda s: time.sleep(s)):
    batch = boto3.client("batch")
    state = None
    seen = set()
    while state not in ("SUCCEEDED", "FAILED"):
        job = batch.describe_jobs(jobs=[job_id])["jobs"][0]
        state = job["status"]
        seen.add(state)
        wait({r})
    data = json.dumps({{"job": job_id, "states": sorted(seen), "n": {n}}})
    return subprocess.run(["notify", data], check=True).returncode
''',
)

_HEADER = '''"""Generated for the memory benchmark: ordinary code, many functions."""
import json
import logging
import subprocess
import time

import boto3

log = logging.getLogger(__name__)


class Base:
    def __init__(self, name):
        self.name = name
'''


def generate(megabytes: float) -> str:
    target = int(megabytes * 1_000_000)
    parts = [_HEADER]
    size = len(_HEADER)
    n = 0
    while size < target:
        chunk = _TEMPLATES[n % len(_TEMPLATES)].format(n=n, r=n % 7 + 2)
        parts.append(chunk)
        size += len(chunk)
        n += 1
    return "".join(parts)


# The child: one phase on one file, its figures as JSON on stdout.
_CHILD = r"""
import ast, json, resource, sys, time, warnings
warnings.simplefilter("ignore")
from awslint import Config, RULES, analyse_source
phase, path, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, encoding="utf-8").read()
config = Config(select=tuple(rule.code for rule in RULES))
if phase == "snapshot":
    # The analysis of analyse_tree, kept alive at the end: what the tree, the context and its caches
    # hold, and how far above that each family's own peak goes.
    import tracemalloc
    from awslint.context import Context
    from awslint.lines import source_lines
    from awslint.rules import FAMILIES
    tracemalloc.start(1)
    tree = ast.parse(text, path)
    parsed, parse_peak = tracemalloc.get_traced_memory()
    context = Context(tree, source_lines(text), path, config)
    families = {}
    for family in FAMILIES:
        tracemalloc.reset_peak()
        held = tracemalloc.get_traced_memory()[0]
        list(family.check(context))
        families[family.name] = tracemalloc.get_traced_memory()[1] - held
    snapshot = tracemalloc.take_snapshot()
    current = tracemalloc.get_traced_memory()[0]
    stats = snapshot.statistics("lineno")[:top]
    print(json.dumps({"parsed": parsed, "parse_peak": parse_peak, "current": current, "families": families,
                      "top": [(str(s.traceback[0]), s.size, s.count) for s in stats]}))
    sys.exit(0)
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.process_time()
if phase == "parse":
    tree = ast.parse(text, path)
    found = -1
else:
    result = analyse_source(text, path, config)
    found = len(result.findings)
    notices = [n.reason for n in result.notices]
cpu = time.process_time() - start
after = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"cpu": cpu, "peak_kb": after.ru_maxrss, "base_kb": before.ru_maxrss, "found": found,
                  "notices": notices if phase == "core" else []}))
"""


def run_child(phase: str, path: str, top: int = 0) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, phase, path, str(top)],
        check=True, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=10.0, help="size of the generated file in megabytes")
    ap.add_argument("--keep", metavar="FILE", help="write the generated file here and keep it")
    ap.add_argument("--file", metavar="FILE", help="measure this file instead of generating one")
    ap.add_argument("--snapshot", type=int, default=0, metavar="N", help="also print the N lines holding the most memory")
    args = ap.parse_args()
    if args.file:
        path = args.file
    else:
        text = generate(args.mb)
        if args.keep:
            path = args.keep
        else:
            handle, path = tempfile.mkstemp(suffix=".py")
            os.close(handle)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    try:
        size = os.path.getsize(path)
        with open(path, encoding="utf-8") as source:
            lines = sum(1 for _ in source)
        parse = run_child("parse", path)
        core = run_child("core", path)
        # The parser's share is what parsing adds to the process; the core's is what the whole
        # check adds, from the same baseline (the interpreter with awslint imported).
        parse_kb = int(parse["peak_kb"]) - int(parse["base_kb"])
        core_kb = int(core["peak_kb"]) - int(core["base_kb"])
        print(f"python {sys.version.split()[0]}, {size / 1e6:.1f} MB, {lines:,} lines, {core['found']} findings")
        print(f"ast.parse      cpu {parse['cpu']:7.2f} s   peak +{parse_kb / 1024:8.0f} MB (process {int(parse['peak_kb']) / 1024:.0f} MB)")
        print(f"check_source   cpu {core['cpu']:7.2f} s   peak +{core_kb / 1024:8.0f} MB (process {int(core['peak_kb']) / 1024:.0f} MB)")
        print(f"core/parse     cpu {float(core['cpu']) / float(parse['cpu']):7.2f}     peak {core_kb / parse_kb:8.2f}")
        if core["notices"]:
            print("notices:", "; ".join(map(str, core["notices"])))
        if args.snapshot:
            snap = run_child("snapshot", path, args.snapshot)
            print(
                f"tracemalloc: parse peak {int(snap['parse_peak']) / 1e6:.0f} MB, tree {int(snap['parsed']) / 1e6:.0f} MB,"
                f" tree + context after every family {int(snap['current']) / 1e6:.0f} MB"
            )
            for family, above in snap["families"].items():
                print(f"  {family:<12} peak {above / 1e6:8.1f} MB above what was held before it")
            for where, size_b, count in snap["top"]:
                print(f"  {size_b / 1e6:8.1f} MB {count:>9,} blocks  {where}")
    finally:
        if not args.keep and not args.file:
            os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
