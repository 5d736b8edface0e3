"""Notebooks open in Colab; math, language switch and explorers work offline at every page depth."""
from __future__ import annotations

import json
import re
import posixpath
import shutil
import subprocess

import nbformat
import pytest
import yaml
from pathlib import Path

from bookbuild import assets, config


def _notebooks(root):
    return sorted((root / "notebooks").glob("*/*.ipynb"))


def test_every_notebook_is_valid_and_links_to_itself_in_colab(root):
    repo = config.repo(root)
    gh = repo.url.removeprefix("https://github.com/")
    assert _notebooks(root)
    for path in _notebooks(root):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        rel = path.relative_to(root).as_posix()
        first = "".join(nb.cells[0].source)
        assert f"https://colab.research.google.com/github/{gh}/blob/{repo.branch}/{rel}" in first, rel


def test_every_notebook_installs_the_companion_package_first_and_only_in_colab(root):
    repo = config.repo(root)
    for path in _notebooks(root):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        install = "".join(code[0].source)
        assert '"google.colab" in sys.modules' in install
        assert f"'scratchnn[colab] @ git+{repo.url}'" in install and "pip" in install


# What a fresh Colab runtime already has (its image ships these); everything else a notebook
# imports must come with `pip install scratchnn[colab]`.
COLAB_PREINSTALLED = {"numpy", "matplotlib", "seaborn", "torch", "PIL", "sklearn", "scipy",
                      "pandas", "ipywidgets", "IPython", "skimage"}


def test_colab_install_brings_every_module_the_notebooks_import(root):
    import ast
    import sys
    import tomllib
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    brought = {"scratchnn"} | {re.split(r"[<>=\[ ]", r)[0] for r in
                               project["dependencies"] + project["optional-dependencies"]["colab"]}
    for path in _notebooks(root):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in COLAB_PREINSTALLED:
                        continue
                    assert top in brought, f"{path.name} imports {top}: add it to the colab extra"


def test_katex_is_pinned_from_npm(root):
    pkg = json.loads((root / "package.json").read_text())
    lock = json.loads((root / "package-lock.json").read_text())
    version = pkg["dependencies"]["katex"]
    assert version[0].isdigit(), "pin an exact KaTeX version"
    assert lock["packages"]["node_modules/katex"]["version"] == version


def _math_url(meta: dict, fmt: str) -> str:
    method = meta["format"][fmt]["html-math-method"]
    assert method["method"] == "katex"
    return method["url"]


def test_katex_url_points_to_the_local_copy_from_every_page_depth(root):
    """Pandoc writes <url>katex.min.js into each page; resolve it from where the page lands."""
    pages = {
        "index.html": _math_url(config.quarto_config(root=root), "html"),
        "chapters/en/03-padding.html": _math_url(yaml.safe_load(assets.chapters_metadata()), "html"),
    }
    for page, url in pages.items():
        assert not url.startswith(("http:", "https:", "//")), f"{page}: KaTeX must not come from a CDN"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), url + "katex.min.js"))
        assert target == "katex/katex.min.js", (page, url)
    # Anchored at the project root: an unanchored "katex/" also matches node_modules/katex and,
    # in the second language's render, _book/<first>/katex (Quarto copied both into the site).
    assert "/katex/" in config.quarto_config(root=root)["project"]["resources"]


def test_decks_are_self_contained_with_math_as_mathml(root):
    """Quarto loads KaTeX by URL at view time, which embed-resources cannot inline: decks use MathML."""
    from bookbuild import decks

    meta = yaml.safe_load(decks.deck_metadata("en", root))
    assert meta["format"]["revealjs"]["html-math-method"] == "mathml"
    assert meta["format"]["revealjs"]["embed-resources"] is True


def test_copy_katex_brings_the_fonts_the_stylesheet_needs(tmp_path, root):
    dist = root / "node_modules" / "katex" / "dist"
    if not dist.exists():
        pytest.fail("node_modules/katex is missing: run `npm ci` (the Makefile's env step does)")
    (tmp_path / "node_modules" / "katex").mkdir(parents=True)
    shutil.copytree(dist, tmp_path / "node_modules" / "katex" / "dist")
    dest = assets.copy_katex(tmp_path)
    css = (dest / "katex.min.css").read_text(encoding="utf-8")
    import re
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert fonts and all((dest / f).exists() for f in fonts)


def test_copy_katex_explains_how_to_install_it_when_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="npm ci"):
        assets.copy_katex(tmp_path)


NODE_CASES = [
    ("/en/index.html", "/de/index.html"),
    ("/de/index.html", "/en/index.html"),
    ("/book/en/", "/book/de/"),
    ("/repo/en/chapters/en/03-padding.html", "/repo/de/chapters/de/03-padding.html"),
    ("/repo/de/chapters/de/90-gallery.html", "/repo/en/chapters/en/90-gallery.html"),
    ("/repo/en/slides/03-padding.html", "/repo/de/slides/03-padding.html"),
    ("/x/en/search.html", "/x/de/search.html"),
    ("/x/en/chapters/de/03-padding.html", None),
    ("/nothing/here.html", None),
]


def test_language_switch_maps_every_page_to_the_same_page_in_the_other_language(root):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing (Node/npm are part of the build machine)")
    script = (
        "const m = require(process.argv[1]);"
        "const cases = JSON.parse(process.argv[2]);"
        "console.log(JSON.stringify(cases.map(c => m.switchPath(c[0]))));"
        "console.log(JSON.stringify(m.colabUrl('/r/en/chapters/en/03-padding.html', 'https://github.com/o/b', 'main')));"
        "console.log(JSON.stringify(m.colabUrl('/r/en/index.html', 'https://github.com/o/b', 'main')));"
    )
    out = subprocess.run([node, "-e", script, str(root / "assets" / "lang-switch.js"), json.dumps(NODE_CASES)],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert json.loads(out[0]) == [expected for _, expected in NODE_CASES]
    assert json.loads(out[1]) == "https://colab.research.google.com/github/o/b/blob/main/notebooks/en/03-padding.ipynb"
    assert json.loads(out[2]) is None


def test_each_deck_runs_its_chapters_setup_hidden_before_its_own_cells(root):
    """A deck holds only its slides' cells; rendered, it first runs the chapter's other cells."""
    from bookbuild import decks

    for lang in config.LANGS:
        for deck in sorted((root / "slides" / lang).glob("[0-9]*.qmd")):
            chapter = config.generated("chapters", lang, deck.stem, root).read_text(encoding="utf-8")
            text = decks.executable_deck(deck.read_text(encoding="utf-8"), chapter, deck.name)
            ran = [c.source for _, c in decks._cells(text)]
            in_chapter = [c.source for _, c in decks._cells(chapter)]
            assert ran == in_chapter[:len(ran)], f"{deck}: cells not run in the chapter's order"
            shown = [c for _, c in decks._cells(text) if "#| include: false" not in c.options]
            assert [c.source for c in shown] == [c.source for _, c in decks._cells(deck.read_text())]


def test_executable_deck_hides_setup_and_shows_figures_without_code():
    from bookbuild import decks

    chapter = ("```{python}\n#| label: cell-a-1\nimport numpy as np\n```\n\ntext\n\n"
               "```{python}\n#| label: fig-a\n#| code-fold: true\n#| fig-cap: \"A\"\nplot(np)\n```\n\n"
               "```{python}\n#| label: cell-a-3\nx = 1\n```\n")
    deck = "## Slide\n\n```{python}\n#| label: fig-a\n#| code-fold: true\n#| fig-cap: \"A\"\nplot(np)\n```\n"
    out = decks.executable_deck(deck, chapter)
    assert out.index("#| include: false\nimport numpy as np") < out.index("plot(np)")
    assert "#| label: cell-a-1" not in out and "x = 1" not in out
    assert "#| echo: false\n#| fig-cap" in out and "code-fold" not in out
    with pytest.raises(ValueError, match=r"d.qmd: deck cell 'y = 2'… is not a cell of its chapter"):
        decks.executable_deck("```{python}\ny = 2\n```\n", chapter, "d.qmd")


def test_notebooks_number_figures_and_equations_like_the_book(root):
    """Quarto numbers chapter 1's figures 1.1, 1.2, … and appendix A's A.1, …; so do the notebooks."""
    from myst2qmd.i18n import REF_WORDS
    seen = 0
    for lang in config.LANGS:
        numbers = config.chapter_numbers(lang, root)
        for stem, chapter in numbers.items():
            nb = nbformat.read(root / "notebooks" / lang / f"{stem}.ipynb", as_version=4)
            text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            figs = re.findall(rf"\*\*{REF_WORDS[lang]['fig']} ([0-9A-Z]+)\.(\d+):\*\*", text)
            tags = re.findall(r"\\tag\{([0-9A-Z]+)\.(\d+)\}", text)
            for found in (figs, tags):
                assert all(c == chapter for c, _ in found), (lang, stem, found)
                assert [int(n) for _, n in found] == list(range(1, len(found) + 1)), (lang, stem, found)
            assert not re.search(rf"\*\*{REF_WORDS[lang]['fig']} \d+:\*\*", text), (lang, stem)
            seen += len(figs) + len(tags)
    assert seen >= 10


def test_chapter_numbers_follow_the_profile_with_parts_and_appendices(tmp_path):
    (tmp_path / "_quarto-en.yml").write_text(yaml.safe_dump({"book": {
        "chapters": ["index.qmd", "chapters/en/01-a.qmd",
                     {"part": "Two", "chapters": ["chapters/en/02-b.qmd", "chapters/en/03-c.qmd"]}],
        "appendices": ["chapters/en/90-x.qmd", "chapters/en/91-y.qmd"]}}))
    assert config.chapter_numbers("en", tmp_path) == {
        "01-a": "1", "02-b": "2", "03-c": "3", "90-x": "A", "91-y": "B"}
