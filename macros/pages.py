"""The pages generated from data. Each is a list of pieces: Markdown (section headings, with fixed labels or
text escaped by md_text) and HTML blocks (Markup rendered from data by parts.py with escaping, or a function
that renders it when called). events.py gives MkDocs the Markdown with a placeholder for each HTML block and
renders the blocks into the page only as it is written, so data text is never read as a template nor
re-parsed as Markdown, and a build never holds every page's HTML at once."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from handbook.guide import laws_of
from handbook.kinds import BY_NAME
from handbook.models import GUIDE_SECTIONS
from handbook.store import Handbook

from . import edition_pages
from .labels import label
from .parts import Parts
from .render import name_of

Block = Markup | Callable[[], Markup]
Piece = str | Block  # a plain str is Markdown
PageBuilder = Callable[[Parts, str], list]  # (parts, here) -> pieces


PLACEHOLDER = "<!--handbook-block-{}-->"  # an HTML comment: Markdown passes it through as it is
_PLACEHOLDER = re.compile(r"<!--handbook-block-(\d+)-->")


def blocks_to_placeholders(pieces: list[Piece], blocks: list[Callable[[], Markup]]) -> str:
    """The page's Markdown, each deferred HTML block replaced by a placeholder and appended to `blocks`.
    Short finished blocks (a page's <h1>, whose presence Material checks in the content) stay in the Markdown
    as raw HTML."""
    markdown = []
    for piece in pieces:
        if callable(piece):
            markdown.append(PLACEHOLDER.format(len(blocks)))
            blocks.append(piece)
        else:
            markdown.append(piece)
    return "\n\n".join(markdown) + "\n"


def render_blocks(blocks: list[Callable[[], Markup]]) -> list[Markup]:
    return [block() for block in blocks]


def fill_placeholders(text: str, rendered: list[Markup]) -> str:
    """Put each rendered block in its placeholder's place, in one pass (a block's text is never searched
    again, so data can never reach a placeholder)."""
    return _PLACEHOLDER.sub(lambda match: str(rendered[int(match.group(1))]), text)


def _heading(parts: Parts, key: str, anchor: str) -> str:
    return f"## {label(key, parts.lang)} {{#{anchor}}}"


def _data_heading(parts: Parts, kind: str, entry_id: str) -> str:
    return f"## {parts.title(kind, entry_id)} {{#{entry_id}}}"


def programme_page(parts: Parts, here: str, programme_id: str) -> list[Piece]:
    book = parts.book
    p = book.programmes[programme_id]

    def part(method: Callable[..., Markup], *args) -> Block:
        return functools.partial(method, here, programme_id, *args)

    pieces: list[Piece] = [
        parts.page_title("programme", programme_id),
        part(parts.programme_header),
        part(parts.programme_notices),
        part(parts.programme_cite),
    ]
    # What it is and who it is for first, then the guide, then what the documents say, then quotations.
    pieces += [_heading(parts, "summary", "summary"), part(parts.programme_statement, "summary")]
    pieces += [_heading(parts, "guide", "guide"), part(parts.programme_guide_intro)]
    if p.guide:
        for section in GUIDE_SECTIONS:
            if p.guide.filled(section) or section in p.guide.open:
                pieces += [
                    f"### {label('guide.' + section, parts.lang)} {{#guide-{section}}}",
                    part(parts.programme_guide_section, section),
                ]
    pieces += [_heading(parts, "purpose", "purpose"), part(parts.programme_statement, "purpose")]
    pieces += [
        _heading(parts, "organisers", "organisers"),
        part(parts.programme_organisers),
        _heading(parts, "beneficiaries", "beneficiaries"),
        part(parts.programme_statement, "beneficiaries"),
        _heading(parts, "how_it_runs", "how-it-runs"),
        part(parts.programme_how_it_runs),
    ]
    if book.targets_of(programme_id):
        pieces += [_heading(parts, "targets", "targets"), part(parts.programme_targets)]
    if laws_of(p):
        pieces += [_heading(parts, "laws", "laws"), part(parts.programme_laws)]
    if p.started or p.first_named or p.background:
        pieces += [_heading(parts, "background", "background"), part(parts.programme_background)]
    if p.quotes:
        pieces += [_heading(parts, "quotations", "quotations")]
        pieces += [part(parts.programme_quote, number) for number in range(1, len(p.quotes) + 1)]
    if p.open_questions:
        pieces += [_heading(parts, "open_questions", "open-questions"), part(parts.programme_open_questions)]
    if p.related or book.terms_of(programme_id):
        pieces += [_heading(parts, "related", "related"), part(parts.programme_related)]
    pieces += [_heading(parts, "cited_sources", "sources"), part(parts.programme_sources)]
    return pieces + history(parts, here, "programmes", programme_id)


def history(parts: Parts, here: str, plural: str, entry_id: str) -> list[Piece]:
    """The entry's change history, edition by edition (macros/edition_pages.py), at the foot of its page."""
    heading = f"## {label('history', parts.lang)} {{#{edition_pages.HISTORY_ANCHOR} .hb-history}}"
    return [heading, functools.partial(edition_pages.history_block, parts, here, plural, entry_id)]


def programme_index_page(parts: Parts, here: str) -> list[Piece]:
    pieces: list[Piece] = [f"# {label('programmes_index', parts.lang)}", parts.programme_index_intro(here)]
    for category_id in parts.book.categories:
        if parts.book.programmes_in(category_id):
            pieces += [
                _data_heading(parts, "category", category_id),
                functools.partial(parts.programme_index, here, category_id),
            ]
    return pieces


def source_page(parts: Parts, here: str, source_id: str) -> list[Piece]:
    return [
        parts.page_title("source", source_id),
        _heading(parts, "metadata", "metadata"),
        functools.partial(parts.source, here, source_id, "meta"),
        _heading(parts, "text", "text"),
        functools.partial(parts.source, here, source_id, "text"),
        *history(parts, here, "sources", source_id),
    ]


def law_page(parts: Parts, here: str, law_id: str) -> list[Piece]:
    pieces: list[Piece] = [parts.page_title("law", law_id), functools.partial(parts.law, here, law_id)]
    if parts.book.laws[law_id].articles:
        pieces += [_heading(parts, "law_articles", "articles"), functools.partial(parts.law_articles, here, law_id)]
    return pieces + history(parts, here, "laws", law_id)


def simple_page(parts: Parts, here: str, key: str, body: Callable[[Parts, str], Markup]) -> list[Piece]:
    """A fixed title and one block from a Parts method (`body`, e.g. Parts.glossary)."""
    return [f"# {label(key, parts.lang)}", functools.partial(body, parts, here)]


def status_page(parts: Parts, here: str) -> list[Piece]:
    """How far each programme's guide goes, then each entry's translation and review."""
    return [
        f"# {label('status_page', parts.lang)}",
        _heading(parts, "guide_status_title", "guides"),
        functools.partial(parts.guide_status, here),
        _heading(parts, "review_status_title", "review"),
        functools.partial(parts.status_page, here),
    ]


def targets_page(parts: Parts, here: str) -> list[Piece]:
    pieces: list[Piece] = [f"# {label('targets_page', parts.lang)}", parts.targets_intro(here)]
    for programme_id in sorted({t.programme for t in parts.book.targets.values()}):
        pieces += [
            _data_heading(parts, "programme", programme_id),
            functools.partial(parts.target_charts, here, programme_id),
        ]
    pieces += [f"## {label('all_targets', parts.lang)} {{#all}}", functools.partial(parts.targets_table, here)]
    return pieces


def handout_page(parts: Parts, here: str, programme_id: str) -> list[Piece]:
    """One printable A4 page per programme: summary, key points, targets and how to cite it."""
    return [parts.page_title("programme", programme_id), functools.partial(parts.handout, here, programme_id)]


def print_page(parts: Parts, here: str) -> list[Piece]:
    """The whole handbook on one page, for printing: every programme in category order."""
    pieces: list[Piece] = [f"# {label('print_all', parts.lang)}", parts.print_intro(here)]
    for category_id in parts.book.categories:
        for programme in parts.book.programmes_in(category_id):
            pid = programme.id
            pieces += [
                _data_heading(parts, "programme", pid),
                functools.partial(parts.programme_header, here, pid),
                functools.partial(parts.handout, here, pid, False),
            ]
    return pieces


@dataclass(frozen=True)
class PageRecord:
    """A generated page: where it is, what it shows, the file to edit, how search takes it and how it is built.
    events.py and the search index look a page up by its path; nothing parses a path for its kind or id."""

    path: str  # under docs/, the same in both languages, e.g. programmes/ankang-cup.md
    builder: PageBuilder
    kind: str = "page"  # programme, handout, source or law for an entry's page; page for the others
    entry_id: str = ""
    data_file: str = ""  # what a maintainer edits to change the page; empty: its Markdown in docs/
    search: str = "html"  # html: indexed from its sections; data: built from data by the index; none: left out
    titles: tuple[str, str] | None = None  # a title from data for a page that shows no current entry (zh, en)

    def __call__(self, parts: Parts, here: str) -> list[Piece]:
        return self.builder(parts, here)

    def entry(self, book: Handbook):
        """The entry the page shows (a handout shows a programme), or None."""
        kind = BY_NAME.get("programme" if self.kind == "handout" else self.kind)
        return getattr(book, kind.plural).get(self.entry_id) if kind is not None else None

    def title(self, book: Handbook, lang: str) -> str | None:
        """The page title from data (an entry's name, a source's title), or None for a fixed title."""
        if self.titles is not None:
            return self.titles[0 if lang == "zh" else 1]
        entry = self.entry(book)
        return getattr(name_of(entry), lang) if entry is not None else None

    def description(self, book: Handbook, lang: str, limit: int = 160) -> str | None:
        """The entry's own summary, shortened, for search engines and share cards; None if it has none."""
        summary = getattr(self.entry(book), "summary", None)
        text = " ".join(getattr(summary, lang, "").split()) if summary is not None else ""
        return (text[: limit - 1] + "…" if len(text) > limit else text) or None


def generated_pages(book: Handbook) -> dict[str, PageRecord]:
    """Every generated page by its path under docs/ (the same in both languages)."""

    def simple(path: str, key: str, body: Callable, data_file: str = "", search: str = "html") -> PageRecord:
        return PageRecord(path, functools.partial(simple_page, key=key, body=body), data_file=data_file, search=search)

    def entry(kind: str, folder: str, entry_id: str, builder: Callable, search: str = "html") -> PageRecord:
        return PageRecord(
            f"{'handouts' if kind == 'handout' else folder}/{entry_id}.md",
            builder,
            kind,
            entry_id,
            f"data/{folder}/{entry_id}.yml",
            search,
        )

    records = [
        PageRecord("programmes/index.md", programme_index_page),
        simple("sources/index.md", "sources", Parts.source_index),
        simple("glossary.md", "glossary", Parts.glossary, "data/terms/", "data"),  # one search result per term
        simple("references.md", "references", Parts.references_list),
        simple("laws/index.md", "laws", Parts.law_index),
        PageRecord("targets.md", targets_page, data_file="data/targets/"),
        simple("timeline.md", "timeline", Parts.timeline_page),
        simple("matrix.md", "matrix", Parts.matrix_page, search="none"),
        simple("pending.md", "pending", Parts.pending_page, search="none"),
        PageRecord("status.md", status_page),
    ]
    records += [entry("law", "laws", law_id, functools.partial(law_page, law_id=law_id)) for law_id in book.laws]
    # Handouts and the print page repeat programme pages: search leaves them out.
    records += [
        entry("handout", "programmes", pid, functools.partial(handout_page, programme_id=pid), "none")
        for pid in book.programmes
    ]
    records.append(PageRecord("print.md", print_page, search="none"))
    # What's new names entries it does not describe: search leaves it out, as the handouts.
    records.append(PageRecord("changes.md", edition_pages.changes_page, data_file="data/editions.yml", search="none"))
    # An entry as an older edition had it, where it then said something else (the others redirect).
    records += [
        PageRecord(
            src,
            functools.partial(edition_pages.edition_view_page, src=src),
            data_file="data/editions.yml",
            search="none",
            titles=edition_pages.view_titles(book, src),
        )
        for src, view in edition_pages.views(book).items()
        if view.what == "page"
    ]
    records += [
        entry("programme", "programmes", pid, functools.partial(programme_page, programme_id=pid))
        for pid in book.programmes
    ]
    records += [
        entry("source", "sources", sid, functools.partial(source_page, source_id=sid), "data")  # by paragraph
        for sid in book.sources
    ]
    return {record.path: record for record in records}
