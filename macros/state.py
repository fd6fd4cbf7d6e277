"""The handbook, loaded once per process and again only when its data changed, and the page parts of each
language's build."""

from __future__ import annotations

from pathlib import Path

from handbook.seeds import seeds_dir
from handbook.store import Handbook, load_valid_handbook

from .parts import Parts
from .render import files_stamp

ROOT = Path(__file__).resolve().parent.parent
_books: dict[str, tuple[tuple, Handbook]] = {}  # by root: the stamp of its data and seeds, and the handbook
_parts: dict[tuple, Parts] = {}  # by site_dir, language, URL style and handbook


def handbook(root: Path = ROOT) -> Handbook:
    """The validated handbook, loaded again only when a file in data/ or the seeds changed (a long-lived process,
    such as plain `mkdocs serve`, builds again with the edits); raises handbook.store.DataInvalid listing every
    error."""
    seeds = seeds_dir(root)
    stamp = files_stamp(root / "data") + (files_stamp(seeds) if seeds else ())
    known = _books.get(str(root))
    if known is None or known[0] != stamp:
        book = load_valid_handbook(root)
        book.documents = {}  # the parsed YAML behind the entries: only the checks need it (tens of MB at 2,000)
        known = _books[str(root)] = (stamp, book)
        _parts.clear()  # made from the handbook they replace
    return known[1]


def parts(config) -> Parts:
    """The page parts of one language's build, the same object for every caller of one build (mkdocs-macros asks
    at on_config, events.py at on_pre_build)."""
    book = handbook()
    key = (config["site_dir"], config["extra"]["lang"], config["use_directory_urls"], id(book))
    if key not in _parts:
        _parts[key] = Parts(
            book,
            config["extra"]["lang"],
            config["use_directory_urls"],
            int(config["extra"].get("review_max_age_days", 365)),
            has_schemas=(ROOT / "schemas" / "programme.schema.json").exists(),
            site_url=config["extra"].get("published_root", config.get("site_url") or ""),
        )
    return _parts[key]
