"""The checks that need the whole handbook: citations and references that must resolve, rules between entries,
quotations proved word for word. One function per rule, in the order the problems are reported (the id check is in
id_checks.py).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

from pydantic import BaseModel

from .book import Handbook
from .citations import cite_fields, model_in, walk_cites
from .kinds import KINDS
from .models import GUIDE_SECTIONS, Law, Programme, Source, Started, Target, Term
from .problems import KeyPath, Problem
from .yamlio import LoadedYaml

Loaded = dict[tuple[str, str], LoadedYaml]


def check_cite(book: Handbook, cite: str) -> str | None:
    """An error message for a citation that does not resolve, else None."""
    target, _, paragraph = cite.partition("#p")
    if target in book.unreadable or ("sources" in book.unread_folders and target not in book.references):
        return None  # its own file's error has been reported
    if target in book.sources:
        if not paragraph:
            return f"cite a paragraph of source '{target}': write {target}#pN"
        count = len(book.paragraphs.get(target, []))
        if int(paragraph) > count:
            return f"source '{target}' has {count} paragraphs, not {paragraph}"
        return None
    if target in book.references:
        return f"reference '{target}' has no paragraphs: cite it as '{target}'" if paragraph else None
    return f"'{target}' is neither a source (data/sources/) nor a reference (data/references.yml)"


@functools.cache
def _can_cite(model: type[BaseModel]) -> bool:
    """Whether any field of a model, however deep, can hold a citation."""
    return any(
        how != "nested" or _can_cite(model_in(model.model_fields[name].annotation)) for name, how in cite_fields(model)
    )


def check_references(book: Handbook, loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []
    for kind in KINDS:  # citations and 'related' first, kind by kind
        if not _can_cite(kind.model):
            continue
        for entry_id, entry in getattr(book, kind.plural).items():
            doc = loaded[(kind.plural, entry_id)]
            problems += _citations(book, doc, entry)
            problems += _related(book, doc, entry)
    rules: tuple[tuple[str, Callable[..., list[Problem]]], ...] = (
        ("laws", _law),
        ("targets", _target),
        ("programmes", _programme),
        ("terms", _term),
        ("sources", _source),
    )
    for plural, rule in rules:
        for entry_id, entry in getattr(book, plural).items():
            problems += rule(book, loaded[(plural, entry_id)], entry)
    return problems


def _missing(book: Handbook, doc: LoadedYaml, key: KeyPath, noun: str, ref: str, folder: str) -> list[Problem]:
    if ref in book.unreadable or folder in book.unread_folders:
        return []  # its own file's error has been reported
    return [doc.problem(key, f"no {noun} with id '{ref}': create data/{folder}/{ref}.yml or fix the id")]


def _citations(book: Handbook, doc: LoadedYaml, entry) -> list[Problem]:
    problems = []
    for key, name, cite in walk_cites(entry):
        message = None if name == "mentioned_in" else check_cite(book, cite)  # _law() says more about these
        if message:
            problems.append(doc.problem(key, message))
    return problems


def _related(book: Handbook, doc: LoadedYaml, entry) -> list[Problem]:
    return [
        problem
        for i, ref in enumerate(getattr(entry, "related", []))
        if ref not in book.programmes
        for problem in _missing(book, doc, ("related", i), "programme", ref, "programmes")
    ]


def _law(book: Handbook, doc: LoadedYaml, law: Law) -> list[Problem]:
    problems = []
    for i, cite in enumerate(law.mentioned_in):
        if "#p" not in cite:
            problems.append(
                doc.problem(("mentioned_in", i), f"'{cite}': name the source paragraph that mentions it (source-id#pN)")
            )
        elif (message := check_cite(book, cite)) is not None:
            problems.append(doc.problem(("mentioned_in", i), message))
    dated = law.adopted or law.effective or law.amended or law.status != "unknown"
    if dated and not law.dates_cite:
        problems.append(
            doc.problem(("dates_cite",), "dates and status need a source: list reference ids in dates_cite")
        )
    problems += _doc_number(doc, law.doc_number)
    seen: set[str] = set()
    for i, article in enumerate(law.articles):
        if article.number in seen:
            problems.append(doc.problem(("articles", i, "number"), f"article {article.number} is quoted twice"))
        seen.add(article.number)
    return problems


def _target(book: Handbook, doc: LoadedYaml, target: Target) -> list[Problem]:
    problems = []
    if target.programme not in book.programmes:
        problems += _missing(book, doc, ("programme",), "programme", target.programme, "programmes")
    paragraphs = [c for c in target.cite if "#p" in c]
    if not paragraphs:
        problems.append(doc.problem(("cite",), "a target must cite the source paragraph that states it (source-id#pN)"))
    elif not check_cite(book, paragraphs[0]) and paragraphs[0].split("#")[0] in book.paragraphs:
        source_id, number = paragraphs[0].split("#p")
        if target.value_text not in book.paragraphs[source_id][int(number) - 1]:
            problems.append(
                doc.problem(
                    ("value_text",),
                    f"'{target.value_text}' does not occur in {paragraphs[0]}: "
                    "copy the number exactly as the source writes it",
                )
            )
    return problems


def _programme(book: Handbook, doc: LoadedYaml, programme: Programme) -> list[Problem]:
    problems = []
    if programme.category not in book.categories:
        known = ", ".join(book.categories)
        problems.append(
            doc.problem(("category",), f"no category '{programme.category}' in data/categories.yml (known: {known})")
        )
    for i, ref in enumerate(programme.terms):
        if ref not in book.terms:
            problems += _missing(book, doc, ("terms", i), "glossary term", ref, "terms")
    for i, ref in enumerate(programme.laws):
        if ref not in book.laws:
            problems += _missing(book, doc, ("laws", i), "law", ref, "laws")
    problems += _background(book, doc, programme)
    if programme.id in programme.related:
        problems.append(doc.problem(("related",), "a programme cannot be related to itself"))
    problems += _former_ids(book, doc, programme)
    problems += _dated_fact(doc, ("started",), programme.started)
    problems += _dated_fact(doc, ("first_named",), programme.first_named)
    problems += _guide(book, doc, programme)
    for i, quote in enumerate(programme.quotes):
        problems += _check_quote(book, doc, ("quotes", i), quote.source, quote.paragraph, quote.text)
    return problems


def _background(book: Handbook, doc: LoadedYaml, programme: Programme) -> list[Problem]:
    return [
        doc.problem(
            ("background", i, "cite", j),
            f"'{cite}' is a seed document: background holds facts from "
            "outside the seeds, so cite a reference from data/references.yml",
        )
        for i, fact in enumerate(programme.background)
        for j, cite in enumerate(fact.cite)
        if cite.split("#")[0] in book.sources
    ]


def _dated_fact(doc: LoadedYaml, key: KeyPath, fact: Started | None) -> list[Problem]:
    """One claim (year and cite), or two or more contested claims, each with its source."""
    if fact is None:
        return []
    if fact.contested:
        if fact.year is not None or fact.cite or fact.by:
            return [doc.problem(key, "write either year and cite, or contested claims, not both")]
        if len(fact.contested) < 2:
            return [
                doc.problem(
                    key + ("contested",),
                    "a contested fact needs two or more claims, each with its own source; "
                    "with one source, write year and cite instead",
                )
            ]
        return []
    if fact.year is None:
        return [doc.problem(key, "give the year, or list the sources' claims under contested")]
    if not fact.cite:
        return [doc.problem(key, "cite the source of the year: cite: [reference-id] or source-id#pN")]
    return []


def _guide(book: Handbook, doc: LoadedYaml, programme: Programme) -> list[Problem]:
    guide = programme.guide
    if guide is None:
        return []
    problems = []
    for section in GUIDE_SECTIONS:
        if not guide.filled(section) and section not in guide.open:
            problems.append(
                doc.problem(
                    ("guide", section),
                    f"guide.{section} is empty: write what a public source says (with cite), or say in "
                    f"guide.open.{section} what no public source gives",
                )
            )
        for i, item in enumerate(getattr(guide, section)):
            scope = getattr(item, "scope", None)
            if scope is not None and scope.level != "national" and scope.place is None:
                problems.append(
                    doc.problem(
                        ("guide", section, i, "scope"),
                        f"a {scope.level} rule or practice needs its place: add scope.place (zh, en)",
                    )
                )
    for i, basis in enumerate(guide.basis):
        law = book.laws.get(basis.law)
        if law is None:
            problems += _missing(book, doc, ("guide", "basis", i, "law"), "law", basis.law, "laws")
            continue
        quoted = {article.number for article in law.articles}
        for j, number in enumerate(basis.articles):
            if number not in quoted:
                problems.append(
                    doc.problem(
                        ("guide", "basis", i, "articles", j),
                        f"law '{basis.law}' quotes no article {number}: add it to data/laws/{basis.law}.yml "
                        "under articles (number, quote, en, cite) or fix the number",
                    )
                )
    return problems


def _former_ids(book: Handbook, doc: LoadedYaml, programme: Programme) -> list[Problem]:
    problems = []
    for i, former in enumerate(programme.former_ids):
        if former in book.programmes or former in book.unreadable:
            problems.append(
                doc.problem(
                    ("former_ids", i),
                    f"'{former}' is the id of a programme that exists: a former id must no longer be in use",
                )
            )
        others = [p.id for p in book.programmes.values() if p.id != programme.id and former in p.former_ids]
        if others:
            problems.append(
                doc.problem(
                    ("former_ids", i),
                    f"'{former}' is also a former id of '{others[0]}': an old URL can redirect to one place only",
                )
            )
    return problems


def _term(book: Handbook, doc: LoadedYaml, term: Term) -> list[Problem]:
    return [
        problem
        for i, ref in enumerate(term.see_also)
        if ref not in book.terms
        for problem in _missing(book, doc, ("see_also", i), "glossary term", ref, "terms")
    ]


def _source(book: Handbook, doc: LoadedYaml, source: Source) -> list[Problem]:
    return _doc_number(doc, source.doc_number)


def _doc_number(doc: LoadedYaml, number: str | None) -> list[Problem]:
    if number and any(
        unicodedata.category(c) in ("Ps", "Pe") for c in number if c not in "〔〕"
    ):  # [2015], （2015）, ［2015］, 〖2015〗, 「2015」…
        return [
            doc.problem(
                ("doc_number",), f"'{number}': write the year of a document number in 〔〕, e.g. 新工字〔2015〕14号"
            )
        ]
    return []


def _check_quote(
    book: Handbook, doc: LoadedYaml, key: KeyPath, source_id: str, paragraph: int, text: str
) -> list[Problem]:
    if source_id in book.unreadable or "sources" in book.unread_folders:
        return []
    if source_id not in book.sources:
        return [doc.problem(key + ("source",), f"no source with id '{source_id}' in data/sources/")]
    paragraphs = book.paragraphs.get(source_id, [])
    if paragraph > len(paragraphs):
        return [
            doc.problem(key + ("paragraph",), f"source '{source_id}' has {len(paragraphs)} paragraphs, not {paragraph}")
        ]
    if text in paragraphs[paragraph - 1]:
        return []
    elsewhere = [n for n, p in enumerate(paragraphs, 1) if text in p]
    if elsewhere:
        return [
            doc.problem(
                key + ("paragraph",),
                f"the quotation is in paragraph {elsewhere[0]} of '{source_id}', "
                f"not {paragraph}: set paragraph: {elsewhere[0]}",
            )
        ]
    return [doc.problem(key + ("text",), _first_difference(text, paragraphs[paragraph - 1], source_id, paragraph))]


def _first_difference(quote: str, paragraph: str, source_id: str, number: int) -> str:
    """Say where a quotation stops matching its paragraph, so a one-character slip is easy to find."""
    longest = 0
    for size in range(1, len(quote) + 1):
        if quote[:size] in paragraph:
            longest = size
        else:
            break
    if longest == 0:
        return (
            f"quotation not found in '{source_id}' paragraph {number}: its first character "
            f"'{quote[0]}' does not start any passage there; copy the wording exactly from "
            f"data/sources/{source_id}.txt line {number}"
        )
    start = paragraph.index(quote[:longest])
    expected = paragraph[start + longest : start + longest + 8]
    return (
        f"quotation differs from '{source_id}' paragraph {number} after '{quote[max(0, longest - 8) : longest]}': "
        f"the source continues '{expected}', the quotation has '{quote[longest : longest + 8]}'; "
        f"copy the wording exactly from data/sources/{source_id}.txt line {number}"
    )
