"""Whether a response is read for its results: reads of a page's keys, tests for emptiness, first
items, first pages of a paginator, and a page handed back to the caller with its token."""

from __future__ import annotations

import ast
from typing import Callable, Dict, FrozenSet, Optional

from awslint.analysis.model import SemanticModel
from awslint.analysis.nodes import children
from awslint.data.pagination import Paging
from awslint.data.reporters import LOG_METHODS, LOGGER_NAMES

_READERS = frozenset({"print", "len", "str", "repr", "dict", "list", "sorted", "bool", "isinstance"})
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "dumps"})


def only_reads(call: ast.Call) -> bool:
    """A call that reads a dict and cannot add a key to it: `print(kwargs)`, `log.debug("%s", kwargs)`."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in _READERS
    return isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS


def first_of(node: ast.AST, parents: Parents) -> ast.AST | None:
    """`next(iter(pages))`, `list(pages)[0]`: the expression that reads only the first page."""
    parent = parents.get(node)
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.args and parent.args[0] is node:
        grand = parents.get(parent)
        if parent.func.id == "iter" and isinstance(grand, ast.Call) and isinstance(grand.func, ast.Name) and grand.func.id == "next":
            return grand
        if parent.func.id in ("list", "tuple") and isinstance(grand, ast.Subscript) and grand.value is parent:
            if isinstance(grand.slice, ast.Constant) and grand.slice.value == 0:
                return grand
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
        # `for page in pages: ... break` (or `return`) leaves after the first page, whatever it held,
        # unless a `continue` before it goes on to the next page (also from an inner loop's `else`).
        for index, stmt in enumerate(parent.body):
            if isinstance(stmt, (ast.Break, ast.Return)):
                return None if _may_continue(parent.body[:index]) else stmt
    return None


def _may_continue(statements: list[ast.stmt]) -> bool:
    """Whether a `continue` among `statements` continues the loop they belong to (a `continue` in an
    inner loop's body continues that loop; one in its `else` continues ours)."""
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Continue):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            stack.extend(node.orelse)
            continue
        stack.extend(children(node))
    return False


ResultKeys = Dict[str, Optional[FrozenSet[str]]]


class Parents:
    """The module's parent links (the semantic model's), and, once per scope it is asked about, every
    name node of the scope by name: reading N responses asks about the same scope N times."""

    def __init__(self, model: SemanticModel) -> None:
        self.get: Callable[[ast.AST], ast.AST | None] = model.parent
        self._enclosing_function = model.enclosing_function
        self._tree = model.tree
        self._names: dict[int, dict[str, list[ast.Name]]] = {}
        self._loads: dict[tuple[int, str], list[ast.Name]] = {}
        self.only_tested: dict[tuple[int, str], bool] = {}  # memo of `_name_only_tested`

    def scope_of(self, node: ast.AST) -> ast.AST:
        """The function (or lambda) whose code `node` is, else the module."""
        found = self._enclosing_function(node)
        return found if found is not None else self._tree

    def names(self, scope: ast.AST) -> dict[str, list[ast.Name]]:
        """name -> its Name nodes (loads and stores) in `scope`, nested scopes included, in `ast.walk` order."""
        found = self._names.get(id(scope))
        if found is None:
            found = {}
            for node in ast.walk(scope):
                if isinstance(node, ast.Name):
                    found.setdefault(node.id, []).append(node)
            self._names[id(scope)] = found
        return found

    def loads(self, scope: ast.AST, name: str) -> list[ast.Name]:
        """The reads of `name` in `scope` (nested scopes included), in `ast.walk` order."""
        key = (id(scope), name)
        found = self._loads.get(key)
        if found is None:
            found = self._loads[key] = [n for n in self.names(scope).get(name, ()) if isinstance(n.ctx, ast.Load)]
        return found


def result_keys(pagings: list[Paging]) -> ResultKeys:
    """Top-level response key -> None when it holds results itself, or the keys inside it that do
    (`StreamDescription` -> {"Shards"}: its other keys describe the stream and fit any page)."""
    keys: ResultKeys = {}
    for paging in pagings:
        for expression in paging.result_keys:
            head, _, rest = expression.partition(".")
            top = head.split("[")[0].strip()
            if not rest:
                keys[top] = None
            elif top not in keys or keys[top] is not None:
                inner = rest.split(".")[0].split("[")[0].strip()
                keys[top] = (keys.get(top) or frozenset()) | {inner}
    return keys


def token_read(expr: ast.AST, parents: Parents) -> tuple[object, ast.expr] | None:
    """(key, node) for `expr[key]`, `expr.get(key)` or `key in expr` with a constant key."""
    parent = parents.get(expr)
    if isinstance(parent, ast.Compare) and expr in parent.comparators and isinstance(parent.left, ast.Constant):
        return parent.left.value, parent
    found = _const_key_read(expr, parents)
    if found is not None and isinstance(found[1], ast.expr):
        return found[0], found[1]
    return None


def read_position(use: ast.AST, call: ast.Call) -> tuple[int, int]:
    """Where a read of the response is: the key of `resp["Items"]` or `resp.get("Items")` (which may
    sit lines below the call it reads), else the read itself; never above the call it reads."""
    node: ast.AST = use
    if isinstance(use, ast.Subscript):
        node = use.slice
    elif isinstance(use, ast.Call) and use.args:
        node = use.args[0]
    line, col = getattr(node, "lineno", call.lineno), getattr(node, "col_offset", 0)
    if isinstance(use, ast.Name) or (line, col) > (call.lineno, call.col_offset):
        return line, col
    end = call.end_lineno or call.lineno
    return end, call.end_col_offset or 0


def _const_key_read(expr: ast.AST, parents: Parents) -> tuple[object, ast.AST] | None:
    """(key, read) for `expr[key]` or `expr.get(key, ...)` with a constant key."""
    parent = parents.get(expr)
    if isinstance(parent, ast.Subscript) and parent.value is expr and isinstance(parent.slice, ast.Constant):
        return parent.slice.value, parent
    if isinstance(parent, ast.Attribute) and parent.value is expr and parent.attr == "get":
        call = parents.get(parent)
        if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant):
            return call.args[0].value, call
    return None


def _reads_inner(read: ast.AST, parents: Parents, inner: FrozenSet[str], sparse: bool = False) -> bool:
    """Whether the value of `resp["StreamDescription"]` is read for one of its result keys."""
    found = _const_key_read(read, parents)
    if found is not None:
        key, sub = found
        return key in inner and (sparse or not _existence_or_first_item(sub, parents))
    parent = parents.get(read)
    target = _bound_name(read, parent)
    if parent is not None and target is not None:
        scope = parents.scope_of(parent)
        for use in parents.loads(scope, target):
            found = _const_key_read(use, parents)
            if found is None or (found[0] in inner and (sparse or not _existence_or_first_item(found[1], parents))):
                return True
        return False
    return True


def reads_results(
    node: ast.AST, parent: ast.AST, parents: Parents, results: ResultKeys, sparse: bool = False
) -> bool:
    """Whether `parent` reads the response `node` for its results.

    Reading a token, the page's metadata or any other single value is not; neither is asking whether
    the first page holds anything (`if resp.get("Contents")`) or taking its first item
    (`resp["Items"][0]`): one page answers both — unless the page is `sparse` (filtered after reading,
    so it may hold nothing while more pages remain).
    """
    if isinstance(parent, ast.Expr):
        return False
    read: ast.AST
    if isinstance(parent, ast.Subscript) and parent.value is node:
        if not isinstance(parent.slice, ast.Constant):
            return True
        key, read = parent.slice.value, parent
    elif isinstance(parent, ast.Attribute) and parent.value is node and parent.attr == "get":
        call = parents.get(parent)
        if not (isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant)):
            return True
        key, read = call.args[0].value, call
    elif isinstance(parent, ast.Compare) and node in parent.comparators and all(
        isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops
    ):
        return False  # `"NextToken" in resp`: a check, not a read
    elif isinstance(parent, ast.Compare) and len(parent.ops) == 1 and isinstance(parent.ops[0], (ast.Is, ast.IsNot)):
        return not (is_none(parent.left) or is_none(parent.comparators[0]))  # `resp is None`: did the call answer
    else:
        # `if resp and resp.get("Results")`: a truth test of the response itself reads nothing
        return not (only_shown(node, parents) or _existence_or_first_item(node, parents, follow=False))
    # A boto3 response is a dict keyed by strings: `resp[0]` says the receiver is something else.
    if not isinstance(key, str) or key not in results:
        return False
    inner = results[key]
    if inner is not None:
        return _reads_inner(read, parents, inner, sparse)
    return sparse or not _existence_or_first_item(read, parents)


def only_shown(node: ast.AST, parents: Parents) -> bool:
    """Whether `node` only goes into a message: `repr(resp)`, `str(resp)`, an f-string or a
    `.format()`/`%` argument, inside an exception raised or a logger's or print's argument
    (`raise EnvironmentError("... {}".format(repr(response)))`). A person reads it; nothing of its
    items is kept."""
    child: ast.AST = node
    parent = parents.get(child)
    while parent is not None:
        if isinstance(parent, (ast.FormattedValue, ast.JoinedStr, ast.keyword)):
            pass
        elif isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod) and parent.right is child:
            pass
        elif isinstance(parent, ast.Tuple) and isinstance(parents.get(parent), ast.BinOp):
            pass
        elif isinstance(parent, ast.Call) and child is not parent.func:
            func = parent.func
            if isinstance(func, ast.Name) and func.id in ("repr", "str"):
                pass
            elif isinstance(func, ast.Attribute) and func.attr == "format":
                pass
            elif _is_message_sink(func):
                return True
            elif isinstance(func, ast.Name) and func.id.endswith(("Error", "Exception")):
                raised = parents.get(parent)
                return isinstance(raised, ast.Raise) and raised.exc is parent
            else:
                return False
        else:
            return False
        child, parent = parent, parents.get(parent)
    return False


def _is_message_sink(func: ast.AST) -> bool:
    """`print`, `logger.warning`, `self.log.info`, `logging.error`."""
    if isinstance(func, ast.Name):
        return func.id == "print"
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    owner = func.value
    label = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
    return label in LOGGER_NAMES or label.lower().endswith(("logger", "log"))


_DICT_METHODS = frozenset({"get", "keys", "items", "values", "copy", "pop", "setdefault", "update", "__getitem__"})


def not_a_dict(node: ast.AST, parent: ast.AST) -> bool:
    """A use that no boto3 response (a dict keyed by strings) allows: iterating it directly, an
    attribute that dicts lack, an integer index. The receiver is then some other library."""
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
        return True
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return parent.attr not in _DICT_METHODS
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return isinstance(parent.slice, ast.Constant) and isinstance(parent.slice.value, int)
    return False


def _existence_or_first_item(expr: ast.AST, parents: Parents, follow: bool = True) -> bool:
    """Whether the result list `expr` is only tested for emptiness or read for one item; through one
    local name too (`aliases = resp.get("AccountAliases", ()); return aliases and aliases[0]`), and past
    an empty fallback (`resp.get("items", []) or []`), which holds the same items."""
    parent = parents.get(expr)
    while isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or) and parent.values[0] is expr and all(
            _empty(value) or (_placeholder(value) and _first_taken(parent, parents)) for value in parent.values[1:]):
        expr, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Compare) and _tests_zero(expr, parent):
        return True  # `resp["Count"] > 0`: a count compared with none is a test of emptiness
    if isinstance(parent, ast.Subscript) and parent.value is expr:
        return isinstance(parent.slice, ast.Constant) and parent.slice.value in (0, -1)
    if isinstance(parent, ast.Attribute) and parent.value is expr:
        call = parents.get(parent)
        return parent.attr == "pop" and isinstance(call, ast.Call) and not call.args
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.args and parent.args[0] is expr:
        if parent.func.id in ("bool", "isinstance"):
            return True  # a truth test, or a test of the value's type (`isinstance(out["Items"], list)`)
        if parent.func.id == "iter":
            grand = parents.get(parent)
            return isinstance(grand, ast.Call) and isinstance(grand.func, ast.Name) and grand.func.id == "next"
        if parent.func.id != "len":
            return False
        expr, parent = parent, parents.get(parent)
        if isinstance(parent, ast.Compare) and parent.left is expr:
            right = parent.comparators[0] if len(parent.comparators) == 1 else None
            return isinstance(right, ast.Constant) and right.value in (0, 1)
    target = _bound_name(expr, parent) if follow else None
    if parent is not None and target is not None:
        return _name_only_tested(target, parent, parents)
    while isinstance(parent, (ast.UnaryOp, ast.BoolOp)):
        if isinstance(parent, ast.UnaryOp):
            return isinstance(parent.op, ast.Not)
        if isinstance(parent.op, ast.And) and parent.values[-1] is not expr:
            return True  # `items and ...`: a truth test of `items` (only an empty value flows on)
        expr, parent = parent, parents.get(parent)
    return isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is expr


def _placeholder(node: ast.AST) -> bool:
    """`[None]`, `[{}]`: a fallback of one stand-in item, for `(items or [None])[0]`."""
    if not (isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) == 1):
        return False
    item = node.elts[0]
    return _empty(item) or (isinstance(item, ast.Constant) and item.value in ("", 0, False))


def _first_taken(expr: ast.AST, parents: Parents) -> bool:
    """`expr[0]` (or `expr[-1]`): one item of it is read."""
    parent = parents.get(expr)
    return (isinstance(parent, ast.Subscript) and parent.value is expr and isinstance(parent.slice, ast.Constant)
            and parent.slice.value in (0, -1))


def _empty(node: ast.AST) -> bool:
    """`[]`, `()`, `{}`, `None`: a fallback that adds no item."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    return isinstance(node, ast.Constant) and node.value is None


# Comparisons of a count with a constant that ask only "is there any?": (operator, constant) with the
# count on the left, and the same question with the count on the right.
_EMPTINESS_LEFT = {(ast.Gt, 0), (ast.GtE, 1), (ast.Eq, 0), (ast.NotEq, 0), (ast.Lt, 1), (ast.LtE, 0)}
_EMPTINESS_RIGHT = {(ast.Lt, 0), (ast.LtE, 1), (ast.Eq, 0), (ast.NotEq, 0), (ast.Gt, 1), (ast.GtE, 0)}


def _tests_zero(expr: ast.AST, compare: ast.Compare) -> bool:
    """Whether `compare` asks only whether the number `expr` is zero (`count > 0`, `0 == count`)."""
    if len(compare.ops) != 1:
        return False
    op = type(compare.ops[0])
    if compare.left is expr:
        other, table = compare.comparators[0], _EMPTINESS_LEFT
    elif compare.comparators[0] is expr:
        other, table = compare.left, _EMPTINESS_RIGHT
    else:
        return False
    if not (isinstance(other, ast.Constant) and type(other.value) is int):
        return False
    return (op, other.value) in table


def _bound_name(expr: ast.AST, parent: ast.AST | None) -> str | None:
    """`items` when `expr` is bound to that one local name: `items = expr` or `items: list = expr`."""
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    if isinstance(parent, ast.AnnAssign) and parent.value is expr and isinstance(parent.target, ast.Name):
        return parent.target.id
    return None


def _name_only_tested(name: str, assign: ast.AST, parents: Parents) -> bool:
    scope = parents.scope_of(assign)
    # Whatever else the name is bound to, if every read only tests it or takes one item, no read
    # needs more than the first page: the answer is the same for every binding of the name.
    memo = parents.only_tested
    key = (id(scope), name)
    if key not in memo:
        loads = parents.loads(scope, name)
        if not loads and isinstance(scope, ast.Module):
            memo[key] = False  # a module-level name is read by whoever imports it
        else:
            memo[key] = all(_existence_or_first_item(n, parents, follow=False) for n in loads)
    return memo[key]


def in_returned_value(node: ast.AST, parents: Parents) -> bool:
    """Whether `node` is part of the value a `return`/`yield` hands out, as itself or inside a tuple,
    dict, list or a `bool()`/`is not None` test of it (not inside some other call's argument)."""
    child: ast.AST = node
    parent = parents.get(child)
    while parent is not None:
        if isinstance(parent, (ast.Return, ast.Yield)):
            return True
        if isinstance(parent, ast.Call):
            if not (isinstance(parent.func, ast.Name) and parent.func.id == "bool"):
                return False
        elif isinstance(parent, ast.keyword):
            outer = parents.get(parent)
            if not (isinstance(outer, ast.Call) and isinstance(outer.func, ast.Name) and outer.func.id == "dict"):
                return False
            parent = outer
        elif not isinstance(parent, (ast.Tuple, ast.List, ast.Dict, ast.Compare, ast.UnaryOp, ast.BoolOp, ast.IfExp)):
            return False
        child, parent = parent, parents.get(parent)
    return False


def refuses_more(node: ast.AST, parents: Parents) -> bool:
    """Whether `node` is tested, on its own line of code, only to refuse a listing that goes on:
    `if resp["IsTruncated"]: raise ...`, `assert "NextToken" not in resp`. Such a function reads one
    page knowingly and fails loudly when there is more; it drops nothing in silence."""
    child: ast.AST = node
    parent = parents.get(child)
    while isinstance(parent, (ast.Compare, ast.UnaryOp, ast.BoolOp)) or (
        isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in ("bool", "len")
    ):
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Assert):
        return parent.test is child
    return (
        isinstance(parent, ast.If) and parent.test is child and bool(parent.body) and isinstance(parent.body[-1], ast.Raise)
    )


def assigned_name(node: ast.AST, parents: Parents) -> str | None:
    """`token` in `token = resp.get("NextToken")`."""
    parent = parents.get(node)
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
