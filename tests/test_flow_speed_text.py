"""The flow family's tests on the source text are necessary conditions: wherever one lets the
analysis skip work, the analysis it skips would have answered the same (oracles on crafted sources)."""
from __future__ import annotations

import ast

import importlib

import pytest

from awslint import Config

from awslint.analysis import buildup
from awslint.analysis.buildup import _empty_dicts, _stored_otherwise, buildups
from awslint.analysis.handlers import _BROAD_RESOLVED, Reporters, is_broad
from awslint.analysis.index import Index
from awslint.analysis.names import Names
from awslint.analysis.scopes import Scope
from awslint.context import Context
from awslint.lines import source_lines
from awslint.rules.flow.mentions import SourceText

check = importlib.import_module("awslint.rules.flow.check")  # the module (the package exports its `check`)

# Assignments the module scan finds reporters in, spelled in every way a statement may start, next to
# the keyword arguments, defaults and chains that only look like them.
SCANNED = '''\
import logging
import os as _os
from traceback import print_exc
log = logging.getLogger(__name__)
warn = log.warning
self_note = log.info; (hush) = log.debug
if True: shout = log.error
class Holder:
    alias = print_exc
(Holder).loud = log.critical
Holder . quiet = log.info
Holder.\\
    later = log.warning
(
    wrapped) = log.error
def cleanup(self, note=log.info, say=print_exc):
    remove = _os.remove
    pending = other = log.warning
    dict(rmdir=log.info, chmod=print_exc)
    try:
        note("x")
        say("x")
        remove("x")
        chmod("x")
    except Exception:
        warn("failed")
        shout("failed")
        self_note("x")
        hush("x")
        Holder.loud("x")
        Holder.quiet("x")
        Holder.later("x")
        wrapped("x")
        alias("x")
        Holder.alias("x")
        note("x")
        say("x")
        remove("x")
        rmdir("x")
        chmod("x")
        pending("x")
        other("x")
'''


@pytest.mark.parametrize("source", [
    SCANNED, SCANNED.replace("\n", "\r\n"), SCANNED.replace("log.", "log ."),
    # not ASCII: Python reads `ｓhout` (a full-width letter) as `shout`, and `Holdé` keeps its `é`
    "# café\n" + SCANNED.replace("if True: shout", "if True: ｓhout").replace("Holder", "Holdé"),
])
def test_the_scan_is_skipped_only_where_it_would_not_change_an_answer(source: str) -> None:
    tree = ast.parse(source)
    names = Names(tree, Index(tree).imports)
    always = Reporters(tree, names, ())
    always._scan()
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    # each call asked first, of its own reporters: once one call has the module scanned, all are
    assert [Reporters(tree, names, (), source).reports(call, frozenset()) for call in calls] == [
        always.reports(call, frozenset()) for call in calls]
    never = Reporters(tree, names, ())
    never._tree = None  # as if scanned, finding nothing
    # what only the scan finds: the aliases assigned as a statement's one target
    found = [ast.unparse(call.func) for call in calls
             if always.reports(call, frozenset()) and not never.reports(call, frozenset())]
    assert found == [name.replace("Holder", "Holdé") if "é" in source else name for name in [
        "shout", "self_note", "hush", "Holder.loud", "Holder.quiet", "Holder.later", "wrapped", "alias"]]


def test_a_keyword_argument_or_a_default_named_as_a_call_does_not_make_the_module_scanned() -> None:
    source = ("import logging\nlog = logging.getLogger()\ndef f(note=log.info):\n    g(x, say=log.info)\n"
              "    a = say = log.info\n    note('a')\n    say('b')\n")
    tree = ast.parse(source)
    reporters = Reporters(tree, Names(tree, Index(tree).imports), (), source)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    assert [reporters.reports(call, frozenset()) for call in calls] == [False, False, False]  # g, note, say
    assert reporters._tree is not None  # never scanned


def _broad_by_resolving_every_option(expr: ast.expr | None, names: Names, shadowed: frozenset[str]) -> bool:
    """`is_broad` as it was before it settled names and attributes without resolving them."""
    if expr is None:
        return True
    for option in expr.elts if isinstance(expr, ast.Tuple) else [expr]:
        if isinstance(option, ast.Name) and option.id in ("Exception", "BaseException") and option.id not in shadowed:
            if option.id not in names.module_bound:
                return True
        elif names.resolve(option, shadowed) in _BROAD_RESOLVED:
            return True
    return False


HANDLERS = '''\
import builtins
import builtins as b
from builtins import Exception as Problem, BaseException
import socket
from socket import error as Exception2
class BaseException(BaseException): pass
try: pass
except (ValueError, OSError): pass
except Problem: pass
except b.Exception: pass
except builtins.BaseException: pass
except (socket.error, Exception2): pass
except Exception: pass
except BaseException: pass
except b.ValueError: pass
except errors[0]: pass
except get_errors(): pass
except (KeyError, *more): pass
except socket.Exception: pass
except: pass
'''


@pytest.mark.parametrize("shadowed", [frozenset(), frozenset({"Exception", "Problem", "b", "builtins"})])
def test_a_handler_is_broad_as_resolving_every_option_says(shadowed: frozenset[str]) -> None:
    tree = ast.parse(HANDLERS)
    names = Names(tree, Index(tree).imports)
    handlers = [node for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)]
    answers = [is_broad(h.type, names, shadowed) for h in handlers]
    assert answers == [_broad_by_resolving_every_option(h.type, names, shadowed) for h in handlers]
    assert any(answers) and not all(answers)


CALLS = '''\
import os
import logging as lg
from traceback import print_exc
def print(*a): pass
def f(conn, os_):
    conn.close()
    os.close(1)
    lg.getLogger().warning("x")
    print_exc()
    print("x")
    open("f").read().close()
    len([])
    (conn or os).close()
    conn.sock.shutdown()
    os_.path.join()
'''


@pytest.mark.parametrize("shadowed", [frozenset(), frozenset({"conn", "os", "print_exc", "open", "len"}),
                                      frozenset({"lg", "print", "conn"})])
def test_a_call_resolves_as_resolving_it_with_the_function_bindings_says(shadowed: frozenset[str]) -> None:
    tree = ast.parse(CALLS)
    names = Names(tree, Index(tree).imports)
    reporters = Reporters(tree, names, (), CALLS)
    funcs = [node.func for node in ast.walk(tree) if isinstance(node, ast.Call)]
    assert [reporters._resolve(func, shadowed) for func in funcs] == [names.resolve(func, shadowed) for func in funcs]


BUILDUPS = '''\
def grouped(pairs, more):
    groups = {}
    counts = {}
    looped = {}
    managed = {}
    for key, value in pairs:
        groups.setdefault(key, []).append(value)
        if key not in counts:
            counts[key] = 0
        counts[key] += 1
        looped.setdefault(key, []).append(value)
        managed.setdefault(key, set()).add(value)
    for looped in more:
        pass
    with open("f") as managed:
        pass
    [0 for counts in more]
    return groups, counts, looped, managed
'''


@pytest.mark.parametrize("source", [BUILDUPS, BUILDUPS.replace("setdefault", "get"), BUILDUPS + "# é\n"])
def test_the_names_bound_otherwise_are_left_out_after_the_idioms_are_found_as_before(source: str) -> None:
    tree = ast.parse(source)
    names = Names(tree, Index(tree).imports)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    scope = Scope(func)
    found = [(b.name, b.kind) for b in buildups(scope, names, source)]
    assert found == [(b.name, b.kind) for b in buildups(Scope(func), names)]
    # by the old order: the names bound otherwise removed before any idiom is looked for
    local = _empty_dicts(scope, names) - _stored_otherwise(scope)
    assert local == {"groups"}
    assert found == ([] if "get" in source else [("groups", "setdefault")])


SETDEFAULTS = '''\
def built(pairs, other):
    by_key = {}
    counts = {}
    nested = {}
    spare = {}
    for key, value in pairs:
        by_key.setdefault(key, []).append(value)
        bucket = by_key.setdefault(key, [])
        bucket.append(value)
        nested.setdefault(key, {})[value] = 1
        counts.setdefault(key, 0)
        counts[key] += 1
        if value:
            by_key.setdefault(value, []).append(key)
        other(spare.setdefault(key, []))
        spare.setdefault(key, []).append(lambda: spare.setdefault(key, []))
        x = [spare.setdefault(k, []) for k in pairs]
        f = lambda: spare.setdefault(key, []).append(1)
    return by_key, counts, nested, spare
'''


def test_a_statement_is_walked_for_setdefault_only_where_an_idiom_may_stand(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = ast.parse(SETDEFAULTS)
    names = Names(tree, Index(tree).imports)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    found = [(b.name, b.kind, b.idiom) for b in buildups(Scope(func), names, SETDEFAULTS)]
    monkeypatch.setattr(buildup, "_idiom_places", ast.walk)  # every node of the statement: the full walk
    assert found == [(b.name, b.kind, b.idiom) for b in buildups(Scope(func), names, SETDEFAULTS)]
    assert [name for name, _, _ in found] == ["by_key", "by_key", "by_key", "nested", "counts"]


NESTED_BUILDERS = '''\
def outer(pairs):
    seen = {}
    def inner(key):
        return key not in seen
    def spelled_nothing(key):
        return key
    handler = lambda k: k not in seen
    class Local:
        def method(self):
            try:
                return {}[1]
            except KeyError:
                return dict( )
    return inner
async def later(pairs):
    counts = dict()
    for key in pairs:
        counts.setdefault(key, 0)
def no_dict(pairs):
    return [p for p in pairs if p not in pairs]
x = {k: 1 for k in [] if k not in {}}
'''


@pytest.mark.parametrize("source", [NESTED_BUILDERS, NESTED_BUILDERS.replace("\n", "\r\n")])
def test_the_functions_that_may_build_up_are_those_whose_own_text_spells_an_idiom_and_an_empty_dict(
        source: str) -> None:
    tree = ast.parse(source)
    lines = source_lines(source)
    context = Context(tree, lines, "m.py", Config(select=("AWS504",)))
    text = SourceText(lines)
    found = [f.name for f in check._may_build_up_in(context, text)
             if check._spells_empty_dict(text.span(f.lineno, f.end_lineno or f.lineno))]
    every = [f.name for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             and any(word in "\n".join(lines[f.lineno - 1:f.end_lineno]) for word in ("setdefault", "KeyError", " not in "))
             and check._spells_empty_dict("\n".join(lines[f.lineno - 1:f.end_lineno]))]
    assert sorted(found) == sorted(every) == ["later", "method", "outer"]


@pytest.mark.parametrize("method", sorted(check.RESIZING_NAMES))
def test_a_body_that_spells_any_resizing_method_may_resize(method: str) -> None:
    # the words asked for are the shortest ones: each method's name holds one of them
    assert check._may_resize(f"    x.{method}(y)\n")
