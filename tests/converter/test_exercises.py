"""Exercises and solutions (sphinx-exercise syntax) in the book, the slides and the notebook."""
from __future__ import annotations

import nbformat
import polib
import pytest

from myst_helpers import FIXTURES, convert, golden
from myst2qmd.cli import main

SOURCE = FIXTURES / "03-exercises.md"


@pytest.fixture
def job(in_tmp):
    (job,) = convert([SOURCE], chapter_numbers={"03-exercises": "3"}, repo_url="https://github.com/owner/cfs")
    return job


def _cells(job):
    return nbformat.reads(job.outputs.notebook, 4).cells


def test_outputs_match_golden_files_without_warnings(job):
    assert job.report.errors == [] and job.report.warnings == []
    golden("03-exercises/book.qmd", job.outputs.book)
    golden("03-exercises/slides.qmd", job.outputs.slides)
    golden("03-exercises/notebook.ipynb", job.outputs.notebook)


def test_book_exercise_is_a_quarto_exercise_with_normalised_label_and_title(job):
    book = job.outputs.book
    assert '::: {#exr-stride-alexnet name="Schritt bei *AlexNet*"}\nDie erste Schicht' in book
    assert "::: {#exr-design}\nWählen Sie" in book  # no title: no name attribute
    # references: the word before the role is dropped (Quarto writes "Übungsaufgabe 2")
    assert "Siehe @exr-design und @exr-stride-alexnet." in book


def test_book_solution_is_a_collapsed_callout_naming_its_exercise(job):
    book = job.outputs.book
    assert ('::: {.callout-tip collapse="true" title="Lösung zu @exr-stride-alexnet"}\n'
            "Mit der Formel aus @exr-stride-alexnet:\n\n```python\n") in book


def test_gated_solution_wraps_its_code_cells_in_the_callout(job):
    book = job.outputs.book
    start = book.index('title="Lösung zu @exr-design"}')
    end = book.index("\n:::", start)
    inside = book[start:end]
    assert "```{python}\n#| label: cell-03-exercises-2\nassert out_size(32 + 2, 3, 2) == 16\n```" in inside
    assert "Das prüft die Zelle oben." in inside
    assert "solution-start" not in book and "solution-end" not in book


def test_slides_show_the_exercise_but_no_solution_and_the_answer_as_next_fragment(job):
    slides = job.outputs.slides
    assert '::: {#exr-stride-alexnet name="Schritt bei *AlexNet*"}' in slides
    assert "Lösung" not in slides and "assert" not in slides
    assert ('Wie viele Positionen hat ein Kern der Größe 3 auf einer Zeile der Länge 5?\n:::\n\n'
            '. . .\n\n::: {.callout-note appearance="simple"}\n**Antwort**\n\nDrei Positionen.\n:::') in slides
    assert 'collapse="true"' not in slides


def test_notebook_numbers_exercises_like_the_book_and_collapses_solutions(job):
    text = "\n\n".join(c.source for c in _cells(job) if c.cell_type == "markdown")
    assert "**Übung 3.1** (Schritt bei *AlexNet*)\n\nDie erste Schicht" in text
    assert "**Übung 3.2**\n\nWählen Sie" in text
    assert ("<details>\n<summary>Lösung zu Übung 3.1</summary>\n\nMit der Formel aus Übung 3.1:\n\n"
            "```python\nassert (227 - 11) // 4 + 1 == 55\n```\n\n</details>") in text
    assert "<details>\n<summary>Antwort</summary>\n\nDrei Positionen.\n\n</details>" in text
    assert "Siehe Übung 3.2 und Übung 3.1." in text


def test_notebook_gated_solution_has_a_starter_cell_and_hidden_solution_code(job):
    cells = _cells(job)
    code = [c for c in cells if c.cell_type == "code"]
    starter = [c for c in code if c.metadata.get("tags") == ["exercise-starter"]]
    assert [c.source for c in starter] == ["# Ihre Lösung"]
    i = cells.index(starter[0])
    assert cells[i + 1].cell_type == "markdown" and cells[i + 1].source.startswith(
        "<details>\n<summary>Lösung zu Übung 3.2</summary>")
    solution = cells[i + 2]
    assert solution.source == "assert out_size(32 + 2, 3, 2) == 16"
    assert solution.metadata["jupyter"] == {"source_hidden": True}
    # the chapter's own cells are not hidden
    assert "jupyter" not in code[1].metadata


def test_english_words(in_tmp):
    (job,) = convert([SOURCE], lang="en", chapter_numbers={"03-exercises": "1"})
    assert 'title="Solution to @exr-stride-alexnet"' in job.outputs.book
    cells = _cells(job)
    text = "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "**Exercise 1.2**" in text and "<summary>Solution to Exercise 1.2</summary>" in text
    assert "# Your solution" in [c.source for c in cells if c.cell_type == "code"]


def test_extract_collects_exercise_titles_bodies_and_solution_texts(in_tmp):
    assert main(["extract", str(SOURCE), "--po-dir", "po", "--quiet"]) == 0
    po = {e.msgid: e for e in polib.pofile("po/03-exercises.po")}
    assert po["Schritt bei *AlexNet*"].comment == "exercise-title"
    assert "Wählen Sie eine Schrittweite, sodass aus 32 Pixeln 16 werden." in po
    assert "Mit der Formel aus @exr-stride-alexnet:" in po  # solution text
    assert "Das prüft die Zelle oben." in po  # gated solution text
    assert "Lösung zu @exr-design" not in po  # generated title, not a segment


BAD = [
    (":::{solution-start} ex-a\n:::\n\nText.\n", 3,
     "{solution-start} ex-a is not closed by {solution-end} before the next {solution-start} or the end of its block"),
    ("Text.\n\n:::{solution-end}\n:::\n", 5, "{solution-end} without a {solution-start} before it"),
    (":::{solution} ex-missing\nText.\n:::\n", 3,
     "{solution} ex-missing: no exercise with this label in the converted sources"),
    (":::{solution}\nText.\n:::\n", 3, "{solution} names no exercise (write {solution} ex-label)"),
    (":::{exercise}\n:label: ex-a\nEins.\n:::\n\n:::{exercise}\n:label: ex_a\nZwei.\n:::\n", 8,
     "label 'ex_a' becomes #exr-a, like label 'ex-a' at line 3: rename one of them"),
]


@pytest.mark.parametrize("body, line, message", BAD)
def test_malformed_exercises_are_errors_with_their_line(in_tmp, body, line, message):
    src = in_tmp / "bad.md"
    src.write_text("# Titel\n\n" + body, encoding="utf-8")
    (job,) = convert([src])
    assert (line, message) in job.report.errors

