"""The document model every stage shares: conversion options, and the pieces a rendered
file is made of (Markdown chunks and code cells, each with its source line).

Stages (no module imports one of a later stage; ``tests/converter/test_structure.py``):
parse (:mod:`.parser`, :mod:`.comments`) → transform (:mod:`.convert` with :mod:`.blocks`,
:mod:`.figures`, :mod:`.directives`, :mod:`.exercises`, :mod:`.inline`, :mod:`.plaintext`)
→ emit (:mod:`.book`, :mod:`.slides`, :mod:`.notebook`, sharing :mod:`.frontmatter`) →
account (:mod:`.accounting`) → run (:mod:`.document`, :mod:`.cli`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

INSTALL_TAG = "colab-install"  # marks the notebook install cell; it is not content of the source
INSTALL_PACKAGE = "scratchnn[colab]"  # what the install cell installs unless told otherwise
STARTER_TAG = "exercise-starter"  # the empty code cell before a solution in notebooks


@dataclass
class Cell:
    """A code cell: source, Quarto ``#|`` options, notebook tags, its line."""

    source: str
    options: list[str]
    tags: list[str]
    line: int
    hidden: bool = False  # notebook: source collapsed (a solution's code)


@dataclass
class Chunk:
    """A piece of output: Markdown text or a code cell, with its source line."""

    line: int
    text: str | None = None
    cell: Cell | None = None
    kind: str = ""  # "h2" for level-2 headings (slides use them as section slides)


@dataclass
class Options:
    """Conversion settings shared by all files of one run."""

    lang: str = "de"
    images_path: str = "images/"
    notebook_images_path: str | None = None
    slides_images_path: str | None = None  # images dir relative to the decks (default: images_path)
    images_dir: Path | None = None  # images on disk (for GIF first frames)
    macros: dict[str, str] = field(default_factory=dict)
    macros_include: str | None = None  # e.g. "_macros.qmd"
    repo_url: str | None = None
    # Quarto's chapter number (or appendix letter) per file stem, e.g. {"03-padding": "1"}: the
    # notebooks then say "Figure 1.2" like the book; files not listed number from 1 ("Figure 2").
    chapter_numbers: dict[str, str] = field(default_factory=dict)
    install_package: str = INSTALL_PACKAGE  # pip name[extras] installed from repo_url in Colab; "" = no install cell
    branch: str = "main"
    notebook_dir: str = "notebooks"
    strict: bool = False
    bibliography: dict[str, dict[str, str]] | None = None  # key → BibTeX fields (--bibliography)

    @property
    def bib_keys(self) -> set[str] | None:
        return None if self.bibliography is None else set(self.bibliography)
