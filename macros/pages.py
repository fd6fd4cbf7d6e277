"""The pages generated from data. Each is a list of pieces: Markdown (section headings, with fixed labels or
text escaped by md_text) and HTML blocks (Markup rendered from data by parts.py with escaping, or a function
that renders it when called). hooks.py gives MkDocs the Markdown with a placeholder for each HTML block and
renders the blocks into the page only as it is written, so data text is never read as a template nor
re-parsed as Markdown, and a build never holds every page's HTML at once."""
from __future__ import annotations

import functools
import re
from typing import Callable, Union

from markupsafe import Markup

from handbook.store import Handbook

from .labels import label
from .parts import Parts

Block = Union[Markup, Callable[[], Markup]]
Piece = Union[str, Block]  # a plain str is Markdown
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

    def part(name: str) -> Block:
        return functools.partial(parts.programme, here, programme_id, name)

    pieces: list[Piece] = [parts.page_title("programme", programme_id), part("header"), part("notices"), part("cite")]
    for key, anchor in (("summary", "summary"), ("purpose", "purpose"), ("organisers", "organisers"),
                        ("beneficiaries", "beneficiaries"), ("how_it_runs", "how-it-runs")):
        pieces += [_heading(parts, key, anchor), part(key)]
    if book.targets_of(programme_id):
        pieces += [_heading(parts, "targets", "targets"), part("targets")]
    if p.laws:
        pieces += [_heading(parts, "laws", "laws"), part("laws")]
    if p.started or p.background:
        pieces += [_heading(parts, "background", "background"), part("background")]
    if p.quotes:
        pieces += [_heading(parts, "quotations", "quotations")]
        pieces += [part(f"quote-{i}") for i in range(1, len(p.quotes) + 1)]
    if p.open_questions:
        pieces += [_heading(parts, "open_questions", "open-questions"), part("open_questions")]
    if p.related or book.terms_of(programme_id):
        pieces += [_heading(parts, "related", "related"), part("related")]
    pieces += [_heading(parts, "cited_sources", "sources"), part("sources")]
    return pieces


def programme_index_page(parts: Parts, here: str) -> list[Piece]:
    pieces: list[Piece] = [f"# {label('programmes_index', parts.lang)}", parts.programme_index_intro(here)]
    for category_id in parts.book.categories:
        if parts.book.programmes_in(category_id):
            pieces += [_data_heading(parts, "category", category_id),
                       functools.partial(parts.programme_index, here, category_id)]
    return pieces


def source_page(parts: Parts, here: str, source_id: str) -> list[Piece]:
    return [parts.page_title("source", source_id),
            _heading(parts, "metadata", "metadata"), functools.partial(parts.source, here, source_id, "meta"),
            _heading(parts, "text", "text"), functools.partial(parts.source, here, source_id, "text")]


def law_page(parts: Parts, here: str, law_id: str) -> list[Piece]:
    return [parts.page_title("law", law_id), functools.partial(parts.law, here, law_id)]


def simple_page(parts: Parts, here: str, key: str, body: str) -> list[Piece]:
    """A fixed title and one block from the Parts method named `body`."""
    return [f"# {label(key, parts.lang)}", functools.partial(getattr(parts, body), here)]


def targets_page(parts: Parts, here: str) -> list[Piece]:
    pieces: list[Piece] = [f"# {label('targets_page', parts.lang)}", parts.targets_intro(here)]
    for programme_id in sorted({t.programme for t in parts.book.targets.values()}):
        pieces += [_data_heading(parts, "programme", programme_id),
                   functools.partial(parts.target_charts, here, programme_id)]
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
            pieces += [_data_heading(parts, "programme", pid), functools.partial(parts.programme, here, pid, "header"),
                       functools.partial(parts.handout, here, pid, False)]
    return pieces


def generated_pages(book: Handbook) -> dict[str, PageBuilder]:
    """Every generated page by its path under docs/ (the same in both languages), with what builds it."""
    def simple(key: str, body: str) -> PageBuilder:
        return functools.partial(simple_page, key=key, body=body)

    pages: dict[str, PageBuilder] = {
        "programmes/index.md": programme_index_page,
        "sources/index.md": simple("sources", "source_index"),
        "glossary.md": simple("glossary", "glossary"),
        "references.md": simple("references", "references_list"),
        "laws/index.md": simple("laws", "law_index"),
        "targets.md": targets_page,
        "timeline.md": simple("timeline", "timeline_page"),
        "matrix.md": simple("matrix", "matrix_page"),
        "pending.md": simple("pending", "pending_page"),
        "status.md": simple("status_page", "status_page")}
    pages.update({f"laws/{law_id}.md": functools.partial(law_page, law_id=law_id) for law_id in book.laws})
    pages.update({f"handouts/{pid}.md": functools.partial(handout_page, programme_id=pid) for pid in book.programmes})
    pages["print.md"] = print_page
    pages.update({f"programmes/{pid}.md": functools.partial(programme_page, programme_id=pid) for pid in book.programmes})
    pages.update({f"sources/{sid}.md": functools.partial(source_page, source_id=sid) for sid in book.sources})
    return pages
