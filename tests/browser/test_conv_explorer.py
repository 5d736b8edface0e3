"""The convolution-arithmetic explorer shows the numbers scratchnn computes, and animates every position."""
from __future__ import annotations

import json
import random

import pytest

import scratchnn
from cfs_ui import READ_CONV, ints, read_conv, set_conv

pytestmark = pytest.mark.browser

# The explorer's slider ranges (explorers.js CONV_RANGES).
RANGES = {"i": (1, 12), "k": (1, 7), "s": (1, 4), "p": (0, 4), "d": (1, 3), "op": (0, 3)}


def random_configs(seed: int, n: int, ranges=RANGES) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        cfg = {key: rng.randint(*ranges[key]) for key in ranges}
        if rng.random() < 0.15:  # small input and kernel: where padding can remove a transposed output
            cfg["i"], cfg["k"] = rng.randint(1, 2), rng.randint(1, 2)
        cfg["transposed"] = rng.random() < 0.4
        if not cfg["transposed"]:
            cfg["op"] = 0
        out.append(cfg)
    return out


def python_says(cfg: dict):
    """(output size, None) or (None, message without the function name) from scratchnn."""
    try:
        if cfg["transposed"]:
            o = scratchnn.conv_transpose_output_size(cfg["i"], cfg["k"], cfg["s"], cfg["p"],
                                                     output_padding=cfg["op"], d=cfg["d"])
        else:
            o = scratchnn.conv_output_size(cfg["i"], cfg["k"], cfg["s"], cfg["p"], cfg["d"])
        return o, None
    except ValueError as err:
        return None, str(err).split(": ", 1)[1]


def kind_of(message: str | None) -> str:
    if message is None:
        return "valid"
    return ("kernel" if "exceeds padded input" in message else
            "output_padding" if "output_padding" in message else
            "padding" if "removes the whole output" in message else "other")


def check_against_python(cfg: dict, shown: dict) -> str:
    o, message = python_says(cfg)
    where = json.dumps(cfg)
    if message is None:
        assert shown["valid"] and shown["invalid"] is None, f"{where}: UI says invalid: {shown['invalid']}"
        assert int(shown["size"]) == o, f"{where}: UI shows o={shown['size']}, Python {o}"
        assert shown["positions"] == o * o, where
    else:
        assert not shown["valid"] and shown["size"] is None, f"{where}: UI shows a size, Python: {message}"
        ui = shown["invalid"].split(":", 1)[1].strip()
        assert ints(ui) == ints(message), f"{where}: UI reason {ui!r} vs Python {message!r}"
        assert kind_of(ui) == kind_of(message), f"{where}: {ui!r} vs {message!r}"
        assert shown["positions"] == 0
    for key in ("i", "k", "s", "p", "d"):
        assert shown["shown"][key] == str(cfg[key]), f"{where}: slider {key} displays {shown['shown'][key]}"
    return kind_of(message)


def test_configs_cover_valid_and_each_invalid_reason():
    kinds = [kind_of(python_says(c)[1]) for c in random_configs(5, 30) + random_configs(6, 170)]
    for kind in ("valid", "kernel", "output_padding", "padding"):
        assert kinds.count(kind) >= 3, (kind, kinds.count(kind))
    assert "other" not in kinds


def test_sliders_typed_by_playwright_show_pythons_output_size_or_its_reason(explorer):
    root = explorer("conv-arithmetic")
    kinds = []
    for cfg in random_configs(5, 30):
        set_conv(root, cfg)
        kinds.append(check_against_python(cfg, read_conv(root)))
    assert len(set(kinds)) == 4


SET_AND_READ = """([root, cfgs]) => {
  const read = """ + READ_CONV + """;
  const set = (key, value) => {
    const el = root.querySelector(`input[data-cfs-param="${key}"]`);
    if (el.type === 'checkbox') { if (el.checked !== value) el.click(); return; }
    el.value = String(value);
    el.dispatchEvent(new Event('input', {bubbles: true}));
  };
  return cfgs.map(cfg => {
    set('transposed', cfg.transposed);
    for (const key of ['i', 'k', 's', 'p', 'd']) set(key, cfg[key]);
    if (cfg.transposed) set('op', cfg.op);
    return read(root);
  });
}"""


def test_slider_input_events_show_pythons_output_size_or_its_reason(explorer):
    """170 more configurations through the same controls, as input events dispatched in the page."""
    root = explorer("conv-arithmetic")
    page = explorer.page
    cfgs = random_configs(6, 170)
    shown = page.evaluate(SET_AND_READ, [root.element_handle(), cfgs])
    kinds = [check_against_python(cfg, s) for cfg, s in zip(cfgs, shown)]
    assert len(set(kinds)) == 4


def test_arith_matches_python_beyond_the_slider_ranges(explorer):
    root = explorer("conv-arithmetic")
    page = explorer.page
    wide = {"i": (1, 300), "k": (1, 12), "s": (1, 9), "p": (0, 12), "d": (1, 6), "op": (0, 8)}
    cfgs = random_configs(7, 2000, wide)
    got = page.evaluate("""cfgs => cfgs.map(c => c.transposed
        ? CFSExplorers.arith.convTransposeOutputSize(c.i, c.k, c.s, c.p, c.op, c.d)
        : CFSExplorers.arith.convOutputSize(c.i, c.k, c.s, c.p, c.d))""", cfgs)
    for cfg, r in zip(cfgs, got):
        o, message = python_says(cfg)
        assert r["valid"] == (message is None), (cfg, r, message)
        if o is not None:
            assert r["o"] == o, (cfg, r, o)
        else:
            assert r["reason"]["code"] == kind_of(message), (cfg, r, message)


def test_bad_arguments_are_invalid_like_check_int(explorer):
    root = explorer("conv-arithmetic")
    page = explorer.page
    cases = [(0, 3, 1, 0, 1), (5, 0, 1, 0, 1), (5, 3, 0, 0, 1), (5, 3, 1, -1, 1), (5, 3, 1, 0, 0), (5.5, 3, 1, 0, 1)]
    got = page.evaluate("cs => cs.map(c => CFSExplorers.arith.convOutputSize(...c))", cases)
    for case, r in zip(cases, got):
        with pytest.raises(ValueError):
            scratchnn.conv_output_size(*case)
        assert not r["valid"] and r["reason"]["code"] == "int", (case, r)


def test_invalid_kernel_is_explained_with_pythons_numbers(explorer):
    root = explorer("conv-arithmetic")
    set_conv(root, {"i": 6, "k": 5, "s": 1, "p": 1, "d": 2, "op": 0, "transposed": False})
    shown = read_conv(root)
    assert "effective kernel 9 (kernel 5, dilation 2) exceeds padded input 8" in shown["invalid"]
    assert root.locator('[data-cfs-action="step"]').is_disabled()
    assert root.locator(".cfs-window-invalid").count() == 1


STEP_ALL = """root => {
  const btn = root.querySelector('[data-cfs-action="step"]');
  const total = Number(root.getAttribute('data-cfs-positions'));
  const seen = [root.getAttribute('data-cfs-cell')];
  for (let n = 0; n < total; n++) {
    btn.click();
    seen.push(root.getAttribute('data-cfs-cell'));
    const cur = root.querySelector('.cfs-svg .cfs-c-cur');
    if (cur.getAttribute('data-cfs-out') !== seen[seen.length - 1]) throw new Error('highlight is not the cell');
  }
  return {total, seen};
}"""


@pytest.mark.parametrize("cfg", [
    {"i": 5, "k": 3, "s": 2, "p": 1, "d": 1, "op": 0, "transposed": False},
    {"i": 7, "k": 3, "s": 1, "p": 0, "d": 2, "op": 0, "transposed": False},
    {"i": 12, "k": 1, "s": 4, "p": 0, "d": 1, "op": 0, "transposed": False},
    {"i": 3, "k": 3, "s": 2, "p": 1, "d": 1, "op": 1, "transposed": True},
    {"i": 4, "k": 4, "s": 3, "p": 2, "d": 2, "op": 1, "transposed": True},
])
def test_step_visits_each_output_cell_once_in_row_major_order(explorer, cfg):
    root = explorer("conv-arithmetic")
    set_conv(root, cfg)
    o, _ = python_says(cfg)
    res = root.evaluate(STEP_ALL)
    assert res["total"] == o * o
    expected = [f"{r},{c}" for r in range(o) for c in range(o)]
    assert res["seen"][:-1] == expected
    assert res["seen"][-1] == "0,0"  # one more step wraps around


def test_step_button_clicks_write_the_output_cells_in_order(explorer):
    root = explorer("conv-arithmetic")
    set_conv(root, {"i": 5, "k": 3, "s": 2, "p": 1, "d": 1, "op": 0, "transposed": False})
    step = root.locator('[data-cfs-action="step"]')
    cells = []
    for n in range(9):
        cells.append(root.get_attribute("data-cfs-cell"))
        assert root.locator(".cfs-svg .cfs-c-cur").get_attribute("data-cfs-out") == cells[-1]
        assert f"Position {n + 1} of 9" in root.locator('[data-cfs-role="status"]').inner_text()
        step.click()
    assert cells == [f"{r},{c}" for r in range(3) for c in range(3)]
    root.locator('[data-cfs-action="back"]').click()
    assert root.get_attribute("data-cfs-cell") == "2,2"
    root.locator('[data-cfs-action="reset"]').click()
    assert root.get_attribute("data-cfs-cell") == "0,0"


def test_play_animates_through_all_positions_and_pause_stops(explorer):
    root = explorer("conv-arithmetic")
    page = explorer.page
    set_conv(root, {"i": 4, "k": 2, "s": 1, "p": 0, "d": 1, "op": 0, "transposed": False})  # o = 3
    root.evaluate("""root => {
      CFSExplorers.get(root).interval = 15;
      window.cfsSeen = [];
      new MutationObserver(() => window.cfsSeen.push(root.getAttribute('data-cfs-pos')))
        .observe(root, {attributes: true, attributeFilter: ['data-cfs-pos']});
    }""")
    play = root.locator('[data-cfs-action="play"]')
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => window.cfsSeen.length >= 12")
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    seen = [int(v) for v in page.evaluate("window.cfsSeen")]
    assert seen[:12] == [1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3]
    n = len(page.evaluate("window.cfsSeen"))
    page.wait_for_timeout(80)
    assert len(page.evaluate("window.cfsSeen")) == n  # paused: nothing moves


def test_highlighted_taps_are_the_dilated_kernel_at_the_window(explorer):
    root = explorer("conv-arithmetic", i=7, k=3, s=2, p=1, d=2)  # o = 3, window stride 2
    figure = root.locator('[data-cfs-role="figure"]')
    figure.focus()
    for _ in range(4):
        figure.press("ArrowRight")              # position 4: output (1, 1), window at (2, 2)
    assert root.get_attribute("data-cfs-cell") == "1,1"
    taps = root.evaluate("""root => [...root.querySelectorAll('.cfs-dynamic .cfs-c-tap')]
        .map(r => [(+r.getAttribute('y') - 1) / 10, (+r.getAttribute('x') - 1) / 10])""")
    assert sorted(map(tuple, taps)) == [(2 + 2 * a, 2 + 2 * b) for a in range(3) for b in range(3)]
    window = root.locator(".cfs-dynamic .cfs-window")
    assert [float(window.get_attribute(a)) for a in ("x", "y", "width", "height")] == [20, 20, 50, 50]


def test_transposed_is_drawn_as_direct_convolution_over_stretched_input(explorer):
    root = explorer("conv-arithmetic")
    page = explorer.page
    cfg = {"i": 3, "k": 3, "s": 2, "p": 1, "d": 1, "op": 1, "transposed": True}
    set_conv(root, cfg)
    assert root.locator('[data-cfs-field="op"]').is_visible()
    note = root.locator('[data-cfs-role="equivalent"]').inner_text()
    assert "s − 1 = 1 zero inserted" in note and "= 1 padding per side" in note and "output_padding = 1" in note
    # Equivalent grid: stretched input (i-1)s+1 = 5, padding d(k-1)-p = 1 per side, +1 output padding: 8.
    axis = page.evaluate("c => CFSExplorers.arith.convAxis(c).cells.map(x => x.t)", cfg)
    assert axis == ["pad", "in", "zero", "in", "zero", "in", "pad", "pad"]
    assert len(axis) - scratchnn.functional.sizes.effective_kernel_size(3, 1) + 1 == python_says(cfg)[0]
    assert root.locator(".cfs-grid-in .cfs-c-in").count() == 9  # the 3x3 input cells
    set_conv(root, {**cfg, "transposed": False})
    assert not root.locator('[data-cfs-field="op"]').is_visible()


def test_transposed_with_padding_beyond_the_kernel_crops_the_stretched_input(explorer):
    root = explorer("conv-arithmetic")
    page = explorer.page
    for cfg in random_configs(11, 300):
        cfg["transposed"] = True
        o, message = python_says(cfg)
        if message:
            continue
        axis = page.evaluate("c => CFSExplorers.arith.convAxis(c)", cfg)
        ek = scratchnn.functional.sizes.effective_kernel_size(cfg["k"], cfg["d"])
        assert len(axis["cells"]) - ek + 1 == o, cfg  # stride-1 windows over the drawn axis
        q = cfg["d"] * (cfg["k"] - 1) - cfg["p"]  # padding of the equivalent direct convolution
        assert (axis["cropStart"], axis["cropEnd"]) == (max(0, -q), max(0, -(q + cfg["op"]))), cfg
        stretched = (cfg["i"] - 1) * cfg["s"] + 1
        assert len(axis["cells"]) == stretched + 2 * q + cfg["op"], cfg


def test_moving_a_slider_while_playing_restarts_from_the_first_position(explorer):
    root = explorer("conv-arithmetic", i=6, k=3)
    root.evaluate("root => { CFSExplorers.get(root).interval = 60000; }")  # no tick during the test
    play = root.locator('[data-cfs-action="play"]')
    play.click()
    root.locator('[data-cfs-role="figure"]').press("ArrowRight")  # stepping by hand pauses
    assert play.get_attribute("aria-pressed") == "false"
    play.click()
    root.evaluate("root => CFSExplorers.get(root).go(5)")
    root.locator('input[data-cfs-param="i"]').fill("8")   # o = 6: 36 positions
    assert root.get_attribute("data-cfs-positions") == "36"
    assert root.get_attribute("data-cfs-pos") == "0"      # back at the start
    assert play.get_attribute("aria-pressed") == "true"
    root.locator('input[data-cfs-param="k"]').fill("7")   # o = 8 - 7 + 1 = 2
    assert root.get_attribute("data-cfs-positions") == "4"
    root.locator('input[data-cfs-param="d"]').fill("2")   # effective kernel 13 > 8: invalid, playing stops
    assert play.get_attribute("aria-pressed") == "false" and play.is_disabled()


def test_note_counts_zeros_and_cropped_cells_in_words(explorer):
    root = explorer("conv-arithmetic", lang="de", i=4, k=2, s=3, p=3, transposed="true", output_padding=2)
    note = root.locator('[data-cfs-role="equivalent"]').inner_text()
    assert "s − 1 = 2 Nullen zwischen" in note and "2 Zellen oben und links, 0 unten und rechts" in note


def test_clicking_an_output_cell_jumps_to_the_window_that_writes_it(explorer):
    root = explorer("conv-arithmetic", i=7, k=3, s=2, p=1)   # o = 4
    grid = root.locator(".cfs-grid-out rect")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    cell = box["width"] / 4
    explorer.page.mouse.click(box["x"] + 2.5 * cell, box["y"] + 3.5 * cell)
    assert root.get_attribute("data-cfs-cell") == "3,2"
    assert "window at row 6, column 4" in root.locator('[data-cfs-role="status"]').inner_text()
    explorer.page.mouse.click(box["x"] + 0.5 * cell, box["y"] + 1.5 * cell)  # on a cell already written
    assert root.get_attribute("data-cfs-cell") == "1,0"
