"""The data check: every kind of broken file is rejected with a message naming file, line and what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from invalid_files import EXPECTED, INVALID, place_fixture

from handbook.cli import main
from handbook.store import load_handbook


def test_every_fixture_has_an_expected_message():
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_is_rejected_with_file_line_and_advice(name, data_copy, capsys):
    place_fixture(data_copy, name)
    code = main(["--root", str(data_copy), "check"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[:-1] == [EXPECTED[name]]
    assert err[-1].startswith("check failed: 1 error(s)")


def test_real_data_passes(capsys):
    assert main(["check"]) == 0, capsys.readouterr().err
    assert "check passed" in capsys.readouterr().out


def test_all_errors_are_reported_in_one_run(data_copy, capsys):
    for name in ("programme_unknown_key.yml", "term_unknown_see_also.yml"):
        place_fixture(data_copy, name)
    shutil.copy(INVALID / "programme_bom.yml", data_copy / "data" / "programmes" / "y.yml")
    assert main(["--root", str(data_copy), "check"]) == 1
    err = capsys.readouterr().err
    assert "data/programmes/x.yml:31:1: start_year:" in err
    assert "data/terms/x.yml:9:12: see_also.0:" in err
    assert "data/programmes/y.yml:1:1: file starts with a byte-order mark" in err


def _append_reference(project: Path, entry: str) -> None:
    path = project / "data" / "references.yml"
    text = path.read_text(encoding="utf-8")
    if "references: []" in text:
        text = text.replace("references: []", "references:")
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def test_reference_with_script_url_is_rejected(data_copy):
    _append_reference(
        data_copy,
        '  - id: evil\n    title: t\n    publisher: p\n    url: "javascript:alert(1)"\n    accessed: "2026-11-21"\n',
    )
    _, problems = load_handbook(data_copy)
    last = _count_refs(data_copy) - 1
    assert [f"{p.key}: {p.message}" for p in problems if p.severity == "error"] == [
        f"references.{last}.url: must be an http:// or https:// address without spaces"
    ]


def test_reference_reusing_a_source_id_is_rejected(data_copy):
    _append_reference(
        data_copy,
        '  - id: xinxiang-2015-work-points\n    title: t\n    publisher: p\n    url: "https://example.org/"\n    accessed: "2026-11-21"\n',
    )
    _, problems = load_handbook(data_copy)
    messages = [p.message for p in problems if p.severity == "error"]
    assert messages == ["id 'xinxiang-2015-work-points' is already a source id: cite ids must be unique"]


def _count_refs(project: Path) -> int:
    from handbook.yamlio import load_yaml

    return len(load_yaml(project / "data" / "references.yml").data["references"])


def test_source_paragraph_edited_away_from_its_seed_is_caught(data_copy):
    text = data_copy / "data" / "sources" / "xinxiang-2015-work-points.txt"
    lines = text.read_text(encoding="utf-8").split("\n")
    lines[7] = lines[7].replace("20家", "30家")
    text.write_text("\n".join(lines), encoding="utf-8")
    _, problems = load_handbook(data_copy)
    located = [f"{p.path}:{p.line}: {p.message}" for p in problems if p.severity == "error"]
    assert (
        "data/sources/xinxiang-2015-work-points.txt:8: paragraph 8 differs from the seed text of p8 "
        "(003_589617b821fc1365.txt line 9) after '年內全縣參賽企業新增': the seed has '20家。', the paragraph has "
        "'30家。'; copy the seed's wording exactly" in located
    )


def test_every_quotation_in_the_handbook_occurs_in_its_paragraph():
    book, problems = load_handbook(ROOT)
    assert not [p for p in problems if p.severity == "error"]
    quotes = [(q, pid) for pid, p in book.programmes.items() for q in p.quotes]
    assert len(quotes) >= 10
    for quote, programme_id in quotes:
        assert quote.text in book.paragraphs[quote.source][quote.paragraph - 1], programme_id


def test_a_broken_source_file_is_one_error_not_one_per_citation(data_copy, capsys):
    source = data_copy / "data" / "sources" / "xinxiang-2015-work-points.yml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("level: county", "level: county: yes"), encoding="utf-8"
    )
    assert main(["--root", str(data_copy), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == [
        "data/sources/xinxiang-2015-work-points.yml:18:14: YAML syntax error: mapping values are not "
        "allowed in this context (a value containing ': ' must be put in quotes)"
    ]


def test_entries_not_reviewed_for_too_long_are_warned_about_not_failed(capsys):
    import datetime as dt

    from handbook.cli import stale_reviews
    from handbook.store import load_handbook as load

    book, _ = load(ROOT)
    warnings = stale_reviews(book, 30, today=dt.date(2030, 1, 1))
    assert len(warnings) == len(book.programmes) + len(book.terms) + len(book.laws) + len(book.sources)
    first = str(sorted(warnings, key=str)[0])
    assert (
        first.startswith("data/laws/") and ": warning: reviewed: last reviewed 2026-11-21 by initial-curation" in first
    )
    assert main(["check", "--max-age-days", "0"]) == 0  # warnings do not fail the check


def test_a_50_mb_file_is_refused_before_it_is_read(data_copy, capsys):
    huge = data_copy / "data" / "programmes" / "x.yml"
    with huge.open("w", encoding="utf-8") as out:
        out.write("id: x\nnotes: |\n")
        line = "  " + "很长的文字" * 100 + "\n"
        for _ in range(50 * 1024 * 1024 // len(line.encode())):
            out.write(line)
    assert main(["--root", str(data_copy), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("data/programmes/x.yml:1:1: file is 50.0 MB; a data file may be at most 2 MB")


def test_a_synonym_without_the_words_it_stands_for_is_refused_with_its_line(data_copy, capsys):
    path = data_copy / "data" / "synonyms.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - id: broken\n    words: {zh: [加班], en: [overtime]}\n", encoding="utf-8")
    line = text.count("\n") + 1
    assert main(["--root", str(data_copy), "check"]) == 1
    err = capsys.readouterr().err
    assert (
        f"data/synonyms.yml:{line}:5: synonyms.{text.count('  - id:')}.means: required field 'means' is missing: add it"
        in err
    )


def test_a_keyword_in_english_written_in_chinese_is_not_an_english_text_error(data_copy, capsys):
    """Keywords and aliases are what readers type: the English check leaves them alone."""
    path = data_copy / "data" / "programmes" / "ankang-cup.yml"
    text = path.read_text(encoding="utf-8")
    assert "\n  en: [workplace safety," in text
    path.write_text(
        text.replace("\n  en: [workplace safety,", "\n  en: [安全 safety, workplace safety,", 1), encoding="utf-8"
    )
    assert main(["--root", str(data_copy), "check"]) == 0
