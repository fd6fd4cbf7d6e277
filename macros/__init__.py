"""mkdocs-macros entry point for the hand-written pages in docs/: each macro is a method of parts.Parts, called
with the page being rendered. Pages generated from data do not go through macros (see events.py)."""

from __future__ import annotations

import functools

from . import state

MACROS = ("data_files", "stats")  # the only macros the hand-written pages in docs/ call


def define_env(env) -> None:
    parts = state.parts(env.conf)

    def on_this_page(method):
        @functools.wraps(method)
        def macro(*args, **kwargs):
            return method(env.page.file.src_uri, *args, **kwargs)

        return macro

    for name in MACROS:
        env.macro(on_this_page(getattr(parts, name)), name)
