"""The taint analysis itself (awslint.analysis.taint): verdicts per sink, entry points, values."""
from __future__ import annotations

import ast
import sys
import textwrap

import pytest

from awslint.analysis.taint import TaintOptions, Verdict, analyse, is_lambda_handler, is_route
from awslint.analysis.taint_sinks import CODE, PROGRAM, SHELL, shell_command_in
from awslint.analysis.taint_values import CLEAN, DYNAMIC, PARAM, SOURCE, Origin, Val, join, join_states
from awslint.config import Config
from awslint.context import Context


def verdicts(source: str, options: TaintOptions = TaintOptions()) -> list[Verdict]:
    text = textwrap.dedent(source)
    return analyse(Context(ast.parse(text), text.splitlines(), "t.py", Config()), options)


def summary(source: str) -> list[tuple[int, str, str | None, str | None, str | None]]:
    """(line, api, role, effective kind, origin text) per sink."""
    return [(v.sink.call.lineno, v.sink.api, v.role, v.kind, v.origin.text if v.origin else None)
            for v in verdicts(source)]


def test_constant_through_locals_is_clean() -> None:
    assert summary("""
        import subprocess
        def f():
            base = "ls"
            cmd = base + " -l"
            cmd = f"{cmd} /tmp"
            subprocess.run(cmd, shell=True)
    """) == [(7, "subprocess.run", None, None, None)]


def test_reassigned_from_constant_is_clean_again() -> None:
    assert summary("""
        import os, sys
        def f():
            cmd = sys.argv[1]
            os.system(cmd)
            cmd = "true"
            os.system(cmd)
    """) == [(5, "os.system", SHELL, SOURCE, "sys.argv[1]"), (7, "os.system", None, None, None)]


def test_sanitiser_on_one_branch_does_not_clean_the_other() -> None:
    assert summary("""
        import os, shlex, sys
        def f(quote):
            arg = sys.argv[1]
            if quote:
                arg = shlex.quote(arg)
                os.system("ls " + arg)
            os.system("ls " + arg)
    """) == [(7, "os.system", None, None, None), (8, "os.system", SHELL, SOURCE, "sys.argv[1]")]


def test_allow_list_guard_cleans_after_a_raising_branch_only() -> None:
    assert summary("""
        import os, sys
        KNOWN = ("a", "b")
        def f():
            x = sys.argv[1]
            if x not in KNOWN:
                print("unknown")
            os.system("run " + x)
            if x not in KNOWN:
                raise SystemExit(2)
            os.system("run " + x)
    """) == [(8, "os.system", SHELL, SOURCE, "sys.argv[1]"), (11, "os.system", None, None, None)]


def test_loop_carried_taint_is_found() -> None:
    assert summary("""
        import os, sys
        def f():
            cmd = "echo"
            for _ in range(3):
                os.system(cmd)
                cmd = cmd + sys.argv[1]
    """) == [(6, "os.system", SHELL, SOURCE, "sys.argv[1]")]


def test_containers_keep_their_elements_apart() -> None:
    # the program of an argument list is its first element: a tainted argument does not make it tainted
    assert summary("""
        import subprocess
        def handler(event, context):
            argv = ["git", "log"]
            argv.append(event["ref"])
            subprocess.run(argv)
            first, second = "ls", event["ref"]
            subprocess.run([first, second])
            subprocess.run([second, first])
    """) == [(6, "subprocess.run", None, None, None), (8, "subprocess.run", None, None, None),
             (9, "subprocess.run", PROGRAM, SOURCE, "event['ref']")]


def test_environment_and_local_files_are_configuration_not_sources() -> None:
    # SPEC "Configuration is not a source": they may choose the program (silent) and make a shell
    # command worth a review (DYNAMIC, at most AWS403); a file named by input is input.
    assert summary("""
        import os, subprocess, sys
        def main():
            subprocess.run([sys.argv[1], *sys.argv[2:]])
            subprocess.run([os.environ.get("EDITOR", "vi"), "notes.txt"])
            subprocess.run([open("tool.conf").read().strip()])
            os.system(os.environ["PAGER"] + " notes.txt")
            os.system(open("cmd.txt").read())
            os.system(os.getenv("CMD"))
        def handler(event, context):
            os.system(open(event["key"]).read())
    """) == [(4, "subprocess.run", PROGRAM, SOURCE, "sys.argv[1]"),
             (5, "subprocess.run", None, None, None),
             (6, "subprocess.run", None, None, None),
             (7, "os.system", SHELL, DYNAMIC, "os.environ['PAGER']"),
             (8, "os.system", SHELL, DYNAMIC, "open('cmd.txt')"),
             (9, "os.system", SHELL, DYNAMIC, "os.getenv('CMD')"),
             (11, "os.system", SHELL, SOURCE, "event['key']")]


def test_helper_returning_event_field_taints_its_callers() -> None:
    assert summary("""
        import os
        def command_of(event):
            return event["cmd"]
        def handler(event, context):
            os.system(command_of(event))
    """) == [(6, "os.system", SHELL, SOURCE, "event")]


def test_parameter_reaching_sink_is_dynamic_without_a_tainted_caller() -> None:
    assert summary("""
        import os
        def run(cmd):
            os.system(cmd)
        def main():
            run("ls")
    """) == [(4, "os.system", SHELL, PARAM, "cmd")]


def test_unknown_calls_do_not_carry_taint_but_are_not_constants() -> None:
    assert summary("""
        import os, sys
        def f(loader):
            code = loader.get_code(sys.argv[1])
            exec(code)
    """) == [(5, "exec", CODE, PARAM, "loader.get_code(sys.argv[1])")]


def test_lambda_handler_names_and_signature() -> None:
    def func(src: str) -> ast.FunctionDef:
        node = ast.parse(src).body[0]
        assert isinstance(node, ast.FunctionDef)
        return node

    assert is_lambda_handler(func("def handler(event, context): pass"))
    assert is_lambda_handler(func("def lambda_handler(event, _context): pass"))
    assert is_lambda_handler(func("def s3_handler(event, context): pass"))
    assert not is_lambda_handler(func("def process(event, context): pass"))
    assert not is_lambda_handler(func("def handler(event): pass"))
    assert not is_lambda_handler(func("def handler(request, context): pass"))


def test_route_decorators() -> None:
    def func(src: str) -> ast.FunctionDef:
        node = ast.parse(textwrap.dedent(src)).body[0]
        assert isinstance(node, ast.FunctionDef)
        return node

    assert is_route(func('@app.route("/x/<name>")\ndef v(name): pass'))
    assert is_route(func('@router.get(path="/items/{id}")\ndef v(id): pass'))
    assert not is_route(func('@cache.get("key")\ndef v(id): pass'))
    assert not is_route(func("@app.route\ndef v(id): pass"))


def test_shell_command_in_argument_lists() -> None:
    def argv(*items: str | None) -> list[Val]:
        return [Val(const=i) for i in items]

    command = Val(frozenset({Origin(SOURCE, "x", "test", 1, 0)}))
    assert shell_command_in([*argv("sh", "-c"), command]) is command
    assert shell_command_in([*argv("/bin/bash", "-l", "-c"), command]) is command
    assert shell_command_in([*argv("/usr/bin/env", "bash", "-ec"), command]) is command
    assert shell_command_in([*argv("python3.11", "-u", "-c"), command]) is command
    assert shell_command_in([*argv("cmd.exe", "/c"), command]) is command
    assert shell_command_in([*argv("sh", "script.sh"), command]) is None
    assert shell_command_in([*argv("python", "-m"), command]) is None
    assert shell_command_in([*argv("ls", "-c"), command]) is None


def test_join_of_values_and_states() -> None:
    tainted = Val(frozenset({Origin(SOURCE, "a", "test", 1, 0)}))
    dynamic = Val(frozenset({Origin(DYNAMIC, "b", "test", 2, 0)}))
    assert join(CLEAN, CLEAN) == CLEAN
    assert join(tainted, dynamic).taint == tainted.taint | dynamic.taint
    known = Val(tainted.taint, (Val(const="ls"), tainted))
    assert join(known, dynamic).prefix == (Val(dynamic.taint), join(tainted, Val(dynamic.taint)))
    assert join_states([None, None]) is None
    assert join_states([{"x": tainted}, {"x": CLEAN, "y": CLEAN}]) == {"x": tainted, "y": CLEAN}


def test_origins_are_capped_sources_first() -> None:
    origins = [Origin(DYNAMIC, f"d{i}", "test", i, 0) for i in range(10)]
    origins.append(Origin(SOURCE, "s", "test", 99, 0))
    from awslint.analysis.taint_values import cap

    capped = cap(origins)
    assert len(capped) == 4
    assert Origin(SOURCE, "s", "test", 99, 0) in capped


def test_only_functions_with_sinks_or_on_their_paths_are_interpreted() -> None:
    from awslint.analysis.taint import Engine

    text = textwrap.dedent("""
        import os
        def unrelated(x):
            return x * 2
        def helper():
            return "ls"
        def main():
            os.system(helper())
    """)
    tree = ast.parse(text)
    engine = Engine(Context(tree, text.splitlines(), "t.py", Config()))
    engine.run()
    interpreted = {name for name, f in engine.module_defs.items() if id(f) in engine._summaries}
    assert interpreted == {"helper", "main"}


def test_no_sinks_no_work() -> None:
    assert verdicts("def f(x):\n    return x.run(x.call())\n") == []


def test_safe_regex_patterns() -> None:
    from awslint.analysis.taint_regex import safe_pattern

    assert safe_pattern(r"[A-Za-z0-9.-]+", True, True)
    assert safe_pattern(r"^[a-z][a-z0-9_]*$", False, False)
    assert safe_pattern(r"\A(?:\d{1,3}\.){3}\d{1,3}\Z", False, False)
    assert safe_pattern(r"(start|stop)", True, True)
    assert not safe_pattern(r"[a-z]+", True, False)  # re.match: anything may follow
    assert not safe_pattern(r"^start|stop$", False, False)
    assert not safe_pattern(r".+", True, True)
    assert not safe_pattern(r"\S+", True, True)
    assert not safe_pattern(r"[^;|&]+", True, True)
    assert not safe_pattern(r"[a-z ]+", True, True)  # a space splits the argument
    assert not safe_pattern(r"(?=x)[a-z]+", True, True)
    assert not safe_pattern("", True, True)


def test_the_names_a_function_binds_are_the_semantic_model_s() -> None:
    from awslint.analysis.taint import Engine

    text = textwrap.dedent("""
        def f(a, *args, b=1, **kw):
            import json
            x = y = 1
            (p, [q, *r]) = stuff
            for i in range(3):
                with open(a) as fh:
                    pass
            try:
                pass
            except OSError as err:
                pass
            def helper():
                inner = 1
            class K:
                attr = 1
            global g
            g = 2
            z += 1
            total: int = 0
            values = [v for v in range(3) if (last := v)]
            match x:
                case {"k": captured, **rest}:
                    pass
                case [first, *others] if (checked := first):
                    pass
            del gone
    """)
    tree = ast.parse(text)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    engine = Engine(Context(tree, text.splitlines(), "t.py", Config()))
    # `json` is bound only by an import, which resolves like the module's; `g` is the module's;
    # comprehension variables are the comprehension's, its `:=` the function's (PEP 572).
    assert engine.shadowed(func) == {
        "a", "args", "b", "kw", "x", "y", "p", "q", "r", "i", "fh", "err", "helper", "K", "z", "total",
        "values", "last", "captured", "rest", "first", "others", "checked", "gone"}
    walrus = "def f():\n    if (n := 3):\n        pass\n"
    small = ast.parse(walrus)
    assert isinstance(small.body[0], ast.FunctionDef)
    assert Engine(Context(small, walrus.splitlines(), "t.py", Config())).shadowed(small.body[0]) == {"n"}


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11")
def test_except_star_names_are_bound_by_the_function() -> None:
    from awslint.analysis.taint import Engine

    text = "def f():\n    try:\n        pass\n    except* OSError as group:\n        pass\n"
    tree = ast.parse(text)
    assert isinstance(tree.body[0], ast.FunctionDef)
    assert Engine(Context(tree, text.splitlines(), "t.py", Config())).shadowed(tree.body[0]) == {"group"}


def test_words_of_a_command_line_known_by_its_start() -> None:
    origin = Origin(SOURCE, "x", "Lambda event", 1, 0)
    tainted = Val(frozenset({origin}), lead="helm upgrade ")
    assert tainted.words() == (Val(const="helm"), Val(const="upgrade"), Val(tainted.taint))
    assert Val(frozenset({origin}), lead="helm up").words() == (Val(const="helm"), Val(tainted.taint))
    assert Val(frozenset({origin}), lead="helm").words() is None  # the program name may go on
    assert Val(const="ls -l").words() == (Val(const="ls"), Val(const="-l"))
    assert Val(frozenset({origin}), lead="'a b' ").words() is None


def test_compile_to_a_syntax_tree_is_not_a_code_sink() -> None:
    assert summary("""
        import ast
        def handler(event, context):
            tree = compile(event["src"], "<e>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_TYPE_COMMENTS)
            exec(compile(tree, "<e>", "exec"))
    """) == [(5, "exec", CODE, SOURCE, "event['src']"), (5, "compile", CODE, SOURCE, "event['src']")]


def test_format_and_route_scans_on_a_megabyte_literal() -> None:
    from awslint.analysis.taint_scan import converted_variables, percent_conversions

    text = "%(" * 500_000 + "%s"
    assert len(text) > 1_000_000
    assert percent_conversions(text) == ["s"]
    assert percent_conversions("%(name)-08.3ld %% %r %.*f %l") == ["d", "%", "r", "f", "l"]
    assert converted_variables("<int(" * 250_000 + "<uuid:job_id>", {"int", "uuid"}) == ["job_id"]
    assert converted_variables("/a/<int(min=1):n>/<path:p>/<float:x>", {"int", "float"}) == ["n", "x"]
    source = "import os, sys\ndef main():\n    os.system(" + repr(text) + " % sys.argv[1])\n"
    assert summary(source) == [(3, "os.system", SHELL, SOURCE, "sys.argv[1]")]


def _chain_down(n: int) -> str:
    lines = ["import os, sys", "def f0(x):", "    os.system(x)"]
    for i in range(1, n):
        lines += [f"def f{i}(x):", f"    f{i - 1}(x)"]
    return "\n".join([*lines, "def main():", f"    f{n - 1}(sys.argv[1])"]) + "\n"


def _chain_up(n: int) -> str:
    lines = ["import os, sys", "def f0():", "    return sys.argv[1]"]
    for i in range(1, n):
        lines += [f"def f{i}():", f"    return f{i - 1}()"]
    return "\n".join([*lines, "def main():", f"    os.system(f{n - 1}())"]) + "\n"


@pytest.mark.slow
def test_long_chains_of_functions_keep_their_findings() -> None:
    # no recursion along the chain: callees are summarised first, with a stack of the analysis's own
    assert summary(_chain_down(20_000)) == [(3, "os.system", SHELL, SOURCE, "sys.argv[1]")]
    assert summary(_chain_up(20_000)) == [(40_003, "os.system", SHELL, SOURCE, "sys.argv[1]")]


@pytest.mark.slow
def test_many_tainting_branches_and_long_elif_chains_keep_their_findings() -> None:
    ifs = ["import os, sys", "def main(opts):", "    cmd = 'ls'"]
    for i in range(5_000):
        ifs += [f"    if opts.o{i}:", f"        cmd = cmd + sys.argv[{i % 5}]"]
    assert summary("\n".join([*ifs, "    os.system(cmd)"]) + "\n") == [
        (10_004, "os.system", SHELL, SOURCE, "sys.argv[1]")]
    elifs = ["import os, sys", "def main(opts):", "    cmd = 'ls'", "    if opts.o0:", "        cmd = 'a'"]
    for i in range(1, 400):
        elifs += [f"    elif opts.o{i}:", "        cmd = 'b'"]
    elifs += ["    else:", "        cmd = sys.argv[1]", "    os.system(cmd)"]
    assert summary("\n".join(elifs) + "\n") == [(806, "os.system", SHELL, SOURCE, "sys.argv[1]")]


def test_a_helper_of_the_enclosing_function_is_followed_from_a_sibling() -> None:
    # `step()` calls `run()`, which the handler defines: Python finds it in the handler's scope.
    found = verdicts('''
        import subprocess


        def lambda_handler(event, context):
            def run(cmd):
                subprocess.run(cmd, shell=True)

            def step():
                run(event["cmd"])

            step()
    ''')
    assert [(v.sink.call.lineno, v.role, v.kind, v.origin.text if v.origin else None) for v in found] == [
        (7, SHELL, SOURCE, "event['cmd']")]
    assert found[0].origin is not None
    assert [h.short for h in found[0].origin.hops] == ["`run()` argument `cmd` (line 10)"]


def test_a_global_statement_is_read_from_the_code_not_from_text_that_looks_like_one() -> None:
    # A docstring line starting with "global CMD" declares nothing: CMD stays the module's constant.
    assert summary('''
        import os

        CMD = "uptime"


        def f():
            """Runs CMD.

            global CMD, they say: it never changes
            """
            os.system(CMD)


        def g():
            global MODE
            MODE = input()


        MODE = "fast"


        def h():
            os.system("run --" + MODE)
    ''') == [(12, "os.system", None, None, None), (24, "os.system", SHELL, DYNAMIC, "MODE")]


def test_a_value_carried_over_several_iterations_reaches_the_sink() -> None:
    # The argument moves one name per iteration (d, c, b, a): the loop is interpreted until its state
    # stops changing, not for a fixed number of rounds.
    found = verdicts('''
        import os
        import sys


        def main():
            a = b = c = d = "x"
            for _ in range(5):
                os.system("echo " + a)
                a = b
                b = c
                c = d
                d = sys.argv[1]
    ''')
    assert [(v.sink.call.lineno, v.role, v.kind, v.origin.text if v.origin else None) for v in found] == [
        (9, SHELL, SOURCE, "sys.argv[1]")]
    assert found[0].origin is not None
    assert [h.short for h in found[0].origin.hops] == ["`d` (line 13)", "`c` (line 12)", "`b` (line 11)",
                                                        "`a` (line 10)"]


def test_two_paths_from_one_input_are_one_origin_by_the_shorter_path() -> None:
    # Were both paths kept below the limit and merged above it, a loop would alternate between two
    # states for ever.
    from awslint.analysis.taint_values import Hop, cap

    origin = Origin(SOURCE, "x", "the Lambda event", 1, 0)
    longer = origin.then(Hop(2, 0, "`y` (line 2)", "assigned to `y`"))
    assert cap({origin, longer}) == {origin}
    assert cap(cap({origin, longer}) | {longer}) == {origin}
    other = Origin(SOURCE, "z", "the Lambda event", 3, 0)
    assert cap({origin, other}) == {origin, other}


def test_parse_args_of_a_parameter_parses_a_command_line() -> None:
    """`def main(argv=None): args = parser.parse_args(argv)` — None or sys.argv[1:], it is the command line."""
    from conftest import assert_labels

    assert_labels(
        '''
        import argparse
        import os


        def main(argv=None):
            parser = argparse.ArgumentParser()
            parser.add_argument("host")
            args = parser.parse_args(argv)
            os.system("ping " + args.host)  # expect: AWS401


        def constant():
            parser = argparse.ArgumentParser()
            parser.add_argument("host")
            args = parser.parse_args(["localhost"])
            os.system("ping " + args.host)  # expect: AWS404
        '''
    )
