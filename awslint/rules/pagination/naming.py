"""What names say: a receiver's words, the items an operation lists, the keywords that name them,
and how a message spells an operation, a receiver or a suggestion."""

from __future__ import annotations

import ast
import difflib
import re
from typing import Iterable, Iterator

from awslint.analysis.boto import TABLE, Receiver, dotted
from awslint.data.pagination import Paging

# Receiver names that say "a boto3 client" without naming the service.
CLIENT_WORDS = frozenset({"client", "clients", "boto", "boto3", "botoclient"})
# ... and the names that say only "a client of something": evidence of boto3 in a module that imports
# it, as `client` is (SPEC: "a receiver named only `client`, `conn`, `api` or the like").
GENERIC_CLIENT_WORDS = CLIENT_WORDS | frozenset({"conn", "connection", "api"})
# Words that may appear in the name of a client variable beside the service or `client`.
NEUTRAL_WORDS = frozenset(
    {
        "aws", "api", "src", "source", "dst", "dest", "destination", "target", "regional", "region",
        "remote", "default", "main", "primary", "secondary", "my", "the", "cross", "account", "admin",
        "new", "old", "mgmt", "management", "shared", "global", "local", "raw", "low", "level", "base",
        "prod", "dev", "staging", "conn", "connection", "sdk", "cli", "_",
    }
)
# Words that, after `dynamodb`/`ddb`, name a DynamoDB `Table` resource (`ddb_table`, `orders_dynamodb_tbl`).
TABLE_WORDS = frozenset({"table", "tbl"})
# Short names people give to clients, beside the service names themselves.
SERVICE_ALIASES = {
    "ddb": "dynamodb", "dynamo": "dynamodb", "cw": "cloudwatch", "cfn": "cloudformation",
    "sfn": "stepfunctions", "states": "stepfunctions", "asg": "autoscaling", "r53": "route53",
    "cwlogs": "logs", "secrets": "secretsmanager", "cognito": "cognito-idp", "apigw": "apigateway",
    "org": "organizations", "orgs": "organizations", "organization": "organizations", "eventbridge": "events",
    "awslambda": "lambda", "lam": "lambda", "alb": "elbv2",
}
_ITEM_SUFFIXES = ("identifiers", "identifier", "names", "name", "ids", "id", "arns", "arn")
_PREPOSITIONS = frozenset({"for", "by", "of", "in", "on", "from", "with", "to", "at"})
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def is_pascal(name: str) -> bool:
    """`TableName`, `DescribeStacks`: an ASCII capital, then letters and digits with a lower-case one.
    One pass over the text: a pattern with two starred classes backtracks quadratically on long literals."""
    return (
        name[:1].isascii()
        and name[:1].isupper()
        and all(ch in _ASCII_ALNUM for ch in name)
        and any("a" <= ch <= "z" for ch in name)
    )


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def names_listed_items(keyword: str, operation: str, plural: bool = False) -> bool:
    """`InstanceIds` for `describe_instances`, `StackName` for `describe_stacks`: a filter to the very
    items the operation lists. A parent scope (`HostedZoneId` for `list_resource_record_sets`) is not.

    A list of identifiers (`plural`, a keyword spelled in the plural or ending in `List`) also bounds
    the operations that answer once per item: `ConfigRuleNames` for
    `describe_config_rule_evaluation_status`, `Versions` for `describe_launch_template_versions`.
    """
    lowered = keyword.replace("-", "").replace("_", "").lower()
    noun = head_noun(operation)
    if not noun:
        return False
    if lowered.endswith("list") and len(lowered) > 4:
        # `ResourceARNList=[...]` for `get_resources`, `caseIdList=[...]` for `describe_cases`.
        lowered, plural = lowered[:-4], True
    suffix = next((s for s in _ITEM_SUFFIXES if lowered.endswith(s)), None)
    if suffix is None:
        # `Versions=[...]` names the listed items themselves.
        return lowered.endswith("s") and len(lowered) > 3 and noun.endswith(_singular(lowered))
    stem = lowered[: -len(suffix)]
    plural = plural or suffix.endswith("s")
    if not stem:
        return plural  # `Names=[...]`, `Ids=[...]`
    stem = _singular(stem)
    if plural:
        return noun.endswith(stem) or noun.startswith(stem)
    # One identifier bounds a listing of such items (`describe_stacks(StackName=)`), not the pages
    # inside one item (`describe_stream(StreamName=)` pages its shards, `get_group` its users).
    return noun.endswith(stem) and head_noun(operation, singular=False).endswith("s")


def singular_identifier(keyword: str) -> bool:
    """`ResourceArn`, `KeyId`, `resourceName`: one resource named by its identifier."""
    lowered = keyword.lower()
    return any(lowered.endswith(s) for s in _ITEM_SUFFIXES if not s.endswith("s")) and not lowered.endswith(
        tuple(s for s in _ITEM_SUFFIXES if s.endswith("s"))
    )


def head_noun(operation: str, singular: bool = True) -> str:
    """`describe_db_instances` -> "dbinstance"; `list_subscriptions_by_topic` -> "subscription"."""
    head: list[str] = []
    for word in operation.split("_")[1:]:
        if word in _PREPOSITIONS:
            break
        head.append(word)
    return _singular("".join(head)) if singular else "".join(head)


def filtered_names(value: ast.AST) -> Iterator[str]:
    """The names filtered on in `Filters=[{"Name": "instance-id", "Values": [...]}]` (or `Key`) to given
    values. A value with a wildcard (`{"Name": "name", "Values": ["amzn2-ami-hvm-*"]}`) matches any
    number of items, so that filter names none."""
    if not isinstance(value, (ast.List, ast.Tuple)):
        return
    for element in value.elts:
        if not isinstance(element, ast.Dict):
            continue
        fields = {k.value: v for k, v in zip(element.keys, element.values) if isinstance(k, ast.Constant)}
        name = fields.get("Name", fields.get("Key"))
        if isinstance(name, ast.Constant) and isinstance(name.value, str) and "Values" in fields:
            if not _wildcard(fields["Values"]):
                yield name.value


def _wildcard(values: ast.AST) -> bool:
    """Whether a filter's values spell a pattern: a string holding `*` or `?`, also in an f-string."""
    for node in ast.walk(values):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ("*" in node.value or "?" in node.value):
            return True
    return False


def main_paging(pagings: list[Paging], call: ast.Call | None = None) -> Paging:
    """The paging most services share (for a receiver of unknown service), among those spelled like
    the call's own keywords: a call with `PolicyId=` loops on `NextToken`, not `nextMarker`."""
    names = [kw.arg for kw in call.keywords if kw.arg] if call is not None else []
    if names:
        pascal = sum(1 for n in names if n[:1].isupper()) * 2 >= len(names)
        alike = [p for p in pagings if p.input_tokens and p.input_tokens[0][:1].isupper() == pascal]
        pagings = alike or pagings
    counts: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    for p in pagings:
        key = (p.input_tokens, p.output_tokens)
        counts[key] = counts.get(key, 0) + 1
    best = max(counts, key=lambda k: counts[k])
    return next(p for p in pagings if (p.input_tokens, p.output_tokens) == best)


def receiver_text(node: ast.AST, receiver: Receiver) -> str:
    """How the fix names the client: as the code spells it (`s3`, `self._ec2`, `sqs()`,
    `boto3.client('s3')`) when that is short, else `client`."""
    text = dotted(node)
    if text is None and isinstance(node, ast.Call):
        spelled = ast.unparse(node)
        text = spelled if len(spelled) <= 40 and "\n" not in spelled else None
    text = text or "client"
    if receiver.kind == TABLE:
        return f"{text}.meta.client"
    return text


def _to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def suggest(operation: str, choices: Iterable[str]) -> str:
    pool = list(choices)
    if not pool:
        return "this service has no paginators: call the operation once, or loop on its token yourself"
    close = difflib.get_close_matches(_to_snake(operation), pool, n=3, cutoff=0.75)
    if not close:
        return "no paginated operation has a similar name: call a non-paginated operation directly"
    return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
