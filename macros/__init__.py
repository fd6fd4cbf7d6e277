"""mkdocs-macros entry point: thin lookups that hand data to templates (see render.py)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markupsafe import Markup  # noqa: E402

from handbook.cite import page_citations, source_citations  # noqa: E402
from handbook.store import all_cites  # noqa: E402
from handbook.translation import translation_status  # noqa: E402
from macros import state  # noqa: E402
from macros import views  # noqa: E402
from macros.render import Renderer, md_text, page_url  # noqa: E402


def define_env(env) -> None:
    book = state.handbook()
    lang = env.conf["extra"]["lang"]
    renderer = Renderer(book, lang, env.conf["use_directory_urls"])

    def here() -> str:
        return env.page.file.src_uri

    def notices(entry) -> Markup:
        """On English pages, say when the English may lag behind a changed Chinese text."""
        status = translation_status(entry)
        if lang != "en" or status == "complete":
            return Markup("")
        return renderer.render("translation_notice.html", here(), status=status, entry=entry)

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
        if part == "cite":
            return renderer.citation(page_citations(p, p.name.zh, p.name.en), here(), f"programmes/{programme_id}.md",
                                     "", "cite_page", "cite")
        if part == "notices":
            return notices(p)
        if part.startswith("quote-"):
            number = int(part.removeprefix("quote-"))
            quote = p.quotes[number - 1]
            citation = renderer.citation(source_citations(book.sources[quote.source], quote.paragraph), here(),
                                         f"sources/{quote.source}.md", f"p{quote.paragraph}", "cite_quote")
            return renderer.render("quote.html", here(), q=quote, anchor=part, citation=citation)
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
        html = renderer.render(template, here(), s=s, paragraphs=paragraphs,
                               cited_by=sorted(book.programmes_citing(source_id), key=lambda p: p.id))
        if part == "meta":
            html += Markup("\n") + renderer.citation(source_citations(s), here(), f"sources/{source_id}.md", "",
                                                     "cite_source", "cite")
        return html

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
        html = notices(entry) + renderer.render("law/meta.html", here(), law=entry, programmes=resting)
        html += Markup("\n") + renderer.citation(page_citations(entry, entry.name.zh, entry.name.en), here(),
                                                 f"laws/{law_id}.md", "", "cite_page", "cite")
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
    def status_page() -> str:
        return views.status_page(book, renderer, here(), int(env.conf["extra"].get("review_max_age_days", 365)))

    @env.macro
    def pending_page() -> str:
        return views.pending_page(book, renderer, here())

    @env.macro
    def handout(programme_id: str, standalone: bool = True) -> str:
        p = book.programmes[programme_id]
        citations = page_citations(p, p.name.zh, p.name.en)
        style = "gbt7714" if lang == "zh" else "apa"
        fill = renderer.citation_filler(here(), f"programmes/{programme_id}.md")
        return renderer.render("handout.html", here(), p=p, targets=book.targets_of(programme_id),
                               standalone=standalone, citation_text=citations[style], fill=fill)

    @env.macro
    def print_intro() -> str:
        return Markup('<p class="hb-note">{}</p>').format(renderer.t("print_intro"))

    @env.macro
    def data_files() -> str:
        """The open-data files with links and sizes (the Chinese build writes them under /data/)."""
        from handbook.export import export_files
        files = export_files(book)
        depth = page_url(here(), env.conf["use_directory_urls"]).count("/") + (0 if lang == "zh" else 1)
        up = "../" * depth  # from this page up to the root of the whole site, where data/ is
        names = [n for n in sorted(files) if "/" not in n]
        return renderer.render("data_files.html", here(), names=names, sizes={n: len(files[n]) for n in names}, up=up,
                               kinds=sorted({n.split("/")[0] for n in files if "/" in n}),
                               has_schemas=(state.ROOT / "schemas" / "programme.schema.json").exists())

    @env.macro
    def stats() -> str:
        """Counts for the home page."""
        counts = (len(book.programmes), len(book.terms), len(book.sources),
                  sum(len(p.quotes) for p in book.programmes.values()))
        text = ("收录 {} 个项目、{} 条术语、{} 份原始文献、{} 段经核对的原文摘录。" if lang == "zh"
                else "{} programmes, {} glossary terms, {} source documents and {} verified quotations.")
        return Markup('<p class="hb-stats">{}</p>').format(text.format(*counts))
