"""Where everything lives, read from the repository itself (no second copy of the chapter list).

The chapter lists are the Quarto profiles ``_quarto-en.yml`` / ``_quarto-de.yml``; the sources
are ``myst/de/<stem>.md``; the English catalogs ``i18n/en/<stem>.po``; the repository URL and
branch are ``book.repo-url`` / ``book.repo-branch`` in ``_quarto.yml``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(os.environ.get("BOOK_ROOT", Path(__file__).resolve().parents[2]))
LANGS = ("de", "en")
SOURCE_LANG = "de"
SOURCE_DIR = ROOT / "myst" / "de"
PO_DIR = ROOT / "i18n" / "en"
MACROS = ROOT / "myst" / "macros.tex"
BUILD_DIR = ROOT / "_build"
BOOK_DIR = ROOT / "_book"
TARGET_DIRS = ("chapters", "slides", "notebooks")
#: a chapter whose cells run longer than this (seconds) fails the build and the tests
CHAPTER_TIME_LIMIT = 60.0


@dataclass(frozen=True)
class Repo:
    url: str
    branch: str


def quarto_config(name: str = "_quarto.yml", root: Path = ROOT) -> dict:
    with open(root / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def repo(root: Path = ROOT) -> Repo:
    """The one configured repository (``book.repo-url`` and ``book.repo-branch`` in _quarto.yml)."""
    book = quarto_config(root=root).get("book", {})
    url = book.get("repo-url")
    if not url:
        raise ValueError("_quarto.yml: book.repo-url is missing; the notebooks' Colab badges need it")
    return Repo(url=url.rstrip("/"), branch=book.get("repo-branch", "main"))


def sources(root: Path = ROOT) -> list[Path]:
    """The German MyST sources, in file-name order (``NN-slug.md``, ``index.md`` first)."""
    files = sorted((root / "myst" / "de").glob("*.md"))
    return sorted(files, key=lambda p: (p.stem != "index", p.name))


def profile_chapters(lang: str, root: Path = ROOT) -> list[str]:
    """Chapter and appendix paths listed in ``_quarto-<lang>.yml`` (project-relative)."""
    book = quarto_config(f"_quarto-{lang}.yml", root).get("book", {})
    return list(book.get("chapters", [])) + list(book.get("appendices", []))


def chapter_numbers(lang: str, root: Path = ROOT) -> dict[str, str]:
    """Quarto's numbering of the profile: chapters 1, 2, … (the preface ``index.qmd`` is
    unnumbered), appendices A, B, …; ``{stem: "1"}``. Entries of a ``part`` count in order."""
    book = quarto_config(f"_quarto-{lang}.yml", root).get("book", {})

    def flat(entries):
        for entry in entries or []:
            if isinstance(entry, dict):
                yield from flat(entry.get("chapters", []))
            else:
                yield entry
    numbers = {}
    chapters = [e for e in flat(book.get("chapters")) if e != "index.qmd"]
    for i, entry in enumerate(chapters, 1):
        if stem := stem_of_profile_entry(entry, lang):
            numbers[stem] = str(i)
    for i, entry in enumerate(flat(book.get("appendices"))):
        if stem := stem_of_profile_entry(entry, lang):
            numbers[stem] = chr(ord("A") + i)
    return numbers


def stem_of_profile_entry(entry: str, lang: str) -> str | None:
    """``chapters/<lang>/<stem>.qmd`` → stem; the root ``index.qmd`` → ``index``; else None."""
    path = Path(entry)
    if entry == "index.qmd":
        return "index"
    if path.parent == Path("chapters") / lang and path.suffix == ".qmd":
        return path.stem
    return None


def generated(kind: str, lang: str, stem: str, root: Path = ROOT) -> Path:
    """Path of a generated file: kind is chapters, slides or notebooks."""
    suffix = ".ipynb" if kind == "notebooks" else ".qmd"
    return root / kind / lang / f"{stem}{suffix}"
