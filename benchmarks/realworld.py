"""Run awslint over pinned, AWS-heavy open-source packages and sample its findings for reading.

    python benchmarks/realworld.py [--cache DIR] [--sample N] [--seed S] [--code AWS201 ...] [--package NAME ...]

Downloads each package with `pip download --no-deps` (sdists where they carry their tests, wheels
otherwise) into the cache folder, unpacks it, runs every rule over it in this process and prints,
per code, the findings in test code and in the rest. `--sample N` then prints N findings per code,
drawn with a fixed seed, each with the lines around it, for a person to judge. This is a benchmark:
it needs the network the first time, and no test runs it.
"""
from __future__ import annotations

import argparse
import collections
import random
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from awslint import Config, check_source
from awslint.analysis.testcode import is_test_file

# (distribution, version, "sdist" to get the tests where the sdist has them, else "wheel")
PACKAGES: tuple[tuple[str, str, str], ...] = (
    ("c7n", "0.9.43", "wheel"),
    ("chalice", "1.34.0", "sdist"),
    ("awswrangler", "3.17.1", "wheel"),
    ("apache-airflow-providers-amazon", "9.39.0", "wheel"),
    ("aws-lambda-powertools", "3.37.0", "wheel"),
    ("prowler", "5.46.0", "wheel"),
    ("zappa", "0.63.0", "wheel"),
    ("pynamodb", "6.1.0", "sdist"),
    ("s3fs", "2026.9.0", "wheel"),
    ("aiobotocore", "3.10.0", "wheel"),
    ("sceptre", "4.7.0", "wheel"),
    ("moto", "5.2.5", "wheel"),
    ("aws-sam-cli", "1.170.0", "wheel"),
    ("cfn-lint", "1.58.0", "wheel"),
    # Added in the fourth round, read by nobody here before they were scanned: a second sample of code
    # the rules were not tuned on.
    ("localstack-core", "2026.3.0", "wheel"),
    ("sagemaker", "2.232.0", "wheel"),
    ("sagemaker-core", "2.27.0", "wheel"),
    ("awscli", "1.46.3", "wheel"),
    ("dagster-aws", "0.29.27", "wheel"),
    ("aws-xray-sdk", "2.15.0", "wheel"),
    ("smart-open", "9.0.4", "wheel"),
    ("s3transfer", "0.19.3", "wheel"),
    ("mangum", "0.22.0", "wheel"),
    ("aws-parallelcluster-node", "3.16.1", "wheel"),
    # Added in the fifth round, again read by nobody here before they were scanned.
    ("pyathena", "4.2.1", "wheel"),
    ("taskcat", "0.9.58", "wheel"),
    ("luigi", "3.8.1", "wheel"),
    ("aws-lambda-builders", "1.68.0", "wheel"),
    ("ecs-deploy", "1.17.0", "wheel"),
    ("cloudpathlib", "0.26.0", "wheel"),
    ("aws-encryption-sdk", "4.0.7", "wheel"),
    ("runway", "2.8.4", "wheel"),
    ("aws-embedded-metrics", "3.5.0", "wheel"),
    # Added in the sixth round, read by nobody here before they were scanned.
    ("scoutsuite", "5.14.0", "wheel"),
    ("awsebcli", "3.27.5", "sdist"),
    ("kombu", "5.7.0", "wheel"),
    ("s3cmd", "2.4.0", "wheel"),
    ("cloudsplaining", "0.9.1", "wheel"),
    ("aws-sso-util", "4.33.0", "wheel"),
    ("amazon-braket-sdk", "1.127.5", "wheel"),
    ("dvc-s3", "3.3.0", "wheel"),
    ("awsume", "4.5.4", "wheel"),
    ("stacker", "1.7.2", "sdist"),
)
EVERY_RULE = Config(select=("AWS1", "AWS2", "AWS3", "AWS4", "AWS5"))


def fetch(cache: Path) -> list[Path]:
    """Each package unpacked under `cache/src/<name>`; downloads only what is missing."""
    roots = []
    for name, version, kind in PACKAGES:
        target = cache / "src" / f"{name}-{version}"
        roots.append(target)
        if target.is_dir():
            continue
        download = cache / "dl" / f"{name}-{version}"
        download.mkdir(parents=True, exist_ok=True)
        flags = ["--no-binary", ":all:"] if kind == "sdist" else ["--only-binary", ":all:"]
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", *flags, "-d", str(download),
             f"{name}=={version}"],
            check=True,
        )
        archive = next(p for p in sorted(download.iterdir()) if p.is_file())
        target.mkdir(parents=True)
        if archive.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(archive) as bundle:
                bundle.extractall(target)
        else:
            with tarfile.open(archive) as bundle:
                bundle.extractall(target, filter="data")
    return roots


def run(roots: list[Path], codes: set[str]) -> list[tuple[str, int, str, str, bool]]:
    out = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            relative = path.relative_to(root)
            # Judged below the package's own folder, as a checkout of the project would be.
            test = is_test_file(str(relative))
            for finding in check_source(text, str(path), EVERY_RULE):
                if not codes or finding.code in codes:
                    out.append((str(path), finding.line, finding.code, finding.message, test))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(".realworld"))
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--code", action="append", default=[])
    parser.add_argument("--package", action="append", default=[],
                        help="only this distribution (repeatable): to read a new batch on its own")
    args = parser.parse_args()
    roots = fetch(args.cache)
    if args.package:
        roots = [root for root in roots if root.name.rsplit("-", 1)[0] in args.package]
    found = run(roots, set(args.code))
    table: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for _, _, code, _, test in found:
        table[code][1 if test else 0] += 1
    files = sum(1 for root in roots for _ in root.rglob("*.py"))
    print(f"{len(roots)} packages, {files} files")
    print(f"{'code':8} {'product':>8} {'tests':>8}")
    for code in sorted(table):
        print(f"{code:8} {table[code][0]:8} {table[code][1]:8}")
    if args.sample:
        rng = random.Random(args.seed)
        by_code: dict[str, list[tuple[str, int, str, str, bool]]] = collections.defaultdict(list)
        for item in found:
            if not item[4]:
                by_code[item[2]].append(item)
        for code in sorted(by_code):
            items = by_code[code]
            picked = rng.sample(items, min(args.sample, len(items)))
            for path, line, _, message, _ in sorted(picked):
                lines = Path(path).read_text(encoding="utf-8").splitlines()
                print(f"\n=== {code} {path}:{line}\n{message}")
                for number in range(max(1, line - 6), min(len(lines), line + 6) + 1):
                    print(f"{'>' if number == line else ' '}{number:5} {lines[number - 1]}")


if __name__ == "__main__":
    main()
