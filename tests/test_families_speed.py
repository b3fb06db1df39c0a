"""The shortcuts the smaller families take to skip work, each against the work it skips."""
from __future__ import annotations

import pytest

from awslint import Config, check_source
from awslint.data.pagination import table
from awslint.rules.sdk import credentials

# Calls the pagination prefilter lets through or stops: keyword-only snake_case operations, a
# positional argument, camelCase, `get_paginator`, plain-name calls spelt like an operation.
_PAGINATION_SOURCES = (
    "import boto3\n\ndef sync(source_ddb):\n    response = source_ddb.scan(TableName='t')\n    return response['Items']\n",
    "import boto3\n\nsns = boto3.client('sns')\n\ndef arns():\n    paginator = sns.get_paginator('list_topic')\n    return paginator\n",
    "import boto3\n\ns3 = boto3.client('s3')\n\ndef keys(bucket):\n    pages = s3.get_paginator('list_objects_v2').paginate(Bucket=bucket)\n    return next(iter(pages))\n",
    "def f(c):\n    return c.list_topics()['Topics']\n",
    "def f(c):\n    return c.list_topics('x')['Topics']\n",
    "def f(c):\n    return c.listTopics()['Topics']\n",
    "import boto3\ns3 = boto3.client('s3')\nfor page in s3.get_paginator('list_objects_v2').paginate(Bucket='b'):\n    print(page)\n",
    "def list_topics():\n    return []\n\ndef f(c):\n    return list_topics() + c.describe_instances()['Reservations']\n",
    "import boto3\n\ndef f():\n    ec2 = boto3.client('ec2')\n    return ec2.describe_instances(MaxResults=5)['Reservations']\n",
    "import os\n\ndef f(p):\n    return os.path.join(p, 'x')\n",
)


@pytest.mark.parametrize("source", _PAGINATION_SOURCES)
def test_pagination_reports_the_same_before_and_after_its_table_is_read(source: str) -> None:
    """Before the table is read a prefilter decides whether to read it; after, the shortlist alone
    decides, which the prefilter's answer implies: both must find the same."""
    config = Config(select=("AWS2",))
    table.cache_clear()
    cold = check_source(source, "x.py", config)
    table()
    warm = check_source(source, "x.py", config)
    assert [(f.code, f.line, f.col, f.message) for f in cold] == [(f.code, f.line, f.col, f.message) for f in warm]


def test_pagination_sources_include_findings() -> None:
    """The oracle above compares findings, not only silence."""
    found = {f.code for s in _PAGINATION_SOURCES for f in check_source(s, "x.py", Config(select=("AWS2",)))}
    assert {"AWS201", "AWS202"} <= found


@pytest.mark.parametrize(
    "text",
    [
        "aws_secret_access_key = 'x'",
        "secret-access--key",
        "secretaccesskey",
        "the secret is out; access the key",
        "secret_access",
        "access_key = secret",
        "",
        "secre t_access_key",
    ],
)
def test_secret_hint_agrees_with_its_expression(text: str) -> None:
    lowered = text.lower()
    assert credentials._names_a_secret(lowered) == (credentials._SECRET_HINT.search(lowered) is not None)


def test_function_facts_are_built_once_per_file() -> None:
    """Resources, process and the process factories ask one `FileFacts` per Context; it goes with it."""
    import ast
    import gc

    from awslint.analysis import resource_sites
    from awslint.analysis.resource_sites import FunctionFacts, file_facts
    from awslint.context import Context

    source = "import subprocess\n\ndef run(cmd):\n    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)\n    return p.communicate()\n"
    tree = ast.parse(source)
    func = tree.body[1]
    assert isinstance(func, ast.FunctionDef)
    ctx = Context(tree, source.splitlines(), "x.py", Config())
    first = file_facts(ctx).of(func)
    assert file_facts(ctx).of(func) is first
    assert first.graphs is ctx.graphs
    other_ctx = Context(tree, source.splitlines(), "x.py", Config())
    other = file_facts(other_ctx).of(func)
    assert other is not first  # another run over the file builds its own
    alone = FunctionFacts.of(func)
    assert (other.shadowed, other.imported, other.nested_names) == (alone.shadowed, alone.imported, alone.nested_names)
    gc.collect()
    before = len(resource_sites._FILES)
    del ctx, other_ctx, first, other
    gc.collect()
    assert len(resource_sites._FILES) == before - 2  # nothing held refers back to its Context


# Receivers of every origin the SDK rules judge, in modules whose text never says `client` or
# `resource`: a stub-like annotation is absent, so the shortcut applies to each.
_SDK_SOURCES = (
    "import gc\n\ndef f():\n    gc.disable()\n    gc.enable()\n",
    "def f(sqs, url):\n    sqs.send_message_batch(QueueUrl=url, Entries=[])\n",
    "def f(kinesis):\n    kinesis.put_records(StreamName='s', Records=[])\n",
    "def f(conn):\n    conn.put_records(StreamName='s', Records=[])\n",
    "class A:\n    def f(self):\n        self.enable()\n        self.sqs.send_message_batch(QueueUrl='u', Entries=[])\n",
    "import boto3\n\ndef f(conn):\n    conn.put_records(StreamName='s', Records=[])\n",
    "def f(bp):\n    bp.enable()\n    bp.put_records(Records=[])\n",
    "import mylib\nsqs = mylib.make()\n\ndef f():\n    sqs.send_message_batch(QueueUrl='u', Entries=[])\n",
)


@pytest.mark.parametrize("source", _SDK_SOURCES)
def test_sdk_candidates_agree_with_and_without_the_client_spelling_shortcut(source: str) -> None:
    """Without `client` or `resource` in the text, a call is ruled out before its receiver is
    classified when its name gives no evidence; the classification must agree on every call."""
    import ast

    from awslint.analysis.sdk_receivers import SdkReceivers
    from awslint.context import Context
    from awslint.data.pagination import table as pagination_table
    from awslint.data.sdk_tables import batch_table, deprecated_table
    from awslint.lines import source_lines

    assert "client" not in source.lower() and "resource" not in source.lower()
    tree = ast.parse(source)
    answers = []
    for shortcut in (True, False):
        # without the text, every receiver is classified
        ctx = Context(tree, source_lines(source) if shortcut else [], "x.py", Config())
        receivers = SdkReceivers(ctx, deprecated_table().all_services, pagination_table().service_for_stub)
        table = batch_table()
        answers.append([
            receivers.candidate(call, scope, table.services_of(call.func.attr), table.elsewhere(call.func.attr))
            for call, scope in ctx.index.calls
            if isinstance(call.func, ast.Attribute)
        ])
    assert answers[0] == answers[1]


def test_sdk_sources_include_candidates() -> None:
    """The oracle above compares real candidates, not only None."""
    found = 0
    for source in _SDK_SOURCES:
        found += len([f for f in check_source(source, "x.py", Config(select=("AWS203",)))])
    assert found >= 2


# Modules whose text never spells `client`, `resource` or `Table`, with calls of paginated operations
# on receivers of every origin: a parameter named after a service, PascalCase keywords, a name that
# gives no evidence, `self`, an imported module, a module-level name bound elsewhere.
_UNSPELLED_PAGING = (
    "def f(sns):\n    return sns.list_topics()['Topics']\n",
    "def f(ec2):\n    return ec2.describe_instances(Filters=[])['Reservations']\n",
    "def f(x):\n    return x.list_objects_v2(Bucket='b')['Contents']\n",
    "import optparse\n\ndef f(parser):\n    return parser.list_topics()\n",
    "class A:\n    def f(self):\n        return self.list_topics()['Topics']\n",
    "import mylib\nsns = mylib.make()\n\ndef f():\n    return sns.list_topics()['Topics']\n",
)


@pytest.mark.parametrize("source", _UNSPELLED_PAGING)
def test_pagination_findings_agree_with_and_without_the_text(source: str) -> None:
    """Without the text every receiver is classified; with it, a module that spells no client,
    resource or table rules out the calls whose receivers' names give no evidence first."""
    import ast

    from awslint.context import Context
    from awslint.lines import source_lines
    from awslint.rules.pagination.check import check

    assert not any(word in source.lower() for word in ("client", "resource")) and "Table" not in source
    config = Config(select=("AWS2",))
    tree = ast.parse(source)
    found = [
        [(f.code, f.line, f.col, f.message) for f in check(Context(tree, lines, "x.py", config))]
        for lines in (source_lines(source), [])
    ]
    assert found[0] == found[1]


def test_unspelled_paging_sources_include_findings() -> None:
    found = [f for s in _UNSPELLED_PAGING for f in check_source(s, "x.py", Config(select=("AWS201",)))]
    assert len(found) >= 2


def test_an_imported_name_another_library_calls_with_snake_case_keywords_is_no_client() -> None:
    """The scan `_by_evidence` now asks last still rules out a receiver its name made a candidate."""
    config = Config(select=("AWS203",))
    used = "from mylib import sqs\n\ndef f(u):\n    sqs.read_all(path=u, use_threads=True)\n    sqs.send_message_batch(QueueUrl=u, Entries=[])\n"
    alone = "from mylib import sqs\n\ndef f(u):\n    sqs.send_message_batch(QueueUrl=u, Entries=[])\n"
    assert check_source(used, "x.py", config) == []
    assert [(f.code, f.line, f.col) for f in check_source(alone, "x.py", config)] == [("AWS203", 4, 4)]
