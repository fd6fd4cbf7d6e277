"""The search index split into script files, so a search fetches only what it needs.

- `index.js`, the core, fetched on first search: the Traditional→Simplified map, the vocabulary, synonyms,
  labels, and one letter per entry saying what it is (programme, term, law, document, page).
- `s/h<N>.js`, shards of an inverted index of Chinese keys: every character pair (bigram) and single character
  of an entry's text after the same normalisation the browser applies (Simplified, lower case, no spaces or
  punctuation), so any part of a Chinese word, across word boundaries too, finds the entry: 模范 is a key of
  劳动模范. Exact names are keys too (`=金秋助学`), in the shard of their first pair.
- `s/a<N>.js`, shards of ASCII keys: English words and pinyin, sharded by their first three letters, so a prefix
  (stud → student) is found in one shard.
- `d/<N>.js`, one entry's display data (title, address, names, keywords, sections), fetched for the results shown.
- `names.js`, every programme's and term's names and pinyin: fetched only when nothing is found, to offer the
  nearest names.

A key's postings are the entries holding it, each as (entry number − previous entry number) × 64 + where it
occurs (FIELD bits), so the browser can rank candidates before it fetches any entry. Shards are sized to about
SHARD_BYTES each; a key's shard is an FNV-1a hash of the key modulo the shard count (assets/search.js has the
same function). Every file is a script calling `__handbookSearch(name, data)`, which works from file:// too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from operator import add
from pathlib import Path

from handbook.text import traditional_characters

# Where a key occurs in an entry (bit flags; the browser weighs them).
KEY, KEYWORD, TITLE, HEADING, TEXT, PINYIN = 1, 2, 4, 8, 16, 32
SHARD_BYTES = 24_000  # raw; about 8-10 KB gzipped
KIND_LETTERS = {"programme": "p", "term": "t", "law": "l", "source": "s", "page": "g"}

# The characters assets/search.js removes before matching (its PUNCT), and what it keeps as words.
_PUNCT = re.compile(
    r"[\s\u3000\"'`\u201c\u201d\u2018\u2019\u300a\u300b\u3008\u3009\u300c\u300d\u300e\u300f\u3014\u3015\[\]"
    r"\u3010\u3011()\uff08\uff09<>{},\uff0c.\u3002\u3001:\uff1a;\uff1b!\uff01?\uff1f\-\u2014\u2013\u00b7\u2026_/\\|~^*#@&%+=\uff3b\uff3d]"
)
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_HANZI = re.compile(r"[\u4e00-\u9fff]")


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units, as the browser computes it."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        value = ((value ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return value


def _holds_hanzi(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def shard_key(key: str) -> str:
    """What decides a key's shard (assets/search.js has the same rule): a Chinese key (a character or a pair
    holding one) itself; an exact name (`=…`) its first two characters if they hold a Chinese one, else its
    first three; an ASCII key (a word, pinyin) its first three letters, so every word with that prefix is in one
    shard."""
    if key[0] == "=":
        return key[1:3] if _holds_hanzi(key[1:3]) else key[1:4]
    return key if len(key) <= 2 and _holds_hanzi(key) else key[:3]


class Normaliser:
    """Text as the browser matches it: Traditional read as Simplified, lower case, no spaces or punctuation."""

    def __init__(self, t2s: dict[str, str]):
        self._t2s = t2s
        self._traditional = re.compile("[" + re.escape("".join(t2s)) + "]") if t2s else None

    def simplified(self, text: str) -> str:
        if self._traditional is not None:
            text = self._traditional.sub(lambda match: self._t2s[match.group()], text)
        return text.lower()

    def norm(self, text: str) -> str:
        return _PUNCT.sub("", self.simplified(text))


_HANZI_RUN = re.compile(r"[\u4e00-\u9fff]+")


def chinese_keys(normalised: str) -> set[str]:
    """The single characters and character pairs of normalised text that hold a Chinese character (NUL
    separates texts that must not run into each other)."""
    keys: set[str] = set()
    for match in _HANZI_RUN.finditer(normalised):
        start, end = match.span()
        keys.update(match.group())
        if start and normalised[start - 1] != "\x00":
            start -= 1  # the character before the run makes a pair with its first
        if end < len(normalised) and normalised[end] != "\x00":
            end += 1
        piece = normalised[start:end]
        keys.update(map(add, piece, piece[1:]))
    return keys


def entry_keys(doc: dict, normaliser: Normaliser) -> dict[str, int]:
    """Every key of one index entry and where in the entry it occurs (FIELD bits)."""
    where: dict[str, int] = defaultdict(int)

    def keys(texts: list[str]) -> set[str]:
        simplified = normaliser.simplified("\x00".join(texts))
        return chinese_keys(_PUNCT.sub("", simplified)) | set(_ASCII_WORD.findall(simplified))

    sections = doc.get("s", [])
    for texts, field in ((doc.get("k", []), KEY), (doc.get("w", []), KEYWORD), ([doc["t"]], TITLE)):
        for key in keys(texts):
            where[key] |= field
        if field != KEYWORD:  # a whole name or title is a key of its own, for an exact match
            for text in texts:
                if normalised := normaliser.norm(text):
                    where["=" + normalised] |= field
    for key in keys([s[1] for s in sections]):
        where[key] |= HEADING
    for pinyin in doc.get("p", []):
        where[pinyin] |= PINYIN
    for key in keys([s[2] for s in sections]):  # the bulk: one look-up per key
        where[key] = where.get(key, 0) | TEXT
    return where


def _script(name: str, data) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    body = body.replace("</", "<\\/")  # "</" cannot end a <script> here, but escape it so the file is safe to inline
    return f"__handbookSearch({json.dumps(name)},{body});\n"


def _shards(space: str, postings: list[tuple[str, int, list[int]]]) -> tuple[int, dict[str, str]]:
    """Group one key space's (key, hash of its shard key, postings) into shards of about SHARD_BYTES: (shard
    count, file name → script)."""
    size = sum(3 * len(key) + 4 * len(value) + 4 for key, _, value in postings)  # about, in UTF-8 JSON
    count = max(1, -(-size // SHARD_BYTES))
    groups: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for key, hashed, value in sorted(postings):
        groups[hashed % count][key] = value
    return count, {f"s/{space}{n}.js": _script(f"{space}{n}", groups.get(n, {})) for n in range(count)}


class IndexWriter:
    """Takes the index's entries one at a time (extracting each one's keys at once) and writes the files."""

    def __init__(self) -> None:
        # Entry text is read with every Traditional character as Simplified, as a Traditional query will be.
        self.normaliser = Normaliser(dict(traditional_characters()))
        self.kinds: list[str] = []
        self.files_: dict[str, str] = {}
        self.names: list[list] = []
        self.characters: set[str] = set()
        # key → [number × 64 of the last entry holding it, then each entry as (its number − the previous one's)
        # × 64 + where it occurs (FIELD bits)]: ascending, so small numbers
        self.holding: dict[str, list[int]] = {}
        self.shard_hash: dict[str, tuple[str, int]] = {}  # key → (its key space, the hash of its shard key)

    def add(self, doc: dict) -> None:
        number = len(self.kinds)
        self.kinds.append(KIND_LETTERS[doc["c"]])
        text = self.files_[f"d/{number}.js"] = _script(f"d{number}", doc)
        self.characters.update(text)
        base = number * 64
        holding = self.holding
        for key, field in entry_keys(doc, self.normaliser).items():
            entries = holding.get(key)
            if entries is None:
                holding[key] = [base, base + field]
                by = shard_key(key)
                self.shard_hash[key] = ("h" if _holds_hanzi(by) else "a", fnv1a(by))
            else:
                entries.append(base - entries[0] + field)
                entries[0] = base
        if doc["c"] in ("programme", "term"):
            self.names.append([number, doc["u"], doc["t"], doc["c"], doc.get("k", []), doc.get("p", [])])

    def files(self, core: dict) -> dict[str, str]:
        """Every file of the index (path under search/ → script text); `core` is what the core file adds."""
        spaces: dict[str, list[tuple[str, int, list[int]]]] = {"h": [], "a": []}
        for key, entries in self.holding.items():
            space, hashed = self.shard_hash[key]
            spaces[space].append((key, hashed, entries[1:]))
        h_count, files = _shards("h", spaces["h"])
        a_count, a_files = _shards("a", spaces["a"])
        files.update(a_files)
        files.update(self.files_)
        files["names.js"] = _script("names", self.names)
        # A digest of every other file: addresses carry it, so a browser never mixes two builds' files.
        digest = hashlib.sha256("".join(files[k] for k in sorted(files)).encode()).hexdigest()[:12]
        # The browser reads a Traditional query as Simplified with this map: every Traditional character whose
        # Simplified form the entries hold (or that they hold themselves).
        full = dict(traditional_characters())
        wanted = self.characters | {full[c] for c in self.characters if c in full}
        t2s = "".join(t + s for t, s in sorted(full.items()) if s in wanted)
        payload = {
            **core,
            "t2s": t2s,
            "n": len(self.kinds),
            "kinds": "".join(self.kinds),
            "shards": {"h": h_count, "a": a_count},
            "version": digest,
        }
        files["index.js"] = _script("index", payload)
        return files


def write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
