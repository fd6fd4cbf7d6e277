"""Record a review in an entry's file: today's date and the reviewer's handle, and, when the English was
checked too, the hash of the Chinese it was checked against. Only those two lines of the file change."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .models import HANDLE_PATTERN
from .store import load_valid_handbook
from .translation import zh_hash

KINDS = {"programme": "programmes", "term": "terms", "law": "laws", "source": "sources"}


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
