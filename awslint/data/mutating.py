"""What changes a built-in container in place: its mutating methods, per kind, and the functions that
change the container handed to them.

Checked against the running interpreter by tests/test_defaults.py (every name here is an attribute of
its kind). The mutable-default rules (AWS301/AWS302) read `MUTATING_METHODS`; the modified-while-
iterating rule (AWS503) may read `RESIZING_METHODS`, the subset that changes how many items there are.
"""
from __future__ import annotations

from typing import Literal, Mapping

ContainerKind = Literal["list", "dict", "set", "bytearray", "deque", "OrderedDict", "Counter", "defaultdict"]

CONTAINER_KINDS: tuple[ContainerKind, ...] = (
    "list", "dict", "set", "bytearray", "deque", "OrderedDict", "Counter", "defaultdict",
)

# The dotted constructor (as awslint.analysis.names resolves it) of each kind.
CONSTRUCTORS: Mapping[str, ContainerKind] = {
    "list": "list",
    "dict": "dict",
    "set": "set",
    "bytearray": "bytearray",
    "collections.deque": "deque",
    "collections.OrderedDict": "OrderedDict",
    "collections.Counter": "Counter",
    "collections.defaultdict": "defaultdict",
}

# In-place operator methods: `x += y` on a list calls `__iadd__` and changes x itself.
_LIST_LIKE_OPERATORS = frozenset({"__iadd__", "__imul__", "__setitem__", "__delitem__"})
_DICT = frozenset({"clear", "pop", "popitem", "setdefault", "update", "__setitem__", "__delitem__", "__ior__"})
_SET = frozenset(
    {
        "add", "clear", "discard", "pop", "remove", "update", "difference_update", "intersection_update",
        "symmetric_difference_update", "__ior__", "__iand__", "__isub__", "__ixor__",
    }
)

# Every method that changes the container it is called on.
MUTATING_METHODS: Mapping[ContainerKind, frozenset[str]] = {
    "list": frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse"}) | _LIST_LIKE_OPERATORS,
    "bytearray": frozenset({"append", "extend", "insert", "remove", "pop", "clear", "reverse"}) | _LIST_LIKE_OPERATORS,
    "deque": frozenset(
        {"append", "appendleft", "extend", "extendleft", "insert", "remove", "pop", "popleft", "clear", "reverse", "rotate"}
    )
    | _LIST_LIKE_OPERATORS,
    "dict": _DICT,
    "OrderedDict": _DICT | {"move_to_end"},
    "Counter": _DICT | {"subtract", "__iadd__", "__isub__", "__iand__", "__ior__"},
    # A subscript read inserts a missing key too: see MISSING_KEY_INSERTS.
    "defaultdict": _DICT | {"__getitem__", "__missing__"},
    "set": _SET,
}

# The mutating methods that change how many items the container holds (sort, reverse, rotate and
# item assignment on a list only rearrange or replace).
RESIZING_METHODS: Mapping[ContainerKind, frozenset[str]] = {
    kind: methods - {"sort", "reverse", "rotate", "move_to_end", "__setitem__"}
    for kind, methods in MUTATING_METHODS.items()
}

# Attributes whose assignment changes the container's behaviour (`d.default_factory = list`).
MUTATING_ATTRIBUTES: Mapping[ContainerKind, frozenset[str]] = {"defaultdict": frozenset({"default_factory"})}

# Kinds whose subscript read inserts the key when it is missing (a defaultdict with a factory).
MISSING_KEY_INSERTS: frozenset[ContainerKind] = frozenset({"defaultdict"})

# Every mutating method of any kind: what a call on an item of the container (`x["a"].append(v)`)
# may be, when the item's kind is not known.
ANY_MUTATING_METHOD: frozenset[str] = frozenset().union(*MUTATING_METHODS.values()) - {"__getitem__", "__missing__"}

# Methods that keep their argument itself in the receiver (`update`/`extend` copy its items instead).
STORING_METHODS: frozenset[str] = frozenset({"append", "insert", "add", "appendleft", "setdefault"})

# Functions that keep one of their arguments (by position) in another object: `setattr(self, "tags", tags)`.
STORING_FUNCTIONS: Mapping[str, int] = {"setattr": 2, "object.__setattr__": 2, "operator.setitem": 2}

# Functions that change the container passed as their first argument in place.
MUTATING_FUNCTIONS: frozenset[str] = frozenset(
    {
        "random.shuffle", "heapq.heappush", "heapq.heappop", "heapq.heapify", "heapq.heapreplace",
        "heapq.heappushpop", "bisect.insort", "bisect.insort_left", "bisect.insort_right",
        "operator.setitem", "operator.delitem", "operator.iadd", "operator.iconcat",
    }
)

# A default whose name says it is kept on purpose (`_memo={}`, `cache={}`): sharing is the point.
CACHE_WORDS: tuple[str, ...] = ("cache", "memo")
