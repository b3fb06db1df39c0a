"""Where resources are acquired, and what each statement of a function does to one of them.

`Catalogue` recognises factory calls (through imports and aliases, plus the user's own factories and
release functions); `FunctionFacts` holds what the resource rules need about one function (its
control-flow graph, the parent of every node, the names each graph node reads and writes), built
only for functions that call a factory; `effects_of` classifies every occurrence of the resource's
name into an `Effect` per graph node.
"""
from __future__ import annotations

import ast
import re
import weakref
from dataclasses import dataclass, field, replace
from typing import AbstractSet, Any, Callable, Generic, Iterable, Mapping, TypeVar

from awslint.analysis.cfg import (
    EXC, FALSE, TRUE, Cfg, EdgeKind, Node, build_cfg_or_reason, can_raise, local_containers, safe_call,
)
from awslint.analysis.graphs import Graphs
from awslint.analysis.index import FunctionNode, child_fields
from awslint.analysis.model import SemanticModel
from awslint.analysis.names import Names, dotted, target_names
from awslint.analysis.resource_flow import Effect, NodeEffect
from awslint.analysis.resource_receivers import ClassOf, class_matches
from awslint.analysis.scopes import own_nodes
from awslint.context import Context
from awslint.data.resources import (
    ALWAYS_RELEASES,
    BORROWER_METHODS,
    BORROWERS,
    CONSTRUCTED_FACTORIES,
    EXECUTOR_BORROWERS,
    FACTORIES,
    METHOD_FACTORIES,
    PROCESS_ECHOES,
    PROCESS_READS,
    PROCESS_STREAMS,
    RELEASE_FUNCTIONS,
    RELEASE_WORDS,
    RELEASING_METHODS,
    REMOTE_CONSUMERS,
    STANDARD_STREAMS,
    STORING_METHODS,
    USER_RELEASES,
    Factory,
)

_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def release_words(name: str) -> bool:
    """Whether a function's name says it releases its argument (`close_quietly`, `closeQuietly`)."""
    return any(w.lower() in RELEASE_WORDS for w in _WORDS.findall(name))


class Catalogue:
    """The factories and release functions in force for one run (the built-in ones and the user's)."""

    def __init__(self, extra_factories: Iterable[str] = (), extra_releasers: Iterable[str] = ()) -> None:
        self.factories: dict[str, Factory] = {f.name: f for f in FACTORIES}
        for name in extra_factories:
            if not name.startswith("."):
                self.factories.setdefault(name, Factory(name, "resource", USER_RELEASES))
        # a user's factory or releaser may be named without its module when the file defines it
        self.bare = frozenset(n for n in extra_factories if "." not in n)
        self.releasers = frozenset(RELEASE_FUNCTIONS | {n for n in extra_releasers if not n.startswith(".")})
        # `.getconn`: the method of any receiver; `Engine.connect`: also the method of an instance of
        # `Engine` (besides the dotted function of that name, which `factories` holds)
        self.factory_methods = _Methods(
            extra_factories, lambda n: Factory(n, "resource", USER_RELEASES, any_receiver=n.startswith("."))
        )
        self.release_methods = _Methods(extra_releasers, lambda n: n)
        # only `Class.method` entries ask what a receiver is
        self.asks_receivers = bool(self.factory_methods.of_class or self.release_methods.of_class)
        self.last_names = (
            frozenset(n.rsplit(".", 1)[-1] for n in self.factories)
            | frozenset(METHOD_FACTORIES)
            | frozenset(method for _, method in CONSTRUCTED_FACTORIES)
            | self.factory_methods.names
        )

    def callee_names(self, names: Names) -> frozenset[str]:
        """The last names (`f` of `f(...)` and `x.f(...)`) of the calls that can be a factory's in a
        module with these imports: a factory's own, or an imported name bound to a factory
        (`from subprocess import Popen as P`). An attribute call's resolved name ends in its own last
        name, so only a plain name can reach a factory through an alias."""
        return self.last_names | {alias for alias, target in names.aliases.items() if target in self.factories}

    def factory(
        self, call: ast.Call, names: Names, shadowed: AbstractSet[str], class_of: ClassOf | None = None
    ) -> Factory | None:
        """The factory `call` invokes, if it acquires a resource. `class_of` tells what class a
        receiver is an instance of (for the user's `Class.method` factories)."""
        func = call.func
        last = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if last is None or (last not in self.last_names and last not in names.aliases):
            return None
        resolved = names.resolve(func, shadowed)
        found = self.factories.get(resolved) if resolved else None
        if found is None and isinstance(func, ast.Name) and func.id in self.bare and func.id not in shadowed:
            found = self.factories.get(func.id)
        if found is None and isinstance(func, ast.Attribute):
            if resolved is None:
                found = METHOD_FACTORIES.get(func.attr)
            if found is None and isinstance(func.value, ast.Call):
                # `Path(p).open()`: the receiver is built right there, so its class is known
                built = names.resolve(func.value.func, shadowed)
                found = CONSTRUCTED_FACTORIES.get((built, func.attr)) if built else None
            if found is None:
                found = self.factory_methods.find(func, class_of)
        if found is not None and found.needs_pipe and not _has_pipe(call, names):
            return None
        if found is not None and found.wraps and _wraps_memory(call, names):
            return None
        if found is not None and any(
            kw.arg == "closefd" and isinstance(kw.value, ast.Constant) and kw.value.value is False
            for kw in call.keywords
        ):
            return None  # the caller keeps the descriptor
        return found

    def memory_writer(self, call: ast.Call, names: Names) -> tuple[Factory, ast.expr] | None:
        """An archive opened for writing over an object it was given (`ZipFile(buf, "w")`,
        `tarfile.open(fileobj=buf, mode="w:gz")`), with that object: over an in-memory buffer it holds
        nothing the system runs out of, but its `close()` writes the end of the archive."""
        resolved = names.resolve(call.func)
        found = self.factories.get(resolved) if resolved else None
        if found is None or not found.wraps:
            return None
        wrapped = next((kw.value for kw in call.keywords if kw.arg == "fileobj"), None)
        if wrapped is None and call.args:
            wrapped = call.args[0]
        mode = next((kw.value for kw in call.keywords if kw.arg == "mode"), None)
        if mode is None and len(call.args) > 1:
            mode = call.args[1]
        if wrapped is None or not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
            return None
        if not mode.value[:1] in ("w", "a", "x"):
            return None
        return replace(found, in_memory=True), wrapped

    def memory_callee_names(self, names: Names) -> frozenset[str]:
        """The last names of the calls `is_memory` can accept in a module with these imports."""
        return _MEMORY_NAMES | {alias for alias, target in names.aliases.items() if target in _MEMORY}

    def is_memory(self, expr: ast.expr, names: Names) -> bool:
        """`io.BytesIO(...)`, `io.StringIO(...)`."""
        return isinstance(expr, ast.Call) and names.resolve(expr.func) in _MEMORY

    def is_releaser(
        self, func: ast.expr, names: Names, shadowed: AbstractSet[str], class_of: ClassOf | None = None
    ) -> bool:
        resolved = names.resolve(func, shadowed)
        if resolved in self.releasers:
            return True
        if isinstance(func, ast.Name) and func.id in self.releasers:
            return True
        if isinstance(func, ast.Attribute) and self.release_methods.find(func, class_of) is not None:
            return True
        last = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return release_words(last)


_MEMORY = frozenset({"io.BytesIO", "io.StringIO"})
_MEMORY_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _MEMORY)

_T = TypeVar("_T")


class _Methods(Generic[_T]):
    """The user's method entries of one option: `.name` (a method of any receiver) and
    `Class.name` (a method of a receiver known to be an instance of `Class`), each with its value."""

    def __init__(self, entries: Iterable[str], make: Callable[[str], _T]) -> None:
        self.anywhere: dict[str, _T] = {}
        self.of_class: dict[str, list[tuple[str, _T]]] = {}
        for entry in entries:
            if entry.startswith("."):
                self.anywhere.setdefault(entry[1:], make(entry))
            elif "." in entry:
                owner, method = entry.rsplit(".", 1)
                self.of_class.setdefault(method, []).append((owner, make(entry)))
        self.names = frozenset(self.anywhere) | frozenset(self.of_class)

    def find(self, func: ast.Attribute, class_of: ClassOf | None) -> _T | None:
        """The entry `receiver.method` is, if any: a receiver of the class an entry names, else any."""
        method = func.attr
        classed = self.of_class.get(method)
        if classed and class_of is not None:
            spellings = class_of(func.value)
            if spellings:
                for owner, value in classed:
                    if class_matches(owner, spellings):
                        return value
        return self.anywhere.get(method)


# Names that hold an open file object rather than a path.
_STREAM_NAME = re.compile(r"^(self|f|fp|fh|fo|fd|fobj|fileobj|file_?obj|stream|buf|buffer|bio)$|(fp|fh|fileobj|_file_?obj|stream|_buf|_io)$")


def _wraps_memory(call: ast.Call, names: Names) -> bool:
    """`GzipFile(fileobj=buf)`, `ZipFile(io.BytesIO(data))`, `wave.open(fp)`: a wrapper over an object it
    was given holds no descriptor of its own (it does not close what it did not open)."""
    if any(kw.arg == "fileobj" for kw in call.keywords):
        return True
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.Name):
        return _STREAM_NAME.search(first.id) is not None
    if isinstance(first, ast.Attribute):
        return _STREAM_NAME.search(first.attr) is not None
    return isinstance(first, ast.Call) and (
        names.resolve(first.func) in _MEMORY or isinstance(first.func, ast.Attribute) and first.func.attr == "open"
    )


def _has_pipe(call: ast.Call, names: Names) -> bool:
    """A `Popen` holds a resource only when one of its streams is a pipe."""
    for kw in call.keywords:
        if kw.arg in ("stdin", "stdout", "stderr"):
            value = kw.value
            if isinstance(value, ast.Attribute) and value.attr == "PIPE":
                return True
            if isinstance(value, ast.Name) and (value.id == "PIPE" or names.resolve(value) == "subprocess.PIPE"):
                return True
    return False


@dataclass
class FunctionFacts:
    """What the resource rules ask about one function, computed once."""

    func: FunctionNode
    parents: dict[ast.AST, ast.AST]
    shadowed: frozenset[str]
    nested_names: frozenset[str]  # names read or written inside nested functions and classes
    by_name: dict[str, list[ast.Name]] = field(default_factory=dict)  # the function's own occurrences
    imported: frozenset[str] = frozenset()  # names bound by an `import` inside the function
    _cfg: Cfg | None = None
    skipped: str = ""  # why the graph was not built
    _built: bool = False
    _occurrences: dict[Node, list[ast.Name]] | None = None
    _by_node_name: dict[str, dict[Node, list[ast.Name]]] | None = None
    _nested: list[ast.Name] = field(default_factory=list)  # the names nested scopes read or write
    _stored: dict[Node, frozenset[str]] | None = None
    memo: dict[object, object] = field(default_factory=dict)  # per-function results the rules reuse
    # the class a receiver in the function is an instance of (the user's `Class.method` entries)
    class_of: ClassOf | None = None
    # the file's graphs, shared with the other families (a function analysed alone builds its own)
    graphs: Graphs | None = None

    @classmethod
    def of(cls, func: FunctionNode, model: SemanticModel | None = None) -> FunctionFacts:
        """The facts of `func`; its bindings come from the module's semantic model when given (else
        from a model of the function alone): the names it binds itself but not only by an `import`
        (`shadowed`, as `names.local_bindings` counts them) and those it imports."""
        scope = (model if model is not None else SemanticModel(func, only_root=True)).scope(func)
        shadowed: set[str] = set()
        imported: set[str] = set()
        own = [] if scope is None else [(n, f) for n, f in scope.bindings.items() if scope.binds(n)]
        for name, found in own:
            kinds = {b.kind for b in found}
            if kinds - {"import"}:
                shadowed.add(name)
            if "import" in kinds:
                imported.add(name)
        # One walk gives the parent links, the names nested scopes use, and the function's own
        # occurrences of each name. Children come from a per-class table of the fields that can hold
        # a node (contexts and operators, shared singletons, get no parent); names and constants are
        # recorded from their parent, never pushed. Nodes other than names and constants enter the
        # parent map in `ast.iter_child_nodes` order (the process rules iterate it).
        parents: dict[ast.AST, ast.AST] = {}
        nested: list[ast.Name] = []
        by_name: dict[str, list[ast.Name]] = {}
        body = func.body if isinstance(func.body, list) else [func.body]
        stack: list[tuple[ast.AST, ast.AST, bool]] = [(child, func, False) for child in body]
        pop, push = stack.pop, stack.append
        fields_of, scopes, node_type = _NODE_FIELDS, _SCOPE_TYPES, ast.AST
        name_type, constant_type = ast.Name, ast.Constant
        while stack:
            node, parent, inside = pop()
            parents[node] = parent
            kind = node.__class__
            if kind is name_type:  # a lambda's body
                by_name.setdefault(node.id, []).append(node)  # type: ignore[attr-defined,arg-type]
                continue
            fields = fields_of.get(kind)
            if fields is None:
                fields = fields_of[kind] = tuple(f for f in kind._fields if f not in _NO_NODE_FIELDS)
            is_scope = kind in scopes
            for field_name in fields:
                value = getattr(node, field_name, None)
                child: Any
                for child in value if value.__class__ is list else (value,):
                    child_kind = child.__class__
                    if child_kind is constant_type:
                        parents[child] = node
                    elif child_kind is name_type:
                        parents[child] = node
                        if inside or (is_scope and not _runs_outside(node, child)):
                            nested.append(child)
                        else:
                            by_name.setdefault(child.id, []).append(child)
                    elif isinstance(child, node_type):
                        push((child, node, inside or (is_scope and not _runs_outside(node, child))))
        facts = cls(func, parents, frozenset(shadowed), frozenset(n.id for n in nested), by_name, frozenset(imported))
        facts._nested = nested
        return facts

    @property
    def cfg(self) -> Cfg | None:
        if not self._built:
            self._built = True
            built = self.graphs.of(self.func) if self.graphs is not None else build_cfg_or_reason(self.func)
            self._cfg, self.skipped = built
        return self._cfg

    def every_occurrence(self, name: str) -> list[ast.Name]:
        """The occurrences of `name` in the function, its own and those inside nested scopes: what a
        question about one name reads instead of every node of the function."""
        memo = self.memo.get("nested_by_name")
        if isinstance(memo, dict):
            nested: dict[str, list[ast.Name]] = memo
        else:
            nested = {}
            for occurrence in self._nested:
                nested.setdefault(occurrence.id, []).append(occurrence)
            self.memo["nested_by_name"] = nested
        return [*self.by_name.get(name, ()), *nested.get(name, ())]

    def stores(self, name: str) -> list[ast.Name]:
        return [n for n in self.by_name.get(name, ()) if not isinstance(n.ctx, ast.Load)]

    def occurrences(self) -> dict[Node, list[ast.Name]]:
        """The names each graph node reads or writes itself (not inside nested scopes' bodies)."""
        if self._occurrences is None:
            cfg = self.cfg
            out: dict[Node, list[ast.Name]] = {}
            for node in cfg.nodes if cfg else ():
                found = [n for n in _own_names(node.parts)]
                if found:
                    out[node] = found
            self._occurrences = out
        return self._occurrences

    def occurrences_of(self, name: str) -> dict[Node, list[ast.Name]]:
        """`occurrences()` of one name only, in the graph's node order: each of the name's own
        occurrences climbs to the expression or statement a node evaluates (so that each resource
        costs its own uses, not a walk of the function)."""
        if self._by_node_name is None:
            self._by_node_name = {}
        found = self._by_node_name.get(name)
        if found is None:
            cfg = self.cfg
            found = {}
            if cfg is not None:
                for occurrence in self.by_name.get(name, ()):
                    for node in self._nodes_evaluating(cfg, occurrence):
                        found.setdefault(node, []).append(occurrence)
                if len(found) > 1:
                    found = dict(sorted(found.items(), key=_node_id))
            self._by_node_name[name] = found
        return found

    def stored_names(self) -> dict[Node, frozenset[str]]:
        """`resource_flow.stored_names` of the graph, from the names the walk found: what each
        statement, `for` or `with` node stores or deletes, in any scope its parts hold."""
        if self._stored is None:
            self._stored = self._stores_by_node()
        return self._stored

    def _stores_by_node(self) -> dict[Node, frozenset[str]]:
        cfg = self.cfg
        found: dict[Node, set[str]] = {}
        if cfg is None:
            return {}
        for names in (self.by_name.values(), (self._nested,)):
            for occurrences in names:
                for occurrence in occurrences:
                    if occurrence.ctx.__class__ is ast.Load:
                        continue
                    for node in self._nodes_evaluating(cfg, occurrence):
                        if node.kind in _STORING:
                            found.setdefault(node, set()).add(occurrence.id)
        return {node: frozenset(names) for node, names in found.items()}

    def _nodes_evaluating(self, cfg: Cfg, occurrence: ast.AST) -> list[Node]:
        """The nodes whose parts hold `occurrence` (parts never nest, so the nearest one is the one)."""
        at: ast.AST | None = occurrence
        parents, func = self.parents, self.func
        while at is not None and at is not func:
            held = cfg.holding(at)
            if held:
                return held
            at = parents.get(at)
        return []


class FileFacts:
    """The `FunctionFacts` of one file's functions, each built once for every family that asks
    (resources, process, and the process factories `Starters` looks into), with the file's graphs."""

    def __init__(self, graphs: Graphs | None) -> None:
        self.graphs = graphs
        self._built: dict[FunctionNode, FunctionFacts] = {}

    def of(self, func: FunctionNode) -> FunctionFacts:
        found = self._built.get(func)
        if found is None:
            found = self._built[func] = FunctionFacts.of(func)
            found.graphs = self.graphs
        return found


# One per Context, kept while it lives: nothing a FileFacts holds refers back to the Context (which
# would keep the entry alive for good).
_FILES: weakref.WeakKeyDictionary[Context, FileFacts] = weakref.WeakKeyDictionary()


def file_facts(ctx: Context) -> FileFacts:
    """The `FileFacts` of the file `ctx` checks, with its shared graphs."""
    found = _FILES.get(ctx)
    if found is None:
        found = _FILES[ctx] = FileFacts(ctx.graphs)
    return found


_STORING = frozenset({"stmt", "for", "with"})


def _node_id(item: tuple[Node, object]) -> int:
    return item[0].id


# Fields that never hold a node other than a shared context or operator singleton.
_NO_NODE_FIELDS = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "module", "level", "kind", "type_comment",
                             "conversion", "is_async", "simple", "asname", "lineno", "tag"})
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}
_SCOPE_TYPES = frozenset(_SCOPES)


def _runs_outside(scope: ast.AST, child: ast.AST) -> bool:
    """Whether `child` of a nested scope is evaluated by the enclosing function (decorators, defaults)."""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        if child in scope.decorator_list:
            return True
    if isinstance(scope, ast.ClassDef):
        return child in scope.bases or any(child is k for k in scope.keywords)
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return isinstance(child, ast.arguments)
    return False


def _own_names(parts: tuple[ast.AST, ...]) -> Iterable[ast.Name]:
    # The names in `ast.iter_child_nodes` order, reading only the fields that can hold a node (every
    # graph node of every function analysed is walked once).
    stack: list[Any] = list(parts)
    fields_of = _WALKED
    name_, lambda_ = ast.Name, ast.Lambda
    while stack:
        node = stack.pop()
        kind = node.__class__
        if kind is name_:
            yield node
            continue
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = child_fields(kind) if issubclass(kind, ast.AST) else ()
        if kind in _SCOPE_TYPES:
            if kind is lambda_:
                stack.append(node.args)
                continue
            stack.extend(node.decorator_list)
            if kind is ast.ClassDef:
                stack.extend(node.bases)
                stack.extend(node.keywords)
            else:
                stack.append(node.args)
            continue
        for held in fields:
            value = getattr(node, held, None)
            if value.__class__ is list:
                stack.extend(value)
            elif value is not None:
                stack.append(value)


# Per node class, the fields `_own_names` reads (none for what is not a node: a constant's value).
_WALKED: dict[type, tuple[str, ...]] = {}


def yield_steps(facts: FunctionFacts, names: Names) -> frozenset[Node]:
    """The graph nodes of a generator that can raise only at their `yield`, outside a `@contextmanager`
    generator: the SPEC's steps that can raise leave `yield` out. Whoever drives a plain generator (a
    loop, a pytest fixture's teardown) resumes it after the `yield`; only a `@contextmanager`'s `with`
    throws the exception of the block it serves into it there."""
    memo = facts.memo.get("yield_steps")
    if isinstance(memo, frozenset):
        return memo
    cfg = facts.cfg
    found: set[Node] = set()
    if cfg is not None and not is_context_manager(facts.func, names) and any(
            isinstance(node, ast.Yield) for node in facts.parents):
        containers = local_containers(facts.func)
        for node in cfg.nodes:
            if node.parts and node.can_raise and any(
                    isinstance(inner, ast.Yield) for part in node.parts for inner in ast.walk(part)) and not can_raise(
                    node.parts, containers, yields=False):
                found.add(node)
    facts.memo["yield_steps"] = result = frozenset(found)
    return result


def cleanup_steps(facts: FunctionFacts, effects: Mapping[Node, NodeEffect]) -> frozenset[Node]:
    """The graph nodes of every `finally` body that releases the resource (`finally: unlock(f);
    f.close()`), and of every `except` body that releases it and ends re-raising (`except Exception:
    conn.rollback(); conn.close(); raise`): the SPEC's `try`/`finally` that releases it covers every
    path through it, as such a handler covers what it names, and a cleanup step there that fails before
    the release is a second failure, not a path reviewers plan for (as a failing `close()` is not)."""
    cfg = facts.cfg
    if cfg is None:
        return frozenset()
    # The effects of one name are one object (`effects_of` keeps them): N resources bound in turn to
    # `f` ask the same question N times, each of the name's N nodes.
    key = ("cleanup_steps", id(effects))
    known = facts.memo.get(key)
    if isinstance(known, tuple) and known[0] is effects and isinstance(known[1], frozenset):
        return known[1]
    result = _cleanup_steps(facts, cfg, effects)
    facts.memo[key] = (effects, result)
    return result


def _cleanup_steps(facts: FunctionFacts, cfg: Cfg, effects: Mapping[Node, NodeEffect]) -> frozenset[Node]:
    parents, func = facts.parents, facts.func
    bodies: dict[int, list[ast.stmt]] = {}
    for node, effect in effects.items():
        if effect.effect != Effect.RELEASE or node.stmt is None:
            continue
        child: ast.AST = node.stmt
        parent = parents.get(child)
        while parent is not None and parent is not func and parent.__class__ not in _SCOPE_TYPES:
            final = getattr(parent, "finalbody", None)
            if final and any(stmt is child for stmt in final):
                bodies[id(final)] = final
                break
            if isinstance(parent, ast.ExceptHandler) and isinstance(parent.body[-1], ast.Raise) and any(
                    stmt is child for stmt in parent.body):
                bodies[id(parent.body)] = parent.body
                break
            child, parent = parent, parents.get(parent)
    if not bodies:
        return frozenset()
    found: set[Node] = set()
    for final in bodies.values():
        for stmt in final:
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.stmt):
                    found.update(cfg.nodes_of(inner))
    return frozenset(found)


def pipe_steps(
    facts: FunctionFacts, name: str, starts: Iterable[Node], fails: Callable[[ast.Call], bool] | None = None
) -> frozenset[Node]:
    """The graph nodes from which an exception does not count as dropping the process held in `name`:
    those that read, write or hand on its pipes (`proc.stdout.read()`, `for line in proc.stdout:`,
    `Thread(target=drain, args=(proc.stderr,))`) or the process itself (`read_header(proc)`), and the
    steps after one of them, up to the next start. Once the function talks to the child, a failure of
    that conversation is what its wait or communicate ends (AWS106/AWS105 name what goes wrong there).
    A call of the function's own given what the child said (`parse(line)` for each line read,
    `json.loads(out)`) is no part of it, nor is an explicit `raise`: either leaves the child unwaited,
    as a raising step before the first read does (`json.load(open(config))`). Nor is a call that can
    fail for reasons of its own, even given a pipe: one sending it to a remote service
    (`s3.upload_fileobj(proc.stdout, ...)`), or one `fails` names (a helper of the module that raises)."""
    cfg = facts.cfg
    if cfg is None:
        return frozenset()
    stop = frozenset(starts)
    seen: set[Node] = set()
    stack: list[Node] = []
    talk = _Conversation(facts.parents)
    for node, found in facts.occurrences_of(name).items():
        if node in stop:
            continue
        talks = [talk.add(occurrence) for occurrence in found]  # every occurrence taken in, not the first
        if any(talks) and node not in seen:
            seen.add(node)
            stack.append(node)
    talking = frozenset(seen)
    while stack:
        for target, kind in stack.pop().succ:
            if kind != EXC and target not in seen and target not in stop:
                seen.add(target)
                stack.append(target)
    if seen:
        # A step some path reaches before the function has said anything to the child (the probe at
        # the top of a `while True:` loop that polls it further down) fails with no conversation begun:
        # only the steps every path reaches through a conversation are part of it. The head of a loop
        # that talks to the child stays part of the conversation it repeats.
        seen -= _reached_before(stop, talking)
    talk.follow(node.stmt for node in seen)
    # A `raise` of the function's own is no step of the conversation: it leaves the child unwaited.
    return frozenset(
        node for node in seen
        if not isinstance(node.stmt, ast.Raise) and not talk.own_step(node.parts) and not _fails_alone(node, fails)
    )


def _reached_before(starts: AbstractSet[Node], talking: AbstractSet[Node]) -> set[Node]:
    """The nodes reached from `starts` on normal edges without passing through a node of `talking`,
    loop heads left out."""
    reached: set[Node] = set()
    stack = [target for start in starts for target, kind in start.succ if kind != EXC]
    while stack:
        node = stack.pop()
        if node in reached or node in talking or node in starts:
            continue
        reached.add(node)
        stack.extend(target for target, kind in node.succ if kind != EXC)
    return {node for node in reached if node.kind not in ("for", "while")}


def _fails_alone(node: Node, fails: Callable[[ast.Call], bool] | None) -> bool:
    """Whether a call of `node` can fail for reasons of its own: a remote transfer, or one `fails` names."""
    for sub in own_nodes(list(node.parts)):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Attribute) and func.attr in REMOTE_CONSUMERS:
                return True
            if fails is not None and fails(sub):
                return True
    return False


class _Conversation:
    """What a function says to a child process and what the child says back: the calls that talk to it
    (`proc.stdout.readline()`, `proc.poll()`, `drain(proc.stderr)`), the names of what was read
    (`line` of `for line in proc.stdout:`, `out = proc.stdout.read().decode()`), and the names that
    stand for the pipes or for what was handed them (`with proc.stdin as pipe`, `grep = Popen(...,
    stdin=dmesg.stdout)`, `reader = Thread(args=(proc.stderr,))`), whose methods talk to it too."""

    def __init__(self, parents: Mapping[ast.AST, ast.AST]) -> None:
        self.parents = parents
        self.talking: set[int] = set()
        self.reads: list[ast.AST] = []  # the expressions whose value is what the child wrote
        self.talkers: set[str] = set()
        self.read_names: set[str] = set()
        self.consumers: set[int] = set()  # calls handed what was read, in place (`json.loads(p.stdout.read())`)

    def add(self, occurrence: ast.AST) -> bool:
        """Take in one occurrence of the process's name; whether it talks to the child."""
        parents = self.parents
        parent = parents.get(occurrence)
        if isinstance(parent, ast.Attribute) and parent.attr in PROCESS_STREAMS | {"poll"}:
            self.talking.add(id(parent))
            stream = parent.attr != "poll"
            up = parents.get(parent)
            if isinstance(up, ast.Call) and up.func is parent:  # `proc.poll()`
                self.talking.add(id(up))
            elif isinstance(up, ast.Attribute):  # `proc.stdout.readline()`, `iter(proc.stdout.readline, b"")`
                call = parents.get(up)
                if not (isinstance(call, ast.Call) and call.func is up):
                    call = self._handed(up)
                if call is not None:
                    self.talking.add(id(call))
                    if stream and up.attr in PROCESS_READS:
                        self.reads.append(call)
            else:
                call = self._handed(parent)
                if call is not None:  # `islice(proc.stdout, 3, 8)`, `Popen(..., stdin=dmesg.stdout)`
                    self.talking.add(id(call))
                    self.reads.append(call)
                elif stream:  # `for line in proc.stdout:`, `with proc.stdin as pipe:`, `out = proc.stdout`
                    self.reads.append(parent)
            return True
        call = self._handed(occurrence)
        if call is None:
            return False
        self.talking.add(id(call))  # `read_header(proc)`
        self.reads.append(call)
        return True

    def _handed(self, expr: ast.AST) -> ast.Call | None:
        """The call `expr` is an argument of, in a display or by keyword too."""
        child, parent = expr, self.parents.get(expr)
        while isinstance(parent, (ast.Starred, ast.keyword, ast.Tuple, ast.List)):
            child, parent = parent, self.parents.get(parent)
        if isinstance(parent, ast.Call) and parent.func is not child:
            return parent
        return None

    def follow(self, statements: Iterable[ast.AST | None]) -> None:
        """Name what was read and what stands for a pipe, through the bindings of `statements` (the
        steps of the conversation) until no binding adds a name."""
        parents = self.parents
        for read in self.reads:
            expr: ast.AST = read
            up = parents.get(expr)
            # `proc.stdout.readline().decode().strip()`: still what was read
            while isinstance(up, ast.Attribute) and isinstance(call := parents.get(up), ast.Call) and call.func is up:
                self.talking.add(id(call))
                expr, up = call, parents.get(call)
            if isinstance(up, ast.withitem) and isinstance(up.optional_vars, ast.Name):
                self.talkers.add(up.optional_vars.id)
            elif isinstance(up, (ast.For, ast.AsyncFor, ast.comprehension)) and up.iter is expr:
                self.read_names.update(target_names(up.target))
            elif isinstance(up, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and up.value is expr:
                targets = up.targets if isinstance(up, ast.Assign) else [up.target]
                bound = {n for t in targets for n in target_names(t)}
                self.read_names.update(bound)
                if expr is read and not _stream_method(read):
                    # `out = proc.stdout`, `grep = Popen(..., stdin=dmesg.stdout)`, `reader = Thread(...)`
                    self.talkers.update(bound)
            elif (call := self._handed(expr)) is not None and id(call) not in self.talking:
                self.consumers.add(id(call))
        bindings = [s for s in statements if isinstance(s, (ast.Assign, ast.AnnAssign))]
        grown = True
        while grown and self.read_names:
            grown = False
            for stmt in bindings:
                if stmt.value is None or not self._mentions_read(stmt.value):
                    continue
                for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                    new = set(target_names(target)) - self.read_names
                    if new:
                        self.read_names.update(new)
                        grown = True

    def _mentions_read(self, expr: ast.AST) -> bool:
        names = self.read_names
        return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(expr))

    def own_step(self, parts: tuple[ast.AST, ...]) -> bool:
        """Whether `parts` call a function of the program's own on what the child said
        (`parse(line)`), which may raise before the wait; talking to the child, working on what it
        said with methods that cannot fail, and echoing it to the program's own streams are not."""
        if not self.read_names and not self.consumers:
            return False  # nothing was read that the program's own code could be handed
        talking = self.talking
        for part in parts:
            for sub in ast.walk(part):
                if not isinstance(sub, ast.Call) or id(sub) in talking or safe_call(sub.func):
                    continue
                func = sub.func
                if isinstance(func, ast.Attribute):
                    receiver = func.value
                    if id(receiver) in talking or (isinstance(receiver, ast.Name) and receiver.id in self.talkers):
                        continue  # `reader.start()`, `grep.communicate()`, `pipe.write(text)`
                elif id(func) in talking:
                    continue  # `getattr(proc, method)(*args)`
                if (dotted(func) or "") in PROCESS_ECHOES:
                    continue  # the child's output passed on to ours, as a terminal would show it
                if isinstance(func, ast.Attribute) and func.attr in STORING_METHODS:
                    continue  # `words.extend(line.split())`: kept for later, not worked on yet
                if id(sub) in self.consumers:
                    return True
                # `parse(line)`, `handler.feed(chunk)`: what was read handed to the program's own code;
                # a method of what was read (`line.decode()`, `out.split()`) only works on it
                if any(self._mentions_read(a) for a in (*sub.args, *sub.keywords)):
                    return True
        return False


def _stream_method(expr: ast.AST) -> bool:
    """`proc.stdout.read()`: a call of a method of one of the process's streams."""
    return (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
            and isinstance(expr.func.value, ast.Attribute) and expr.func.value.attr in PROCESS_STREAMS)


# Whether a call to a function of the module, given the resource as this argument, only borrows it (the
# callee reads or writes it and neither keeps nor releases it): asked only of a call the catalogue
# cannot place, which would otherwise count as a hand-over when it is the resource's last use.
Lends = Callable[[ast.Call, ast.expr], bool]


@dataclass(frozen=True)
class Usage:
    effects: dict[Node, NodeEffect]
    in_with: bool  # the name is a `with` item that does not release it (a database connection)


def effects_of(
    facts: FunctionFacts,
    name: str,
    factory: Factory,
    catalogue: Catalogue,
    names: Names,
    lends: Lends | None = None,
) -> Usage:
    """What each graph node does to the resource held in the local `name`; `lends`, when given, says
    which calls of the module's own functions only borrow it."""
    key = ("effects", name, factory, catalogue, lends is not None)
    cached = facts.memo.get(key)
    if isinstance(cached, Usage):
        return cached
    usage = _effects(facts, name, factory, catalogue, names, yield_hands_over=True, lends=lends)
    if is_context_manager(facts.func, names) and any(e.effect == Effect.RELEASE for e in usage.effects.values()):
        # a `@contextmanager` generator that releases the resource after its `yield` lends it to the
        # `with` block for the duration of the yield: an exception in the block is raised there
        usage = _effects(facts, name, factory, catalogue, names, yield_hands_over=False, lends=lends)
    facts.memo[key] = usage
    return usage


_CONTEXT_MANAGERS = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})


def is_context_manager(func: FunctionNode, names: Names) -> bool:
    if isinstance(func, ast.Lambda):
        return False
    for decorator in func.decorator_list:
        if names.resolve(decorator) in _CONTEXT_MANAGERS:
            return True
        if isinstance(decorator, ast.Name) and decorator.id in ("contextmanager", "asynccontextmanager"):
            return True
    return False


def _effects(
    facts: FunctionFacts,
    name: str,
    factory: Factory,
    catalogue: Catalogue,
    names: Names,
    yield_hands_over: bool,
    lends: Lends | None = None,
) -> Usage:
    releases = ALWAYS_RELEASES | set(factory.releases)
    effects: dict[Node, NodeEffect] = {}
    in_with = False
    for node, found in facts.occurrences_of(name).items():
        strongest = Effect.NONE
        rebinds = deletes = False
        for occurrence in found:
            if isinstance(occurrence.ctx, ast.Store):
                rebinds = True
                continue
            if isinstance(occurrence.ctx, ast.Del):
                rebinds = deletes = True
                continue
            effect, with_item = classify(occurrence, facts, releases, factory, catalogue, names, lends)
            if effect == Effect.HANDOVER and not yield_hands_over and isinstance(facts.parents.get(occurrence), ast.Yield):
                effect = Effect.USE
            in_with = in_with or with_item
            strongest = max(strongest, effect)
        kill = _kill_branch(node, name, names)
        exited = _exited_branch(node, name) if factory.kind == "process" else None
        if exited is not None:
            # `if p.poll() is not None: ...` looks at the child once: the branch on which it has exited
            # holds no running process, the other still does (`if p.poll() is None: p.kill()` releases
            # it there)
            kill = exited
        elif _tests_state(node, name):
            # `if p.returncode is None: p.kill()`, `if not f.closed: f.close()`: the branch that does not
            # release it is the one where it is already released
            strongest = Effect.RELEASE
        if strongest or rebinds or kill:
            effects[node] = NodeEffect(strongest, rebinds, deletes, kill)
    if factory.kind == "process":
        cfg = facts.cfg
        for loop in _poll_loops(facts, name):
            # `exit_code = proc.poll()` in `while exit_code is None:` (classify: a release, as wait()
            # is): the loop leaves only once poll() has reaped the child, so its FALSE branch holds no
            # running process, also on the path that never enters the body
            for node in cfg.holding(loop.test) if cfg is not None else ():
                effects[node] = replace(effects.get(node, NodeEffect()), kill_on=FALSE)
        effects = dict(sorted(effects.items(), key=_node_id))
    return Usage(effects, in_with)


def _stored(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> tuple[str, ast.AST] | None:
    """The name `call`'s value is bound to (`code = proc.poll()`), and the statement binding it."""
    holder = parents.get(call)
    if isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name):
        return holder.targets[0].id, holder
    if isinstance(holder, ast.AnnAssign) and isinstance(holder.target, ast.Name):
        return holder.target.id, holder
    return None


def _enclosing_while(at: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.While | None:
    """The nearest loop around `at` in its own scope, when that loop is a `while`."""
    up = parents.get(at)
    while up is not None and not isinstance(up, _SCOPES):
        if isinstance(up, ast.While):
            return up
        if isinstance(up, (ast.For, ast.AsyncFor)):
            return None
        up = parents.get(up)
    return None


def _poll_loop(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> ast.While | None:
    """The `while` loop that `call` (a `proc.poll()`) stores its value for and that goes on only
    while that value is None: `while code is None: ...; code = proc.poll()`."""
    stored = _stored(call, parents)
    if stored is None:
        return None
    loop = _enclosing_while(stored[1], parents)
    return loop if loop is not None and _none_test(loop.test, stored[0], (ast.Is, ast.Eq)) else None


def _poll_reaps(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `call` (a `proc.poll()`) is how a `while` loop waits for the child to exit, as `wait()`
    would: the loop goes on while it is None (`while proc.poll() is None:`, or its value stored for
    `while code is None:`), or an `if` in the loop leaves once it is not None (`if not line and
    proc.poll() is not None: return`, or its stored value tested by `if code is not None: break`). A
    poll() that only reports whether the child still runs reaps nothing."""
    compare = parents.get(call)
    if isinstance(compare, ast.Compare) and compare.left is call and _against_none(compare):
        at: ast.AST = compare
        test_of = parents.get(at)
        while isinstance(test_of, ast.BoolOp) and isinstance(test_of.op, ast.And):
            at, test_of = test_of, parents.get(test_of)
        if isinstance(test_of, ast.While) and test_of.test is at:
            return isinstance(compare.ops[0], (ast.Is, ast.Eq))
        if isinstance(test_of, ast.If) and test_of.test is at:
            return (
                isinstance(compare.ops[0], (ast.IsNot, ast.NotEq))
                and _leaves(test_of)
                and _enclosing_while(test_of, parents) is not None
            )
        return False
    stored = _stored(call, parents)
    if stored is None:
        return False
    loop = _enclosing_while(stored[1], parents)
    if loop is None:
        return False
    if _none_test(loop.test, stored[0], (ast.Is, ast.Eq)):
        return True
    return any(
        isinstance(stmt, ast.If) and _none_test(stmt.test, stored[0], (ast.IsNot, ast.NotEq)) and _leaves(stmt)
        for stmt in ast.walk(loop)
    )


def _against_none(compare: ast.Compare) -> bool:
    return (
        len(compare.ops) == 1
        and isinstance(compare.comparators[0], ast.Constant)
        and compare.comparators[0].value is None
    )


def _leaves(test: ast.If) -> bool:
    """The `if`'s body ends by leaving the loop (`break`) or the function (`return`)."""
    return isinstance(test.body[-1], (ast.Break, ast.Return))


def _none_test(test: ast.expr, stored: str, ops: tuple[type[ast.cmpop], ...]) -> bool:
    """`stored is None` (or, with `ops` of `is not`, `stored is not None`)."""
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ops)
        and isinstance(test.left, ast.Name)
        and test.left.id == stored
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )


def _poll_calls(found: Iterable[ast.Name], parents: dict[ast.AST, ast.AST]) -> Iterable[ast.Call]:
    for occurrence in found:
        attribute = parents.get(occurrence)
        if isinstance(attribute, ast.Attribute) and attribute.attr == "poll":
            call = parents.get(attribute)
            if isinstance(call, ast.Call) and call.func is attribute:
                yield call


def _poll_loops(facts: FunctionFacts, name: str) -> list[ast.While]:
    loops = (_poll_loop(call, facts.parents) for call in _poll_calls(facts.by_name.get(name, ()), facts.parents))
    return [loop for loop in loops if loop is not None]


# Attributes and methods that only inspect the object: reading them after handing the resource to a
# callee does not show that the callee merely borrowed it.
INSPECT = frozenset({
    "name", "getsockname", "getpeername", "fileno", "mode", "family", "type", "proto", "gettimeout",
    "pid", "returncode", "encoding", "args", "closed",
})

_STATE = frozenset({"closed", "returncode", "poll", "_closed", "is_closed"})


def _tests_state(node: Node, name: str) -> bool:
    if node.kind not in ("if", "while") or not node.parts:
        return False
    for sub in ast.walk(node.parts[0]):
        if (
            isinstance(sub, ast.Attribute)
            and sub.attr in _STATE
            and isinstance(sub.value, ast.Name)
            and sub.value.id == name
        ):
            return True
    return False


def _exited_branch(node: Node, name: str) -> EdgeKind | None:
    """For an `if` whose whole test compares the process's `poll()` or `returncode` with None, the
    branch on which the child has exited (and been reaped)."""
    if node.kind != "if" or not node.parts:
        return None
    test = node.parts[0]
    if not (isinstance(test, ast.Compare) and _against_none(test)):
        return None
    left = test.left
    if isinstance(left, ast.Call) and not left.args and not left.keywords:
        left = left.func
        attr = "poll"
    else:
        attr = "returncode"
    if not (
        isinstance(left, ast.Attribute)
        and left.attr == attr
        and isinstance(left.value, ast.Name)
        and left.value.id == name
    ):
        return None
    return TRUE if isinstance(test.ops[0], (ast.IsNot, ast.NotEq)) else FALSE


def _kill_branch(node: Node, name: str, names: Names) -> EdgeKind | None:
    """The branch of a test on which the name cannot hold an open resource (`if f:` … else; `if f is
    not sys.stdin:` … else, since a file the function opened is never a standard stream)."""
    if node.kind not in ("if", "while") or not node.parts:
        return None
    test = node.parts[0]
    negate = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negate, test = not negate, test.operand
    truthy: bool | None = None
    if isinstance(test, ast.Name) and test.id == name:
        truthy = True
    elif (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.left, ast.Name)
        and test.left.id == name
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        truthy = isinstance(test.ops[0], (ast.IsNot, ast.NotEq))
    elif (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.left, ast.Name)
        and test.left.id == name
        and _standard_streams(test.comparators[0], names, isinstance(test.ops[0], (ast.In, ast.NotIn)))
    ):
        truthy = isinstance(test.ops[0], (ast.IsNot, ast.NotEq, ast.NotIn))
    if truthy is None:
        return None
    return FALSE if truthy != negate else TRUE


def _standard_streams(expr: ast.expr, names: Names, several: bool) -> bool:
    """`sys.stdin`, or with `in` a display of standard streams (`(sys.stdout, sys.stderr)`)."""
    if several:
        return isinstance(expr, (ast.Tuple, ast.List, ast.Set)) and bool(expr.elts) and all(
            names.resolve(e) in STANDARD_STREAMS for e in expr.elts
        )
    return names.resolve(expr) in STANDARD_STREAMS


def classify(
    occurrence: ast.Name,
    facts: FunctionFacts,
    releases: AbstractSet[str],
    factory: Factory,
    catalogue: Catalogue,
    names: Names,
    lends: Lends | None = None,
) -> tuple[Effect, bool]:
    """What one occurrence of the resource's name does to it, and whether it is a `with` item that
    does not release it."""
    parents = facts.parents
    node: ast.AST = occurrence
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute):
        grand = parents.get(parent)
        if parent.attr in INSPECT:
            return Effect.PEEK, False
        if isinstance(grand, ast.Call) and grand.func is parent:
            if parent.attr == "poll" and factory.kind == "process" and _poll_reaps(grand, parents):
                return Effect.RELEASE, False
            if parent.attr in factory.views:
                return _view_effect(grand, facts), False
            return (Effect.RELEASE if parent.attr in releases else Effect.USE), False
        if parent.attr in releases and not isinstance(grand, ast.Expr):
            # `stack.callback(f.close)`, `atexit.register(f.close)`, `self.addCleanup(f.close)`,
            # `closer = f.close`: whoever holds the bound method will call it
            return Effect.RELEASE, False
        return Effect.USE, False
    if isinstance(parent, ast.Subscript) and parent.value is node and "[]" in factory.views:
        return _view_effect(parent, facts), False
    if isinstance(parent, ast.Starred):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.keyword):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Call):
        if parent.func is node:
            return Effect.USE, False
        effect = _argument_effect(parent, node, catalogue, names, facts.shadowed, facts.class_of)
        if effect == Effect.PASS and lends is not None and lends(parent, occurrence):
            return Effect.USE, False
        return effect, False
    if isinstance(parent, ast.withitem):
        if factory.with_closes:
            return Effect.RELEASE, False
        return Effect.USE, True
    if isinstance(parent, (ast.Return, ast.Yield)):
        return Effect.HANDOVER, False
    if isinstance(parent, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        # A display given straight to a call (`Thread(target=work, args=(q, out))`) dies with the call:
        # the resource is given to the callee, as an argument of its own would be.
        display: ast.AST = parent
        holder = parents.get(display)
        while isinstance(holder, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            display, holder = holder, parents.get(holder)
        if isinstance(holder, ast.keyword):
            display, holder = holder, parents.get(holder)
        if isinstance(holder, ast.Call) and holder.func is not display and not (
                isinstance(parent, ast.Dict) and any(k is node for k in parent.keys)):
            return _argument_effect(holder, display, catalogue, names, facts.shadowed, facts.class_of), False
        return Effect.HANDOVER, False
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.AugAssign)) and getattr(parent, "value", None) is node:
        return Effect.HANDOVER, False
    if isinstance(parent, ast.IfExp) and node is not parent.test:
        return Effect.HANDOVER, False
    if isinstance(parent, ast.BoolOp):
        holder = parents.get(parent)
        if not isinstance(holder, (ast.If, ast.While, ast.IfExp, ast.UnaryOp, ast.Assert, ast.comprehension, ast.BoolOp)):
            return Effect.HANDOVER, False
    return Effect.USE, False


def _view_effect(view: ast.AST, facts: FunctionFacts) -> Effect:
    """What taking a view of the resource (`client[name]`, `sock.makefile()`, see `Factory.views`) does
    to it: hands it over when the view (or a view of it: `client[db][collection]`) is returned, yielded
    or stored, also through the one local name it is bound to (`db = client[name]` ... `return db`);
    else a use."""
    parents = facts.parents
    holder = parents.get(view)
    while isinstance(holder, (ast.Subscript, ast.Attribute)) and holder.value is view:
        view, holder = holder, parents.get(holder)
    if isinstance(holder, (ast.Return, ast.Yield, ast.YieldFrom)):
        return Effect.HANDOVER
    if not (isinstance(holder, (ast.Assign, ast.AnnAssign)) and holder.value is view):
        return Effect.USE
    targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
    if any(not isinstance(t, ast.Name) for t in targets):
        return Effect.HANDOVER  # `self.db = client[name]`
    for target in targets:
        assert isinstance(target, ast.Name)
        for occurrence in facts.by_name.get(target.id, ()):
            if isinstance(occurrence.ctx, ast.Load) and _escapes(occurrence, parents):
                return Effect.HANDOVER
    return Effect.USE


def _escapes(occurrence: ast.Name, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether this read of a local hands its value out of the function: returned, yielded, or stored
    in an attribute or subscript."""
    holder = parents.get(occurrence)
    if isinstance(holder, (ast.Return, ast.Yield, ast.YieldFrom)):
        return True
    if isinstance(holder, ast.Assign) and holder.value is occurrence:
        return any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in holder.targets)
    return False


def _argument_effect(
    call: ast.Call,
    arg: ast.AST,
    catalogue: Catalogue,
    names: Names,
    shadowed: AbstractSet[str],
    class_of: ClassOf | None = None,
) -> Effect:
    func = call.func
    if catalogue.is_releaser(func, names, shadowed, class_of):
        return Effect.RELEASE
    resolved = names.resolve(func, shadowed)
    if resolved in BORROWERS:
        return Effect.USE
    if isinstance(func, ast.Attribute):
        if func.attr in RELEASING_METHODS:
            return Effect.RELEASE
        if func.attr in STORING_METHODS:
            return Effect.HANDOVER
        if func.attr in BORROWER_METHODS:
            return Effect.USE
        if func.attr in EXECUTOR_BORROWERS and call.args and call.args[0] is arg:
            return Effect.USE  # `loop.run_in_executor(pool, fn)`: the loop submits to the pool, keeps it not
    return Effect.PASS

