"""Open data: the whole handbook as JSON (one file per kind, one per entry) and CSV for the tables,
written into the built site under data/. Plain Python, so any other tool can publish the same files."""

from __future__ import annotations

import csv
import io
import json
import math
import typing
from operator import itemgetter
from typing import Any

from pydantic import BaseModel

from .book import Handbook
from .citations import all_cites
from .kinds import BY_PLURAL, KINDS, Kind
from .load import DataInvalid
from .problems import KeyPath, Problem, YamlError, dotted
from .translation import translation_status
from .yamlio import load_yaml, values_in

# A cell beginning with one of these is read as a formula by spreadsheet programs (CSV injection): such a
# text cell gets a leading apostrophe, as OWASP recommends, so it is shown as the text it is. Spaces before the
# character count too, for the programs that trim them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


class NonFiniteNumber(DataInvalid):
    """A number the open data cannot hold (JSON has no NaN or Infinity): the build stops with its place."""


def _json(value) -> bytes:
    # allow_nan=False: a NaN or Infinity would make the file invalid JSON; the build stops instead.
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False) + "\n").encode("utf-8")


def _dump(entry: BaseModel) -> dict:
    return entry.model_dump(mode="json", exclude_none=True)


def entry_record(entry: BaseModel) -> dict:
    """An entry's open-data record: what an edition keeps of it (handbook/editions.py)."""
    return _dump(entry)


def _refuse_non_finite(book: Handbook, dumps: dict[str, dict[str, dict]]) -> None:
    """Stop before anything is written if an entry holds NaN or Infinity (the data check refuses them in
    YAML; this guards the writers), naming the file and line of each."""
    problems = [
        _problem_at(
            book,
            kind,
            entry_id,
            key,
            f"{number} is not a finite number: the open data (JSON and CSV) cannot hold NaN or Infinity",
        )
        for kind, records in dumps.items()
        for entry_id, record in records.items()
        for key, number in values_in(record, float)
        if not math.isfinite(number)
    ]
    if problems:
        raise NonFiniteNumber(problems)


def _problem_at(book: Handbook, kind: str, entry_id: str, key: KeyPath, message: str) -> Problem:
    """A problem at an entry's key, with its file and line (the build drops the parsed YAML, so it is read
    again: this only happens when the build is about to fail)."""
    doc = book.documents.get((kind, entry_id))
    if doc is not None:
        return doc.problem(key, message)
    if (kind, entry_id) in book.files:
        paths = [book.files[(kind, entry_id)]]
    else:  # an item of a list file: categories.yml, references.yml, targets/*.yml
        paths = [
            path.relative_to(book.root).as_posix() for path in sorted((book.root / "data").glob(BY_PLURAL[kind].files))
        ]
    for path in paths:
        try:
            loaded = load_yaml(book.root / path, path)
        except (OSError, YamlError):
            continue
        if (kind, entry_id) in book.files:
            return loaded.problem(key, message)
        items = loaded.data.get(kind) if isinstance(loaded.data, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == entry_id:
                return loaded.problem((kind, index) + key, message)
    return Problem(f"data/{kind}", 1, 1, f"{entry_id}.{dotted(key)}", message)


def _cell(value: Any) -> Any:
    """A CSV cell: numbers as they are (a number is not a formula, and -3 stays a number); text that a
    spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    # Every text cell quoted (numbers bare), so a separator inside a cell can never start a new cell, whatever
    # separator the spreadsheet program guesses.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([_cell(name) for name in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read the Chinese


def export_files(book: Handbook) -> dict[str, bytes]:
    """Path under data/ → file content (made once per handbook: the site build asks for it three times)."""
    return book.derived("export_files", lambda: _export_files(book))


def _export_files(book: Handbook) -> dict[str, bytes]:
    dumps = {
        kind.plural: {entry_id: _dump(entry) for entry_id, entry in _in_order(kind, getattr(book, kind.plural))}
        for kind in KINDS
    }
    _refuse_non_finite(book, dumps)
    files: dict[str, bytes] = {}
    for kind in KINDS:
        records = list(dumps[kind.plural].values())
        if kind.export == "entries":  # with how complete the English is
            records = [
                dict(record, translation_status=translation_status(getattr(book, kind.plural)[record["id"]]))
                for record in records
            ]
        elif kind.export == "entries+paragraphs":  # with the text, paragraph by paragraph
            records = [dict(record, paragraphs=book.paragraphs[record["id"]]) for record in records]
        if kind.export != "list":
            for record in records:
                files[f"{kind.plural}/{record['id']}.json"] = _json(record)
        files[f"{kind.plural}.json"] = _json(records)
    for name, (header, rows) in TABLES.items():
        files[f"{name}.csv"] = _csv(header, rows(book))
    return files


def _in_order(kind: Kind, entries: dict[str, BaseModel]) -> list[tuple[str, BaseModel]]:
    """Each entry with its id, in the order the open data lists them: by id, or as in its list file."""
    return sorted(entries.items(), key=itemgetter(0)) if kind.by_id else list(entries.items())


def _programme_rows(book: Handbook) -> list[list]:
    return [
        [
            p.id,
            p.category,
            p.name.zh,
            p.name.en,
            p.name.en_source or "",
            " ".join(sorted({o.level for o in p.organisers})),
            " / ".join(str(year) for year in p.started.years) if p.started else "",  # contested: every year claimed
            p.summary.zh,
            p.summary.en,
            " ".join(sorted({c.split("#")[0] for c in all_cites(p)})),
            translation_status(p),
            p.reviewed.date,
        ]
        for p in sorted(book.programmes.values(), key=lambda p: p.id)
    ]


def _target_rows(book: Handbook) -> list[list]:
    return [
        [
            t.id,
            t.programme,
            t.kind,
            t.place.zh,
            t.place.en,
            t.level,
            t.year or "",
            t.indicator.zh,
            t.indicator.en,
            "" if t.value is None else t.value,
            t.value_text,
            t.unit.zh,
            t.unit.en,
            " ".join(t.cite),
        ]
        for t in sorted(book.targets.values(), key=lambda t: t.id)
    ]


def _law_rows(book: Handbook) -> list[list]:
    return [
        [
            law.id,
            law.kind,
            law.name.zh,
            law.name.en,
            law.issuer.zh,
            law.issuer.en,
            law.adopted or "",
            law.effective or "",
            law.status,
            " ".join(law.dates_cite),
            " ".join(law.mentioned_in),
        ]
        for law in sorted(book.laws.values(), key=lambda law: law.id)
    ]


# The CSV tables, by kind (kinds.py says which kinds have one): header, and the rows of a handbook.
TABLES: dict[str, tuple[list[str], typing.Callable[[Handbook], list[list]]]] = {
    "programmes": (
        [
            "id",
            "category",
            "name_zh",
            "name_en",
            "name_en_source",
            "levels",
            "started",
            "summary_zh",
            "summary_en",
            "sources",
            "translation_status",
            "reviewed",
        ],
        _programme_rows,
    ),
    "targets": (
        [
            "id",
            "programme",
            "kind",
            "place_zh",
            "place_en",
            "level",
            "year",
            "indicator_zh",
            "indicator_en",
            "value",
            "value_text",
            "unit_zh",
            "unit_en",
            "cite",
        ],
        _target_rows,
    ),
    "laws": (
        [
            "id",
            "kind",
            "name_zh",
            "name_en",
            "issuer_zh",
            "issuer_en",
            "adopted",
            "effective",
            "status",
            "dates_cite",
            "mentioned_in",
        ],
        _law_rows,
    ),
}
