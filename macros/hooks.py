"""The hooks file mkdocs.yml names; the work is done in events.py.

MkDocs runs this file while it reads mkdocs.yml, before any plugin starts, so nothing of the project is imported
here: each event imports macros.events when it runs, by when mkdocs-macros (a plugin, so it starts first) has
imported `macros`, and with it `handbook`, from the folder of mkdocs.yml. A copy of the project thus builds with
its own code, not with the checkout installed in the environment (pip install -e .)."""

from __future__ import annotations


def _events():
    from macros import events

    return events


def on_config(config):
    return _events().on_config(config)


def on_pre_build(config) -> None:
    _events().on_pre_build(config)


def on_files(files, config):
    return _events().on_files(files, config)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return _events().on_page_markdown(markdown, page, config, files)


def on_page_context(context, page, config, nav):
    return _events().on_page_context(context, page, config, nav)


def on_page_content(html: str, page, config, files) -> str:
    return _events().on_page_content(html, page, config, files)


def on_post_page(output: str, page, config) -> str:
    return _events().on_post_page(output, page, config)


def on_post_build(config) -> None:
    _events().on_post_build(config)
