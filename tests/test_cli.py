"""The `awslint` command: discovery, formats, exit status, selection, configuration, errors, stdin.

Most tests call `main([...])` in-process for speed; a few run the installed `awslint` script (and
`python -m awslint`) as a user would. AWS3xx findings serve as the probe because the defaults family
reports them exactly; `--select AWS3` keeps other families' findings out of the comparison.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from awslint import RULES, Option
from awslint.cli import build_parser, main
from awslint.docs import render
from conftest import ROOT
from helpers import SEED, UNUSED_DEFAULT, awslint_command, run_awslint, write

SEED_MESSAGE = (
    "mutable default `sns_topics` is changed by `.append()` at line 5, so its contents carry over to later "
    "calls; default to None and create it inside: `if sns_topics is None: sns_topics = []`"
)
CLEAN = "def add(a, b):\n    return a + b\n"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- text output and exit status ------------------------------------------------------------------


def test_text_output_is_path_line_col_code_message_with_1_based_columns(in_tmp: Path, capsys) -> None:
    write(in_tmp, "app.py", SEED)
    status, out, err = call(capsys, "--select", "AWS3", "app.py")
    assert (status, err) == (1, "Found 1 finding in 1 file\n")
    assert out == f"app.py:1:40: AWS301 {SEED_MESSAGE}\n"


def test_clean_code_exits_0_and_prints_nothing(in_tmp: Path, capsys) -> None:
    write(in_tmp, "clean.py", CLEAN)
    assert call(capsys, "clean.py") == (0, "", "")


def test_no_path_means_the_current_folder(in_tmp: Path, capsys) -> None:
    write(in_tmp, "pkg/app.py", SEED)
    status, out, _ = call(capsys, "--select", "AWS3")
    assert status == 1
    assert out.startswith(f".{os.sep}pkg{os.sep}app.py:1:40: AWS301 ")


def test_non_ascii_text_before_the_finding_counts_characters_not_bytes(in_tmp: Path, capsys) -> None:
    write(in_tmp, "u.py", "def greet(nom='é', seen=[]):\n    seen.append(nom)\n    return seen\n")
    _, out, _ = call(capsys, "--select", "AWS3", "u.py")
    # `seen=[]`'s list starts at byte 25 but character 24 (é is two bytes in UTF-8).
    assert out.startswith("u.py:1:25: AWS301 mutable default `seen` ")


# --- discovery ------------------------------------------------------------------------------------


SKIPPED = [
    ".git/hook.py",
    ".venv/lib/x.py",
    "venv/lib/x.py",
    "env/lib/x.py",  # a virtual environment by its pyvenv.cfg, whatever its name
    "node_modules/pkg/x.py",
    "build/lib/x.py",
    "dist/x.py",
    "__pycache__/x.py",
    ".tox/py311/x.py",
    ".eggs/x.py",
    "src/awslint_demo.egg-info/x.py",
]


def test_walk_skips_vcs_virtualenvs_dependencies_and_build_output(in_tmp: Path, capsys) -> None:
    for name in SKIPPED:
        write(in_tmp, name, SEED)
    write(in_tmp, "env/pyvenv.cfg", "home = /usr/bin\n")
    write(in_tmp, "src/app.py", SEED)
    write(in_tmp, "src/notes.txt", SEED)
    write(in_tmp, "src/deep/er/mod.py", SEED)
    _, out, _ = call(capsys, "--select", "AWS3", ".")
    reported = [line.split(":")[0] for line in out.splitlines()]
    assert reported == [os.path.join(".", "src", "app.py"), os.path.join(".", "src", "deep", "er", "mod.py")]


def test_a_file_named_explicitly_is_checked_whatever_its_extension(in_tmp: Path, capsys) -> None:
    write(in_tmp, "tool", SEED)
    assert call(capsys, "--select", "AWS3", "tool")[1] == f"tool:1:40: AWS301 {SEED_MESSAGE}\n"


def test_a_file_named_twice_is_checked_once(in_tmp: Path, capsys) -> None:
    write(in_tmp, "pkg/app.py", SEED)
    _, out, _ = call(capsys, "--select", "AWS3", "pkg", "pkg/app.py", "./pkg")
    assert out == f"{os.path.join('pkg', 'app.py')}:1:40: AWS301 {SEED_MESSAGE}\n"


def test_exclude_adds_patterns(in_tmp: Path, capsys) -> None:
    write(in_tmp, "a/gen_x.py", SEED)
    write(in_tmp, "a/keep.py", SEED)
    write(in_tmp, "generated/x.py", SEED)
    _, out, _ = call(capsys, "--select", "AWS3", "--exclude", "gen_*.py,generated", ".")
    assert [line.split(":")[0] for line in out.splitlines()] == [os.path.join(".", "a", "keep.py")]


# --- errors: one line each, the rest still checked, exit 2 ----------------------------------------


def test_unreadable_undecodable_unparsable_and_missing_files(in_tmp: Path, capsys) -> None:
    write(in_tmp, "pkg/a_good.py", SEED)
    write(in_tmp, "pkg/b_latin1.py", b"name = '\xe9t\xe9'\n")
    write(in_tmp, "pkg/c_syntax.py", "def f(:\n    pass\n")
    write(in_tmp, "pkg/d_nulls.py", b"x = 1\x00\n")
    os.symlink(in_tmp / "nowhere.py", in_tmp / "pkg" / "e_dangling.py")
    write(in_tmp, "pkg/f_good.py", SEED)
    status, out, err = call(capsys, "--select", "AWS3", "pkg", "missing.py")
    assert status == 2
    pkg = os.path.join("pkg", "")
    assert out == f"{pkg}a_good.py:1:40: AWS301 {SEED_MESSAGE}\n{pkg}f_good.py:1:40: AWS301 {SEED_MESSAGE}\n"
    lines = err.splitlines()  # in path order, whatever the order the paths were named in
    assert lines[0] == "missing.py: error: no such file or directory"
    assert lines[1] == f"{pkg}b_latin1.py: error: cannot decode as utf-8: invalid continuation byte at byte 8"
    assert lines[2] == f"{pkg}c_syntax.py: error: cannot parse: invalid syntax (line 1, column 7)"
    assert lines[3].startswith(f"{pkg}d_nulls.py: error: cannot parse: ")
    assert "null bytes" in lines[3]
    assert lines[4] == f"{pkg}e_dangling.py: error: cannot read: No such file or directory"
    assert lines[5] == "Found 2 findings in 2 files; 5 files could not be parsed"
    assert len(lines) == 6


def test_a_coding_cookie_is_honoured(in_tmp: Path, capsys) -> None:
    write(in_tmp, "legacy.py", b"# -*- coding: latin-1 -*-\ndef f(nom='\xe9', seen=[]):\n    seen.append(nom)\n    return seen\n")
    status, out, err = call(capsys, "--select", "AWS3", "legacy.py")
    assert (status, err) == (1, "Found 1 finding in 1 file\n")
    assert out.startswith("legacy.py:2:21: AWS301 mutable default `seen` ")


def test_errors_only_exit_2_even_without_findings(in_tmp: Path, capsys) -> None:
    write(in_tmp, "bad.py", "return return\n")
    write(in_tmp, "clean.py", CLEAN)
    status, out, err = call(capsys, ".")
    assert (status, out) == (2, "")
    assert err.startswith(f".{os.sep}bad.py: error: cannot parse: ")
    assert err.splitlines()[1:] == ["No findings in 2 files; 1 file could not be parsed"]


def test_unknown_flag_and_bad_format_are_usage_errors(in_tmp: Path, capsys) -> None:
    assert call(capsys, "--no-such-flag")[0] == 2
    assert call(capsys, "--format", "xml", ".")[0] == 2


def test_unknown_code_prefix_is_a_usage_error(in_tmp: Path, capsys) -> None:
    status, out, err = call(capsys, "--select", "AWS9", ".")
    assert (status, out) == (2, "")
    assert err == "awslint: error: --select: AWS9 is not a code or prefix of one (see awslint --list-rules)\n"


# --- selection ------------------------------------------------------------------------------------


def test_select_and_ignore_by_prefix(in_tmp: Path, capsys) -> None:
    write(in_tmp, "app.py", SEED + "\n\n" + UNUSED_DEFAULT)
    assert codes(call(capsys, "--select", "AWS3", "app.py")[1]) == [(1, "AWS301"), (9, "AWS302")]
    assert codes(call(capsys, "--select", "AWS3", "--ignore", "AWS302", "app.py")[1]) == [(1, "AWS301")]
    assert codes(call(capsys, "--select", "AWS3", "--extend-ignore", "AWS30", "app.py")[1]) == []
    assert codes(call(capsys, "--select", "AWS1", "--extend-select", "aws301", "app.py")[1]) == [(1, "AWS301")]


def test_default_off_rule_needs_selecting(in_tmp: Path, capsys) -> None:
    write(in_tmp, "app.py", UNUSED_DEFAULT)
    assert call(capsys, "app.py") == (0, "", "")
    assert call(capsys, "--select", "AWS", "app.py") == (0, "", "")


def codes(out: str) -> list[tuple[int, str]]:
    return [(int(line.split(":")[1]), line.split(": ", 1)[1].split()[0]) for line in out.splitlines()]


# --- configuration --------------------------------------------------------------------------------


def test_nearest_pyproject_configures_each_file(in_tmp: Path, capsys) -> None:
    write(in_tmp, "pyproject.toml", '[tool.awslint]\nselect = ["AWS3"]\n')
    write(in_tmp, "app.py", UNUSED_DEFAULT)
    write(in_tmp, "sub/pyproject.toml", '[project]\nname = "sub"\n')  # nearest: no [tool.awslint] -> defaults
    write(in_tmp, "sub/mod.py", UNUSED_DEFAULT)
    status, out, _ = call(capsys, ".")
    assert status == 1
    assert codes(out) == [(1, "AWS302")]
    assert out.startswith(f".{os.sep}app.py:1:30: AWS302 ")


def test_command_line_overrides_pyproject(in_tmp: Path, capsys) -> None:
    write(in_tmp, "pyproject.toml", '[tool.awslint]\nselect = ["AWS3"]\nignore = ["AWS302"]\n')
    write(in_tmp, "app.py", UNUSED_DEFAULT)
    assert codes(call(capsys, "app.py")[1]) == []
    assert codes(call(capsys, "--ignore", "AWS301", "app.py")[1]) == [(1, "AWS302")]  # replaces the file's
    assert codes(call(capsys, "--select", "AWS301", "--ignore", "AWS301", "app.py")[1]) == []
    assert codes(call(capsys, "--isolated", "--select", "AWS302", "app.py")[1]) == [(1, "AWS302")]
    assert codes(call(capsys, "--isolated", "app.py")[1]) == []


def test_explicit_config_file(in_tmp: Path, capsys) -> None:
    write(in_tmp, "conf/settings.toml", '[tool.awslint]\nselect = ["AWS302"]\n')
    write(in_tmp, "app.py", UNUSED_DEFAULT)
    assert codes(call(capsys, "--config", "conf/settings.toml", "app.py")[1]) == [(1, "AWS302")]
    assert call(capsys, "--config", "conf/none.toml", "app.py")[0] == 2


def test_bad_configuration_is_reported_on_one_line_with_exit_2(in_tmp: Path, capsys) -> None:
    write(in_tmp, "pyproject.toml", '[tool.awslint]\nselcet = ["AWS3"]\n')
    write(in_tmp, "app.py", SEED)
    status, out, err = call(capsys, "app.py")
    assert (status, out) == (2, "")
    assert err.startswith("awslint: error: ")
    assert "[tool.awslint] selcet: unknown option" in err
    assert err.count("\n") == 1


def test_every_option_of_every_family_is_a_flag() -> None:
    from awslint import OPTIONS

    flags = {a for action in build_parser()._actions for a in action.option_strings}
    assert {f"--{o.name}" for o in OPTIONS} <= flags


def test_option_flags_are_generated_and_reach_the_configuration(in_tmp: Path, monkeypatch, capsys) -> None:
    import awslint.cli as cli

    option = Option("widget-factories", "extra widget factories")
    monkeypatch.setattr(cli, "OPTIONS", (*cli.OPTIONS, option))
    seen = []

    def spy(tree, lines, filename, config):
        from awslint.checker import Analysis

        seen.append(config)
        return Analysis(())

    monkeypatch.setattr(cli, "analyse_tree", spy)
    assert "--widget-factories" in {a for action in cli.build_parser()._actions for a in action.option_strings}
    write(in_tmp, "pyproject.toml", '[tool.awslint]\nwidget-factories = ["a.make"]\n')
    write(in_tmp, "app.py", CLEAN)
    assert call(capsys, "app.py")[0] == 0
    assert call(capsys, "--widget-factories", "w.build, w.make", "app.py")[0] == 0
    assert [c.option("widget-factories") for c in seen] == [("a.make",), ("w.build", "w.make")]


# --- --explain and --list-rules -------------------------------------------------------------------


def test_explain_prints_the_rule_page(capsys) -> None:
    from awslint import RULES_BY_CODE

    page = render(RULES_BY_CODE["AWS301"])
    assert call(capsys, "--explain", "AWS301") == (0, page, "")
    assert call(capsys, "--explain", "aws301") == (0, page, "")
    assert call(capsys, "--explain", "mutated-mutable-default") == (0, page, "")
    assert page == (ROOT / "rules" / "AWS301.md").read_text(encoding="utf-8")


def test_explain_unknown_rule(capsys) -> None:
    status, out, err = call(capsys, "--explain", "AWS999")
    assert (status, out) == (2, "")
    assert err == "awslint: error: --explain: no rule 'AWS999' (see awslint --list-rules)\n"


def test_list_rules_names_every_rule(capsys) -> None:
    status, out, _ = call(capsys, "--list-rules")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == [rule.code for rule in RULES]
    assert "AWS302  off  mutable-default-argument" in out


# --- JSON -----------------------------------------------------------------------------------------


def test_json_output(in_tmp: Path, capsys) -> None:
    write(in_tmp, "app.py", SEED)
    status, out, _ = call(capsys, "--select", "AWS3", "--format", "json", "app.py")
    assert status == 1
    (item,) = json.loads(out)
    fingerprint = item.pop("fingerprint")
    assert len(fingerprint) == 32
    assert item == {
        "kind": "finding",
        "path": "app.py",
        "line": 1,
        "column": 40,
        "end_line": 1,
        "end_column": 42,
        "code": "AWS301",
        "name": "mutated-mutable-default",
        "message": SEED_MESSAGE,
        "steps": [
            {"line": 1, "column": 40, "note": "`sns_topics` defaults to one shared list"},
            {"line": 5, "column": 9, "note": "`sns_topics` is changed by `.append()`"},
        ],
    }


def test_json_output_is_an_empty_list_when_clean(in_tmp: Path, capsys) -> None:
    write(in_tmp, "clean.py", CLEAN)
    assert call(capsys, "--format", "json", "clean.py") == (0, "[]\n", "")


def test_output_file(in_tmp: Path, capsys) -> None:
    write(in_tmp, "app.py", SEED)
    assert call(capsys, "--select", "AWS3", "--output", "report.txt", "app.py") == (1, "", "Found 1 finding in 1 file\n")
    assert (in_tmp / "report.txt").read_text() == f"app.py:1:40: AWS301 {SEED_MESSAGE}\n"


def test_exit_zero(in_tmp: Path, capsys) -> None:
    write(in_tmp, "app.py", SEED)
    status, out, _ = call(capsys, "--select", "AWS3", "--exit-zero", "app.py")
    assert status == 0
    assert out.startswith("app.py:1:40: AWS301")


# --- stdin ----------------------------------------------------------------------------------------


def test_stdin_with_a_display_name(in_tmp: Path, monkeypatch, capsys) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.encode()), encoding="utf-8"))
    status, out, _ = call(capsys, "--select", "AWS3", "--stdin-filename", "src/topics.py", "-")
    assert status == 1
    assert out == f"src/topics.py:1:40: AWS301 {SEED_MESSAGE}\n"


def test_stdin_takes_the_configuration_of_its_display_name(in_tmp: Path, monkeypatch, capsys) -> None:
    import io

    write(in_tmp, "proj/pyproject.toml", '[tool.awslint]\nselect = ["AWS302"]\n')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UNUSED_DEFAULT.encode()), encoding="utf-8"))
    assert codes(call(capsys, "--stdin-filename", "proj/app.py", "-")[1]) == [(1, "AWS302")]


# --- parallel checking --------------------------------------------------------------------------


def test_jobs_give_the_same_report_in_the_same_order(in_tmp: Path, capsys) -> None:
    for i in range(40):
        write(in_tmp, f"pkg/m{i:02}.py", SEED if i % 3 else CLEAN)
    write(in_tmp, "pkg/m07_broken.py", "def f(:\n")
    one = call(capsys, "--select", "AWS3", "--jobs", "1", "pkg")
    two = call(capsys, "--select", "AWS3", "--jobs", "2", "pkg")
    assert one == two
    assert one[0] == 2 and len(one[1].splitlines()) == 26
    assert one[2].splitlines()[1:] == ["Found 26 findings in 26 files; 1 file could not be parsed"]


def test_jobs_must_be_a_positive_number(in_tmp: Path, capsys) -> None:
    assert call(capsys, "--jobs", "0", ".") == (2, "", "awslint: error: --jobs: expected at least 1, got 0\n")
    assert call(capsys, "--jobs", "many", ".")[0] == 2


# --- the installed command ------------------------------------------------------------------------


def test_installed_script_end_to_end(tmp_path: Path) -> None:
    write(tmp_path, "app.py", SEED)
    write(tmp_path, "broken.py", "def f(:\n")
    proc = run_awslint("--select", "AWS3", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == f".{os.sep}app.py:1:40: AWS301 {SEED_MESSAGE}\n"
    assert proc.stderr == (
        f".{os.sep}broken.py: error: cannot parse: invalid syntax (line 1, column 7)\n"
        "Found 1 finding in 1 file; 1 file could not be parsed\n"
    )


def test_installed_script_reads_stdin(tmp_path: Path) -> None:
    proc = run_awslint("--select", "AWS3", "--stdin-filename", "x.py", "-", cwd=tmp_path, stdin=SEED)
    assert (proc.returncode, proc.stdout) == (1, f"x.py:1:40: AWS301 {SEED_MESSAGE}\n")


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    """`awslint . | head -1`: the report is larger than a pipe holds, and the reader goes away."""
    for i in range(400):
        write(tmp_path, f"m{i:03}.py", SEED)
    with subprocess.Popen(
        [*awslint_command(), "--select", "AWS3", "--jobs", "1", "."],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        try:
            status = proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        assert status == 1
    assert first.startswith(b"./m000.py:1:40: AWS301 ")
    assert err == b""


def test_python_dash_m_awslint(tmp_path: Path) -> None:
    write(tmp_path, "clean.py", CLEAN)
    proc = subprocess.run(
        [sys.executable, "-m", "awslint", "clean.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_explain_from_the_installed_script(tmp_path: Path) -> None:
    from awslint import RULES_BY_CODE

    proc = run_awslint("--explain", "AWS302", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, render(RULES_BY_CODE["AWS302"]))


# --- the bundled examples -------------------------------------------------------------------------


def test_bundled_examples_show_the_labelled_findings(tmp_path: Path) -> None:
    """`awslint examples/` reports exactly the `# expect:` lines of the example project."""
    from conftest import expected

    examples = ROOT / "examples"
    if not any(examples.glob("*.py")):
        pytest.skip("no bundled examples yet")
    project = tmp_path / "examples"
    shutil.copytree(examples, project)
    proc = run_awslint("--format", "json", ".", cwd=project)
    assert proc.returncode == 1, proc.stderr
    found = {(Path(item["path"]).name, item["line"], item["code"]) for item in json.loads(proc.stdout)}
    labelled = {
        (path.name, line, code)
        for path in sorted(project.glob("*.py"))
        for line, code in expected(path.read_text(encoding="utf-8"))
        if any(rule.code == code for rule in RULES)
    }
    assert found == labelled
