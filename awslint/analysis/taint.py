"""Taint analysis: which values that reach a sink come from external input, and by which path.

Sources, propagation and sanitisers are those of SPEC.md ("Injection"); `taint_interp` runs the
interpretation of one function, `taint_sinks` says which calls are sinks. This module ties them
together for one module:

1. find the sink calls from the module index (a cheap test on the called name, then name resolution);
2. interpret each function that contains a sink; calls of other functions of the module are
   interpreted on demand and summarised (what they return, which parameters reach a sink), once;
3. a function whose parameter reaches a sink makes its callers worth interpreting too: their
   arguments may carry external input to that sink. Repeat until no new caller appears.

Only the functions on those paths are ever interpreted, so a module without sinks costs one pass over
its calls. `analyse(ctx)` returns a verdict for every sink.
"""
from __future__ import annotations

import ast
import dataclasses
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, AbstractSet, Callable

from awslint.analysis.index import FunctionNode
from awslint.analysis.model import Scope
from awslint.analysis.names import Names
from awslint.analysis.nodes import breadth_first
from awslint.analysis.scopes import own_statements
from awslint.analysis.taint_interp import (
    Abort,
    FunctionTaint,
    Summary,
    is_docstring,
    parameter_names,
    returns_instance,
)
from awslint.analysis.taint_scan import converted_variables
from awslint.analysis.taint_scopes import TaintScopes
from awslint.analysis.taint_words import Words, source_words
from awslint.analysis.taint_sinks import CANDIDATE_NAMES, CODE, PROGRAM, PYTHON, Sink, classify, parse_sink_option
from awslint.data.taint import (
    API_VIEW_DECORATORS,
    ANNOTATED,
    ARGUMENT_DECLARATIONS,
    ARGV,
    CHECKED_ACTIONS,
    CHECKED_ARGUMENT_TYPES,
    CHECKED_OPTPARSE_TYPES,
    CLICK_CHECKED_TYPES,
    CLICK_CHOICE,
    CLICK_DECORATORS,
    CLICK_FLAG_KEYWORDS,
    CLI_CONTEXTS,
    CONFIGURED,
    CLASS_VARIABLE,
    CONVERTED_ANNOTATIONS,
    DEFERRED_FUNCTIONS,
    DEFERRED_METHODS,
    DISPATCH_DEFAULTS,
    ENUM_BASES,
    FLASK_VIEW_METHODS,
    RECORD_BASES,
    RECORD_DECORATORS,
    THREAD_CLASSES,
    VALIDATING_RECORD_BASES,
    HTTP_CLIENTS,
    INJECTED_DEFAULTS,
    ITEM_GETTERS,
    LAMBDA_CONTEXT_NAMES,
    MUTATORS,
    MAPPING_FUNCTIONS,
    MAPPING_METHODS,
    LAMBDA_EVENT,
    LAMBDA_NAMES,
    LAMBDA_SUFFIX,
    LITERAL_ANNOTATIONS,
    MODULE_DUNDERS,
    ONLY_AST_FLAG,
    PARTIAL_FUNCTIONS,
    ROUTE,
    ROUTE_CONVERTERS,
    ROUTE_DECORATORS,
    ROUTE_PATH_KEYWORDS,
    S3_OBJECT_RESOURCES,
    SANITIZER_NAMES,
    SANITIZERS,
    SOCKET_DATA,
    SOURCE_NAME_PREFIXES,
    SOURCE_NAMES,
    STREAM_SERVERS,
    TYPER_APPS,
    TYPER_COMMAND_METHODS,
    TYPER_DEFAULTS,
    TYPER_RUN,
    VIEW_ACTION_DECORATORS,
    VIEW_BASE_MODULES,
    VIEW_BASE_SUFFIXES,
    VIEW_DECORATOR_MODULES,
    VIEW_METHODS,
)
from awslint.analysis.taint_values import CLEAN, DYNAMIC, PARAM, SOURCE, Origin, State, Val, join

if TYPE_CHECKING:
    from awslint.context import Context


@dataclass(frozen=True)
class Verdict:
    """What reaches one sink: `origin` is a source (injection) or, with no source, the non-constant
    part (`DYNAMIC`/`PARAM`); None when only constants and sanitised values reach it."""

    sink: Sink
    role: str | None
    origin: Origin | None
    kind: str | None = None  # SOURCE, PARAM or DYNAMIC: what the origin counts as at this sink

    @property
    def tainted(self) -> bool:
        return self.kind == SOURCE


@dataclass(frozen=True)
class TaintOptions:
    sources: tuple[str, ...] = ()
    sanitizers: tuple[str, ...] = ()
    sinks: tuple[str, ...] = ()


# `self.parts.append(value)`: a method that adds to a container of its instance stores in it too.
_MUTATOR_WORDS = "|".join(sorted(MUTATORS))


def is_lambda_handler(func: FunctionNode) -> bool:
    """`def handler(event, context)`, `lambda_handler`, `*_handler`: AWS Lambda's entry points."""
    return lambda_event_index(func) is not None


def lambda_event_index(func: FunctionNode) -> int | None:
    """Which parameter of a Lambda entry point is the event: the first of `handler(event, context)`, the
    second of a method `handler(self, event, context)` (the module binds a handler to it, or its own
    handler calls it: `sqs_handler = Functions().sqs_handler`)."""
    if isinstance(func, ast.Lambda):
        return None
    name = func.name
    if not (name in LAMBDA_NAMES or name.endswith(LAMBDA_SUFFIX)):
        return None
    params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
    if params[:1] in (["self"], ["cls"]):
        params, index = params[1:], 1
    else:
        index = 0
    return index if len(params) == 2 and params[0] == "event" and params[1] in LAMBDA_CONTEXT_NAMES else None


def is_route(func: FunctionNode) -> bool:
    """A Flask or FastAPI view: `@app.route("/path")`, `@router.get("/items/{id}")`."""
    if isinstance(func, ast.Lambda):
        return False
    for decorator in func.decorator_list:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr in ROUTE_DECORATORS):
            continue
        paths = [*decorator.args[:1], *(k.value for k in decorator.keywords if k.arg in ROUTE_PATH_KEYWORDS)]
        if any(isinstance(p, ast.Constant) and isinstance(p.value, str) and p.value.startswith("/")
               for p in paths):
            return True
    return False


def _converted_route_params(func: FunctionNode) -> frozenset[str]:
    """Flask's typed URL variables (`<int:count>`, `<uuid:job_id>`): the view receives a number or a UUID."""
    if isinstance(func, ast.Lambda):
        return frozenset()
    found: set[str] = set()
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Call):
            for node in (*decorator.args[:1], *(k.value for k in decorator.keywords if k.arg in ROUTE_PATH_KEYWORDS)):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.update(converted_variables(node.value, ROUTE_CONVERTERS))
    return frozenset(found)


class Engine:
    """The taint analysis of one module."""

    def __init__(self, ctx: Context, options: TaintOptions = TaintOptions(), review: bool = True) -> None:
        self.ctx = ctx
        self.review = review
        self.names: Names = ctx.names
        self.sanitizers = frozenset(options.sanitizers)
        self.user_sources = frozenset(options.sources)
        self.extra_sinks = parse_sink_option(options.sinks)
        self._candidates = CANDIDATE_NAMES | {n.rsplit(".", 1)[-1] for n in self.extra_sinks}
        self.scopes = TaintScopes(ctx)
        self._summaries: dict[int, Summary | None] = {}
        self._in_progress: set[int] = set()
        # a helper's value again for a caller's arguments (`returns_with`), and how many are under way
        self._reshaped: dict[tuple[int, frozenset[tuple[str, Val]]], Summary | None] = {}
        self._reshaping = 0
        self._globals: dict[str, Val] | None = None
        self._checked: frozenset[str] | None = None
        self._spread_only: dict[tuple[int, str], bool] = {}
        self._class_attributes: dict[tuple[int, str], Val | None] = {}
        self._class_body_runner: FunctionTaint | None = None
        self._reaching: set[int] | None = None
        self._rebound: frozenset[str] | None = None
        self._class_constants: dict[int, set[str]] = {}
        self._class_stores: dict[int, frozenset[str]] = {}
        self._clean_stores: dict[tuple[int, str], bool] = {}
        self._validators: dict[int, bool] = {}
        self._attribute_sinks: dict[int, bool] = {}
        # whether some value holds an instance's attributes apart (`Origin.member`): else no read filters them
        self.members = False
        self._enums: dict[int, bool] = {}
        self._records: dict[int, tuple[tuple[str, bool], ...] | None] = {}
        self._setters: dict[int, bool] = {}
        self._clean_members: dict[int, frozenset[str]] = {}
        self._members_asked: set[int] = set()  # the `__init__`s `input_member` is summarising
        # the test each call of a module predicate makes, in the caller's terms (asked at every visit)
        self.predicate_tests: dict[int, tuple[ast.Call, ast.expr | None]] = {}
        self._instance_sinks: dict[int, bool] = {}
        self._module_stores: dict[str, dict[int, int]] = {}
        self._source: str | None = None
        self._starts: dict[int, dict[int, list[ast.stmt]]] = {}
        self._callers_cache: dict[int, list[FunctionNode | None]] = {}
        self._input: dict[int, bool] = {}
        self._sees_input: dict[int, bool] = {}
        self._constructing: dict[int, bool] = {}
        self._http_roots: bool | None = None
        self._at_module: list[ast.Call] | None = None
        self._words: Words | None = None
        self._http_clients: dict[int, frozenset[str]] = {}
        self._s3_objects: dict[int, frozenset[str]] = {}
        self._requests: dict[int, frozenset[str]] = {}
        self._visiting: set[int] = set()
        self._returns: set[int] | None = None
        self._web_framework: bool | None = None
        self._typer_apps: tuple[frozenset[str], frozenset[str]] | None = None
        self._closures: dict[int, State] = {}
        self._numeric_fields: dict[int, dict[str, frozenset[str]]] = {}
        self.sinks: dict[int, tuple[Sink, FunctionNode | None]] = {}
        self._class_methods: dict[int, dict[str, FunctionNode]] = {}
        self._calls_by_scope: dict[int, list[ast.Call]] | None = None
        self._nested_names: frozenset[str] | None = None
        self._declared_global: frozenset[str] | None = None
        self._parameter_values: dict[int, State] = {}

    # ------------------------------------------------------------ the module's own names
    # Read on first use: most modules have no sink, and finding that out needs none of them.

    @cached_property
    def _module_scan(self) -> tuple[dict[str, FunctionNode], set[str], set[str]]:
        """The module's functions by name (a name defined twice left out), the names of its classes, and
        the names defined by more than one function."""
        tree = self.ctx.tree
        defs: dict[str, FunctionNode] = {}
        classes: set[str] = set()
        duplicate: set[str] = set()
        for stmt in tree.body if isinstance(tree, ast.Module) else []:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if stmt.name in defs:
                    duplicate.add(stmt.name)
                defs[stmt.name] = stmt
            elif isinstance(stmt, ast.ClassDef):
                classes.add(stmt.name)
        for name in duplicate:
            del defs[name]
        return defs, classes, duplicate

    @cached_property
    def module_defs(self) -> dict[str, FunctionNode]:
        return self._module_scan[0]

    @cached_property
    def module_classes(self) -> set[str]:
        return self._module_scan[1]

    @cached_property
    def top_classes(self) -> dict[str, ast.ClassDef]:
        """Module-level classes by name, for `Deployer(host).restart(name)` and `d = Deployer(); d.run(x)`."""
        tree = self.ctx.tree
        found: dict[str, ast.ClassDef] = {}
        twice: set[str] = set()
        for stmt in tree.body if isinstance(tree, ast.Module) else []:
            if isinstance(stmt, ast.ClassDef):
                if stmt.name in found:
                    twice.add(stmt.name)
                found[stmt.name] = stmt
        for name in twice | (set(found) & (set(self.module_defs) | self._module_scan[2])):
            del found[name]
        return found

    @cached_property
    def instance_methods(self) -> frozenset[str]:
        return frozenset(
            name for cls in self.top_classes.values() for stmt in cls.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) for name in (stmt.name,))

    @cached_property
    def _import_scan(self) -> tuple[set[str], set[str]]:
        modules: set[str] = set()
        imported: set[str] = set()
        for imp in self.ctx.index.imports:
            for alias in imp.names:
                if isinstance(imp, ast.Import):
                    parts = alias.name.split(".")
                    modules.update(".".join(parts[: i + 1]) for i in range(len(parts)))
                imported.add((alias.asname or alias.name).split(".")[0])
        return modules, imported

    @cached_property
    def modules(self) -> set[str]:
        """The modules the module imports (`import a.b` imports `a` and `a.b`)."""
        return self._import_scan[0]

    @cached_property
    def imported(self) -> set[str]:
        """The names imports bind, by their first part."""
        return self._import_scan[1]

    # ------------------------------------------------------------ scopes (taint_scopes)

    def shadowed(self, scope: FunctionNode | None) -> frozenset[str]:
        """The names `scope` binds itself (its parameters and locals); a name only an import binds is
        left out, since it resolves like the module's import of it."""
        return self.scopes.bound(scope) if scope is not None else frozenset()

    def method_class(self, func: FunctionNode | ast.Module) -> ast.ClassDef | None:
        """The class whose body defines `func`, when it is a method."""
        return self.scopes.method_class(func)

    def class_methods(self, cls: ast.ClassDef) -> dict[str, FunctionNode]:
        found = self._class_methods.get(id(cls))
        if found is None:
            found = self._class_methods[id(cls)] = {
                s.name: s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        return found

    @cached_property
    def url_rule_views(self) -> dict[int, str]:
        """The views Flask's `add_url_rule("/logs/<service>", view_func=...)` registers, by id, with their
        rule: a function of the module, or the handler methods of a view class of the module
        (`TailAPI.as_view("tail")`). Their parameters are route parameters, as a `@app.route` view's."""
        found: dict[int, str] = {}
        for call, _ in self.ctx.index.calls_named({"add_url_rule"}):
            rule = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "rule"), None)
            view = call.args[2] if len(call.args) > 2 else next(
                (k.value for k in call.keywords if k.arg == "view_func"), None)
            if not (isinstance(rule, ast.Constant) and isinstance(rule.value, str) and rule.value.startswith("/")):
                continue
            if isinstance(view, ast.Name) and view.id in self.module_defs:
                found[id(self.module_defs[view.id])] = rule.value
            elif (isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view"
                    and isinstance(view.func.value, ast.Name) and view.func.value.id in self.top_classes):
                for name, method in self.class_methods(self.top_classes[view.func.value.id]).items():
                    if name in FLASK_VIEW_METHODS:
                        found[id(method)] = rule.value
        return found

    @cached_property
    def stream_handlers(self) -> frozenset[int]:
        """The functions of the module `asyncio.start_server(handle, ...)` calls with each connection's
        (reader, writer): what the reader reads comes from the peer."""
        found: set[int] = set()
        for call, _ in self.ctx.index.calls_named({"start_server", "start_unix_server"}):
            if self.names.resolve(call.func) not in STREAM_SERVERS:
                continue
            handler = call.args[0] if call.args else next(
                (k.value for k in call.keywords if k.arg == "client_connected_cb"), None)
            if isinstance(handler, ast.Name) and handler.id in self.module_defs:
                found.add(id(self.module_defs[handler.id]))
        return frozenset(found)

    def routed(self, func: FunctionNode) -> bool:
        """A Flask or FastAPI view: decorated as one, or registered with `add_url_rule`."""
        return is_route(func) or id(func) in self.url_rule_views

    @cached_property
    def function_tables(self) -> dict[str, list[FunctionNode]]:
        """Module-level names bound once, to a dict (or list, tuple) of the module's functions:
        `ACTIONS = {"ping": do_ping, "trace": do_trace}`, whose `ACTIONS[action](host)` runs one of them."""
        tree = self.ctx.tree
        found: dict[str, list[FunctionNode]] = {}
        twice: set[str] = set()
        for stmt in tree.body if isinstance(tree, ast.Module) else []:
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            else:
                continue
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                if target.id in found:
                    twice.add(target.id)
                elts = (value.values if isinstance(value, ast.Dict) else value.elts
                        if isinstance(value, (ast.List, ast.Tuple)) else [])
                funcs = [self.module_defs.get(e.id) if isinstance(e, ast.Name) else None for e in elts]
                if funcs and all(f is not None for f in funcs):
                    found[target.id] = [f for f in funcs if f is not None]
        for name in twice | self.rebound_globals():
            found.pop(name, None)
        return found

    def table_of(self, name: str, scope: FunctionNode | ast.Module | None) -> str | None:
        """The function table a local name is taken from, by every binding it has in `scope`
        (`action = ACTIONS.get(key)`, `action = ACTIONS[key]`)."""
        if scope is None or isinstance(scope, ast.Module) or not self.function_tables:
            return None
        table: str | None = None
        for binding in self.scopes.bindings_of(scope, name):
            value = binding.value
            if binding.kind != "assign" or not isinstance(value, ast.expr):
                return None
            base = (value.value if isinstance(value, ast.Subscript) else value.func.value
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "get" else None)
            if not (isinstance(base, ast.Name) and base.id in self.function_tables) or (table and base.id != table):
                return None
            table = base.id
        return table

    def _table_callers(self, func: FunctionNode) -> list[FunctionNode | None]:
        """The scopes that call an element of a function table holding `func`."""
        tables = {name for name, funcs in self.function_tables.items() if func in funcs}
        if not tables:
            return []
        found: list[FunctionNode | None] = []
        for call, scope in self.ctx.index.calls:
            f = call.func
            if ((isinstance(f, ast.Subscript) and isinstance(f.value, ast.Name) and f.value.id in tables)
                    or (isinstance(f, ast.Name) and self.table_of(f.id, scope) in tables)) and scope not in found:
                found.append(scope)
        return found

    @cached_property
    def defers(self) -> bool:
        """Whether the module makes a call that may run a function it is handed (`executor.submit(run, x)`)."""
        return bool(self.ctx.index.calls_named(_DEFERRING))

    @cached_property
    def dispatched(self) -> dict[str, list[FunctionNode]]:
        """The module functions a parser's `set_defaults(func=cmd_logs)` names, by keyword: `args.func(args)`
        runs one of them."""
        found: dict[str, list[FunctionNode]] = {}
        for call, _ in self.ctx.index.calls_named(DISPATCH_DEFAULTS):
            for keyword in call.keywords:
                target = self.module_defs.get(keyword.value.id) if isinstance(keyword.value, ast.Name) else None
                if keyword.arg is not None and target is not None and target not in found.get(keyword.arg, []):
                    found.setdefault(keyword.arg, []).append(target)
        return found

    def inherited(self, cls: ast.ClassDef, name: str, depth: int = 0) -> FunctionNode | None:
        """The method `name` of `cls`, or the one it inherits from a class of the module (its bases in
        order, depth first, as Python's method order has it for single inheritance)."""
        found = self.class_methods(cls).get(name)
        if found is not None or depth > 8:
            return found
        for base in cls.bases:
            local = self.top_classes.get(base.id) if isinstance(base, ast.Name) else None
            if local is not None and local is not cls:
                found = self.inherited(local, name, depth + 1)
                if found is not None:
                    return found
        return None

    def _subclasses_using(self, cls: ast.ClassDef, name: str) -> list[ast.ClassDef]:
        """The classes of the module whose `name` method is `cls`'s (they inherit it without overriding)."""
        method = self.class_methods(cls).get(name)
        return [c for c in self.top_classes.values() if c is not cls and method is not None
                and self.inherited(c, name) is method]

    @property
    def nested_names(self) -> frozenset[str]:
        """The names of functions defined inside another function (not module functions, not methods)."""
        if self._nested_names is None:
            self._nested_names = frozenset(
                f.name for f in self.ctx.index.functions if not isinstance(f, ast.Lambda)
                and self.module_defs.get(f.name) is not f and self.method_class(f) is None)
        return self._nested_names

    def calls_of(self, scope: FunctionNode) -> list[ast.Call]:
        """The calls `scope`'s own code makes (comprehensions included, nested functions not), from the
        index's one walk."""
        if self._calls_by_scope is None:
            grouped: dict[int, list[ast.Call]] = {}
            for call, owner in self.ctx.index.calls:
                if owner is not None:
                    grouped.setdefault(id(owner), []).append(call)
            self._calls_by_scope = grouped
        return self._calls_by_scope.get(id(scope), [])

    # ------------------------------------------------------------ what the interpreter asks

    def sink_at(self, call: ast.Call) -> Sink | None:
        entry = self.sinks.get(id(call))
        return entry[0] if entry is not None else None

    def source_name(self, resolved: str) -> str | None:
        """What kind of external input a module attribute is (`sys.argv`), if it is one."""
        what = SOURCE_NAMES.get(resolved)
        if what is None and resolved.startswith(_SOURCE_PREFIXES):  # asked of every name read: one test first
            what = next((kind for prefix, kind in SOURCE_NAME_PREFIXES.items() if resolved.startswith(prefix)), None)
        if what is None and resolved in self.user_sources:
            what = CONFIGURED
        return what

    def source_call(self, name: str) -> str | None:
        return CONFIGURED if name in self.user_sources else None

    def global_value(self, node: ast.Name) -> Val:
        globals_ = self.module_globals()
        value = globals_.get(node.id)
        if value is not None:
            if node.id in self.rebound_globals():
                # a function assigns it too (`global CMD; CMD = ...`): not the module's constant
                return join(value, Val(frozenset({Origin(
                    DYNAMIC, node.id, "a global assigned in a function", node.lineno, node.col_offset)})))
            if value.prefix is not None and node.id in self.mutated_globals:
                # a dict or list of the module a function fills (`STATE["cmd"] = event["cmd"]`)
                return Val(frozenset({Origin(DYNAMIC, node.id, "a global changed in a function", node.lineno,
                                             node.col_offset)}))
            return value
        if node.id in self.module_defs or node.id in self.module_classes or node.id in MODULE_DUNDERS:
            return CLEAN
        if node.id in self.imported and node.id.isupper():
            return CLEAN  # a constant imported from a sibling module
        origin = Origin(DYNAMIC, node.id, "a name bound outside this function", node.lineno, node.col_offset)
        return Val(frozenset({origin}))

    @cached_property
    def mutated_globals(self) -> frozenset[str]:
        """Module-level names a function changes in place without rebinding them: an item assigned or
        deleted (`STATE[key] = value`), or a mutating method called (`CACHE.update(...)`)."""
        found: set[str] = set()
        for call, scope in self.ctx.index.calls_named(MUTATORS):
            func = call.func
            if scope is not None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                found.add(func.value.id)
        for defined in self.ctx.index.functions:
            if not isinstance(defined, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for stmt in own_statements(defined.body):
                targets = (stmt.targets if isinstance(stmt, (ast.Assign, ast.Delete)) else [stmt.target]
                           if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) else [])
                for target in targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        found.add(target.value.id)
        return frozenset(found)

    def rebound_globals(self) -> frozenset[str]:
        """Names some function (or class) declares `global`, so may assign."""
        if self._rebound is None:
            self._rebound = self.scopes.declared_global()
        return self._rebound

    def module_globals(self) -> dict[str, Val]:
        """Every value each module-level name is given (joined: a function may run before or after
        any of those assignments)."""
        if self._globals is None:
            self._globals = {}
            tree = self.ctx.tree
            if isinstance(tree, ast.Module):
                runner = FunctionTaint(self, tree, Summary("<module>", [], None, [], None), {}, summaries=False)
                try:
                    runner.run()
                except (Abort, RecursionError):
                    pass
                self._globals = runner.assigned
        return self._globals

    def class_attribute(self, cls: ast.ClassDef, attr: str) -> Val | None:
        """What the class body binds `attr` to, when it binds it once, to a value that is not a literal
        (`bucket = sys.argv[1]`, `hook = os.environ["HOOK"]`), and no code of the class assigns `x.attr`:
        evaluated as the module's code would, when it runs the class body. None otherwise (a literal is
        a constant, which `class_constant` answers)."""
        key = (id(cls), attr)
        if key in self._class_attributes:
            return self._class_attributes[key]
        found: Val | None = None
        bound = [stmt.value for stmt in cls.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))
                 and stmt.value is not None
                 and [t.id for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
                      if isinstance(t, ast.Name)] == [attr]]
        value = bound[0] if len(bound) == 1 else None
        if isinstance(value, ast.Call) and (self.names.resolve(value.func) or "").rsplit(".", 1)[-1] in _FIELD_SPECS:
            # `field(default=...)`, pydantic's `Field(...)`: the default is what the field holds; a
            # `default_factory` makes a new, empty object
            value = next((k.value for k in value.keywords if k.arg == "default"), value.args[0] if value.args else None)
        tree = self.ctx.tree
        if value is not None and not _literal(value) and isinstance(tree, ast.Module):
            # what the class's code stores is read once per class, and only for a value worth evaluating
            stored = self._class_stores.get(id(cls))
            if stored is None:
                stored = self._class_stores[id(cls)] = _stored_attributes(cls)
            if attr not in stored:
                # evaluated on its own: a module name it reads is the module's global (`global_value`),
                # so the module's own code is interpreted only for an expression that reads one
                if self._class_body_runner is None:
                    self._class_body_runner = FunctionTaint(
                        self, tree, Summary("<module>", [], None, [], None), {}, summaries=False)
                try:
                    found = self._class_body_runner.expr(value, {})
                except (Abort, RecursionError):
                    found = None
        self._class_attributes[key] = found
        return found

    def compiled_pattern(self, node: ast.expr) -> ast.expr | None:
        """The pattern of a module-level `NAME = re.compile("...")` (or of `re.compile(OTHER)` where `OTHER`
        is a module-level string), for `NAME.fullmatch(x)` guards."""
        value = self.module_value(node)
        if not (isinstance(value, ast.Call) and value.args and self.names.resolve(value.func) == "re.compile"):
            return None
        return self.pattern_text(value.args[0]) if isinstance(value.args[0], ast.Name) else value.args[0]

    def pattern_text(self, node: ast.expr) -> ast.expr | None:
        """The string a pattern argument is: a constant, or a module-level `NAME = r"..."` that nothing
        rebinds (`re.fullmatch(BRANCH_RE, branch)`)."""
        value = node if isinstance(node, ast.Constant) else self.module_value(node)
        return value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None

    def module_value(self, node: ast.expr) -> ast.expr | None:
        """The value of a module-level name the module binds exactly once, by a plain assignment, and no
        function declares `global`: `SHELL_OPTS = {"shell": True}`, `BRANCH_RE = r"[a-z]+"`. (Whether a
        function shadows the name is the caller's to ask.)"""
        tree = self.ctx.tree
        if not isinstance(node, ast.Name) or not isinstance(tree, ast.Module) or node.id in self.rebound_globals():
            return None
        bindings = self.scopes.bindings_of(tree, node.id)
        if len(bindings) != 1 or bindings[0].kind not in ("assign", "annassign"):
            return None
        value = bindings[0].value
        return value if isinstance(value, ast.expr) else None

    def checked_arguments(self) -> frozenset[str]:
        """argparse destinations that can only hold a number or one of constant `choices`."""
        if self._checked is None:
            checked: set[str] = set()
            unchecked: set[str] = set()
            # the declarations by their method's name, from the index: not a walk of every call
            for call, _ in self.ctx.index.calls_named(ARGUMENT_DECLARATIONS):
                if isinstance(call.func, ast.Attribute) and call.func.attr in ARGUMENT_DECLARATIONS:
                    dest = _argparse_dest(call)
                    if dest is not None:
                        (checked if self._argument_is_checked(call) else unchecked).add(dest)
            self._checked = frozenset(checked - unchecked)
        return self._checked

    def _module_display(self, name: str) -> ast.expr | None:
        """The list, tuple or set display (also inside `frozenset(...)`/`tuple(...)`) a module-level name
        is bound to, when the module binds it once and nothing rebinds it."""
        tree = self.ctx.tree
        if not isinstance(tree, ast.Module) or name in self.rebound_globals():
            return None
        values = [stmt.value for stmt in tree.body
                  if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None
                  and any(isinstance(t, ast.Name) and t.id == name
                          for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]))]
        if len(values) != 1:
            return None
        value = values[0]
        frozen = isinstance(value, ast.Tuple)
        if (isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords
                and self.names.resolve(value.func) in ("frozenset", "tuple", "set", "list")):
            frozen = self.names.resolve(value.func) in ("frozenset", "tuple")
            value = value.args[0]
        if not isinstance(value, (ast.List, ast.Tuple, ast.Set)):
            return None
        # a list or set the module may still change (`TARGETS.append("db")`) is no constant
        text = "\n".join(self.ctx.lines)
        if not frozen and re.search(rf"\b{re.escape(name)}\s*(?:\.|\[|[-+|&^]=)", text):
            return None
        return value

    def _argument_is_checked(self, call: ast.Call) -> bool:
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        kind = keywords.get("type")
        if isinstance(kind, ast.Constant):  # optparse names its types: type="int", type="choice"
            if kind.value in CHECKED_OPTPARSE_TYPES:
                return True
            choices = keywords.get("choices")
            return kind.value == "choice" and isinstance(choices, (ast.List, ast.Tuple, ast.Set)) and all(
                isinstance(e, ast.Constant) for e in choices.elts)
        if kind is not None and self.names.resolve(kind) in CHECKED_ARGUMENT_TYPES:
            return True
        choices = keywords.get("choices")
        if isinstance(choices, ast.Name):
            choices = self._module_display(choices.id)  # `choices=SERVICES`, a tuple the module binds once
        if isinstance(choices, (ast.List, ast.Tuple, ast.Set)) and (kind is None or self.names.resolve(kind) == "str"):
            return all(isinstance(e, ast.Constant) for e in choices.elts)
        action = keywords.get("action")
        return isinstance(action, ast.Constant) and action.value in CHECKED_ACTIONS

    def callee(self, call: ast.Call, scope: FunctionNode | ast.Module | None,
               shadowed: frozenset[str]) -> FunctionNode | None:
        """The function of this module that `call` calls, when the analysis can tell."""
        func = call.func
        if isinstance(func, ast.Name):
            if scope is None or isinstance(scope, ast.Module):
                return self.module_defs.get(func.id) or self.named_lambda(None, func.id)
            if func.id in self.nested_names:
                local = self._visible_def(scope, func.id)
                if local is not None:
                    return local
            if func.id in shadowed or func.id in self.lambda_names:
                named = self.named_lambda(scope, func.id)
                if named is not None or func.id in shadowed:
                    return named
            return self.module_defs.get(func.id) or self.named_lambda(None, func.id)
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name)
                and func.value.func.id == "super" and not func.value.args and scope is not None
                and not isinstance(scope, ast.Module)):
            # `super().__init__(target)` in a method of a class whose base is a class of the module
            cls = self.method_class(scope)
            for base in cls.bases if cls is not None else []:
                parent = self.top_classes.get(base.id) if isinstance(base, ast.Name) else None
                found = self.inherited(parent, func.attr) if parent is not None and parent is not cls else None
                if found is not None and not _static(found):
                    return found
            return None
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id in ("self", "cls") and scope is not None and not isinstance(scope, ast.Module)):
            cls = self.method_class(scope)
            if cls is not None:
                # a static method too (`cls.run(command)`): `receives_instance` says whether the
                # receiver is its first argument
                return self.inherited(cls, func.attr)
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id not in shadowed:
            owner = self.top_classes.get(func.value.id)
            target = self.inherited(owner, func.attr) if owner is not None else None
            if target is not None and (_classmethod(target) or _static(target)):
                # `Pinger.from_event(event)`: the class is its first argument; `Runner.run(cmd)`: none is
                return target
        if isinstance(func, ast.Attribute) and func.attr in self.instance_methods:
            instance = self.instance_class(func.value, scope, shadowed)
            if instance is not None:
                return self.inherited(instance, func.attr)
        return None

    @staticmethod
    def receives_instance(target: FunctionNode) -> bool:
        """Whether a method call of `target` passes its receiver (the instance, or the class of a
        classmethod) as the first argument: not for a `@staticmethod` or a plain function."""
        return not _static(target)

    def instance_class(self, receiver: ast.expr, scope: FunctionNode | ast.Module | None,
                       shadowed: frozenset[str]) -> ast.ClassDef | None:
        """The module class `receiver` is an instance of: `Cls(...)`, or a name `scope` binds only to one."""
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id not in shadowed:
            return self.top_classes.get(receiver.func.id)
        if isinstance(receiver, ast.Call):
            return self.factory_class(receiver, shadowed) or self._built_class(receiver, scope, shadowed)
        if not isinstance(receiver, ast.Name) or receiver.id in ("self", "cls"):
            return None
        tree = self.ctx.tree
        owner = scope if scope is not None else tree if isinstance(tree, ast.Module) else None
        if (isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)) and isinstance(tree, ast.Module)
                and self.method_class(owner) is None and receiver.id not in self.shadowed(owner)
                and receiver.id not in self.rebound_globals()):
            owner = tree  # `worker = Worker(...)` at module level, used by the handler: `worker.handle(event)`
        if owner is None or not self._constructs(owner):
            return None
        # Only a name whose every binding in `owner` is `Cls(...)` of one module class; a parameter or
        # any other binding (a loop target, a `with ... as`, a tuple unpacked) makes it unknown.
        found: ast.ClassDef | None = None
        for binding in self.scopes.bindings_of(owner, receiver.id):
            value = binding.value
            cls = (self.top_classes.get(value.func.id) if isinstance(value.func, ast.Name)
                   else self.factory_class(value, frozenset()) or self._built_class(value, owner, shadowed)) if (
                binding.kind == "assign" and isinstance(value, ast.Call)) else None
            if cls is None or (found is not None and found is not cls):
                return None
            found = cls
        return found

    def _built_class(self, call: ast.Call, scope: FunctionNode | ast.Module | None,
                     shadowed: frozenset[str]) -> ast.ClassDef | None:
        """The module class of a builder's chain: `Cmd().arg("log")` is a `Cmd` when `arg` returns `self`."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in self.instance_methods:
            return None
        cls = self.instance_class(func.value, scope, shadowed)
        method = self.inherited(cls, func.attr) if cls is not None else None
        return cls if method is not None and returns_instance(method) else None

    def factory_class(self, call: ast.Call, shadowed: frozenset[str]) -> ast.ClassDef | None:
        """The module class whose classmethod `call` calls, when that method returns `cls(...)`:
        `Pinger.from_event(event)` is a `Pinger`."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id not in shadowed):
            return None
        cls = self.top_classes.get(func.value.id)
        method = self.inherited(cls, func.attr) if cls is not None else None
        if method is None or isinstance(method, ast.Lambda) or not _classmethod(method) or not method.args.args:
            return None
        first = method.args.args[0].arg
        returns = [n for n in own_statements(method.body) if isinstance(n, ast.Return)]
        made = [r for r in returns if isinstance(r.value, ast.Call) and isinstance(r.value.func, ast.Name)
                and r.value.func.id == first]
        return cls if made and len(made) == len(returns) else None

    def _own_calls(self, owner: FunctionNode | ast.Module) -> list[ast.Call]:
        return self._module_calls() if isinstance(owner, ast.Module) else self.calls_of(owner)

    def _constructs(self, owner: FunctionNode | ast.Module) -> bool:
        """Whether `owner`'s own code calls a module class by name: else no name it binds is an instance."""
        found = self._constructing.get(id(owner))
        if found is None:
            classes = self.top_classes
            found = self._constructing[id(owner)] = any(
                (isinstance(c.func, ast.Name) and c.func.id in classes) or (
                    isinstance(c.func, ast.Attribute) and isinstance(c.func.value, ast.Name)
                    and c.func.value.id in classes) for c in self._own_calls(owner))
        return found

    def http_clients(self, owner: FunctionNode | ast.Module) -> frozenset[str]:
        """Names `owner` binds to an HTTP client (`requests.Session()`, `httpx.Client()`), whose `get`
        and `post` answer with an HTTP response."""
        if self._http_roots is None:
            # a client's constructor resolves through an import of its package: without one, no walk
            self._http_roots = any(t.split(".", 1)[0] in _HTTP_CLIENT_ROOTS for t in self.names.aliases.values())
        if not self._http_roots:
            return frozenset()
        if id(owner) in self._http_clients:
            return self._http_clients[id(owner)]
        found = self._bound_names(owner, self._http_client, self._http_clients)
        if not isinstance(owner, (ast.Module, ast.Lambda)) and self.method_class(owner) is None:
            found |= self._client_parameters(owner)
            self._http_clients[id(owner)] = found
        return found

    def _client_parameters(self, func: FunctionNode) -> frozenset[str]:
        """The parameters of `func` that every call of it in the module passes an HTTP client
        (`async def fetch(session, url): ... session.get(url)`, called with the `ClientSession()`)."""
        params = parameter_names(func)[0]
        if not params or isinstance(func, ast.Lambda):
            return frozenset()
        callers = self.ctx.index.calls_named({func.name})
        passed: dict[str, bool] = {}
        for call, scope in callers:
            if self.callee(call, scope, frozenset()) is not func:
                continue
            tree = self.ctx.tree
            owner: FunctionNode | ast.Module
            if scope is not None:
                owner = scope
            elif isinstance(tree, ast.Module):
                owner = tree
            else:
                return frozenset()
            given = dict(zip(params, call.args))
            given.update((k.arg, k.value) for k in call.keywords if k.arg is not None)
            for param in params:
                arg = given.get(param)
                client = arg is not None and not isinstance(arg, ast.Starred) and (
                    self._http_client(arg) or (isinstance(arg, ast.Name) and owner is not func
                                               and arg.id in self.http_clients(owner)))
                passed[param] = passed.get(param, True) and client
        return frozenset(p for p, ok in passed.items() if ok)

    def s3_objects(self, owner: FunctionNode | ast.Module) -> frozenset[str]:
        """Names `owner` binds to an S3 object of boto3's resource API (`s3.Object(bucket, key)`)."""
        if id(owner) not in self._s3_objects and not any(_s3_object(c) for c in self._own_calls(owner)):
            self._s3_objects[id(owner)] = frozenset()  # no `X.Object(...)` call of its own, no walk
        return self._bound_names(owner, _s3_object, self._s3_objects)

    def _bound_names(self, owner: FunctionNode | ast.Module, test: Callable[[ast.expr], bool],
                     cache: dict[int, frozenset[str]]) -> frozenset[str]:
        found = cache.get(id(owner))
        if found is None:
            scope = self.scopes.own_scope(owner)
            bindings = scope.bindings.items() if scope is not None else ()
            found = frozenset(name for name, each in bindings if any(
                b.kind in ("assign", "with") and isinstance(b.value, ast.expr) and test(b.value) for b in each))
            cache[id(owner)] = found
        return found

    def _http_client(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and self.names.resolve(node.func) in HTTP_CLIENTS

    def input_member(self, func: FunctionNode, attr: str) -> Val | None:
        """The external input the `__init__` of `func`'s class stores in `attr` itself (`self.title =
        request.args.get("title")`): every instance holds it, whoever made it. None when it stores none."""
        cls = self.method_class(func)
        init = self.inherited(cls, "__init__") if cls is not None else None
        if (init is None or init is func or isinstance(init, ast.Lambda) or id(init) in self._members_asked
                or not self._input_below(init)):
            return None
        # `__init__`'s own callees (`self._load()`) read members too: they are answered without it
        self._members_asked.add(id(init))
        try:
            summary = self.summarise(init)
        finally:
            self._members_asked.discard(id(init))
        kept = summary.stored.get(attr) if summary is not None else None
        found = frozenset(o for o in kept.taint if o.kind == SOURCE) if kept is not None else frozenset()
        return Val(found) if found else None

    def clean_member(self, func: FunctionNode, attr: str) -> bool:
        """Whether every value the module's code stores in the attribute `attr` of instances of
        `func`'s class is a constant or converted (`self.changeset = uuid.UUID(changeset)`,
        `self.port = int(port)`): reading `self.attr` there reads no text anyone chose. A store of
        any other value, a class body that declares it (a dataclass field), a base class of the module
        (which may store it too), a `setattr`, or a store of `.attr` outside the class makes it
        unknown."""
        cls = self.method_class(func)
        if cls is None or "setattr" in self.ctx.index.calls_by_name():
            return False
        found = self._clean_members.get(id(cls))
        if found is None:
            found = self._clean_members[id(cls)] = self._members_stored_clean(cls)
        return attr in found and not self._stored_outside(cls, attr)

    def _members_stored_clean(self, cls: ast.ClassDef) -> frozenset[str]:
        """The attributes every store of which in `cls` is clean, read in one walk of the class."""
        if any(isinstance(b, ast.Name) and b.id in self.top_classes for b in cls.bases):
            return frozenset()
        clean: set[str] = set()
        unknown: set[str] = set()

        def stored_otherwise(target: ast.AST | None) -> None:
            if target is not None:
                unknown.update(n.attr for n in breadth_first(target) if isinstance(n, ast.Attribute))

        for stmt in cls.body:
            targets = (stmt.targets if isinstance(stmt, ast.Assign)
                       else [stmt.target] if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) else [])
            # a class attribute or a declared field: what it holds comes from elsewhere
            unknown.update(t.id for t in targets if isinstance(t, ast.Name))
        # the statements of the class, nested ones too (a store of an attribute is one); no expression
        # can store one (a comprehension's or a walrus's target is a name)
        pending: list[ast.stmt] = list(cls.body)
        while pending:
            node = pending.pop()
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    pending.extend(inner)
            for part in getattr(node, "handlers", None) or getattr(node, "cases", None) or ():
                pending.extend(part.body)
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                value = node.value
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Attribute):
                        ok = value is not None and self._converted_or_constant(value)
                        (clean if ok else unknown).add(target.attr)
                    else:
                        stored_otherwise(target)  # `self.a, self.b = pair`
            elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor)):
                stored_otherwise(node.target)  # `self.total += n`, `for self.item in items`
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    stored_otherwise(item.optional_vars)
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    stored_otherwise(target)
        return frozenset(clean - unknown)

    def _stored_outside(self, cls: ast.ClassDef, attr: str) -> bool:
        """Whether a line of the module outside `cls` may store `.attr` (`job.port = text`): read from
        the text, which is cheaper than another walk of the module."""
        lines = self.ctx.lines
        if not lines:
            return True
        # `job.port = text`, `job.port += 1`, or a target of several (`job.host, job.port = pair`)
        store = re.compile(rf"\.{re.escape(attr)}\b\s*(?:[-+*/%|&^@]?=(?!=)|[,)][^=\n]*(?<![=!<>])=(?!=))")
        first, last = cls.lineno - 1, cls.end_lineno or cls.lineno
        tree = self.ctx.tree
        body = tree.body if isinstance(tree, ast.Module) else []
        # the module's docstring and comments may quote such a store: they store nothing
        start = (body[0].end_lineno or 0) if body and is_docstring(body[0]) else 0
        for number in (*range(start, first), *range(last, len(lines))):
            line = lines[number]
            if "." + attr in line:
                found = store.search(line)
                if found is not None and "#" not in line[:found.start()]:
                    return True
        return False

    def _converted_or_constant(self, value: ast.expr) -> bool:
        if isinstance(value, ast.Constant):
            return True
        if isinstance(value, ast.Call) and not any(isinstance(a, ast.Starred) for a in value.args):
            resolved = self.names.resolve(value.func)
            return resolved in CHECKED_ARGUMENT_TYPES or resolved in SANITIZERS
        return False

    def class_constant(self, func: FunctionNode | ast.Module, attr: str) -> bool:
        """`self.attr` in a method, where the class body binds `attr` to a constant string (or a
        display of constants) and no code of the class assigns `self.attr`; or where every assignment
        of `.attr` in the module is `self.attr = <constant or sanitised value>` in the class's methods
        (`self.status = "systemctl is-system-running"`, `self.unit = shlex.quote(unit)`)."""
        cls = self.method_class(func)
        if cls is None:
            return False
        if self._assigned_clean(cls, attr):
            return True
        constants = self._class_constants.get(id(cls))
        if constants is None:
            constants = self._class_constants[id(cls)] = {
                stmt.targets[0].id for stmt in cls.body if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name) and _literal(stmt.value)}
        if attr not in constants:
            return False
        # the class's code assigning `x.attr` anywhere: read once per class, and only for a constant read
        stored = self._class_stores.get(id(cls))
        if stored is None:
            stored = self._class_stores[id(cls)] = _stored_attributes(cls)
        return attr not in stored

    def class_text(self, func: FunctionNode | ast.Module, attr: str) -> str | None:
        """The text of `self.attr` when the class body binds `attr` to a string and no code of the class
        assigns `x.attr` (the format of `self._SHIM % path` is then known); None otherwise."""
        cls = self.method_class(func)
        if cls is None:
            return None
        stored = self._class_stores.get(id(cls))
        if stored is None:
            stored = self._class_stores[id(cls)] = _stored_attributes(cls)
        if attr in stored:
            return None
        bound = [stmt.value for stmt in cls.body if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                 and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == attr]
        if len(bound) == 1 and isinstance(bound[0], ast.Constant) and isinstance(bound[0].value, str):
            return bound[0].value
        return None

    def _assigned_clean(self, cls: ast.ClassDef, attr: str) -> bool:
        key = (id(cls), attr)
        found = self._clean_stores.get(key)
        if found is None:
            found = self._clean_stores[key] = self._stored_clean(cls, attr)
        return found

    def _stored_clean(self, cls: ast.ClassDef, attr: str) -> bool:
        """Every assignment of `.attr` in the module is `self.attr = <constant or sanitised>` in a method
        of `cls`. The source's lines that assign `.attr` (`runner.status = event["cmd"]` elsewhere would be
        one) are found in the text, far cheaper than a walk of the module: a mention in a comment or a
        string only makes the answer "no"; only the statements on those lines are read."""
        lines = self._store_lines(attr)
        if not lines:
            return False
        methods = [m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
        stores = 0
        for method in methods:
            first, last = method.lineno, method.end_lineno or method.lineno
            wanted = {line for line in lines if first <= line <= last}
            starts = self._statement_starts(method) if wanted else {}
            for stmt in (stmt for line in sorted(wanted) for stmt in starts.get(line, ())):
                found = _self_stores(stmt, attr)
                if found is None or (found and not (isinstance(stmt, ast.Assign) and self._clean_value(stmt.value))):
                    return False  # `self.x += y`, `for self.x in ...`, `other.x = ...`, `self.x = param`
                stores += found
        return stores == sum(lines.values())  # a store elsewhere (outside the class) was not counted

    def _statement_starts(self, method: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[int, list[ast.stmt]]:
        """The statements of `method` by the line they start on, read once per method."""
        found = self._starts.get(id(method))
        if found is None:
            found = self._starts[id(method)] = _statements_by_line(method)
        return found

    def _store_lines(self, attr: str) -> dict[int, int]:
        """The lines of the source that assign `.attr`, read from the text, with the number on each."""
        found = self._module_stores.get(attr)
        if found is None:
            if self._source is None:
                self._source = "\n".join(self.ctx.lines)
            text, needle = self._source, "." + attr
            found = self._module_stores[attr] = {}
            line, last = 1, 0
            at = text.find(needle)
            while at >= 0:
                end = at + len(needle)
                if _STORE_AFTER.match(text, end) and not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
                    line += text.count("\n", last, at)
                    last = at
                    found[line] = found.get(line, 0) + 1
                at = text.find(needle, end)
        return found

    def _clean_value(self, node: ast.expr) -> bool:
        """A value nothing can change later: a constant or a tuple of constants (a list may be appended
        to), or a sanitiser's result."""
        if isinstance(node, (ast.Constant, ast.Tuple)) and _literal(node):
            return True
        if isinstance(node, ast.Call):
            resolved = self.names.resolve(node.func)
            return resolved is not None and (resolved in SANITIZERS or resolved in self.sanitizers
                                             or resolved.rsplit(".", 1)[-1] in SANITIZER_NAMES)
        return False

    def may_validate(self, func: FunctionNode) -> bool:
        """Whether `func` may be a validator that raises or exits unless its argument passes a check
        (`if name not in ALLOWED: raise ValueError(name)`): read from its text, its summary says."""
        found = self._validators.get(id(func))
        if found is None:
            text = self._text(func) if not isinstance(func, ast.Lambda) else ""
            found = self._validators[id(func)] = bool(func.args.args) and any(
                w in text for w in _STOPS) and any(w in text for w in _CHECKS)
        return found

    def may_reach_sink(self, func: FunctionNode) -> bool:
        """Whether a call of `func` whose value goes nowhere can matter to a sink: `func` contains a sink
        or calls (transitively) a function of the module that does, and external input may arise in it,
        in what it calls, or in a function above it. Without input, such a call adds no finding: across
        a call only input reaches a sink (the parameters and unknowns a caller passes are its own
        concern, at the sinks in its own code)."""
        return self._reaches(func) and self._may_see_input(func)

    def _reaches(self, func: FunctionNode) -> bool:
        """Whether `func` contains a sink or calls (transitively) a function of the module that does."""
        if self._reaching is None:
            reaching: set[int] = set()
            stack: list[FunctionNode | None] = [scope for _, scope in self.sinks.values()]
            while stack:
                scope = stack.pop()
                if scope is None or id(scope) in reaching:
                    continue
                reaching.add(id(scope))
                stack.extend(self._callers_of(scope))
            self._reaching = reaching
        return id(func) in self._reaching

    def _reads_attributes(self, owner: FunctionNode | ast.Module) -> bool:
        """Whether a sink of `owner`'s own reads an attribute of a local name in its arguments
        (`os.system(job.command)`, `f"{job.command} --dry-run"`), or a name `owner` binds to such a read
        (`cmd = job.command`). Deeper chains are followed only where a method of the class runs the
        instance's value."""
        found = self._attribute_sinks.get(id(owner))
        if found is None:
            wanted = None if isinstance(owner, ast.Module) else owner
            scope: Scope | None = None
            found = False
            for sink, where in self.sinks.values():
                if where is not wanted:
                    continue
                for arg in (*sink.call.args, *(k.value for k in sink.call.keywords)):
                    for node in breadth_first(arg):
                        if self._attribute_read(node):
                            found = True
                        elif isinstance(node, ast.Name):
                            if scope is None:
                                scope = self.scopes.own_scope(owner)
                            bindings = scope.bindings.get(node.id, ()) if scope is not None else ()
                            found = any(isinstance(b.value, ast.expr) and any(
                                self._attribute_read(n) for n in breadth_first(b.value)) for b in bindings)
                        if found:
                            break
                    if found:
                        break
                if found:
                    break
            self._attribute_sinks[id(owner)] = found
        return found

    def _attribute_read(self, node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id not in self.modules and node.value.id not in self.imported)

    def is_enum(self, cls: ast.ClassDef) -> bool:
        """Whether `cls` derives from an `enum` class by one of its bases' names (`class Mode(Enum)`)."""
        found = self._enums.get(id(cls))
        if found is None:
            found = self._enums[id(cls)] = any(self.names.resolve(base) in ENUM_BASES for base in cls.bases)
        return found

    def record_fields(self, cls: ast.ClassDef) -> tuple[tuple[str, bool], ...] | None:
        """The fields, in order, of a dataclass, a `NamedTuple` or a pydantic model of the module whose
        `__init__` is the generated one, each with whether the class converts it to a number; None for any
        other class (or one deriving from another class of the module: its fields come first)."""
        found = self._records.get(id(cls))
        if found is None and id(cls) not in self._records:
            found = self._records[id(cls)] = self._record_fields(cls)
        return found

    def _record_fields(self, cls: ast.ClassDef) -> tuple[tuple[str, bool], ...] | None:
        if "__init__" in self.class_methods(cls) or any(
                isinstance(b, ast.Name) and b.id in self.top_classes for b in cls.bases):
            return None
        bases = {self.names.resolve(b) for b in cls.bases}
        validating = bool(bases & VALIDATING_RECORD_BASES)
        if not (validating or bases & RECORD_BASES or any(
                self.names.resolve(d.func if isinstance(d, ast.Call) else d) in RECORD_DECORATORS
                for d in cls.decorator_list)):
            return None
        fields: list[tuple[str, bool]] = []
        for stmt in cls.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            annotation = stmt.annotation
            head = annotation.value if isinstance(annotation, ast.Subscript) else annotation
            if self.names.resolve(head) in CLASS_VARIABLE:
                continue
            fields.append((stmt.target.id, validating and self._numeric_annotation(annotation)))
        return tuple(fields)

    def has_sink(self, func: FunctionNode) -> bool:
        """Whether `func` contains a sink or calls (transitively) a function of the module that does."""
        return self._reaches(func)

    def stores_for_sink(self, func: FunctionNode) -> bool:
        """Whether `func` is a method other than `__init__` that stores in its instance (`self.cmd = ...`,
        `self.parts.append(value)`) for a class one of whose methods runs the instance's value: `w.configure(event); w.run()`."""
        found = self._setters.get(id(func))
        if found is None:
            found = self._setters[id(func)] = False  # while it is asked (the class's summaries ask again)
            cls = self.method_class(func) if not isinstance(func, ast.Lambda) else None
            if (cls is not None and isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and func.name != "__init__" and func.args.args and not _static(func)):
                first = func.args.args[0].arg
                if re.search(rf"\b{re.escape(first)}\.\w+\s*(=[^=]|\+=|\.(?:{_MUTATOR_WORDS})\s*\()",
                             self._text(func)):
                    found = self._runs_instance(cls)
            self._setters[id(func)] = found
        return found

    def _runs_instance(self, cls: ast.ClassDef) -> bool:
        """`_instance_reaches_sink`, once per class (False while it is being answered)."""
        found = self._instance_sinks.get(id(cls))
        if found is None:
            self._instance_sinks[id(cls)] = False
            found = self._instance_sinks[id(cls)] = self._instance_reaches_sink(cls)
        return found

    def _instance_reaches_sink(self, cls: ast.ClassDef, depth: int = 0) -> bool:
        """Whether a method of `cls` (not `__init__`), or one it inherits from a class of the module,
        hands its instance's value to a sink."""
        for base in cls.bases if depth < 8 else []:
            local = self.top_classes.get(base.id) if isinstance(base, ast.Name) else None
            if local is not None and local is not cls and self._instance_reaches_sink(local, depth + 1):
                return True
        for method in self.class_methods(cls).values():
            if not isinstance(method, ast.Lambda) and method.name != "__init__" and self._reaches(method):
                summary = self.summarise(method)  # interpreted for its own sinks in any case
                if summary is not None and any(method.args.args and p == method.args.args[0].arg
                                               for p in summary.param_sinks):
                    return True
        return False

    def keeps_for_sink(self, cls: ast.ClassDef, owner: FunctionNode | ast.Module) -> bool:
        """Whether what `cls.__init__` keeps in an instance is worth following: the instance (`self`) of a
        method of `cls` reaches a sink (`Runner(event["unit"]).restart()` runs `self.target`), or the
        function building the instance has a sink of its own (`job = Job(event); os.system(job.command)`).
        `__init__`'s own sinks are reached through the call as any function's are."""
        if id(owner) in self._sink_scopes and self._reads_attributes(owner):
            return True
        return self._instance_reaches_sink(cls)

    def _visible_def(self, scope: FunctionNode, name: str) -> FunctionNode | None:
        """The nested function a call of `name` in `scope` runs: a `def` of `scope` itself or of a
        function around it, found by Python's scoping rules (the last `def` of the name, in source order)."""
        return self.scopes.visible_def(scope, name)

    def enclosing_sources(self, func: FunctionNode) -> State:
        """External input a nested function reads from its enclosing function (the handler's `event`)."""
        out: State = {}
        if (not self.nested_names and not isinstance(func, ast.Lambda)) or self.method_class(func) is not None or (
                not isinstance(func, ast.Lambda) and self.module_defs.get(func.name) is func):
            return out
        parent = self._parent(func)
        if parent is None:
            return out
        for name, value in self._parameters(parent).items():
            if any(o.kind == SOURCE for o in value.taint):
                out[name] = value
        own = self.shadowed(func)
        for name, value in self._closure_values(parent).items():
            if name not in own and name not in out:
                out[name] = value
        return out

    def _closure_values(self, parent: FunctionNode) -> State:
        """What the locals of `parent` hold for the functions nested in it (`bucket = event["bucket"]`
        read by an inner `sync()`): every value each is given, joined, since the inner function may run
        after any of them. A part that depends on `parent`'s own parameters is not known there."""
        key = id(parent)
        found = self._closures.get(key)
        if found is not None:
            return found
        self._closures[key] = {}  # a nested function asked while this runs sees no closure values
        initial = {**self.enclosing_sources(parent), **self._parameters(parent)}
        parent_name = "<lambda>" if isinstance(parent, ast.Lambda) else parent.name
        runner = FunctionTaint(self, parent, Summary(parent_name, [], None, [], None), initial, summaries=False,
                               record=True)
        try:
            runner.run()
        except (Abort, RecursionError):
            return {}
        positional, vararg, kwonly, kwarg = parameter_names(parent)
        params = {*positional, *kwonly, *(n for n in (vararg, kwarg) if n)}
        out: State = {}
        for local, value in runner.assigned.items():
            if local in params:
                continue
            if any(o.kind != SOURCE for o in value.taint):
                kept = frozenset(o for o in value.taint if o.kind == SOURCE)
                first = min(value.taint, key=Origin.sort_key)
                line, col = (first.hops[-1].line, first.hops[-1].col) if first.hops else (first.line, first.col)
                unknown = Origin(DYNAMIC, local, f"a local of `{parent_name}()`", line, col)
                value = Val(kept | {unknown})
            out[local] = value
        self._closures[key] = out
        return out

    def _parent(self, func: FunctionNode) -> FunctionNode | None:
        """The function `func` is defined in, whose locals it sees: a `def`'s own enclosing function; for
        a lambda, the innermost function around it (through comprehensions, lambdas and class bodies)."""
        return self.scopes.parent_function(func)

    def summarise(self, func: FunctionNode) -> Summary | None:
        key = id(func)
        if key in self._summaries:
            return self._summaries[key]
        if key in self._in_progress:
            return None
        if (not isinstance(func, ast.Lambda) and key not in self._returning() and not _initialises(func)
                and not (func.name == "__init__" and self._input_below(func))  # `self.x = request.args[...]`
                and not self._generates(func) and not self.stores_for_sink(func)
                and not (self.review and key in self._sink_scopes) and not self.may_reach_sink(func)
                and not self.may_validate(func)):
            # Returns no value, and reaches no sink or sees no input: the summary of its interpretation is
            # the empty one. A function with a sink of its own is interpreted for that sink's verdict,
            # unless only input counts (`review` off); whether input reaches it is then not asked (the
            # walk up its callers and down their callees is the costly part of the test).
            params, vararg, kwonly, kwarg = parameter_names(func)
            empty = self._summaries[key] = Summary(func.name, params, vararg, kwonly, kwarg)
            return empty
        self._summarise_callees_first(func)
        if key in self._summaries:
            return self._summaries[key]
        self._in_progress.add(key)
        try:
            summary = self._interpret(func)
        finally:
            self._in_progress.discard(key)
        self._summaries[key] = summary
        return summary

    def interpret_with(self, func: FunctionNode, arguments: State) -> Summary | None:
        """A small helper of the module interpreted again with its parameters holding `arguments` (the
        caller's values, which carry the path through the call): what it returns and what reaches its
        sinks, in the caller's terms. Its summary knows only that a value is built from its parameters,
        not that `f"{tool} -f {path}"` of a constant `tool` starts with that constant. None for a function
        that is not such a helper (one whose parameters are input of their own, a long one, a nested or
        recursive call of this)."""
        if (isinstance(func, ast.Lambda) or id(func) in self._in_progress or self._reshaping >= _MAX_RESHAPING
                or (func.end_lineno or func.lineno) - func.lineno > _RESHAPED_LINES
                or any(v.prefix is not None or [o.kind for o in v.taint] != [PARAM]
                       for v in self._parameters(func).values())):
            return None
        key = (id(func), frozenset(arguments.items()))
        if key in self._reshaped:
            return self._reshaped[key]
        params, vararg, kwonly, kwarg = parameter_names(func)
        summary = Summary(func.name, params, vararg, kwonly, kwarg)
        runner = FunctionTaint(self, func, summary, {**self.enclosing_sources(func), **arguments})
        found: Summary | None = summary
        self._reshaping += 1
        self._in_progress.add(id(func))
        try:
            runner.run()
        except (Abort, RecursionError):
            found = None
        finally:
            self._reshaping -= 1
            self._in_progress.discard(id(func))
        self._reshaped[key] = found
        return found

    def _generates(self, func: FunctionNode) -> bool:
        """Whether `func` may be a generator (its text says `yield`): what it yields is what it hands back."""
        return not self._lines_cover_tree or "yield" in self._text(func)

    def _returning(self) -> set[int]:
        """The functions with a `return <value>` of their own (from the shared index)."""
        if self._returns is None:
            self._returns = {id(scope) for node, scope in self.ctx.index.of_type(ast.Return)
                             if scope is not None and node.value is not None}  # type: ignore[attr-defined]
        return self._returns

    def _summarise_callees_first(self, func: FunctionNode) -> None:
        """Summarise the module functions `func` calls before `func`, deepest first, with a stack of
        our own: a chain of 20,000 helpers handing input up or down is followed without recursion."""
        if id(func) in self._visiting:
            return
        stack: list[tuple[FunctionNode, list[FunctionNode]]] = [(func, self._callees(func))]
        self._visiting.add(id(func))
        try:
            while stack:
                current, todo = stack[-1]
                if todo:
                    callee = todo.pop()
                    key = id(callee)
                    if key not in self._summaries and key not in self._visiting and key not in self._in_progress:
                        self._visiting.add(key)
                        stack.append((callee, self._callees(callee)))
                    continue
                stack.pop()
                if current is not func and id(current) not in self._summaries:
                    self._visiting.discard(id(current))
                    self.summarise(current)
        finally:
            for current, _ in stack:
                self._visiting.discard(id(current))
            self._visiting.discard(id(func))

    def _callees(self, func: FunctionNode) -> list[FunctionNode]:
        """The module functions `func` calls whose summary its interpretation will ask for (a call whose
        result is dropped matters only when it may reach a sink), in reverse source order."""
        shadowed = self.shadowed(func)
        found: list[FunctionNode] = []
        seen: set[int] = set()
        dropped: set[int] | None = None
        for node in self.calls_of(func):
            target = self.callee(node, func, shadowed)
            if target is None or id(target) in seen or target is func:
                continue
            if dropped is None:
                dropped = _dropped_calls(func)
            # whether the target may reach a sink is asked only of a call whose value goes nowhere
            if id(node) in dropped and not self.may_reach_sink(target) and not self.stores_for_sink(target):
                continue
            seen.add(id(target))
            found.append(target)
        found.sort(key=lambda f: (f.lineno, f.col_offset), reverse=True)
        return found

    # ------------------------------------------------------------ running it

    def _interpret(self, func: FunctionNode | ast.Module) -> Summary | None:
        if isinstance(func, ast.Module):
            summary = Summary("<module>", [], None, [], None)
            initial: State = {}
        else:
            params, vararg, kwonly, kwarg = parameter_names(func)
            name = "<lambda>" if isinstance(func, ast.Lambda) else func.name
            summary = Summary(name, params, vararg, kwonly, kwarg)
            initial = {**self.enclosing_sources(func), **self._parameters(func)}
        runner = FunctionTaint(self, func, summary, initial)
        try:
            runner.run()
        except Abort:
            self.ctx.skipped(func, "injection", "not analysed for injection: the taint budget ran out")
            return None
        except RecursionError:
            self.ctx.skipped(func, "injection", "not analysed for injection: nested too deeply")
            return None
        return summary

    def _parameters(self, func: FunctionNode) -> State:
        """What each parameter of `func` holds on entry (the callers copy it, never change it): asked for
        the function's interpretation, for those of the functions nested in it, and for its input."""
        found = self._parameter_values.get(id(func))
        if found is None:
            found = self._parameter_values[id(func)] = self._entry_values(func)
        return found

    def _entry_values(self, func: FunctionNode) -> State:
        state: State = {}
        event_index = lambda_event_index(func)
        route = self.routed(func)
        rule = self.url_rule_views.get(id(func))
        converted = (_converted_route_params(func) if rule is None else frozenset(
            converted_variables(rule, ROUTE_CONVERTERS))) if route else frozenset()
        command_line = self._cli_command(func)
        checked = self._checked_click_params(func) if command_line else frozenset()
        typer_command = self._typer_command(func)
        defaults = _defaults(func)
        name = "<lambda>" if isinstance(func, ast.Lambda) else func.name
        for i, arg in enumerate(a for a in (*func.args.posonlyargs, *func.args.args, *(
                [func.args.vararg] if func.args.vararg else []), *func.args.kwonlyargs,
                *([func.args.kwarg] if func.args.kwarg else []))):
            line, col = arg.lineno, arg.col_offset
            given = defaults.get(arg.arg)
            default = self.names.resolve(given.func) if isinstance(given, ast.Call) else None
            metadata = self._annotation_metadata(arg.annotation)
            injected = any(m.rsplit(".", 1)[-1] in INJECTED_DEFAULTS for m in (default or "", *metadata) if m)
            typer = typer_command or default in TYPER_DEFAULTS or bool(set(metadata) & TYPER_DEFAULTS)
            if i == event_index:
                origin = Origin(SOURCE, arg.arg, LAMBDA_EVENT, line, col, refinable=True)
            elif i == 0 and id(func) in self.stream_handlers:
                origin = Origin(SOURCE, arg.arg, SOCKET_DATA, line, col, refinable=True)
            elif route and not (i == 0 and arg.arg in ("self", "cls")) and not injected:
                if arg.arg in converted or self._numeric_annotation(arg.annotation):
                    state[arg.arg] = CLEAN  # the framework converts it: `<int:n>`, `n: int`
                    continue
                origin = Origin(SOURCE, arg.arg, ROUTE, line, col, refinable=True)
            elif (command_line or typer) and not self._cli_context(arg.annotation):
                if arg.arg in checked or (typer and self._numeric_annotation(arg.annotation)):
                    state[arg.arg] = CLEAN  # click's `type=int`, typer's `n: int`: converted before the call
                    continue
                origin = Origin(SOURCE, arg.arg, ARGV, line, col, refinable=True)
            else:
                origin = Origin(PARAM, arg.arg, f"parameter of `{name}()`", line, col, refinable=True,
                                param=arg.arg)
            state[arg.arg] = Val(frozenset({origin}))
        return state

    def request_names(self, func: FunctionNode | ast.Module) -> frozenset[str]:
        """The parameters of `func` that hold a Django or DRF request, by position whatever their name:
        the first of an `@api_view` function or of a function Django's own view decorators wrap
        (`@require_GET`, `@csrf_exempt`, `@login_required`), a view class's handler method's after `self`."""
        if isinstance(func, (ast.Module, ast.Lambda)):
            return frozenset()
        found = self._requests.get(id(func))
        if found is None:
            params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
            names: set[str] = set()
            cls = self.method_class(func)
            if params and any(self._decorator_name(d) in API_VIEW_DECORATORS for d in func.decorator_list):
                names.add(params[0])
            elif params and cls is None and any(
                    self._decorator_name(d).startswith(VIEW_DECORATOR_MODULES) for d in func.decorator_list):
                names.add(params[0])
            if (cls is not None and len(params) > 1 and not _static(func)
                    and (func.name in VIEW_METHODS or any(self._decorator_name(d) in VIEW_ACTION_DECORATORS
                                                          for d in func.decorator_list))
                    and self._view_class(cls, 0)):
                names.add(params[1])
            found = self._requests[id(func)] = frozenset(names)
        return found

    def _decorator_name(self, decorator: ast.expr) -> str:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        resolved = self.names.resolve(target)
        if resolved is not None:
            return resolved
        return target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""

    def _view_class(self, cls: ast.ClassDef, depth: int) -> bool:
        """A Django `View` or a DRF `APIView`/`ViewSet`, also through a base class of this module."""
        for base in cls.bases:
            resolved = self.names.resolve(base) or ""
            if resolved.startswith(VIEW_BASE_MODULES):
                return True
            local = self.top_classes.get(base.id) if isinstance(base, ast.Name) else None
            if local is not None and local is not cls and depth < 8:
                if self._view_class(local, depth + 1):
                    return True
                continue
            last = resolved.rsplit(".", 1)[-1] if resolved else (base.id if isinstance(base, ast.Name) else "")
            if last.endswith(VIEW_BASE_SUFFIXES) and self._imports_web_framework():
                return True
        return False

    def _imports_web_framework(self) -> bool:
        if self._web_framework is None:
            roots = {alias.name.split(".")[0] for imp in self.ctx.index.imports if isinstance(imp, ast.Import)
                     for alias in imp.names}
            roots |= {(imp.module or "").split(".")[0] for imp in self.ctx.index.imports
                      if isinstance(imp, ast.ImportFrom)}
            self._web_framework = bool(roots & {m.split(".")[0] for m in VIEW_BASE_MODULES})
        return self._web_framework

    def _numeric_annotation(self, annotation: ast.expr | None) -> bool:
        """`int`, `float`, `bool`, `uuid.UUID`, a `Literal` of constants or an `Enum` of the module,
        optionally `| None` or `Optional[...]`: FastAPI converts the request's text to that type, or checks
        it is one of those constants (or answers 422), so nothing else reaches the view."""
        if annotation is None:
            return False
        if isinstance(annotation, ast.Name) and annotation.id in self.top_classes:
            return self.is_enum(self.top_classes[annotation.id])  # `mode: Mode`, an `Enum` of the module
        if isinstance(annotation, ast.Subscript) and self.names.resolve(annotation.value) in LITERAL_ANNOTATIONS:
            choices = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            return all(isinstance(c, ast.Constant) for c in choices)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            parts = [annotation.left, annotation.right]
            return any(self._numeric_annotation(p) for p in parts) and all(
                self._numeric_annotation(p) or (isinstance(p, ast.Constant) and p.value is None) for p in parts)
        if isinstance(annotation, ast.Subscript) and self.names.resolve(annotation.value) == "typing.Optional":
            return self._numeric_annotation(annotation.slice)
        if isinstance(annotation, ast.Subscript) and self.names.resolve(annotation.value) in ANNOTATED:
            parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            return bool(parts) and self._numeric_annotation(parts[0])
        return self.names.resolve(annotation) in CONVERTED_ANNOTATIONS

    def numeric_fields(self, func: FunctionNode | ast.Module) -> dict[str, frozenset[str]]:
        """For a route's parameters annotated with a model class of this module (a pydantic request
        body), the fields that model declares as numbers: FastAPI converts them before the view runs."""
        if isinstance(func, (ast.Module, ast.Lambda)) or not self.routed(func):
            return {}
        found = self._numeric_fields.get(id(func))
        if found is None:
            found = {}
            for arg in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs):
                cls = self.top_classes.get(arg.annotation.id) if isinstance(arg.annotation, ast.Name) else None
                if cls is not None:
                    found[arg.arg] = self._model_numbers(cls, 0)
            self._numeric_fields[id(func)] = found
        return found

    def _model_numbers(self, cls: ast.ClassDef, depth: int) -> frozenset[str]:
        fields = {stmt.target.id for stmt in cls.body if isinstance(stmt, ast.AnnAssign)
                  and isinstance(stmt.target, ast.Name) and self._numeric_annotation(stmt.annotation)}
        for base in cls.bases:
            local = self.top_classes.get(base.id) if isinstance(base, ast.Name) else None
            if local is not None and local is not cls and depth < 8:
                fields |= self._model_numbers(local, depth + 1)
        # a field the class declares again with another type is not a number
        redeclared = {stmt.target.id for stmt in cls.body if isinstance(stmt, ast.AnnAssign)
                      and isinstance(stmt.target, ast.Name) and not self._numeric_annotation(stmt.annotation)}
        return frozenset(fields - redeclared)

    def _annotation_metadata(self, annotation: ast.expr | None) -> tuple[str, ...]:
        """The calls in an `Annotated[T, Depends(f), typer.Option()]` annotation's metadata, resolved."""
        if not (isinstance(annotation, ast.Subscript) and self.names.resolve(annotation.value) in ANNOTATED
                and isinstance(annotation.slice, ast.Tuple)):
            return ()
        return tuple(self.names.resolve(m.func) or "" for m in annotation.slice.elts[1:] if isinstance(m, ast.Call))

    def _cli_context(self, annotation: ast.expr | None) -> bool:
        return annotation is not None and self.names.resolve(annotation) in CLI_CONTEXTS

    def _typer_command(self, func: FunctionNode) -> bool:
        """`@app.command()` of a module-level `app = typer.Typer()`, or a function run by `typer.run(f)`."""
        if isinstance(func, ast.Lambda):
            return False
        if self._typer_apps is None:
            apps: set[str] = set()
            run: set[str] = set()
            tree = self.ctx.tree
            # only a name imported from typer resolves to a typer name: without one, no walk of the calls
            typer = any(base == "typer" or base.startswith("typer.") for base in self.names.aliases.values())
            for stmt in tree.body if typer and isinstance(tree, ast.Module) else []:
                if (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)
                        and self.names.resolve(stmt.value.func) in TYPER_APPS):
                    apps.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
            for call, _ in self.ctx.index.calls if typer else ():
                if call.args and isinstance(call.args[0], ast.Name) and self.names.resolve(call.func) in TYPER_RUN:
                    run.add(call.args[0].id)
            self._typer_apps = (frozenset(apps), frozenset(run))
        apps_, run_ = self._typer_apps
        if func.name in run_ and self.module_defs.get(func.name) is func:
            return True
        return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                   and d.func.attr in TYPER_COMMAND_METHODS and isinstance(d.func.value, ast.Name)
                   and d.func.value.id in apps_ for d in func.decorator_list)

    def _cli_command(self, func: FunctionNode) -> bool:
        """A click command: its parameters are the command line's options and arguments."""
        if isinstance(func, ast.Lambda):
            return False
        return any(isinstance(d, ast.Call) and self.names.resolve(d.func) in CLICK_DECORATORS
                   for d in func.decorator_list)

    def _checked_click_params(self, func: FunctionNode) -> frozenset[str]:
        """click parameters that can only hold a number, a truth value or one of constant choices:
        `type=int`, `type=click.Choice([...])`, `is_flag=True`, or no type and a numeric default (click
        takes the type from the default)."""
        if isinstance(func, ast.Lambda):
            return frozenset()
        found: set[str] = set()
        for decorator in func.decorator_list:
            if not (isinstance(decorator, ast.Call) and self.names.resolve(decorator.func) in CLICK_DECORATORS):
                continue
            name = _click_param_name(decorator)
            if name is not None and self._click_checked(decorator):
                found.add(name)
        return frozenset(found)

    def _click_checked(self, decorator: ast.Call) -> bool:
        keywords = {k.arg: k.value for k in decorator.keywords if k.arg}
        flags = [keywords.get(k) for k in CLICK_FLAG_KEYWORDS]
        if any(isinstance(f, ast.Constant) and f.value is True for f in flags):
            return True
        kind = keywords.get("type")
        if kind is None:
            default = keywords.get("default")
            return (isinstance(default, ast.Constant) and isinstance(default.value, (int, float))
                    and "multiple" not in keywords and "flag_value" not in keywords)
        target = kind.func if isinstance(kind, ast.Call) else kind
        resolved = self.names.resolve(target)
        if resolved in CLICK_CHECKED_TYPES:
            return True
        if resolved in CLICK_CHOICE and isinstance(kind, ast.Call) and kind.args:
            return _literal(kind.args[0]) and not isinstance(kind.args[0], (ast.Constant, ast.Dict))
        return False

    def find_sinks(self) -> None:
        # `from os import popen as open_pipe`: the local name of a sink imported under another name
        renamed = {alias.asname for imp in self.ctx.index.imports if isinstance(imp, ast.ImportFrom)
                   for alias in imp.names if alias.asname and alias.name in self._candidates}
        aliases = self._sink_aliases()
        candidates, attribute, name = self._candidates | renamed | set(aliases), ast.Attribute, ast.Name
        for call, scope in self.ctx.index.calls_named(candidates):
            func = call.func
            kind = type(func)
            if kind is attribute:
                if func.attr not in candidates:  # type: ignore[attr-defined]
                    continue
            elif kind is not name or func.id not in candidates:  # type: ignore[attr-defined]
                continue
            alias = aliases.get(func.id) if kind is name else None  # type: ignore[attr-defined]
            if alias is not None:
                if scope is not None and func.id in self.shadowed(scope):  # type: ignore[attr-defined]
                    continue
                bound_api, bound = alias
                merged = ast.Call(func=func, args=call.args, keywords=[*bound, *call.keywords])
                found = classify(merged, bound_api, self.extra_sinks)
                if found is not None:
                    self.sinks[id(call)] = (dataclasses.replace(found, call=call), scope)
                continue
            # Resolving and classifying first, and asking whether the function rebinds the name only
            # then, keeps this cheap: most calls named `run` or `call` are methods of something else.
            api = self.names.resolve(func)
            if api is None:
                continue
            sink = classify(self._spread(call, scope), api, self.extra_sinks)
            if sink is not None and sink.call is not call:
                sink = dataclasses.replace(sink, call=call)
            if sink is None or (scope is not None and _root(func) in self.shadowed(scope)):
                continue
            if not (sink.kind == CODE and self.only_ast(call, scope)):
                self.sinks[id(call)] = (sink, scope)

    def _spread(self, call: ast.Call, scope: FunctionNode | None) -> ast.Call:
        """The call with the keywords it passes read where the module shows them: `**opts` of a dict the
        function (or the module) binds once to a display of constant keys and only spreads (`opts =
        {"shell": True}`), `**dict(shell=True)`, and `shell=USE_SHELL` of a module constant. Which kind of
        sink the call is depends on them; anything else is left as it is (its `shell` then unknown)."""
        if not call.keywords:
            return call
        keywords: list[ast.keyword] = []
        changed = False
        shadowed = self.shadowed(scope) if scope is not None else frozenset()
        for keyword in call.keywords:
            if keyword.arg is not None:
                value = keyword.value
                constant = self.module_value(value) if isinstance(value, ast.Name) and value.id not in shadowed else None
                if isinstance(constant, ast.Constant):
                    keywords.append(ast.keyword(arg=keyword.arg, value=constant))
                    changed = True
                else:
                    keywords.append(keyword)
                continue
            held = self._keywords_held(keyword.value, scope, shadowed)
            if held is None:
                return call
            keywords.extend(held)
            changed = True
        return ast.Call(func=call.func, args=call.args, keywords=keywords) if changed else call

    def _keywords_held(self, node: ast.expr, scope: FunctionNode | None,
                       shadowed: AbstractSet[str]) -> list[ast.keyword] | None:
        if isinstance(node, ast.Call) and not node.args and self.names.resolve(node.func, shadowed) == "dict":
            return node.keywords if all(k.arg is not None for k in node.keywords) else None
        if not isinstance(node, ast.Name):
            return None
        if node.id in shadowed and isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bindings = self.scopes.bindings_of(scope, node.id)
            value = bindings[0].value if len(bindings) == 1 and bindings[0].kind == "assign" else None
            home: ast.AST = scope
        elif node.id not in shadowed and node.id not in self.mutated_globals:
            value, home = self.module_value(node), self.ctx.tree
        else:
            return None
        if not (isinstance(value, ast.Dict) and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys)):
            return None
        if not self._only_spread(home, node.id):
            return None
        return [ast.keyword(arg=str(k.value), value=v) for k, v in zip(value.keys, value.values)
                if isinstance(k, ast.Constant)]

    def _only_spread(self, home: ast.AST, name: str) -> bool:
        """Whether every read of `name` in `home` spreads it into a call (`**opts`): a store, a method call
        or passing it on may change what it holds. Asked once per name and scope."""
        key = (id(home), name)
        known = self._spread_only.get(key)
        if known is None:
            spreads = loads = 0
            for inner in ast.walk(home):
                if isinstance(inner, ast.keyword) and inner.arg is None and isinstance(inner.value, ast.Name):
                    spreads += inner.value.id == name
                elif isinstance(inner, ast.Name) and inner.id == name and isinstance(inner.ctx, ast.Load):
                    loads += 1
            known = self._spread_only[key] = loads == spreads
        return known

    def only_ast(self, call: ast.Call, scope: FunctionNode | ast.Module | None = None) -> bool:
        """`compile(source, name, mode, flags=ast.PyCF_ONLY_AST)`: parses, runs nothing (like `ast.parse`);
        also through a local name every assignment of which sets the flag (`flags = PyCF_ONLY_AST`)."""
        flags = [k.value for k in call.keywords if k.arg == "flags"] or call.args[3:4]
        stack = list(flags)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
                stack += [node.left, node.right]
            elif isinstance(node, ast.Name) and node.id == ONLY_AST_FLAG:
                return True  # `from _ast import *`
            elif (self.names.resolve(node) or "").rsplit(".", 1)[-1] == ONLY_AST_FLAG:
                return True
            elif isinstance(node, ast.Name) and scope is not None and not isinstance(scope, ast.Module):
                values = [b.value for b in self.scopes.bindings_of(scope, node.id)
                          if b.kind == "assign" and isinstance(b.value, ast.expr)]
                if values and all(self.only_ast(ast.Call(func=call.func, args=[], keywords=[
                        ast.keyword(arg="flags", value=v)])) for v in values):
                    return True
        return False

    @cached_property
    def module_partials(self) -> dict[str, ast.Call]:
        """Module names bound once, at the top level, to `functools.partial(f, ...)` of a function of the
        module (`run_git = functools.partial(sh, "git")`): a call of the name runs `f` with both calls'
        arguments."""
        return {name: call for name, call in self._module_bindings(PARTIAL_FUNCTIONS, {"partial"}).items()
                if call.args and not call.keywords and isinstance(call.args[0], ast.Name)
                and call.args[0].id in self.module_defs and not any(isinstance(a, ast.Starred) for a in call.args)}

    @cached_property
    def module_getters(self) -> frozenset[str]:
        """Module names bound once, at the top level, to `operator.itemgetter(...)`/`attrgetter(...)`
        (`get_branch = itemgetter("branch")`): a call of the name returns a part of its argument."""
        return frozenset(self._module_bindings(ITEM_GETTERS, {"itemgetter", "attrgetter"}))

    def _module_bindings(self, callees: AbstractSet[str], short: set[str]) -> dict[str, ast.Call]:
        """Module names bound once, at the top level and never rebound, to a call of one of `callees`."""
        tree = self.ctx.tree
        if not isinstance(tree, ast.Module) or not self.ctx.index.calls_named(short):
            return {}
        found: dict[str, ast.Call] = {}
        bound: set[str] = set()
        for stmt in tree.body:
            names = ([t.id for t in stmt.targets if isinstance(t, ast.Name)] if isinstance(stmt, ast.Assign)
                     else [stmt.name] if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     else [(a.asname or a.name).split(".")[0] for a in stmt.names]
                     if isinstance(stmt, (ast.Import, ast.ImportFrom)) else [])
            for name in names:
                if name in bound:
                    found.pop(name, None)
                    continue
                bound.add(name)
                value = stmt.value if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
                if isinstance(value, ast.Call) and self.names.resolve(value.func) in callees:
                    found[name] = value
        return {name: call for name, call in found.items() if name not in self.rebound_globals()}

    def _sink_aliases(self) -> dict[str, tuple[str, list[ast.keyword]]]:
        """Module names bound once to a sink: `run = subprocess.run`, and `sh = functools.partial(
        subprocess.run, shell=True)` with the keywords it fixes."""
        tree = self.ctx.tree
        if not isinstance(tree, ast.Module):
            return {}
        found: dict[str, tuple[str, list[ast.keyword]]] = {}
        bound: set[str] = set()
        for stmt in tree.body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
                continue
            target, value = stmt.targets[0].id, stmt.value
            if target in bound:
                found.pop(target, None)
                continue
            bound.add(target)
            keywords: list[ast.keyword] = []
            if (isinstance(value, ast.Call) and len(value.args) == 1
                    and self.names.resolve(value.func) == "functools.partial"):
                keywords, value = value.keywords, value.args[0]
            if not isinstance(value, (ast.Name, ast.Attribute)):
                continue
            api = self.names.resolve(value)
            if api is not None and api.rsplit(".", 1)[-1] in self._candidates and classify(
                    ast.Call(func=value, args=[], keywords=keywords), api, self.extra_sinks) is not None:
                found[target] = (api, keywords)
        # a name also bound by a def, a class or an import at module level is not (only) the sink
        for stmt in tree.body if found else ():
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.pop(stmt.name, None)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    found.pop((alias.asname or alias.name).split(".")[0], None)
        return found

    @cached_property
    def _sink_scopes(self) -> frozenset[int]:
        return frozenset(id(scope) for _, scope in self.sinks.values())

    def run(self) -> list[Verdict]:
        self.find_sinks()
        if not self.sinks:
            return []
        hits: dict[int, list[tuple[str, Origin]]] = {key: [] for key in self.sinks}
        done: set[int] = set()
        pending: list[FunctionNode | None] = []
        seen: set[int] = set()
        for _, scope in self.sinks.values():
            if id(scope) not in seen:
                seen.add(id(scope))
                pending.append(scope)
        passed: set[int] = set()
        while pending:
            scope = pending.pop(0)
            if id(scope) in done or id(scope) in passed:
                continue
            if (id(scope) not in seen or not self.review) and not self._may_see_input(scope):
                # A caller adds to a sink only the input it hands down; none can arise in it, in what it
                # calls, or in any function above it (whose callers it would bring in). Without `review`,
                # a function's own sinks count only for input, and are passed over the same way.
                passed.add(id(scope))
                continue
            done.add(id(scope))
            if scope is None:
                module = self.ctx.tree
                summary = self._interpret(module) if isinstance(module, ast.Module) else None
            else:
                summary = self.summarise(scope)
            if summary is None:
                continue
            for sink, role, origin in summary.hits:
                if id(sink.call) in hits:
                    hits[id(sink.call)].append((role, origin))
            if summary.param_sinks and scope is not None:
                for caller in self._callers_of(scope):
                    if id(caller) not in done:
                        pending.append(caller)
        # Summaries interpreted on demand record the hits of their own sinks too.
        for key, summary in self._summaries.items():
            if summary is not None and key not in done:
                for sink, role, origin in summary.hits:
                    if id(sink.call) in hits:
                        hits[id(sink.call)].append((role, origin))
        return [self._verdict(sink, hits[key]) for key, (sink, _) in self.sinks.items()]

    def _may_see_input(self, scope: FunctionNode | None) -> bool:
        """Whether external input may arise in `scope` or in a function that calls it (transitively),
        in a function either calls, or in the function around either (taint_words)."""
        known = self._sees_input.get(id(scope))
        if known is None:
            known = self._sees_input[id(scope)] = self._input_above(scope)
        return known

    def _input_above(self, scope: FunctionNode | None) -> bool:
        # Every function met on the way up is answered too, so that a chain of N callers costs N steps,
        # not N for each of them: one with no input anywhere above it when the search fails (all of its
        # callers were searched), and each on the way from `scope` to the function with input when it
        # succeeds (that function is above each of them).
        answers = self._sees_input
        via: dict[int, int | None] = {id(scope): None}
        stack: list[FunctionNode | None] = [scope]
        while stack:
            current = stack.pop()
            key: int | None = id(current)
            known = answers.get(id(current))
            if known is False:
                continue  # nothing in it or above it
            if known or self._input_below(current):
                while key is not None:
                    answers[key] = True
                    key = via[key]
                return True
            for caller in self._callers_of(current):
                if id(caller) not in via:
                    via[id(caller)] = id(current)
                    stack.append(caller)
        for seen in via:
            answers[seen] = False
        return False

    def input_within(self, scope: FunctionNode) -> bool:
        """Whether external input may arise in `scope` or in what it calls (`_input_below`)."""
        return self._input_below(scope)

    def _input_below(self, scope: FunctionNode | None) -> bool:
        """Whether external input may arise in `scope`, in a function it calls or in the function around
        it, transitively: what its interpretation can see."""
        known = self._input.get(id(scope))
        if known is not None:
            return known
        stack: list[FunctionNode | None] = [scope]
        seen: set[int] = {id(scope)}
        while stack:
            current = stack.pop()
            known = self._input.get(id(current))
            if known is False:
                continue  # nothing below it either
            if known or self._input_here(current):
                self._input[id(scope)] = True
                return True
            for below in self._below(current):
                if id(below) not in seen:
                    seen.add(id(below))
                    stack.append(below)
        for key in seen:
            self._input[key] = False
        return False

    def _below(self, scope: FunctionNode | None) -> list[FunctionNode]:
        """The functions whose summaries or locals `scope`'s interpretation reads: the module functions
        it may call (shadowing ignored: one too many is harmless) and the function around it."""
        calls = self.calls_of(scope) if scope is not None else self._module_calls()
        found = [t for t in (self.callee(c, scope, frozenset()) for c in calls) if t is not None]
        for call in calls:
            # `ReportJob()`: its `__init__` runs, and may read input itself (`request.args`)
            cls = self.top_classes.get(call.func.id) if isinstance(call.func, ast.Name) else None
            init = self.inherited(cls, "__init__") if cls is not None else None
            if init is not None:
                found.append(init)
        parent = self._parent(scope) if scope is not None else None
        return [*found, parent] if parent is not None else found

    def _module_calls(self) -> list[ast.Call]:
        """The calls of the module's own code (class bodies included), from the index."""
        if self._at_module is None:
            self._at_module = [call for call, owner in self.ctx.index.calls if owner is None]
        return self._at_module

    def _input_here(self, scope: FunctionNode | None) -> bool:
        """Whether `scope`'s own code names a source (taint_words), or its parameters are input."""
        if not self._lines_cover_tree:
            return True  # no text to read (`check_tree(tree)` without its lines): input may arise anywhere
        # a name the function binds itself is its own there, not the module's import or global
        text = self._text(scope)
        if self._source_words().search(text, lambda: self.shadowed(scope)):
            return True
        if scope is not None and self._input_classes and self._reads_input_class(scope, text):
            return True
        if scope is not None and self._instance_input(scope):
            return True  # a method of a class whose `__init__` stores input in the instance
        return scope is not None and (self._input_parameters(scope) or bool(self.request_names(scope)))

    def _instance_input(self, scope: FunctionNode) -> bool:
        if isinstance(scope, ast.Lambda) or scope.name == "__init__" or not scope.args.args:
            return False
        cls = self.method_class(scope)
        init = self.inherited(cls, "__init__") if cls is not None else None
        if init is None or init is scope or id(init) in self._members_asked:
            return False
        # the methods `__init__` calls are searched from it: they do not ask about it again
        self._members_asked.add(id(init))
        try:
            return self._input_below(init)
        finally:
            self._members_asked.discard(id(init))

    @cached_property
    def _input_classes(self) -> frozenset[str]:
        """The module classes whose body binds an attribute from words of a source (`bucket =
        sys.argv[1]`): reading `Opts.bucket`, or `self.bucket` in a method, may read input."""
        lines = self.ctx.lines
        found: set[str] = set()
        for name, cls in self.top_classes.items():
            for stmt in cls.body:
                if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None and not _literal(stmt.value):
                    text = "\n".join(lines[stmt.lineno - 1:stmt.end_lineno or stmt.lineno])
                    if self._source_words().search(text, frozenset):
                        found.add(name)
                        break
        return frozenset(found)

    def _reads_input_class(self, scope: FunctionNode, text: str) -> bool:
        cls = self.method_class(scope)
        if cls is not None and cls.name in self._input_classes and re.search(r"\b(self|cls)\.", text):
            return True
        return any(re.search(rf"\b{re.escape(name)}\.", text) for name in self._input_classes)

    @cached_property
    def _lines_cover_tree(self) -> bool:
        tree = self.ctx.tree
        body = tree.body if isinstance(tree, ast.Module) else []
        last = getattr(body[-1], "end_lineno", None) if body else 0
        return isinstance(last, int) and len(self.ctx.lines) >= last

    def _input_parameters(self, func: FunctionNode) -> bool:
        """Whether `_parameters` makes a parameter of `func` input. Without decorators, defaults or
        annotations only a Lambda handler's event or a typer command's parameters are."""
        args = func.args
        plain = not isinstance(func, ast.Lambda) and not func.decorator_list and not args.defaults and not any(
            d is not None for d in args.kw_defaults) and not any(a.annotation is not None for a in (
                *args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg) if a is not None)
        if plain:
            has_parameters = bool(args.posonlyargs or args.args or args.vararg or args.kwonlyargs or args.kwarg)
            return is_lambda_handler(func) or (has_parameters and (
                id(func) in self.url_rule_views or id(func) in self.stream_handlers or self._typer_command(func)))
        return any(o.kind == SOURCE for v in self._parameters(func).values() for o in v.taint)

    def _text(self, scope: FunctionNode | ast.stmt | None) -> str:
        """The lines of `scope`; for None, those of the code the module runs itself: its statements, and
        of its functions and classes the decorators and the header (defaults, bases), not the bodies."""
        lines = self.ctx.lines
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # the body the interpretation runs, after the docstring (its decorators and defaults run
            # around it, its parameters are asked about apart)
            body = scope.body
            start = body[1] if len(body) > 1 and is_docstring(body[0]) else body[0]
            return "\n".join(lines[start.lineno - 1:scope.end_lineno or scope.lineno])
        if scope is not None:
            return "\n".join(lines[scope.lineno - 1:scope.end_lineno or scope.lineno])
        tree = self.ctx.tree
        spans: list[tuple[int, int]] = []
        pending: list[ast.stmt] = list(tree.body) if isinstance(tree, ast.Module) else []
        while pending:
            stmt = pending.pop()
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                first = min([stmt.lineno, *(d.lineno for d in stmt.decorator_list)])
                spans.append((first, max(stmt.lineno, stmt.body[0].lineno - 1)))
                if isinstance(stmt, ast.ClassDef):
                    pending.extend(stmt.body)  # a class body runs with the module (`bucket = sys.argv[1]`)
            else:
                spans.append((stmt.lineno, stmt.end_lineno or stmt.lineno))
        spans.sort()
        return "\n".join(line for first, last in spans for line in lines[first - 1:last])

    def _source_words(self) -> Words:
        if self._words is None:
            tree = self.ctx.tree
            bound = set(self.http_clients(tree)) if isinstance(tree, ast.Module) else set()
            words = source_words(self.names.aliases, self.user_sources, bound)
            # A module global holds input only when a statement of the module's own code binds it from
            # words that do (the functions' bodies are not run there): those statements' names join the
            # words, until none is added.
            body = [stmt for stmt in tree.body if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                       ast.ClassDef))] if isinstance(tree, ast.Module) else []
            while body and words.search("\n".join(map(self._text, body))):  # one scan rules most modules out
                taking = [stmt for stmt in body if words.search(self._text(stmt))]
                if not taking:
                    break
                body = [stmt for stmt in body if stmt not in taking]
                bound.update(name for stmt in taking for node in ast.walk(stmt) for name in _bound_by(node))
                words = source_words(self.names.aliases, self.user_sources, bound)
            self._words = words
        return self._words

    def _callers_of(self, func: FunctionNode | None) -> list[FunctionNode | None]:
        """The functions with a call that may run `func` (None for the module's own code), in source
        order. Shadowing is not checked here: a caller too many is only interpreted once for nothing.
        Only the calls spelt with `func`'s name are resolved, and only for the functions asked about."""
        if func is None:
            return []  # no call runs the module by name
        found = self._callers_cache.get(id(func))
        if found is None:
            name = self._lambda_name(func) if isinstance(func, ast.Lambda) else func.name
            found = [scope for call, scope in self.ctx.index.calls_named({name})
                     if self.callee(call, scope, frozenset()) is func] if name else []
            if name and self.defers:
                # `executor.submit(run, cmd)`, `Thread(target=run, args=(cmd,))`: a call that runs it
                found += [scope for call, scope in self.ctx.index.calls_named(_DEFERRING)
                          if scope not in found and any(isinstance(a, ast.Name) and a.id == name
                                                        for a in (*call.args, *(k.value for k in call.keywords)))]
            found += [scope for scope in self._table_callers(func) if scope not in found]
            aliases = {alias for alias, partial in self.module_partials.items()
                       if isinstance(partial.args[0], ast.Name) and partial.args[0].id == name}
            if aliases:
                # `run_git(ref)` after `run_git = functools.partial(sh, "git")`
                found += [scope for call, scope in self.ctx.index.calls_named(aliases)
                          if isinstance(call.func, ast.Name) and scope not in found]
            for attr in [a for a, targets in self.dispatched.items() if func in targets]:
                # `args.func(args)` after `set_defaults(func=<this function>)`
                found += [scope for call, scope in self.ctx.index.calls_named({attr})
                          if isinstance(call.func, ast.Attribute) and scope not in found]
            cls = self.method_class(func) if name == "__init__" else None
            if cls is not None and self.top_classes.get(cls.name) is cls:
                # `Snapshot(event["volume"])` runs `Snapshot.__init__` (interpreted through `construct`), as
                # does the call of a subclass that does not define its own
                names = {cls.name, *(c.name for c in self._subclasses_using(cls, "__init__"))}
                found += [scope for call, scope in self.ctx.index.calls_named(names)
                          if isinstance(call.func, ast.Name) and scope not in found]
            self._callers_cache[id(func)] = found
        return found

    @cached_property
    def _named_lambdas(self) -> dict[tuple[int, str], ast.Lambda]:
        """The lambdas with a sink of their own that one assignment binds to a name, by (the id of the
        function binding it, or 0 for the module; the name): `run = lambda c: subprocess.run(c, shell=True)`
        then `run(event["cmd"])` is a call of a function of the module like any other."""
        found: dict[tuple[int, str], ast.Lambda] = {}
        tree = self.ctx.tree
        for _, scope in self.sinks.values():
            if not isinstance(scope, ast.Lambda):
                continue
            parent = self._parent(scope)
            owner = parent if parent is not None else tree if isinstance(tree, ast.Module) else None
            own = self.scopes.own_scope(owner) if owner is not None else None
            for name, each in own.bindings.items() if own is not None else ():
                if len(each) == 1 and each[0].kind == "assign" and each[0].value is scope:
                    found[(id(parent) if parent is not None else 0, name)] = scope
        return found

    @cached_property
    def lambda_names(self) -> frozenset[str]:
        return frozenset(name for _, name in self._named_lambdas)

    def named_lambda(self, scope: FunctionNode | None, name: str) -> FunctionNode | None:
        if name not in self.lambda_names:
            return None
        return self._named_lambdas.get((id(scope) if scope is not None else 0, name))

    def _lambda_name(self, func: ast.Lambda) -> str | None:
        return next((name for (_, name), each in self._named_lambdas.items() if each is func), None)

    def _verdict(self, sink: Sink, hits: list[tuple[str, Origin]]) -> Verdict:
        counted = [(role, origin, _effective(role, origin)) for role, origin in hits]
        for wanted in ((SOURCE,), (PARAM, DYNAMIC)):
            found = sorted(((r, o, k) for r, o, k in counted if k in wanted and (k == SOURCE or r != PROGRAM)),
                           key=lambda h: (h[1].sort_key(), h[0]))
            if found:
                return Verdict(sink, *found[0])
        return Verdict(sink, None, None)


# a helper interpreted again for its caller's arguments is a short one, and at most this many are nested
_RESHAPED_LINES = 30
_MAX_RESHAPING = 3
# the words of a validator's text: a way to stop, and a check that can guard (see `may_validate`)
_STOPS = ("raise", "exit(", "abort(")
_CHECKS = (" in ", "match(", ".is", "==")
_COMPOUND = tuple(k for k in (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
                               getattr(ast, "TryStar", None), ast.Match, ast.FunctionDef, ast.AsyncFunctionDef,
                               ast.ClassDef) if k is not None)
# what follows `.attr` in `.attr = `, `.attr += `, `.attr: T = ` (no nested repetition: linear)
_STORE_AFTER = re.compile(r"[ \t]*(?::|(?:[-+*/%&|^@]|//|\*\*|>>|<<)?=(?!=))")
_HTTP_CLIENT_ROOTS = frozenset(c.split(".", 1)[0] for c in HTTP_CLIENTS)
_SOURCE_PREFIXES = tuple(SOURCE_NAME_PREFIXES)


def _effective(role: str, origin: Origin) -> str | None:
    """What an origin counts as at this sink: SOURCE, DYNAMIC (review it), or None (harmless).

    A quoted literal (`repr()`, `%r`) in code is data, not code. Every other source counts as input
    wherever it goes: the environment and files are sources by the specification, also where they
    choose the program (`[os.environ["EDITOR"], path]`) or hold a script handed to `exec`.
    """
    if role in (CODE, PYTHON) and origin.literal:
        return None
    return origin.kind


def _click_param_name(decorator: ast.Call) -> str | None:
    """The parameter a click option or argument fills: the name written without dashes, else the first
    long option (`--dry-run` → `dry_run`), else the first short one."""
    names = [a.value for a in decorator.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    plain = [n for n in names if n.isidentifier()]
    if plain:
        return plain[0]
    dashed = [n.split("/")[0].strip() for n in names if n.startswith("-")]
    long = [n for n in dashed if n.startswith("--")]
    chosen = (long or dashed or [""])[0].lstrip("-").replace("-", "_").lower()
    return chosen or None


def _s3_object(node: ast.expr) -> bool:
    """`s3.Object(bucket, key)`, `bucket.Object(key)`: boto3's resource for one S3 object."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in S3_OBJECT_RESOURCES)


def _argparse_dest(call: ast.Call) -> str | None:
    """The attribute `parse_args()` stores an `add_argument(...)` under."""
    for keyword in call.keywords:
        if keyword.arg == "dest":
            return keyword.value.value if isinstance(keyword.value, ast.Constant) and isinstance(
                keyword.value.value, str) else None
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not names:
        return None
    long = [n for n in names if n.startswith("--")]
    chosen = long[0][2:] if long else names[0].lstrip("-")
    return chosen.replace("-", "_") or None


# dataclasses' `field()` and pydantic's `Field()`: a field's declaration, whose `default` is its value
_FIELD_SPECS = frozenset({"field", "Field"})


def _literal(node: ast.expr) -> bool:
    """A constant, or a tuple/list/set/dict display of constants."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(isinstance(e, ast.Constant) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(e, ast.Constant) for e in (*node.keys, *node.values) if e is not None)
    return False


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


# the last names of the calls that may run a function handed to them
_DEFERRING = frozenset({*DEFERRED_METHODS, *(n.rsplit(".", 1)[-1] for n in DEFERRED_FUNCTIONS), *MAPPING_METHODS,
                        *MAPPING_FUNCTIONS, *(n.rsplit(".", 1)[-1] for n in THREAD_CLASSES)})


def _classmethod(func: FunctionNode) -> bool:
    return not isinstance(func, ast.Lambda) and any(
        isinstance(d, ast.Name) and d.id == "classmethod" for d in func.decorator_list)


def _static(func: FunctionNode) -> bool:
    return not isinstance(func, ast.Lambda) and any(
        isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list)


def _defaults(func: FunctionNode) -> dict[str, ast.expr]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    out = {a.arg: d for a, d in zip(positional[len(positional) - len(args.defaults):], args.defaults)}
    out.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    return out


def analyse(ctx: Context, options: TaintOptions = TaintOptions(), interpret: bool = True,
            review: bool = True) -> list[Verdict]:
    """A verdict for every sink call of the module, in source order; with `interpret` False, the sinks
    alone (no origin for any of them), without running the interpretation. With `review` False only
    external input counts: a sink no input can reach gets no origin even where a parameter or an
    unknown value reaches it (what AWS403 reports), and the functions around it are not interpreted."""
    engine = Engine(ctx, options, review)
    if interpret:
        verdicts = engine.run()
    else:
        engine.find_sinks()
        verdicts = [Verdict(sink, None, None) for sink, _ in engine.sinks.values()]
    return sorted(verdicts, key=lambda v: (v.sink.call.lineno, v.sink.call.col_offset))


def _bound_by(node: ast.AST) -> tuple[str, ...]:
    """The name `node` itself binds, if any: an assigned name, a `match` capture, an `except ... as`."""
    if isinstance(node, ast.Name):
        return (node.id,) if isinstance(node.ctx, ast.Store) else ()
    name = getattr(node, "rest", None) if node.__class__.__name__ == "MatchMapping" else getattr(node, "name", None)
    binds = isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar, ast.MatchMapping))
    return (name,) if binds and isinstance(name, str) else ()


def _stored_attributes(root: ast.AST) -> frozenset[str]:
    """The attributes `root`'s code assigns (`x.attr = ...`, `for x.attr in ...`, `with ... as x.attr`)."""
    return frozenset(node.attr for node in breadth_first(root)
                     if node.__class__ is ast.Attribute and node.ctx.__class__ is ast.Store)


def _statements_by_line(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[int, list[ast.stmt]]:
    """The statements of `func` (nested ones included) by the line each starts on."""
    found: dict[int, list[ast.stmt]] = {}
    stack: list[list[ast.stmt]] = [func.body]
    while stack:
        for stmt in stack.pop():
            found.setdefault(stmt.lineno, []).append(stmt)
            if isinstance(stmt, _COMPOUND):
                for inner in (getattr(stmt, "body", None), getattr(stmt, "orelse", None),
                              getattr(stmt, "finalbody", None)):
                    if inner:
                        stack.append(inner)
                for part in getattr(stmt, "handlers", None) or getattr(stmt, "cases", None) or ():
                    stack.append(part.body)
    return found


def _self_stores(stmt: ast.stmt, attr: str) -> int | None:
    """How many `self.attr = ...` targets `stmt` has; None when it stores `.attr` any other way."""
    if isinstance(stmt, ast.Assign):
        count = 0
        for target in stmt.targets:
            if isinstance(target, ast.Attribute) and target.attr == attr:
                if not (isinstance(target.value, ast.Name) and target.value.id == "self"):
                    return None
                count += 1
            elif _stores_attr(target, attr):
                return None  # `self.attr, other = pair`
        return count
    targets: list[ast.AST] = []
    if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]
    return None if any(_stores_attr(t, attr) for t in targets) else 0


def _stores_attr(node: ast.AST, attr: str) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == attr and isinstance(n.ctx, ast.Store)
               for n in breadth_first(node))


def _initialises(func: FunctionNode) -> bool:
    """An `__init__` with parameters: what it stores in the instance is part of its summary (asked only
    where a function interpreted constructs the class)."""
    return (isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and func.name == "__init__"
            and len(func.args.args) + len(func.args.kwonlyargs) > 1)


def _dropped_calls(func: FunctionNode) -> set[int]:
    """The calls `func` makes as statements of their own (`notify(x)`), whose value goes nowhere."""
    body = func.body if isinstance(func.body, list) else []
    return {id(stmt.value) for stmt in own_statements(body)
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)}
