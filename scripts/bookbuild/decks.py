"""Render the reveal.js decks: ``slides/<lang>/<stem>.qmd`` → ``_book/<lang>/slides/<stem>.html``.

A deck holds only the cells of its chapter that are on a slide, so on its own it could not run
(the imports and data live in cells between the slides). :func:`executable_deck` therefore inserts,
before each of the deck's cells, every chapter cell that precedes it and is not on a slide, as a
hidden cell (``include: false``): the deck executes exactly the code the chapter executes, in the
same order, and shows only its own cells. Figure cells on a slide show the figure, not its code.

Each deck is rendered on its own, outside the book project (a temporary folder that mirrors the
repository's layout, so relative image paths hold), with ``embed-resources``: the deck is one
self-contained HTML file — reveal.js, its styles and the figures inlined, math as MathML — that an
instructor can copy anywhere and present offline.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import config

CELL = re.compile(r"^```\{python\}\n(.*?)^```$", re.MULTILINE | re.DOTALL)
#: cell options that must not be repeated in hidden copies (labels are unique; captions show)
HIDDEN_DROP = ("label", "fig-cap", "fig-alt", "code-fold", "echo", "include", "output")


@dataclass(frozen=True)
class Cell:
    options: tuple[str, ...]   # the "#| key: value" lines
    source: str                # the code without its option lines

    @property
    def text(self) -> str:
        return "\n".join((*self.options, self.source))


def _cells(qmd: str) -> list[tuple[re.Match, Cell]]:
    out = []
    for m in CELL.finditer(qmd):
        lines = m.group(1).rstrip("\n").split("\n")
        opts = tuple(l for l in lines if l.startswith("#|"))
        body = "\n".join(l for l in lines if not l.startswith("#|"))
        out.append((m, Cell(opts, body.strip("\n"))))
    return out


def _option(line: str) -> str:
    return line[2:].split(":", 1)[0].strip()


def _hidden(cell: Cell) -> str:
    opts = [o for o in cell.options if _option(o) not in HIDDEN_DROP]
    return "```{python}\n" + "\n".join(["#| include: false", *opts, cell.source]) + "\n```"


def _shown(cell: Cell) -> str:
    """A deck cell: a figure cell (code folded in the chapter) shows its figure without code."""
    opts = ["#| echo: false" if _option(o) == "code-fold" else o for o in cell.options]
    return "```{python}\n" + "\n".join([*opts, cell.source]) + "\n```"


def executable_deck(deck: str, chapter: str, name: str = "deck") -> str:
    """``deck`` with the chapter's other cells inserted, hidden, where the chapter runs them.

    Raises ``ValueError`` naming the deck when one of its cells is not a cell of the chapter (in
    the chapter's order) — the deck would then show code the chapter never ran.
    """
    chapter_cells = [c for _, c in _cells(chapter)]
    pos = 0
    parts, last = [], 0
    for m, cell in _cells(deck):
        for j in range(pos, len(chapter_cells)):
            if chapter_cells[j].source == cell.source:
                break
        else:
            first = cell.source.splitlines()[0] if cell.source else ""
            raise ValueError(f"{name}: deck cell {first!r}… is not a cell of its chapter "
                             f"(after the chapter's cell {pos}); regenerate with `make convert`")
        hidden = [_hidden(c) for c in chapter_cells[pos:j]]
        parts.append(deck[last:m.start()])
        parts.append("".join(h + "\n\n" for h in hidden) + _shown(cell))
        last, pos = m.end(), j + 1
    parts.append(deck[last:])
    return "".join(parts)


def deck_metadata(lang: str, root: Path = config.ROOT) -> str:
    """``_metadata.yml`` for a deck rendered outside the project (absolute paths into the repo)."""
    r = root.resolve()
    return f"""format:
  revealjs:
    theme: [default, {r / 'assets/theme/slides.scss'}]
    embed-resources: true
    highlight-style: github
    code-line-numbers: false
    slide-number: true
    width: 1280
    height: 720
    # MathML: the browser typesets it natively, so the self-contained deck needs no script or font
    # for math (Quarto's KaTeX loader adds katex.min.js by URL at view time: not embeddable).
    html-math-method: mathml
    include-after-body:
      - {r / '_explorers.html'}
      - {r / '_lang-switch.html'}
lang: {lang}
bibliography: {r / 'references.bib'}
execute:
  eval: true
  echo: true       # reveal.js hides code by default; a deck shows the code its slide is about
  warning: true
"""


def render_decks(run, lang: str, root: Path = config.ROOT, log=print) -> list[Path]:
    """Render every deck of ``lang``; ``run(cmd, cwd)`` runs Quarto. Returns the HTML files."""
    out_dir = root / "_book" / lang / "slides"
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = []
    decks = sorted((root / "slides" / lang).glob("[0-9]*.qmd"))
    with tempfile.TemporaryDirectory(prefix="cfs-decks-") as tmp:
        work = Path(tmp) / "slides" / lang
        work.mkdir(parents=True)
        (Path(tmp) / "assets").symlink_to((root / "assets").resolve())
        (work / "_metadata.yml").write_text(deck_metadata(lang, root), encoding="utf-8")
        shutil.copy2(root / "slides" / lang / "_macros.qmd", work / "_macros.qmd")
        for deck in decks:
            chapter = config.generated("chapters", lang, deck.stem, root)
            text = executable_deck(deck.read_text(encoding="utf-8"), chapter.read_text(encoding="utf-8"),
                                   name=str(deck.relative_to(root)))
            src = work / deck.name
            src.write_text(text, encoding="utf-8")
            run(["render", str(src), "--to", "revealjs"], work)
            html = work / f"{deck.stem}.html"
            dest = out_dir / html.name
            shutil.copy2(html, dest)
            outputs.append(dest)
            log(f"  deck: {dest.relative_to(root)} ({dest.stat().st_size / 1e6:.1f} MB)")
    return outputs
