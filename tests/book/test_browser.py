"""In Chromium, offline: the local KaTeX copy renders a formula, and the language switch and the
Colab link appear on a page laid out like the rendered site (_book/<lang>/chapters/<lang>/…).

The page is assembled from the real pieces: the KaTeX URL from chapters/_metadata.yml, the
katex/ copy made by the build, and the generated _lang-switch.html. Any request that leaves
127.0.0.1 fails the test.
"""
from __future__ import annotations

import pytest
import yaml

from bookbuild import assets, config

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<script src="{url}katex.min.js"></script>
<link rel="stylesheet" href="{url}katex.min.css">
</head><body>
<nav><a class="nav-link" href="../../#cfs-lang-switch"><span class="menu-text">English / Deutsch</span></a></nav>
<main><header id="title-block-header"><h1>Padding</h1></header>
<p>Formel: <span class="math display">o = \\left\\lfloor \\frac{{i + 2p - k}}{{s}} \\right\\rfloor + 1</span></p>
</main>
<script>
document.querySelectorAll("span.math").forEach(function (el) {{
  katex.render(el.textContent, el, {{displayMode: el.classList.contains("display"), throwOnError: true}});
}});
</script>
{include}
</body></html>
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, root, serve):
    """A two-language site in a temp dir, served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("site")
    if not (root / "node_modules" / "katex" / "dist").exists():
        pytest.fail("node_modules/katex is missing: run `npm ci`")
    url = yaml.safe_load(assets.chapters_metadata())["format"]["html"]["html-math-method"]["url"]
    include = assets.lang_switch_html(root)
    for lang in config.LANGS:
        site_root = base / "book" / lang
        site_root.mkdir(parents=True)
        assets.copy_katex(root, dest=site_root / "katex")
        page = site_root / "chapters" / lang / "03-padding.html"
        page.parent.mkdir(parents=True)
        page.write_text(PAGE.format(lang=lang, url=url, include=include), encoding="utf-8")
    with serve(base) as url:
        yield url


@pytest.fixture(scope="module")
def page_of(site, browser):
    def open_page(path):
        page = browser.new_page()
        page.requests, page.errors = [], []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        return page

    return open_page


def _offline(page) -> list[str]:
    return [u for u in page.requests if not u.startswith("http://127.0.0.1:")]


@pytest.mark.browser
def test_local_katex_renders_a_formula_offline_two_levels_below_the_site_root(page_of):
    page = page_of("/book/en/chapters/en/03-padding.html")
    assert page.errors == []
    assert page.locator(".katex-display .katex-html").count() == 1
    assert page.locator(".katex .mfrac").count() == 1
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert _offline(page) == []
    assert any(u.endswith("/book/en/katex/katex.min.js") for u in page.requests)


@pytest.mark.browser
@pytest.mark.parametrize("lang,other,label", [("en", "de", "Deutsch"), ("de", "en", "English")])
def test_language_switch_links_to_the_same_chapter_in_the_other_language(page_of, lang, other, label):
    page = page_of(f"/book/{lang}/chapters/{lang}/03-padding.html")
    link = page.locator("a.cfs-lang-switch")
    assert link.count() == 1
    assert link.inner_text().strip() == label
    assert link.get_attribute("href") == f"/book/{other}/chapters/{other}/03-padding.html"
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/book/{other}/chapters/{other}/03-padding.html")
    assert page.locator("html").get_attribute("lang") == other
    assert page.errors == [] and _offline(page) == []


@pytest.mark.browser
def test_chapter_pages_link_to_their_notebook_in_colab(page_of, root):
    repo = config.repo(root)
    page = page_of("/book/de/chapters/de/03-padding.html")
    colab = page.locator("a.cfs-colab")
    assert colab.count() == 1 and colab.inner_text() == "In Colab öffnen"
    gh = repo.url.removeprefix("https://github.com/")
    assert colab.get_attribute("href") == (
        f"https://colab.research.google.com/github/{gh}/blob/{repo.branch}/notebooks/de/03-padding.ipynb")


def _raw_html_blocks(qmd_text: str) -> list[str]:
    import re
    return re.findall(r"^```\{=html\}\n(.*?)^```", qmd_text, flags=re.M | re.S)


@pytest.fixture(scope="module")
def explorer_pages(tmp_path_factory, root):
    """Every chapter's raw-HTML explorer embeds on a page with the generated _explorers.html."""
    base = tmp_path_factory.mktemp("explorers")
    include = (root / "_explorers.html").read_text(encoding="utf-8")
    pages = []
    for qmd in sorted((root / "chapters" / "en").glob("*.qmd")):
        blocks = [b for b in _raw_html_blocks(qmd.read_text(encoding="utf-8")) if "data-cfs-explorer" in b]
        if blocks:
            page = base / f"{qmd.stem}.html"
            page.write_text("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head><body>"
                            + "\n".join(blocks) + include + "</body></html>", encoding="utf-8")
            pages.append(page)
    return pages


@pytest.mark.browser
def test_chapter_explorer_embeds_come_alive_with_the_inlined_explorers(explorer_pages, browser):
    assert any(p.stem == "03-padding" for p in explorer_pages)
    for path in explorer_pages:
        page = browser.new_page()
        errors, remote = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: remote.append(r.url) if not r.url.startswith("file:") else None)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        mounted = page.eval_on_selector_all("[data-cfs-explorer]", "els => els.map(e => e.children.length)")
        assert mounted and all(n > 0 for n in mounted), (path.name, mounted)
        assert errors == [] and remote == [], (path.name, errors, remote)
