"""Constructs the book's own sources use (fixtures/01-constructs.md, 02-other.md)."""
from __future__ import annotations

import nbformat
import pytest

from myst_helpers import FIXTURES, convert, golden

SOURCES = [FIXTURES / "01-constructs.md", FIXTURES / "02-other.md"]


@pytest.fixture
def jobs(in_tmp):
    return convert(SOURCES, repo_url="https://github.com/owner/cfs", notebook_dir="notebooks/de")


@pytest.fixture
def one(jobs):
    return jobs[0]


def _nb_text(job):
    nb = nbformat.reads(job.outputs.notebook, 4)
    return nb, "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_outputs_match_golden_files(jobs):
    for job in jobs:
        stem = job.path.stem
        golden(f"{stem}/book.qmd", job.outputs.book)
        golden(f"{stem}/slides.qmd", job.outputs.slides)
        golden(f"{stem}/notebook.ipynb", job.outputs.notebook)


def test_only_expected_warnings_and_no_errors(jobs):
    assert jobs[0].report.errors == [] and jobs[1].report.errors == []
    assert jobs[0].report.warnings == [(108, "unknown directive {glossary} kept verbatim"),
                                       (113, "unknown role {kbd2} kept verbatim"),
                                       (80, "notebook: fig-book-cell is referenced but only the book shows it")]
    _, text = _nb_text(jobs[0])
    assert "Wichtig ist Abbildung (im Buch)." in text


def test_ref_to_a_label_in_another_file_resolves_when_converted_together(jobs):
    assert "siehe @sec-other-file." in jobs[0].outputs.book
    assert "Zurück zu @sec-outputs und @eq-out." in jobs[1].outputs.book
    _, text = _nb_text(jobs[0])
    assert "siehe Abschnitt „Verweisziel“ in „Ein zweites Kapitel“." in text


def test_ref_to_a_label_in_another_file_is_reported_when_converted_alone(in_tmp):
    (job,) = convert([FIXTURES / "02-other.md"])
    assert (6, "{ref} target 'sec:outputs' is not defined in the converted sources") in job.report.errors


def test_label_kinds_are_normalised(one):
    book = one.outputs.book
    assert "## Ausgabegrößen {#sec-outputs}" in book  # (sec:outputs)=
    assert "$$ {#eq-out}" in book and "folgt aus @eq-out" in book  # $$ … $$ (eq_out)
    assert "::: {#fig-duplicate}" in book  # figure-md fig_duplicate


def test_label_on_the_title_becomes_a_link_to_the_chapter(one):
    assert "[Kapitel](01-constructs.qmd)" in one.outputs.book
    _, text = _nb_text(one)
    assert "[Kapitel](01-constructs.ipynb)" in text


def test_active_and_commented_out_figure_sharing_a_label_keep_the_active_one(one):
    book = one.outputs.book
    assert book.count("#fig-duplicate") == 1
    assert "a.png" in book and "old.png" not in book and "Auskommentiert" not in book
    assert "@fig-duplicate und @fig-duplicate" in book  # "Abbildung" and "Abb." dropped


def test_dropdown_admonitions_become_collapsed_callouts_with_a_title(one):
    book = one.outputs.book
    assert '::: {.callout-tip collapse="true" title="Lösung"}\nDie Lösung ist $o = 3$.\n:::' in book
    assert '::: {.callout-tip collapse="true" title="Tipp"}\nEin Tipp zum Aufklappen.\n:::' in book
    assert '::: {.callout-warning appearance="simple"}\n**Warnung**' in book
    assert '::: {.callout-note appearance="simple"}\n**Lernziele**' in book


def test_only_and_raw_blocks_map_to_content_visible_and_raw_html(one):
    book = one.outputs.book
    assert ('::: {.content-visible when-format="html"}\n```{=html}\n'
            '<div data-cfs-explorer="conv-arithmetic"></div>\n```\n:::') in book
    assert '::: {.content-visible unless-format="html"}\nNur im PDF.\n:::' in book


def test_notebook_keeps_html_only_content_as_a_note_and_drops_latex_only(one):
    _, text = _nb_text(one)
    assert "*Interaktive Version: Führe die Widget-Zelle unten aus.*" in text
    assert "data-cfs-explorer" not in text and "Nur im PDF" not in text
    assert any("raw HTML" in n for n in one.report.notes)


def test_cell_tags_map_to_options_and_target_only_cells(one):
    book = one.outputs.book
    assert "#| output: false\n#| error: true\nraise ValueError" in book
    assert 'print("only in the notebook")' not in book
    assert ('#| label: fig-book-cell\n#| eval: false\n'
            '#| fig-cap: "Eine Abbildung aus einer Code-Zelle mit $x^2$."\n#| fig-alt: "Eine Parabel"') in book
    nb, _ = _nb_text(one)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert 'print("only in the notebook")' in sources
    assert not any("only in the book" in s for s in sources)
    assert one.report.constructs["cell-notebook-only"] == 1


def test_unknown_directive_and_role_are_kept_verbatim_and_marked(one):
    book = one.outputs.book
    assert ("<!-- myst2qmd: unknown directive {glossary} (source line 108) kept verbatim -->\n"
            "```` {.myst}\n```{glossary}\nFaltung\n  Eine Operation.\n```\n````") in book
    assert "`` {kbd2}`Ctrl` ``{.myst-role}" in book


def test_tables_lists_footnotes_and_escapes_survive(one):
    book = one.outputs.book
    assert "| Größe | Symbol | Beispiel |\n| :--- | :---: | ---: |\n| Eingabe | $i$ | `5` |" in book
    assert "2. Zweitens mit einem [Link](https://example.org/faltung) und \\*Sternchen\\*." in book
    assert "[^quelle]: Nach\\ [@dumoulin2016guide], Abschnitt 2." in book
    assert "zusammengefasst[^quelle]." in book


def test_notebook_is_valid_and_numbers_figures_and_equations(one):
    nb, text = _nb_text(one)
    nbformat.validate(nb)
    assert [c["id"] for c in nb.cells] == [f"cell-{i}" for i in range(len(nb.cells))]
    assert "folgt aus Gleichung (1)" in text and "\\tag{1}" in text
    # dropdowns (quiz answers, solutions) stay collapsed in the notebook too
    assert "<details>\n<summary>Lösung</summary>\n\nDie Lösung ist $o = 3$.\n\n</details>" in text
    assert "![Erste Abbildung](../../assets/images/a.png)" in text
    assert "zusammengefasst<sup>1</sup>." in text and "<sup>1</sup> Nach\u00a0[dumoulin2016guide]" in text


def test_conversion_is_deterministic(in_tmp):
    first = [j.outputs for j in convert(SOURCES)]
    second = [j.outputs for j in convert(SOURCES)]
    assert first == second


def test_stray_slide_markers_are_reported(in_tmp):
    src = in_tmp / "s.md"
    src.write_text("# T\n\n<!-- Title: Lose -->\n\nText.\n\n<!-- ### END SLIDE -->\n\n"
                   "<!-- ### BEGIN SLIDE -->\n\nOffen.\n", encoding="utf-8")
    (job,) = convert([src])
    assert (3, "Title: 'Lose' outside a SLIDE block ignored") in job.report.warnings
    assert (7, "END SLIDE without BEGIN SLIDE ignored") in job.report.warnings
    assert (9, "BEGIN SLIDE never closed by END SLIDE; block ignored") in job.report.warnings


def test_content_accounting_reports_what_a_conversion_lost(one):
    from myst2qmd.accounting import check_qmd, inventory

    inv = inventory((FIXTURES / "01-constructs.md").read_text(encoding="utf-8"))
    assert check_qmd(inv, one.outputs.book, True) == []
    lossy = (one.outputs.book.replace("{#eq-out}", "").replace("[@dumoulin2016guide]", "")
             .replace("## Ausgabegrößen", "Ausgabegrößen"))
    lossy = lossy.replace("```{python}\n#| label: cell-01-constructs-1", "```\n#| label: cell-01-constructs-1")
    assert check_qmd(inv, lossy, True) == [
        "equation label eq-out missing from output",
        "citation dumoulin2016guide missing from output",
        "2 code cells in the source, 1 in the output",
        "2 headings in the source, 1 in the output",
    ]


def test_a_box_titled_like_its_slide_does_not_repeat_the_title_on_the_slide(in_tmp):
    src = in_tmp / "q.md"
    src.write_text("# T\n\n## Quiz\n\n<!-- ### BEGIN SLIDE -->\n<!-- Title: Frage 1 -->\n\n"
                   ":::{admonition} Frage 1\nWie viele Parameter?\n:::\n\n"
                   ":::{admonition} Antwort\n:class: dropdown\nKeine.\n:::\n\n"
                   "<!-- ### END SLIDE -->\n\n<!-- ### BEGIN SLIDE -->\n<!-- Title: Zwei Fragen -->\n\n"
                   ":::{admonition} Frage 2\nUnd jetzt?\n:::\n\n<!-- ### END SLIDE -->\n", encoding="utf-8")
    (job,) = convert([src])
    slides = job.outputs.slides
    assert '## Frage 1\n\n::: {.callout-note appearance="simple"}\nWie viele Parameter?\n:::' in slides
    assert "**Frage 1**" not in slides
    assert "**Antwort**\n\nKeine." in slides          # the answer keeps its own title
    assert "## Zwei Fragen" in slides and "**Frage 2**\n\nUnd jetzt?" in slides  # other titles stay
    assert "**Frage 1**\n\nWie viele Parameter?" in job.outputs.book  # the book keeps it
