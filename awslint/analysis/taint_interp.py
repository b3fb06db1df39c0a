"""Taint through one function: an abstract interpretation over its control-flow graph, flow-sensitive.

The function's (or the module's) graph is the one every family follows (`awslint.analysis.cfg`), and
the interpretation is a forward dataflow over it (`awslint.analysis.taint_flow`): a state (name or
access path -> value) at each node, the evaluation of the node's statement as its transfer. The two
outcomes of an `if` start from the state before it, narrowed by its guards, and meet after it, so a
value re-assigned from a constant is clean again, and a sanitiser or allow-list check on one branch does
not clean the other. A path that cannot fall through (`raise`, `return`, `sys.exit()`) does not reach
the code after it, which is what makes `if x not in ALLOWED: raise` a guard. A handler sees the state
each statement that may raise started from. Loops are followed round their back edges until their
state stops changing (a few rounds at most: origins are capped and never repeat a hop).

The interpreter knows nothing of rules: it reports every value that reaches a sink to the engine, and
summarises the function for its callers (what it returns, which parameters reach which sink).
"""
from __future__ import annotations

import ast
import copy
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from awslint.analysis.cfg import FALSE, TRUE, Cfg, Node, NodeKind
from awslint.analysis.index import FunctionNode
from awslint.analysis.scopes import own_statements
from awslint.analysis.taint_flow import forward, widened
from awslint.analysis.taint_regex import safe_pattern, strips_unsafe
from awslint.analysis.taint_scan import percent_conversions
from awslint.data.taint import (
    ARGPARSE_METHODS,
    ARGUMENT_METHODS,
    ARGV,
    CHALICE_REQUEST_ATTR,
    CHECKED_ARGUMENT_TYPES,
    CLEAN_METHODS,
    CLEAN_RESULTS,
    CONFIGURED,
    CONFIG_CALLS,
    CONFIG_NAMES,
    CONSTANT_ATTRS,
    CONTAINER_RESULTS,
    DATE_METHODS,
    ELEMENT_KEEPING,
    DEFERRED_FUNCTIONS,
    DEFERRED_METHODS,
    ELEMENT_METHODS,
    ENUM_MEMBER_MAPS,
    ENUMERATE,
    HTTP,
    HTTP_MODULES,
    HTTP_VERBS,
    ITEM_GETTERS,
    KEYWORD_READ_METHODS,
    LITERAL_CALLS,
    LOCAL_FILE,
    MAPPING_FUNCTIONS,
    MAPPING_METHODS,
    MODEL_PARSERS,
    MUTATORS,
    PARTIAL_FUNCTIONS,
    PATH_METHODS,
    PROGRAM_PATH,
    PROPERTY_DECORATORS,
    PROGRAM_PATH_WHAT,
    PROPAGATORS,
    PYTHON_EXECUTABLE,
    READ_METHODS,
    REGEX_ANCHORS,
    REORDER,
    ROUTE,
    REQUEST_ATTRS,
    REQUEST_NAME,
    S3_OBJECT,
    S3_OBJECT_READS,
    S3_OBJECT_RESOURCES,
    SAFE_TEST_METHODS,
    SANITIZER_NAMES,
    SANITIZERS,
    SETTINGS,
    SETTINGS_NAMES,
    SETTINGS_OBJECTS,
    SEQUENCE_RESULTS,
    SOURCE_CALLS,
    SPLIT_KEYWORDS,
    SPLITTERS,
    STRING_METHODS,
    SUBPROCESS,
    THREAD_CLASSES,
    TYPED_GETTER_KEYWORD,
    TYPED_GETTERS,
    WEB,
    Flow,
)
from awslint.analysis.taint_sinks import PROGRAM, Sink
from awslint.data.calls import FILE_OPENERS
from awslint.analysis.taint_values import (
    CLEAN,
    DYNAMIC,
    PARAM,
    SOURCE,
    Hop,
    Origin,
    State,
    Val,
    cap,
    item_of,
    joined_lead,
    join,
    union,
)

if TYPE_CHECKING:
    from awslint.analysis.taint import Engine


class Abort(Exception):
    """The function is too large to analyse within the budget: its sinks get no taint verdict."""


_BUDGET = 40_000
_BUDGET_PER_LINE = 60
_PREFIX_MAX = 12
_TEXT_MAX = 48
# Nodes that evaluate nothing: what reaches them goes on unchanged.
_PASSING: frozenset[NodeKind] = frozenset({"entry", "exit", "raise-exit", "try", "break", "continue", "reraise"})
# The kinds whose every normal edge carries the node's evaluation (or a copy narrowed from it), never
# the state before it: `except` and `case` send that state on to the next clause.
_IN_PLACE: frozenset[NodeKind] = frozenset({"stmt", "end", "if", "while", "return", "raise", "with", "assert", "match"})


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_MAX else text[: _TEXT_MAX - 3] + "..."


def unparse(node: ast.AST) -> str:
    # a name or a chain of attributes of one, the most common by far, is its own text
    parts: list[str] = []
    inner = node
    while inner.__class__ is ast.Attribute:
        parts.append(inner.attr)
        inner = inner.value
    if inner.__class__ is ast.Name:
        parts.append(inner.id)
        return shorten(".".join(reversed(parts)))
    try:
        return shorten(ast.unparse(node))
    except (ValueError, TypeError, AttributeError, RecursionError):
        return "expression"


def _root(key: str) -> str:
    """The name a tracked path starts from (`args` of `args.unit`, `event` of `event['k']`)."""
    return key.split(".", 1)[0].split("[", 1)[0]


def access_key(node: ast.AST) -> str | None:
    """`a`, `a.b.c` or `a['k']`: a path the state can track and a guard can clean."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Name):
            parts.append(node.id)
            return "".join(reversed(parts))
        if isinstance(node, ast.Attribute):
            parts.append("." + node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            parts.append(f"[{node.slice.value!r}]")
            node = node.value
        else:
            return None


@dataclass(frozen=True)
class ParamHit:
    """A parameter of the summarised function reaches `sink` (as `role`), by the hops in `origin`."""

    sink: Sink
    role: str
    origin: Origin
    # the parameter is the sink's whole argument list (`def run(cmd): subprocess.run(cmd)`): a caller's
    # list is taken apart as the sink takes it (`run(["ls", path])` runs `ls`)
    argv: bool = False


@dataclass
class Summary:
    """What callers need: the returned value (in terms of parameters) and the parameters that reach sinks."""

    name: str
    params: list[str]
    vararg: str | None
    kwonly: list[str]
    kwarg: str | None
    returns: Val = CLEAN
    param_sinks: dict[str, list[ParamHit]] = field(default_factory=dict)
    hits: list[tuple[Sink, str, Origin]] = field(default_factory=list)
    # what a method stores in its instance's attributes (`self.target = target`), in terms of parameters
    stored: dict[str, Val] = field(default_factory=dict)
    # the parameters proven clean whenever the function returns (`if name not in ALLOWED: raise`): a
    # validator, after whose call the caller's argument is clean too
    guarded: frozenset[str] = frozenset()


def _dynamic(text: str, what: str, node: ast.AST) -> Val:
    origin = Origin(DYNAMIC, shorten(text), what, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    return Val(frozenset({origin}))


def _config(text: str, what: str, node: ast.AST, refinable: bool = True) -> Val:
    """Configuration: not a constant (a shell command built from it is worth a review), not input."""
    origin = Origin(DYNAMIC, shorten(text), what, getattr(node, "lineno", 0), getattr(node, "col_offset", 0),
                    refinable=refinable)
    return Val(frozenset({origin}))


def _source(text: str, what: str, node: ast.AST, refinable: bool = True, namespace: bool = False) -> Val:
    origin = Origin(SOURCE, shorten(text), what, getattr(node, "lineno", 0), getattr(node, "col_offset", 0),
                    refinable=refinable, namespace=namespace)
    return Val(frozenset({origin}))


def refine(value: Val, node: ast.AST) -> Val:
    """A part of a whole input (`event['file']` of `event`): refinable origins now name that part."""
    if not any(o.refinable for o in value.taint):
        if any(o.namespace for o in value.taint):
            return Val(frozenset(o.changed(namespace=False) for o in value.taint))
        return Val(value.taint)
    key = access_key(node)
    text = shorten(key) if key is not None else unparse(node)
    line, col = getattr(node, "lineno", 0), getattr(node, "col_offset", 0)
    attr = node.attr if isinstance(node, ast.Attribute) else ""
    return Val(frozenset(
        # the attribute first read stays the one read (`self.event['target']` reads `.event`)
        o.changed(text=text, line=line, col=col, hops=(), what=_part_of(o), namespace=False,
                  attr=(o.attr or attr) if o.kind == PARAM else "") if o.refinable
        else o.changed(namespace=False) for o in value.taint
    ))


def _unchecked(origin: Origin, read: Origin, checked: frozenset[str]) -> bool:
    """Whether `origin`, passed to a parameter of which the callee read `read.attr`, still carries
    input: not when it is a parser's namespace and that option can only hold a number or a choice."""
    return not (origin.namespace and read.attr and read.attr in checked)


def _passed(origin: Origin, read: Origin, hops: Sequence[Hop]) -> Origin:
    """`origin` after it was passed to a parameter (`read` is what the callee did with it): still the
    attribute of a whole parameter when the caller passed a parameter of its own whole; still a quoted
    literal when the callee `repr()`'d the parameter (`f"print({path!r})"` is data to Python code)."""
    chained = _chain(origin, hops)
    if read.literal and not chained.literal:
        chained = chained.changed(literal=True)
    if origin.kind == PARAM and not origin.attr and read.attr:
        return chained.changed(attr=read.attr)
    return chained


def _part_of(origin: Origin) -> str:
    """`parameter of f()` becomes `parameter `event` of f()` once the text names a part of it."""
    if origin.kind == PARAM and origin.what.startswith("parameter of"):
        return origin.what.replace("parameter of", f"parameter `{origin.param}` of", 1)
    return origin.what


class FunctionTaint:
    """Runs the interpretation of one function (or of the module body) and fills in its `Summary`."""

    def __init__(self, engine: Engine, func: FunctionNode | ast.Module, summary: Summary,
                 initial: State, summaries: bool = True, record: bool = False) -> None:
        self.engine = engine
        self.func = func
        self.summary = summary
        self.use_summaries = summaries
        self.shadowed: frozenset[str] = frozenset() if isinstance(func, ast.Module) else engine.shadowed(func)
        self.initial = initial
        self.requests = engine.request_names(func)
        # a `for` head's iterable, evaluated once per state entering the loop: (that state, the state
        # after it, an element's value)
        self.iterables: dict[int, tuple[State, State, Val]] = {}
        # each `case` node's match: the subject's value and the case
        self.subjects: dict[int, tuple[Val, ast.match_case]] = {}
        # each `case` node's subject as a path (`event['action']`), which a constant pattern narrows
        self.subject_keys: dict[int, str] = {}
        self.unsettled = False
        # the names some state may hold a path under (`args` of `args.unit`): only their binding drops paths
        self.roots: set[str] = {_root(key) for key in initial if "." in key or "[" in key}
        # the budget grows with the function: a long function is not a function without findings
        first, last = getattr(func, "lineno", 1), getattr(func, "end_lineno", None)
        span = (last - first + 1) if isinstance(last, int) else len(engine.ctx.lines)
        self.budget = _BUDGET + _BUDGET_PER_LINE * max(span, 0)
        self.returned: bool | None = None
        self.discarded: ast.expr | None = None
        # every value a name was given: the module's globals, an enclosing function's closure variables
        self.assigned: dict[str, Val] = {}
        self.record = record or isinstance(func, ast.Module)
        # names bound to a regular-expression match of another name (`m = re.fullmatch(...)`), on demand
        self.matches: dict[str, ast.Call] | None = None
        # a method's first parameter (`self`), whose attributes it stores are part of its summary
        self._instance: str | None | bool = False
        # the parameters proven clean at every normal return so far (None: no return seen yet)
        self.left: set[str] | None = None
        # what the function yields, joined over its `yield`s (None: no yield reached)
        self.yielded: Val | None = None

    # ----------------------------------------------------------------- the graph

    def run(self) -> None:
        state = dict(self.initial)
        func = self.func
        if isinstance(func, ast.Lambda):
            self.summary.returns = self.expr(func.body, state)
            return
        forward(self.graph(), state, self, self._unsettled)
        if self.yielded is not None and self.yielded.taint:
            # a generator: calling it hands back an iterable of what it yields
            returned = self.summary.returns
            self.summary.returns = Val(cap(returned.taint | self.yielded.taint), (), items=item_of((self.yielded,)))
        if self.left:
            self.summary.guarded = frozenset(self.left)

    def _receiver_name(self) -> str | None:
        """The first parameter of a method of a module class (`self`), whatever the method stores."""
        func = self.func
        if (isinstance(func, (ast.Module, ast.Lambda)) or not func.args.args or self.engine.method_class(func) is None
                or any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in func.decorator_list)):
            return None
        return func.args.args[0].arg

    def instance(self) -> str | None:
        """The name of the instance a method's code stores attributes in (its first parameter), if any."""
        if self._instance is False:
            self._instance = _instance_name(self.engine, self.func)
        return self._instance if isinstance(self._instance, str) else None

    def leave(self, state: State) -> None:
        """At each normal return, the parameters still proven clean there (never rebound in the function:
        a clean value is then the guard's doing, not a new value's)."""
        if self.left is None:
            func = self.func
            if isinstance(func, (ast.Module, ast.Lambda)) or not self.engine.may_validate(func):
                self.left = set()  # no way to stop, or no check: a validator's text has both
                return
            scope = self.engine.scopes.own_scope(func)
            bindings = scope.bindings if scope is not None else {}
            self.left = {p for p, v in self.initial.items() if v.taint and "." not in p and "[" not in p
                         and all(b.kind == "parameter" for b in bindings.get(p, ()))}
        if self.left:
            self.left = {p for p in self.left if (v := state.get(p)) is not None and not v.taint}

    def graph(self) -> Cfg:
        """The control-flow graph of the function (or of the module's top level), the file's one graph of it."""
        built, reason = self.engine.ctx.graphs.of(self.func)
        if built is None:
            if "nested" in reason:
                raise RecursionError(reason)
            raise Abort(reason)
        return built

    def _unsettled(self, node: Node, rounds: int) -> None:
        if not self.unsettled:
            self.unsettled = True
            self.engine.ctx.skipped(
                self.func, "injection",
                f"injection: a loop did not settle within {rounds} rounds (line {node.line}); "
                "its sinks are judged on what reached them by then")

    def step(self, node: Node, state: State, back: State | None, owned: bool = False) -> list[State]:
        """What each edge out of `node` carries, from the state at its entry: the node's own evaluation
        on the normal edges, the state before it on an exception edge. An `owned` state is evaluated in
        place (see `forward`) where every edge carries the evaluation."""
        self.budget -= 1
        if self.budget < 0:
            raise Abort
        kind = node.kind
        succ = node.inside_succ
        if kind in _PASSING:
            return [state] * len(succ)
        if kind == "for":
            return self._for(node, state, back)
        out = state if owned and kind in _IN_PLACE else dict(state)
        stmt = node.stmt
        if kind == "stmt" or kind == "end":
            assert isinstance(stmt, ast.stmt)
            self.simple(stmt, out)
        elif kind == "if":
            assert isinstance(stmt, ast.If)
            true_clean, false_clean = self.guards(stmt.test, out)
            self.expr(stmt.test, out)
            return [(self.narrow(dict(out), true_clean) if true_clean else out) if edge == TRUE
                    else (self.narrow(dict(out), false_clean) if false_clean else out) if edge == FALSE
                    else state for _, edge in succ]
        elif kind == "while":
            assert isinstance(stmt, ast.While)
            self.expr(stmt.test, out)
        elif kind == "return":
            assert isinstance(stmt, ast.Return)
            if stmt.value is not None:
                value = self.expr(stmt.value, out)
                self.summary.returns = value if self.returned is None else join(self.summary.returns, value)
                self.returned = True
        elif kind == "raise":
            assert isinstance(stmt, ast.Raise)
            if stmt.exc is not None:
                self.expr(stmt.exc, out)
        elif kind == "with":
            assert isinstance(stmt, (ast.With, ast.AsyncWith))
            for item in stmt.items:
                value = self.expr(item.context_expr, out)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, out, item.context_expr)
        elif kind == "assert":
            assert isinstance(stmt, ast.Assert)
            true_clean, _ = self.guards(stmt.test, out)
            self.expr(stmt.test, out)
            self.narrow(out, true_clean)
        elif kind == "except":
            if not isinstance(stmt, ast.ExceptHandler):
                return [state] * len(succ)  # the end of a `with suppress(...)` body
            if stmt.type is not None:
                self.expr(stmt.type, out)
            if stmt.name:
                self.bind(stmt.name, _dynamic(stmt.name, "an exception", stmt), out)
            # the first edge enters this clause's body; the others try the next clause, or propagate
            return [out] + [state] * (len(succ) - 1)
        elif kind == "match":
            assert isinstance(stmt, ast.Match)
            self._match(node, stmt, self.expr(stmt.subject, out), out)
        elif kind == "case":
            return self._case(node, state, out)
        return [out] * len(succ)  # an exception edge's state is the caller's to send

    def _for(self, node: Node, entry: State, back: State | None) -> list[State]:
        """A `for` head: the iterable is evaluated once, on entry; each round binds the target anew."""
        stmt = node.stmt
        assert isinstance(stmt, (ast.For, ast.AsyncFor))
        cached = self.iterables.get(node.id)
        if cached is None or cached[0] is not entry:
            after = dict(entry)
            cached = self.iterables[node.id] = (entry, after, self.expr(stmt.iter, after).element())
        _, state, element = cached
        if back is not None:
            state = widened(state, back) or state
        out: list[State] = []
        for _, edge in node.inside_succ:
            if edge == TRUE:
                enter = dict(state)
                self.assign(stmt.target, element, enter, None)
                out.append(enter)
            else:
                out.append(state)
        return out

    def _match(self, node: Node, stmt: ast.Match, subject: Val, state: State) -> None:
        """Tell each case of `stmt` (the chain of `case` nodes after `node`) the subject's value."""
        cases = {id(case.pattern): case for case in stmt.cases}
        current = node.inside_succ[0][0] if node.inside_succ else None
        key = access_key(stmt.subject) if any(_constant_pattern(c.pattern) for c in stmt.cases) else None
        if key is not None and key not in state:
            # the path keeps its value on the paths no constant case takes (see `_guarded`)
            self.tracks(key)
            state[key] = subject
        while current is not None and current.kind == "case" and id(current.stmt) in cases:
            self.subjects[current.id] = (subject, cases[id(current.stmt)])
            if key is not None:
                self.subject_keys[current.id] = key
            current = next((t for t, edge in current.inside_succ if edge == FALSE), None)

    def _case(self, node: Node, state: State, out: State) -> list[State]:
        """A `case`: its captures hold the subject's value and its guard is evaluated on the way into its
        body; the next case starts from the state before it."""
        subject, case = self.subjects[node.id]
        constant = _constant_pattern(case.pattern)
        if constant:
            # `case "status" | "show":` matches one of the constants written there: an allow-list
            subject = CLEAN
            key = self.subject_keys.get(node.id)
            if key is not None:
                self.narrow(out, (key,))
        for sub in ast.walk(case.pattern):
            # `"web" | "worker" as svc` inside a mapping or sequence pattern captures one of the constants
            captured = CLEAN if isinstance(sub, ast.MatchAs) and sub.pattern is not None and _constant_pattern(
                sub.pattern) else Val(subject.taint)
            for name in (getattr(sub, "name", None), getattr(sub, "rest", None)):
                if isinstance(name, str):
                    self.bind(name, captured, out)
        if case.guard is not None:
            self.expr(case.guard, out)
        return [out if edge == TRUE else state for _, edge in node.inside_succ]

    def simple(self, node: ast.stmt, state: State) -> None:
        """A simple statement (or a nested function or class, whose body runs elsewhere)."""
        if isinstance(node, ast.Expr):
            self.discarded = node.value  # its value goes nowhere: a callee matters only for its sinks
            self.expr(node.value, state)
        elif isinstance(node, ast.Assign):
            value = self.expr(node.value, state)
            for target in node.targets:
                self.assign(target, value, state, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.expr(node.value, state), state, node.value)
        elif isinstance(node, ast.AugAssign):
            old = self.expr(node.target, state) if not isinstance(node.target, ast.Name) else self.load(node.target, state)
            new = self.expr(node.value, state)
            value = Val(cap(old.taint | new.taint), old.prefix if isinstance(node.op, ast.Add) else None)
            self.assign(node.target, value, state, None)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                self.expr(decorator, state)
            if not isinstance(node, ast.ClassDef):
                for default in (*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)):
                    self.expr(default, state)
            self.bind(node.name, CLEAN, state)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                key = access_key(target)
                if key is not None and isinstance(target, ast.Name):
                    state.pop(key, None)
        # pass, global, nonlocal, import: nothing flows

    # ----------------------------------------------------------------- guards

    def guards(self, test: ast.expr, state: State) -> tuple[set[str], set[str]]:
        """Paths proven clean when `test` is true, and when it is false (allow-lists, equality)."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            t, f = self.guards(test.operand, state)
            return f, t
        if isinstance(test, ast.BoolOp):
            parts = [self.guards(v, state) for v in test.values]
            trues, falses = [p[0] for p in parts], [p[1] for p in parts]
            if isinstance(test.op, ast.And):
                return set().union(*trues), set.intersection(*falses)
            return set.intersection(*trues), set().union(*falses)
        if isinstance(test, (ast.Name, ast.Attribute, ast.Subscript)):
            # a false value ("", None, 0, an empty list) has nothing in it to inject:
            # `if name and name not in ALLOWED: abort(400)` leaves `name` empty or allowed
            key = self._guarded(test, state)
            match = self._matched_subject(test.id) if isinstance(test, ast.Name) else None
            if match is not None:
                return self.guards(match, state)[0], ({key} if key is not None else set())
            return (set(), {key}) if key is not None else (set(), set())
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, left, right = test.ops[0], test.left, test.comparators[0]
            if isinstance(left, ast.NamedExpr):
                left = left.target  # `if (x := event["x"]) in ALLOWED:`
            if isinstance(op, (ast.In, ast.NotIn)):
                key = self._guarded(left, state)
                if key is not None and self._allow_list(right, state):
                    return ({key}, set()) if isinstance(op, ast.In) else (set(), {key})
            if isinstance(op, (ast.Is, ast.IsNot)):
                # `re.fullmatch(r"[\w.-]+", tag) is None`: the match failed exactly when the test is true
                for call, other in ((left, right), (right, left)):
                    if isinstance(call, ast.Call) and isinstance(other, ast.Constant) and other.value is None:
                        passed, failed = self.guards(call, state)
                        return (failed, passed) if isinstance(op, ast.Is) else (passed, failed)
            if isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
                for subject, other in ((left, right), (right, left)):
                    if isinstance(other, ast.Constant) and other.value is not None:
                        key = self._guarded(subject, state)
                        if key is not None:
                            return ({key}, set()) if isinstance(op, (ast.Eq, ast.Is)) else (set(), {key})
        if isinstance(test, ast.Call):
            matched = self._regex_guard(test)
            key = self._guarded(matched, state) if matched is not None else None
            if key is not None:
                return {key}, set()
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and not test.args:
            # "x".isdigit() / isalnum() / isidentifier(): nothing a shell would interpret
            if test.func.attr in SAFE_TEST_METHODS:
                key = self._guarded(test.func.value, state)
                if key is not None:
                    return {key}, set()
        if isinstance(test, ast.NamedExpr):
            return self.guards(test.value, state)  # `if not (m := re.fullmatch(...)):`
        if isinstance(test, ast.Call) and self.use_summaries:
            predicates = self.engine.predicate_tests
            if id(test) not in predicates:
                predicates[id(test)] = (test, self._predicate_test(test))  # the node kept: its id stays its own
            inlined = predicates[id(test)][1]
            if inlined is not None:
                return self.guards(inlined, state)  # `if not _is_known(name): parser.error(...)`
        return set(), set()

    def _predicate_test(self, call: ast.Call) -> ast.expr | None:
        """For a call of a predicate of the module (`def _is_known(name): return name in SERVICES`),
        the test it makes, in the caller's terms (`args.service in SERVICES`)."""
        if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        target = self.engine.callee(call, self.func, self.shadowed)
        if not isinstance(target, ast.FunctionDef) or target.decorator_list:
            return None
        body = target.body[1:] if len(target.body) > 1 and is_docstring(target.body[0]) else target.body
        spec = target.args
        if (len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None or spec.vararg
                or spec.kwarg or spec.kwonlyargs or spec.posonlyargs or spec.defaults):
            return None
        params = [a.arg for a in spec.args]
        if params[:1] in (["self"], ["cls"]) or len(params) != len(call.args):
            return None
        return _substituted(body[0].value, dict(zip(params, call.args)))

    def _guarded(self, subject: ast.expr, state: State) -> str | None:
        """The path a guard narrows, with its value before the guard kept in `state`.

        A path read straight from its root (`args.profile`) has no entry of its own until the guard
        cleans it on one branch; without the entry, the join after the `if` would see it bound on the
        clean branch only and keep it clean, as if a guard that only logs had stopped the input.
        """
        key = access_key(subject)
        if key is not None and key not in state:
            self.tracks(key)
            state[key] = self.expr(subject, state)
        return key

    def _matched_subject(self, name: str) -> ast.Call | None:
        """`m = re.fullmatch(r"[\\w.-]+", x)` then `if not m: return`: testing `m` tests the match, when `m` and
        the matched name are each bound once in the function (so neither can change between match and test)."""
        if self.matches is None:
            self.matches = self._match_bindings()
        return self.matches.get(name)

    def _match_bindings(self) -> dict[str, ast.Call]:
        found: dict[str, ast.Call] = {}
        func = self.func
        if isinstance(func, (ast.Module, ast.Lambda)):
            return found  # a function's own shape: the module's top level is not searched for it
        if not any(isinstance(c.func, ast.Attribute) and c.func.attr in REGEX_ANCHORS
                   for c in self.engine.calls_of(func)):
            return found  # the index's calls of the function: most make no match at all
        scope = self.engine.scopes.own_scope(func)
        bindings = scope.bindings if scope is not None else {}
        for name, each in bindings.items():
            value = each[0].value if len(each) == 1 and each[0].kind == "assign" else None
            if not isinstance(value, ast.Call):
                continue
            subject = self._regex_guard(value)
            key = access_key(subject) if subject is not None else None
            if key is not None and sum(b.kind != "parameter" for b in bindings.get(_root(key), ())) <= 1:
                found[name] = value
        return found

    def _regex_guard(self, call: ast.Call) -> ast.expr | None:
        """`re.fullmatch(r"[a-z.-]+", x)`: `x` when the pattern admits only safe characters."""
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else ""
        anchors = REGEX_ANCHORS.get(name)
        if anchors is None:
            return None
        resolved = self.engine.names.resolve(func, self.shadowed)
        pattern: ast.expr | None
        if resolved is not None and resolved.startswith("re.") and len(call.args) >= 2:
            first = call.args[0]
            pattern = (self.engine.pattern_text(first)
                       if not (isinstance(first, ast.Name) and first.id in self.shadowed) else None)
            subject = call.args[1]
        elif resolved is None and isinstance(func, ast.Attribute) and len(call.args) >= 1:
            pattern, subject = self.engine.compiled_pattern(func.value), call.args[0]
        else:
            return None
        if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)):
            return None
        if not safe_pattern(pattern.value, *anchors):
            return None
        return subject

    def _compiled(self, node: ast.expr) -> ast.expr | None:
        """The pattern of a compiled regular expression: `re.compile(P)` itself, or a module name bound
        once to one (a local name may be bound to anything)."""
        if isinstance(node, ast.Call) and node.args and self.engine.names.resolve(node.func, self.shadowed) == "re.compile":
            return node.args[0]
        if isinstance(node, ast.Name) and node.id not in self.shadowed:
            return self.engine.compiled_pattern(node)
        return None

    def _strips(self, pattern: ast.expr | None, replacement: ast.expr) -> bool:
        if pattern is None or (isinstance(pattern, ast.Name) and pattern.id in self.shadowed):
            return False
        text = self.engine.pattern_text(pattern)  # a string constant, when it is one
        return (isinstance(text, ast.Constant) and isinstance(replacement, ast.Constant)
                and isinstance(replacement.value, str) and strips_unsafe(str(text.value), replacement.value))

    def _allow_list(self, node: ast.expr, state: State) -> bool:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return all(isinstance(e, ast.Constant) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(isinstance(k, ast.Constant) for k in node.keys)
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, bytes))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args
                and node.func.attr in ("keys", "values")):
            return self._allow_list(node.func.value, state)
        enum = node.value if isinstance(node, ast.Attribute) and node.attr in ENUM_MEMBER_MAPS else node
        if isinstance(enum, ast.Name) and enum.id not in self.shadowed:
            cls = self.engine.top_classes.get(enum.id)
            if cls is not None and self.engine.is_enum(cls):
                return True  # `Region.__members__`, `x in Region`: the names or values its body declares
        if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            # a name, a call or a comprehension built from constants only (`[r.value for r in Region]`)
            value = self.expr(node, state)
            return value.clean and (value.prefix is not None or value.const is not None)
        return False

    def narrow(self, state: State, keys: Iterable[str]) -> State:
        for key in keys:
            self.tracks(key)
            state[key] = CLEAN
            if key.endswith("[0]"):
                # `if argv[0] not in PROGRAMS: raise`: the list's first element, the program it runs, is checked
                whole = state.get(key[:-3])
                if whole is not None and whole.const is None and whole.lead is None:
                    rest = whole.prefix[1:] if whole.prefix else ()
                    state[key[:-3]] = Val(whole.taint, (CLEAN, *rest), items=whole.items)
        return state

    # ----------------------------------------------------------------- binding

    def tracks(self, key: str) -> None:
        """`key` is about to be kept in a state: when it is a path, binding its root must drop it."""
        if "." in key or "[" in key:
            self.roots.add(_root(key))

    def bind(self, name: str, value: Val, state: State) -> None:
        # paths under the old value (`args.unit` after `args = ...`) no longer hold
        if name in self.roots:
            prefixes = (name + ".", name + "[")
            for k in [k for k in state if k.startswith(prefixes)]:
                del state[k]
        state[name] = value
        if self.record:
            old = self.assigned.get(name)
            self.assigned[name] = value if old is None else join(old, value)

    def assign(self, target: ast.expr, value: Val, state: State, source: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            # a value without origins takes no hop (`then` returns it): most are, and the hop's texts cost
            moved = value.then(_assigned(target.lineno, target.col_offset, target.id)) if value.taint else value
            if source is not None and self._whole_input(source):
                # `args = parser.parse_args()`: `args.unit` still names the part read
                moved = Val(frozenset(o.changed(refinable=True) if o.kind == SOURCE and any(
                    p.refinable for p in value.taint) else o for o in moved.taint), moved.prefix, moved.const)
            self.bind(target.id, moved, state)
        elif isinstance(target, (ast.Tuple, ast.List)):
            # `args, rest = parser.parse_known_args()`: the namespace still names the option read
            whole = source if source is not None and self._whole_input(source) else None
            for i, elt in enumerate(target.elts):
                if isinstance(elt, ast.Starred):
                    self.assign(elt.value, Val(value.taint), state, None)
                elif value.prefix is not None and i < len(value.prefix) and not any(
                        isinstance(e, ast.Starred) for e in target.elts[:i]):
                    self.assign(elt, value.prefix[i], state, None)
                else:
                    self.assign(elt, Val(value.taint), state, whole if i == 0 else None)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, Val(value.taint), state, None)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            self.expr(target.value, state)
            if isinstance(target, ast.Subscript):
                self.expr(target.slice, state)
            key = access_key(target)
            if key is not None and isinstance(target, ast.Attribute):
                self.tracks(key)
                state[key] = value.then(_assigned(target.lineno, target.col_offset, key)) if value.taint else value
                if value.taint and isinstance(target.value, ast.Name) and target.value.id == self.instance():
                    kept = self.summary.stored.get(target.attr)
                    self.summary.stored[target.attr] = state[key] if kept is None else join(kept, state[key])
            base_key = access_key(target.value)
            if isinstance(target, ast.Subscript) and base_key is not None and value.taint:
                # a container holding a tainted value is tainted
                old = state.get(base_key)
                if old is None:
                    old = self.expr(target.value, state)
                self.tracks(base_key)
                state[base_key] = Val(cap(old.taint | value.then(Hop(
                    target.lineno, target.col_offset, f"`{base_key}` (line {target.lineno})",
                    f"stored in `{base_key}`")).taint), old.prefix)

    def _http_client(self, name: str) -> bool:
        if name in self.engine.http_clients(self.func):
            return True
        tree = self.engine.ctx.tree
        return (name not in self.shadowed and isinstance(tree, ast.Module) and tree is not self.func
                and name in self.engine.http_clients(tree))

    def _s3_object(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call):
            return isinstance(node.func, ast.Attribute) and node.func.attr in S3_OBJECT_RESOURCES
        return isinstance(node, ast.Name) and node.id in self.engine.s3_objects(self.func)

    def _whole_input(self, node: ast.expr) -> bool:
        return isinstance(node, (ast.Name, ast.Attribute)) or (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ARGPARSE_METHODS)

    # ----------------------------------------------------------------- expressions

    def expr(self, node: ast.expr, state: State) -> Val:
        self.budget -= 1
        if self.budget < 0:
            raise Abort
        if isinstance(node, ast.Constant):
            return Val(const=node.value) if isinstance(node.value, str) else CLEAN
        if isinstance(node, ast.Name):
            return self.load(node, state)
        if isinstance(node, ast.Call):
            return self.call(node, state)
        if isinstance(node, ast.Attribute):
            return self.attribute(node, state)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, state)
        if isinstance(node, ast.JoinedStr):
            parts = [self.expr(v, state) for v in node.values]
            return _concat(parts, union(parts).taint)
        if isinstance(node, ast.FormattedValue):
            value = self.expr(node.value, state)
            if node.conversion == ord("r"):
                value = value.as_literal()
            if node.format_spec is not None:
                self.expr(node.format_spec, state)
                if _numeric_spec(node.format_spec):
                    return CLEAN
            return value
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left, state), self.expr(node.right, state)
            if isinstance(node.op, ast.Mod) and left.const is not None and not left.taint:
                # a format written here, or held by a module or class constant (`self._SHIM % path`)
                conversions = percent_conversions(left.const)
                if conversions and all(c in _NUMERIC for c in conversions):
                    return Val(left.taint)
                lead = left.leading.split("%", 1)[0] or None
                if conversions and all(c in _NUMERIC or c == "r" for c in conversions):
                    return Val(cap(left.taint | right.as_literal().taint), lead=lead)
                return Val(cap(left.taint | right.taint), lead=lead)
            if isinstance(node.op, ast.Add):
                if left.const is not None and right.const is not None:
                    return Val(const=left.const + right.const)
                if left.prefix is None and right.prefix is None:
                    return _concat([left, right], cap(left.taint | right.taint))
                if left.prefix is not None or right.prefix is not None:
                    # a list extended at the end keeps its leading elements (the program it runs); a
                    # sequence of unknown elements (`cmd.split()`) leads with what it holds
                    prefix = left.prefix if left.prefix is not None else (Val(left.taint),)
                    items = (join(left.items, right.items)
                             if left.items is not None and right.items is not None else None)
                    return Val(cap(left.taint | right.taint), prefix, items=items)
            return Val(cap(left.taint | right.taint))
        if isinstance(node, (ast.List, ast.Tuple)):
            values = [self.expr(e.value if isinstance(e, ast.Starred) else e, state) for e in node.elts]
            first_star = next((i for i, e in enumerate(node.elts) if isinstance(e, ast.Starred)), len(values))
            # the program and a few flags are all a sink looks at: long data lists keep a short prefix
            known = tuple(values[:min(first_star, _PREFIX_MAX)])
            if first_star < min(len(values), _PREFIX_MAX):
                # `[*args, "-v"]`: what leads the unpacked value comes next (a string's text stands for it)
                star = values[first_star]
                known += star.prefix if star.prefix is not None else (Val(star.taint),)
            return Val(union(values).taint, known[:_PREFIX_MAX], items=self._items(node.elts, values))
        if isinstance(node, ast.Set):
            values = [self.expr(e.value if isinstance(e, ast.Starred) else e, state) for e in node.elts]
            return Val(union(values).taint, (), items=self._items(node.elts, values))
        if isinstance(node, ast.Dict):
            parts = [self.expr(k, state) for k in node.keys if k is not None]
            parts += [self.expr(v, state) for v in node.values]
            return Val(union(parts).taint, ())
        if isinstance(node, ast.BoolOp):
            return union([self.expr(v, state) for v in node.values])
        if isinstance(node, ast.IfExp):
            true_clean, false_clean = self.guards(node.test, state)
            self.expr(node.test, state)
            return join(self.expr(node.body, self.narrow(dict(state), true_clean)),
                        self.expr(node.orelse, self.narrow(dict(state), false_clean)))
        if isinstance(node, ast.Compare):
            self.expr(node.left, state)
            for comparator in node.comparators:
                self.expr(comparator, state)
            return CLEAN
        if isinstance(node, ast.UnaryOp):
            value = self.expr(node.operand, state)
            return CLEAN if isinstance(node.op, ast.Not) else Val(value.taint)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            inner = self.comprehension(node.generators, state)
            elt = self.expr(node.elt, inner)
            return Val(elt.taint, (), items=item_of((elt,)))
        if isinstance(node, ast.DictComp):
            inner = self.comprehension(node.generators, state)
            return union((self.expr(node.key, inner), self.expr(node.value, inner)))
        if isinstance(node, ast.NamedExpr):
            value = self.expr(node.value, state)
            self.assign(node.target, value, state, node.value)
            return value
        if isinstance(node, (ast.Await, ast.Starred)):
            return self.expr(node.value, state)
        if isinstance(node, ast.Lambda):
            return CLEAN  # its own scope: analysed on its own when it contains a sink
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            if node.value is not None:
                value = self.expr(node.value, state)
                # a generator's caller iterates over what it yields (`yield from` over the elements of that)
                item = value if isinstance(node, ast.Yield) else value.element()
                self.yielded = item if self.yielded is None else join(self.yielded, item)
            return _dynamic("yield", "the value sent into the generator", node)
        if isinstance(node, ast.Slice):
            for part in (node.lower, node.upper, node.step):
                if part is not None:
                    self.expr(part, state)
            return CLEAN
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, state)
        return _dynamic(unparse(node), "an expression", node)

    def _items(self, elts: list[ast.expr], values: list[Val]) -> Val | None:
        """What every element of a display is (a starred part spreads the elements of its own)."""
        parts: list[Val] = []
        for elt, value in zip(elts, values):
            if isinstance(elt, ast.Starred):
                if value.items is None:
                    return None
                parts.append(value.items)
            else:
                parts.append(value)
        return item_of(parts)

    def comprehension(self, generators: list[ast.comprehension], state: State) -> State:
        inner = dict(state)
        for gen in generators:
            iterable = self.expr(gen.iter, inner)
            self.assign(gen.target, iterable.element(), inner, None)
            for cond in gen.ifs:
                true_clean, _ = self.guards(cond, inner)
                self.expr(cond, inner)
                self.narrow(inner, true_clean)
        return inner

    def load(self, node: ast.Name, state: State) -> Val:
        name = node.id
        value = state.get(name)
        if value is not None:
            return value
        if isinstance(self.func, ast.Module):
            if name in self.engine.module_defs or name in state:
                return CLEAN
        elif name in self.shadowed:
            return CLEAN  # not bound on this path (yet): a later loop round sees the binding
        resolved = self.engine.names.resolve(node, self.shadowed)
        if resolved is not None:
            return self.named(resolved, node)
        return self.engine.global_value(node)

    def named(self, resolved: str, node: ast.expr) -> Val:
        """The value of an imported or builtin name (`sys.argv`, `os.sep`)."""
        what = self.engine.source_name(resolved)
        if what is not None:
            return _source(unparse(node), what, node)
        if resolved in CONFIG_NAMES:
            return _config(unparse(node), CONFIG_NAMES[resolved], node)
        if resolved == PYTHON_EXECUTABLE:
            return Val(const="python")
        owner, _, last = resolved.rpartition(".")
        if owner and (owner in SETTINGS_OBJECTS or owner.rsplit(".", 1)[-1].lower() in SETTINGS_NAMES):
            # `settings.MEDIA_ROOT`: what the deployer configured (at most AWS403)
            return _config(unparse(node), SETTINGS, node)
        if "." not in resolved or last.isupper() or last in CONSTANT_ATTRS or resolved in self.engine.modules:
            return CLEAN
        return _dynamic(unparse(node), "a value from another module", node)

    def attribute(self, node: ast.Attribute, state: State) -> Val:
        key = access_key(node)
        if key is not None and key in state:
            return state[key]
        if isinstance(node.value, ast.Name) or isinstance(node.value, ast.Attribute):
            resolved = self.engine.names.resolve(node, self.shadowed)
            if resolved is not None:
                return self.named(resolved, node)
        if (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
                and self.engine.class_constant(self.func, node.attr)):
            # a class constant: `CMD = "uptime"` in the class body; a string keeps its text
            text = self.engine.class_text(self.func, node.attr)
            return Val(const=text) if text is not None else Val(const=None, prefix=())
        if (self.engine.review and isinstance(node.value, ast.Name) and not isinstance(self.func, ast.Module)
                and node.value.id == self._receiver_name() and self.engine.clean_member(self.func, node.attr)):
            # only what is not input can be told clean this way: without AWS403 nothing asks
            return CLEAN  # `self.changeset` whose every store is `uuid.UUID(...)` or a constant
        held = self._class_attribute(node)
        if held is not None:
            return held  # `Opts.bucket`, `self.bucket` of `class Opts: bucket = sys.argv[1]`
        if (isinstance(node.value, ast.Name) and not isinstance(self.func, ast.Module)
                and node.value.id == self._receiver_name()):
            kept = self.engine.input_member(self.func, node.attr)
            if kept is not None:
                return kept  # `self.title` of a class whose `__init__` stores `request.args.get("title")`
        base = self.expr(node.value, state)
        if self.use_summaries and base.taint and self.engine.top_classes:
            getter = self._property(node)
            if getter is not None:
                # `req.branch` of a `@property` of the module class: the value its method returns
                call = ast.Call(func=node, args=[], keywords=[])
                ast.copy_location(call, node)
                return self.through(getter, call, [], {}, base)
        if self.engine.members and base.taint and any(o.member for o in base.taint):
            base = Val(frozenset(_read_member(o) for o in base.taint if o.member in ("", node.attr)))
        if (isinstance(node.value, ast.Name) and base.taint
                and node.attr in self.engine.numeric_fields(self.func).get(node.value.id, ())
                and all(o.what == ROUTE and o.refinable for o in base.taint)):
            return CLEAN  # `item.replicas` of a request body model declaring `replicas: int`: converted
        if node.attr == CHALICE_REQUEST_ATTR:
            return _source(unparse(node), WEB, node)  # AWS Chalice: `app.current_request.query_params`
        if self.engine.user_sources and "." + node.attr in self.engine.user_sources:
            return _source(unparse(node), CONFIGURED, node)
        if (isinstance(node.value, ast.Name) and node.attr in REQUEST_ATTRS
                and (node.value.id in self.requests or (node.value.id == REQUEST_NAME and node.value.id in self.shadowed))):
            return _source(unparse(node), WEB, node)
        if (node.attr in REQUEST_ATTRS and isinstance(node.value, ast.Attribute) and node.value.attr == REQUEST_NAME
                and isinstance(node.value.value, ast.Name) and node.value.value.id == "self"
                and "self" in self.shadowed):
            return _source(unparse(node), WEB, node)  # a class-based view's `self.request.GET`
        if not base.taint:
            return CLEAN
        if node.attr in self.engine.checked_arguments() and all(
                o.what == ARGV and o.namespace for o in base.taint):
            return CLEAN  # `args.port` of `add_argument("--port", type=int)`, or one of its `choices`
        return refine(base, node)

    def _class_attribute(self, node: ast.Attribute) -> Val | None:
        """The value a module class's body gives `attr`, read as `Class.attr` (the name not rebound here)
        or as `self.attr`/`cls.attr` in one of its methods."""
        receiver = node.value
        if not isinstance(receiver, ast.Name) or not self.engine.top_classes:
            return None
        if receiver.id in ("self", "cls"):
            cls = self.engine.method_class(self.func)
        elif receiver.id not in self.shadowed:
            cls = self.engine.top_classes.get(receiver.id)
        else:
            cls = None
        return self.engine.class_attribute(cls, node.attr) if cls is not None else None

    def subscript(self, node: ast.Subscript, state: State) -> Val:
        key = access_key(node)
        if key is not None and key in state:
            return state[key]
        base = self.expr(node.value, state)
        self.expr(node.slice, state)
        if key == PROGRAM_PATH and self.engine.names.resolve(node.value, self.shadowed) == "sys.argv":
            return _config(key, PROGRAM_PATH_WHAT, node, refinable=False)
        if (base.prefix is not None and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, int) and 0 <= node.slice.value < len(base.prefix)):
            return base.prefix[node.slice.value]
        if isinstance(node.slice, ast.Slice):
            return Val(base.taint, base.prefix if node.slice.lower is None else None, items=base.items)
        if base.items is not None:
            return base.items  # `steps[i]`, `plan[name]`: one of the elements the display holds
        if not base.taint:
            return CLEAN
        return refine(base, node)

    # ----------------------------------------------------------------- calls

    def call(self, node: ast.Call, state: State) -> Val:
        func = node.func
        resolved = self.engine.names.resolve(func, self.shadowed)
        receiver: Val | None = None
        if resolved is None and isinstance(func, ast.Attribute):
            receiver = self.expr(func.value, state)
        elif resolved is None and not isinstance(func, ast.Name):
            self.expr(func, state)
        args = [self.expr(a, state) for a in node.args]
        kwargs: dict[str, Val] = {}
        for keyword in node.keywords:
            value = self.expr(keyword.value, state)
            key = keyword.arg or "**"
            kwargs[key] = join(kwargs[key], value) if key in kwargs else value
        sink = self.engine.sink_at(node)
        if sink is not None:
            self.reach_sink(sink, args, kwargs)
        if self.use_summaries and self.engine.defers:
            self._deferred(node, resolved, args, kwargs)
        if isinstance(func, ast.Attribute) and func.attr in TYPED_GETTERS and self._typed(node):
            return CLEAN  # `request.args.get("lines", type=int)`: a number, or the default
        if isinstance(func, ast.Attribute) and func.attr in REGEX_ANCHORS and self._regex_guard(node) is not None:
            return Val(prefix=())  # a whole value's match against safe characters: its groups hold only those
        if (resolved == "getattr" and len(node.args) in (2, 3) and not node.keywords
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
            # `getattr(args, "host")` reads the attribute `args.host` (and the default, when it has one)
            read = ast.copy_location(ast.Attribute(value=node.args[0], attr=node.args[1].value, ctx=ast.Load()), node)
            value = self.attribute(read, state)
            return join(value, args[2]) if len(args) == 3 else value
        if resolved is not None:
            return self.resolved_call(resolved, node, args, kwargs)
        if len(node.args) == 1 and not node.keywords and (
                (isinstance(func, ast.Call) and self.engine.names.resolve(func.func, self.shadowed) in ITEM_GETTERS)
                or (isinstance(func, ast.Name) and func.id not in self.shadowed
                    and func.id in self.engine.module_getters)):
            # `operator.itemgetter("repo")(event)`, or `get_repo(event)` after `get_repo = itemgetter("repo")`
            # at module level: a part of the event
            return Val(args[0].taint)
        partial = self._partial(func) if self.use_summaries else None
        if partial is not None and not any(isinstance(a, ast.Starred) for a in node.args):
            # `functools.partial(sh, "git")(ref)`, or `run_git(ref)` after `run_git = partial(sh, "git")`
            # at module level: `sh("git", ref)`
            fixed = [self.expr(a, state) for a in partial.args[1:]]
            self._run_later(node, partial.args[0], [*partial.args[1:], *node.args], [*fixed, *args], kwargs)
        target = self.engine.callee(node, self.func, self.shadowed) if self.use_summaries else None
        inherits = (target is not None and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
                    and self.instance() is not None)  # `super().__init__(target)`: stores in this instance
        if (target is not None and node is self.discarded and not self.engine.may_reach_sink(target)
                and not self.engine.may_validate(target) and not self.engine.stores_for_sink(target)
                and not inherits):
            return CLEAN
        if target is not None:
            value = self.through(target, node, args, kwargs, receiver if self.engine.receives_instance(target) else None)
            summary = self.engine.summarise(target)
            if summary is not None and summary.stored and inherits:
                # `super().__init__(target)`: what the base class stores is this instance's too
                bound = _bind(summary, node, args, kwargs, receiver)
                for attr, kept in summary.stored.items():
                    ret_hop = Hop(node.lineno, node.col_offset, f"`self.{attr}` (line {node.lineno})",
                                  f"kept in `self.{attr}` by `{unparse(func)}()`")
                    mine = self._returned(summary, kept, bound, node, ret_hop)
                    if mine.taint:
                        old = self.summary.stored.get(attr)
                        self.summary.stored[attr] = mine if old is None else join(old, mine)
            if (summary is not None and summary.stored and receiver is not None and isinstance(func, ast.Attribute)
                    and self.engine.stores_for_sink(target)):
                self._keep(func.value, node, summary, args, kwargs, receiver, state)
                if returns_instance(target):
                    # a builder's `def arg(self, v): self.parts.append(v); return self`: the value of
                    # `Cmd().arg(x)` is the instance, holding what the call kept in it
                    bound = _bind(summary, node, args, kwargs, receiver)
                    name = unparse(func)
                    value = Val(cap(value.taint | self._kept_members(summary, bound, node, lambda attr: Hop(
                        node.lineno, node.col_offset, f"`.{attr}` (line {node.lineno})",
                        f"kept in `.{attr}` by `{name}()`"))))
            if summary is not None and summary.guarded:
                # `check_service(name)` returned: `name` passed the checks it makes
                self.narrow(state, [k for k in _guarded_arguments(summary, node, receiver) if k in state])
            return value
        dispatched = (self.engine.dispatched.get(func.attr) if self.use_summaries and isinstance(func, ast.Attribute)
                      and func.attr not in self.engine.instance_methods else None)
        if self.use_summaries and not dispatched and target is None and self.engine.function_tables:
            dispatched = self._table_call(func)
        if dispatched:
            # `args.func(args)`: one of the functions `set_defaults(func=...)` names runs
            value = CLEAN
            for each in dispatched:
                value = join(value, self.through(each, node, args, kwargs, None))
            return value
        if (self.use_summaries and isinstance(func, ast.Attribute) and func.attr in MODEL_PARSERS
                and isinstance(func.value, ast.Name) and func.value.id not in self.shadowed and len(args) == 1):
            model = self.engine.top_classes.get(func.value.id)
            fields = self.engine.record_fields(model) if model is not None else None
            if fields is not None and model is not None:
                # `Order.model_validate(event)`: as `Order(**event)`
                methods = any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) for s in model.body)
                return self.fields_of(fields, node, [], {"**": args[0]}, methods, model)
        if isinstance(func, ast.Attribute):
            assert receiver is not None
            return self.method(func, node, receiver, args, kwargs, state)
        if self.use_summaries and isinstance(func, ast.Name) and (
                func.id not in self.shadowed or func.id == self._class_parameter()):
            # `Snapshot(...)`, or `cls(...)` in a classmethod of a module class
            cls = (self.engine.top_classes.get(func.id) if func.id not in self.shadowed
                   else self.engine.method_class(self.func))
            if cls is not None and self.engine.is_enum(cls):
                return CLEAN  # `Mode(event["mode"])`: one of the members, or ValueError
            fields = self.engine.record_fields(cls) if cls is not None else None
            if fields is not None and cls is not None:
                methods = any(isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) for s in cls.body)
                return self.fields_of(fields, node, args, kwargs, methods, cls)
            init = self.engine.inherited(cls, "__init__") if cls is not None else None
            if init is not None and cls is not None and (
                    self.engine.keeps_for_sink(cls, self.func) or self.engine.has_sink(init)):
                return self.construct(init, node, args, kwargs, cls.name)
        return _unknown_call(func, node)

    def _property(self, node: ast.Attribute) -> FunctionNode | None:
        """The getter a read of `node` runs: a `@property` (or `cached_property`) of the module class
        whose instance the object is."""
        if node.attr not in self.engine.instance_methods:
            return None
        cls = self.engine.instance_class(node.value, self.func, self.shadowed)
        if cls is None and isinstance(node.value, ast.Name) and node.value.id == "self":
            cls = self.engine.method_class(self.func)
        getter = self.engine.inherited(cls, node.attr) if cls is not None else None
        if getter is None or isinstance(getter, ast.Lambda) or not getter.args.args:
            return None
        names = {d.id if isinstance(d, ast.Name) else d.attr if isinstance(d, ast.Attribute) else ""
                 for d in getter.decorator_list}
        return getter if names & PROPERTY_DECORATORS else None

    def _table_call(self, func: ast.expr) -> list[FunctionNode] | None:
        """`ACTIONS[action](host)`, or `handler = ACTIONS.get(action); handler(host)`: the functions of the
        module table the call takes its function from."""
        tables = self.engine.function_tables
        if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Name) and func.value.id not in self.shadowed:
            return tables.get(func.value.id)
        if isinstance(func, ast.Name) and func.id in self.shadowed:
            table = self.engine.table_of(func.id, self.func)
            return tables.get(table) if table is not None else None
        return None

    def _deferred(self, node: ast.Call, resolved: str | None, args: list[Val], kwargs: dict[str, Val]) -> None:
        """`executor.submit(run, cmd)`, `threading.Thread(target=run, args=(cmd,))`, `pool.map(run, cmds)`:
        a function of the module handed to a call that runs it with the arguments handed after it."""
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else None
        spec = DEFERRED_FUNCTIONS.get(resolved) if resolved is not None else DEFERRED_METHODS.get(name or "")
        positional = not any(isinstance(a, ast.Starred) for a in node.args)
        if spec is not None and positional and spec[0] < len(node.args):
            first = spec[1]
            if first >= 0:
                self._run_later(node, node.args[spec[0]], node.args[first:], args[first:], kwargs)
            elif spec[0] + 1 < len(node.args):
                # `pool.apply_async(run, (cmd,))`: the arguments as one tuple
                self._run_later(node, node.args[spec[0]], *_packed(node.args[spec[0] + 1], args[spec[0] + 1]))
        mapping = resolved in MAPPING_FUNCTIONS if resolved is not None else name in MAPPING_METHODS
        if mapping and positional and len(node.args) == 2:
            self._run_later(node, node.args[0], node.args[1:], [args[1].element()])
        if resolved in THREAD_CLASSES:
            keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
            target = keywords.get("target")
            packed = keywords.get("args")
            if target is not None:
                nodes, values = _packed(packed, kwargs["args"]) if packed is not None else ([], [])
                self._run_later(node, target, nodes, values)

    def _partial(self, func: ast.expr) -> ast.Call | None:
        """The `functools.partial(f, ...)` call that `func` is, or the one a module name is bound to."""
        if isinstance(func, ast.Name):
            if func.id in self.shadowed:
                return None
            return self.engine.module_partials.get(func.id)
        if (isinstance(func, ast.Call) and func.args and not func.keywords
                and not any(isinstance(a, ast.Starred) for a in func.args)
                and self.engine.names.resolve(func.func, self.shadowed) in PARTIAL_FUNCTIONS):
            return func
        return None

    def _run_later(self, node: ast.Call, function: ast.expr, arg_nodes: Sequence[ast.expr],
                   values: Sequence[Val], kwargs: dict[str, Val] | None = None) -> None:
        if not isinstance(function, ast.Name) or len(arg_nodes) != len(values):
            return
        call = ast.Call(func=function, args=list(arg_nodes), keywords=[])
        ast.copy_location(call, node)
        target = self.engine.callee(call, self.func, self.shadowed)
        if target is not None:
            self.through(target, call, list(values), dict(kwargs or {}), None)

    @staticmethod
    def _input_like(receiver: Val) -> bool:
        """Whether the receiver may be input itself (a source or a parameter), not a date the code made."""
        return any(o.kind != DYNAMIC for o in receiver.taint)

    def _class_parameter(self) -> str | None:
        """The first parameter of a classmethod (`cls`), which names the class."""
        func = self.func
        if (isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and func.args.args
                and any(isinstance(d, ast.Name) and d.id == "classmethod" for d in func.decorator_list)):
            return func.args.args[0].arg
        return None

    def _typed(self, node: ast.Call) -> bool:
        """`get(key, default, type=int)`: the `type=` converter makes a number of the text (werkzeug's
        MultiDict), and the default is a constant."""
        kind = next((k.value for k in node.keywords if k.arg == TYPED_GETTER_KEYWORD), None)
        if kind is None and len(node.args) == 3:
            kind = node.args[2]  # `get(key, default, type)` by position
        if kind is None or self.engine.names.resolve(kind, self.shadowed) not in CHECKED_ARGUMENT_TYPES:
            return False
        defaults = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "default")]
        return all(isinstance(d, ast.Constant) for d in defaults)

    def fields_of(self, fields: tuple[tuple[str, bool], ...], node: ast.Call, args: list[Val],
               kwargs: dict[str, Val], methods: bool, cls_node: ast.ClassDef | None = None) -> Val:
        """`Job(name=body["name"], script=body["script"])` of a dataclass (a `NamedTuple`, a pydantic
        model): each field holds the argument given for it (`.script` the body's script); a field the
        class converts to a number holds none, one left to its default what the class body gives it. Only a
        class with methods of its own (a property) has attributes the analysis cannot see into."""
        instance = _unknown_call(node.func, node) if methods else CLEAN
        given: dict[str, Val] = {name: value for (name, _), value in zip(fields, args)}
        spread = kwargs.get("**")  # `Job(**body)`: any field may be any of the body's values
        for (name, _) in fields:
            value = kwargs.get(name)
            if value is not None:
                given[name] = value
            elif spread is not None and name not in given:
                given[name] = spread
        held: set[Origin] = set(instance.taint)
        cls = unparse(node.func)
        for name, converted in fields:
            value = given.get(name)
            if value is None and cls_node is not None:
                # left to its default: what the class body gives it (`profile: str = os.environ.get(...)`)
                value = self.engine.class_attribute(cls_node, name)
            if value is None or converted or not value.taint:
                continue
            hop = Hop(node.lineno, node.col_offset, f"`{cls}().{name}` (line {node.lineno})",
                      f"kept in `.{name}` of the `{cls}` instance")
            held.update(o.then(hop).changed(member=name) for o in value.taint)
        self.engine.members = self.engine.members or len(held) > len(instance.taint)
        return Val(cap(held))

    def _keep(self, instance: ast.expr, node: ast.Call, summary: Summary, args: list[Val], kwargs: dict[str, Val],
              receiver: Val, state: State) -> None:
        """`w.configure(event)` stored the event's command in `w.cmd`: `w` holds it from now on, in that
        attribute, for the methods called on it later (`w.run()`)."""
        key = access_key(instance)
        if key is None:
            return
        bound = _bind(summary, node, args, kwargs, receiver)
        name = unparse(node.func)
        held = set(receiver.taint) | self._kept_members(summary, bound, node, lambda attr: Hop(
            node.lineno, node.col_offset, f"`{key}.{attr}` (line {node.lineno})", f"kept in `{key}.{attr}` by `{name}()`"))
        if len(held) > len(receiver.taint):
            self.engine.members = True
            self.tracks(key)
            state[key] = Val(cap(held), receiver.prefix, receiver.const, receiver.lead, receiver.items)

    def _kept_members(self, summary: Summary, bound: dict[str, Val], node: ast.Call,
                      hop: Callable[[str], Hop]) -> set[Origin]:
        """What a callee kept in each attribute of an instance (`summary.stored`), in the caller's terms,
        each origin marked with the attribute it sits in; `hop` names the step for each attribute."""
        held: set[Origin] = set()
        for attr, value in sorted(summary.stored.items()):
            kept = self._returned(summary, value, bound, node, hop(attr))
            held.update(o.changed(member=attr) for o in kept.taint if o.kind != DYNAMIC)
        return held

    def construct(self, init: FunctionNode, node: ast.Call, args: list[Val], kwargs: dict[str, Val],
                  name: str) -> Val:
        """`Runner(event["unit"])`: an instance the analysis cannot see into as a whole (dynamic), holding in
        each attribute what `__init__` stored there, in the caller's terms; `__init__`'s own sinks are
        reached with the arguments as for any call."""
        instance = _unknown_call(node.func, node)
        if not any(o.kind != DYNAMIC for value in (*args, *kwargs.values()) for o in value.taint) and (
                not self.engine.input_within(init)):
            # constants and unknowns only, and no input read in `__init__` itself (`self.title =
            # request.args.get("title")`): nothing it keeps or runs can be input
            return instance
        self.through(init, node, args, kwargs, CLEAN, name)
        summary = self.engine.summarise(init)
        if summary is None or not summary.stored:
            return instance
        bound = _bind(summary, node, args, kwargs, CLEAN)
        summary = dataclasses.replace(summary, name=name)  # the hops name the class called, not `__init__`
        held = set(instance.taint) | self._kept_members(summary, bound, node, lambda attr: Hop(
            node.lineno, node.col_offset, f"`{name}().{attr}` (line {node.lineno})",
            f"kept in `.{attr}` of the `{name}` instance"))
        self.engine.members = self.engine.members or len(held) > len(instance.taint)
        return Val(cap(held))

    def _sanitiser(self, resolved: str) -> bool:
        return (resolved in SANITIZERS or resolved in self.engine.sanitizers or resolved in CLEAN_RESULTS
                or resolved.rsplit(".", 1)[-1] in SANITIZER_NAMES)

    def resolved_call(self, resolved: str, node: ast.Call, args: list[Val], kwargs: dict[str, Val]) -> Val:
        if resolved in ("compile", "builtins.compile"):
            # a syntax tree (`PyCF_ONLY_AST`) or a code object of the text: `exec()` of it runs the text
            return Val((args[0] if args else CLEAN).taint)
        if self._sanitiser(resolved):
            return CLEAN
        if resolved in MAPPING_FUNCTIONS and node.args and not isinstance(node.args[0], ast.Starred):
            # `map(shlex.quote, words)`: every element quoted
            applied = self.engine.names.resolve(node.args[0], self.shadowed)
            if applied is not None and self._sanitiser(applied):
                return CLEAN
        if resolved == "re.sub" and len(node.args) >= 2 and self._strips(node.args[0], node.args[1]):
            return CLEAN  # `re.sub(r"[^a-z0-9-]", "", name)`: only the safe characters are left
        what = SOURCE_CALLS.get(resolved) or self.engine.source_call(resolved)
        if what is None and resolved.split(".", 1)[0] in HTTP_MODULES and resolved.rsplit(".", 1)[-1] in HTTP_VERBS:
            what = HTTP
        if what is not None:
            return _source(unparse(node), what, node)
        if resolved in FILE_OPENERS:
            # A file object: iterating it, `json.load(f)`, `f.read()` all read its data. A local file is
            # configuration; a file whose path comes from external input yields external input, also
            # when the input is the command line's (SPEC: `sys.argv` is a source like any other).
            path = args[0] if args else CLEAN
            hop = Hop(node.lineno, node.col_offset, f"the file opened (line {node.lineno})", "names the file opened")
            return Val(cap(path.then(hop).taint | _config(unparse(node), LOCAL_FILE, node, refinable=False).taint))
        what = CONFIG_CALLS.get(resolved)
        if what is not None:
            return _config(unparse(node), what, node)
        if resolved in LITERAL_CALLS:
            # a quoted literal of the value: still text a shell would interpret, data to Python code
            return (args[0] if args else CLEAN).as_literal()
        if resolved.startswith("ast.") and resolved[4:5].isupper():
            return CLEAN  # a syntax tree built node by node: no source text to inject into
        if resolved == "string.Template":
            # a template object: `substitute(name=x)` and `format`-like methods carry what they are given
            return Val(_every(args, kwargs).taint, const="")
        if resolved.startswith(("str.", "bytes.")) and resolved.count(".") == 1:
            # `str.lower(x)`, `str.strip(x)`: a string method called through its class
            return CLEAN if resolved[resolved.index(".") + 1:] in CLEAN_METHODS else Val(_every(args, kwargs).taint)
        if resolved in SPLITTERS and len(args) == 1 and all(k.arg in SPLIT_KEYWORDS for k in node.keywords):
            # the program is the first word: `shlex.split(f"helm upgrade {x}")` runs `helm`
            return Val(args[0].taint, args[0].words())
        flow = PROPAGATORS.get(resolved)
        if flow is not None:
            first = args[0] if args else CLEAN
            prefix = None
            if resolved in SEQUENCE_RESULTS:
                prefix = first.prefix if first.prefix is not None else ()
            elif resolved in CONTAINER_RESULTS:
                prefix = ()  # a container: of constants, it is an allow-list
            items = None
            if first.items is not None and resolved in ELEMENT_KEEPING:
                items = first.items  # `list(steps)`, `sorted(steps)`: the same elements
            elif first.items is not None and resolved == ENUMERATE:
                items = Val(first.items.taint, (CLEAN, first.items))  # `for i, argv in enumerate(steps)`
            return Val(flowing(flow, args, kwargs).taint, prefix, items=items)
        base = resolved.rsplit(".", 1)[0]
        if base in CONFIG_NAMES:
            return _config(unparse(node), CONFIG_NAMES[base], node)  # `os.environ.get("EDITOR")`
        if self.engine.source_name(base) is not None:
            return _source(unparse(node), self.engine.source_name(base) or WEB, node)
        return _unknown_call(node.func, node)

    def method(self, func: ast.Attribute, node: ast.Call, receiver: Val, args: list[Val], kwargs: dict[str, Val],
               state: State) -> Val:
        name = func.attr
        if name in CLEAN_METHODS or "." + name in self.engine.sanitizers:
            return CLEAN
        if name == "sub" and node.args and self._strips(self._compiled(func.value), node.args[0]):
            return CLEAN  # `UNSAFE.sub("", name)` of `UNSAFE = re.compile(r"[^a-z0-9-]")`
        if name in DATE_METHODS and not self._input_like(receiver):
            return flowing(DATE_METHODS[name], args, kwargs)  # `datetime.now().strftime("%F")`: the format's text
        if name in ARGPARSE_METHODS:
            if node.args and not (isinstance(node.args[0], ast.Constant) and node.args[0].value is None):
                if not args[0].taint:
                    return Val(args[0].taint)  # parse_args(["--x", "1"]): parses constants
            # Whatever list it is handed (`main(argv=None)` passes None or sys.argv[1:]), what
            # parse_args parses is a command line: its namespace is command-line input (SPEC).
            return _source(unparse(node), ARGV, node, namespace=True)
        if name in READ_METHODS:
            return _source(unparse(node), READ_METHODS[name], node, refinable=False)
        keyword_read = KEYWORD_READ_METHODS.get(name)
        if keyword_read is not None and any(k.arg in keyword_read[0] for k in node.keywords):
            return _source(unparse(node), keyword_read[1], node)  # `s3.get_object(Bucket=b, Key=k)["Body"]`
        what = self.engine.source_call("." + name)
        if what is not None:
            return _source(unparse(node), what, node)
        if name in S3_OBJECT_READS and not node.args and not node.keywords and self._s3_object(func.value):
            return _source(unparse(node), S3_OBJECT, node)  # `s3.Object(bucket, key).get()["Body"]`
        if name in HTTP_VERBS and isinstance(func.value, ast.Name) and self._http_client(func.value.id):
            return _source(unparse(node), HTTP, node)  # `session.get(url)` of a `requests.Session()`
        if name in REORDER and receiver.prefix:
            key = access_key(func.value)
            if key is not None:
                self.tracks(key)
                state[key] = Val(receiver.taint, (), items=receiver.items)  # the same elements
        if name in MUTATORS:
            key = access_key(func.value)
            every = _every(args, kwargs)
            if key is not None and every.taint:
                hop = Hop(node.lineno, node.col_offset, f"`{key}` (line {node.lineno})", f"added to `{key}`")
                # still a list; its first element is known only if it was before and stays first
                prefix = state[key].prefix if key in state else receiver.prefix
                prefix = () if prefix is None or name in REORDER else prefix
                front = _put_first(name, node, args)
                if front is not None:
                    prefix = (front,)  # `argv.insert(0, tool)`: the new first element is known, the rest not
                self.tracks(key)
                state[key] = Val(cap(receiver.taint | every.then(hop).taint), prefix)
                owner = func.value
                if (isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name)
                        and owner.value.id == self.instance()):
                    # `self.parts.append(value)`: the instance keeps it, as `self.parts = value` would
                    kept = self.summary.stored.get(owner.attr)
                    self.summary.stored[owner.attr] = state[key] if kept is None else join(kept, state[key])
            return CLEAN
        flow = ARGUMENT_METHODS.get(name)
        if name == "split" and receiver.leading and not node.keywords and (not node.args or (
                len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and node.args[0].value in (" ", None))):
            return Val(receiver.taint, receiver.words())  # `f"helm upgrade {x}".split()`: runs `helm`
        if name == "format" and receiver.const is not None:
            return Val(_every(args, kwargs).taint, lead=receiver.const.split("{", 1)[0] or None)
        if receiver.items is not None and name in ELEMENT_METHODS:
            return receiver.items  # `steps.pop()`: one of the elements
        if receiver.taint:
            # methods of a tainted value are tainted (`s.strip()`, `event.get("k")`); its arguments flow
            # in only through the string and container methods that put them in the result
            carried = flowing(flow, args, kwargs).taint if flow is not None else frozenset()
            return Val(cap(refine(receiver, node).taint | carried))
        if (name == "join" and receiver.const is not None and len(node.args) == 1 and not node.keywords
                and not isinstance(node.args[0], ast.Starred) and args[0].taint):
            # `" ".join(["helm", "upgrade", path])`: the constant elements it starts with are its start
            return Val(args[0].taint, lead=joined_lead(receiver.const, args[0]))
        if receiver.const is not None or receiver.prefix is not None:
            # a method of a constant: "sep".join(parts), "{}".format(x)
            return flowing(flow, args, kwargs) if flow is not None else Val(_every(args, kwargs).taint)
        if name in STRING_METHODS and not receiver.taint:
            # `name.lower()` of a checked name: nothing but what the arguments bring
            return flowing(flow, args, kwargs) if flow is not None else Val(_every(args, kwargs).taint)
        if name in PATH_METHODS:
            return Val(_every(args, kwargs).taint)  # `Path(__file__).resolve()`: a path of the receiver's and the arguments'
        return _unknown_call(func, node)

    def through(self, target: FunctionNode, node: ast.Call, args: list[Val], kwargs: dict[str, Val],
                receiver: Val | None, called: str | None = None) -> Val:
        """A call of a function of this module: its summary says what it returns and which
        parameters reach a sink. `called` names the callee in the hops (the class for `__init__`)."""
        summary = self.engine.summarise(target)
        if summary is None:  # recursion, or too large
            return _unknown_call(node.func, node)
        if called is not None:
            summary = dataclasses.replace(summary, name=called)
        bound = _bind(summary, node, args, kwargs, receiver)
        line, col = node.lineno, node.col_offset
        shaped = any(v.const is not None or v.lead or v.prefix for v in bound.values())
        again: Summary | None = None
        if shaped and any(h.role == PROGRAM and not h.argv for hits in summary.param_sinks.values() for h in hits):
            # the program a sink of the helper runs is shaped by the arguments (`f"{tool} {args}"` of
            # `"helm"`): which of the caller's values it is, the helper's text says again for them
            again = self.engine.interpret_with(target, self._arguments_of(summary, bound, node))
        if again is not None:
            for sink, role, origin in again.hits:
                if role == PROGRAM and origin.kind == SOURCE:
                    self.summary.hits.append((sink, role, origin))
            for param, hits in again.param_sinks.items():
                self.summary.param_sinks.setdefault(param, []).extend(h for h in hits if h.role == PROGRAM)
        for param, hits in summary.param_sinks.items():
            value = bound.get(param)
            if value is None:
                continue
            call_hop = Hop(line, col, f"`{summary.name}()` argument `{param}` (line {line})",
                           f"passed to `{summary.name}()` as `{param}`")
            whole = _bare_param(value) is not None
            split: set[int] = set()
            for hit in hits:
                if again is not None and hit.role == PROGRAM:
                    continue  # the program it runs, for these arguments: above
                parts = [(hit.role, value)]
                if hit.argv and not whole:
                    if id(hit.sink) in split:
                        continue
                    split.add(id(hit.sink))
                    parts = hit.sink.extract([value], {})  # the caller's list: its program, its `sh -c` command
                for role, part in parts:
                    for origin in part.taint:
                        if origin.kind == DYNAMIC or not _unchecked(origin, hit.origin,
                                                                    self.engine.checked_arguments()):
                            continue
                        if origin.member:
                            if origin.member != hit.origin.attr:
                                continue  # another attribute of the instance reaches the sink
                            origin = origin.changed(member="")
                        extended = _passed(origin, hit.origin, (call_hop, *hit.origin.hops))
                        if origin.kind == SOURCE:
                            self.summary.hits.append((hit.sink, role, extended))
                        else:
                            self.summary.param_sinks.setdefault(origin.param, []).append(
                                ParamHit(hit.sink, role, extended, hit.argv and whole))
        ret_hop = Hop(line, col, f"`{summary.name}()` (line {line})", f"returned by `{summary.name}()`")
        value = self._returned(summary, summary.returns, bound, node, ret_hop)
        if (value.taint and value.prefix is None and value.const is None and value.lead is None and shaped
                and any(o.kind == PARAM for o in summary.returns.taint)):
            # what it returns is shaped by the arguments (`f"{tool} -f {path}"` of `"helm"`, `" ".join(argv)`
            # of `["terraform", ...]`, `return cmd` of `["ls", path]`): the helper's text again, with the
            # caller's values
            if again is None:
                again = self.engine.interpret_with(target, self._arguments_of(summary, bound, node))
            if again is not None:
                return again.returns.then(ret_hop)
        return value

    def _arguments_of(self, summary: Summary, bound: dict[str, Val], node: ast.Call) -> State:
        """Each parameter of the callee holding the caller's argument, which went through the call."""
        line, col = node.lineno, node.col_offset
        state: State = {}
        for param in (*summary.params, *([summary.vararg] if summary.vararg else []), *summary.kwonly,
                      *([summary.kwarg] if summary.kwarg else [])):
            hop = Hop(line, col, f"`{summary.name}()` argument `{param}` (line {line})",
                      f"passed to `{summary.name}()` as `{param}`")
            state[param] = bound[param].then(hop) if param in bound else CLEAN
        return state

    def _returned(self, summary: Summary, value: Val, bound: dict[str, Val], node: ast.Call, ret_hop: Hop,
                  depth: int = 0) -> Val:
        """The callee's returned value in the caller's terms: parameters replaced by the arguments. What is
        known of its shape stays known: the constant start of a string (`return f"helm upgrade -f {p}"`
        still runs `helm` once split), the leading elements of a list."""
        line, col = node.lineno, node.col_offset
        out: set[Origin] = set()
        dynamic = False
        for origin in value.taint:
            if origin.kind == PARAM:
                arg = bound.get(origin.param, CLEAN)
                call_hop = Hop(line, col, f"`{summary.name}()` argument `{origin.param}` (line {line})",
                               f"passed to `{summary.name}()` as `{origin.param}`")
                checked = self.engine.checked_arguments()
                # what the callee keeps in an instance's attribute (`Job(script=body["script"])`) stays there
                out |= {_passed(_read_member(o), origin, (call_hop, *origin.hops, ret_hop)).changed(
                    member=origin.member) if o.kind != DYNAMIC else o
                        for o in arg.taint if _unchecked(o, origin, checked) and o.member in ("", origin.attr)}
            elif origin.kind == SOURCE:
                out.add(_chain(origin, (ret_hop,)))
            else:
                dynamic = True
        if dynamic:
            out |= _dynamic(f"{unparse(node.func)}()", "a call", node).taint
        prefix = None
        if value.prefix is not None and depth < 2:
            prefix = tuple(self._returned(summary, v, bound, node, ret_hop, depth + 1) for v in value.prefix)
        items = None
        if value.items is not None and depth < 2:
            items = self._returned(summary, value.items, bound, node, ret_hop, depth + 1)
        return Val(cap(out), prefix, value.const, value.lead, items)

    def reach_sink(self, sink: Sink, args: Sequence[Val], kwargs: dict[str, Val]) -> None:
        argv = args[0] if args else kwargs.get("args")
        whole = _bare_param(argv) if sink.api in SUBPROCESS and argv is not None else None
        for role, value in sink.extract(args, kwargs):
            for origin in value.taint:
                self.summary.hits.append((sink, role, origin))
                if origin.kind == PARAM:
                    self.summary.param_sinks.setdefault(origin.param, []).append(
                        ParamHit(sink, role, origin, origin is whole))


def _packed(node: ast.expr, value: Val) -> tuple[list[ast.expr], list[Val]]:
    """The elements of an argument tuple written out (`args=(cmd, 5)`) and their values; none otherwise."""
    if isinstance(node, (ast.Tuple, ast.List)) and value.prefix is not None and len(value.prefix) == len(node.elts) \
            and not any(isinstance(e, ast.Starred) for e in node.elts):
        return list(node.elts), list(value.prefix)
    return [], []


def _put_first(name: str, node: ast.Call, args: list[Val]) -> Val | None:
    """The element `insert(0, x)` or `appendleft(x)` puts at the front of a list, if the call is one."""
    if name == "appendleft" and len(args) == 1 and not isinstance(node.args[0], ast.Starred):
        return args[0]
    if (name == "insert" and len(args) == 2 and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0
            and not isinstance(node.args[1], ast.Starred)):
        return args[1]
    return None


def _bare_param(value: Val) -> Origin | None:
    """The parameter `value` is, unchanged (through assignments only), or None."""
    if (value.prefix is not None or value.const is not None or value.lead is not None or value.element_of
            or len(value.taint) != 1):
        return None
    (origin,) = value.taint
    if origin.kind != PARAM or origin.attr or origin.member or origin.literal:
        return None
    return origin


def _assigned(line: int, col: int, key: str) -> Hop:
    return Hop(line, col, f"`{key}` (line {line})", f"assigned to `{key}`")


def _every(args: Sequence[Val], kwargs: dict[str, Val]) -> Val:
    """All of a call's arguments as one value: asked for by the few calls whose result carries them all
    (most calls' results do not, so it is not built for every call)."""
    return union([*args, *kwargs.values()])


def flowing(flow: Flow, args: Sequence[Val], kwargs: dict[str, Val]) -> Val:
    """The part of a call's arguments that flows into its result, as the propagator's table row says."""
    if flow.every:
        return union([*args, *kwargs.values()])
    chosen = [args[i] for i in flow.positions if i < len(args)]
    if flow.rest is not None:
        chosen += args[flow.rest:]
    chosen += [kwargs[k] for k in flow.keywords if k in kwargs]
    if "**" in kwargs:
        chosen.append(kwargs["**"])
    return union(chosen)


def _concat(parts: Sequence[Val], taint: frozenset[Origin]) -> Val:
    """Strings joined end to end: what is known of the result's start (`f"helm upgrade {x}"`)."""
    lead = ""
    for part in parts:
        if part.const is None:
            lead += part.lead or ""
            break
        lead += part.const
    else:
        if not taint:
            return Val(const=lead)
    return Val(taint, lead=lead or None)


def _unknown_call(func: ast.expr, node: ast.Call) -> Val:
    """The result of a call the analysis cannot see into: not a constant, but not the input either.

    Taint does not flow through unknown calls (`loader.get_code(name)` is not `name`): only the
    propagators SPEC.md lists carry it, so the value is reported, if at all, as AWS403.
    """
    return _dynamic(f"{unparse(func)}()", "a call", node)


def _instance_name(engine: Engine, func: FunctionNode | ast.Module) -> str | None:
    """`self` of an `__init__`: what it stores there is what `construct` reads (other methods' stores
    are not followed)."""
    if isinstance(func, (ast.Module, ast.Lambda)) or not func.args.args or engine.method_class(func) is None:
        return None
    if func.name != "__init__" and not engine.stores_for_sink(func):
        return None
    return func.args.args[0].arg


def _guarded_arguments(summary: Summary, node: ast.Call, receiver: Val | None) -> list[str]:
    """The paths the caller passed to the parameters a validator proves clean."""
    params = list(summary.params)
    if receiver is not None and params:
        params.pop(0)
    keys: list[str] = []
    for i, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            break
        key = access_key(arg) if i < len(params) and params[i] in summary.guarded else None
        if key is not None:
            keys.append(key)
    for keyword in node.keywords:
        key = access_key(keyword.value) if keyword.arg in summary.guarded else None
        if key is not None:
            keys.append(key)
    return keys


def _constant_pattern(pattern: ast.pattern) -> bool:
    """A pattern only constants match: `"a"`, `None`, `"a" | "b"`, `("a" | "b") as name`."""
    if isinstance(pattern, ast.MatchValue):
        return isinstance(pattern.value, ast.Constant)
    if isinstance(pattern, ast.MatchSingleton):
        return True
    if isinstance(pattern, ast.MatchOr):
        return all(_constant_pattern(p) for p in pattern.patterns)
    if isinstance(pattern, ast.MatchAs):
        return pattern.pattern is not None and _constant_pattern(pattern.pattern)
    return False


def _read_member(origin: Origin) -> Origin:
    """An instance's attribute read: its value is the attribute's, no longer held in the instance."""
    return origin.changed(member="") if origin.member else origin


def _chain(origin: Origin, hops: Sequence[Hop]) -> Origin:
    combined = list(origin.hops)
    for hop in hops:
        if len(combined) < 12 and not (combined and combined[-1] == hop):
            combined.append(hop)
    return origin.changed(hops=tuple(combined), refinable=False)


def is_docstring(stmt: ast.stmt) -> bool:
    """Whether `stmt` is a string on its own: a docstring when it opens a body."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: dict[str, ast.expr]) -> None:
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.AST:
        value = self.values.get(node.id)
        return copy.deepcopy(value) if value is not None and isinstance(node.ctx, ast.Load) else node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        return node  # its own parameters: not the predicate's


def _substituted(expr: ast.expr, values: dict[str, ast.expr]) -> ast.expr | None:
    """`expr` with each parameter name replaced by the argument given for it."""
    if any(isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.NamedExpr))
           for n in ast.walk(expr)):
        return None  # names of their own: not worth the care a general substitution needs
    result = _Substitute(values).visit(copy.deepcopy(expr))
    assert isinstance(result, ast.expr)
    return result


def returns_instance(method: FunctionNode) -> bool:
    """Whether every `return` of a method hands back its own instance (`return self`): a builder."""
    if isinstance(method, ast.Lambda) or not method.args.args:
        return False
    first = method.args.args[0].arg
    returns = [s for s in own_statements(method.body) if isinstance(s, ast.Return)]
    return bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id == first for r in returns)


def _bind(summary: Summary, node: ast.Call, args: list[Val], kwargs: dict[str, Val],
          receiver: Val | None) -> dict[str, Val]:
    bound: dict[str, Val] = {}
    params = list(summary.params)
    if receiver is not None and params:
        bound[params.pop(0)] = receiver
    for i, (arg_node, value) in enumerate(zip(node.args, args)):
        if isinstance(arg_node, ast.Starred):
            for p in params[i:] + ([summary.vararg] if summary.vararg else []):
                bound[p] = join(bound[p], value) if p in bound else value
            break
        if i < len(params):
            bound[params[i]] = value
        elif summary.vararg:
            bound[summary.vararg] = join(bound[summary.vararg], value) if summary.vararg in bound else value
    for key, value in kwargs.items():
        if key == "**":
            for p in [*params, *summary.kwonly]:
                if p not in bound:
                    bound[p] = value
        elif key in params or key in summary.kwonly:
            bound[key] = value
        elif summary.kwarg:
            bound[summary.kwarg] = join(bound[summary.kwarg], value) if summary.kwarg in bound else value
    return bound


def _numeric_spec(spec: ast.expr) -> bool:
    if isinstance(spec, ast.JoinedStr) and len(spec.values) == 1 and isinstance(spec.values[0], ast.Constant):
        text = str(spec.values[0].value)
        return bool(text) and text[-1] in "dnbcoxXeEfFgG%"
    return False


_NUMERIC = frozenset("diouxXeEfFgG%")


def parameter_names(func: FunctionNode) -> tuple[list[str], str | None, list[str], str | None]:
    args = func.args
    return ([a.arg for a in (*args.posonlyargs, *args.args)], args.vararg.arg if args.vararg else None,
            [a.arg for a in args.kwonlyargs], args.kwarg.arg if args.kwarg else None)

