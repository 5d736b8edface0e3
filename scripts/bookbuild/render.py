"""Render with Quarto when it is available; otherwise say plainly what was skipped."""
from __future__ import annotations

import hashlib
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
    """Quarto executes the chapters with *this* Python (the build's venv: scratchnn, torch, …).

    The kernels get a private IPython directory whose kernel config silences ipykernel's
    start-up notice about TCP transport (logged at WARNING for every kernel Quarto starts), so the
    build log's warnings are the book's own.
    """
    env = dict(os.environ)
    env["QUARTO_PYTHON"] = sys.executable
    ipython = config.BUILD_DIR / "ipython-quarto"
    profile = ipython / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.json").write_text('{"IPKernelApp": {"log_level": 40}}\n')
    env["IPYTHONDIR"] = str(ipython.resolve())
    return env


#: lines of Quarto's, pandoc's and typst's output that are warnings
WARNING_LINE = re.compile(r"^(?:\x1b\[\d+m)?(?:WARN(?:ING)?\b|\[WARNING\]|warning:)", re.IGNORECASE)


def record_warnings(warnings: list[str], root: Path = config.ROOT) -> Path:
    """Keep the last render's warning lines in ``_build/quarto-warnings.txt`` (one per line)."""
    path = root / "_build" / "quarto-warnings.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(w + "\n" for w in warnings), encoding="utf-8")
    return path


def recorded_warnings(root: Path = config.ROOT) -> list[str]:
    path = root / "_build" / "quarto-warnings.txt"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: render the book first (make book)")
    return path.read_text(encoding="utf-8").splitlines()


def run(cmd: list[str], root: Path, log=print) -> list[str]:
    """Run Quarto, echo its output, and return its warning lines (raises on a non-zero exit)."""
    log("  $ " + " ".join(cmd))
    proc = subprocess.run(cmd, cwd=root, env=quarto_env(), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    out = proc.stdout or ""
    sys.stdout.write(out)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, out)
    return [l for l in out.splitlines() if WARNING_LINE.match(l.strip())]


#: what a chapter's outputs depend on besides its own source (which Quarto's freeze tracks):
#: the package's code, and every installed distribution (NumPy, matplotlib, Pillow, torchshow …)
FREEZE_INPUTS = ("src/scratchnn",)
FREEZE_STAMP = "_build/freeze-inputs.sha256"  # beside Quarto's _freeze/, not inside it


def installed_versions() -> list[str]:
    """``name==version`` of every distribution this Python sees, sorted."""
    from importlib import metadata
    return sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()})


def freeze_inputs_hash(root: Path = config.ROOT) -> str:
    """Hash of the Python files under ``FREEZE_INPUTS`` and of ``installed_versions()``.

    All installed versions, not a hand-kept list of the chapters' imports: such a list drifts
    (Pillow, torchshow, SciPy under scikit-image all draw or compute what the chapters show).
    """
    digest = hashlib.sha256()
    for folder in FREEZE_INPUTS:
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for line in installed_versions():
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def drop_stale_freeze(root: Path = config.ROOT, log=print) -> bool:
    """Delete ``_freeze/`` when the code the chapters run has changed since it was written.

    ``execute: freeze: auto`` makes Quarto re-execute a chapter only when the chapter's own
    source changes; a change to ``scratchnn`` (a figure drawn differently, a new number) or an
    upgraded package would leave every unchanged chapter with its old outputs. So the build
    keeps a hash of those inputs (``FREEZE_STAMP``) and starts afresh when it differs or is
    missing. Returns whether ``_freeze/`` was dropped.
    """
    freeze, stamp, current = root / "_freeze", root / FREEZE_STAMP, freeze_inputs_hash(root)
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == current:
        return False
    dropped = freeze.exists()
    if dropped:
        log("  scratchnn or a package changed since the chapters were frozen (or no record of "
            "it): Quarto re-executes every chapter")
        shutil.rmtree(freeze)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n", encoding="utf-8")
    return dropped


def render_book(exe: str, langs=config.LANGS, formats: tuple[str, ...] = ("html", "typst"),
                root: Path = config.ROOT, log=print) -> tuple[list[Path], list[str]]:
    """Render each language's book; returns (output folders, warning lines).

    HTML and typst are rendered by one ``quarto render`` per language: rendering a book to typst
    alone replaces its output folder, so HTML rendered before would be gone. ``formats=("typst",)``
    alone (``make pdf``) renders into ``_build/pdf/<lang>`` and copies the PDF into the site.
    """
    outputs, warnings = [], []
    drop_stale_freeze(root, log)
    for lang in langs:
        site = root / "_book" / lang
        if set(formats) == {"html", "typst"}:
            warnings += run([exe, "render", "--profile", lang], root, log)
        elif formats == ("typst",):
            tmp = root / "_build" / "pdf" / lang
            warnings += run([exe, "render", "--profile", lang, "--to", "typst",
                             "--output-dir", str(tmp)], root, log)
            site.mkdir(parents=True, exist_ok=True)
            for pdf in tmp.glob("*.pdf"):
                shutil.copy2(pdf, site / pdf.name)
        else:
            for fmt in formats:
                warnings += run([exe, "render", "--profile", lang, "--to", fmt], root, log)
        outputs.append(site)
    (root / "_book").mkdir(exist_ok=True)
    (root / "_book" / "index.html").write_text(redirect_page(), encoding="utf-8")
    return outputs, warnings


def render_slides(exe: str, langs=config.LANGS, root: Path = config.ROOT,
                  log=print) -> tuple[list[Path], list[str]]:
    """Render every deck of every language to ``_book/<lang>/slides/`` (see :mod:`.decks`)."""
    from . import decks

    outputs, warnings = [], []

    def quarto(args, cwd):
        warnings.extend(run([exe, *args], cwd, log))

    for lang in langs:
        outputs += decks.render_decks(quarto, lang, root, log)
    return outputs, warnings
