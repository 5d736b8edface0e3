# Thin targets; the logic lives in scripts/ and tests/. See README.md.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: env test book notebooks slides pdf lint translate convert bench clean

env: $(STAMP)

# torch first, pinned to the CPU wheel on disk; the extras' looser `torch>=2.3` then installs nothing more.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev,book]"
	@if [ -f package.json ]; then npm ci --silent --no-audit --no-fund; fi
	touch $@

# One BLAS/OpenMP thread per test worker: two workers each spawning a thread per core
# oversubscribe the CPU (the digits training test went from 0.9 s to 36 s).
test: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m pytest -n 2

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
