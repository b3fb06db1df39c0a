"""The `awslint` command: check paths, report findings as text, JSON, SARIF or GitHub annotations, fix
what is safe.

Exit status: 0 when clean, 1 when there are findings (or, with `--diff`, changes to make), 2 for
usage errors and for files that could not be read, decoded or parsed; such a file gets one line on
stderr and every other file is still checked and reported. `--exit-zero` makes both 0 (a usage
error stays 2). Findings are printed file by file as the files are checked, in path order.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence, TextIO

from awslint import baseline, cache, output, sarif, suppress
from awslint.checker import analyse_tree
from awslint.config import (
    Config,
    ConfigError,
    Project,
    find_pyproject,
    load_pyproject,
    split_list,
    validate_codes,
    validate_globs,
    validate_option,
)
from awslint.notice import Notice
from awslint.output import Located, Problem
from awslint.rules import OPTIONS, RULES, RULES_BY_CODE
from awslint.source import SourceError, decode, one_line, parse, printable, read, split_lines
from awslint.walk import discover

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")
_one_line = one_line  # kept for callers of the old name


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
    parser.add_argument("--extend-select", metavar="CODES", help="code prefixes to report in addition to the configured or default ones")
    parser.add_argument("--extend-ignore", metavar="CODES", help="code prefixes to leave out in addition")
    parser.add_argument("--exclude", metavar="GLOBS", help="folder or file name patterns to skip, besides the built-in ones (replaces the configuration's)")
    parser.add_argument("--extend-exclude", metavar="GLOBS", help="more patterns to skip, in addition")
    parser.add_argument(
        "--no-respect-gitignore", dest="respect_gitignore", action="store_false",
        help="check files .gitignore leaves out, too",
    )
    parser.add_argument("--config", metavar="PYPROJECT", help="read [tool.awslint] from this file instead of the nearest pyproject.toml")
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    parser.add_argument(
        "--stdin-filename", "--stdin-display-name", dest="stdin_filename", metavar="NAME",
        help="the name to report for source read from stdin (-)",
    )
    parser.add_argument("--explain", metavar="CODE", help="print the page of a rule (code or pylint symbol) and exit")
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    parser.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0")
    parser.add_argument("--fix", action="store_true", help="rewrite what has a safe fix (AWS301, AWS302, AWS103), then report the rest")
    parser.add_argument("--diff", action="store_true", help="with or without --fix: print the fixes as a diff and change nothing")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 whatever was found, even files that do not parse")
    parser.add_argument("--warn-unused-noqa", action="store_true", help="report `# noqa: AWS...` comments that silence nothing (AWS000)")
    parser.add_argument("--statistics", action="store_true", help="count the findings of each code at the end")
    parser.add_argument("--show-source", action="store_true", help="show the flagged line under each finding")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the text report (default: auto: on a terminal, unless NO_COLOR is set)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress line and no closing summary")
    parser.add_argument("--verbose", "-v", action="store_true", help="say what an analysis gave up on (a function too large, a file too long)")
    parser.add_argument("--no-cache", dest="use_cache", action="store_false", help="check every file again instead of reusing the results in .awslint_cache/")
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
    try:
        return validate_codes(split_list(value, flag), flag)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


@dataclass
class Settings:
    """The command line's part of the configuration, laid over each file's [tool.awslint]."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    config_file: Path | None = None
    isolated: bool = False
    _by_folder: dict[Path, Path | None] = field(default_factory=dict)
    _projects: dict[Path | None, Project] = field(default_factory=dict)
    _configs: dict[tuple[Path | None, tuple[str, ...]], Config] = field(default_factory=dict)

    def pyproject_for(self, path: str) -> Path | None:
        if self.isolated:
            return None
        if self.config_file is not None:
            return self.config_file
        absolute = Path(os.path.abspath(path))
        folder = absolute if absolute.is_dir() else absolute.parent
        if folder not in self._by_folder:
            self._by_folder[folder] = find_pyproject(folder)
        return self._by_folder[folder]

    def project(self, pyproject: Path | None) -> Project:
        if pyproject not in self._projects:
            self._projects[pyproject] = load_pyproject(pyproject, OPTIONS) if pyproject else Project()
        return self._projects[pyproject]

    def exclude_for(self, folder: str) -> tuple[str, ...]:
        """The patterns to skip under `folder`: the command line's, and its configuration's."""
        project = self.project(self.pyproject_for(folder))
        root = project.root.resolve().as_posix() if project.root else None

        def anchored(patterns: Sequence[str]) -> list[str]:
            # a configured pattern with a folder in it is relative to the pyproject.toml that sets it
            out = []
            for p in patterns:
                p = p.rstrip("/")
                out.append(f"{root}/{p.lstrip('./')}" if root and "/" in p and not p.startswith(("*", "/")) else p)
            return out

        configured = () if self.exclude is not None else (project.exclude or ())
        return (*(self.exclude or ()), *anchored(configured), *anchored(project.extend_exclude), *self.extend_exclude)

    def for_file(self, path: str) -> Config:
        """The configuration for `path`: its nearest pyproject.toml, then the command line."""
        pyproject = self.pyproject_for(path)
        base = self.project(pyproject)
        per_file: tuple[str, ...] = ()
        if base.per_file_ignores and base.root is not None:
            per_file = base.ignored_for(baseline.relative(path, base.root))
        key = (pyproject, per_file)
        if key not in self._configs:
            options = dict(base.options)
            options.update(self.options)
            select = self.select if self.select is not None else base.select
            extend = (*base.extend_select, *self.extend_select)
            if select is None:
                # --extend-select adds to the defaults: `AWS` keeps every default-on rule
                select = ("AWS",) if extend else ()
            ignore = self.ignore if self.ignore is not None else (base.ignore or ())
            self._configs[key] = Config(
                select=(*select, *extend),
                ignore=(*ignore, *base.extend_ignore, *self.extend_ignore, *per_file),
                options=options,
            )
        return self._configs[key]


def _settings(args: argparse.Namespace) -> Settings:
    options = {}
    for option in OPTIONS:
        value = getattr(args, _option_dest(option.name))
        if value is not None:
            flag = f"--{option.name}"
            options[option.name] = validate_option(option, split_list(value, flag), flag)
    config_file = Path(args.config) if args.config else None
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"--config: {config_file}: no such file")
    exclude = validate_globs(split_list(args.exclude, "--exclude"), "--exclude") if args.exclude else None
    extend_exclude = split_list(args.extend_exclude, "--extend-exclude") if args.extend_exclude else ()
    return Settings(
        select=_codes(args.select, "--select"),
        ignore=_codes(args.ignore, "--ignore"),
        extend_select=_codes(args.extend_select, "--extend-select") or (),
        extend_ignore=_codes(args.extend_ignore, "--extend-ignore") or (),
        exclude=exclude,
        extend_exclude=extend_exclude,
        options=options,
        config_file=config_file,
        isolated=args.isolated,
    )


@dataclass(frozen=True)
class Task:
    """One file to check; `data` is set for standard input, which the main process reads."""

    path: str  # as shown to the user
    config: Config
    fix: bool
    diff: bool
    root: Path
    data: bytes | None = None
    stdin: bool = False
    origin: str = ""  # the path named on the command line that led here
    cache_dir: str | None = None
    warn_unused: bool = False


@dataclass(frozen=True)
class Outcome:
    """What checking one file produced (in a worker process when `--jobs` > 1)."""

    path: str
    results: tuple[Located, ...] = ()
    lines: tuple[str, ...] = ()
    error: Problem | None = None
    diff: str = ""
    fixed: tuple[tuple[str, int], ...] = ()
    fixed_text: str | None = None  # the whole fixed source, for `--fix -`
    suppressed: tuple[Located, ...] = ()
    notices: tuple[Notice, ...] = ()

    def to_cache(self) -> dict[str, Any]:
        error = None if self.error is None else [self.error.message, self.error.line, self.error.column]
        return {
            "results": [r.to_dict() for r in self.results],
            "suppressed": [r.to_dict() for r in self.suppressed],
            "error": error,
            "notices": [[n.line, n.family, n.reason] for n in self.notices],
        }


def _is_notebook(path: str) -> bool:
    return path.lower().endswith(".ipynb")


def _code_of(task: Task, data: bytes) -> tuple[str, str, Any]:
    """(the Python text, its encoding, the notebook or None)."""
    if _is_notebook(task.path):
        from awslint import notebook

        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(f"cannot decode as utf-8: {exc.reason} at byte {exc.start}") from exc
        nb = notebook.read(raw)
        return nb.source, "utf-8", nb
    text, encoding = decode(data)
    return text, encoding, None


def _from_cache(task: Task, data: bytes, entry: dict[str, Any]) -> Outcome | None:
    try:
        results = tuple(Located.from_dict(task.path, d) for d in entry["results"])
        suppressed = tuple(Located.from_dict(task.path, d) for d in entry["suppressed"])
        error = entry["error"]
        problem = None if error is None else Problem(task.path, error[0], error[1], error[2])
        notices = tuple(Notice(int(n[0]), str(n[1]), str(n[2])) for n in entry["notices"])
    except (KeyError, TypeError, ValueError):
        return None
    lines: tuple[str, ...] = ()
    if results:
        from awslint.notebook import NotPython

        try:
            lines = tuple(split_lines(_code_of(task, data)[0]))  # for fingerprints against a baseline
        except (SourceError, NotPython):
            return None
    return Outcome(task.path, results, lines, problem, suppressed=suppressed, notices=notices)


def _cache_key(task: Task, data: bytes) -> str:
    return cache.key(data, task.config.key(), task.path, str(task.root), "unused" if task.warn_unused else "")


def cached(task: Task) -> Outcome | None:
    """The cached outcome of `task`, when its bytes and settings were checked before."""
    if task.cache_dir is None or task.fix or task.diff:
        return None
    try:
        data = task.data if task.data is not None else read(task.path)
    except SourceError:
        return None
    entry = cache.get(Path(task.cache_dir), _cache_key(task, data))
    return _from_cache(task, data, entry) if entry is not None else None


def check_file(task: Task) -> Outcome:
    """Read, decode, parse, fix (if asked) and check one file; never raises for the file's content."""
    try:
        data = task.data if task.data is not None else read(task.path)
    except SourceError as exc:
        return Outcome(task.path, error=Problem(task.path, one_line(str(exc))))
    outcome = _check_data(task, data)
    if task.cache_dir is not None and not (task.fix or task.diff) and not task.stdin:
        cache.put(Path(task.cache_dir), _cache_key(task, data), outcome.to_cache())
    return outcome


def _check_data(task: Task, data: bytes) -> Outcome:
    from awslint.fix import fix_source, unified_diff, write_refusal

    from awslint.notebook import NotPython

    try:
        text, encoding, nb = _code_of(task, data)
        tree = parse(text, task.path)
    except NotPython:
        return Outcome(task.path)
    except SourceError as exc:
        return Outcome(task.path, error=Problem(task.path, one_line(str(exc)), exc.line, exc.column))
    diff, fixed_text = "", None
    fixed_counts: tuple[tuple[str, int], ...] = ()
    if task.fix or task.diff:
        from awslint import notebook

        fixed = fix_source(text, task.path, task.config)
        stored = data.decode("utf-8-sig") if nb is not None else text  # the file's text as it is kept
        if fixed.text != text:
            fixed_counts = tuple(sorted(fixed.counts.items()))
            after = notebook.write_back(nb, fixed.text) if nb is not None else fixed.text
            if task.diff:
                diff = unified_diff(stored, after, task.path)
            else:
                if not task.stdin:
                    refusal = write_refusal(task.path, [task.origin] if task.origin else [os.getcwd()])
                    if refusal is not None:
                        return Outcome(task.path, error=Problem(task.path, refusal))
                    try:
                        with open(task.path, "w", encoding=encoding, newline="") as handle:
                            handle.write(after)
                    except OSError as exc:
                        return Outcome(task.path, error=Problem(task.path, f"cannot write the fix: {exc.strerror or exc}"))
                stored = after
                if nb is not None:
                    nb = notebook.read(after)
                    text = nb.source
                else:
                    text = fixed.text
                tree = parse(text, task.path)
        if task.fix and not task.diff:
            fixed_text = stored
    lines = split_lines(text)
    analysis = analyse_tree(tree, lines, task.path, task.config)
    findings, notices = list(analysis.findings), analysis.notices
    directives = suppress.parse(text, tree) if findings or task.warn_unused else []
    split = suppress.apply(findings, directives)
    unused = suppress.unused(directives) if task.warn_unused else []
    if not findings and not unused:
        return Outcome(task.path, diff=diff, fixed=fixed_counts, fixed_text=fixed_text, notices=notices)
    everything = sorted([*findings, *unused], key=lambda f: f.sort_key())
    prints = dict(zip(map(id, everything), baseline.fingerprints(baseline.relative(task.path, task.root), lines, everything)))
    silenced = {id(f): d.kind for f, d in split.suppressed}

    def located(f: Any) -> Located:
        r = output.locate(task.path, lines, f, prints[id(f)])
        extra: dict[str, Any] = {"suppressed_by": silenced.get(id(f))}
        if nb is not None:
            at = nb.where(f.line)
            if at is not None:
                file_line, file_col = nb.file_position(f.line, r.column)
                extra.update(cell=at.cell, cell_line=at.line, file_line=file_line, file_column=file_col)
        return Located(**{**r.__dict__, **extra})

    results = tuple(located(f) for f in everything if id(f) not in silenced)
    hidden = tuple(located(f) for f in everything if id(f) in silenced)
    return Outcome(task.path, results, tuple(lines), None, diff, fixed_counts, fixed_text, hidden, notices)


# Below this many files a worker pool costs more to start than it saves.
_POOL_THRESHOLD = 24


def _pooled(tasks: Sequence[Task], jobs: int) -> Iterator[Outcome]:
    if jobs > 1 and len(tasks) >= _POOL_THRESHOLD and not any(t.fix and not t.diff for t in tasks):
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        done = 0
        try:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for outcome in pool.map(check_file, tasks, chunksize=max(1, min(8, len(tasks) // (jobs * 8)))):
                    done += 1
                    yield outcome
                return
        except (OSError, BrokenProcessPool, ImportError):
            pass  # no processes here (a sandbox, a frozen interpreter): check the rest in this one
        tasks = tasks[done:]
    for task in tasks:
        yield check_file(task)


def check_all(tasks: Sequence[Task], jobs: int) -> Iterator[Outcome]:
    """Outcomes in the order of `tasks`, each as soon as it and those before it are done; cached
    results come from this process, the rest from `jobs` processes when there is enough work."""
    hits = [cached(task) for task in tasks]
    misses = _pooled([t for t, hit in zip(tasks, hits) if hit is None], jobs)
    for hit in hits:
        yield hit if hit is not None else next(misses)


@dataclass
class Run:
    """What one invocation found, in the order the files were given."""

    results: list[Located] = field(default_factory=list)  # reported, after the baseline
    suppressed: list[Located] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    fixed: dict[str, int] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)  # each reported file's lines, for fingerprints
    files: int = 0
    notices: list[tuple[str, Notice]] = field(default_factory=list)  # (path, what was not analysed)


def _baseline_prints(results: Sequence[Located], lines: Sequence[str], path: Path) -> list[tuple[Located, str, str]]:
    """(result, fingerprint, file) for one file's results, with the file relative to the baseline's
    folder, so the baseline matches whichever folder the command runs from."""
    if not results:
        return []
    folder = path.resolve().parent
    relpath = baseline.relative(results[0].path, folder)
    prints = baseline.fingerprints(relpath, lines, [r.finding for r in results])
    return [(r, fp, relpath) for r, fp in zip(results, prints)]


class Progress:
    """A progress line on a terminal, once a run has taken more than a second; erased at the end."""

    def __init__(self, stream: TextIO, total: int, enabled: bool) -> None:
        self.stream, self.total = stream, total
        self.enabled = enabled and total > 1 and _isatty(stream)
        self.start = self.last = time.monotonic()
        self.shown = False

    def step(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < 1.0 or now - self.last < 0.1:
            return
        self.last = now
        self.stream.write(f"\r\x1b[Kawslint: checked {done}/{self.total} files")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Printer:
    """Writes text (or GitHub annotation) output as each file's outcome arrives."""

    fmt: str
    out: TextIO | None  # None: collected, written at the end (JSON, SARIF, --output)
    style: output.Style
    show_source: bool

    def emit(self, results: Sequence[Located], lines: Sequence[str]) -> None:
        if self.out is None or not results:
            return
        if self.fmt == "github":
            self.out.write(output.github(results))
        else:
            for r in results:
                self.out.write(output.text_line(r, self.style))
                if self.show_source:
                    self.out.write(output.source_excerpt(r, lines, self.style))
        self.out.flush()


def _check_paths(
    args: argparse.Namespace,
    settings: Settings,
    paths: Sequence[str],
    jobs: int,
    stdout: TextIO,
    stderr: TextIO,
    printer: Printer,
    accepted: frozenset[str] | None,
    baseline_file: Path | None,
) -> Run:
    """Check every file under `paths`; errors go to stderr as they are met, in the order of the files."""
    root = Path.cwd()
    exclude = settings.exclude or ()
    tasks: list[Task | Problem] = []
    cache_dirs: dict[Path | None, str | None] = {}

    def cache_dir(path: str) -> str | None:
        if not args.use_cache or args.fix or args.diff:
            return None
        pyproject = settings.pyproject_for(path)
        if pyproject not in cache_dirs:
            cache_dirs[pyproject] = str(cache.folder_for(pyproject, root))
        return cache_dirs[pyproject]

    walked = discover(
        paths,
        exclude,
        respect_gitignore=args.respect_gitignore,
        exclude_for=lambda folder: [p for p in _exclude_for(settings, folder) if p not in exclude],
    )
    for target in walked:
        if target.error is not None:
            tasks.append(Problem(target.path, target.error))
        elif target.path == "-":
            shown = args.stdin_filename or "stdin"
            config = settings.for_file(os.path.join(os.getcwd(), shown))
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
            tasks.append(
                Task(shown, config, args.fix, args.diff, root, data, stdin=True, warn_unused=args.warn_unused_noqa)
            )
        else:
            try:
                config = settings.for_file(target.path)
            except ConfigError as exc:  # a broken pyproject.toml deeper in the tree costs its own files only
                tasks.append(Problem(target.path, one_line(str(exc))))
                continue
            tasks.append(
                Task(
                    target.path,
                    config,
                    args.fix,
                    args.diff,
                    root,
                    origin=target.origin,
                    cache_dir=cache_dir(target.path),
                    warn_unused=args.warn_unused_noqa,
                )
            )
    # the same report whatever order the paths were named in, or the files were finished in
    tasks.sort(key=lambda t: _path_key(t.path))
    run = Run(files=len(tasks))
    progress = Progress(stderr, len(tasks), not args.quiet)
    checked = check_all([t for t in tasks if isinstance(t, Task)], jobs)
    for done, task in enumerate(tasks, 1):
        outcome = next(checked) if isinstance(task, Task) else Outcome(task.path, error=task)
        progress.step(done)
        if outcome.error is not None:
            progress.clear()
            run.errors.append(outcome.error)
            stderr.write(output.problem_line(outcome.error))
            if printer.out is not None and printer.fmt == "github":
                printer.out.write(output.github([], [outcome.error]))
            continue
        for code, count in outcome.fixed:
            run.fixed[code] = run.fixed.get(code, 0) + count
        if outcome.diff:
            run.diffs.append(outcome.diff)
        if outcome.fixed_text is not None and isinstance(task, Task) and task.stdin:
            stdout.write(outcome.fixed_text)
        results = list(outcome.results)
        if accepted is not None and baseline_file is not None:
            new = {id(r) for r, fp, _ in _baseline_prints(results, outcome.lines, baseline_file) if fp not in accepted}
            results = [r for r in results if id(r) in new]
        if results:
            run.lines[outcome.path] = list(outcome.lines)
            run.results.extend(results)
            progress.clear()
            printer.emit(results, outcome.lines)
        run.suppressed.extend(outcome.suppressed)
        for notice in outcome.notices:
            run.notices.append((outcome.path, notice))
            if args.verbose:
                progress.clear()
                stderr.write(output.notice_line(outcome.path, notice))
    progress.clear()
    return run


def _exclude_for(settings: Settings, folder: str) -> tuple[str, ...]:
    try:
        return settings.exclude_for(folder)
    except ConfigError:
        return ()  # the folder's files report the broken configuration


def _path_key(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.replace(os.sep, "/").split("/") if part not in ("", "."))


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
        print(f"awslint: error: {printable(one_line(str(exc)))}", file=stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # `awslint . | head`: the reader left; stop quietly, as other command-line tools do.
        try:
            sys.stdout = open(os.devnull, "w")  # keep the interpreter's final flush from failing again
        except OSError:
            pass
        return EXIT_FINDINGS


def _color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return _isatty(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


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
    baseline_file = Path(args.baseline) if args.baseline else None
    accepted = baseline.read(baseline_file) if baseline_file else None
    for path in paths:  # a bad [tool.awslint] is a usage error before any file is read
        if path != "-":
            settings.project(settings.pyproject_for(path))

    jobs = _jobs(args.jobs)
    fix_to_stdout = "-" in paths and args.fix and not args.diff
    report_stream = stderr if fix_to_stdout else stdout
    streaming = args.format in ("text", "github") and not args.output and not args.diff and not args.write_baseline
    printer = Printer(
        args.format,
        report_stream if streaming else None,
        output.Style(_color(args.color, report_stream) and args.format == "text"),
        args.show_source,
    )
    run = _check_paths(args, settings, paths, jobs, stdout, stderr, printer, accepted, baseline_file)
    results = run.results
    error_status = EXIT_ERROR if run.errors and not args.exit_zero else EXIT_CLEAN

    if args.write_baseline:
        path = Path(args.write_baseline)
        entries: list[baseline.Entry] = []
        for shown, lines in run.lines.items():
            mine = [r for r in results if r.path == shown]
            entries.extend(
                baseline.Entry(fp, r.code, relpath, r.line, r.finding.message)
                for r, fp, relpath in _baseline_prints(mine, lines, path)
            )
        try:
            baseline.write(path, entries)
        except OSError as exc:
            raise UsageError(f"--write-baseline: {path}: {exc.strerror or exc}") from exc
        print(f"awslint: recorded {len(entries)} finding(s) in {path}", file=stderr)
        return error_status

    if args.diff:
        stdout.write("".join(run.diffs))
        if run.errors and not args.exit_zero:
            return EXIT_ERROR
        return EXIT_FINDINGS if run.diffs and not args.exit_zero else EXIT_CLEAN
    if args.fix and run.fixed:
        total = sum(run.fixed.values())
        detail = ", ".join(f"{code} x{n}" for code, n in sorted(run.fixed.items()))
        print(f"awslint: fixed {total} finding(s) ({detail})", file=stderr)

    if not streaming:
        report = _render(args.format, results, run)
        if args.output:
            try:
                Path(args.output).write_text(report, encoding="utf-8", errors="surrogateescape")
            except OSError as exc:
                raise UsageError(f"--output: {args.output}: {exc.strerror or exc}") from exc
        else:
            report_stream.write(report)
    if args.statistics:
        (report_stream if args.format in ("text", "github") else stderr).write(output.statistics(results))
    if args.format == "text" and not args.quiet and (results or run.errors):
        stderr.write(output.summary(results, run.errors, run.files, len(run.suppressed)))
    if run.errors:
        return error_status
    return EXIT_FINDINGS if results and not args.exit_zero else EXIT_CLEAN


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


def _render(fmt: str, results: Sequence[Located], run: Run) -> str:
    if fmt == "json":
        return output.as_json(results, run.errors, run.notices)
    if fmt == "github":
        return output.github(results, run.errors)
    if fmt == "sarif":
        from awslint import __version__

        root = Path.cwd()
        everything = sorted([*results, *run.suppressed], key=lambda r: (_path_key(r.path), r.finding.sort_key()))
        uris = {r.path: sarif.uri_for(baseline.relative(r.path, root)) for r in everything}
        uris.update({p.path: sarif.uri_for(baseline.relative(p.path, root)) for p in run.errors if p.path != "-"})
        uris.update({path: sarif.uri_for(baseline.relative(path, root)) for path, _ in run.notices if path != "-"})
        return sarif.dumps(sarif.log(everything, uris, root, run.errors, __version__, run.notices))
    return output.text(results)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
