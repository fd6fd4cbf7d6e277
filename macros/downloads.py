"""Files a build writes beside the pages, from data alone: each entry page's share card (og:image, under
cards/) and each programme's trainer's kit (a Word handout and a slide deck, under kit/, linked from the
programme page). Both go through the content-keyed cache (handbook/cache.py): a build draws or writes only what
changed since the last one."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

from handbook.cache import cache_dir, cached_file
from handbook.cards import Card, CardFontMissing, card_png, font_file
from handbook.editions import edition_stamp
from handbook.kinds import BY_NAME
from handbook.kit import kit_content
from handbook.kit_files import WRITER_VERSION, docx_bytes, pptx_bytes
from handbook.store import Handbook

from .labels import label
from .render import name_of
from .state import ROOT
from .views import reference_date

CARD_KINDS = ("programme", "law", "source")
_warned: list[str] = []


def cards_available() -> bool:
    """Whether the CJK font is here; without it pages have no og:image, and the build says why once."""
    try:
        font_file("Regular"), font_file("Bold")
    except CardFontMissing as exc:
        if not _warned:
            _warned.append(str(exc))
            print(f"note: no share cards: {exc}", file=sys.stderr, flush=True)
        return False
    return True


def card_for(record, book: Handbook, lang: str) -> tuple[str, Card] | None:
    """The card of an entry's page and its path under the language's root, or None for other pages."""
    if record is None or record.kind not in CARD_KINDS or not cards_available():
        return None
    entry = record.entry(book)
    other = "en" if lang == "zh" else "zh"
    card = Card(
        kind=label(f"kind_name.{BY_NAME[record.kind].plural}", lang),
        title=record.title(book, lang) or "",
        other_title=getattr(name_of(entry), other),
        summary=record.description(book, lang, limit=400) or "",
    )
    return f"cards/{record.kind}-{record.entry_id}.png", card


def write_cards(site_dir: Path, cards: dict[str, Card]) -> None:
    folder = cache_dir(ROOT) / "cards"
    for path, card in sorted(cards.items()):
        (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
        cached_file(folder, card.key(), functools.partial(card_png, card), site_dir / path)


def write_kit(site_dir: Path, book: Handbook, lang: str, site_url: str) -> None:
    """kit/<id>.docx and kit/<id>.pptx for every programme, dated by the edition's day."""
    day = reference_date()
    edition_date = dt.datetime(day.year, day.month, day.day)
    folder, out = cache_dir(ROOT) / "kit", site_dir / "kit"
    out.mkdir(parents=True, exist_ok=True)
    for programme_id in sorted(book.programmes):
        content = kit_content(book, programme_id, lang, edition_stamp(book, day.isoformat()), site_url)
        key = f"{WRITER_VERSION}\x1f{edition_date.isoformat()}\x1f{content!r}"
        for suffix, write in (("docx", docx_bytes), ("pptx", pptx_bytes)):
            make = functools.partial(write, content, edition_date)
            cached_file(folder, f"{suffix}\x1f{key}", make, out / f"{programme_id}.{suffix}")
