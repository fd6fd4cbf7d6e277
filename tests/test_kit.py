"""The trainer's kit (make kit): per programme and language, a Word handout and a slide deck that open with
python-docx and python-pptx and hold the title, the quotations and their citations; QR codes that read back (with
Debian's zbarimg) as the programme page's published address; and, before an address is set, a note instead."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from docx import Document
from pptx import Presentation

from handbook.store import load_handbook
from handbook.text import to_simplified

BOOK, _ = load_handbook(ROOT)
ADDRESS = "https://handbook.example.org/"
PROGRAMMES = ["jinqiu-student-aid", "ankang-cup"]


def make_kit(out, *options: str) -> None:
    only = [arg for programme in PROGRAMMES for arg in ("--only", programme)]
    result = subprocess.run(
        [sys.executable, "-m", "scripts.make_kit", "--out", str(out), *only, *options],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out = tmp_path_factory.mktemp("kit")
    make_kit(out, "--site-url", ADDRESS)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_word_handout_holds_title_quotations_citations_and_sources(kit, lang):
    programme = BOOK.programmes["jinqiu-student-aid"]
    document = Document(str(kit / lang / "jinqiu-student-aid.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == getattr(programme.name, lang)
    assert getattr(programme.name, "en" if lang == "zh" else "zh") in text
    for quote in programme.quotes[:3]:
        source = BOOK.sources[quote.source]
        assert to_simplified(quote.text) in text
        assert f"{getattr(source.short, lang)} ¶{quote.paragraph}" in text
    assert "新工字〔2015〕14号" in text  # the sources, with their document numbers
    for quote in programme.quotes[:3]:  # each quotation with the address (and QR code) of its paragraph
        assert f"{ADDRESS}{'' if lang == 'zh' else 'en/'}sources/{quote.source}/#p{quote.paragraph}" in text
    assert len(document.inline_shapes) == 1 + len(programme.quotes[:3])
    assert f"{ADDRESS}{'' if lang == 'zh' else 'en/'}programmes/jinqiu-student-aid/" in text
    # fonts named as 公文 practice expects, so WPS and Word show Chinese as intended
    normal = document.styles["Normal"].element.rPr.xml
    assert 'w:eastAsia="仿宋"' in normal
    assert document.sections[0].page_width.cm == pytest.approx(21, abs=0.01)


def test_the_slide_deck_has_a_slide_per_quotation_with_its_citation(kit):
    programme = BOOK.programmes["ankang-cup"]
    deck = Presentation(str(kit / "zh" / "ankang-cup.pptx"))
    slides = ["\n".join(shape.text_frame.text for shape in s.shapes if shape.has_text_frame) for s in deck.slides]
    assert programme.name.zh in slides[0]
    quotes = programme.quotes[:3]
    assert len(slides) == 1 + 3 + len(quotes) + 1  # title; what, who, how; quotations; the address
    for quote, slide in zip(quotes, slides[4:], strict=False):
        assert to_simplified(quote.text) in slide and f"¶{quote.paragraph}" in slide
    assert f"{ADDRESS}programmes/ankang-cup/" in slides[-1]
    assert any(shape.shape_type == 13 for shape in deck.slides[-1].shapes)  # the QR code, a picture


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is installed by make (browser-deps)")
@pytest.mark.parametrize("lang,path", [("zh", "programmes/ankang-cup/"), ("en", "en/programmes/ankang-cup/")])
def test_the_qr_code_reads_back_as_the_pages_address(kit, lang, path):
    read = subprocess.run(
        ["zbarimg", "-q", "--raw", str(kit / lang / "ankang-cup-qr.png")], capture_output=True, text=True, timeout=60
    )
    assert read.stdout.strip() == ADDRESS + path


def test_without_a_published_address_the_kit_says_so_instead_of_a_qr_code(tmp_path):
    make_kit(tmp_path, "--site-url", "")
    assert not list(tmp_path.rglob("*-qr.png"))
    text = "\n".join(p.text for p in Document(str(tmp_path / "zh" / "ankang-cup.docx")).paragraphs)
    assert "网址待定" in text and "127.0.0.1" not in text and "localhost" not in text


def test_every_programme_page_links_its_word_handout_and_slides_which_open(site):
    import io
    import re

    from conftest import html

    for prefix, lang in (("", "zh"), ("en/", "en")):
        for programme in BOOK.programmes.values():
            page = html(site, f"{prefix}programmes/{programme.id}/index.html")
            actions = page.split('class="hb-actions"')[1].split("</p>")[0]
            links = re.findall(r'href="([^"]+)" download', actions)
            assert links == [f"../../kit/{programme.id}.docx", f"../../kit/{programme.id}.pptx"], programme.id
        for programme_id in PROGRAMMES:  # the linked files are the kit itself
            folder = site / prefix.rstrip("/") / "kit" if prefix else site / "kit"
            document = Document(io.BytesIO((folder / f"{programme_id}.docx").read_bytes()))
            assert document.paragraphs[0].text == getattr(BOOK.programmes[programme_id].name, lang)
            deck = Presentation(io.BytesIO((folder / f"{programme_id}.pptx").read_bytes()))
            title = deck.slides[0].shapes[0].text_frame.text
            assert title == getattr(BOOK.programmes[programme_id].name, lang)
