"""Links shared in WeChat or a messaging app, and search engines: every entry page says what it is in its own
words (og: tags from its name and summary), escaped; its address and a sitemap once site_url is set."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pytest
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
                assert meta(page, "og:image") is None


def test_share_cards_hold_hostile_text_as_text(hostile_site):
    page = html(hostile_site, "en/programmes/hostile/index.html")
    assert '<meta property="og:title" content="&lt;img src=x onerror=alert(1)&gt;' in page
    assert meta(page, "og:description").startswith("<b onmouseover=alert(1)>hover</b>")  # escaped in the HTML
    assert "<b onmouseover" not in page.split("</head>")[0]


ADDRESS = "https://handbook.example.org/"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The site built as it will be published: with a site_url."""
    project = copy_project(tmp_path_factory.mktemp("published") / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_name:", f"site_url: {ADDRESS}\nsite_name:", 1),
        encoding="utf-8",
    )
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project


def test_with_a_site_url_pages_name_their_address_and_the_sitemap_lists_them(published):
    project = published
    page = html(project / "site", "programmes/ankang-cup/index.html")
    assert meta(page, "og:url") == "https://handbook.example.org/programmes/ankang-cup/"
    assert '<link rel="canonical" href="https://handbook.example.org/programmes/ankang-cup/">' in page
    handout = html(project / "site", "handouts/ankang-cup/index.html")
    address = "https://handbook.example.org/programmes/ankang-cup/"
    assert f"<title>{address}</title>" in handout and "<svg" in handout  # the QR code of the page
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://handbook.example.org/programmes/ankang-cup/</loc>" in sitemap
    english = (project / "site" / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://handbook.example.org/en/programmes/ankang-cup/</loc>" in english
    assert_every_entry_page_has_a_card(project / "site", ADDRESS)


def assert_every_entry_page_has_a_card(site, address: str) -> None:
    """Every programme, law and source page in both languages names its own card (og:image), a 1200 × 630 picture
    that exists in the site; its address is the page's language's."""
    from PIL import Image

    seen = set()
    for kind, folder in (("programme", "programmes"), ("law", "laws"), ("source", "sources")):
        for entry in getattr(BOOK, folder).values():
            for prefix in ("", "en/"):
                page = html(site, f"{prefix}{folder}/{entry.id}/index.html")
                assert meta(page, "og:url") == f"{address}{prefix}{folder}/{entry.id}/", entry.id
                card = meta(page, "og:image")
                assert card == f"{address}{prefix}cards/{kind}-{entry.id}.png", entry.id
                assert meta(page, "twitter:card") == "summary_large_image"
                with Image.open(site / card.removeprefix(address)) as image:
                    assert image.size == (1200, 630)
                    seen.add(image.tobytes())
    assert len(seen) == 2 * (len(BOOK.programmes) + len(BOOK.laws) + len(BOOK.sources))  # each its own


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is installed by make (browser-deps)")
def test_every_handouts_qr_code_reads_back_as_its_pages_address(published, browser, tmp_path):
    """The QR code printed on each one-page handout, as a browser draws it, decodes (Debian's zbarimg) to the
    published address of the programme's page in the handout's language."""
    from scripts.local_site import serving

    expected = {}
    with serving(published / "site") as origin:
        context = browser.new_context(viewport={"width": 800, "height": 1100})
        page = context.new_page()
        for prefix in ("", "en/"):
            for programme_id in sorted(BOOK.programmes):
                page.goto(f"{origin}/{prefix}handouts/{programme_id}/")
                shot = tmp_path / f"{prefix.rstrip('/') or 'zh'}-{programme_id}.png"
                page.locator(".hb-handout-address svg").screenshot(path=str(shot))
                expected[shot.name] = f"{ADDRESS}{prefix}programmes/{programme_id}/"
        context.close()
    for name, address in expected.items():
        read = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / name)], capture_output=True, text=True)
        assert read.stdout.strip() == address, name
