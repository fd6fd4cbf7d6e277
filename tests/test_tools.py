"""Maintainer tools: drafts of new entries, JSON Schemas for editors, GitHub annotations, pre-commit and CI files."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT

from handbook.cli import github_annotation, main
from handbook.problems import Problem
from handbook.schema import generate, render, schema_files, stale
from handbook.yamlio import load_yaml

ENTRY_KINDS = {"programme": "programmes", "term": "terms", "law": "laws", "source": "sources"}
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
REAL_CITE = "xinxiang-2015-work-points#p8"


def _errors(capsys) -> tuple[list[str], str]:
    """The check's error lines (without the summary) and its stdout."""
    captured = capsys.readouterr()
    return [line for line in captured.err.splitlines() if not line.startswith("check failed")], captured.out


def _files(project: Path) -> list[str]:
    return sorted(str(p.relative_to(project)) for p in (project / "data").rglob("*") if p.is_file())


# --- new: drafts -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(ENTRY_KINDS))
def test_a_new_draft_fails_the_check_only_on_its_placeholders(kind, data_copy, capsys):
    assert main(["--root", str(data_copy), "new", kind, "x-draft", "--by", "tester"]) == 0
    path = f"data/{ENTRY_KINDS[kind]}/x-draft.yml"
    assert path in capsys.readouterr().out.splitlines()
    text = (data_copy / path).read_text(encoding="utf-8")
    schema = MODELINE.match(text.splitlines()[0]).group(1)
    assert (ROOT / "data" / ENTRY_KINDS[kind] / schema).resolve() == ROOT / "schemas" / f"{kind}.schema.json"
    assert f'reviewed: {{date: "{dt.date.today().isoformat()}", by: tester}}' in text

    assert main(["--root", str(data_copy), "check"]) == 1
    errors, _ = _errors(capsys)
    assert errors, "a draft must not pass the check"
    for error in errors:  # each placeholder once, at its line, and nothing else
        assert re.match(rf"data/{ENTRY_KINDS[kind]}/x-draft\.(yml|txt):\d+:\d+: ", error), error
        assert ": placeholder" in error, error
    assert any(re.search(r"\.yml:\d+:\d+: \S+\.zh: placeholder text: write the Chinese$", e) for e in errors)


def test_a_new_source_gets_a_text_file_to_paste_into(data_copy, capsys):
    assert main(["--root", str(data_copy), "new", "source", "x-draft"]) == 0
    assert capsys.readouterr().out.splitlines() == ["data/sources/x-draft.yml", "data/sources/x-draft.txt"]
    main(["--root", str(data_copy), "check"])
    errors, _ = _errors(capsys)
    assert "data/sources/x-draft.txt:1:1: placeholder text: paste the document's text, one paragraph per line" in errors
    assert (
        "data/sources/x-draft.yml:9:1: seed: placeholder: write the file name of the document's verbatim copy in "
        "../shared/seeds/" in errors
    )


@pytest.mark.parametrize("kind", ["programme", "term"])
def test_a_draft_with_its_placeholders_filled_in_passes(kind, data_copy, capsys):
    main(["--root", str(data_copy), "new", kind, "x-draft"])
    path = data_copy / "data" / ENTRY_KINDS[kind] / "x-draft.yml"
    text = path.read_text(encoding="utf-8").replace("category: to-be-written", "category: assistance")
    text = text.replace("（待填写）", "测试").replace("(to be written)", "Test").replace("to-be-written", REAL_CITE)
    path.write_text(text, encoding="utf-8")
    assert main(["--root", str(data_copy), "check"]) == 0, capsys.readouterr().err


def test_a_new_target_is_appended_to_its_list_file(data_copy, capsys):
    file = data_copy / "data" / "targets" / "xinxiang-2015-work-points.yml"
    before = load_yaml(file).data["targets"]
    assert main(["--root", str(data_copy), "new", "target", "x-draft", "--file", "xinxiang-2015-work-points"]) == 0
    assert capsys.readouterr().out.splitlines() == ["data/targets/xinxiang-2015-work-points.yml"]
    after = load_yaml(file).data["targets"]
    assert after[:-1] == before and after[-1]["id"] == "x-draft"

    assert main(["--root", str(data_copy), "check"]) == 1
    errors, _ = _errors(capsys)
    assert errors and all(
        re.match(
            r"data/targets/xinxiang-2015-work-points\.yml:\d+:\d+: targets\.\d+\.\S+: "
            r"placeholder",
            e,
        )
        for e in errors
    ), errors
    assert any(e.endswith("programme: placeholder id: write the id of a programme in data/programmes/") for e in errors)


def test_a_new_target_file_is_created_with_its_schema_line(data_copy, capsys):
    assert main(["--root", str(data_copy), "new", "target", "x-draft", "--file", "x-new-source.yml"]) == 0
    text = (data_copy / "data" / "targets" / "x-new-source.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/targets.schema.json\n")
    assert load_yaml(data_copy / "data" / "targets" / "x-new-source.yml").data["targets"][0]["id"] == "x-draft"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["programme", "ankang-cup"],
            "new programme: data/programmes/ankang-cup.yml already exists: choose another id",
        ),
        (
            ["target", "chengdu-2012-thousand-enterprises", "--file", "x"],
            "new target: target 'chengdu-2012-thousand-enterprises' already exists in "
            "data/targets/chengdu-2012-serve-workers.yml",
        ),
        (["programme", "Ankang_Cup"], "new programme: 'Ankang_Cup' is not a valid id: use lower-case letters, digits"),
        (["term", "../../etc"], "new term: '../../etc' is not a valid id"),
        (["term", "to-be-written"], "new term: 'to-be-written' marks what is still to be written"),
        (["target", "x-draft"], "new target: a target goes into a list file: give --file NAME"),
        (["target", "x-draft", "--file", "../x"], "new target: '../x' is not a valid file name"),
        (["law", "x-draft", "--file", "x"], "new law: --file is only for targets"),
        (["term", "x-draft", "--by", "Jane Doe <jane@example.org>"], "new term: 'Jane Doe <jane@example.org>' is not"),
    ],
)
def test_new_refuses_and_writes_nothing(args, message, data_copy, capsys):
    before = {name: (data_copy / name).read_bytes() for name in _files(data_copy)}
    assert main(["--root", str(data_copy), "new", *args]) == 1
    assert capsys.readouterr().err.startswith(message)
    assert {name: (data_copy / name).read_bytes() for name in _files(data_copy)} == before


def test_a_placeholder_left_in_any_entry_is_an_error_at_its_line(data_copy, capsys):
    path = data_copy / "data" / "programmes" / "ankang-cup.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("purpose:")) + 2
    assert lines[number - 1].startswith("  en: ")
    lines[number - 1] = "  en: (to be written)"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--root", str(data_copy), "check"]) == 1
    errors, _ = _errors(capsys)
    assert errors == [
        f"data/programmes/ankang-cup.yml:{number}:3: purpose.en: placeholder text: write the English "
        "(a plain translation is fine)"
    ]


# --- schema: JSON Schemas for editors ----------------------------------------------------------------------------


def test_committed_schemas_match_the_models():
    assert stale(ROOT) == [], "the models changed: run `python -m handbook schema` and commit schemas/"
    assert sorted(p.name for p in (ROOT / "schemas").glob("*.json")) == sorted(f"{n}.schema.json" for n in generate())


def test_schema_command_writes_missing_schemas_and_check_reports_them(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "schema", "--check"]) == 1
    assert "schemas/programme.schema.json is out of date: run python -m handbook schema" in capsys.readouterr().err
    assert main(["--root", str(tmp_path), "schema"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(generate())
    assert main(["--root", str(tmp_path), "schema", "--check"]) == 0
    assert main(["--root", str(tmp_path), "schema"]) == 0 and capsys.readouterr().out == ""  # nothing changed


def _objects(node):
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


@pytest.mark.parametrize("name", sorted(generate()))
def test_every_schema_forbids_unknown_keys_and_describes_every_field(name):
    objects = list(_objects(generate()[name]))
    assert objects
    for node in objects:
        assert node["additionalProperties"] is False, node.get("title")
        for key, prop in node["properties"].items():
            zh, en = prop["description"].split("\n\n")
            assert re.search(r"[\u4e00-\u9fff]", zh) and re.search(r"[A-Za-z]", en), (name, key)


def test_every_data_file_validates_against_its_schema():
    jsonschema = pytest.importorskip("jsonschema")  # optional: not in requirements; the check uses pydantic
    checked = 0
    for name, (pattern, _) in schema_files().items():
        validator = jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text()))
        for path in sorted(ROOT.glob(pattern)):
            errors = [e.message for e in validator.iter_errors(load_yaml(path).data)]
            assert not errors, (path, errors)
            checked += 1
        if name == "programme":  # and the schema really rejects what the check rejects
            bad = {**load_yaml(ROOT / "data" / "programmes" / "ankang-cup.yml").data, "start_year": 2005}
            assert any("start_year" in e.message for e in validator.iter_errors(bad))
    assert checked > 300


def test_rendered_schema_is_stable_json():
    for schema in generate().values():
        assert json.loads(render(schema)) == schema


# --- editor settings ---------------------------------------------------------------------------------------------


def test_every_entry_file_schema_line_points_at_its_schema():
    checked = 0
    for kind, folder in ENTRY_KINDS.items():
        for path in sorted((ROOT / "data" / folder).glob("*.yml")):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            match = MODELINE.match(first)
            if not first.startswith("# yaml-language-server"):
                continue  # optional: .vscode/settings.json maps the folder anyway
            assert match, (path, first)
            target = (path.parent / match.group(1)).resolve()
            assert target == ROOT / "schemas" / f"{kind}.schema.json" and target.is_file(), path
            checked += 1
    assert checked >= 50


def test_vscode_maps_every_data_file_to_an_existing_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    expected = {f"./schemas/{name}.schema.json": [pattern] for name, (pattern, _) in schema_files().items()}
    assert settings["yaml.schemas"] == expected
    for schema_file in expected:
        assert (ROOT / schema_file).is_file()
    mapped = {p for patterns in expected.values() for pattern in patterns for p in ROOT.glob(pattern)}
    assert mapped == set((ROOT / "data").rglob("*.yml"))


# --- check --format github ---------------------------------------------------------------------------------------


def test_github_format_puts_each_error_on_its_line(data_copy, capsys):
    shutil.copy(FIXTURES / "invalid" / "programme_missing_translation.yml", data_copy / "data" / "programmes" / "x.yml")
    assert main(["--root", str(data_copy), "check", "--format", "github"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "::error file=data/programmes/x.yml,line=3,col=1::name.en: missing English translation: add it "
        "(a plain translation is fine; mark an official one with en_source)"
    ]
    assert captured.err.startswith("check failed: 1 error(s)")


def test_github_format_shows_warnings_and_keeps_exit_code_zero(data_copy, capsys):
    path = data_copy / "data" / "programmes" / "ankang-cup.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"reviewed: \{date: \"[0-9-]+\"", 'reviewed: {date: "2020-01-01"', text), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("reviewed:"))
    by = re.search(r"reviewed: \{date: \"[0-9-]+\", by: ([\w.-]+)\}", text).group(1)
    assert main(["--root", str(data_copy), "check", "--format", "github"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("check passed")
    assert lines[0].startswith(
        f"::warning file=data/programmes/ankang-cup.yml,line={line},col=1::reviewed: last reviewed 2020-01-01 by {by}"
    )


def test_github_annotation_escapes_what_would_break_the_command():
    problem = Problem("data/a,b:c.yml", 4, 2, "summary.zh", "50% done\nnext")
    assert github_annotation(problem) == "::error file=data/a%2Cb%3Ac.yml,line=4,col=2::summary.zh: 50%25 done%0Anext"
    assert (
        github_annotation(Problem("data/sources/x.txt", 1, 1, "", "m", "warning"))
        == "::warning file=data/sources/x.txt,line=1,col=1::m"
    )


# --- pre-commit and CI -------------------------------------------------------------------------------------------


def test_pre_commit_runs_the_check_when_data_changes_and_lint_when_python_changes():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    hooks = {hook["files"]: hook for hook in repo["hooks"]}
    assert sorted(hooks) == ["\\.py$", "^data/"]
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
    assert hooks["^data/"]["entry"].endswith("check")
    assert hooks["\\.py$"]["entry"].endswith("lint")


def test_ci_workflow_runs_ci_run_and_annotates_the_check():
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    [job] = workflow["jobs"].values()
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert job["runs-on"] == "ubuntu-latest"
    assert any(step.get("with", {}).get("python-version") == "3.11" for step in job["steps"])
    assert "bash .ci/run" in runs and "python -m handbook check --format github" in runs
    assert not re.search(r"pypi|pythonhosted|index-url|registry", text, re.IGNORECASE)


def test_review_command_stamps_date_and_clears_an_outdated_translation(data_copy, capsys):
    from handbook.store import load_handbook
    from handbook.translation import translation_status

    path = data_copy / "data" / "programmes" / "ankang-cup.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("竞赛。各级工会", "竞赛活动。各级工会", 1), encoding="utf-8"
    )
    book, _ = load_handbook(data_copy)
    assert translation_status(book.programmes["ankang-cup"]) == "outdated"
    assert main(["--root", str(data_copy), "review", "programme", "ankang-cup", "--by", "reviewer-1", "--english"]) == 0
    book, problems = load_handbook(data_copy)
    entry = book.programmes["ankang-cup"]
    assert translation_status(entry) == "complete" and entry.reviewed.by == "reviewer-1"
    assert not [p for p in problems if p.severity == "error"]
    assert main(["--root", str(data_copy), "review", "programme", "no-such-id", "--by", "x"]) == 1
    assert "no programme 'no-such-id'" in capsys.readouterr().err


def test_keywords_are_not_translated_text_so_changing_them_keeps_the_english_complete(data_copy):
    from handbook.store import load_handbook
    from handbook.translation import translation_status

    path = data_copy / "data" / "programmes" / "ankang-cup.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nkeywords:\n  zh: [", "\nkeywords:\n  zh: [新加的词, ", 1), encoding="utf-8")
    book, _ = load_handbook(data_copy)
    entry = book.programmes["ankang-cup"]
    assert "新加的词" in entry.keywords.zh
    assert translation_status(entry) == "complete"
