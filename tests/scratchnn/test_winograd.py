"""Winograd convolution (Lavin & Gray 2016): the matrices, PyTorch agreement, float32 error."""
from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import scratchnn.functional as F
from scratchnn.functional import conv_auto, conv_winograd
from scratchnn.functional._conv_args import ConvGeometry
from scratchnn.layers import Conv2D

# the matrices as printed by Lavin & Gray (2016), F(2x2, 3x3) and F(4x4, 3x3)
PAPER = {
    2: ([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
        [[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]],
        [[1, 1, 1, 0], [0, 1, -1, -1]]),
    4: ([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0],
         [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
        [[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6],
         [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]],
        [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]),
}


@pytest.mark.parametrize("m", [2, 4])
def test_matrices_are_the_papers(m):
    for ours, paper in zip(conv_winograd._matrices(m, np.dtype(np.float64)), PAPER[m]):
        np.testing.assert_array_equal(ours, np.array(paper, float))


@pytest.mark.parametrize("m,points", [(2, None), (4, None), (3, (0, 1, -1, Fraction(1, 2)))])
def test_toom_cook_computes_a_correlation_exactly(m, points):
    """y = Aᵀ[(G g) ⊙ (Bᵀ d)] is y[i] = Σ_k d[i+k] g[k], in exact arithmetic, for any points."""
    bt, g_mat, at = conv_winograd.toom_cook(m, 3, points)
    rng = np.random.default_rng(m)
    for _ in range(5):
        d = [Fraction(int(v)) for v in rng.integers(-9, 10, m + 2)]
        g = [Fraction(int(v)) for v in rng.integers(-9, 10, 3)]
        u = [sum(row[k] * g[k] for k in range(3)) for row in g_mat]
        v = [sum(row[i] * d[i] for i in range(m + 2)) for row in bt]
        y = [sum(row[a] * u[a] * v[a] for a in range(m + 2)) for row in at]
        assert y == [sum(d[i + k] * g[k] for k in range(3)) for i in range(m)]


def test_toom_cook_refuses_repeated_points():
    with pytest.raises(ValueError, match=r"toom_cook: F\(2, 3\) needs 3 distinct finite points"):
        conv_winograd.toom_cook(2, 3, (0, 1, 1))


SHAPES = [  # (x shape, weight shape, padding, groups)
    ((2, 4, 7, 9), (6, 4, 3, 3), 1, 1),
    ((3, 16, 10, 11), (16, 16, 3, 3), 0, 1),
    ((2, 6, 5, 5), (4, 3, 3, 3), 2, 2),
    ((1, 2, 8, 8), (3, 2, 3, 3), "same", 1),
    ((2, 16, 6, 5), (16, 16, 3, 3), (0, 2), 1),
    ((1, 3, 3, 3), (2, 3, 3, 3), 0, 1),
    ((2, 8, 12, 4), (8, 1, 3, 3), 1, 8),
]


def _torch_grads(x, w, b, g, padding, groups, dilation=1):
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    yt = TF.conv2d(xt, wt, bt, 1, padding, dilation, groups)
    yt.backward(torch.tensor(g))
    return yt.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


@pytest.mark.parametrize("impl", ["winograd", "winograd2", "auto"])
@pytest.mark.parametrize("x_shape,w_shape,padding,groups", SHAPES)
def test_winograd_matches_torch_in_float64(impl, x_shape, w_shape, padding, groups):
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    y = F.conv2d(x, w, b, 1, padding, 1, groups, impl=impl)
    g = rng.standard_normal(y.shape)
    ours = (y,) + F.conv2d_backward(g, x, w, 1, padding, 1, groups, impl=impl)
    for a, t in zip(ours, _torch_grads(x, w, b, g, padding, groups)):
        np.testing.assert_allclose(a, t, rtol=0, atol=1e-10)


@pytest.mark.parametrize("impl", ["winograd", "winograd2", "auto"])
@pytest.mark.parametrize("x_shape,w_shape,padding,dilation", [
    ((2, 16, 32, 32), (16, 16, 3, 3), 2, 2),
    ((2, 4, 11, 9), (5, 4, 3, 3), (1, 3), (2, 3)),
    ((1, 3, 9, 10), (2, 3, 3, 3), 0, 4),
    ((2, 16, 7, 7), (16, 16, 3, 3), "same", (3, 1)),
])
def test_dilated_winograd_by_phases_matches_torch(impl, x_shape, w_shape, padding, dilation):
    rng = np.random.default_rng(11)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    y = F.conv2d(x, w, b, 1, padding, dilation, impl=impl)
    g = rng.standard_normal(y.shape)
    ours = (y,) + F.conv2d_backward(g, x, w, 1, padding, dilation, impl=impl)
    for a, t in zip(ours, _torch_grads(x, w, b, g, padding, 1, dilation)):
        np.testing.assert_allclose(a, t, rtol=0, atol=1e-10)


@pytest.mark.parametrize("impl", ["winograd", "winograd2"])
@pytest.mark.parametrize("padding", [0, 1, 2])
def test_transposed_convolution_through_winograd_matches_torch(impl, padding):
    rng = np.random.default_rng(padding)
    x, w = rng.standard_normal((2, 5, 6, 7)), rng.standard_normal((5, 4, 3, 3))
    y = F.conv_transpose2d(x, w, None, 1, padding, impl=impl)
    g = rng.standard_normal(y.shape)
    gx, gw, _ = F.conv_transpose2d_backward(g, x, w, 1, padding, impl=impl)
    xt, wt = (torch.tensor(a, requires_grad=True) for a in (x, w))
    yt = TF.conv_transpose2d(xt, wt, None, 1, padding)
    yt.backward(torch.tensor(g))
    for a, t in ((y, yt), (gx, xt.grad), (gw, wt.grad)):
        np.testing.assert_allclose(a, t.detach().numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("where", ["x", "weight", "grad_output"])
def test_non_finite_values_stay_where_torch_puts_them(where):
    """A transform mixes a whole tile; inf/NaN go to im2col, which keeps them in their windows."""
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 16, 9, 9)), rng.standard_normal((16, 16, 3, 3))
    b = np.zeros(16)
    if where in ("x", "weight"):
        {"x": x, "weight": w}[where][0, 3, 1, 2] = np.nan
    y = F.conv2d(x, w, b, padding=1, impl="winograd")
    g = rng.standard_normal(y.shape)
    if where == "grad_output":
        g[0, 3, 4, 4] = np.inf
    ours = (y,) + F.conv2d_backward(g, x, w, padding=1, impl="winograd")
    for a, t in zip(ours, _torch_grads(x, w, b, g, 1, 1)):
        np.testing.assert_array_equal(np.isnan(a), np.isnan(t))
        np.testing.assert_allclose(a, t, rtol=0, atol=1e-10)


@pytest.mark.parametrize("kwargs", [dict(stride=2), dict(w_shape=(2, 3, 5, 5)), dict(stride=(1, 2))])
def test_winograd_asked_for_where_it_cannot_apply_is_refused(kwargs):
    w = np.ones(kwargs.pop("w_shape", (2, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"conv2d: impl='winograd' needs a 3x3 kernel with stride 1, "
                                         r"got kernel"):
        F.conv2d(np.ones((1, 3, 9, 9)), w, impl="winograd", **kwargs)


def test_auto_picks_winograd_for_wide_3x3_stride_1_layers_only():
    def geometry(k=3, s=1, d=1):
        return ConvGeometry((k, k), (s, s), (d, d), ((1, 1), (1, 1)), 1, (32, 32), (32, 32))
    assert conv_auto.choose("auto", geometry(), (64, 64, 3, 3)) == "winograd"
    assert conv_auto.choose("auto", geometry(), (16, 3, 3, 3)) == "im2col"
    assert conv_auto.choose("auto", geometry(s=2), (64, 64, 3, 3)) == "im2col"
    assert conv_auto.choose("auto", geometry(d=2), (64, 64, 3, 3)) == "im2col"  # measured slower
    assert conv_auto.choose("auto", geometry(k=5), (64, 64, 5, 5)) == "im2col"
    assert Conv2D(3, 4, 3).impl == "auto"


# float32: the benchmark's 3x3 stride-1 layers, error relative to torch in float64
BENCHMARK_LAYERS = [(32, 3, 16, 32), (32, 16, 32, 32), (64, 32, 64, 16), (8, 64, 64, 56)]


@pytest.mark.parametrize("m,bound", [(2, 1e-5), (4, 1e-4)])
@pytest.mark.parametrize("layer", BENCHMARK_LAYERS, ids=lambda c: "x".join(map(str, c)))
def test_float32_error_on_the_benchmark_layers(layer, m, bound):
    n, c_in, c_out, size = layer
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c_in, size, size)).astype(np.float32)
    w = rng.standard_normal((c_out, c_in, 3, 3)).astype(np.float32)
    g = rng.standard_normal((n, c_out, size, size)).astype(np.float32)
    xt, wt = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, w))
    yt = TF.conv2d(xt, wt, padding=1)
    yt.backward(torch.tensor(g, dtype=torch.float64))
    impl = "winograd" if m == 4 else "winograd2"
    y = F.conv2d(x, w, padding=1, impl=impl)
    gx, gw, _ = F.conv2d_backward(g, x, w, padding=1, impl=impl)
    for ours, theirs in ((y, yt), (gx, xt.grad), (gw, wt.grad)):
        assert ours.dtype == np.float32
        reference = theirs.detach().numpy()
        assert np.abs(ours - reference).max() / np.abs(reference).max() < bound
