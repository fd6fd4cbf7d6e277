"""One English rendering per concept, as a translation tool's termbase check does it: a glossary term records the
renderings the handbook avoids (`en_avoid`), and every English text is searched for them. English prose holds no
Chinese characters either, except names given in both scripts on purpose, which are marked as such: in brackets,
in quotation marks or in 《》 (a document number may stand as it is).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from pydantic import BaseModel

from .book import Handbook
from .kinds import KINDS
from .problems import KeyPath, Problem
from .yamlio import LoadedYaml

Loaded = dict[tuple[str, str], LoadedYaml]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Names and quotations given as written, blanked in this order so that inner marks go first: document numbers
# (宣办发〔20**〕6号), then quotation marks, then brackets.
_MARKED = (
    re.compile(r"[\u4e00-\u9fff]*[〔\[][^〕\]]*[〕\]][0-9*X]*号"),  # as the source writes it
    re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|「[^」]*」|《[^》]*》'),
    re.compile(r"\([^()]*\)|（[^（）]*）|〔[^〕]*〕"),
)
_LATIN = re.compile(r"[A-Za-z]")
_SKIPPED_FIELDS = frozenset({"aliases"})  # aliases are what readers may type, avoided renderings included


def english_texts(entry: BaseModel, key: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every English text of an entry (a field named `en` holding a string), with its key path."""
    for name, value in entry:
        if name in _SKIPPED_FIELDS:
            continue
        if name == "en" and isinstance(value, str):
            yield key + (name,), value
        else:
            yield from _english_in(value, key + (name,))


def _english_in(value, key: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, BaseModel):
        yield from english_texts(value, key)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _english_in(item, key + (i,))
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _english_in(item, key + (name,))


def _unmarked(text: str) -> str:
    """The text with document numbers and quoted or bracketed Chinese blanked out. A marked stretch with Latin
    letters in it is English prose in quotation marks ("safe return to 厦") and stays; X is a source's mask."""
    for marked in _MARKED:
        text = marked.sub(
            lambda m: m.group() if _LATIN.search(m.group().replace("X", "")) else " " * len(m.group()), text
        )
    return text


@functools.cache
def _avoid_pattern(rendering: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])" + re.escape(rendering) + r"(?![\w'’])", re.IGNORECASE)


def check_english(book: Handbook, loaded: Loaded) -> list[Problem]:
    avoided = [(rendering, term.term.en, term.id) for term in book.terms.values() for rendering in term.en_avoid]
    problems: list[Problem] = []
    for kind in KINDS:
        for entry_id, entry in getattr(book, kind.plural).items():
            doc = loaded[(kind.plural, entry_id)]
            for key, text in english_texts(entry):
                plain = _unmarked(text)
                for rendering, preferred, term_id in avoided:
                    found = _avoid_pattern(rendering).search(plain)
                    if found:
                        problems.append(
                            doc.problem(
                                key,
                                f'"{found.group()}" — the handbook writes "{preferred}" ({term_id})',
                            )
                        )
                for han in _HAN.finditer(plain):
                    if han:
                        problems.append(
                            doc.problem(
                                key,
                                f'"{han.group()}": Chinese characters in English prose — translate it, or give the '
                                "Chinese in brackets or quotation marks after the English",
                            )
                        )
                        break
    return problems


def rendering_origin(book: Handbook, kind: str, en_source: str | None) -> str:
    """How an English name came about: "official" (the issuer's own English: the ACFTU's for union programmes and
    terms, the NPC's or State Council's for laws), "used-by" (found at a named publisher), or "own" (the handbook's)."""
    if not en_source or en_source not in book.references:
        return "own"
    issuer = "state" if kind == "law" else "acftu"
    return "official" if book.references[en_source].english_by == issuer else "used-by"
