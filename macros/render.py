"""Render data as page content. Data text is escaped on the way out and never evaluated as a template."""

from __future__ import annotations

import functools
import os
import posixpath
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from handbook.guide import own_number
from handbook.kinds import BY_MODEL, BY_NAME
from handbook.models import GUIDE_SECTIONS, LEVELS, Name, Text
from handbook.store import Handbook
from handbook.termbase import rendering_origin
from handbook.text import to_simplified

from .labels import HTML_LANG, SCRIPT_LANG, label

TEMPLATES = Path(__file__).parent / "templates"
_MARKDOWN_SIGNIFICANT = re.compile(r"[\\`*_{}\[\]#<>&]")


def md_text(text: str) -> str:
    """Text that Markdown shows literally: each character Markdown or HTML could act on becomes an entity."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SIGNIFICANT.sub(lambda m: f"&#{ord(m.group())};", flat)


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a page, relative to the site root (programmes/x.md -> programmes/x/)."""
    stem = src_uri.removesuffix(".md")
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _relative_path(path: str, start: str) -> str:
    """posixpath.relpath for the clean relative paths of a site (no "..", no symlinks), without its calls
    to abspath: links are made thousands of times per build."""
    to = [part for part in path.split("/") if part and part != "."]
    origin = [part for part in start.split("/") if part and part != "."]
    shared = 0
    while shared < min(len(to), len(origin)) and to[shared] == origin[shared]:
        shared += 1
    return "/".join([".."] * (len(origin) - shared) + to[shared:]) or "."


def relative_url(target_src: str, from_src: str, use_directory_urls: bool, anchor: str = "") -> str:
    """A link from one page to another as MkDocs would write it, so it works under any base path."""
    target = page_url(target_src, use_directory_urls)
    here = page_url(from_src, use_directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    rel = _relative_path(target.rstrip("/") or ".", base or ".")
    if target.endswith("/") or not target:
        rel += "/"
    return rel + (f"#{anchor}" if anchor else "")


def file_url(path: str, from_src: str, use_directory_urls: bool) -> str:
    """A link from a page to a file of the site that is not a page (kit/x.docx), relative as MkDocs' own."""
    here = page_url(from_src, use_directory_urls)
    base = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    return _relative_path(path, base or ".")


REDIRECT = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{target}"><meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={target}">
<script>location.replace("{target}" + location.hash)</script></head>
<body><p><a href="{target}">{title}</a></p></body></html>
"""


def write_redirect(site: Path, src: str, target_src: str, title: str, html_lang: str, use_directory_urls: bool) -> None:
    """A small page at `src`'s address that sends readers, and their #anchor, on to `target_src`'s page."""
    address = page_url(src, use_directory_urls)
    path = site / (address + "index.html" if address.endswith("/") else address)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = escape(relative_url(target_src, src, use_directory_urls))
    path.write_text(REDIRECT.format(lang=html_lang, target=target, title=escape(title)), encoding="utf-8")


def name_of(entry: Any) -> Text | Name:
    """The bilingual text that names an entry on its page and in lists: its kind's title field (handbook/kinds.py),
    the one title rule of the site."""
    return BY_MODEL[type(entry)].title(entry)


def files_stamp(folder: Path) -> tuple:
    """Each file below a folder with its size and modification time: what a later build must compare to notice
    an edit (a few hundred stats, about a millisecond)."""
    found = []
    for parent, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            info = os.stat(os.path.join(parent, name))
            found.append((parent, name, info.st_size, info.st_mtime_ns))
    return tuple(found)


def template_environment() -> Environment:
    """One environment for both languages, so each template is compiled once per build, and again only when a
    template changed: a long-lived process (plain `mkdocs serve`) builds again with the edited templates."""
    return _environment(files_stamp(TEMPLATES))


@functools.lru_cache(maxsize=1)
def _environment(templates_stamp: tuple) -> Environment:
    # auto_reload off: Jinja would stat a template at every use; the stamp above is checked once per build.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(GUIDE_SECTIONS=GUIDE_SECTIONS, LEVELS=LEVELS, SCRIPT_LANG=SCRIPT_LANG, HTML_LANG=HTML_LANG)
    return env


class Renderer:
    """Everything a template needs for one language; `src` is the page being rendered."""

    def __init__(self, book: Handbook, lang: str, use_directory_urls: bool = True):
        self.book = book
        self.lang = lang
        self.use_directory_urls = use_directory_urls
        self.env = template_environment()
        self.rendering_origin = functools.partial(rendering_origin, book)  # made once, not per render

    def t(self, key: str, **values: object) -> str:
        return label(key, self.lang, **values)

    def render(self, template: str, src: str, **context: object) -> Markup:
        def url(target_src: str, anchor: str = "") -> str:
            return relative_url(target_src, src, self.use_directory_urls, anchor)

        def site_file(path: str) -> str:
            return file_url(path, src, self.use_directory_urls)

        def cite(ref: str) -> Markup:
            return self.cite_link(ref, url)

        def cites(refs: list[str]) -> Markup:
            """A statement's citation marks, one space apart: the one way templates list citations."""
            return Markup(" ").join(cite(ref) for ref in refs)

        html = self.env.get_template(template).render(
            book=self.book,
            lang=self.lang,
            t=self.t,
            url=url,
            site_file=site_file,
            cite=cite,
            cites=cites,
            tr=self.tr,
            linked=self.linked,
            rendering_origin=self.rendering_origin,
            paragraph_label=self.paragraph_label,
            to_simplified=to_simplified,
            **context,
        )
        # One block per call with no blank lines, so Markdown passes it through as raw HTML untouched.
        return Markup("\n".join(line for line in html.splitlines() if line.strip()))

    def title_of(self, kind: str, entry_id: str) -> str:
        """The title of an entry of a kind (programme, source, category …), in this language."""
        return self.tr(name_of(getattr(self.book, BY_NAME[kind].plural)[entry_id]))

    def citation_filler(self, src: str, target_src: str, anchor: str = ""):
        """Escape a citation and turn its {url} and {accessed} into spans that assets/cite.js fills in."""
        target = relative_url(target_src, src, self.use_directory_urls, anchor)

        def fill(text: str, style: str) -> Markup:
            url = Markup('<span class="hb-cite-url" data-href="{}">{}</span>').format(target, target)
            date = Markup('<span class="hb-cite-accessed" data-style="{}">{}</span>').format(
                style, self.t("accessed_placeholder")
            )
            return Markup(str(escape(text)).replace("{url}", str(url)).replace("{accessed}", str(date)))

        return fill

    def citation(
        self, citations: dict[str, str], src: str, target_src: str, anchor: str, label_key: str, block_id: str = ""
    ) -> Markup:
        """A citation box with each style's text and a copy button."""
        return self.render(
            "cite.html",
            src,
            citations=citations,
            fill=self.citation_filler(src, target_src, anchor),
            label=label_key,
            anchor=block_id,
        )

    def paragraph_label(self, source_id: str, number: int | str) -> str:
        """第8段, or 第8段（原文“4、”） where the paragraph carries the original's own numbering."""
        paragraphs = self.book.paragraphs.get(source_id, [])
        n = int(number)
        own = own_number(paragraphs[n - 1]) if 0 < n <= len(paragraphs) else None
        if own and own.rstrip("、．.") != str(n):
            return self.t("paragraph_own", n=n, own=own)
        return self.t("paragraph", n=n)

    def tr(self, text: object) -> str:
        """The current language's side of a bilingual value."""
        return getattr(text, self.lang)

    def cite_link(self, ref: str, url) -> Markup:
        target, _, paragraph = ref.partition("#p")
        if target in self.book.sources:
            source = self.book.sources[target]
            text = f"{self.tr(source.short)} ¶{paragraph}"
            title = f"{self.tr(source.title)}{self.t('comma')}{self.paragraph_label(target, paragraph)}"
            return Markup('<a class="hb-cite" href="{}" title="{}">{}</a>').format(
                url(f"sources/{target}.md", f"p{paragraph}"), title, text
            )
        reference = self.book.references[target]
        short = re.split(r"\s*[(（;；,，]", reference.publisher, maxsplit=1)[0][:40]  # the full name is in the tooltip
        return Markup('<a class="hb-cite" href="{}" title="{}">{}</a>').format(
            url("references.md", target), f"{reference.title} — {reference.publisher}", short
        )

    def linked(self, text: str, terms: list, url, skip: set[str] | None = None) -> Markup:
        """Escape text and link the first mention of each given glossary term, with its definition as tooltip."""
        names: dict[str, Any] = {}  # a name or alias -> its glossary term
        for term in terms:
            if skip and term.id in skip:
                continue
            candidates = [self.tr(term.term)] + list(getattr(term.aliases, self.lang))
            for name in candidates:
                names.setdefault(name.strip('“”"') if self.lang == "zh" else name, term)
        names = {n: t for n, t in names.items() if len(n) >= 2}
        if not names:
            return escape(text)
        flags = re.IGNORECASE if self.lang == "en" else 0
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        pattern = re.compile(rf"\b(?:{alternatives})\b" if self.lang == "en" else alternatives, flags)
        lookup = {n.lower(): t for n, t in names.items()}
        out, last, done = Markup(""), 0, set()
        for match in pattern.finditer(text):
            term = lookup[match.group().lower()]
            if term.id in done:
                continue
            done.add(term.id)
            out += escape(text[last : match.start()])
            out += Markup('<a class="hb-term" href="{}" title="{}">{}</a>').format(
                url("glossary.md", term.id), self.tr(term.definition), match.group()
            )
            last = match.end()
        return out + escape(text[last:])
