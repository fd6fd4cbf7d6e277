"""The trainer's kit as files: a Word handout (python-docx; fonts named as 公文 practice expects — 宋体 title,
黑体 headings, 仿宋 body — so it opens cleanly in WPS and Word and can be edited before printing), a slide deck
(python-pptx: title; what, who, how; one quotation per slide with its citation; the QR code) and QR codes (segno,
offline). Each writer returns bytes that depend on the content and the edition date alone: the zip entries carry
the edition date, not the clock, so one commit builds the same files. The site build and `make kit` both call
these; a content-keyed cache (handbook/cache.py) spares the site build from writing them again. The Office and
QR libraries are imported by the writers, when a file is not in the cache: a build that finds every file there
does not load them (a tenth of a second in each language's process)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .kit import KitContent

# 公文 practice: 小标宋/宋体 for the title, 黑体 for headings, 仿宋 for the body (WPS and Word ship all three).
FONTS = {"title": "宋体", "heading": "黑体", "body": "仿宋", "latin": "Times New Roman"}
WRITER_VERSION = "kit-2"  # part of the cache key: change it when the writers' output changes


def _fonts(run_or_style, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

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
    import segno

    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def qr_svg_file(address: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="svg", scale=4, border=4)
    return out.getvalue()


def dated_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same Office file with every entry dated `when`: python-docx and python-pptx date them by the clock."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, stamp)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def docx_bytes(content: KitContent, edition_date: dt.datetime) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

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
    properties.created = properties.modified = edition_date
    properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    return dated_zip(out.getvalue(), edition_date)


def _slide_text(frame, text: str, size: int, bold: bool = False, east_asian: str = FONTS["body"]) -> None:
    from docx.oxml.ns import qn
    from pptx.util import Pt as SlidePt

    paragraph = frame.paragraphs[0] if not frame.paragraphs[0].runs else frame.add_paragraph()
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = SlidePt(size), bold, FONTS["latin"]
    properties = run._r.get_or_add_rPr()
    ea = properties.makeelement(qn("a:ea"), {"typeface": east_asian})
    properties.append(ea)


def pptx_bytes(content: KitContent, edition_date: dt.datetime) -> bytes:
    from pptx import Presentation
    from pptx.util import Emu

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
    out = io.BytesIO()
    deck.save(out)
    return dated_zip(out.getvalue(), edition_date)


def kit_files(content: KitContent, edition_date: dt.datetime) -> dict[str, bytes]:
    """One programme's kit in one language, by file name."""
    files = {
        f"{content.programme_id}.docx": docx_bytes(content, edition_date),
        f"{content.programme_id}.pptx": pptx_bytes(content, edition_date),
    }
    if content.address:
        files[f"{content.programme_id}-qr.png"] = qr_png(content.address)
        files[f"{content.programme_id}-qr.svg"] = qr_svg_file(content.address)
    return files
