"""Check every internal link and #anchor in a built site, on the built files themselves.

MkDocs validates Markdown links; this also covers links inside HTML that macros and templates write,
and the language switch between the two builds.

Usage: python -m scripts.check_links [SITE_DIR]
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value}  # an attribute without a value names nothing
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for attr in ("href", "src"):
            if tag in ("a", "link", "script", "img") and attr in values:
                self.links.append((self.getpos()[0], values[attr]))


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector


def _resolve(site: Path, page: Path, target: str) -> Path | None:
    path = (page.parent / unquote(target)).resolve() if target else page
    if path.is_dir() or target.endswith("/"):
        path = path / "index.html"
    return path


def check_site(site: Path) -> list[str]:
    site = site.resolve()
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    problems: list[str] = []
    for page, parsed in pages.items():
        if page.name == "404.html":  # served at any depth, so MkDocs writes it with root-absolute links
            continue
        for line, link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            target = _resolve(site, page, parts.path)
            where = f"{page.relative_to(site)}:{line}"
            if target is None or not str(target).startswith(str(site)) or not target.exists():
                problems.append(f"{where}: broken link {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: link {link} points to a missing anchor #{parts.fragment}")
    return problems


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    problems = check_site(site)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} broken link(s) in {site}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
