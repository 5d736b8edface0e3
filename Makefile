# Thin targets; the logic lives in scripts/ and tests/. See README.md.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

CHROMIUM ?= /usr/bin/chromium

.PHONY: env chromium test check-site book notebooks slides pdf lint translate convert bench clean

env: $(STAMP)

# torch first, pinned to the CPU wheel on disk; the extras' looser `torch>=2.3` then installs nothing more.
# scratchnn (editable, with the notebook and test extras) + the book's build tooling, which is not
# part of the scratchnn package (requirements-book.txt: the converter from scripts/, nbclient, panache).
$(STAMP): pyproject.toml scripts/pyproject.toml requirements-book.txt package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev,notebook]" -r requirements-book.txt
	npm ci --silent --no-audit --no-fund
	touch $@

# The browser tests drive Chromium at $(CHROMIUM) (Playwright never downloads a browser). As root
# with apt, install it; otherwise stop here with one line saying what to install.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests (apt-get install chromium) ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "make test: the browser tests need Chromium at $(CHROMIUM); install it (Debian/Ubuntu: sudo apt-get install chromium) and run make test again." >&2; \
	  exit 1; \
	fi

# One BLAS/OpenMP thread per test worker: two workers each spawning a thread per core
# oversubscribe the CPU (the digits training test went from 0.9 s to 36 s).
test: $(STAMP) chromium
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m pytest -n 2

# The rendered site, PDF and decks checked in Chromium (needs Quarto; renders if _book is stale).
check-site: $(STAMP)
	CHROMIUM=$(CHROMIUM) $(PY) -m pytest -m quarto tests/book/test_rendered_site.py

clean:
	rm -rf _book _build .quarto

# ---- The book (thin: the logic is scripts/book.py → scripts/bookbuild/; see README "Building the book")
BOOK := $(PY) scripts/book.py

book: $(STAMP)        ## convert (de+en, strict), verify, execute, render with Quarto if available
	$(BOOK) book

convert: $(STAMP)     ## regenerate chapters/ slides/ notebooks/ and the include files
	$(BOOK) convert

notebooks: $(STAMP)   ## convert, then execute every chapter → _build/notebooks, _build/execution-times.json
	$(BOOK) notebooks

slides: $(STAMP)      ## convert, then render the reveal.js decks (Quarto)
	$(BOOK) slides

pdf: $(STAMP)         ## convert, then render the typst PDFs of both languages (Quarto)
	$(BOOK) pdf

lint: $(STAMP)        ## panache lint on every .qmd
	$(BOOK) lint

translate: $(STAMP)   ## update i18n/en catalogs from myst/de and list what is untranslated
	$(BOOK) translate
