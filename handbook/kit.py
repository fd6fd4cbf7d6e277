"""What a trainer takes into the room for one programme (`make kit`): the handout's content in one language,
built from the data alone — the title in both languages, the edition's date, what it is, who it is for and how
it runs in brief, two or three quotations (in Simplified, each with a short citation: document and paragraph),
the sources, and the address of the programme's page, which the QR code encodes. scripts/make_kit.py writes it
as a Word document and a slide deck."""

from __future__ import annotations

from dataclasses import dataclass, field

from .store import Handbook
from .text import to_simplified

HEADINGS = {
    "what": {"zh": "是什么", "en": "What it is"},
    "who": {"zh": "面向谁", "en": "Who it is for"},
    "how": {"zh": "怎么开展", "en": "How it runs"},
    "quotes": {"zh": "原始文献摘录", "en": "From the primary documents"},
    "sources": {"zh": "资料来源", "en": "Sources"},
    "edition": {"zh": "本手册版本", "en": "Handbook edition"},
    "address": {"zh": "在线阅读", "en": "Read online"},
    "no_address": {
        "zh": "网址待定：手册发布后（在 mkdocs.yml 中设置 site_url），此处印出网址和二维码。",
        "en": "Address to come: once the handbook is published (site_url in mkdocs.yml), its address and QR code "
        "print here.",
    },
    "quote_en": {"zh": "", "en": "The handbook's translation: "},
}
BRIEF_ITEMS = 3  # items per section: the handout fits one page
QUOTATIONS = 3


@dataclass
class Quotation:
    text: str  # in Simplified, as printed
    translation: str  # the handbook's English ("" on a Chinese handout)
    citation: str  # short: 新乡县 2015 ¶8
    address: str | None  # the quoted paragraph's published address (…/sources/<id>/#p8), or None before site_url


@dataclass
class KitContent:
    lang: str
    programme_id: str
    title: str
    other_title: str
    edition: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    address: str | None = None  # the programme page's published address, or None before site_url is set

    def heading(self, key: str) -> str:
        return HEADINGS[key][self.lang]


def qr_svg(address: str) -> str:
    """The QR code of an address as inline SVG (segno, offline); escaped by segno, safe to place in a page."""
    import segno

    return segno.make(address, error="m").svg_inline(scale=3, border=2, title=address)


def page_address(site_url: str, path: str) -> str | None:
    """The published address of a page under the site (path like programmes/x/), or None without a site_url."""
    return site_url.rstrip("/") + "/" + path if site_url else None


def kit_content(
    book: Handbook,
    programme_id: str,
    lang: str,
    edition: str,
    site_url: str,
    items: int = BRIEF_ITEMS,
    quotations: int = QUOTATIONS,
) -> KitContent:
    """`items` per section and `quotations` in all: fewer on a page that must fit one A4 sheet in English."""
    programme = book.programmes[programme_id]
    other = "en" if lang == "zh" else "zh"
    prefix = "" if lang == "zh" else "en/"
    guide = programme.guide
    who = [getattr(i, lang) for i in guide.who] if guide and guide.who else [getattr(programme.beneficiaries, lang)]
    how = (
        [getattr(i, lang) for i in guide.steps]
        if guide and guide.steps
        else [getattr(i, lang) for i in programme.how_it_runs]
    )
    content = KitContent(
        lang=lang,
        programme_id=programme_id,
        title=getattr(programme.name, lang),
        other_title=getattr(programme.name, other),
        edition=edition,
        sections=[
            (HEADINGS["what"][lang], [getattr(programme.summary, lang)]),
            (HEADINGS["who"][lang], who[:items]),
            (HEADINGS["how"][lang], how[:items]),
        ],
        address=page_address(site_url, f"{prefix}programmes/{programme_id}/"),
    )
    for quote in programme.quotes[:quotations]:
        source = book.sources[quote.source]
        content.quotations.append(
            Quotation(
                text=to_simplified(quote.text),
                translation=quote.en if lang == "en" else "",
                citation=f"{getattr(source.short, lang)} ¶{quote.paragraph}",
                address=page_address(site_url, f"{prefix}sources/{source.id}/#p{quote.paragraph}"),
            )
        )
    zh = lang == "zh"
    cited = [book.sources[s] for s in book.cited_sources(programme_id) if s in book.sources]
    for source in sorted(cited, key=lambda s: (s.date or "9999", s.id)):  # oldest first, as the source index
        number = f"（{source.doc_number}）" if zh else f" ({source.doc_number})"
        date = f"{'，' if zh else ', '}{source.date}" if source.date else ""
        content.sources.append(
            f"{getattr(source.issuer, lang)}{'：' if zh else ': '}{getattr(source.title, lang)}"
            f"{number if source.doc_number else ''}{date}"
        )
    return content
