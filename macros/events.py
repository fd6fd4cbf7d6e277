"""What the handbook does at each MkDocs event (called by hooks.py): add one page per programme and source, plus
the index pages and glossary, give them titles and edit links, and write redirects, open data and the search index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from mkdocs.structure.files import File, Files

from handbook.export import export_files

from . import downloads, edition_pages, search_index, state
from .pages import blocks_to_placeholders, fill_placeholders, generated_pages, render_blocks
from .render import relative_url, write_redirect
from .search_index import IndexBuilder

# Generated pages skip mkdocs-macros: this writes their Markdown (on_page_markdown runs after the plugin's).
GENERATED_FRONT_MATTER = "---\nrender_macros: false\n---\n"
_builds: dict[str, Build] = {}  # by site_dir: both languages may build in one process
# Called once the pages are written (the site build starts the next language then: scripts/language_builds.py).
PAGES_WRITTEN: list[Callable[[], None]] = []


class Build:
    """What one language's build keeps between events."""

    def __init__(self, config):
        self.parts = state.parts(config)
        self.book = self.parts.book
        self.pages = generated_pages(self.book)
        self.index = IndexBuilder(self.book, config["extra"]["lang"], config["use_directory_urls"])
        self.cards: dict[str, downloads.Card] = {}  # each entry page's share card, by its path under the site
        if search_index.STREAM_PAGES:
            self.index.stream()


def on_config(config):
    """The English site lives under en/ of the published address: its pages' og:url, canonical links, share
    cards and sitemap must say so (mkdocs.en.yml inherits the root's site_url). The kit and the handouts take
    the root from extra.published_root and add the language's folder themselves."""
    root = config.get("site_url") or ""
    config["extra"]["published_root"] = root
    if root and config["extra"]["lang"] != "zh":
        config["site_url"] = root.rstrip("/") + f"/{config['extra']['lang']}/"
    return config


def on_pre_build(config) -> None:
    _builds[config["site_dir"]] = Build(config)


def on_files(files: Files, config) -> Files:
    build = _builds[config["site_dir"]]
    for path in build.pages:
        if files.get_file_from_path(path) is not None:
            raise ValueError(f"docs/{config['extra']['lang']}/{path} would hide a page generated from data: remove it")
        files.append(File.generated(config, path, content=GENERATED_FRONT_MATTER))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """A generated page's Markdown: headings, and a placeholder for each HTML block. The blocks are rendered
    in on_post_page, as the page is written: MkDocs keeps every page's content until the end of the build."""
    build = _builds[config["site_dir"]]
    builder = build.pages.get(page.file.src_uri)
    if builder is None:  # on_files made sure no file in docs/ has a generated page's path
        return markdown
    page.handbook_blocks = []
    return blocks_to_placeholders(builder(build.parts, page.file.src_uri), page.handbook_blocks)


def source_file(record, src_uri: str, lang: str) -> str:
    """The file a maintainer edits to change a page: the YAML behind a generated page, else the Markdown."""
    return record.data_file if record is not None and record.data_file else f"docs/{lang}/{src_uri}"


def on_page_context(context, page, config, nav):
    """Material's "edit this page" button opens the YAML behind the page once extra.edit_base_url is set (the
    repository's edit address, e.g. https://github.com/ORG/REPO/edit/main/); until then there is no button, and
    the small maintainers' line at the foot of the page (the file's path) leads to the contributing guide."""
    record = _builds[config["site_dir"]].pages.get(page.file.src_uri)
    path = source_file(record, page.file.src_uri, config["extra"]["lang"])
    base = config["extra"].get("edit_base_url") or ""
    page.edit_url = base + path if base else None
    page.meta["source_file"] = path
    book = _builds[config["site_dir"]].book
    description = record.description(book, config["extra"]["lang"]) if record else None
    reviewed = getattr(record.entry(book), "reviewed", None) if record else None
    if reviewed is not None:
        page.meta["reviewed"] = reviewed.date  # when a maintainer last checked the entry against its sources
    if description:
        page.meta["description"] = description  # the page's own, for search engines and share cards
    latest = book.editions.latest
    if latest is not None:  # every page says which edition it belongs to
        page.meta["edition"] = latest.id
    card = downloads.card_for(record, book, config["extra"]["lang"])
    if card is not None:
        page.meta["card"] = card[0]
        _builds[config["site_dir"]].cards[card[0]] = card[1]
    guide = relative_url("contributing.md", page.file.src_uri, config["use_directory_urls"], "edit")
    page.meta["edit_link"] = base + path if base else guide
    return context


def on_page_content(html: str, page, config, files) -> str:
    """Give a generated page its title from data."""
    build = _builds[config["site_dir"]]
    record = build.pages.get(page.file.src_uri)
    title = record.title(build.book, config["extra"]["lang"]) if record is not None else None
    if title is not None:
        # Material prints page.title unescaped (it is normally HTML from Markdown), so escape it here.
        page.title = str(escape(title))
    return html


def on_post_page(output: str, page, config) -> str:
    """Render a generated page's HTML blocks into it, and add the page's content to the search index."""
    build = _builds[config["site_dir"]]
    content = page.content or ""
    blocks = getattr(page, "handbook_blocks", None)
    if blocks is not None:
        rendered = render_blocks(blocks)
        content, output = fill_placeholders(content, rendered), fill_placeholders(output, rendered)
        del page.handbook_blocks
    build.index.add_page(page.file.src_uri, page.title or "", content, build.pages.get(page.file.src_uri))
    return output


def write_redirects(config, book) -> None:
    """A page at each former id of a programme that sends readers (and their #anchors) to its current page."""
    site, lang, directory_urls = Path(config["site_dir"]), config["extra"]["lang"], config["use_directory_urls"]
    for programme in book.programmes.values():
        for former in programme.former_ids:
            write_redirect(
                site,
                f"programmes/{former}.md",
                f"programmes/{programme.id}.md",
                getattr(programme.name, lang),
                config["extra"]["html_lang"],
                directory_urls,
            )


def write_open_data(config, book) -> None:
    """The data as JSON and CSV, with its JSON Schemas, once per site (under the Chinese root, /data/)."""
    if config["extra"]["lang"] != "zh":
        return
    folder = Path(config["site_dir"]) / "data"
    for name, content in export_files(book).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    schemas = Path(__file__).resolve().parent.parent / "schemas"
    for schema in sorted(schemas.glob("*.json")) if schemas.is_dir() else []:
        (folder / "schemas").mkdir(parents=True, exist_ok=True)
        (folder / "schemas" / schema.name).write_bytes(schema.read_bytes())


def on_post_build(config) -> None:
    for announce in PAGES_WRITTEN:
        announce()
    PAGES_WRITTEN.clear()
    build = _builds.pop(config["site_dir"])
    write_redirects(config, build.book)
    write_open_data(config, build.book)
    edition_pages.write_edition_files(
        Path(config["site_dir"]),
        build.book,
        config["extra"]["lang"],
        config["extra"]["html_lang"],
        config["use_directory_urls"],
        config.get("site_url") or "",
    )
    downloads.write_cards(Path(config["site_dir"]), build.cards)
    downloads.write_kit(Path(config["site_dir"]), build.book, config["extra"]["lang"], build.parts.site_url)
    build.index.write(Path(config["site_dir"]) / "search")
