"""Transform stage: the block kinds of a parsed file (headings, paragraphs, lists, tables,
footnotes, display math, raw HTML) as a mixin of :class:`~myst2qmd.convert.FileConverter`."""
from __future__ import annotations

import re

from .i18n import NOTES
from .inline import html_tags
from .labels import Target, quarto_label
from .model import Chunk
from .parser import is_directive, split_directive


class BlockMixin:
    """Block-level rendering; uses the state and helpers of ``FileConverter``."""

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
        if t in ("fence", "colon_fence") and is_directive(node.info.strip()):
            try:
                d = split_directive(node.info.strip(), node.content, line)
            except ValueError as exc:
                rep.error(line, str(exc))
                return []
            return self._directive(d, node.markup, line)
        if t == "fence":
            info = node.info.strip()
            rep.count("code-block")
            return [Chunk(line, f"{node.markup}{info}\n{node.content}{node.markup}")]
        if t == "colon_fence":
            info = node.info.strip()
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

    def _heading(self, node, line: int, label) -> list[Chunk]:
        level = int(node.tag[1])
        self.report.count("heading")
        text = _heading_text(self.tr(self._inline(node.children[0], line), line, "heading"))
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
            self.register(label[0], "sec", qid, title=text, line=label[1])
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
        self.register(raw_label, "eq", qid, self.eq_numbers[qid], line=line)
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
            if not a.get("src", "").strip():
                self.report.error(line, "<iframe> without src: nothing to show or link to")
            if self.target == "notebook":
                word = NOTES[self.opt.lang]["video"]
                title = a.get("title") or word
                return [Chunk(line, f"{word}: [{title}]({a.get('src', '')})")]
            # Quarto's video shortcode: a player in HTML and revealjs, a link in PDF.
            title = a.get("title", "").replace('"', "'")
            attrs = f' title="{title}"' if title else ""
            return [Chunk(line, f"{{{{< video {a.get('src', '')}{attrs} >}}}}")]
        self.report.count("html")
        return [Chunk(line, content)]


def _heading_text(text: str) -> str:
    """Pandoc strips a trailing ``#`` run and reads a trailing ``{…}`` as attributes, where
    markdown-it kept both as text: escape them."""
    if re.search(r"(?<!\\)#+$", text):
        text = re.sub(r"(#+)$", lambda m: "\\" + "\\".join(m.group(1)), text)
    m = re.search(r"(?<!\\)\{[^{}]*\}$", text)
    if m:
        text = text[:m.start()] + "\\" + text[m.start():]
    return text


_DISPLAY_MATH = re.compile(r"^(?:\$\$|\\begin\{)")


def _prefix(text: str, prefix: str) -> str:
    return "\n".join((prefix + ln) if ln else prefix.rstrip() for ln in text.split("\n"))
