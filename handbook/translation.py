"""Whether an entry's English is complete, pending or out of date with respect to its Chinese."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel

Status = Literal["complete", "pending", "outdated"]
# keywords are search words written in each language on its own, not a translation: changing them leaves the English
# as it was reviewed.
_NOT_TRANSLATED = {"reviewed", "translation", "id", "former_ids", "keywords"}


def chinese_text(entry: BaseModel) -> list[str]:
    """Every Chinese field of an entry, in a fixed order: what the English is a translation of."""
    found: list[str] = []

    def walk(value, key: str = "") -> None:
        if isinstance(value, BaseModel):
            for name, item in value:
                if name not in _NOT_TRANSLATED:
                    walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif key == "zh" and isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):  # pragma: no cover - models hold no dicts today
            for name, item in sorted(value.items()):
                walk(item, name)

    walk(entry)
    return found


_hashes: dict[int, tuple[BaseModel, str]] = {}  # by id(entry); entries are frozen, and each page asks again


def zh_hash(entry: BaseModel) -> str:
    kept = _hashes.get(id(entry))
    if kept is not None and kept[0] is entry:
        return kept[1]
    text = json.dumps(chinese_text(entry), ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    if len(_hashes) > 100_000:  # a long-lived process (the test suite) loads many handbooks
        _hashes.clear()
    _hashes[id(entry)] = (entry, digest)
    return digest


def record_chinese(record: dict) -> dict[str, list[str]]:
    """An open-data record's Chinese, part by part (the same texts, in the same order, as chinese_text)."""
    parts: dict[str, list[str]] = {}

    def walk(value, key: str, into: list[str]) -> None:
        if isinstance(value, dict):
            # the one dict the models hold (guide.open, by section) is walked sorted, as chinese_text does
            for name, item in sorted(value.items()) if key == "open" else value.items():
                if name not in _NOT_TRANSLATED:
                    walk(item, name, into)
        elif isinstance(value, list):
            for item in value:
                walk(item, key, into)
        elif key == "zh" and isinstance(value, str):
            into.append(value)

    for name, value in record.items():
        if name not in _NOT_TRANSLATED:
            walk(value, name, parts.setdefault(name, []))
    return parts


def record_zh_hash(record: dict) -> str:
    """zh_hash of an entry from its open-data record (what an edition keeps of it)."""
    text = json.dumps([t for texts in record_chinese(record).values() for t in texts], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def translation_status(entry: BaseModel) -> Status:
    recorded = getattr(entry, "translation", None)
    if recorded is None:
        return "pending"
    return "complete" if recorded.zh_hash == zh_hash(entry) else "outdated"
