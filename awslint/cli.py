"""The `awslint` command: check paths, report findings as text, JSON or SARIF, fix what is safe.

Exit status: 0 when clean, 1 when there are findings (or, with `--diff`, changes to make), 2 for
usage errors and for files that could not be read, decoded or parsed; such a file gets one line on
stderr and every other file is still checked and reported.
"""
from __future__ import annotations

import argparse
import ast
import io
import os
import sys
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TextIO

from awslint import baseline, output, sarif
from awslint.checker import check_tree
from awslint.config import Config, ConfigError, find_pyproject, load_pyproject, split_list
from awslint.rules import OPTIONS, RULES, RULES_BY_CODE
from awslint.walk import discover

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif")


class UsageError(Exception):
    """A mistake in how the command was called; reported on one line, exit status 2."""


def _option_dest(name: str) -> str:
    return "option_" + name.replace("-", "_")


def build_parser() -> argparse.ArgumentParser:
    from awslint import __version__

    parser = argparse.ArgumentParser(
        prog="awslint",
        description="Find resource leaks, unpaginated boto3 calls, mutable defaults and injection in Python code.",
        epilog="Exit status: 0 clean, 1 findings, 2 usage or I/O errors. `awslint --explain AWS301` shows a rule's page.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check (default: .); - reads stdin")
    parser.add_argument("--version", action="version", version=f"awslint {__version__}")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--select", metavar="CODES", help="code prefixes to report, e.g. AWS1,AWS301 (replaces the configuration's)")
    parser.add_argument("--ignore", metavar="CODES", help="code prefixes not to report (replaces the configuration's)")
    parser.add_argument("--extend-select", metavar="CODES", help="code prefixes to report in addition")
    parser.add_argument("--extend-ignore", metavar="CODES", help="code prefixes to leave out in addition")
    parser.add_argument("--exclude", metavar="GLOBS", help="more folder or file name patterns to skip, comma-separated")
    parser.add_argument("--config", metavar="PYPROJECT", help="read [tool.awslint] from this file instead of the nearest pyproject.toml")
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name to report for source read from stdin (-)")
    parser.add_argument("--explain", metavar="CODE", help="print the page of a rule (code or pylint symbol) and exit")
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    parser.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0")
    parser.add_argument("--fix", action="store_true", help="rewrite what has a safe fix (AWS301, AWS302, AWS103), then report the rest")
    parser.add_argument("--diff", action="store_true", help="with or without --fix: print the fixes as a diff and change nothing")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (errors still exit 2)")
    parser.add_argument(
        "--jobs", "-j", default="auto", metavar="N", help="check files in N processes (default: auto, one per CPU)"
    )
    group = parser.add_argument_group("rule options (comma-separated lists; replace the configuration's)")
    for option in OPTIONS:
        group.add_argument(f"--{option.name}", dest=_option_dest(option.name), metavar="NAMES", help=option.help)
    return parser


def _codes(value: str | None, flag: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    codes = tuple(c.upper() for c in split_list(value, flag))
    for code in codes:
        if code != "AWS" and not any(rule.code.startswith(code) for rule in RULES):
            raise UsageError(f"{flag}: {code} is not a code or prefix of one (see awslint --list-rules)")
    return codes


@dataclass
class Settings:
    """The command line's part of the configuration, laid over each file's [tool.awslint]."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    config_file: Path | None = None
    isolated: bool = False
    _by_folder: dict[Path, Path | None] = field(default_factory=dict)
    _by_file: dict[Path | None, Config] = field(default_factory=dict)

    def for_file(self, path: str) -> Config:
        """The configuration for `path`: its nearest pyproject.toml, then the command line."""
        if self.isolated:
            pyproject = None
        elif self.config_file is not None:
            pyproject = self.config_file
        else:
            folder = Path(os.path.abspath(path)).parent
            if folder not in self._by_folder:
                self._by_folder[folder] = find_pyproject(folder)
            pyproject = self._by_folder[folder]
        if pyproject not in self._by_file:
            base = load_pyproject(pyproject, {o.name for o in OPTIONS}) if pyproject else Config()
            options = dict(base.options)
            options.update(self.options)
            self._by_file[pyproject] = Config(
                select=(self.select if self.select is not None else base.select) + self.extend_select,
                ignore=(self.ignore if self.ignore is not None else base.ignore) + self.extend_ignore,
                options=options,
            )
        return self._by_file[pyproject]


def _settings(args: argparse.Namespace) -> Settings:
    options = {}
    for option in OPTIONS:
        value = getattr(args, _option_dest(option.name))
        if value is not None:
            options[option.name] = split_list(value, f"--{option.name}")
    config_file = Path(args.config) if args.config else None
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"--config: {config_file}: no such file")
    return Settings(
        select=_codes(args.select, "--select"),
        ignore=_codes(args.ignore, "--ignore"),
        extend_select=_codes(args.extend_select, "--extend-select") or (),
        extend_ignore=_codes(args.extend_ignore, "--extend-ignore") or (),
        options=options,
        config_file=config_file,
        isolated=args.isolated,
    )


class SourceError(Exception):
    """A file that cannot be read, decoded or parsed; the message is the reason, on one line."""


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of Python source bytes: a BOM or coding cookie if present, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # detect_encoding reads the first two lines as UTF-8 unless a cookie says otherwise; say where it fails.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise SourceError(f"cannot decode as utf-8: {bad.reason} at byte {bad.start}") from exc
        raise SourceError(f"cannot decode: {exc.msg}") from exc
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from exc
    except LookupError as exc:
        raise SourceError(f"cannot decode: unknown encoding {encoding}") from exc


def parse(text: str, path: str) -> ast.AST:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about the user's code are not ours to print
            return ast.parse(text, filename=path)
    except SyntaxError as exc:
        where = f" (line {exc.lineno}, column {exc.offset})" if exc.lineno else ""
        raise SourceError(f"cannot parse: {exc.msg}{where}") from exc
    except (ValueError, OverflowError) as exc:
        raise SourceError(f"cannot parse: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        raise SourceError("cannot parse: too deeply nested for the Python parser") from exc


def read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Task:
    """One file to check; `data` is set for standard input, which the main process reads."""

    path: str  # as shown to the user
    config: Config
    fix: bool
    diff: bool
    root: Path
    data: bytes | None = None


@dataclass(frozen=True)
class Outcome:
    """What checking one file produced (in a worker process when `--jobs` > 1)."""

    path: str
    results: tuple[output.Located, ...] = ()
    lines: tuple[str, ...] = ()
    error: str | None = None
    diff: str = ""
    fixed: tuple[tuple[str, int], ...] = ()
    fixed_text: str | None = None  # the whole fixed source, for `--fix -`


def check_file(task: Task) -> Outcome:
    """Read, decode, parse, fix (if asked) and check one file; never raises for the file's content."""
    from awslint.fix import fix_source, unified_diff

    try:
        data = task.data if task.data is not None else read(task.path)
        text, encoding = decode(data)
        tree = parse(text, task.path)
    except SourceError as exc:
        return Outcome(task.path, error=_one_line(str(exc)))
    diff, fixed_text = "", None
    fixed_counts: tuple[tuple[str, int], ...] = ()
    if task.fix or task.diff:
        fixed = fix_source(text, task.path, task.config)
        if fixed.text != text:
            fixed_counts = tuple(sorted(fixed.counts.items()))
            if task.diff:
                diff = unified_diff(text, fixed.text, task.path)
            else:
                if task.data is None:
                    try:
                        with open(task.path, "w", encoding=encoding, newline="") as handle:
                            handle.write(fixed.text)
                    except OSError as exc:
                        return Outcome(task.path, error=f"cannot write the fix: {exc.strerror or exc}")
                text, tree = fixed.text, parse(fixed.text, task.path)
        fixed_text = text if task.fix and not task.diff else None
    lines = text.splitlines()
    findings = check_tree(tree, lines, task.path, task.config)
    if not findings:
        return Outcome(task.path, diff=diff, fixed=fixed_counts, fixed_text=fixed_text)
    prints = baseline.fingerprints(baseline.relative(task.path, task.root), lines, findings)
    results = tuple(output.locate(task.path, lines, f, fp) for f, fp in zip(findings, prints))
    return Outcome(task.path, results, tuple(lines), None, diff, fixed_counts, fixed_text)


# Below this many files a worker pool costs more to start than it saves.
_POOL_THRESHOLD = 24


def check_all(tasks: Sequence[Task], jobs: int) -> list[Outcome]:
    """Outcomes in the order of `tasks`; in `jobs` processes when there is enough work."""
    if jobs > 1 and len(tasks) >= _POOL_THRESHOLD and not any(t.fix and not t.diff for t in tasks):
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                return list(pool.map(check_file, tasks, chunksize=max(1, len(tasks) // (jobs * 8))))
        except (OSError, BrokenProcessPool, ImportError):
            pass  # no processes here (a sandbox, a frozen interpreter): check in this one instead
    return [check_file(task) for task in tasks]


@dataclass
class Run:
    """What one invocation found, in the order the files were given."""

    results: list[output.Located] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    fixed: dict[str, int] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)  # each reported file's lines, for fingerprints


def _explain(code: str, stdout: TextIO) -> int:
    from awslint.docs import render

    wanted = code.strip()
    rule = RULES_BY_CODE.get(wanted.upper()) or next((r for r in RULES if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"--explain: no rule {code!r} (see awslint --list-rules)")
    stdout.write(render(rule))
    return EXIT_CLEAN


def _list_rules(stdout: TextIO) -> int:
    for rule in RULES:
        state = "on " if rule.default_enabled else "off"
        stdout.write(f"{rule.code}  {state}  {rule.name:<36} {rule.title}\n")
    return EXIT_CLEAN


def _by_file(run: Run) -> dict[str, list[output.Located]]:
    by_file: dict[str, list[output.Located]] = {}
    for r in run.results:
        by_file.setdefault(r.path, []).append(r)
    return by_file


def _baseline_prints(run: Run, path: Path) -> list[tuple[output.Located, str, str]]:
    """(result, fingerprint, file) with files relative to the baseline's folder, so the baseline
    matches whichever folder the command runs from."""
    folder = path.resolve().parent
    out: list[tuple[output.Located, str, str]] = []
    for shown, results in _by_file(run).items():
        relpath = baseline.relative(shown, folder)
        prints = baseline.fingerprints(relpath, run.lines.get(shown, []), [r.finding for r in results])
        out.extend((r, fp, relpath) for r, fp in zip(results, prints))
    return out


def _check_paths(
    args: argparse.Namespace,
    settings: Settings,
    paths: Sequence[str],
    exclude: Sequence[str],
    jobs: int,
    stdout: TextIO,
    stderr: TextIO,
) -> Run:
    """Check every file under `paths`; errors go to stderr as they are met, in the order of the files."""
    root = Path.cwd()
    tasks: list[Task | tuple[str, str]] = []
    for target in discover(paths, exclude):
        if target.error is not None:
            tasks.append((target.path, target.error))
        elif target.path == "-":
            shown = args.stdin_filename or "stdin"
            config = settings.for_file(os.path.join(os.getcwd(), shown))
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
            tasks.append(Task(shown, config, args.fix, args.diff, root, data))
        else:
            tasks.append(Task(target.path, settings.for_file(target.path), args.fix, args.diff, root))
    run = Run()
    checked = iter(check_all([t for t in tasks if isinstance(t, Task)], jobs))
    for task in tasks:
        outcome = next(checked) if isinstance(task, Task) else Outcome(task[0], error=task[1])
        if outcome.error is not None:
            run.errors.append((outcome.path, outcome.error))
            print(f"{outcome.path}: error: {outcome.error}", file=stderr)
            continue
        for code, count in outcome.fixed:
            run.fixed[code] = run.fixed.get(code, 0) + count
        if outcome.diff:
            run.diffs.append(outcome.diff)
        if outcome.fixed_text is not None and isinstance(task, Task) and task.data is not None:
            stdout.write(outcome.fixed_text)
        if outcome.results:
            run.lines[outcome.path] = list(outcome.lines)
            run.results.extend(outcome.results)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        return _main(args, stdout, stderr)
    except (UsageError, ConfigError, baseline.BaselineError) as exc:
        print(f"awslint: error: {_one_line(str(exc))}", file=stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # `awslint . | head`: the reader left; stop quietly, as other command-line tools do.
        try:
            sys.stdout = open(os.devnull, "w")  # keep the interpreter's final flush from failing again
        except OSError:
            pass
        return EXIT_FINDINGS


def _main(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if args.explain:
        return _explain(args.explain, stdout)
    if args.list_rules:
        return _list_rules(stdout)
    settings = _settings(args)
    paths = args.paths or ["."]
    if paths.count("-") > 1:
        raise UsageError("- (stdin) may be given once")
    if args.baseline and args.write_baseline:
        raise UsageError("--baseline and --write-baseline cannot be combined")
    if "-" in paths and args.fix and not args.diff and args.format != "text":
        raise UsageError("--fix on stdin prints the fixed source; it takes no --format")
    exclude = split_list(args.exclude, "--exclude") if args.exclude else ()
    baseline_file = Path(args.baseline) if args.baseline else None
    accepted = baseline.read(baseline_file) if baseline_file else None

    jobs = _jobs(args.jobs)
    fix_to_stdout = "-" in paths and args.fix and not args.diff
    run = _check_paths(args, settings, paths, exclude, jobs, stdout, stderr)
    results = run.results

    if args.write_baseline:
        path = Path(args.write_baseline)
        entries = [
            baseline.Entry(fp, r.code, relpath, r.line, r.finding.message)
            for r, fp, relpath in _baseline_prints(run, path)
        ]
        try:
            baseline.write(path, entries)
        except OSError as exc:
            raise UsageError(f"--write-baseline: {path}: {exc.strerror or exc}") from exc
        print(f"awslint: recorded {len(entries)} finding(s) in {path}", file=stderr)
        return EXIT_ERROR if run.errors else EXIT_CLEAN
    if baseline_file is not None and accepted is not None:
        new = {id(r) for r, fp, _ in _baseline_prints(run, baseline_file) if fp not in accepted}
        results = [r for r in results if id(r) in new]

    if args.diff:
        stdout.write("".join(run.diffs))
        if run.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if run.diffs and not args.exit_zero else EXIT_CLEAN
    if args.fix and run.fixed:
        total = sum(run.fixed.values())
        detail = ", ".join(f"{code} x{n}" for code, n in sorted(run.fixed.items()))
        print(f"awslint: fixed {total} finding(s) ({detail})", file=stderr)

    report = _render(args.format, results, run)
    if args.output:
        try:
            Path(args.output).write_text(report, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output: {args.output}: {exc.strerror or exc}") from exc
    else:
        (stderr if fix_to_stdout else stdout).write(report)
    if run.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if results and not args.exit_zero else EXIT_CLEAN


def _jobs(value: str) -> int:
    if value == "auto":
        return os.cpu_count() or 1
    try:
        jobs = int(value)
    except ValueError:
        raise UsageError(f"--jobs: expected a number or auto, got {value!r}") from None
    if jobs < 1:
        raise UsageError(f"--jobs: expected at least 1, got {jobs}")
    return jobs


def _render(fmt: str, results: Sequence[output.Located], run: Run) -> str:
    if fmt == "json":
        return output.as_json(results)
    if fmt == "sarif":
        from awslint import __version__

        root = Path.cwd()
        uris = {r.path: sarif.uri_for(baseline.relative(r.path, root)) for r in results}
        uris.update({path: sarif.uri_for(baseline.relative(path, root)) for path, _ in run.errors if path != "-"})
        return sarif.dumps(sarif.log(results, uris, root, run.errors, __version__))
    return output.text(results)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
