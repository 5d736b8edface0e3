"""HTML comments are handled first; labels are normalised; small inline rules."""
from __future__ import annotations

import pytest

from myst_helpers import convert
from myst2qmd.labels import quarto_label
from myst2qmd.parser import strip_comments


def _book(in_tmp, text, **kw):
    src = in_tmp / "x.md"
    src.write_text(text, encoding="utf-8")
    (job,) = convert([src], targets=["book"], **kw)
    return job


def test_comment_hiding_heading_directive_and_code_is_dropped_and_lines_kept():
    text = "a\n\n<!--\n## Versteckt\n\n```{note}\nx\n```\n\n-->\nb\n"
    cleaned, comments = strip_comments(text)
    assert cleaned.split("\n") == ["a", "", "", "", "", "", "", "", "", "", "b", ""]
    assert [(c.kind, c.line, c.end_line) for c in comments] == [("dropped", 3, 10)]


def test_text_after_a_comment_closing_mid_line_is_kept():
    cleaned, _ = strip_comments("<!-- alt\n::: --> Danach.\n")
    assert cleaned == "\nDanach.\n"


def test_comment_opened_in_a_paragraph_hides_the_blocks_up_to_its_close(in_tmp):
    job = _book(in_tmp, "# T\n\nSichtbar <!-- ab hier weg\n\n## Versteckt\n\n```{note}\nx\n```\n"
                        "\nnoch weg --> wieder da.\n\n## Danach\n")
    book = job.outputs.book
    assert "Sichtbar" in book and "wieder da." in book and "## Danach" in book
    assert "Versteckt" not in book and "callout" not in book and "noch weg" not in book
    assert job.report.errors == []


def test_unclosed_comment_is_reported(in_tmp):
    job = _book(in_tmp, "# T\n\nText.\n\n<!-- offen\n\n## Weg\n")
    assert "Weg" not in job.outputs.book
    assert (5, "HTML comment <!-- is never closed: everything after it would be dropped") in job.report.errors


def test_slide_and_latex_comments_are_classified():
    _, comments = strip_comments("<!-- ### BEGIN SLIDE -->\n<!-- Title: A -->\n<!-- ### END SLIDE -->\n\n"
                                 "<!-- ### BEGIN LATEX EXPORT\n\\section{S}\n### END LATEX EXPORT -->\n")
    assert [c.kind for c in comments] == ["slide-begin", "slide-title", "slide-end", "latex-export"]
    assert comments[1].title == "A" and comments[3].text == "\\section{S}"


def test_comment_inside_a_directive_is_dropped(in_tmp):
    job = _book(in_tmp, "# T\n\n```{note}\nSichtbar.\n\n<!-- Unsichtbar. -->\n```\n")
    assert "Sichtbar." in job.outputs.book and "Unsichtbar" not in job.outputs.book


@pytest.mark.parametrize("raw, kind, expected", [
    ("eq:demo-size", "eq", "eq-demo-size"),
    ("demo_receptive", "sec", "sec-demo-receptive"),
    ("sec:intro", "sec", "sec-intro"),
    ("fig-demo-mlp", "fig", "fig-demo-mlp"),
    ("fig_demo", "fig", "fig-demo"),
    ("mlp", "fig", "fig-mlp"),
])
def test_labels_get_their_kind_prefix_once(raw, kind, expected):
    assert quarto_label(raw, kind) == expected


def test_two_active_figures_with_one_label_are_an_error_naming_both_lines(in_tmp):
    fig = ":::{figure-md} fig-a\n<img src=\"images/a.png\">\n\nBild.\n:::\n"
    job = _book(in_tmp, f"# T\n\n{fig}\n{fig}")
    assert (9, "label 'fig-a' becomes #fig-a, like label 'fig-a' at line 3: rename one of them") in job.report.errors


def test_labels_that_normalise_to_one_id_are_an_error_and_renames_are_reported(in_tmp):
    job = _book(in_tmp, "# T\n\n:::{figure-md} fig-a_b\n<img src=\"a.png\">\n\nA.\n:::\n\n"
                        ":::{figure-md} fig-a-b\n<img src=\"b.png\">\n\nB.\n:::\n")
    assert (9, "label 'fig-a-b' becomes #fig-a-b, like label 'fig-a_b' at line 3: rename one of them") \
        in job.report.errors
    assert "line 3: label fig-a_b written as #fig-a-b" in job.report.notes


@pytest.mark.parametrize("md, expected", [
    ("{cite}`a` zeigt es.", "[@a] zeigt es."),
    ("{cite:p}`a` zeigt es.", "[@a] zeigt es."),
    ("Wie in {cite}`a` gezeigt.", "Wie in\\ [@a] gezeigt."),
    ("Erstens. {cite}`a` zeigt es.", "Erstens.\\ [@a] zeigt es."),
    ("Laut {cite:t}`a,b` gilt es.", "Laut @a; @b gilt es."),
    ("{cite}`a,b` zeigen es.", "[@a; @b] zeigen es."),
    ("Laut {cite:t}`a` gilt es.", "Laut @a gilt es."),
    ("Siehe Abschnitt {ref}`sec:s` und Gleichung {eq}`eq:e`.", "Siehe @sec-s und @eq-e."),
    ("Siehe {ref}`den Anfang <sec:s>`.", "Siehe [den Anfang](#sec-s)."),
    ("Index $a_{i}$ mit `{cite}` in Code.", "Index $a_{i}$ mit `{cite}` in Code."),
])
def test_inline_roles(in_tmp, md, expected):
    job = _book(in_tmp, f"# T\n\n(sec:s)=\n## S\n\n$$\nx\n$$ (eq:e)\n\n{md}\n")
    assert expected in job.outputs.book


def test_ref_with_text_links_to_the_heading_anchor_in_notebooks(in_tmp):
    src = in_tmp / "x.md"
    src.write_text("# T\n\n(sec:s)=\n## Der Anfang\n\nSiehe {ref}`dort <sec:s>`.\n", encoding="utf-8")
    (job,) = convert([src], targets=["notebook"])
    assert "Siehe [dort](#Der-Anfang)." in job.outputs.notebook


def test_pandoc_div_in_a_colon_fence_stays_a_div(in_tmp):
    job = _book(in_tmp, '# T\n\n::: {.column-margin}\nAm Rand mit {cite}`k`.\n:::\n')
    assert "::: {.column-margin}\nAm Rand mit\\ [@k].\n:::" in job.outputs.book
    assert job.report.warnings == []
