"""Editions on the site (handbook/editions.py keeps them): each entry page's change history; the view of an
entry as of an older edition (editions/<edition>/<kind>/<id>/), with a banner and a link to the current page;
"最近更新 / What's new" and its Atom feed; each edition's open data under data/editions/<edition>/.

An edition view is a page of its own only where the entry then said something else than now. Where it says the
same, its address is a redirect to the current page (a citation of any edition keeps resolving, and costs a
small file); where the entry did not exist yet, the 404 page says so and links to the current one (a page
per edition for each entry added later would grow as editions × entries)."""

from __future__ import annotations

import functools
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup, escape

from handbook.editions import EDITION_KINDS, Edition, Editions, current_records, entry_key
from handbook.history import BOOKKEEPING, Change, entry_history, field_word
from handbook.history import translation_since as history_translation_since
from handbook.models import LEVELS
from handbook.store import Handbook

from .labels import label
from .render import file_url, md_text, page_url, relative_url, write_redirect

VIEW_KINDS = {"programmes": "programme", "laws": "law", "sources": "source"}  # kinds with a page of their own
HISTORY_ANCHOR = "hb-history"
FEED_ENTRIES = 100  # the newest changes in the feed


def former_keys(book: Handbook, plural: str, entry_id: str) -> list[str]:
    entry = getattr(book, plural).get(entry_id)
    return [entry_key(plural, former) for former in getattr(entry, "former_ids", None) or []]


def current(book: Handbook) -> dict[str, dict]:
    return book.derived("edition_current_records", lambda: current_records(book))


def history_of(book: Handbook, plural: str, entry_id: str) -> list[Change]:
    key = entry_key(plural, entry_id)
    return entry_history(book.editions, key, former_keys(book, plural, entry_id), current(book).get(key))


def view_src(edition_id: str, plural: str, entry_id: str) -> str:
    return f"editions/{edition_id}/{plural}/{entry_id}.md"


def edition_label(edition: Edition, lang: str) -> str:
    return f"{edition.id} 版（{edition.date}）" if lang == "zh" else f"edition {edition.id} ({edition.date})"


@dataclass
class View:
    """The address of an entry in an edition: a page of its own (the first edition of a run of editions that
    had the same record), an alias of that page (a later edition of the run), or the current page (same)."""

    edition: Edition
    plural: str
    entry_id: str  # the id the entry had in that edition
    what: str  # page, alias, same
    page_src: str = ""  # where an alias leads: the run's page
    last: Edition | None = None  # a page's run ends at this edition (None: only its own)


def views(book: Handbook) -> dict[str, View]:
    """Every edition view by src path. A past version of an entry gets one page however many editions kept it,
    so pages grow with the changes made, not with editions × entries. An entry that an edition did not have has
    no view: the 404 page explains such an address (overrides/404.html)."""

    def make() -> dict[str, View]:
        now = current(book)
        found: dict[str, View] = {}
        runs: dict[str, tuple[dict, View]] = {}  # key -> the last record seen and the page of its run
        for edition in book.editions.editions:
            for key, record in book.editions.entries.get(edition.id, {}).items():
                plural, entry_id = key.split("/", 1)
                if plural not in VIEW_KINDS:
                    continue
                src = view_src(edition.id, plural, entry_id)
                renamed = _current_id(book, plural, entry_id)
                if renamed is not None and now.get(entry_key(plural, renamed)) == record:
                    found[src] = View(edition, plural, entry_id, "same")
                    runs.pop(key, None)
                elif key in runs and runs[key][0] == record:
                    page = runs[key][1]
                    page.last = edition
                    found[src] = View(edition, plural, entry_id, "alias", view_src(page.edition.id, plural, entry_id))
                else:
                    found[src] = View(edition, plural, entry_id, "page")
                    runs[key] = (record, found[src])
        return found

    return book.derived("edition_views", make)


def _current_id(book: Handbook, plural: str, entry_id: str) -> str | None:
    """The id an entry has now, following renames (former_ids); None if it is gone."""
    entries = getattr(book, plural)
    if entry_id in entries:
        return entry_id
    return next((e.id for e in entries.values() if entry_id in (getattr(e, "former_ids", None) or [])), None)


# The history block of an entry page.


def history_block(parts, here: str, plural: str, entry_id: str) -> Markup:
    book, lang = parts.book, parts.lang
    rows = []
    for change in history_of(book, plural, entry_id):
        edition = change.edition
        when = edition_label(edition, lang) if edition else label("edition_unpublished", lang)
        note = edition.notes.get(entry_key(plural, entry_id)) if edition else None
        link = None
        src = view_src(edition.id, plural, _id_in(book, edition, plural, entry_id)) if edition else ""
        view = views(book).get(src)
        if view is not None and view.what != "same":  # the entry as it was then, where that differs from now
            link = relative_url(src, here, parts.use_directory_urls)
        rows.append((when, change.words(lang), note[lang] if note else "", link))
    return parts.renderer.render("history.html", here, rows=rows, has_editions=bool(book.editions.editions))


def _id_in(book: Handbook, edition: Edition, plural: str, entry_id: str) -> str:
    """The id an entry had in an edition (before a rename, one of its former ids)."""
    entries = book.editions.entries.get(edition.id, {})
    if entry_key(plural, entry_id) in entries:
        return entry_id
    return next((k.split("/", 1)[1] for k in former_keys(book, plural, entry_id) if k in entries), entry_id)


def translation_since(book: Handbook, entry) -> tuple[Edition | None, list[str]]:
    """The edition the out-of-date English was reviewed against and the parts whose Chinese changed since."""
    from handbook.kinds import BY_MODEL

    plural = BY_MODEL[type(entry)].plural
    key = entry_key(plural, entry.id)
    return history_translation_since(
        book.editions, key, former_keys(book, plural, entry.id), entry.translation.zh_hash, current(book)[key]
    )


def citation_target(book: Handbook, plural: str, entry_id: str) -> tuple[Edition | None, str]:
    """What a citation of an entry names: the latest edition and its view's src, which leads to the current page,
    when the page shows what that edition has; otherwise (no edition yet, an entry added or changed since the
    last edition) no edition and the current page."""
    latest = book.editions.latest
    if latest is not None:
        src = view_src(latest.id, plural, entry_id)
        view = views(book).get(src)
        if view is not None and view.what == "same":
            return latest, src
    return None, f"{plural}/{entry_id}.md"


# The pages.


CITE_KEYS = ("cite", "dates_cite")


def _text(value, lang: str) -> Markup:
    """A zh/en text (or list of texts, as aliases) in the reader's language, with its citations after it."""
    text = value.get(lang) or value.get("zh") or ""
    if isinstance(text, list):
        text = ("、" if lang == "zh" else ", ").join(str(t) for t in text)
    return Markup("{}{}").format(text, _cites(value))


def _cites(value: dict) -> Markup:
    cites = [c for key in CITE_KEYS for c in value.get(key) or []]
    return Markup(' <span class="hb-note">[{}]</span>').format(", ".join(cites)) if cites else Markup("")


def _render_value(value, lang: str, key: str = "", categories: dict | None = None) -> Markup:
    """An old record's value as readable text: the reader's language of each text, lists as lists, a guide by
    its sections, a statement's parts on one line, its citations in brackets."""
    if isinstance(value, dict):
        if "zh" in value and "en" in value:
            return _text(value, lang)
        shown = [
            (k, v)
            for k, v in value.items()
            if k not in BOOKKEEPING and k not in CITE_KEYS and v not in (None, "", [], {})
        ]
        if key == "guide":
            rows = [
                Markup("<dt>{}</dt><dd>{}</dd>").format(field_word(f"guide.{k}", lang), _render_value(v, lang))
                for k, v in shown
            ]
            return Markup("<dl>{}</dl>").format(Markup("").join(rows))
        inline = Markup(" · ").join(_render_value(v, lang, k) for k, v in shown)
        return Markup("{}{}").format(inline, _cites(value))
    if isinstance(value, list):
        items = Markup("").join(Markup("<li>{}</li>").format(_render_value(v, lang, key)) for v in value)
        return Markup("<ul>{}</ul>").format(items)
    if key == "level" and value in LEVELS:
        return escape(LEVELS[value][lang])
    if key == "category" and categories and value in categories:
        return escape(getattr(categories[value].name, lang))
    return escape(str(value))


def _name(record: dict | None, lang: str) -> str:
    for key in ("name", "title", "term"):
        value = (record or {}).get(key)
        if isinstance(value, dict):
            return value.get(lang) or value.get("zh") or ""
    return (record or {}).get("id", "")


def editions_span(view: View, lang: str) -> str:
    """The editions a page shows the entry of: one, or the first to the last of a run."""
    if view.last is None:
        return edition_label(view.edition, lang)
    if lang == "zh":
        return f"{view.edition.id} 至 {view.last.id} 版（{view.edition.date} 至 {view.last.date}）"
    return f"editions {view.edition.id} to {view.last.id} ({view.edition.date} to {view.last.date})"


def view_titles(book: Handbook, src: str) -> tuple[str, str]:
    view = views(book)[src]
    record = book.editions.entries[view.edition.id].get(entry_key(view.plural, view.entry_id))
    names = [_name(record, lang) or view.entry_id for lang in ("zh", "en")]
    last = view.last.id if view.last is not None else None
    span = {"zh": f"{view.edition.id}–{last}" if last else view.edition.id}
    span["en"] = f"editions {view.edition.id}–{last}" if last else f"edition {view.edition.id}"
    return (f"{names[0]}（{span['zh']} 版）", f"{names[1]} ({span['en']})")


def edition_view_page(parts, here: str, src: str) -> list:
    book, lang = parts.book, parts.lang
    view = views(book)[src]
    titles = view_titles(book, src)
    now_id = _current_id(book, view.plural, view.entry_id)
    current_link = relative_url(f"{view.plural}/{now_id}.md", here, parts.use_directory_urls) if now_id else None
    body = functools.partial(_view_body, parts, here, view, current_link, now_id)
    return [f"# {md_text(titles[0 if lang == 'zh' else 1])}", body]


def _view_body(parts, here, view: View, current_link, now_id) -> Markup:
    lang, edition, plural = parts.lang, view.edition, view.plural
    record = parts.book.editions.entries[edition.id].get(entry_key(plural, view.entry_id))
    last = view.last or edition
    order = [e.id for e in parts.book.editions.editions]
    since = [  # the changes after the last edition that had this version
        c
        for c in (history_of(parts.book, plural, now_id) if now_id else [])
        if c.edition is None or order.index(c.edition.id) > order.index(last.id)
    ]
    sections = []
    if record is not None:
        for key, value in record.items():
            if (
                key in BOOKKEEPING
                or key in ("keywords", "reviewed", "seed_spans", "seed_omitted")
                or value in (None, "", [], {})
            ):
                continue
            sections.append((field_word(key, lang), _render_value(value, lang, key, parts.book.categories)))
    return parts.renderer.render(
        "edition_view.html",
        here,
        edition=edition,
        edition_name=editions_span(view, lang),
        current_link=current_link,
        since=[
            (edition_label(c.edition, lang) if c.edition else label("edition_unpublished", lang), c.words(lang))
            for c in since
        ],
        sections=sections,
        reviewed=(record or {}).get("reviewed", {}).get("date"),
        data_link=relative_url("open-data.md", here, parts.use_directory_urls),
    )


def changes_page(parts, here: str) -> list:
    return [f"# {label('changes_page', parts.lang)}", functools.partial(_changes_body, parts, here)]


def edition_changes(book: Handbook) -> list[tuple[Edition | None, list[tuple[str, str, Change]]]]:
    """Per edition, newest first (unpublished changes before them): each entry changed, (plural, id, change)."""

    def make():
        by_edition: dict[str | None, list[tuple[str, str, Change]]] = {}
        for plural in EDITION_KINDS:
            ids = set(getattr(book, plural))
            ids |= {k.split("/", 1)[1] for e in book.editions.entries.values() for k in e if k.startswith(plural + "/")}
            for entry_id in sorted(ids):
                if entry_id not in getattr(book, plural) and _current_id(book, plural, entry_id):
                    continue  # a former id: its history is its new id's
                key = entry_key(plural, entry_id)
                history = entry_history(book.editions, key, former_keys(book, plural, entry_id), current(book).get(key))
                for change in history:
                    by_edition.setdefault(change.edition.id if change.edition else None, []).append(
                        (plural, entry_id, change)
                    )
        ordered: list[tuple[Edition | None, list[tuple[str, str, Change]]]] = []
        if None in by_edition:
            ordered.append((None, by_edition[None]))
        ordered += [(e, by_edition.get(e.id, [])) for e in reversed(book.editions.editions)]
        return ordered

    return book.derived("edition_changes", make)


def _changes_body(parts, here: str) -> Markup:
    book, lang = parts.book, parts.lang
    groups: list[tuple] = []
    for edition, changes in edition_changes(book):
        items = []
        name = edition_label(edition, lang) if edition else label("edition_unpublished", lang)
        if edition is not None and edition is book.editions.editions[0]:  # everything there was: no list of news
            groups.append(
                (name, edition.summary[lang], [], edition.id, label("changes_first", lang, count=len(changes)))
            )
            continue
        for plural, entry_id, change in changes:
            entry = getattr(book, plural).get(entry_id)
            title = (
                parts.renderer.title_of(VIEW_KINDS.get(plural, plural.rstrip("s")), entry_id)
                if entry is not None
                else entry_id
            )
            page = f"{plural}/{entry_id}.md" if plural in VIEW_KINDS else "glossary.md"
            link = (
                relative_url(page, here, parts.use_directory_urls, "" if plural in VIEW_KINDS else entry_id)
                if entry is not None
                else None
            )
            note = edition.notes.get(entry_key(plural, entry_id)) if edition else None
            items.append(
                (title, link, label(f"kind_name.{plural}", lang), change.words(lang), note[lang] if note else "")
            )
        groups.append((name, edition.summary[lang] if edition else "", items, edition.id if edition else None, ""))
    return parts.renderer.render(
        "changes.html",
        here,
        groups=groups,
        feed=file_url("feed.xml", here, parts.use_directory_urls),
    )


# Files written after the pages: redirects, each edition's open data, the feed.


def write_edition_files(
    site_dir: Path, book: Handbook, lang: str, html_lang: str, use_directory_urls: bool, site_url: str
) -> None:
    for src, view in views(book).items():
        if view.what == "page":
            continue
        target = (
            f"{view.plural}/{_current_id(book, view.plural, view.entry_id)}.md"
            if view.what == "same"
            else view.page_src
        )
        title = view_titles(book, view.page_src or src)[0 if lang == "zh" else 1]
        write_redirect(site_dir, src, target, title, html_lang, use_directory_urls)
    if lang == "zh":
        write_edition_data(site_dir / "data" / "editions", book.editions)
    (site_dir / "feed.xml").write_text(atom_feed(book, lang, site_url), encoding="utf-8")


def write_edition_data(folder: Path, editions: Editions) -> None:
    """Each edition's open data: per kind, every entry as that edition had it, and the edition's own line. A file
    the same as the edition before's is a hard link to it where the file system allows (most kinds do not
    change in an edition)."""
    previous: dict[str, tuple[str, Path]] = {}
    for edition in editions.editions:
        (folder / edition.id).mkdir(parents=True, exist_ok=True)
        entries = editions.entries[edition.id]
        for plural in EDITION_KINDS:
            records = [r for k, r in sorted(entries.items()) if k.startswith(plural + "/")]
            text = json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n"
            path = folder / edition.id / f"{plural}.json"
            if plural in previous and previous[plural][0] == text:
                try:
                    os.link(previous[plural][1], path)
                    continue
                except OSError:
                    pass
            path.write_text(text, encoding="utf-8")
            previous[plural] = (text, path)
        about = {"id": edition.id, "date": edition.date, "summary": edition.summary}
        (folder / edition.id / "edition.json").write_text(
            json.dumps(about, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


def atom_feed(book: Handbook, lang: str, site_url: str) -> str:
    """An Atom feed (RFC 4287) of the newest changes, one entry per entry changed in an edition."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    title = label("changes_feed_title", lang)
    editions = book.editions.editions
    updated = f"{editions[-1].date}T00:00:00Z" if editions else "1970-01-01T00:00:00Z"
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"union-programmes-handbook/{lang}/feed")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{"zh-Hans" if lang == "zh" else "en"}"'
        + (f' xml:base="{xml_escape(base)}"' if base else "")
        + ">",
        f"<title>{xml_escape(title)}</title>",
        f"<id>urn:uuid:{feed_id}</id>",
        f"<updated>{updated}</updated>",
        f"<author><name>{xml_escape(label('site_author', lang))}</name></author>",
        '<link rel="alternate" href="changes/"/>',
    ]
    if base:
        out.append(f'<link rel="self" href="{xml_escape(base)}feed.xml"/>')
    count = 0
    for edition, changes in edition_changes(book):
        if edition is None:
            continue  # not published yet
        if edition is editions[0]:  # the first edition: one entry for all it held
            changes = []
            entry_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"union-programmes-handbook/{lang}/{edition.id}")
            out += [
                "<entry>",
                f"<title>{xml_escape(edition_label(edition, lang))}</title>",
                f"<id>urn:uuid:{entry_uuid}</id>",
                f"<updated>{edition.date}T00:00:00Z</updated>",
                '<link rel="alternate" href="changes/"/>',
                f"<summary>{xml_escape(edition.summary[lang])}</summary>",
                "</entry>",
            ]
        for plural, entry_id, change in changes:
            if count >= FEED_ENTRIES:
                break
            count += 1
            entry = getattr(book, plural).get(entry_id)
            name = _name(book.editions.entries[edition.id].get(entry_key(plural, entry_id)), lang) or entry_id
            if entry is not None and plural in VIEW_KINDS:
                href = page_url(f"{plural}/{entry_id}.md", True)
            elif entry is not None:
                href = f"glossary/#{entry_id}"
            else:
                href = "changes/"
            words = change.words(lang)
            note = edition.notes.get(entry_key(plural, entry_id))
            summary = words + ("。" if lang == "zh" else ". ") + (note[lang] if note else "")
            entry_uuid = uuid.uuid5(
                uuid.NAMESPACE_URL, f"union-programmes-handbook/{lang}/{edition.id}/{plural}/{entry_id}"
            )
            out += [
                "<entry>",
                f"<title>{xml_escape(name)}：{xml_escape(words)}</title>"
                if lang == "zh"
                else f"<title>{xml_escape(name)}: {xml_escape(words)}</title>",
                f"<id>urn:uuid:{entry_uuid}</id>",
                f"<updated>{edition.date}T00:00:00Z</updated>",
                f'<link rel="alternate" href="{xml_escape(href)}"/>',
                f"<summary>{xml_escape(edition_label(edition, lang))} — {xml_escape(summary.strip())}</summary>",
                "</entry>",
            ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
