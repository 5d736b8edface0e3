"""Checks of the generated book that need no Quarto.

Every check returns a list of human-readable problems (empty = fine) so the build can print them
all and the tests can assert on them. Text checks read Quarto markdown with code blocks, inline
code, comments and front matter removed, so ``@property`` in code is not a citation.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import config

XREF_KINDS = ("fig", "tbl", "eq", "sec", "exr")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                    re.M | re.S)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}", re.S)
_LABEL_ATTR = re.compile(r"\{#((?:fig|tbl|eq|sec|exr)-[\w-]*\w)[^}]*\}")
_LABEL_OPT = re.compile(r"^#\|\s*label:\s*((?:fig|tbl)-[\w-]*\w)\s*$", re.M)
_REF = re.compile(r"(?<![\w@.])@((?:fig|tbl|eq|sec|exr)-[\w-]*\w)")
_CITE = re.compile(r"(?<![\w@.])@([A-Za-z][\w:.+-]*\w)")
_BIBKEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.M)
_IMG_MD = re.compile(r"!\[[^\]]*\]\(\s*<?((?:\{\{<.*?>\}\}|[^)\s>])+)>?")
_IMG_HTML = re.compile(r"<img\b[^>]*\bsrc=[\"']([^\"']+)[\"']", re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)
_PY_CELL = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


def read(path: Path) -> str:
    return Path(path).read_text(encoding="utf-8")


def strip_code(text: str) -> str:
    """Prose only: front matter, fenced code, HTML comments, inline code and shortcodes removed."""
    text = _FRONT.sub("", text)
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = _COMMENT.sub("", text)
    text = _INLINE_CODE.sub("", text)
    return _SHORTCODE.sub("", text)


def labels(text: str) -> list[str]:
    """Labels defined in a .qmd, in order: ``{#kind-x}`` attributes and ``#| label:`` cell options."""
    found = [(m.start(), m.group(1)) for m in _LABEL_ATTR.finditer(_COMMENT.sub("", _FRONT.sub("", text)))]
    found += [(m.start(), m.group(1)) for m in _LABEL_OPT.finditer(text)]
    return [label for _, label in sorted(found)]


def references(text: str) -> list[str]:
    """Cross-references ``@fig-x`` … used in the prose of a .qmd, in order."""
    return _REF.findall(strip_code(text))


def citations(text: str) -> list[str]:
    """Citation keys ``@key`` / ``[@key]`` used in the prose (everything that is not a cross-ref)."""
    return [k for k in _CITE.findall(strip_code(text)) if k.split("-")[0] not in XREF_KINDS]


def bib_keys(path: Path) -> list[str]:
    return _BIBKEY.findall(read(path))


def headings(text: str) -> list[tuple[int, str | None]]:
    """Section structure: (level, section label or None) for each heading, in order."""
    out = []
    for m in _HEADING.finditer(strip_code(text)):
        label = _LABEL_ATTR.search(m.group(2))
        out.append((len(m.group(1)), label.group(1) if label else None))
    return out


def python_cells(text: str) -> list[str]:
    """Sources of the ```{python} cells of a .qmd, in order."""
    return [m.group(1) for m in _PY_CELL.finditer(text)]


_TRANSLATED_OPTION = re.compile(r"^#\|\s*(fig-cap|fig-alt|fig-subcap|tbl-cap|tbl-subcap)\s*:")


def code_key(source: str) -> str:
    """A cell's code without what is translated inside it: caption options and comment-only lines.

    Two languages' cells must have equal keys: every code line and every other ``#|`` option agree.
    """
    keep = []
    for line in source.splitlines():
        stripped = line.strip()
        if _TRANSLATED_OPTION.match(stripped):
            continue
        if stripped.startswith("#") and not stripped.startswith("#|"):
            continue
        keep.append(line.rstrip())
    return "\n".join(keep).strip("\n")


def code_cells(text: str) -> list[str]:
    """:func:`code_key` of every Python cell of a .qmd."""
    return [code_key(c) for c in python_cells(text)]


def images(text: str) -> list[str]:
    prose = _COMMENT.sub("", _FENCE.sub("", _FRONT.sub("", text)))
    return _IMG_MD.findall(prose) + _IMG_HTML.findall(prose)


def front_matter(text: str) -> dict:
    import yaml
    m = _FRONT.match(text)
    return (yaml.safe_load(m.group(0).strip("-\n")) or {}) if m else {}


def resolve_image(src: str, qmd: Path, images_path: str | None = None) -> Path | None:
    """The file an image reference points to, or None for a remote URL.

    ``{{< meta params.images_path >}}`` is replaced by ``images_path`` (the document's
    ``params.images_path``); relative paths are relative to the document.
    """
    if re.match(r"^[a-z]+://", src) or src.startswith("data:"):
        return None
    meta = re.compile(r"\{\{<\s*meta\s+params\.images_path\s*>\}\}")
    if meta.search(src):
        src = meta.sub(images_path or "", src)
    return (qmd.parent / src).resolve()


# --------------------------------------------------------------------------------------------
@dataclass
class Report:
    """Problems found and what was checked (counts for the build summary)."""

    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def extend(self, other: "Report") -> None:
        self.problems += other.problems
        for k, v in other.counts.items():
            self.add(k, v)


def book_files(lang: str, root: Path = config.ROOT) -> list[Path]:
    """The chapter .qmd files of one language's book, from its profile (index → chapters/<lang>/index.qmd)."""
    out = []
    for entry in config.profile_chapters(lang, root):
        stem = config.stem_of_profile_entry(entry, lang)
        out.append(config.generated("chapters", lang, stem, root) if stem else root / entry)
    return out


def check_profiles(root: Path = config.ROOT) -> Report:
    """Each profile lists exactly the converted sources, in the same order in both languages."""
    rep = Report()
    stems = {p.stem for p in config.sources(root)}
    order = {}
    for lang in config.LANGS:
        entries = config.profile_chapters(lang, root)
        listed = []
        for entry in entries:
            stem = config.stem_of_profile_entry(entry, lang)
            if stem is None:
                rep.problems.append(f"_quarto-{lang}.yml: {entry} is not chapters/{lang}/<stem>.qmd")
                continue
            listed.append(stem)
            if stem not in stems:
                rep.problems.append(f"_quarto-{lang}.yml lists {entry}, but myst/de/{stem}.md does not exist")
        for stem in sorted(stems - set(listed)):
            rep.problems.append(f"_quarto-{lang}.yml does not list chapters/{lang}/{stem}.qmd (source myst/de/{stem}.md)")
        order[lang] = listed
        rep.add("profile entries", len(entries))
    if order.get("de") != order.get("en"):
        rep.problems.append(f"chapter order differs: de {order.get('de')} vs en {order.get('en')}")
    return rep


def check_references(lang: str, root: Path = config.ROOT) -> Report:
    """Every @fig-/@tbl-/@eq-/@sec- resolves in this language's book; labels are unique."""
    rep = Report()
    defined: dict[str, Path] = {}
    texts = {}
    for qmd in book_files(lang, root):
        if not qmd.exists():
            rep.problems.append(f"{qmd.relative_to(root)}: missing (listed in _quarto-{lang}.yml)")
            continue
        texts[qmd] = read(qmd)
        for label in labels(texts[qmd]):
            if label in defined and defined[label] != qmd:
                rep.problems.append(f"{qmd.relative_to(root)}: label {label} also defined in {defined[label].relative_to(root)}")
            elif label in defined:
                rep.problems.append(f"{qmd.relative_to(root)}: label {label} defined twice")
            defined[label] = qmd
    rep.add("labels", len(defined))
    for qmd, text in texts.items():
        for ref in references(text):
            rep.add("references")
            if ref not in defined:
                rep.problems.append(f"{qmd.relative_to(root)}: @{ref} does not resolve to any label in the {lang} book")
    return rep


def check_citations(root: Path = config.ROOT) -> Report:
    """Every cited key is in references.bib, every entry is cited, no key twice."""
    rep = Report()
    keys = bib_keys(root / "references.bib")
    for key in {k for k in keys if keys.count(k) > 1}:
        rep.problems.append(f"references.bib: key {key} defined {keys.count(key)} times")
    cited = set()
    for lang in config.LANGS:
        for qmd in book_files(lang, root):
            if not qmd.exists():
                continue
            for key in citations(read(qmd)):
                rep.add("citations")
                cited.add(key)
                if key not in keys:
                    rep.problems.append(f"{qmd.relative_to(root)}: @{key} is not a key in references.bib")
    for key in keys:
        if key not in cited:
            rep.problems.append(f"references.bib: {key} is never cited")
    rep.add("bib entries", len(keys))
    return rep


def _notebook_images(nb: dict) -> list[str]:
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            out += images("".join(cell.get("source", "")))
    return out


def check_images(root: Path = config.ROOT) -> Report:
    """Every image a chapter, deck or notebook references exists (chapters use no remote images)."""
    rep = Report()
    for kind in ("chapters", "slides"):
        for qmd in sorted((root / kind).glob("*/*.qmd")):
            text = read(qmd)
            images_path = (front_matter(text).get("params") or {}).get("images_path")
            for src in images(text):
                rep.add("images")
                path = resolve_image(src, qmd, images_path)
                if path is None:
                    rep.problems.append(f"{qmd.relative_to(root)}: remote image {src} (the site must work offline)")
                elif not path.exists():
                    rep.problems.append(f"{qmd.relative_to(root)}: image {src} -> {path} does not exist")
    for ipynb in sorted((root / "notebooks").glob("*/*.ipynb")):
        for src in _notebook_images(json.loads(read(ipynb))):
            rep.add("images")
            path = resolve_image(src, ipynb)
            if path is not None and not path.exists():
                rep.problems.append(f"{ipynb.relative_to(root)}: image {src} -> {path} does not exist")
    return rep


_REMOTE_LOAD = re.compile(r"""<(script|link|iframe|img|source|video|audio)\b[^>]*\b(src|href)=["'](https?:)?//""", re.I)


def check_offline(root: Path = config.ROOT) -> Report:
    """No page loads anything from the network: no remote script, style, frame or media in any
    chapter, deck or generated include (links to other sites are fine)."""
    rep = Report()
    files = qmd_files(root) + [p for p in (root / "_explorers.html", root / "_lang-switch.html") if p.exists()]
    for path in files:
        rep.add("offline-checked files")
        for m in _REMOTE_LOAD.finditer(read(path)):
            rep.problems.append(f"{path.relative_to(root)}: <{m.group(1)} {m.group(2)}=…> loads from the network")
    return rep


def notebook_code(nb: dict) -> list[str]:
    return ["".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code"]


def check_parity(root: Path = config.ROOT) -> Report:
    """EN and DE agree on labels, figures, section structure, code cells, slides and notebook cells."""
    rep = Report()
    for src in config.sources(root):
        stem = src.stem
        de, en = (config.generated("chapters", lang, stem, root) for lang in ("de", "en"))
        if not (de.exists() and en.exists()):
            rep.problems.append(f"chapters/{{de,en}}/{stem}.qmd: not both generated")
            continue
        de_text, en_text = read(de), read(en)
        for what, fn in (("labels", labels), ("section structure", headings), ("code cells", code_cells)):
            a, b = fn(de_text), fn(en_text)
            if a != b:
                rep.problems.append(f"{stem}: {what} differ between de and en: {_first_diff(a, b)}")
        figs = [l for l in labels(de_text) if l.startswith("fig-")]
        rep.add("figures", len(figs))
        rep.add("chapter code cells", len(python_cells(de_text)))
        sde, sen = (config.generated("slides", lang, stem, root) for lang in ("de", "en"))
        if sde.exists() != sen.exists():
            rep.problems.append(f"slides/{{de,en}}/{stem}.qmd: only one language exists")
        elif sde.exists():
            a, b = read(sde), read(sen)
            if code_cells(a) != code_cells(b) or len(headings(a)) != len(headings(b)):
                rep.problems.append(f"slides/{stem}: slides or code cells differ between de and en")
            rep.add("slides", len([h for h in headings(a) if h[0] <= 2]))
        nde, nen = (config.generated("notebooks", lang, stem, root) for lang in ("de", "en"))
        if nde.exists() and nen.exists():
            a, b = json.loads(read(nde)), json.loads(read(nen))
            if [c["cell_type"] for c in a["cells"]] != [c["cell_type"] for c in b["cells"]]:
                rep.problems.append(f"notebooks/{stem}: cell types differ between de and en")
            elif [code_key(c) for c in notebook_code(a)] != [code_key(c) for c in notebook_code(b)]:
                rep.problems.append(f"notebooks/{stem}: code cells differ between de and en")
            rep.add("notebook code cells", len(notebook_code(a)))
        else:
            rep.problems.append(f"notebooks/{{de,en}}/{stem}.ipynb: not both generated")
    return rep


def _first_diff(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"item {i}: {x!r} != {y!r}"
    return f"lengths {len(a)} != {len(b)}"


PANACHE_IGNORE = ("undefined-references",)  # cross-chapter refs: resolved book-wide by check_references


def panache() -> str | None:
    import sys
    exe = Path(sys.executable).parent / "panache"
    return str(exe) if exe.exists() else shutil.which("panache")


def check_lint(files: list[Path], root: Path = config.ROOT) -> Report:
    """``panache lint`` is clean on every file (cross-references are checked book-wide instead)."""
    rep = Report()
    exe = panache()
    if exe is None:
        rep.problems.append("panache not found: pip install panache-cli (make installs it from requirements-book.txt)")
        return rep
    if not files:
        return rep
    cmd = [exe, "lint", "--message-format", "short", "--ignore", ",".join(PANACHE_IGNORE),
           *[str(f) for f in files]]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root)
    rep.add("linted files", len(files))
    if proc.returncode != 0:
        lines = [l for l in (proc.stdout + proc.stderr).splitlines() if l.strip()]
        rep.problems += [f"panache: {l}" for l in lines] or [f"panache exited {proc.returncode}"]
    return rep


def qmd_files(root: Path = config.ROOT) -> list[Path]:
    return [root / "index.qmd"] + sorted((root / "chapters").glob("*/*.qmd")) + sorted((root / "slides").glob("*/*.qmd"))


def check_generated_includes(root: Path = config.ROOT) -> Report:
    from . import assets
    rep = Report()
    for path, text in assets.generated_files(root).items():
        rep.add("generated includes")
        if not path.exists():
            rep.problems.append(f"{path.relative_to(root)} is missing: run `make convert`")
        elif read(path) != text:
            rep.problems.append(f"{path.relative_to(root)} is out of date: run `make convert`")
    return rep


def verify_all(root: Path = config.ROOT, lint: bool = True) -> Report:
    rep = Report()
    rep.extend(check_profiles(root))
    for lang in config.LANGS:
        rep.extend(check_references(lang, root))
    rep.extend(check_citations(root))
    rep.extend(check_images(root))
    rep.extend(check_parity(root))
    rep.extend(check_generated_includes(root))
    rep.extend(check_offline(root))
    if lint:
        rep.extend(check_lint(qmd_files(root), root))
    return rep
