"""AWS401-AWS404: exact findings, messages, witness paths and options."""
from __future__ import annotations

from pathlib import Path

import pytest

from awslint import Config, Step, check_source
from conftest import EVERY_RULE, FIXTURES, assert_labels, expected, findings, reported
from helpers import labelled_cases

INJECTION = Config(select=("AWS4",))
FIXTURE_FILES = sorted((FIXTURES / "injection").glob("*.py"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture_reports_exactly_its_labels(path: Path) -> None:
    assert_labels(path.read_text(encoding="utf-8"), "AWS4", INJECTION)


# The labelled modules in tests/fixtures/injection/<behaviour>/, checked twice: with the injection rules
# alone, and with every rule as the labelled cases are scored.
LABELLED = labelled_cases("injection")


@pytest.mark.parametrize("path", LABELLED, ids=[p.stem for p in LABELLED])
def test_realistic_case_reports_exactly_its_labels(path: Path) -> None:
    """Realistic labelled cases written from SPEC's sentences (sources, sinks, sanitisers, AWS404 cover), with
    the injection rules alone; checked under its own name (a `test_*.py` case is test code)."""
    source = path.read_text(encoding="utf-8")
    got = {(f.line, f.code) for f in findings(source, INJECTION, filename=path.name) if f.code.startswith("AWS4")}
    assert got == expected(source, "AWS4")


@pytest.mark.parametrize("path", LABELLED, ids=[p.stem for p in LABELLED])
def test_labelled_case_reports_exactly_its_labels_for_every_rule(path: Path) -> None:
    """Every rule selected, as the labelled cases are scored: the labelled lines exactly, every other line
    silent. The file is checked under its own name (a `test_*.py` case is test code), not under tests/."""
    source = path.read_text(encoding="utf-8")
    got = {(f.line, f.code) for f in findings(source, EVERY_RULE, filename=path.name)}
    assert got == expected(source)


def only(source: str, config: Config = INJECTION) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.col, f.code, f.message) for f in findings(source, config) if f.code.startswith("AWS4")]


LAMBDA = """
import subprocess


def handler(event, context):
    file = event['file']
    cmd = f"gzip -k {file}"
    subprocess.run(cmd, shell=True)
"""


def test_message_names_source_and_steps_with_lines() -> None:
    assert only(LAMBDA) == [
        (8, 4, "AWS401",
         "shell command built from `event['file']` (the Lambda event, line 6) via `file` (line 6), `cmd` (line 7); "
         "pass an argument list with `shell=False`, or quote with `shlex.quote`"),
    ]


def test_witness_path_runs_from_source_to_sink() -> None:
    (finding,) = findings(LAMBDA, INJECTION)
    assert finding.path == (
        Step(6, 11, "`event['file']` comes from the Lambda event"),
        Step(6, 4, "assigned to `file`"),
        Step(7, 4, "assigned to `cmd`"),
        Step(8, 4, "reaches `subprocess.run()`"),
    )
    assert (finding.end_line, finding.end_col) == (8, 35)


def test_path_through_a_helper_parameter() -> None:
    source = """
import subprocess
import sys


def run(command):
    return subprocess.call(command, shell=True)


def main():
    target = sys.argv[1]
    run("ping -c 1 " + target)
"""
    (finding,) = findings(source, INJECTION)
    assert (finding.line, finding.col, finding.code) == (7, 11, "AWS401")
    assert finding.message == (
        "shell command built from `sys.argv[1]` (command-line arguments, line 11) via `target` (line 11), "
        "`run()` argument `command` (line 12); pass an argument list with `shell=False`, or quote with "
        "`shlex.quote`"
    )
    assert [s.line for s in finding.path] == [11, 11, 12, 7]


def test_program_name_message() -> None:
    source = """
import subprocess


def lambda_handler(event, context):
    subprocess.run([event["tool"], "--version"])
"""
    assert only(source) == [
        (6, 4, "AWS401",
         "program to run of `subprocess.run()` built from `event['tool']` (the Lambda event, line 6); "
         "run a fixed program, or check the name against an allow-list first"),
    ]


def test_code_injection_message() -> None:
    source = """
def calculator():
    print(eval(input("calc> ")))
"""
    assert only(source) == [
        (3, 10, "AWS402",
         "code passed to `eval()` built from `input('calc> ')` (user input, line 3); parse data with "
         "`ast.literal_eval` or `json.loads`, or look the operation up in a dict of allowed functions"),
    ]


def test_dynamic_command_message_names_the_parameter() -> None:
    source = """
import subprocess


def run(cmd):
    return subprocess.call(cmd, shell=True)
"""
    assert only(source) == [
        (6, 11, "AWS403",
         "shell command built from `cmd` (parameter of `run()`, line 5) is not a constant; make sure no "
         "external input reaches it, or pass an argument list with `shell=False`"),
    ]


def test_outdated_api_only_where_not_covered() -> None:
    source = """
import os
import sys


def main(flag):
    os.system("clear")
    os.system("ping " + sys.argv[1])
    os.system("echo " + flag)
"""
    assert [(line, code) for line, _, code, _ in only(source)] == [(7, "AWS404"), (8, "AWS401"), (9, "AWS403")]
    assert only(source)[0][3] == (
        "`os.system()` runs the command through a shell and returns an encoded status; use `subprocess.run` "
        "with a list of arguments, `check=True`"
    )


def test_outdated_api_reported_when_the_covering_rule_is_not_selected() -> None:
    source = """
import os
import sys


def main():
    os.system("ping " + sys.argv[1])
"""
    assert reported(source, "AWS4", Config(select=("AWS404",))) == {(7, "AWS404")}
    assert reported(source, "AWS4", Config(select=("AWS",))) == {(7, "AWS401")}


def test_outdated_api_is_off_by_default() -> None:
    source = 'import os\nos.system("clear")\n'
    assert reported(source, "AWS4", Config()) == set()
    assert reported(source, "AWS4", Config(select=("AWS4",))) == {(2, "AWS404")}


def test_outdated_api_fix_keeps_the_shell_for_its_builtins() -> None:
    source = 'import os\n\ndef colours():\n    os.system("color")\n\ndef clear():\n    os.system("clear")\n'
    builtin, program = check_source(source, "example.py", Config(select=("AWS404",)))
    # `color` is cmd.exe's own command: an argument list has no program to run
    assert builtin.message.endswith("the shell runs `color` itself, with no program to call: "
                                    "use `subprocess.run('color', shell=True)`")
    assert program.message.endswith("use `subprocess.run` with a list of arguments, `check=True`")


def test_one_finding_per_sink_even_with_several_sources() -> None:
    source = """
import os
import sys


def main():
    os.system(f"cp {sys.argv[1]} {os.environ['DEST']} {input()}")
"""
    found = only(source)
    assert [(line, code) for line, _, code, _ in found] == [(7, "AWS401")]


# ---------------------------------------------------------------- options


def test_option_extra_source_function_and_attribute() -> None:
    source = """
import subprocess

from myapp import config, inbox


def main():
    subprocess.run("echo " + inbox.next_message(), shell=True)
    subprocess.run("echo " + config.REMOTE_NAME, shell=True)
"""
    # a settings module's value is configuration (the SPEC's "settings objects"): worth a review
    assert reported(source, "AWS4", INJECTION) == {(8, "AWS403"), (9, "AWS403")}
    configured = Config(select=("AWS4",), options={"taint-sources": ("myapp.inbox.next_message",
                                                                     "myapp.config.REMOTE_NAME")})
    assert only(source, configured)[0][2:] == (
        "AWS401",
        "shell command built from `inbox.next_message()` (a configured source, line 8); pass an argument "
        "list with `shell=False`, or quote with `shlex.quote`",
    )
    assert reported(source, "AWS4", configured) == {(8, "AWS401"), (9, "AWS401")}


def test_option_extra_source_method() -> None:
    source = """
import os


def main(queue):
    os.system(queue.get_payload())
"""
    configured = Config(select=("AWS4",), options={"taint-sources": (".get_payload",)})
    assert reported(source, "AWS4", configured) == {(6, "AWS401")}


def test_option_extra_sanitizer() -> None:
    source = """
import subprocess
import sys

from myapp.shell import safe_arg


def main():
    subprocess.run("echo " + safe_arg(sys.argv[1]), shell=True)
    subprocess.run("echo " + sys.argv[1].validated(), shell=True)
"""
    assert reported(source, "AWS4", INJECTION) == {(9, "AWS403"), (10, "AWS401")}
    configured = Config(select=("AWS4",), options={"taint-sanitizers": ("myapp.shell.safe_arg", ".validated")})
    assert reported(source, "AWS4", configured) == set()


def test_option_extra_sinks() -> None:
    source = """
import sys

from myapp import remote, rules


def main(step, message):
    remote.run_shell("uptime " + sys.argv[1])
    remote.run_program(message.body, "--help")
    rules.evaluate(step)
"""
    assert reported(source, "AWS4", INJECTION) == set()
    configured = Config(select=("AWS4",), options={"taint-sinks": (
        "myapp.remote.run_shell", "myapp.remote.run_program:program", "myapp.rules.evaluate:code"),
        "taint-sources": (".body",)})
    assert reported(source, "AWS4", configured) == {(8, "AWS401"), (9, "AWS401"), (10, "AWS403")}


def test_options_are_declared_for_every_front_end() -> None:
    from awslint import OPTIONS

    names = {o.name for o in OPTIONS}
    assert {"taint-sources", "taint-sanitizers", "taint-sinks"} <= names


# ---------------------------------------------------------------- robustness


def test_deeply_nested_and_huge_expressions_do_not_raise() -> None:
    nested = "x = sys.argv[1]\n" + "".join(f"{'    ' * i}if x:\n" for i in range(60)) + "    " * 60 + "os.system(x)\n"
    assert reported("import os, sys\n" + nested, "AWS4", INJECTION) == {(63, "AWS401")}
    # 900 nested additions parse, but are deeper than the interpreter's recursion limit allows to walk:
    # the taint verdict is given up for that function, the call is still an outdated API
    long_sum = "import os\nos.system(" + " + ".join(['"a"'] * 900) + ")\n"
    assert reported(long_sum, "AWS4", INJECTION) == {(2, "AWS404")}


def test_syntax_and_unusual_constructs() -> None:
    source = """
import os
import sys


async def main(items):
    match sys.argv[1:]:
        case [name, *rest]:
            os.system("echo " + name)  # expect: AWS401
        case _:
            pass
    async with lock() as (a, b):
        os.system(a)  # expect: AWS403
    while (line := sys.stdin.readline()):
        os.system(line)  # expect: AWS401
    global counter
    del items
    lambda: os.system(sys.argv[1])  # expect: AWS401
    yield
    os.system(f"{(yield)}")  # expect: AWS403
"""
    assert_labels(source, "AWS4", INJECTION)


# ---------------------------------------------------------------- the options in every front end

OPTION_SOURCE = 'import os\nfrom myapp import inbox\n\n\ndef main():\n    os.system("echo " + inbox.next_message())\n'


def _run(args: list[str], cwd: Path) -> str:
    import subprocess
    import sys

    bin_dir = Path(sys.executable).parent
    done = subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    return done.stdout


def test_taint_sources_option_in_flake8(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(OPTION_SOURCE)
    plain = _run(["flake8", "--isolated", "--select", "AWS4", "job.py"], tmp_path)
    assert plain.startswith("job.py:6:5: AWS403 ")
    configured = _run(["flake8", "--isolated", "--select", "AWS4",
                       "--aws-taint-sources=myapp.inbox.next_message", "job.py"], tmp_path)
    assert configured == (
        "job.py:6:5: AWS401 shell command built from `inbox.next_message()` (a configured source, line 6); "
        "pass an argument list with `shell=False`, or quote with `shlex.quote`\n"
    )


def test_taint_sources_option_in_pylint(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(OPTION_SOURCE)
    out = _run(["pylint", "--load-plugins=pylint_awslint", "--disable=all", "--enable=command-injection",
                "--aws-taint-sources=myapp.inbox.next_message", "--score=n",
                "--msg-template={path}:{line}:{column}: {msg_id} {symbol}", "job.py"], tmp_path)
    assert "job.py:6:4: W7341 command-injection" in out.splitlines()


def test_taint_sources_option_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "job.py").write_text(OPTION_SOURCE)
    (tmp_path / "pyproject.toml").write_text('[tool.awslint]\ntaint-sources = ["myapp.inbox.next_message"]\n')
    out = _run(["awslint", "job.py"], tmp_path)
    assert out.splitlines() == [
        "job.py:6:5: AWS401 shell command built from `inbox.next_message()` (a configured source, line 6); "
        "pass an argument list with `shell=False`, or quote with `shlex.quote`"
    ]


def test_dynamic_command_is_off_by_default_and_silent_in_test_code() -> None:
    source = """
import os


def run(cmd):
    os.system(cmd)
"""
    assert only(source, Config()) == []
    assert [f.code for f in findings(source, INJECTION)] == ["AWS403"]
    # in a test file AWS403 is not reported, so the outdated API is
    assert [(f.line, f.code) for f in findings(source, INJECTION, filename="tests/test_tool.py")] == [
        (6, "AWS404")]


def test_command_from_input_is_reported_in_test_code_too() -> None:
    source = """
import os
import sys


def test_ping():
    os.system("ping " + sys.argv[1])
"""
    assert [(f.line, f.code) for f in findings(source, INJECTION, filename="tests/test_tool.py")] == [
        (7, "AWS401")]


def test_only_aws404_selected_runs_no_interpretation(monkeypatch: pytest.MonkeyPatch) -> None:
    from awslint.analysis import taint

    def refuse(self: object) -> None:
        raise AssertionError("the taint interpretation ran")

    monkeypatch.setattr(taint.Engine, "run", refuse)
    source = """
import os
import sys


def main():
    os.system("ping " + sys.argv[1])
"""
    assert [(f.line, f.code) for f in findings(source, Config(select=("AWS404",)))] == [(7, "AWS404")]


def test_request_parameter_of_django_and_drf_views_by_position() -> None:
    source = """
import subprocess

from django.views import View
from rest_framework.decorators import api_view
from rest_framework.views import APIView


@api_view(["POST"])
def convert(req):
    subprocess.run("convert " + req.data["file"], shell=True)  # expect: AWS401


class Export(View):
    def get(self, r, pk):
        subprocess.run(f"export {r.GET['fmt']}", shell=True)  # expect: AWS401

    def helper(self, r):
        subprocess.run(f"export {r.GET['fmt']}", shell=True)  # expect: AWS403


class Base(APIView):
    pass


class Sync(Base):
    def post(self, incoming):
        subprocess.run(f"sync {incoming.query_params['dir']}", shell=True)  # expect: AWS401


class NotAView:
    def get(self, r):
        subprocess.run(f"export {r.GET['fmt']}", shell=True)  # expect: AWS403
"""
    assert_labels(source, "AWS4", INJECTION)


def test_optparse_options_are_command_line_input() -> None:
    source = """
import optparse
import os


def main():
    parser = optparse.OptionParser()
    parser.add_option("-H", "--host", dest="host")
    parser.add_option("-c", "--count", dest="count", type="int")
    parser.add_option("-m", "--mode", type="choice", choices=["fast", "slow"])
    (options, args) = parser.parse_args()
    os.system("ping -c %d %s" % (options.count, options.host))  # expect: AWS401
    os.system("ping -c %d %s" % (options.count, options.mode))  # expect: AWS404
    os.system("ping " + args[0])  # expect: AWS401
"""
    assert_labels(source, "AWS4", INJECTION)


DETERMINISM = """
import os


def run(steps):
    for cmd, kind in steps:
        os.system(cmd + kind)
"""


def test_witness_does_not_depend_on_the_hash_seed() -> None:
    import subprocess
    import sys

    script = ("import sys; from awslint import Config, check_source; "
              "print([f.message for f in check_source(sys.stdin.read(), 'x.py', Config(select=('AWS4',)))])")
    outputs = set()
    for seed in ("0", "1", "2", "3", "42", "1234"):
        done = subprocess.run([sys.executable, "-c", script], input=DETERMINISM, capture_output=True, text=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": seed}, timeout=60, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "via `cmd` (line 6)" in outputs.pop()


def test_exec_of_compile_on_one_line_is_one_finding_at_the_compile() -> None:
    source = """
def handler(event, context):
    exec(compile(event["hook"], "<hook>", "exec"), {})
    code = compile(event["other"], "<other>", "exec")
    exec(code, {})
"""
    assert [(f.line, f.col, f.code) for f in findings(source, INJECTION)] == [
        (3, 9, "AWS402"), (4, 11, "AWS402"), (5, 4, "AWS402")]
    assert findings(source, INJECTION)[2].message == (
        "code passed to `exec()` built from `event['other']` (the Lambda event, line 4) via `code` (line 4); "
        "parse data with `ast.literal_eval` or `json.loads`, or look the operation up in a dict of allowed functions")


def test_method_storing_in_its_instance_while_the_class_is_summarised_is_not_a_recursion() -> None:
    """A method that stores in `self` called from a method with a sink: whether the store matters asks for
    the class's summaries, which ask about the store again (it answered with a RecursionError)."""
    source = (
        "class Debugger:\n"
        "    def reset(self):\n"
        "        self.quitting = False\n"
        "\n"
        "    def run(self, cmd):\n"
        "        self.reset()\n"
        "        exec(cmd)\n"
    )
    from awslint.checker import analyse_source

    result = analyse_source(source, "debugger.py", Config(select=("AWS403",)))
    assert [(f.line, f.code) for f in result.findings] == [(7, "AWS403")]
    assert result.notices == ()


ALL_INJECTION_MODULES = sorted((FIXTURES / "injection").rglob("*.py"))


@pytest.mark.parametrize("path", ALL_INJECTION_MODULES, ids=[p.stem for p in ALL_INJECTION_MODULES])
def test_states_handed_over_in_place_give_the_findings_copies_give(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The solver hands a state over instead of copying it only on graphs of OWNED_FROM nodes or more,
    # which no labelled module reaches: with the threshold at 0 every module takes that path, and must
    # find exactly what the copies find (and what its labels say).
    from awslint.analysis import taint_flow

    source = path.read_text(encoding="utf-8")
    copied = [(f.line, f.code, f.message) for f in findings(source, INJECTION, filename=path.name)]
    monkeypatch.setattr(taint_flow, "OWNED_FROM", 0)
    handed = [(f.line, f.code, f.message) for f in findings(source, INJECTION, filename=path.name)]
    assert handed == copied
