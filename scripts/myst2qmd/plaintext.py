"""Transform stage: Quarto Markdown → plain Jupyter Markdown for notebooks.

Jupyter and Colab know no Quarto: cross-references become text with numbers computed by
the converter ("Abbildung 3", "Gleichung (2)"; English "Figure 3", "Equation (2)"),
citations become "Author (Year)" / "(Author Year)" with ``--bibliography`` (else their keys),
the images shortcode becomes a path relative to the notebook, and image attributes
(``{width=… fig-alt=…}``) are dropped (alt text kept).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .bibtex import cite_text
from .i18n import REF_WORDS
from .inline import SHORTCODE
from .placeholders import scan

if TYPE_CHECKING:  # pragma: no cover
    from .convert import FileConverter

_IMG_ATTRS = re.compile(r"(!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\))\{(?P<attrs>[^{}]*)\}")
_FIG_ALT = re.compile(r'fig-alt="((?:\\.|[^"\\])*)"')


_CITE_GROUP = re.compile(r"\[(-?@[\w:.+/-]*\w(?:;\s*-?@[\w:.+/-]*\w)*)\]")


def author_year(text: str, conv: "FileConverter") -> str:
    """With a bibliography: ``[@a; @b]`` → "(A 2016; B 2019)" outside code and math."""
    bib = conv.opt.bibliography
    if not bib:
        return text

    def group(m: re.Match) -> str:
        keys = [k.strip().lstrip("-@") for k in m.group(1).split(";")]
        if not all(k in bib for k in keys):
            return m.group(0)
        return cite_text(keys, bib, conv.opt.lang, narrative=False)

    out, last = [], 0
    for kind, _tok, start, end in scan(text):
        if kind in ("code", "math", "dmath"):
            out.append(_CITE_GROUP.sub(group, text[last:start]) + text[start:end])
            last = end
    out.append(_CITE_GROUP.sub(group, text[last:]))
    return "".join(out)


def plain_refs(text: str, conv: "FileConverter", line: int = 0) -> str:
    """Rewrite Quarto-only syntax of one Markdown text for Jupyter (see module docstring)."""
    words = REF_WORDS[conv.opt.lang]
    text = author_year(text, conv)
    out, last = [], 0
    for kind, tok, start, end in scan(text):
        out.append(_plain(text[last:start], conv))
        last = end
        if kind == "ref":
            out.append(_ref_text(tok, conv, words, line))
        elif kind == "shortcode" and tok == SHORTCODE:
            out.append(conv.opt.notebook_images_path or conv.opt.images_path)
        elif kind == "target" and tok.startswith("](#"):
            out.append(_anchor(tok, conv))
        elif kind == "target":
            new = tok.replace(SHORTCODE, conv.opt.notebook_images_path or conv.opt.images_path)
            new = re.sub(r"\.qmd(?=[)#\s])", ".ipynb", new)
            out.append(new)
        else:
            out.append(tok)
    out.append(_plain(text[last:], conv))
    result = "".join(out)
    # Citations written as [@a; @b] are now [a; b]: keep them as plain bracketed text.
    return _IMG_ATTRS.sub(_plain_image, result)


_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def _plain(text: str, conv: "FileConverter") -> str:
    """Pandoc-only syntax in running text: ``\\ `` (non-breaking space) → U+00A0,
    footnote references ``[^x]`` → superscript numbers, the ``{.myst-role}`` mark dropped
    (the unknown role stays visible as inline code)."""
    text = text.replace("\\ ", "\u00a0").replace("{.myst-role}", "")
    return _FOOTNOTE_REF.sub(lambda m: f"<sup>{conv.footnote_number(m.group(1))}</sup>", text)


def _plain_image(m: re.Match) -> str:
    alt = m.group("alt")
    if not alt:
        hit = _FIG_ALT.search(m.group("attrs"))
        if hit:
            alt = hit.group(1).replace('\\"', '"').replace("\\\\", "\\")
    return f"![{alt}]({m.group('src')}{m.group('title') or ''})"


def _anchor(tok: str, conv: "FileConverter") -> str:
    """``](#sec-x)`` → the anchor Jupyter gives the heading (title, spaces → ``-``)."""
    target = conv.registry.targets.get(tok[3:-1])
    if target is None or target.kind != "sec":
        return tok
    anchor = re.sub(r"\s+", "-", re.sub(r"[`*_$]", "", target.title).strip())
    where = "" if target.stem == conv.stem else f"{target.stem}.ipynb"
    return f"]({where}#{anchor})"


def _ref_text(tok: str, conv: "FileConverter", words: dict, line: int) -> str:
    key = tok.lstrip("-@")
    target = conv.registry.targets.get(key)
    if target is None and conv.opt.bibliography and key in conv.opt.bibliography:
        return cite_text([key], conv.opt.bibliography, conv.opt.lang, narrative=True)
    if target is None:
        return key  # a citation key (or an unresolved label, already reported)
    if target.stem == conv.stem:
        where = ""
    else:
        quote = ("„", "“") if conv.opt.lang == "de" else ("“", "”")
        chapter = conv.registry.titles.get(target.stem, target.stem)
        where = f" {words['in']} {quote[0]}{chapter}{quote[1]}"
    if target.kind == "sec":
        quote = ("„", "“") if conv.opt.lang == "de" else ("“", "”")
        return f"{words['sec']} {quote[0]}{target.title}{quote[1]}{where}"
    number = target.numbers.get("notebook")
    if number is None:
        conv.report.warn(line, f"notebook: {target.qid} is referenced but only the book shows it")
        return f"{words.get(target.kind, target.kind)} ({words['book_only']}){where}"
    shown = conv.shown_number(target.stem, number)
    if target.kind == "eq":
        return f"{words['eq']} ({shown}){where}"
    return f"{words.get(target.kind, target.kind)} {shown}{where}"
