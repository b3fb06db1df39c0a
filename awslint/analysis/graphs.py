"""The control-flow graph of each block of one file, built once and shared by every family.

Resources, processes, the defaults tracker, the flow rules, taint and pagination's token loops all
follow paths over the same graph of a function (or of the module's top level). Each asks this cache,
so a function several families analyse is built once, and every family sees the same edges: in
particular which statement-level calls never return, decided by what the called name resolves to
through the file's imports (`from sys import exit as leave; leave(2)` ends a path, a function's own
`exit` does not) rather than by its spelling, and argparse's `parser.error()`/`parser.exit()`, which
print usage and exit.
"""
from __future__ import annotations

import ast

from awslint.analysis.cfg import BlockNode, Cfg, NoReturnKind, NoReturnTest, build_cfg_or_reason, no_return_kind
from awslint.analysis.names import Names, local_bindings
from awslint.data.calls import PARSER_EXIT_METHODS


class Graphs:
    """Each block's graph (or why it could not be built), on first request."""

    def __init__(self, names: Names) -> None:
        self.names = names
        # Keyed by the node's id; the node is kept beside its graph so that the id stays its own.
        self._built: dict[int, tuple[BlockNode, tuple[Cfg | None, str]]] = {}

    def of(self, block: BlockNode) -> tuple[Cfg | None, str]:
        """The graph of `block`, or None and the reason it was not built (for the caller's notice)."""
        found = self._built.get(id(block))
        if found is None:
            found = self._built[id(block)] = (block, build_cfg_or_reason(block, self.ends_in(block)))
        return found[1]

    def graph(self, block: BlockNode) -> Cfg | None:
        return self.of(block)[0]

    def ends_in(self, block: BlockNode) -> NoReturnTest:
        """How a statement-level call in `block` ends its path, if it does."""
        names = self.names
        own: list[frozenset[str]] = []

        def shadowed(root: str) -> bool:
            if isinstance(block, ast.Module):
                return False
            if not own:
                own.append(frozenset(local_bindings(block)))
            return root in own[0]

        def ends(call: ast.Call) -> NoReturnKind | None:
            func = call.func
            kind = no_return_kind(names.resolve(func))
            if kind is not None:
                root = func
                while isinstance(root, ast.Attribute):
                    root = root.value
                # a name the block binds itself is its own, not the module's import or the builtin
                if not (isinstance(root, ast.Name) and shadowed(root.id)):
                    return kind
            if (isinstance(func, ast.Attribute) and func.attr in PARSER_EXIT_METHODS
                    and isinstance(func.value, ast.Name) and "parser" in func.value.id.lower()):
                return "end"
            return None

        return ends
