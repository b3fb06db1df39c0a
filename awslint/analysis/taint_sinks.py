"""The sinks of the injection analysis: which calls run a shell command, a program or code, and which
argument carries it.

Sinks are found from the module index (`ctx.index.calls`) with a cheap test on the called name first, so
the taint analysis runs only in the functions that contain one.
"""
from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from awslint.analysis.taint_values import Val
from awslint.data.taint import (
    CODE_CALLS,
    ENV_PROGRAM,
    EXEC,
    EXEC_VARARGS,
    INTERPRETERS,
    OUTDATED,
    POSIX_SPAWN,
    PYTHONS,
    SHELL_CALLS,
    SHELL_FLAG_SUFFIX,
    SHELLS,
    SPAWN,
    SUBPROCESS,
    WRAPPERS,
)

SHELL = "shell"
PROGRAM = "program"
CODE = "code"
PYTHON = "python"  # the code of `python -c CODE`: a shell-command sink whose text is Python

# the last component of every sink's name: a call whose name ends otherwise is no sink
CANDIDATE_NAMES = frozenset(
    name.rsplit(".", 1)[-1]
    for name in (*SUBPROCESS, *SHELL_CALLS, *CODE_CALLS, *EXEC, *SPAWN, *POSIX_SPAWN, *EXEC_VARARGS)
)


@dataclass(frozen=True)
class Sink:
    """A call that runs something: `api` is its resolved name, `kind` what it runs by default."""

    call: ast.Call
    api: str
    kind: str  # SHELL, PROGRAM or CODE
    outdated: bool
    extract: Callable[[Sequence[Val], dict[str, Val]], list[tuple[str, Val]]]


def _arg(args: Sequence[Val], kwargs: dict[str, Val], index: int, keyword: str) -> Val | None:
    if index < len(args):
        return args[index]
    return kwargs.get(keyword)


def _program_name(value: str) -> str:
    base = posixpath.basename(value.replace("\\", "/"))
    if base.startswith("python") and base[6:].replace(".", "").isdigit():
        return "python3"
    return base


def inline_language(argv: Sequence[Val]) -> str:
    """SHELL, or PYTHON when the argument list runs `python -c`."""
    run = _run_program_index(argv)
    for value in argv[run:run + 3]:
        if value.const is not None and _program_name(value.const) in PYTHONS:
            return PYTHON
    return SHELL


def _run_program_index(argv: Sequence[Val], start: int = 0, depth: int = 0) -> int:
    """Where the program of an argument list is: `start`, or after `env`, its options and `NAME=value`
    settings (`["env", "-i", "LANG=C", prog, ...]`), or after a wrapper that runs the program it names,
    its options and operands (`["sudo", "-u", "deploy", prog, ...]`, `["timeout", "30", prog, ...]`)."""
    if start >= len(argv) or argv[start].const is None or depth > 4:
        return start
    name = _program_name(argv[start].const or "")
    i = start + 1
    if name == ENV_PROGRAM:
        while i < len(argv) and (argv[i].leading.startswith("-") or "=" in argv[i].leading):
            i += 1
        return _run_program_index(argv, i, depth + 1)
    wrapper = WRAPPERS.get(name)
    if wrapper is None:
        return start
    valued, operands = wrapper
    while i < len(argv):
        flag = argv[i].const
        if flag is None or not flag.startswith("-"):
            break
        i += 2 if flag in valued else 1
        if flag == "--":
            break
    return _run_program_index(argv, min(i + operands, len(argv)), depth + 1)


def shell_command_in(argv: Sequence[Val]) -> Val | None:
    """The command string of an argument list that runs a shell or an interpreter (`sh -c CMD`)."""
    start = _run_program_index(argv)
    if start >= len(argv) or argv[start].const is None:
        return None
    program = _program_name(argv[start].const or "")
    flags: tuple[str, ...] | None = INTERPRETERS.get(program)
    if flags is None and program not in SHELLS:
        return None
    for i in range(start + 1, len(argv)):
        flag = argv[i].const
        if flag is None or not flag.startswith(("-", "/")):
            return None  # a script file, or an argument we cannot read: no inline command
        if program in SHELLS:
            command_flag = not flag.startswith("--") and flag.endswith(SHELL_FLAG_SUFFIX)
        else:
            command_flag = flags is not None and flag in flags
        if command_flag:
            return argv[i + 1] if i + 1 < len(argv) else None
    return None


def _argv_roles(argv: Val, program: Val | None = None) -> list[tuple[str, Val]]:
    """The program run by an argument list, and its command string when it runs a shell."""
    if program is None and argv.prefix is None:
        # a command line as one string: its first word is the program (`"helm upgrade " + name`)
        words = argv.words()
        program = words[0] if words else None
    roles = [(PROGRAM, program if program is not None else argv.head())]
    if argv.prefix is not None:
        items = argv.prefix if program is None else (program, *argv.prefix[1:])
        run = _run_program_index(items)
        if 0 < run < len(items):
            roles.append((PROGRAM, items[run]))  # `env ... PROGRAM`: env runs the program named there
        command = shell_command_in(items)
        if command is not None:
            roles.append((inline_language(items), command))
    return roles


def _subprocess(shell: bool | None) -> Callable[[Sequence[Val], dict[str, Val]], list[tuple[str, Val]]]:
    def extract(args: Sequence[Val], kwargs: dict[str, Val]) -> list[tuple[str, Val]]:
        argv = _arg(args, kwargs, 0, "args")
        if argv is None:
            return []
        if shell:
            # with shell=True a list runs its first element as the command, the rest as $0, $1 ...
            return [(SHELL, argv.head())]
        return _argv_roles(argv)

    return extract


def _fixed(index: int, keyword: str, kind: str) -> Callable[[Sequence[Val], dict[str, Val]], list[tuple[str, Val]]]:
    def extract(args: Sequence[Val], kwargs: dict[str, Val]) -> list[tuple[str, Val]]:
        value = _arg(args, kwargs, index, keyword)
        return [] if value is None else [(kind, value)]

    return extract


def _program_then_args(program_index: int, vector: bool) -> Callable[[Sequence[Val], dict[str, Val]], list[tuple[str, Val]]]:
    def extract(args: Sequence[Val], kwargs: dict[str, Val]) -> list[tuple[str, Val]]:
        if program_index >= len(args):
            return []
        program = args[program_index]
        rest = args[program_index + 1:]
        if vector:
            if not rest:
                return [(PROGRAM, program)]
            return _argv_roles(rest[0], program)
        items = (program, *rest[1:])
        command = shell_command_in(items) if rest else None
        roles = [(PROGRAM, program)]
        if command is not None:
            roles.append((inline_language(items), command))
        return roles

    return extract


def _exec_varargs(args: Sequence[Val], kwargs: dict[str, Val]) -> list[tuple[str, Val]]:
    # asyncio.create_subprocess_exec(program, *args)
    if not args:
        return []
    roles = [(PROGRAM, args[0])]
    command = shell_command_in(args)
    if command is not None:
        roles.append((inline_language(args), command))
    return roles


def _shell_keyword(call: ast.Call) -> bool | None:
    """True for `shell=True` (any true constant), False when absent or false, None when unknown."""
    for keyword in call.keywords:
        if keyword.arg == "shell":
            if isinstance(keyword.value, ast.Constant):
                return bool(keyword.value.value)
            return None
    if any(k.arg is None for k in call.keywords):
        return None
    return False


def classify(call: ast.Call, api: str, extra: dict[str, str]) -> Sink | None:
    """The sink that `call` (resolved to `api`) is, if any; `extra` maps configured sinks to their kind."""
    if api in SUBPROCESS:
        shell = _shell_keyword(call)
        return Sink(call, api, SHELL if shell else PROGRAM, False, _subprocess(shell))
    if api in SHELL_CALLS:
        index, keyword = SHELL_CALLS[api]
        return Sink(call, api, SHELL, api in OUTDATED, _fixed(index, keyword, SHELL))
    if api in CODE_CALLS:
        return Sink(call, api.rsplit(".", 1)[-1], CODE, False, _fixed(0, CODE_CALLS[api], CODE))
    if api in EXEC or api in SPAWN or api in POSIX_SPAWN:
        index = {**EXEC, **SPAWN, **POSIX_SPAWN}[api]
        vector = "v" in api.rsplit(".", 1)[-1][4:] or api in POSIX_SPAWN
        return Sink(call, api, PROGRAM, api in OUTDATED, _program_then_args(index, vector))
    if api in EXEC_VARARGS:
        return Sink(call, api, PROGRAM, False, _exec_varargs)
    if api in extra:
        kind = extra[api]
        return Sink(call, api, kind, False, _fixed(0, "", kind))
    return None


def parse_sink_option(values: Iterable[str]) -> dict[str, str]:
    """`taint-sinks` entries: `pkg.func` (a shell command), `pkg.func:code`, `pkg.func:program`."""
    out: dict[str, str] = {}
    for value in values:
        name, _, kind = value.partition(":")
        kind = kind.strip() or SHELL
        if name.strip() and kind in (SHELL, CODE, PROGRAM):
            out[name.strip()] = kind
    return out
