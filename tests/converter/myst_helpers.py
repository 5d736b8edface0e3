"""Shared helpers for the converter tests (a module of its own: `from conftest import` would
pick whichever test directory's conftest pytest imported last)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from myst2qmd.convert import Options
from myst2qmd.document import convert_sources
from myst2qmd.macros import read_macros

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
# A lecture in the legacy Jupyter Book style (LaTeX-export comments, slide markers, GIF figure,
# commented-out figure, ...): every construct the migration of old courses meets.
LEGACY = FIXTURES / "legacy-lecture.md"
UPDATE = os.environ.get("MYST2QMD_UPDATE_GOLDEN") == "1"


def options(lang: str = "de", **kw) -> Options:
    opt = Options(lang=lang, images_path="../../assets/images/", macros=read_macros(FIXTURES / "macros.tex"))
    for k, v in kw.items():
        setattr(opt, k, v)
    return opt


def convert(paths, lang="de", targets=("book", "slides", "notebook"), catalogs=None, **kw):
    """Convert ``paths`` together in memory; returns the jobs (reports + texts)."""
    return convert_sources([Path(p) for p in paths], options(lang, **kw), list(targets), catalogs)


def golden(name: str, text: str) -> None:
    """Compare ``text`` with golden/<name>; MYST2QMD_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file {path} missing; run with MYST2QMD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


def panache() -> str:
    exe = shutil.which("panache") or str(Path(os.sys.executable).parent / "panache")
    if not Path(exe).exists():
        pytest.fail("panache (PyPI panache-cli) is not installed: it is part of the [book] extra")
    return exe


def lint(path: Path) -> subprocess.CompletedProcess:
    """``panache lint FILE``: exit 0 and "No issues found" when clean, exit 1 with issues."""
    return subprocess.run([panache(), "lint", str(path)], capture_output=True, text=True, timeout=120)
