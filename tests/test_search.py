"""Search as cadres use it, in headless Chromium on the built site: the quality suite and name ranking."""

from __future__ import annotations

import pytest
from conftest import ROOT

from handbook.store import load_handbook
from scripts.search_quality import load_queries, meets_target, report, run_suite, summarise, type_query

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
        "need",
        "multiword",
    }
    assert sum(q["class"] == "need" for q in queries) >= 40
    results = run_suite(page, server, queries)
    print("\n" + report(results))
    for name, scores in summarise(results).items():
        assert meets_target(name, scores), (name, report(results))


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


@pytest.mark.parametrize(
    "query",
    [
        "工" * 500,  # a pasted page
        "，。！？、；：（）《》",  # punctuation only
        "🙂🎉👍",
        "安康杯 Ankang 杯 cup ānkāng",  # mixed scripts
        "<script>window.__hacked = 1</script>",
        '"><img src=x onerror="window.__hacked=1">',
    ],
)
def test_odd_queries_show_results_or_none_never_an_error_or_markup(page, server, query):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server + "/")
    type_query(page, query)
    assert errors == []
    assert page.evaluate("window.__hacked") is None
    assert page.locator(".md-search-result__list script, .md-search-result__list img").count() == 0


def test_a_need_finds_the_programme_with_its_kind_and_the_words_marked(page, server):
    page.goto(server + "/")
    found = type_query(page, "孩子上学 补助")
    assert "/programmes/jinqiu-student-aid/" in found[:3]
    found = type_query(page, "送温暖 春节")
    assert found[0] == "/programmes/sending-warmth/"
    first = page.locator(".md-search-result__item").first
    assert first.locator(".hb-result-kind").first.inner_text() == "项目"
    marked = set(first.locator("mark").all_inner_texts())
    assert marked and marked <= {"送温暖", "春节", "送温暖 春节"}, marked
    assert "春节" in marked  # both words are marked, not only the first


def test_filler_words_do_not_sink_a_query(page, server):
    page.goto(server + "/")
    plain = type_query(page, "金秋助学")
    assert type_query(page, "怎么申请金秋助学")[:1] == plain[:1] == ["/programmes/jinqiu-student-aid/"]
    page.goto(server + "/en/")
    assert type_query(page, "how to apply for golden autumn education aid")[:1] == [
        "/en/programmes/jinqiu-student-aid/"
    ]


def test_nothing_found_offers_near_names_and_the_categories(page, server):
    page.goto(server + "/")
    type_query(page, "zzqqxx")
    suggest = page.locator(".hb-search-suggest")
    assert suggest.count() == 1
    categories = suggest.locator("p a").all_inner_texts()
    assert len(categories) == len(BOOK.categories)
    type_query(page, "ankangbi")  # pinyin one letter off
    assert "安康杯" in " ".join(page.locator(".hb-search-suggest h2").all_inner_texts())


def test_part_of_a_chinese_word_is_found_although_the_index_is_split(page, server):
    page.goto(server + "/")
    assert "/programmes/model-worker-care/" in type_query(page, "模范")[:5]  # 模范 is inside 劳动模范
    assert "/programmes/ankang-cup/" in type_query(page, "康杯")[:3]  # the middle of a name


def test_a_cold_search_fetches_a_small_part_of_the_index(page, server, site):
    fetched: dict[str, int] = {}
    page.on("response", lambda r: fetched.update({r.url: len(r.body())}) if "/search/" in r.url else None)
    page.goto(server + "/")
    page.locator("input.md-search__input").fill("金秋助学")  # pasted, or typed with an input method: one search
    page.wait_for_function("() => document.querySelector('.hb-search').dataset.query === '金秋助学'")
    first = page.locator(".md-search-result__item > a:first-child").first.get_attribute("href")
    assert first.endswith("programmes/jinqiu-student-aid/")
    whole = sum(p.stat().st_size for p in (site / "search").rglob("*.js"))
    files = [url.split("/search/", 1)[1].split("?")[0] for url in fetched]
    assert "index.js" in files and "names.js" not in files  # the nearest names load only when nothing is found
    shards, entries = [f for f in files if f.startswith("s/")], [f for f in files if f.startswith("d/")]
    assert len(shards) <= 4 and len(entries) <= 20, files  # 金秋 秋助 助学 and the exact name; the results shown
    assert sum(fetched.values()) < whole / 4, (sum(fetched.values()), whole)


@pytest.mark.parametrize("broken", ["missing", "corrupt"])
def test_a_missing_or_broken_shard_says_search_is_unavailable(page, server, broken):
    body = "not here" if broken == "missing" else '__handbookSearch("h0",{'
    page.route("**/search/s/**", lambda route: route.fulfill(status=404 if broken == "missing" else 200, body=body))
    page.goto(server + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("安康杯")
    page.wait_for_function("() => document.querySelector('.hb-search').dataset.query === '安康杯'", timeout=25000)
    assert "不可用" in page.locator(".md-search-result__meta").inner_text()
    assert page.locator(".md-search-result__item").count() == 0


def test_a_missing_index_says_search_is_unavailable(page, server):
    page.route("**/search/index.js", lambda route: route.fulfill(status=404, body="not here"))
    page.goto(server + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("安康杯")
    page.wait_for_function("() => document.querySelector('.hb-search').dataset.query === '安康杯'")
    assert "不可用" in page.locator(".md-search-result__meta").inner_text()
