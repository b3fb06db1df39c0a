"""Time flake8 with awslint installed against the same flake8 without it, over the same files.

    python benchmarks/bench_flake8.py [--limit N] [--repeat R] [--jobs J] [--select CODES]

The comparison is the same flake8 command line (`python -m flake8 --isolated --jobs J --select
E,F,W,C90,AWS FILE...` over the standard library's top-level modules, as benchmarks/bench_stdlib.py
reads them), run by the same interpreter on the same installed files, once where the awslint plugin
is installed and once where it is not:

- two throwaway virtual environments are made from the running interpreter's base Python (no pip,
  no network). Each puts one folder on its path with `site.addsitedir`; that folder holds a symbolic
  link to every entry of the running environment's site-packages (flake8, pycodestyle, pyflakes,
  mccabe and everything else, the very same files), so both start the same way and import the same
  code. The only difference: the environment "without" leaves out awslint's own entries (its
  `*.dist-info`, which declares the `flake8.extension` entry point, and the editable install's
  `.pth` and finder), so flake8 finds no awslint plugin there, exactly as if it were not installed.
- `--select` names the AWS codes in both runs: flake8 then runs every awslint rule that is on by
  default where the plugin is installed, and nothing changes where it is not.
- both write and read bytecode (PYTHONDONTWRITEBYTECODE is dropped for the runs, and the `--version`
  check before them compiles what is stale), as an installed package does: otherwise the side with the
  plugin would compile awslint's modules on every run.
- `--isolated` keeps both runs from reading any configuration file, and both run in an empty
  temporary folder (no pyproject.toml for the plugin to read).

Each run's CPU time is the user+system time of the flake8 process and its workers (`getrusage` of
the children), so the figure holds on a machine busy with other work; wall time is printed too. The
two variants alternate, R times each, and the best run of each is kept. The ratio with/without is
the issue's "flake8 with awslint <= 1.05 x flake8 alone". `--jobs 1` (the default) measures one
process; flake8's default `auto` forks workers and adds their start-up to both sides alike.

`--share` instead runs flake8 once in this process with the plugin's `run` timed, and prints the
plugin's share of the run's CPU time: the part of the ratio that is ours, without the drift of a
shared machine between two runs (which can be larger than that share).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_stdlib import corpus  # noqa: E402

# What makes awslint an installed distribution: its metadata (the entry points) and the editable
# install's hook. Everything else of the environment is shared by both sides.
_OURS = ("awslint-", "__editable__.awslint-", "__editable___awslint_")


def _is_ours(name: str) -> bool:
    return name.startswith(_OURS)


def _environment(root: Path, site_packages: Path, with_plugin: bool) -> Path:
    """A virtual environment whose path holds links to `site_packages`' entries; its python."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(root)], check=True)
    shadow = root / "shared"
    shadow.mkdir()
    for entry in sorted(site_packages.iterdir()):
        if entry.name == "__pycache__" or (_is_ours(entry.name) and not with_plugin):
            continue
        (shadow / entry.name).symlink_to(entry)
    own_site = Path(
        subprocess.run(
            [str(root / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )
    # addsitedir, not a plain path line: the linked folder's own .pth files run as they do at home.
    (own_site / "zz_shared.pth").write_text(f"import site; site.addsitedir({str(shadow)!r})\n")
    return root / "bin" / "python"


def _child_env() -> dict[str, str]:
    """The environment of the flake8 runs: bytecode is written and read, as it is for an installed
    package (pip compiles on install); with PYTHONDONTWRITEBYTECODE set, every run of the side with the
    plugin would compile awslint's modules afresh, a cost no user pays."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(python: Path, argv: list[str], cwd: str) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(python), "-m", "flake8", *argv], cwd=cwd, capture_output=True, text=True, env=_child_env()
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"flake8 failed ({proc.returncode}): {proc.stderr.strip()[:2000]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="only the first N files")
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs of each variant (default 3)")
    ap.add_argument("--jobs", default="1", help="flake8 --jobs (default 1)")
    ap.add_argument("--select", default="E,F,W,C90,AWS", help="flake8 --select, the same for both variants")
    ap.add_argument("--share", action="store_true", help="only the plugin's share of one flake8 run in this process")
    args = ap.parse_args()
    files = [name for name, _ in corpus(args.limit)]
    if args.share:
        return _share(files, args.select)
    lines = sum(Path(name).read_text(encoding="utf-8").count("\n") + 1 for name in files)
    site_packages = Path(sysconfig.get_paths()["purelib"])
    if not any(_is_ours(entry.name) for entry in site_packages.iterdir()):
        raise SystemExit(f"awslint is not installed in {site_packages}: nothing to compare")
    argv = ["--isolated", "--jobs", args.jobs, "--select", args.select, *files]
    work = Path(tempfile.mkdtemp(prefix="bench_flake8-"))
    try:
        pythons = {
            "with": _environment(work / "with", site_packages, True),
            "without": _environment(work / "without", site_packages, False),
        }
        empty = work / "cwd"
        empty.mkdir()
        for variant, python in pythons.items():
            version = subprocess.run(
                [str(python), "-m", "flake8", "--version"], cwd=empty, capture_output=True, text=True,
                env=_child_env(),
            ).stdout
            if ("awslint" in version) != (variant == "with"):
                raise SystemExit(f"the environment {variant!r} is not what it claims: flake8 --version says {version!r}")
        best = {variant: (float("inf"), float("inf")) for variant in pythons}
        reported: dict[str, int] = {}
        for _ in range(args.repeat):
            for variant, python in pythons.items():
                cpu, wall, out = _run(python, argv, str(empty))
                best[variant] = (min(best[variant][0], cpu), min(best[variant][1], wall))
                reported[variant] = sum(1 for line in out.splitlines() if " AWS" in line)
        if reported["without"]:
            raise SystemExit(f"AWS findings without the plugin: {reported}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (cpu_with, wall_with), (cpu_without, wall_without) = best["with"], best["without"]
    print(f"python {sys.version.split()[0]}, {len(files)} files, {lines} lines, flake8 --jobs {args.jobs} "
          f"--select {args.select}, best of {args.repeat}; {reported['with']} AWS findings")
    print(f"flake8 without awslint  {cpu_without:8.2f} s CPU  {wall_without:8.2f} s wall")
    print(f"flake8 with awslint     {cpu_with:8.2f} s CPU  {wall_with:8.2f} s wall")
    print(f"with/without = {cpu_with / cpu_without:.3f} (CPU)  {wall_with / wall_without:.3f} (wall)")
    return 0


def _share(files: list[str], select: str) -> int:
    import time
    from collections.abc import Iterator
    from typing import Any

    import flake8_awslint
    from flake8.main.application import Application

    spent = [0.0]
    run = flake8_awslint.Plugin.run

    def timed(self: flake8_awslint.Plugin) -> Iterator[Any]:
        start = time.process_time()
        found = list(run(self))
        spent[0] += time.process_time() - start
        return iter(found)

    flake8_awslint.Plugin.run = timed  # type: ignore[method-assign]
    start = time.process_time()
    Application().run(["--isolated", "--jobs", "1", "--select", select, "--exit-zero", "--output-file", os.devnull,
                       *files])
    total = time.process_time() - start
    print(f"python {sys.version.split()[0]}, {len(files)} files, flake8 --jobs 1 --select {select}, in this process")
    print(f"flake8 {total:.2f} s CPU, of which the awslint plugin {spent[0]:.2f} s = {100 * spent[0] / total:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
