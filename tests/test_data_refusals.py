"""Hostile data that one fixture file cannot express (links, pipes, folders, devices, file names, several files),
and the lists the id check keeps of what the site already uses, checked against the site's own code.
Each test states the exact message a maintainer sees."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SEEDS

from handbook.cli import github_annotation, main
from handbook.problems import Problem
from handbook.store import ANCHOR_PREFIXES, FIXED_ANCHORS, LIST_PAGES, load_handbook
from handbook.yaml_loaders import MAX_DEPTH

INVALID = FIXTURES / "invalid"
PROGRAMME = (
    (INVALID / "programme_empty_translation.yml")
    .read_text(encoding="utf-8")
    .replace('en: "  "', "en: Test programme", 1)
)
TERM = (INVALID / "term_unknown_see_also.yml").read_text(encoding="utf-8").replace("see_also: [no-such-term]\n", "")
LAW = (INVALID / "law_dates_without_source.yml").read_text(encoding="utf-8").replace('adopted: "1994-07-05"\n', "")
SOURCE = (INVALID / "source_doc_number_brackets.yml").read_text(encoding="utf-8")
TEXT = "xinxiang-2015-work-points.txt"


def check(project: Path, capsys) -> list[str]:
    """The check's error lines (without the summary), after asserting that it failed."""
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("check failed:")
    return err[:-1]


def entry(kind: str, entry_id: str) -> str:
    """A valid entry of a kind, with the given id."""
    text = {"programmes": PROGRAMME, "terms": TERM, "laws": LAW}[kind]
    return text.replace("id: x\n", f"id: {entry_id}\n", 1)


# --- containment: only regular files inside the repository are read ----------------------------------------------

LINK = ": data files must be regular files inside the repository; put the file itself here"


def test_a_data_file_linked_to_the_process_environment_is_refused_unread(data_copy, capsys):
    (data_copy / "data" / "programmes" / "leak.yml").symlink_to("/proc/self/environ")
    assert check(data_copy, capsys) == [f"data/programmes/leak.yml:1:1: is a symbolic link to /proc/self/environ{LINK}"]


def test_a_relative_link_out_of_the_repository_is_refused(data_copy, capsys):
    outside = data_copy.parent / "outside.yml"
    outside.write_text(entry("terms", "outside"), encoding="utf-8")
    (data_copy / "data" / "terms" / "outside.yml").symlink_to("../../../outside.yml")
    assert check(data_copy, capsys) == [f"data/terms/outside.yml:1:1: is a symbolic link to ../../../outside.yml{LINK}"]


def test_a_link_to_a_link_and_a_link_inside_the_repository_are_refused(data_copy, capsys):
    (data_copy / "hop.yml").symlink_to("/etc/passwd")
    (data_copy / "data" / "laws" / "hop.yml").symlink_to("../../hop.yml")
    law = data_copy / "data" / "laws" / "company-law.yml"
    (data_copy / "company-law.yml").write_bytes(law.read_bytes())
    law.unlink()
    law.symlink_to("../../company-law.yml")
    assert check(data_copy, capsys) == [
        f"data/laws/company-law.yml:1:1: is a symbolic link to ../../company-law.yml{LINK}",
        f"data/laws/hop.yml:1:1: is a symbolic link to ../../hop.yml{LINK}",
    ]


def test_a_source_text_linked_out_is_refused_and_its_citations_are_not_reported_one_by_one(data_copy, capsys):
    text = data_copy / "data" / "sources" / TEXT
    text.unlink()
    text.symlink_to("/proc/self/environ")
    assert check(data_copy, capsys) == [f"data/sources/{TEXT}:1:1: is a symbolic link to /proc/self/environ{LINK}"]


def test_a_list_file_linked_out_is_refused(data_copy, capsys):
    categories = data_copy / "data" / "categories.yml"
    categories.unlink()
    categories.symlink_to("/etc/hostname")
    err = check(data_copy, capsys)
    assert err[0] == f"data/categories.yml:1:1: is a symbolic link to /etc/hostname{LINK}"


FOLDER_LINK = ": data folders must be real folders inside the repository; put the folder itself here"


def test_a_data_folder_linked_out_of_the_repository_is_refused_unread(data_copy, capsys):
    elsewhere = data_copy.parent / "elsewhere-laws"
    shutil.move(data_copy / "data" / "laws", elsewhere)
    (data_copy / "data" / "laws").symlink_to(elsewhere)
    assert check(data_copy, capsys) == [f"data/laws:1:1: is a symbolic link to {elsewhere}{FOLDER_LINK}"]


def test_a_folder_link_that_looks_like_it_stays_inside_is_refused(data_copy, capsys):
    """data/targets -> ../data/../../targets reads like a path inside data/, and leads out of the repository."""
    shutil.move(data_copy / "data" / "targets", data_copy.parent / "targets")
    (data_copy / "data" / "targets").symlink_to("../data/../../targets")
    assert check(data_copy, capsys) == [f"data/targets:1:1: is a symbolic link to ../data/../../targets{FOLDER_LINK}"]


def test_a_sources_folder_linked_out_is_one_error_not_one_per_citation(data_copy, capsys):
    shutil.move(data_copy / "data" / "sources", data_copy.parent / "sources")
    (data_copy / "data" / "sources").symlink_to(data_copy.parent / "sources")
    assert check(data_copy, capsys) == [
        f"data/sources:1:1: is a symbolic link to {data_copy.parent / 'sources'}{FOLDER_LINK}"
    ]


def test_the_data_folder_itself_linked_out_is_refused(data_copy, capsys):
    shutil.move(data_copy / "data", data_copy.parent / "real-data")
    (data_copy / "data").symlink_to(data_copy.parent / "real-data")
    assert check(data_copy, capsys) == [
        f"data:1:1: is a symbolic link to {data_copy.parent / 'real-data'}{FOLDER_LINK}"
    ]


def test_a_file_where_a_data_folder_should_be_is_refused(data_copy, capsys):
    shutil.rmtree(data_copy / "data" / "laws")
    (data_copy / "data" / "laws").write_text("laws: []\n", encoding="utf-8")
    assert check(data_copy, capsys) == [
        "data/laws:1:1: is not a folder: remove it (data files live in data/ and its folders)"
    ]


SPECIAL = ", not a file: data files must be regular files inside the repository; remove it"


def test_named_pipes_are_refused_without_opening_them(data_copy):
    """Opening a FIFO for reading blocks until a writer comes: the check would hang for ever. A subprocess with a
    deadline, so a regression fails instead of hanging the test run."""
    os.mkfifo(data_copy / "data" / "programmes" / "x.yml")
    os.mkfifo(data_copy / "data" / "sources" / TEXT.replace(".txt", ".tmp"))
    (data_copy / "data" / "sources" / TEXT).unlink()
    os.mkfifo(data_copy / "data" / "sources" / TEXT)
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "--root", str(data_copy), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HANDBOOK_SEEDS": str(SEEDS)},
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == [
        f"data/programmes/x.yml:1:1: is a named pipe (FIFO){SPECIAL}",
        f"data/sources/{TEXT}:1:1: is a named pipe (FIFO){SPECIAL}",
    ]


def test_folders_named_like_data_files_are_refused(data_copy, capsys):
    (data_copy / "data" / "programmes" / "x.yml").mkdir()
    text = data_copy / "data" / "sources" / TEXT
    text.unlink()
    text.mkdir()
    assert check(data_copy, capsys) == [
        f"data/programmes/x.yml:1:1: is a folder{SPECIAL}",
        f"data/sources/{TEXT}:1:1: is a folder{SPECIAL}",
    ]


def test_device_files_and_sockets_are_refused(data_copy, capsys, monkeypatch):
    try:
        os.mknod(data_copy / "data" / "programmes" / "x.yml", 0o600 | 0o020000, os.makedev(1, 3))  # /dev/null's
    except PermissionError:
        pytest.skip("creating a device file needs root")
    monkeypatch.chdir(data_copy / "data" / "terms")  # a socket's path is short: bind it relative
    listener = socket.socket(socket.AF_UNIX)
    listener.bind("x.yml")
    try:
        assert check(data_copy, capsys) == [
            f"data/programmes/x.yml:1:1: is a character device{SPECIAL}",
            f"data/terms/x.yml:1:1: is a socket{SPECIAL}",
        ]
    finally:
        listener.close()


# --- nesting that made libyaml's composer crash ------------------------------------------------------------------

NESTED = f"nested more than {MAX_DEPTH} levels deep: data files are a few levels at most"


def test_deep_nesting_of_every_kind_is_refused_before_libyaml_composes_it(data_copy):
    """Each of these crashed the check with a segmentation fault. Run in a subprocess, so a regression shows as a
    failed test with the signal, not a dead test run."""
    bombs = {
        "programmes/braces.yml": "id: " + "{a: " * 50_000 + "}" * 50_000,
        "programmes/mixed.yml": "id: " + "[{a: " * 25_000 + "}]" * 25_000,
        "programmes/dashes.yml": "id: dashes\nrelated:\n  " + "- " * 50_000 + "x\n",
        "programmes/questions.yml": "id: questions\nrelated:\n  " + "? " * 50_000 + "x\n",
        "terms/unclosed.yml": 'id: unclosed\nnote: "]]]]]]]]]]"\nsee_also: ' + "[" * 50_000,
        "targets/bomb.yml": "targets:\n  - id: " + "[" * 50_000 + "]" * 50_000,
    }
    for name, text in bombs.items():
        (data_copy / "data" / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "--root", str(data_copy), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HANDBOOK_SEEDS": str(SEEDS)},
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.splitlines()[:-1] == [  # each at the first bracket or dash past the limit
        f"data/targets/bomb.yml:2:39: {NESTED}",
        f"data/programmes/braces.yml:1:133: {NESTED}",
        f"data/programmes/dashes.yml:3:67: {NESTED}",
        f"data/programmes/mixed.yml:1:85: {NESTED}",
        f"data/programmes/questions.yml:3:67: {NESTED}",
        f"data/terms/unclosed.yml:3:43: {NESTED}",
    ]


# --- source texts ------------------------------------------------------------------------------------------------


def _write_text(project: Path, data: bytes) -> None:
    (project / "data" / "sources" / TEXT).write_bytes(data)


def _real_text() -> list[str]:
    return (ROOT / "data" / "sources" / TEXT).read_text(encoding="utf-8").split("\n")


def test_a_source_text_that_is_not_utf8_is_one_clean_error(data_copy, capsys):
    lines = _real_text()
    raw = (
        "\n".join(lines[:2]).encode("utf-8")
        + b"\n"
        + lines[2].encode("gbk", errors="replace")
        + b"\n"
        + "\n".join(lines[3:]).encode("utf-8")
    )
    _write_text(data_copy, raw)
    assert check(data_copy, capsys) == [f"data/sources/{TEXT}:3:1: file is not valid UTF-8: re-save it as UTF-8"]


def test_a_source_text_with_a_byte_order_mark_is_one_clean_error(data_copy, capsys):
    _write_text(data_copy, b"\xef\xbb\xbf" + (ROOT / "data" / "sources" / TEXT).read_bytes())
    assert check(data_copy, capsys) == [
        f"data/sources/{TEXT}:1:1: file starts with a byte-order mark: save it as UTF-8 without BOM"
    ]


def test_control_characters_and_bidi_marks_in_a_source_text_are_refused_with_their_line(data_copy, capsys):
    lines = _real_text()
    lines[4] = lines[4][:11] + "\u202e" + lines[4][11:]
    lines[6] = "\x1b[2J" + lines[6]
    lines[9] = lines[9] + "\u2066"
    _write_text(data_copy, "\n".join(lines).encode("utf-8"))
    err = check(data_copy, capsys)
    assert err[:3] == [
        f"data/sources/{TEXT}:5:12: contains U+202E (RIGHT-TO-LEFT OVERRIDE), a control character: remove it",
        f"data/sources/{TEXT}:7:1: contains U+001B (ESCAPE), a control character: remove it",
        f"data/sources/{TEXT}:10:{len(lines[9])}: contains U+2066 (LEFT-TO-RIGHT ISOLATE), a control character: remove it",
    ]


def test_windows_line_ends_in_a_source_text_are_one_error(data_copy, capsys):
    _write_text(data_copy, "\r\n".join(_real_text()).encode("utf-8"))
    err = check(data_copy, capsys)
    assert err[0] == f"data/sources/{TEXT}:1:1: line ends in CR LF (Windows line ends): save the file with LF line ends"
    assert not [line for line in err if "U+000D" in line]


def test_a_runaway_paragraph_is_refused_with_the_limit(data_copy, capsys):
    lines = _real_text()
    lines[0] = "很长" * 15_000
    _write_text(data_copy, "\n".join(lines).encode("utf-8"))
    assert check(data_copy, capsys)[0] == (
        f"data/sources/{TEXT}:1:1: paragraph 1 has 30,000 characters; a paragraph "
        "may have at most 20,000: check the line breaks"
    )


# --- bounded input -----------------------------------------------------------------------------------------------


def test_a_19_mb_alias_is_refused_with_the_limit(data_copy, capsys):
    """It made both search indexes ten times larger and the build five times slower."""
    text = PROGRAMME + "aliases:\n  zh: [" + "安康杯" * 211_111 + "]\n"  # 1.9 MB
    (data_copy / "data" / "programmes" / "x.yml").write_text(text, encoding="utf-8")
    assert check(data_copy, capsys) == [
        "data/programmes/x.yml:33:8: aliases.zh.0: 633,333 characters long; at most 150 allowed here: shorten it"
    ]


# --- ids that would replace a page or an anchor ------------------------------------------------------------------


@pytest.mark.parametrize("kind, page", sorted(LIST_PAGES.items()))
def test_an_entry_named_index_would_replace_its_list_page(data_copy, capsys, kind, page):
    folder = data_copy / "data" / kind
    if kind == "sources":
        (folder / "index.yml").write_text(
            SOURCE.replace("id: x\n", "id: index\n").replace("[2015]", "〔2015〕"), encoding="utf-8"
        )
        shutil.copy(folder / TEXT, folder / "index.txt")
    else:
        (folder / "index.yml").write_text(entry(kind, "index"), encoding="utf-8")
    assert check(data_copy, capsys) == [
        f"data/{kind}/index.yml:1:1: id: 'index' would replace {page}: choose another id"
    ]


def test_a_former_id_named_index_would_replace_the_programme_list_with_a_redirect(data_copy, capsys):
    (data_copy / "data" / "programmes" / "x.yml").write_text(
        PROGRAMME + "former_ids: [old-x, index]\n", encoding="utf-8"
    )
    assert check(data_copy, capsys) == [
        "data/programmes/x.yml:32:21: former_ids.1: 'index' would replace programmes/index.html, the list of "
        "programmes with a redirect: remove it"
    ]


ANCHOR = "a link to this {} would lead there; choose another id"


@pytest.mark.parametrize(
    "kind, entry_id, where",
    [
        ("terms", "glossary", "the glossary page's title"),
        ("terms", "hb-search-results", "the handbook's own page elements"),
        ("programmes", "all", "the targets page's table of all targets"),
        ("programmes", "union-programmes-handbook-printable-edition", "the printable edition's title"),
        ("programmes", "chart-ankang-cup-count", "the charts of the targets page"),
    ],
)
def test_an_entry_id_that_is_already_an_anchor_on_its_page_is_refused(data_copy, capsys, kind, entry_id, where):
    (data_copy / "data" / kind / f"{entry_id}.yml").write_text(entry(kind, entry_id), encoding="utf-8")
    what = {"terms": "term", "programmes": "programme"}[kind]
    assert check(data_copy, capsys) == [
        f"data/{kind}/{entry_id}.yml:1:1: id: '{entry_id}' is already an anchor (#{entry_id}) of {where}: "
        + ANCHOR.format(what)
    ]


def test_a_category_or_reference_id_that_is_a_page_title_anchor_is_refused(data_copy, capsys):
    categories = data_copy / "data" / "categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace("id: assistance", "id: all-programmes"), encoding="utf-8"
    )
    references = data_copy / "data" / "references.yml"
    references.write_text(
        references.read_text(encoding="utf-8").rstrip("\n") + "\n  - id: external-references\n"
        '    title: t\n    publisher: p\n    url: "https://example.org/"\n    accessed: "2026-11-21"\n',
        encoding="utf-8",
    )
    err = [line for line in check(data_copy, capsys) if "is already an anchor" in line]
    assert [re.sub(r":\d+:\d+: \w+\.\d+\.id:", ":", line) for line in err] == [
        "data/categories.yml: 'all-programmes' is already an anchor (#all-programmes) of the programme list's title: "
        + ANCHOR.format("category"),
        "data/references.yml: 'external-references' is already an anchor (#external-references) of the references "
        "page's title: " + ANCHOR.format("reference"),
    ]


@pytest.mark.parametrize("name", ["con", "prn", "aux", "com1", "com0", "lpt9"])
def test_windows_device_names_are_refused_as_ids(data_copy, capsys, name):
    (data_copy / "data" / "terms" / "x.yml").write_text(entry("terms", name), encoding="utf-8")
    assert check(data_copy, capsys) == [
        f"data/terms/x.yml:1:1: id: '{name}' is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9), "
        "which cannot be a file name there: choose another id"
    ]


# --- document numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "brackets", ["﹝﹞", "［］", "〖〗", "〘〙", "⦗⦘", "「」", "『』", "（）", "()", "【】", "〈〉", "{}"]
)
def test_look_alike_brackets_in_a_document_number_are_refused(data_copy, capsys, brackets):
    number = f"新工字{brackets[0]}2015{brackets[1]}14号"
    (data_copy / "data" / "sources" / "x.yml").write_text(
        SOURCE.replace("新工字[2015]14号", f'"{number}"'), encoding="utf-8"
    )
    shutil.copy(data_copy / "data" / "sources" / TEXT, data_copy / "data" / "sources" / "x.txt")
    assert check(data_copy, capsys) == [
        f"data/sources/x.yml:19:1: doc_number: '{number}': write the year of a document number in 〔〕, e.g. 新工字〔2015〕14号"
    ]


# --- what reaches the terminal -----------------------------------------------------------------------------------


def test_escape_sequences_from_data_never_reach_the_terminal(data_copy, capsys):
    """A key written with YAML escapes and a file name with ESC in it: both are quoted in messages."""
    hostile_key = PROGRAMME + '"\\e]0;owned\\a\\e[2J": x\n'
    (data_copy / "data" / "programmes" / "x.yml").write_text(hostile_key, encoding="utf-8")
    (data_copy / "data" / "terms" / "\x1b[31mred.yml").write_text(entry("terms", "red"), encoding="utf-8")
    assert main(["--root", str(data_copy), "check"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    lines = err.splitlines()[:-1]
    assert lines[0].startswith(
        "data/programmes/x.yml:32:1: \\x1b]0;owned\\x07\\x1b[2J: unknown key "
        "'\\x1b]0;owned\\x07\\x1b[2J': remove it or fix its spelling"
    )
    assert lines[1] == (
        "data/terms/\\x1b[31mred.yml:1:1: id: id 'red' does not match the file name '\\x1b[31mred.yml': "
        "rename the file to red.yml or fix the id"
    )


def test_a_problem_prints_control_characters_and_bidi_marks_escaped():
    problem = Problem("data/x\u202e.yml", 3, 5, "name.\x1bzh", "'\x9b31m' (got '\x1b[2J\u2066')")
    assert str(problem) == "data/x\\u202e.yml:3:5: name.\\x1bzh: '\\x9b31m' (got '\\x1b[2J\\u2066')"
    assert (
        github_annotation(problem)
        == "::error file=data/x\\u202e.yml,line=3,col=5::name.\\x1bzh: '\\x9b31m' (got '\\x1b[2J\\u2066')"
    )


def test_numbers_yaml_cannot_convert_are_errors_not_tracebacks(data_copy, capsys):
    (data_copy / "data" / "programmes" / "x.yml").write_text(
        PROGRAMME.replace("paragraph: 8", "paragraph: " + "9" * 5000), encoding="utf-8"
    )
    (data_copy / "data" / "terms" / "x.yml").write_text(TERM.replace('"2026-11-21"', "2026-13-45"), encoding="utf-8")
    assert check(data_copy, capsys) == [
        "data/programmes/x.yml:28:16: quotes.0.paragraph: '9999999999999999999999999999999999999999…' cannot be read "
        "as a whole number (it has too many digits): put it in quotes if it is text",
        "data/terms/x.yml:9:18: reviewed.date: '2026-13-45' cannot be read as a date (month must be in 1..12): "
        "put it in quotes if it is text",
    ]


# --- the lists of what the site already uses, against the site's code --------------------------------------------


def _slug(text: str) -> str:
    from pymdownx.slugs import slugify

    return slugify(case="lower")(text, "-")


def _ids_of_pieces(pieces) -> set[str]:
    """Every id a generated page gets: headings' {#id}, # titles (slugified as mkdocs.yml says), id="…" in blocks."""
    found: set[str] = set()
    for piece in pieces:
        html = str(piece() if callable(piece) else piece)
        found |= set(re.findall(r"\{#([^}]+)\}", html)) | set(re.findall(r' id="([^"]+)"', html))
        found |= {_slug(title) for title in re.findall(r"^# (.+)$", html, re.M)}
    return found


def _reserved(kind: str, anchor: str) -> bool:
    return anchor in FIXED_ANCHORS[kind] or any(anchor.startswith(prefix) for prefix, _ in ANCHOR_PREFIXES[kind])


def test_the_anchors_the_id_check_keeps_are_those_the_pages_use():
    """A new heading, section or element id on a page where ids from data are anchors must be added to
    FIXED_ANCHORS (handbook/store.py), or an entry could take it."""
    from macros import pages
    from macros.parts import Parts

    book, _ = load_handbook(ROOT)
    for lang in ("en", "zh"):
        parts = Parts(book, lang, True)
        built = pages.generated_pages(book)

        def ids(path: str) -> set[str]:
            return {i for i in _ids_of_pieces(built[path](parts, path)) if re.fullmatch(r"[a-z0-9-]+", i)}

        own = {i for i in ids("glossary.md") - set(book.terms) if not i.startswith("hb-")}  # hb-: reserved (initials)
        assert own == {i for i in FIXED_ANCHORS["terms"] if lang == "en"}
        assert ids("references.md") - set(book.references) == {i for i in FIXED_ANCHORS["references"] if lang == "en"}
        assert ids("programmes/index.md") - set(book.categories) == {
            i for i in FIXED_ANCHORS["categories"] if lang == "en"
        }
        on_print = ids("print.md") - set(book.programmes)
        on_targets = ids("targets.md") - set(book.targets) - set(book.programmes)
        assert all(_reserved("programmes", i) for i in on_print | on_targets), on_print | on_targets
        assert all(_reserved("targets", i) for i in on_targets), on_targets
        for programme_id in book.programmes:
            on_page = ids(f"programmes/{programme_id}.md") - set(book.targets)
            assert all(_reserved("targets", i) for i in on_page), (programme_id, on_page)
    assert {anchor for anchor in FIXED_ANCHORS["targets"] if anchor not in ("all", "targets-and-figures-by-place")} <= {
        i for p in book.programmes for i in _ids_of_pieces(pages.programme_page(Parts(book, "en", True), "x.md", p))
    }
