"""Ready citations for trainers: GB/T 7714-2015 (Chinese national standard, electronic resources [EB/OL])
and APA 7. Each citation has two placeholders, {url} and {accessed}: the site fills them in the reader's
browser with the page's real address and today's date, since neither is known when the site is built."""

from __future__ import annotations

import datetime as dt

from .models import Law, Programme, Source, Term

HANDBOOK = {"zh": "工会工作手册", "en": "Union Programmes Handbook"}
URL, ACCESSED = "{url}", "{accessed}"


def _apa_date(date: str | None) -> str:
    """APA's (2015, March 4) form for YYYY, YYYY-MM or YYYY-MM-DD; n.d. when unknown."""
    if not date:
        return "n.d."
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = dt.date(2000, parts[1], 1).strftime("%B")
    return f"{parts[0]}, {month}" + (f" {parts[2]}" if len(parts) == 3 else "")


def _strip_period(text: str) -> str:
    return text.rstrip("。.")


def page_citations(
    entry: Programme | Term | Law, title_zh: str, title_en: str, edition: str | None = None
) -> dict[str, str]:
    """Citing a handbook page (a programme, a law, the glossary entry of a term); with the handbook's edition
    (2026.12) once it has one, so the citation names what it cited (its {url} is then the edition's view)."""
    updated = entry.reviewed.date
    book_zh = f"{HANDBOOK['zh']}（{edition} 版）" if edition else HANDBOOK["zh"]
    title = f"{_strip_period(title_en)} (edition {edition})" if edition else _strip_period(title_en)
    return {
        "gbt7714": f"{book_zh}. {_strip_period(title_zh)}[EB/OL]. ({updated})[{ACCESSED}]. {URL}.",
        "apa": f"{HANDBOOK['en']}. ({_apa_date(updated)}). {title}. Retrieved {ACCESSED}, from {URL}",
    }


def source_citations(source: Source, paragraph: int | None = None, edition: str | None = None) -> dict[str, str]:
    """Citing a primary document as read in the handbook (in its edition, once it has one); with a paragraph,
    citing a passage of it."""
    number = f": {source.doc_number}" if source.doc_number else ""
    where_zh = f", 第{paragraph}段" if paragraph else ""
    date = source.date or "出版日期不详"
    gbt = (
        f"{_strip_period(source.issuer.zh)}. {_strip_period(source.title.zh)}{number}[Z/OL]. ({date})[{ACCESSED}]. "
        f"转引自: {HANDBOOK['zh']}{f'（{edition} 版）' if edition else ''}{where_zh}. {URL}."
    )
    doc_no = f" ({source.doc_number})" if source.doc_number else ""
    kind = {"work-plan": "Work plan", "speech": "Speech", "guidance": "Guidance", "activity-plan": "Activity plan"}
    where_en = f", para. {paragraph}" if paragraph else ""
    apa = (
        f"{_strip_period(source.issuer.en)}. ({_apa_date(source.date)}). {_strip_period(source.title.en)}{doc_no} "
        f"[{kind[source.kind]}]. In {HANDBOOK['en']}{f' (edition {edition})' if edition else ''}{where_en}. "
        f"Retrieved {ACCESSED}, from {URL}"
    )
    return {"gbt7714": gbt, "apa": apa}


def formatted_access_date(today: dt.date, style: str) -> str:
    """How each style writes the access date (the browser does the same in assets/cite.js)."""
    return today.isoformat() if style == "gbt7714" else f"{today.strftime('%B')} {today.day}, {today.year}"
