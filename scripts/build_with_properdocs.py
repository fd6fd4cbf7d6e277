"""Build the site with ProperDocs (the maintained fork of MkDocs 1.x) instead of MkDocs.

Runs scripts/build_site.py unchanged, in the same way and with the same options, after importing
`properdocs.replacement`, which answers every `import mkdocs…` (ours in build_site.py and macros/events.py,
Material's, mkdocs-macros') with the matching `properdocs…` module. Forked language builds inherit that.
Run it with .venv-properdocs/bin/python (`make build-properdocs`), where MkDocs is not installed at all.

Usage: python -m scripts.build_with_properdocs [--out DIR] [--jobs N]
"""

import runpy

import properdocs.replacement  # noqa: F401 - from here on, mkdocs.* is properdocs.*

if __name__ == "__main__":
    runpy.run_module("scripts.build_site", run_name="__main__", alter_sys=True)
