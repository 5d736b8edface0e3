"""Drive the explorers through their controls and read what they display (shared by the browser tests)."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CONV_KEYS = ("i", "k", "s", "p", "d")

READ_CONV = """root => {
  const q = sel => root.querySelector(sel);
  const size = q('[data-cfs-role="output-size"]');
  const bad = q('[data-cfs-role="invalid"]');
  return {
    valid: root.getAttribute('data-cfs-valid') === 'true',
    size: size ? size.textContent : null,
    invalid: bad ? bad.textContent : null,
    formula: q('[data-cfs-role="formula"]').textContent,
    positions: Number(root.getAttribute('data-cfs-positions')),
    cell: root.getAttribute('data-cfs-cell'),
    shown: Object.fromEntries([...root.querySelectorAll('output[data-cfs-value]')]
                              .map(o => [o.dataset.cfsValue, o.textContent])),
  };
}"""

READ_RF = """root => [...root.querySelectorAll('tbody tr')].map(tr => {
  const cell = c => { const td = tr.querySelector(`[data-cfs-col="${c}"]`); return td ? td.textContent : null; };
  const bad = tr.querySelector('[data-cfs-role="invalid"]');
  return { valid: tr.getAttribute('data-cfs-valid') === 'true', output_size: cell('output_size'),
           receptive_field: cell('receptive_field'), jump: cell('jump'), start: cell('start'),
           invalid: bad ? bad.textContent : null };
})"""


def set_conv(root, cfg: dict) -> None:
    """Set the conv explorer's controls like a user: checkbox, then each slider."""
    root.locator('[data-cfs-param="transposed"]').set_checked(cfg["transposed"])
    for key in CONV_KEYS:
        root.locator(f'input[data-cfs-param="{key}"]').fill(str(cfg[key]), force=True)
    if cfg["transposed"]:
        root.locator('input[data-cfs-param="op"]').fill(str(cfg["op"]), force=True)


def read_conv(root) -> dict:
    return root.evaluate(READ_CONV)


def set_rf(root, size: int, layers: list[tuple[int, int, int, int]]) -> None:
    """Type the input size, add or remove rows until there are len(layers), type k, s, p, d per row."""
    root.locator('[data-cfs-param="input-size"]').fill(str(size), force=True)
    rows = root.locator('tbody tr')
    while rows.count() - 1 > len(layers):
        root.locator('[data-cfs-action="remove"]').last.click()
    while rows.count() - 1 < len(layers):
        root.locator('[data-cfs-action="add"]').click()
    for n, layer in enumerate(layers, start=1):
        tr = root.locator(f'tbody tr[data-cfs-row="{n}"]')
        for key, value in zip("kspd", layer):
            tr.locator(f'input[data-cfs-param="{key}"]').fill(str(value), force=True)


def read_rf(root) -> list[dict]:
    return root.evaluate(READ_RF)


def number(text: str) -> float:
    """A number as the UI prints it: real minus sign, German decimal comma."""
    return float(text.replace("\u2212", "-").replace(",", "."))


def ints(text: str) -> list[int]:
    """The integers in a message, in order (to compare the UI's reason with Python's)."""
    return [int(v) for v in re.findall(r"-?\d+", text.replace("\u2212", "-"))]
