"""Build the site with ProperDocs (the maintained fork of MkDocs 1.x) instead of MkDocs.

Runs scripts/build_site.py unchanged, in the same way and with the same options, after importing
`properdocs.replacement`, which answers every `import mkdocs…` (ours in build_site.py and macros/hooks.py,
Material's, mkdocs-macros') with the matching `properdocs…` module. Forked language builds inherit that.
Run it with .venv-properdocs/bin/python (`make build-properdocs`), where MkDocs is not installed at all.

Usage: python scripts/build_with_properdocs.py [--out DIR] [--jobs N]
"""

import runpy
import sys
from pathlib import Path

import properdocs.replacement  # noqa: F401 - from here on, mkdocs.* is properdocs.*

if __name__ == "__main__":
    sys.argv[0] = str(Path(__file__).with_name("build_site.py"))
    runpy.run_path(sys.argv[0], run_name="__main__")
