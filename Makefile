# make book   create .venv from the lock (requirements.txt) when missing or changed, execute stale chapters,
#             build _build/html
# make test   pytest over tests/ (the browser test included) and strict nbval over every chapter, in one run
# make test-fast  the fast tier only (no built book, browser, fresh interpreter or kernel): about 80 s on a quiet machine
# make lock   regenerate requirements.txt from pyproject.toml (exact versions and hashes of every package)
# make bench  timings of the book build; see benchmarks/README.md
# make pdf    the published book as one PDF per edition (_build/pdf/), with Debian's Chromium; the site then links to them
# make serve  the built site on http://127.0.0.1:8000 (search works fully only when served)
# make mutate the mutation check of the core: mutmut over seven modules of councils/, module by module, with the
#             fast tests, in a copy of the work tree under _build/mutate (slow: not part of `make test`;
#             tests/README.md gives the kill rates, the run time and the accepted survivors)
# make site-archive  one zip of _build/html (both editions, PDFs, spreadsheets, data packages) and its .sha256,
#             for upload to any web server
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP := $(PY) -m pip --disable-pip-version-check
# pip-compile lives in a virtualenv of its own: the book's environment holds exactly the lock.
LOCK_TOOLS := $(VENV)/lock-tools
PIP_TOOLS := pip-tools==7.6.2
# Extra pip-compile options, e.g. `make lock LOCK_ARGS="--upgrade-package altair"` or `LOCK_ARGS=--upgrade`.
LOCK_ARGS ?=

.PHONY: book test test-fast lock bench clean pdf serve site-archive mutate

# Every package from the lock, each checked against its hashes; then the package itself, built with the
# locked setuptools (no build isolation: nothing is fetched that the lock does not name).
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

book: $(STAMP)
	$(PY) -m councils book

# axe-core, which the browser tests inject into every page, from the npm lock (package-lock.json: exact
# version and integrity hash), installed with npm ci beside the Python environment, outside the work tree.
NODE_DIR := $(VENV)/node
AXE := $(NODE_DIR)/node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	mkdir -p $(NODE_DIR)
	cp package.json package-lock.json $(NODE_DIR)/
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

# One session, so that tests/conftest.py sees every test: -rs lists skips, and under CI=true a skip fails.
test: $(STAMP) $(AXE)
	$(PY) -m pytest tests --nbval chapters

# The tiers are set in tests/conftest.py (tests/README.md); the work-tree check runs last in both.
test-fast: $(STAMP)
	$(PY) -m pytest tests -m "not slow"

# Extras stay in the lock (--no-strip-extras): a dependency that asks for one, e.g. textual (through mutmut)
# for markdown-it-py[linkify], is refused by pip --require-hashes in a fresh environment unless the lock pins it.
# The lock is for Python 3.11 on Linux x86_64 (the machines that build the book); pip-compile uses the
# machine's own pip configuration for where packages come from, and writes no index into the lock.
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && \
		$(LOCK_TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check $(PIP_TOOLS); }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_TOOLS)/bin/pip-compile --quiet --extra test --generate-hashes \
		--allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt \
		$(LOCK_ARGS) pyproject.toml

bench: $(STAMP)
	$(PY) benchmarks/bench.py

# One module or a few: `make mutate MUTATE_ARGS="wording tables"`; the last results only: MUTATE_ARGS=--report.
MUTATE_ARGS ?=
mutate: $(STAMP)
	$(PY) tests/mutation.py $(MUTATE_ARGS)

# Each edition printed, then the site rebuilt so that every page links to its edition's PDF.
pdf: $(STAMP)
	$(PY) -m councils pdf --lang da
	$(PY) -m councils pdf --lang en
	$(PY) -m councils book

serve: $(STAMP)
	$(PY) -m councils serve

# The site as it is built (run `make pdf` first to include the PDFs): _build/integration-councils-site.zip and
# _build/integration-councils-site.zip.sha256 (check with `sha256sum -c`).
SITE_ARCHIVE := _build/integration-councils-site.zip
site-archive: book
	$(PY) -m councils archive --site _build/html --out $(SITE_ARCHIVE)

clean:
	rm -rf _build
