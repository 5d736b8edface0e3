"""Notebook specifics: install cell, image paths, math in callouts, citations as in the book."""
from __future__ import annotations

import json

import nbformat

from myst_helpers import convert
from myst2qmd.cli import main

BIB = """@misc{dumoulin2016guide,
  author = {Vincent Dumoulin and Francesco Visin},
  title  = {A guide to convolution arithmetic for deep learning},
  year   = {2016},
  eprint = {1603.07285}, archiveprefix = {arXiv},
  url    = {https://arxiv.org/abs/1603.07285}
}
@book{goodfellow2016deep,
  author = {Ian Goodfellow and Yoshua Bengio and Aaron Courville},
  title = "Deep Learning", publisher = {MIT Press}, year = 2016
}
"""


def _markdown(nb_text: str) -> str:
    nb = nbformat.reads(nb_text, 4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_without_repo_url_there_is_no_install_cell_and_one_warning(in_tmp, capsys):
    for name in ("a", "b"):
        (in_tmp / f"{name}.md").write_text(f"# {name}\n\nText.\n", encoding="utf-8")
    assert main(["convert", "a.md", "b.md", "--out-dir", "out", "--targets", "notebook"]) == 0
    for name in ("a", "b"):
        nb = json.loads((in_tmp / "out" / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert [c["cell_type"] for c in nb["cells"]] == ["markdown", "markdown"]
    out = capsys.readouterr().out
    assert out.count("no --repo-url: the notebooks get no install cell for scratchnn[colab]") == 1


def test_notebook_images_default_to_a_path_seen_from_the_notebook(in_tmp):
    (in_tmp / "a.md").write_text('# A\n\n<img src="images/x.png" alt="X">\n', encoding="utf-8")
    assert main(["convert", "a.md", "--out-dir", "out", "--targets", "book,notebook",
                 "--images-path", "img/", "--notebooks-dir", "out/nb/de"]) == 0
    text = _markdown((in_tmp / "out" / "nb" / "de" / "a.ipynb").read_text(encoding="utf-8"))
    assert "![X](../../img/x.png)" in text
    assert (in_tmp / "out" / "nb" / "de" / "../../img").resolve() == (in_tmp / "out" / "img").resolve()


def test_display_math_in_a_callout_is_not_quoted(in_tmp):
    src = in_tmp / "m.md"
    src.write_text("# M\n\n```{note}\nVorher:\n\n$$\nx = 1\n$$\n\nNachher.\n```\n", encoding="utf-8")
    (job,) = convert([src])
    text = _markdown(job.outputs.notebook)
    assert "> **Hinweis**\n>\n> Vorher:\n\n$$\nx = 1\n$$\n\n> Nachher." in text
    assert "> $$" not in text and "> x = 1" not in text


def test_citations_are_author_year_with_a_reference_list(in_tmp):
    src = in_tmp / "c.md"
    src.write_text("# C\n\n{cite:t}`dumoulin2016guide` zeigen es, siehe auch {cite}`goodfellow2016deep,"
                   "dumoulin2016guide`.\n", encoding="utf-8")
    (in_tmp / "refs.bib").write_text(BIB, encoding="utf-8")
    from myst2qmd.bibtex import read_bib

    (job,) = convert([src], bibliography=read_bib(in_tmp / "refs.bib"))
    assert job.report.errors == []
    assert "@dumoulin2016guide zeigen es, siehe auch\\ [@goodfellow2016deep; @dumoulin2016guide]." in job.outputs.book
    text = _markdown(job.outputs.notebook)
    assert ("Dumoulin und Visin (2016) zeigen es, siehe auch\u00a0(Goodfellow et al. 2016; "
            "Dumoulin und Visin 2016).") in text
    refs = text[text.index("## Literatur"):]
    assert refs.index("Vincent Dumoulin, Francesco Visin (2016). *A guide to convolution arithmetic") \
        < refs.index("Ian Goodfellow, Yoshua Bengio, Aaron Courville (2016). *Deep Learning*. MIT Press.")
    assert '<a id="ref-dumoulin2016guide"></a>' in refs and "arXiv:1603.07285" in refs


def test_image_paths_are_relative_to_each_output_and_the_quarto_form_is_accepted(in_tmp):
    (in_tmp / "a.md").write_text(
        "# A\n\n<!-- ### BEGIN SLIDE -->\n<!-- Title: Bild -->\n"
        ":::{figure-md} fig-x\n<img src=\"./images/x.png\" alt=\"X\">\n\nEin Bild.\n:::\n"
        "<!-- ### END SLIDE -->\n\n![Y]({{< meta params.images_path >}}y.png)\n", encoding="utf-8")
    assert main(["convert", "a.md", "--out-dir", "book/chapters", "--images-path", "../assets/",
                 "--slides-dir", "book/decks/de", "--notebooks-dir", "nb", "--targets", "book,slides,notebook"]) == 0
    book = (in_tmp / "book/chapters/a.qmd").read_text(encoding="utf-8")
    slides = (in_tmp / "book/decks/de/a.qmd").read_text(encoding="utf-8")
    notebook = _markdown((in_tmp / "nb/a.ipynb").read_text(encoding="utf-8"))
    assert "![](../assets/x.png){fig-alt=\"X\"}" in book and "![Y](../assets/y.png)" in book
    assert "![](../../assets/x.png){fig-alt=\"X\"}" in slides
    assert "![X](../book/assets/x.png)" in notebook and "![Y](../book/assets/y.png)" in notebook
    assert "meta params" not in book + slides + notebook
