"""Emit stage: the book chapter — front matter, macros include, the rendered chunks and a
references section when the chapter cites."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .frontmatter import finish, front_matter, header_comment

if TYPE_CHECKING:  # pragma: no cover
    from .convert import FileConverter
    from .model import Chunk, Options

REFS_HEADING = {"de": "Literatur", "en": "References"}


def join_chunks(conv: "FileConverter", chunks: list["Chunk"]) -> str:
    parts = []
    for c in chunks:
        if c.cell is not None:
            parts.append(conv.cell_text(c.cell))
        elif c.text:
            parts.append(c.text)
    return "\n\n".join(parts)


def references_section(conv: "FileConverter", options: "Options") -> str:
    if not conv.citations:
        return ""
    return f"## {REFS_HEADING[options.lang]} {{.unnumbered}}\n\n::: {{#refs}}\n:::"


def assemble_qmd(conv: "FileConverter", chunks: list["Chunk"], options: "Options", source: str) -> str:
    has_code = any(c.cell is not None for c in chunks)
    parts = [front_matter(conv, options, has_code=has_code), header_comment(source, options.lang)]
    body = join_chunks(conv, chunks)
    if body:
        parts.append(body)
    refs = references_section(conv, options)
    if refs:
        parts.append(refs)
        conv.report.count("references-section")
    text = "\n\n".join(p.rstrip("\n") for p in parts) + "\n"
    return finish(text, options.images_path, options.macros)
