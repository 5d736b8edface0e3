"""The README's "Train a small CNN" example runs exactly as written and learns the digits."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Train a small CNN", 1)[1]
    return re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)


def test_the_example_is_at_most_15_lines():
    assert len(readme_example().strip("\n").splitlines()) <= 15


def test_the_train_a_small_cnn_example_runs_as_written_and_reaches_90_percent():
    proc = subprocess.run([sys.executable, "-c", readme_example()], capture_output=True, text=True,
                          timeout=600, cwd=README.parent)
    assert proc.returncode == 0, proc.stderr
    epochs = re.findall(r"^epoch (\d+): loss ([\d.]+), test accuracy ([\d.]+)%$", proc.stdout, flags=re.M)
    assert [int(e) for e, _, _ in epochs] == [1, 2, 3, 4, 5], proc.stdout
    losses = [float(l) for _, l, _ in epochs]
    assert float(epochs[-1][2]) >= 90.0 and losses[-1] < losses[0], proc.stdout
