"""Page-level behaviour of the explorers: languages, keyboard, accessibility, themes, isolation, offline."""
from __future__ import annotations

import pytest

from cfs_ui import REPO, read_conv, read_rf, set_conv, set_rf

pytestmark = pytest.mark.browser

LABELS = """root => [...root.querySelectorAll('input, select, button')].map(el => {
  const byFor = el.id ? root.querySelector(`label[for="${el.id}"]`) : null;
  return (el.getAttribute('aria-label') || (byFor && byFor.textContent) || el.textContent || '').trim();
})"""


def luminance(rgb: str) -> float:
    r, g, b = (float(v) for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


# --- mounting and languages ------------------------------------------------------------------

def test_every_marked_element_is_mounted_on_load_with_initial_values(open_page):
    page = open_page("pages/slide.html")
    assert page.locator("[data-cfs-mounted=true]").count() == 2
    conv = read_conv(page.locator("#conv"))
    assert conv["shown"] == {"i": "5", "k": "3", "s": "2", "p": "1", "d": "1", "op": "0"}
    assert conv["size"] == "3"
    rf = read_rf(page.locator("#rf"))
    assert [r["receptive_field"] for r in rf] == ["1", "3", "5"]
    assert [r["output_size"] for r in rf] == ["16", "16", "8"]


def test_data_transposed_and_output_padding_attributes_set_the_initial_state(explorer):
    root = explorer("conv-arithmetic", i=3, k=3, s=2, p=1, transposed="true", output_padding=1)
    shown = read_conv(root)
    assert root.locator('[data-cfs-param="transposed"]').is_checked()
    assert shown["size"] == "6" and shown["shown"]["op"] == "1"
    assert "(3 \u2212 1)\u00b72 \u2212 2\u00b71 + 1\u00b7(3 \u2212 1) + 1 + 1 = 6" in shown["formula"]


def test_unknown_explorer_kind_is_an_error_naming_the_choices(explorer):
    msg = explorer.page.evaluate("""() => {
        try { CFSExplorers.mount(document.createElement('div'), {kind: 'pooling'}); return null; }
        catch (e) { return e.message; } }""")
    assert "unknown explorer 'pooling'" in msg and "conv-arithmetic" in msg and "receptive-field" in msg


def test_german_page_gets_german_ui_by_default(open_page):
    page = open_page("pages/page.html?lang=de")
    conv, rf = page.locator("#conv"), page.locator("#rf")
    labels = conv.evaluate(LABELS)
    assert "Eingabegröße i" in labels and "Schrittweite s" in labels and "Dilatation d" in labels
    assert "Abspielen" in labels and "Schritt" in labels and "transponierte Faltung" in labels
    assert "Position 1 von" in conv.locator('[data-cfs-role="status"]').inner_text()
    assert "Schicht hinzufügen" in rf.evaluate(LABELS)
    assert "Sprung" in rf.locator("thead").inner_text() and "rezeptives Feld" in rf.locator("thead").inner_text()
    set_conv(conv, {"i": 6, "k": 5, "s": 1, "p": 1, "d": 2, "op": 0, "transposed": False})
    assert "effektiver Kern 9 (Kern 5, Dilatation 2) ist größer als die aufgefüllte Eingabe 8" \
        in read_conv(conv)["invalid"]
    set_rf(rf, 8, [(2, 1, 0, 1)])  # start (2-1)/2 = 0,5 with a German decimal comma
    assert read_rf(rf)[1]["start"] == "0,5"


def test_data_lang_overrides_the_page_language_and_set_lang_switches(explorer):
    root = explorer("conv-arithmetic", lang="de")
    assert "Kerngröße k" in root.evaluate(LABELS)
    assert root.get_attribute("lang") == "de"
    root.evaluate("root => CFSExplorers.get(root).setLang('en')")
    labels = root.evaluate(LABELS)
    assert "kernel size k" in labels and "Kerngröße k" not in labels
    assert root.get_attribute("lang") == "en"
    rf = explorer("receptive-field", lang="de")
    rf.evaluate("root => CFSExplorers.get(root).setLang('en')")
    assert "Add layer" in rf.evaluate(LABELS)


def test_both_languages_define_every_ui_string(explorer):
    missing = explorer.page.evaluate("""() => {
      const S = CFSExplorers.strings, out = [];
      const walk = (a, b, path) => { for (const k of Object.keys(a)) {
        if (!(k in b)) out.push(path + k);
        else if (typeof a[k] === 'object') walk(a[k], b[k], path + k + '.');
        else if (!String(b[k]).trim()) out.push(path + k + ' (empty)'); } };
      walk(S.en, S.de, 'de missing '); walk(S.de, S.en, 'en missing ');
      return out; }""")
    assert missing == []


# --- keyboard and accessibility ----------------------------------------------------------------

def test_every_control_has_an_accessible_name(explorer):
    for kind in ("conv-arithmetic", "receptive-field"):
        root = explorer(kind)
        assert all(root.evaluate(LABELS)), kind


def test_formula_is_announced_in_a_live_region(explorer):
    root = explorer("conv-arithmetic")
    live = root.locator('[data-cfs-role="formula"]')
    assert live.get_attribute("aria-live") == "polite"
    assert root.locator('[data-cfs-role="field"]').count() == 0
    rf = explorer("receptive-field")
    assert rf.locator('[data-cfs-role="field"]').get_attribute("aria-live") == "polite"


def test_conv_explorer_is_keyboard_operable(explorer):
    root = explorer("conv-arithmetic", i=5, k=3, s=1, p=0)
    page = explorer.page
    root.locator('input[data-cfs-param="i"]').focus()
    page.keyboard.press("ArrowRight")          # i = 6
    assert read_conv(root)["size"] == "4"
    page.keyboard.press("Tab")                  # kernel slider
    page.keyboard.press("ArrowLeft")            # k = 2
    assert read_conv(root)["size"] == "5"
    for _ in range(3):
        page.keyboard.press("Tab")              # stride, padding, dilation
    page.keyboard.press("Tab")                  # transposed checkbox
    page.keyboard.press("Space")
    assert root.locator('[data-cfs-param="transposed"]').is_checked()
    page.keyboard.press("Space")
    assert not root.locator('[data-cfs-param="transposed"]').is_checked()
    # Buttons: Tab to Step, Enter steps.
    root.locator('[data-cfs-action="play"]').focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert root.get_attribute("data-cfs-cell") == "0,1"
    # The drawing itself: arrows step, End jumps to the last cell, Home back, Space plays and pauses.
    root.locator('[data-cfs-role="figure"]').focus()
    page.keyboard.press("ArrowRight")
    assert root.get_attribute("data-cfs-cell") == "0,2"
    page.keyboard.press("End")
    assert root.get_attribute("data-cfs-cell") == "4,4"
    page.keyboard.press("Home")
    assert root.get_attribute("data-cfs-cell") == "0,0"
    page.keyboard.press("Space")
    assert root.locator('[data-cfs-action="play"]').get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert root.locator('[data-cfs-action="play"]').get_attribute("aria-pressed") == "false"


def test_explorer_keys_do_not_reach_a_slide_deck(explorer):
    root = explorer("conv-arithmetic")
    page = explorer.page
    page.evaluate("""() => { window.cfsDeckKeys = [];
        document.addEventListener('keydown', e => window.cfsDeckKeys.push(e.key)); }""")
    root.locator('[data-cfs-role="figure"]').focus()
    for key in ("ArrowRight", "ArrowLeft", "Space", "End"):
        page.keyboard.press(key)
    root.locator('input[data-cfs-param="k"]').focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.cfsDeckKeys") == []


def test_receptive_field_table_is_keyboard_operable(explorer):
    root = explorer("receptive-field", input_size=16, layers="3 1 1 1")
    page = explorer.page
    add = root.locator('[data-cfs-action="add"]')
    add.focus()
    page.keyboard.press("Enter")                # adds layer 2 (a copy of layer 1) and focuses its k
    assert root.locator("tbody tr").count() == 3
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "kernel size k of layer 2"
    page.keyboard.press("ArrowUp")              # k = 4
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowUp")              # s = 2
    rows = read_rf(root)
    assert rows[2]["output_size"] == "8" and rows[2]["receptive_field"] == "6" and rows[2]["jump"] == "2"
    assert rows[2]["start"] == "0.5"
    root.locator('tbody tr[data-cfs-row="1"] [data-cfs-action="remove"]').focus()
    page.keyboard.press("Enter")
    assert root.locator("tbody tr").count() == 2
    assert read_rf(root)[1]["receptive_field"] == "4"
    assert page.evaluate("document.activeElement.getAttribute('data-cfs-action')") == "remove"


# --- themes, slides, isolation ---------------------------------------------------------------

def bg_of(locator) -> float:
    return luminance(locator.evaluate("el => getComputedStyle(el).backgroundColor"))


def test_light_page_gets_a_light_explorer_and_quarto_dark_a_dark_one(open_page):
    light = open_page("pages/page.html")
    assert bg_of(light.locator("#conv")) > 0.8
    dark = open_page("pages/page.html?theme=dark")
    assert bg_of(dark.locator("#conv")) < 0.2
    # Toggling Quarto's body class at run time follows along.
    light.evaluate("() => document.body.classList.add('quarto-dark')")
    assert bg_of(light.locator("#rf")) < 0.2
    text = luminance(light.locator("#rf .cfs-title").evaluate("el => getComputedStyle(el).color"))
    assert text > 0.7


def test_prefers_color_scheme_dark_darkens_an_explorer_on_a_transparent_page(open_page):
    page = open_page("pages/bare.html", color_scheme="dark")
    page.add_style_tag(url="/assets/explorers/explorers.css")
    page.add_script_tag(url="/assets/explorers/explorers.js")
    page.evaluate("""() => { const el = document.createElement('div'); el.id = 'c';
        document.body.appendChild(el); CFSExplorers.mount(el, {kind: 'conv-arithmetic'}); }""")
    assert bg_of(page.locator("#c")) < 0.2


def test_dark_slide_at_reveal_scale_fits_the_slide(open_page):
    page = open_page("pages/slide.html")
    for sel in ("#conv", "#rf"):
        root = page.locator(sel)
        assert bg_of(root) < 0.2, sel   # the dark slide background is detected
        assert root.evaluate("el => getComputedStyle(el).fontSize") == "17px"
        box = root.evaluate("el => ({w: el.offsetWidth, h: el.offsetHeight})")
        assert box["w"] <= 1050 and box["h"] <= 700, (sel, box)
        assert root.get_attribute("lang") == "de"
    wrap = page.locator("#rf .cfs-table-wrap").evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert wrap[0] <= wrap[1], f"the layer table is clipped on the slide: {wrap}"
    side = page.locator("#rf .cfs-col-side").bounding_box()
    main = page.locator("#rf .cfs-col-main").bounding_box()
    assert side["x"] > main["x"] + main["width"] - 1  # drawing beside the table, not below it


HOST_STYLE = """() => ['host-h2', 'host-p', 'host-a', 'host-button', 'host-range', 'host-number', 'host-select',
  'host-table', 'host-th', 'host-td', 'host-rect'].map(id => {
    const cs = getComputedStyle(document.getElementById(id));
    return [id, ...['color', 'background-color', 'font-size', 'font-family', 'padding', 'margin', 'border',
                    'box-sizing', 'fill', 'stroke', 'width', 'display'].map(p => cs.getPropertyValue(p))].join('|');
})"""


def test_stylesheet_changes_nothing_outside_the_explorers(open_page):
    page = open_page("pages/page.html")
    with_css = page.evaluate(HOST_STYLE)
    page.evaluate("() => { document.getElementById('cfs-css').disabled = true; }")
    without_css = page.evaluate(HOST_STYLE)
    assert with_css == without_css
    selectors = page.evaluate("""() => { document.getElementById('cfs-css').disabled = false;
      const out = [];
      const walk = rules => { for (const r of rules) {
        if (r.selectorText) out.push(r.selectorText); else if (r.cssRules) walk(r.cssRules); } };
      walk(document.getElementById('cfs-css').sheet.cssRules); return out; }""")
    assert len(selectors) > 30
    assert [s for s in selectors if any(".cfs-" not in part for part in s.split(","))] == []


def test_script_adds_only_cfs_explorers_to_window(open_page):
    bare = open_page("pages/bare.html")
    before = set(bare.evaluate("Object.keys(window)"))
    page = open_page("pages/page.html")
    after = set(page.evaluate("Object.keys(window)"))
    assert after - before == {"CFSExplorers", "cfsQuery"}  # cfsQuery is the test page's own


def test_demo_page_works_offline_without_console_errors(open_page, watch):
    page = open_page("../../assets/explorers/demo.html")
    page.locator("#demo-lang").select_option("de")
    page.locator("#demo-dark").check()
    conv = page.locator("#conv")
    conv.locator('[data-cfs-action="step"]').click()
    conv.locator('[data-cfs-action="play"]').click()
    page.wait_for_timeout(50)
    conv.locator('[data-cfs-action="play"]').click()
    page.locator("#rf").locator('[data-cfs-action="add"]').click()
    assert "Abspielen" in conv.evaluate(LABELS)
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))  # two conv explorers on one page: labels still point at their own inputs
    assert bg_of(conv) < 0.2
    urls = watch.requests
    assert any(u.endswith("/assets/explorers/explorers.js") for u in urls)
    assert any(u.endswith("/assets/explorers/explorers.css") for u in urls)
    assert watch.foreign() == [] and watch.errors == []


def test_book_include_file_mounts_the_explorers_in_a_quarto_like_page(context, server, watch):
    """_explorers.html (generated by the book build from our two files) works inlined after the body."""
    include = REPO / "_explorers.html"
    if not include.exists():
        pytest.fail("_explorers.html is missing: the book build (scripts/book.py) generates it")
    html = ("<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'><link rel='icon' href='data:,'></head>"
            "<body class='quarto-dark' style='background:#222'><main id='quarto-document-content'>"
            "<div data-cfs-explorer='conv-arithmetic' data-i='5' data-k='3' data-p='1'></div>"
            "<div data-cfs-explorer='receptive-field' data-input-size='12' "
            "data-layers='3 1 0 1; 2 2 0 1; 3 1 0 1'></div></main>"
            + include.read_text(encoding="utf-8") + "</body></html>")
    page = context.new_page()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on("request", lambda r: watch.requests.append(r.url))
    page.route("**/quarto-like.html", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(f"{server}/quarto-like.html")
    conv = page.locator("[data-cfs-explorer=conv-arithmetic]")
    assert conv.get_attribute("data-cfs-mounted") == "true"
    assert read_conv(conv)["size"] == "5" and "Schrittweite s" in conv.evaluate(LABELS)
    assert [r["receptive_field"] for r in read_rf(page.locator("[data-cfs-explorer=receptive-field]"))] == \
        ["1", "3", "4", "8"]
    assert bg_of(conv) < 0.2
    assert watch.errors == [] and watch.foreign() == []
