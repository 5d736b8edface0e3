"""The glossary: one term list (``myst/glossary.yml``), the appendix generated from it, and the check
that every technical term a chapter introduces is in the list.

* :func:`load_terms` reads and validates the list (German term, English term, topic, definitions in
  both languages; ``also_en`` for other English spellings).
* :func:`source_text` is the German MyST of the appendix, ``myst/de/91-glossary.md``: one section per
  topic, one paragraph per term, ``**Begriff** (term): Definition``. :func:`english_paragraphs` maps
  each German paragraph to its English one, ``**term** (Begriff): definition``; they fill the
  catalog ``i18n/en/91-glossary.po``, so the appendix goes through the converter like any chapter.
* :func:`glosses` finds the terms a chapter introduces the way the book writes them, "deutscher
  Begriff (english term)": a parenthesis after a German word whose text the English translation of
  the same segment uses outside parentheses (so "(links)", "(hell)" and "Kern (orange)" are not
  terms, "Kreuzentropie (cross-entropy)" is).
  It reads the catalogs, which every chapter has, so chapters written by anyone are checked alike.
* :func:`check_glossary` (part of ``verify``) reports glossed terms missing from the list and an
  appendix or catalog that differs from what the list generates.

``python -m bookbuild.glossary`` (from ``scripts/``) regenerates the appendix and fills its catalog.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import config

TERMS_FILE = Path("myst") / "glossary.yml"
STEM = "91-glossary"
LABEL = "glossary"

FRONT_MATTER = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""
TITLE = {"de": "Glossar", "en": "Glossary"}

# "Begriff (english term)" or "**Begriff** (term)": one to five words of letters, digits, hyphens.
_MATH = re.compile(r"\$[^$]*\$")
_PARENS = re.compile(r"\([^()]*\)")
_GLOSS = re.compile(r"[^\s(]\s\(([A-Za-z][A-Za-z0-9×-]*(?: [A-Za-z0-9×-]+){0,4})\)")


@dataclass(frozen=True)
class Term:
    de: str
    en: str
    topic: str
    def_de: str
    def_en: str
    also_en: tuple[str, ...] = field(default=())

    def english_names(self) -> tuple[str, ...]:
        return (self.en,) + self.also_en


@dataclass(frozen=True)
class TermList:
    intro: dict
    topics: list[dict]
    terms: list[Term]


def _fail(msg: str) -> None:
    raise ValueError(f"{TERMS_FILE}: {msg}")


def load_terms(root: Path = config.ROOT) -> TermList:
    """Read ``myst/glossary.yml``; ``ValueError`` naming the entry for anything malformed."""
    with open(root / TERMS_FILE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    intro = data.get("intro") or {}
    if set(intro) != {"de", "en"}:
        _fail(f"intro must have exactly the keys de and en, got {sorted(intro)}")
    topics = data.get("topics") or []
    keys = [t.get("key") for t in topics]
    for t in topics:
        if set(t) != {"key", "de", "en"}:
            _fail(f"topic {t!r} must have exactly the keys key, de, en")
    if len(set(keys)) != len(keys):
        _fail(f"topic keys must be unique, got {keys}")
    terms, seen = [], {}
    for n, raw in enumerate(data.get("terms") or []):
        where = f"term {n} ({raw.get('de')!r})"
        missing = {"de", "en", "topic", "def_de", "def_en"} - set(raw)
        extra = set(raw) - {"de", "en", "topic", "def_de", "def_en", "also_en"}
        if missing or extra:
            _fail(f"{where}: missing keys {sorted(missing)}, unknown keys {sorted(extra)}")
        if raw["topic"] not in keys:
            _fail(f"{where}: topic={raw['topic']!r} must be one of {keys}")
        also = raw.get("also_en") or []
        if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
            _fail(f"{where}: also_en must be a list of strings, got {also!r}")
        term = Term(str(raw["de"]), str(raw["en"]), raw["topic"], str(raw["def_de"]).strip(),
                    str(raw["def_en"]).strip(), tuple(also))
        for name in term.english_names():
            key = _norm(name)
            if key in seen:
                _fail(f"{where}: English name {name!r} is already used by {seen[key]!r}")
            seen[key] = term.de
        terms.append(term)
    if not terms:
        _fail("has no terms")
    return TermList(intro, topics, terms)


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def _entry(first: str, second: str, definition: str) -> str:
    if _norm(first) == _norm(second):
        return f"**{first}**: {definition}"
    return f"**{first}** ({second}): {definition}"


def source_text(terms: TermList) -> str:
    """The German MyST source of the glossary appendix."""
    parts = [FRONT_MATTER, f"({LABEL})=\n# {TITLE['de']}\n", " ".join(terms.intro["de"].split()) + "\n"]
    for topic in terms.topics:
        members = [t for t in terms.terms if t.topic == topic["key"]]
        if not members:
            continue
        parts.append(f"({LABEL}-{topic['key']})=\n## {topic['de']}\n")
        parts += [_entry(t.de, t.en, " ".join(t.def_de.split())) + "\n" for t in members]
    return "\n".join(parts)


def english_paragraphs(terms: TermList) -> dict[str, str]:
    """German segment → English translation, for every translatable segment of the appendix."""
    out = {TITLE["de"]: TITLE["en"], " ".join(terms.intro["de"].split()): " ".join(terms.intro["en"].split())}
    out.update({t["de"]: t["en"] for t in terms.topics})
    for t in terms.terms:
        out[_entry(t.de, t.en, " ".join(t.def_de.split()))] = _entry(t.en, t.de, " ".join(t.def_en.split()))
    return out


def catalog_path(root: Path = config.ROOT) -> Path:
    return root / "i18n" / "en" / f"{STEM}.po"


def fill_catalog(terms: TermList, root: Path = config.ROOT) -> list[str]:
    """Write the English of every segment into the appendix's catalog; returns msgids it cannot fill."""
    import polib
    path = catalog_path(root)
    po = polib.pofile(str(path), wrapwidth=0)
    english = english_paragraphs(terms)
    unknown = []
    for entry in list(po):
        if entry.obsolete:
            po.remove(entry)
        elif entry.msgid in english:
            entry.msgstr = english[entry.msgid]
            entry.previous_msgid = None
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        else:
            unknown.append(entry.msgid)
    path.write_text(str(po) + "\n", encoding="utf-8")
    return unknown


def generate(root: Path = config.ROOT) -> list[str]:
    """Regenerate ``myst/de/91-glossary.md``, update the catalogs and fill the glossary's one."""
    from . import convert
    terms = load_terms(root)
    (root / "myst" / "de" / f"{STEM}.md").write_text(source_text(terms), encoding="utf-8")
    if convert.extract_catalogs(root) != 0:
        return ["myst2qmd extract failed"]
    return fill_catalog(terms, root)


def glosses(msgid: str, msgstr: str) -> list[str]:
    """English terms glossed in a German segment: ``Begriff (term)`` with ``term`` in the English.

    >>> glosses("die Kreuzentropie (cross-entropy) und t (hell)", "the cross-entropy and t (light)")
    ['cross-entropy']
    """
    found = []
    # The English uses a glossed term as a word of its own, not as a remark in parentheses: in
    # "Kern (orange)" -> "kernel (orange)" the parenthesis is the same in both languages.
    english = _PARENS.sub(" ", msgstr)
    for m in _GLOSS.finditer(_MATH.sub(" ", msgid)):
        term = m.group(1)
        if not re.search(r"[A-Za-z]{3}", term):      # "(k-1)", "(i - 1)": arithmetic, not a term
            continue
        if re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", english, re.I):
            found.append(term)
    return found


def known(term: str, terms: TermList) -> bool:
    """Is ``term`` (as written in a chapter, perhaps plural) one of the list's English names?"""
    t = _norm(term)
    for entry in terms.terms:
        for name in entry.english_names():
            n = _norm(name)
            if t in (n, n + "s", n + "es") or (n.endswith("y") and t == n[:-1] + "ies"):
                return True
    return False


def used_terms(root: Path = config.ROOT) -> dict[str, list[tuple[str, str]]]:
    """Per catalog stem: the glossed terms with the source line they come from.

    The glossary's own catalog is left out: it is generated from the list, and its English entries
    name the German terms in parentheses.
    """
    import polib
    out = {}
    for path in sorted((root / "i18n" / "en").glob("*.po")):
        if path.stem == STEM:
            continue
        found = []
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr:
                continue
            line = entry.occurrences[0][1] if entry.occurrences else "?"
            found += [(term, line) for term in glosses(entry.msgid, entry.msgstr)]
        out[path.stem] = found
    return out


def check_glossary(root: Path = config.ROOT):
    """Every glossed term is in the list; the appendix and its catalog are what the list generates."""
    import polib

    from .verify import Report
    rep = Report()
    try:
        terms = load_terms(root)
    except (OSError, ValueError) as err:
        rep.problems.append(str(err))
        return rep
    rep.add("glossary terms", len(terms.terms))
    for stem, found in used_terms(root).items():
        for term, line in found:
            rep.add("glossed terms checked")
            if not known(term, terms):
                rep.problems.append(f"myst/de/{stem}.md:{line}: the term ({term}) is not in {TERMS_FILE}: "
                                    "add it with its German name and definitions in both languages, "
                                    "then run `python -m bookbuild.glossary`")
    src = root / "myst" / "de" / f"{STEM}.md"
    if not src.exists() or src.read_text(encoding="utf-8") != source_text(terms):
        rep.problems.append(f"{src.relative_to(root)} differs from {TERMS_FILE}: run `python -m bookbuild.glossary`")
    elif catalog_path(root).exists():
        english = english_paragraphs(terms)
        for entry in polib.pofile(str(catalog_path(root))):
            if not entry.obsolete and english.get(entry.msgid) != entry.msgstr:
                rep.problems.append(f"{catalog_path(root).relative_to(root)}: {entry.msgid[:40]!r} is not "
                                    f"the English of {TERMS_FILE}: run `python -m bookbuild.glossary`")
                break
    return rep


def main() -> int:
    unknown = generate()
    for msgid in unknown:
        print(f"glossary: no English for segment {msgid[:60]!r}")
    rep = check_glossary()
    for problem in rep.problems:
        print(problem)
    print(f"glossary: {len(load_terms().terms)} terms; {len(rep.problems)} problem(s)")
    return 1 if unknown or rep.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
