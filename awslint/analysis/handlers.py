"""Broad exception handlers and whether every path out of one drops the error (AWS501).

A handler keeps a trace of the error on a path that raises, reads the bound exception, calls a
reporter (logging, a logger, `warnings.warn`, `traceback`, `print(..., file=sys.stderr)`, a function
whose name says it reports or fails, or one the `reporters` option names), returns or yields a value,
records something on an object, or sets a variable that a later statement reads. The handler drops
the error only when no path through its body does any of these: a log call on one branch of an `if`
is enough to keep it. A `try` that returns on success and whose handler falls through to a returned
value is a fallback, kept like a handler that returns that value itself.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import AbstractSet, Iterable, Iterator, Mapping, Sequence, Union, cast

from awslint.analysis.cfg import EXC, Cfg, Node, can_raise, no_return_kind, safe_call
from awslint.analysis.guarded import Guarded
from awslint.analysis.index import Index
from awslint.analysis.names import Names, dotted, local_bindings, parameters, target_names
from awslint.analysis.nodes import breadth_first
from awslint.analysis.scopes import Scope, inside, loop_level, own_nodes, statements
from awslint.data import reporters as table

_BROAD = frozenset({"Exception", "BaseException"})
_BROAD_RESOLVED = frozenset({"builtins.Exception", "builtins.BaseException", "Exception", "BaseException"})
# Functions whose handlers only release what is left: a failure there has nowhere better to go.
_RELEASING = frozenset({
    "close", "aclose", "cleanup", "clean_up", "cleanUp", "shutdown", "__exit__", "__aexit__", "__del__",
    "teardown", "tearDown", "tearDownClass", "dispose", "release", "disconnect", "terminate", "finalize",
    "stop", "kill", "destroy", "quit",
})
_MUTATORS = frozenset({
    "append", "extend", "insert", "add", "update", "setdefault", "put", "put_nowait", "appendleft",
    "__setitem__", "write", "send",
})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Comments addressed to tools, not to readers: they say nothing about why the error may be dropped.
_DIRECTIVE = re.compile(
    r"#\s*(noqa|type:|pylint:|pragma|nosec|nosemgrep|NOSONAR|lgtm|fmt:|isort:|mypy:|pyright:|ruff:|expect:)",
    re.IGNORECASE,
)
# Where a directive's own words end and a reason for the reader begins: a spaced dash, a semicolon
# or a second `#` (`# pragma: no cover - telemetry must never break the caller`).
_REASON_AFTER = re.compile(r"\s+(?:-{1,2}|\u2013|\u2014)\s+|;\s*|\s*#\s*")
_READER_WORD = re.compile(r"[A-Za-z]{2,}")


# A docstring that says its function drops errors on purpose: a verb of dropping and what is dropped.
_DROPPING = re.compile(r"\b(?:eat|eats|swallow|swallows|ignore|ignores|ignoring|suppress|suppresses|"
                       r"silently|best[- ]effort)\b", re.IGNORECASE)
_ERRORS = re.compile(r"\b(?:exceptions?|errors?|failures?)\b", re.IGNORECASE)
# A docstring that says None is the answer when the function cannot give one ("the version, or None
# if unable to determine it", "None when the file cannot be read"): the error's own meaning.
_NONE_ON_FAILURE = re.compile(r"\bNone\b`*\s+(?:if|when|whenever|unless|on\s+(?:failure|error)|otherwise)\b")


def says_why(comment: str) -> bool:
    """A comment addressed to a reader: any comment but a tool's directive, and a directive followed
    by a reason of two words or more (`# noqa: BLE001  # parsing is best-effort`); a directive
    alone, or one followed only by another (`# pylint: disable=W0703  # noqa: E722`), says nothing
    about why the error may go."""
    if not _DIRECTIVE.match(comment):
        return True
    for part in _REASON_AFTER.split(comment.lstrip("#").strip())[1:]:
        if _DIRECTIVE.match("#" + part):
            continue
        if len(_READER_WORD.findall(part)) >= 2:
            return True
    return False


# Simple statements whose graph node always goes on to the next statement (an `Expr` call unless it
# is one of the calls the graph takes never to return).
_FALLS_THROUGH = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Pass, ast.Delete, ast.Import,
                  ast.ImportFrom, ast.Global, ast.Nonlocal)
# Statements that are one node of the graph, evaluated whole, going on to the next statement (an
# `assert` too; a nested definition as well, though `_keeps` accepts one anyway).
_SIMPLE_NODES = (*_FALLS_THROUGH, ast.Assert, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Swallow:
    """A broad handler (or `suppress(...)` call) that drops every error of its `try` block."""

    node: ast.AST
    label: str
    body: tuple[ast.stmt, ...]  # the statements whose errors are dropped


class Reporters:
    """Which calls report: the tables, the module's loggers, and the `reporters` option."""

    def __init__(self, tree: ast.AST, names: Names, extra: Sequence[str], text: str | None = None,
                 defs: Sequence[ast.AST] | None = None) -> None:
        self.names = names
        self._text = text  # the module's source, when known: it tells when the scan cannot matter
        self._normalised = False
        self.functions = set(table.REPORTER_FUNCTIONS)
        self.methods: set[str] = set()
        for entry in extra:
            entry = entry.strip()
            if entry.startswith("."):
                self.methods.add(entry[1:])
            elif entry:
                self.functions.add(entry)
        self.loggers = set(table.LOGGER_NAMES)
        self._module = tree
        # The module's functions (the index's, when the caller has it: no walk of the module), by name,
        # gathered on the first question; and, by name, whether every def of it always raises.
        self._defs = defs
        self._by_name: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] | None = None
        self._raising: dict[str, bool] = {}
        self._tree: ast.AST | None = tree  # the module's loggers are looked for on the first question
        self._resolvable: dict[str, bool] = {}  # by name: whether it resolves when nothing shadows it

    def _scan(self) -> None:
        tree, self._tree = self._tree, None
        if tree is None:
            return
        assignments: list[tuple[ast.expr, ast.expr]] = []
        for node in statements(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                assignments.append((node.targets[0], node.value))
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
                if self._makes_logger(node.value):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        name = dotted(target)
                        if name:
                            self.loggers.add(name)
                            self.loggers.add(name.rsplit(".", 1)[-1])
        # `warn = log.warning`, `report = traceback.print_exc`: a reporter behind another name
        for target, value in assignments:
            name = dotted(target)
            if name is not None and isinstance(value, (ast.Name, ast.Attribute)) and self._names_reporter(value):
                self.functions.add(name)

    def _names_reporter(self, expr: ast.expr) -> bool:
        resolved = self.names.resolve(expr)
        if resolved is not None and (resolved in self.functions or resolved.split(".", 1)[0] in table.REPORTER_MODULES):
            return True
        receiver = dotted(expr.value) if isinstance(expr, ast.Attribute) else None
        return (isinstance(expr, ast.Attribute) and expr.attr in table.LOG_METHODS and receiver is not None
                and (receiver in self.loggers or receiver.rsplit(".", 1)[-1] in self.loggers))

    def _makes_logger(self, call: ast.Call) -> bool:
        resolved = self.names.resolve(call.func)
        if resolved in table.LOGGER_FACTORIES:
            return True
        # `logger = logging.getLogger(__name__).getChild("x")`, `log = getLogger()` from a re-export
        func = call.func
        attr = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return attr in {"getLogger", "get_logger", "getChild"}

    def reports(self, call: ast.Call, shadowed: AbstractSet[str]) -> bool:
        # the module's loggers only add reporters: look for them only when the tables do not answer
        if self._reports(call, shadowed):
            return True
        if self._tree is not None and self._scan_may_matter(call, shadowed):
            self._scan()
            if self._reports(call, shadowed):
                return True
        return self.raises(call)

    def logs(self, call: ast.Call, shadowed: AbstractSet[str]) -> bool:
        """A log line: a `logging` function, or a log method of one of the module's loggers
        (`logger.debug("closing %s", sub)`); not whatever else reports (`send_usage_report()`)."""
        func = call.func
        resolved = self._resolve(func, shadowed)
        if resolved is not None and resolved.split(".", 1)[0] == "logging":
            return True
        if not isinstance(func, ast.Attribute) or func.attr not in table.LOG_METHODS:
            return False
        receiver = dotted(func.value)
        if receiver is None:
            return False
        if self._tree is not None:
            self._scan()
        return receiver in self.loggers or receiver.rsplit(".", 1)[-1] in self.loggers

    def raises(self, call: ast.Call) -> bool:
        """A call of a function this module defines (`unexpected(token)`, `self._bail(msg)`) whose
        every path ends in a `raise`: the error goes on, as another one."""
        func = call.func
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
            name = func.attr
        else:
            return False
        found = self._raising.get(name)
        if found is None:
            if self._by_name is None:
                self._by_name = {}
                for node in self._defs if self._defs is not None else ast.walk(self._module):
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self._by_name.setdefault(node.name, []).append(node)
            defs = self._by_name.get(name, ())
            found = self._raising[name] = bool(defs) and all(_always_raises(d.body) for d in defs)
        return found

    def _scan_may_matter(self, call: ast.Call, shadowed: AbstractSet[str]) -> bool:
        """Whether what `_scan` may add could change `_reports`' answer for `call`: a logger, for a log
        method's receiver (only a module that spells a logger factory makes one), or a function, for a
        call whose name (as written or resolved) ends in a name the module assigns to (`warn = ...`)."""
        text = self._spelled()
        if text is None:
            return True
        func = call.func
        receiver = dotted(func.value) if isinstance(func, ast.Attribute) else None
        if isinstance(func, ast.Attribute) and func.attr in table.LOG_METHODS and receiver is not None:
            # a logger the scan finds is the target of an assignment, named (or ending) as the receiver
            if any(word in text for word in _LOGGER_WORDS) and _assigned(text, receiver.rsplit(".", 1)[-1]):
                return True
        # a function the scan finds is the one target of an `=` (`warn = log.warning`): a statement's
        # own start, not a keyword argument or a default (`unlink=_os.unlink`)
        ends = {name.rsplit(".", 1)[-1] for name in (dotted(func), self._resolve(func, shadowed)) if name}
        return any(_assigned(text, word, alone=True) for word in ends)

    def _resolve(self, func: ast.expr, shadowed: AbstractSet[str]) -> str | None:
        """`names.resolve(func, shadowed)`, asking `shadowed` (the function's own bindings, costly to
        find) only about a name that resolves to something when nothing shadows it: what `resolve`
        gives a chain is decided by its first name, and one that names no import or builtin (a local,
        as most calls' receivers are: `conn.close()`) resolves to nothing, shadowed or not."""
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return None
        known = self._resolvable.get(root.id)
        if known is None:
            known = self._resolvable[root.id] = self.names.resolve(root) is not None
        return self.names.resolve(func, shadowed) if known else None

    def _spelled(self) -> str | None:
        """The module's text with every identifier spelled as Python reads it: NFKC-normalised, as the
        tokenizer normalises an identifier that is not ASCII. (Outside strings and comments, what is
        not ASCII is part of an identifier, so the code around each keeps its spelling.)"""
        if not self._normalised:
            self._normalised = True
            if self._text is not None and not self._text.isascii():
                self._text = unicodedata.normalize("NFKC", self._text)
        return self._text

    def _reports(self, call: ast.Call, shadowed: AbstractSet[str]) -> bool:
        func = call.func
        resolved = self._resolve(func, shadowed)
        if resolved is not None:
            if resolved in self.functions or resolved.split(".", 1)[0] in table.REPORTER_MODULES:
                return True
            if resolved in table.ENDING_FUNCTIONS:
                return True
        text = dotted(func)
        if text is not None and text in self.functions:
            return True
        if isinstance(func, ast.Attribute):
            if func.attr in self.methods:
                return True
            receiver = dotted(func.value)
            if func.attr in table.LOG_METHODS and receiver is not None:
                if receiver in self.loggers or receiver.rsplit(".", 1)[-1] in self.loggers:
                    return True
            if receiver in {"sys.stderr", "sys.__stderr__"}:
                return True
        if isinstance(func, ast.Name) and func.id == "print" and "print" not in shadowed:
            # A message written to stderr or to a file of the program's own is a trace of the failure;
            # one on stdout, which does not show the error, is output (SPEC: `print(..., file=sys.stderr)`).
            return any(k.arg == "file" and dotted(k.value) not in _STDOUT for k in call.keywords)
        if any(k.arg == "err" and not (isinstance(k.value, ast.Constant) and not k.value.value) for k in call.keywords):
            return True  # click.echo(..., err=True)
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        lowered = name.lower()
        if any(part in lowered for part in table.REPORTING_PARTS):
            return True
        words = {word.lower() for word in _WORD.findall(name)}
        if words & table.REPORTING_WORDS:
            return True
        return bool(words & table.LOG_LEVEL_WORDS and words & table.OUTPUT_VERBS)


# Where `print(..., file=...)` writes the program's output, not a trace.
_STDOUT = frozenset({"sys.stdout", "sys.__stdout__", "stdout"})
# What a call `_makes_logger` accepts spells in the module's text: a factory's last name.
_LOGGER_WORDS = tuple(sorted({name.rsplit(".", 1)[-1] for name in table.LOGGER_FACTORIES}
                             | {"getLogger", "get_logger", "getChild"}))
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _assigned(text: str, word: str, alone: bool = False) -> bool:
    """Whether `word` (an identifier) may end the target of an `=` in `text`: some occurrence is
    followed, past spaces, `)` and continuation backslashes, by a plain `=` or an annotation's `:`, or
    by the line's end or a comment (the target may go on inside parentheses). `alone`: the target of a
    statement with one target, so the dotted name it ends starts the statement too."""
    size, length = len(text), len(word)
    start = text.find(word)
    while start >= 0:
        end = start + length
        if (start == 0 or text[start - 1] not in _IDENT_CHARS or text[start - 1].isdigit()) and (
                end >= size or text[end] not in _IDENT_CHARS):
            while end < size and text[end] in " \t\f\r\\)":
                end += 1
            if (end >= size or text[end] in "\n#:" or (text[end] == "=" and text[end + 1:end + 2] != "=")) and (
                    not alone or _may_start_statement(text, start)):
                return True
        start = text.find(word, start + 1)
    return False


def _may_start_statement(text: str, start: int) -> bool:
    """Whether the dotted name that ends with the identifier at `start` may be the whole target of a
    statement: on its line, before it, stand only the name's own parts (identifiers joined by dots,
    parentheses, spaces) after the line's start, a `;` or the `:` of a compound statement. Two names
    with nothing but spaces between (`def f`), a name right before a `(` (a call, a `def`), or any other
    character (`,`, `=`, an operator) put it somewhere else: a keyword argument, a default, a chain."""
    at, last = start, "name"  # what was passed last, going left: the identifier itself to begin with
    while at > 0:
        char = text[at - 1]
        if char in " \t\f":
            at -= 1
        elif char in "\n\r;:":
            return True
        elif char in _IDENT_CHARS or not char.isascii():  # an identifier may hold letters that are not ASCII
            if last != "dot" and last != "close":
                return False
            while at > 0 and (text[at - 1] in _IDENT_CHARS or not text[at - 1].isascii()):
                at -= 1
            last = "name"
        elif char in _NAME_PUNCTUATION:
            last = _NAME_PUNCTUATION[char]
            at -= 1
        else:
            return False
    return True


_NAME_PUNCTUATION = {".": "dot", "(": "open", ")": "close"}


class CommentLines(Mapping[int, str]):
    """The comment on each line that holds one, found only for the lines asked about.

    Tokenizing a whole file costs more than the rest of the family; a handler asks about a few lines,
    and a line without `#` holds no comment. A line with one is tokenized alone, and only when that
    fails (the line is inside a multi-line string) is the whole file tokenized, once.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines
        self._known: dict[int, str | None] = {}
        self._whole: dict[int, str] | None = None

    def _comment(self, line: int) -> str | None:
        if line in self._known:
            return self._known[line]
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        found: str | None = None
        if "#" in text:
            try:
                for token in tokenize.generate_tokens(io.StringIO(text.strip() + "\n").readline):
                    if token.type == tokenize.COMMENT:
                        found = token.string
            except (tokenize.TokenError, SyntaxError, IndentationError):
                found = self._everything().get(line)
        self._known[line] = found
        return found

    def _everything(self) -> dict[int, str]:
        if self._whole is None:
            self._whole = comment_lines(self._lines)
        return self._whole

    def __getitem__(self, line: int) -> str:
        found = self._comment(line)
        if found is None:
            raise KeyError(line)
        return found

    def __contains__(self, line: object) -> bool:
        return isinstance(line, int) and self._comment(line) is not None

    def __iter__(self) -> Iterator[int]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


def comment_lines(lines: Sequence[str]) -> dict[int, str]:
    """The comment on each line that holds one."""
    found: dict[int, str] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


class LocalNames(AbstractSet[str]):
    """`local_bindings(func)`, asked one name at a time. A parameter is one. A name the function's text
    spells only where no binding can stand (`name.attr`, `name[...]`, a call `name(...)`, `except name`)
    is not: an assignment, a `for` or `with` target, a `def`, a parameter, `global`, `as`, a match
    capture all put something else after (or `def`/`class` before) the name. Only otherwise is the
    function's scope built, once."""

    def __init__(self, func: ast.FunctionDef | ast.AsyncFunctionDef, text: str) -> None:
        self._func = func
        self._text = text
        self._params = frozenset(a.arg for a in parameters(func))
        self._answers: dict[str, bool] = {}
        self._every: frozenset[str] | None = None

    def _all(self) -> frozenset[str]:
        if self._every is None:
            self._every = frozenset(local_bindings(self._func))
        return self._every

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name in self._params:
            return True
        known = self._answers.get(name)
        if known is None:
            known = self._answers[name] = not _never_bound(self._text, name) and name in self._all()
        return known

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _never_bound(text: str, name: str) -> bool:
    """Whether every occurrence of the identifier `name` in `text` stands where a binding of it cannot:
    followed by `.`, `[` or `(` (unless after `def` or `class`), or right after `except`."""
    if not text.isascii():
        return False  # Python normalises identifiers that are not ASCII: the spelling may differ
    size, length = len(text), len(name)
    start = text.find(name)
    while start >= 0:
        end = start + length
        if (start == 0 or text[start - 1] not in _IDENT_CHARS or text[start - 1].isdigit()) and (
                end >= size or text[end] not in _IDENT_CHARS):
            after = end
            while after < size and text[after] in " \t\f":
                after += 1
            following = text[after] if after < size else ""
            keyword = _word_before(text, start)
            if keyword != "except" and not (
                    following in (".", "[") or (following == "(" and keyword not in ("def", "class"))):
                return False
        start = text.find(name, start + 1)
    return True


def _word_before(text: str, at: int) -> str:
    """The identifier that ends right before `at`, past spaces and continued lines (`def`, `except`);
    a line break of its own ends the search (a comment's last word is not the statement's)."""
    end = at
    while True:
        while end > 0 and text[end - 1] in " \t\f":
            end -= 1
        if end > 1 and text[end - 1] == "\n" and text[end - 2] == "\\":
            end -= 2
        elif end > 2 and text[end - 1] == "\n" and text[end - 2] == "\r" and text[end - 3] == "\\":
            end -= 3
        else:
            break
    start = end
    while start > 0 and text[start - 1] in _IDENT_CHARS:
        start -= 1
    return text[start:end]


def is_broad(expr: ast.expr | None, names: Names, shadowed: AbstractSet[str]) -> bool:
    if expr is None:
        return True
    options = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    for option in options:
        if isinstance(option, ast.Name):
            if option.id in _BROAD and option.id not in shadowed:
                if option.id not in names.module_bound:
                    return True
            # a name resolves to itself (a builtin) or to nothing unless it is imported
            elif option.id in names.aliases and names.resolve(option, shadowed) in _BROAD_RESOLVED:
                return True
        # an attribute resolves to a dotted name ending in its own attribute; nothing else resolves
        elif isinstance(option, ast.Attribute) and option.attr in _BROAD and (
                names.resolve(option, shadowed) in _BROAD_RESOLVED):
            return True
    return False


def handler_label(handler: ast.ExceptHandler, lines: Sequence[str]) -> str:
    if handler.type is None:
        return "except:"
    return f"except {ast.unparse(handler.type)}"


class HandlerAnalysis:
    """Answers, for the broad handlers of one scope, whether every path out of each drops the error."""

    def __init__(self, scope: Scope, tree: ast.AST, reporters: Reporters, comments: Mapping[int, str],
                 registered: AbstractSet[str], lines: Sequence[str] | None = None,
                 guarded: Guarded | None = None) -> None:
        self.scope = scope
        self._guarded = guarded
        self._lines = lines  # the module's, when known: the function's text answers most `shadowed` questions
        self.tree = tree
        self.reporters = reporters
        self.comments = comments
        func = scope.function()
        self.retried: dict[str, list[ast.Call]] = {}
        self.defined: frozenset[str] = frozenset()  # names the `try` block binds
        self.releasing = func is not None and (func.name in _RELEASING or func.name.lstrip("_") in _RELEASING)
        self._registered = registered

    @cached_property
    def finalizer(self) -> bool:
        """Run by the interpreter as it drops the object or exits: a failure there has no caller to
        reach. Asked only of a block that only releases."""
        func = self.scope.function()
        return func is not None and (func.name in ("__del__", "__adel__") or func.name in self._registered)

    @cached_property
    def shadowed(self) -> AbstractSet[str]:
        """The names the function binds itself; asked only once a handler may be broad, and then of a
        few names (a call's root, `print`, `Exception`), each answered from the text when it can be."""
        func = self.scope.function()
        if func is None:
            return frozenset()
        if self._lines is None:
            return frozenset(local_bindings(func))
        own = self._lines[func.lineno - 1:func.end_lineno]
        # flake8's lines keep their line ends; ours do not
        return LocalNames(func, ("" if own and own[0].endswith("\n") else "\n").join(own))

    @cached_property
    def _places(self) -> dict[int, Place]:
        """Where each statement of the scope stands (its block, its index there, the statement owning
        the block), built once: the questions asked of every handler then walk up from the statement
        instead of searching the function from its top (N handlers cost N, not N squared)."""
        return _places(self.scope.body)

    @cached_property
    def _loop_ending(self) -> dict[int, ast.For | ast.AsyncFor]:
        """The `for` of this scope whose body each statement ends, by the statement's id."""
        return {id(n.body[-1]): n for n in self.scope.own_nodes() if isinstance(n, (ast.For, ast.AsyncFor)) and n.body}

    @cached_property
    def declared(self) -> frozenset[str]:
        return frozenset(
            n for node in self.scope.own_nodes() if isinstance(node, (ast.Global, ast.Nonlocal)) for n in node.names
        )

    # --- what the rule asks ---

    def swallowed(self, names: Names, blocks: Iterable[ast.AST] | None = None) -> Iterator[Swallow]:
        """The broad handlers that drop every error; `blocks`: the scope's `try`s and `with`s in
        source order, when the caller knows them (else they are looked for among its nodes)."""
        for node in self.scope.own_nodes() if blocks is None else blocks:
            # whether the block only releases is asked once a handler would be reported: most never are
            released: list[bool] = []
            if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                try_ = cast(ast.Try, node)  # `try`/`except*` have the same fields
                if not can_raise(tuple(try_.body)):
                    continue  # `try: args += [("pid", os.getpid())]`: there is nothing to drop
                if self._documented_drop(try_):
                    continue
                for handler in try_.handlers:
                    # broad before the function's own names are known is necessary (they only shadow)
                    if not is_broad(handler.type, names, frozenset()):
                        continue
                    if all(isinstance(b, ast.Pass) for b in handler.body) and self._keeps_default(try_):
                        continue
                    # a bare `except:` names nothing a binding could shadow
                    if (handler.type is None or is_broad(handler.type, names, self.shadowed)) and self._drops(
                            handler, try_):
                        if isinstance(node, ast.Try) and self._releases_only(node, released):
                            break
                        if self._goes_on(handler, try_) and (self._falls_back(try_) or self._raises_next(try_)):
                            continue
                        if self._nothing_reaches(try_):
                            break
                        yield Swallow(handler, handler_label(handler, ()), tuple(try_.body))
            elif isinstance(node, ast.With):
                for item in node.items:
                    call = item.context_expr
                    if (isinstance(call, ast.Call) and names.resolve(call.func) == "contextlib.suppress"
                            and names.resolve(call.func, self.shadowed) == "contextlib.suppress"
                            and any(is_broad(a, names, self.shadowed) for a in call.args)
                            and not call.keywords and not self._commented(node)
                            and not self._explained_above(node.lineno)
                            and not self._keeps_default(node)):
                        if self._releases_only(node, released) or self._falls_back(node) or self._raises_next(node):
                            break
                        label = f"suppress({', '.join(ast.unparse(a) for a in call.args)})"
                        yield Swallow(call, label, tuple(node.body))

    def _nothing_reaches(self, try_: ast.Try) -> bool:
        """Every call of the block that may raise runs a function of the module that catches every
        error itself (`try: job.run()` where `Job.run` logs what its work raised): no error reaches
        the handler, a keep-alive guard (analysis.guarded). Asked once a handler would be reported."""
        guarded, caller = self._guarded, self.scope.function()
        if guarded is None or caller is None:
            return False
        return not can_raise(tuple(try_.body), quiet=lambda call: guarded.quiet(call, caller))

    def _raises_next(self, block: ast.Try | ast.With) -> bool:
        """`try: logs = container.logs()` / `except Exception: pass` / `raise RuntimeError(...)`: past
        simple statements, the function raises whether the block failed or not — a best-effort step
        (gathering logs for the message) on a path that fails anyway, whose caller hears of it."""
        for stmt in _following(self.scope.body, block, places=self._places):
            if isinstance(stmt, ast.Raise):
                return stmt.exc is not None
            if not isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Pass)):
                return False
        return False

    def _goes_on(self, handler: ast.ExceptHandler, try_: ast.Try) -> bool:
        """The handler surely goes on past its `try`: it falls through, or it ends with `continue` of
        the loop whose body the `try` ends (the next item either way)."""
        if self._reaches_keep(handler.body, handler)[1]:
            return True
        body = handler.body
        return (isinstance(body[-1], ast.Continue) and self._ends_loop(try_)
                and (len(body) == 1 or self._reaches_keep(body[:-1], handler)[1]))

    def _gives_up_after_break(self, block: ast.Try | ast.With) -> bool:
        """`for ns in candidates: try: ...; result = ns; break` / `except Exception: pass`: each item
        is an attempt, and the loop's `else`, or an `if` after the loop on a name the block sets
        (`if result: ... else: LOG.info("no DNS server answered")`), tells the exhausted loop from
        the answered one: raising or reporting there keeps the error."""
        loop = self._loop_ending.get(id(block))
        if loop is None or not _breaks(block.body):
            return False
        if loop.orelse:
            return self._fails_loudly(loop.orelse)
        stored = {n.id for n in own_nodes(list(block.body)) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        for stmt in _following(self.scope.body, loop, places=self._places):
            if isinstance(stmt, ast.If):
                failed = _unanswered_branch(stmt, stored)
                return failed is not None and self._fails_loudly(failed)
            if not isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Pass)):
                return False
        return False

    def _fails_loudly(self, stmts: list[ast.stmt]) -> bool:
        """A statement of `stmts` (not nested in another) raises or calls a reporter."""
        for stmt in stmts:
            if isinstance(stmt, ast.Raise):
                return True
            if isinstance(stmt, (ast.Expr, ast.Assign)) and any(
                    isinstance(n, ast.Call) and self.reporters.reports(n, self.shadowed) for n in ast.walk(stmt)):
                return True
        return False

    def _ends_loop(self, block: ast.stmt) -> bool:
        """`block` is the last statement of the body of a `for` of this scope: when it completes, the
        loop tries its next item."""
        return id(block) in self._loop_ending

    def _falls_back(self, block: ast.Try | ast.With) -> bool:
        """`try: return json.loads(text)` / `except Exception: pass` / `return {}`: the block returns
        on success, so what follows it runs only when it failed, and it returns a value (past simple
        statements computing it and other attempts of the same shape): the same as
        `except Exception: return {}`, a fallback. One that raises or reports once the attempts
        failed keeps the error too. A block ending a `for` body that returns on some path (`if
        login == wanted: return`) tries each item in turn: what follows the loop runs once none
        answered, failed or not (`raise NotFound(...)` there keeps the error)."""
        returns = _never_completes(block.body) or (isinstance(block, ast.Try) and _never_completes(block.orelse))
        if not returns and not (
                self._ends_loop(block) and any(isinstance(n, ast.Return) for n in own_nodes(list(block.body)))):
            return self._gives_up_after_break(block)
        after = _following(self.scope.body, block, attempts=True, places=self._places)
        for stmt in after:
            if isinstance(stmt, ast.Raise):
                return True  # `raise ValueError(f"bad number {text}")`: the failure goes on
            if isinstance(stmt, ast.Return):
                return stmt.value is not None and not (isinstance(stmt.value, ast.Constant) and stmt.value.value is None)
            if isinstance(stmt, (ast.Try, ast.With)) and _never_completes(stmt.body):
                continue  # another attempt that returns on success
            if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)):
                if any(isinstance(n, ast.Call) and self.reporters.reports(n, self.shadowed) for n in ast.walk(stmt)):
                    return True  # `log.warning("no JSON in %s", key)` once every attempt failed
                continue  # the fallback computed on the way to the `return`
            return False
        return False

    def _releases_only(self, node: ast.Try | ast.With, known: list[bool]) -> bool:
        """`_best_effort_release`, asked once per block (`known` keeps the answer)."""
        if not known:
            known.append(self._best_effort_release(node))
        return known[0]

    def _best_effort_release(self, node: ast.Try | ast.With) -> bool:
        """A release whose failure has nowhere better to go: a block that only releases, in a function
        that only releases (`__del__`, `atexit`, `close`, `cleanup`, `shutdown`, `__exit__`). Elsewhere
        the SPEC gives no such leave: `reconnect()` that drops what `self.sock.shutdown()` raised, or a
        `flush_all()` that suppresses every error of `flush()`, hides a failing release. (A lone
        `close()` never gets here: `can_raise` takes it not to raise.)"""
        if not _only_releases(node.body):
            return False
        if self.finalizer:
            return True
        if self.releasing:
            # in `close()`/`__exit__`: only when what the block calls releases too (an upload or a
            # commit there is work whose failure someone should hear of); a log line that says what is
            # being released is neither
            calls = [c for c in own_nodes(list(node.body)) if isinstance(c, ast.Call)]
            released = [c for c in calls if _releases(c)]
            return (bool(released) or not calls) and all(
                c in released or self.reporters.logs(c, self.shadowed) for c in calls)
        return False

    def _keeps_default(self, block: ast.Try | ast.With) -> bool:
        """`pid = None` / `with suppress(Exception): pid = int(text)` / `return pid`: the block only
        computes values whose defaults were set before it and are read after it, so a failure leaves
        the default, which the code after it handles. The block may compute them in steps, through
        `if`s and `for` loops over names of its own (`for token in TOKENS: out = out.replace(...)`),
        whose other names are not read after it before they are bound again."""
        targets: set[str] = set()
        if not block.body or not _only_assigns(block.body, targets, False):
            return False
        func = self.scope.function()
        params = {a.arg for a in parameters(func)} if func is not None else set()
        before: set[str] = set(params)
        # what each name holds after the block is read there when a line after it loads the name
        # no earlier than the first line that binds it again (`out = out.strip()` reads it first)
        loaded: dict[str, int] = {}
        stored: dict[str, int] = {}
        end = block.end_lineno or block.lineno
        for node in self.scope.own_nodes():
            if not (isinstance(node, ast.Name) and node.id in targets):
                continue
            if isinstance(node.ctx, ast.Store) and node.lineno < block.lineno:
                before.add(node.id)
            elif node.lineno > end:
                seen = loaded if isinstance(node.ctx, ast.Load) else stored
                seen[node.id] = min(seen.get(node.id, node.lineno), node.lineno)
        read = {name for name, line in loaded.items() if line <= stored.get(name, line)}
        return bool(read) and read <= before

    # --- the path question ---

    def _retry(self, call: ast.Call) -> bool:
        """Whether `call` makes a call of the `try` again: the same function, and no argument that names
        a constant outcome differs (`cfnresponse.send(..., FAILED, ...)` after `send(..., SUCCESS, ...)`
        reports another answer; it retries nothing)."""
        text = dotted(call.func)
        if text is None or safe_call(call.func):
            return False
        return any(_same_outcome(call, earlier) for earlier in self.retried.get(text, ()))

    def _documented_drop(self, block: ast.Try) -> bool:
        """`def _abort(self): "Call _finish, but eat the exception (if any)." try: ...`: the docstring of
        the function whose own body the `try` is part of says that it drops the error, as a comment in
        the handler would. So does one that says the function answers None when it cannot answer
        ("or None if unable to determine"), when every broad handler of the `try` gives that None."""
        func = self.scope.function()
        if func is None:
            return False
        doc = ast.get_docstring(func, clean=False) or ""
        # the docstring first: few say so, and a function may hold thousands of `try`s
        if _DROPPING.search(doc) is not None and _ERRORS.search(doc) is not None:
            return any(stmt is block for stmt in func.body)
        if _NONE_ON_FAILURE.search(doc) is None or not any(stmt is block for stmt in func.body):
            return False
        index = next(i for i, stmt in enumerate(func.body) if stmt is block)
        rest = func.body[index + 1:]
        falls_to_none = all(_returns_none(stmt) for stmt in rest)
        return all(
            all(_returns_none(b) or (isinstance(b, ast.Pass) and falls_to_none) for b in handler.body)
            for handler in block.handlers
        )

    def _commented(self, block: ast.ExceptHandler | ast.With) -> bool:
        """A comment in the block's body, or one on its opening lines that is not a tool's directive:
        the author says why. The opening lines run to the body's first statement, so a clause spread
        over several lines (`with (\n suppress(Exception),  # noqa\n):`) is judged as one line."""
        comments = self.comments
        first, last = block.lineno, block.end_lineno or block.lineno
        body = block.body[0].lineno if block.body else last + 1
        opening = range(first, max(first + 1, body))
        return any(line in comments for line in range(opening.stop, last + 1)) or any(
            (comment := comments.get(line)) is not None and says_why(comment) for line in opening)

    def _explained_above(self, line: int) -> bool:
        """A comment of its own on the line right above a `with suppress(...)` (which has no handler
        body to hold one): the author says why the errors may go."""
        if self._lines is None or line < 2 or (line - 1) not in self.comments:
            return False
        text = self._lines[line - 2].strip()
        return text.startswith("#") and says_why(text)

    def _drops(self, handler: ast.ExceptHandler, try_: ast.Try) -> bool:
        if self._commented(handler):
            return False
        if self._reaches_keep(handler.body, handler)[0]:
            return False  # what the graph would find on the paths it surely takes: no graph needed
        if self._retries(handler, try_):
            return False
        cfg = self.scope.cfg
        if cfg is None:
            return False  # too large to follow: say nothing rather than guess
        starts = cfg.nodes_of(handler)
        if not starts:
            return False
        within = inside(handler.body)
        tried: dict[str, list[ast.Call]] = {}
        for n in own_nodes(list(try_.body)):
            if isinstance(n, ast.Call) and (text := dotted(n.func)):
                tried.setdefault(text, []).append(n)
        self.retried = tried
        self.defined = frozenset(
            n.id for n in own_nodes(list(try_.body)) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        ) | frozenset(  # `try: import ujson as json` / `except Exception: json = None`
            (a.asname or a.name).split(".")[0] for n in own_nodes(list(try_.body))
            if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names
        )
        seen: set[int] = set()
        stack: list[Node] = [s for start in starts for s, _ in start.succ if id(s.stmt) in within]
        if not stack:
            return False
        while stack:
            node = stack.pop()
            if node.id in seen:
                continue
            seen.add(node.id)
            if self._keeps(node, handler, cfg, within):
                return False
            for target, _kind in node.succ:
                if id(target.stmt) in within and target.stmt is not handler:
                    stack.append(target)
        return True

    def _reaches_keep(self, stmts: list[ast.stmt], handler: ast.ExceptHandler) -> tuple[bool, bool]:
        """Whether a statement of `stmts` that the graph surely reaches from the block's start (on its
        normal edges: past a test that is not constant, into a loop's body, past a block that falls
        through) does what `_keeps` accepts with no graph; and whether the block surely falls through.
        Sufficient only: a `match`, an `except*`, a path through a handler are left to the graph."""
        for stmt in stmts:
            kind = stmt.__class__
            if kind is ast.Raise:
                return True, False
            if kind is ast.Return:
                value = stmt.value  # type: ignore[attr-defined]
                if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
                    return True, False
                return self._keeps_syntactically(stmt, handler), False
            if kind is ast.Break or kind is ast.Continue:
                return False, False
            if kind is ast.If or kind is ast.While:
                test = stmt.test  # type: ignore[attr-defined]
                if self._keeps_syntactically(test, handler):
                    return True, False
                truth = bool(test.value) if isinstance(test, ast.Constant) else None
                falls = False
                if truth is not False:
                    keeps, inside_falls = self._reaches_keep(stmt.body, handler)  # type: ignore[attr-defined]
                    if keeps:
                        return True, False
                    falls = kind is ast.If and inside_falls  # a loop's body goes back to its test
                if truth is not True:
                    keeps, inside_falls = self._reaches_keep(stmt.orelse, handler)  # type: ignore[attr-defined]
                    if keeps:
                        return True, False
                    falls = falls or inside_falls
                if not falls:
                    return False, False
            elif kind is ast.For or kind is ast.AsyncFor:
                if self._keeps_syntactically(stmt.iter, handler) or self._keeps_syntactically(stmt.target, handler):  # type: ignore[attr-defined]
                    return True, False
                if self._reaches_keep(stmt.body, handler)[0]:  # type: ignore[attr-defined]
                    return True, False
                keeps, falls = self._reaches_keep(stmt.orelse, handler)  # type: ignore[attr-defined]
                if keeps or not falls:
                    return keeps, False
            elif kind is ast.With or kind is ast.AsyncWith:
                for item in stmt.items:  # type: ignore[attr-defined]
                    if self._keeps_syntactically(item.context_expr, handler) or (
                            item.optional_vars is not None and self._keeps_syntactically(item.optional_vars, handler)):
                        return True, False
                keeps, falls = self._reaches_keep(stmt.body, handler)  # type: ignore[attr-defined]
                if keeps or not falls:
                    return keeps, False
            elif kind is ast.Try:
                # its handlers are reached only through a raise: only the normal path is followed
                for block in (stmt.body, stmt.orelse, stmt.finalbody):  # type: ignore[attr-defined]
                    keeps, falls = self._reaches_keep(block, handler)
                    if keeps or not falls:
                        return keeps, False
            elif isinstance(stmt, _SIMPLE_NODES):
                if _always_fails(stmt) or self._keeps_syntactically(stmt, handler):
                    return True, False
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                    ends = no_return_kind(dotted(stmt.value.func))
                    if ends == "end":
                        return True, False  # the program ends here: the graph's `end` node keeps
                    if ends == "raise":
                        return False, False  # it raises every time: only its exception edge is taken
            else:
                return False, False  # `match`, `except*`: left to the graph
        return False, True

    def _keeps_syntactically(self, stmt: ast.AST, handler: ast.ExceptHandler) -> bool:
        """The tests of `_keeps` on a statement's own nodes that need no graph."""
        for sub in breadth_first(stmt):
            if isinstance(sub, ast.Name) and sub.id == handler.name and isinstance(sub.ctx, ast.Load):
                return True
            if isinstance(sub, (ast.Yield, ast.YieldFrom)) and sub.value is not None and not (
                isinstance(sub.value, ast.Constant) and sub.value.value is None
            ):
                return True
            if isinstance(sub, ast.Call) and self.reporters.reports(sub, self.shadowed):
                return True
            if isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                return True
            if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                return True
        return False

    def _keeps(self, node: Node, handler: ast.ExceptHandler, cfg: Cfg, within: AbstractSet[int]) -> bool:
        if node.kind in ("raise", "end"):
            return True
        stmt = node.stmt
        if _always_fails(stmt):
            return True
        if node.kind == "return" and isinstance(stmt, ast.Return):
            if stmt.value is not None and not (isinstance(stmt.value, ast.Constant) and stmt.value.value is None):
                return True
        for part in node.parts:
            for sub in breadth_first(part):
                if isinstance(sub, ast.Name) and sub.id == handler.name and isinstance(sub.ctx, ast.Load):
                    return True
                if isinstance(sub, (ast.Yield, ast.YieldFrom)) and sub.value is not None and not (
                    isinstance(sub.value, ast.Constant) and sub.value.value is None
                ):
                    return True
                if isinstance(sub, ast.Call):
                    if self.reporters.reports(sub, self.shadowed):
                        return True
                    if self._retry(sub):
                        return True  # the same call again: if the error persists, it is raised there
                    if self._records(sub, node, cfg, within):
                        return True
                if isinstance(sub, (ast.Attribute, ast.Subscript)) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                    return True  # the failure is recorded on an object
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    return True  # a definition made as the fallback
        for name in _stored_names(node):
            if name in self.declared or self._read_later(name, node, cfg, within):
                return True
            if not self.scope.is_function and name in self.defined:
                return True  # a module's or class's name given its fallback: other modules may read it
        return False

    def _records(self, call: ast.Call, node: Node, cfg: Cfg, within: AbstractSet[int]) -> bool:
        """`failed.append(item)`: the failure is kept in a container someone reads."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _MUTATORS:
            return False
        receiver = func.value
        if isinstance(receiver, ast.Name):
            return (receiver.id in self.declared or not self.scope.is_function
                    or self._read_later(receiver.id, node, cfg, within))
        return dotted(receiver) is not None

    def _read_later(self, name: str, node: Node, cfg: Cfg, within: AbstractSet[int]) -> bool:
        """A statement after the handler reads the value `node` gives `name` (a fallback, a flag)."""
        if not self.scope.is_function:
            # a module or class name set in a handler may be read by any function of the module
            return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) for n in breadth_first(self.tree))
        if self._closure_reads(name):
            return True
        seen: set[int] = set()
        stack = [t for t, kind in node.succ if kind != EXC]
        while stack:
            current = stack.pop()
            if current.id in seen:
                continue
            seen.add(current.id)
            if id(current.stmt) not in within and _loads(current, name):
                return True
            if name in _stored_names(current):
                continue
            stack.extend(t for t, _ in current.succ)
        return False

    def _closure_reads(self, name: str) -> bool:
        for node in self.scope.own_nodes():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) for n in breadth_first(node)):
                    return True
        return False

    def _retries(self, handler: ast.ExceptHandler, try_: ast.Try) -> bool:
        """The handler goes round a retry loop that counts its attempts and leaves on success."""
        loop = self._loop_around(try_)
        if loop is None:
            return False
        if any(isinstance(n, (ast.Break, ast.Return)) for n in own_nodes(list(handler.body))):
            return False
        attempt = list(loop_level([*try_.body, *try_.orelse]))
        succeeds: list[ast.AST] = [n for n in attempt if isinstance(n, (ast.Break, ast.Return))]
        if not succeeds and isinstance(loop, ast.While):
            # `while not done and tries < 5:` ... `done = True`: success ends the loop through its test
            tested = {n.id for n in breadth_first(loop.test) if isinstance(n, ast.Name)}
            succeeds = [n for n in attempt if isinstance(n, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id in tested for t in n.targets)]
        if not succeeds:
            return False
        if isinstance(loop, (ast.For, ast.AsyncFor)):
            func = loop.iter.func if isinstance(loop.iter, ast.Call) else None
            return isinstance(func, ast.Name) and func.id == "range" or (
                isinstance(func, ast.Attribute) and func.attr in {"count", "repeat"}
            )
        counters = {t.target.id for t in own_nodes(list(loop.body))
                    if isinstance(t, ast.AugAssign) and isinstance(t.target, ast.Name)}
        if not counters:
            return False
        tests: list[ast.AST] = [loop.test]
        tests += [n.test for n in own_nodes(list(loop.body)) if isinstance(n, (ast.If, ast.While))]
        return any(isinstance(n, ast.Name) and n.id in counters for t in tests for n in breadth_first(t))

    def _loop_around(self, target: ast.stmt) -> ast.For | ast.AsyncFor | ast.While | None:
        """The innermost loop of this scope whose body holds `target`."""
        places = self._places
        place = places.get(id(target))
        while place is not None:
            block, _, owner = place
            if isinstance(owner, (ast.For, ast.AsyncFor, ast.While)) and block is owner.body:
                return owner
            place = places.get(id(owner)) if owner is not None else None
        return None


def _always_raises(stmts: list[ast.stmt]) -> bool:
    """Whether every path through `stmts` ends in a `raise` (through `if`/`else` and `with`)."""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.If):
        return _always_raises(last.body) and _always_raises(last.orelse)
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return _always_raises(last.body)
    return False


def _never_completes(stmts: list[ast.stmt]) -> bool:
    """Whether no path through `stmts` goes on to the statement after them: each ends in a `return`
    or a `raise` (through `if`/`else`, `with` and `try` blocks)."""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    if isinstance(last, ast.If):
        return _never_completes(last.body) and _never_completes(last.orelse)
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return _never_completes(last.body)
    if isinstance(last, ast.Try):
        return (_never_completes(last.finalbody)
                or ((_never_completes(last.body) or _never_completes(last.orelse))
                    and all(_never_completes(h.body) for h in last.handlers)))
    return False


def _breaks(stmts: list[ast.stmt]) -> bool:
    """A `break` of the loop whose body holds `stmts` (not of a loop nested in them)."""
    stack = list(stmts)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.Break):
            return True
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                stack.extend(s for s in inner if isinstance(s, ast.stmt))
        for handler in getattr(stmt, "handlers", ()):
            stack.extend(handler.body)
    return False


def _unanswered_branch(stmt: ast.If, stored: AbstractSet[str]) -> list[ast.stmt] | None:
    """The branch of `if result:` (its `else`), `if not result:` or `if result is None:` (its body)
    that runs when no attempt set `result`, a name of `stored`; None for another test."""
    test = stmt.test
    if isinstance(test, ast.Name) and test.id in stored:
        return stmt.orelse
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name) and (
            test.operand.id in stored):
        return stmt.body
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name)
            and test.left.id in stored and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        if isinstance(test.ops[0], (ast.Is, ast.Eq)):
            return stmt.body
        if isinstance(test.ops[0], (ast.IsNot, ast.NotEq)):
            return stmt.orelse
    return None


# Where a statement stands: its block, its index in the block, the statement whose block it is (None
# for the function's own body).
Place = tuple[list[ast.stmt], int, Union[ast.stmt, None]]


def _places(body: list[ast.stmt]) -> dict[int, Place]:
    """Every statement under `body` (nested functions and classes are entered only as statements) by
    its id, with where it stands."""
    out: dict[int, Place] = {}
    work: list[tuple[list[ast.stmt], ast.stmt | None]] = [(body, None)]
    while work:
        block, owner = work.pop()
        for i, stmt in enumerate(block):
            out[id(stmt)] = (block, i, owner)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            inner: list[list[ast.stmt]] = [getattr(stmt, f) for f in ("body", "orelse", "finalbody")
                                           if isinstance(getattr(stmt, f, None), list)]
            inner += [h.body for h in getattr(stmt, "handlers", ())]
            inner += [c.body for c in getattr(stmt, "cases", ())]
            work.extend((sub, stmt) for sub in inner if sub and isinstance(sub[0], ast.stmt))
    return out


def _following(body: list[ast.stmt], target: ast.stmt, attempts: bool = False,
               places: dict[int, Place] | None = None) -> list[ast.stmt]:
    """The statements that run after `target` when it completes: those after it in its block, and
    where that block is the body of an `if` or a `with` that ends there, those after that statement,
    and so on out (a loop's body goes back to its head: nothing after it is followed, unless
    `attempts`: the body of a `for` that ends with `target` tries the next item, and once they are
    all tried goes on to the loop's `else` and what follows the loop). Nested functions and classes
    are not searched. `places`: `_places(body)`, when the caller keeps it."""
    where = places if places is not None else _places(body)
    trail: list[Place] = []
    place = where.get(id(target))
    while place is not None:
        trail.append(place)
        owner = place[2]
        place = where.get(id(owner)) if owner is not None else None
    out: list[ast.stmt] = []
    for block, i, owner in trail:  # from the target's own block outwards
        out.extend(block[i + 1:])
        if i + 1 < len(block):
            break
        if isinstance(owner, (ast.For, ast.AsyncFor)) and block is owner.body and attempts:
            out.extend(owner.orelse)  # the next item is the next attempt; then the loop's `else`
        elif not isinstance(owner, (ast.If, ast.With, ast.AsyncWith)):
            break
    return out


def _releases(call: ast.Call) -> bool:
    """A call whose name says it gives something back (`sock.close()`, `os.unlink(p)`,
    `shutil.rmtree(d)`, `self._stop_workers()`), or an argument-free call of an object's method
    named by a releasing word anywhere in it."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    words = {w.lower() for w in _WORD.findall(name)} | {name.lower().strip("_")}
    return bool(words & table.RELEASING_WORDS)


def _constant_like(expr: ast.expr) -> bool:
    """A literal, or a constant's name (`FAILED`, `cfnresponse.SUCCESS`)."""
    if isinstance(expr, ast.Constant):
        return True
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""
    return len(name) > 1 and name.isupper()


def _same_outcome(call: ast.Call, earlier: ast.Call) -> bool:
    """Whether no argument that both calls pass as a constant differs between them."""
    pairs = list(zip(call.args, earlier.args))
    given = {k.arg: k.value for k in earlier.keywords if k.arg}
    pairs += [(k.value, given[k.arg]) for k in call.keywords if k.arg in given]
    return not any(
        _constant_like(a) and _constant_like(b) and ast.dump(a) != ast.dump(b) for a, b in pairs
    )


def _returns_none(stmt: ast.stmt) -> bool:
    """`return` or `return None`."""
    return isinstance(stmt, ast.Return) and (stmt.value is None or (
        isinstance(stmt.value, ast.Constant) and stmt.value.value is None))


def _only_assigns(body: list[ast.stmt], targets: set[str], in_loop: bool) -> bool:
    """Whether `body` only binds names (assignments, `for` targets), through `if`s and `for`s, adding
    them to `targets`; calls inside the values are what may fail. (`x += ...` changes a list in place:
    not a value computed aside.)"""
    for stmt in body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            bound = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = [n for t in bound for n in target_names(t)]
            if not all(isinstance(t, (ast.Name, ast.Tuple, ast.List)) for t in bound) or not names:
                return False
            if any(not isinstance(e, ast.Name) for t in bound if isinstance(t, (ast.Tuple, ast.List)) for e in t.elts):
                return False
            targets.update(names)
        elif isinstance(stmt, ast.If):
            if not _only_assigns(stmt.body, targets, in_loop) or not _only_assigns(stmt.orelse, targets, in_loop):
                return False
        elif isinstance(stmt, ast.For):
            if not isinstance(stmt.target, (ast.Name, ast.Tuple)) or stmt.orelse:
                return False
            targets.update(target_names(stmt.target))
            if not _only_assigns(stmt.body, targets, True):
                return False
        elif isinstance(stmt, (ast.Break, ast.Continue)):
            if not in_loop:
                return False
        elif not isinstance(stmt, ast.Pass):
            return False
    return True


def _only_releases(stmts: list[ast.stmt]) -> bool:
    """Calls, `del` and resetting attributes, in a block with nothing else: what a `close()` does."""
    for stmt in stmts:
        if isinstance(stmt, ast.If):
            if not (_only_releases(stmt.body) and _only_releases(stmt.orelse)):
                return False
        elif isinstance(stmt, ast.Assign):
            if not isinstance(stmt.value, ast.Constant):
                return False
        elif not isinstance(stmt, (ast.Expr, ast.Delete, ast.Pass)):
            return False
    return True


def _stored_names(node: Node) -> set[str]:
    out: set[str] = set()
    for part in node.parts:
        for sub in breadth_first(part):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                out.add(sub.id)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                out.update((a.asname or a.name).split(".")[0] for a in sub.names)
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                out.add(sub.name)
    return out


def _loads(node: Node, name: str) -> bool:
    return any(
        isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, ast.Load)
        for part in node.parts for sub in breadth_first(part)
    )


# Calls that raise only on a programming error (a bad pattern, a wrong type), not on the failures a
# handler is written for: a message names another call of the block first when it has one. So is
# `getattr(x, name, default)`, which answers the default rather than raise.
_SELDOM_RAISING = frozenset({
    "re.escape", "re.search", "re.match", "re.fullmatch", "re.sub", "re.findall", "re.split",
    "Path", "pathlib.Path", "os.path.join", "os.path.basename", "os.path.dirname", "click.style",
    "str", "repr", "isinstance", "hasattr", "len", "bool", "type", "id", "callable",
})
_SELDOM_RAISING_METHODS = frozenset({
    "count", "replace", "strip", "lstrip", "rstrip", "lower", "upper", "startswith", "endswith", "format",
    "join", "is_file", "is_dir", "exists", "group", "groups",
})


def first_call(stmts: Sequence[ast.stmt]) -> ast.Call | None:
    """The first call of the block that may raise, in source order: one that may fail as the handler
    expects before one that raises only on a programming error (`re.escape()`, `text.count()`)."""
    seldom: ast.Call | None = None
    fallback: ast.Call | None = None
    raised = {id(n) for s in own_nodes(list(stmts)) if isinstance(s, ast.Raise) for n in breadth_first(s)}
    for node in own_nodes(list(stmts)):
        if isinstance(node, ast.Call) and id(node) not in raised:
            if not safe_call(node.func):
                if _seldom_raising(node):
                    seldom = seldom or node
                    continue
                return _runs_first(node)
            fallback = fallback or node
    return seldom or fallback


def _runs_first(call: ast.Call) -> ast.Call:
    """In a chain of calls (`tar.extractfile(m).read().decode()`), the one that runs first and may
    raise: the outermost call is met first, but the innermost does the work."""
    while isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call) and not safe_call(
            call.func.value.func):
        call = call.func.value
    return call


def _seldom_raising(call: ast.Call) -> bool:
    func = call.func
    return (dotted(func) or "") in _SELDOM_RAISING or (
        isinstance(func, ast.Attribute) and func.attr in _SELDOM_RAISING_METHODS) or (
        isinstance(func, ast.Name) and func.id == "getattr" and len(call.args) == 3)


def raising_step(stmts: Sequence[ast.stmt]) -> tuple[str, int] | None:
    """How a message names the step of the block most likely to raise, and its line: its first call
    that may fail as a handler expects, else an item assignment (`os.environ[str(key)] = value`, where
    the store fails, not the `str()`), else whatever call it has."""
    call = first_call(stmts)
    if call is None or not _seldom_raising(call) and not safe_call(call.func):
        return (f"`{call_text(call)}`", call.lineno) if call is not None else None
    for node in own_nodes(list(stmts)):
        if isinstance(node, ast.Assign):
            store = next((t for t in node.targets if isinstance(t, ast.Subscript)), None)
            text = ast.unparse(store) if store is not None else ""
            if store is not None and len(text) <= 40:
                return f"`{text} = ...`", node.lineno
    # `scope = header.split(",")[0].split()[1]` after `headers.get(...)`: the index fails, not the get
    for node in own_nodes(list(stmts)):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and not isinstance(
                node.slice, ast.Slice):
            text = ast.unparse(node)
            if len(text) <= 40:
                return f"`{text}`", node.lineno
    return f"`{call_text(call)}`", call.lineno


def call_text(call: ast.Call) -> str:
    """How a message names a call: `s3.upload_file()`, `upload()`."""
    name = dotted(call.func)
    if name is None:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else "call"
    parts = name.split(".")
    return ".".join(parts[-2:]) + "()"


class Registered(AbstractSet[str]):
    """`atexit_registered`, found on the first question (most files never ask)."""

    def __init__(self, index: Index, names: Names, lines: Sequence[str] | None = None) -> None:
        self._index, self._names = index, names
        self._lines = lines
        self._found: frozenset[str] | None = None

    def _all(self) -> frozenset[str]:
        if self._found is None:
            self._found = frozenset()
            # a call or decorator that resolves to one spells `register`/`finalize` or imports it so
            text = "\n".join(self._lines) if self._lines is not None else None
            if text is None or any(name in text for name in _REGISTERING_ATTRS):
                self._found = atexit_registered(self._index, self._names)
        return self._found

    def __contains__(self, name: object) -> bool:
        return name in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._all()))

    def __len__(self) -> int:
        return len(self._all())


def atexit_registered(index: Index, names: Names) -> frozenset[str]:
    """Functions registered with `atexit.register` or `weakref.finalize`, by name."""
    found: set[str] = set()
    for call, _function in index.calls:
        func = call.func
        # an attribute resolves to a name ending in its own attribute: most calls need no resolving
        if isinstance(func, ast.Attribute) and func.attr not in _REGISTERING_ATTRS:
            continue
        if isinstance(func, ast.Name) and func.id not in names.aliases:
            continue  # a plain name other than an import is a builtin or the module's own
        if names.resolve(func) in _REGISTERING:
            for arg in call.args:
                name = dotted(arg)
                if name:
                    found.add(name.rsplit(".", 1)[-1])
    for function in index.functions:
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(names.resolve(d) == "atexit.register" for d in function.decorator_list):
                found.add(function.name)
    return frozenset(found)


_REGISTERING = frozenset({"atexit.register", "weakref.finalize"})
_REGISTERING_ATTRS = frozenset(name.rsplit(".", 1)[-1] for name in _REGISTERING)


def _always_fails(stmt: ast.AST | None) -> bool:
    """`assert False, "..."`: it raises `AssertionError` every time (a test's way to fail on the error)."""
    return isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Constant) and not stmt.test.value
