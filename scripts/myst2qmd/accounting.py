"""Content accounting: nothing of the input may silently disappear.

``inventory`` lists what the source holds (after comment removal): figure labels,
equation labels, citation keys, code cells and headings — found by walking the parsed
tree, directive bodies included. ``check_qmd``/``check_notebook`` look for each of them in
the produced text and return what is missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import quarto_label
from .model import INSTALL_TAG, STARTER_TAG

# A number as notebooks show it: "2", or with the chapter's number or appendix letter, "1.2", "A.1".
SHOWN_NUMBER = r"(?:[0-9A-Z]+\.)?\d+"
from .parser import is_directive, parse, split_directive

_CONTAINERS_SKIP = {"code-cell", "math", "raw", "code", "code-block", "sourcecode"}
_KNOWN = {"figure-md", "figure", "admonition", "note", "tip", "hint", "warning", "attention",
          "danger", "error", "caution", "important", "seealso", "only", "image", "code-cell",
          "math", "raw", "code", "code-block", "sourcecode", "bibliography", "tableofcontents",
          "toctree", "exercise", "solution", "solution-start", "solution-end"}


@dataclass
class Inventory:
    figures: list[str] = field(default_factory=list)  # Quarto ids
    equations: list[str] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)  # Quarto ids ("" for unlabelled ones)
    citations: list[str] = field(default_factory=list)
    cells: dict[str, int] = field(default_factory=lambda: {"book": 0, "notebook": 0})
    headings: int = 0
    book_only_figures: list[str] = field(default_factory=list)
    notebook_only_figures: list[str] = field(default_factory=list)


def inventory(text: str) -> Inventory:
    inv = Inventory()
    _walk(parse(text).tree.children, inv)
    return inv


def _walk(nodes, inv: Inventory) -> None:
    for node in nodes:
        t = node.type
        if t == "heading":
            inv.headings += 1
        if t == "math_block_label":
            inv.equations.append(quarto_label(node.info, "eq"))
        if t == "inline":
            _inline(node, inv)
        if t in ("fence", "colon_fence") and is_directive(node.info):
            try:
                d = split_directive(node.info, node.content, 0)
            except ValueError:
                continue  # an error of the conversion already
            name = d.name.lower()
            if name not in _KNOWN:
                continue  # kept verbatim, so nothing inside is lost
            if name == "figure-md" and d.arg:
                _add(inv.figures, quarto_label(d.arg, "fig"))
            if name == "figure" and d.options.get("name"):
                _add(inv.figures, quarto_label(str(d.options["name"]), "fig"))
            if name == "math" and (d.options.get("label") or d.options.get("name")):
                inv.equations.append(quarto_label(str(d.options.get("label") or d.options["name"]), "eq"))
            if name == "exercise":
                label = str(d.options.get("label") or "").strip()
                inv.exercises.append(quarto_label(label, "exr") if label else "")
            if name == "code-cell":
                tags = d.options.get("tags") or []
                tags = tags if isinstance(tags, list) else [tags]
                if "notebook-only" not in tags:
                    inv.cells["book"] += 1
                if "book-only" not in tags:
                    inv.cells["notebook"] += 1
                fig = (d.options.get("mystnb") or {}).get("figure") or {}
                if isinstance(fig, dict) and fig.get("name"):
                    qid = quarto_label(str(fig["name"]), "fig")
                    _add(inv.figures, qid)
                    if "book-only" in tags:
                        inv.book_only_figures.append(qid)
                    if "notebook-only" in tags:
                        inv.notebook_only_figures.append(qid)
            if name in ("admonition",) or name not in _CONTAINERS_SKIP:
                _walk(parse(d.body).tree.children, inv)
            continue
        if node.children:
            _walk(node.children, inv)


def _inline(node, inv: Inventory) -> None:
    for child in node.children or []:
        if child.type == "myst_role" and child.meta.get("name", "").startswith("cite"):
            for key in child.content.split(","):
                if key.strip():
                    _add(inv.citations, key.strip())
        if child.children:
            _inline(child, inv)


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _outside_code(text: str) -> str:
    """``text`` with fenced code blocks blanked (headings/refs inside code don't count)."""
    out, fence = [], None
    for line in text.split("\n"):
        m = re.match(r"^(`{3,}|~{3,})", line)
        if fence is None and m:
            fence = m.group(1)
            out.append("")
            continue
        if fence is not None:
            if line.startswith(fence) and line.strip() == fence:
                fence = None
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def check_qmd(inv: Inventory, qmd: str, has_title: bool) -> list[str]:
    """What of ``inv`` is missing from a book chapter ``qmd``."""
    problems = []
    body = _outside_code(qmd)
    for fig in inv.figures:
        if fig in inv.notebook_only_figures:
            continue
        if f"#{fig}" not in qmd and f"#| label: {fig}" not in qmd:
            problems.append(f"figure label {fig} missing from output")
    for eq in inv.equations:
        if f"{{#{eq}}}" not in qmd:
            problems.append(f"equation label {eq} missing from output")
    for exr in inv.exercises:
        if exr and f"{{#{exr}" not in qmd:
            problems.append(f"exercise label {exr} missing from output")
    shown = len(re.findall(r"^::: \{#exr-", body, flags=re.M))
    if shown < len(inv.exercises):
        problems.append(f"{len(inv.exercises)} exercises in the source, {shown} in the output")
    for key in inv.citations:
        if not re.search(rf"(?<![\w@])@{re.escape(key)}(?![\w-])", body):
            problems.append(f"citation {key} missing from output")
    cells = len(re.findall(r"^```\{python\}", qmd, flags=re.M))
    if cells != inv.cells["book"]:
        problems.append(f"{inv.cells['book']} code cells in the source, {cells} in the output")
    headings = len(re.findall(r"^#{1,6} (?!(?:Literatur|References) \{\.unnumbered\}$)", body,
                              flags=re.M)) + (1 if has_title else 0)
    if headings < inv.headings:
        problems.append(f"{inv.headings} headings in the source, {headings} in the output")
    return problems


def check_notebook(inv: Inventory, nb, has_title: bool, fig_word: str, exr_word: str = "") -> list[str]:
    """What of ``inv`` is missing from a notebook (code cells, headings, figures, citations)."""
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"  # install and starter cells: not from the source
            and not {INSTALL_TAG, STARTER_TAG} & set(c.get("metadata", {}).get("tags", []))]
    if len(code) != inv.cells["notebook"]:
        problems.append(f"{inv.cells['notebook']} code cells in the source, {len(code)} in the notebook")
    md = _outside_code("\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
    headings = len(re.findall(r"^#{1,6} (?!(?:Literatur|References)$)", md, flags=re.M))
    if headings < inv.headings:
        problems.append(f"{inv.headings} headings in the source, {headings} in the notebook")
    figs = len(re.findall(rf"\*\*{re.escape(fig_word)} {SHOWN_NUMBER}:\*\*", md))
    want = len([f for f in inv.figures if f not in inv.book_only_figures])
    if figs < want:
        problems.append(f"{want} figures in the source, {figs} captioned in the notebook")
    if exr_word:
        exercises = len(re.findall(rf"^\*\*{re.escape(exr_word)} {SHOWN_NUMBER}\*\*", md, flags=re.M))
        if exercises < len(inv.exercises):
            problems.append(f"{len(inv.exercises)} exercises in the source, {exercises} numbered in the notebook")
    for key in inv.citations:
        if key not in md:
            problems.append(f"citation {key} missing from the notebook")
    tags = len(re.findall(rf"\\tag\{{{SHOWN_NUMBER}\}}", md))
    if tags < len(inv.equations):
        problems.append(f"{len(inv.equations)} labelled equations in the source, {tags} numbered in the notebook")
    return problems

