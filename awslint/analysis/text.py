"""Source text as a message quotes it."""
from __future__ import annotations


def shorten(text: str, limit: int = 80) -> str:
    """`text` cut to `limit` characters with an ellipsis: a generated megabyte-long literal, or a key
    spelled over five lines, is not repeated whole in a one-line message."""
    text = " ".join(text.split()) if "\n" in text else text
    return text if len(text) <= limit else text[: limit - 1] + "…"
