"""What the process rules (AWS105, AWS106) know about `subprocess.Popen`, as data.

Names are the dotted names `Names.resolve` produces.
"""
from __future__ import annotations

from awslint.data.calls import LOG_METHODS

# Calls that start a child process whose `communicate`/`wait` behave as `subprocess.Popen`'s.
POPEN_FACTORIES: frozenset[str] = frozenset({"subprocess.Popen", "subprocess32.Popen"})

# The value that makes a stream a pipe (`stderr=STDOUT` makes none: it joins stdout's).
PIPE: frozenset[str] = frozenset({"subprocess.PIPE", "subprocess32.PIPE"})

# The output streams a child can block on when nobody reads them.
OUTPUT_STREAMS: tuple[str, ...] = ("stdout", "stderr")

# Exception classes whose handler catches `subprocess.TimeoutExpired` (its bases, itself).
CATCHES_TIMEOUT: frozenset[str] = frozenset({
    "subprocess.TimeoutExpired", "subprocess.SubprocessError", "subprocess32.TimeoutExpired",
    "subprocess32.SubprocessError", "Exception", "BaseException", "builtins.Exception",
    "builtins.BaseException",
})

# Methods of the process that end the child (or ask it to end).
KILL_METHODS: frozenset[str] = frozenset({"kill", "terminate", "send_signal"})

# Methods that wait for the child: with a timeout they may raise `TimeoutExpired`.
WAIT_METHODS: frozenset[str] = frozenset({"wait", "communicate"})

# The position of `timeout` among each wait method's positional parameters.
TIMEOUT_POSITION: dict[str, int] = {"wait": 0, "communicate": 1}

# What the process tells about its state: code that asks has already seen whether it ended.
STATE_READS: frozenset[str] = frozenset({"poll", "returncode"})

# Stream methods that read a stream to its end (or end it: the child then gets EPIPE, not a full pipe).
DRAINING_METHODS: frozenset[str] = frozenset({"read", "readlines", "close", "detach", "fileno", "__iter__"})

# Stream methods that read a part of it: once is not to the end, in a loop they drain it.
PARTIAL_READS: frozenset[str] = frozenset({"readline", "read1", "readinto", "readinto1", "peek"})

# Callees that read a part of the stream given as their first argument: `next(proc.stdout)` one line,
# `itertools.islice(proc.stdout, 10)` ten.
PARTIAL_READERS: frozenset[str] = frozenset({"next", "builtins.next", "itertools.islice"})

# Callees that only look at the process or stream they are given (a log line, a check).
LOOKERS: frozenset[str] = frozenset({
    "print", "repr", "str", "id", "isinstance", "type", "hasattr", "getattr", "bool", "len", "format",
})
# Methods that only look at what they are given: a logger's (`log.info("%s", proc.pid)`) and `str.format`.
LOOKING_METHODS: frozenset[str] = LOG_METHODS | {"format"}

# How a child is started in a session or process group of its own, to outlive its parent: leaving it
# running is the point (`webbrowser` starting a remote browser).
DETACHING_KEYWORDS: frozenset[str] = frozenset({"start_new_session", "process_group"})
DETACHING_FUNCTIONS: frozenset[str] = frozenset({"os.setsid", "os.setpgrp"})  # as `preexec_fn=`
DETACHING_FLAGS: frozenset[str] = frozenset({"DETACHED_PROCESS"})  # in `creationflags=`

# Context managers of tests that expect the block to raise (the timeout is what the test wants), or
# that replace what the block calls (`mock.patch.object(...)`: the wait may not wait at all).
EXPECTING_RAISE: frozenset[str] = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "raises"})
MOCKING: frozenset[str] = frozenset({"patch", "patch.object", "patch.dict", "patch.multiple"})

# Commands a shell runs itself, with no program behind them (cmd.exe's and POSIX sh's): `os.system`
# of one cannot become `subprocess.run([...])` without a shell (`os.system("color")` switches the
# Windows console to ANSI colours; `os.system("")` does the same).
SHELL_BUILTINS: frozenset[str] = frozenset({
    "color", "cls", "title", "ver", "vol", "chcp", "mode", "cd", "chdir", "set", "setlocal", "endlocal",
    "export", "ulimit", "umask", "source", ".", "alias", "unset", "exec", "type", "command",
})
