"""For any valid sizes, the drawn convolution is the one PyTorch computes."""
import numpy as np
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scratchnn import viz
from scratchnn.functional import conv_output_size, conv_transpose_output_size

sizes = st.tuples(st.integers(1, 7), st.integers(1, 4), st.integers(1, 3), st.integers(0, 3), st.integers(1, 3))


def _drawn_output(g, x, w):
    """Sum of canvas value × weight under every drawn window."""
    canvas = g.canvas_values(x)
    return np.array([sum(canvas[r, c] * wv for (r, c), wv in zip(g.window(t), w.ravel()))
                     for t in range(g.n_frames)]).reshape(g.out_shape)


@settings(max_examples=60, deadline=None)
@given(sizes, st.integers(0, 2**31 - 1))
def test_direct_picture_computes_torch_conv2d(params, seed):
    i, k, s, p, d = params
    assume(d * (k - 1) + 1 <= i + 2 * p)
    g = viz.conv_geometry(i, k, s, p, d)
    o = conv_output_size(i, k, s, p, d)
    assert g.n_frames == o * o
    assert all(0 <= r < g.canvas_shape[0] and 0 <= c < g.canvas_shape[1]
               for t in range(g.n_frames) for r, c in g.window(t))
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(i, i)), rng.normal(size=(k, k))
    ref = torch.nn.functional.conv2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None],
                                     stride=s, padding=p, dilation=d)[0, 0].numpy()
    np.testing.assert_allclose(_drawn_output(g, x, w), ref, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(sizes, st.integers(0, 2), st.integers(0, 2**31 - 1))
def test_transposed_picture_computes_torch_conv_transpose2d(params, op, seed):
    i, k, s, p, d = params
    assume(op < max(s, d) and (i - 1) * s - 2 * p + d * (k - 1) + op + 1 >= 1)
    g = viz.conv_geometry(i, k, s, p, d, transposed=True, output_padding=op)
    o = conv_transpose_output_size(i, k, s, p, op, d)
    assert g.n_frames == o * o
    assert all(0 <= r < g.canvas_shape[0] and 0 <= c < g.canvas_shape[1]
               for t in range(g.n_frames) for r, c in g.window(t))
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=(i, i)), rng.normal(size=(k, k))
    ref = torch.nn.functional.conv_transpose2d(
        torch.tensor(x)[None, None], torch.tensor(w[::-1, ::-1].copy())[None, None],
        stride=s, padding=p, output_padding=op, dilation=d)[0, 0].numpy()
    np.testing.assert_allclose(_drawn_output(g, x, w), ref, atol=1e-12)
