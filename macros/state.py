"""The handbook, loaded once per process (each build is a process of its own: scripts/build_site.py, and
`make serve` starts one per rebuild), and the page parts of each language's build."""
from __future__ import annotations

from pathlib import Path

from handbook.store import Handbook, load_valid_handbook

from .parts import Parts

ROOT = Path(__file__).resolve().parent.parent
_books: dict[str, Handbook] = {}
_parts: dict[tuple, Parts] = {}  # by site_dir, language and URL style


def handbook(root: Path = ROOT) -> Handbook:
    """The validated handbook; raises handbook.store.DataInvalid listing every error."""
    book = _books.get(str(root))
    if book is None:
        book = load_valid_handbook(root)
        book.documents = {}  # the parsed YAML behind the entries: only the checks need it (tens of MB at 2,000)
        _books[str(root)] = book
    return book


def parts(config) -> Parts:
    """The page parts of one language's build, the same object for every caller (mkdocs-macros asks at
    on_config, hooks.py at on_pre_build)."""
    key = (config["site_dir"], config["extra"]["lang"], config["use_directory_urls"])
    if key not in _parts:
        _parts[key] = Parts(handbook(), config["extra"]["lang"], config["use_directory_urls"],
                            int(config["extra"].get("review_max_age_days", 365)),
                            has_schemas=(ROOT / "schemas" / "programme.schema.json").exists())
    return _parts[key]
