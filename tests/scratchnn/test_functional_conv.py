"""conv2d, conv2d_backward and conv_transpose2d against PyTorch (float64, 1e-10)."""
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as tF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scratchnn.functional as F

TOL = 1e-10
IMPLS = ["loops", "im2col"]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _t(a, grad=True):
    return torch.tensor(a, requires_grad=grad)


def _torch_padding(padding, kernel, dilation):
    """Our padding in a form torch's conv2d takes ("full" is ours only)."""
    if padding == "full":
        return tuple(d * (k - 1) for k, d in zip(kernel, dilation))
    return padding


@st.composite
def conv_configs(draw):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    c_group = draw(st.integers(1, 3))          # C_in / groups; 1 with groups > 1 is depthwise
    f_group = draw(st.integers(1, 3))          # C_out / groups
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)),
                             st.sampled_from(["valid", "same", "full"])))
    if padding == "same":
        stride = (1, 1)
    else:
        stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    pads = F.resolve_padding(padding, kernel, stride, dilation)
    size = tuple(max(1, d * (k - 1) + 1 - sum(p)) + draw(st.integers(0, 4))
                 for k, d, p in zip(kernel, dilation, pads))
    batch = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**31))
    return dict(x_shape=(batch, c_group * groups) + size,
                w_shape=(f_group * groups, c_group) + kernel,
                stride=stride, padding=padding, dilation=dilation, groups=groups, seed=seed)


def _arrays(cfg, dtype=np.float64):
    rng = np.random.default_rng(cfg["seed"])
    x = rng.standard_normal(cfg["x_shape"]).astype(dtype)
    w = rng.standard_normal(cfg["w_shape"]).astype(dtype)
    b = rng.standard_normal(cfg["w_shape"][0]).astype(dtype)
    return rng, x, w, b


def _args(cfg):
    return cfg["stride"], cfg["padding"], cfg["dilation"], cfg["groups"]


@pytest.mark.parametrize("impl", IMPLS)
@SETTINGS
@given(cfg=conv_configs())
def test_conv2d_forward_and_all_gradients_match_torch(impl, cfg):
    rng, x, w, b = _arrays(cfg)
    s, p, d, g = _args(cfg)
    tx, tw, tb = _t(x), _t(w), _t(b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about "same" with even kernels
        ty = tF.conv2d(tx, tw, tb, s, _torch_padding(p, w.shape[2:], d), d, g)
    y = F.conv2d(x, w, b, s, p, d, g, impl=impl)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL)
    grad_output = rng.standard_normal(y.shape)
    ty.backward(torch.tensor(grad_output))
    gx, gw, gb = F.conv2d_backward(grad_output, x, w, s, p, d, g, impl=impl)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(gb, tb.grad.numpy(), rtol=0, atol=TOL)


@settings(max_examples=100, deadline=None)
@given(cfg=conv_configs())
def test_loops_and_im2col_agree_in_float32(cfg):
    rng, x, w, b = _arrays(cfg, np.float32)
    s, p, d, g = _args(cfg)
    y_loops = F.conv2d(x, w, b, s, p, d, g, impl="loops")
    y_fast = F.conv2d(x, w, b, s, p, d, g, impl="im2col")
    assert y_loops.dtype == y_fast.dtype == np.float32
    np.testing.assert_allclose(y_loops, y_fast, rtol=1e-5, atol=1e-5)
    go = rng.standard_normal(y_fast.shape).astype(np.float32)
    for a, c in zip(F.conv2d_backward(go, x, w, s, p, d, g, impl="loops"),
                    F.conv2d_backward(go, x, w, s, p, d, g, impl="im2col")):
        assert a.dtype == c.dtype == np.float32
        np.testing.assert_allclose(a, c, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("impl", IMPLS)
@settings(max_examples=60, deadline=None)
@given(cfg=conv_configs())
def test_float32_agrees_with_float64_and_keeps_dtype(impl, cfg):
    rng, x, w, b = _arrays(cfg)
    s, p, d, g = _args(cfg)
    y64 = F.conv2d(x, w, b, s, p, d, g, impl=impl)
    y32 = F.conv2d(*(a.astype(np.float32) for a in (x, w, b)), s, p, d, g, impl=impl)
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, y64, rtol=1e-5, atol=1e-5 * max(1, np.abs(y64).max()))
    go = rng.standard_normal(y64.shape)
    grads64 = F.conv2d_backward(go, x, w, s, p, d, g, impl=impl)
    grads32 = F.conv2d_backward(go.astype(np.float32), x.astype(np.float32),
                                w.astype(np.float32), s, p, d, g, impl=impl)
    for a32, a64 in zip(grads32, grads64):
        assert a32.dtype == np.float32
        np.testing.assert_allclose(a32, a64, rtol=1e-5, atol=1e-5 * max(1, np.abs(a64).max()))


@pytest.mark.parametrize("kernel,dilation", [((2, 4), (1, 1)), ((3, 2), (2, 3)), ((4, 4), (1, 2)),
                                             ((1, 5), (1, 1))])
def test_same_padding_keeps_size_and_puts_the_extra_row_last_like_torch(kernel, dilation):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3) + kernel)
    y = F.conv2d(x, w, padding="same", dilation=dilation)
    assert y.shape == (2, 4, 7, 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = tF.conv2d(torch.tensor(x), torch.tensor(w), padding="same", dilation=dilation)
    np.testing.assert_allclose(y, ref.numpy(), rtol=0, atol=TOL)


def test_full_padding_grows_output_by_effective_kernel_minus_one():
    y = F.conv2d(np.ones((1, 1, 5, 4)), np.ones((1, 1, 3, 2)), padding="full", dilation=(1, 2))
    assert y.shape == (1, 1, 5 + 2, 4 + 2)
    assert y[0, 0, 0, 0] == 1.0  # the corner window overlaps the input in one value


def test_valid_padding_is_no_padding():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((1, 2, 6, 5)), rng.standard_normal((3, 2, 3, 3))
    np.testing.assert_array_equal(F.conv2d(x, w, padding="valid"), F.conv2d(x, w, padding=0))


def test_conv2d_example_by_hand():
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    # y[i, j] = x[i, j] - x[i+1, j+1] = -4 everywhere
    for impl in IMPLS:
        np.testing.assert_array_equal(F.conv2d(x, w, np.array([1.0]), impl=impl),
                                      np.full((1, 1, 2, 2), -3.0))


@st.composite
def transpose_configs(draw):
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in, c_out = groups * draw(st.integers(1, 3)), groups * draw(st.integers(1, 3))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    size = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    # padding may not eat the whole output
    padding = tuple(draw(st.integers(0, max(0, ((i - 1) * s + d * (k - 1) + op) // 2)))
                    for i, s, d, k, op in zip(size, stride, dilation, kernel, output_padding))
    return dict(x_shape=(draw(st.integers(1, 3)), c_in) + size,
                w_shape=(c_in, c_out // groups) + kernel, stride=stride, padding=padding,
                output_padding=output_padding, groups=groups, dilation=dilation,
                seed=draw(st.integers(0, 2**31)))


@pytest.mark.parametrize("impl", IMPLS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cfg=transpose_configs())
def test_conv_transpose2d_and_its_gradients_match_torch(impl, cfg):
    rng = np.random.default_rng(cfg["seed"])
    x, w = rng.standard_normal(cfg["x_shape"]), rng.standard_normal(cfg["w_shape"])
    b = rng.standard_normal(cfg["w_shape"][1] * cfg["groups"])
    args = (cfg["stride"], cfg["padding"], cfg["output_padding"], cfg["groups"], cfg["dilation"])
    tx, tw, tb = _t(x), _t(w), _t(b)
    ty = tF.conv_transpose2d(tx, tw, tb, *args)
    y = F.conv_transpose2d(x, w, b, *args, impl=impl)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL)
    grad_output = rng.standard_normal(y.shape)
    ty.backward(torch.tensor(grad_output))
    gx, gw, gb = F.conv_transpose2d_backward(grad_output, x, w, *args, impl=impl)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(gb, tb.grad.numpy(), rtol=0, atol=TOL)


def test_conv_transpose2d_is_the_input_gradient_of_conv2d():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 3, 7, 8)), rng.standard_normal((4, 3, 3, 2))
    y = F.conv2d(x, w, stride=2, padding=1)
    g = rng.standard_normal(y.shape)
    grad_input = F.conv2d_backward(g, x, w, stride=2, padding=1)[0]
    assert y.shape[2:] == (4, 5)
    # 7 = (4-1)*2 - 2 + 3 and 8 = (5-1)*2 - 2 + 2: no output_padding needed
    np.testing.assert_allclose(F.conv_transpose2d(g, w, stride=2, padding=1), grad_input,
                               rtol=0, atol=TOL)
    # 8 -> 4 rows too, so output_padding=(1, 0) gives the gradient for an 8x8 input
    x8 = rng.standard_normal((2, 3, 8, 8))
    grad_input8 = F.conv2d_backward(g, x8, w, stride=2, padding=1)[0]
    np.testing.assert_allclose(F.conv_transpose2d(g, w, stride=2, padding=1, output_padding=(1, 0)),
                               grad_input8, rtol=0, atol=TOL)


def test_conv_transpose2d_float32_keeps_dtype():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((1, 2, 3, 3)), rng.standard_normal((2, 3, 3, 3))
    y64 = F.conv_transpose2d(x, w, stride=2)
    y32 = F.conv_transpose2d(x.astype(np.float32), w.astype(np.float32), stride=2)
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, y64, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("chunk_bytes", [1, 3000, 1 << 30])
@pytest.mark.parametrize("stride,padding,dilation,groups", [(1, 1, 1, 1), (2, 2, 1, 2), ((1, 3), "full", (2, 1), 1),
                                                            (1, "same", 2, 3)])
def test_fast_path_is_exact_whatever_the_chunking(monkeypatch, chunk_bytes, stride, padding, dilation, groups):
    from scratchnn.functional import conv_im2col
    monkeypatch.setattr(conv_im2col, "CHUNK_BYTES", chunk_bytes)  # 1 sample, a few, all at once
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((7, 6, 9, 8)), rng.standard_normal((6, 6 // groups, 3, 2)), rng.standard_normal(6)
    tx, tw, tb = _t(x), _t(w), _t(b)
    pair = dilation if isinstance(dilation, tuple) else (dilation, dilation)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ty = tF.conv2d(tx, tw, tb, stride, _torch_padding(padding, (3, 2), pair), dilation, groups)
    y = F.conv2d(x, w, b, stride, padding, dilation, groups)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL)
    g = rng.standard_normal(y.shape)
    ty.backward(torch.tensor(g))
    for ours, ref in zip(F.conv2d_backward(g, x, w, stride, padding, dilation, groups),
                         (tx.grad, tw.grad, tb.grad)):
        np.testing.assert_allclose(ours, ref.numpy(), rtol=0, atol=TOL)


def test_non_contiguous_inputs_give_the_same_result():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((3, 9, 8, 6)).transpose(0, 3, 2, 1)[:, ::2]   # (3, 3, 8, 9), strided
    w = rng.standard_normal((3, 3, 6, 4)).transpose(3, 2, 1, 0)[:, ::2]   # (4, 3, 3, 3), strided
    g = rng.standard_normal((3, 4, 7, 6)).transpose(0, 1, 3, 2)           # (3, 4, 6, 7), strided
    xc, wc, gc = (np.ascontiguousarray(a) for a in (x, w, g))
    for impl in IMPLS:  # summation order may differ: equal up to rounding
        np.testing.assert_allclose(F.conv2d(x, w, impl=impl), F.conv2d(xc, wc, impl=impl),
                                   rtol=0, atol=TOL)
        for a, c in zip(F.conv2d_backward(g, x, w, impl=impl), F.conv2d_backward(gc, xc, wc, impl=impl)):
            np.testing.assert_allclose(a, c, rtol=0, atol=TOL)
    np.testing.assert_array_equal(F.max_pool2d(x, 2), F.max_pool2d(xc, 2))
    gp = rng.standard_normal((3, 3, 4, 4))[:, :, ::-1]
    np.testing.assert_array_equal(F.max_pool2d_backward(gp, x, 2),
                                  F.max_pool2d_backward(np.ascontiguousarray(gp), xc, 2))


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("stride,padding", [(1, 0), (1, 1), (2, 1)])
def test_inf_and_nan_spread_exactly_like_torch(stride, padding):
    rng = np.random.default_rng(9)
    x, w = rng.standard_normal((2, 2, 6, 7)), rng.standard_normal((3, 2, 3, 3))
    x[0, 0, 2, 6] = np.inf     # last column: only some kernel offsets ever see it
    x[1, 1, 5, 0] = np.nan
    w[1, 0, 0, 2] = -np.inf
    tx, tw = _t(x), _t(w)
    ty = tF.conv2d(tx, tw, None, stride, padding)
    g = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    for impl in IMPLS:
        np.testing.assert_allclose(F.conv2d(x, w, None, stride, padding, impl=impl),
                                   ty.detach().numpy(), rtol=1e-12, atol=TOL)
        gx, gw, _ = F.conv2d_backward(g, x, w, stride, padding, impl=impl)
        np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=1e-12, atol=TOL)
        np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=1e-12, atol=TOL)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cfg=conv_configs())
def test_input_gradient_as_a_convolution_matches_torch(monkeypatch, cfg):
    """Stride 1 with many input channels takes ∂L/∂x as a convolution; force that path here."""
    from scratchnn.functional import conv_im2col
    monkeypatch.setattr(conv_im2col, "_wide_enough", lambda c_in_group, c_out_group: True)
    rng, x, w, b = _arrays(cfg)
    s, p, d, g = _args(cfg)
    tx, tw = _t(x), _t(w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ty = tF.conv2d(tx, tw, None, s, _torch_padding(p, w.shape[2:], d), d, g)
    grad_output = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(grad_output))
    gx, gw, _ = F.conv2d_backward(grad_output, x, w, s, p, d, g)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=0, atol=TOL)


@pytest.mark.parametrize("padding,dilation,output_padding", [(0, 2, 1), (1, 3, 2), (2, 1, 0), (0, 1, 0)])
def test_wide_layers_input_gradient_and_transpose_match_torch(padding, dilation, output_padding):
    rng = np.random.default_rng(10)
    x, w = rng.standard_normal((3, 8, 7, 6)), rng.standard_normal((12, 4, 3, 2))  # 2 groups of 4 -> 6
    tx, tw = _t(x), _t(w)
    ty = tF.conv2d(tx, tw, None, 1, padding, dilation, 2)
    g = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    gx, gw, _ = F.conv2d_backward(g, x, w, 1, padding, dilation, 2)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=0, atol=TOL)
    wt = rng.standard_normal((4, 10, 3, 3))  # conv_transpose: 4 -> 10 channels, wide as a conv
    xt = rng.standard_normal((2, 4, 5, 4))
    ref = tF.conv_transpose2d(torch.tensor(xt), torch.tensor(wt), None, 1, padding, output_padding,
                              1, dilation)
    np.testing.assert_allclose(F.conv_transpose2d(xt, wt, None, 1, padding, output_padding, 1, dilation),
                               ref.numpy(), rtol=0, atol=TOL)


def test_results_do_not_change_when_scratch_buffers_are_not_kept(monkeypatch):
    from scratchnn.functional import _workspace
    rng = np.random.default_rng(11)
    x, w, b = rng.standard_normal((4, 3, 9, 9)), rng.standard_normal((5, 3, 3, 3)), rng.standard_normal(5)
    y, grads = F.conv2d(x, w, b, padding=1), F.conv2d_backward(np.ones((4, 5, 9, 9)), x, w, padding=1)
    monkeypatch.setattr(_workspace, "KEEP_BYTES", 0)
    _workspace.clear()
    np.testing.assert_array_equal(F.conv2d(x, w, b, padding=1), y)
    for a, c in zip(F.conv2d_backward(np.ones((4, 5, 9, 9)), x, w, padding=1), grads):
        np.testing.assert_array_equal(a, c)
