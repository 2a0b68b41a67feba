# make book   create .venv from requirements.txt when missing, execute stale chapters, build _build/html
# make test   pytest over tests/ (the browser test included) and strict nbval over every chapter
# make bench  timings of the book build; see benchmarks/README.md
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(PY) -m councils book

test: $(STAMP)
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval chapters

bench: $(STAMP)
	$(PY) benchmarks/bench.py

clean:
	rm -rf _build
