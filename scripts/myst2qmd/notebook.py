"""Emit stage: the notebook — an ``.ipynb`` valid per nbformat from the rendered chunks.

The intro cell holds the generated-file note, the macros (MathJax ``\\newcommand``s), the
title and a Colab link; with ``--repo-url`` an install cell (tagged ``colab-install``) runs
only inside Colab; the chunks follow (Markdown already plain, see :mod:`.plaintext`), then
a reference list.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import nbformat

from .bibtex import author_label, reference_entry
from .i18n import NOTES
from .model import INSTALL_PACKAGE, INSTALL_TAG  # noqa: F401 - INSTALL_PACKAGE: part of this module's API
from .plaintext import plain_refs

if TYPE_CHECKING:  # pragma: no cover
    from .convert import FileConverter
    from .model import Chunk



def colab_url(repo_url: str, branch: str, notebook_dir: str, stem: str) -> str:
    """``https://colab.research.google.com/github/OWNER/NAME/blob/BRANCH/DIR/STEM.ipynb``."""
    m = re.match(r"https?://github\.com/([^/]+)/([^/#?]+?)(?:\.git)?/?$", repo_url)
    if not m:
        raise ValueError(f"colab_url: repo_url={repo_url!r} must look like https://github.com/OWNER/NAME")
    path = "/".join(p for p in (notebook_dir.strip("/"), f"{stem}.ipynb") if p)
    return f"https://colab.research.google.com/github/{m.group(1)}/{m.group(2)}/blob/{branch}/{path}"


def install_source(repo_url: str | None, lang: str, package: str) -> str:
    """The first code cell: installs ``package`` (from the repository if given), only inside Colab."""
    spec = f"{package} @ git+{repo_url}" if repo_url else package
    return "\n".join([
        f"# {NOTES[lang]['install']}",
        "import subprocess",
        "import sys",
        "",
        'if "google.colab" in sys.modules:',
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "-q", {spec!r}], check=True)',
    ])


def reference_list(conv: "FileConverter") -> str:
    """``## Literatur``/``## References`` with one line per cited key: formatted from the
    bibliography (sorted by author and year, like citeproc) or, without one, the bare keys.
    Each line carries an anchor ``ref-KEY``."""
    word = "Literatur" if conv.opt.lang == "de" else "References"
    bib = conv.opt.bibliography
    if not bib:
        return f"## {word}\n\n" + "\n".join(f"- {k}" for k in conv.citations)
    keys = sorted(conv.citations, key=lambda k: (author_label(bib[k], "en").lower(), bib[k].get("year", ""), k)
                  if k in bib else ("~", "", k))
    lines = [f'- <a id="ref-{k}"></a>' + (reference_entry(k, bib[k]) if k in bib else k) for k in keys]
    return f"## {word}\n\n" + "\n".join(lines)


def build_notebook(conv: "FileConverter", chunks: list["Chunk"], source_name: str,
                   kernel: dict, macros_line: str) -> nbformat.NotebookNode:
    """An nbformat v4 notebook: intro cell (title, badge, macros), install cell, content."""
    lang = conv.opt.lang
    intro = [f"<!-- {NOTES[lang]['generated'].format(src=source_name)} -->"]
    if macros_line:
        intro.append(macros_line)
    if conv.title:
        intro.append(f"# {plain_refs(conv.title, conv)}")
    if conv.opt.repo_url:
        url = colab_url(conv.opt.repo_url, conv.opt.branch, conv.opt.notebook_dir, conv.stem)
        intro.append(f"[{NOTES[lang]['open']}]({url})")
    cells = [nbformat.v4.new_markdown_cell("\n\n".join(intro))]
    if conv.opt.install_package and conv.opt.repo_url:
        cells.append(nbformat.v4.new_code_cell(
            install_source(conv.opt.repo_url, lang, conv.opt.install_package),
            metadata={"tags": [INSTALL_TAG]}))
    buf: list[str] = []

    def flush() -> None:
        if buf:
            cells.append(nbformat.v4.new_markdown_cell("\n\n".join(buf)))
            buf.clear()

    for chunk in chunks:
        if chunk.cell is not None:
            flush()
            cell = nbformat.v4.new_code_cell(chunk.cell.source)
            if chunk.cell.tags:
                cell.metadata["tags"] = list(chunk.cell.tags)
            if "hide-input" in chunk.cell.tags or chunk.cell.hidden:
                cell.metadata["jupyter"] = {"source_hidden": True}
            cells.append(cell)
        elif chunk.text:
            if chunk.kind.startswith("h") and buf:
                flush()
            buf.append(chunk.text)
    if conv.citations:
        buf.append(reference_list(conv))
    flush()
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = kernel
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["myst2qmd"] = {"source": source_name, "generated": "do not edit"}
    return nb
