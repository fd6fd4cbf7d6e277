"""The id check: an id must not take a page or an anchor the site already has where its entry is shown (a list
page, a page's title or section, an element of the handbook's own).
"""

from __future__ import annotations

from .book import Handbook
from .kinds import BY_PLURAL, KINDS
from .models import GUIDE_SECTIONS
from .problems import Problem
from .yamlio import LoadedYaml

Loaded = dict[tuple[str, str], LoadedYaml]

# What the site already puts where an id goes (macros/pages.py, macros/templates/, Material). An entry with a page
# of its own (kinds.py: <folder>/{id}.md) lives beside the folder's list page, <folder>/index.html; other ids are
# anchors (#id) on a page whose headings, charts and elements already have ids. tests/test_data_refusals.py checks
# these against the site's code, tests/test_kinds.py that every kind shown on a shared page is here.
LIST_PAGES = {
    kind.plural: f"{kind.page.removesuffix('/{id}.md')}/index.html, the list of {kind.plural}"
    for kind in KINDS
    if kind.page and kind.page.endswith("/{id}.md")
}
_PROGRAMME_SECTIONS = (
    "cite",
    "summary",
    "guide",
    *(f"guide-{section}" for section in GUIDE_SECTIONS),
    "purpose",
    "organisers",
    "beneficiaries",
    "how-it-runs",
    "targets",
    "laws",
    "background",
    "quotations",
    "open-questions",
    "related",
    "sources",
)
_TARGETS_PAGE = {
    "targets-and-figures-by-place": "the targets page's title",
    "all": "the targets page's table of all targets",
}
FIXED_ANCHORS: dict[str, dict[str, str]] = {
    "terms": {"glossary": "the glossary page's title"},
    "references": {"external-references": "the references page's title"},
    "categories": {"all-programmes": "the programme list's title"},
    "programmes": {**_TARGETS_PAGE, "union-programmes-handbook-printable-edition": "the printable edition's title"},
    "targets": {**_TARGETS_PAGE, **{anchor: "a section of every programme page" for anchor in _PROGRAMME_SECTIONS}},
}
ANCHOR_PREFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "terms": (("hb-", "the handbook's own page elements"),),
    "references": (("hb-", "the handbook's own page elements"),),
    "categories": (("hb-", "the handbook's own page elements"),),
    "programmes": (("hb-", "the handbook's own page elements"), ("chart-", "the charts of the targets page")),
    "targets": (
        ("hb-", "the handbook's own page elements"),
        ("chart-", "the charts of the targets page"),
        ("quote-", "the quotations of programme pages"),
    ),
}


def _id_collision(kind: str, entry_id: str) -> str | None:
    """Why an id would replace a page or an anchor the site already has, or None."""
    if entry_id == "index" and kind in LIST_PAGES:
        return f"'index' would replace {LIST_PAGES[kind]}: choose another id"
    where = FIXED_ANCHORS.get(kind, {}).get(entry_id)
    if where is None:
        where = next((what for prefix, what in ANCHOR_PREFIXES.get(kind, ()) if entry_id.startswith(prefix)), None)
    if where is not None:
        return (
            f"'{entry_id}' is already an anchor (#{entry_id}) of {where}: a link to this {BY_PLURAL[kind].name} "
            "would lead there; choose another id"
        )
    return None


def check_ids(book: Handbook, loaded: Loaded) -> list[Problem]:
    problems = []
    for (kind, entry_id), doc in loaded.items():
        message = _id_collision(kind, entry_id)
        if message:
            problems.append(doc.problem(("id",), message))
    for programme_id, programme in book.programmes.items():
        for i, former in enumerate(programme.former_ids):
            if former == "index":
                problems.append(
                    loaded[("programmes", programme_id)].problem(
                        ("former_ids", i),
                        f"'index' would replace {LIST_PAGES['programmes']} with a redirect: remove it",
                    )
                )
    for target_id in sorted(book.targets.keys() & book.programmes.keys()):
        problems.append(
            loaded[("targets", target_id)].problem(
                ("id",),
                f"'{target_id}' is also a programme's id, the anchor (#{target_id}) of its heading on the targets "
                "page: choose another id",
            )
        )
    return problems
