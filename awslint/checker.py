"""The one seam every front end uses: source or tree in, findings out, never an exception."""
from __future__ import annotations

import ast
import gc
import os
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence

from awslint.config import DEFAULT, Config
from awslint.context import Context
from awslint.finding import Finding
from awslint.lines import source_lines
from awslint.notice import Notice
from awslint.rules import FAMILIES

# Files beyond these are generated data, not code anyone reviews; analysing them would only risk the
# user's memory. They are skipped with a notice, never silently. The largest module of the real
# projects we read is under 5 MB, and a 10 MB file of dense code (the benchmark: about 850,000
# nodes as the Index counts them, 1.4 GB at the parser's peak) is still analysed. MAX_SOURCE_CHARS
# keeps our own parse from an absurd file (the parser's peak is about 140 bytes per character of dense
# code); MAX_NODES bounds what the analyses build on top of a tree, also one handed over by flake8 or
# pylint, or one that packs many nodes into few characters.
MAX_SOURCE_CHARS = 16_000_000
MAX_LINES = 1_000_000
MAX_NODES = 2_000_000


_caller_freezes = False


@contextmanager
def _collector_skips_the_tree() -> Iterator[None]:
    """Keep the objects that exist now (the tree above all) out of the garbage collector's passes, and
    make no passes while the families run.

    A module's tree is hundreds of thousands of objects that live until the analysis ends, and every
    full pass of the collector would traverse all of them again while the analyses allocate; frozen,
    they are skipped. The analyses themselves make almost no garbage that only the collector can free
    (5,251 objects over the 168 top-level modules of the standard library), while its passes would
    traverse again everything they hold: a fifth of the time on a function of 40,000 statements. So
    the collector is also paused, and whatever cycles they leave are its own once it runs again.
    Pausing without freezing costs flake8, whose own objects then meet the next passes unfrozen
    (flake8 with awslint: 1.07-1.18 x flake8 alone, against 1.04-1.06 with both). A caller that froze
    objects of its own (a pre-forking server) keeps them frozen: the collector is then left as it is.
    """
    global _caller_freezes
    if not gc.isenabled() or _caller_freezes:
        yield
        return
    # Counting the frozen objects walks all of them (tens of milliseconds for a server's heap, more
    # than the analysis of a file), so the count is asked only while it is zero: a process that froze
    # objects once is taken to keep doing so, and its trees are left to the collector.
    if gc.get_freeze_count():
        _caller_freezes = True
        yield
        return
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No collector passes while `ast.parse` builds a tree: it makes no garbage, only objects that live."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass(frozen=True)
class Analysis:
    """The findings of one file, and the notices of what was not analysed."""

    findings: tuple[Finding, ...]
    notices: tuple[Notice, ...] = ()


def analyse_tree(
    tree: ast.AST, lines: Sequence[str] = (), filename: str = "<unknown>", config: Config | None = None
) -> Analysis:
    """Findings and notices for an already parsed module.

    A family that fails on some construct it does not understand reports nothing for that file rather
    than take the other families (or the user's flake8 run) down with it, and says so in a notice.
    """
    config = config or DEFAULT
    if len(lines) > MAX_LINES:
        return Analysis((), (_too_many_lines(len(lines)),))
    with _collector_skips_the_tree():
        return _analyse(Context(tree, lines, filename, config))


def _analyse(context: Context) -> Analysis:
    if not any(context.enabled(rule.code) for family in FAMILIES for rule in family.rules):
        return Analysis(())
    # Every family starts from the index, so building it first costs nothing and measures the tree.
    size = context.index.size
    if size > MAX_NODES:
        return Analysis((), (Notice(1, "awslint", f"not analysed: {size:,} syntax nodes is more than {MAX_NODES:,}"),))
    findings: list[Finding] = []
    for family in FAMILIES:
        if not any(context.enabled(rule.code) for rule in family.rules):
            continue
        try:
            found = list(family.check(context))
        except (RecursionError, MemoryError) as exc:
            context.notices.append(Notice(1, family.name, f"not analysed: {type(exc).__name__}"))
            found = []
        except Exception as exc:
            # A defect in one analysis must not cost the user the run; the test suite sets
            # AWSLINT_STRICT so that such a defect fails loudly there instead.
            if os.environ.get("AWSLINT_STRICT"):
                raise
            context.notices.append(Notice(1, family.name, f"not analysed: internal error {type(exc).__name__}"))
            found = []
        findings.extend(f for f in found if context.enabled(f.code))
    return Analysis(
        tuple(sorted(set(findings), key=Finding.sort_key)),
        tuple(sorted(set(context.notices), key=Notice.sort_key)),
    )


def _too_many_lines(count: int) -> Notice:
    return Notice(1, "awslint", f"not analysed: {count:,} lines is more than {MAX_LINES:,}")


def check_tree(
    tree: ast.AST, lines: Sequence[str] = (), filename: str = "<unknown>", config: Config | None = None
) -> list[Finding]:
    """Findings for an already parsed module, sorted by position."""
    return list(analyse_tree(tree, lines, filename, config).findings)


def analyse_source(text: str, filename: str = "<unknown>", config: Config | None = None) -> Analysis:
    """Findings and notices for source text; text that does not parse yields none (the caller reports it)."""
    if len(text) > MAX_SOURCE_CHARS:
        return Analysis((), (Notice(1, "awslint", f"not analysed: {len(text):,} characters is more than {MAX_SOURCE_CHARS:,}"),))
    # Counted before the parse, which is where a file of a million lines would spend its memory.
    if text.count("\n") > MAX_LINES:
        return Analysis((), (_too_many_lines(len(source_lines(text))),))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about the user's code are not ours to print
            with _collector_paused():
                tree = ast.parse(text, filename=filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return Analysis(())
    return analyse_tree(tree, source_lines(text), filename, config)


def check_source(text: str, filename: str = "<unknown>", config: Config | None = None) -> list[Finding]:
    """Findings for source text; text that does not parse yields none (the caller reports the error)."""
    return list(analyse_source(text, filename, config).findings)
