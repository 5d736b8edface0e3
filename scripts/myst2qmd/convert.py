"""Block-level conversion: a parsed MyST file → chunks of Quarto Markdown and code cells.

One renderer serves all three targets; ``target`` ("book", "slides", "notebook") switches
the few rules that differ (callouts as block quotes and cross-references as text in
notebooks, scaled figures in slides, ...). Each top-level chunk remembers its source line,
so the slides target can pick the chunks inside ``BEGIN SLIDE`` blocks.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .comments import Comment
from .i18n import BUILTIN_TITLE_KIND, NOTES, REF_WORDS, TITLES, Translator
from .inline import SHORTCODE, InlineRenderer, html_tags, quote_attr, width_attr
from .labels import Registry, Target, quarto_label, split_kind
from .macros import unknown_commands
from .notebook import INSTALL_PACKAGE
from .parser import Directive, Parsed, is_directive, parse, split_directive
from .report import Report

CALLOUT_KINDS = {"note": "note", "tip": "tip", "hint": "tip", "warning": "warning",
                 "attention": "warning", "danger": "warning", "error": "warning",
                 "caution": "caution", "important": "important", "seealso": "note"}
TAG_OPTIONS = {"hide-input": "echo: false", "remove-input": "echo: false",
               "remove-cell": "include: false", "remove-output": "output: false",
               "hide-output": "output: false", "skip-execution": "eval: false",
               "raises-exception": "error: true"}
TARGET_TAGS = {"notebook-only", "book-only"}
KNOWN_TAGS = set(TAG_OPTIONS) | TARGET_TAGS | {"hide-cell", "full-width", "margin", "thebe-init"}


@dataclass
class Cell:
    """A code cell: source, Quarto ``#|`` options, notebook tags, its line."""

    source: str
    options: list[str]
    tags: list[str]
    line: int


@dataclass
class Chunk:
    """A piece of output: Markdown text or a code cell, with its source line."""

    line: int
    text: str | None = None
    cell: Cell | None = None
    kind: str = ""  # "h2" for level-2 headings (slides use them as section slides)


@dataclass
class Options:
    """Conversion settings shared by all files of one run."""

    lang: str = "de"
    images_path: str = "images/"
    notebook_images_path: str | None = None
    images_dir: Path | None = None  # images on disk (for GIF first frames)
    macros: dict[str, str] = field(default_factory=dict)
    macros_include: str | None = None  # e.g. "_macros.qmd"
    repo_url: str | None = None
    # Quarto's chapter number (or appendix letter) per file stem, e.g. {"03-padding": "1"}: the
    # notebooks then say "Figure 1.2" like the book; files not listed number from 1 ("Figure 2").
    chapter_numbers: dict[str, str] = field(default_factory=dict)
    install_package: str = INSTALL_PACKAGE  # pip name[extras] installed from repo_url in Colab; "" = no install cell
    branch: str = "main"
    notebook_dir: str = "notebooks"
    strict: bool = False


class FileConverter:
    """Converts one source file. ``render(target)`` may be called once per target."""

    def __init__(self, path: Path, text: str, options: Options, registry: Registry,
                 translator: Translator, report: Report, source_name: str | None = None):
        self.path = path
        self.stem = path.stem
        self.source_name = source_name or path.name
        self.text = text
        self.opt = options
        self.registry = registry
        self.tr = translator
        self.report = report
        self.parsed: Parsed = parse(text)
        for line, msg in self.parsed.errors:
            report.error(line, msg)
        self.comments: list[Comment] = list(self.parsed.comments)
        for c in self.comments:
            if c.unclosed:
                report.warn(c.line, "HTML comment is never closed: everything after it is dropped")
        self.title: str | None = None
        self.citations: list[str] = []
        self.target = "book"
        self.fig_numbers: dict[str, int] = {}
        self.eq_numbers: dict[str, int] = {}
        self.footnotes: dict[str, int] = {}
        self.used_macros: dict[str, int] = {}

    # -- helpers used by the inline renderer ----------------------------
    def note_math(self, tex: str, line: int) -> None:
        for name in unknown_commands(tex):
            self.used_macros.setdefault(name, line)

    def footnote_number(self, label: str) -> int:
        """Footnotes numbered in order of first use (for notebooks)."""
        return self.footnotes.setdefault(str(label), len(self.footnotes) + 1)

    def register(self, raw: str, kind: str, qid: str, number: int = 0, title: str = "") -> None:
        """Record a label; numbers are kept per target (book and notebook may differ when
        cells or blocks exist in one target only)."""
        old = self.registry.targets.get(qid)
        target = old if (old is not None and old.stem == self.stem and old.kind == kind) else \
            Target(kind, qid, self.stem)
        if number:
            target.numbers[self.target] = number
            target.number = target.numbers.get("book", number)
        if title:
            target.title = title
        self.registry.add(raw, target)

    def cite(self, key: str) -> None:
        if key not in self.citations:
            self.citations.append(key)

    def resolve(self, raw: str, role: str, line: int) -> Target:
        """The target of a ``{ref}``/``{numref}``/``{eq}`` (a guess, reported, if unknown)."""
        target = self.registry.find(raw)
        if target is not None:
            return target
        kind, _ = split_kind(raw)
        guess = {"eq": "eq", "numref": "fig"}.get(role, kind or "sec")
        self.report.warn(line, f"{{{role}}} target {raw!r} is not defined in the converted sources")
        return Target(kind or guess, quarto_label(raw, kind or guess), self.stem)

    def link_target(self, href: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("#"):
            return href
        path, hash_, frag = href.partition("#")
        if path.endswith(".md") or path.endswith(".ipynb"):
            new = str(PurePosixPath(path).with_suffix(".qmd"))
            return new + hash_ + frag
        if "images/" in path:
            return self.image_path(path)
        return href

    def image_path(self, src: str) -> str:
        """``./images/x.png`` → ``{{< meta params.images_path >}}x.png``."""
        if re.match(r"^[a-z]+:", src):
            return src
        parts = PurePosixPath(src).parts
        if "images" in parts:
            rel = "/".join(parts[len(parts) - 1 - parts[::-1].index("images") + 1:])
        else:
            rel = "/".join(p for p in parts if p not in (".",))
        return SHORTCODE + rel

    def image_markdown(self, src: str, caption: str, alt: str, line: int, width: str = "",
                       title: str | None = None, classes: str = "", keep_width: bool = True) -> str:
        """A Markdown image; ``alt`` → ``fig-alt`` (translated), width px → ``width=N``.

        Always the book form (so translation segments do not depend on the target);
        :func:`myst2qmd.notebook.plain_refs` turns it into plain Markdown for notebooks.
        """
        self.report.count("image")
        if re.match(r"^https?:", src):
            self.report.warn(line, f"remote image {src} is fetched at read time; store it under assets/images")
        path = self.image_path(src)
        attrs = []
        if classes:
            attrs.append(classes)
        w = width_attr(width)
        if w and keep_width:
            attrs.append(f"width={w}" if re.fullmatch(r"[\w.%]+", w) else f"width={quote_attr(w)}")
        if alt:
            attrs.append(f"fig-alt={quote_attr(self.tr(alt, line, 'alt'))}")
        tail = f' "{title}"' if title else ""
        attr_text = "{" + " ".join(attrs) + "}" if attrs else ""
        return f"![{caption}]({_angle(path)}{tail}){attr_text}"

    # -- entry point --------------------------------------------------------
    def render(self, target: str) -> list[Chunk]:
        self.target = target
        self.report.mute = target != "book"
        self.citations = []
        self.fig_numbers, self.eq_numbers = {}, {}
        self.title = None
        self.footnotes: dict[str, int] = {}
        self.last_level = 1
        self.cell_count = 0
        chunks = self._nodes(self.parsed.tree.children, 0)
        if target == "book":
            for name, line in sorted(self.used_macros.items(), key=lambda kv: kv[1]):
                if name not in self.opt.macros:
                    self.report.warn(line, f"macro \\{name} is used but not defined (pass --macros FILE)")
        return chunks

    # -- blocks -------------------------------------------------------------
    def _nodes(self, nodes, offset: int) -> list[Chunk]:
        out: list[Chunk] = []
        pending: tuple[str, int] | None = None
        for node in nodes:
            line = (node.map[0] + 1 + offset) if node.map else offset
            if node.type == "myst_target":
                if pending:
                    self._orphan_target(pending, out)
                pending = (node.content, line)
                continue
            label = None
            if pending and node.type == "heading":
                label = pending
                pending = None
            elif pending:
                self._orphan_target(pending, out)
                pending = None
            out.extend(self._node(node, line, offset, label))
        if pending:
            self._orphan_target(pending, out)
        return out

    def _orphan_target(self, pending: tuple[str, int], out: list[Chunk]) -> None:
        raw, line = pending
        qid = quarto_label(raw, "sec")
        self.report.warn(line, f"target ({raw})= is not followed by a heading; kept as anchor #{qid}")
        out.append(Chunk(line, f'<a id="{qid}"></a>' if self.target == "notebook" else f"[]{{#{qid}}}"))
        self.register(raw, "sec", qid, title=raw)

    def _inline(self, node, line: int) -> str:
        return InlineRenderer(self, line).render(node)

    def _node(self, node, line: int, offset: int, label) -> list[Chunk]:
        t = node.type
        rep = self.report
        if t == "front_matter":
            return []
        if t == "heading":
            return self._heading(node, line, label)
        if t == "paragraph":
            rep.count("paragraph")
            text = self.tr(self._inline(node.children[0], line), line, "paragraph")
            return [Chunk(line, self._text(text, line))]
        if t in ("bullet_list", "ordered_list"):
            return [Chunk(line, self._list(node, line, offset))]
        if t == "blockquote":
            inner = self._join(self._nodes(node.children, offset))
            return [Chunk(line, _prefix(inner, "> "))]
        if t == "fence":
            info = node.info.strip()
            if is_directive(info):
                return self._directive(split_directive(info, node.content, line), node.markup, line)
            rep.count("code-block")
            return [Chunk(line, f"{node.markup}{info}\n{node.content}{node.markup}")]
        if t == "colon_fence":
            info = node.info.strip()
            if is_directive(info):
                return self._directive(split_directive(info, node.content, line), node.markup, line)
            rep.count("div")
            body = self._join(self._sub(node.content, line + 1))
            return [Chunk(line, f"::: {info}\n{body}\n:::" if info else f":::\n{body}\n:::")]
        if t == "code_block":
            rep.count("code-block")
            return [Chunk(line, _prefix(node.content.rstrip("\n"), "    "))]
        if t in ("math_block", "math_block_label"):
            rep.count("equation")
            self.note_math(node.content, line)
            return [self._math(node.content.strip("\n"), node.info if t == "math_block_label" else None, line)]
        if t == "amsmath":
            rep.count("equation-environment")
            self.note_math(node.content, line)
            return [Chunk(line, node.content.strip("\n"))]
        if t == "html_block":
            return self._html_block(node.content, line)
        if t == "table":
            rep.count("table")
            return [Chunk(line, self._table(node, line))]
        if t == "hr":
            return [Chunk(line, "* * *")]
        if t == "myst_line_comment":
            rep.count("comment-dropped")
            return []
        if t == "myst_block_break":
            rep.count("block-break")
            return []
        if t == "footnote_block":
            return self._footnotes(node, offset)
        rep.warn(line, f"unknown block {t!r} kept verbatim")
        return [Chunk(line, node.content or "")]

    def _sub(self, text: str, first_line: int) -> list[Chunk]:
        """Parse and render a directive body starting at 1-based ``first_line``."""
        parsed = parse(text, first_line - 1)
        self.comments.extend(parsed.comments)
        for c in parsed.comments:
            if c.kind != "dropped":
                self.report.warn(c.line, f"{c.kind} comment inside a directive ignored")
        return self._nodes(parsed.tree.children, first_line - 1)

    def _join(self, chunks: list[Chunk]) -> str:
        parts = []
        for c in chunks:
            if c.cell is not None:
                parts.append(self.cell_text(c.cell))
            elif c.text is not None:
                parts.append(c.text)
        return "\n\n".join(p for p in parts if p != "")

    def _text(self, text: str, line: int = 0) -> str:
        if self.target == "notebook":
            return self.notebook_text(text, line)
        return text

    def _heading(self, node, line: int, label) -> list[Chunk]:
        level = int(node.tag[1])
        self.report.count("heading")
        text = self.tr(self._inline(node.children[0], line), line, "heading")
        if level == 1 and self.title is None:
            self.title = text
            self.registry.titles[self.stem] = text
            if label:
                # The title lives in the front matter and cannot carry an id: references to
                # it become links to the chapter file.
                self.registry.add(label[0], Target("chapter", f"{self.stem}.qmd", self.stem, title=text))
                self.report.count("chapter-target")
            return []
        if level > 1 and level > self.last_level + 1:
            new = self.last_level + 1
            self.report.warn(line, f"heading level {level} after level {self.last_level}: written as level {new}")
            level = new
        self.last_level = max(level, 2) if level > 1 else 1
        attr = ""
        if label:
            qid = quarto_label(label[0], "sec")
            self.register(label[0], "sec", qid, title=text)
            attr = f" {{#{qid}}}"
            if self.target == "notebook":
                attr = ""
        if level == 1:
            self.report.warn(line, "a second level-1 heading starts a new chapter part in Quarto")
        return [Chunk(line, f"{'#' * level} {self._text(text, line)}{attr}", kind=f"h{level}")]

    def _list(self, node, line: int, offset: int) -> str:
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        items = []
        tight = all(getattr(p, "hidden", False) for item in node.children for p in item.children
                    if p.type == "paragraph")
        for i, item in enumerate(node.children):
            marker = (f"{start + i}{node.markup}" if ordered else node.markup) + " "
            body = self._join(self._nodes(item.children, offset))
            if tight:
                body = body.replace("\n\n", "\n")
            lines = body.split("\n") if body else [""]
            pad = " " * len(marker)
            items.append("\n".join([marker + lines[0]] + [(pad + ln) if ln else "" for ln in lines[1:]]))
            self.report.count("list-item")
        return ("\n" if tight else "\n\n").join(items)

    def _table(self, node, line: int) -> str:
        rows: list[list[str]] = []
        aligns: list[str] = []
        for section in node.children:
            for tr in section.children:
                cells = []
                for cell in tr.children:
                    cl = (tr.map[0] + 1) if tr.map else line
                    text = self._inline(cell.children[0], cl) if cell.children else ""
                    text = self._text(self.tr(text, cl, "table-cell"), cl).replace("|", "\\|")
                    cells.append(text.replace("\n", " "))
                    if section.type == "thead":
                        style = cell.attrs.get("style", "")
                        aligns.append("left" if "left" in style else "right" if "right" in style
                                      else "center" if "center" in style else "")
                rows.append(cells)
        if not rows:
            return ""
        sep = []
        for a in aligns or [""] * len(rows[0]):
            sep.append({"left": ":---", "right": "---:", "center": ":---:"}.get(a, "---"))
        lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(sep) + " |"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def _footnotes(self, node, offset: int) -> list[Chunk]:
        out = []
        for fn in node.children:
            if fn.type != "footnote":
                continue
            label = fn.meta.get("label", fn.meta.get("id"))
            kids = [k for k in fn.children if k.type != "footnote_anchor"]
            body = self._join(self._nodes(kids, offset))
            line = (fn.map[0] + 1 + offset) if fn.map else 0
            self.report.count("footnote")
            if self.target == "notebook":
                # Jupyter has no footnotes: a numbered line at the place of the definition.
                out.append(Chunk(line, f"<sup>{self.footnote_number(label)}</sup> {body}"))
                continue
            out.append(Chunk(line, f"[^{label}]: " + body.replace("\n", "\n    ")))
        return out

    def _math(self, tex: str, raw_label: str | None, line: int) -> Chunk:
        if not raw_label:
            return Chunk(line, f"$$\n{tex}\n$$")
        qid = quarto_label(raw_label, "eq")
        self.eq_numbers[qid] = len(self.eq_numbers) + 1
        self.register(raw_label, "eq", qid, self.eq_numbers[qid])
        self.report.count("equation-label")
        if self.target == "notebook":
            return Chunk(line, f"$$\n{tex} \\tag{{{self.shown_number(self.stem, self.eq_numbers[qid])}}}\n$$")
        return Chunk(line, f"$$\n{tex}\n$$ {{#{qid}}}")

    def _html_block(self, content: str, line: int) -> list[Chunk]:
        content = content.rstrip("\n")
        tags = html_tags(content)
        first = tags[0][0] if tags else ""
        if first == "img" and len(tags) == 1:
            a = tags[0][1]
            return [Chunk(line, self._text(self.image_markdown(a.get("src", ""), "", a.get("alt", ""),
                                                               line, width=a.get("width", ""))))]
        if first == "iframe":
            self.report.count("iframe")
            a = tags[0][1]
            if self.target == "notebook":
                word = NOTES[self.opt.lang]["video"]
                title = a.get("title") or word
                return [Chunk(line, f"{word}: [{title}]({a.get('src', '')})")]
            return [Chunk(line, "::: {.content-visible when-format=\"html\"}\n```{=html}\n"
                                f"{content}\n```\n:::")]
        self.report.count("html")
        return [Chunk(line, content)]

    # -- directives -----------------------------------------------------------
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

    def _figure(self, d: Directive) -> list[Chunk]:
        rep = self.report
        rep.count("figure")
        raw_label = d.arg if d.name.lower() == "figure-md" else d.options.get("name", "")
        raw_label = str(raw_label or "").strip()
        src, alt, width = "", "", ""
        caption_nodes = []
        if d.name.lower() == "figure":
            src, alt, width = d.arg, str(d.options.get("alt", "")), str(d.options.get("width", ""))
        parsed = parse(d.body, d.body_line - 1)
        self.comments.extend(parsed.comments)
        for node in parsed.tree.children:
            nline = node.map[0] + d.body_line if node.map else d.body_line
            if not src and node.type == "html_block":
                tags = html_tags(node.content)
                if tags and tags[0][0] == "img":
                    a = tags[0][1]
                    src, alt, width = a.get("src", ""), a.get("alt", ""), a.get("width", "")
                    continue
            if not src and node.type == "paragraph":
                kids = node.children[0].children
                real = [k for k in kids if not (k.type == "text" and not k.content.strip())]
                if len(real) == 1 and real[0].type in ("image", "html_inline"):
                    k = real[0]
                    if k.type == "image":
                        src = k.attrs.get("src", "")
                        alt = "".join(c.content for c in k.children)
                        continue
                    tags = html_tags(k.content)
                    if tags and tags[0][0] == "img":
                        a = tags[0][1]
                        src, alt, width = a.get("src", ""), a.get("alt", ""), a.get("width", "")
                        continue
            caption_nodes.append((node, nline))
        caption_parts = []
        extra: list[Chunk] = []
        for node, nline in caption_nodes:
            if node.type == "paragraph":
                caption_parts.append(self.tr(self._inline(node.children[0], nline), nline, "caption"))
            else:
                extra.extend(self._node(node, nline, d.body_line - 1, None))
        caption = "\n".join(caption_parts)
        if len(caption_parts) > 1:
            rep.warn(d.line, "figure has several caption paragraphs; joined into one")
        if not src:
            rep.error(d.line, f"figure {raw_label or '(unnamed)'} has no image")
        qid = quarto_label(raw_label, "fig") if raw_label else ""
        if qid:
            if qid in self.fig_numbers:
                new = f"{qid}-{len(self.fig_numbers) + 1}"
                rep.warn(d.line, f"duplicate figure label {qid} renamed to {new}")
                qid = new
            self.fig_numbers[qid] = len(self.fig_numbers) + 1
            self.register(raw_label, "fig", qid, self.fig_numbers[qid])
        if self.target == "notebook":
            number = self.fig_numbers.get(qid)
            word = REF_WORDS[self.opt.lang]["fig"]
            img = self.notebook_text(self.image_markdown(src, "", alt, d.line, width=width))
            head = f"**{word} {self.shown_number(self.stem, number)}:** " if number else ""
            body = img + ("\n\n" + head + self.notebook_text(caption, d.line) if caption else "")
            return [Chunk(d.line, body)] + extra
        is_gif = src.lower().endswith(".gif")
        classes = ""
        keep = self.target != "slides"
        img = self.image_markdown(src, "", alt, d.line, width=width, classes=classes, keep_width=keep)
        if is_gif:
            # One figure, one label; the image differs by format (GIFs cannot go into PDF).
            rep.count("gif-figure")
            still = self.gif_still(src, d.line)
            still_img = self.image_markdown(still, "", alt, d.line, width=width, classes=classes,
                                            keep_width=keep)
            img = (f"::: {{.content-visible when-format=\"html\"}}\n{img}\n:::\n\n"
                   f"::: {{.content-visible unless-format=\"html\"}}\n{still_img}\n:::")
        head = f":::: {{#{qid}}}" if qid else ":::: {}"
        text = f"{head}\n{img}\n\n{caption}\n::::" if caption else f"{head}\n{img}\n::::"
        if not is_gif:
            text = text.replace("::::", ":::")
        return [Chunk(d.line, text)] + extra

    def gif_still(self, src: str, line: int) -> str:
        """Path of the first-frame PNG for a GIF, written next to it with pillow."""
        still_src = re.sub(r"\.gif$", "-frame0.png", src, flags=re.IGNORECASE)
        if self.opt.images_dir is None:
            self.report.warn(line, f"GIF {src}: no images directory given; PDF uses {still_src}, not written")
            return still_src
        rel = self.image_path(src)[len(SHORTCODE):]
        gif = self.opt.images_dir / rel
        png = gif.with_name(gif.stem + "-frame0.png")
        if not gif.exists():
            from .document import source_name

            self.report.warn(line, f"GIF {source_name(gif)} not found; PDF still {png.name} not written")
            return still_src
        from PIL import Image

        with Image.open(gif) as im:
            im.seek(0)
            frame = im.convert("RGBA")
            buf = io.BytesIO()
            frame.save(buf, format="PNG", optimize=False)
        data = buf.getvalue()
        if not png.exists() or png.read_bytes() != data:
            png.write_bytes(data)
        self.report.count("gif-still")
        return still_src

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
            md = parse(custom_title).tree
            inline = md.children[0].children[0] if md.children and md.children[0].children else None
            rendered = self._inline(inline, d.line) if inline is not None else custom_title
            title = self.tr(rendered, d.line, "callout-title")
        else:
            title = TITLES[self.opt.lang].get(title_kind, TITLES[self.opt.lang]["note"])
        chunks = self._sub(d.body, d.body_line)
        if self.target == "notebook":
            return self._quote_chunks(chunks, f"**{self.notebook_text(title, d.line)}**", d.line)
        body = self._join(chunks)
        if dropdown:
            head = f"::: {{.callout-{kind} collapse=\"true\" title={quote_attr(title)}}}"
            return [Chunk(d.line, f"{head}\n{body}\n:::")]
        head = f"::: {{.callout-{kind} appearance=\"simple\"}}\n**{title}**"
        return [Chunk(d.line, f"{head}\n\n{body}\n:::")]

    def _quote_chunks(self, chunks: list[Chunk], head: str, line: int) -> list[Chunk]:
        out: list[Chunk] = []
        buf = [head]
        for c in chunks:
            if c.cell is not None:
                self.report.warn(c.line, "code cell inside a callout: the notebook shows it after the quote")
                out.append(Chunk(line, _prefix("\n\n".join(buf), "> ")))
                out.append(c)
                buf = []
            elif c.text:
                buf.append(c.text)
        if buf:
            out.append(Chunk(line, _prefix("\n\n".join(buf), "> ")))
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
                self.register(str(fig["name"]), "fig", qid, self.fig_numbers[qid])
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

    def shown_number(self, stem: str, number: int) -> str:
        """``number`` as the notebook shows it: "1.2" in chapter 1, "A.1" in appendix A, else "2"."""
        chapter = self.opt.chapter_numbers.get(stem)
        return f"{chapter}.{number}" if chapter else str(number)

    def cell_text(self, cell: Cell) -> str:
        head = "\n".join(cell.options)
        body = f"{head}\n{cell.source}" if head else cell.source
        return f"```{{python}}\n{body}\n```"

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

    # -- notebook text --------------------------------------------------------
    def notebook_text(self, text: str, line: int = 0) -> str:
        """Quarto Markdown → plain Jupyter Markdown: cross-references and citations as text."""
        from .notebook import plain_refs

        return plain_refs(text, self, line)


def _prefix(text: str, prefix: str) -> str:
    return "\n".join((prefix + ln) if ln else prefix.rstrip() for ln in text.split("\n"))


def _angle(path: str) -> str:
    return f"<{path}>" if " " in path.replace(SHORTCODE, "") else path
