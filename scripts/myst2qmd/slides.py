"""Slides target: a reveal.js ``.qmd`` from the ``BEGIN SLIDE``/``END SLIDE`` blocks.

* every level-2 heading of the chapter → a section slide (``# Title``);
* every SLIDE block → ``## Title`` (from its ``<!-- Title: … -->`` comment, translated;
  without one, the enclosing section's title) followed by the block's content;
* figures lose their fixed width: Quarto's ``auto-stretch`` (set explicitly in the front
  matter) scales a slide's single image to the space left by title and caption (an
  explicit ``.r-stretch`` class would not work on an image nested in a figure div);
* LaTeX-export ``frame`` environments that hold text (not ``\\titlepage``, not the
  bibliography) are converted with pandoc (PyPI ``pypandoc-binary``) into extra slides at
  their place; frames without text are reported as skipped. Their title and paragraphs
  are translation segments like the rest.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .comments import Comment

if TYPE_CHECKING:  # pragma: no cover
    from .convert import FileConverter, Options

_FRAME = re.compile(r"\\begin\{frame\}(?:\[[^\]]*\])?(?:\{(?P<title>[^}]*)\})?(?P<body>.*?)\\end\{frame\}",
                    re.DOTALL)
_NO_TEXT = re.compile(r"\\(titlepage|bibliography|tableofcontents|maketitle)\b")


def slide_regions(comments: list[Comment], report=None) -> list[tuple[int, int, str, int]]:
    """``(first_line, last_line, title, title_line)`` of every SLIDE block, in order.

    Stray markers (a ``Title:`` outside a block, an END without BEGIN, a BEGIN never
    closed, a second BEGIN before END) are reported on ``report`` when given.
    """
    regions = []
    start, title, tline = None, "", 0

    def stray(line: int, msg: str) -> None:
        if report is not None:
            report.warn(line, msg)

    for c in sorted(comments, key=lambda c: c.line):
        if c.kind == "slide-begin":
            if start is not None:
                stray(start, "BEGIN SLIDE without END SLIDE before the next BEGIN SLIDE; block ignored")
            start, title, tline = c.line, "", c.line
        elif c.kind == "slide-title":
            if start is None:
                stray(c.line, f"Title: {c.title!r} outside a SLIDE block ignored")
            elif not title:
                title, tline = c.title, c.line
        elif c.kind == "slide-end":
            if start is None:
                stray(c.line, "END SLIDE without BEGIN SLIDE ignored")
            else:
                regions.append((start, c.line, title, tline))
                start = None
    if start is not None:
        stray(start, "BEGIN SLIDE never closed by END SLIDE; block ignored")
    return regions


def latex_frames(conv: "FileConverter") -> list[tuple[int, str, str]]:
    """``(line, title, markdown)`` for LaTeX-export frames with text; others reported."""
    import pypandoc

    out = []
    for c in conv.parsed.comments:
        if c.kind != "latex-export":
            continue
        for m in _FRAME.finditer(c.text):
            body = m.group("body")
            title = (m.group("title") or "").strip()
            if _NO_TEXT.search(body) or not body.strip():
                conv.report.note(f"line {c.line}: LaTeX frame {title or '(untitled)'!r} without text skipped")
                continue
            try:
                md = pypandoc.convert_text(body, "markdown", format="latex",
                                           extra_args=["--wrap=none"]).strip()
            except (RuntimeError, OSError) as exc:
                conv.report.warn(c.line, f"LaTeX frame {title!r} could not be converted: {exc}")
                continue
            if not md:
                conv.report.note(f"line {c.line}: LaTeX frame {title!r} converted to nothing; skipped")
                continue
            conv.report.count("latex-frame-slide")
            out.append((c.line, title, md))
    return out


def translate_frame(conv: "FileConverter", line: int, title: str, md: str) -> tuple[str, str]:
    """Frame title and each paragraph of its converted text are translation segments."""
    title = conv.tr(title, line, "slide-title") if title else title
    paras = [conv.tr(p, line, "slide-text") if not p.lstrip().startswith(("$$", "```", ":::")) else p
             for p in md.split("\n\n")]
    return title, "\n\n".join(paras)


def build_slides(conv: "FileConverter", options: "Options", source: str) -> str:
    from .document import MACROS_INCLUDE, front_matter, header_comment

    chunks = conv.render("slides")
    regions = slide_regions(conv.comments, conv.report)
    items: list[tuple[int, str]] = []  # (line, markdown)
    section = conv.title or ""
    for c in chunks:
        if c.kind == "h2" and c.text:
            text = re.sub(r"\s*\{#[^}]*\}$", "", c.text[3:])
            items.append((c.line, f"# {text}"))
    for first, last, title, tline in regions:
        inside = [c for c in chunks if first <= c.line <= last and c.kind != "h2"]
        if title:
            conv.report.mute = False  # slide titles exist only here: count and report them
            shown = conv.tr(title, tline, "slide-title")
            conv.report.mute = True
        else:
            heads = [t for ln, t in items if ln < first and t.startswith("# ")]
            shown = heads[-1][2:] if heads else section
            conv.report.warn(first, "SLIDE block without a Title: comment; section title used")
        body = "\n\n".join(conv.cell_text(c.cell) if c.cell is not None else (c.text or "")
                           for c in inside)
        items.append((first, f"## {shown}\n\n{body}".rstrip()))
        conv.report.count("slide")
    conv.report.mute = False  # frame text exists only here: count and report its segments
    for line, title, md in latex_frames(conv):
        title, md = translate_frame(conv, line, title, md)
        items.append((line, f"## {title}\n\n{md}" if title else md))
    conv.report.mute = True
    items.sort(key=lambda it: it[0])
    has_code = any(c.cell is not None for c in chunks
                   if any(f <= c.line <= l for f, l, _, _ in regions))
    parts = [front_matter(conv, options, {"format": {"revealjs": {"auto-stretch": True}}},
                          has_code=has_code),
             header_comment(source, options.lang)]
    if options.macros:
        parts.append(f"{{{{< include {MACROS_INCLUDE} >}}}}")
    parts += [text for _, text in items]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"
