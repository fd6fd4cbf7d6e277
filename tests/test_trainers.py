"""What trainers need: citations, stable links that survive renames, print and PDF, offline, open data;
and the status pages maintainers read."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project, html, run_build

from handbook.store import load_handbook
from scripts.local_site import serving

BOOK, _ = load_handbook(ROOT)


def test_programme_page_offers_gbt7714_and_apa_citations(site):
    page = html(site, "programmes/ankang-cup/index.html")
    block = page[page.index('<details class="hb-citations" id="cite">') :]
    block = block[: block.index("</details>")]
    reviewed = dt.date.fromisoformat(BOOK.programmes["ankang-cup"].reviewed.date)  # a page is dated by its review
    edition = BOOK.editions.latest.id  # a citation names the edition it cites, and links that edition's view
    assert f"工会工作手册（{edition} 版）. “安康杯”竞赛[EB/OL]. ({reviewed.isoformat()})[" in block
    when = f"{reviewed.year}, {reviewed.strftime('%B')} {reviewed.day}"
    assert (
        f"Union Programmes Handbook. ({when}). Ankang (Safety and Health) Cup (edition {edition}). Retrieved " in block
    )
    assert f'data-href="../../editions/{edition}/programmes/ankang-cup/"' in block
    assert block.count('class="md-button hb-copy"') == 2


def test_quotation_citation_names_the_primary_document_and_where_it_was_read(site):
    page = html(site, "programmes/ankang-cup/index.html")
    quote = page[page.index('id="quote-1"') :]
    quote = quote[: quote.index("</figure>")]
    assert "新乡县总工会. 新乡县总工会2015年工作要点: 新工字〔2015〕14号[Z/OL]. (2015-03-04)[" in quote
    assert f"转引自: 工会工作手册（{BOOK.editions.latest.id} 版）, 第8段." in quote
    assert 'data-href="../../sources/xinxiang-2015-work-points/#p8"' in quote
    assert (
        "Xinxiang County Federation of Trade Unions. (2015, March 4). Xinxiang County Federation of Trade Unions, "
        "key points of work for 2015 (新工字〔2015〕14号) [Work plan]. In Union Programmes Handbook (edition "
        f"{BOOK.editions.latest.id}), para. 8."
    ) in quote


def test_source_pages_offer_a_citation(site):
    page = html(site, "en/sources/chengdu-2012-serve-workers/index.html")
    assert "成工发〔2012〕2号" in page and '<details class="hb-citations" id="cite">' in page


@pytest.mark.browser
def test_citation_gets_the_pages_address_and_todays_date_and_copies(browser, server):
    import datetime as dt

    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(server + "/en/programmes/ankang-cup/")
    page.locator("#cite summary").click()
    text = page.locator("#cite .hb-citation-text").first.inner_text()
    today = dt.date.today()
    edition = BOOK.editions.latest.id  # the address of the edition's view, which leads to this page while unchanged
    assert (
        f"Retrieved {today.strftime('%B')} {today.day}, {today.year}, "
        f"from {server}/en/editions/{edition}/programmes/ankang-cup/" in text
    )
    page.goto(f"{server}/en/editions/{edition}/programmes/ankang-cup/")
    page.wait_for_url(server + "/en/programmes/ankang-cup/")
    page.goto(server + "/en/programmes/ankang-cup/")
    page.locator("#cite summary").click()
    page.locator("#cite .hb-copy").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == text.strip()
    context.close()


def test_section_anchors_are_the_same_in_both_languages(site):
    for programme_id in BOOK.programmes:
        zh = set(re.findall(r'<h2 id="([^"]+)"', html(site, f"programmes/{programme_id}/index.html")))
        en = set(re.findall(r'<h2 id="([^"]+)"', html(site, f"en/programmes/{programme_id}/index.html")))
        assert zh == en and {"summary", "purpose", "organisers", "sources"} <= zh


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory) -> Path:
    """The handbook after a rename (ankang-cup was 'safety-cup') and a Chinese edit not yet reviewed in English."""
    project = copy_project(tmp_path_factory.mktemp("changed") / "project")
    programme = project / "data" / "programmes" / "ankang-cup.yml"
    text = programme.read_text(encoding="utf-8")
    text = text.replace("  zh: 以“安康杯”为名的职工安全健康竞赛。", "  zh: 以“安康杯”为名的职工安全健康竞赛活动。")
    programme.write_text(text + "former_ids: [safety-cup]\n", encoding="utf-8")
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_a_former_id_redirects_to_the_renamed_page(changed_site):
    for prefix in ("", "en/"):
        redirect = html(changed_site, prefix + "programmes/safety-cup/index.html")
        assert '<meta http-equiv="refresh" content="0; url=../ankang-cup/">' in redirect
        assert '<link rel="canonical" href="../ankang-cup/">' in redirect


@pytest.mark.browser
def test_an_old_link_with_an_anchor_lands_on_the_same_section(browser, changed_site):
    with serving(changed_site) as origin:
        page = browser.new_page()
        page.goto(origin + "/programmes/safety-cup/#quotations")
        page.wait_for_url(origin + "/programmes/ankang-cup/#quotations")
        assert page.locator("h1").first.inner_text() == "“安康杯”竞赛"
        page.close()


def test_english_page_warns_when_the_chinese_changed_after_review(changed_site, site):
    changed = html(changed_site, "en/programmes/ankang-cup/index.html")
    assert "Translation out of date" in changed and "The Chinese page is authoritative" in changed
    assert "Translation out of date" not in html(site, "en/programmes/ankang-cup/index.html")
    status = html(changed_site, "en/status/index.html")
    row = re.search(r'<tr id="programmes-ankang-cup">.*?</tr>', status, re.S).group(0)
    assert "English out of date" in row


def test_status_page_lists_every_entry_with_its_review(site):
    page = html(site, "status/index.html")
    for kind in ("programmes", "terms", "laws", "sources"):
        for entry_id in getattr(BOOK, kind):
            assert f'<tr id="{kind}-{entry_id}">' in page
    assert "2026-11-21 · initial-curation" in page


def test_every_page_names_the_file_to_edit(site):
    page = html(site, "programmes/ankang-cup/index.html")
    # for maintainers, small, at the foot: the file and how to edit it; no edit button until a repository is set
    assert (
        '<a href="../../contributing/#edit" rel="edit">编辑此页</a> · <code>data/programmes/ankang-cup.yml</code>'
        in page
    )
    assert "md-content__button" not in page
    reviewed = BOOK.programmes["ankang-cup"].reviewed.date
    assert f"最近核对：{reviewed}" in page
    assert f"Last reviewed: {BOOK.laws['trade-union-law'].reviewed.date}" in html(
        site, "en/laws/trade-union-law/index.html"
    )
    assert "<code>docs/en/about.md</code>" in html(site, "en/about/index.html")
    assert 'id="edit"' in html(site, "contributing/index.html") and 'id="edit"' in html(
        site, "en/contributing/index.html"
    )


def test_maintainers_pages_are_out_of_the_readers_menu(site):
    for config, prefix, section in (("mkdocs.yml", "", "维护"), ("mkdocs.en.yml", "en/", "Maintaining")):
        nav = yaml.load((ROOT / config).read_text(encoding="utf-8"), Loader=yaml.Loader)["nav"]
        top = {str(next(iter(item.values()))) if isinstance(item, dict) else item for item in nav}
        assert not top & {"contributing.md", "pending.md", "status.md"}, top
        maintaining = next(item[section] for item in nav if isinstance(item, dict) and section in item)
        assert {next(iter(item.values())) for item in maintaining} == {"contributing.md", "pending.md", "status.md"}
        assert re.search(rf'<span class="md-ellipsis">\s*{section}\s*</span>', html(site, prefix + "index.html"))


def test_chinese_pages_list_chinese_other_names_only(site):
    checked = 0
    for programme in BOOK.programmes.values():
        if not programme.aliases.en:
            continue
        zh = html(site, f"programmes/{programme.id}/index.html")
        en = html(site, f"en/programmes/{programme.id}/index.html")
        names_zh = re.search(r'<p class="hb-aliases">(.*?)</p>', zh, re.S)
        names_en = re.search(r'<p class="hb-aliases">(.*?)</p>', en, re.S).group(1)
        for alias in programme.aliases.en:
            assert names_zh is None or alias not in unescape(names_zh.group(1)), (programme.id, alias)
            assert alias in unescape(names_en), (programme.id, alias)
        checked += 1
    assert checked >= 5


def test_a_missing_page_says_so_in_each_language_and_offers_the_way_back(site):
    zh, en = html(site, "404.html"), html(site, "en/404.html")
    assert "页面未找到（404）" in zh and 'for="__search"' in zh and 'href="/programmes/"' in zh
    assert "Page not found (404)" in en and 'href="/en/programmes/"' in en and "404 - Not found" not in en


def test_handout_and_printable_edition(site):
    for programme_id in BOOK.programmes:
        handout = html(site, f"handouts/{programme_id}/index.html")
        assert 'class="hb-handout hb-handout-page"' in handout and "[EB/OL]" in handout
        programme = BOOK.programmes[programme_id]
        assert "本手册版本：" in handout and "资料来源" in handout
        for quote in programme.quotes[:3]:
            assert f"¶{quote.paragraph}</p>" in handout
        assert "网址待定" in handout and "<svg" not in handout.split('class="hb-handout-address"')[1][:200]
    printable = html(site, "en/print/index.html")
    for programme in BOOK.programmes.values():
        assert f'<h2 id="{programme.id}">' in printable
        assert f'<li><a href="#{programme.id}">' in printable  # in the contents
    css = (site / "assets" / "handbook.css").read_text(encoding="utf-8")
    assert "@page { size: A4" in css and ".md-header, .md-tabs, .md-sidebar" in css


def test_open_data_as_json_and_csv(site):
    programmes = json.loads((site / "data" / "programmes.json").read_text(encoding="utf-8"))
    assert {p["id"] for p in programmes} == set(BOOK.programmes)
    one = json.loads((site / "data" / "programmes" / "ankang-cup.json").read_text(encoding="utf-8"))
    assert one["name"]["zh"] == "“安康杯”竞赛" and one["translation_status"] == "complete"
    rows = list(csv.DictReader(io.StringIO((site / "data" / "targets.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(BOOK.targets) and {"value_text", "cite", "place_zh"} <= set(rows[0])
    laws = (site / "data" / "laws.csv").read_bytes()
    assert laws.startswith("\ufeff".encode()) and len(laws.decode("utf-8-sig").splitlines()) == len(BOOK.laws) + 1
    page = html(site, "en/open-data/index.html")
    assert 'href="../../data/programmes.json"' in page and 'id="licence"' in page


@pytest.mark.browser
def test_offline_zip_works_from_disk_with_search(browser, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scripts.make_offline", "--out", str(tmp_path / "h.zip")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "h.zip") as bundle:
        bundle.extractall(tmp_path)
    home = tmp_path / "handbook" / "index.html"
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(home.as_uri())
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("金秋助學")
    page.wait_for_selector(".md-search-result__item a", timeout=10000)
    with page.expect_navigation():
        page.locator(".md-search-result__item > a").first.click()
    assert page.url == (tmp_path / "handbook" / "programmes" / "jinqiu-student-aid.html").as_uri()
    with page.expect_navigation():
        page.locator('a.md-select__link[hreflang="en"]').evaluate("link => link.click()")
    assert page.url == (tmp_path / "handbook" / "en" / "programmes" / "jinqiu-student-aid.html").as_uri()
    assert errors == []
    page.close()


@pytest.mark.browser
def test_pdf_of_a_handout_is_a4_with_chinese_text(site, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.make_pdf",
            "--site",
            str(site),
            "--out",
            str(tmp_path),
            "--programme",
            "ankang-cup",
            "--programme",
            "labour-dispute-mediation",  # among the longest in English
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for lang, cite, programme_id in (
        ("zh", "[EB/OL]", "ankang-cup"),
        ("en", "Retrieved", "ankang-cup"),
        ("en", "Retrieved", "labour-dispute-mediation"),
    ):
        pdf = tmp_path / lang / "handouts" / f"{programme_id}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
            name = getattr(BOOK.programmes[programme_id].name, lang)
            assert name in text and cite in text and "127.0.0.1" not in text
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            pages = int(re.search(r"Pages:\s+(\d+)\n", info).group(1))
            assert "(A4)" in info and pages == 1, (lang, programme_id)  # one page: the brief, not the whole guide
    edition = tmp_path / "en" / "handbook.pdf"
    assert edition.stat().st_size > 50_000
    if shutil.which("pdftotext"):  # the printable edition: a contents page, and numbered pages
        text = subprocess.run(["pdftotext", "-layout", str(edition), "-"], capture_output=True, text=True).stdout
        assert "Contents" in text and BOOK.programmes["ankang-cup"].name.en in text
        total = len(text.split("\f")) - 1
        assert total > 10 and re.search(rf"\b2 / {total}\b", text), total
