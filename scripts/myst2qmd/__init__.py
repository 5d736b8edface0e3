"""myst2qmd — convert the book's German MyST lectures to Quarto, slides and notebooks.

Pipeline: parse (markdown-it-py + mdit-py-plugins, HTML comments first) → render per
target (:mod:`myst2qmd.convert`) → translate segments with gettext catalogs
(:mod:`myst2qmd.i18n`) → assemble and account for content (:mod:`myst2qmd.document`,
:mod:`myst2qmd.accounting`). Command line: :mod:`myst2qmd.cli`.

Decisions worth knowing (see the module docstrings for the rest):

* ``{admonition} Frage`` → ``.callout-tip`` titled **Frage**/**Question**;
  ``:class: dropdown`` → ``collapse="true"`` with a ``title="…"`` attribute (Quarto needs
  a title for a collapsible callout); other callouts ``appearance="simple"`` + bold title.
* ``{cite}`a``` opening a sentence → ``@a`` (author-in-text), otherwise ``[@a; @b]``.
* GIF figures: the figure div twice, inside ``.content-visible when-format="html"`` (the
  GIF) and ``unless-format="html"`` (a first-frame PNG written next to the GIF with
  pillow), both with the same ``#fig-`` id. Quarto removes conditional content before it
  resolves cross-references, so each format sees exactly one target.
* A references section ``## References {.unnumbered}`` + ``::: {#refs}`` (German
  "Literatur") is appended when the chapter cites.
"""
from .document import convert_sources  # noqa: F401

__all__ = ["convert_sources"]
