# Two commands for a newcomer: `make serve` (build and serve the site) and `make test` (everything CI runs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The same site built by ProperDocs (the maintained fork of MkDocs 1.x), for tests/test_engine.py and build-properdocs.
PD_VENV := .venv-properdocs
PD_STAMP := $(PD_VENV)/.installed
# Every package comes from the locked files, each pinned with its hashes (`make lock` writes them).
PIP_INSTALL = -m pip install --quiet --disable-pip-version-check --require-hashes
# The project itself, editable, built by the locked setuptools (--no-build-isolation: nothing else is downloaded);
# local code has no hash to check.
PIP_PROJECT = -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
LOCK_FLAGS = --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --annotation-style=line $(UPGRADE)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve build check lint test test-fast font-deps browser-deps java-deps pdf kit lighthouse offline links bench clean properdocs-env build-properdocs lock
NPM_STAMP := node_modules/.package-lock.json

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) $(PIP_INSTALL) -r requirements-dev.txt
	$(PY) $(PIP_PROJECT)
	touch $(STAMP)

# --no-deps: Material and mkdocs-macros-plugin declare mkdocs, which the lock leaves out on purpose (see the .in file).
$(PD_STAMP): requirements-properdocs.txt
	$(PYTHON) -m venv $(PD_VENV)
	$(PD_VENV)/bin/python $(PIP_INSTALL) --no-deps -r requirements-properdocs.txt
	touch $(PD_STAMP)

properdocs-env: $(PD_STAMP)  ## .venv-properdocs: the site's packages with ProperDocs in place of MkDocs

# The project is not installed in .venv-properdocs (its lock has no setuptools): -m in the project folder finds it.
build-properdocs: $(PD_STAMP)  ## build site/ with ProperDocs instead of MkDocs (the same bytes; tests/test_engine.py)
	$(PD_VENV)/bin/python -m scripts.build_with_properdocs

# Rewrites the three lock files from the .in files with pip-tools (Python 3.11, as CI). Needs the package index.
# --allow-unsafe: the dev lock pins setuptools, which builds the project's editable install.
lock:  ## re-pin every package with hashes after editing requirements*.in
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile $(LOCK_FLAGS) -o requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile $(LOCK_FLAGS) --allow-unsafe -o requirements-dev.txt requirements-dev.in
	CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile $(LOCK_FLAGS) \
	  --unsafe-package mkdocs --unsafe-package mkdocs-get-deps --unsafe-package mergedeep \
	  -o requirements-properdocs.txt requirements-properdocs.in

serve: $(STAMP) font-deps  ## build both languages and serve them at http://127.0.0.1:8000, rebuilding on change
	$(PY) -m scripts.serve

build: $(STAMP) font-deps  ## build the deployable site: site/ links to it (left untouched if anything fails)
	$(PY) -m scripts.build_site

check: $(STAMP)  ## validate all data, every problem as path:line:col
	$(PY) -m handbook check

# Test-only tools pinned in package-lock.json: axe-core (accessibility) and vnu-jar (the Nu Html Checker).
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; Debian's is used instead.
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

java-deps:  ## a Java runtime for the Nu Html Checker (needs root; skipped if present)
	@command -v java >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

# The share cards (og:image) are drawn with Noto Sans CJK; without it the site builds with no cards, and says so.
font-deps:  ## Debian's Noto CJK fonts for the share cards (needs root; skipped if present, a note if it cannot install)
	@fc-list 2>/dev/null | grep -qi "noto sans cjk" || \
	  { [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
	    { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null; } || \
	    echo "note: could not install fonts-noto-cjk: the site builds without share cards"; }

browser-deps:  ## Debian's chromium and CJK fonts for the browser tests, zbar to read QR codes back (needs root; skipped if present)
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk" || \
	  { [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk poppler-utils zbar-tools >/dev/null; }

lint: $(STAMP)  ## ruff (rules chosen in pyproject.toml), ruff's formatter and mypy on handbook/, macros/, scripts/ and tests/
	$(VENV)/bin/ruff check handbook macros scripts tests
	$(VENV)/bin/ruff format --check handbook macros scripts tests
	$(VENV)/bin/mypy

test: $(STAMP) $(PD_STAMP) $(NPM_STAMP) browser-deps java-deps lint  ## everything: lint, data check, unit tests, site build tests, browser tests
	$(PY) -m handbook check
	$(PY) -m pytest -q

test-fast: $(STAMP) $(PD_STAMP)  ## data check and tests without the browser or Java (no root needed)
	$(PY) -m handbook check
	$(PY) -m pytest -q -m "not browser and not java"

pdf: $(STAMP) build browser-deps  ## the printable edition and one handout per programme as A4 PDFs in dist/pdf/
	$(PY) -m scripts.make_pdf

lighthouse: $(STAMP) $(NPM_STAMP) build browser-deps  ## Lighthouse (mobile) on five page types, served gzipped: performance ≥ 98, the rest 100
	$(PY) -m scripts.lighthouse

kit: $(STAMP)  ## the trainer's kit in dist/kit/: per programme and language a Word handout, a slide deck, QR codes
	$(PY) -m scripts.make_kit

offline: $(STAMP)  ## dist/handbook-offline.zip: the whole site, working from disk (file://), search included
	$(PY) -m scripts.make_offline

links: $(STAMP)  ## check the external links in the data (needs internet; not part of make test)
	$(PY) -m scripts.check_external_links

bench: $(STAMP) build browser-deps  ## performance figures (build, data check, page weight, search)
	$(PY) -m scripts.bench

clean:
	rm -rf site site.d site.previous .site.lock .site-* .pytest_cache dist node_modules .venv-lock
