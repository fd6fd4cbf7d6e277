"""Editions: two editions built from fixture data. A trainer who cited an entry in the first edition finds it as
it was (with a banner), the entry's history says in words what changed and why, citations name the edition, the
Atom feeds parse and list the change, an English page says since which edition its Chinese changed, and each
edition's open data stays published. A malformed editions file is refused with path:line:col, and the
reviewer's report of a pull request names the changed pages and a new problem with its line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from conftest import ROOT, copy_project, html, run_build, run_in

from handbook.cli import main
from handbook.store import load_handbook

OLD_SUMMARY_START = "以“安康杯”为名的职工安全健康竞赛。"
NEW_SUMMARY_START = "“安康杯”竞赛是各级工会开展劳动保护工作的载体。"
NOTE_ZH = "据新乡县 2015 年工作要点改写概要。"
UNPUBLISHED = "（尚未发布的修订）"


def handbook(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run_in(project, "handbook", "--root", str(project), *args)


def rename_programme(project: Path, old: str, new: str) -> None:
    """As a maintainer renames: the file, its id with the old one in former_ids, and every reference to it."""
    source = project / "data" / "programmes" / f"{old}.yml"
    text = source.read_text(encoding="utf-8").replace(f"id: {old}\n", f"id: {new}\nformer_ids: [{old}]\n", 1)
    (project / "data" / "programmes" / f"{new}.yml").write_text(text, encoding="utf-8")
    source.unlink()
    for other in (project / "data").rglob("*.yml"):
        if other.name != f"{new}.yml" and old in (found := other.read_text(encoding="utf-8")):
            other.write_text(re.sub(rf"\b{old}\b", new, found), encoding="utf-8")


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    """A project with two editions: 2026.06, the data as it is; 2026.12, with the Ankang Cup's summary rewritten
    (and a note saying why), a programme renamed, and a new programme that 2026.06 did not have."""
    project = copy_project(tmp_path_factory.mktemp("editions") / "project")
    (project / "data" / "editions.yml").unlink(missing_ok=True)
    shutil.rmtree(project / "data" / "editions", ignore_errors=True)
    first = handbook(project, "edition", "new", "--date", "2026-06-15", "--zh", "第一版。", "--en", "First edition.")
    assert first.returncode == 0, first.stderr
    ankang = project / "data" / "programmes" / "ankang-cup.yml"
    text = ankang.read_text(encoding="utf-8")
    assert OLD_SUMMARY_START in text
    ankang.write_text(text.replace(OLD_SUMMARY_START, NEW_SUMMARY_START, 1), encoding="utf-8")
    rename_programme(project, "east-west-poverty-alleviation", "east-west-cooperation-aid")
    new = (project / "data" / "programmes" / "workers-reading-rooms.yml").read_text(encoding="utf-8")
    assert "id: workers-reading-rooms\n" in new
    (project / "data" / "programmes" / "workers-reading-rooms-copy.yml").write_text(
        new.replace("id: workers-reading-rooms\n", "id: workers-reading-rooms-copy\n", 1), encoding="utf-8"
    )
    second = handbook(
        project, "edition", "new", "--date", "2026-12-01", "--zh", "改写安康杯概要。", "--en", "Rewrote a summary."
    )
    assert second.returncode == 0, second.stderr
    listed = project / "data" / "editions.yml"
    listed.write_text(
        listed.read_text(encoding="utf-8")
        + f"    notes:\n      programmes/ankang-cup:\n        zh: {NOTE_ZH}\n        en: Rewrote the summary.\n",
        encoding="utf-8",
    )
    contests = project / "data" / "programmes" / "labour-contests.yml"  # a change not yet in an edition
    contests.write_text(
        contests.read_text(encoding="utf-8").replace("summary:\n  zh: ", f"summary:\n  zh: {UNPUBLISHED}", 1),
        encoding="utf-8",
    )
    result = run_build(project, project / "site", date="1796428800")
    assert result.returncode == 0, result.stderr
    return project


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_history_says_in_words_what_changed_in_which_edition_and_why(editions):
    raw = html(editions / "site", "programmes/ankang-cup/index.html")
    history = text_of(raw[raw.index('id="hb-history"') - 30 :].split(">", 1)[1])
    assert history.startswith(" 修订记录")
    assert "2026.12 版（2026-12-01） ：修改概要" in history and NOTE_ZH in history
    assert "2026.06 版（2026-06-15） ：首次收录" in history
    english = text_of(html(editions / "site", "en/programmes/ankang-cup/index.html"))
    assert "edition 2026.12 (2026-12-01) : Changed summary" in english and "Rewrote the summary." in english
    assert 'href="../../editions/2026.06/programmes/ankang-cup/"' in raw  # the entry as the first edition had it


def test_a_renamed_entry_keeps_its_history_and_its_old_citations(editions):
    page = text_of(html(editions / "site", "programmes/east-west-cooperation-aid/index.html"))
    assert "编号由 east-west-poverty-alleviation 改为现名" in page and "首次收录" in page
    old = html(editions / "site", "editions/2026.06/programmes/east-west-poverty-alleviation/index.html")
    assert "旧版内容" in old and 'href="../../../../programmes/east-west-cooperation-aid/"' in old


def test_the_older_edition_shows_the_older_text_with_a_banner_to_the_current_page(editions):
    page = html(editions / "site", "editions/2026.06/programmes/ankang-cup/index.html")
    words = text_of(page)
    assert "旧版内容" in words and "这是本条目在2026.06 版（2026-06-15）中的内容，不是当前内容。" in words
    assert OLD_SUMMARY_START in words and NEW_SUMMARY_START not in words
    assert "类别 建功立业与劳动竞赛" in words and "县（市、区）级" in words  # names, not the data's ids
    assert "2026.12 版（2026-12-01）：修改概要" in words  # what changed since
    assert 'href="../../../../programmes/ankang-cup/"' in page
    english = text_of(html(editions / "site", "en/editions/2026.06/programmes/ankang-cup/index.html"))
    assert "This is the entry as it was in edition 2026.06 (2026-06-15), not as it is now." in english


def test_an_unchanged_entry_leads_to_its_current_page(editions):
    same = html(editions / "site", "editions/2026.06/programmes/jinqiu-student-aid/index.html")
    assert 'http-equiv="refresh" content="0; url=../../../../programmes/jinqiu-student-aid/"' in same


@pytest.mark.browser
def test_an_edition_without_the_entry_says_so_and_links_the_current_page(editions, page):
    """A host serves the 404 page for an address it does not have; at an older edition's address of an entry
    added later, that page says the edition did not have it and links the entry's current page."""
    from scripts.local_site import serving

    with serving(editions / "site") as origin:
        for prefix, words in (
            ("", "手册的 2026.06 版尚未收录这个条目"),
            ("en/", "Edition 2026.06 of the handbook did not"),
        ):
            response = page.goto(f"{origin}/{prefix}editions/2026.06/programmes/workers-reading-rooms-copy/")
            assert response is not None and response.status == 404
            box = page.locator("#hb-edition-absent")
            assert box.is_visible() and words in box.inner_text()
            box.locator("a").click()
            page.wait_for_url(f"{origin}/{prefix}programmes/workers-reading-rooms-copy/")
        page.goto(f"{origin}/programmes/no-such-page/")
        assert not page.locator("#hb-edition-absent").is_visible()  # other missing pages: the plain 404 page


def test_citations_name_the_edition_and_link_its_view(editions):
    page = html(editions / "site", "programmes/ankang-cup/index.html")
    assert "工会工作手册（2026.12 版）. “安康杯”竞赛[EB/OL]." in page
    assert 'data-href="../../editions/2026.12/programmes/ankang-cup/"' in page
    # the current edition's view of an entry is, while it is unchanged, its current page
    view = html(editions / "site", "editions/2026.12/programmes/ankang-cup/index.html")
    assert "url=../../../../programmes/ankang-cup/" in view
    english = html(editions / "site", "en/programmes/ankang-cup/index.html")
    assert "(edition 2026.12). Retrieved" in english


def test_a_change_not_yet_in_an_edition_is_cited_as_the_current_page(editions):
    """The last edition does not hold what the page now says: its citation names no edition and links the page
    itself, and its history lists the change as unpublished, linking the last edition's version."""
    raw = html(editions / "site", "programmes/labour-contests/index.html")
    block = raw[raw.index('<details class="hb-citations" id="cite">') :]
    block = block[: block.index("</details>")]
    assert "工会工作手册. 劳动竞赛与职工技能竞赛[EB/OL]." in block and "版）" not in block
    assert "editions/" not in block
    history = text_of(raw[raw.index('id="hb-history"') - 30 :].split(">", 1)[1])
    assert "上一版以来（尚未发布） ：修改概要" in history
    assert 'href="../../editions/2026.06/programmes/labour-contests/"' in raw  # the version both editions had
    old = text_of(html(editions / "site", "editions/2026.06/programmes/labour-contests/index.html"))
    assert "这是本条目在2026.06 至 2026.12 版（2026-06-15 至 2026-12-01）中的内容" in old and UNPUBLISHED not in old
    later = html(editions / "site", "editions/2026.12/programmes/labour-contests/index.html")
    assert "url=../../../2026.06/programmes/labour-contests/" in later


def test_the_atom_feeds_parse_and_list_the_change(editions):
    for prefix, title in (("", "“安康杯”竞赛：修改概要"), ("en/", "Ankang (Safety and Health) Cup: Changed summary")):
        feed = feedparser.parse((editions / "site" / prefix / "feed.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.title and feed.feed.updated.startswith("2026-12-01")
        titles = [entry.title for entry in feed.entries]
        assert title in titles, titles[:5]
        change = feed.entries[titles.index(title)]
        assert change.link.endswith("programmes/ankang-cup/") and change.updated.startswith("2026-12-01")
        assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    changes = text_of(html(editions / "site", "changes/index.html"))
    assert changes.index("2026.12 版（2026-12-01）") < changes.index("2026.06 版（2026-06-15）")
    assert "“安康杯”竞赛 项目 ：修改概要" in changes and "首个编号版本，收录当时的全部" in changes


def test_english_out_of_date_says_since_which_edition_and_what_changed(editions):
    page = text_of(html(editions / "site", "en/programmes/ankang-cup/index.html"))
    assert (
        "The English was reviewed against edition 2026.06 (2026-06-15); the Chinese has changed since in: summary."
        in page
    )


def test_each_editions_open_data_stays_published(editions):
    old = json.loads((editions / "site/data/editions/2026.06/programmes.json").read_text(encoding="utf-8"))
    new = json.loads((editions / "site/data/editions/2026.12/programmes.json").read_text(encoding="utf-8"))
    summary = {record["id"]: record["summary"]["zh"] for record in old}
    assert summary["ankang-cup"].startswith(OLD_SUMMARY_START)
    assert {record["id"]: record["summary"]["zh"] for record in new}["ankang-cup"].startswith(NEW_SUMMARY_START)
    assert "workers-reading-rooms-copy" not in summary


def test_a_new_edition_needs_a_change(editions, tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    shutil.copytree(editions / "data", project / "data")
    shutil.copy(ROOT / "data" / "programmes" / "labour-contests.yml", project / "data" / "programmes")  # as published
    again = handbook(project, "edition", "new", "--date", "2026-12-20", "--zh", "再来一版。", "--en", "Again.")
    assert again.returncode == 1 and "nothing changed since edition 2026.12" in again.stderr


EDITIONS_HEAD = "editions:\n"


@pytest.mark.parametrize(
    "body,expected",
    [
        (
            '  - id: "2026.12"\n    date: 2026-12-01\n    summary: {zh: 一, en: One}\n'
            '  - id: "2026.06"\n    date: 2026-06-15\n    summary: {zh: 二, en: Two}\n',
            "data/editions.yml:6:5: editions.1.date: edition 2026.06 (2026-06-15) is older than edition 2026.12 "
            "(2026-12-01) above it: list editions oldest first",
        ),
        (
            '  - id: "2026.06"\n    date: 2026-06-01\n    summary: {zh: 一, en: One}\n'
            '  - id: "2026.06"\n    date: 2026-06-15\n    summary: {zh: 二, en: Two}\n',
            "data/editions.yml:5:5: editions.1.id: edition 2026.06 is listed twice (first as item 1): give each "
            "edition its own id",
        ),
        (
            "  - id: 2026.6\n    date: 2026-06-01\n    summary: {zh: 一, en: One}\n",
            "data/editions.yml:2:5: editions.0.id: id 2026.6 is not an edition id",
        ),
        (
            '  - id: "2026.06"\n    date: 2026-06-01\n    summary: {zh: 一}\n',
            "data/editions.yml:4:5: editions.0.summary: summary needs zh: and en:, each a line of text",
        ),
        ('  - id: "2026.06"\n    date: 2026-06-01\n    summary: [zh: 一\n', "data/editions.yml:5:1: YAML syntax error"),
        (
            '  - id: "2026.07"\n    date: 2026-06-01\n    summary: {zh: 一, en: One}\n',
            "data/editions.yml:2:5: editions.0.id: edition 2026.07 is dated 2026-06-01: its id starts with the year",
        ),
    ],
)
def test_a_bad_editions_file_is_refused_with_its_line(data_copy, body, expected, capsys):
    data = data_copy / "data"
    shutil.rmtree(data / "editions", ignore_errors=True)
    (data / "editions").mkdir()
    for edition in ("2026.06", "2026.12"):
        (data / "editions" / f"{edition}.jsonl").write_text("", encoding="utf-8")
    (data / "editions.yml").write_text(EDITIONS_HEAD + body, encoding="utf-8")
    _, problems = load_handbook(data_copy)
    lines = [str(p) for p in problems if p.path.startswith("data/editions")]
    assert any(line.startswith(expected) for line in lines), lines
    assert main(["--root", str(data_copy), "check"]) == 1
    assert expected in capsys.readouterr().err


def test_a_broken_snapshot_line_is_named(data_copy):
    data = data_copy / "data"
    shutil.rmtree(data / "editions")
    (data / "editions").mkdir()
    (data / "editions" / "2026.06.jsonl").write_text(
        '{"key": "programmes/x", "record": {}}\nnot json\n', encoding="utf-8"
    )
    (data / "editions.yml").write_text(
        EDITIONS_HEAD + '  - id: "2026.06"\n    date: "2026-06-01"\n    summary: {zh: 一, en: One}\n', encoding="utf-8"
    )
    _, problems = load_handbook(data_copy)
    found = [str(p) for p in problems if p.path.startswith("data/editions")]
    assert "data/editions.yml:2:5: editions.0.sha256: no sha256 of data/editions/2026.06.jsonl" in "\n".join(found)
    assert any(line.startswith("data/editions/2026.06.jsonl:2:1: not a snapshot line") for line in found), found


def test_a_published_edition_cannot_change(data_copy, capsys):
    """Editing an edition's file after it was published is refused, at the digest's line in editions.yml."""
    snapshot = data_copy / "data" / "editions" / "2026.12.jsonl"
    lines = snapshot.read_text(encoding="utf-8").splitlines(keepends=True)
    snapshot.write_text("".join(lines[1:]), encoding="utf-8")  # an entry dropped from the record
    line = next(
        n
        for n, text in enumerate((data_copy / "data" / "editions.yml").read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("sha256:")
    )
    assert main(["--root", str(data_copy), "check"]) == 1
    assert (
        f"data/editions.yml:{line}:5: editions.0.sha256: data/editions/2026.12.jsonl is not the file edition 2026.12 "
        "was published with (its SHA-256 differs)"
    ) in capsys.readouterr().err


def test_the_pull_request_report_names_changed_pages_and_new_problems(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "data", repo / "data")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    ankang = repo / "data" / "programmes" / "ankang-cup.yml"
    text = ankang.read_text(encoding="utf-8")
    text = text.replace(OLD_SUMMARY_START, NEW_SUMMARY_START, 1)
    cited = re.search(r"cite: \[xinxiang-2015-work-points#p8", text)
    assert cited
    text = text[: cited.start()] + "cite: [no-such-source#p8" + text[cited.end() :]
    quote = "quotes:\n  - source: xinxiang-2015-work-points\n    paragraph: 8\n"
    assert quote in text
    text = text.replace(quote, quote.replace("paragraph: 8", "paragraph: 9"), 1)  # a quotation moved to ¶9
    ankang.write_text(text, encoding="utf-8")
    line = text[: text.index("no-such-source")].count("\n") + 1
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "head")
    result = handbook(repo, "changes", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert (
        "| `programmes/ankang-cup` | changed: Changed summary; quotation added: xinxiang-2015-work-points ¶9" in report
    )
    assert "`/programmes/ankang-cup/`" in report and "`/en/programmes/ankang-cup/`" in report
    assert "- added `programmes/ankang-cup`: `no-such-source#p8`" in report
    quotations = report[report.index("### Quotations") :]
    assert "- added `programmes/ankang-cup`: xinxiang-2015-work-points ¶9 — ✗" in quotations  # no longer checks
    assert "- removed `programmes/ankang-cup`: xinxiang-2015-work-points ¶8" in quotations
    new_problems = report[report.index("### New problems") :]
    assert f"`data/programmes/ankang-cup.yml:{line}:" in new_problems and "no-such-source" in new_problems
    folders = handbook(repo, "changes", str(ROOT), str(repo))  # two folders work the same
    assert folders.returncode == 0 and "`programmes/ankang-cup`" in folders.stdout


VIEWS = ["editions/2026.06/programmes/ankang-cup/", "changes/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", VIEWS + ["en/" + view for view in VIEWS])
def test_the_edition_pages_have_no_serious_axe_violations(editions, page, path):
    from test_accessibility import AXE, BLOCKING, WCAG_TAGS, _describe

    from scripts.local_site import serving

    with serving(editions / "site") as origin:
        page.goto(f"{origin}/{path}", wait_until="load")
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        results = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
            WCAG_TAGS,
        )
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(_describe(path, v) for v in blocking)


@pytest.mark.java
def test_the_edition_pages_are_valid_html(editions):
    from test_validity import VNU, _allowed

    files = [editions / "site" / prefix / view / "index.html" for view in VIEWS for prefix in ("", "en")]
    result = subprocess.run(
        [shutil.which("java") or "java", "-jar", str(VNU), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error") and not _allowed(m)]
    assert not errors, [(m.get("url", "")[-60:], m["message"]) for m in errors]


def test_a_past_version_kept_by_several_editions_is_one_page():
    """An entry that changed in 2026.02 and again after 2026.04: 2026.01 has a page of its own, 2026.02 has one
    for the editions 2026.02 to 2026.04, whose addresses lead to it; entries never changed lead to their pages."""
    from handbook.editions import Edition, Editions, current_records
    from macros.edition_pages import views

    book, _ = load_handbook(ROOT)
    now = current_records(book)
    key = "programmes/ankang-cup"
    older = {**now[key], "summary": {**now[key]["summary"], "zh": "一月的概要。"}}
    middle = {**now[key], "summary": {**now[key]["summary"], "zh": "二至四月的概要。"}}
    editions = [Edition(f"2026.0{m}", f"2026-0{m}-01", {"zh": "版", "en": "Edition"}) for m in (1, 2, 3, 4)]
    book.editions = Editions(
        editions, known_entries={e.id: {**now, key: older if e.id == "2026.01" else middle} for e in editions}
    )
    found = views(book)
    first, second, third, fourth = (found[f"editions/2026.0{m}/programmes/ankang-cup.md"] for m in (1, 2, 3, 4))
    assert (first.what, first.last) == ("page", None)
    assert second.what == "page" and second.last is editions[3]
    assert (third.what, third.page_src) == ("alias", "editions/2026.02/programmes/ankang-cup.md")
    assert (fourth.what, fourth.page_src) == ("alias", "editions/2026.02/programmes/ankang-cup.md")
    assert found["editions/2026.03/programmes/jinqiu-student-aid.md"].what == "same"
    assert sum(view.what == "page" for view in found.values()) == 2
