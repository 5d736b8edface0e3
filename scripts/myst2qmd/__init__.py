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
* GIF figures (typst/LaTeX cannot embed GIFs): one figure div, one ``#fig-`` id, one
  caption; inside it the GIF in ``.content-visible when-format="html"`` and a first-frame
  PNG (written next to the GIF with pillow, ``x-frame0.png``) in
  ``.content-visible unless-format="html"``. References work in every format and the
  label exists once (a duplicated figure div would be a duplicate label).
* A references section ``## References {.unnumbered}`` + ``::: {#refs}`` (German
  "Literatur") is appended when the chapter cites.
"""
from .document import convert_sources  # noqa: F401

__all__ = ["convert_sources"]
