"""`--fix` for AWS301/AWS302: `param=[]` becomes `param=None` plus a guard that creates a fresh value.

The guard goes first in the body, after the docstring:

    def list_sns(region, creds, sns_topics=None):
        if sns_topics is None:
            sns_topics = []

For AWS301 the rewrite is the bug fix: each call gets its own value. For AWS302 it must change
nothing, so it is made only when every use of the parameter provably reads it (iterating, indexing,
`in`, `len()`, `**kwargs` unpacking, `.get()` ...): an AWS302 default handed to another function may
well be mutated there on purpose (IPython's `edit(..., last_call=['', ''])` remembers its last call
that way), and a nested function's default may be a deliberate per-closure cell.

The rewrite moves the default's evaluation from definition time to call time, so it is made only
when the value is a display of constants or an empty container (`[]`, `{"region": "us-east-1"}`,
`set()`, `deque(maxlen=10)`, `defaultdict(list)`): `def h(seen=[i])` made in a loop holds the `i` of
its own iteration, and `seen = [i]` in the body would read the last one. Any other default is
reported without a fix.

A default is also left alone where the rewrite could change what the code means: in a `lambda` (no
room for a statement), for deliberate caches (`_memo={}`: sharing is the point), in a function nested
in another (its default is shared only within one run of the outer function, which may be the
point: a per-closure memo), when the default's expression names something the function itself binds
(or the class body around a method), so it would no longer evaluate to the same thing inside the
body, and when the body starts on the `def` line. Only the findings handed in are planned for: a
suppressed finding (`# noqa`) is never among them.
"""
from __future__ import annotations

import ast
from typing import Iterator, Sequence

from awslint.analysis.mutation_flow import deliberate_cache
from awslint.analysis.names import local_bindings, parameters
from awslint.finding import Finding
from awslint.fix_edits import Edit, Source, indent_unit

CODES = frozenset({"AWS301", "AWS302"})
_Function = (ast.FunctionDef, ast.AsyncFunctionDef)
# Annotations that already admit None need no change.
_NONE_NAMES = ("None", "Optional", "Any", "object")


# Builtins that only read the container they are given.
_READING_CALLS = frozenset(
    {"len", "list", "tuple", "sorted", "set", "frozenset", "dict", "str", "repr", "bool", "any", "all", "sum",
     "min", "max", "enumerate", "zip", "reversed", "isinstance", "print", "hash", "iter"}
)
_READING_METHODS = frozenset({"get", "keys", "values", "items", "copy", "count", "index"})


def _reads_only(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str, parents: dict[ast.AST, ast.AST]) -> bool:
    """Every use of `name` in `func` (nested scopes included) reads the value and lets nothing else hold it."""
    for node in ast.walk(func):
        if not (isinstance(node, ast.Name) and node.id == name) or not isinstance(node.ctx, ast.Load):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Call) and node in parent.args:
            if not (isinstance(parent.func, ast.Name) and parent.func.id in _READING_CALLS):
                return False
        elif isinstance(parent, ast.Starred) or (isinstance(parent, ast.keyword) and parent.arg is None):
            if not isinstance(parents.get(parent), ast.Call):
                return False  # `[*x]` copies; but keep it simple: only unpacking into a call
        elif isinstance(parent, ast.Attribute):
            call = parents.get(parent)
            if parent.attr not in _READING_METHODS or not (isinstance(call, ast.Call) and call.func is parent):
                return False
        elif isinstance(parent, ast.Subscript):
            if parent.value is not node or not isinstance(parent.ctx, ast.Load):
                return False
        elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
            if parent.iter is not node:
                return False
        elif isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            if parent.test is not node:
                return False
        elif not isinstance(parent, (ast.Compare, ast.FormattedValue)):
            return False
    return True


# Builtin types an empty `defaultdict(...)` may name as its factory.
_FACTORIES = frozenset({"list", "dict", "set", "int", "float", "str", "bytes", "tuple", "frozenset", "bool"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _constant(node: ast.expr) -> bool:
    """A value that evaluates to an equal one wherever and whenever it runs: constants and displays of them."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    if isinstance(node, ast.BinOp):
        return _constant(node.left) and _constant(node.right)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_constant(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _constant(k) for k in node.keys) and all(_constant(v) for v in node.values)
    return False


def _constant_default(node: ast.expr) -> bool:
    """A display of constants, or a container constructor called with constants only (or nothing).

    The checker has already resolved the constructor (`list`, `collections.deque` ...); what matters
    here is that nothing else in the expression may have a different value at call time.
    """
    if _constant(node):
        return True
    if not isinstance(node, ast.Call):
        return False
    args = list(node.args)
    if args and isinstance(node.func, (ast.Name, ast.Attribute)) and _last(node.func) == "defaultdict":
        first = args[0]
        if not (isinstance(first, ast.Name) and first.id in _FACTORIES) and not _constant(first):
            return False
        args = args[1:]
    return all(_constant(a) for a in args) and all(k.arg is not None and _constant(k.value) for k in node.keywords)


def _last(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _nested(func: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `func` is defined inside another function (directly or in a class there)."""
    node = parents.get(func)
    while node is not None:
        if isinstance(node, _SCOPES):
            return True
        node = parents.get(node)
    return False


def _defaults(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[ast.arg, ast.expr]]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    yield from zip(positional[len(positional) - len(args.defaults) :], args.defaults)
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        if default is not None:
            yield arg, default


def _loaded_names(expr: ast.AST) -> set[str]:
    loaded = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    bound = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return loaded - bound


def _class_bindings(cls: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        for node in ast.walk(stmt) if not isinstance(stmt, (*_Function, ast.ClassDef)) else ():
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return names


def _header_end(src: Source, func: ast.FunctionDef | ast.AsyncFunctionDef) -> int | None:
    """The line holding the `:` that ends the `def` header."""
    last: ast.AST = func
    line, col = func.lineno, func.col_offset
    for node in (*parameters(func), *func.args.defaults, *(d for d in func.args.kw_defaults if d), func.returns):
        for sub in (node, getattr(node, "annotation", None)):
            if sub is not None and (sub.end_lineno or 0, sub.end_col_offset or 0) > (line, col):
                last, line, col = sub, sub.end_lineno or line, sub.end_col_offset or col
    del last
    offset = src.offset(line, col)
    # After the last parameter or annotation only `)`, `,`, `->` and comments can stand before the `:`.
    while line <= len(src.lines):
        rest = src.text[offset : src.line_start(line) + len(src.body(line))]
        code = rest.split("#", 1)[0]
        if ":" in code:
            return line
        line += 1
        offset = src.line_start(line)
    return None


def _insertion(src: Source, func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, str, str] | None:
    """(offset, indentation, newline) where the guards go, or None when the layout does not allow it."""
    body = func.body
    first = body[0]
    has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    indent = src.indent_before(first)
    if indent is None or not indent:
        return None  # the body starts on the `def` line
    if has_doc:
        end_line = first.end_lineno or first.lineno
        if not src.rest_is_blank(end_line, src.end(first)):
            return None
        return src.line_start(end_line + 1), indent, src.newline(end_line)
    header = _header_end(src, func)
    if header is None or header >= first.lineno:
        return None
    line = header + 1
    while line < first.lineno and src.body(line).strip().startswith("# type:"):
        line += 1  # a function's type comment must stay right under its header
    return src.line_start(line), indent, src.newline(header)


def _fresh_value(src: Source, default: ast.expr) -> str:
    if default.lineno == default.end_lineno:
        return src.segment(default)
    return ast.unparse(default)


def _annotation_edit(src: Source, arg: ast.arg, code: str) -> Edit | None | bool:
    """An edit that admits None in the annotation; True when none is needed, None when unsafe."""
    ann = arg.annotation
    if ann is None:
        return True
    if isinstance(ann, ast.Constant):
        return None  # a string annotation: rewriting inside the string is not worth the risk
    text = ast.unparse(ann)
    if any(word in text for word in _NONE_NAMES):
        return True
    needs_parens = not isinstance(ann, (ast.Name, ast.Attribute, ast.Subscript, ast.BinOp))
    if isinstance(ann, ast.BinOp) and not isinstance(ann.op, ast.BitOr):
        needs_parens = True
    start, end = src.start(ann), src.end(ann)
    if needs_parens:
        new = "(" + src.text[start:end] + ") | None"
        return Edit(start, end, new, (start, end), code, primary=False)
    return Edit(end, end, " | None", (end, end), code, primary=False)


def plan(src: Source, tree: ast.AST, findings: Sequence[Finding]) -> list[list[Edit]]:
    """One group of edits per function that has fixable defaults."""
    wanted = {(f.line, f.col): f.code for f in findings if f.code in CODES}
    if not wanted:
        return []
    groups: list[list[Edit]] = []
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for func in (n for n in ast.walk(tree) if isinstance(n, _Function)):
        targets = [(a, d) for a, d in _defaults(func) if (d.lineno, d.col_offset) in wanted]
        if not targets or _nested(func, parents):
            continue
        where = _insertion(src, func)
        if where is None:
            continue
        offset, indent, newline = where
        unit = indent_unit(indent)
        owner = parents.get(func)
        blocked = local_bindings(func) | {a.arg for a in parameters(func)}
        # A name declared global or nonlocal may not be used above its declaration.
        blocked |= {n for node in ast.walk(func) if isinstance(node, (ast.Global, ast.Nonlocal)) for n in node.names}
        if isinstance(owner, ast.ClassDef):
            blocked |= _class_bindings(owner)
        edits: list[Edit] = []
        guards: list[str] = []
        for arg, default in targets:
            code = wanted[(default.lineno, default.col_offset)]
            if deliberate_cache(arg.arg) or not _constant_default(default) or _loaded_names(default) & blocked:
                continue
            if code != "AWS301" and not _reads_only(func, arg.arg, parents):
                continue
            if any(isinstance(n, (ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)) for n in ast.walk(default)):
                continue
            annotation = _annotation_edit(src, arg, code)
            if annotation is None:
                continue
            if isinstance(annotation, Edit):
                edits.append(annotation)
            start, end = src.start(default), src.end(default)
            edits.append(Edit(start, end, "None", (start, end), code))
            fresh = _fresh_value(src, default)
            guards.append(f"{indent}if {arg.arg} is None:{newline}{indent}{unit}{arg.arg} = {fresh}{newline}")
        if guards:
            text = "".join(guards)
            if offset == src.length and not src.text.endswith(("\n", "\r")):
                text = newline + text  # the docstring or header is the file's unterminated last line
            edits.append(Edit(offset, offset, text, (offset, offset), edits[-1].code, primary=False))
            groups.append(edits)
    return groups
