"""What every analysis knows about a few common calls, once: calls that never return, logging
methods, functions that open a file.

Each table is the one copy: the control-flow graph, the taint interpreter and the rules read these
rows instead of keeping their own lists (issue 9 found three lists of no-return calls and of log
methods that had drifted apart). Names are the dotted names `Names.resolve` produces (`sys.exit`,
`flask.abort`), unless a table says it holds method names.
"""
from __future__ import annotations

# Calls that leave the function by ending the process or raising, every time: the code after them on
# the same path never runs (`if bad: sys.exit(1)` guards what follows). A call that only *builds* an
# exception (`Http404("...")`) is not one: it ends nothing until it is raised.
NO_RETURN: frozenset[str] = frozenset({
    # the interpreter's own exits
    "sys.exit", "os._exit", "os.abort", "exit", "quit", "builtins.exit", "builtins.quit",
    # web frameworks: raise the HTTP error response
    "flask.abort", "werkzeug.exceptions.abort",
    # pytest: fail, skip or stop the test right here
    "pytest.fail", "pytest.skip", "pytest.exit", "pytest.xfail",
})

# Methods of a command-line parser (argparse, optparse) that print a message and exit: called on a
# name that says it is a parser (`parser.error("bad")`, `argparser.exit(2)`).
PARSER_EXIT_METHODS: frozenset[str] = frozenset({"error", "exit"})

# Methods of a `logging.Logger` (and of the loggers that mimic it) that emit one record: a call of one
# reports and returns; it neither raises for the caller nor changes the program's data.
LOG_METHODS: frozenset[str] = frozenset({
    "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
})

# Functions that open a file and return a file object to read or write it: their first argument
# names the file (a path; for `os.fdopen` a descriptor).
FILE_OPENERS: frozenset[str] = frozenset({
    "open", "builtins.open", "io.open", "io.open_code", "io.FileIO", "os.fdopen", "codecs.open",
    "gzip.open", "bz2.open", "lzma.open",
})
