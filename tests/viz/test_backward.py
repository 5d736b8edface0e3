"""The deltas the backward picture gathers are exactly conv2d_backward's dependencies."""
import numpy as np
import pytest

from scratchnn import functional as F
from scratchnn import viz
from scratchnn.viz.style import cells_of

CASES = [(5, 3, 1, 0, 1), (5, 3, 2, 1, 1), (6, 3, 2, 0, 1), (7, 3, 1, 2, 2), (8, 2, 3, 1, 1), (6, 3, 2, 1, 2)]


def _dependency(i, k, s, p, d):
    """dep[a, b, r, c]: does y[a, b] depend on x[r, c]? (one-hot grad_output through conv2d_backward)"""
    x = np.zeros((1, 1, i, i))
    w = np.ones((1, 1, k, k))                    # positive weights: no cancellation
    o = F.conv_output_size(i, k, s, p, d)
    dep = np.zeros((o, o, i, i), dtype=bool)
    for a in range(o):
        for b in range(o):
            g = np.zeros((1, 1, o, o))
            g[0, 0, a, b] = 1.0
            gi, _, _ = F.conv2d_backward(g, x, w, stride=s, padding=p, dilation=d)
            dep[a, b] = gi[0, 0] != 0
    return dep


@pytest.mark.parametrize("i,k,s,p,d", CASES)
def test_deltas_reaching_an_input_cell_match_conv2d_backward(i, k, s, p, d):
    dep = _dependency(i, k, s, p, d)
    anim = viz.animate_conv_backward(i, k, s, p, d)
    pic = anim.picture
    assert len(anim.frame_list) == i * i
    for t in anim.frame_list:
        r, c = divmod(t, i)
        expected = sorted(zip(*map(list, np.nonzero(dep[:, :, r, c]))))
        assert pic.deltas(t) == expected                 # backward view: window over dilated deltas
        assert pic.reached_forward(t) == expected        # forward view: windows covering x[r, c]
        anim.update(t)
        assert cells_of(pic.reached, pic.out_org) == expected


@pytest.mark.parametrize("i,k,s,p,d", CASES)
def test_backward_canvas_inserts_stride_zeros_between_deltas(i, k, s, p, d):
    _, bwd = viz.backward.backward_geometry(i, k, s, p, d)
    o = F.conv_output_size(i, k, s, p, d)
    roles = bwd.roles()
    assert (roles == "input").sum() == o * o
    assert (roles == "zero").sum() == ((o - 1) * s + 1) ** 2 - o * o
    assert bwd.out_shape == (i, i)
