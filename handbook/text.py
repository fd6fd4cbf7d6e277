"""Chinese text helpers shared by the checks, the site and the search index."""

from __future__ import annotations

import functools

import opencc


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional characters to Simplified (OpenCC's t2s); Simplified text is returned unchanged."""
    return _t2s().convert(text)


def bare(name: str) -> str:
    """A name without the quotation marks the documents put around programme names (“安康杯” → 安康杯)."""
    return name.replace("“", "").replace("”", "").replace('"', "").strip()


_known_pinyin: dict[str, tuple[str, ...]] = {}  # computed elsewhere (see remember_pinyin)


def remember_pinyin(known: dict[str, list[str]]) -> None:
    """Take pinyin_keys() results computed by another process (the site build computes them beside MkDocs)."""
    _known_pinyin.update((text, tuple(keys)) for text, keys in known.items())


def pinyin_keys(text: str) -> tuple[str, ...]:
    """Full pinyin without spaces and its initials, for the Chinese characters in `text` (安康杯 → ankangbei, akb)."""
    known = _known_pinyin.get(text)
    return known if known is not None else _pinyin_keys(text)


@functools.cache
def _pinyin_keys(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    hanzi = "".join(ch for ch in bare(text) if "\u4e00" <= ch <= "\u9fff")
    if not hanzi:
        return ()
    return ("".join(lazy_pinyin(hanzi)), "".join(lazy_pinyin(hanzi, style=Style.FIRST_LETTER)))


@functools.lru_cache(maxsize=1)
def traditional_characters() -> tuple[tuple[str, str], ...]:
    """Every CJK character that OpenCC's t2s changes, with its Simplified form."""
    candidates = [chr(code) for code in range(0x4E00, 0xA000)]
    converted = to_simplified("\n".join(candidates)).split("\n")
    return tuple((t, s) for t, s in zip(candidates, converted, strict=False) if t != s)


def traditional_map(simplified_chars: set[str]) -> dict[str, str]:
    """Traditional → Simplified for every CJK character whose Simplified form is in `simplified_chars`:
    all a query needs to be read as Simplified against this corpus (OpenCC's t2s, one character at a time)."""
    return {t: s for t, s in traditional_characters() if s in simplified_chars}
