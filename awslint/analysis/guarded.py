"""Which calls run a function of the module that lets no `Exception` out: its body is one `try`
whose broad handler neither raises nor calls what may raise (it logs, returns, records), with nothing
outside that `try` that may raise but a call of the same kind or a report.

`try: job.run()` / `except Exception: pass` then drops nothing: `Job.run` already caught and logged
whatever its work raised, so the outer handler is a keep-alive guard no error reaches. The same holds
for `future.result()` when every `submit(...)` of the function hands the pool such a function.

Only what the source settles counts: a module function called by its name, a method of the caller's
own class called on `self`/`cls` (module_calls), a method called on an item of a collection the
object keeps (`for job in list(self.jobs)`) or on a new object of a class of the module, when every
method of that name the module defines is such a function, and a future of a function whose every
`submit` is. A method called on an attribute, a parameter or the item of a call may be another
library's that merely shares the name. A decorated, `async` or generator function is never one
(a decorator may re-raise; the others run their body later, where the caller iterates or awaits).
"""
from __future__ import annotations

import ast
from typing import Callable, Iterable, Union

from awslint.analysis.cfg import can_raise
from awslint.analysis.index import FunctionNode
from awslint.analysis.model import SemanticModel
from awslint.analysis.module_calls import call_target
from awslint.analysis.names import Names, parameters
from awslint.analysis.nodes import breadth_first
from awslint.analysis.scopes import own_nodes

Def = Union[ast.FunctionDef, ast.AsyncFunctionDef]
# What hands a pool's work back as a future or a result: where a future may come from that `submit`
# does not show, the function's futures are not judged.
_OTHER_PRODUCERS = frozenset({"map", "starmap", "apply_async", "map_async", "run_in_executor", "create_task",
                              "ensure_future", "gather"})
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})


class Guarded:
    """Answers, for a call made in a function of the module, whether what it runs catches every error."""

    def __init__(self, model: Callable[[], SemanticModel], names: Names, classes: Iterable[ast.ClassDef],
                 is_broad: Callable[[ast.expr | None], bool], reports: Callable[[ast.Call], bool]) -> None:
        self._model = model
        self._names = names
        self._classes = classes
        self._is_broad = is_broad
        self._reports = reports
        self._answers: dict[int, bool] = {}
        self._methods: dict[str, list[Def]] | None = None
        self._futures: dict[tuple[int, str], bool] = {}
        self._items: dict[tuple[int, str], bool] = {}

    def quiet(self, call: ast.Call, caller: FunctionNode | None) -> bool:
        """Whether `call`, made in `caller`'s own code, runs only a function that lets no error out."""
        if caller is None or isinstance(caller, ast.Lambda):
            return False
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "result" and isinstance(func.value, ast.Name):
            return self._futures_guarded(caller, func.value.id)
        # what the module defines no function or method of that name for runs none of its own (most
        # calls: the model is built only for the others)
        if isinstance(func, ast.Name):
            if func.id not in self._names.module_bound:
                return False
        elif not isinstance(func, ast.Attribute) or func.attr not in self._methods_named():
            return False
        target = call_target(self._model(), call, caller)
        if target is not None:
            return target.function is not caller and self.function(target.function)
        if not isinstance(func, ast.Attribute) or not self._items_of_the_module(func.value, caller):
            return False
        defined = self._methods_named().get(func.attr, [])
        return bool(defined) and caller not in defined and all(self.function(method) for method in defined)

    def _items_of_the_module(self, receiver: ast.expr, caller: Def) -> bool:
        """A name the caller binds only as a loop's item or to a new object of one of the module's
        classes (`for job in list(self.jobs)`, `job = Job(...)`): what the module keeps of its own.
        An attribute (`self.apigateway_client`), a parameter or anything else may be a client or an
        object of another library whose method merely shares a name with one of the module's."""
        if not isinstance(receiver, ast.Name) or receiver.id in ("self", "cls"):
            return False
        key = (id(caller), receiver.id)
        known = self._items.get(key)
        if known is None:
            known = self._items[key] = self._binds_only_items(caller, receiver.id)
        return known

    def _binds_only_items(self, caller: Def, name: str) -> bool:
        """`_items_of_the_module`, answered in one walk of the caller (each handler asks again)."""
        if any(a.arg == name for a in parameters(caller)):
            return False
        classes = {cls.name for cls in self._classes}
        accounted: set[int] = set()
        bound = False
        # breadth first: a loop or an assignment is met before the name it binds
        for node in breadth_first(caller):
            if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                if isinstance(node.target, ast.Name) and node.target.id == name:
                    if not _kept_by_self(node.iter):
                        return False  # the items of a parameter or of a call: anyone's objects
                    accounted.add(id(node.target))
                    bound = True
            elif isinstance(node, ast.Assign):
                value = node.value
                if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name and (
                        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in classes):
                    accounted.add(id(node.targets[0]))
                    bound = True
            elif isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
                if id(node) not in accounted:
                    # another binding (`with ... as job`, `job = factory()`, unpacking, `:=`) may hold
                    # anyone's object
                    return False
        return bound

    def function(self, function: Def) -> bool:
        """Whether a call of `function` lets no `Exception` out of it."""
        key = id(function)
        known = self._answers.get(key)
        if known is not None:
            return known
        self._answers[key] = False  # a function that calls itself is not settled by the call
        answer = self._catches_everything(function)
        self._answers[key] = answer
        return answer

    def _catches_everything(self, function: Def) -> bool:
        if isinstance(function, ast.AsyncFunctionDef):
            return False
        if any(not (isinstance(d, ast.Name) and d.id in _PLAIN_DECORATORS) for d in function.decorator_list):
            return False
        if any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in own_nodes(function.body)):
            return False
        body = function.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        guarded = False
        for stmt in body:
            if isinstance(stmt, ast.Try) and self._absorbs(stmt, function):
                guarded = True
            elif self._may_raise([stmt], function):
                return False
        return guarded

    def _absorbs(self, try_: ast.Try, function: Def) -> bool:
        """The `try` lets nothing its body raises out: a broad handler, no handler that raises or calls
        what may raise, and an `else` and `finally` that cannot raise either."""
        if not any(self._is_broad(handler.type) for handler in try_.handlers):
            return False
        for handler in try_.handlers:
            if any(isinstance(node, ast.Raise) for node in breadth_first(handler)):
                return False
            if self._may_raise(handler.body, function):
                return False
        return not self._may_raise(try_.orelse, function) and not self._may_raise(try_.finalbody, function)

    def _may_raise(self, stmts: list[ast.stmt], function: Def) -> bool:
        return can_raise(tuple(stmts), quiet=lambda call: self._reports(call) or self.quiet(call, function))

    def _futures_guarded(self, caller: Def, name: str) -> bool:
        """Every future `name` can hold in `caller` comes from a `submit` of a function that lets no
        error out: `name` is bound in the function (not handed in), which submits only such functions
        and makes futures no other way."""
        key = (id(caller), name)
        known = self._futures.get(key)
        if known is None:
            known = self._futures[key] = self._only_guarded_submits(caller, name)
        return known

    def _only_guarded_submits(self, caller: Def, name: str) -> bool:
        if any(a.arg == name for a in parameters(caller)):
            return False
        submitted = 0
        for node in breadth_first(caller):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            attr = node.func.attr
            if attr in _OTHER_PRODUCERS:
                return False
            if attr != "submit":
                continue
            if not node.args or isinstance(node.args[0], ast.Starred):
                return False
            # the function handed over, as if it were called by its name or on `self`
            target = call_target(self._model(), ast.Call(func=node.args[0], args=[], keywords=[]), caller)
            if target is None or not self.function(target.function):
                return False
            submitted += 1
        return submitted > 0

    def _methods_named(self) -> dict[str, list[Def]]:
        """The methods of the module's classes by name: a call on another object may run any of them."""
        if self._methods is None:
            methods: dict[str, list[Def]] = {}
            for cls in self._classes:
                for stmt in cls.body:
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        methods.setdefault(stmt.name, []).append(stmt)
            self._methods = methods
        return self._methods


def _kept_by_self(iterated: ast.expr) -> bool:
    """`self.jobs`, `list(self.jobs)`, `self.jobs.values()`, `sorted(self.jobs)`: a collection the
    object keeps (of the items its own methods put there)."""
    node = iterated
    while True:
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("list", "tuple", "sorted") and len(node.args) == 1:
                node = node.args[0]
                continue
            if isinstance(func, ast.Attribute) and func.attr in ("values", "copy") and not node.args:
                node = func.value
                continue
            return False
        break
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "self")
