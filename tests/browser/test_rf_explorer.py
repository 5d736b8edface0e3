"""The receptive-field calculator shows scratchnn.receptive_field's table and draws the field it describes."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
import torch

import scratchnn
from cfs_ui import READ_RF, ints, number, read_rf, set_rf

pytestmark = pytest.mark.browser

COLUMNS = ("output_size", "receptive_field", "jump", "start")


def random_stacks(seed: int, n: int) -> list[tuple[int, list[tuple[int, int, int, int]]]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        size = rng.randint(1, 64)
        layers = [(rng.randint(1, 7), rng.randint(1, 3), rng.randint(0, 3), rng.randint(1, 3))
                  for _ in range(rng.randint(1, 5))]
        out.append((size, layers))
    return out


def python_table(size, layers):
    """Python's rows for every layer that exists, and (layer number, message) of the first invalid one."""
    try:
        return scratchnn.receptive_field(layers, size).to_dicts(), None
    except ValueError:
        pass
    for m in range(len(layers), 0, -1):  # the longest prefix that works
        try:
            rows = scratchnn.receptive_field(layers[:m - 1], size).to_dicts()
        except ValueError:
            continue
        try:
            scratchnn.receptive_field(layers[:m], size)
        except ValueError as err:
            return rows, (m, str(err).split(": ", 1)[1])
    raise AssertionError("unreachable: the empty stack always works")


def check_against_python(size, layers, shown) -> bool:
    """Compare the displayed table with Python's; True when some layer was invalid."""
    rows, bad = python_table(size, layers)
    where = json.dumps([size, layers])
    assert len(shown) == len(layers) + 1, where
    for n, row in enumerate(rows):
        assert shown[n]["valid"], f"{where}: row {n} invalid in the UI: {shown[n]['invalid']}"
        for col in COLUMNS:
            assert number(shown[n][col]) == row[col], f"{where}: row {n} {col}: {shown[n][col]} vs {row[col]}"
    if bad is None:
        return False
    m, message = bad
    assert not shown[m]["valid"], f"{where}: layer {m} valid in the UI, Python: {message}"
    ui = shown[m]["invalid"].split(":", 1)[1].strip()
    assert ints(ui) == ints(message), f"{where}: {ui!r} vs {message!r}"
    for later in shown[m + 1:]:
        assert not later["valid"] and f"invalid layer {m}" in later["invalid"], where
    return True


def test_stacks_cover_valid_and_invalid_tables():
    results = [python_table(size, layers)[1] is None for size, layers in random_stacks(1, 10) + random_stacks(2, 190)]
    assert 30 <= sum(results) <= 170


def test_table_typed_by_playwright_matches_receptive_field(explorer):
    root = explorer("receptive-field")
    invalid = 0
    for size, layers in random_stacks(1, 10):
        set_rf(root, size, layers)
        invalid += check_against_python(size, layers, read_rf(root))
    assert 0 < invalid < 10


SET_AND_READ = """([root, stacks]) => {
  const read = """ + READ_RF + """;
  const type = (el, v) => {  // like a user: only touch a field whose value differs
    if (el.value === String(v)) return;
    el.value = String(v);
    el.dispatchEvent(new Event('input', {bubbles: true}));
  };
  return stacks.map(([size, layers]) => {
    type(root.querySelector('[data-cfs-param="input-size"]'), size);
    let rows;
    while ((rows = root.querySelectorAll('tbody tr').length - 1) > layers.length) {
      const rm = root.querySelectorAll('[data-cfs-action="remove"]'); rm[rm.length - 1].click();
    }
    while (root.querySelectorAll('tbody tr').length - 1 < layers.length) {
      root.querySelector('[data-cfs-action="add"]').click();
    }
    layers.forEach((layer, idx) => {
      const tr = root.querySelector(`tbody tr[data-cfs-row="${idx + 1}"]`);
      ['k', 's', 'p', 'd'].forEach((key, j) => type(tr.querySelector(`input[data-cfs-param="${key}"]`), layer[j]));
    });
    return read(root);
  });
}"""


def test_table_input_events_match_receptive_field(explorer):
    """190 more stacks through the same inputs and buttons, as events dispatched in the page."""
    root = explorer("receptive-field")
    page = explorer.page
    stacks = random_stacks(2, 190)
    shown = page.evaluate(SET_AND_READ, [root.element_handle(), stacks])
    invalid = sum(check_against_python(size, layers, s) for (size, layers), s in zip(stacks, shown))
    assert 0 < invalid < 190


def test_arith_matches_receptive_field_for_deep_stacks(explorer):
    root = explorer("receptive-field")
    page = explorer.page
    rng = random.Random(3)
    stacks = [(rng.randint(1, 512), [(rng.randint(1, 9), rng.randint(1, 4), rng.randint(0, 4), rng.randint(1, 4))
                                      for _ in range(rng.randint(0, 10))]) for _ in range(500)]
    got = page.evaluate("""stacks => stacks.map(([size, layers]) => CFSExplorers.arith.receptiveField(
        layers.map(([k, s, p, d]) => ({k, s, p, d})), size))""", stacks)
    for (size, layers), rows in zip(stacks, got):
        expected, bad = python_table(size, layers)
        for n, row in enumerate(expected):
            assert rows[n]["valid"], (size, layers, n)
            assert {c: rows[n][c] for c in COLUMNS + ("name",)} == {c: row[c] for c in COLUMNS + ("name",)}
        if bad:
            assert [r["valid"] for r in rows[bad[0]:]] == [False] * (len(layers) + 1 - bad[0])


def test_invalid_layer_marks_its_row_and_the_rest_with_the_reason(explorer):
    root = explorer("receptive-field")
    set_rf(root, 8, [(3, 1, 0, 1), (9, 1, 1, 1), (3, 1, 1, 1)])
    shown = read_rf(root)
    assert [r["valid"] for r in shown] == [True, True, False, False]
    assert "effective kernel 9 (kernel 9, dilation 1) exceeds padded input 8 (input 6, padding 1 per side)" \
        in shown[2]["invalid"]
    assert "follows invalid layer 2" in shown[3]["invalid"]
    assert root.locator("tr.cfs-row-invalid").count() == 2
    # Fixing the kernel brings the numbers back.
    root.locator('tbody tr[data-cfs-row="2"] input[data-cfs-param="k"]').fill("3")
    assert [r["valid"] for r in read_rf(root)] == [True] * 4
    # A non-number is invalid like Python's check, not NaN.
    root.locator('[data-cfs-param="input-size"]').fill("")
    shown = read_rf(root)
    assert not any(r["valid"] for r in shown)
    assert "input_size=" in shown[0]["invalid"] and "must be an integer >= 1" in shown[0]["invalid"]
    with pytest.raises(ValueError, match="input_size=0 must be an integer >= 1"):
        scratchnn.receptive_field([(3, 1, 1, 1)], 0)


def influencing_pixels(size: int, layers, u: int) -> list[int]:
    """Input pixels whose value changes output u of the last layer: nonzero gradient through torch conv1d."""
    x = torch.ones(1, 1, size, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s, p, d in layers:
        y = torch.nn.functional.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, padding=p, dilation=d)
    y[0, 0, u].backward()
    return np.flatnonzero(x.grad[0, 0].numpy()).tolist()


@pytest.mark.parametrize("size,layers,cell", [
    (16, [(3, 1, 1, 1), (3, 2, 1, 1), (3, 1, 2, 2)], (0, 0)),
    (16, [(3, 1, 1, 1), (3, 2, 1, 1), (3, 1, 2, 2)], (5, 2)),
    (20, [(3, 1, 0, 2)], (3, 1)),          # dilation leaves holes
    (11, [(2, 2, 0, 1), (3, 2, 1, 1), (2, 1, 1, 3)], (1, 0)),
    (30, [(5, 3, 2, 1), (3, 1, 0, 2)], (1, 3)),
])
def test_drawing_highlights_exactly_the_pixels_that_influence_the_chosen_cell(explorer, size, layers, cell):
    root = explorer("receptive-field")
    set_rf(root, size, layers)
    root.locator('[data-cfs-param="show-row"]').fill(str(cell[0]))
    root.locator('[data-cfs-param="show-col"]').fill(str(cell[1]))
    rows_px = influencing_pixels(size, layers, cell[0])
    cols_px = influencing_pixels(size, layers, cell[1])
    assert int(root.get_attribute("data-cfs-influence")) == len(rows_px) * len(cols_px)
    # The highlighted rectangles cover exactly those pixels.
    covered = root.evaluate("""root => {
      const out = [];
      for (const r of root.querySelectorAll('.cfs-influence rect')) {
        const x = +r.getAttribute('x') / 10, y = +r.getAttribute('y') / 10;
        const w = +r.getAttribute('width') / 10, h = +r.getAttribute('height') / 10;
        for (let a = y; a < y + h; a++) for (let b = x; b < x + w; b++) out.push([a, b]);
      }
      return out;
    }""")
    assert sorted(map(tuple, covered)) == [(r, c) for r in rows_px for c in cols_px]
    # The text states the formula's field, which contains every influencing pixel.
    last = scratchnn.receptive_field(layers, size)[-1]
    text = root.locator('[data-cfs-role="field"]').inner_text()
    centre_r = last.start + cell[0] * last.jump
    half = (last.receptive_field - 1) / 2
    assert f"receptive field {last.receptive_field} × {last.receptive_field}" in text
    assert centre_r - half <= min(rows_px) and max(rows_px) <= centre_r + half


def test_chosen_cell_is_clamped_to_the_layers_output(explorer):
    root = explorer("receptive-field")
    set_rf(root, 8, [(3, 2, 1, 1)])  # output 4
    root.locator('[data-cfs-param="show-row"]').fill("9")
    assert root.locator('[data-cfs-param="show-row"]').input_value() == "3"
    root.locator('[data-cfs-param="show-layer"]').select_option("0")
    text = root.locator('[data-cfs-role="field"]').inner_text()
    assert "receptive field 1 × 1" in text and "of layer 0 (input)" in text


BAD_NUMBERS = [(0, [(3, 1, 1, 1)]), (8, [(0, 1, 1, 1)]), (8, [(3, 0, 1, 1)]), (8, [(3, 1, -1, 1)]),
               (8, [(3, 1, 1, 0)]), (8, [(3, 1, 1, 1), (2, 1, 0, 0)])]


def test_bad_numbers_typed_in_the_table_are_invalid_like_python(explorer):
    root = explorer("receptive-field")
    for size, layers in BAD_NUMBERS:
        set_rf(root, size, layers)
        shown = read_rf(root)
        with pytest.raises(ValueError, match="must be an integer >="):
            scratchnn.receptive_field(layers, size)
        first_bad = next(n for n, row in enumerate(shown) if not row["valid"])
        assert "must be an integer >=" in shown[first_bad]["invalid"], (size, layers)
        assert not any(row["valid"] for row in shown[first_bad:]), (size, layers)
        assert first_bad == (0 if size < 1 else len(layers)), (size, layers)
