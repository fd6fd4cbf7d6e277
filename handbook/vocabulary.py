"""The Chinese words of the handbook, for search: the browser splits a query such as 孩子上学补助 into words by
looking them up in this list (longest first), so a query of several words finds entries holding most of them.

The words come from jieba's segmentation of every Chinese text in the data (Traditional read as Simplified), with
every name, alias, keyword and synonym added to jieba's dictionary first, so 安康杯 and 金秋助学 stay one word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from pydantic import BaseModel

from .book import Handbook
from .text import bare, to_simplified

_CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")


def _chinese_texts(value) -> Iterator[str]:
    """Every Chinese text in an entry: fields named zh, and the lists of Chinese aliases and keywords."""
    if isinstance(value, BaseModel):
        for name, item in value:
            if name == "zh" and isinstance(item, str):
                yield item
            elif name == "zh" and isinstance(item, list):
                yield from (text for text in item if isinstance(text, str))
            else:
                yield from _chinese_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _chinese_texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _chinese_texts(item)


def named_words(book: Handbook) -> set[str]:
    """Names, aliases, keywords and synonyms: words a query should keep whole."""
    words: set[str] = set()
    for entries in (book.programmes, book.terms, book.laws):
        for entry in entries.values():
            name = entry.term if hasattr(entry, "term") else entry.name
            words.add(bare(name.zh))
            words.update(bare(alias) for alias in entry.aliases.zh)
            words.update(bare(keyword) for keyword in getattr(entry, "keywords", entry.aliases).zh)
    for synonym in book.synonyms.values():
        words.update(synonym.words.zh)
        words.update(synonym.means.zh)
    return {word for word in words if _CHINESE_WORD.fullmatch(word)}


@functools.cache
def _jieba():
    import jieba

    jieba.setLogLevel(60)  # no "Building prefix dict" chatter in the build's output
    return jieba


def search_vocabulary(book: Handbook) -> list[str]:
    """The Chinese words (2 to 8 characters) of the whole handbook, sorted."""
    jieba = _jieba()
    named = named_words(book)
    for word in sorted(named):
        jieba.add_word(word)
    texts: list[str] = []
    for entries in (book.programmes, book.terms, book.laws, book.sources, book.categories):
        for entry in entries.values():
            texts.extend(_chinese_texts(entry))
    texts.extend(paragraph for paragraphs in book.paragraphs.values() for paragraph in paragraphs)
    words = set(named)
    for text in texts:
        words.update(word for word in jieba.cut(to_simplified(text)) if _CHINESE_WORD.fullmatch(word))
    return sorted(words)
