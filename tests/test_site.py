"""The built site, read as files: both languages, generated pages, links, safety and atomic builds."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, html, run_build  # noqa: F401

from handbook.store import load_handbook

BOOK, _ = load_handbook(ROOT)


def pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html") if not str(p.relative_to(site)).startswith("en/")}


def test_every_page_exists_in_both_languages_at_the_same_path(site):
    chinese = pages(site)
    english = {str(p.relative_to(site / "en")) for p in (site / "en").rglob("*.html")}
    assert chinese == english
    assert "programmes/ankang-cup/index.html" in chinese


def test_pages_carry_their_language(site):
    assert '<html lang="zh-Hans"' in html(site, "programmes/ankang-cup/index.html")
    assert '<html lang="en"' in html(site, "en/programmes/ankang-cup/index.html")


def _switch_links(page_html: str) -> dict[str, str]:
    return dict(
        (lang, href)
        for href, lang in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"[^>]*class="md-select__link"', page_html)
    )


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "programmes/ankang-cup/index.html",
        "sources/xinxiang-2015-work-points/index.html",
        "glossary/index.html",
    ],
)
def test_language_switch_goes_to_the_same_page(site, path):
    zh_links = _switch_links(html(site, path))
    en_links = _switch_links(html(site, "en/" + path))
    here = (site / path).parent
    assert (here / zh_links["en"]).resolve() == (site / "en" / path).parent.resolve()
    assert ((site / "en" / path).parent / en_links["zh-Hans"]).resolve() == here.resolve()


def test_every_programme_has_a_page_in_both_languages_with_both_names(site):
    for programme in BOOK.programmes.values():
        zh = html(site, f"programmes/{programme.id}/index.html")
        en = html(site, f"en/programmes/{programme.id}/index.html")
        assert f"<h1>{_escape(programme.name.zh)}</h1>" in zh
        assert f"<h1>{_escape(programme.name.en)}</h1>" in en
        assert f'<span lang="zh-Hans">{_escape(programme.name.zh)}</span>' in en  # trainers need the Chinese too
        index = html(site, "programmes/index.html")
        assert f'href="../programmes/{programme.id}/"' in index or f'href="{programme.id}/"' in index


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_programme_page_shows_sections_with_shared_anchors(site):
    for path in ("programmes/ankang-cup/index.html", "en/programmes/ankang-cup/index.html"):
        page = html(site, path)
        for anchor in ("summary", "purpose", "organisers", "beneficiaries", "how-it-runs", "quotations", "sources"):
            assert f'id="{anchor}"' in page, (path, anchor)
    assert ">组织实施" in html(site, "programmes/ankang-cup/index.html")
    assert ">Who runs it" in html(site, "en/programmes/ankang-cup/index.html")


def test_quotation_links_to_the_paragraph_that_contains_it(site):
    page = html(site, "programmes/ankang-cup/index.html")
    assert "新工字〔2015〕14号" in page
    assert 'href="../../sources/xinxiang-2015-work-points/#p8"' in page
    source = html(site, "sources/xinxiang-2015-work-points/index.html")
    paragraph = re.search(r'<p id="p8">(.*?)</p>', source).group(1)
    assert "年內全縣參賽企業新增20家" in paragraph
    english = html(site, "en/programmes/ankang-cup/index.html")
    assert "Translation (the handbook&#39;s):" in english
    assert "para. 8" in english


def test_source_pages_number_every_paragraph_and_explain_masks(site):
    for source_id, paragraphs in BOOK.paragraphs.items():
        page = html(site, f"sources/{source_id}/index.html")
        assert f'id="p{len(paragraphs)}"' in page and f'id="p{len(paragraphs) + 1}"' not in page
    masked = html(site, "sources/masked-city-work-plan/index.html")
    assert "原文以“***”遮蔽城市名" in masked
    assert "The source masks the city name" in html(site, "en/sources/masked-city-work-plan/index.html")
    chengdu = html(site, "sources/chengdu-2012-serve-workers/index.html")
    assert "点击下载" not in chengdu and "三七文档" not in chengdu  # the document site's debris is gone


def test_glossary_lists_every_term_with_an_anchor_in_both_languages(site):
    for path in ("glossary/index.html", "en/glossary/index.html"):
        page = html(site, path)
        for term_id in BOOK.terms:
            assert f'<dt id="{term_id}">' in page


def test_terms_link_to_the_glossary_with_a_tooltip(site):
    linked = [p for p in BOOK.programmes if BOOK.terms_of(p)]
    assert linked, "no programme lists a glossary term"
    page = html(site, f"programmes/{linked[0]}/index.html")
    assert re.search(r'<a class="hb-term" href="\.\./\.\./glossary/#[a-z0-9-]+" title="[^"]+">', page)


class _ExternalResources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (
                name in ("src", "href")
                and value
                and tag in ("script", "link", "img", "iframe", "source", "audio", "video")
            ) and re.match(r"^(https?:)?//", value):
                self.found.append(f"<{tag} {name}={value}>")


def test_no_page_loads_anything_from_another_host(site):
    for path in site.rglob("*.html"):
        parser = _ExternalResources()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.found == [], path
    everything = "".join(
        p.read_text(encoding="utf-8", errors="ignore") for p in site.rglob("*") if p.suffix in (".html", ".css")
    )
    for host in ("fonts.googleapis", "fonts.gstatic", "api.github.com", "cdn.jsdelivr", "unpkg.com"):
        assert host not in everything


def _search_part(site, path: str) -> tuple[str, object]:
    """One file of the search index: (its name, its data)."""
    text = html(site, path)
    match = re.fullmatch(r'__handbookSearch\(("[a-z0-9]+"),(.*)\);\n', text, re.DOTALL)
    assert match, path
    return json.loads(match.group(1)), json.loads(match.group(2))


def _search_index(site, prefix: str) -> dict:
    """A language's search index as a whole: its core, with every entry's display data as "docs"."""
    name, core = _search_part(site, prefix + "search/index.js")
    assert name == "index"
    core["docs"] = [_search_part(site, f"{prefix}search/d/{n}.js")[1] for n in range(core["n"])]
    return core


def test_each_language_has_its_own_search_index(site):
    zh, en = _search_index(site, ""), _search_index(site, "en/")
    assert zh["lang"] == "zh" and en["lang"] == "en"
    titles_zh = {d["t"] for d in zh["docs"]}
    titles_en = {d["t"] for d in en["docs"]}
    assert "“安康杯”竞赛" in titles_zh and "“安康杯”竞赛" not in titles_en
    assert "Ankang (Safety and Health) Cup" in titles_en
    assert not (site / "search" / "search_index.json").exists()  # Material's lunr index is not built


def test_search_index_reads_traditional_sources_as_simplified_once(site):
    index = _search_index(site, "")
    xinxiang = next(d for d in index["docs"] if d["u"] == "sources/xinxiang-2015-work-points/")
    paragraph8 = dict((a, t) for a, _, t in xinxiang["s"])["p8"]
    assert "继续推进“安康杯”竞赛活动" in paragraph8
    assert "繼續" not in json.dumps(xinxiang, ensure_ascii=False)  # stored once, as Simplified
    pairs = index["t2s"]
    assert "學学" in pairs and "書书" in pairs  # the map that reads a Traditional query as Simplified
    ankang = next(d for d in index["docs"] if d["u"] == "programmes/ankang-cup/")
    assert {"ankangbei", "akb"} <= set(ankang["p"])


def test_search_index_holds_a_programmes_sections_without_citation_marks(site):
    index = _search_index(site, "")
    ankang = next(d for d in index["docs"] if d["u"] == "programmes/ankang-cup/")
    sections = {anchor: (heading, text) for anchor, heading, text in ankang["s"]}
    assert sections["summary"][0] == "概要" and BOOK.programmes["ankang-cup"].summary.zh[:12] in sections["summary"][1]
    assert "sources" not in sections and "related" not in sections  # lists of names other results already hold
    assert "¶" not in sections["summary"][1] and "¶" not in sections["purpose"][1]  # citation marks are left out


def test_page_sections_reads_html_as_a_browser_would():
    from macros.search_index import page_sections

    html = (
        '<h1>T</h1><p title="a > b">intro &amp; more</p><!-- <h2 id="no">x</h2> -->'
        '<script>if (a<b) { x = "</p>" }</script><h2 id="one">One <a class="headerlink" href="#one">¶</a></h2>'
        '<p>first<br/>line <span class="hb-cites"><a>cite ¶3</a></span></p><svg><text>chart</text></svg>'
        "<h2 id=two>Two</h2><ul><li>a</li><li>b</li></ul><button>copy</button>"
    )
    assert page_sections(html) == [["", "", "T intro & more"], ["one", "One", "firstline"], ["two", "Two", "a b"]]


def test_hostile_text_is_shown_literally_never_run_or_evaluated(hostile_site):
    zh = html(hostile_site, "programmes/hostile/index.html")
    en = html(hostile_site, "en/programmes/hostile/index.html")
    assert "&lt;script&gt;alert(&#39;zh&#39;)&lt;/script&gt;{{ 7*7 }}" in zh
    assert "{{ config.site_name }}" in zh and "**粗体** [链接](javascript:alert(1)) {# 注释 #}" in zh
    assert "&lt;img src=x onerror=alert(1)&gt;{% raw %}x{% endraw %}" in en
    assert "{{ 6*7 }}" in en and "{% include &#39;base.html&#39; %}" in en
    assert "&lt;iframe src=//evil.example&gt;" in zh
    for page in (zh, en):
        assert "<script>alert" not in page and "<img src=x" not in page and "<iframe" not in page
        assert "<b onmouseover" not in page and 'href="javascript:' not in page
        assert ">49<" not in page and ">42<" not in page
    assert "# 不是标题 &lt;!-- 注释 --&gt;" in zh


def test_failed_build_leaves_the_last_good_site_in_place(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    assert run_build(project, out).returncode == 0
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    programme = project / "data" / "programmes" / "ankang-cup.yml"
    programme.write_text(
        programme.read_text(encoding="utf-8").replace("level: county", "level: village"), encoding="utf-8"
    )
    result = run_build(project, out)
    assert result.returncode == 1
    assert "data/programmes/ankang-cup.yml:" in result.stderr and "organisers.2.level" in result.stderr
    assert f"{out} was left unchanged" in result.stderr
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]


def test_broken_link_in_a_page_fails_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "project")
    about = project / "docs" / "en" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        + "\nSee [the plan](programmes/no-such-programme.md) and [text](sources/index.md#no-such-anchor).\n",
        encoding="utf-8",
    )
    result = run_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "programmes/no-such-programme.md" in result.stderr
    assert not (tmp_path / "site").exists()
