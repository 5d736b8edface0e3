"""Per-file conversion report: constructs by kind, warnings, errors, translation state."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


def source_name(path: Path) -> str:
    """The path shown in reports and headers: relative to the working directory when inside it."""
    rel = os.path.relpath(Path(path).resolve(), Path.cwd().resolve())
    return Path(rel).as_posix() if not rel.startswith("..") else Path(path).name


@dataclass
class Report:
    """What happened to one source file. Lines are 1-based source lines (0 = whole file)."""

    source: str
    constructs: Counter = field(default_factory=Counter)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    untranslated: list[tuple[int, str]] = field(default_factory=list)
    fuzzy: list[tuple[int, str]] = field(default_factory=list)
    segments: int = 0
    outputs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mute: bool = False  # set while rendering the 2nd/3rd target: count constructs once

    def count(self, kind: str, n: int = 1) -> None:
        if not self.mute:
            self.constructs[kind] += n

    def warn(self, line: int, msg: str) -> None:
        item = (line, msg)
        if item not in self.warnings:
            self.warnings.append(item)

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)

    def error(self, line: int, msg: str) -> None:
        item = (line, msg)
        if item not in self.errors:
            self.errors.append(item)

    def failed(self, strict: bool) -> bool:
        """True when the conversion must exit non-zero."""
        if self.errors:
            return True
        return strict and bool(self.warnings or self.untranslated or self.fuzzy)

    def where(self, line: int) -> str:
        """``file:line`` (editors jump there); just ``file`` for whole-file problems (line 0)."""
        return f"{self.source}:{line}" if line else self.source

    def format(self) -> str:
        """The human-readable report printed by the CLI."""
        out = [f"{self.source}"]
        for path in self.outputs:
            out.append(f"  wrote {path}")
        if self.constructs:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.constructs.items()))
            out.append(f"  converted: {kinds}")
        for note in self.notes:
            out.append(f"  note: {note}")
        out.append(f"  translation: {self.segments} segments, {len(self.untranslated)} untranslated,"
                   f" {len(self.fuzzy)} fuzzy")
        for line, text in self.untranslated[:20]:
            out.append(f"    untranslated line {line}: {_short(text)}")
        if len(self.untranslated) > 20:
            out.append(f"    ... and {len(self.untranslated) - 20} more untranslated")
        for line, text in self.fuzzy[:20]:
            out.append(f"    fuzzy line {line}: {_short(text)}")
        out.append(f"  warnings: {len(self.warnings)}")
        for line, msg in sorted(self.warnings):
            out.append(f"    {self.where(line)}: {msg}")
        out.append(f"  errors: {len(self.errors)}")
        for line, msg in sorted(self.errors):
            out.append(f"    {self.where(line)}: {msg}")
        return "\n".join(out)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
