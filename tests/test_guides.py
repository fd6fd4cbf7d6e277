"""Programme pages a cadre can act on (issue 12): the guide first, its policy basis down to the article, dated facts
that say when sources disagree, quotations readable in Simplified, and English names that say whose they are."""

from __future__ import annotations

import html as html_lib
import re

from conftest import ROOT, html

from handbook.guide import guide_status, own_number
from handbook.models import GUIDE_SECTIONS
from handbook.store import load_handbook
from handbook.text import to_simplified

BOOK, _ = load_handbook(ROOT)
FLAGSHIPS = (
    "ankang-cup",
    "jinqiu-student-aid",
    "workers-reading-rooms",
    "wage-collective-bargaining",
    "sending-warmth",
    "hardship-assistance-centres",
    "workers-congress-and-openness",
)


def h2_ids(page: str) -> list[str]:
    return re.findall(r'<h2 id="([^"]+)"', page)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def test_every_programme_page_puts_its_guide_right_after_the_summary(site):
    for programme_id in BOOK.programmes:
        for prefix in ("", "en/"):
            ids = h2_ids(html(site, f"{prefix}programmes/{programme_id}/index.html"))
            assert ids[:2] == ["summary", "guide"], (prefix, programme_id, ids[:4])
            assert ids.index("guide") < ids.index("purpose") < ids.index("how-it-runs"), (prefix, programme_id)


def test_each_flagship_answers_who_what_steps_when_and_basis_or_says_what_is_open(site):
    for programme_id in FLAGSHIPS:
        programme = BOOK.programmes[programme_id]
        assert programme.guide is not None, f"{programme_id} has no guide"
        for prefix, open_label in (("", "尚无公开出处"), ("en/", "No public source yet")):
            page = html(site, f"{prefix}programmes/{programme_id}/index.html")
            for section in ("who", "provides", "steps", "when", "basis"):
                match = re.search(rf'<h3 id="guide-{section}".*?(?=<h[23] )', page, re.S)
                assert match, (prefix, programme_id, section)
                body = match.group()
                sourced = 'class="hb-cite"' in body or "hb-article-link" in body or "hb-guide-basis" in body
                assert sourced or open_label in text_of(body), (prefix, programme_id, section)


def test_guide_items_say_whether_they_are_national_rules_or_local_practice(site):
    page = html(site, "programmes/jinqiu-student-aid/index.html")
    scopes = re.findall(r'<span class="hb-scope hb-scope-([a-z]+)">([^<]+)</span>', page)
    assert scopes, "no labelled guide items"
    for level, shown in scopes:
        assert re.search(r"\d{4}年", shown), shown
        expected = {"national": "全国", "provincial": "省级", "city": "市级", "county": "县（区）级"}[level]
        assert shown.startswith(expected + "·"), shown
        if level != "national":
            assert shown.count("·") == 2, shown  # level · place · year


def test_policy_basis_links_to_the_quoted_article_on_the_law_page(site):
    linked = 0
    for programme in BOOK.programmes.values():
        for basis in programme.guide.basis if programme.guide else []:
            for number in basis.articles:
                page = html(site, f"programmes/{programme.id}/index.html")
                assert f'href="../../laws/{basis.law}/#article-{number}"' in page, (programme.id, basis.law, number)
                law_page = html(site, f"laws/{basis.law}/index.html")
                quoted = next(a for a in BOOK.laws[basis.law].articles if a.number == number)
                anchor = re.search(rf'<dt id="article-{number}">.*?</dd>', law_page, re.S)
                assert anchor and html_lib.escape(quoted.quote, quote=False) in anchor.group(), (basis.law, number)
                linked += 1
    assert linked >= 5


def test_a_law_page_gives_its_status_with_the_date_it_was_checked(site):
    law = BOOK.laws["trade-union-law"]
    page = text_of(html(site, "laws/trade-union-law/index.html"))
    assert f"现行有效（{law.status_checked}核对）" in page
    english = text_of(html(site, "en/laws/trade-union-law/index.html"))
    assert f"In force (checked {law.status_checked})" in english
    assert "Art. 43" in english and "two per cent of the total monthly wages" in english


def test_a_traditional_quotation_is_shown_in_simplified_with_the_original_one_click_away(site):
    programme = BOOK.programmes["jinqiu-student-aid"]
    quote = next(q for q in programme.quotes if BOOK.sources[q.source].script == "traditional")
    simplified = to_simplified(quote.text)
    assert simplified != quote.text
    page = html(site, "programmes/jinqiu-student-aid/index.html")
    assert f'<blockquote lang="zh-Hans"><p>{html_lib.escape(simplified, quote=False)}</p></blockquote>' in page
    original = re.search(r'<details class="hb-original">(.*?)</details>', page, re.S)
    assert original and html_lib.escape(quote.text, quote=False) in original.group(1)
    assert '<blockquote lang="zh-Hant">' in original.group(1)


def test_a_paragraph_label_gives_the_originals_own_numbering_where_it_differs():
    found = 0
    for programme in BOOK.programmes.values():
        for quote in programme.quotes:
            own = own_number(BOOK.paragraphs[quote.source][quote.paragraph - 1])
            if own and own.rstrip("、．.") != str(quote.paragraph):
                found += 1
    assert found, "no quotation from a numbered item in the data"


def test_paragraph_labels_on_pages_show_the_original_item_number(site):
    page = html(site, "programmes/ankang-cup/index.html")
    labels = re.findall(r"第(\d+)段（原文“([^”]+)”）", page)
    for number, own in labels:
        assert own.rstrip("、．.") != number
    assert labels, "ankang-cup quotes numbered work points; their own numbers should show"


def test_a_contested_start_lists_every_claim_with_its_source(site):
    contested = [p for p in BOOK.programmes.values() if p.started and p.started.contested]
    assert contested, "the data should record at least one start year that sources disagree on"
    for programme in contested:
        page = text_of(html(site, f"programmes/{programme.id}/index.html"))
        assert "说法不一" in page
        for claim in programme.started.contested:
            assert str(claim.year) in page
        timeline = text_of(html(site, "timeline/index.html"))
        for year in programme.started.years:
            assert re.search(rf"{year} [^0-9]*{re.escape(programme.name.zh)}（说法不一）", timeline), year


def test_english_names_say_whether_the_issuer_gave_them(site):
    labour_law = text_of(html(site, "en/laws/labour-law/index.html"))
    assert "not official; as used by" in labour_law
    golden_autumn = text_of(html(site, "en/programmes/jinqiu-student-aid/index.html"))
    assert "official rendering (the issuer's own English)" in golden_autumn


def test_the_status_page_shows_how_far_each_guide_goes_and_how_current_it_is(site):
    page = html(site, "status/index.html")
    for programme in BOOK.programmes.values():
        row = re.search(rf'<tr id="guide-{programme.id}">(.*?)</tr>', page, re.S)
        assert row, programme.id
        status = guide_status(BOOK, programme)
        cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
        assert text_of(cells[1]).startswith(str(status.items))
        assert (status.newest or "未知") in text_of(cells[3])
    flagships = [guide_status(BOOK, BOOK.programmes[p]) for p in FLAGSHIPS]
    assert all(len(s.filled) >= 3 for s in flagships), [s.filled for s in flagships]
    assert set(GUIDE_SECTIONS) >= {s for f in flagships for s in f.open}
