"""Every kind in handbook/kinds.py reaches every consumer: a kind added to the registry and forgotten by the loader,
the schemas, `new`, `review`, the open data, the id check or the site's pages fails here, naming the kind."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from handbook.book import Handbook
from handbook.cli import build_parser
from handbook.export import TABLES, export_files
from handbook.id_checks import ANCHOR_PREFIXES, FIXED_ANCHORS, LIST_PAGES
from handbook.kinds import BY_NAME, KINDS, REVIEWED, SCAFFOLDED
from handbook.scaffold import new_entry
from handbook.schema import schema_files
from handbook.store import load_valid_handbook
from macros.labels import LABELS
from macros.pages import generated_pages
from macros.parts import Parts
from macros.views import STATUS_KINDS

ROOT = Path(__file__).resolve().parent.parent
NAMES = [kind.name for kind in KINDS]


@pytest.fixture(scope="module")
def book() -> Handbook:
    return load_valid_handbook(ROOT)


def _choices(command: str) -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    return list(next(a for a in commands[command]._actions if a.dest == "kind").choices)


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_is_loaded_into_the_handbook(name, book):
    kind = BY_NAME[name]
    assert kind.plural in {f.name for f in dataclasses.fields(Handbook)}, f"Handbook has no '{kind.plural}'"
    entries = getattr(book, kind.plural)
    assert entries, f"no {kind.plural} loaded from data/{kind.files}"
    for entry_id, entry in entries.items():
        assert isinstance(entry, kind.model)
        assert (kind.plural, entry_id) in book.documents, (kind.plural, entry_id)


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_has_its_schema_file(name):
    kind = BY_NAME[name]
    pattern, _ = schema_files()[kind.schema]
    assert pattern == f"data/{kind.files}"
    assert (ROOT / "schemas" / f"{kind.schema}.schema.json").is_file(), "run python -m handbook schema"


def test_new_offers_exactly_the_scaffolded_kinds_and_review_the_reviewed():
    assert _choices("new") == [kind.name for kind in SCAFFOLDED]
    assert _choices("review") == [kind.name for kind in REVIEWED]


@pytest.mark.parametrize("name", [kind.name for kind in SCAFFOLDED])
def test_every_scaffolded_kind_gets_a_draft_naming_its_schema(name, tmp_path):
    kind = BY_NAME[name]
    written = new_entry(tmp_path, name, "x-draft", file="x-file" if kind.list_file else None)
    first = written[0].read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schemas/{kind.schema}.schema.json"
    expected = kind.files.replace("*", "x-file") if kind.list_file else f"{kind.plural}/x-draft.yml"
    assert written[0] == tmp_path / "data" / expected


@pytest.mark.parametrize("name", NAMES)
def test_reviewed_and_translated_kinds_have_those_fields(name):
    kind = BY_NAME[name]
    assert ("reviewed" in kind.model.model_fields) == kind.reviewed
    assert ("translation" in kind.model.model_fields) == kind.translated


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_is_in_the_open_data(name, book):
    kind = BY_NAME[name]
    files = export_files(book)
    listed = json.loads(files[f"{kind.plural}.json"])
    assert [record["id"] for record in listed] == (
        sorted(getattr(book, kind.plural)) if kind.by_id else list(getattr(book, kind.plural))
    )
    one_each = {name for name in files if name.startswith(f"{kind.plural}/")}
    assert one_each == (
        {f"{kind.plural}/{entry_id}.json" for entry_id in getattr(book, kind.plural)}
        if kind.export != "list"
        else set()
    )
    assert (f"{kind.plural}.csv" in files) == kind.table == (kind.plural in TABLES)


@pytest.mark.parametrize("name", NAMES)
def test_every_entry_has_a_title(name, book):
    kind = BY_NAME[name]
    assert kind.page is None or ("{id}" in kind.page and kind.page.split("#")[0].endswith(".md"))
    for entry in getattr(book, kind.plural).values():
        title = kind.title(entry)
        texts = [title.zh, title.en] if hasattr(title, "zh") else [title]
        assert all(isinstance(text, str) and text.strip() for text in texts), (kind.name, entry.id)


@pytest.mark.parametrize("name", NAMES)
def test_the_id_check_knows_where_every_kind_is_shown(name):
    """An id must not take a page or an anchor the site already has where the kind's entries are shown."""
    kind = BY_NAME[name]
    if kind.page is None:  # shown nowhere (synonyms): an id can take no page or anchor
        return
    if "#" in kind.page:  # an anchor on a shared page, beside the anchors that page already has
        assert kind.plural in FIXED_ANCHORS and kind.plural in ANCHOR_PREFIXES
    else:  # a page of its own, beside its folder's list page
        assert kind.page.endswith("/{id}.md") and kind.plural in LIST_PAGES


@pytest.mark.parametrize("name", NAMES)
def test_every_entry_is_shown_where_the_registry_says(name, book):
    """The site has the page of each entry (its own, or a shared one holding an element with the entry's id), and a
    page of its own takes its title from the registry's title field."""
    kind = BY_NAME[name]
    if kind.page is None:
        assert name == "synonym", "only synonyms, which search reads, are shown on no page"
        return
    pages = generated_pages(book)
    parts = Parts(book, "en", True)
    entry_id, entry = next(iter(getattr(book, kind.plural).items()))
    src, anchor = kind.page_of(entry_id)
    assert src in pages, f"no page {src} for the {kind.plural}"
    if anchor:
        html = "".join(str(piece() if callable(piece) else piece) for piece in pages[src](parts, src))
        assert re.search(rf'(\bid="|\{{#){re.escape(anchor)}["}}]', html), f"{src} has no #{anchor}"
    else:
        assert pages[src].title(book, "en") == kind.title(entry).en
        assert f"{src.rsplit('/', 1)[0]}/index.md" in pages, "no list page beside the entries' pages"


def test_the_status_page_lists_every_translated_kind():
    translated = {kind.name for kind in KINDS if kind.translated}
    assert set(STATUS_KINDS) == translated and all(BY_NAME[name].reviewed for name in STATUS_KINDS)
    assert all(f"kind_name.{BY_NAME[name].plural}" in LABELS for name in STATUS_KINDS)
