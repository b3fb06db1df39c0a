"""Exact findings for the shapes the labelled modules of this round cover: one AWS503 per statement,
changes made by a helper of the module or through a held container, fallbacks after a returning
`try` (AWS501), and `setdefault` chains (AWS504)."""
from __future__ import annotations

from awslint import Config, check_source

FLOW = Config(select=("AWS5",))


def _found(source: str, code: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.col, f.message) for f in check_source(source, "app/mod.py", FLOW) if f.code == code]


def test_a_key_renamed_in_one_statement_is_one_finding_at_the_pop() -> None:
    source = (
        "def lower_keys(headers: dict) -> dict:\n"
        "    for key in headers.keys():\n"
        "        headers[key.lower()] = headers.pop(key)\n"
        "    return headers\n"
    )
    assert _found(source, "AWS503") == [(
        3, 31,
        "`headers` shrinks by `pop()` at line 3 while the `for` at line 2 iterates over it; "
        "iterate over a copy (`list(headers.keys())`) or build a new dict",
    )]


def test_a_helper_that_removes_from_the_list_it_is_handed_is_reported_at_the_call() -> None:
    source = (
        "def _drop(cart, item):\n"
        "    cart.remove(item)\n"
        "\n"
        "\n"
        "def prune(cart):\n"
        "    cart = list(cart)\n"
        "    for item in cart:\n"
        "        if not item:\n"
        "            _drop(cart, item)\n"
        "    return cart\n"
    )
    assert _found(source, "AWS503") == [(
        9, 12,
        "`cart` shrinks by `_drop()` (which removes from it with `remove()` at line 2) at line 9 while the "
        "`for` at line 7 iterates over it; iterate over a copy (`cart[:]`) or build a new list",
    )]


def test_a_helper_that_only_reads_the_list_is_silent() -> None:
    source = (
        "def _total(cart):\n"
        "    return sum(cart)\n"
        "\n"
        "\n"
        "def prune(cart):\n"
        "    cart = list(cart)\n"
        "    for item in cart:\n"
        "        _total(cart)\n"
        "    return cart\n"
    )
    assert _found(source, "AWS503") == []


def test_a_held_dict_iterated_through_its_subscript_names_the_subscript() -> None:
    source = (
        "class Cache:\n"
        "    def evict(self, region, now):\n"
        "        for key, entry in self.by_region[region].items():\n"
        "            if entry < now:\n"
        "                del self.by_region[region][key]\n"
    )
    assert _found(source, "AWS503") == [(
        5, 16,
        "`self.by_region[region]` shrinks by `del` at line 5 while the `for` at line 3 iterates over it; "
        "iterate over a copy (`list(self.by_region[region].items())`) or build a new dict",
    )]


def test_a_fallback_after_a_returning_try_is_silent_and_one_returning_none_is_not() -> None:
    source = (
        "import json\n"
        "\n"
        "\n"
        "def parse(text):\n"
        "    try:\n"
        "        return json.loads(text)\n"
        "    except Exception:\n"
        "        pass\n"
        "    return {}\n"
        "\n"
        "\n"
        "def parse_or_none(text):\n"
        "    try:\n"
        "        return json.loads(text)\n"
        "    except Exception:\n"
        "        pass\n"
        "    return None\n"
    )
    assert [line for line, _, _ in _found(source, "AWS501")] == [15]


def test_a_setdefault_chain_is_reported_at_the_outer_call() -> None:
    source = (
        "def tree_of(rows):\n"
        "    tree = {}\n"
        "    for r in rows:\n"
        "        tree.setdefault(r[0], {}).setdefault(r[1], []).append(r[2])\n"
        "    return tree\n"
    )
    assert _found(source, "AWS504") == [(
        4, 8,
        "`tree` is built up with `tree.setdefault(r[0], {})` at line 4; create it as "
        "`collections.defaultdict(dict)` and index it directly, and return `dict(tree)` so that callers "
        "still get a `KeyError`",
    )]
