"""`--fix` for AWS103: a file opened inline and consumed at once moves into a `with` block.

    config = json.load(open(path))        ->    with open(path) as f:
                                                    config = json.load(f)

Only where the rewrite is local and means the same: the statement stands on lines of its own
(an assignment, `return` or expression statement, not a `for` header whose body would need
re-indenting), the file is fully consumed inside the statement (a known eager reader such as
`json.load` or `.read()`, never a lazy one such as `csv.reader` that would read after the close),
nothing in the statement runs before the `open` call that could now run after it, and the opener is
a file-like factory whose `with` closes it. Everything else keeps its AWS103 finding for a person.
"""
from __future__ import annotations

import ast
from typing import Sequence

from awslint.analysis.index import Index
from awslint.analysis.names import Names
from awslint.data.calls import FILE_OPENERS
from awslint.finding import Finding
from awslint.fix_edits import Edit, Source, indent_unit

CODE = "AWS103"
# The functions that open a file (`awslint.data.calls`), and `urlopen`, whose response `with` also closes.
OPENERS = FILE_OPENERS | {"urllib.request.urlopen"}
# Callables that read or write the whole stream before they return.
EAGER_FUNCTIONS = frozenset(
    {
        "json.load",
        "json.dump",
        "pickle.load",
        "pickle.dump",
        "marshal.load",
        "marshal.dump",
        "plistlib.load",
        "plistlib.dump",
        "tomllib.load",
        "tomli.load",
        "yaml.load",
        "yaml.safe_load",
        "yaml.full_load",
        "yaml.unsafe_load",
        "yaml.dump",
        "yaml.safe_dump",
        "shutil.copyfileobj",
        "list",
        "tuple",
        "sorted",
        "set",
        "frozenset",
        "sum",
        "min",
        "max",
        "any",
        "all",
    }
)
EAGER_METHODS = frozenset({"read", "readlines", "readline", "write", "writelines"})
_STATEMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return, ast.Expr)
# Expressions that evaluate every operand exactly once, so the consumed value may sit inside them.
_PLAIN = (
    ast.Call,
    ast.Attribute,
    ast.Subscript,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.keyword,
    ast.Starred,
    ast.FormattedValue,
    ast.JoinedStr,
    ast.Await,
)
_ORDERED = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
_NAMES = ("f", "fh", "fp", "stream", "handle")


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _consumer(call: ast.Call, parents: dict[ast.AST, ast.AST], names: Names) -> ast.AST | None:
    """The expression that reads the whole stream of `call`, or None when nothing provably does."""
    parent = parents.get(call)
    if isinstance(parent, ast.keyword):
        parent = parents.get(parent)
        if not isinstance(parent, ast.Call):
            return None
    if isinstance(parent, ast.Call) and call in (*parent.args, *(k.value for k in parent.keywords)):
        if names.resolve(parent.func) in EAGER_FUNCTIONS:
            return parent
        func = parent.func
        if isinstance(func, ast.Attribute) and func.attr == "join" and isinstance(func.value, ast.Constant):
            return parent
        return None
    if isinstance(parent, ast.Attribute) and parent.attr in EAGER_METHODS:
        outer = parents.get(parent)
        if isinstance(outer, ast.Call) and outer.func is parent:
            return outer
    return None


def _statement(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.stmt | None:
    """The simple statement whose evaluation always reaches `node`, or None."""
    while not isinstance(node, ast.stmt):
        parent = parents.get(node)
        if parent is None:
            return None
        if not isinstance(parent, (*_PLAIN, *_STATEMENTS)):
            return None
        node = parent
    return node if isinstance(node, _STATEMENTS) else None


def _free_name(tree: ast.AST) -> str:
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.arg):
            used.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            used.add(node.name)
        elif isinstance(node, ast.alias):
            used.add((node.asname or node.name).split(".")[0])
    for name in _NAMES:
        if name not in used:
            return name
    i = 1
    while f"f{i}" in used:
        i += 1
    return f"f{i}"


def plan(src: Source, tree: ast.AST, findings: Sequence[Finding]) -> list[list[Edit]]:
    wanted = {(f.line, f.col) for f in findings if f.code == CODE}
    if not wanted:
        return []
    index = Index(tree)
    names = Names(tree, index.imports)
    parents = _parents(tree)
    name = _free_name(tree)
    groups: list[list[Edit]] = []
    done: set[ast.stmt] = set()
    for call, _scope in index.calls:
        if (call.lineno, call.col_offset) not in wanted or names.resolve(call.func) not in OPENERS:
            continue
        consumer = _consumer(call, parents, names)
        stmt = _statement(consumer, parents) if consumer is not None else None
        if stmt is None or stmt in done or isinstance(parents.get(stmt), ast.ClassDef):
            continue
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None:
            continue
        edit = _wrap(src, stmt, call, name, parents)
        if edit is not None:
            done.add(stmt)
            groups.append([edit])
    return groups


def _runs_before(stmt: ast.stmt, call: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether something with effects in `stmt` is evaluated before `call` (and would move after it)."""
    ancestors: set[ast.AST] = set()
    node: ast.AST | None = call
    while node is not None and node is not stmt:
        ancestors.add(node)
        node = parents.get(node)
    inside = set(ast.walk(call))
    value = getattr(stmt, "value", None)
    for sub in ast.walk(value) if value is not None else ():
        if isinstance(sub, _ORDERED) and sub not in ancestors and sub not in inside:
            if (sub.lineno, sub.col_offset) < (call.lineno, call.col_offset):
                return True
    return False


def _wrap(src: Source, stmt: ast.stmt, call: ast.Call, name: str, parents: dict[ast.AST, ast.AST]) -> Edit | None:
    indent = src.indent_before(stmt)
    end_line = stmt.end_lineno or stmt.lineno
    if indent is None or not src.rest_is_blank(end_line, src.end(stmt)):
        return None  # another statement shares the line (`;`, or a one-line `if x: ...`)
    if _runs_before(stmt, call, parents) or call.lineno != call.end_lineno:
        return None  # a multi-line `open(...)` would make an awkward `with` header; a person does it better
    for node in ast.walk(stmt):
        # Re-indenting a multi-line string literal would change its value.
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.lineno != node.end_lineno:
            return None
    start = src.line_start(stmt.lineno)
    end = src.line_start(end_line) + len(src.body(end_line))
    call_start, call_end = src.start(call), src.end(call)
    opener = src.text[call_start:call_end]
    body = src.text[start:call_start] + name + src.text[call_end:end]
    unit = indent_unit(indent)
    newline = src.newline(stmt.lineno)
    lines = Source(body).lines
    reindented = "".join(unit + line if line.strip() else line for line in lines)
    new = f"{indent}with {opener} as {name}:{newline}{reindented}"
    return Edit(start, end, new, (start, end), CODE)
