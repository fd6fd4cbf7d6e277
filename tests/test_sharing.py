"""Links shared in WeChat or a messaging app, and search engines: every entry page says what it is in its own
words (og: tags from its name and summary), escaped; its address and a sitemap once site_url is set."""

from __future__ import annotations

import re
from html import unescape

from conftest import ROOT, copy_project, html, run_build

from handbook.store import load_handbook

BOOK, _ = load_handbook(ROOT)


def meta(page: str, prop: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', page)
    return unescape(found.group(1)) if found else None


def test_every_entry_page_has_its_own_share_card(site):
    for kind, folder in (("programmes", "programmes"), ("laws", "laws")):
        for entry in getattr(BOOK, kind).values():
            for prefix, lang in (("", "zh"), ("en/", "en")):
                page = html(site, f"{prefix}{folder}/{entry.id}/index.html")
                assert meta(page, "og:title") == getattr(entry.name, lang), entry.id
                summary = " ".join(getattr(entry.summary, lang).split())
                description = meta(page, "og:description")
                assert description and summary.startswith(description.rstrip("…")), entry.id
                assert meta(page, "description") == description and meta(page, "og:type") == "article"
                assert meta(page, "og:locale") == ("zh_CN" if lang == "zh" else "en_GB")
                assert meta(page, "og:url") is None  # no site_url: no address to give rather than a wrong one


def test_share_cards_hold_hostile_text_as_text(hostile_site):
    page = html(hostile_site, "en/programmes/hostile/index.html")
    assert '<meta property="og:title" content="&lt;img src=x onerror=alert(1)&gt;' in page
    assert meta(page, "og:description").startswith("<b onmouseover=alert(1)>hover</b>")  # escaped in the HTML
    assert "<b onmouseover" not in page.split("</head>")[0]


def test_with_a_site_url_pages_name_their_address_and_the_sitemap_lists_them(tmp_path):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name:", "site_url: https://handbook.example.org/\nsite_name:", 1
        ),
        encoding="utf-8",
    )
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    page = html(project / "site", "programmes/ankang-cup/index.html")
    assert meta(page, "og:url") == "https://handbook.example.org/programmes/ankang-cup/"
    assert '<link rel="canonical" href="https://handbook.example.org/programmes/ankang-cup/">' in page
    handout = html(project / "site", "handouts/ankang-cup/index.html")
    address = "https://handbook.example.org/programmes/ankang-cup/"
    assert f"<title>{address}</title>" in handout and "<svg" in handout  # the QR code of the page
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://handbook.example.org/programmes/ankang-cup/</loc>" in sitemap
