"""Whole-run pipeline: read sources, build the label registry, emit every target.

``convert_sources`` converts several files together (so ``{ref}`` across files resolves):
pass 1 renders each file once to register its labels, pass 2 renders the targets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import slides as slides_mod
from .accounting import check_notebook, check_qmd, inventory
from .book import assemble_qmd
from .convert import FileConverter, Options
from .frontmatter import MACROS_INCLUDE, kernelspec
from .i18n import REF_WORDS, Translator
from .labels import Registry
from .macros import macros_qmd, mathjax_defs
from .notebook import build_notebook
from .parser import read_source
from .report import Report, source_name

__all__ = ["Job", "Outputs", "convert_sources", "source_name", "write_if_changed", "write_macros_include",
           "MACROS_INCLUDE"]

@dataclass
class Outputs:
    """Generated texts of one source, by target (not yet written)."""

    book: str | None = None
    slides: str | None = None
    notebook: str | None = None
    files: dict[Path, bytes] = field(default_factory=dict)  # other files to write (GIF stills)


@dataclass
class Job:
    path: Path
    source_name: str
    report: Report
    conv: FileConverter | None = None
    outputs: Outputs = field(default_factory=Outputs)


def make_translator(lang: str, po: Path | None, report: Report) -> Translator:
    if lang == "de" or po is None:
        if lang != "de":
            report.warn(0, f"--lang {lang} without a catalog: every segment stays German")
            return Translator(mode="apply", catalog={}, report=report)
        return Translator(mode="source", report=report)
    if not po.exists():
        report.warn(0, f"catalog {po} does not exist: every segment stays German")
        return Translator(mode="apply", catalog={}, report=report)
    try:
        return Translator.from_po(po, report)
    except (OSError, ValueError) as exc:
        report.error(0, f"catalog {po} cannot be read: {exc}")
        return Translator(mode="apply", catalog={}, report=report)


def convert_sources(paths: list[Path], options: Options, targets: list[str],
                    catalogs: dict[Path, Path | None] | None = None) -> list[Job]:
    """Convert ``paths`` together; returns one :class:`Job` (report + texts) per file."""
    registry = Registry()
    jobs: list[Job] = []
    catalogs = catalogs or {}
    install_warned = False
    for path in paths:
        name = source_name(path)
        report = Report(name)
        job = Job(path, name, report)
        if "notebook" in targets and options.install_package and not options.repo_url and not install_warned:
            # A bare name would be installed from the public index, whoever owns it there.
            report.warn(0, f"no --repo-url: the notebooks get no install cell for {options.install_package}")
            install_warned = True
        try:
            text = read_source(path)
        except (OSError, UnicodeDecodeError) as exc:
            report.error(0, f"cannot read {path}: {exc}")
            jobs.append(job)
            continue
        # Pass 1: register labels (titles in the output language) with a throw-away report.
        scratch = Report(name)
        tr = make_translator(options.lang, catalogs.get(path), scratch)
        conv = FileConverter(path, text, options, registry, tr, scratch, name)
        try:
            conv.render("book")
            conv.render("notebook")  # notebook numbers differ when cells are target-only
        except Exception as exc:  # noqa: BLE001 - every failure becomes a clean report line
            report.error(0, f"internal error while converting: {type(exc).__name__}: {exc}")
            jobs.append(job)
            continue
        tr2 = make_translator(options.lang, catalogs.get(path), report)
        job.conv = FileConverter(path, text, options, registry, tr2, report, name)
        jobs.append(job)
    for job in jobs:
        if job.conv is None:
            continue
        try:
            _emit(job, options, targets)
        except Exception as exc:  # noqa: BLE001
            job.report.error(0, f"internal error while converting: {type(exc).__name__}: {exc}")
    return jobs


def _emit(job: Job, options: Options, targets: list[str]) -> None:
    conv = job.conv
    rep = job.report
    inv = inventory(conv.text)
    for c in conv.parsed.comments:
        rep.count({"dropped": "comment-dropped", "latex-export": "latex-export-removed"}.get(c.kind, f"{c.kind}"))
    chunks = conv.render("book")
    book = assemble_qmd(conv, chunks, options, job.source_name)
    for problem in check_qmd(inv, book, conv.title is not None):
        rep.error(0, f"content accounting (book): {problem}")
    job.outputs.files.update(conv.files)
    if "book" in targets:
        job.outputs.book = book
    if "slides" in targets:
        job.outputs.slides = slides_mod.build_slides(conv, options, job.source_name)
    if "notebook" in targets:
        nb_chunks = conv.render("notebook")
        nb = build_notebook(conv, nb_chunks, job.source_name, kernelspec(conv),
                            mathjax_defs(options.macros))
        nbformat.validate(nb)
        words = REF_WORDS[options.lang]
        for problem in check_notebook(inv, nb, conv.title is not None, words["fig"], words["exr"]):
            rep.error(0, f"content accounting (notebook): {problem}")
        job.outputs.notebook = nbformat.writes(nb) + "\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless ``path`` already holds it; True when written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def write_macros_include(directory: Path, options: Options, macros_source: str) -> Path | None:
    if not options.macros:
        return None
    path = directory / MACROS_INCLUDE
    write_if_changed(path, macros_qmd(options.macros, macros_source))
    return path
