"""Inline MyST → Quarto Markdown (roles, images, escapes), from markdown-it inline trees.

Rules (documented in the package docstring too):

* ``{numref}``/``{ref}``/``{eq}`` → ``@fig-…``/``@sec-…``/``@eq-…``; a word such as "Figure",
  "Abbildung", "Gleichung" right before the role is dropped (Quarto writes the prefix).
  ``{ref}`text <label>``` → ``[text](#id)``.
* ``{cite}`a,b``` / ``{cite:p}`` → ``[@a; @b]`` (parenthetical), ``{cite:t}`a``` → ``@a``
  (narrative: "Dumoulin and Visin (2016) show"); an empty role, a malformed key or (with
  ``--bibliography``) a key not in the bibliography is an error.
* ``{math}`x``` → ``$x$``; ``{sub}``/``{sup}`` → ``~x~``/``^x^``; ``{abbr}``/``{term}`` → text;
  ``{doc}`` → a link to the ``.qmd``; unknown roles → kept verbatim as inline code marked
  ``{.myst-role}`` and reported.
* ``<img>`` (inline) and ``![]()`` → images under ``{{< meta params.images_path >}}``.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING


if TYPE_CHECKING:  # pragma: no cover
    from .convert import FileConverter

SHORTCODE = "{{< meta params.images_path >}}"
_PREFIX_WORD = re.compile(
    r"(?:(?<=\s)|^)(?:Figures?|Fig\.|Abbildung(?:en)?|Abb\.|Gleichung(?:en)?|Gl\.|Equations?|Eq\.|"
    r"Tables?|Tab\.|Tabellen?|Sections?|Sec\.|Abschnitte?|Kapitel|Chapter|Übung(?:en)?|Aufgaben?|Exercises?)(?:\s|~|\u00a0)+$",
    re.IGNORECASE,
)
_EMPTY_ROLE = re.compile(r"\{([a-z][\w:-]*)\}``(?!`)")  # markdown-it leaves an empty role as text
_CITE_KEY = re.compile(r"[A-Za-z0-9_][\w:.+/-]*")
KNOWN_ROLES = {"numref", "ref", "eq", "cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "math",
               "sub", "sup", "abbr", "term", "doc", "download", "code", "kbd", "guilabel"}


class _ImgParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v if v is not None else "") for k, v in attrs}))

    handle_startendtag = handle_starttag


def html_tags(text: str) -> list[tuple[str, dict]]:
    """Start tags and their attributes in an HTML snippet."""
    p = _ImgParser()
    p.feed(text)
    p.close()
    return p.tags


def quote_attr(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def width_attr(width: str) -> str | None:
    """``600px`` → ``600``; ``50%`` stays; ``""`` → None."""
    width = str(width).strip()
    if not width:
        return None
    if width.endswith("px"):
        width = width[:-2].strip()
    return width


def escape_link_text(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


class InlineRenderer:
    """Render an inline syntax tree; ``conv`` supplies labels, report and options."""

    def __init__(self, conv: "FileConverter", line: int) -> None:
        self.conv = conv
        self.line = line

    # -- entry ---------------------------------------------------------
    def render(self, node) -> str:
        out: list[str] = []
        self._children(node, out)
        return "".join(out)

    def _children(self, node, out: list[str]) -> None:
        for child in node.children:
            self._node(child, out)

    def _node(self, node, out: list[str]) -> None:
        t = node.type
        if t == "text":
            for m in _EMPTY_ROLE.finditer(node.content):
                self.conv.report.error(self.line, f"empty {{{m.group(1)}}} role: name at least one "
                                                  + ("citation key" if m.group(1).startswith("cite") else "target"))
            out.append(escape_text(node.content, "".join(out[-1:])))
        elif t == "text_special":
            if node.content.startswith("\\") and node.content == node.markup:
                # a backslash markdown-it keeps (not an escape): literal for Pandoc too
                out.append(escape_text(node.content, "".join(out[-1:])))
            else:
                out.append(node.markup or node.content)
        elif t == "softbreak":
            out.append("\n")
        elif t == "hardbreak":
            out.append("\\\n")
        elif t == "code_inline":
            out.append(code_span(node.content, node.markup))
        elif t == "math_inline":
            out.append(f"${node.content}$")
            self.conv.note_math(node.content, self.line)
        elif t == "math_inline_double":
            out.append(f"$${node.content}$$")
            self.conv.note_math(node.content, self.line)
        elif t in ("em", "strong", "s"):
            inner: list[str] = []
            self._children(node, inner)
            out.append(f"{node.markup}{''.join(inner)}{node.markup}")
        elif t == "link":
            self._link(node, out)
        elif t == "image":
            alt: list[str] = []
            self._children(node, alt)
            out.append(self.conv.image_markdown(node.attrs.get("src", ""), "".join(alt), "",
                                                self.line, title=node.attrs.get("title")))
        elif t == "html_inline":
            self._html_inline(node.content, out)
        elif t == "myst_role":
            self._role(node.meta.get("name", ""), node.content, out)
        elif t == "footnote_ref":
            out.append(f"[^{node.meta.get('label', node.meta.get('id'))}]")
        else:
            self.conv.report.warn(self.line, f"unknown inline token {t!r} kept as text")
            out.append(node.content)

    def _link(self, node, out: list[str]) -> None:
        href = node.attrs.get("href", "")
        inner: list[str] = []
        self._children(node, inner)
        text = "".join(inner)
        if node.markup == "autolink":
            out.append(f"<{text}>")
            return
        if node.markup == "linkify":
            out.append(text)
            return
        href = self.conv.link_target(href)
        title = node.attrs.get("title")
        tail = f' "{title}"' if title else ""
        out.append(f"[{text}]({href}{tail})")

    def _html_inline(self, content: str, out: list[str]) -> None:
        stripped = content.strip()
        if stripped.startswith("<!--"):
            self.conv.report.count("comment-dropped")
            return
        tags = html_tags(stripped)
        if tags and tags[0][0] == "img":
            a = tags[0][1]
            out.append(self.conv.image_markdown(a.get("src", ""), "", a.get("alt", ""), self.line,
                                                width=a.get("width", "")))
            return
        out.append(content)

    # -- roles -----------------------------------------------------------
    def _role(self, name: str, content: str, out: list[str]) -> None:
        conv = self.conv
        conv.report.count(f"role:{name}")
        if name in ("numref", "ref", "eq"):
            text, label = split_title(content)
            if name == "numref" and text and "%s" in text:
                text = None  # numref templates ("Fig. %s"): Quarto writes its own prefix
            target = conv.resolve(label, name, self.line)
            if target.kind == "chapter":
                out.append(f"[{escape_link_text(text or target.title)}]({target.qid})")
                return
            if text and name == "ref":
                out.append(f"[{escape_link_text(text)}](#{target.qid})")
                return
            _drop_prefix_word(out)
            out.append(f"@{target.qid}")
            return
        if name.startswith("cite"):
            keys = [k.strip() for k in content.split(",") if k.strip()]
            for key in keys:
                conv.cite(key)
            if not keys:
                conv.report.error(self.line, f"empty {{{name}}} role: name at least one citation key")
                return
            for key in keys:
                if not _CITE_KEY.fullmatch(key):
                    conv.report.error(self.line, f"{{{name}}} key {key!r} is not a citation key "
                                                 "(letters, digits and _-:.+/ only)")
                elif conv.opt.bib_keys is not None and key not in conv.opt.bib_keys:
                    conv.report.error(self.line, f"{{{name}}} key {key!r} is not in the bibliography")
            if name in ("cite:t", "cite:ts"):
                out.append("; ".join(f"@{k}" for k in keys))
            else:
                # A non-breaking space keeps the citation from starting a line.
                if out and out[-1].endswith(" "):
                    out[-1] = out[-1][:-1] + "\\ "
                out.append("[" + "; ".join(f"@{k}" for k in keys) + "]")
            return
        if name == "math":
            conv.note_math(content, self.line)
            out.append(f"${content}$")
            return
        if name == "sub":
            out.append(f"~{content.replace(' ', chr(92) + ' ')}~")
            return
        if name == "sup":
            out.append(f"^{content.replace(' ', chr(92) + ' ')}^")
            return
        if name in ("abbr", "term", "guilabel"):
            text, _ = split_title(content)
            out.append(text or content)
            return
        if name == "kbd":
            out.append(f"[{content}]{{.kbd}}")
            return
        if name == "code":
            out.append(code_span(content, "`"))
            return
        if name in ("doc", "download"):
            text, target = split_title(content)
            href = conv.link_target(target if name == "download" else target + ".md")
            out.append(f"[{escape_link_text(text or target)}]({href})")
            return
        conv.report.warn(self.line, f"unknown role {{{name}}} kept verbatim")
        conv.report.count("unknown-role")
        raw = "{" + name + "}" + code_span(content, "`")
        out.append(code_span(raw, "``") + "{.myst-role}")


_ESCAPE = re.compile(
    r"""(?P<always>[*$])
      | (?P<under>_)
      | (?P<at>(?<![\w])@(?=[\w{]))
      | (?P<lt><(?=[A-Za-z/!?]))
      | (?P<bracket>\[(?=[@^]|-@|[^\]]*\][(\[{]))
      | (?P<pair>[\^~])
      | (?P<caret>\^(?=\[))""",
    re.VERBOSE,
)


def escape_text(text: str, before: str = "") -> str:
    """Backslash-escape what Pandoc would read as markup in text markdown-it read literally.

    markdown-it has already taken every emphasis, link, code span, math and role it saw, so
    a ``*`` or ``$`` left in a text node is literal; Pandoc may still pair it (its emphasis,
    ``tex_math_dollars``, citations ``@key``, raw HTML ``<tag``, spans ``[x]{…}``, links,
    sub/superscripts ``~x~``/``^x^``, attributes ``{…}`` right after code or a link). Only
    those characters are escaped, so ordinary text stays as written. ``before`` is the
    output so far (for a ``{`` that would attach attributes to the preceding element and an
    ``_`` inside a word).
    """
    def sub(m: re.Match) -> str:
        ch = m.group(0)
        if m.lastgroup == "under":
            i = m.start()
            left = text[i - 1] if i > 0 else (before[-1:] or " ")
            right = text[i + 1] if i + 1 < len(text) else " "
            if left.isalnum() and right.isalnum():
                return ch  # intraword: Pandoc does not emphasise it either
        return "\\" + ch

    # A backslash in a text node is literal for markdown-it (escapes are separate tokens);
    # Pandoc would read "\\word" as raw TeX and a backslash at the line end as a line break.
    out = _ESCAPE.sub(sub, text.replace("\\", "\\\\"))
    if out.startswith("{") and before[-1:] in ("`", ")", "]", "*", "_", "}"):
        out = "\\" + out
    return out


def split_title(content: str) -> tuple[str | None, str]:
    """``"text <label>"`` → ``("text", "label")``; ``"label"`` → ``(None, "label")``."""
    m = re.fullmatch(r"(.*?)\s*<([^<>]+)>\s*", content, re.DOTALL)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2).strip()
    return None, content.strip()


def _drop_prefix_word(out: list[str]) -> None:
    joined = "".join(out)
    m = _PREFIX_WORD.search(joined)
    if m:
        out[:] = [joined[: m.start()]]


def code_span(content: str, markup: str = "`") -> str:
    """An inline code span holding ``content`` (longer fence if it contains backticks)."""
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    fence = "`" * max(len(markup), longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or (
        content.startswith(" ") and content.endswith(" ") and content.strip()) else ""
    return f"{fence}{pad}{content}{pad}{fence}"
