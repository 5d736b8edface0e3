"""Cross-reference labels: MyST names → Quarto identifiers, and a registry.

Quarto identifiers carry their kind as a prefix (``fig-``, ``eq-``, ``sec-``, ``tbl-``) and
should avoid ``_`` and ``:``. Rule: strip a known kind prefix written with ``-``, ``:`` or
``_``, replace ``:`` and ``_`` by ``-``, then prepend the kind:
``eq:demo-size`` → ``eq-demo-size``, ``demo_receptive`` (section) → ``sec-demo-receptive``,
``fig-demo-mlp`` → ``fig-demo-mlp``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("fig", "eq", "sec", "tbl", "exr")
_ALIASES = {"fig": "fig", "figure": "fig", "eq": "eq", "equation": "eq", "sec": "sec",
            "section": "sec", "tbl": "tbl", "table": "tbl", "tab": "tbl", "ex": "exr", "exr": "exr",
            "exercise": "exr"}


def normalise(raw: str) -> str:
    """``raw`` with ``:``/``_``/spaces → ``-`` (no kind handling)."""
    out = raw.strip()
    for ch in ":_ ":
        out = out.replace(ch, "-")
    return out


def split_kind(raw: str) -> tuple[str | None, str]:
    """``("eq", "demo-size")`` for ``eq:demo-size``; ``(None, raw)`` without a kind prefix."""
    text = normalise(raw)
    head, sep, rest = text.partition("-")
    if sep and rest and head.lower() in _ALIASES:
        return _ALIASES[head.lower()], rest
    return None, text


def quarto_label(raw: str, kind: str) -> str:
    """The Quarto identifier for MyST label ``raw`` of ``kind`` (fig/eq/sec/tbl)."""
    _, base = split_kind(raw)
    return f"{kind}-{base}"


@dataclass
class Target:
    """A referenceable thing: its kind, Quarto id, file stem, number and title."""

    kind: str
    qid: str
    stem: str
    number: int = 0  # in the book
    title: str = ""
    numbers: dict[str, int] = field(default_factory=dict)  # per target: "book", "notebook"


@dataclass
class Registry:
    """Labels of all sources converted together (for ``{ref}`` across files)."""

    targets: dict[str, Target] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # file stem → chapter title

    def add(self, raw: str, target: Target) -> None:
        self.targets[raw] = target
        self.targets[normalise(raw)] = target
        self.targets[target.qid] = target

    def find(self, raw: str) -> Target | None:
        for key in (raw, normalise(raw)):
            if key in self.targets:
                return self.targets[key]
        _, base = split_kind(raw)
        for kind in KINDS:
            hit = self.targets.get(f"{kind}-{base}")
            if hit is not None:
                return hit
        return None
