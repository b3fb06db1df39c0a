"""Receiver inference for boto3: what kind of boto3 object an expression holds, and for which service.

`BotoReceivers(ctx).classify(expr, scope)` follows the few ways code gets a client or resource:
`boto3.client("s3")`, `boto3.Session(...).client("s3")`, `session.client(service_name="s3")`,
`boto3.resource("dynamodb").meta.client`, `resource.Table(name)`, names bound from those in the
function, an enclosing function or the module, `self.` attributes bound in any method of the class, and
annotations with the boto3 stub types (`S3Client`, `mypy_boto3_dynamodb.client.DynamoDBClient`,
`types_boto3_s3.S3Client`, `Table`). A value built by another library's class, or a class of the file,
is provably not boto3. Everything else is `UNKNOWN`: the rules then need their own evidence.
"""
from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import AbstractSet, Callable, Final, Iterable, Literal, NamedTuple, Sequence

from awslint.analysis.index import FunctionNode
from awslint.analysis.model import Binding, Scope, SemanticModel
from awslint.analysis.names import Names, local_bindings, parameters
from awslint.analysis.names import dotted as dotted  # re-exported: the one shared spelling

# What kind of object a receiver holds: a boto3 client, service resource, DynamoDB `Table` or
# session; provably something else (another library's class, a class of this file); or not known.
ReceiverKind = Literal["client", "resource", "table", "session", "not-boto3", "unknown"]
CLIENT: Final = "client"
RESOURCE: Final = "resource"
TABLE: Final = "table"
SESSION: Final = "session"
NOT_BOTO: Final = "not-boto3"
UNKNOWN: Final = "unknown"

_BOTO_ROOTS = ("boto3", "botocore", "aioboto3", "aiobotocore")
_STUB_ROOT = re.compile(r"^(?:mypy_boto3|types_boto3|types_aiobotocore|types_aioboto3)_(\w+)$")
_SESSION_FACTORIES = frozenset(
    {
        "boto3.Session",
        "boto3.session.Session",
        "aioboto3.Session",
        "aioboto3.session.Session",
        "botocore.session.Session",
        "botocore.session.get_session",
        "aiobotocore.session.get_session",
        "aiobotocore.session.AioSession",
    }
)
_CLIENT_FACTORIES = frozenset({"boto3.client", "boto3.session.Session.client"})
_RESOURCE_FACTORIES = frozenset({"boto3.resource"})
_MAX_DEPTH = 6
# Annotations that hold anything: a parameter so annotated is of unknown origin, not another library's.
_OPAQUE_TYPES = frozenset({"Any", "object", "TypeVar"})


@dataclass(frozen=True)
class Receiver:
    """What an expression holds: its `kind` and the service where known."""

    kind: ReceiverKind
    service: str | None = None


UNKNOWN_RECEIVER = Receiver(UNKNOWN)


def name_words(name: str) -> list[str]:
    """`source_ddb` -> ["source", "ddb"]; `snsClient`, `s3client` -> ["sns", "client"], ["s3", "client"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    words: list[str] = []
    for word in re.split(r"[_\W]+", spaced.lower()):
        if len(word) > len("client") and word.endswith("client"):
            words.extend((word[: -len("client")], "client"))
        elif word:
            words.append(word)
    return words


class BotoReceivers:
    """Receiver inference over one module; `services` says which service names are real."""

    def __init__(
        self,
        tree: ast.AST,
        names: Names,
        functions: Iterable[FunctionNode],
        classes: Iterable[ast.ClassDef],
        imports: Iterable[ast.Import | ast.ImportFrom],
        is_service: Callable[[str], bool],
        stub_service: Callable[[str], str | None],
        model: SemanticModel | None = None,
        lines: Sequence[str] = (),
    ) -> None:
        """`model` is the module's semantic model (`ctx.model`); without one, a model of `tree` is
        built on the first question (`functions` is kept for callers that pass it). `lines`, the
        module's source, lets `may_classify_as` rule kinds out before anything is classified."""
        self._tree = tree
        self._lines = lines
        self._spelled: frozenset[ReceiverKind] | None = None
        self._names = names
        self._classes = list(classes)
        self._imports = list(imports)
        self._is_service = is_service
        self._stub_service = stub_service
        self._class_names = frozenset(c.name for c in self._classes)
        self._module_bindings: dict[str, list[_Bound]] | None = None
        self._module_strings: dict[str, str] | None = None
        self._scope_bindings: dict[int, dict[str, list[_Bound]]] = {}
        self._locals: dict[int, set[str]] = {}
        self._model: SemanticModel | None = model
        self._class_attrs: dict[int, dict[str, list[_Bound]]] = {}
        self._outer: dict[int, list[FunctionNode]] = {}
        self._relative: frozenset[str] | None = None
        self._imports_boto: bool | None = None
        self._name_memo: dict[tuple[str, int], Receiver] = {}
        self._attr_memo: dict[tuple[str, int], Receiver] = {}
        self._store_memo: dict[tuple[str, tuple[int, ...]], list[tuple[ast.AST, FunctionNode | None]]] = {}

    # -- the enclosing structure ------------------------------------------------------------------

    @property
    def model(self) -> SemanticModel:
        if self._model is None:
            self._model = SemanticModel(self._tree)
        return self._model

    def enclosing(self, func: FunctionNode) -> list[FunctionNode]:
        """The functions that contain `func`, innermost first (the model's enclosing scopes)."""
        key = id(func)
        if key not in self._outer:
            chain: list[FunctionNode] = []
            scope = self.model.scope(func)
            outer = scope.parent if scope is not None else None
            while outer is not None:
                if isinstance(outer.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    chain.append(outer.node)
                outer = outer.parent
            self._outer[key] = chain
        return self._outer[key]

    def root(self, func: FunctionNode | None) -> FunctionNode | None:
        """The outermost function around `func` (a method, or a module-level function)."""
        if func is None:
            return None
        chain = self.enclosing(func)
        return chain[-1] if chain else func

    def class_of(self, func: FunctionNode) -> ast.ClassDef | None:
        """The class whose body defines `func` (a method), else None."""
        scope = self.model.scope(func)
        owner = scope.parent if scope is not None else None
        return owner.node if owner is not None and isinstance(owner.node, ast.ClassDef) else None

    def binding_function(self, name: str, scope: FunctionNode | None) -> FunctionNode | None:
        """The function whose scope a read of `name` in `scope` finds it in (Python's scoping, as the
        semantic model resolves it); None for a module-level, builtin or unbound name."""
        found = self.model.resolve_scope(scope if scope is not None else self._tree, name)
        node = found.node if found is not None else None
        return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else None

    def is_parameter(self, name: str, scope: FunctionNode | None) -> bool:
        """Whether a read of `name` in `scope` reads a parameter (of `scope` or a function around it)."""
        owner = self.binding_function(name, scope)
        return owner is not None and any(b.kind == "parameter" for b in self.model.bindings_of(owner, name))

    # -- classification ---------------------------------------------------------------------------

    def may_classify_as(self, kinds: AbstractSet[ReceiverKind]) -> bool:
        """A necessary condition for `classify` to answer one of `kinds` (of CLIENT, RESOURCE, TABLE),
        read from the module's text: every way a client is known spells `client` in some case (boto3's
        and a session's factories, `.create_client`, `.meta.client`, a factory named for clients, the
        stubs' `...Client` types, `BaseClient`), a service resource `resource` (`boto3.resource`,
        `.resource(...)`, `ServiceResource`), a table `Table` (`.Table(...)`, the stubs' `Table`).
        True when the text is not known."""
        if not self._lines:
            return True
        if self._spelled is None:
            text = "\n".join(self._lines)
            lowered = text.lower()
            spelled: set[ReceiverKind] = set()
            if "client" in lowered:
                spelled.add(CLIENT)
            if "resource" in lowered:
                spelled.add(RESOURCE)
            if "Table" in text:
                spelled.add(TABLE)
            self._spelled = frozenset(spelled)
        return not self._spelled.isdisjoint(kinds)

    def classify(self, node: ast.AST, scope: FunctionNode | None, depth: int = 0) -> Receiver:
        if depth > _MAX_DEPTH:
            return UNKNOWN_RECEIVER
        if isinstance(node, ast.Await):
            return self.classify(node.value, scope, depth + 1)
        if isinstance(node, (ast.BoolOp, ast.IfExp)):
            operands = node.values if isinstance(node, ast.BoolOp) else [node.body, node.orelse]
            return _agree({self.classify(v, scope, depth + 1) for v in operands if not _is_none(v)})
        if isinstance(node, ast.Call):
            return self._classify_call(node, scope, depth)
        if isinstance(node, ast.Name):
            return self._classify_name(node.id, scope, depth)
        if isinstance(node, ast.Attribute):
            if node.attr == "client" and isinstance(node.value, ast.Attribute) and node.value.attr == "meta":
                owner = self.classify(node.value.value, scope, depth + 1)
                if owner.kind == NOT_BOTO:
                    return owner
                if owner.kind == TABLE:
                    return Receiver(CLIENT, "dynamodb")
                return Receiver(CLIENT, owner.service if owner.kind == RESOURCE else None)
            if isinstance(node.value, ast.Name) and scope is not None:
                return self._classify_self_attr(node.value.id, node.attr, scope, depth)
        if isinstance(node, ast.Subscript):
            return self._classify_item(node, scope, depth)
        return UNKNOWN_RECEIVER

    def _classify_item(self, node: ast.Subscript, scope: FunctionNode | None, depth: int) -> Receiver:
        """An item of a container of clients: `self.clients[region]` where `self.clients = {r:
        boto3.client("ec2", region_name=r) for r in regions}`, or where `self._clients[region] =
        boto3.client(...)` fills it lazily. Every item the container is built with (a display, a
        comprehension, a subscript store) must agree; with a constant key of a display, that item."""
        container = node.value
        values: list[_Bound]
        if isinstance(container, ast.Name):
            owner = self.binding_function(container.id, scope)
            if owner is not None and self.is_parameter(container.id, owner):
                return UNKNOWN_RECEIVER
            if owner is not None:
                values = self._bindings(owner).get(container.id, [])
            else:
                values = self._module_values().get(container.id, [])
            bodies: list[ast.AST] = [owner] if owner is not None else [self._tree]
            held = owner
        elif isinstance(container, ast.Attribute) and isinstance(container.value, ast.Name) and scope is not None:
            method = self.root(scope)
            cls = self.class_of(method) if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
            params = parameters(method) if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
            if cls is None or not params or params[0].arg != container.value.id:
                return UNKNOWN_RECEIVER
            values = self._attributes(cls).get(container.attr, [])
            bodies = [cls]
            held = None
        else:
            return UNKNOWN_RECEIVER
        if not values:
            return UNKNOWN_RECEIVER
        key = node.slice if isinstance(node.slice, ast.Constant) else None
        items: list[tuple[ast.AST, FunctionNode | None]] = []
        for value in values:
            if value.how != "value" or value.node is None:
                return UNKNOWN_RECEIVER
            where = value.scope if value.scoped else held
            built = value.node
            if isinstance(built, ast.Dict):
                if any(k is None for k in built.keys):
                    return UNKNOWN_RECEIVER  # `{**other, ...}`: items not followed
                pairs = list(zip(built.keys, built.values))
                if key is not None and all(isinstance(k, ast.Constant) for k in built.keys):
                    pairs = [(k, v) for k, v in pairs if isinstance(k, ast.Constant) and k.value == key.value]
                items.extend((v, where) for _, v in pairs)
            elif isinstance(built, (ast.List, ast.Tuple)):
                items.extend((e, where) for e in built.elts if not isinstance(e, ast.Starred))
            elif isinstance(built, ast.DictComp):
                items.append((built.value, where))
            elif isinstance(built, ast.ListComp):
                items.append((built.elt, where))
            else:
                return UNKNOWN_RECEIVER
        items.extend(self._item_stores(container, bodies))
        if not items:
            return UNKNOWN_RECEIVER
        found = {self.classify(item, where, depth + 1) for item, where in items}
        if any(r.kind in (UNKNOWN, SESSION) for r in found):
            return UNKNOWN_RECEIVER
        return _agree(found)

    def _item_stores(
        self, container: ast.Name | ast.Attribute, bodies: list[ast.AST]
    ) -> list[tuple[ast.AST, FunctionNode | None]]:
        """The values stored into items of `container` (`clients[region] = ...`) in `bodies`."""
        spelled = ast.dump(container)
        key = (spelled, tuple(id(b) for b in bodies))
        if key in self._store_memo:
            return self._store_memo[key]
        found: list[tuple[ast.AST, FunctionNode | None]] = []
        self._store_memo[key] = found
        for body in bodies:
            scopes: list[tuple[FunctionNode | None, list[ast.AST]]] = []
            if isinstance(body, (ast.FunctionDef, ast.AsyncFunctionDef)):
                scopes.append((body, list(body.body)))
            elif isinstance(body, ast.Module):
                scopes.append((None, list(body.body)))
            scopes.extend(
                (node, list(node.body))
                for node in ast.walk(body)
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node is not body
            )
            for where, statements in scopes:
                for node in _walk_scope(statements):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:
                            if isinstance(target, ast.Subscript) and ast.dump(target.value) == spelled:
                                found.append((node.value, where))
        return found

    def service_arg(self, call: ast.Call) -> str | None:
        """The service a client or resource factory call names (`client("s3")`, `service_name=NAME`)."""
        arg: ast.AST | None = call.args[0] if call.args else None
        for kw in call.keywords:
            if kw.arg == "service_name":
                arg = kw.value
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        if isinstance(arg, ast.Name):
            return self._module_string(arg.id)
        return None

    def _classify_call(self, call: ast.Call, scope: FunctionNode | None, depth: int) -> Receiver:
        func = call.func
        resolved = self._names.resolve(func, self._shadowed(scope))
        if resolved in _CLIENT_FACTORIES:
            return Receiver(CLIENT, self.service_arg(call))
        if resolved in _RESOURCE_FACTORIES:
            return Receiver(RESOURCE, self.service_arg(call))
        if resolved in _SESSION_FACTORIES:
            return Receiver(SESSION)
        if isinstance(func, ast.Attribute):
            if func.attr in ("client", "create_client", "resource"):
                owner = self.classify(func.value, scope, depth + 1)
                if owner.kind == NOT_BOTO:
                    return owner
                service = self.service_arg(call)
                kind: ReceiverKind = RESOURCE if func.attr == "resource" else CLIENT
                if owner.kind == SESSION:
                    return Receiver(kind, service)
                # `whatever.client("s3")` naming a real service is how boto3 spells it.
                if service is not None and self._is_service(service):
                    return Receiver(kind, service)
                return UNKNOWN_RECEIVER
            if func.attr == "Table":
                owner = self.classify(func.value, scope, depth + 1)
                if owner.kind == NOT_BOTO:
                    return owner
                if owner.kind in (RESOURCE, UNKNOWN) and owner.service in (None, "dynamodb"):
                    return Receiver(TABLE, "dynamodb")
                return UNKNOWN_RECEIVER
        helper = self._helper(func, scope)
        if helper is not None:
            found = self._returns(helper, depth)
            if found.kind in (CLIENT, RESOURCE, UNKNOWN) and found.service is None:
                # `def _client(self, name): return self._session.client(name)`: the caller names the
                # service, and `whatever.client("apigateway")` naming a real one is how boto3 spells it.
                through = self._service_through(helper, call, isinstance(func, ast.Attribute))
                if through is not None:
                    return through
            return found
        callee = (resolved or dotted(func) or "").split(".")[-1].lower()
        if "client" in callee:
            # `get_client("ecr")`, `make_boto_client("sns")`: a factory named for clients, given a service.
            service = self.service_arg(call)
            if service is not None and self._is_service(service):
                return Receiver(CLIENT, service)
        if resolved is not None:
            root = resolved.split(".")[0]
            last = resolved.split(".")[-1]
            if root not in _BOTO_ROOTS and last[:1].isupper() and not last.isupper():
                return Receiver(NOT_BOTO)  # another library's class
            return UNKNOWN_RECEIVER
        if isinstance(func, ast.Name) and func.id not in self._shadowed(scope):
            if func.id in self._class_names or func.id in self._relative_classes():
                return Receiver(NOT_BOTO)  # a class of this file, or of this package
        return UNKNOWN_RECEIVER

    def helper_of(self, func: ast.AST, scope: FunctionNode | None) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function of this module (or method of this class) a call of `func` in `scope` calls."""
        return self._helper(func, scope)

    def _helper(self, func: ast.AST, scope: FunctionNode | None) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function of this module (or method of this class) that `func` calls, if it is one."""
        if isinstance(func, ast.Name) and func.id not in self._shadowed(scope):
            return _one_def(self.model.bindings_of(self._tree, func.id))
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and scope is not None:
            method = self.root(scope)
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return None
            params = parameters(method)
            cls = self.class_of(method)
            if cls is None or not params or params[0].arg != func.value.id:
                return None
            return _one_def(self.model.bindings_of(cls, func.attr))
        return None

    def _service_through(self, helper: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, bound: bool) -> Receiver | None:
        """The client (or resource) a call of a factory makes, when every `return` of the factory passes
        one of its parameters as the service (`return self._session.client(name)`) and the call names a
        real service for it (`self._client("apigateway")`)."""
        params = parameters(helper)
        positional = [*helper.args.posonlyargs, *helper.args.args]
        if bound and positional:
            positional = positional[1:]  # `self` (or `cls`) is not among the call's arguments
        found: set[Receiver] = set()
        for node in _walk_scope(list(helper.body)):
            if not isinstance(node, ast.Return) or node.value is None or _is_none(node.value):
                continue
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            if not isinstance(value, ast.Call):
                return None
            resolved = self._names.resolve(value.func, self.local_names(helper))
            attr = value.func.attr if isinstance(value.func, ast.Attribute) else None
            kind: ReceiverKind
            if resolved in _RESOURCE_FACTORIES or attr == "resource":
                kind = RESOURCE
            elif resolved in _CLIENT_FACTORIES or attr in ("client", "create_client"):
                kind = CLIENT
            else:
                return None
            arg: ast.AST | None = value.args[0] if value.args else None
            for kw in value.keywords:
                if kw.arg == "service_name":
                    arg = kw.value
            param = next((p for p in params if isinstance(arg, ast.Name) and p.arg == arg.id), None)
            if param is None:
                return None
            given: ast.AST | None = next((kw.value for kw in call.keywords if kw.arg == param.arg), None)
            index = next((i for i, p in enumerate(positional) if p is param), None)
            if given is None and index is not None and index < len(call.args):
                given = call.args[index]
            if given is None:
                given = _default_of(helper, param)
            if not (isinstance(given, ast.Constant) and isinstance(given.value, str) and self._is_service(given.value)):
                return None
            found.add(Receiver(kind, given.value))
        return found.pop() if len(found) == 1 else None

    def _returns(self, func: ast.FunctionDef | ast.AsyncFunctionDef, depth: int) -> Receiver:
        """What a helper returns, when every `return` agrees (`def sqs(): return boto3.client("sqs")`)."""
        values = [n.value for n in _walk_scope(list(func.body)) if isinstance(n, ast.Return) and n.value is not None]
        if not values:
            return self.classify_annotation(func.returns) if func.returns is not None else UNKNOWN_RECEIVER
        found = {self.classify(v, func, depth + 1) for v in values if not _is_none(v)}
        if func.returns is not None:
            found.add(self.classify_annotation(func.returns))
        return _agree(found)

    def _classify_name(self, name: str, scope: FunctionNode | None, depth: int) -> Receiver:
        # Memoised, with a name being classified reading as UNKNOWN: `c = c or make()` repeated
        # many times must not multiply the work, and cycles (`a = b; b = a`) must end.
        key = (name, id(scope) if scope is not None else 0)
        if key in self._name_memo:
            return self._name_memo[key]
        self._name_memo[key] = UNKNOWN_RECEIVER
        result = self._classify_name_uncached(name, scope, depth)
        self._name_memo[key] = result
        return result

    def _classify_name_uncached(self, name: str, scope: FunctionNode | None, depth: int) -> Receiver:
        func = self.binding_function(name, scope)
        if func is not None:
            for binding in self.model.bindings_of(func, name):
                if binding.kind == "parameter":
                    annotation = getattr(binding.node, "annotation", None)
                    return self.classify_annotation(annotation) if annotation is not None else UNKNOWN_RECEIVER
            return self._merge(self._bindings(func).get(name, []), func, depth)
        values = self._module_values().get(name)
        if values:
            return self._merge(values, None, depth)
        return UNKNOWN_RECEIVER

    def _classify_self_attr(self, base: str, attr: str, scope: FunctionNode, depth: int) -> Receiver:
        method = self.root(scope)
        if method is None or not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return UNKNOWN_RECEIVER
        params = parameters(method)
        if not params or params[0].arg != base or base in self.local_names(scope) - {params[0].arg}:
            return UNKNOWN_RECEIVER
        cls = self.class_of(method)
        if cls is None:
            return UNKNOWN_RECEIVER
        key = (attr, id(cls))
        if key not in self._attr_memo:
            self._attr_memo[key] = UNKNOWN_RECEIVER
            self._attr_memo[key] = self._merge(self._attributes(cls).get(attr, []), None, depth)
        return self._attr_memo[key]

    def _merge(self, values: list[_Bound], scope: FunctionNode | None, depth: int) -> Receiver:
        """One receiver for every value a name is bound to."""
        found: set[Receiver] = set()
        for value in values:
            if value.node is None or value.how == "unknown":
                found.add(UNKNOWN_RECEIVER)
            elif value.how == "annotation":
                found.add(self.classify_annotation(value.node))
            elif not _is_none(value.node):
                found.add(self.classify(value.node, value.scope if value.scoped else scope, depth + 1))
        return _agree(found)

    def classify_annotation(self, node: ast.AST) -> Receiver:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # a SyntaxWarning about the user's annotation is not ours
                    node = ast.parse(node.value, mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return UNKNOWN_RECEIVER
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            sides = [self.classify_annotation(node.left), self.classify_annotation(node.right)]
            known = [p for p in sides if p.kind != UNKNOWN]
            return known[0] if len(known) == 1 else UNKNOWN_RECEIVER
        if isinstance(node, ast.Subscript):
            outer = dotted(node.value) or ""
            if outer.split(".")[-1] in ("Optional", "Annotated", "Union"):
                inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
                return self.classify_annotation(inner)
            return UNKNOWN_RECEIVER
        text = dotted(node)
        if text is None:
            return UNKNOWN_RECEIVER
        resolved = self._names.resolve(node) or text
        if resolved.split(".")[-1] in _OPAQUE_TYPES:
            return UNKNOWN_RECEIVER  # `Any`, `object`: says nothing about where the value comes from
        parts = resolved.split(".")
        last = parts[-1]
        stub = _STUB_ROOT.match(parts[0])
        if stub:
            service = stub.group(1).replace("_", "-")
            if last.endswith("Client"):
                return Receiver(CLIENT, service if self._is_service(service) else self._stub_service(last[:-6]))
            if last == "Table":
                return Receiver(TABLE, "dynamodb")
            if last.endswith("ServiceResource"):
                return Receiver(RESOURCE, service)
            return UNKNOWN_RECEIVER
        if parts[0] in _BOTO_ROOTS:
            if last in ("BaseClient", "AioBaseClient"):
                return Receiver(CLIENT)
            if last == "ServiceResource":
                return Receiver(RESOURCE)
            return UNKNOWN_RECEIVER
        if len(parts) == 1 and last in self._class_names:
            return Receiver(NOT_BOTO)
        if len(parts) == 1 and last.endswith("Client") and last != "Client":
            service = self._stub_service(last[:-6])
            if service is not None:
                return Receiver(CLIENT, service)
        if resolved != text and last[:1].isupper():
            return Receiver(NOT_BOTO)  # a type imported from another library
        return UNKNOWN_RECEIVER

    def imports_boto(self) -> bool:
        """Whether the module imports boto3, botocore, aioboto3, aiobotocore or a boto3 stub package
        (also under `if TYPE_CHECKING:`): where a receiver named only `client` may be a boto3 client."""
        if self._imports_boto is None:
            roots: set[str] = set()
            for node in self._imports:
                if isinstance(node, ast.Import):
                    roots.update(alias.name.split(".")[0] for alias in node.names)
                elif node.level == 0 and node.module:
                    roots.add(node.module.split(".")[0])
            self._imports_boto = any(r in _BOTO_ROOTS or _STUB_ROOT.match(r) for r in roots)
        return self._imports_boto

    # -- bindings ---------------------------------------------------------------------------------

    def _relative_classes(self) -> frozenset[str]:
        """Class-like names imported from this package (`from .compat import ServerProxy`)."""
        if self._relative is None:
            names = set()
            for node in self._imports:
                if isinstance(node, ast.ImportFrom) and node.level > 0:
                    for alias in node.names:
                        bound = alias.asname or alias.name
                        if bound[:1].isupper() and not bound.isupper():
                            names.add(bound)
            self._relative = frozenset(names)
        return self._relative

    def _shadowed(self, scope: FunctionNode | None) -> set[str]:
        return self.local_names(scope) if scope is not None else set()

    def local_names(self, func: FunctionNode) -> set[str]:
        """The names `func` binds itself (computed once per function)."""
        key = id(func)
        if key not in self._locals:
            self._locals[key] = local_bindings(func)
        return self._locals[key]

    def _bindings(self, func: FunctionNode) -> dict[str, list[_Bound]]:
        """name -> the values the function's own bindings give it (the semantic model's bindings)."""
        key = id(func)
        if key not in self._scope_bindings:
            scope = self.model.scope(func)
            self._scope_bindings[key] = _values(scope) if scope is not None else {}
        return self._scope_bindings[key]

    def _module_values(self) -> dict[str, list[_Bound]]:
        if self._module_bindings is None:
            model = self.model
            bindings = _values(model.module)
            # `global _client` in a function that creates it lazily binds the module's name too.
            for scope in model.scopes.values():
                if scope is model.module or not scope.declared_global:
                    continue
                owner = scope.node if isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else None
                for name, values in _values(scope, sorted(scope.declared_global)).items():
                    bindings.setdefault(name, []).extend(v if v.scoped else v._replace(scope=owner, scoped=True) for v in values)
            self._module_bindings = bindings
        return self._module_bindings

    def module_constant(self, name: str) -> object:
        """The value of a module-level name bound once to a constant (`PAGE_SIZE = 10`), else None."""
        values = self._module_values().get(name, [])
        if len(values) == 1 and values[0].how == "value" and isinstance(values[0].node, ast.Constant):
            return values[0].node.value
        return None

    def single_value(self, name: str, scope: FunctionNode | None) -> ast.AST | None:
        """The one value a local name is bound to (`kwargs = {...}`), or None when it is bound more
        than once, by a parameter, or in some way not followed."""
        if scope is None:
            values = self._module_values().get(name, [])
            return values[0].node if len(values) == 1 and values[0].how == "value" else None
        func = self.binding_function(name, scope)
        if func is None or self.is_parameter(name, func):
            return None
        values = [b for b in self._bindings(func).get(name, []) if b.how != "annotation"]
        return values[0].node if len(values) == 1 else None

    def local_constant(self, name: str, scope: FunctionNode | None) -> object:
        """The constant a name holds where `scope` reads it: every local assignment and the parameter's
        default (`max_keys=1000`) agree on one constant; else None (a caller's choice, a computed value)."""
        func = self.binding_function(name, scope)
        if func is None:
            return self.module_constant(name)
        nodes = [b.node for b in self._bindings(func).get(name, []) if b.how != "annotation"]
        param = next((a for a in parameters(func) if a.arg == name), None)
        if param is not None:
            nodes.append(_default_of(func, param))
        if not nodes or not all(isinstance(n, ast.Constant) for n in nodes):
            return None
        values = {repr(n.value) for n in nodes if isinstance(n, ast.Constant)}
        first = nodes[0]
        return first.value if len(values) == 1 and isinstance(first, ast.Constant) else None

    def _module_string(self, name: str) -> str | None:
        if self._module_strings is None:
            strings: dict[str, str] = {}
            for key, values in self._module_values().items():
                consts = {
                    v.node.value for v in values if isinstance(v.node, ast.Constant) and isinstance(v.node.value, str)
                }
                if len(consts) == 1 and len(values) == 1 and values[0].how == "value":
                    strings[key] = consts.pop()
            self._module_strings = strings
        return self._module_strings.get(name)

    def _attributes(self, cls: ast.ClassDef) -> dict[str, list[_Bound]]:
        key = id(cls)
        if key in self._class_attrs:
            return self._class_attrs[key]
        # The class body's own names (`client = boto3.client("s3")`) from the model, classified where
        # the class body runs (at module level, as far as this analysis follows)...
        scope = self.model.scope(cls)
        attrs = {k: [v._replace(scoped=True) for v in vs] for k, vs in _values(scope).items()} if scope else {}
        # ... and `self.x = ...` in its methods: attribute stores, which the model does not record.
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                params = parameters(stmt)
                if not params or any(_decorator_name(d) == "staticmethod" for d in stmt.decorator_list):
                    continue
                this = params[0].arg
                for node in _walk_scope(list(stmt.body)):
                    for target, value, annotation in _attribute_stores(node):
                        if isinstance(target.value, ast.Name) and target.value.id == this:
                            if annotation is not None:
                                attrs.setdefault(target.attr, []).append(_Bound(annotation, "annotation"))
                            if value is not None:
                                attrs.setdefault(target.attr, []).append(_Bound(value, "value", stmt, True))
        self._class_attrs[key] = attrs
        return attrs


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _agree(found: set[Receiver]) -> Receiver:
    """One receiver for the values a name may hold. A value the analysis cannot follow (often the
    `None` of a lazily created client) does not outweigh one it can; real disagreement is UNKNOWN,
    except that clients of different services are still clients."""
    known = {r for r in found if r.kind != UNKNOWN}
    if not known:
        return UNKNOWN_RECEIVER
    if any(r.kind == NOT_BOTO for r in known):
        return Receiver(NOT_BOTO) if len({r.kind for r in known}) == 1 else UNKNOWN_RECEIVER
    if len(known) == 1:
        return next(iter(known))
    kinds = {r.kind for r in known}
    return Receiver(kinds.pop()) if len(kinds) == 1 else UNKNOWN_RECEIVER


# How a binding gives a name its value: a value to classify, an annotation, or nothing followed
# (a loop target, an unpacking, `+=`, an `except` name, an import, a `def`).
ValueKind = Literal["value", "annotation", "unknown"]


class _Bound(NamedTuple):
    """One binding of a name, as receiver inference reads it: the value (or annotation) and how."""

    node: ast.AST | None
    how: ValueKind
    scope: FunctionNode | None = None
    scoped: bool = False  # classify in `scope` rather than in the scope that asks


_UNKNOWN_VALUE = _Bound(None, "unknown")


def _values(scope: Scope, only: Iterable[str] | None = None) -> dict[str, list[_Bound]]:
    """name -> what each of the scope's bindings (the semantic model's) gives it: `=`, `: T =`, `with
    ... as name` and `:=` give a value; an annotation its type; every other binding nothing known.
    A parameter is left to the caller (its annotation, its default); `del` binds no value."""
    out: dict[str, list[_Bound]] = {}
    for name in scope.bindings if only is None else only:
        found = [_bound(b) for b in scope.bindings.get(name, ()) if b.kind not in ("parameter", "delete")]
        bounds = [v for pair in found for v in pair]
        if bounds:
            out[name] = bounds
    return out


def _bound(binding: Binding) -> tuple[_Bound, ...]:
    kind, value = binding.kind, binding.value
    if kind == "annassign":
        annotation = _Bound(getattr(binding.node, "annotation", None), "annotation")
        return (annotation, _Bound(value, "value")) if value is not None else (annotation,)
    if kind in ("assign", "with", "walrus") and value is not None:
        return (_Bound(value, "value"),)
    return (_UNKNOWN_VALUE,)


def _one_def(bindings: list[Binding]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function a name names, when one `def` binds it (`make = lru_cache()(make)` still calls it)."""
    defs = [b.node for b in bindings if b.kind == "def"]
    found = defs[0] if len(defs) == 1 else None
    return found if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _decorator_name(node: ast.AST) -> str:
    return (dotted(node) or "").split(".")[-1]


def _attribute_stores(node: ast.AST) -> Iterable[tuple[ast.Attribute, ast.AST | None, ast.AST | None]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Attribute):
                yield target, node.value, None
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute):
        yield node.target, node.value, node.annotation
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if isinstance(item.optional_vars, ast.Attribute):
                yield item.optional_vars, item.context_expr, None


def _walk_scope(body: list[ast.AST]) -> Iterable[ast.AST]:
    """Every node of a function body, not descending into nested functions or classes."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    stack: list[ast.AST] = [node for node in body if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, nested))


def _default_of(func: FunctionNode, param: ast.arg) -> ast.AST | None:
    """The default value of `param`, or None when it has none (or is `*args`/`**kwargs`)."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    if param in positional:
        offset = len(positional) - len(args.defaults)
        index = positional.index(param)
        return args.defaults[index - offset] if index >= offset else None
    if param in args.kwonlyargs:
        return args.kw_defaults[args.kwonlyargs.index(param)]
    return None
