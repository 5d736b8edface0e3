"""Parse MyST Markdown into a syntax tree with markdown-it-py + mdit-py-plugins.

HTML comments are handled first (see :mod:`myst2qmd.comments`): they are found as
``html_block`` tokens of a first parse, classified, and blanked out of the source
(line numbers are preserved) before the real parse. Directive bodies are parsed
with the same function, so comments inside a directive are handled the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from .comments import Comment, classify_comment


def make_parser() -> MarkdownIt:
    """The MyST dialect the book uses: CommonMark + tables + MyST extensions.

    ``text_join`` is disabled so backslash escapes and entities stay separate
    ``text_special`` tokens whose ``markup`` is the original source text.
    """
    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(front_matter_plugin)
        .use(colon_fence_plugin)
        .use(dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=True,
             double_inline=True)
        .use(amsmath_plugin)
        .use(myst_role_plugin)
        .use(myst_block_plugin)
        .use(footnote_plugin, inline=False)
    )
    md.disable("text_join")
    return md


_MD = make_parser()


@dataclass
class Parsed:
    """A parsed MyST text: tree, comments found, front matter (dict) and lines."""

    tree: SyntaxTreeNode
    comments: list[Comment]
    front_matter: dict
    front_matter_lines: int
    source: str
    line_offset: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def strip_comments(text: str, line_offset: int = 0) -> tuple[str, list[Comment]]:
    """Find top-level HTML comment blocks, classify them, blank their lines.

    Returns the source with every comment block replaced by empty lines (so later
    line numbers are unchanged) and the list of classified comments.
    """
    lines = text.split("\n")
    comments: list[Comment] = []
    for tok in _MD.parse(text):
        if tok.type != "html_block" or tok.map is None:
            continue
        stripped = tok.content.lstrip()
        if not stripped.startswith("<!--"):
            continue
        start, end = tok.map
        body = tok.content
        trailing = ""
        close = body.find("-->")
        if close >= 0:
            trailing = body[close + 3:].strip()
        comments.append(classify_comment(body, start + line_offset + 1, end + line_offset))
        for i in range(start, end):
            lines[i] = ""
        if trailing:
            # Content after "-->" on the closing line (e.g. "::: -->" closes inside).
            # Text after the close is live content: keep it on the last line.
            lines[end - 1] = trailing
    text = "\n".join(lines)
    # A comment opened inside a paragraph and closed after a blank line is no html_block
    # and no html_inline: its "<!--" stays text. Blank it up to its "-->" and parse again.
    for _ in range(100):
        found = _open_inline_comment(text)
        if found is None:
            break
        start, end = found
        line = text.count("\n", 0, start) + 1
        end_line = text.count("\n", 0, end) + 1
        comments.append(classify_comment(text[start:end], line + line_offset, end_line + line_offset))
        text = text[:start] + "".join(ch if ch == "\n" else " " for ch in text[start:end]) + text[end:]
    return text, comments


def _open_inline_comment(text: str) -> tuple[int, int] | None:
    """Offsets of the first comment that starts in running text and spans blocks."""
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for tok in _MD.parse(text):
        if tok.type != "inline" or tok.map is None:
            continue
        for child in tok.children or []:
            if child.type == "text" and "<!--" in child.content:
                first = line_starts[tok.map[0]]
                last = line_starts[tok.map[1]] if tok.map[1] < len(line_starts) else len(text)
                start = text.find("<!--", first, last)
                if start < 0:
                    continue
                close = text.find("-->", start + 4)
                end = len(text) if close < 0 else close + 3
                return start, end
    return None


_IMAGES_META = re.compile(r"\{\{<\s*meta\s+params\.images_path\s*>\}\}")


def normalise_source(text: str) -> str:
    """A UTF-8 BOM and Windows/old-Mac line ends are accepted silently: dropped / → ``\\n``.
    Quarto's ``{{< meta params.images_path >}}`` prefix (spaces: no valid Markdown link
    target) is read as ``images/``, the folder every image path is taken relative to."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return _IMAGES_META.sub("images/", text)


def read_source(path) -> str:
    """The text of a source file (UTF-8), normalised by :func:`normalise_source`."""
    with open(path, encoding="utf-8", newline="") as fh:
        return normalise_source(fh.read())


def unclosed_fences(tokens, lines: list[str], line_offset: int) -> list[tuple[int, str]]:
    """``(line, message)`` for every code or colon fence that runs to the end of its text
    because its closing fence is missing (markdown-it then swallows everything after it)."""
    out = []
    for tok in tokens:
        if tok.type not in ("fence", "colon_fence") or tok.map is None:
            continue
        start, end = tok.map
        last = lines[end - 1].strip() if end - 1 < len(lines) else ""
        char = tok.markup[0]
        closed = end - start >= 2 and last and set(last) == {char} and len(last) >= len(tok.markup)
        if not closed:
            what = tok.info.strip().split()[0] if tok.info.strip() else tok.markup
            out.append((start + 1 + line_offset,
                        f"{tok.markup}{what} is never closed: it would swallow the rest of the text"))
    return out


def parse(text: str, line_offset: int = 0) -> Parsed:
    """Parse ``text``; ``line_offset`` is added to report lines (0-based tokens → 1-based)."""
    cleaned, comments = strip_comments(text, line_offset)
    tokens = _MD.parse(cleaned)
    front: dict = {}
    fm_lines = 0
    errors: list[tuple[int, str]] = unclosed_fences(tokens, cleaned.split("\n"), line_offset)
    if tokens and tokens[0].type == "front_matter":
        try:
            loaded = yaml.safe_load(tokens[0].content) or {}
            front = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError as exc:
            errors.append((line_offset + 1, f"front matter is not valid YAML: {exc}"))
        fm_lines = tokens[0].map[1] if tokens[0].map else 0
    tree = SyntaxTreeNode(tokens)
    return Parsed(tree, comments, front, fm_lines, cleaned, line_offset, errors)


@dataclass
class Directive:
    """A MyST directive: ``name``, argument string, options and body text."""

    name: str
    arg: str
    options: dict
    body: str
    body_line: int  # 1-based source line of the first body line
    line: int  # 1-based line of the opening fence
    raw: str = ""  # the fence's content exactly as written (options included)


_DIRECTIVE_INFO = re.compile(r"^\{[A-Za-z][\w:.-]*\}")


def is_directive(info: str) -> bool:
    """``{name} args`` opens a MyST directive; ``{.class}`` / ``{#id}`` are Pandoc attributes."""
    return _DIRECTIVE_INFO.match(info.strip()) is not None


def split_directive(info: str, content: str, line: int) -> Directive:
    """Split a fence ``{name} arg`` + content into a :class:`Directive`.

    Options come either as a ``---``-delimited YAML block or as leading
    ``:key: value`` lines; one blank line after the options is skipped.
    """
    info = info.strip()
    close = info.index("}")
    name = info[1:close].strip()
    arg = info[close + 1:].strip()
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    options: dict = {}
    i = 0
    if lines and lines[0].strip() == "---":
        for j in range(1, len(lines)):
            if lines[j].strip() == "---":
                try:
                    loaded = yaml.safe_load("\n".join(lines[1:j])) or {}
                except yaml.YAMLError as exc:
                    raise ValueError(f"directive {{{name}}}: option block is not valid YAML: {exc}")
                if not isinstance(loaded, dict):
                    raise ValueError(f"directive {{{name}}}: option block must be a mapping")
                options = loaded
                i = j + 1
                break
    else:
        while i < len(lines) and lines[i].startswith(":") and lines[i].count(":") >= 2:
            key, _, value = lines[i][1:].partition(":")
            if not key or " " in key.strip():
                break
            value = value.strip()
            try:
                parsed_value = yaml.safe_load(value) if value else True
            except yaml.YAMLError:
                parsed_value = value
            options[key.strip()] = parsed_value if not isinstance(parsed_value, (dict,)) else value
            i += 1
    if i < len(lines) and i > 0 and lines[i].strip() == "":
        i += 1
    body = "\n".join(lines[i:])
    return Directive(name, arg, options, body, line + 1 + i, line, content.rstrip("\n"))
