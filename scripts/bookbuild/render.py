"""Render with Quarto when it is available; otherwise say plainly what was skipped."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import config

INSTALL_TIMEOUT = 180


def find_quarto(try_install: bool = True, log=print) -> tuple[str | None, str]:
    """(path to quarto or None, how it was found or why not)."""
    exe = shutil.which("quarto") or _venv_quarto()
    if exe:
        return exe, f"found {exe}"
    if not try_install:
        return None, "quarto not on PATH"
    log("  quarto not on PATH; trying `pip install quarto-cli` …")
    try:
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "quarto-cli"],
                              capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"quarto not on PATH and `pip install quarto-cli` timed out after {INSTALL_TIMEOUT} s"
    exe = shutil.which("quarto") or _venv_quarto()
    if proc.returncode == 0 and exe and _works(exe):
        return exe, f"installed quarto-cli ({exe})"
    return None, f"quarto not on PATH and `pip install quarto-cli` failed: {pip_failure_reason(proc)}"


def pip_failure_reason(proc: subprocess.CompletedProcess) -> str:
    """The informative line of a failed pip install (quarto-cli downloads its binary while building)."""
    lines = [l.strip() for l in ((proc.stdout or "") + "\n" + (proc.stderr or "")).splitlines() if l.strip()]
    for pattern in (r"Error downloading.*", r"urlopen error.*", r"^ERROR: .*", r"No matching distribution.*"):
        for line in lines:
            m = re.search(pattern, line)
            if m:
                return m.group(0)
    if proc.returncode == 0:
        return "pip succeeded but no working `quarto` was installed"
    return lines[-1] if lines else f"pip exited {proc.returncode}"


def _venv_quarto() -> str | None:
    exe = Path(sys.executable).parent / "quarto"
    return str(exe) if exe.exists() else None


def _works(exe: str) -> bool:
    try:
        return subprocess.run([exe, "--version"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def redirect_page(lang: str = "en") -> str:
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"refresh\" content=\"0; url={lang}/index.html\">\n"
            f"<link rel=\"canonical\" href=\"{lang}/index.html\">\n<title>Convolutions from Scratch</title>\n"
            f"</head><body><p><a href=\"{lang}/index.html\">English</a> · "
            "<a href=\"de/index.html\">Deutsch</a></p></body></html>\n")


def quarto_env() -> dict[str, str]:
    """Quarto executes the chapters with *this* Python (the build's venv: scratchnn, torch, …)."""
    env = dict(os.environ)
    env["QUARTO_PYTHON"] = sys.executable
    return env


def run(cmd: list[str], root: Path, log=print) -> None:
    log("  $ " + " ".join(cmd))
    subprocess.run(cmd, cwd=root, check=True, env=quarto_env())


def render_book(exe: str, langs=config.LANGS, formats: tuple[str, ...] = ("html", "typst"),
                root: Path = config.ROOT, log=print) -> list[Path]:
    outputs = []
    for lang in langs:
        for fmt in formats:
            run([exe, "render", "--profile", lang, "--to", fmt], root, log)
        outputs.append(root / "_book" / lang)
    (root / "_book").mkdir(exist_ok=True)
    (root / "_book" / "index.html").write_text(redirect_page(), encoding="utf-8")
    return outputs


def render_slides(exe: str, langs=config.LANGS, root: Path = config.ROOT, log=print) -> list[Path]:
    outputs = []
    for lang in langs:
        for deck in sorted((root / "slides" / lang).glob("*.qmd")):
            run([exe, "render", str(deck.relative_to(root)), "--profile", lang, "--to", "revealjs"], root, log)
            outputs.append(root / "_book" / lang / "slides" / lang / f"{deck.stem}.html")
    return outputs
