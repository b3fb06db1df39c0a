"""The abstract values of the taint analysis: where a value may come from, and how it got here.

A value is described by its *origins*: external input (`source`), a parameter of the function being
analysed (`param`, resolved at each call site), or something the analysis cannot see into (`dynamic`:
an unknown call, a name bound elsewhere). A value with no origin is built only from constants or
sanitised parts. Each origin carries the hops it took (assignments, calls) so that a finding can name
the path, and the set of origins per value is capped so that loops converge quickly.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, TypeVar

from awslint.finding import Step

SOURCE = "source"
PARAM = "param"
DYNAMIC = "dynamic"

_MAX_ORIGINS = 4
_MAX_HOPS = 8
_KIND_RANK = {SOURCE: 0, PARAM: 1, DYNAMIC: 2}

_T = TypeVar("_T")


class _kept(Generic[_T]):
    """`functools.cached_property` without the lock Python 3.11's takes at each first read (half its cost
    for an origin, most of which are read once or twice): computed on first read, then the instance's."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__

    def __get__(self, instance: Any, owner: object = None) -> _T:
        value: _T = self.func(instance)
        instance.__dict__[self.name] = value
        return value

# The values below are frozen dataclasses built and hashed by the thousand per function interpreted.
# The generated `__init__` of a frozen dataclass sets each field through `object.__setattr__`, some
# three times slower than filling the instance's `__dict__`, which their own `__init__` does (the
# fields, their order and defaults are the dataclass's); the generated `__hash__` hashes every field
# again each time an origin enters a set, where the hash of an immutable value can be kept: the same
# value, so sets hold and iterate over them as before.


@dataclass(frozen=True, init=False)
class Hop:
    """One step a value took: `short` goes into the message ("`cmd` (line 4)"), `note` into the path."""

    line: int
    col: int
    short: str
    note: str

    def __init__(self, line: int, col: int, short: str, note: str) -> None:
        fields = self.__dict__
        fields["line"] = line
        fields["col"] = col
        fields["short"] = short
        fields["note"] = note

    def __hash__(self) -> int:
        fields = self.__dict__
        found: int | None = fields.get("_hash")
        if found is None:
            found = fields["_hash"] = hash((self.line, self.col, self.short, self.note))
        return found

    def step(self) -> Step:
        return Step(self.line, self.col, self.note)


@dataclass(frozen=True, init=False)
class Origin:
    """Where part of a value comes from.

    `text` names it as the user wrote it (`event['file']`), `what` says what kind of input it is
    ("Lambda event"). A *refinable* origin still stands for a whole input object (`event`,
    `os.environ`, the result of `parse_args()`), so a subscript or attribute of it names the part read.
    """

    kind: str
    text: str
    what: str
    line: int
    col: int
    hops: tuple[Hop, ...] = ()
    refinable: bool = False
    param: str = ""
    literal: bool = False  # passed through repr(): a Python literal, inert in eval/exec
    # still the parser's whole namespace (`parse_args()`), whatever names it was passed through: its
    # attribute is the option read (`args.port`), whose declaration says whether it is checked
    namespace: bool = False
    # the attribute first read of a parameter (`args.port` in a helper given the namespace): the caller
    # whose argument is a parser's namespace knows whether that option is checked
    attr: str = ""
    # held in this attribute of an instance of a module class (`Runner(event["unit"])` keeps the event's
    # value in `.target`): only a read of that attribute takes it out
    member: str = ""

    def __init__(self, kind: str, text: str, what: str, line: int, col: int, hops: tuple[Hop, ...] = (),
                 refinable: bool = False, param: str = "", literal: bool = False, namespace: bool = False,
                 attr: str = "", member: str = "") -> None:
        fields = self.__dict__
        fields["kind"] = kind
        fields["text"] = text
        fields["what"] = what
        fields["line"] = line
        fields["col"] = col
        fields["hops"] = hops
        fields["refinable"] = refinable
        fields["param"] = param
        fields["literal"] = literal
        fields["namespace"] = namespace
        fields["attr"] = attr
        fields["member"] = member

    def __hash__(self) -> int:
        fields = self.__dict__
        found: int | None = fields.get("_hash")
        if found is None:
            found = fields["_hash"] = hash((self.kind, self.text, self.what, self.line, self.col, self.hops,
                                            self.refinable, self.param, self.literal, self.namespace, self.attr,
                                            self.member))
        return found

    def sort_key(self) -> tuple[int, int, int, int, str, str, str, bool, bool, str, str,
                                tuple[tuple[int, int, str], ...]]:
        """A total order, the most telling first: sources, then short paths, then position. Every field
        counts, so that which of two equally good origins a message names never depends on set order
        (`PYTHONHASHSEED`)."""
        return self._order

    @_kept
    def _order(self) -> tuple[int, int, int, int, str, str, str, bool, bool, str, str,
                              tuple[tuple[int, int, str], ...]]:
        # an origin is immutable, and sorting asks for its key again and again
        return (_KIND_RANK.get(self.kind, 3), len(self.hops), self.line, self.col, self.text, self.what,
                self.param, self.literal, self.namespace, self.attr, self.member,
                tuple((h.line, h.col, h.short) for h in self.hops))

    @_kept
    def place(self) -> tuple[str, str, str, int, int, str, bool, bool, str, bool, str]:
        """Everything but the path: two origins that differ only by their hops are one input."""
        return (self.kind, self.param, self.text, self.line, self.col, self.what, self.literal, self.namespace,
                self.attr, self.refinable, self.member)

    def then(self, hop: Hop) -> Origin:
        """This origin after one more hop; a name already on the path is not repeated (loops converge)."""
        hops, short = self.hops, hop.short
        if len(hops) >= _MAX_HOPS or short in [h.short for h in hops]:
            return self if not self.refinable else self.changed(refinable=False)
        # the constructor, not `dataclasses.replace`: this is the interpreter's most frequent copy
        return Origin(self.kind, self.text, self.what, self.line, self.col, (*hops, hop), False, self.param,
                      self.literal, self.namespace, self.attr, self.member)

    def changed(self, *, text: str | None = None, what: str | None = None, line: int | None = None,
                col: int | None = None, hops: tuple[Hop, ...] | None = None, refinable: bool | None = None,
                literal: bool | None = None, namespace: bool | None = None, attr: str | None = None,
                member: str | None = None) -> Origin:
        """This origin with the fields given changed (`dataclasses.replace`, without its generality: the
        interpreter copies origins at every part read and every hop)."""
        return Origin(self.kind, self.text if text is None else text, self.what if what is None else what,
                      self.line if line is None else line, self.col if col is None else col,
                      self.hops if hops is None else hops, self.refinable if refinable is None else refinable,
                      self.param, self.literal if literal is None else literal,
                      self.namespace if namespace is None else namespace, self.attr if attr is None else attr,
                      self.member if member is None else member)

    def steps(self) -> tuple[Step, ...]:
        return (Step(self.line, self.col, f"`{self.text}` comes from {self.what}"),) + tuple(
            h.step() for h in self.hops
        )


Taint = frozenset[Origin]
NO_TAINT: Taint = frozenset()


def cap(origins: Iterable[Origin]) -> Taint:
    """At most a few origins, the most telling first: sources before parameters before unknowns.

    One origin per place it comes from, by the shortest path there, so that a value built from many
    inputs is not summarised by four paths from the same one. Always, not only past the limit: were
    two paths from one place kept below it and merged above it, a loop would alternate between the
    two states and never reach its fixpoint.
    """
    items = frozenset(origins)
    if len(items) <= 1 or (len(items) <= _MAX_ORIGINS and len({o.place for o in items}) == len(items)):
        return items
    best: dict[tuple[str, str, str, int, int, str, bool, bool, str, bool, str], Origin] = {}
    for o in sorted(items, key=Origin.sort_key):
        best.setdefault(o.place, o)
    return frozenset(sorted(best.values(), key=Origin.sort_key)[:_MAX_ORIGINS])


@dataclass(frozen=True, init=False)
class Val:
    """An abstract value: its origins, the known leading elements of a list or tuple, a string constant."""

    taint: Taint = NO_TAINT
    prefix: tuple[Val, ...] | None = None
    const: str | None = None
    lead: str | None = None  # the constant text a string is known to start with (`f"helm {x}"`: "helm ")
    # what every element of a container is at most (`[["git", "fetch"], ["git", "checkout", b]]`: a list
    # led by "git"), for a loop over it or an element read by an unknown index; None when not known
    items: Val | None = None
    # an element of a container whose elements are not known (`cmd` of `for cmd in commands`): the
    # origins are the container's, but a parameter's element is not the parameter itself
    element_of: bool = False

    def __init__(self, taint: Taint = NO_TAINT, prefix: tuple[Val, ...] | None = None, const: str | None = None,
                 lead: str | None = None, items: Val | None = None, element_of: bool = False) -> None:
        fields = self.__dict__
        fields["taint"] = taint
        fields["prefix"] = prefix
        fields["const"] = const
        fields["lead"] = lead
        fields["items"] = items
        fields["element_of"] = element_of

    @property
    def leading(self) -> str:
        """The constant text the value starts with: all of a constant, the known start of a string."""
        return self.const if self.const is not None else self.lead or ""

    def words(self) -> tuple[Val, ...] | None:
        """The value split into words (`shlex.split(s)`, `s.split()`), as far as its constant start tells:
        the complete words of that start, then one element for whatever follows."""
        text = self.leading
        if not text or any(c in text for c in "'\"\\"):
            return None  # quoting decides where words end: not worth guessing
        complete = text.split()
        if self.const is None and not text[-1].isspace():
            complete = complete[:-1]  # the last word goes on in the part that is not known
        if not complete:
            return None
        known = tuple(Val(const=w) for w in complete)
        return known if self.const is not None else (*known, Val(self.taint))

    @property
    def clean(self) -> bool:
        return not self.taint

    def sources(self) -> list[Origin]:
        return sorted((o for o in self.taint if o.kind == SOURCE), key=Origin.sort_key)

    def head(self) -> Val:
        """The first element of a list, or the value itself (a string command, a split string).

        A list whose elements the analysis does not know (a comprehension, a list extended from
        elsewhere) has no known first element: the program it runs is not traced.
        """
        if self.prefix is None:
            return self
        return self.prefix[0] if self.prefix else Val()

    def as_literal(self) -> Val:
        """The value after `repr()`, `%r` or `!r`: a quoted Python literal of whatever it held."""
        return Val(frozenset(o.changed(literal=True) for o in self.taint))

    def then(self, hop: Hop) -> Val:
        if not self.taint:
            return self  # the elements' origins are all in `taint`: nothing to carry
        prefix = None if self.prefix is None else tuple(v.then(hop) for v in self.prefix)
        items = None if self.items is None else self.items.then(hop)
        return Val(frozenset(o.then(hop) for o in self.taint), prefix, self.const, self.lead, items, self.element_of)

    def element(self) -> Val:
        """An element of the container, as a loop over it binds it: what every element is, when known."""
        if self.items is not None:
            return self.items
        return Val(self.taint, element_of=True) if self.taint else CLEAN


CLEAN = Val()


def joined_lead(sep: str, parts: Val) -> str | None:
    """The constant text `sep.join(parts)` starts with, for a list whose leading elements are known: the
    constant ones joined, up to and including the known start of the first that is not. A tainted list
    all of whose known elements are constants holds more after them, so a separator follows them."""
    if not parts.prefix:
        return None
    text = ""
    for i, part in enumerate(parts.prefix):
        if i:
            text += sep
        if part.const is None:
            return text + (part.lead or "") or None
        text += part.const
    return text + sep or None


def item_of(values: Iterable[Val]) -> Val | None:
    """What each of `values` is at most, kept two levels deep (a list of argument lists, of pairs of a
    name and an argument list, not deeper), so that a container built in a loop from itself still reaches
    a fixpoint."""
    out: Val | None = None
    for value in values:
        flat = _flattened(value, 2)
        out = flat if out is None else join(out, flat)
    return out


def _flattened(value: Val, depth: int) -> Val:
    prefix = None if value.prefix is None or depth == 0 else tuple(
        _flattened(v, depth - 1) for v in value.prefix)
    return Val(value.taint, prefix, value.const, value.lead)


def union(values: Iterable[Val]) -> Val:
    """A value built from all of `values` (a concatenation, a container, a formatted string)."""
    taint: set[Origin] = set()
    for v in values:
        taint |= v.taint
    return Val(cap(taint)) if taint else CLEAN


def join(a: Val, b: Val) -> Val:
    """The value after two paths meet: either may have happened."""
    if a == b:
        return a
    prefix: tuple[Val, ...] | None = None
    if a.prefix is not None and b.prefix is not None:
        prefix = tuple(join(x, y) for x, y in zip(a.prefix, b.prefix))
    elif a.prefix is not None or b.prefix is not None:
        # one side is a sequence we know, the other anything: each element may be what the other holds,
        # but the known elements do not leak into one another (`return name, spec, code`)
        known, other = (a, b) if a.prefix is not None else (b, a)
        spread = Val(other.taint)
        prefix = tuple(join(x, spread) for x in known.prefix or ())
    const = a.const if a.const == b.const else None
    lead = None
    if const is None and a.leading and b.leading:
        lead = os.path.commonprefix([a.leading, b.leading]) or None
    items = join(a.items, b.items) if a.items is not None and b.items is not None else None
    return Val(cap(a.taint | b.taint), prefix, const, lead, items)


State = dict[str, Val]


def join_states(states: Iterable[State | None]) -> State | None:
    """The state where several paths meet; None when no path reaches the point."""
    live = [s for s in states if s is not None]
    if not live:
        return None
    out = dict(live[0])
    for other in live[1:]:
        for key in set(out) | set(other):
            a, b = out.get(key), other.get(key)
            # A name bound on one path only is unbound on the other: keep what the bound path says.
            out[key] = b if a is None else a if b is None else join(a, b)  # type: ignore[assignment]
    return out
