"""Search as cadres use it, in headless Chromium on the built site: the quality suite and name ranking."""

from __future__ import annotations

import pytest
from conftest import ROOT

from handbook.store import load_handbook
from scripts.search_quality import load_queries, report, run_suite, summarise, type_query

pytestmark = pytest.mark.browser
BOOK, _ = load_handbook(ROOT)


def test_search_quality_suite(page, server):
    queries = load_queries()
    assert len(queries) >= 60
    assert {q["class"] for q in queries} >= {
        "simplified",
        "traditional",
        "pinyin",
        "initials",
        "alias",
        "english",
        "docnumber",
    }
    results = run_suite(page, server, queries)
    print("\n" + report(results))
    for name, (precision, recall, _) in summarise(results).items():
        assert recall == 1.0, (name, report(results))
        assert precision >= 0.9, (name, report(results))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_programmes_exact_name_puts_it_first(page, server, lang):
    prefix = "/" if lang == "zh" else "/en/"
    page.goto(server + prefix)
    wrong = []
    for programme in sorted(BOOK.programmes.values(), key=lambda p: p.id):
        name = getattr(programme.name, lang)
        found = type_query(page, name)
        if not found or found[0] != f"{prefix}programmes/{programme.id}/":
            wrong.append((name, found[:3]))
    assert wrong == []


def test_search_box_is_materials_and_results_are_text(page, server):
    page.goto(server + "/")
    assert page.locator(".md-header .md-search__input").count() == 1
    type_query(page, "<b>安康杯")
    assert page.locator(".md-search-result__item b").count() == 0  # the query is shown as text, never as markup
    found = type_query(page, "安康杯")  # results exist, so the check on their titles below means something
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert found and titles and all("<" not in t for t in titles)


def test_keyboard_reaches_search_and_escape_closes_it(page, server):
    page.goto(server + "/programmes/ankang-cup/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("职工书屋")
    page.wait_for_function("() => document.querySelector('.hb-search').dataset.query === '职工书屋'")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
