"""The site in headless Chromium: typing into the real search box, the language switch, and the network."""

from __future__ import annotations

import pytest

from scripts.search_quality import type_query

pytestmark = pytest.mark.browser


def search(page, origin: str, path: str, query: str) -> list[str]:
    """Type a query into the header's search box as a person would; return the result entries' paths."""
    page.goto(origin + path)
    return type_query(page, query)


@pytest.mark.parametrize(
    "path,query,expected",
    [
        ("/", "助学", "/programmes/jinqiu-student-aid/"),
        ("/", "书屋", "/programmes/workers-reading-rooms/"),
        ("/", "安康杯", "/programmes/ankang-cup/"),
        ("/en/", "safety", "/en/programmes/ankang-cup/"),
        ("/en/", "student aid", "/en/programmes/jinqiu-student-aid/"),
        ("/en/", "reading rooms", "/en/programmes/workers-reading-rooms/"),
    ],
)
def test_search_finds_the_programme(page, server, path, query, expected):
    results = search(page, server, path, query)
    assert expected in results[:5], results


def test_chinese_search_lists_only_chinese_pages(page, server):
    results = search(page, server, "/", "工会")
    assert results and not [r for r in results if r.startswith("/en/")]


def test_english_search_lists_only_english_pages(page, server):
    results = search(page, server, "/en/", "union")
    assert results and all(r.startswith("/en/") for r in results)


def test_language_switch_keeps_the_reader_on_the_same_page(page, server):
    page.goto(server + "/programmes/ankang-cup/")
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(server + "/en/programmes/ankang-cup/")
    assert page.locator("h1").inner_text() == "Ankang (Safety and Health) Cup"
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="zh-Hans"]').click()
    page.wait_for_url(server + "/programmes/ankang-cup/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_pages_load_nothing_from_other_hosts(page, server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in ("/", "/programmes/ankang-cup/", "/en/glossary/", "/sources/xinxiang-2015-work-points/", "/en/"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    search(page, server, "/", "职工")
    assert requests
    assert [url for url in requests if not url.startswith(server)] == []


def test_paragraph_link_from_a_quotation_lands_on_the_quoted_text(page, server):
    page.goto(server + "/programmes/ankang-cup/")
    page.locator("figure.hb-quote figcaption a").first.click()
    page.wait_for_url("**/sources/xinxiang-2015-work-points/#p8")
    assert "年內全縣參賽企業新增20家" in page.locator("#p8").inner_text()
