"""The verbatim guarantee: a source's `seed` names a regular file inside the seeds folder and nothing else, the
check fails without the seeds, and each paragraph must be exactly the seed text its map names, in order."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

from handbook.cli import main
from handbook.store import DataInvalid, load_handbook, load_valid_handbook

X = "xinxiang-2015-work-points"
SEED = "003_589617b821fc1365.txt"
PLAIN_NAME = (
    "is not a plain file name: write only the name of a file in the seeds folder (../shared/seeds), "
    "e.g. 003_589617b821fc1365.txt, with no folder, '..' or leading dot"
)
NO_SEEDS = (
    "so the source texts cannot be proved verbatim: put the seed documents in ../shared/seeds beside the "
    "project, or set HANDBOOK_SEEDS to the folder that holds them"
)


def source_errors(project: Path) -> list[str]:
    _, problems = load_handbook(project)
    return [str(p) for p in problems if p.severity == "error" and p.path.startswith("data/sources")]


def yml_line(project: Path, source_id: str, starts: str) -> int:
    lines = (project / "data" / "sources" / f"{source_id}.yml").read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.startswith(starts))


def edit_yml(project: Path, source_id: str, old: str, new: str) -> None:
    path = project / "data" / "sources" / f"{source_id}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_text(project: Path, source_id: str, change) -> None:
    path = project / "data" / "sources" / f"{source_id}.txt"
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")


def seed_line(number: int, name: str = SEED) -> str:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")[number - 1]


@pytest.fixture
def seeds_copy(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the seeds folder that the check reads, to plant links, folders and devices in."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    monkeypatch.setenv("HANDBOOK_SEEDS", str(folder))
    return folder.resolve()


# --- the real data ---------------------------------------------------------------------------------------------


def test_every_real_source_is_exactly_its_seed():
    book, problems = load_handbook(ROOT)
    assert not [p for p in problems if p.severity == "error"]
    assert {s.id: len(s.seed_spans) for s in book.sources.values()} == {s: len(p) for s, p in book.paragraphs.items()}


def test_the_texts_and_maps_are_what_clean_seeds_derives(tmp_path):
    """The derivation script is the record of how each text was cut: a text or a map edited by hand differs."""
    for part in ("handbook", "scripts", "data"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    script = [sys.executable, "-m", "scripts.clean_seeds", "--check"]  # in the copy: its own code and data
    assert subprocess.run(script, capture_output=True, text=True, cwd=tmp_path).returncode == 0
    edit_yml(tmp_path, X, 'p44: "45"', 'p44: "44-45"')
    result = subprocess.run(script, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"data/sources/{X}.yml differs from what scripts/clean_seeds.py derives from the seed: "
        "run it and review the change\n"
    )


# --- containment: `seed` is a plain file name, read only as a regular file inside the seeds folder --------------


@pytest.mark.parametrize(
    "name",
    [
        "/proc/self/environ",
        "/work/shared/seeds/003_589617b821fc1365.txt",
        "../../repo/data/sources/xinxiang-2015-work-points.txt",
        "../seeds/003_589617b821fc1365.txt",
        "..",
        ".hidden.txt",
        "sub/003_589617b821fc1365.txt",
        "..\\\\seeds\\\\003.txt",
        "C:003.txt",
        " 003_589617b821fc1365.txt",
    ],
)
def test_a_seed_that_is_not_a_plain_file_name_is_refused(data_copy, name):
    edit_yml(data_copy, X, f"seed: {SEED}", f'seed: "{name}"')
    shown = name.encode().decode("unicode_escape")
    assert source_errors(data_copy) == [f"data/sources/{X}.yml:3:1: seed: {shown!r} {PLAIN_NAME}"]


def test_a_seed_that_is_a_symbolic_link_is_refused_even_inside_the_folder(data_copy, seeds_copy):
    (seeds_copy / "inside.txt").symlink_to(seeds_copy / SEED)
    (seeds_copy / "outside.txt").symlink_to("/etc/hostname")
    for link in ("inside.txt", "outside.txt"):
        edit_yml(data_copy, X, "seed: ", f"seed: {link}  # was: ")
        assert source_errors(data_copy) == [
            f"data/sources/{X}.yml:3:1: seed: '{link}' in {seeds_copy} is a symbolic link: a seed must be the verbatim "
            "file itself, so copy the document into the seeds folder"
        ]
        edit_yml(data_copy, X, f"seed: {link}  # was: ", "seed: ")


def test_a_seed_that_is_a_folder_a_fifo_or_missing_is_refused(data_copy, seeds_copy):
    (seeds_copy / "folder.txt").mkdir()
    os.mkfifo(seeds_copy / "fifo.txt")  # opening it would wait for a writer: it must never be opened
    (seeds_copy / "latin1.txt").write_bytes("同志們".encode() + b"\xff")
    expected = {
        "folder.txt": f"'folder.txt' in {seeds_copy} is a folder: name the seed's text file",
        "fifo.txt": f"'fifo.txt' in {seeds_copy} is not a regular file: name the seed's text file",
        "latin1.txt": "seed file 'latin1.txt' is not UTF-8 text (byte 9): seeds are kept as UTF-8",
        "nope.txt": f"no seed file 'nope.txt' in {seeds_copy}: name one of the files there (000_ad6b5d2160a64c97.txt, "
        "001_1bbc9109f68df4c0.txt, 002_a2dd6ee0f276af51.txt, 003_589617b821fc1365.txt, "
        "004_99818ca1129ae01c.txt, latin1.txt)",
    }
    for name, message in expected.items():
        edit_yml(data_copy, X, "seed: ", f"seed: {name}  # was: ")
        assert source_errors(data_copy) == [f"data/sources/{X}.yml:3:1: seed: {message}"]
        edit_yml(data_copy, X, f"seed: {name}  # was: ", "seed: ")


def _plant_leak(project: Path, seed: str) -> None:
    """The attack from issue 10: a new source whose text is a link to the build's environment."""
    text = (project / "data" / "sources" / f"{X}.yml").read_text(encoding="utf-8")
    text = text.replace(f"id: {X}", "id: leak").replace(f"seed: {SEED}", f'seed: "{seed}"')
    (project / "data" / "sources" / "leak.yml").write_text(text, encoding="utf-8")
    (project / "data" / "sources" / "leak.txt").symlink_to("/proc/self/environ")


@pytest.mark.parametrize(
    "seed, message",
    [
        ("/proc/self/environ", f"data/sources/leak.yml:3:1: seed: '/proc/self/environ' {PLAIN_NAME}"),
        (
            SEED,
            "data/sources/leak.txt:1:1: is a symbolic link to /proc/self/environ: data files must be regular files "
            "inside the repository; put the file itself here",
        ),
    ],
)
def test_a_source_text_linked_to_the_environment_fails_and_leaks_nothing(data_copy, seed, message):
    _plant_leak(data_copy, seed)
    canary = "canary-7d1e0c55-not-for-publication"
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "--root", str(data_copy), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "HANDBOOK_LEAK_CANARY": canary},
    )
    assert result.returncode == 1
    assert message in result.stderr.splitlines()
    assert canary not in result.stdout + result.stderr
    assert "HANDBOOK_LEAK_CANARY" not in result.stdout + result.stderr


# --- the seeds folder must be there ----------------------------------------------------------------------------


def test_a_missing_seeds_folder_fails_the_check(data_copy, tmp_path, monkeypatch, capsys):
    nowhere = tmp_path / "nowhere"
    monkeypatch.setenv("HANDBOOK_SEEDS", str(nowhere))
    assert source_errors(data_copy) == [f"data/sources:1:1: HANDBOOK_SEEDS={nowhere} does not exist, {NO_SEEDS}"]
    with pytest.raises(DataInvalid):
        load_valid_handbook(data_copy)  # what the site build calls: no site from unproved texts
    assert main(["--root", str(data_copy), "check"]) == 1
    assert capsys.readouterr().err.startswith(f"data/sources:1:1: HANDBOOK_SEEDS={nowhere} does not exist")


def test_seeds_pointing_at_a_file_or_not_beside_the_project_fail_the_check(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_SEEDS", str(SEEDS / SEED))
    assert source_errors(data_copy) == [f"data/sources:1:1: HANDBOOK_SEEDS={SEEDS / SEED} is not a folder, {NO_SEEDS}"]
    monkeypatch.delenv("HANDBOOK_SEEDS")
    beside = data_copy.resolve().parent / "shared" / "seeds"
    assert source_errors(data_copy) == [
        f"data/sources:1:1: the seed folder ../shared/seeds ({beside}) does not exist, {NO_SEEDS}"
    ]


# --- the text must be its seed, paragraph by paragraph ----------------------------------------------------------


def test_a_paragraph_cut_short_is_caught(data_copy):
    edit_text(data_copy, X, lambda lines: lines[:19] + [lines[19].replace("96%以上。", "96%")] + lines[20:])
    assert source_errors(data_copy) == [
        f"data/sources/{X}.txt:20:1: paragraph 20 differs from the seed text of p20 ({SEED} line 21) after "
        "'商的企業達到 96%': the seed continues '以上。', the paragraph ends there; copy the seed's wording exactly"
    ]


def test_a_number_changed_or_spaced_out_is_caught(data_copy):
    edit_text(data_copy, X, lambda lines: lines[:7] + [lines[7].replace("新增20家", "新增2 0家")] + lines[8:])
    assert source_errors(data_copy) == [
        f"data/sources/{X}.txt:8:1: paragraph 8 differs in its spacing from the seed text of p8 ({SEED} line 9) after "
        "'內全縣參賽企業新增2': the seed has '0家。', the paragraph has ' 0家。'; copy the seed's spacing exactly (a "
        "line break in the seed is joined without a space)"
    ]


def test_two_paragraphs_merged_are_caught(data_copy):
    edit_text(data_copy, X, lambda lines: lines[:4] + [lines[4] + lines[5]] + lines[6:])
    assert source_errors(data_copy) == [
        f"data/sources/{X}.txt:5:1: paragraph 5 joins the seed texts of p5 and p6 ({SEED} lines 6-7): put each on a "
        "line of its own again, since every #pN citation after it would point at other text"
    ]


def test_a_paragraph_split_in_two_is_caught(data_copy):
    edit_text(data_copy, X, lambda lines: lines[:4] + [lines[4][:10], lines[4][10:]] + lines[5:])
    assert source_errors(data_copy) == [
        f"data/sources/{X}.txt:5:1: paragraphs 5 and 6 are the seed text of p5 ({SEED} line 6) cut into 2 lines: "
        "join them into one line again, since every #pN citation after them would point at other text"
    ]


def test_two_paragraphs_swapped_are_caught(data_copy):
    edit_text(data_copy, X, lambda lines: lines[:4] + [lines[5], lines[4]] + lines[6:])
    assert source_errors(data_copy) == [
        f"data/sources/{X}.txt:6:1: paragraph 6 is the seed text of p5 ({SEED} line 6), out of order: the paragraphs "
        "follow the seed, so it belongs at paragraph 5; put the lines back in the seed's order, since citations of "
        "#p5 to #p6 would point at other text"
    ]


@pytest.mark.parametrize("added", [seed_line(1), "新乡县总工会2015年工作要点"])
def test_a_line_added_at_the_top_is_caught_even_if_it_is_seed_text(data_copy, added):
    edit_text(data_copy, X, lambda lines: [added] + lines)
    assert source_errors(data_copy) == [
        f"data/sources/{X}.txt:1:1: paragraph 1 has no span in the seed map (the text has 45 paragraphs, seed_spans "
        "maps 44): a line added here means every #pN citation after it would point at other text; remove it"
    ]


def test_a_line_deleted_is_caught(data_copy):
    edit_text(data_copy, X, lambda lines: lines[:4] + lines[5:])
    assert source_errors(data_copy) == [
        f"data/sources/{X}.txt:5:1: the seed text of p5 ({SEED} line 6), '1、著力抓好班組建設…', is missing from the "
        "text (the text has 43 paragraphs, seed_spans maps 44): a deleted line means every #pN citation after it "
        "would point at other text; restore it as paragraph 5"
    ]


def test_a_cut_hidden_by_editing_the_map_is_caught(data_copy):
    """Cut "以上。" from paragraph 20 and shorten its span to match: the cut-off text is then left out of the text."""
    edit_text(data_copy, X, lambda lines: lines[:19] + [lines[19].replace("96%以上。", "96%")] + lines[20:])
    line = seed_line(21)
    end = line.index("96%") + 3
    edit_yml(data_copy, X, 'p20: "21"', f'p20: "21:1-21:{end}"')
    assert source_errors(data_copy) == [
        f"data/sources/{X}.yml:{yml_line(data_copy, X, '  p20:')}:3: seed_spans.p20: seed line 21, characters "
        f"{end + 1}-{len(line)} ('以上。') is left out of the text between paragraphs 20 and 21: add it to the text, "
        f"or declare it in seed_omitted with the span '21:{end + 1}-21' and a reason"
    ]


def test_seed_text_left_out_without_a_reason_is_caught(data_copy):
    source = data_copy / "data" / "sources" / "jiangyan-plenary-2004.yml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text[: text.index("seed_omitted:")] + "seed_omitted: []\n", encoding="utf-8")
    assert source_errors(data_copy) == [
        f"data/sources/jiangyan-plenary-2004.yml:{yml_line(data_copy, 'jiangyan-plenary-2004', '  p1:')}:3: "
        "seed_spans.p1: seed line 105 ('[新聞作者:新聞來源…') is left out of the text between paragraphs 1 and 2: add "
        "it to the text, or declare it in seed_omitted with the span '105' and a reason"
    ]


def test_a_map_out_of_order_overlapping_or_past_the_seed_is_caught(data_copy):
    cases = [
        (
            'p3: "4"',
            'p45: "4"',
            "  p45:",
            "seed_spans.p45: key 'p45' where p3 belongs: the keys are p1, p2, p3 … in order, one per paragraph",
        ),
        (
            'p3: "4"',
            'p3: "3-4"',
            "  p3:",
            "seed_spans.p3: '3-4' starts inside or before p2 ('3'): the spans follow "
            "the seed's order, each after the one before",
        ),
        ('p44: "45"', 'p44: "46"', "  p44:", f"seed_spans.p44: '46': {SEED} has 45 lines, not 46"),
        (
            'p44: "45"',
            'p44: "45:1-45:99"',
            "  p44:",
            f"seed_spans.p44: '45:1-45:99': line 45 of {SEED} has 9 characters, not 99",
        ),
        (
            'p44: "45"',
            'p44: "45:9-45:2"',
            "  p44:",
            "seed_spans.p44: '45:9-45:2' ends before it starts: write the earlier place first",
        ),
        (
            'p44: "45"',
            'p44: "45-"',
            "  p44:",
            "seed_spans.p44: '45-' is not a seed span: write LINE, FIRST-LAST "
            '(lines joined) or LINE:CHAR-LINE:CHAR (1-based), e.g. "12", "25-26", '
            '"86:1-86:41"',
        ),
        (
            "seed_omitted: []",
            'seed_omitted: [{span: "20-21", reason: {zh: 页脚, en: footer}}]',
            "seed_omitted:",
            "seed_omitted.0.span: seed_omitted.0 overlaps p19 (seed line 20): each stretch of the seed is either a "
            "paragraph or omitted, once",
        ),
    ]
    for old, new, where, message in cases:
        edit_yml(data_copy, X, old, new)
        line = yml_line(data_copy, X, where)
        column = new.index("span") + 1 if where == "seed_omitted:" else 3  # the key the message names
        errors = source_errors(data_copy)
        edit_yml(data_copy, X, new, old)
        assert errors == [f"data/sources/{X}.yml:{line}:{column}: {message}"], new


def test_a_source_without_a_map_is_told_how_to_write_one(data_copy):
    source = data_copy / "data" / "sources" / f"{X}.yml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text[: text.index("seed_spans:")], encoding="utf-8")
    assert source_errors(data_copy) == [
        f"data/sources/{X}.yml:1:1: seed_spans: no seed spans: map each paragraph to its place in {SEED} with "
        f"`python -m handbook seed-spans {X} --write`, then give a reason for each omission it lists"
    ]


# --- writing a map ---------------------------------------------------------------------------------------------


def test_seed_spans_writes_the_map_a_new_source_needs(data_copy, capsys):
    """A maintainer pastes a text, runs seed-spans, writes the reasons it asks for, and the check passes."""
    sources = data_copy / "data" / "sources"
    original = (sources / "jiangyan-plenary-2004.yml").read_text(encoding="utf-8")
    bare = original.replace("id: jiangyan-plenary-2004", "id: jiangyan-copy")
    (sources / "jiangyan-copy.yml").write_text(bare[: bare.index("seed_spans:")], encoding="utf-8")
    shutil.copy(sources / "jiangyan-plenary-2004.txt", sources / "jiangyan-copy.txt")

    assert main(["--root", str(data_copy), "seed-spans", "jiangyan-copy", "--from-line", "104", "--write"]) == 0
    out, err = capsys.readouterr()
    assert out == f"wrote the seed map into {sources / 'jiangyan-copy.yml'}\n"
    assert err == (
        "seed text left out inside the document: 105 ([新聞作者:新聞來源…). Give each a reason in "
        "seed_omitted (if the document starts further on in its seed, run again with --from-line LINE)\n"
    )
    assert main(["--root", str(data_copy), "check"]) == 1
    line = yml_line(data_copy, "jiangyan-copy", "seed_omitted:")
    assert capsys.readouterr().err.splitlines()[:-1] == [
        f"data/sources/jiangyan-copy.yml:{line + 3}:7: seed_omitted.0.reason.zh: placeholder text: write the Chinese",
        f"data/sources/jiangyan-copy.yml:{line + 4}:7: seed_omitted.0.reason.en: placeholder text: write the English "
        "(a plain translation is fine)",
    ]

    written = (sources / "jiangyan-copy.yml").read_text(encoding="utf-8")
    reasons = original[original.index("    reason:") :]
    (sources / "jiangyan-copy.yml").write_text(written[: written.index("    reason:")] + reasons, encoding="utf-8")
    assert main(["--root", str(data_copy), "check"]) == 0, capsys.readouterr().err
    assert (sources / "jiangyan-copy.yml").read_text(encoding="utf-8") == bare


def test_seed_spans_refuses_a_text_that_is_not_in_its_seed(data_copy, capsys):
    edit_text(data_copy, X, lambda lines: lines[:7] + [lines[7].replace("20家", "30家")] + lines[8:])
    assert main(["--root", str(data_copy), "seed-spans", X]) == 1
    assert capsys.readouterr().err == (
        f"seed-spans: data/sources/{X}.txt:8:1: paragraph 8 is not in {SEED} after paragraph 7 (seed line 8): copy the "
        "seed's wording exactly, in the seed's order\n"
    )
