"""Exercises and solutions (sphinx-exercise syntax) for the three targets.

MyST input::

    :::{exercise} Optional title        :::{solution} ex-label       :::{solution-start} ex-label
    :label: ex-label                    :class: dropdown             :class: dropdown
                                                                     :::
    Text …                              Text, ```python blocks.      Text, {code-cell}s …
    :::                                 :::                          :::{solution-end}
                                                                     :::

Output:

* book — ``::: {#exr-label name="Title"}`` (Quarto's theorem-like exercise, numbered per
  chapter and cross-referenceable as ``@exr-label``); a solution is a collapsed callout
  ``::: {.callout-tip collapse="true" title="Lösung zu @exr-label"}``; the gated form
  (``solution-start`` … ``solution-end``) wraps everything between the two markers, code
  cells included, in that callout.
* slides — the exercise as in the book; solutions are left out.
* notebook — ``**Übung 3.2** (Title)`` / ``**Exercise 3.2**`` numbered like the book (with
  ``--chapter-numbers``); the solution's text inside ``<details><summary>Lösung zu Übung
  3.2</summary> … </details>``; a solution holding code cells gets an empty starter code
  cell (``# Ihre Lösung``, tagged ``exercise-starter``) before it and its own code cells
  collapsed (``jupyter.source_hidden``).

Labels are normalised like every other label (``ex-a_b`` → ``exr-a-b``); an exercise
without ``:label:`` gets ``exr-<stem>-<n>``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import REF_WORDS, TITLES
from .inline import quote_attr
from .labels import quarto_label
from .model import STARTER_TAG, Cell, Chunk
from .parser import Directive, is_directive, split_directive

if TYPE_CHECKING:  # pragma: no cover
    from .convert import FileConverter

EXERCISE_DIRECTIVES = ("exercise", "solution", "solution-start", "solution-end")
STARTER_TEXT = {"de": "# Ihre Lösung", "en": "# Your solution"}
SOLUTION_FOR = {"de": "zu", "en": "to"}
_KNOWN_OPTIONS = {"label", "class", "nonumber", "hidden"}


def directive_of(node, offset: int = 0) -> Directive | None:
    """The directive a ``fence``/``colon_fence`` node opens (lines shifted by ``offset``), or None."""
    if node.type not in ("fence", "colon_fence") or not is_directive(node.info):
        return None
    line = (node.map[0] + 1 + offset) if node.map else offset
    try:
        return split_directive(node.info.strip(), node.content, line)
    except ValueError:
        return None  # reported where the directive is rendered


class ExerciseRenderer:
    """Renders exercise/solution directives for :class:`~myst2qmd.convert.FileConverter`."""

    def __init__(self, conv: "FileConverter") -> None:
        self.conv = conv
        self.numbers: dict[str, int] = {}  # exr id → number in the current target

    def reset(self) -> None:
        self.numbers = {}

    def _check_options(self, d: Directive) -> None:
        for key in d.options:
            if key not in _KNOWN_OPTIONS:
                self.conv.report.warn(d.line, f"{{{d.name}}} option {key!r} not mapped; dropped")

    # -- exercise ---------------------------------------------------------------
    def exercise(self, d: Directive) -> list["Chunk"]:
        conv = self.conv
        self._check_options(d)
        conv.report.count("exercise")
        raw = str(d.options.get("label") or "").strip()
        qid = quarto_label(raw, "exr") if raw else f"exr-{conv.stem}-{len(self.numbers) + 1}"
        self.numbers.setdefault(qid, len(self.numbers) + 1)
        title = ""
        if d.arg.strip():
            title = conv.tr(conv.inline_text(d.arg.strip(), d.line), d.line, "exercise-title")
        conv.register(raw or qid, "exr", qid, self.numbers[qid], title=title, line=d.line)
        chunks = conv.sub(d.body, d.body_line)
        if conv.target == "notebook":
            word = REF_WORDS[conv.opt.lang]["exr"]
            head = f"**{word} {conv.shown_number(conv.stem, self.numbers[qid])}**"
            if title:
                head += f" ({conv.notebook_text(title, d.line)})"
            return [Chunk(d.line, head)] + chunks
        name = f" name={quote_attr(title)}" if title else ""
        return [Chunk(d.line, f"::: {{#{qid}{name}}}\n{conv.join(chunks)}\n:::")]

    # -- solutions --------------------------------------------------------------
    def _title(self, d: Directive) -> str:
        """"Lösung zu @exr-x" (book) / "Lösung zu Übung 3.2" (notebook); "Lösung" without a target."""
        conv = self.conv
        word = TITLES[conv.opt.lang]["solution"]
        raw = d.arg.strip()
        if not raw:
            conv.report.error(d.line, f"{{{d.name}}} names no exercise (write {{{d.name}}} ex-label)")
            return word
        target = conv.registry.find(raw)
        if target is None or target.kind != "exr":
            target = conv.registry.find(quarto_label(raw, "exr"))
        if target is None or target.kind != "exr":
            conv.report.error(d.line, f"{{{d.name}}} {raw}: no exercise with this label in the converted sources")
            return word
        return f"{word} {SOLUTION_FOR[conv.opt.lang]} {conv.notebook_text('@' + target.qid, d.line) if conv.target == 'notebook' else '@' + target.qid}"

    def solution(self, d: Directive) -> list["Chunk"]:
        self._check_options(d)
        self.conv.report.count("solution")
        return self._wrap(d, self.conv.sub(d.body, d.body_line))

    def gated(self, d: Directive, inner: list["Chunk"]) -> list["Chunk"]:
        self._check_options(d)
        self.conv.report.count("solution-gated")
        return self._wrap(d, inner)

    def _wrap(self, d: Directive, chunks: list["Chunk"]) -> list["Chunk"]:
        conv = self.conv
        title = self._title(d)
        if conv.target == "slides":
            return []
        if conv.target != "notebook":
            head = f"::: {{.callout-tip collapse=\"true\" title={quote_attr(title)}}}"
            return [Chunk(d.line, f"{head}\n{conv.join(chunks)}\n:::")]
        return details_chunks(chunks, title, d.line, STARTER_TEXT[conv.opt.lang])


def details_chunks(chunks: list["Chunk"], summary: str, line: int, starter: str | None = None) -> list["Chunk"]:
    """Notebook form of collapsed content: each run of text in ``<details><summary>…``, code
    cells between them with their source collapsed; with ``starter``, an empty code cell
    (tagged ``exercise-starter``) before it all when there is code to write."""
    out: list[Chunk] = []
    if starter is not None and any(c.cell is not None for c in chunks):
        out.append(Chunk(line, cell=Cell(starter, [], [STARTER_TAG], line)))
    text: list[str] = []

    def flush() -> None:
        if text:
            body = "\n\n".join(text)
            out.append(Chunk(line, f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"))
            text.clear()

    for c in chunks:
        if c.cell is not None:
            flush()
            c.cell.hidden = True
            out.append(c)
        elif c.text:
            text.append(c.text)
    flush()
    return out


def gated_region(nodes: list, start: int, offset: int, report) -> int | None:
    """Index of the ``{solution-end}`` closing the ``{solution-start}`` at ``nodes[start]``.

    None (and an error) when the region is never closed or a second start comes first.
    """
    opening = directive_of(nodes[start], offset)
    for j in range(start + 1, len(nodes)):
        d = directive_of(nodes[j])
        if d is None:
            continue
        name = d.name.lower()
        if name == "solution-end":
            return j
        if name == "solution-start":
            break
    report.error(opening.line, f"{{solution-start}} {opening.arg.strip()} is not closed by "
                               "{solution-end} before the next {solution-start} or the end of its block")
    return None
