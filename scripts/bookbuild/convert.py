"""Run the converter ``myst2qmd`` for both languages and lay out its outputs.

Layout (all generated, committed, and checked up to date by the tests)::

    chapters/{de,en}/<stem>.qmd   (+ _macros.qmd)   book chapters
    slides/{de,en}/<stem>.qmd     (+ _macros.qmd)   reveal.js decks
    notebooks/{de,en}/<stem>.ipynb                  Jupyter/Colab notebooks

German comes from ``myst/de``; English from the same sources with ``i18n/en/<stem>.po``.
``out_root`` lets the tests regenerate everything into a temporary directory and compare.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import config

IMAGES_DIR = "assets/images"


def myst2qmd() -> list[str]:
    return [sys.executable, "-m", "myst2qmd.cli"]


def convert_command(lang: str, out_root: Path, root: Path = config.ROOT, strict: bool = True) -> list[str]:
    """The ``myst2qmd convert`` call for one language (paths relative to ``root``, the cwd)."""
    repo = config.repo(root)
    sources = [str(p.relative_to(root)) for p in config.sources(root)]
    cmd = [*myst2qmd(), "convert", *sources,
           "--lang", lang, "--targets", "book,slides,notebook",
           "--out-dir", str(out_root / "chapters" / lang),
           "--slides-dir", str(out_root / "slides" / lang),
           "--notebooks-dir", str(out_root / "notebooks" / lang),
           "--images-path", f"../../{IMAGES_DIR}/",
           "--notebook-images-path", f"../../{IMAGES_DIR}/",
           "--images-dir", IMAGES_DIR,
           "--repo-url", repo.url, "--branch", repo.branch,
           "--notebook-dir", f"notebooks/{lang}",
           "--chapter-numbers", ",".join(f"{s}={n}" for s, n in config.chapter_numbers(lang, root).items()),
           "--quiet"]
    if (root / "myst" / "macros.tex").exists():
        cmd += ["--macros", "myst/macros.tex"]
    if (root / "references.bib").exists():     # notebooks cite "Author (Year)" and list the references
        cmd += ["--bibliography", "references.bib"]
    if lang != config.SOURCE_LANG:
        cmd += ["--po-dir", str((root / "i18n" / lang).relative_to(root))]
    if strict:
        cmd.append("--strict")
    return cmd


def convert_all(out_root: Path | None = None, root: Path = config.ROOT, strict: bool = True,
                log=print) -> list[str]:
    """Convert every source in both languages; return problems (converter failures)."""
    out_root = out_root or root
    problems = []
    if not config.sources(root):
        return [f"no sources in {root / 'myst' / 'de'}"]
    for lang in config.LANGS:
        cmd = convert_command(lang, out_root, root, strict)
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
        output = (proc.stdout + proc.stderr).strip()
        if output:
            log("\n".join("  " + line for line in output.splitlines()))
        if proc.returncode != 0:
            problems.append(f"myst2qmd convert --lang {lang} failed (exit {proc.returncode})")
    # A source without BEGIN SLIDE blocks (the preface) has no deck: drop the heading-only deck.
    for src in config.sources(root):
        if "BEGIN SLIDE" not in src.read_text(encoding="utf-8"):
            for lang in config.LANGS:
                deck = out_root / "slides" / lang / f"{src.stem}.qmd"
                if deck.exists():
                    deck.unlink()
    # The root index.qmd includes chapters/<lang>/index.qmd; give its macro include a copy at the
    # root too, so the nested include resolves whichever directory Quarto resolves it against.
    macros = out_root / "chapters" / config.SOURCE_LANG / "_macros.qmd"
    if macros.exists():
        (out_root / "_macros.qmd").write_text(macros.read_text(encoding="utf-8"), encoding="utf-8")
    return problems


def stale_outputs(root: Path = config.ROOT) -> list[Path]:
    """Generated files whose source no longer exists."""
    stems = {p.stem for p in config.sources(root)}
    out = []
    for kind in config.TARGET_DIRS:
        for lang in config.LANGS:
            for path in sorted((root / kind / lang).glob("*")):
                if path.suffix in (".qmd", ".ipynb") and not path.name.startswith("_") and path.stem not in stems:
                    out.append(path)
    return out


def extract_catalogs(root: Path = config.ROOT) -> int:
    """``myst2qmd extract``: create/update ``i18n/en/<stem>.po`` from the German sources."""
    sources = [str(p.relative_to(root)) for p in config.sources(root)]
    proc = subprocess.run([*myst2qmd(), "extract", *sources, "--po-dir", "i18n/en", "--quiet"], cwd=root)
    return proc.returncode


def untranslated(root: Path = config.ROOT) -> dict[str, tuple[list[str], list[str]]]:
    """Per catalog: (untranslated msgids, fuzzy msgids)."""
    import polib
    out = {}
    for src in config.sources(root):
        po_path = root / "i18n" / "en" / f"{src.stem}.po"
        if not po_path.exists():
            out[src.stem] = (["<catalog missing: run make translate>"], [])
            continue
        po = polib.pofile(str(po_path))
        out[src.stem] = ([e.msgid for e in po.untranslated_entries() if not e.obsolete],
                         [e.msgid for e in po.fuzzy_entries() if not e.obsolete])
    return out
