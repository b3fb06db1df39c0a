"""The real flake8, as a subprocess: selection, noqa, opt-in codes, stdin (editors) and -j."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from awslint import OPTIONS
from helpers import SEED

pytest.importorskip("flake8")

FMT = "%(path)s:%(row)d:%(col)d: %(code)s"
SOURCE = SEED + "\n\ndef g(y=[]):\n    return len(y)\n\n\ndef h(z={}):  # noqa: AWS301\n    return z\n"


def flake8(*args: str, cwd: Path, stdin: str | None = None) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--format", FMT, *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return sorted(line for line in proc.stdout.splitlines() if line)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


def test_select_aws_reports_default_rules_only(project: Path) -> None:
    assert flake8("--isolated", "--select", "AWS", "app.py", cwd=project) == ["app.py:1:40: AWS301", "app.py:3:16: AWS201"]


def test_opt_in_rule_needs_a_longer_prefix(project: Path) -> None:
    assert flake8("--isolated", "--select", "AWS,AWS302", "app.py", cwd=project) == [
        "app.py:1:40: AWS301",
        "app.py:3:16: AWS201",
        "app.py:9:9: AWS302",
    ]
    assert flake8("--isolated", "--select", "E999", "--extend-select", "AWS3", "app.py", cwd=project) == [
        "app.py:1:40: AWS301",
        "app.py:9:9: AWS302",
    ]


def test_default_run_has_opt_in_rule_ignored(project: Path) -> None:
    found = flake8("--isolated", "app.py", cwd=project)
    assert "app.py:1:40: AWS301" in found
    assert not any("AWS302" in line for line in found)


def test_noqa_silences_the_named_code(project: Path) -> None:
    found = flake8("--isolated", "--select", "AWS", "app.py", cwd=project)
    assert not any(line.startswith("app.py:13:") for line in found)


def test_stdin_as_editors_call_it(project: Path) -> None:
    found = flake8("--isolated", "--select", "AWS", "--stdin-display-name", "buffer.py", "-", cwd=project, stdin=SOURCE)
    assert found == ["buffer.py:1:40: AWS301", "buffer.py:3:16: AWS201"]


def test_parallel_jobs_match_serial(project: Path) -> None:
    for i in range(4):
        (project / f"copy{i}.py").write_text(SOURCE)
    serial = flake8("--isolated", "--select", "AWS", "-j", "1", ".", cwd=project)
    parallel = flake8("--isolated", "--select", "AWS", "-j", "2", ".", cwd=project)
    assert serial == parallel and len(serial) == 10


def test_setup_cfg_options_are_read(project: Path) -> None:
    names = [o.name for o in OPTIONS]
    if not names:
        pytest.skip("no family declares options yet")
    lines = "\n".join(f"aws-{name} = mylib.thing" for name in names)
    (project / "setup.cfg").write_text(f"[flake8]\nselect = AWS\n{lines}\n")
    assert flake8("app.py", cwd=project) == ["app.py:1:40: AWS301", "app.py:3:16: AWS201"]


def test_bad_syntax_is_flake8s_to_report(project: Path) -> None:
    (project / "broken.py").write_text("def f(:\n")
    found = flake8("--isolated", "--select", "AWS,E999", "broken.py", cwd=project)
    assert len(found) == 1 and found[0].startswith("broken.py:1:") and found[0].endswith(" E999")


def test_flake8s_own_selection_decides_what_the_plugin_analyses(tmp_path: Path) -> None:
    """flake8 runs every plugin and filters afterwards; the plugin asks flake8's decision first, so a
    run that selects no AWS code costs nothing, and an ignored code is not analysed."""
    import flake8_awslint
    from flake8.main.application import Application

    target = tmp_path / "a.py"
    target.write_text("def f(x=[]):\n    x.append(1)\n")
    runs = {
        ("--select", "E9,F"): (True, ()),
        ("--select", "AWS3"): (False, ("AWS301", "AWS302")),
    }
    for argv, (idle, select) in runs.items():
        app = Application()
        app.initialize([*argv, str(target)])
        assert (flake8_awslint.Plugin.idle, flake8_awslint.Plugin.config.select) == (idle, select)
    app = Application()
    app.initialize(["--extend-ignore", "AWS4", str(target)])
    assert not any(code.startswith("AWS4") for code in flake8_awslint.Plugin.config.select)
    assert "AWS101" in flake8_awslint.Plugin.config.select
