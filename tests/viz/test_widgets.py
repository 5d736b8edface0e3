"""The notebook explorers redraw on slider changes and show errors instead of raising."""
import subprocess
import sys

import pytest

pytest.importorskip("ipywidgets")

from scratchnn import viz  # noqa: E402


def test_conv_explorer_redraws_when_a_slider_moves():
    ex = viz.conv_explorer(i=5, k=3)
    assert ex.figure is not None and ex.figure.geometry.out_shape == (3, 3)
    assert ex.controls["t"].max == 8
    before = ex.redraws
    ex.controls["s"].value = 2
    assert ex.redraws > before
    assert ex.figure.geometry.out_shape == (2, 2)
    assert ex.controls["t"].max == 3
    ex.controls["t"].value = 3
    assert ex.figure.frames == [3]


def test_conv_explorer_shows_invalid_config_message():
    ex = viz.conv_explorer(i=3, k=3)
    ex.controls["k"].value = 5                      # kernel larger than the input
    assert ex.figure is None
    assert "effective kernel 5" in ex.message
    assert "effective kernel 5" in ex.status.value
    ex.controls["p"].value = 1                      # valid again
    assert ex.figure is not None and ex.message == "" and ex.status.value == ""


def test_conv_explorer_transposed_switch():
    ex = viz.conv_explorer(i=3, k=3, s=2)
    ex.controls["transposed"].value = True
    assert ex.figure.geometry.params["transposed"]
    assert ex.figure.geometry.out_shape == (7, 7)


def test_receptive_field_explorer_redraws_and_reports_errors():
    ex = viz.receptive_field_explorer(layers=2, kernel=3, input_size=9)
    assert len(ex.figure.picture.fields) == 3
    ex.controls["layers"].value = 4
    assert len(ex.figure.picture.fields) == 5
    ex.controls["input_size"].value = 4             # 4 layers of 3x3 do not fit into 4 pixels
    assert ex.figure is None and "exceeds padded input" in ex.message


def test_viz_imports_without_ipywidgets():
    code = ("import sys; sys.modules['ipywidgets'] = None\n"
            "from scratchnn import viz\n"
            "try:\n    viz.conv_explorer()\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"MPLBACKEND": "Agg", "PATH": ""}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "conv_explorer needs ipywidgets" in out.stdout
