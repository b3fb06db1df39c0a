"""Every command the README and docs/ show is run (issue 11, item 8), in a folder holding the bundled
examples as `src/` and `app.py`, with this environment's tools first on PATH; each must exit as a
success or a "findings" status, never a usage error or a traceback. Each `[tool.awslint]` block shown
is a valid configuration, and the README's pre-commit revision is a commit of this repository."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Installing into a new environment is what tests/test_install.py and the CI run do; not repeated here.
INSTALLS = re.compile(r"^(python3 -m venv|pip install|\.venv/bin/pip)")


def _commands() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in re.findall(r"```sh\n(.*?)```", text, re.S):
            found.extend((doc.name, line) for line in block.splitlines() if line.strip())
        for block in re.findall(r"```console\n(.*?)```", text, re.S):
            found.extend((doc.name, line[2:]) for line in block.splitlines() if line.startswith("$ "))
        for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
            found.extend((doc.name, m) for m in re.findall(r"- run: (awslint .*)", block))
    return [(name, line) for name, line in found if not INSTALLS.match(line)]


COMMANDS = _commands()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("documented")
    shutil.copytree(ROOT / "examples", root / "src")
    shutil.copy(ROOT / "examples" / "inventory.py", root / "app.py")
    return root


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("AWSLINT_STRICT", None)
    return env


def test_the_docs_show_commands() -> None:
    tools = {line.split()[0] for _, line in COMMANDS if line.split()}
    assert {"awslint", "flake8", "pylint"} <= tools | {line.split("|")[-1].split()[0] for _, line in COMMANDS if "|" in line}
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize(("doc", "command"), COMMANDS, ids=[f"{d}:{c[:60]}" for d, c in COMMANDS])
def test_documented_command_runs(workdir: Path, doc: str, command: str) -> None:
    tool = command.split("|")[-1].split()[0]
    if tool in ("flake8", "pylint"):
        pytest.importorskip(tool)
    proc = subprocess.run(command, shell=True, cwd=workdir, env=_env(), capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr
    if tool == "pylint":
        assert proc.returncode & (1 | 32) == 0, proc.stdout + proc.stderr  # not fatal, not a usage error
    else:
        assert proc.returncode in (0, 1), f"{command}\n{proc.stdout}\n{proc.stderr}"


def _tool_tables() -> list[str]:
    out = []
    for doc in DOCS:
        for block in re.findall(r"```toml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            block = "\n".join(line.strip() for line in block.splitlines())
            if "[tool.awslint]" in block:
                out.append(block)
    return out


@pytest.mark.parametrize("table", _tool_tables())
def test_documented_configuration_is_valid(workdir: Path, table: str) -> None:
    (workdir / "documented.toml").write_text(table, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "awslint", "--config", "documented.toml", "--no-cache", "src"],
        cwd=workdir, env=_env(), capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr


def _readme_revision() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "id: awslint" in b]
    (rev,) = re.findall(r"rev: (\S+)", block)
    return rev


def test_readme_pre_commit_revision_is_a_commit_here() -> None:
    rev = _readme_revision()
    assert re.fullmatch(r"[0-9a-f]{40}", rev), rev
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    exists = subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True)
    if exists.returncode != 0 and shallow.stdout.strip() == "true":
        pytest.skip("a shallow clone does not hold the revision")
    assert exists.returncode == 0, f"{rev} is not a commit of this repository"
    manifest = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert "- id: awslint" in manifest.stdout
