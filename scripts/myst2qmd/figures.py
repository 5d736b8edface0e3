"""Transform stage: figures (``figure-md``, ``figure``), images and GIF stills, as a mixin
of :class:`~myst2qmd.convert.FileConverter`."""
from __future__ import annotations

import io
import re
from pathlib import PurePosixPath

from .i18n import REF_WORDS
from .inline import SHORTCODE, html_tags, quote_attr, width_attr
from .labels import quarto_label
from .model import Chunk
from .parser import Directive, parse
from .report import source_name


class FigureMixin:
    """Figures and images; uses the state and helpers of ``FileConverter``."""

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
        if src.startswith(SHORTCODE):
            return src  # the Quarto form, accepted as input too
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
        if not src.strip():
            self.report.error(line, "image without a source (an <img> needs src=\"…\")")
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
        for err_line, msg in parsed.errors:
            rep.error(err_line, msg)
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
        if not raw_label:
            rep.error(d.line, f"{{{d.name}}} without a label: Quarto numbers and references only "
                              "labelled figures (write {figure-md} fig-name)")
        if qid:
            self.fig_numbers.setdefault(qid, len(self.fig_numbers) + 1)
            self.register(raw_label, "fig", qid, self.fig_numbers[qid], line=d.line)
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
            self.report.warn(line, f"GIF {source_name(gif)} not found; PDF still {png.name} not written")
            return still_src
        from PIL import Image

        with Image.open(gif) as im:
            im.seek(0)
            frame = im.convert("RGBA")
            buf = io.BytesIO()
            frame.save(buf, format="PNG", optimize=False)
        data = buf.getvalue()
        self.files[png] = data  # written with the outputs, only when the whole run succeeds
        self.report.count("gif-still")
        return still_src


def _angle(path: str) -> str:
    return f"<{path}>" if " " in path.replace(SHORTCODE, "") else path
