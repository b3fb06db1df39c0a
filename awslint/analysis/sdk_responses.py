"""What a function does with the response of one boto3 call: which keys it reads, whether it hands the
response over, and the values derived from it.

`ResponseFlow(model, logger)` answers, for a call node, `uses(call)`: the constant keys read from the
response (`resp["Failed"]`, `resp.get("Failed")`, `"Failed" in resp`), whether it is read as a whole
(iterated, `**`-unpacked, read with a key that is not a constant) and whether it escapes the function's
sight (returned, yielded, stored in an attribute, a container or a module name, passed to a function
of another module that is not a logger). The response is followed through local names it is bound to,
into the parameter of a function of this module (or a method of this class) it is passed to, and
through a lambda that returns it, flow-insensitively: a read anywhere counts, which errs on the side of
silence.

`derived(expr, call)` says whether `expr` is a value read out of the response (through subscripts,
`.get`, local names and `for` targets) and gives the chain of constant keys it was read by.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable

from awslint.analysis.model import SemanticModel
from awslint.analysis.module_calls import receiving_parameter
from awslint.analysis.nodes import breadth_first

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPES = (*_FUNCTIONS, ast.Module)
# Methods of a dict that read every key, or read one key given as their first argument.
_WHOLE_METHODS = frozenset({"items", "keys", "values", "copy", "__iter__", "update"})
_KEY_METHODS = frozenset({"get", "pop", "setdefault", "__getitem__", "__contains__"})
# Calls that look at a value without keeping it.
_PURE_BUILTINS = frozenset({"print", "len", "bool", "type", "id", "isinstance", "hash", "pprint.pprint", "pprint"})
# Calls that turn a value into text for a person: what happens to the text is what happens to the value.
_VIEWS = frozenset({"str", "repr", "json.dumps", "simplejson.dumps", "pprint.pformat", "pformat"})
# A pool's or an executor's methods that call a function once per item, like `map`.
_MAP_METHODS = frozenset({"map", "imap", "imap_unordered", "starmap"})
# Builtins that run an iterable to its end and give back what it held.
_CONSUMERS = frozenset({"list", "tuple", "set", "sorted"})
# Methods of a string a loop may call on a state before comparing it.
_CASE_METHODS = frozenset({"lower", "upper", "strip", "casefold", "capitalize", "title"})


@dataclass
class Uses:
    """How one response is used in its function."""

    keys: set[str] = field(default_factory=set)
    whole: bool = False  # iterated, unpacked or read with a computed key: any key may be read
    handed_over: bool = False  # someone else may read it
    reads: list[tuple[str, ast.AST]] = field(default_factory=list)  # (key, the expression holding its value)
    sites: list[ast.AST] = field(default_factory=list)  # where it is read or dropped, in source order


class ResponseFlow:
    """Response uses within one module; `logger(call)` tells a logging call from other calls."""

    def __init__(self, model: SemanticModel, is_logger_call: Callable[[ast.Call], bool]) -> None:
        self.model = model
        self.is_logger_call = is_logger_call
        self._loads: dict[int, dict[str, list[ast.Name]]] = {}

    # -- uses of a response -------------------------------------------------------------------

    def uses(self, call: ast.Call) -> Uses:
        """How the response of `call` is used."""
        return self.uses_of(call)

    def uses_of(self, expr: ast.AST) -> Uses:
        """How the value of `expr` (a response, or a value read from one) is used."""
        out = Uses()
        self._follow(expr, out, set(), 0)
        out.sites.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
        return out

    def _follow(self, node: ast.AST, out: Uses, seen: set[tuple[int, str]], depth: int) -> None:
        if depth > 8:
            out.handed_over = True
            return
        parent = self.model.parent(node)
        while isinstance(parent, (ast.Await, ast.IfExp, ast.BoolOp)) or (
            isinstance(parent, ast.NamedExpr) and parent.value is node
        ):
            if isinstance(parent, ast.NamedExpr):
                self._follow_name(parent.target.id, parent, out, seen, depth)
            if isinstance(parent, ast.IfExp) and parent.test is node:
                return  # `x if resp else y` only tests it
            node, parent = parent, self.model.parent(parent)
        if parent is None:
            out.handed_over = True
            return
        out.sites.append(parent)
        if isinstance(parent, ast.Expr):
            return  # dropped
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = parent.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                out.keys.add(key.value)
                out.reads.append((key.value, parent))
            elif not (isinstance(key, ast.Constant) and isinstance(key.value, int)):
                out.whole = True
            return
        if isinstance(parent, ast.Attribute) and parent.value is node:
            grand = self.model.parent(parent)
            if parent.attr in _KEY_METHODS and isinstance(grand, ast.Call) and grand.func is parent:
                first = grand.args[0] if grand.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    out.keys.add(first.value)
                    out.reads.append((first.value, grand))
                else:
                    out.whole = True
            elif parent.attr in _WHOLE_METHODS:
                out.whole = True
            else:
                out.handed_over = True  # not a dict's method: some other object, not ours to judge
            return
        if isinstance(parent, ast.Compare):
            if node in parent.comparators:
                index = parent.comparators.index(node)
                left = parent.left if index == 0 else parent.comparators[index - 1]
                if isinstance(parent.ops[index], (ast.In, ast.NotIn)) and isinstance(left, ast.Constant):
                    if isinstance(left.value, str):
                        out.keys.add(left.value)
            return  # `resp is None`, `resp == {}`: tests, not reads
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
            out.whole = True
            return
        if isinstance(parent, (ast.If, ast.While, ast.Assert, ast.UnaryOp)):
            return
        if isinstance(parent, ast.keyword):
            call = self.model.parent(parent)
            if parent.arg is None:
                out.whole = True
            elif isinstance(call, ast.Call) and self._pure(call):
                return
            elif isinstance(call, ast.Call) and self._into_helper(call, node, out, seen, depth):
                return
            else:
                out.handed_over = True
            return
        if isinstance(parent, ast.Call):
            if parent.func is node:
                out.handed_over = True
            elif _called(parent) in _VIEWS and parent.args and parent.args[0] is node:
                self._follow(parent, out, seen, depth + 1)  # `json.dumps(resp)`: follow the text
            elif self._pure(parent):
                pass
            elif not self._into_helper(parent, node, out, seen, depth):
                out.handed_over = True
            return
        if isinstance(parent, (ast.ListComp, ast.SetComp)) and parent.elt is node:
            if isinstance(self.model.parent(parent), ast.Expr):
                return  # `[client.put_events(Entries=c) for c in chunks]` as a statement: all dropped
            out.handed_over = True
            return
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Mod)):
            self._follow(parent, out, seen, depth + 1)  # `"sent: " + str(resp)`, `"%s" % resp`: text
            return
        if isinstance(parent, ast.Starred):
            out.handed_over = True
            return
        if isinstance(parent, ast.Dict):
            if any(k is None and v is node for k, v in zip(parent.keys, parent.values)):
                out.whole = True
            else:
                out.handed_over = True
            return
        if isinstance(parent, (ast.FormattedValue, ast.JoinedStr)):
            return  # formatted into a message
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    scope = self._scope(parent)
                    if isinstance(scope, ast.Module):
                        out.handed_over = True  # a module name: read by whoever imports it
                    else:
                        self._follow_name(target.id, parent, out, seen, depth)
                else:
                    out.handed_over = True  # stored in an attribute, an item, or unpacked
            return
        if isinstance(parent, ast.Lambda) and parent.body is node:
            self._follow_lambda(parent, out, depth)
            return
        out.handed_over = True  # returned, yielded, put in a container, or some use not understood

    def _into_helper(self, call: ast.Call, arg: ast.AST, out: Uses, seen: set[tuple[int, str]], depth: int) -> bool:
        """Follow a response passed to a function of this module (`_check(resp)`, `self._check(resp)`)
        into the parameter that receives it: what the helper does with it is what happens to it. False
        when the callee is not such a function, or the argument does not land on a named parameter."""
        helper, bound = self._helper(call)
        if helper is None:
            return False
        param = receiving_parameter(helper, 1 if bound else 0, call, arg)
        if param is None or not helper.body:
            return False
        self._follow_name(param.arg, helper.body[0], out, seen, depth + 1)
        return True

    def _helper(self, call: ast.Call) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef | None, bool]:
        """The module's function (called by a name no enclosing function binds) or the class's method
        (`self.name(...)`) that `call` calls, and whether it is bound (its first parameter is skipped)."""
        func = call.func
        caller = self.model.enclosing_function(call)
        if isinstance(func, ast.Name):
            scope: ast.AST | None = caller
            while scope is not None:
                if func.id in self.model.local_names(scope):
                    return None, False
                scope = self.model.enclosing_function(scope)
            found = self.model.module_functions().get(func.id)
            defs = [b for b in self.model.bindings_of(self.model.tree, func.id)]
            return (found, False) if found is not None and len(defs) == 1 else (None, False)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and caller is not None:
            method: ast.AST = caller
            outer = self.model.enclosing_function(method)
            while outer is not None:
                method, outer = outer, self.model.enclosing_function(outer)
            owner = self.model.parent(method)
            if not isinstance(owner, ast.ClassDef) or not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return None, False
            first = [*method.args.posonlyargs, *method.args.args]
            if not first or first[0].arg != func.value.id:
                return None, False
            target = self.model.methods(owner).get(func.attr)
            if target is None or any(_decorator(d) in ("staticmethod", "classmethod") for d in target.decorator_list):
                return None, False
            return target, True
        return None, False

    def _follow_lambda(self, lam: ast.Lambda, out: Uses, depth: int) -> None:
        """A lambda that returns the response: its value is what the lambda's callers do with it. Mapped
        over items (`pool.map(lambda c: ..., chunks)`, `list(map(...))`) with the results dropped, or
        called as a statement through the one name it is bound to, every response is dropped; any
        other use hands them over."""
        parent = self.model.parent(lam)
        if isinstance(parent, ast.Call) and parent.args and parent.args[0] is lam and _maps(parent):
            self._follow_mapped(parent, out)
            return
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
            and isinstance(self._scope(parent), _FUNCTIONS)
        ):
            scope = self._scope(parent)
            name = parent.targets[0].id
            assert scope is not None
            loads = self._name_loads(scope).get(name, [])
            bindings = [
                n for n in breadth_first(scope)
                if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
            ]
            if len(bindings) != 1 or not loads:
                out.handed_over = True
                return
            for load in loads:
                site = self.model.parent(load)
                if isinstance(site, ast.Call) and site.func is load:
                    self._follow(site, out, set(), depth + 1)
                elif isinstance(site, ast.Call) and site.args and site.args[0] is load and _maps(site):
                    self._follow_mapped(site, out)
                else:
                    out.handed_over = True
            return
        out.handed_over = True

    def _follow_mapped(self, mapped: ast.Call, out: Uses) -> None:
        """The iterable of responses a `map` call yields: dropped when the call (or `list()` of it) is a
        statement of its own; else handed over (its items are not followed)."""
        parent = self.model.parent(mapped)
        if isinstance(parent, ast.Call) and _called(parent) in _CONSUMERS and parent.args == [mapped]:
            mapped, parent = parent, self.model.parent(parent)
        if isinstance(parent, ast.Expr):
            out.sites.append(parent)
            return
        out.handed_over = True

    def _pure(self, call: ast.Call) -> bool:
        if self.is_logger_call(call):
            return True
        return _called(call) in _PURE_BUILTINS

    def _follow_name(self, name: str, site: ast.AST, out: Uses, seen: set[tuple[int, str]], depth: int) -> None:
        scope = self._scope(site)
        if scope is None:
            out.handed_over = True
            return
        key = (id(scope), name)
        if key in seen:
            return
        seen.add(key)
        if any(isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in breadth_first(scope)):
            out.handed_over = True
            return
        killed = {id(n) for stmt in self._rebound_after(name, site) for n in breadth_first(stmt)}
        for load in self._name_loads(scope).get(name, ()):
            if id(load) not in killed:
                self._follow(load, out, seen, depth + 1)

    def _rebound_after(self, name: str, site: ast.AST) -> list[ast.stmt]:
        """The statements that come after a plain rebinding of `name` (`name = ...`) which follows the
        statement binding it at `site` in the same block: the value bound at `site` cannot reach them."""
        statement: ast.AST | None = site
        while statement is not None and not isinstance(statement, ast.stmt):
            statement = self.model.parent(statement)
        block = self._block_of(statement) if statement is not None else None
        if block is None:
            return []
        index = next(i for i, s in enumerate(block) if s is statement)
        for j in range(index + 1, len(block)):
            later = block[j]
            if isinstance(later, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in later.targets):
                return block[j + 1 :]
            if isinstance(later, ast.AnnAssign) and isinstance(later.target, ast.Name) and later.target.id == name:
                if later.value is not None:
                    return block[j + 1 :]
        return []

    def _block_of(self, statement: ast.AST) -> list[ast.stmt] | None:
        parent = self.model.parent(statement)
        if parent is None:
            return None
        for field_name in ("body", "orelse", "finalbody"):
            block = getattr(parent, field_name, None)
            if isinstance(block, list) and any(s is statement for s in block):
                return block
        return None

    def _scope(self, node: ast.AST) -> ast.AST | None:
        for ancestor in self.model.ancestors(node):
            if isinstance(ancestor, _SCOPES):
                return ancestor
        return None

    def _name_loads(self, scope: ast.AST) -> dict[str, list[ast.Name]]:
        key = id(scope)
        if key not in self._loads:
            loads: dict[str, list[ast.Name]] = {}
            for node in breadth_first(scope):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    loads.setdefault(node.id, []).append(node)
            self._loads[key] = loads
        return self._loads[key]

    # -- values read out of a response --------------------------------------------------------

    def derived(self, expr: ast.AST, call: ast.Call, depth: int = 0) -> tuple[str, ...] | None:
        """The constant keys `expr` is read from `call`'s response by, or None when it is not."""
        if depth > 8:
            return None
        if expr is call:
            return ()
        if isinstance(expr, ast.Await):
            return self.derived(expr.value, call, depth + 1)
        if isinstance(expr, ast.Subscript):
            inner = self.derived(expr.value, call, depth + 1)
            if inner is None:
                return None
            key = expr.slice
            return (*inner, key.value) if isinstance(key, ast.Constant) and isinstance(key.value, str) else inner
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            if expr.func.attr == "get" and expr.args:
                inner = self.derived(expr.func.value, call, depth + 1)
                first = expr.args[0]
                if inner is None:
                    return None
                return (*inner, first.value) if isinstance(first, ast.Constant) and isinstance(first.value, str) else inner
            if expr.func.attr in _CASE_METHODS and not expr.args:
                return self.derived(expr.func.value, call, depth + 1)
        if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) and len(expr.generators) == 1:
            # `[d["TargetHealth"]["State"] for d in health["TargetHealthDescriptions"]]`: each element
            # is read from the response (the element's names are the comprehension's, found below)
            return self.derived(expr.elt, call, depth + 1)
        if isinstance(expr, ast.Name):
            return self._derived_name(expr, call, depth)
        return None

    def _derived_name(self, expr: ast.Name, call: ast.Call, depth: int) -> tuple[str, ...] | None:
        scope = self._scope(expr)
        if scope is None:
            return None
        for node in breadth_first(scope):
            value: ast.AST | None = None
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets):
                value = node.value
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name):
                value = node.value if node.target.id == expr.id else None
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) and isinstance(node.target, ast.Name):
                value = node.iter if node.target.id == expr.id else None
            if value is not None and value is not expr:
                found = self.derived(value, call, depth + 1)
                if found is not None:
                    return found
        return None


def _decorator(node: ast.AST) -> str:
    while isinstance(node, ast.Call):
        node = node.func
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _maps(call: ast.Call) -> bool:
    """`map(f, items)`, an executor's or a pool's `.map(f, items)` (and `imap`, `imap_unordered`)."""
    if isinstance(call.func, ast.Name):
        return call.func.id == "map"
    return isinstance(call.func, ast.Attribute) and call.func.attr in _MAP_METHODS


def _called(call: ast.Call) -> str | None:
    """`json.dumps` for `json.dumps(...)`, `str` for `str(...)`: the dotted name of what is called."""
    parts: list[str] = []
    func: ast.AST = call.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    parts.append(func.id)
    return ".".join(reversed(parts))
