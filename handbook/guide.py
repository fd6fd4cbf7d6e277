"""What a programme's guide says and leaves open, how current it is, and the original numbering of a paragraph.

Used by the status page, the programme pages, the handout and the open data, so each says the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .book import Handbook
from .citations import all_cites
from .models import GUIDE_SECTIONS, Programme


@dataclass(frozen=True)
class GuideStatus:
    filled: tuple[str, ...]  # guide sections with at least one sourced item
    open: tuple[str, ...]  # sections no public source fills yet (or the whole guide, when there is none)
    items: int  # sourced statements in the guide
    newest: str | None  # the newest date of a document the guide (or, without one, the page) cites


def cited_date(book: Handbook, cite: str) -> str | None:
    """The date of the document a citation points at: a source's date, or a reference's publication date."""
    target = cite.partition("#p")[0]
    if target in book.sources:
        return book.sources[target].date
    reference = book.references.get(target)
    return reference.published if reference else None


def laws_of(programme: Programme) -> list[str]:
    """The laws a programme rests on: its list of laws, then those its guide's policy basis adds."""
    basis = [b.law for b in programme.guide.basis] if programme.guide else []
    return list(dict.fromkeys([*programme.laws, *basis]))


def guide_cites(programme: Programme) -> list[str]:
    guide = programme.guide
    if guide is None:
        return []
    return [
        cite
        for section in GUIDE_SECTIONS
        if section != "basis"
        for item in getattr(guide, section)
        for cite in item.cite
    ]


def guide_status(book: Handbook, programme: Programme) -> GuideStatus:
    guide = programme.guide
    cites = guide_cites(programme) or all_cites(programme)
    dates = [date for date in (cited_date(book, cite) for cite in cites) if date]
    newest = max(dates) if dates else None
    if guide is None:
        return GuideStatus((), GUIDE_SECTIONS, 0, newest)
    filled = tuple(section for section in GUIDE_SECTIONS if guide.filled(section))
    opened = tuple(section for section in GUIDE_SECTIONS if not guide.filled(section) or section in guide.open)
    items = sum(len(getattr(guide, section)) for section in GUIDE_SECTIONS)
    return GuideStatus(filled, opened, items, newest)


# How documents number their items: 一、 （三） 4、 4. (2) ⑴ 第五条 — at the start of a paragraph.
_OWN_NUMBER = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇0-9]+[条章节项部分]|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十0-9]+[）)]"
    r"|[0-9]{1,3}[、．.](?![0-9])|[⑴-⒇①-⑳])"
)


def own_number(paragraph: str) -> str | None:
    """The numbering a paragraph carries in the original (“4、”), where it has one."""
    found = _OWN_NUMBER.match(paragraph)
    return found.group(1) if found else None
