"""Decks worth presenting, checked on the generated reveal.js sources (slides/<lang>/*.qmd).

One idea per slide: no slide is a title alone, none shows more than 60 words of text at a time
(code and display math do not count as words, inline math counts as one; a quiz answer revealed
as the next fragment counts on its own), and every deck shows at least one figure. The rendered decks
are checked in Chromium by test_rendered_site.py (``quarto`` marker).
"""
from __future__ import annotations

import re

import pytest

from bookbuild import config

MAX_WORDS = 60


def slides(deck: str) -> list[tuple[str, str]]:
    """(title, body) of every slide: a level-1 or level-2 heading starts one (Quarto's rule)."""
    body = deck.split("\n---\n", 1)[1] if deck.startswith("---\n") else deck
    body = re.sub(r"^```.*?^```$", "CODE", body, flags=re.M | re.S)      # headings inside code are code
    out, title, lines = [], None, []
    for line in body.split("\n"):
        m = re.match(r"^(#{1,2}) (.*?)(?: \{[^}]*\})?$", line)
        if m:
            if title is not None:
                out.append((title, "\n".join(lines)))
            title, lines = m.group(2), []
        elif title is not None:
            lines.append(line)
    if title is not None:
        out.append((title, "\n".join(lines)))
    return out


def prose_words(body: str) -> int:
    text = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    text = re.sub(r"^CODE$", " ", text, flags=re.M)
    text = re.sub(r"\$\$.*?\$\$(?: \{#[^}]*\})?", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", " MATH ", text)                    # inline math reads as one word
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?", " ", text)
    text = re.sub(r"^:{3,}.*$|^\. \. \.$", " ", text, flags=re.M)
    text = re.sub(r"\[@[^\]]*\]|@[\w-]+", " REF ", text)
    return len(re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text))


def fragment_words(body: str) -> list[int]:
    """Words of each step of a slide: a pause (``. . .``) starts the next fragment."""
    return [prose_words(part) for part in re.split(r"^\. \. \.$", body, flags=re.M)]


def has_content(body: str) -> bool:
    return bool(re.search(r"\S", re.sub(r"<!--.*?-->", "", body, flags=re.S)))


def has_figure(deck: str) -> bool:
    return bool(re.search(r"^#\| label: fig-|^!\[|\{\{< (?:video|embed) ", deck, flags=re.M))


def _decks():
    return sorted(p for lang in config.LANGS for p in (config.ROOT / "slides" / lang).glob("[0-9]*.qmd"))


@pytest.mark.parametrize("deck", _decks(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_slide_has_content_and_at_most_60_words(deck):
    found = slides(deck.read_text(encoding="utf-8"))
    assert found, f"{deck}: no slides"
    empty = [t for t, b in found if not has_content(b)]
    wordy = {t: fragment_words(b) for t, b in found if max(fragment_words(b)) > MAX_WORDS}
    assert empty == [], f"{deck.name}: slides with a title only"
    assert wordy == {}, f"{deck.name}: slides over {MAX_WORDS} words"


@pytest.mark.parametrize("deck", _decks(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_deck_shows_a_figure(deck):
    assert has_figure(deck.read_text(encoding="utf-8")), f"{deck.name}: no figure on any slide"


def test_the_slide_checks_see_what_a_reader_sees():
    deck = ("---\ntitle: T\n---\n\n# Part\n\n## Idea {.smaller}\n\nOne $x + y$ two [@key] three.\n\n"
            "```{python}\n#| label: fig-a\n# not a heading\nplot()\n```\n\n## Empty\n\n<!-- note -->\n")
    found = slides(deck)
    assert [t for t, _ in found] == ["Part", "Idea", "Empty"]
    assert prose_words(found[1][1]) == 5 and has_figure(deck)
    assert fragment_words("Question one two?\n\n. . .\n\nAnswer three.\n") == [3, 2]
    assert [t for t, b in found if not has_content(b)] == ["Part", "Empty"]
