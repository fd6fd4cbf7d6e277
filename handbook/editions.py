"""Editions: the handbook is published in dated editions, listed oldest first in data/editions.yml (id, date, a
one-line summary in both languages, optional notes on entries). Each edition keeps what its entries were in
data/editions/<id>.jsonl: the first edition every entry, each later one only the entries that changed since the
one before (a line per entry, its open-data record, or `removed`). So the history of every entry, each edition's
open data and the view of an entry as of an edition come from the repository alone: no git history (a shallow
clone builds the same), no network, no host's API. `python -m handbook edition new` starts an edition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field

from .kinds import ENTRY_FILE_KINDS
from .models import Strict, Text
from .problems import Problem
from .yamlio import LoadedYaml, YamlError, load_yaml

EDITIONS_FILE = "data/editions.yml"
SNAPSHOT_FOLDER = "data/editions"
EDITION_ID = re.compile(r"^[0-9]{4}\.(0[1-9]|1[0-2])(\.[2-9]|\.[1-9][0-9])?$")  # 2026.12, then 2026.12.2 …
EDITION_KINDS = tuple(kind.plural for kind in ENTRY_FILE_KINDS)  # programmes, terms, sources, laws
# Not what an entry says: bookkeeping a reader is not told about as a change of its own.
BOOKKEEPING = {"id", "translation", "former_ids"}


class EditionEntry(Strict):
    """One edition as data/editions.yml lists it: the shape editors see (schemas/editions.schema.json). The data
    check reads the file itself (read_editions_file), to say what is wrong in a maintainer's words."""

    id: str = Field(pattern=EDITION_ID.pattern)
    date: dt.date
    summary: Text
    notes: dict[str, Text] = {}
    sha256: str = Field(pattern="^[0-9a-f]{64}$")


class EditionsFile(Strict):
    """data/editions.yml: the editions, oldest first."""

    model_config = ConfigDict(extra="forbid")
    editions: list[EditionEntry]


@dataclass(frozen=True)
class Edition:
    id: str
    date: str  # YYYY-MM-DD
    summary: dict[str, str]  # zh, en
    notes: dict[str, dict[str, str]] = field(default_factory=dict)  # "programmes/<id>" -> zh, en: a maintainer's word
    sha256: str = ""  # of data/editions/<id>.jsonl as written: an edition is read-only
    sha256_at: tuple[int, int] = (1, 1)  # where editions.yml gives it (line, column)


@dataclass
class Editions:
    """Every edition, oldest first, with each one's entries: key "programmes/<id>" -> open-data record. The
    entries are read from the snapshots when first asked for: the data check only verifies their digests."""

    editions: list[Edition] = field(default_factory=list)
    known_entries: dict[str, dict[str, dict]] | None = None  # edition id -> key -> record
    snapshots: dict[str, bytes] = field(default_factory=dict)  # edition id -> its file, as read

    @property
    def entries(self) -> dict[str, dict[str, dict]]:
        if self.known_entries is None:
            self.known_entries = {}
            previous: dict[str, dict] = {}
            for edition in self.editions:
                entries = dict(previous)
                for item, _ in _snapshot_items(self.snapshots.get(edition.id, b"")):
                    if item is None:
                        continue
                    if item.get("removed"):
                        entries.pop(item["key"], None)
                    else:
                        entries[item["key"]] = item["record"]
                self.known_entries[edition.id] = previous = entries
        return self.known_entries

    @property
    def latest(self) -> Edition | None:
        return self.editions[-1] if self.editions else None

    def by_id(self, edition_id: str) -> Edition | None:
        return next((e for e in self.editions if e.id == edition_id), None)


def entry_key(plural: str, entry_id: str) -> str:
    return f"{plural}/{entry_id}"


def current_records(book) -> dict[str, dict]:
    """What every entry says now, as its open-data record, by key."""
    from .export import entry_record

    return {
        entry_key(plural, entry_id): entry_record(entry)
        for plural in EDITION_KINDS
        for entry_id, entry in sorted(getattr(book, plural).items())
    }


def edition_stamp(book, build_day: str) -> str:
    """What a handout or kit prints as the handbook's edition: the latest edition and the build's day."""
    latest = book.editions.latest
    return f"{latest.id} · {build_day}" if latest is not None else build_day


# Reading data/editions.yml and the snapshots, with every problem as path:line:col.

ALLOWED = {"id", "date", "summary", "notes", "sha256"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _text_pair(doc: LoadedYaml, key: tuple, value: Any, problems: list[Problem], what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) for lang in ("zh", "en")):
        problems.append(doc.problem(key, f"{what} needs zh: and en:, each a line of text"))
        return {"zh": "", "en": ""}
    for lang in ("zh", "en"):
        if not value[lang].strip():
            problems.append(doc.problem(key + (lang,), f"{what} in {lang} is empty: write one line"))
    extra = sorted(set(value) - {"zh", "en"})
    if extra:
        problems.append(doc.problem(key + (extra[0],), f"unknown key '{extra[0]}': {what} has zh: and en: only"))
    return {"zh": value["zh"].strip(), "en": value["en"].strip()}


def read_editions_file(root: Path) -> tuple[list[Edition], list[Problem]]:
    """The editions listed in data/editions.yml (none if there is no such file), and what is wrong with it."""
    path = root / EDITIONS_FILE
    if not path.exists():
        return [], []
    try:
        doc = load_yaml(path, EDITIONS_FILE)
    except YamlError as exc:
        return [], [exc.problem]
    problems: list[Problem] = []

    def refuse(key: tuple, message: str) -> None:
        problems.append(doc.problem(key, message))

    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("editions"), list):
        return [], [doc.problem((), "must hold 'editions:', a list of editions (id, date, summary), oldest first")]
    editions: list[Edition] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data["editions"]):
        key: tuple = ("editions", i)
        if not isinstance(item, dict):
            refuse(key, "an edition is a mapping: id, date, summary (zh, en)")
            continue
        for unknown in sorted(set(item) - ALLOWED):
            refuse(key + (unknown,), f"unknown key '{unknown}' (allowed: {', '.join(sorted(ALLOWED))})")
        edition_id = item.get("id")
        if not isinstance(edition_id, str) or not EDITION_ID.match(edition_id):
            refuse(
                key + ("id",),
                f"id {edition_id!r} is not an edition id: write the year and month as a quoted string, "
                '"2026.12", and "2026.12.2" for a second edition in that month',
            )
            continue
        if edition_id in seen:
            refuse(
                key + ("id",),
                f"edition {edition_id} is listed twice (first as item {seen[edition_id] + 1}): "
                "give each edition its own id",
            )
            continue
        seen[edition_id] = i
        date = item.get("date")
        date_text = date.isoformat() if isinstance(date, dt.date) else str(date)
        try:
            parsed = dt.date.fromisoformat(date_text)
        except ValueError:
            refuse(key + ("date",), f"date {date_text!r} is not a real date: write YYYY-MM-DD")
            continue
        if parsed.strftime("%Y.%m") != edition_id[:7]:
            refuse(
                key + ("id",),
                f"edition {edition_id} is dated {date_text}: its id starts with the year and month of its date",
            )
        if editions and date_text < editions[-1].date:
            refuse(
                key + ("date",),
                f"edition {edition_id} ({date_text}) is older than edition {editions[-1].id} "
                f"({editions[-1].date}) above it: list editions oldest first",
            )
        summary = _text_pair(doc, key + ("summary",), item.get("summary"), problems, "summary")
        notes: dict[str, dict[str, str]] = {}
        raw_notes = item.get("notes") or {}
        if not isinstance(raw_notes, dict):
            refuse(key + ("notes",), "notes maps an entry (programmes/<id>) to zh: and en:")
            raw_notes = {}
        for entry, note in raw_notes.items():
            if not isinstance(entry, str) or entry.split("/")[0] not in EDITION_KINDS or entry.count("/") != 1:
                refuse(
                    key + ("notes", entry),
                    f"{entry!r} is not an entry: write its folder and id, programmes/ankang-cup",
                )
                continue
            notes[entry] = _text_pair(doc, key + ("notes", entry), note, problems, "a note")
        digest = item.get("sha256")
        if not isinstance(digest, str) or not SHA256.match(digest):
            refuse(
                key + ("sha256",),
                f"no sha256 of data/editions/{edition_id}.jsonl: `python -m handbook edition new` writes it, "
                "so that an edition cannot change after it is published",
            )
            digest = ""
        where = doc.where(key + ("sha256",))
        editions.append(Edition(edition_id, date_text, summary, notes, digest, where))
    return editions, problems


def snapshot_path(root: Path, edition_id: str) -> Path:
    return root / SNAPSHOT_FOLDER / f"{edition_id}.jsonl"


def read_editions(root: Path) -> tuple[Editions, list[Problem]]:
    """The editions with each one's entries, rebuilt from the snapshots in order, and every problem found."""
    editions, problems = read_editions_file(root)
    found = Editions(editions)
    for index, edition in enumerate(editions):
        path = snapshot_path(root, edition.id)
        display = f"{SNAPSHOT_FOLDER}/{edition.id}.jsonl"
        try:
            raw = path.read_bytes()
            raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    f"cannot read the entries of edition {edition.id} ({exc.__class__.__name__}): "
                    "restore the file from the repository; `python -m handbook edition new` writes it for a new "
                    "edition",
                )
            )
            continue
        found.snapshots[edition.id] = raw
        if edition.sha256 and hashlib.sha256(raw).hexdigest() == edition.sha256:
            continue  # the file edition new wrote, byte for byte: nothing else to check
        if edition.sha256:
            problems.append(
                Problem(
                    EDITIONS_FILE,
                    *edition.sha256_at,
                    f"editions.{index}.sha256",
                    f"{display} is not the file edition {edition.id} was published with (its SHA-256 differs): "
                    f"a published edition does not change; restore it (git checkout -- {display}) and record "
                    "corrections in a new edition",
                )
            )
        for item, number in _snapshot_items(raw):
            if item is None:
                problems.append(
                    Problem(
                        display,
                        number,
                        1,
                        "",
                        'not a snapshot line ({"key": …, "record": …}): this file is written by '
                        "`python -m handbook edition new`; restore it",
                    )
                )
    return found, problems


def _snapshot_items(raw: bytes) -> Iterator[tuple[dict | None, int]]:
    """Each line of a snapshot as (its item, its line number); (None, line) for a line that is not one."""
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        try:
            item = json.loads(line)
            if isinstance(item, dict) and isinstance(item["key"], str) and (item.get("removed") or "record" in item):
                yield item, number
                continue
        except (ValueError, KeyError, TypeError):
            pass
        yield None, number


# Starting an edition.


class EditionError(Exception):
    pass


def next_edition_id(editions: list[Edition], day: dt.date) -> str:
    month = day.strftime("%Y.%m")
    taken = {e.id for e in editions}
    if month not in taken:
        return month
    number = 2
    while f"{month}.{number}" in taken:
        number += 1
    return f"{month}.{number}"


def snapshot_lines(before: dict[str, dict], now: dict[str, dict]) -> list[str]:
    """The snapshot of an edition: every entry that is new or changed since `before`, and every one removed."""
    lines = []
    for key in sorted(set(before) | set(now)):
        if key not in now:
            lines.append(json.dumps({"key": key, "removed": True}, ensure_ascii=False))
        elif before.get(key) != now[key]:
            lines.append(json.dumps({"key": key, "record": now[key]}, ensure_ascii=False, sort_keys=False))
    return lines


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def new_edition(root: Path, book, summary_zh: str, summary_en: str, day: dt.date, edition_id: str | None = None) -> str:
    """Record the data as it is now as a new edition: its snapshot, and its line in data/editions.yml."""
    known, problems = read_editions(root)
    if problems:
        raise EditionError("fix data/editions.yml first:\n" + "\n".join(str(p) for p in problems))
    if not summary_zh.strip() or not summary_en.strip():
        raise EditionError("an edition needs a one-line summary in both languages: --zh TEXT --en TEXT")
    latest = known.latest
    if latest is not None and day.isoformat() < latest.date:
        raise EditionError(f"the last edition, {latest.id}, is dated {latest.date}: a new one cannot be older")
    edition_id = edition_id or next_edition_id(known.editions, day)
    if (
        not EDITION_ID.match(edition_id)
        or known.by_id(edition_id) is not None
        or not edition_id.startswith(day.strftime("%Y.%m"))
    ):
        raise EditionError(f"{edition_id!r} cannot be the new edition's id: it must be new and start with {day:%Y.%m}")
    before = known.entries[latest.id] if latest else {}
    lines = snapshot_lines(before, current_records(book))
    if latest is not None and not lines:
        raise EditionError(f"nothing changed since edition {latest.id}: there is no new edition to record")
    path = snapshot_path(root, edition_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    snapshot = "".join(line + "\n" for line in lines).encode("utf-8")
    path.write_bytes(snapshot)
    file = root / EDITIONS_FILE
    text = file.read_text(encoding="utf-8") if file.exists() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    text += (
        f'  - id: "{edition_id}"\n    date: "{day.isoformat()}"\n    summary:\n'
        f"      zh: {_yaml_string(summary_zh.strip())}\n      en: {_yaml_string(summary_en.strip())}\n"
        f'    sha256: "{hashlib.sha256(snapshot).hexdigest()}"\n'
    )
    file.write_text(text, encoding="utf-8")
    return edition_id


HEADER = """\
# The handbook's editions, oldest first (README: "Editions"). `python -m handbook edition new --zh … --en …`
# adds one and writes what every changed entry says to data/editions/<id>.jsonl, with its sha256: a published
# edition does not change (the data check refuses an edited file); correct an entry in a new edition.
# notes: a maintainer's sentence on why an entry changed, shown in its history:
#   notes:
#     programmes/ankang-cup: {zh: 更正起始年份。, en: Corrected the year it started.}
editions:
"""
