"""MkDocs hook: add one page per programme and source, plus the index pages and glossary."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markupsafe import escape  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

from macros import state  # noqa: E402
from macros.pages import generated_pages  # noqa: E402
from macros.search_index import IndexBuilder  # noqa: E402

_indexes: dict[str, IndexBuilder] = {}  # by site_dir: both languages may build in one process


def on_pre_build(config) -> None:
    _indexes[config["site_dir"]] = IndexBuilder(state.handbook(), config["extra"]["lang"], config["use_directory_urls"])


def on_files(files: Files, config) -> Files:
    book = state.handbook()
    for path, markdown in generated_pages(book, config["extra"]["lang"]).items():
        if files.get_file_from_path(path) is not None:
            raise ValueError(f"docs/{config['extra']['lang']}/{path} would hide a page generated from data: remove it")
        files.append(File.generated(config, path, content=markdown))
    return files


def on_page_content(html: str, page, config, files) -> str:
    """Give generated pages their title from data (after macros ran, so it is never evaluated)."""
    parts = page.file.src_uri.removesuffix(".md").split("/")
    if len(parts) == 2 and parts[1] != "index" and parts[0] in ("programmes", "sources", "laws"):
        book = state.handbook()
        entry = getattr(book, parts[0]).get(parts[1])
        if entry is not None:
            text = entry.title if parts[0] == "sources" else entry.name
            # Material prints page.title unescaped (it is normally HTML from Markdown), so escape it here.
            page.title = str(escape(getattr(text, config["extra"]["lang"])))
    _indexes[config["site_dir"]].add_page(page.file.src_uri, page.title or "", html)
    return html


def on_post_build(config) -> None:
    builder = _indexes.pop(config["site_dir"])
    target = Path(config["site_dir"]) / "search" / "index.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(builder.script(), encoding="utf-8")
