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
from .frontmatter import finish, front_matter, header_comment

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


_FRAMETITLE = re.compile(r"\\frametitle\{([^{}]*)\}")
_BLOCK = re.compile(r"\\begin\{(block|alertblock|exampleblock)\}\{([^{}]*)\}(.*?)\\end\{\1\}", re.DOTALL)
_SMALL = re.compile(r"\\(tiny|scriptsize|footnotesize|small)\b")
_RULE = re.compile(r"\\rule(?:\[[^\]]*\])?\{[^{}]*\}\{[^{}]*\}")
_BLOCK_KIND = {"block": "note", "alertblock": "warning", "exampleblock": "tip"}


def _pandoc(latex: str) -> str:
    import pypandoc

    return pypandoc.convert_text(latex, "markdown", format="latex", extra_args=["--wrap=none"]).strip()


def frame_markdown(body: str) -> tuple[str, bool]:
    """A frame body (LaTeX) → (Markdown, smaller). ``block`` environments become titled
    callouts, ``\\rule`` is dropped, ``\\tiny``/``\\small``/… make the slide ``.smaller``."""
    smaller = _SMALL.search(body) is not None
    body = _RULE.sub("", _SMALL.sub("", body))
    parts, last = [], 0
    for m in _BLOCK.finditer(body):
        if body[last:m.start()].strip():
            parts.append(_pandoc(body[last:m.start()]))
        inner = _pandoc(m.group(3))
        title = m.group(2).strip().replace('"', "'")
        parts.append(f'::: {{.callout-{_BLOCK_KIND[m.group(1)]} title="{title}"}}\n{inner}\n:::')
        last = m.end()
    if body[last:].strip():
        parts.append(_pandoc(body[last:]))
    return "\n\n".join(p for p in parts if p), smaller


def latex_frames(conv: "FileConverter") -> list[tuple[int, str, str, bool]]:
    """``(line, title, markdown, smaller)`` for LaTeX-export frames with text; others reported.

    The title comes from ``\\begin{frame}{…}`` or ``\\frametitle{…}``; every further
    ``\\frametitle`` inside a frame starts a slide of its own."""
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
            pieces = _FRAMETITLE.split(body)  # [before, title1, body1, title2, body2, …]
            slides = [(title, pieces[0])] + [(pieces[i].strip(), pieces[i + 1]) for i in range(1, len(pieces), 2)]
            if not slides[0][1].strip() and len(slides) > 1:
                slides = [(slides[1][0] or title, slides[1][1])] + slides[2:]
            for slide_title, latex in slides:
                try:
                    md, smaller = frame_markdown(latex)
                except (RuntimeError, OSError) as exc:
                    conv.report.warn(c.line, f"LaTeX frame {slide_title!r} could not be converted: {exc}")
                    continue
                if not md:
                    conv.report.note(f"line {c.line}: LaTeX frame {slide_title!r} converted to nothing; skipped")
                    continue
                conv.report.count("latex-frame-slide")
                out.append((c.line, slide_title, md, smaller))
    return out


_CALLOUT_HEAD = re.compile(r'^(::: \{\.callout-\w+ title=")(.*)("\})$')


def translate_frame(conv: "FileConverter", line: int, title: str, md: str) -> tuple[str, str]:
    """Frame title, each paragraph of its converted text and block titles are translation segments."""
    title = conv.tr(title, line, "slide-title") if title else title
    paras = []
    for p in md.split("\n\n"):
        lines = p.split("\n")
        head = _CALLOUT_HEAD.match(lines[0])
        if head and len(lines) >= 3 and lines[-1] == ":::":
            block_title = conv.tr(head.group(2), line, "slide-title").replace('"', "'")
            inner = "\n".join(lines[1:-1])
            inner = conv.tr(inner, line, "slide-text") if not inner.lstrip().startswith(("$$", "```")) else inner
            paras.append(f"{head.group(1)}{block_title}{head.group(3)}\n{inner}\n:::")
        elif p.lstrip().startswith(("$$", "```", ":::", "    ")):
            paras.append(p)
        else:
            paras.append(conv.tr(p, line, "slide-text"))
    return title, "\n\n".join(paras)


REFS_TITLE = {"de": "Literatur", "en": "References"}
# a simple callout's title as the renderer writes it: the bold first line after the fence
_SIMPLE_CALLOUT_TITLE = re.compile(r'^(::: \{\.callout-[\w-]+ appearance="simple"\}\n)\*\*(.+?)\*\*\n\n(?=\S)',
                                   re.M)


def _drop_repeated_title(body: str, slide_title: str) -> str:
    """A callout titled like its slide ("Frage 1" on slide "Frage 1") loses the repeated title.

    Lecture notes give a question box its own title, and the slide marker repeats it as the
    slide title; on the slide it would stand twice, one under the other.
    """
    return _SIMPLE_CALLOUT_TITLE.sub(
        lambda m: m.group(1) if m.group(2).strip() == slide_title.strip() else m.group(0), body)


def build_slides(conv: "FileConverter", options: "Options", source: str) -> str:
    """The deck: one slide per SLIDE block and per LaTeX frame with text, in source order,
    then a references slide when the deck cites. No section-title slides (title-only), no
    slide without content."""
    chunks = conv.render("slides")
    regions = slide_regions(conv.comments, conv.report)
    items: list[tuple[int, str]] = []  # (line, markdown)
    sections = [(c.line, re.sub(r"\s*\{#[^}]*\}$", "", c.text[3:])) for c in chunks if c.kind == "h2" and c.text]
    for first, last, title, tline in regions:
        inside = [c for c in chunks if first <= c.line <= last and c.kind != "h2"]
        if title:
            conv.report.mute = False  # slide titles exist only here: count and report them
            shown = conv.tr(title, tline, "slide-title")
            conv.report.mute = True
        else:
            heads = [t for ln, t in sections if ln < first]
            shown = heads[-1] if heads else (conv.title or "")
            conv.report.warn(first, "SLIDE block without a Title: comment; section title used")
        body = "\n\n".join(conv.cell_text(c.cell) if c.cell is not None else (c.text or "")
                           for c in inside).strip()
        if not body:
            conv.report.warn(first, f"SLIDE block {shown!r} has no content; left out of the deck")
            continue
        items.append((first, f"## {shown}\n\n{_drop_repeated_title(body, shown)}"))
        conv.report.count("slide")
    conv.report.mute = False  # frame text exists only here: count and report its segments
    for line, title, md, smaller in latex_frames(conv):
        title, md = translate_frame(conv, line, title, md)
        cls = " {.smaller}" if smaller else ""
        items.append((line, f"## {title}{cls}\n\n{md}" if title else md))
    conv.report.mute = True
    items.sort(key=lambda it: it[0])
    cited = [k for k in conv.citations if any(re.search(rf"(?<![\w@])@{re.escape(k)}(?![\w-])", t)
                                               for _, t in items)]
    if cited:
        items.append((10**9, f"## {REFS_TITLE[options.lang]} {{.smaller .scrollable}}\n\n::: {{#refs}}\n:::"))
        conv.report.count("references-slide")
    has_code = any(c.cell is not None for c in chunks
                   if any(f <= c.line <= l for f, l, _, _ in regions))
    parts = [front_matter(conv, options, {"format": {"revealjs": {"auto-stretch": True}}},
                          has_code=has_code),
             header_comment(source, options.lang)]
    parts += [text for _, text in items]
    text = "\n\n".join(p.rstrip("\n") for p in parts) + "\n"
    return finish(text, options.slides_images_path or options.images_path, options.macros)
