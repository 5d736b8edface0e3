"""Command line: ``myst2qmd convert|extract|check`` (see ``myst2qmd --help``)."""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .convert import FileConverter, Options
from .document import (Job, convert_sources, source_name, write_if_changed,
                       write_macros_include)
from .i18n import Translator, update_catalog
from .labels import Registry
from .bibtex import read_bib
from .macros import read_macros
from .notebook import colab_url
from .parser import read_source
from .report import Report
from .slides import latex_frames, slide_regions, translate_frame

TARGETS = ("book", "slides", "notebook")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", type=Path, metavar="SRC.md")
    p.add_argument("--strict", action="store_true", help="warnings, untranslated and fuzzy segments are errors")
    p.add_argument("--quiet", action="store_true", help="print only files with warnings or errors")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="myst2qmd", description="MyST lectures → Quarto chapters, "
                                     "reveal.js slides and Jupyter notebooks; gettext translation.")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("convert", help="write DIR/<stem>.qmd, DIR/slides/<stem>.qmd, DIR/notebooks/<stem>.ipynb")
    _common(c)
    c.add_argument("--out-dir", type=Path, required=True, help="book chapters go here")
    c.add_argument("--lang", choices=("de", "en"), default="de")
    c.add_argument("--po", type=Path, help="catalog for a single source")
    c.add_argument("--po-dir", type=Path, help="catalogs <stem>.po for every source")
    c.add_argument("--targets", default="book", help="comma-separated: book,slides,notebook")
    c.add_argument("--images-path", default="images/",
                   help="value of params.images_path: images dir relative to the chapter")
    c.add_argument("--images-dir", type=Path,
                   help="images on disk (GIF first frames are written here); default OUT/IMAGES_PATH")
    c.add_argument("--notebook-images-path",
                   help="images dir relative to the notebook (default: OUT/IMAGES_PATH seen from the notebooks dir)")
    c.add_argument("--slides-dir", type=Path, help="default OUT/slides")
    c.add_argument("--notebooks-dir", type=Path, help="default OUT/notebooks")
    c.add_argument("--macros", type=Path, help="LaTeX macros, one \\newcommand per line")
    c.add_argument("--bibliography", type=Path, metavar="references.bib",
                   help="BibTeX file: unknown citation keys are errors, notebooks cite as the book does "
                        "(Author Year) and end with a reference list")
    c.add_argument("--repo-url", help="https://github.com/OWNER/NAME (Colab badge, install cell)")
    c.add_argument("--install-package", default=Options.install_package, metavar="NAME[EXTRAS]",
                   help="the package the notebooks' Colab cell installs from --repo-url "
                        "(default: %(default)s; an empty string leaves the install cell out)")
    c.add_argument("--chapter-numbers", default="", metavar="STEM=N,…",
                   help="Quarto's chapter number or appendix letter per source, e.g. "
                        "03-padding=1,90-gallery=A: notebooks then say 'Figure 1.2' like the book")
    c.add_argument("--branch", default="main")
    c.add_argument("--notebook-dir", default=None,
                   help="the notebooks' directory inside the repository (Colab link), e.g. notebooks/en")
    e = sub.add_parser("extract", help="create or update gettext catalogs <po-dir>/<stem>.po")
    _common(e)
    e.add_argument("--po-dir", type=Path, required=True)
    e.add_argument("--lang", default="en", help="language of the catalogs (metadata only)")
    k = sub.add_parser("check", help="convert in memory and print the report only")
    _common(k)
    k.add_argument("--lang", choices=("de", "en"), default="de")
    k.add_argument("--po-dir", type=Path)
    k.add_argument("--macros", type=Path)
    k.add_argument("--bibliography", type=Path, metavar="references.bib")
    return parser


def _fail(msg: str) -> int:
    print(f"myst2qmd: {msg}", file=sys.stderr)
    return 2


def _print_reports(reports: list[Report], strict: bool, quiet: bool) -> int:
    failed = 0
    for rep in reports:
        bad = rep.failed(strict)
        failed += bad
        if not quiet or bad or rep.warnings:
            print(rep.format())
    if failed:
        print(f"myst2qmd: {failed} of {len(reports)} file(s) failed"
              + (" (--strict: warnings count as errors)" if strict else ""), file=sys.stderr)
    return 1 if failed else 0


def parse_chapter_numbers(text: str) -> dict[str, str]:
    """``"03-padding=1,90-gallery=A"`` → ``{"03-padding": "1", "90-gallery": "A"}``."""
    out = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        stem, sep, number = item.partition("=")
        if not sep or not stem.strip() or not re.fullmatch(r"[1-9][0-9]*|[A-Z]", number.strip()):
            raise ValueError(f"--chapter-numbers item {item!r} must be STEM=N (N a chapter number "
                             "from 1 or an appendix letter A-Z)")
        out[stem.strip()] = number.strip()
    return out


def _options(args) -> Options:
    macros = read_macros(args.macros) if getattr(args, "macros", None) else {}
    bib = read_bib(args.bibliography) if getattr(args, "bibliography", None) else None
    return Options(lang=getattr(args, "lang", "de") or "de", macros=macros,
                   strict=args.strict, bibliography=bib)


def _catalogs(args, lang: str) -> dict[Path, Path | None]:
    if lang == "de":
        return {}
    if getattr(args, "po", None):
        if len(args.sources) != 1:
            raise ValueError("--po names one catalog: give exactly one source, or use --po-dir")
        return {args.sources[0]: args.po}
    if getattr(args, "po_dir", None):
        return {s: args.po_dir / f"{s.stem}.po" for s in args.sources}
    return {s: None for s in args.sources}


def cmd_convert(args) -> int:
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    bad = [t for t in targets if t not in TARGETS]
    if bad or not targets:
        return _fail(f"convert: --targets={args.targets!r} must be a comma-separated subset of {','.join(TARGETS)}")
    try:
        opt = _options(args)
        catalogs = _catalogs(args, args.lang)
    except (OSError, ValueError) as exc:
        return _fail(f"convert: {exc}")
    opt.images_path = args.images_path
    opt.notebook_images_path = args.notebook_images_path
    opt.images_dir = args.images_dir or (args.out_dir / args.images_path)
    opt.repo_url = args.repo_url
    if args.repo_url:
        try:
            colab_url(args.repo_url, args.branch, "notebooks", "x")
        except ValueError as exc:
            return _fail(f"convert: {exc}")
    opt.branch = args.branch
    if args.install_package and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._,-]+\])?",
                                                 args.install_package):
        return _fail(f"convert: --install-package={args.install_package!r} must be a distribution "
                     "name with optional extras, e.g. scratchnn[colab]")
    opt.install_package = args.install_package
    try:
        opt.chapter_numbers = parse_chapter_numbers(args.chapter_numbers)
    except ValueError as exc:
        return _fail(f"convert: {exc}")
    slides_dir = args.slides_dir or args.out_dir / "slides"
    nb_dir = args.notebooks_dir or args.out_dir / "notebooks"
    # Every output names the images relative to itself: as seen from the decks' and the
    # notebooks' folders (not from the chapters').
    images = args.out_dir / args.images_path
    opt.slides_images_path = Path(os.path.relpath(images, slides_dir)).as_posix().rstrip("/") + "/"
    if opt.notebook_images_path is None:
        opt.notebook_images_path = Path(os.path.relpath(images, nb_dir)).as_posix().rstrip("/") + "/"
    opt.notebook_dir = args.notebook_dir if args.notebook_dir is not None else source_name(nb_dir)
    jobs = convert_sources(args.sources, opt, targets, catalogs)
    macros_src = source_name(args.macros) if args.macros else ""
    if any(job.report.failed(args.strict) for job in jobs):
        # All or nothing: chapters refer to each other, so no file is written when one fails.
        for job in jobs:
            job.report.note("nothing written: " + ("this file has errors" if job.report.failed(args.strict)
                                                   else "another file of this run has errors"))
        return _print_reports([j.report for j in jobs], args.strict, args.quiet)
    for job in jobs:
        for path, data in job.outputs.files.items():
            if not path.exists() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        stem = job.path.stem
        out = job.outputs
        for text, directory, suffix in ((out.book, args.out_dir, ".qmd"), (out.slides, slides_dir, ".qmd"),
                                        (out.notebook, nb_dir, ".ipynb")):
            if text is None:
                continue
            path = directory / f"{stem}{suffix}"
            write_if_changed(path, text)
            job.report.outputs.append(source_name(path))
            if suffix == ".qmd":
                write_macros_include(directory, opt, macros_src)
    return _print_reports([j.report for j in jobs], args.strict, args.quiet)


def cmd_extract(args) -> int:
    registry = Registry()
    opt = Options(lang="de")
    texts: dict[Path, str] = {}
    reports = []
    for path in args.sources:  # pass 1: labels of all sources, so references resolve
        rep = Report(source_name(path))
        reports.append(rep)
        try:
            texts[path] = read_source(path)
            FileConverter(path, texts[path], opt, registry, Translator(), Report(rep.source)).render("book")
        except (OSError, UnicodeDecodeError) as exc:
            rep.error(0, f"cannot read {path}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a clean report instead of a traceback
            rep.error(0, f"internal error while extracting: {type(exc).__name__}: {exc}")
    for path, rep in zip(args.sources, reports):
        if rep.errors:
            continue
        tr = Translator(mode="collect", report=rep)
        conv = FileConverter(path, texts[path], opt, registry, tr, rep, rep.source)
        try:
            conv.render("book")
            for _first, _last, title, tline in slide_regions(conv.comments):
                if title:
                    tr(title, tline, "slide-title")
            for line, title, md, _smaller in latex_frames(conv):
                translate_frame(conv, line, title, md)
        except Exception as exc:  # noqa: BLE001
            rep.error(0, f"internal error while extracting: {type(exc).__name__}: {exc}")
            continue
        # Only translation matters here; conversion warnings belong to `convert`/`check`.
        rep.warnings.clear()
        rep.constructs.clear()
        po = args.po_dir / f"{path.stem}.po"
        counts = update_catalog(po, tr.collected, rep.source, args.lang)
        rep.outputs.append(source_name(po))
        rep.note("catalog: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return _print_reports(reports, args.strict, args.quiet)


def cmd_check(args) -> int:
    try:
        opt = _options(args)
        catalogs = _catalogs(args, args.lang)
    except (OSError, ValueError) as exc:
        return _fail(f"check: {exc}")
    jobs: list[Job] = convert_sources(args.sources, opt, list(TARGETS), catalogs)
    return _print_reports([j.report for j in jobs], args.strict, args.quiet)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for src in args.sources:
        if not src.is_file():
            return _fail(f"{args.command}: source {src} does not exist")
    return {"convert": cmd_convert, "extract": cmd_extract, "check": cmd_check}[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
