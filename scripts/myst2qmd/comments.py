"""Classify HTML comments of a MyST lecture.

Comments carry meaning in the legacy lectures:

* ``<!-- ### BEGIN LATEX EXPORT ... ### END LATEX EXPORT -->`` — Beamer code for the old
  PDF slides: removed from book and notebook; its ``frame`` environments with text are
  offered to the slides target.
* ``<!-- ### BEGIN SLIDE -->`` / ``<!-- ### END SLIDE -->`` / ``<!-- Title: X -->`` —
  slide markers, captured for the slides target.
* anything else is commented-out content (maybe hiding directives, headings, figures):
  dropped everywhere, and counted so the content accounting knows it was intentional.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Comment:
    """One HTML comment block. ``line``/``end_line`` are 1-based, inclusive."""

    kind: str  # "latex-export" | "slide-begin" | "slide-end" | "slide-title" | "dropped"
    text: str  # the comment body without <!-- -->
    line: int
    end_line: int
    title: str = ""
    unclosed: bool = False  # no "-->": the comment swallows the rest of the file


def _body(raw: str) -> str:
    text = raw.strip()
    if text.startswith("<!--"):
        text = text[4:]
    close = text.rfind("-->")
    if close >= 0:
        text = text[:close]
    return text.strip()


def classify_comment(raw: str, line: int, end_line: int) -> Comment:
    """Classify the HTML comment block ``raw`` found at ``line``..``end_line``."""
    comment = _classify(raw, line, end_line)
    comment.unclosed = "-->" not in raw
    return comment


def _classify(raw: str, line: int, end_line: int) -> Comment:
    body = _body(raw)
    head = body.lstrip("#").strip().upper()
    if head.startswith("BEGIN LATEX EXPORT"):
        inner = body.split("\n", 1)[1] if "\n" in body else ""
        end = inner.rfind("### END LATEX EXPORT")
        if end >= 0:
            inner = inner[:end]
        return Comment("latex-export", inner.strip("\n"), line, end_line)
    if head == "BEGIN SLIDE":
        return Comment("slide-begin", body, line, end_line)
    if head == "END SLIDE":
        return Comment("slide-end", body, line, end_line)
    if body.startswith("Title:") and "\n" not in body:
        return Comment("slide-title", body, line, end_line, title=body[len("Title:"):].strip())
    return Comment("dropped", body, line, end_line)
