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


def cached(folder: Path, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes `make` returns for `key` (which must name everything they depend on), made at most once."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    path = folder / digest[:2] / digest
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
