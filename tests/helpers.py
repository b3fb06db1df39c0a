"""Seeds and helpers shared by several test modules (one home, so no test module imports another)."""
from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from awslint.analysis.boto import BotoReceivers, Receiver
from awslint.analysis.index import Index
from awslint.analysis.names import Names
from awslint.data.pagination import table

# The seed: a mutable default changed by `.append()`, and the fix AWS301 suggests for it.
SEED = """\
def list_sns(region, creds, sns_topics=[]):
    sns = boto_session('sns', creds, region)
    response = sns.list_topics()
    for topic_arn in response["Topics"]:
        sns_topics.append(topic_arn["TopicArn"])
    return sns_topics
"""

SEED_FIXED = """\
def list_sns(region, creds, sns_topics=None):
    if sns_topics is None:
        sns_topics = []
    sns = boto_session('sns', creds, region)
    response = sns.list_topics()
    for topic_arn in response["Topics"]:
        sns_topics.append(topic_arn["TopicArn"])
    return sns_topics
"""

UNUSED_DEFAULT = "def render(template, context={}):\n    return template.format(**context)\n"


def awslint_command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m awslint`."""
    script = Path(sys.executable).with_name("awslint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "awslint"]


def run_awslint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [*awslint_command(), *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def receiver_of(source: str) -> Receiver:
    """The receiver of the call on the line marked `# here`."""
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    index = Index(tree)
    t = table()
    boto = BotoReceivers(
        tree, Names(tree, index.imports), index.functions, index.classes, index.imports,
        is_service=lambda s: s in t.all_services, stub_service=t.service_for_stub,
    )
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "# here" in text)
    call, scope = next((c, s) for c, s in index.calls if c.lineno == line and isinstance(c.func, ast.Attribute))
    assert isinstance(call.func, ast.Attribute)
    return boto.classify(call.func.value, scope)


def labelled_cases(family: str) -> list[Path]:
    """A family's labelled modules, sorted into folders by the behaviour they test
    (tests/fixtures/<family>/<behaviour>/*.py); the family's top-level fixtures are checked on their own."""
    from conftest import FIXTURES

    root = FIXTURES / family
    return sorted(p for p in root.rglob("*.py") if p.parent != root)


def labelled_case(family: str, name: str) -> Path:
    """One labelled module of a family, by file name (names are unique within a family)."""
    (path,) = [p for p in labelled_cases(family) if p.name == name]
    return path
