"""A converted multi-chapter book renders with real Quarto to HTML and typst (issue 17).

Two chapters (fixtures/book/) with static images, a macro (``\\floor``), references across
chapters, citations and an exercise are converted into a Quarto book project and rendered:
exit 0 and no warning for both formats, every figure's image in the PDF (``pdfimages``).
Marked ``quarto``: runs where ``quarto`` is on PATH, skips with one line otherwise.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PIL import Image

from myst_helpers import FIXTURES
from myst2qmd.cli import main

pytestmark = [pytest.mark.quarto,
              pytest.mark.skipif(shutil.which("quarto") is None, reason="quarto not on PATH: the converted "
                                 "book is not rendered")]

BIB = """@misc{pool_notes_2019,
  author = {Ada Raster and Ben Fenster},
  title = {Notes on pooling},
  year = {2019}
}
@article{pool_survey_2018,
  author = {Cleo Schritt and Dan Feld and Eva Zeile},
  title = {A survey of pooling},
  journal = {Journal of Grids},
  year = {2018}
}
"""
QUARTO = """project:
  type: book
book:
  title: "Raster"
  author: "Die Autoren"  # Quarto 1.11's typst book fails without one ("expected content, found array")
  chapters:
    - index.qmd
    - chapters/01-raster.qmd
    - chapters/02-verdichten.qmd
bibliography: references.bib
lang: de
format:
  html:
    html-math-method: katex
  typst: default
"""


def _render(root, fmt):
    proc = subprocess.run(["quarto", "render", "--to", fmt], cwd=root, capture_output=True, text=True,
                          timeout=600)
    log = proc.stdout + proc.stderr
    warnings = [ln for ln in log.splitlines() if re.search(r"\bWARN(ING)?\b", ln)]
    return proc.returncode, warnings, log


def test_converted_chapters_render_as_a_book_to_html_and_typst(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    images = tmp_path / "assets" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (64, 64), (40, 90, 160)).save(images / "gitter.png")
    Image.new("RGB", (32, 32), (160, 90, 40)).save(images / "halb.png")
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(QUARTO, encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Vorwort {.unnumbered}\n\nEin kleines Buch.\n", encoding="utf-8")
    sources = [str(FIXTURES / "book" / name) for name in ("01-raster.md", "02-verdichten.md")]
    assert main(["convert", *sources, "--out-dir", "chapters", "--images-path", "../assets/images/",
                 "--macros", str(FIXTURES / "macros.tex"), "--bibliography", "references.bib",
                 "--targets", "book", "--strict"]) == 0

    code, warnings, log = _render(tmp_path, "html")
    assert code == 0, log
    assert warnings == [], log
    html = (tmp_path / "_book" / "chapters" / "02-verdichten.html").read_text(encoding="utf-8")
    assert 'href="01-raster.html#fig-raster-gitter" class="quarto-xref">Abbildung&nbsp;<span>1.1' in html
    assert "Schritt u.&nbsp;a. (" in html  # {cite:t}: narrative, citeproc's German "et al."
    assert 'src="../assets/images/halb.png"' in html

    code, warnings, log = _render(tmp_path, "typst")
    assert code == 0, log
    assert warnings == [], log
    pdfs = list((tmp_path / "_book").glob("*.pdf"))
    assert len(pdfs) == 1, log
    listing = subprocess.run(["pdfimages", "-list", str(pdfs[0])], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert len(listing) == 2, "\n".join(listing)  # both figures' images are in the PDF
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nach dem Verdichten bleibt" in text and "Notes on pooling" in text
