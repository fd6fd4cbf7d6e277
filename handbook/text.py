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
    return name.replace("“", "").replace("”", "").replace("\"", "").strip()
