# Two commands for a newcomer: `make serve` (build and serve the site) and `make test` (everything CI runs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve build check test test-fast browser-deps java-deps pdf offline links bench clean
NPM_STAMP := node_modules/.package-lock.json

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

serve: $(STAMP)  ## build both languages and serve them at http://127.0.0.1:8000, rebuilding on change
	$(PY) scripts/serve.py

build: $(STAMP)  ## build the deployable site: site/ links to it (left untouched if anything fails)
	$(PY) scripts/build_site.py

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

browser-deps:  ## Debian's chromium and CJK fonts for the browser tests (needs root; skipped if present)
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk" || \
	  { [ "$$(id -u)" = 0 ] && SUDO= || SUDO=sudo; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; }

test: $(STAMP) $(NPM_STAMP) browser-deps java-deps  ## everything: data check, unit tests, site build tests, browser tests
	$(PY) -m handbook check
	$(PY) -m pytest -q

test-fast: $(STAMP) $(NPM_STAMP) java-deps  ## data check and tests without the browser
	$(PY) -m handbook check
	$(PY) -m pytest -q -m "not browser"

pdf: $(STAMP) build browser-deps  ## the printable edition and one handout per programme as A4 PDFs in dist/pdf/
	$(PY) scripts/make_pdf.py

offline: $(STAMP)  ## dist/handbook-offline.zip: the whole site, working from disk (file://), search included
	$(PY) scripts/make_offline.py

links: $(STAMP)  ## check the external links in the data (needs internet; not part of make test)
	$(PY) scripts/check_external_links.py

bench: $(STAMP) build browser-deps  ## performance figures (build, data check, page weight, search)
	$(PY) scripts/bench.py

clean:
	rm -rf site site.d site.previous .site.lock .site-* .pytest_cache dist node_modules
