"""How a finding about a data file is reported: Problem (`path:line:col: key.path: message`), and how text from data
is named and shown in a message, so that no control character or bidirectional mark reaches a terminal raw."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]

# Characters refused in data: C0 controls but tab and line feed (a carriage return only before a line feed), DEL,
# C1 controls, line and paragraph separators (YAML reads them as line breaks), and the bidirectional marks,
# embeddings, overrides and isolates that make text display in another order than it is stored.
_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNPRINTABLE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI_AND_SEPARATORS  # a character class's contents
_UNPRINTABLE = re.compile(f"[{UNPRINTABLE_CHARS}]")  # one pass over each file; a \r before \n is let through later
_UNPRINTABLE_NOT_CRLF = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI_AND_SEPARATORS}]|\\r(?!\\n)")
_CONTROL_NAMES = dict(
    enumerate(
        (
            "NULL",
            "START OF HEADING",
            "START OF TEXT",
            "END OF TEXT",
            "END OF TRANSMISSION",
            "ENQUIRY",
            "ACKNOWLEDGE",
            "BELL",
            "BACKSPACE",
            "CHARACTER TABULATION",
            "LINE FEED",
            "LINE TABULATION",
            "FORM FEED",
            "CARRIAGE RETURN",
            "SHIFT OUT",
            "SHIFT IN",
            "DATA LINK ESCAPE",
            "DEVICE CONTROL ONE",
            "DEVICE CONTROL TWO",
            "DEVICE CONTROL THREE",
            "DEVICE CONTROL FOUR",
            "NEGATIVE ACKNOWLEDGE",
            "SYNCHRONOUS IDLE",
            "END OF TRANSMISSION BLOCK",
            "CANCEL",
            "END OF MEDIUM",
            "SUBSTITUTE",
            "ESCAPE",
            "INFORMATION SEPARATOR FOUR",
            "INFORMATION SEPARATOR THREE",
            "INFORMATION SEPARATOR TWO",
            "INFORMATION SEPARATOR ONE",
        )
    )
)
_CONTROL_NAMES[0x7F] = "DELETE"
_CONTROL_NAMES.update(
    enumerate(
        (
            "PADDING CHARACTER",
            "HIGH OCTET PRESET",
            "BREAK PERMITTED HERE",
            "NO BREAK HERE",
            "INDEX",
            "NEXT LINE",
            "START OF SELECTED AREA",
            "END OF SELECTED AREA",
            "CHARACTER TABULATION SET",
            "CHARACTER TABULATION WITH JUSTIFICATION",
            "LINE TABULATION SET",
            "PARTIAL LINE FORWARD",
            "PARTIAL LINE BACKWARD",
            "REVERSE LINE FEED",
            "SINGLE SHIFT TWO",
            "SINGLE SHIFT THREE",
            "DEVICE CONTROL STRING",
            "PRIVATE USE ONE",
            "PRIVATE USE TWO",
            "SET TRANSMIT STATE",
            "CANCEL CHARACTER",
            "MESSAGE WAITING",
            "START OF GUARDED AREA",
            "END OF GUARDED AREA",
            "START OF STRING",
            "SINGLE GRAPHIC CHARACTER INTRODUCER",
            "SINGLE CHARACTER INTRODUCER",
            "CONTROL SEQUENCE INTRODUCER",
            "STRING TERMINATOR",
            "OPERATING SYSTEM COMMAND",
            "PRIVACY MESSAGE",
            "APPLICATION PROGRAM COMMAND",
        ),
        0x80,
    )
)


def describe_char(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how a message names a character."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def unprintable_message(char: str) -> str:
    return f"contains {describe_char(char)}, a control character: remove it"


def find_unprintable(text: str) -> re.Match | None:
    """The first character of text that data must not contain (a carriage return only where no line feed follows)."""
    if _UNPRINTABLE.search(text) is None:  # the single character class is the fast path: most files stop here
        return None
    return _UNPRINTABLE_NOT_CRLF.search(text)


def replace_unprintable(text: str, marker: str) -> str:
    """Text with each character find_unprintable would find replaced by `marker`."""
    return _UNPRINTABLE_NOT_CRLF.sub(marker, text)


_SHOWN = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI_AND_SEPARATORS}]")


def shown(text: str) -> str:
    """Text as a terminal may print it: control characters and bidirectional marks written as escapes (\\x1b)."""
    if not _SHOWN.search(text):
        return text
    return _SHOWN.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def short(text: str, size: int = 40) -> str:
    """Data text quoted in a message, cut short: a message is one line however long the value."""
    return text if len(text) <= size else text[:size] + "…"


def dotted(key: KeyPath) -> str:
    return ".".join(str(k) for k in key)


@dataclass(frozen=True)
class Problem:
    """One finding about a data file, printed as `path:line:col: key.path: message`."""

    path: str
    line: int
    col: int
    key: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        # Path, key and message can carry text from data: never let it reach a terminal as escape sequences.
        where = f"{shown(self.path)}:{self.line}:{self.col}"
        key = f" {shown(short(self.key, 200))}:" if self.key else ""  # a key from data may be any length
        label = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{label}{key} {shown(self.message)}"


class YamlError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
