"""`--fix` for AWS504: create the dict as `collections.defaultdict(...)` (or `Counter()`) and drop the idiom.

A dict is rewritten only when every idiom that builds it was reported (so SPEC's conditions hold for
the whole dict) and each one has a rewrite that keeps what it computes:

- `d.setdefault(k, [])` becomes `d[k]` (the call is the only change);
- `if k not in d: d[k] = []` is removed, the mutation after it stays;
- `try: d[k] += n / except KeyError: d[k] = n` becomes `d[k] += n` only when the fallback is what the
  first pass would have added (`n` and `n`, `append(x)` and `[x]`, `add(x)` and `{x}`): a fallback of
  `0` after `+= 1` starts the count elsewhere, and a `defaultdict` would change the result;
- a standalone `d.setdefault(k, 0)` before `d[k] += 1` is removed;
- `return d` becomes `return dict(d)`, so that the caller still gets a `KeyError` for a missing key.

Lines a rewrite removes must hold nothing else, comments included (a comment would be lost). The
import is added as `import collections` after the module's imports when neither `collections` nor
the class itself is imported at module level.
"""
from __future__ import annotations

import ast
from typing import Callable, Optional, Sequence, Tuple

from awslint.analysis.buildup import Buildup, buildups, returned
from awslint.analysis.index import Index
from awslint.analysis.names import Names, local_bindings
from awslint.analysis.scopes import Scope, scopes
from awslint.finding import Finding
from awslint.fix_edits import Edit, Source

CODE = "AWS504"
# Where to insert the import and its text, for the source being fixed.
Inserter = Callable[[Source], Tuple[int, str]]
_CLASSES = {"list": ("defaultdict", "list"), "set": ("defaultdict", "set"), "dict": ("defaultdict", "dict"),
            "int": ("Counter", "")}


def plan(src: Source, tree: ast.AST, findings: Sequence[Finding]) -> list[list[Edit]]:
    wanted = {(f.line, f.col) for f in findings if f.code == CODE}
    if not wanted or not isinstance(tree, ast.Module):
        return []
    names = Names(tree, Index(tree).imports)
    groups: list[list[Edit]] = []
    for scope in scopes(tree):
        if not scope.is_function:
            continue
        by_name: dict[str, list[Buildup]] = {}
        for built in buildups(scope, names):
            by_name.setdefault(built.name, []).append(built)
        for name, idioms in by_name.items():
            if not all((getattr(b.node, "lineno", 0), getattr(b.node, "col_offset", 0)) in wanted for b in idioms):
                continue
            group = _rewrite(src, tree, scope, name, idioms)
            if group:
                groups.append(group)
    return groups


def _rewrite(src: Source, tree: ast.Module, scope: Scope, name: str, idioms: list[Buildup]) -> list[Edit]:
    created = _creation(scope, name)
    func = scope.function()
    if created is None or func is None:
        return []
    spelled = _spelling(tree, idioms[0].empty, frozenset(local_bindings(func)))
    if spelled is None:
        return []
    factory, import_edit = spelled
    edits: list[Edit] = []
    for built in idioms:
        edit = _idiom_edit(src, built)
        if edit is None:
            return []
        edits.append(edit)
    value = created.value
    start, end = src.start(value), src.end(value)
    edits.append(Edit(start, end, factory, (start, end), CODE, primary=False))
    for name_returned in returned(scope, name):
        # the caller gets a plain dict, whose missing keys still raise `KeyError`
        at, stop = src.start(name_returned), src.end(name_returned)
        edits.append(Edit(at, stop, f"dict({name})", (at, stop), CODE, primary=False))
    if import_edit is not None:
        at, text = import_edit(src)
        edits.append(Edit(at, at, text, (at, at), CODE, primary=False))
    return edits


def _creation(scope: Scope, name: str) -> ast.Assign | None:
    """The one `name = {}` / `name = dict()` statement of the block."""
    found = [n for n in scope.own_nodes() if isinstance(n, ast.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id == name]
    return found[0] if len(found) == 1 else None


def _spelling(tree: ast.Module, empty: str, shadowed: frozenset[str]) -> tuple[str, Optional[Inserter]] | None:
    """How the function can name the class (and the edit that imports it, if needed)."""
    cls, arg = _CLASSES[empty]
    modules: set[str] = set()
    classes: set[str] = set()
    last_import: ast.stmt | None = None
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            last_import = stmt
            modules.update(a.asname or a.name for a in stmt.names if a.name == "collections")
        elif isinstance(stmt, ast.ImportFrom):
            last_import = stmt
            if stmt.module == "collections" and stmt.level == 0:
                classes.update(a.asname or a.name for a in stmt.names if a.name == cls and (a.asname or a.name) == cls)
    if cls in classes and cls not in shadowed:
        return f"{cls}({arg})", None
    module = next((m for m in sorted(modules) if m not in shadowed), None)
    if module is not None:
        return f"{module}.{cls}({arg})", None
    if "collections" in shadowed or _binds(tree, "collections"):
        return None

    after = next((stmt for stmt in tree.body if isinstance(stmt, ast.Import) and stmt.col_offset == 0
                  and stmt.names[0].name > "collections"), None)

    def insert(src: Source) -> tuple[int, str]:
        if after is not None:  # in order among the module's `import x` lines
            at = src.line_start(after.lineno)
            return at, f"import collections{src.newline(after.lineno)}"
        if last_import is not None:
            line = (last_import.end_lineno or last_import.lineno) + 1
            at = src.line_start(line)
            prefix = "" if at == 0 or src.text[at - 1] in "\r\n" else src.newline(line - 1)
            return at, f"{prefix}import collections{src.newline(line - 1)}"
        first = tree.body[0]
        doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
        line = (first.end_lineno or first.lineno) + 1 if doc else 1
        at = src.line_start(line)
        newline = src.newline(max(line - 1, 1))
        prefix = "" if at == 0 or src.text[at - 1] in "\r\n" else newline
        # code right below keeps the two blank lines that set a definition apart
        gap = newline * 2 if src.body(line).strip() else ""
        return at, f"{prefix}import collections{newline}{gap}"

    return f"collections.{cls}({arg})", insert


def _binds(tree: ast.Module, name: str) -> bool:
    """A module-level binding of `name` other than the import (a variable or function called collections)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
    return False


def _idiom_edit(src: Source, built: Buildup) -> Edit | None:
    if built.kind == "setdefault":
        call = built.node
        assert isinstance(call, ast.Call)
        stmt = built.block[0]
        if isinstance(stmt, ast.Expr) and stmt.value is call:
            return _remove_lines(src, stmt)  # `d.setdefault(k, 0)` before `d[k] += 1`
        key = src.segment(call.args[0])
        start, end = src.start(call), src.end(call)
        return Edit(start, end, f"{built.name}[{key}]", (start, end), CODE)
    if built.kind == "if":
        return _remove_lines(src, built.block[0])
    return _try_edit(src, built)


def _remove_lines(src: Source, stmt: ast.stmt) -> Edit | None:
    """Delete the lines of `stmt` when they hold nothing else (no other statement, no comment)."""
    first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
    if src.indent_before(stmt) is None:
        return None
    tail = src.text[src.end(stmt): src.line_start(last) + len(src.body(last))]
    if tail.strip():
        return None
    start, end = src.line_start(first), src.line_start(last + 1)
    if "#" in src.text[start:end]:
        return None
    return Edit(start, end, "", (start, end), CODE)


def _try_edit(src: Source, built: Buildup) -> Edit | None:
    stmt = built.block[0]
    assert isinstance(stmt, ast.Try)
    first, fallback = stmt.body[0], stmt.handlers[0].body[0]
    assert isinstance(fallback, ast.Assign)
    if first.lineno != first.end_lineno or not _same_start(first, fallback.value):
        return None
    start, end = src.start(stmt), src.end(stmt)
    if "#" in src.text[start:end]:
        return None
    return Edit(start, end, src.segment(first), (start, end), CODE)


def _same_start(first: ast.stmt, value: ast.expr) -> bool:
    """The fallback holds what the first pass adds: `+= n` / `= n`, `append(x)` / `[x]`, `add(x)` / `{x}`."""
    if isinstance(first, ast.AugAssign):
        return ast.dump(first.value) == ast.dump(value)
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Call) and isinstance(first.value.func, ast.Attribute):
        call = first.value
        if len(call.args) != 1 or call.keywords:
            return False
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        if method == "append" and isinstance(value, ast.List) and len(value.elts) == 1:
            return ast.dump(value.elts[0]) == ast.dump(call.args[0])
        if method == "add" and isinstance(value, ast.Set) and len(value.elts) == 1:
            return ast.dump(value.elts[0]) == ast.dump(call.args[0])
    return False
