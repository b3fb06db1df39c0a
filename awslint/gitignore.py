"""`.gitignore` as git reads it, for walking folders: a file git would not track is not checked.

Rules come from `.git/info/exclude` and every `.gitignore` from the repository's top down to the folder
being walked; the last rule that matches decides, `!` negates, a trailing `/` matches folders only, a
pattern with a `/` before its end is anchored to its file's folder, `**` spans folders.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class _Rule:
    base: str  # absolute folder of the .gitignore, POSIX separators
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape("["))
                i += 1
                continue
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def _parse(text: str, base: str) -> list[_Rule]:
    rules: list[_Rule] = []
    for raw in text.splitlines():
        line = raw.rstrip("\n\r")
        if not line.strip() or line.startswith("#"):
            continue
        if not line.endswith("\\ "):
            line = line.rstrip(" ")
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        body = _translate(line)
        regex = body if anchored or line.startswith("**") else "(?:.*/)?" + body
        try:
            rules.append(_Rule(base, re.compile(regex + r"\Z", re.DOTALL), negate, dir_only))
        except re.error:
            continue
    return rules


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def _posix(path: str) -> str:
    return os.path.abspath(path).replace(os.sep, "/")


class GitIgnore:
    """The ignore rules that apply under one walked folder; `load` adds each folder's own file."""

    def __init__(self, start: str) -> None:
        self.rules: list[_Rule] = []
        self._loaded: set[str] = set()
        folder = os.path.abspath(start)
        chain = [folder]
        top: str | None = None
        while True:
            if os.path.exists(os.path.join(folder, ".git")):
                top = folder
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
            chain.append(folder)
        if top is None:
            chain = [os.path.abspath(start)]  # not in a repository: only the folders we walk
        else:
            self.rules.extend(_parse(_read(os.path.join(top, ".git", "info", "exclude")), _posix(top)))
        for folder in reversed(chain):
            self.load(folder)

    def load(self, folder: str) -> None:
        key = _posix(folder)
        if key in self._loaded:
            return
        self._loaded.add(key)
        path = os.path.join(folder, ".gitignore")
        if os.path.isfile(path):
            self.rules.extend(_parse(_read(path), key))

    def ignored(self, path: str, is_dir: bool) -> bool:
        target = _posix(path)
        verdict = False
        for rule in self.rules:
            if rule.dir_only and not is_dir:
                continue
            if not target.startswith(rule.base.rstrip("/") + "/"):
                continue
            rel = target[len(rule.base.rstrip("/")) + 1 :]
            if rule.regex.match(rel):
                verdict = not rule.negate
        return verdict
