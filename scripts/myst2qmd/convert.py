"""Transform stage: a parsed MyST file → chunks of Quarto Markdown and code cells.

One renderer serves all three targets; ``target`` ("book", "slides", "notebook") switches
the few rules that differ (callouts as block quotes and cross-references as text in
notebooks, scaled figures in slides, ...). Each top-level chunk remembers its source line,
so the slides target can pick the chunks inside ``BEGIN SLIDE`` blocks.

:class:`FileConverter` holds the per-file state (labels, numbers, citations, report) and the
block walk; the block kinds live in :mod:`.blocks`, figures and images in :mod:`.figures`,
directives (callouts, code cells, ``only``, ``raw``) in :mod:`.directives`, exercises in
:mod:`.exercises`.
"""
from __future__ import annotations

from pathlib import Path

from .blocks import BlockMixin
from .comments import Comment
from .directives import DirectiveMixin
from .exercises import ExerciseRenderer, directive_of, gated_region
from .figures import FigureMixin
from .i18n import Translator
from .inline import InlineRenderer
from .labels import Registry, Target, quarto_label, split_kind
from .macros import unknown_commands
from .model import Cell, Chunk, Options
from .parser import Parsed, parse
from .plaintext import plain_refs
from .report import Report

__all__ = ["Cell", "Chunk", "FileConverter", "Options"]


class FileConverter(BlockMixin, FigureMixin, DirectiveMixin):
    """Converts one source file. ``render(target)`` may be called once per target."""

    def __init__(self, path: Path, text: str, options: Options, registry: Registry,
                 translator: Translator, report: Report, source_name: str | None = None):
        self.path = path
        self.stem = path.stem
        self.source_name = source_name or path.name
        self.text = text
        self.opt = options
        self.registry = registry
        self.tr = translator
        self.report = report
        self.parsed: Parsed = parse(text)
        for line, msg in self.parsed.errors:
            report.error(line, msg)
        self.comments: list[Comment] = list(self.parsed.comments)
        for c in self.comments:
            if c.unclosed:
                report.error(c.line, "HTML comment <!-- is never closed: everything after it would be dropped")
        self.title: str | None = None
        self.citations: list[str] = []
        self.target = "book"
        self.fig_numbers: dict[str, int] = {}
        self.eq_numbers: dict[str, int] = {}
        self.footnotes: dict[str, int] = {}
        self.used_macros: dict[str, int] = {}
        self.exercises = ExerciseRenderer(self)
        self.files: dict[Path, bytes] = {}

    # -- helpers used by the inline renderer ----------------------------
    def note_math(self, tex: str, line: int) -> None:
        for name in unknown_commands(tex):
            self.used_macros.setdefault(name, line)

    def footnote_number(self, label: str) -> int:
        """Footnotes numbered in order of first use (for notebooks)."""
        return self.footnotes.setdefault(str(label), len(self.footnotes) + 1)

    def register(self, raw: str, kind: str, qid: str, number: int = 0, title: str = "",
                 line: int = 0) -> None:
        """Record a label; numbers are kept per target (book and notebook may differ when
        cells or blocks exist in one target only). Two labels that become the same Quarto id
        are an error naming both lines; every renaming (``fig_a`` → ``fig-a``) is a report note."""
        seen = self.label_lines.get(qid)
        if seen is not None and seen[1] != line:
            self.report.error(line, f"label {raw!r} becomes #{qid}, like label {seen[0]!r} at line {seen[1]}: "
                                    "rename one of them")
        self.label_lines.setdefault(qid, (raw, line))
        old = self.registry.targets.get(qid)
        if old is not None and old.stem != self.stem:
            self.report.error(line, f"label {raw!r} becomes #{qid}, which {old.stem} already defines")
        if raw.strip() != qid and not self.report.mute:
            self.report.note(f"line {line}: label {raw} written as #{qid}")
        target = old if (old is not None and old.stem == self.stem and old.kind == kind) else \
            Target(kind, qid, self.stem)
        if number:
            target.numbers[self.target] = number
            target.number = target.numbers.get("book", number)
        if title:
            target.title = title
        self.registry.add(raw, target)

    def cite(self, key: str) -> None:
        if key not in self.citations:
            self.citations.append(key)

    def resolve(self, raw: str, role: str, line: int) -> Target:
        """The target of a ``{ref}``/``{numref}``/``{eq}`` (a guess, reported, if unknown)."""
        target = self.registry.find(raw)
        if target is not None:
            return target
        kind, _ = split_kind(raw)
        guess = {"eq": "eq", "numref": "fig"}.get(role, kind or "sec")
        self.report.error(line, f"{{{role}}} target {raw!r} is not defined in the converted sources")
        return Target(kind or guess, quarto_label(raw, kind or guess), self.stem)

    # -- entry point --------------------------------------------------------
    def render(self, target: str) -> list[Chunk]:
        self.target = target
        self.report.mute = target != "book"
        self.citations = []
        self.fig_numbers, self.eq_numbers = {}, {}
        self.title = None
        self.footnotes: dict[str, int] = {}
        self.last_level = 1
        self.cell_count = 0
        self.label_lines: dict[str, tuple[str, int]] = {}
        self.exercises.reset()
        chunks = self._nodes(self.parsed.tree.children, 0)
        if target == "book":
            for name, line in sorted(self.used_macros.items(), key=lambda kv: kv[1]):
                if name not in self.opt.macros:
                    self.report.warn(line, f"macro \\{name} is used but not defined (pass --macros FILE)")
        return chunks

    def _nodes(self, nodes, offset: int) -> list[Chunk]:
        out: list[Chunk] = []
        pending: tuple[str, int] | None = None
        nodes = list(nodes)
        i = -1
        while i + 1 < len(nodes):
            i += 1
            node = nodes[i]
            line = (node.map[0] + 1 + offset) if node.map else offset
            d = directive_of(node, offset)
            if d is not None and d.name.lower() == "solution-start":
                end = gated_region(nodes, i, offset, self.report)
                if end is not None:
                    if pending:
                        self._orphan_target(pending, out)
                        pending = None
                    out.extend(self.exercises.gated(d, self._nodes(nodes[i + 1:end], offset)))
                    i = end
                    continue
            if node.type == "myst_target":
                if pending:
                    self._orphan_target(pending, out)
                pending = (node.content, line)
                continue
            label = None
            if pending and node.type == "heading":
                label = pending
                pending = None
            elif pending:
                self._orphan_target(pending, out)
                pending = None
            out.extend(self._node(node, line, offset, label))
        if pending:
            self._orphan_target(pending, out)
        return out

    def _orphan_target(self, pending: tuple[str, int], out: list[Chunk]) -> None:
        raw, line = pending
        qid = quarto_label(raw, "sec")
        self.report.warn(line, f"target ({raw})= is not followed by a heading; kept as anchor #{qid}")
        out.append(Chunk(line, f'<a id="{qid}"></a>' if self.target == "notebook" else f"[]{{#{qid}}}"))
        self.register(raw, "sec", qid, title=raw, line=line)

    def _inline(self, node, line: int) -> str:
        return InlineRenderer(self, line).render(node)

    def inline_text(self, text: str, line: int) -> str:
        """A one-line MyST string (a directive argument) rendered inline."""
        md = parse(text).tree
        inline = md.children[0].children[0] if md.children and md.children[0].children else None
        return self._inline(inline, line) if inline is not None else text

    def _sub(self, text: str, first_line: int) -> list[Chunk]:
        """Parse and render a directive body starting at 1-based ``first_line``."""
        parsed = parse(text, first_line - 1)
        for err_line, msg in parsed.errors:
            self.report.error(err_line, msg)
        self.comments.extend(parsed.comments)
        for c in parsed.comments:
            if c.kind != "dropped":
                self.report.warn(c.line, f"{c.kind} comment inside a directive ignored")
        return self._nodes(parsed.tree.children, first_line - 1)

    def sub(self, text: str, first_line: int) -> list[Chunk]:
        return self._sub(text, first_line)

    def join(self, chunks: list[Chunk]) -> str:
        return self._join(chunks)

    def _join(self, chunks: list[Chunk]) -> str:
        parts = []
        for c in chunks:
            if c.cell is not None:
                parts.append(self.cell_text(c.cell))
            elif c.text is not None:
                parts.append(c.text)
        return "\n\n".join(p for p in parts if p != "")

    def _text(self, text: str, line: int = 0) -> str:
        if self.target == "notebook":
            return self.notebook_text(text, line)
        return text

    def shown_number(self, stem: str, number: int) -> str:
        """``number`` as the notebook shows it: "1.2" in chapter 1, "A.1" in appendix A, else "2"."""
        chapter = self.opt.chapter_numbers.get(stem)
        return f"{chapter}.{number}" if chapter else str(number)

    def cell_text(self, cell: Cell) -> str:
        head = "\n".join(cell.options)
        body = f"{head}\n{cell.source}" if head else cell.source
        return f"```{{python}}\n{body}\n```"

    def notebook_text(self, text: str, line: int = 0) -> str:
        """Quarto Markdown → plain Jupyter Markdown: cross-references and citations as text."""
        return plain_refs(text, self, line)
