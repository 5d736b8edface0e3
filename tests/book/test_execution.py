"""Every chapter's cells (and its exercise solutions) run in a Jupyter kernel.

No test here asserts how long that takes (shared CI machines are noisy): the per-chapter budget
(``config.CHAPTER_TIME_LIMIT``) is checked by ``make book``/``make notebooks``, which fail a chapter
over it, and the times are recorded in ``_build/execution-times.json``. Code cells are the same in both languages (test_parity), so each chapter runs once, from its
German notebook; the English notebook gets the same outputs. Times go to
_build/execution-times.json and are printed.
"""
from __future__ import annotations

import json
import os

import nbformat
import pytest

from bookbuild import config, execute


@pytest.fixture(scope="module")
def executed(root):
    build = root / "_build"
    results = execute.execute_book(root=root, build=build, log=print)
    return build, results


@pytest.mark.slow
def test_every_chapter_executes_without_error(executed):
    build, results = executed
    assert results
    for r in results:
        print(f"{r.stem}: {r.code_cells} cells + {r.solution_blocks} solutions in {r.seconds:.1f} s")
    assert {r.stem: r.error for r in results if r.error} == {}


@pytest.mark.slow
def test_execution_times_are_recorded_per_chapter(executed, stems):
    build, _ = executed
    times = json.loads((build / "execution-times.json").read_text())
    assert set(times) == set(stems)
    assert all(t["error"] is None and t["seconds"] >= 0 for t in times.values())
    assert all(t["limit"] == config.CHAPTER_TIME_LIMIT for t in times.values())
    assert all(t["kernel_startup_seconds"] > 0 for t in times.values())


@pytest.mark.slow
def test_every_notebook_exists_executed_in_both_languages_with_the_same_outputs(executed, stems):
    build, _ = executed
    for stem in stems:
        de, en = (nbformat.read(build / "notebooks" / lang / f"{stem}.ipynb", as_version=4) for lang in ("de", "en"))
        out_de = [c.outputs for c in de.cells if c.cell_type == "code"]
        out_en = [c.outputs for c in en.cells if c.cell_type == "code"]
        assert out_de == out_en
        has_code = "{code-cell}" in (config.SOURCE_DIR / f"{stem}.md").read_text(encoding="utf-8")
        assert sum(1 for o in out_de if o) > 0 or stem == "index" or not has_code   # e.g. the glossary


def test_solution_blocks_are_found_inside_block_quotes():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("> **Solution**\n>\n> ```python\n> assert 1 + 1 == 2\n> ```\n"),
        nbformat.v4.new_markdown_cell("```python\nx = 1\n```\n"),
        nbformat.v4.new_markdown_cell("```text\nnot python\n```\n"),
    ])
    assert execute.solution_blocks(nb) == ["assert 1 + 1 == 2\n", "x = 1\n"]


def test_a_failing_solution_block_fails_its_chapter(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("value = 41"),
        nbformat.v4.new_markdown_cell("```python\nassert value == 42, 'wrong answer'\n```\n"),
    ])
    timing, error = execute.execute_with_solutions(nb, cwd=tmp_path, build=tmp_path / "_build")
    assert error is not None and "solution block 1" in error
    assert len(nb.cells) == 2      # the solutions are not kept in the notebook


def test_graft_outputs_refuses_notebooks_with_different_code():
    a = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    b = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(2)")])
    with pytest.raises(ValueError, match="code cells differ"):
        execute.graft_outputs(a, b)


@pytest.mark.skipif(os.name != "posix", reason="the IPC transport exists on POSIX only")
def test_chapter_kernels_talk_over_unix_sockets_not_tcp_ports(tmp_path):
    """A kernel started at the same moment by another process (make test beside make book) must
    not be able to take this kernel's ports: the build's kernels use IPC sockets of their own."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import json, ipykernel.connect\n"
        "print(json.loads(ipykernel.connect.get_connection_info())['transport'])")])
    _, error = execute.execute_notebook(nb, cwd=tmp_path, build=tmp_path / "_build")
    assert error is None
    assert nb.cells[0].outputs[0]["text"].strip() == "ipc"
