"""The Markdown of every page generated from data. It holds ids and fixed labels only: all data text
reaches the page through macros, which escape it, so YAML is never evaluated as a template."""
from __future__ import annotations

from handbook.store import Handbook

from .labels import label


def _heading(key: str, lang: str, anchor: str) -> str:
    return f"## {label(key, lang)} {{#{anchor}}}"


def programme_page(book: Handbook, programme_id: str, lang: str) -> str:
    p = book.programmes[programme_id]
    call = lambda part: f'{{{{ programme("{programme_id}", "{part}") }}}}'  # noqa: E731
    parts = [f'{{{{ page_title("programme", "{programme_id}") }}}}', call("header"), call("notices"), call("cite")]
    for key, anchor in (("summary", "summary"), ("purpose", "purpose"), ("organisers", "organisers"),
                        ("beneficiaries", "beneficiaries"), ("how_it_runs", "how-it-runs")):
        parts += [_heading(key, lang, anchor), call(key)]
    if book.targets_of(programme_id):
        parts += [_heading("targets", lang, "targets"), call("targets")]
    if p.laws:
        parts += [_heading("laws", lang, "laws"), call("laws")]
    if p.started or p.background:
        parts += [_heading("background", lang, "background"), call("background")]
    if p.quotes:
        parts += [_heading("quotations", lang, "quotations")] + [call(f"quote-{i}") for i in range(1, len(p.quotes) + 1)]
    if p.open_questions:
        parts += [_heading("open_questions", lang, "open-questions"), call("open_questions")]
    if p.related or book.terms_of(programme_id):
        parts += [_heading("related", lang, "related"), call("related")]
    parts += [_heading("cited_sources", lang, "sources"), call("sources")]
    return "\n\n".join(parts) + "\n"


def programme_index_page(book: Handbook, lang: str) -> str:
    parts = [f"# {label('programmes_index', lang)}", "{{ programme_index_intro() }}"]
    for category_id in book.categories:
        if book.programmes_in(category_id):
            parts += [f'## {{{{ title("category", "{category_id}") }}}} {{#{category_id}}}',
                      f'{{{{ programme_index("{category_id}") }}}}']
    return "\n\n".join(parts) + "\n"


def source_page(source_id: str, lang: str) -> str:
    return "\n\n".join([f'{{{{ page_title("source", "{source_id}") }}}}',
                        _heading("metadata", lang, "metadata"), f'{{{{ source("{source_id}", "meta") }}}}',
                        _heading("text", lang, "text"), f'{{{{ source("{source_id}", "text") }}}}']) + "\n"


def source_index_page(lang: str) -> str:
    return f"# {label('sources', lang)}\n\n{{{{ source_index() }}}}\n"


def glossary_page(lang: str) -> str:
    return f"# {label('glossary', lang)}\n\n{{{{ glossary() }}}}\n"


def law_page(law_id: str, lang: str) -> str:
    parts = [f'{{{{ page_title("law", "{law_id}") }}}}', f'{{{{ law("{law_id}", "meta") }}}}']
    return "\n\n".join(parts) + "\n"


def _simple_page(key: str, macro: str, lang: str) -> str:
    return f"# {label(key, lang)}\n\n{{{{ {macro}() }}}}\n"


def targets_page(book: Handbook, lang: str) -> str:
    parts = [f"# {label('targets_page', lang)}", "{{ targets_intro() }}"]
    for programme_id in sorted({t.programme for t in book.targets.values()}):
        parts += [f'## {{{{ title("programme", "{programme_id}") }}}} {{#{programme_id}}}', f'{{{{ target_charts("{programme_id}") }}}}']
    parts += [f"## {label('all_targets', lang)} {{#all}}", "{{ targets_table() }}"]
    return "\n\n".join(parts) + "\n"


def handout_page(programme_id: str) -> str:
    """One printable A4 page per programme: summary, key points, targets and how to cite it."""
    return (f'{{{{ page_title("programme", "{programme_id}") }}}}\n\n'
            f'{{{{ handout("{programme_id}") }}}}\n')


def print_page(book: Handbook, lang: str) -> str:
    """The whole handbook on one page, for printing: every programme in category order."""
    parts = [f"# {label('print_all', lang)}", "{{ print_intro() }}"]
    for category_id in book.categories:
        for programme in book.programmes_in(category_id):
            pid = programme.id
            parts += [f'## {{{{ title("programme", "{pid}") }}}} {{#{pid}}}',
                      f'{{{{ programme("{pid}", "header") }}}}', f'{{{{ handout("{pid}", false) }}}}']
    return "\n\n".join(parts) + "\n"


def generated_pages(book: Handbook, lang: str) -> dict[str, str]:
    """Every generated page by its path under docs/, the same paths in both languages."""
    pages = {"programmes/index.md": programme_index_page(book, lang),
             "sources/index.md": source_index_page(lang),
             "glossary.md": glossary_page(lang),
             "references.md": _simple_page("references", "references_list", lang),
             "laws/index.md": _simple_page("laws", "law_index", lang),
             "targets.md": targets_page(book, lang),
             "timeline.md": _simple_page("timeline", "timeline_page", lang),
             "matrix.md": _simple_page("matrix", "matrix_page", lang),
             "pending.md": _simple_page("pending", "pending_page", lang),
             "status.md": _simple_page("status_page", "status_page", lang)}
    pages.update({f"laws/{law_id}.md": law_page(law_id, lang) for law_id in book.laws})
    pages.update({f"handouts/{pid}.md": handout_page(pid) for pid in book.programmes})
    pages["print.md"] = print_page(book, lang)
    pages.update({f"programmes/{pid}.md": programme_page(book, pid, lang) for pid in book.programmes})
    pages.update({f"sources/{sid}.md": source_page(sid, lang) for sid in book.sources})
    return pages
