"""Build orchestration of the book: convert, verify, execute, render (``python scripts/book.py``).

Modules, in build order:

- :mod:`.config`   paths, the two language profiles, the configured repository URL
- :mod:`.assets`   offline KaTeX copy, generated include files, per-directory Quarto metadata
- :mod:`.convert`  runs ``myst2qmd`` and arranges chapters/, slides/, notebooks/
- :mod:`.verify`   checks without Quarto: references, citations, images, EN/DE parity, lint
- :mod:`.execute`  runs each chapter's notebook through a Jupyter kernel and times it
- :mod:`.render`   Quarto, when it is on PATH (or installable)
- :mod:`.cli`      the subcommands behind the Makefile targets
"""
