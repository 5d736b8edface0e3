"""The worked example's numbers are conv2d's, and its written-out sums agree with them."""
import numpy as np
import pytest
import torch

from scratchnn import functional as F
from scratchnn import viz
from scratchnn.viz.style import format_number

X = np.array([[[1, 0, 2], [3, 1, 0], [0, 2, 1]],
              [[2, 1, 0], [0, 1, 3], [1, 0, 2]]], float)          # 3x3x2 input
W = np.array([[[[1, 0], [0, 1]], [[0, 1], [1, 0]]],
              [[[2, 1], [0, 1]], [[1, 0], [1, 1]]]], float)        # two 2x2x2 filters


def _drawn(ax, gid):
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


def test_drawn_outputs_equal_conv2d_and_torch():
    bias = np.array([0.0, 1.0])
    fig = viz.numeric_conv(X, W, bias)
    y = F.conv2d(X[None], W, bias)[0]
    ref = torch.nn.functional.conv2d(torch.tensor(X)[None], torch.tensor(W), torch.tensor(bias))[0].numpy()
    np.testing.assert_allclose(y, ref)
    assert y.shape == (2, 2, 2)
    for ax in fig.axes:
        assert _drawn(ax, "output-value") == [format_number(v) for v in y.ravel()]


@pytest.mark.parametrize("kw", [dict(), dict(stride=2, padding=1), dict(dilation=2, padding=1)])
def test_written_sum_of_products_equals_the_output_cell(kw):
    rng = np.random.default_rng(0)
    x = rng.integers(-2, 3, (2, 5, 5)).astype(float)
    w = rng.integers(-1, 2, (3, 2, 2, 2)).astype(float)
    anim = viz.animate_numeric_conv(x, w, **kw)
    pic = anim.picture
    y = F.conv2d(x[None], w, **kw)[0]
    assert len(anim.frame_list) == y.size
    for t in anim.frame_list:
        anim.update(t)
        j, pos = divmod(t, y.shape[1] * y.shape[2])
        a, b = divmod(pos, y.shape[2])
        assert pic.total(t) == pytest.approx(y[j, a, b])
        assert pic.sum_text.get_text().endswith(f"= {format_number(y[j, a, b])}")


def test_numeric_conv_rejects_mismatched_channels():
    with pytest.raises(ValueError, match="numeric_conv: weight has 3 input channels, x has 2"):
        viz.numeric_conv(X, np.ones((1, 3, 2, 2)))
