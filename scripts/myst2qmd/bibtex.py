"""A small BibTeX reader and the author–year style notebooks cite in.

Quarto (citeproc) formats the book's citations; notebooks know no citeproc, so the converter
writes them itself, in the same author–year form: narrative "Dumoulin and Visin (2016)",
parenthetical "(Dumoulin and Visin 2016)", three or more authors "Goodfellow et al. (2016)",
and a reference list at the end. Only what these need is parsed: ``@type{key, field = {…}
| "…" | number, …}`` with nested braces; ``@comment``/``@preamble``/``@string`` are skipped.
"""
from __future__ import annotations

import re
from pathlib import Path

_ENTRY = re.compile(r"@(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.S)
_FIELD = re.compile(r"\s*([A-Za-z][\w-]*)\s*=\s*", re.S)
AND = {"de": "und", "en": "and"}


def parse_bib(text: str, source: str = "references.bib") -> dict[str, dict[str, str]]:
    """``{key: {"ENTRYTYPE": type, field: value}}`` of every entry in ``text``.

    Raises ``ValueError`` naming ``source`` and the line for an entry that does not close or
    a key defined twice.
    """
    entries: dict[str, dict[str, str]] = {}
    pos = 0
    while True:
        m = _ENTRY.search(text, pos)
        if m is None:
            break
        kind, key = m.group(1).lower(), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        if kind in ("comment", "preamble", "string"):
            pos = m.end()
            continue
        fields, pos = _fields(text, m.end(), source, line)
        if key in entries:
            raise ValueError(f"{source}:{line}: citation key {key!r} is defined twice")
        fields["ENTRYTYPE"] = kind
        entries[key] = fields
    return entries


def _fields(text: str, pos: int, source: str, line: int) -> tuple[dict[str, str], int]:
    fields: dict[str, str] = {}
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise ValueError(f"{source}:{line}: entry is not closed")
        if text[pos] in "})":
            return fields, pos + 1
        m = _FIELD.match(text, pos)
        if m is None:
            raise ValueError(f"{source}:{line}: cannot read a field at {text[pos:pos + 20]!r}")
        name, pos = m.group(1).lower(), m.end()
        value, pos = _value(text, pos, source, line)
        fields[name] = " ".join(value.split())


def _value(text: str, pos: int, source: str, line: int) -> tuple[str, int]:
    if pos < len(text) and text[pos] == "{":
        depth, start = 0, pos
        for i in range(pos, len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                return text[start + 1:i].replace("{", "").replace("}", ""), i + 1
        raise ValueError(f"{source}:{line}: unbalanced braces")
    if pos < len(text) and text[pos] == '"':
        end = text.find('"', pos + 1)
        if end < 0:
            raise ValueError(f"{source}:{line}: unclosed quote")
        return text[pos + 1:end].replace("{", "").replace("}", ""), end + 1
    m = re.match(r"[\w.-]+", text[pos:])
    if m is None:
        raise ValueError(f"{source}:{line}: field value expected")
    return m.group(0), pos + m.end()


def read_bib(path: Path) -> dict[str, dict[str, str]]:
    """:func:`parse_bib` of a file (``ValueError`` with file:line on malformed entries)."""
    return parse_bib(Path(path).read_text(encoding="utf-8"), str(path))


def _last_names(authors: str) -> list[str]:
    names = []
    for person in re.split(r"\s+and\s+", authors.strip()):
        if not person:
            continue
        names.append(person.split(",")[0].strip() if "," in person else person.split()[-1])
    return names


def author_label(entry: dict[str, str], lang: str) -> str:
    """"Dumoulin and Visin", "Goodfellow et al.", or the editor/title when there is no author."""
    names = _last_names(entry.get("author") or entry.get("editor") or "")
    if not names:
        return entry.get("title", "?")
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} {AND[lang]} {names[1]}"
    return f"{names[0]} et al."


def cite_text(keys: list[str], bib: dict[str, dict[str, str]], lang: str, narrative: bool) -> str:
    """The in-text citation of ``keys``: "A and B (2016)" or "(A and B 2016; C 2019)"."""
    parts = []
    for key in keys:
        entry = bib.get(key)
        if entry is None:
            parts.append((key, ""))
        else:
            parts.append((author_label(entry, lang), entry.get("year", "")))
    if narrative:
        return "; ".join(f"{a} ({y})" if y else a for a, y in parts)
    return "(" + "; ".join(f"{a} {y}".strip() for a, y in parts) + ")"


def reference_entry(key: str, entry: dict[str, str]) -> str:
    """One Markdown reference-list line: "Authors (Year). *Title*. Venue. URL"."""
    people = re.split(r"\s+and\s+", entry.get("author") or entry.get("editor") or "")
    authors = ", ".join(p.strip() for p in people if p.strip())
    year = entry.get("year", "")
    title = entry.get("title", key)
    venue = entry.get("journal") or entry.get("booktitle") or entry.get("publisher") or ""
    if not venue and entry.get("eprint"):
        venue = f"{entry.get('archiveprefix', 'arXiv')}:{entry['eprint']}"
    link = entry.get("url") or (f"https://doi.org/{entry['doi']}" if entry.get("doi") else "")
    text = f"{authors} ({year}). *{title}*." if authors else f"*{title}* ({year})."
    if venue:
        text += f" {venue}."
    if link:
        text += f" <{link}>"
    return text
