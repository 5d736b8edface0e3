"""``python scripts/book.py <command>``: the logic behind ``make book|notebooks|slides|pdf|lint|translate|convert``.

book       convert (both languages, strict) → verify → execute → render with Quarto if possible
convert    regenerate chapters/, slides/, notebooks/ and the include files from myst/ and i18n/
verify     the checks of :mod:`.verify` (references, citations, images, EN/DE parity, lint)
notebooks  convert, then execute every chapter (``_build/notebooks``, ``_build/execution-times.json``)
slides     convert, then render the reveal.js decks with Quarto if possible
pdf        convert, then render the typst PDF of both languages with Quarto if possible
lint       ``panache lint`` on every .qmd
translate  update the English catalogs from the German sources; list what is untranslated
"""
from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from . import assets, config, convert, execute, render, verify


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(config.ROOT))
    except ValueError:
        return str(path)


def cmd_convert(args) -> int:
    print("== convert (myst2qmd, strict, de + en)")
    problems = convert.convert_all(strict=True)
    for p in problems:
        print("  " + p)
    for path in convert.stale_outputs():
        path.unlink()
        print(f"  removed {_rel(path)} (its source is gone)")
    assets.write_generated()
    try:
        assets.copy_katex()
        print("  KaTeX copied to katex/ (offline math)")
    except FileNotFoundError as exc:
        print(f"  {exc}")
        problems.append(str(exc))
    return 1 if problems else 0


def _print_report(rep: verify.Report, title: str) -> int:
    print(f"== {title}")
    for key, n in sorted(rep.counts.items()):
        print(f"  {key}: {n}")
    for p in rep.problems:
        print(f"  PROBLEM {p}")
    print(f"  {'OK' if not rep.problems else f'{len(rep.problems)} problem(s)'}")
    return 1 if rep.problems else 0


def cmd_verify(args) -> int:
    return _print_report(verify.verify_all(), "verify")


def cmd_lint(args) -> int:
    return _print_report(verify.check_lint(verify.qmd_files()), "lint (panache)")


def cmd_execute(args) -> int:
    print("== execute (nbclient, one kernel per chapter)")
    results = execute.execute_book()
    bad = [r for r in results if not r.ok]
    for r in bad:
        why = r.error or f"{r.seconds:.1f} s, over the {config.CHAPTER_TIME_LIMIT:.0f} s budget per chapter"
        print(f"  PROBLEM {r.stem}: {why}")
    print(f"  times: {_rel(config.BUILD_DIR / 'execution-times.json')}")
    return 1 if bad else 0


def cmd_translate(args) -> int:
    print("== translate (update i18n/en from myst/de)")
    rc = convert.extract_catalogs()
    missing = convert.untranslated()
    for stem, (untranslated, fuzzy) in missing.items():
        print(f"  i18n/en/{stem}.po: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy")
        for msg in untranslated + fuzzy:
            print(f"    - {msg[:100]!r}")
    if not any(u or f for u, f in missing.values()):
        print("  every catalog is complete")
    return rc


def _render(what: tuple[str, ...], quarto: tuple[str | None, str]) -> tuple[list[str], list[str]]:
    exe, how = quarto
    done, skipped = [], []
    labels = {"html": "_book/{l} (HTML)", "typst": "_book/{l}/*.pdf (PDF)", "slides": "_book/{l}/slides (slides)"}
    planned = [labels[w].format(l=l) for l in config.LANGS for w in what]
    if exe is None:
        return done, planned
    print(f"== render with Quarto ({how})")
    formats = tuple(w for w in what if w in ("html", "typst"))
    warnings: list[str] = []
    try:
        if formats:
            warnings += render.render_book(exe, formats=formats)[1]
        if "slides" in what:
            warnings += render.render_slides(exe)[1]
    except subprocess.CalledProcessError as exc:
        raise RenderError(f"`{' '.join(exc.cmd)}` exited {exc.returncode}") from exc
    render.record_warnings(warnings)
    print(f"== Quarto warnings: {len(warnings)}")
    if warnings:
        for w in warnings:
            print(f"  {w}")
        raise RenderError(f"{len(warnings)} warning(s) from Quarto/pandoc/typst (the book builds without any)")
    return planned, []


class RenderError(RuntimeError):
    """Quarto was there but a render failed."""


def _summary(done: list[str], skipped: list[str], reason: str | None) -> None:
    print("== outputs (paths relative to the repository root)")
    outputs = [
        ("chapters (Quarto)", [f"chapters/{l}/" for l in config.LANGS]),
        ("slides (Quarto)", [f"slides/{l}/" for l in config.LANGS]),
        ("notebooks (Jupyter/Colab)", [f"notebooks/{l}/" for l in config.LANGS]),
        ("executed notebooks", [f"_build/notebooks/{l}/" for l in config.LANGS]),
        ("execution times", ["_build/execution-times.json"]),
        ("offline KaTeX", ["katex/"]),
    ]
    for name, paths in outputs:
        present = [p for p in paths if (config.ROOT / p).exists()]
        if present:
            print(f"  {name}: {', '.join(present)}")
    for d in done:
        print(f"  rendered: {d}")
    if skipped:
        finished = "converted and verified sources (chapters/, slides/, notebooks/)"
        if (config.ROOT / "_build" / "notebooks").exists():
            finished += ", executed notebooks (_build/notebooks/)"
        print(f"Quarto render skipped: {reason}. Skipped: {', '.join(skipped)}. Done: {finished}.")


def _pipeline(what: tuple[str, ...], execute_too: bool) -> int:
    rc = cmd_convert(None)
    rc |= cmd_verify(None)
    if execute_too:
        rc |= cmd_execute(None)
    quarto = render.find_quarto() if what else (None, "")
    try:
        done, skipped = _render(what, quarto) if what else ([], [])
    except RenderError as exc:
        print(f"  PROBLEM Quarto render failed: {exc}")
        done, skipped, rc = [], [], 1
    _summary(done, skipped, quarto[1])
    print("== " + ("done" if rc == 0 else "FAILED (see PROBLEM lines above)"))
    return rc


def cmd_book(args) -> int:
    return _pipeline(("html", "typst", "slides"), execute_too=True)


def cmd_notebooks(args) -> int:
    return _pipeline((), execute_too=True)


def cmd_slides(args) -> int:
    return _pipeline(("slides",), execute_too=False)


def cmd_pdf(args) -> int:
    return _pipeline(("typst",), execute_too=False)


COMMANDS = {"book": cmd_book, "convert": cmd_convert, "verify": cmd_verify, "notebooks": cmd_notebooks,
            "slides": cmd_slides, "pdf": cmd_pdf, "lint": cmd_lint, "translate": cmd_translate,
            "execute": cmd_execute}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="book.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=sorted(COMMANDS))
    args = parser.parse_args(argv)
    return COMMANDS[args.command](args)
