"""Placeholders of a translatable segment: the parts a translator must not touch.

A segment is Quarto Markdown text. Protected spans: inline code, inline math
(``$…$``, ``$$…$$``), shortcodes (``{{< … >}}``), link and image targets (``](…)``),
bare URLs, and ``@`` cross-references/citations. A translation must contain the same
multiset of placeholders; order may change (sentence structure differs by language).
"""
from __future__ import annotations

import re
from collections import Counter

# One alternation, scanned left to right; earlier alternatives win at a position.
_TOKEN = re.compile(
    r"""
    (?P<code>(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks))
  | (?P<shortcode>\{\{<.*?>\}\})
  | (?P<dmath>\$\$.+?\$\$)
  | (?P<math>(?<![\\$])\$(?![\s$])(?:\\.|[^$\\])+?(?<!\s)\$)
  | (?P<target>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\))
  | (?P<url>\b(?:https?|ftp)://[^\s<>)\]]*[^\s<>)\].,;:!?])
  | (?P<ref>(?<![\w@.])-?@[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*\w)?)
    """,
    re.VERBOSE | re.DOTALL,
)


def scan(text: str) -> list[tuple[str, str, int, int]]:
    """``(kind, text, start, end)`` of every placeholder in ``text``, in order."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = next(k for k in ("code", "shortcode", "dmath", "math", "target", "url", "ref")
                    if m.group(k) is not None)
        out.append((kind, m.group(0), m.start(), m.end()))
    return out


def placeholders(text: str) -> Counter:
    """The multiset of placeholder strings in ``text``."""
    return Counter(tok for _, tok, _, _ in scan(text))


def compare(source: str, translation: str) -> list[str]:
    """Human-readable differences: placeholders dropped, added or altered."""
    want, got = placeholders(source), placeholders(translation)
    problems = []
    for tok, n in (want - got).items():
        problems.append(f"missing {tok!r}" + (f" (x{n})" if n > 1 else ""))
    for tok, n in (got - want).items():
        problems.append(f"unexpected {tok!r}" + (f" (x{n})" if n > 1 else ""))
    return problems
