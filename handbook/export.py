"""Open data: the whole handbook as JSON (one file per kind, one per entry) and CSV for the tables,
written into the built site under data/. Plain Python, so any other tool can publish the same files."""
from __future__ import annotations

import csv
import io
import json

from pydantic import BaseModel

from .store import Handbook, all_cites
from .translation import translation_status


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _dump(entry: BaseModel) -> dict:
    return entry.model_dump(mode="json", exclude_none=True)


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read the Chinese


def export_files(book: Handbook) -> dict[str, bytes]:
    """Path under data/ → file content (made once per handbook: the site build asks for it three times)."""
    return book.derived("export_files", lambda: _export_files(book))


def _export_files(book: Handbook) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    kinds = {"programmes": book.programmes, "terms": book.terms, "laws": book.laws}
    for kind, entries in kinds.items():
        dumped = [dict(_dump(e), translation_status=translation_status(e)) for e in sorted(entries.values(), key=lambda e: e.id)]
        files[f"{kind}.json"] = _json(dumped)
        for entry in dumped:
            files[f"{kind}/{entry['id']}.json"] = _json(entry)
    sources = []
    for source in sorted(book.sources.values(), key=lambda s: s.id):
        record = dict(_dump(source), paragraphs=book.paragraphs[source.id])
        sources.append(record)
        files[f"sources/{source.id}.json"] = _json(record)
    files["sources.json"] = _json(sources)
    files["targets.json"] = _json([_dump(t) for t in sorted(book.targets.values(), key=lambda t: t.id)])
    files["references.json"] = _json([_dump(r) for r in sorted(book.references.values(), key=lambda r: r.id)])
    files["categories.json"] = _json([_dump(c) for c in book.categories.values()])

    files["programmes.csv"] = _csv(
        ["id", "category", "name_zh", "name_en", "name_en_source", "levels", "started", "summary_zh", "summary_en",
         "sources", "translation_status", "reviewed"],
        [[p.id, p.category, p.name.zh, p.name.en, p.name.en_source or "", " ".join(sorted({o.level for o in p.organisers})),
          p.started.year if p.started else "", p.summary.zh, p.summary.en,
          " ".join(sorted({c.split("#")[0] for c in all_cites(p)})), translation_status(p), p.reviewed.date]
         for p in sorted(book.programmes.values(), key=lambda p: p.id)])
    files["targets.csv"] = _csv(
        ["id", "programme", "kind", "place_zh", "place_en", "level", "year", "indicator_zh", "indicator_en", "value",
         "value_text", "unit_zh", "unit_en", "cite"],
        [[t.id, t.programme, t.kind, t.place.zh, t.place.en, t.level, t.year or "", t.indicator.zh, t.indicator.en,
          "" if t.value is None else t.value, t.value_text, t.unit.zh, t.unit.en, " ".join(t.cite)]
         for t in sorted(book.targets.values(), key=lambda t: t.id)])
    files["laws.csv"] = _csv(
        ["id", "kind", "name_zh", "name_en", "issuer_zh", "issuer_en", "adopted", "effective", "status", "dates_cite",
         "mentioned_in"],
        [[law.id, law.kind, law.name.zh, law.name.en, law.issuer.zh, law.issuer.en, law.adopted or "",
          law.effective or "", law.status, " ".join(law.dates_cite), " ".join(law.mentioned_in)]
         for law in sorted(book.laws.values(), key=lambda law: law.id)])
    return files
