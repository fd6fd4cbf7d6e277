"""mkdocs-macros entry point for the hand-written pages in docs/: each macro is a method of parts.Parts, called
with the page being rendered. Pages generated from data do not go through macros (see hooks.py)."""
from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import state  # noqa: E402

NO_PAGE_ARGUMENT = ("title", "page_title")  # these do not need to know the page they are on
MACROS = ("programme", "programme_index_intro", "programme_index", "source", "source_index", "glossary",
          "references_list", "law", "law_index", "targets_intro", "target_charts", "targets_table", "timeline_page",
          "matrix_page", "status_page", "pending_page", "handout", "print_intro", "data_files", "stats")


def define_env(env) -> None:
    parts = state.parts(env.conf)

    def on_this_page(method):
        @functools.wraps(method)
        def macro(*args, **kwargs):
            return method(env.page.file.src_uri, *args, **kwargs)
        return macro

    for name in NO_PAGE_ARGUMENT:
        env.macro(getattr(parts, name), name)
    for name in MACROS:
        env.macro(on_this_page(getattr(parts, name)), name)
