"""The handbook's own search index, one per language, written as script files under search/ (split into
shards by search_shards.py) so it also loads from disk (file://), where fetched JSON would not.

What it adds over Material's lunr index: every programme, term, law and document carries its names and
aliases in both languages, their pinyin and initials, and document numbers; Traditional text is stored as
Simplified once, with a character map that lets a Traditional query be read as Simplified in the browser.
Matching happens in assets/search.js by substring, so any part of a Chinese word finds it."""

from __future__ import annotations

import gc
import json
import re
import time
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handbook.store import Handbook
from handbook.text import pinyin_keys, remember_pinyin, to_simplified
from handbook.vocabulary import search_vocabulary

from .labels import label
from .render import page_url
from .search_shards import KIND_LETTERS, IndexWriter, write_files

if TYPE_CHECKING:
    from .search_worker import IndexWorker

# Pages and sections that only repeat what other results already hold (lists of names, the pending list).
UNINDEXED_SECTIONS = {"related", "sources"}
BOOST = {"programme": 30, "term": 20, "law": 15, "source": 10, "page": 0}
SEARCH_LABELS = ("programme", "term", "law", "source", "page", "suggest", "browse")
_SKIP_TAGS = {"script", "style", "svg", "button", "form"}  # form: the programme list's filter
# hb-history: an entry's change history says "修改概要" of every entry alike; it would rank pages by their edits.
_SKIP_CLASSES = {"headerlink", "hb-cites", "hb-para-num", "hb-citations", "hb-actions", "hb-history"}


_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"  # comments, doctype: nothing to index
    r"|<(script|style)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\1\s*>"  # skipped with what they hold
    r"|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"  # a start or end tag
    r"|([^<]+|<)",
    re.DOTALL | re.IGNORECASE,
)  # text
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_VOID = {"br", "img", "input", "hr", "meta", "link"}
_BREAKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h3", "figcaption", "blockquote"}


def page_sections(html: str) -> list[list[str]]:
    """Split a page's HTML into (anchor, heading, text) at each <h2>, leaving out permalinks, citation marks
    and what _SKIP_TAGS and _SKIP_CLASSES name. (A regular-expression scan: the build's HTML is well formed,
    and html.parser took a tenth of the build.)"""
    sections: list[list[str]] = [["", "", ""]]
    skip_depth, stack, in_heading = 0, [], False
    for match in _TOKEN.finditer(html):
        text = match.group(5)
        if text is not None:
            if not skip_depth:
                sections[-1][1 if in_heading else 2] += unescape(text)
            continue
        name = match.group(3)
        if name is None:
            continue  # a comment, a doctype, or a skipped script or style
        name = name.lower()
        closing, self_closing = bool(match.group(2)), match.group(4).rstrip().endswith("/")
        if not closing:
            attributes = {
                key.lower(): unescape(double or single or unquoted)
                for key, double, single, unquoted in _ATTRIBUTE.findall(match.group(4))
            }
            classes = set((attributes.get("class") or "").split())
            skip = name in _SKIP_TAGS or bool(classes & _SKIP_CLASSES)
            if name not in _VOID:
                stack.append(skip)
                skip_depth += skip
            if name == "h2" and not skip_depth:
                sections.append([attributes.get("id") or "", "", ""])
                in_heading = True
        if closing or self_closing:
            if name in _VOID or not stack:
                continue
            skip_depth -= stack.pop()
            if name == "h2":
                in_heading = False
            elif name in _BREAKS:
                sections[-1][2] += " "
    tidy = [[a, " ".join(h.split()), " ".join(t.split())] for a, h, t in sections]
    return [s for s in tidy if s[1] or s[2]]


_HANZI = re.compile(r"[\u4e00-\u9fff]")


def _keys(*bilinguals, aliases=None) -> list[str]:
    """The names a search matches an entry by: each bilingual text in both languages, then the aliases."""
    keys: list[str] = []
    for text in bilinguals:
        keys += [text.zh, text.en]
    if aliases is not None:
        keys += list(aliases.zh) + list(aliases.en)
    return list(dict.fromkeys(k for k in keys if k))


def _named(book: Handbook):
    """(bilingual texts, aliases) of every entry the index names."""
    for entry in list(book.programmes.values()) + list(book.laws.values()):
        yield (entry.name,), entry.aliases
    for term in book.terms.values():
        yield (term.term,), term.aliases
    for source in book.sources.values():
        yield (source.title, source.short), None


# Set by the site build (scripts/language_builds.py): each language's index is built by a worker process while
# its pages render (search_worker.py). Off elsewhere (mkdocs serve, tests, systems without fork).
STREAM_PAGES = False
PINYIN_WAIT_SECONDS = 120
_pinyin_file: Path | None = None
_vocabulary: list[str] | None = None  # computed by the helper process, or here on first use


def expect_pinyin(path: Path | None) -> None:
    """The index reads pinyin from `path`, which another process writes (or `path`.failed if it could not), and
    the glossary its order from the file beside it (term_order_file); None: compute them here."""
    global _pinyin_file, _term_pinyin_file, _term_pinyin
    _pinyin_file = _term_pinyin_file = path
    _term_pinyin = None


def term_order_file(path: Path) -> Path:
    return path.with_name("term-pinyin.json")


_term_pinyin_file: Path | None = None
_term_pinyin: dict[str, str] | None = None


def _wait_for(path: Path, failed: Path) -> bool:
    deadline = time.monotonic() + PINYIN_WAIT_SECONDS
    while not path.exists() and not failed.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    return path.exists()


def glossary_pinyin(book: Handbook) -> dict[str, str]:
    """Each term's Chinese name in pinyin (jinqiuzhuxue), the Chinese glossary's order. The helper process writes
    it first of all, so a language's build rarely waits for it."""
    global _term_pinyin
    if _term_pinyin is None:
        if _term_pinyin_file is not None:
            terms = term_order_file(_term_pinyin_file)
            if _wait_for(terms, _term_pinyin_file.with_suffix(".failed")):
                _term_pinyin = json.loads(terms.read_text(encoding="utf-8"))
        if _term_pinyin is None:
            _term_pinyin = _terms_in_pinyin(book)
    return _term_pinyin


def _terms_in_pinyin(book: Handbook) -> dict[str, str]:
    return {term.id: (pinyin_keys(term.term.zh) or ("",))[0] for term in book.terms.values()}


def _take_pinyin() -> None:
    global _pinyin_file
    if _pinyin_file is None:
        return
    path, failed, _pinyin_file = _pinyin_file, _pinyin_file.with_suffix(".failed"), None
    if _wait_for(path, failed):
        global _vocabulary
        known = json.loads(path.read_text(encoding="utf-8"))
        remember_pinyin(known["pinyin"])
        _vocabulary = known["vocabulary"]
    # otherwise pinyin_keys() and search_vocabulary() compute what they need here


def write_pinyin(book: Handbook, path: Path) -> int:
    """Compute the pinyin of every name and the Chinese vocabulary (run by the build in a process beside the
    languages' builds)."""
    try:
        _write_whole(term_order_file(path), _terms_in_pinyin(book))  # first: the glossary's order
        known = {
            "pinyin": {text: pinyin_keys(text) for text in pinyin_wanted(book)},
            "vocabulary": search_vocabulary(book),
        }
        _write_whole(path, known)
        return 0
    except Exception:
        path.with_suffix(".failed").touch()
        raise


def _write_whole(path: Path, data) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    partial.replace(path)  # appears whole or not at all


def pinyin_wanted(book: Handbook) -> list[str]:
    """Every Chinese name whose pinyin the indexes hold."""
    wanted = {key for texts, aliases in _named(book) for key in _keys(*texts, aliases=aliases) if _HANZI.search(key)}
    return sorted(wanted)


class IndexBuilder:
    """Collects one language's pages during a build and writes its index at the end. With `stream()`, a forked
    process (search_worker.py) reads each page and extracts its keys while the next pages are rendered."""

    def __init__(self, book: Handbook, lang: str, use_directory_urls: bool):
        self.book, self.lang, self.use_directory_urls = book, lang, use_directory_urls
        self.pages: dict[str, dict] = {}
        self.entries: dict[str, tuple[str, str]] = {}  # page path -> (programme or law, its id)
        self.worker: IndexWorker | None = None  # when streaming

    def stream(self) -> None:
        """Hand the pages to a process of their own from now on (the build calls this; see search_worker)."""
        from .search_worker import IndexWorker

        self.worker = IndexWorker(self)

    def add_page(self, src_uri: str, title: str, html: str, record=None) -> None:
        """A built page; `record` is its pages.PageRecord if it was generated from data (None: docs/)."""
        if record is not None and record.search != "html":
            return  # left out, or built from data below (one result per term, one section per paragraph)
        entry = (record.kind, record.entry_id) if record is not None and record.kind in ("programme", "law") else None
        if self.worker is not None:
            self.worker.send((src_uri, title, html, entry))
        else:
            self.take_page(src_uri, title, html, entry)

    def take_page(self, src_uri: str, title: str, html: str, entry: tuple[str, str] | None) -> dict:
        """Index one page; returns its entry in the index."""
        sections = [s for s in page_sections(html) if s[0] not in UNINDEXED_SECTIONS]
        self.pages[src_uri] = {
            "u": page_url(src_uri, self.use_directory_urls),
            "t": unescape(title),
            "s": sections,
            "b": 0,
        }
        if entry is not None:
            self.entries[src_uri] = entry
        return self.page_document(src_uri)

    def _names(self, *bilinguals, aliases=None) -> tuple[list[str], list[str]]:
        keys = _keys(*bilinguals, aliases=aliases)
        pinyin = list(dict.fromkeys(p for k in keys if _HANZI.search(k) for p in pinyin_keys(k)))
        return keys, pinyin

    def page_document(self, src_uri: str) -> dict:
        _take_pinyin()
        book = self.book
        doc = dict(self.pages[src_uri])
        kind, entry_id = self.entries.get(src_uri, ("", ""))
        entries: dict[str, dict[str, Any]] = {"programme": book.programmes, "law": book.laws}
        entry = entries.get(kind, {}).get(entry_id)
        doc["c"] = kind or "page"
        if entry is not None:
            doc["k"], doc["p"] = self._names(entry.name, aliases=entry.aliases)
            doc["b"] = BOOST[kind]
            keywords = getattr(entry, "keywords", None)
            if keywords is not None and (keywords.zh or keywords.en):
                doc["w"] = list(keywords.zh) + list(keywords.en)
        return doc

    def data_documents(self) -> list[dict]:
        """The entries built from data rather than pages: one per glossary term, one per source document."""
        _take_pinyin()
        book, lang = self.book, self.lang
        docs = []
        glossary = page_url("glossary.md", self.use_directory_urls)
        for term in book.terms.values():
            keys, pinyin = self._names(term.term, aliases=term.aliases)
            docs.append(
                {
                    "u": f"{glossary}#{term.id}",
                    "t": getattr(term.term, lang),
                    "k": keys,
                    "p": pinyin,
                    "s": [["", "", getattr(term.definition, lang)]],
                    "b": BOOST["term"],
                    "c": "term",
                    **(
                        {"w": list(term.keywords.zh) + list(term.keywords.en)}
                        if term.keywords.zh or term.keywords.en
                        else {}
                    ),
                }
            )
        for source in book.sources.values():
            keys, pinyin = self._names(source.title, source.short)
            keys += [k for k in (source.title_original, source.doc_number) if k]
            paragraphs = [
                [f"p{n}", label("paragraph", lang, n=n), to_simplified(text)]
                for n, text in enumerate(book.paragraphs[source.id], 1)
            ]
            docs.append(
                {
                    "u": page_url(f"sources/{source.id}.md", self.use_directory_urls),
                    "t": getattr(source.title, lang),
                    "k": keys,
                    "p": pinyin,
                    "s": paragraphs,
                    "b": BOOST["source"],
                    "c": "source",
                }
            )
        return docs

    def documents(self) -> list[dict]:
        """Every entry of the index, in the order the streaming worker takes them (the data's, then pages)."""
        return self.data_documents() + [self.page_document(src_uri) for src_uri in self.pages]

    def core(self) -> dict:
        """What every search needs, besides the keys and the entries (see search_shards)."""
        global _vocabulary
        _take_pinyin()
        if _vocabulary is None:
            _vocabulary = search_vocabulary(self.book)
        book, lang = self.book, self.lang
        return {
            "lang": lang,
            "vocab": _vocabulary,
            # Everyday words and the handbook's words they stand for (data/synonyms.yml).
            "syn": [[[*s.words.zh, *s.words.en], [*s.means.zh, *s.means.en]] for s in book.synonyms.values()],
            # Where to go when nothing is found: the categories, and the labels results show.
            "cats": [
                [
                    getattr(category.name, lang),
                    page_url("programmes/index.md", self.use_directory_urls) + "#" + category.id,
                ]
                for category in book.categories.values()
            ],
            "ui": {key: label(f"search.{key}", lang) for key in SEARCH_LABELS},
            "boost": {KIND_LETTERS[kind]: boost for kind, boost in BOOST.items()},
        }

    def files(self) -> dict[str, str]:
        """Every file of this language's index, path under search/ → script text (see search_shards)."""
        collecting = gc.isenabled()
        gc.disable()  # many small objects at once: the collector would rescan them again and again
        try:
            writer = IndexWriter()
            for doc in self.documents():
                writer.add(doc)
            return writer.files(self.core())
        finally:
            if collecting:
                gc.enable()

    def write(self, folder: Path) -> None:
        """Write the index into `folder` (the language's search/), by the streaming process if there is one."""
        if self.worker is not None:
            self.worker.finish(folder)
            return
        write_files(folder, self.files())
