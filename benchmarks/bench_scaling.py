"""How the analyses grow with the size of one function: time and findings per N.

    python benchmarks/bench_scaling.py [--sizes 100,1000,5000,20000] [--timeout 60] [--pattern NAME ...]

Each pattern is generated at each size and checked by `check_source` with every rule selected, in a
child process with a time limit, so that a pattern that grows too fast shows as a timeout instead of
stopping the benchmark. The target: time grows no faster than N log N, the largest case of every
pattern finishes in under 5 s, and the findings grow with N (none lost to size).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Callable


def sequential_opens(n: int) -> str:
    return "def run(path):\n" + "".join(f"    f = open(path + '{i}')\n    f.read()\n" for i in range(n))


def distinct_opens_closed(n: int) -> str:
    opens = "".join(f"    f{i} = open(path + '{i}')\n" for i in range(n))
    closes = "".join(f"    f{i}.close()\n" for i in range(n))
    return "def run(path):\n" + opens + "    work()\n" + closes


def with_blocks(n: int) -> str:
    return "def run(path):\n" + "".join(f"    with open(path + '{i}') as f:\n        f.read()\n" for i in range(n)) + (
        "    g = open(path)\n    return g.read()\n"
    )


def scan_calls(n: int) -> str:
    body = "".join(f"    out.append(client.scan(TableName='t{i}')['Items'])\n" for i in range(n))
    return "import boto3\n\ndef run():\n    client = boto3.client('dynamodb')\n    out = []\n" + body + "    return out\n"


def taint_chain(n: int) -> str:
    parts = ["import os\nimport sys\n\n", "def f0(x):\n    os.system(x)\n\n"]
    parts += [f"def f{i}(x):\n    f{i - 1}(x)\n\n" for i in range(1, n)]
    parts.append(f"def main():\n    f{n - 1}(sys.argv[1])\n")
    return "".join(parts)


def ifs_between_open_and_return(n: int) -> str:
    blocks = "".join(f"    if opts.o{i}:\n        log('{i}')\n" for i in range(n))
    return "def run(path, opts):\n    fh = open(path)\n" + blocks + "    return fh.read()\n"


def elif_chain(n: int) -> str:
    branches = "".join(f"    {'if' if i == 0 else 'elif'} kind == {i}:\n        log({i})\n" for i in range(n))
    return "def run(path, kind):\n    fh = open(path)\n" + branches + "    data = fh.read()\n    fh.close()\n    return data\n"


def try_blocks(n: int) -> str:
    blocks = "".join(f"    try:\n        step{i % 10}()\n    except ValueError:\n        pass\n" for i in range(n))
    return "def run(path):\n    fh = open(path)\n" + blocks + "    fh.close()\n"


def straight_calls(n: int) -> str:
    return "def run(path):\n    fh = open(path)\n" + "".join(f"    step{i % 10}()\n" for i in range(n)) + "    fh.close()\n"


def tainting_ifs(n: int) -> str:
    blocks = "".join(f"    if sys.argv[{i % 5}]:\n        cmd = cmd + sys.argv[{i % 5}]\n" for i in range(n))
    return "import os\nimport sys\n\ndef run():\n    cmd = 'ls '\n" + blocks + "    os.system(cmd)\n"


def swallowing_handlers(n: int) -> str:
    # AWS501 asks of each handler what follows it and which loop holds it
    return "import json\ndef run(texts):\n" + "".join(
        f"    try:\n        json.loads(texts[{i}])\n    except Exception:\n        pass\n" for i in range(n))


def piped_processes(n: int) -> str:
    # AWS106 follows each process's streams through the function
    return "import subprocess\ndef run(cmd):\n" + "".join(
        f"    p{i} = subprocess.Popen(cmd, stdout=subprocess.PIPE)\n    p{i}.wait()\n" for i in range(n))


def guarded_handlers(n: int) -> str:
    # AWS501 asks of each handler whether `job.run()` runs a method that catches everything itself
    head = ("import logging\nLOG = logging.getLogger(__name__)\n\nclass Job:\n    def run(self):\n        try:\n"
            "            self.work()\n        except Exception as exc:\n            LOG.debug('%s', exc)\n\n"
            "class Scheduler:\n    def loop(self):\n")
    return head + "".join(
        "        for job in list(self.jobs):\n            try:\n                job.run()\n"
        "            except Exception:\n                pass\n" for _ in range(n))


PATTERNS: dict[str, Callable[[int], str]] = {
    "sequential-opens": sequential_opens,
    "distinct-opens-closed": distinct_opens_closed,
    "with-blocks": with_blocks,
    "scan-calls": scan_calls,
    "taint-chain": taint_chain,
    "ifs-open-return": ifs_between_open_and_return,
    "elif-chain": elif_chain,
    "try-blocks": try_blocks,
    "straight-calls": straight_calls,
    "tainting-ifs": tainting_ifs,
    "swallowing-handlers": swallowing_handlers,
    "piped-processes": piped_processes,
    "guarded-handlers": guarded_handlers,
}

_CHILD = """
import json, sys, time
sys.setrecursionlimit(10000)
from awslint import Config, analyse_source
text = sys.stdin.read()
try:
    compile(text, "generated.py", "exec", 0x400)  # ast.PyCF_ONLY_AST
except (SyntaxError, RecursionError, MemoryError) as exc:
    # Python's own parser refuses it (a 20,000-branch elif chain nests too deeply): the command says
    # "cannot parse" and exits 2; there is nothing to analyse.
    print(json.dumps({"seconds": 0.0, "codes": {"not parsed by Python": type(exc).__name__}, "notices": 0}))
    raise SystemExit(0)
start = time.process_time()
result = analyse_source(text, "generated.py", Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5")))
elapsed = time.process_time() - start
codes = {}
for f in result.findings:
    codes[f.code] = codes.get(f.code, 0) + 1
print(json.dumps({"seconds": elapsed, "codes": codes, "notices": len(result.notices)}))
"""


def measure(text: str, timeout: float) -> dict[str, object]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD], input=text, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "codes": {}, "notices": 0}
    if done.returncode != 0:
        return {"seconds": None, "codes": {"error": done.stderr.strip().splitlines()[-1:]}, "notices": 0}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000,20000")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--pattern", action="append", choices=sorted(PATTERNS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'pattern':24} {'N':>6} {'seconds':>8}  findings")
    for name in args.pattern or list(PATTERNS):
        for n in sizes:
            result = measure(PATTERNS[name](n), args.timeout)
            seconds = result["seconds"]
            shown = f"{seconds:8.2f}" if isinstance(seconds, float) else f">{args.timeout:7.0f}"
            print(f"{name:24} {n:6} {shown}  {result['codes']} notices={result['notices']}", flush=True)


if __name__ == "__main__":
    main()
