"""The handbook, loaded once per build (both languages share it) and again only when data/ changes, and the
page parts of each language's build."""
from __future__ import annotations

from pathlib import Path

from handbook.store import Handbook, load_valid_handbook

from .parts import Parts

ROOT = Path(__file__).resolve().parent.parent
_cache: dict[str, tuple[tuple, Handbook]] = {}
_parts: dict[tuple, tuple[Handbook, Parts]] = {}  # by site_dir, language and URL style


def _signature(root: Path) -> tuple:
    entries = []
    for path in (root / "data").rglob("*"):
        info = path.stat()
        if not path.is_dir():
            entries.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(sorted(entries))


def handbook(root: Path = ROOT) -> Handbook:
    """The validated handbook; raises handbook.store.DataInvalid listing every error. Each call re-scans
    data/ to notice edits (make serve): call it once per build, not once per page."""
    signature = _signature(root)
    cached = _cache.get(str(root))
    if cached and cached[0] == signature:
        return cached[1]
    book = load_valid_handbook(root)
    book.documents = {}  # the parsed YAML behind the entries: only the checks need it (tens of MB at 2,000)
    _cache[str(root)] = (signature, book)
    return book


def parts(config) -> Parts:
    """The page parts of one language's build; the same object for every caller while data/ is unchanged
    (mkdocs-macros asks at on_config, hooks.py at on_pre_build)."""
    book = handbook()
    key = (config["site_dir"], config["extra"]["lang"], config["use_directory_urls"])
    kept = _parts.get(key)
    if kept is None or kept[0] is not book:
        made = Parts(book, config["extra"]["lang"], config["use_directory_urls"],
                     int(config["extra"].get("review_max_age_days", 365)),
                     has_schemas=(ROOT / "schemas" / "programme.schema.json").exists())
        kept = _parts[key] = (book, made)
    return kept[1]
