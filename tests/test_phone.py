"""The site on a phone, in headless Chromium at 360 × 740: no page slides sideways, wide tables scroll in their
own box and say so, and the language switch keeps the reader's place."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from handbook.store import load_handbook

BOOK, _ = load_handbook(ROOT)
pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def built_pages(site) -> list[str]:
    """Every page of both languages (redirect stubs of former ids apart)."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        text = html.read_text(encoding="utf-8", errors="ignore")
        if 'http-equiv="refresh"' in text or "md-content" not in text:
            continue
        path = "/" + str(html.relative_to(site)).removesuffix("index.html")
        pages.append(path)
    return pages


def test_no_page_is_wider_than_a_phone(phone, server, site):
    pages = built_pages(site)
    assert len(pages) > 250 and "/en/matrix/" in pages and "/programmes/ankang-cup/" in pages
    too_wide = []
    for path in pages:
        phone.goto(server + path, wait_until="load")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append((path, width))
    assert too_wide == []


def test_a_wide_table_scrolls_in_its_own_box_and_says_so(phone, server):
    phone.goto(server + "/en/matrix/")
    box = phone.locator(".md-typeset__table.hb-scrolls").first
    assert "swipe" in box.evaluate("el => getComputedStyle(el, '::before').content")
    scroller = phone.locator("[data-hb-scroller]").first
    assert scroller.get_attribute("tabindex") == "0"  # reachable with Tab, scrolled with the arrow keys
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    phone.goto(server + "/programmes/ankang-cup/")
    assert "左右滑动" in phone.locator(".hb-organisers").evaluate("el => getComputedStyle(el, '::before').content")


DEEP_LINKS = [
    "/programmes/ankang-cup/#how-it-runs",
    "/programmes/jinqiu-student-aid/#guide",
    "/programmes/wage-collective-bargaining/#quotations",
    "/programmes/sending-warmth/#open-questions",
    "/sources/xinxiang-2015-work-points/#p8",
    "/sources/chengdu-2012-serve-workers/#p3",
    "/glossary/#acftu",
    "/glossary/#workers-in-hardship",
    "/laws/trade-union-law/#article-10",
    "/programmes/workers-reading-rooms/#targets",
]


@pytest.mark.parametrize("link", DEEP_LINKS)
def test_the_language_switch_keeps_the_place(page, server, link):
    path, anchor = link.split("#")
    page.goto(server + link)
    assert page.locator(f"[id='{anchor}']").count() == 1  # the place exists on the Chinese page
    with page.expect_navigation():
        page.locator('a.md-select__link[hreflang="en"]').evaluate("link => link.click()")
    assert page.url == f"{server}/en{path}#{anchor}"
    assert page.locator(f"[id='{anchor}']").count() == 1  # … and on the English one
    with page.expect_navigation():
        page.locator('a.md-select__link[hreflang="zh-Hans"]').evaluate("link => link.click()")
    assert page.url == server + link


def test_the_programme_list_narrows_and_the_address_keeps_the_choice(phone, server, site):
    phone.goto(server + "/programmes/?level=city&year=2015")
    shown = phone.locator(".hb-programme-list > li:not([hidden])")
    count = shown.count()
    assert 0 < count < len(BOOK.programmes)
    for item in shown.all():
        assert "|city|" in item.get_attribute("data-level") and "|2015|" in item.get_attribute("data-year")
    assert phone.locator(".hb-filter-count").inner_text() == f"显示 {count} / {len(BOOK.programmes)} 个项目"
    assert phone.locator(".hb-filter details").evaluate("d => d.open")  # a shared list shows what narrows it
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator(".hb-filter button[type=reset]").click()
    phone.wait_for_function("() => !document.querySelector('.hb-programme-list > li[hidden]')")
    assert "?" not in phone.url
    if not phone.locator(".hb-filter details").evaluate("d => d.open"):
        phone.locator(".hb-filter summary").click()
    phone.select_option("select[name=category]", "assistance")
    assert phone.url.endswith("/programmes/?category=assistance")
    categories = {li.get_attribute("data-category") for li in shown.all()}
    assert categories == {"assistance"}
    hidden_headings = phone.locator("h2[hidden]").count()
    assert hidden_headings == len([c for c in BOOK.categories if BOOK.programmes_in(c)]) - 1


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_glossary_is_in_order_by_initial_with_an_index(site, prefix):
    from pypinyin import lazy_pinyin

    page = (site / prefix / "glossary" / "index.html").read_text(encoding="utf-8")
    index = re.search(r'<nav class="hb-initials"[^>]*>(.*?)</nav>', page, re.S).group(1)
    letters = re.findall(r'<a href="#hb-initial-([a-z]+)">([A-Z])</a>', index)
    assert len(letters) >= 15 and letters == sorted(letters)
    for anchor, letter in letters:
        assert anchor == letter.lower() and f'<h2 id="hb-initial-{anchor}"' in page
    names = re.findall(r'<dt id="([^"]+)"><span lang="[^"]+">([^<]+)</span>', page)
    assert len(names) == len(BOOK.terms)  # every term, each at its old address (#id)
    lettered = [(term_id, name) for term_id, name in names if re.match(r"[“\"]?[\w\u4e00-\u9fff]", name)]
    if prefix == "":
        keys = ["".join(lazy_pinyin(name.strip("“”")))[:3].lower() for _, name in lettered if "*" not in name]
    else:
        keys = [name.lower()[:3] for _, name in lettered]
    assert keys == sorted(keys)  # Chinese in pinyin order, English in alphabetical order


SMALLEST_TEXT = """() => {
  let smallest = Infinity;
  document.querySelectorAll('.hb-chart svg').forEach(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('text').forEach(t => { smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale); });
  });
  return smallest;
}"""


@pytest.mark.parametrize("path", ["/targets/", "/en/targets/", "/timeline/", "/en/timeline/"])
def test_charts_are_readable_on_a_phone(phone, server, path):
    phone.goto(server + path)
    assert phone.locator(".hb-chart svg").count() > 0
    assert phone.evaluate(SMALLEST_TEXT) >= 12  # px on a 360 px screen


def test_a_chart_never_puts_different_units_side_by_side(phone, server):
    phone.goto(server + "/targets/")
    counts = phone.locator("figure.hb-chart[id$='-count']")
    assert counts.count() > 0
    for figure in counts.all():
        pictures = figure.locator("svg")
        assert figure.locator(".hb-chart-unit").count() == pictures.count()  # each chart says its unit
        for picture in pictures.all():
            assert picture.locator("rect").count() >= 2  # a lone value is left to the table


def test_the_timeline_has_a_legend(phone, server):
    phone.goto(server + "/timeline/")
    legend = phone.locator(".hb-timeline svg > text.hb-chart-label").evaluate_all("els => els.map(e => e.textContent)")
    assert legend[:3] == ["项目", "法律与政策", "原始文献"]


@pytest.mark.parametrize(
    "day,expected,absent",
    [
        ("2026-12-10T10:00:00", "sending-warmth", "jinqiu-student-aid"),
        ("2026-08-10T10:00:00", "jinqiu-student-aid", "sending-warmth"),
    ],
)
def test_this_month_lists_the_programmes_whose_guide_names_the_month(phone, server, day, expected, absent):
    phone.clock.set_fixed_time(day)
    phone.goto(server + "/programmes/")
    box = phone.locator(".hb-season")
    assert box.is_visible()
    month = int(day[5:7])
    assert box.locator(".admonition-title").inner_text() == f"本月重点（{month}月）"
    links = box.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(f"{expected}/#guide-when" in link for link in links), links
    assert not any(f"{absent}/" in link for link in links), links
    for programme_id in {link.split("/")[-2] for link in links}:  # each named the month in its guide
        programme = BOOK.programmes[programme_id]
        assert any(month in item.months for item in programme.guide.when), programme_id
