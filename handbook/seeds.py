"""Prove that every source text is its verbatim seed, paragraph by paragraph, in the seed's order.

A source's data/sources/<id>.yml names its seed, a file in the seeds folder (../shared/seeds, or $HANDBOOK_SEEDS),
and maps each paragraph of data/sources/<id>.txt to the stretch of the seed it was taken from:

    seed_spans:
      p1: "2"              # seed line 2, whole
      p2: "25-26"          # seed lines 25 to 26, joined (a paragraph broken across lines)
      p3: "86:1-86:41"     # characters 1 to 41 of line 86 (a line holding several paragraphs)
      p4: "86:42-86"       # character 42 of line 86 to the end of the line
    seed_omitted:          # seed text inside the document that the text leaves out, each with a reason
      - span: "105"
        reason: {zh: …, en: …}

The check: paragraph N is the seed text of span pN with its line breaks and "—N—" page markers removed (and no
spaces at either end); there is one span per paragraph, spans follow the seed's order without overlapping, and every
bit of non-blank seed text from the first span's line to the last span's line is in a paragraph or in seed_omitted. So a
cut, a split, a merge, a reordering or an added or deleted line (which would move what a #pN citation points at)
all fail, and so does a map edited to hide a cut (the cut-off text becomes an undeclared omission).

`derive_map` writes such a map from a text and its seed (`python -m handbook seed-spans <id>`).
"""

from __future__ import annotations

from .seed_check import check_seeds
from .seed_map import MapError, SeedMap, derive_map, map_yaml, replace_map, write_seed_map
from .seed_text import (
    DEFAULT_SEEDS,
    KEY_PATTERN,
    MAX_SEED_BYTES,
    PAGE_MARKER,
    SEEDS_VARIABLE,
    SPAN_FORMS,
    SPAN_PATTERN,
    Seed,
    SeedUnreadable,
    SpanError,
    joined,
    locate_seeds,
    normalise,
    parse_span,
    read_seed,
    seed_name_problem,
    seeds_dir,
    without_spaces,
)

__all__ = [
    "check_seeds",
    "MapError",
    "SeedMap",
    "derive_map",
    "map_yaml",
    "replace_map",
    "write_seed_map",
    "DEFAULT_SEEDS",
    "KEY_PATTERN",
    "MAX_SEED_BYTES",
    "PAGE_MARKER",
    "SEEDS_VARIABLE",
    "SPAN_FORMS",
    "SPAN_PATTERN",
    "Seed",
    "SeedUnreadable",
    "SpanError",
    "joined",
    "locate_seeds",
    "normalise",
    "parse_span",
    "read_seed",
    "seed_name_problem",
    "seeds_dir",
    "without_spaces",
]
