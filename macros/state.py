"""The handbook, loaded once per build (both languages share it) and again only when data/ changes."""
from __future__ import annotations

from pathlib import Path

from handbook.store import Handbook, load_valid_handbook

ROOT = Path(__file__).resolve().parent.parent
_cache: dict[str, tuple[tuple, Handbook]] = {}


def _signature(root: Path) -> tuple:
    entries = []
    for path in (root / "data").rglob("*"):
        info = path.stat()
        if not path.is_dir():
            entries.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(sorted(entries))


def handbook(root: Path = ROOT) -> Handbook:
    """The validated handbook; raises handbook.store.DataInvalid listing every error."""
    signature = _signature(root)
    cached = _cache.get(str(root))
    if cached and cached[0] == signature:
        return cached[1]
    book = load_valid_handbook(root)
    _cache[str(root)] = (signature, book)
    return book
