"""The legacy-style lecture (fixtures/legacy-lecture.md): golden outputs and every construct and edge case in it."""
from __future__ import annotations

import json

import nbformat
import pytest
from PIL import Image

from myst_helpers import FIXTURES, convert, golden


@pytest.fixture
def de(legacy, in_tmp):
    (job,) = convert([legacy])
    return job


@pytest.fixture
def en(legacy, in_tmp):
    (job,) = convert([legacy], lang="en", catalogs={legacy: FIXTURES / "legacy-lecture.en.po"})
    return job


def test_book_slides_notebook_match_golden_files(de, en):
    golden("legacy-lecture/de/book.qmd", de.outputs.book)
    golden("legacy-lecture/de/slides.qmd", de.outputs.slides)
    golden("legacy-lecture/de/notebook.ipynb", de.outputs.notebook)
    golden("legacy-lecture/en/book.qmd", en.outputs.book)
    golden("legacy-lecture/en/slides.qmd", en.outputs.slides)
    golden("legacy-lecture/en/notebook.ipynb", en.outputs.notebook)


def test_conversion_has_no_errors_and_content_accounting_passes(de, en):
    assert de.report.errors == []
    assert en.report.errors == []
    assert en.report.untranslated == [] and en.report.fuzzy == []


def test_title_comes_from_first_h1_and_leaves_the_body(de):
    head, body = de.outputs.book.split("---\n", 2)[1:]
    assert "title: Pooling-Schichten" in head
    assert "# Pooling-Schichten" not in body
    assert "params" not in head  # image paths are written out (test_notebook_target: relative to each output)
    assert "jupyter: python3" in head
    assert "jupytext" not in de.outputs.book and "kernelspec" not in de.outputs.book


def test_generated_files_say_source_and_do_not_edit(de):
    assert "<!-- Erzeugt von myst2qmd aus legacy-lecture.md — nicht bearbeiten. -->" in de.outputs.book
    assert "nicht bearbeiten" in de.outputs.slides
    nb = nbformat.reads(de.outputs.notebook, 4)
    assert nb.metadata["myst2qmd"] == {"source": "legacy-lecture.md", "generated": "do not edit"}


def test_latex_export_blocks_are_removed(de):
    for text in (de.outputs.book, json.loads(de.outputs.notebook)["cells"].__repr__()):
        assert "LATEX EXPORT" not in text
        assert "\\titlepage" not in text and "\\input{" not in text and "\\subtitle" not in text
    assert de.report.constructs["latex-export-removed"] == 4


def test_commented_out_figure_closing_on_colon_line_is_dropped(de):
    assert "fig-pool-legacy" not in de.outputs.book
    assert "Nicht mehr gültig" not in de.outputs.book
    assert de.report.constructs["comment-dropped"] == 1
    # The text after the comment still converts: the heading that follows is there.
    assert "### Ausgabegröße {#sec-pool-size}" in de.outputs.book


def test_figure_word_before_numref_is_not_doubled(de):
    assert "(siehe @fig-pool-grid)" in de.outputs.book
    assert "Figure @" not in de.outputs.book


def test_figure_md_with_img_becomes_labelled_figure_div(de):
    assert ("::: {#fig-pool-grid}\n![](../../assets/images/pool-grid.png){width=480 "
            "fig-alt=\"ein Raster aus Zahlen\"}\n\n"
            "Max-Pooling halbiert Breite und Höhe. Nach\\ [@pool_notes_2019].\n:::") in de.outputs.book


def test_cite_t_is_narrative_and_cite_is_parenthetical(de):
    assert "\n@pool_survey_2018 vergleicht viele Varianten, und @fig-pool-anim zeigt eine davon." in de.outputs.book
    assert "Nach\\ [@pool_notes_2019]." in de.outputs.book


def test_label_before_lower_level_heading_becomes_section_id(de):
    assert "{#sec-pool-size}" in de.outputs.book
    assert "Genaueres in @sec-pool-size." in de.outputs.book


def test_math_directive_label_and_eq_role(de):
    assert "\\right\\rfloor + 1\n$$ {#eq-pool-size}" in de.outputs.book
    assert "\n@eq-pool-size gilt auch mit Rand" in de.outputs.book  # "Gleichung" dropped


def test_equation_environments_are_kept(de):
    assert ("\\begin{align}\no &= {\\left\\lfloor \\frac{i − k}{s} \\right\\rfloor} + 1\n\\end{align}"
            in de.outputs.book)  # \\floor expanded
    assert "\\begin{equation}\nA(i, j)" in de.outputs.book


def test_macros_are_expanded_in_book_and_slides_and_defined_in_notebooks(de):
    # no definitions in chapters and decks: a merged typst book defines nothing twice
    for text in (de.outputs.book, de.outputs.slides):
        assert "_macros.qmd" not in text and "\\newcommand" not in text and "\\floor" not in text
    assert "\\lfloor" in de.outputs.book
    nb = nbformat.reads(de.outputs.notebook, 4)
    assert "$\\newcommand{\\floor}[1]" in nb.cells[0].source


def test_undefined_macro_is_reported_with_its_line(legacy, in_tmp):
    (job,) = convert([legacy], macros={})
    assert (88, "macro \\floor is used but not defined (pass --macros FILE)") in job.report.warnings


def test_question_admonition_is_titled_in_each_language(de, en):
    assert '::: {.callout-tip appearance="simple"}\n**Frage**\n' in de.outputs.book
    assert '::: {.callout-tip appearance="simple"}\n**Question**\n' in en.outputs.book
    assert '::: {.callout-note appearance="simple"}\n**Hinweis**' in de.outputs.book
    assert '**Note**' in en.outputs.book


def test_code_cell_yaml_tags_become_quarto_options(de):
    # hide-input: the code is folded (shown on click), as Jupyter Book does
    assert "```{python}\n#| label: cell-legacy-lecture-1\n#| code-fold: true\nimport numpy as np" in de.outputs.book
    assert "tags:" not in de.outputs.book
    nb = nbformat.reads(de.outputs.notebook, 4)
    hidden = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("tags") == ["hide-input"]]
    assert len(hidden) == 1 and not hidden[0].source.startswith("---")


def test_gif_figure_is_html_only_with_a_first_frame_for_pdf(legacy, in_tmp):
    images = in_tmp / "images"
    images.mkdir()
    frames = [Image.new("RGB", (4, 4), c) for c in ("red", "blue")]
    frames[0].save(images / "pool_window.gif", save_all=True, append_images=frames[1:])
    (job,) = convert([legacy], images_dir=images)
    assert not (images / "pool_window-frame0.png").exists()  # written with the outputs, not while converting
    (images / "pool_window-frame0.png").write_bytes(job.outputs.files[images / "pool_window-frame0.png"])
    book = job.outputs.book
    assert book.count("#fig-pool-anim") == 1
    html = book.index('::: {.content-visible when-format="html"}\n![](../../assets/images/pool_window.gif)')
    pdf = book.index('::: {.content-visible unless-format="html"}\n![](../../assets/images/pool_window-frame0.png)')
    assert html < pdf
    still = Image.open(images / "pool_window-frame0.png")
    assert still.format == "PNG" and still.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    assert job.report.constructs["gif-still"] == 1


def test_iframe_is_a_video_shortcode_in_book_and_a_link_in_notebooks(de):
    # Quarto: a player in HTML and slides, a link in the PDF
    assert '\n{{< video https://www.youtube.com/embed/pool-demo-video title="Video" >}}\n' in de.outputs.book
    assert "<iframe" not in de.outputs.book
    nb = nbformat.reads(de.outputs.notebook, 4)
    text = "\n".join(c.source for c in nb.cells)
    assert "<iframe" not in text
    assert "Video: [Video](https://www.youtube.com/embed/pool-demo-video)" in text


def test_references_section_is_appended_where_citations_exist(de, en):
    assert de.outputs.book.endswith("## Literatur {.unnumbered}\n\n::: {#refs}\n:::\n")
    assert en.outputs.book.endswith("## References {.unnumbered}\n\n::: {#refs}\n:::\n")


def test_slides_have_one_slide_per_slide_block_and_no_title_only_slides(de, en):
    slides = de.outputs.slides
    assert "format:\n  revealjs:\n    auto-stretch: true\n" in slides
    assert "\n# " not in slides  # section titles alone are no slides
    assert "\n## Ein Raster wird kleiner\n\n::: {#fig-pool-grid}\n![](../../assets/images/pool-grid.png){fig-alt=" in slides
    assert "width=480" not in slides  # scaled to fit instead
    assert "keine Gewichte" not in slides  # outside every SLIDE block
    assert "\n## A grid shrinks\n" in en.outputs.slides


def test_latex_frame_with_text_becomes_a_slide_and_empty_frames_are_reported(de):
    assert "\n## Mittelwert\n\n$$\\begin{equation*}" in de.outputs.slides
    # \frametitle starts a slide; block → titled callout; \tiny → .smaller; \rule dropped
    assert ('\n## Zwei Varianten {.smaller}\n\n::: {.callout-note title="Merke"}\n'
            "Max-Pooling behält den größten Wert.\n:::\n\nMittelwert-Pooling glättet das Raster.\n\n"
            "## Und der Rand?\n\nEin Rand wird wie bei Faltungen aufgefüllt.\n") in de.outputs.slides
    assert "---" not in de.outputs.slides.split("---\n", 2)[2]  # no stray rule


def test_a_deck_that_cites_ends_with_a_references_slide(de, en):
    assert de.outputs.slides.endswith("\n## Literatur {.smaller .scrollable}\n\n::: {#refs}\n:::\n")
    assert en.outputs.slides.endswith("\n## References {.smaller .scrollable}\n\n::: {#refs}\n:::\n")
    assert "line 126: LaTeX frame 'References' without text skipped" in de.report.notes


def test_notebook_has_badge_install_cell_and_text_cross_references(legacy, in_tmp):
    (job,) = convert([legacy], repo_url="https://github.com/owner/cfs", notebook_dir="notebooks/de")
    nb = nbformat.reads(job.outputs.notebook, 4)
    nbformat.validate(nb)
    first, install = nb.cells[0], nb.cells[1]
    assert ("[In Colab öffnen](https://colab.research.google.com/github/owner/cfs/blob/main/"
            "notebooks/de/legacy-lecture.ipynb)") in first.source
    assert "<img" not in first.source and "badge" not in first.source.lower()
    assert 'if "google.colab" in sys.modules:' in install.source
    assert "'scratchnn[colab] @ git+https://github.com/owner/cfs'" in install.source
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "(siehe Abbildung 1)" in text and "und Abbildung 2 zeigt eine davon" in text
    assert "Gleichung (1) gilt auch mit Rand" in text
    assert "\\tag{1}" in text
    assert "> **Frage**" in text
    assert "{{<" not in text and "@fig-" not in text and "::: {" not in text


def test_english_notebook_uses_english_reference_words(en):
    nb = nbformat.reads(en.outputs.notebook, 4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "(see Figure 1)" in text and "Equation (1) also holds with a border" in text
    assert "Section “Output size”" in text


def test_report_counts_constructs_by_kind(de):
    c = de.report.constructs
    assert c["figure"] == 2 and c["gif-figure"] == 1 and c["code-cell"] == 2
    assert c["callout-note"] == 2 and c["callout-tip"] == 1 and c["iframe"] == 1
    assert c["role:numref"] == 2 and c["role:cite"] == 1 and c["role:cite:t"] == 1 and c["equation-label"] == 1
