"""The trainer's kit: for every programme, in each language, a Word handout (python-docx; fonts named as 公文
practice expects — 宋体 title, 黑体 headings, 仿宋 body — so it opens cleanly in WPS and Word and can be edited
before printing), a slide deck (python-pptx: title; what, who, how; one quotation per slide with its citation;
the QR code) and the QR code of the programme's page (segno, offline) as PNG and SVG. The QR code encodes the
published address, site_url in mkdocs.yml (or --site-url); without one the documents say where the address will
come from instead of encoding a local one. The edition date is the last commit's, as the site's.

  python -m scripts.make_kit [--out dist/kit] [--site-url URL] [--only ID]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
from pathlib import Path

import segno
import yaml
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from pptx import Presentation
from pptx.util import Emu
from pptx.util import Pt as SlidePt

from handbook.kit import KitContent, kit_content
from handbook.store import load_handbook
from scripts.build_site import pin_build_date

ROOT = Path(__file__).resolve().parent.parent
# 公文 practice: 小标宋/宋体 for the title, 黑体 for headings, 仿宋 for the body (WPS and Word ship all three).
FONTS = {"title": "宋体", "heading": "黑体", "body": "仿宋", "latin": "Times New Roman"}


def _fonts(run_or_style, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = FONTS["latin"]
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def qr_png(address: str) -> bytes:
    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def write_docx(content: KitContent, path: Path, edition_date: dt.datetime) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2)
    _fonts(document.styles["Normal"], FONTS["body"], 11)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(title.add_run(content.title), FONTS["title"], 18, True)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(subtitle.add_run(content.other_title), FONTS["body"], 11)
    edition = document.add_paragraph()
    edition.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = edition.add_run(
        f"{content.heading('edition')}：{content.edition}"
        if content.lang == "zh"
        else f"{content.heading('edition')}: {content.edition}"
    )
    _fonts(run, FONTS["body"], 9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    def heading(text: str) -> None:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(8)
        _fonts(paragraph.add_run(text), FONTS["heading"], 13, True)

    for name, items in content.sections:
        heading(name)
        for item in items:
            paragraph = document.add_paragraph(style="List Bullet" if len(items) > 1 else None)
            _fonts(paragraph.add_run(item), FONTS["body"])
    if content.quotations:
        heading(content.heading("quotes"))
        for quotation in content.quotations:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(0.8)
            _fonts(paragraph.add_run(f"“{quotation.text}”"), FONTS["body"])
            cite = paragraph.add_run(
                f"（{quotation.citation}）" if content.lang == "zh" else f" ({quotation.citation})"
            )
            _fonts(cite, FONTS["body"], 9)
            if quotation.translation:
                paragraph = document.add_paragraph()
                paragraph.paragraph_format.left_indent = Cm(0.8)
                _fonts(paragraph.add_run(content.heading("quote_en") + quotation.translation), FONTS["body"], 9)
            if quotation.address:  # a small code that opens the quoted paragraph itself
                code = document.add_paragraph()
                code.paragraph_format.left_indent = Cm(0.8)
                code.add_run().add_picture(io.BytesIO(qr_png(quotation.address)), width=Cm(1.8))
                _fonts(code.add_run(" " + quotation.address), FONTS["body"], 8)
    heading(content.heading("sources"))
    for source in content.sources:
        _fonts(document.add_paragraph(style="List Number").add_run(source), FONTS["body"], 9)
    heading(content.heading("address"))
    if content.address:
        document.add_picture(io.BytesIO(qr_png(content.address)), width=Cm(3))
        _fonts(document.add_paragraph().add_run(content.address), FONTS["body"], 9)
    else:
        _fonts(document.add_paragraph().add_run(content.heading("no_address")), FONTS["body"], 9)
    properties = document.core_properties
    properties.title, properties.language = content.title, ("zh-CN" if content.lang == "zh" else "en-GB")
    properties.author = properties.last_modified_by = "工会工作手册 Union Programmes Handbook"
    properties.created = properties.modified = edition_date  # the same bytes for the same commit
    properties.revision = 1
    document.save(str(path))


def _slide_text(frame, text: str, size: int, bold: bool = False, east_asian: str = FONTS["body"]) -> None:
    paragraph = frame.paragraphs[0] if not frame.paragraphs[0].runs else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = SlidePt(size), bold, FONTS["latin"]
    properties = run._r.get_or_add_rPr()
    ea = properties.makeelement(qn("a:ea"), {"typeface": east_asian})
    properties.append(ea)


def write_pptx(content: KitContent, path: Path, edition_date: dt.datetime) -> None:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9
    blank = deck.slide_layouts[6]

    def slide(title: str):
        page = deck.slides.add_slide(blank)
        box = page.shapes.add_textbox(Emu(600000), Emu(400000), Emu(10992000), Emu(900000)).text_frame
        box.word_wrap = True
        _slide_text(box, title, 32, True, FONTS["heading"])
        body = page.shapes.add_textbox(Emu(600000), Emu(1500000), Emu(10992000), Emu(4800000)).text_frame
        body.word_wrap = True
        return page, body

    _, body = slide(content.title)
    _slide_text(body, content.other_title, 22)
    _slide_text(body, f"{content.heading('edition')} {content.edition}", 16)
    for name, items in content.sections:
        _, body = slide(name)
        for item in items:
            _slide_text(body, item, 18)
    for quotation in content.quotations:
        _, body = slide(content.heading("quotes"))
        _slide_text(body, quotation.text, 22)
        if quotation.translation:
            _slide_text(body, quotation.translation, 16)
        _slide_text(body, quotation.citation, 16, True)
    page, body = slide(content.heading("address"))
    if content.address:
        page.shapes.add_picture(io.BytesIO(qr_png(content.address)), Emu(600000), Emu(1500000), height=Emu(3200000))
        _slide_text(body, "", 10)
        note = page.shapes.add_textbox(Emu(4200000), Emu(2500000), Emu(7200000), Emu(1200000)).text_frame
        note.word_wrap = True
        _slide_text(note, content.address, 18)
    else:
        _slide_text(body, content.heading("no_address"), 18)
    deck.core_properties.title = content.title
    deck.core_properties.created = deck.core_properties.modified = edition_date
    deck.core_properties.revision = 1
    deck.save(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist" / "kit"))
    parser.add_argument("--site-url", default=None, help="the published address (default: site_url in mkdocs.yml)")
    parser.add_argument("--only", action="append", help="a programme id (repeatable); default: every programme")
    args = parser.parse_args(argv)
    site_url = args.site_url
    if site_url is None:
        site_url = (
            yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader).get("site_url") or ""
        )
    book, problems = load_handbook(ROOT)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    pin_build_date()
    edition_date = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.UTC).replace(tzinfo=None)
    edition = edition_date.strftime("%Y-%m-%d")
    out = Path(args.out)
    for programme_id in args.only or sorted(book.programmes):
        for lang in ("zh", "en"):
            content = kit_content(book, programme_id, lang, edition, site_url)
            folder = out / lang
            folder.mkdir(parents=True, exist_ok=True)
            write_docx(content, folder / f"{programme_id}.docx", edition_date)
            write_pptx(content, folder / f"{programme_id}.pptx", edition_date)
            if content.address:
                qr = segno.make(content.address, error="m")
                qr.save(str(folder / f"{programme_id}-qr.png"), scale=8, border=4)
                qr.save(str(folder / f"{programme_id}-qr.svg"), scale=4, border=4)
    where = f"QR codes to {site_url}" if site_url else "no site_url yet: no QR codes (the documents say so)"
    print(f"wrote the trainer's kit to {out} ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
