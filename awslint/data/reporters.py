"""Calls that report an error, and the methods that change a container's size.

An `except` handler that calls one of the reporters leaves a trace of the error (AWS501 stays silent);
names are the dotted names `Names.resolve` produces. The container tables say, per kind, which methods
change the size of a list, dict or set (AWS503) and which methods show that a receiver is one.
"""
from __future__ import annotations

from typing import Literal

Kind = Literal["list", "dict", "set"]

# Functions that report the error in flight (resolved through imports).
REPORTER_FUNCTIONS = frozenset({
    "warnings.warn", "warnings.warn_explicit", "warnings.showwarning",
    "traceback.print_exc", "traceback.format_exc", "traceback.print_exception",
    "traceback.format_exception", "traceback.print_last", "traceback.print_stack",
    "traceback.format_exception_only", "traceback.print_tb", "traceback.format_tb",
    "sys.exc_info", "sys.exception", "sys.excepthook",
    "sentry_sdk.capture_exception", "sentry_sdk.capture_message", "sentry_sdk.capture_event",
    "raven.Client.captureException", "rollbar.report_exc_info", "bugsnag.notify",
    "pytest.fail", "pytest.skip", "pytest.xfail", "unittest.TestCase.fail",
})
# Every function of these modules that is called in a handler reports (`logging.error`, `logging.exception`).
REPORTER_MODULES = frozenset({"logging", "structlog", "loguru", "sentry_sdk"})
# Calls that return a logger: a name bound from one is a logger.
LOGGER_FACTORIES = frozenset({
    "logging.getLogger", "logging.getLoggerClass", "logging.LoggerAdapter", "logging.Logger",
    "structlog.get_logger", "structlog.getLogger", "structlog.wrap_logger", "loguru.logger.bind",
    "aws_lambda_powertools.Logger", "aws_lambda_powertools.logging.Logger",
    "aws_lambda_powertools.logging.logger.Logger",
})
# Names a module conventionally gives its logger, so that one imported from another module
# (`from .util import log`) is a logger without seeing its definition.
LOGGER_NAMES = frozenset({
    "log", "logger", "LOG", "LOGGER", "_log", "_logger", "_LOG", "_LOGGER", "logging", "logs",
    "log_", "Log", "Logger", "module_logger", "root_logger", "audit_log", "errlog",
})
LOG_METHODS = frozenset({
    "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg",
    "trace", "success", "opt", "bind",
})
# Words in a function's name that say it reports or fails (`self.fail()`, `report_error()`,
# `handleError()`, `show_warning()`): calling one in a handler leaves a trace.
REPORTING_WORDS = frozenset({
    "log", "logs", "logger", "warn", "warning", "warnings", "error", "errors", "err", "report", "fail",
    "failed", "failure", "abort", "alert", "notify", "exception", "exc", "traceback", "capture", "fatal",
    "panic", "die", "complain", "problem", "print_exc", "stderr", "tb",
})
# A level of logging and a verb of output in one name (`print_debug`, `show_info`, `echo_verbose`):
# a project's own wrapper of its logger, defined in another module, that leaves a trace.
LOG_LEVEL_WORDS = frozenset({"debug", "info", "verbose", "trace", "notice"})
OUTPUT_VERBS = frozenset({"print", "show", "echo", "emit", "write", "say", "output", "display"})
# Parts of a function's name that say it reports, wherever they stand (`showtraceback`, `onerror`,
# `_invoke_excepthook`, `handleError`).
REPORTING_PARTS = frozenset({
    "traceback", "excepthook", "error", "exception", "warn", "fail", "report", "alert", "notify", "abort",
    "exit", "logerr", "complain", "showtb",
})
# Words in a call's name that say it releases or undoes something (`close`, `os.unlink`,
# `shutil.rmtree`, `executor.shutdown`, `lock.release`, `session.rollback`): what a `close()`,
# `__exit__` or atexit hook may do without reporting its own failure.
RELEASING_WORDS = frozenset({
    "close", "aclose", "cleanup", "clean", "shutdown", "stop", "kill", "killpg", "terminate", "release",
    "disconnect", "unlink", "remove", "removedirs", "rmtree", "rmdir", "rm", "delete", "del", "flush",
    "join", "cancel", "unregister", "deregister", "detach", "logout", "quit", "exit", "dispose", "destroy",
    "drop", "purge", "rollback", "free", "unlock", "unsubscribe", "wait", "reset", "clear", "abort",
    "restore", "undo", "teardown", "unmount", "umount", "unmap", "unload", "discard", "finish",
    "finalize", "disable", "unpatch", "unset", "revert", "chdir", "flock", "lockf", "unschedule",
    "interrupt", "deactivate", "uninstall", "closerange", "unwatch", "stopped",
})
# Calls that end the program or raise: the error is not silently dropped.
ENDING_FUNCTIONS = frozenset({"sys.exit", "exit", "quit", "os._exit", "os.abort", "os.kill"})

# Methods that change the size of a container of each kind.
GROWING_METHODS: dict[Kind, frozenset[str]] = {
    "list": frozenset({"append", "extend", "insert"}),
    "dict": frozenset({"update", "setdefault"}),
    "set": frozenset({"add", "update"}),
}
SHRINKING_METHODS: dict[Kind, frozenset[str]] = {
    "list": frozenset({"remove", "pop", "clear"}),
    "dict": frozenset({"pop", "popitem", "clear"}),
    "set": frozenset({"remove", "discard", "pop", "clear", "difference_update", "intersection_update",
                      "symmetric_difference_update"}),
}
# Methods only that kind has (among list, dict, set, and the sequence and mapping look-alikes people
# iterate): a receiver of one of them is that kind even without seeing how it was built.
DISTINCT_METHODS: dict[Kind, frozenset[str]] = {
    "list": frozenset({"append", "extend", "insert"}),
    "dict": frozenset({"setdefault", "popitem"}),
    "set": frozenset({"discard", "difference_update", "intersection_update", "symmetric_difference_update",
                      "issubset", "issuperset"}),
}
# Every method of a builtin mapping (`collections`' own included): a name that calls any other is an
# object of some class of its own, whose `keys()` may be a list (s3cmd's `SortedDict`).
MAPPING_METHODS = frozenset({
    "clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values",
    "most_common", "elements", "subtract", "total", "move_to_end", "default_factory",
})
# Constructors of each kind (resolved names).
CONSTRUCTORS: dict[str, Kind] = {
    "list": "list", "sorted": "list", "dict": "dict", "set": "set",
    "collections.OrderedDict": "dict", "collections.defaultdict": "dict", "collections.Counter": "dict",
}
# Annotations that name a kind (`list[str]`, `typing.Dict[str, int]`).
ANNOTATIONS: dict[str, Kind] = {
    "list": "list", "List": "list", "MutableSequence": "list",
    "dict": "dict", "Dict": "dict", "MutableMapping": "dict", "OrderedDict": "dict", "DefaultDict": "dict",
    "defaultdict": "dict", "Counter": "dict",
    "set": "set", "Set": "set", "MutableSet": "set",
}
