"""A cache of results keyed by what decides them: the file's bytes, the effective configuration, the
name the file is shown under, and awslint's version (and its own files' stamp).

Each result is one small JSON file named by its key under `.awslint_cache/` (beside the nearest
pyproject.toml), written to a temporary name and renamed into place, so processes checking files in
parallel never see half an entry and need no lock. An entry that cannot be read is a miss; a cache
that cannot be written is no cache, never an error.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

DIRNAME = ".awslint_cache"
_SCHEMA = "1"


def folder_for(pyproject: Path | None, cwd: Path) -> Path:
    return (pyproject.parent if pyproject is not None else cwd) / DIRNAME


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """awslint's own files (name, size, modification time): a development checkout whose rules change
    under the same version number must not be answered from results of the old rules."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json"):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path.relative_to(package).as_posix()}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def key(data: bytes, *parts: str) -> str:
    from awslint import __version__

    digest = hashlib.sha256()
    for part in (_SCHEMA, __version__, code_stamp(), *parts):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _path(folder: Path, name: str) -> Path:
    return folder / name[:2] / f"{name[2:]}.json"


def get(folder: Path, name: str) -> dict[str, Any] | None:
    try:
        with open(_path(folder, name), encoding="utf-8") as handle:
            value = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _prepare(folder: Path) -> None:
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    # keep the cache out of version control and backups, as other tools' caches do
    (folder / ".gitignore").write_text("# written by awslint\n*\n", encoding="utf-8")
    (folder / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# awslint's cache: https://bford.info/cachedir/\n",
        encoding="utf-8",
    )


def put(folder: Path, name: str, value: dict[str, Any]) -> None:
    target = _path(folder, name)
    try:
        _prepare(folder)
        target.parent.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, separators=(",", ":"))
            os.replace(temp, target)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    except (OSError, ValueError):
        pass
