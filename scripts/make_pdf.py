"""Print the handbook to PDF with the system Chromium: the whole printable edition and one handout per
programme, in both languages, on A4 with real CJK fonts (Debian's fonts-noto-cjk).

Usage: python -m scripts.make_pdf [--site site] [--out dist/pdf] [--programme ID ...]
Builds the site first if site/ is missing. Writes dist/pdf/{zh,en}/handbook.pdf and
dist/pdf/{zh,en}/handouts/<id>.pdf.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from scripts.local_site import launch_chromium, start_server

ROOT = Path(__file__).resolve().parent.parent

OPEN_CITATIONS = "document.querySelectorAll('details').forEach(d => d.open = true)"


def cjk_fonts_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True).stdout
    return bool(found.strip())


PAGE_NUMBER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def print_pdf(page, url: str, out: Path) -> None:
    page.goto(url, wait_until="networkidle")
    page.evaluate(OPEN_CITATIONS)
    out.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(
        path=str(out),
        format="A4",
        print_background=False,
        prefer_css_page_size=True,
        margin={"top": "16mm", "bottom": "16mm", "left": "15mm", "right": "15mm"},
        display_header_footer=True,  # page numbers at the foot: "3 / 120"
        header_template="<span></span>",
        footer_template=PAGE_NUMBER,
    )


def make_pdfs(site: Path, out: Path, programmes: list[str], public_url: str = "") -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    server, origin = start_server(site)
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            # Citations in a PDF name the public address (or the path within the site), never this local server.
            page.add_init_script(f"window.__handbookPublicBase = {public_url!r};")
            for lang, prefix in (("zh", "/"), ("en", "/en/")):
                target = out / lang / "handbook.pdf"
                print_pdf(page, f"{origin}{prefix}print/", target)
                written.append(target)
                for programme_id in programmes:
                    target = out / lang / "handouts" / f"{programme_id}.pdf"
                    print_pdf(page, f"{origin}{prefix}handouts/{programme_id}/", target)
                    written.append(target)
            browser.close()
    finally:
        server.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--out", default=str(ROOT / "dist" / "pdf"))
    parser.add_argument("--programme", action="append", help="only these programmes' handouts (default: all)")
    parser.add_argument("--public-url", default="", help="the site's public address, for citations (e.g. https://…/)")
    args = parser.parse_args(argv)
    if not cjk_fonts_installed():
        print(
            "no Chinese font found (fc-list :lang=zh): install Debian's fonts-noto-cjk (make browser-deps)",
            file=sys.stderr,
        )
        return 1
    site = Path(args.site)
    if not (site / "index.html").exists():
        from scripts.build_site import build_site

        problems = build_site(site)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
    from handbook.store import load_valid_handbook

    programmes = args.programme or sorted(load_valid_handbook(ROOT).programmes)
    written = make_pdfs(site, Path(args.out), programmes, args.public_url)
    print(f"wrote {len(written)} PDFs under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
