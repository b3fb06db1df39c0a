"""Name resolution: which module-level thing an expression names, through imports and aliases.

`resolve(node)` turns `sp.run` (after `import subprocess as sp`) into `"subprocess.run"`, `closing`
(after `from contextlib import closing`) into `"contextlib.closing"`, and a builtin such as `open` into
`"open"` unless the module or the function rebinds it.
"""
from __future__ import annotations

import ast
import builtins
import weakref
from typing import AbstractSet, Iterable

from awslint.analysis.index import FunctionNode

_BUILTINS = frozenset(dir(builtins))


class Names:
    """The import aliases of one module, and the module-level names that shadow builtins."""

    def __init__(self, tree: ast.AST, imports: Iterable[ast.Import | ast.ImportFrom]) -> None:
        self.aliases: dict[str, str] = {}
        self._resolved: dict[int, tuple[ast.AST, str | None, str | None]] = {}
        # A name imported twice means what its last import at module level binds: the fallback of
        # `try: import pysqlite3 as sqlite3` / `except ImportError: import sqlite3` (the API the
        # other one stands in for), or the later of two imports in a row; an import inside a function
        # says less about the module's name than any at its top.
        outer = _module_level_imports(tree)
        for node in sorted(imports, key=lambda n: (id(n) in outer, n.lineno, n.col_offset)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif node.level == 0 and node.module:
                for alias in node.names:
                    if alias.name != "*":
                        self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        self.module_bound: frozenset[str] = frozenset(
            name for name in _module_bindings(tree) if name not in self.aliases
        )

    def resolve(self, node: ast.AST, shadowed: AbstractSet[str] = frozenset()) -> str | None:
        """The dotted name `node` refers to, or None when it is not an import or a builtin.

        `shadowed` holds the names the enclosing function binds itself.
        """
        # Every family asks of the same callees (`subprocess.Popen` five times a call): the answer
        # before `shadowed` is kept per node, with the node itself, so that its id is not reused
        known = self._resolved.get(id(node))
        if known is None:
            known = self._resolved[id(node)] = (node, *self._resolve(node))
        root, found = known[1], known[2]
        return None if root is None or root in shadowed else found

    def _resolve(self, node: ast.AST) -> tuple[str | None, str | None]:
        """The root name of `node` (None when it is not a name or a chain of attributes on one) and
        what it resolves to when no function rebinds the root."""
        attrs: list[str] = []
        while isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None, None
        base = self.aliases.get(node.id)
        if base is None:
            if node.id in self.module_bound or node.id not in _BUILTINS:
                return node.id, None
            base = node.id
        return node.id, ".".join([base, *reversed(attrs)])


def _module_level_imports(tree: ast.AST) -> set[int]:
    """The ids of the imports outside every `def` and `class` (in `try`, `if`, `with` blocks too)."""
    found: set[int] = set()
    stack: list[ast.AST] = list(tree.body) if isinstance(tree, ast.Module) else []
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.add(id(node))
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)) or type(node).__name__ == "TryStar":
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, field, ()))
        elif isinstance(node, ast.ExceptHandler):
            stack.extend(node.body)
    return found


def _module_bindings(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    body = tree.body if isinstance(tree, ast.Module) else []
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                names.update(target_names(target))
    return names


def dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a name (`self.items`, `boto3.client`), the name for a name,
    else None. The one spelling of a chain every analysis uses."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def target_names(target: ast.AST) -> Iterable[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from target_names(elt)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


def parameters(func: FunctionNode) -> list[ast.arg]:
    """Every parameter of `func`, in order of declaration."""
    args = func.args
    out = [*args.posonlyargs, *args.args]
    if args.vararg:
        out.append(args.vararg)
    out.extend(args.kwonlyargs)
    if args.kwarg:
        out.append(args.kwarg)
    return out


def local_bindings(func: FunctionNode) -> set[str]:
    """Names `func` binds itself (parameters, assignments, nested defs), not those of nested scopes.

    The semantic model decides, so every family agrees on `match` captures, `except*` names and
    comprehension scopes. An import inside the function still resolves like a module-level one, so a
    name bound only by an import is not counted here.
    """
    # Several analyses ask about the same function. The answer is kept beside the tree, not on it:
    # flake8 hands the same tree to every plugin, and an attribute of ours on its nodes would be
    # seen by any of them that reads a node's __dict__ (or copies or pickles the tree). The entry
    # goes when the function's node does.
    cached = _LOCAL_BINDINGS.get(func)
    if cached is None:
        cached = _LOCAL_BINDINGS[func] = own_bindings(func)
    return set(cached)


def own_bindings(func: FunctionNode) -> frozenset[str]:
    """`local_bindings` computed afresh: a walk of the function's own scope only."""
    from awslint.analysis.model import SemanticModel

    scope = SemanticModel(func, only_root=True).scope(func)
    if scope is None:
        return frozenset()
    return frozenset(
        name for name, found in scope.bindings.items() if scope.binds(name) and any(b.kind != "import" for b in found)
    )


_LOCAL_BINDINGS: weakref.WeakKeyDictionary[ast.AST, frozenset[str]] = weakref.WeakKeyDictionary()
