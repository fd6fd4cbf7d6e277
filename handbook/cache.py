"""A cache of files made from content alone (share cards, the kit's Office files), keyed by a digest of
everything that makes them: a build writes each once and copies it after. Like Material's social plugin, it
lives in .cache/ (not committed); HANDBOOK_CACHE moves it, and deleting it only costs time."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir(root: Path) -> Path:
    return Path(os.environ.get("HANDBOOK_CACHE") or root / ".cache")


def _path(folder: Path, key: str) -> Path:
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return folder / digest[:2] / digest


def cached_file(folder: Path, key: str, make: Callable[[], bytes], target: Path) -> None:
    """Write what `make` returns for `key` to `target`: a hard link to the cached copy where the file system
    allows (no bytes read or written: the kit and the cards are 13 MB a build), else a copy."""
    path = _path(folder, key)
    if not path.is_file():
        cached(folder, key, make)
    if path.is_file():
        try:
            target.unlink(missing_ok=True)
            os.link(path, target)
            return
        except OSError:
            pass
    target.write_bytes(cached(folder, key, make))


def cached(folder: Path, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes `make` returns for `key` (which must name everything they depend on), made at most once."""
    path = _path(folder, key)
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:  # written beside and renamed: a killed build never leaves half a file to be read later
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full cache only costs time
    return data
