"""The site, PDF and decks as a real Quarto renders them (``quarto`` marker).

These checks need Quarto on PATH; without it they skip with one line. With it, the module uses the
output of the last ``make book`` when it is newer than every source it is built from, and renders
it (``scripts/book.py`` → :mod:`bookbuild.render`) when it is not. Then:

- every page and every deck is opened in Chromium from a server on 127.0.0.1, with every request,
  every failed response and every uncaught error recorded: no request may leave the local server,
  none may fail (a missing local file is an error too), no error may be thrown;
- the site holds no stray files (``node_modules``, a nested ``_book``), and each chapter page with
  the files of its own that it loads stays within 2 MB;
- figures stay inside the text column at 1280 px and at 390 px (unless placed in a Quarto column);
- every figure caption of the PDF-visible content appears in ``pdftotext`` of the language's PDF.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bookbuild import config, render

QUARTO = shutil.which("quarto")
PAGE_BUDGET = 2_000_000   # bytes: a chapter page with its own files

pytestmark = [pytest.mark.quarto,
              pytest.mark.skipif(QUARTO is None, reason="quarto not on PATH: the rendered-site checks "
                                                        "need a real Quarto (README, Building the book)")]

SOURCES = ("chapters", "slides", "assets", "_quarto.yml", "_quarto-en.yml", "_quarto-de.yml",
           "references.bib", "index.qmd", "_explorers.html", "_lang-switch.html")


def _newest_source(root: Path) -> float:
    times = []
    for name in SOURCES:
        p = root / name
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file() and "_files" not in f.parts[-2]]
        times += [f.stat().st_mtime for f in files]
    return max(times)


def _outputs(root: Path, lang: str) -> list[Path]:
    site = root / "_book" / lang
    return [site / "index.html", *site.glob("*.pdf"), *(site / "slides").glob("*.html")]


@pytest.fixture(scope="module")
def book(root) -> Path:
    """``_book/``, rendered again only if a source changed since the last render."""
    newest = _newest_source(root)
    stale = [lang for lang in config.LANGS
             if len(_outputs(root, lang)) < 3 or min(p.stat().st_mtime for p in _outputs(root, lang)) < newest]
    if stale:
        _, warnings = render.render_book(QUARTO, langs=tuple(stale), root=root, log=print)
        _, deck_warnings = render.render_slides(QUARTO, langs=tuple(stale), root=root, log=print)
        render.record_warnings(warnings + deck_warnings, root)
    return root / "_book"


def test_the_render_printed_no_warning(book, root):
    """Quarto, pandoc and typst warnings of the last render (``_build/quarto-warnings.txt``)."""
    assert render.recorded_warnings(root) == []


@pytest.fixture(scope="module")
def server(book, serve):
    with serve(book) as url:
        yield url


def _pages(book: Path) -> list[Path]:
    return sorted(p for p in book.rglob("*.html")
                  if not {"site_libs", "katex"} & set(p.relative_to(book).parts))


def _chapter_pages(book: Path, lang: str) -> list[Path]:
    return sorted((book / lang / "chapters" / lang).glob("*.html"))


def test_every_page_and_deck_loads_nothing_from_outside_and_throws_no_error(book, server, browser):
    pages = _pages(book)
    assert any("/slides/" in str(p) for p in pages) and len(pages) > 4
    outside, errors = {}, {}
    for path in pages:
        url = f"{server}/{path.relative_to(book).as_posix()}"
        page = browser.new_page()
        seen, thrown = [], []
        page.on("request", lambda r: seen.append(r.url))
        page.on("pageerror", lambda e: thrown.append(str(e)))
        page.on("response", lambda r: thrown.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.close()
        away = [u for u in seen if not u.startswith((server, "data:", "blob:", "about:"))]
        if away:
            outside[path.name] = away
        if thrown:
            errors[path.name] = thrown
    print(f"{len(pages)} pages and decks opened")
    assert outside == {} and errors == {}


def test_the_site_holds_no_stray_files_and_chapter_pages_stay_small(book):
    for lang in config.LANGS:
        site = book / lang
        assert not list(site.rglob("node_modules")), f"{site}: node_modules copied into the site"
        assert not list(site.rglob("_book")), f"{site}: a nested _book"
        total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(f"site {lang}: {total / 1e6:.1f} MB")
        for page in _chapter_pages(book, lang):
            html = page.read_text(encoding="utf-8")
            own = set(re.findall(r'(?:src|href)="(' + re.escape(page.stem) + r'_files/[^"#?]+)"', html))
            size = page.stat().st_size + sum((page.parent / f).stat().st_size for f in own)
            print(f"  {page.relative_to(book)}: {size / 1e6:.2f} MB")
            assert size <= PAGE_BUDGET, f"{page.relative_to(book)}: {size / 1e6:.2f} MB with its files"


@pytest.mark.parametrize("width", [1280, 390])
def test_figures_fit_the_text_column(book, server, browser, width):
    too_wide = {}
    for lang in config.LANGS:
        for path in _chapter_pages(book, lang):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{server}/{path.relative_to(book).as_posix()}")
            page.wait_for_load_state("networkidle")
            over = page.evaluate("""() => {
                const main = document.querySelector("main").getBoundingClientRect();
                return Array.from(document.querySelectorAll("main img, main svg.figure, main figure"))
                  .filter(el => !el.closest("[class*='column-']") && el.getBoundingClientRect().width > 0)
                  .filter(el => el.getBoundingClientRect().right > main.right + 1
                             || el.getBoundingClientRect().left < main.left - 1)
                  .map(el => (el.getAttribute("src") || el.id || el.tagName).slice(0, 80));
            }""")
            scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            page.close()
            if over or scroll > 0:
                too_wide[f"{lang}/{path.name}"] = (over, scroll)
    assert too_wide == {}


# -- the PDF ------------------------------------------------------------------------------------

FIG_CELL_CAP = re.compile(r'^#\| fig-cap: (?:"((?:[^"\\]|\\.)*)"|(.*))$', re.M)


def _print_visible(qmd: str) -> str:
    """The chapter without its HTML-only blocks (what the PDF shows)."""
    return re.sub(r'^(:{3,}) \{\.content-visible when-format="html"\}\n.*?^\1$', "", qmd, flags=re.M | re.S)


def _div_captions(qmd: str) -> list[str]:
    """Captions of ``::: {#fig-…}`` divs: the last paragraph inside the div."""
    caps = []
    for m in re.finditer(r"^(:{3,}) \{#fig-[^}]*\}\n(.*?)^\1$", qmd, flags=re.M | re.S):
        paras = [p for p in m.group(2).strip().split("\n\n") if p.strip() and not p.lstrip().startswith(("![", ":::"))]
        if paras:
            caps.append(paras[-1])
    return caps


def _words(text: str) -> list[str]:
    text = re.sub(r"\$[^$]*\$", " ", text)                 # math renders differently in the PDF
    text = re.sub(r"@[\w-]+|\[[^\]]*\]\([^)]*\)|[`*_]", " ", text)
    return re.findall(r"[^\W\d_]{3,}", text)


def figure_captions(qmd: str) -> list[str]:
    visible = _print_visible(qmd)
    caps = [a or b for a, b in FIG_CELL_CAP.findall(visible)] + _div_captions(visible)
    return [c for c in caps if len(_words(c)) >= 3]


def test_every_print_visible_figure_caption_is_in_the_pdf(book):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    for lang in config.LANGS:
        (pdf,) = (book / lang).glob("*.pdf")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        flat = " ".join(re.findall(r"[^\W\d_]{3,}", text.replace("-\n", "")))
        missing, n = [], 0
        for chapter in config.profile_chapters(lang):
            for cap in figure_captions((config.ROOT / chapter).read_text(encoding="utf-8")):
                n += 1
                head = " ".join(_words(cap)[:6])
                if head not in flat:
                    missing.append((chapter, head))
        print(f"{lang}: {n} figure captions, {n - len(missing)} found in {pdf.name}")
        assert n > 0 and missing == []


def test_caption_extraction_skips_html_only_blocks():
    qmd = ('::: {.content-visible when-format="html"}\n```{python}\n#| fig-cap: "Only on the web page here"\n```\n:::\n\n'
           '```{python}\n#| fig-cap: "Shown in print too"\nx\n```\n\n'
           "::: {#fig-a}\n![](a.png)\n\nThe div caption of figure a.\n:::\n")
    assert figure_captions(qmd) == ["Shown in print too", "The div caption of figure a."]


@pytest.mark.parametrize("width", [1280, 390])
def test_one_language_switch_per_page_in_the_navbar_reachable_on_a_phone(book, server, browser, width):
    for lang, other in (("en", "de"), ("de", "en")):
        for path in [book / lang / "index.html", *_chapter_pages(book, lang)]:
            page = browser.new_page(viewport={"width": width, "height": 844})
            page.goto(f"{server}/{path.relative_to(book).as_posix()}")
            page.wait_for_load_state("networkidle")
            switch = page.locator("a.cfs-lang-switch")
            assert switch.count() == 1, path
            assert switch.evaluate("a => !!a.closest('nav')"), f"{path}: the switch is not in the navbar"
            if not switch.is_visible():                  # phone: behind the navbar's menu button
                page.click("button.navbar-toggler")
                switch.wait_for(state="visible")
            href = switch.get_attribute("href")
            assert f"/{other}/" in href and href.endswith(path.name), (path, href)
            page.close()


def test_every_citing_chapter_page_shows_its_own_reference_list(book):
    """Quarto hides every #refs but the first file's in a book; the chapters carry none (the
    converter's --references auto), so pandoc appends each chapter's cited entries, visible."""
    citing = 0
    for lang in config.LANGS:
        for page in _chapter_pages(book, lang):
            html = page.read_text(encoding="utf-8")
            cited = set(re.findall(r'data-cites="([^"]+)"', html))
            if not cited:
                continue
            citing += 1
            refs = re.search(r'<div id="refs"[^>]*>', html)
            assert refs and "display: none" not in refs.group(0), f"{page.name}: reference list hidden or missing"
            keys = {k for group in cited for k in group.split()}
            assert all(f'id="ref-{k}"' in html for k in keys), page.name
    assert citing > 0
