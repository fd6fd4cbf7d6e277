"""Record a review in an entry's file: today's date and the reviewer's handle, and, when the English was
checked too, the hash of the Chinese it was checked against. Only those two lines of the file change."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .book import Handbook
from .kinds import REVIEWED
from .load import load_valid_handbook
from .models import HANDLE_PATTERN
from .problems import Problem
from .translation import zh_hash

KINDS = {kind.name: kind.plural for kind in REVIEWED}  # programme -> programmes, …


class ReviewError(Exception):
    pass


def _set_line(text: str, key: str, value: str) -> str:
    line = f"{key}: {value}"
    pattern = re.compile(rf"^{key}:.*$", re.M)
    return pattern.sub(line, text, count=1) if pattern.search(text) else text.rstrip("\n") + "\n" + line + "\n"


def record_review(root: Path, kind: str, entry_id: str, by: str, english: bool, today: dt.date | None = None) -> Path:
    if not re.match(HANDLE_PATTERN, by):
        raise ReviewError(f"'{by}' is not a handle: use letters, digits, '.', '_' or '-'")
    book = load_valid_handbook(root)
    folder = KINDS[kind]
    entry = getattr(book, folder).get(entry_id)
    if entry is None:
        raise ReviewError(f"no {kind} '{entry_id}' in data/{folder}/")
    path = root / book.files[(folder, entry_id)]
    text = path.read_text(encoding="utf-8")
    text = _set_line(text, "reviewed", f'{{date: "{(today or dt.date.today()).isoformat()}", by: {by}}}')
    if english:
        text = _set_line(text, "translation", f'{{zh_hash: "{zh_hash(entry)}"}}')
    path.write_text(text, encoding="utf-8")
    return path


def stale_reviews(book: Handbook, max_age_days: int, today: dt.date | None = None) -> list[Problem]:
    """A warning for each entry last reviewed more than max_age_days ago."""
    today = today or dt.date.today()
    warnings = []
    for kind in KINDS.values():
        for entry_id, entry in getattr(book, kind).items():
            age = (today - dt.date.fromisoformat(entry.reviewed.date)).days
            if age > max_age_days:
                warnings.append(
                    book.documents[(kind, entry_id)].problem(
                        ("reviewed",),
                        f"last reviewed {entry.reviewed.date} by {entry.reviewed.by}, {age} days ago "
                        f"(more than {max_age_days}): check it against its sources and update the date",
                        "warning",
                    )
                )
    return warnings
