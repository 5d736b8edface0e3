"""myst2qmd — convert the book's German MyST lectures to Quarto, slides and notebooks.

Pipeline, in one-way stages (README "Structure"): parse (markdown-it-py + mdit-py-plugins,
HTML comments first; :mod:`myst2qmd.parser`) → transform per target, translating segments
with gettext catalogs (:mod:`myst2qmd.convert`, :mod:`myst2qmd.i18n`) → emit (:mod:`myst2qmd.book`,
:mod:`myst2qmd.slides`, :mod:`myst2qmd.notebook`) → account for content
(:mod:`myst2qmd.accounting`); :mod:`myst2qmd.document` runs it, :mod:`myst2qmd.cli` is the
command line.

Decisions worth knowing (see the module docstrings for the rest):

* ``{admonition} Frage`` → ``.callout-tip`` titled **Frage**/**Question**;
  ``:class: dropdown`` → ``collapse="true"`` with a ``title="…"`` attribute (Quarto needs
  a title for a collapsible callout); other callouts ``appearance="simple"`` + bold title.
* ``{cite}``/``{cite:p}`` → ``[@a; @b]`` (parenthetical), ``{cite:t}`` → ``@a`` (narrative).
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
