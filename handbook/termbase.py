"""One English rendering per concept, as a translation tool's termbase check does it: a glossary term records the
renderings the handbook avoids (`en_avoid`), and every English text is searched for them. English prose holds no
Chinese characters either, except names given in both scripts on purpose, which are marked as such: in brackets,
in quotation marks or in 《》 (a document number may stand as it is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .book import Handbook
from .kinds import KINDS
from .problems import KeyPath, Problem
from .yamlio import LoadedYaml, strings_in

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


def english_texts(value) -> Iterator[tuple[KeyPath, str]]:
    """Every English text in an entry's YAML: a key `en` holding a string (aliases and keywords hold lists, which
    are what readers may type, and are left alone), with its key path. The raw data, not the model: walking plain
    dicts and lists is several times faster, and the check runs on every file."""
    return ((key, text) for key, text in strings_in(value) if key and key[-1] == "en")


def _unmarked(text: str) -> str:
    """The text with document numbers and quoted or bracketed Chinese blanked out. A marked stretch with Latin
    letters in it is English prose in quotation marks ("safe return to 厦") and stays; X is a source's mask."""
    for marked in _MARKED:
        text = marked.sub(
            lambda m: m.group() if _LATIN.search(m.group().replace("X", "")) else " " * len(m.group()), text
        )
    return text


def _avoided(book: Handbook) -> tuple[re.Pattern[str] | None, dict[str, tuple[str, str]]]:
    """One pattern for every avoided rendering (one search per text), and what each stands for, by lower case."""
    meaning = {
        rendering.lower(): (term.term.en, term.id) for term in book.terms.values() for rendering in term.en_avoid
    }
    if not meaning:
        return None, meaning
    longest_first = sorted(meaning, key=len, reverse=True)
    alternatives = "|".join(re.escape(rendering) for rendering in longest_first)
    return re.compile(rf"(?<![\w'’])(?:{alternatives})(?![\w'’])", re.IGNORECASE), meaning


def check_english(book: Handbook, loaded: Loaded) -> list[Problem]:
    pattern, meaning = _avoided(book)
    problems: list[Problem] = []
    for kind in KINDS:
        for entry_id in getattr(book, kind.plural):
            doc = loaded[(kind.plural, entry_id)]
            prefix = getattr(doc, "prefix", ())  # an item of a list file: its place in the file
            data = doc.data
            for part in prefix:
                data = data[part]
            for key, text in english_texts(data):
                # Avoided renderings are Latin: quotation marks and brackets cannot hide them (see _unmarked).
                for found in pattern.finditer(text) if pattern else ():
                    preferred, term_id = meaning[found.group().lower()]
                    problems.append(
                        doc.problem(key, f'"{found.group()}" — the handbook writes "{preferred}" ({term_id})')
                    )
                han = _HAN.search(_unmarked(text)) if _HAN.search(text) else None
                if han:
                    problems.append(
                        doc.problem(
                            key,
                            f'"{han.group()}": Chinese characters in English prose — translate it, or give the '
                            "Chinese in brackets or quotation marks after the English",
                        )
                    )
    return problems


def rendering_origin(book: Handbook, kind: str, en_source: str | None) -> str:
    """How an English name came about: "official" (the issuer's own English: the ACFTU's for union programmes and
    terms, the NPC's or State Council's for laws), "used-by" (found at a named publisher), or "own" (the handbook's)."""
    if not en_source or en_source not in book.references:
        return "own"
    issuer = "state" if kind == "law" else "acftu"
    return "official" if book.references[en_source].english_by == issuer else "used-by"
