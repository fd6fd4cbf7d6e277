"""Pictures and overviews built from the data: targets with charts, timeline, matrix, laws, pending work."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, html

from handbook.store import load_handbook

BOOK, _ = load_handbook(ROOT)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_targets_page_has_accessible_svg_charts_and_the_full_table(site, prefix):
    page = html(site, prefix + "targets/index.html")
    charts = re.findall(r'<svg [^>]*role="(?:img|group)" aria-labelledby="([^" ]+)-title \1-desc"', page)
    assert charts, "no chart"
    for chart_id in charts:
        assert f'<title id="{chart_id}-title">' in page and f'<desc id="{chart_id}-desc">' in page
    for target in BOOK.targets.values():
        assert f'<tr id="{target.id}">' in page
    assert "<script" not in page.split("<article")[1].split("</article>")[0]


def test_numeric_targets_are_drawn_by_unit_and_masked_ones_are_listed(site):
    page = html(site, "targets/index.html")
    units: dict[tuple[str, str], int] = {}  # (programme, unit) → how many values a chart could compare
    for target in BOOK.targets.values():
        if target.value is not None:
            unit = "%" if target.unit.zh.strip() in ("%", "％") else target.unit.zh.strip()
            units[(target.programme, unit)] = units.get((target.programme, unit), 0) + 1
    for target in BOOK.targets.values():
        if target.value is None:
            assert f'<a href="#{target.id}">' in page, target.id
            continue
        unit = "%" if target.unit.zh.strip() in ("%", "％") else target.unit.zh.strip()
        drawn = f'<a href="#{target.id}">' in page  # its bar links to its table row
        # percentages are drawn on a 0–100 scale even alone; a count is drawn only beside others of its unit
        assert drawn == (unit == "%" or units[(target.programme, unit)] > 1), target.id
        assert f'<tr id="{target.id}">' in page


def test_programme_pages_show_their_targets_as_a_table(site):
    with_targets = {t.programme for t in BOOK.targets.values()}
    assert with_targets
    for programme_id in with_targets:
        page = html(site, f"programmes/{programme_id}/index.html")
        assert 'id="targets"' in page
        for target in BOOK.targets_of(programme_id):
            assert f'<tr id="{target.id}">' in page


def test_timeline_shows_every_sourced_year(site):
    page = html(site, "timeline/index.html")
    assert "<svg" in page and ('role="img"' in page or 'role="group"' in page)
    for programme in BOOK.programmes.values():
        for year in programme.started.years if programme.started else []:  # every year a source claims
            assert f'<strong>{year}</strong> <a href="../programmes/{programme.id}/">' in page
    for law in BOOK.laws.values():
        if law.adopted:
            assert f'href="../laws/{law.id}/"' in page


def test_matrix_links_each_programme_to_the_paragraph_that_names_it(site):
    page = html(site, "matrix/index.html")
    for source in BOOK.sources.values():
        assert f'href="../sources/{source.id}/"' in page
    # 新乡县2015 paragraph 8 names the Ankang Cup
    assert 'href="../sources/xinxiang-2015-work-points/#p8"' in page
    assert BOOK.mentions("ankang-cup")["xinxiang-2015-work-points"][0] == 8
    assert "jinqiu-student-aid" in page and BOOK.mentions("jinqiu-student-aid").get("hailing-district-plenary-2006")


def test_laws_have_pages_linked_from_the_programmes_resting_on_them(site):
    assert BOOK.laws, "no laws curated"
    index = html(site, "laws/index.html")
    for law in BOOK.laws.values():
        assert f'href="{law.id}/"' in index
        page = html(site, f"en/laws/{law.id}/index.html")
        assert f'<span lang="zh-Hans">{law.name.zh}</span>' in page
    for programme in BOOK.programmes.values():
        for law_id in programme.laws:
            assert f'href="../../laws/{law_id}/"' in html(site, f"programmes/{programme.id}/index.html")


def test_pending_page_lists_open_questions_and_unofficial_names(site):
    page = html(site, "en/pending/index.html")
    questions = [q for p in BOOK.programmes.values() for q in p.open_questions]
    assert questions
    for question in questions:
        assert question.en.replace("'", "&#39;").replace('"', "&#34;") in page
    unofficial = [p for p in BOOK.programmes.values() if not p.name.en_source]
    assert unofficial and f'href="../programmes/{unofficial[0].id}/"' in page


def test_external_facts_are_shown_with_their_reference(site):
    page = html(site, "en/programmes/sending-warmth/index.html")
    assert 'id="background"' in page and "1992" in page
    assert 'href="../../references/#xinhua-union-charity-drive-2008"' in page
