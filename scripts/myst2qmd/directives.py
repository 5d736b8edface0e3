"""Transform stage: directives — callouts, code cells, ``only``, ``raw`` and the dispatch of
every directive — as a mixin of :class:`~myst2qmd.convert.FileConverter`."""
from __future__ import annotations

import re

from .blocks import _DISPLAY_MATH, _prefix
from .exercises import details_chunks
from .i18n import BUILTIN_TITLE_KIND, NOTES, REF_WORDS, TITLES
from .inline import quote_attr
from .labels import quarto_label
from .model import Cell, Chunk
from .parser import Directive

CALLOUT_KINDS = {"note": "note", "tip": "tip", "hint": "tip", "warning": "warning",
                 "attention": "warning", "danger": "warning", "error": "warning",
                 "caution": "caution", "important": "important", "seealso": "note"}
TAG_OPTIONS = {"hide-input": "code-fold: true", "remove-input": "echo: false",
               "remove-cell": "include: false", "remove-output": "output: false",
               "hide-output": "output: false", "skip-execution": "eval: false",
               "raises-exception": "error: true"}
TARGET_TAGS = {"notebook-only", "book-only"}
KNOWN_TAGS = set(TAG_OPTIONS) | TARGET_TAGS | {"hide-cell", "full-width", "margin", "thebe-init"}


class DirectiveMixin:
    """Directive rendering; uses the state and helpers of ``FileConverter``."""

    def _directive(self, d: Directive, fence: str, line: int) -> list[Chunk]:
        name = d.name
        low = name.lower()
        rep = self.report
        if low in ("figure-md", "figure"):
            return self._figure(d)
        if low in CALLOUT_KINDS or low == "admonition":
            return self._callout(d)
        if low == "code-cell":
            return self._code_cell(d)
        if low == "exercise":
            return self.exercises.exercise(d)
        if low == "solution":
            return self.exercises.solution(d)
        if low == "solution-start":
            return []  # not closed: reported by gated_region, its content rendered as usual
        if low == "solution-end":
            rep.error(line, "{solution-end} without a {solution-start} before it")
            return []
        if low == "math":
            rep.count("equation")
            self.note_math(d.body, line)
            label = d.options.get("label") or d.options.get("name")
            return [self._math(d.body.strip("\n"), str(label) if label else None, line)]
        if low == "only":
            return self._only(d)
        if low == "raw":
            return self._raw(d)
        if low in ("code", "code-block", "sourcecode"):
            rep.count("code-block")
            lang = d.arg.split()[0] if d.arg else ""
            return [Chunk(line, f"```{lang}\n{d.body}\n```")]
        if low == "image":
            return [Chunk(line, self._text(self.image_markdown(
                d.arg, "", str(d.options.get("alt", "")), line, width=str(d.options.get("width", "")))))]
        if low in ("bibliography",):
            rep.count("bibliography-dropped")
            rep.note(f"line {line}: {{bibliography}} replaced by the appended references section")
            return []
        if low in ("tableofcontents", "toctree"):
            rep.warn(line, f"{{{name}}} dropped: Quarto builds the table of contents itself")
            return []
        rep.count("unknown-directive")
        rep.warn(line, f"unknown directive {{{name}}} kept verbatim")
        raw = f"{fence}{{{name}}} {d.arg}".rstrip() + "\n" + d.raw + f"\n{fence}"
        longest = max((len(m) for m in re.findall(r"`{3,}", raw)), default=0)
        outer = "`" * max(3, longest + 1)
        marker = f"<!-- myst2qmd: unknown directive {{{name}}} (source line {line}) kept verbatim -->"
        return [Chunk(line, f"{marker}\n{outer} {{.myst}}\n{raw}\n{outer}")]

    def _callout(self, d: Directive) -> list[Chunk]:
        rep = self.report
        low = d.name.lower()
        classes = str(d.options.get("class", "")).split()
        dropdown = "dropdown" in classes
        kind = CALLOUT_KINDS.get(low, "note")
        title_kind = kind
        custom_title = None
        if low == "admonition":
            title = d.arg.strip()
            builtin = BUILTIN_TITLE_KIND.get(title.lower())
            if builtin:
                title_kind = builtin
                kind = {"question": "tip", "solution": "tip"}.get(builtin, builtin)
            elif title:
                custom_title = title
            for c in classes:
                if c in CALLOUT_KINDS:
                    kind = CALLOUT_KINDS[c]
                    if not builtin and not custom_title:
                        title_kind = kind
        elif d.arg.strip():
            custom_title = d.arg.strip()
        rep.count(f"callout-{kind}" + ("-dropdown" if dropdown else ""))
        if custom_title is not None:
            title = self.tr(self.inline_text(custom_title, d.line), d.line, "callout-title")
        else:
            title = TITLES[self.opt.lang].get(title_kind, TITLES[self.opt.lang]["note"])
        chunks = self._sub(d.body, d.body_line)
        if self.target == "notebook" and dropdown:
            # Quiz answers and solutions stay hidden until the reader opens them.
            return details_chunks(chunks, self.notebook_text(title, d.line), d.line)
        if self.target == "notebook":
            return self._quote_chunks(chunks, f"**{self.notebook_text(title, d.line)}**", d.line)
        body = self._join(chunks)
        if dropdown and self.target == "slides":
            # A quiz answer on a slide: the next fragment, shown on the next click.
            head = f"::: {{.callout-{kind} appearance=\"simple\"}}\n**{title}**"
            return [Chunk(d.line, f". . .\n\n{head}\n\n{body}\n:::")]
        if dropdown:
            head = f"::: {{.callout-{kind} collapse=\"true\" title={quote_attr(title)}}}"
            return [Chunk(d.line, f"{head}\n{body}\n:::")]
        head = f"::: {{.callout-{kind} appearance=\"simple\"}}\n**{title}**"
        return [Chunk(d.line, f"{head}\n\n{body}\n:::")]

    def _quote_chunks(self, chunks: list[Chunk], head: str, line: int) -> list[Chunk]:
        """A callout as a notebook block quote. Code cells and display math interrupt the quote:
        JupyterLab extracts math before Markdown, so a ``> `` prefix would end up in the formula."""
        out: list[Chunk] = []
        buf = [head]

        def flush() -> None:
            if buf:
                out.append(Chunk(line, _prefix("\n\n".join(buf), "> ")))
                buf.clear()

        for c in chunks:
            if c.cell is not None:
                self.report.warn(c.line, "code cell inside a callout: the notebook shows it after the quote")
                flush()
                out.append(c)
            elif c.text:
                for part in c.text.split("\n\n"):
                    if _DISPLAY_MATH.match(part):
                        flush()
                        out.append(Chunk(line, part))
                    else:
                        buf.append(part)
        flush()
        return out

    def _code_cell(self, d: Directive) -> list[Chunk]:
        rep = self.report
        meta = dict(d.options)
        tags = meta.pop("tags", []) or []
        if isinstance(tags, str):
            tags = [t.strip() for t in tags.strip("[]").split(",") if t.strip()]
        tags = [str(t) for t in tags]
        options: list[str] = []
        for tag in tags:
            if tag in TAG_OPTIONS and f"#| {TAG_OPTIONS[tag]}" not in options:
                options.append(f"#| {TAG_OPTIONS[tag]}")
            elif tag not in KNOWN_TAGS:
                rep.warn(d.line, f"code-cell tag {tag!r} has no Quarto equivalent; kept in the notebook")
        mystnb = meta.pop("mystnb", None) or {}
        fig_qid, fig_caption = "", ""
        if isinstance(mystnb, dict):
            fig = mystnb.get("figure") or {}
            img = mystnb.get("image") or {}
            excluded = ("notebook-only" in tags and self.target != "notebook") or (
                "book-only" in tags and self.target == "notebook")
            if fig.get("name") and not excluded:
                qid = quarto_label(str(fig["name"]), "fig")
                self.fig_numbers[qid] = len(self.fig_numbers) + 1
                self.register(str(fig["name"]), "fig", qid, self.fig_numbers[qid], line=d.line)
                options.insert(0, f"#| label: {qid}")
                rep.count("figure-cell")
                fig_qid = qid
            if fig.get("caption") and not excluded:
                cap = self.tr(str(fig["caption"]).strip(), d.line, "caption")
                fig_caption = cap
                options.append(f"#| fig-cap: {quote_attr(cap)}")
            if img.get("alt") and not excluded:
                alt = self.tr(str(img["alt"]).strip(), d.line, "alt")
                options.append(f"#| fig-alt: {quote_attr(alt)}")
        for key in meta:
            rep.warn(d.line, f"code-cell option {key!r} not mapped; dropped")
        if "notebook-only" in tags and self.target != "notebook":
            rep.count("cell-notebook-only")
            return []
        if "book-only" in tags and self.target == "notebook":
            rep.count("cell-book-only")
            return []
        rep.count("code-cell")
        self.cell_count += 1
        if not fig_qid:
            options.insert(0, f"#| label: cell-{self.stem}-{self.cell_count}")
        source = d.body.rstrip("\n")
        if d.arg and d.arg.split()[0] not in ("ipython3", "python3", "python", "ipython"):
            rep.warn(d.line, f"code-cell language {d.arg!r} treated as Python")
        chunks = [Chunk(d.line, cell=Cell(source, options, tags, d.line))]
        if self.target == "notebook" and fig_qid:
            word = REF_WORDS[self.opt.lang]["fig"]
            chunks.append(Chunk(d.line, f"**{word} {self.shown_number(self.stem, self.fig_numbers[fig_qid])}:** "
                                        + self.notebook_text(fig_caption, d.line)))
        return chunks

    def _only(self, d: Directive) -> list[Chunk]:
        expr = d.arg.strip().lower()
        # "latex"/"pdf" blocks are the print fallbacks of interactive content. Quarto's "pdf" format
        # matches LaTeX only, not typst (the book's PDF), so they are shown in every non-HTML format.
        fmt = {"html": "html", "latex": "pdf", "pdf": "pdf", "revealjs": "revealjs"}.get(expr)
        self.report.count(f"only-{expr or 'none'}")
        if self.target == "notebook" and fmt is not None and fmt != "html":
            self.report.note(f"line {d.line}: {{only}} {expr} block left out of the notebook")
            return []
        if fmt is None:
            self.report.warn(d.line, f"{{only}} {d.arg!r}: only 'html' or 'latex' are understood; shown everywhere")
            return self._sub(d.body, d.body_line)
        chunks = self._sub(d.body, d.body_line)
        if self.target == "notebook":
            return chunks
        cond = 'unless-format="html"' if fmt == "pdf" else f'when-format="{fmt}"'
        return [Chunk(d.line, f"::: {{.content-visible {cond}}}\n{self._join(chunks)}\n:::")]

    def _raw(self, d: Directive) -> list[Chunk]:
        fmt = d.arg.strip().lower() or "html"
        self.report.count(f"raw-{fmt}")
        if self.target == "notebook":
            if fmt == "html":
                self.report.note(f"line {d.line}: raw HTML (explorer embed) replaced by a note in the notebook")
                return [Chunk(d.line, f"*{NOTES[self.opt.lang]['widget']}*")]
            self.report.note(f"line {d.line}: raw {fmt} left out of the notebook")
            return []
        body = d.body.rstrip("\n")
        return [Chunk(d.line, f"```{{={fmt}}}\n{body}\n```")]
