"""The HTML parts of pages built from data, for one language. The page generator (pages.py, called by events.py)
calls these directly, so generated pages never pass through a template engine; mkdocs-macros exposes the same
methods to the hand-written pages in docs/ (see __init__.py). `here` is the page being built (its src_uri)."""

from __future__ import annotations

from markupsafe import Markup

from handbook.cite import page_citations, source_citations
from handbook.editions import edition_stamp
from handbook.export import export_files
from handbook.facets import programme_facets
from handbook.guide import guide_status, laws_of
from handbook.history import field_word
from handbook.kit import kit_content, qr_svg
from handbook.models import LEVELS
from handbook.store import Handbook
from handbook.text import bare
from handbook.translation import translation_status

from . import edition_pages, views
from .render import Renderer, md_text, page_url
from .search_index import glossary_pinyin


def _initial_key(name: str, pinyin: str) -> tuple[str, str]:
    """(the letter a term is listed under, its sort key): its pinyin's first letter when it starts with a Chinese
    character, else its own first letter; # for a digit or a sign."""
    text = bare(name).lower()
    key = pinyin if pinyin and text[:1] and "\u4e00" <= text[0] <= "\u9fff" else text
    letter = key[:1].upper()
    return (letter if "A" <= letter <= "Z" else "#", key)


class Parts:
    def __init__(
        self,
        book: Handbook,
        lang: str,
        use_directory_urls: bool,
        review_max_age_days: int = 365,
        has_schemas: bool = False,
        site_url: str = "",
    ):
        self.book, self.lang = book, lang
        self.site_url = site_url  # the published address (mkdocs.yml), for the handouts' QR codes; "" before
        self.renderer = Renderer(book, lang, use_directory_urls)
        self.use_directory_urls = use_directory_urls
        self.review_max_age_days = review_max_age_days
        self.has_schemas = has_schemas
        self._level_order = list(LEVELS)
        self._programme_facets: dict | None = None

    def notices(self, here: str, entry) -> Markup:
        """On English pages, say when the English may lag behind a changed Chinese text."""
        status = translation_status(entry)
        if self.lang != "en" or status == "complete":
            return Markup("")
        since, changed = None, list[str]()
        if status == "outdated":
            since, changed = edition_pages.translation_since(self.book, entry)
        return self.renderer.render(
            "translation_notice.html",
            here,
            status=status,
            entry=entry,
            since=edition_pages.edition_label(since, "en") if since else "",
            changed=", ".join(field_word(part, "en") for part in changed),
        )

    def title(self, kind: str, entry_id: str) -> str:
        """A section title from data, escaped for a Markdown heading."""
        return md_text(self.renderer.title_of(kind, entry_id))

    def page_title(self, kind: str, entry_id: str) -> Markup:
        """A page's <h1> from data, as raw HTML; events.py sets page.title from the same data."""
        return Markup("<h1>{}</h1>").format(self.renderer.title_of(kind, entry_id))

    # The sections of a programme page, one method each (pages.programme_page lists them in order).

    def programme_header(self, here: str, programme_id: str) -> Markup:
        p = self.book.programmes[programme_id]
        levels = sorted({o.level for o in p.organisers}, key=self._level_order.index)
        return self.renderer.render("programme/header.html", here, p=p, levels=levels)

    def programme_notices(self, here: str, programme_id: str) -> Markup:
        return self.notices(here, self.book.programmes[programme_id])

    def programme_cite(self, here: str, programme_id: str) -> Markup:
        return self.page_citation(here, "programmes", programme_id)

    @property
    def edition_id(self) -> str | None:
        """The handbook's latest edition, which citations name; None before the first."""
        latest = self.book.editions.latest
        return latest.id if latest is not None else None

    def page_citation(self, here: str, plural: str, entry_id: str) -> Markup:
        """How to cite an entry's page: naming the handbook's latest edition and linking its view of the entry
        (the current page while the entry is unchanged), or the current page before there is an edition."""
        entry = getattr(self.book, plural)[entry_id]
        edition, target = edition_pages.citation_target(self.book, plural, entry_id)
        citations = page_citations(entry, entry.name.zh, entry.name.en, edition.id if edition else None)
        return self.renderer.citation(citations, here, target, "", "cite_page", "cite")

    def programme_statement(self, here: str, programme_id: str, field: str) -> Markup:
        """summary, purpose or beneficiaries."""
        p = self.book.programmes[programme_id]
        return self.renderer.render(
            "programme/statement.html", here, item=getattr(p, field), p=p, terms=self.book.terms_of(programme_id)
        )

    def programme_guide_intro(self, here: str, programme_id: str) -> Markup:
        p = self.book.programmes[programme_id]
        return self.renderer.render("programme/guide_intro.html", here, p=p, status=guide_status(self.book, p))

    def programme_guide_section(self, here: str, programme_id: str, section: str) -> Markup:
        p = self.book.programmes[programme_id]
        assert p.guide is not None
        return self.renderer.render(
            "programme/guide_section.html",
            here,
            p=p,
            guide=p.guide,
            section=section,
            items=getattr(p.guide, section),
            terms=self.book.terms_of(programme_id),
        )

    def programme_how_it_runs(self, here: str, programme_id: str) -> Markup:
        p = self.book.programmes[programme_id]
        return self.renderer.render(
            "programme/list.html", here, items=p.how_it_runs, p=p, terms=self.book.terms_of(programme_id)
        )

    def programme_organisers(self, here: str, programme_id: str) -> Markup:
        return self.renderer.render(
            "programme/organisers.html",
            here,
            p=self.book.programmes[programme_id],
            terms=self.book.terms_of(programme_id),
        )

    def programme_targets(self, here: str, programme_id: str) -> Markup:
        return self.renderer.render("programme/targets.html", here, targets=self.book.targets_of(programme_id))

    def programme_laws(self, here: str, programme_id: str) -> Markup:
        laws = [self.book.laws[i] for i in laws_of(self.book.programmes[programme_id])]
        return self.renderer.render("programme/laws.html", here, laws=laws)

    def programme_background(self, here: str, programme_id: str) -> Markup:
        return self.renderer.render(
            "programme/background.html",
            here,
            p=self.book.programmes[programme_id],
            terms=self.book.terms_of(programme_id),
        )

    def programme_quote(self, here: str, programme_id: str, number: int) -> Markup:
        book, renderer = self.book, self.renderer
        quote = book.programmes[programme_id].quotes[number - 1]
        citation = renderer.citation(
            source_citations(book.sources[quote.source], quote.paragraph, self.edition_id),
            here,
            f"sources/{quote.source}.md",
            f"p{quote.paragraph}",
            "cite_quote",
        )
        return renderer.render("quote.html", here, q=quote, anchor=f"quote-{number}", citation=citation)

    def programme_open_questions(self, here: str, programme_id: str) -> Markup:
        return self.renderer.render(
            "open_questions.html", here, questions=self.book.programmes[programme_id].open_questions
        )

    def programme_related(self, here: str, programme_id: str) -> Markup:
        related = [self.book.programmes[r] for r in self.book.programmes[programme_id].related]
        return self.renderer.render(
            "programme/related.html", here, related=related, terms=self.book.terms_of(programme_id)
        )

    def programme_sources(self, here: str, programme_id: str) -> Markup:
        cited = sorted(self.book.cited_sources(programme_id))
        return self.renderer.render(
            "programme/sources.html", here, sources=[self.book.sources[s] for s in cited if s in self.book.sources]
        )

    def programme_index_intro(self, here: str) -> Markup:
        count = len(self.book.programmes)
        counted = Markup('<p class="hb-count" data-total="{}">{}</p>').format(
            count, f"共 {count} 个项目" if self.lang == "zh" else f"{count} programmes"
        )
        facets = list(self._facets().values())
        return counted + self.renderer.render(
            "programme_filter.html",
            here,
            categories=[c for c in self.book.categories.values() if self.book.programmes_in(c.id)],
            levels=[level for level in LEVELS if any(level in f.levels for f in facets)],
            places=sorted({zh: en for f in facets for zh, en in f.places.items()}.items()),
            years=sorted({year for f in facets for year in f.years}, reverse=True),
            issuers=sorted({zh: en for f in facets for zh, en in f.issuers.items()}.items()),
        )

    def _facets(self) -> dict:
        """What each programme can be filtered by, worked out once per build (the intro and every category use it)."""
        if self._programme_facets is None:
            self._programme_facets = {p.id: programme_facets(self.book, p) for p in self.book.programmes.values()}
        return self._programme_facets

    def programme_index(self, here: str, category_id: str) -> Markup:
        category = self.book.categories[category_id]
        intro = Markup("<p>{}</p>\n").format(self.renderer.tr(category.description))
        programmes = self.book.programmes_in(category_id)
        return intro + self.renderer.render(
            "programme_index.html",
            here,
            programmes=programmes,
            facets=self._facets(),
        )

    def source(self, here: str, source_id: str, part: str) -> Markup:
        s = self.book.sources[source_id]
        template = {"meta": "source_meta.html", "text": "source_text.html"}[part]
        html = self.renderer.render(
            template,
            here,
            s=s,
            paragraphs=self.book.paragraphs[source_id],
            cited_by=sorted(self.book.programmes_citing(source_id), key=lambda p: p.id),
        )
        if part == "meta":
            html += Markup("\n") + self.renderer.citation(
                source_citations(s, edition=self.edition_id), here, f"sources/{source_id}.md", "", "cite_source", "cite"
            )
        return html

    def source_index(self, here: str) -> Markup:
        ordered = sorted(self.book.sources.values(), key=lambda s: (s.date or "9999", s.id))
        return self.renderer.render("source_index.html", here, sources=ordered)

    def glossary(self, here: str) -> Markup:
        """The terms by initial: the Chinese page in pinyin order (A–Z by 拼音), the English one by the English term,
        with an index of initials at the top. Each term keeps its address (#id) whichever group it is in."""
        if self.lang == "zh":
            pinyin = glossary_pinyin(self.book)
            keyed = [(_initial_key(t.term.zh, pinyin.get(t.id, "")), t) for t in self.book.terms.values()]
        else:
            keyed = [(_initial_key(t.term.en, ""), t) for t in self.book.terms.values()]
        groups: dict[str, list] = {}
        # letters A–Z, then # (names that start with a digit or a sign, or a masked character: “**席员工”)
        for (initial, _), term in sorted(keyed, key=lambda item: (item[0][0] == "#", item[0], item[1].id)):
            groups.setdefault(initial, []).append(term)
        return self.renderer.render(
            "glossary.html", here, groups=list(groups.items()), programmes_of=self.book.programmes_of_term
        )

    def references_list(self, here: str) -> Markup:
        ordered = sorted(self.book.references.values(), key=lambda r: r.id)
        return self.renderer.render("references.html", here, references=ordered)

    def law(self, here: str, law_id: str) -> Markup:
        book, renderer = self.book, self.renderer
        entry = book.laws[law_id]
        resting = sorted((p for p in book.programmes.values() if law_id in laws_of(p)), key=lambda p: p.id)
        html = self.notices(here, entry) + renderer.render("law/meta.html", here, law=entry, programmes=resting)
        html += Markup("\n") + self.page_citation(here, "laws", law_id)
        if entry.open_questions:
            html += Markup("\n") + renderer.render("open_questions.html", here, questions=entry.open_questions)
        return html

    def law_articles(self, here: str, law_id: str) -> Markup:
        return self.renderer.render("law/articles.html", here, law=self.book.laws[law_id])

    def law_index(self, here: str) -> Markup:
        ordered = sorted(self.book.laws.values(), key=lambda law: (law.adopted or "9999", law.id))
        return self.renderer.render("law/index.html", here, laws=ordered)

    def targets_intro(self, here: str) -> Markup:
        return Markup("<p>{}</p>").format(self.renderer.t("targets_intro"))

    def target_charts(self, here: str, programme_id: str) -> Markup:
        return views.target_charts(self.book, self.renderer, programme_id, here)

    def targets_table(self, here: str) -> Markup:
        ordered = sorted(self.book.targets.values(), key=lambda x: (x.programme, x.year or 0, x.id))
        return self.renderer.render("targets_table.html", here, targets=ordered)

    def timeline_page(self, here: str) -> Markup:
        return views.timeline_page(self.book, self.renderer, here)

    def matrix_page(self, here: str) -> Markup:
        return views.matrix_page(self.book, self.renderer, here)

    def status_page(self, here: str) -> Markup:
        return views.status_page(self.book, self.renderer, here, self.review_max_age_days)

    def guide_status(self, here: str) -> Markup:
        return views.guide_status_page(self.book, self.renderer, here)

    def pending_page(self, here: str) -> Markup:
        return views.pending_page(self.book, self.renderer, here)

    def handout(self, here: str, programme_id: str, standalone: bool = True) -> Markup:
        """The one-page handout (standalone: the same content as the Word handout of `make kit`, with the QR code
        of the page once site_url is set), or the programme's full entry in the printable edition."""
        p = self.book.programmes[programme_id]
        latest, target = edition_pages.citation_target(self.book, "programmes", programme_id)
        citations = page_citations(p, p.name.zh, p.name.en, latest.id if latest else None)
        style = "gbt7714" if self.lang == "zh" else "apa"
        fill = self.renderer.citation_filler(here, target)
        if standalone:
            edition = edition_stamp(self.book, views.reference_date().isoformat())
            # English runs longer than Chinese: two items a section and two quotations keep it to one A4 page
            brief = 3 if self.lang == "zh" else 2
            content = kit_content(self.book, programme_id, self.lang, edition, self.site_url, brief, brief)
            return self.renderer.render(
                "handout_page.html",
                here,
                p=p,
                content=content,
                qr=qr_svg(content.address) if content.address else "",
                citation_text=citations[style],
                fill=fill,
            )
        return self.renderer.render(
            "handout.html",
            here,
            p=p,
            targets=self.book.targets_of(programme_id),
            standalone=standalone,
            citation_text=citations[style],
            fill=fill,
        )

    def print_intro(self, here: str) -> Markup:
        """The note, then the contents: every programme under its category, linked to its place on the page (a
        printed copy shows the list; the PDF numbers its pages)."""
        note = Markup('<p class="hb-note">{}</p>').format(self.renderer.t("print_intro"))
        groups = [
            (self.renderer.tr(category.name), self.book.programmes_in(category.id))
            for category in self.book.categories.values()
            if self.book.programmes_in(category.id)
        ]
        return note + self.renderer.render("print_contents.html", here, groups=groups)

    def data_files(self, here: str) -> Markup:
        """The open-data files with links and sizes (the Chinese build writes them under /data/)."""
        files = export_files(self.book)
        depth = page_url(here, self.use_directory_urls).count("/") + (0 if self.lang == "zh" else 1)
        up = "../" * depth  # from this page up to the root of the whole site, where data/ is
        names = [n for n in sorted(files) if "/" not in n]
        return self.renderer.render(
            "data_files.html",
            here,
            names=names,
            sizes={n: len(files[n]) for n in names},
            up=up,
            kinds=sorted({n.split("/")[0] for n in files if "/" in n}),
            has_schemas=self.has_schemas,
        )

    def stats(self, here: str) -> Markup:
        """Counts for the home page."""
        book = self.book
        counts = (
            len(book.programmes),
            len(book.terms),
            len(book.sources),
            sum(len(p.quotes) for p in book.programmes.values()),
        )
        text = (
            "收录 {} 个项目、{} 条术语、{} 份原始文献、{} 段经核对的原文摘录。"
            if self.lang == "zh"
            else "{} programmes, {} glossary terms, {} source documents and {} verified quotations."
        )
        return Markup('<p class="hb-stats">{}</p>').format(text.format(*counts))
