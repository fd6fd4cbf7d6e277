"""mkdocs-macros entry point: thin lookups that hand data to templates (see render.py)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markupsafe import Markup  # noqa: E402

from handbook.store import all_cites  # noqa: E402
from macros import state  # noqa: E402
from macros import views  # noqa: E402
from macros.render import Renderer, md_text  # noqa: E402


def define_env(env) -> None:
    book = state.handbook()
    lang = env.conf["extra"]["lang"]
    renderer = Renderer(book, lang, env.conf["use_directory_urls"])

    def here() -> str:
        return env.page.file.src_uri

    @env.macro
    def title(kind: str, entry_id: str) -> str:
        """A section title from data, escaped for a Markdown heading."""
        return md_text(renderer.title_of(kind, entry_id))

    @env.macro
    def page_title(kind: str, entry_id: str) -> str:
        """A page's <h1> from data. Raw HTML, so the Markdown title line never holds template syntax;
        the hook sets page.title from the same data after macros have run."""
        return Markup('<h1>{}</h1>').format(renderer.title_of(kind, entry_id))

    @env.macro
    def programme(programme_id: str, part: str) -> str:
        p = book.programmes[programme_id]
        terms = book.terms_of(programme_id)
        context = dict(p=p, terms=terms)
        if part == "header":
            levels = sorted({o.level for o in p.organisers}, key=list(renderer.env.globals["LEVELS"]).index)
            return renderer.render("programme/header.html", here(), levels=levels, **context)
        if part in ("summary", "purpose", "beneficiaries"):
            return renderer.render("programme/statement.html", here(), item=getattr(p, part), **context)
        if part == "how_it_runs":
            return renderer.render("programme/list.html", here(), items=p.how_it_runs, **context)
        if part == "organisers":
            return renderer.render("programme/organisers.html", here(), **context)
        if part.startswith("quote-"):
            number = int(part.removeprefix("quote-"))
            return renderer.render("quote.html", here(), q=p.quotes[number - 1], anchor=part)
        if part == "related":
            related = [book.programmes[r] for r in p.related]
            return renderer.render("programme/related.html", here(), related=related, terms=terms)
        if part == "targets":
            return renderer.render("programme/targets.html", here(), targets=book.targets_of(programme_id))
        if part == "laws":
            return renderer.render("programme/laws.html", here(), laws=[book.laws[i] for i in p.laws])
        if part == "background":
            return renderer.render("programme/background.html", here(), **context)
        if part == "open_questions":
            return renderer.render("open_questions.html", here(), questions=p.open_questions)
        if part == "sources":
            cited = sorted({ref.split("#")[0] for ref in all_cites(p)} | {q.source for q in p.quotes})
            sources = [book.sources[s] for s in cited if s in book.sources]
            return renderer.render("programme/sources.html", here(), sources=sources)
        raise ValueError(f"unknown programme part {part!r}")

    @env.macro
    def programme_index_intro() -> str:
        return Markup('<p class="hb-count">{}</p>').format(
            f"共 {len(book.programmes)} 个项目" if lang == "zh" else f"{len(book.programmes)} programmes")

    @env.macro
    def programme_index(category_id: str) -> str:
        category = book.categories[category_id]
        intro = Markup("<p>{}</p>\n").format(renderer.tr(category.description))
        return intro + renderer.render("programme_index.html", here(), programmes=book.programmes_in(category_id))

    @env.macro
    def source(source_id: str, part: str) -> str:
        s = book.sources[source_id]
        paragraphs = book.paragraphs[source_id]
        template = {"meta": "source_meta.html", "text": "source_text.html"}[part]
        return renderer.render(template, here(), s=s, paragraphs=paragraphs,
                               cited_by=sorted(book.programmes_citing(source_id), key=lambda p: p.id))

    @env.macro
    def source_index() -> str:
        ordered = sorted(book.sources.values(), key=lambda s: (s.date or "9999", s.id))
        return renderer.render("source_index.html", here(), sources=ordered)

    @env.macro
    def glossary() -> str:
        def programmes_of(term):
            return [p for p in book.programmes.values() if term.id in p.terms or p.id in term.related]
        ordered = sorted(book.terms.values(), key=lambda t: t.id)
        return renderer.render("glossary.html", here(), terms=ordered, programmes_of=programmes_of)

    @env.macro
    def references_list() -> str:
        ordered = sorted(book.references.values(), key=lambda r: r.id)
        return renderer.render("references.html", here(), references=ordered)

    @env.macro
    def law(law_id: str, part: str) -> str:
        entry = book.laws[law_id]
        resting = sorted((p for p in book.programmes.values() if law_id in p.laws), key=lambda p: p.id)
        html = renderer.render("law/meta.html", here(), law=entry, programmes=resting)
        if entry.open_questions:
            html += Markup("\n") + renderer.render("open_questions.html", here(), questions=entry.open_questions)
        return html

    @env.macro
    def law_index() -> str:
        ordered = sorted(book.laws.values(), key=lambda law: (law.adopted or "9999", law.id))
        return renderer.render("law/index.html", here(), laws=ordered)

    @env.macro
    def targets_intro() -> str:
        return Markup("<p>{}</p>").format(renderer.t("targets_intro"))

    @env.macro
    def target_charts(programme_id: str) -> str:
        return views.target_charts(book, renderer, programme_id, here())

    @env.macro
    def targets_table() -> str:
        ordered = sorted(book.targets.values(), key=lambda x: (x.programme, x.year or 0, x.id))
        return renderer.render("targets_table.html", here(), targets=ordered)

    @env.macro
    def timeline_page() -> str:
        return views.timeline_page(book, renderer, here())

    @env.macro
    def matrix_page() -> str:
        return views.matrix_page(book, renderer, here())

    @env.macro
    def pending_page() -> str:
        return views.pending_page(book, renderer, here())

    @env.macro
    def stats() -> str:
        """Counts for the home page."""
        counts = (len(book.programmes), len(book.terms), len(book.sources),
                  sum(len(p.quotes) for p in book.programmes.values()))
        text = ("收录 {} 个项目、{} 条术语、{} 份原始文献、{} 段经核对的原文摘录。" if lang == "zh"
                else "{} programmes, {} glossary terms, {} source documents and {} verified quotations.")
        return Markup('<p class="hb-stats">{}</p>').format(text.format(*counts))
