"""The data layer's front door: `from handbook.store import Handbook, load_handbook, …` keeps working for the site,
the scripts and the tests, while the work lives in modules split by job:

- load.py: files → entries (parse, validate, explain each failure), then the checks;
- checks.py: the checks that need the whole handbook, one function per rule (ids: id_checks.py); seeds.py proves
  texts against seeds;
- citations.py: which fields hold a citation, and the one walk over them;
- book.py: the Handbook and its lookups;
- kinds.py: every kind of entry, declared once.
"""

from __future__ import annotations

from .book import Handbook
from .citations import all_cites
from .id_checks import ANCHOR_PREFIXES, FIXED_ANCHORS, LIST_PAGES
from .load import DataInvalid, load_handbook, load_valid_handbook
from .problems import dotted

__all__ = [
    "Handbook",
    "DataInvalid",
    "load_handbook",
    "load_valid_handbook",
    "dotted",
    "all_cites",
    "LIST_PAGES",
    "FIXED_ANCHORS",
    "ANCHOR_PREFIXES",
]
