"""Which fields can hold a citation, said once, and the one walk over an entry's citations.

The check resolves every citation this walk finds, the open data lists the sources a programme cites from it,
and `new` writes a placeholder citation into each of these fields.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .problems import KeyPath

CITE_LISTS = ("cite", "dates_cite", "mentioned_in")  # lists of source-id#pN or reference ids
CITE_ONE = ("en_source",)  # one reference id, or empty
CITE_FIELDS = frozenset(CITE_LISTS + CITE_ONE)


def model_in(annotation: Any) -> Any:
    """The model class inside an annotation such as `list[Quote]` or `Text | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None


@functools.cache
def cite_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of a model that can hold citations, each with how: "cites" (a list of cite ids),
    "one" (a single reference id), "nested" (a model or a list of models). The others are never walked."""
    found = []
    for name, info in model.model_fields.items():
        if name in CITE_LISTS:
            found.append((name, "cites"))
        elif name in CITE_ONE:
            found.append((name, "one"))
        elif model_in(info.annotation) is not None:
            found.append((name, "nested"))
    return tuple(found)


def walk_cites(entry: BaseModel, key: KeyPath = ()) -> Iterator[tuple[KeyPath, str, str]]:
    """(where, field, citation) for every citation in an entry, in the order of its fields."""
    for name, how in cite_fields(type(entry)):
        value = getattr(entry, name)
        if how == "cites":
            for i, cite in enumerate(value):
                yield key + (name, i), name, cite
        elif how == "one":
            if value:
                yield key + (name,), name, value
        elif isinstance(value, BaseModel):
            yield from walk_cites(value, key + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk_cites(item, key + (name, i))


def all_cites(entry: BaseModel) -> list[str]:
    """Every source-id#pN and reference id an entry cites for its facts (not the sources of English names)."""
    return [cite for _, name, cite in walk_cites(entry) if name not in CITE_ONE]
