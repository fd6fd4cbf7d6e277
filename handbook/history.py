"""What changed in an entry from one edition to the next, worked out from the records themselves (the open-data
JSON each edition keeps, handbook/editions.py) and said in words a reader understands — "新增办理流程；更正摘要" —
not as a diff. An entry renamed between editions (its former_ids) keeps its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .editions import BOOKKEEPING, Edition, Editions

# What a reader calls each part of an entry (programmes, laws, sources, terms), in both languages.
FIELD_WORDS: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"),
    "term": ("术语名称", "term"),
    "title": ("标题", "title"),
    "short": ("简称", "short title"),
    "category": ("类别", "category"),
    "aliases": ("别称", "other names"),
    "keywords": ("检索词", "search words"),
    "summary": ("概要", "summary"),
    "definition": ("释义", "definition"),
    "purpose": ("目的", "purpose"),
    "organisers": ("组织单位", "organisers"),
    "beneficiaries": ("受益对象", "who benefits"),
    "how_it_runs": ("如何开展", "how it runs"),
    "related": ("相关项目", "related programmes"),
    "see_also": ("参见", "see also"),
    "terms": ("相关术语", "related terms"),
    "laws": ("相关法律政策", "related laws"),
    "quotes": ("原文摘录", "quotations"),
    "started": ("起始年份", "year it started"),
    "first_named": ("首次提出年份", "year first named"),
    "guide.who": ("适用对象", "who it is for"),
    "guide.provides": ("服务内容", "what is provided"),
    "guide.steps": ("办理流程", "steps"),
    "guide.when": ("办理时间", "when"),
    "guide.materials": ("申请材料", "materials"),
    "guide.basis": ("设定依据", "legal basis"),
    "guide.contact": ("咨询方式", "where to ask"),
    "guide.open": ("指南待解问题", "open questions of the guide"),
    "background": ("背景资料", "background"),
    "open_questions": ("尚待查明", "open questions"),
    "articles": ("条文摘录", "articles"),
    "articles_note": ("条文说明", "note on the articles"),
    "status": ("效力状态", "status"),
    "status_note": ("状态说明", "note on the status"),
    "adopted": ("通过日期", "date adopted"),
    "effective": ("施行日期", "date in force"),
    "amended": ("修正日期", "date amended"),
    "doc_number": ("文号", "document number"),
    "issuer": ("发文单位", "issuer"),
    "date": ("日期", "date"),
    "excerpt": ("摘录", "excerpt"),
    "notes": ("说明", "notes"),
    "reviewed": ("核对记录", "review record"),
}
SEP = {"zh": "、", "en": ", "}
CLAUSE = {"zh": "；", "en": "; "}


def field_word(key: str, lang: str) -> str:
    words = FIELD_WORDS.get(key)
    return words[0 if lang == "zh" else 1] if words else key


@dataclass
class Change:
    """One edition's change to one entry."""

    edition: Edition | None  # None: made since the last edition, not yet published in one
    what: str  # added, changed, removed
    added: list[str] = field(default_factory=list)  # parts (FIELD_WORDS keys) that were empty and now say something
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    quotes_added: list[str] = field(default_factory=list)  # "<source> ¶<n>"
    quotes_removed: list[str] = field(default_factory=list)
    cites_added: list[str] = field(default_factory=list)
    cites_removed: list[str] = field(default_factory=list)
    renamed_from: str | None = None  # the entry's id in the edition before, when it was renamed
    reviewed: str | None = None  # the new review date, when only that changed among the dates
    first: bool = False  # added in the first edition: the handbook's whole content then, not news

    def words(self, lang: str) -> str:
        zh = lang == "zh"
        if self.what == "added" and self.first:
            return "首次收录" if zh else "First included"
        if self.what == "added":
            return "新增条目" if zh else "Entry added"
        if self.what == "removed":
            return "删除条目" if zh else "Entry removed"
        clauses = []

        def listed(keys: list[str]) -> str:
            return SEP[lang].join(field_word(k, lang) for k in keys)

        if self.renamed_from:
            clauses.append(f"编号由 {self.renamed_from} 改为现名" if zh else f"id changed from {self.renamed_from}")
        if self.added:
            clauses.append(("新增" if zh else "added ") + listed(self.added))
        if self.changed:
            clauses.append(("修改" if zh else "changed ") + listed(self.changed))
        if self.removed:
            clauses.append(("删去" if zh else "removed ") + listed(self.removed))
        if self.quotes_added:
            clauses.append(("新增引文 " if zh else "quotation added: ") + SEP[lang].join(self.quotes_added))
        if self.quotes_removed:
            clauses.append(("删去引文 " if zh else "quotation removed: ") + SEP[lang].join(self.quotes_removed))
        if self.cites_added:
            clauses.append(("新增出处 " if zh else "citation added: ") + SEP[lang].join(self.cites_added))
        if self.cites_removed:
            clauses.append(("删去出处 " if zh else "citation removed: ") + SEP[lang].join(self.cites_removed))
        if self.reviewed:
            clauses.append(
                f"重新核对（{self.reviewed}）" if zh else f"checked again against its sources ({self.reviewed})"
            )
        text = CLAUSE[lang].join(clauses) or ("修改格式" if zh else "formatting")
        return (text[0].upper() + text[1:]) if not zh else text


def _parts(record: dict) -> dict[str, Any]:
    """An entry's parts as a reader sees them: the guide by section, bookkeeping left out."""
    parts = {k: v for k, v in record.items() if k not in BOOKKEEPING and k != "guide"}
    for section, value in (record.get("guide") or {}).items():
        parts[f"guide.{section}"] = value
    return parts


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _quotes(record: dict) -> dict[str, Any]:
    return {f"{q.get('source')} ¶{q.get('paragraph')}": q for q in record.get("quotes") or [] if isinstance(q, dict)}


def cites_in(value: Any) -> set[str]:
    """Every citation (source#pN, reference id) a record gives for its facts."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("cite", "dates_cite") and isinstance(item, list):
                found.update(c for c in item if isinstance(c, str))
            else:
                found |= cites_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= cites_in(item)
    return found


def compare(before: dict | None, after: dict | None, edition: Edition | None) -> Change | None:
    """The change from one record of an entry to the next, or None if it says the same."""
    if before == after:
        return None
    if before is None:
        return Change(edition, "added")
    if after is None:
        return Change(edition, "removed")
    change = Change(edition, "changed")
    old, new = _parts(before), _parts(after)
    if before.get("id") != after.get("id"):
        change.renamed_from = before.get("id")
    old_quotes, new_quotes = _quotes(before), _quotes(after)
    change.quotes_added = [q for q in new_quotes if q not in old_quotes]
    change.quotes_removed = [q for q in old_quotes if q not in new_quotes]
    quotes_moved = change.quotes_added or change.quotes_removed
    for key in list(dict.fromkeys([*old, *new])):
        a, b = old.get(key), new.get(key)
        if a == b or (
            key == "quotes"
            and quotes_moved
            and all(old_quotes[q] == new_quotes[q] for q in set(old_quotes) & set(new_quotes))
        ):
            continue
        if key == "reviewed":
            if isinstance(b, dict) and isinstance(a, dict) and a.get("date") != b.get("date"):
                change.reviewed = b.get("date")
            continue
        (change.added if _empty(a) else change.removed if _empty(b) else change.changed).append(key)
    old_cites, new_cites = cites_in(before), cites_in(after)
    change.cites_added = sorted(new_cites - old_cites)
    change.cites_removed = sorted(old_cites - new_cites)
    return change


def entry_history(editions: Editions, key: str, former_keys: list[str], current: dict | None) -> list[Change]:
    """The changes to one entry, newest first: one per edition in which it changed, and one for changes made
    since the last edition. `former_keys`: the keys it had under its former ids (programmes/<former-id>)."""
    changes: list[Change] = []
    before: dict | None = None
    for edition in editions.editions:
        entries = editions.entries.get(edition.id, {})
        record = entries.get(key)
        if record is None:
            record = next((entries[k] for k in former_keys if k in entries), None)
        change = compare(before, record, edition)
        if change is not None:
            change.first = change.what == "added" and edition is editions.editions[0]
            changes.append(change)
        before = record
    if editions.editions:
        change = compare(before, current, None)
        if change is not None:
            changes.append(change)
    return changes[::-1]


def translation_since(
    editions: Editions, key: str, former_keys: list[str], reviewed_hash: str, current: dict
) -> tuple[Edition | None, list[str]]:
    """For English that is out of date: the newest edition whose Chinese the English was reviewed against, and
    the parts whose Chinese changed since then (none known without such an edition)."""
    from .translation import record_chinese, record_zh_hash

    for edition in reversed(editions.editions):
        record = record_as_of(editions, edition.id, key, former_keys)
        if record is not None and record_zh_hash(record) == reviewed_hash:
            then, now = record_chinese(record), record_chinese(current)
            parts = [name for name in dict.fromkeys([*then, *now]) if then.get(name, []) != now.get(name, [])]
            if "guide" in parts:  # the guide by section, as the history names it
                old, new = record.get("guide") or {}, current.get("guide") or {}
                sections = [
                    f"guide.{s}"
                    for s in dict.fromkeys([*old, *new])
                    if record_chinese({s: old.get(s)}) != record_chinese({s: new.get(s)})
                ]
                parts[parts.index("guide") : parts.index("guide") + 1] = sections
            return edition, parts
    return None, []


def record_as_of(editions: Editions, edition_id: str, key: str, former_keys: list[str]) -> dict | None:
    entries = editions.entries.get(edition_id, {})
    return entries.get(key) or next((entries[k] for k in former_keys if k in entries), None)
