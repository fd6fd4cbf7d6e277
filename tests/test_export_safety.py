"""The open data is safe to open elsewhere: a CSV cell that a spreadsheet program would run as a formula is
shown as text, and no JSON the site publishes holds NaN or Infinity (the build stops instead, naming the
value's file and line)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.export import NonFiniteNumber, export_files
from handbook.store import DataInvalid, Handbook, load_handbook

ROOT = Path(__file__).resolve().parent.parent
NOT_FINITE = "is not a finite number: the open data (JSON and CSV) cannot hold NaN or Infinity"

# What a hostile contributor writes into a text field, and the cell a spreadsheet then reads.
FORMULAS = [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("\n=1", "'\n=1"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("  =1+1", "'  =1+1"),  # spaces first: some programs trim them
    ("-", "'-"),
]
HARMLESS = ["安康杯", "1+1", "a=b", "x;=1+1", "'already quoted", "http://example.org/=x", "96%以上", ""]


KINDS = ("programmes", "terms", "laws", "sources", "targets", "references", "categories")


@pytest.fixture(scope="module")
def loaded_book() -> Handbook:
    loaded, problems = load_handbook(ROOT)
    assert not [p for p in problems if p.severity == "error"], problems
    return loaded


@pytest.fixture
def book(loaded_book: Handbook):
    """The real handbook, loaded once; a test replaces entries, and they are put back after it."""
    saved = {kind: dict(getattr(loaded_book, kind)) for kind in KINDS}
    documents = loaded_book.documents
    loaded_book._derived.clear()
    yield loaded_book
    for kind, entries in saved.items():
        setattr(loaded_book, kind, entries)
    loaded_book.documents = documents
    loaded_book._derived.clear()


def _table(files: dict[str, bytes], name: str) -> dict[str, dict[str, str]]:
    """A CSV file as a spreadsheet's import reads it: rows by id, cells by column name."""
    text = files[name].decode("utf-8-sig")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def _set_text(entry, field: str, lang: str, value: str):
    """A copy of an entry with one language of a bilingual field replaced (no validation: the data check's
    rules are not what is tested here)."""
    return entry.model_copy(update={field: getattr(entry, field).model_copy(update={lang: value})})


@pytest.mark.parametrize("value, cell", FORMULAS, ids=[repr(v) for v, _ in FORMULAS])
def test_csv_text_that_a_spreadsheet_would_run_gets_an_apostrophe(book, value, cell):
    programme_id = sorted(book.programmes)[0]
    book.programmes[programme_id] = _set_text(book.programmes[programme_id], "summary", "zh", value)
    files = export_files(book)
    assert _table(files, "programmes.csv")[programme_id]["summary_zh"] == cell
    # The JSON is data, not a spreadsheet: it keeps the text as written.
    assert json.loads(files[f"programmes/{programme_id}.json"])["summary"]["zh"] == value


@pytest.mark.parametrize("value", HARMLESS)
def test_other_text_is_left_as_it_is(book, value):
    programme_id = sorted(book.programmes)[0]
    book.programmes[programme_id] = _set_text(book.programmes[programme_id], "name", "en", value)
    assert _table(export_files(book), "programmes.csv")[programme_id]["name_en"] == value


def test_every_csv_file_is_covered_and_numbers_stay_numbers(book):
    target_id = sorted(t for t in book.targets if book.targets[t].value is not None)[0]
    target = _set_text(book.targets[target_id], "indicator", "en", "@SUM(A1)")
    book.targets[target_id] = target.model_copy(update={"value": -2.5, "value_text": "-2.5"})
    law_id = sorted(book.laws)[0]
    book.laws[law_id] = _set_text(
        _set_text(book.laws[law_id], "issuer", "zh", "+86 10 1234"), "name", "en", 'a,b;=c|"d"\nnext line'
    )
    files = export_files(book)

    target_row = _table(files, "targets.csv")[target_id]
    assert target_row["indicator_en"] == "'@SUM(A1)"
    # `value` is a number column: -2.5 is a number, not a formula, and stays one (written bare, not quoted);
    # `value_text` is text as the source writes it, so it gets the apostrophe.
    assert target_row["value"] == "-2.5" and target_row["value_text"] == "'-2.5"
    assert ',-2.5,"\'-2.5",' in files["targets.csv"].decode("utf-8-sig")
    law_row = _table(files, "laws.csv")[law_id]
    assert law_row["issuer_zh"] == "'+86 10 1234"
    assert law_row["name_en"] == 'a,b;=c|"d"\nnext line'  # separators, quotes and line breaks stay in their cell
    laws = files["laws.csv"].decode("utf-8-sig")
    assert '"a,b;=c|""d""\nnext line"' in laws
    # Every text cell is quoted, so a separator inside one (',' or ';', whichever a program guesses) never
    # starts a new cell.
    header = laws.split("\n", 1)[0]
    assert header == ",".join(f'"{name}"' for name in next(csv.reader(io.StringIO(header))))


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("documents", ["kept", "dropped by the build"])
def test_a_non_finite_number_stops_the_export_with_its_file_and_line(book, number, documents):
    target_id = sorted(t for t in book.targets if book.targets[t].value is not None)[0]
    book.targets[target_id] = book.targets[target_id].model_copy(update={"value": number})
    if documents != "kept":
        book.documents = {}  # as macros/state.py does: the message must still point into the file

    with pytest.raises(NonFiniteNumber) as raised:
        export_files(book)
    assert isinstance(raised.value, DataInvalid)  # so scripts/build_site.py reports it like a data error
    assert str(raised.value) == f"{_where_value(target_id)} {number} {NOT_FINITE}"


def _where_value(target_id: str) -> str:
    """`path:line:col: targets.N.value:` of a target's value, found by reading the file as text."""
    for path in sorted((ROOT / "data" / "targets").glob("*.yml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        ids = [n for n, line in enumerate(lines) if re.match(r"\s*-\s+id:\s", line)]
        for index, start in enumerate(ids):
            if re.match(rf"\s*-\s+id:\s+{re.escape(target_id)}\s*$", lines[start]):
                end = ids[index + 1] if index + 1 < len(ids) else len(lines)
                line = next(n for n in range(start, end) if re.match(r"\s+value:", lines[n]))
                column = len(lines[line]) - len(lines[line].lstrip()) + 1
                return f"data/targets/{path.name}:{line + 1}:{column}: targets.{index}.value:"
    raise AssertionError(f"target {target_id} not found")


def test_the_search_index_refuses_non_finite_numbers(book):
    from macros.search_index import IndexBuilder

    builder = IndexBuilder(book, "zh", True)
    builder.add_page("index.md", "首页", "<h1>首页</h1><p>text</p>")
    assert builder.files()["index.js"].startswith('__handbookSearch("index",{')
    builder.pages["index.md"]["b"] = float("nan")
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        builder.files()


def test_the_build_stops_on_a_non_finite_number_and_keeps_the_site(tmp_path):
    """The whole build, with a target's value turned into NaN after the data check: one clear line, exit 1,
    no traceback, and the site folder is not touched."""
    book, _ = load_handbook(ROOT)
    target_id = sorted(t for t in book.targets if book.targets[t].value is not None)[0]
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)  # a site from before builds published through a link: index.html, en/index.html
    (site / "index.html").write_text("the last good site", encoding="utf-8")
    (site / "en" / "index.html").write_text("the last good site", encoding="utf-8")
    script = f"""
import sys
from scripts import build_site
from macros import state
load = state.handbook
def with_nan(root=state.ROOT):
    book = load(root)
    book.targets[{target_id!r}] = book.targets[{target_id!r}].model_copy(update={{"value": float("nan")}})
    return book
state.handbook = with_nan
sys.exit(build_site.main(["--out", {str(site)!r}]))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().split("\n") == [
        f"{_where_value(target_id)} nan {NOT_FINITE}",
        f"build failed: 1 problem(s); {site} was left unchanged",
    ]
    assert sorted(p.name for p in site.iterdir()) == ["en", "index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the last good site"
