"""The pre-commit hook, run by the real pre-commit: it fails on a leaking file and passes once fixed.

`pre-commit try-repo` installs this repository into a fresh virtual environment of its own (which needs
the package registry for the build backend); where that cannot happen the test is skipped, with the
reason, rather than failed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pre_commit = pytest.importorskip("pre_commit", reason="pre-commit (a test dependency) is not installed")

LEAKING = '''\
def read_lines(file):
    lines = []
    f = open(file, "r")
    for line in f:
        lines.append(line.strip())
    return lines


def list_sns(region, creds, sns_topics=[]):
    sns = boto_session("sns", creds, region)
    response = sns.list_topics()
    for topic_arn in response["Topics"]:
        sns_topics.append(topic_arn["TopicArn"])
    return sns_topics
'''

FIXED = '''\
def read_lines(file):
    lines = []
    with open(file, "r") as f:
        for line in f:
            lines.append(line.strip())
    return lines


def list_sns(region, creds, sns_topics=None):
    if sns_topics is None:
        sns_topics = []
    sns = boto_session("sns", creds, region)
    for page in sns.get_paginator("list_topics").paginate():
        for topic_arn in page["Topics"]:
            sns_topics.append(topic_arn["TopicArn"])
    return sns_topics
'''


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def try_repo(project: Path, home: Path, *ref: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("AWSLINT_STRICT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "awslint", *ref, "--files", "topics.py", "--verbose"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def test_manifest_is_valid() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _yaml_blocks() -> list[str]:
    import re

    text = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_documented_yaml_parses_and_names_our_hook() -> None:
    yaml = pytest.importorskip("yaml", reason="PyYAML (a pre-commit dependency) is not installed")
    blocks = [yaml.safe_load(block) for block in _yaml_blocks()]
    workflow, ours, flake8_hook = blocks
    steps = workflow["jobs"]["awslint"]["steps"]
    assert any("awslint --format sarif --output awslint.sarif" in step.get("run", "") for step in steps)
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps)
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert ours["repos"][0]["hooks"][0]["id"] == manifest[0]["id"] == "awslint"
    (dependency,) = flake8_hook["repos"][0]["hooks"][0]["additional_dependencies"]
    assert dependency.startswith("awslint @ git+")


@pytest.mark.slow
def test_hook_fails_on_findings_and_passes_once_fixed(tmp_path: Path, home: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / "topics.py").write_text(LEAKING)
    git("add", "topics.py", cwd=project)

    proc = try_repo(project, home)
    output = proc.stdout + proc.stderr
    if proc.returncode not in (0, 1) and "Installing environment" in output:
        log = home / "pre-commit.log"
        detail = log.read_text(errors="replace")[-600:] if log.exists() else output[-600:]
        pytest.skip(f"pre-commit could not install the hook's environment (no registry?): {detail}")
    assert proc.returncode == 1, output
    assert "awslint" in output and "Failed" in output
    assert "topics.py:9:40: AWS301 mutable default `sns_topics`" in output
    if any(code in output for code in ("AWS101", "AWS102")) or _has("AWS101"):
        assert "topics.py:3:9: AWS101 `f` opened at line 3" in output

    (project / "topics.py").write_text(FIXED)
    git("add", "topics.py", cwd=project)
    proc = try_repo(project, home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def _has(code: str) -> bool:
    from awslint import RULES

    return any(rule.code == code for rule in RULES)


@pytest.mark.slow
def test_the_readme_revision_runs_with_pre_commit(tmp_path: Path, home: Path) -> None:
    """The revision the README's pre-commit block names is one pre-commit can install and run."""
    import re

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("git or the repository's history is not here")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (rev,) = re.findall(r"rev: ([0-9a-f]{40})", readme)
    if subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("a shallow clone does not hold the revision")
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / "topics.py").write_text(LEAKING)
    git("add", "topics.py", cwd=project)
    proc = try_repo(project, home, "--ref", rev)
    output = proc.stdout + proc.stderr
    if proc.returncode not in (0, 1) and "Installing environment" in output:
        pytest.skip(f"pre-commit could not install the hook's environment (no registry?): {output[-600:]}")
    assert proc.returncode == 1, output
    assert "topics.py:9:40: AWS301 mutable default `sns_topics`" in output
