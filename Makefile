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

test: $(STAMP)
	$(PY) -m pytest -n 2

clean:
	rm -rf _book _build .quarto
