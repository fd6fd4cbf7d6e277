"""Every kind of entry, declared once: the loader, the check, `new`, `review`, the schemas and the open data read it,
and so do the site's titles and links to entries (macros/render.py, pages.py, views.py).

Adding a kind: declare it here, add its model to models.py (and its help to schema.py HELP), then run
`python -m handbook schema`. tests/test_kinds.py fails while a consumer does not know the new kind.
The order below is the order files are read and schemas listed: entry folders first, then list files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from .models import Category, Law, Programme, Reference, Source, Strict, Synonym, Target, Term


@dataclass(frozen=True)
class Kind:
    name: str  # one entry: programme (the word of `new` and `review`; the schema name of an entry file)
    plural: str  # programmes: the data folder, the Handbook attribute, the open-data file name
    model: type[Strict]
    page: str | None  # where an entry is shown: a page (src path under docs/) and, for entries sharing a page,
    #                   #{id}; None: shown on no page (synonyms, which search reads)
    title_field: str  # the field holding what a page or a link calls the entry
    list_file: str | None = None  # under data/: a file or pattern of files holding '<plural>:', a list of entries
    reviewed: bool = False  # has `reviewed` (python -m handbook review; check warns when it is old)
    translated: bool = False  # has `translation` (the English page says when it is out of date)
    scaffolded: bool = False  # python -m handbook new <name> writes a draft
    export: Literal["entries", "entries+paragraphs", "list"] = "list"  # one JSON per entry and a list, or a list
    table: bool = False  # also a CSV table in the open data (export.TABLES)
    by_id: bool = True  # open data in id order; False keeps the order of the list file

    @property
    def schema(self) -> str:
        """schemas/<schema>.schema.json describes one of its files."""
        return self.plural if self.list_file else self.name

    @property
    def files(self) -> str:
        """Its data files, as a glob under data/."""
        return self.list_file or f"{self.plural}/*.yml"

    def title(self, entry: BaseModel):
        return getattr(entry, self.title_field)

    def page_of(self, entry_id: str) -> tuple[str, str]:
        """Where an entry is shown: the page (src path under docs/) and the anchor on it ('' on a page of its own)."""
        if self.page is None:
            raise ValueError(f"{self.plural} are shown on no page")
        src, _, anchor = self.page.format(id=entry_id).partition("#")
        return src, anchor


KINDS: tuple[Kind, ...] = (
    Kind(
        "programme",
        "programmes",
        Programme,
        "programmes/{id}.md",
        "name",
        reviewed=True,
        translated=True,
        scaffolded=True,
        export="entries",
        table=True,
    ),
    Kind(
        "term",
        "terms",
        Term,
        "glossary.md#{id}",
        "term",
        reviewed=True,
        translated=True,
        scaffolded=True,
        export="entries",
    ),
    Kind(
        "source",
        "sources",
        Source,
        "sources/{id}.md",
        "title",
        reviewed=True,
        translated=True,
        scaffolded=True,
        export="entries+paragraphs",
    ),
    Kind(
        "law",
        "laws",
        Law,
        "laws/{id}.md",
        "name",
        reviewed=True,
        translated=True,
        scaffolded=True,
        export="entries",
        table=True,
    ),
    Kind(
        "category", "categories", Category, "programmes/index.md#{id}", "name", list_file="categories.yml", by_id=False
    ),
    Kind("reference", "references", Reference, "references.md#{id}", "title", list_file="references.yml"),
    # Synonyms have no page: search reads them, and the open data lists them.
    Kind("synonym", "synonyms", Synonym, None, "id", list_file="synonyms.yml", by_id=False),
    Kind(
        "target",
        "targets",
        Target,
        "targets.md#{id}",
        "indicator",
        list_file="targets/*.yml",
        scaffolded=True,
        table=True,
    ),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_PLURAL: dict[str, Kind] = {kind.plural: kind for kind in KINDS}
BY_MODEL: dict[type[Strict], Kind] = {kind.model: kind for kind in KINDS}
ENTRY_FILE_KINDS = tuple(kind for kind in KINDS if kind.list_file is None)  # one file per entry
LIST_FILE_KINDS = tuple(kind for kind in KINDS if kind.list_file is not None)  # entries in a shared list file
REVIEWED = tuple(kind for kind in KINDS if kind.reviewed)
SCAFFOLDED = tuple(kind for kind in KINDS if kind.scaffolded)

# The shapes models.py used to declare (folder -> model; list file pattern -> (key, item model)).
ENTRY_KINDS: dict[str, type[Strict]] = {kind.plural: kind.model for kind in ENTRY_FILE_KINDS}
LIST_FILES: dict[str, tuple[str, type[Strict]]] = {kind.files: (kind.plural, kind.model) for kind in LIST_FILE_KINDS}
