"""Valid HTML (and the handbook's stylesheet): the Nu Html Checker on the built pages, one run for all files.

vnu.jar comes from the npm package vnu-jar, pinned in package.json (`npm ci`; make test does it), and runs on
the system's Java (Debian: default-jre-headless). Errors that Material for MkDocs' own templates write into every
page are allowed, one by one, below; any other error fails with its file, line and message.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.java  # needs a Java runtime: `make test` runs it, `make test-fast` leaves it out
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The same eighteen pages as tests/test_accessibility.py, as files of the built site.
PAGES = [
    "index.html",
    "programmes/ankang-cup/index.html",
    "sources/xinxiang-2015-work-points/index.html",
    "glossary/index.html",
    "targets/index.html",
    "programmes/index.html",
    "timeline/index.html",
    "404.html",
    "changes/index.html",
]
PAGES += ["en/" + page for page in PAGES]
STYLESHEETS = ["assets/handbook.css"]  # the handbook's own CSS (Material's is minified and not ours)


@dataclass(frozen=True)
class Allowed:
    message: str  # regular expression matched against the checker's message
    extract: str  # regular expression that must match the markup the checker quotes, so nothing else slips through
    why: str


# Errors from Material for MkDocs 9.8.1's templates (not from the handbook's overrides, macros or data). Each is
# tied to the exact markup Material writes; re-check this list when Material is upgraded.
MATERIAL_ALLOWED = [
    Allowed(
        r"^Attribute “autocomplete” is only allowed when the input type is ",
        r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" '
        r'autocomplete="off">',
        'base.html: the hidden drawer and search toggles are checkboxes with autocomplete="off", so that '
        "Firefox does not restore them open on Back; the attribute is ignored, harmless.",
    ),
    Allowed(
        r"^Bad value “” for attribute “tabindex” on element “label”",
        r'<label class="md-nav__link[^"]*" for="__nav_[0-9_]+" id="__nav_[0-9_]+_label" tabindex="">',
        'partials/nav-item.html writes tabindex="{{ tabindex }}" and leaves it empty for section headings '
        "(theme feature navigation.sections); browsers ignore the empty value, so headings stay unfocusable "
        "as intended.",
    ),
    Allowed(
        r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
        r'<label class="md-nav__title" for="__toc">',
        "partials/toc.html always writes the table of contents' title as a label for the __toc checkbox, which "
        "partials/nav-item.html renders only for pages in the navigation; programme and source pages are "
        "deliberately not_in_nav, so the label points nowhere (it only folds the TOC on phones).",
    ),
]


def _allowed(message: dict) -> Allowed | None:
    for rule in MATERIAL_ALLOWED:
        if re.search(rule.message, message.get("message", "")) and re.search(rule.extract, message.get("extract", "")):
            return rule
    return None


@pytest.fixture(scope="module")
def vnu_messages(site: Path) -> list[dict]:
    """Every message of one checker run over the ten pages and the stylesheet."""
    java = shutil.which("java")
    if not java:
        pytest.fail(
            "java is not installed, and the Nu Html Checker (vnu.jar) needs it: install Debian's "
            "default-jre-headless (`sudo apt-get install default-jre-headless`)"
        )
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: run `npm ci` at the repository root (make test does it)")
    files = [site / page for page in PAGES] + [site / css for css in STYLESHEETS]
    missing = [str(f.relative_to(site)) for f in files if not f.is_file()]
    assert not missing, f"pages missing from the built site: {missing}"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", "--also-check-css", *map(str, files)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu.jar gave no JSON report (exit {result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    for message in report["messages"]:
        url = message.get("url", "")
        message["file"] = url[url.index(str(site)) + len(str(site)) + 1 :] if str(site) in url else url
    return report["messages"]


def _where(message: dict) -> str:
    return f"{message['file']}:{message.get('lastLine', message.get('firstLine', '?'))}"


def test_vnu_checked_every_file(vnu_messages):
    # A file the checker could not read or parse comes back as a non-document error, not as a page error.
    broken = [m for m in vnu_messages if m.get("type") == "non-document-error"]
    assert not broken, "\n".join(f"{_where(m)}: {m.get('message')}" for m in broken)


def test_built_pages_and_stylesheet_are_valid(vnu_messages):
    errors = [m for m in vnu_messages if m.get("type") == "error" and not _allowed(m)]
    if errors:
        listed = "\n".join(f"{_where(m)}: {m['message']}\n    {' '.join(m.get('extract', '').split())}" for m in errors)
        pytest.fail(
            f"{len(errors)} error(s) from the Nu Html Checker that Material does not explain:\n{listed}", pytrace=False
        )


def test_material_allow_list_is_still_needed(vnu_messages):
    """An allowed error that no longer occurs (Material fixed it, or the page changed) should leave the list."""
    used = {id(_allowed(m)) for m in vnu_messages if m.get("type") == "error" and _allowed(m)}
    stale = [rule.message for rule in MATERIAL_ALLOWED if id(rule) not in used]
    assert not stale, f"allow-list entries that match nothing any more, remove them: {stale}"
