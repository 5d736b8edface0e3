"""The command line: files written, reports printed, exit codes, lint-clean output."""
from __future__ import annotations

import json

import nbformat
import pytest

from myst_helpers import FIXTURES, lint
from myst2qmd.cli import main

SOURCES = [FIXTURES / "01-constructs.md", FIXTURES / "02-other.md"]


def _convert(out, *extra, sources=SOURCES):
    return main(["convert", *map(str, sources), "--out-dir", str(out), "--targets", "book,slides,notebook",
                 "--macros", str(FIXTURES / "macros.tex"), *extra])


def test_convert_writes_chapter_slides_notebook_and_macros_include(in_tmp, capsys):
    assert _convert(in_tmp / "ch") == 0
    for rel in ("01-constructs.qmd", "slides/01-constructs.qmd", "notebooks/01-constructs.ipynb",
                "_macros.qmd", "slides/_macros.qmd", "02-other.qmd"):
        assert (in_tmp / "ch" / rel).is_file(), rel
    macros = (in_tmp / "ch" / "_macros.qmd").read_text(encoding="utf-8")
    assert "\\newcommand{\\floor}[1]{\\left\\lfloor #1 \\right\\rfloor}" in macros
    assert "do not edit" in macros
    out = capsys.readouterr().out
    assert "01-constructs.md\n  wrote ch/01-constructs.qmd" in out
    assert "01-constructs.md:108: unknown directive {glossary} kept verbatim" in out


def test_convert_output_dirs_can_be_chosen(in_tmp):
    assert _convert(in_tmp / "chapters/de", "--slides-dir", str(in_tmp / "slides/de"),
                    "--notebooks-dir", str(in_tmp / "notebooks/de"), "--notebook-dir", "notebooks/de",
                    "--repo-url", "https://github.com/o/n") == 0
    nb = nbformat.read(in_tmp / "notebooks/de/01-constructs.ipynb", 4)
    assert "blob/main/notebooks/de/01-constructs.ipynb" in nb.cells[0].source
    assert (in_tmp / "slides/de/01-constructs.qmd").is_file()


def test_install_cell_package_is_configurable_and_can_be_left_out(in_tmp, capsys):
    url = "https://github.com/o/n"
    assert _convert(in_tmp / "a", "--repo-url", url, "--install-package", "mycourse[colab]") == 0
    nb = nbformat.read(in_tmp / "a/notebooks/01-constructs.ipynb", 4)
    assert "'mycourse[colab] @ git+https://github.com/o/n'" in nb.cells[1].source
    assert _convert(in_tmp / "b", "--repo-url", url, "--install-package", "") == 0
    nb = nbformat.read(in_tmp / "b/notebooks/01-constructs.ipynb", 4)
    assert not any("pip" in c.source for c in nb.cells if c.cell_type == "code")
    capsys.readouterr()
    assert _convert(in_tmp / "c", "--install-package", "x; rm -rf /") == 2
    assert "--install-package='x; rm -rf /' must be a distribution name" in capsys.readouterr().err


def test_chapter_numbers_prefix_notebook_figures_equations_and_cross_file_references(in_tmp, capsys):
    assert _convert(in_tmp / "a", "--chapter-numbers", "01-constructs=3,02-other=B") == 0
    one = nbformat.read(in_tmp / "a/notebooks/01-constructs.ipynb", 4)
    two = nbformat.read(in_tmp / "a/notebooks/02-other.ipynb", 4)
    text_one = "\n".join(c.source for c in one.cells if c.cell_type == "markdown")
    text_two = "\n".join(c.source for c in two.cells if c.cell_type == "markdown")
    assert "**Abbildung 3.1:**" in text_one and "\\tag{3.1}" in text_one
    assert "Gleichung (3.1)" in text_two        # 02-other refers to the equation of 01-constructs
    assert "**Abbildung 1:**" not in text_one
    capsys.readouterr()
    assert _convert(in_tmp / "b", "--chapter-numbers", "01-constructs=0") == 2
    assert "--chapter-numbers item '01-constructs=0' must be STEM=N" in capsys.readouterr().err


def test_strict_turns_warnings_into_errors(in_tmp, capsys):
    assert _convert(in_tmp / "ch", "--strict") == 1
    assert "failed (--strict: warnings count as errors)" in capsys.readouterr().err


def test_converting_twice_gives_byte_identical_files(in_tmp):
    _convert(in_tmp / "a")
    _convert(in_tmp / "b")
    for path in sorted((in_tmp / "a").rglob("*")):
        if path.is_file():
            other = in_tmp / "b" / path.relative_to(in_tmp / "a")
            assert path.read_bytes() == other.read_bytes(), path


def test_errors_give_a_nonzero_exit_and_name_the_line(in_tmp, capsys):
    src = in_tmp / "bad.md"
    src.write_text("# T\n\n:::{figure-md} fig-x\nNur eine Beschriftung.\n:::\n", encoding="utf-8")
    assert main(["check", str(src)]) == 1
    out = capsys.readouterr().out
    assert "bad.md:3: figure fig-x has no image" in out
    assert not list(in_tmp.glob("*.qmd"))  # check writes nothing


def test_missing_source_and_bad_target_are_usage_errors(in_tmp, capsys):
    assert main(["convert", "nope.md", "--out-dir", "x"]) == 2
    assert "source nope.md does not exist" in capsys.readouterr().err
    assert main(["convert", str(SOURCES[1]), "--out-dir", "x", "--targets", "book,pdf"]) == 2
    assert "--targets='book,pdf'" in capsys.readouterr().err


def test_invalid_front_matter_is_a_clean_error(in_tmp, capsys):
    src = in_tmp / "fm.md"
    src.write_text("---\nkernelspec: [unclosed\n---\n# T\n", encoding="utf-8")
    assert main(["check", str(src)]) == 1
    assert "front matter is not valid YAML" in capsys.readouterr().out


def _project(root, chapters):
    """A minimal Quarto book project so panache resolves references across chapters."""
    lines = ["project:", "  type: book", "book:", "  title: test", "  chapters:"]
    lines += [f"    - {c}" for c in chapters]
    (root / "_quarto.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_produced_qmd_is_panache_lint_clean(legacy, in_tmp, lang):
    extra = ["--lang", lang, "--po", str(FIXTURES / "legacy-lecture.en.po")] if lang == "en" else []
    assert _convert(in_tmp / "chapters", *extra, sources=[legacy]) == 0
    assert _convert(in_tmp / "chapters", sources=SOURCES) == 0
    qmds = sorted((in_tmp / "chapters").glob("0*.qmd")) + sorted((in_tmp / "chapters").glob("legacy*.qmd"))
    _project(in_tmp, [q.relative_to(in_tmp).as_posix() for q in qmds])
    produced = sorted((in_tmp / "chapters").rglob("*.qmd"))  # chapters, slides, _macros.qmd
    assert len(produced) == 8
    for qmd in produced:
        result = lint(qmd)
        assert result.returncode == 0, f"{qmd}:\n{result.stdout}{result.stderr}"
        assert "No issues found" in result.stdout + result.stderr


def test_lint_detects_a_broken_reference(in_tmp):
    """Guards the lint test itself: panache does fail on problems."""
    bad = in_tmp / "bad.qmd"
    bad.write_text("---\ntitle: t\n---\n\nSee @fig-nowhere.\n", encoding="utf-8")
    result = lint(bad)
    assert result.returncode == 1 and "fig-nowhere" in result.stdout + result.stderr


def test_extract_report_lists_catalog_changes(legacy, in_tmp, capsys):
    assert main(["extract", str(legacy), "--po-dir", str(in_tmp / "po")]) == 0
    out = capsys.readouterr().out
    assert "wrote po/legacy-lecture.po" in out and "catalog: new 22, fuzzy 0, obsolete 0, kept 0" in out
    assert main(["extract", str(legacy), "--po-dir", str(in_tmp / "po")]) == 0
    assert "catalog: new 0, fuzzy 0, obsolete 0, kept 22" in capsys.readouterr().out


def test_bad_macros_file_and_po_with_several_sources_are_usage_errors(in_tmp, capsys):
    (in_tmp / "m.tex").write_text("\\def\\x{1}\n", encoding="utf-8")
    assert main(["convert", str(SOURCES[1]), "--out-dir", "x", "--macros", "m.tex"]) == 2
    err = capsys.readouterr().err
    assert "read_macros: m.tex:1: '\\\\def\\\\x{1}' must be one \\newcommand definition" in err
    assert main(["convert", *map(str, SOURCES), "--out-dir", "x", "--lang", "en", "--po", "a.po"]) == 2
    assert "--po names one catalog" in capsys.readouterr().err


def test_colab_url_needs_a_github_repository():
    from myst2qmd.notebook import colab_url

    assert (colab_url("https://github.com/o/n.git", "dev", "notebooks/en", "03-padding")
            == "https://colab.research.google.com/github/o/n/blob/dev/notebooks/en/03-padding.ipynb")
    with pytest.raises(ValueError, match=r"colab_url: repo_url='https://gitlab.com/o/n' must look like"):
        colab_url("https://gitlab.com/o/n", "main", "notebooks", "x")


def test_repo_url_is_checked_before_converting(in_tmp, capsys):
    assert main(["convert", str(SOURCES[1]), "--out-dir", "x", "--repo-url", "https://gitlab.com/o/n"]) == 2
    assert "must look like https://github.com/OWNER/NAME" in capsys.readouterr().err
