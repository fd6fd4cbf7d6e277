"""The field types the models are built of: ids, citations, dates, texts and addresses, with their length limits
and the checks a pattern cannot express (Windows device names, text made only of invisible characters, real dates).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from .problems import describe_char

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CITE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:#p[1-9][0-9]*)?$"
DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"

# Length limits, in characters, with generous room over the longest real value (measured on the data, in brackets):
# they keep a runaway value (a 1.9 MB alias made both search indexes ten times larger) out of pages and indexes.
ID_MAX = 100  # (58) an id is a file name and part of an address: <id>.yml, <id>.json and <id>.html must fit the
#               255 bytes a file name may have on every file system, with room for a redirect's folder
NAME_MAX = 400  # (208) names, titles, labels, publishers: one line
ALIAS_MAX = 150  # (70) an alias or keyword
ALIASES_MAX = 50  # (28) aliases per language
TEXT_MAX = 5_000  # (926) summaries, definitions, notes, quotations
URL_MAX = 2_000  # (134) what every browser and server accepts
HANDLE_MAX = 64  # (16)

# Windows cannot create a file or folder with these names, whatever the extension: con.yml could not be checked
# out there, nor could programmes/con/ be published.
WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))]
)

# Characters that show nothing: a text made only of them (and spaces) looks empty on the page.
INVISIBLE = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u2800"
    "\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f"
    "\ufeff\uffa0"
)
_ONLY_INVISIBLE = re.compile(f"[\\s{INVISIBLE}]*")


def _not_device_name(value: str) -> str:
    if value in WINDOWS_DEVICE_NAMES:
        raise ValueError(
            f"'{value}' is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9), which cannot "
            "be a file name there: choose another id"
        )
    return value


Id = Annotated[str, StringConstraints(max_length=ID_MAX, pattern=ID_PATTERN)]
EntryId = Annotated[Id, AfterValidator(_not_device_name)]  # an id that names a file, a page or an anchor
Cite = Annotated[str, StringConstraints(max_length=ID_MAX + 12, pattern=CITE_PATTERN)]


def _not_blank(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise ValueError("must not be empty")
    if stripped[0] in INVISIBLE and _ONLY_INVISIBLE.fullmatch(stripped):
        invisible = next(c for c in stripped if c in INVISIBLE)
        raise ValueError(f"holds only invisible characters, such as {describe_char(invisible)}: write the text")
    return value


def _partial_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date ({exc})") from None
    if parts[0] > dt.date.today().year:
        raise ValueError(f"year {parts[0]} is in the future")
    return value


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise ValueError("must be an http:// or https:// address without spaces")
    return value


NonEmpty = Annotated[str, StringConstraints(max_length=TEXT_MAX), AfterValidator(_not_blank)]
Line = Annotated[str, StringConstraints(max_length=NAME_MAX), AfterValidator(_not_blank)]  # a name or title
Alias = Annotated[str, StringConstraints(max_length=ALIAS_MAX), AfterValidator(_not_blank)]
PartialDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_partial_date)]
HttpUrl = Annotated[str, StringConstraints(max_length=URL_MAX), AfterValidator(_http_url)]
