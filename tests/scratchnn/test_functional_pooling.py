"""Pooling forward and backward against PyTorch, with ties (integer-valued inputs)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as tF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scratchnn.functional as F

TOL = 1e-10
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pool_configs(draw, dilated=True):
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) if dilated else (1, 1)
    size = tuple(max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 5))
                 for k, d, p in zip(kernel, dilation, padding))
    return dict(shape=(draw(st.integers(1, 2)), draw(st.integers(1, 3))) + size, kernel=kernel,
                stride=stride, padding=padding, dilation=dilation, ceil_mode=draw(st.booleans()),
                seed=draw(st.integers(0, 2**31)))


def _tied_input(cfg, dtype=np.float64):
    """Small integers: many windows hold their maximum more than once."""
    rng = np.random.default_rng(cfg["seed"])
    return rng, rng.integers(-2, 3, cfg["shape"]).astype(dtype)


@SETTINGS
@given(cfg=pool_configs())
def test_max_pool2d_values_indices_and_first_max_gradient_match_torch(cfg):
    rng, x = _tied_input(cfg)
    args = (cfg["kernel"], cfg["stride"], cfg["padding"], cfg["dilation"], cfg["ceil_mode"])
    tx = torch.tensor(x, requires_grad=True)
    ty, t_idx = tF.max_pool2d(tx, *args, return_indices=True)
    y, idx = F.max_pool2d(x, *args, return_indices=True)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_array_equal(y, ty.detach().numpy())
    np.testing.assert_array_equal(idx, t_idx.numpy())
    np.testing.assert_array_equal(F.max_pool2d(x, *args), y)
    grad_output = rng.standard_normal(y.shape)
    grad = F.max_pool2d_backward(grad_output, x, *args)
    if np.isneginf(y).any():  # a dilated window over padding only: torch's index may point
        return                # outside x[n, c], so its backward is no reference there
    ty.backward(torch.tensor(grad_output))
    np.testing.assert_allclose(grad, tx.grad.numpy(), rtol=0, atol=TOL)


@pytest.mark.parametrize("count_include_pad", [True, False])
@SETTINGS
@given(cfg=pool_configs(dilated=False))
def test_avg_pool2d_and_gradient_match_torch(count_include_pad, cfg):
    rng, x = _tied_input(cfg)
    args = (cfg["kernel"], cfg["stride"], cfg["padding"], cfg["ceil_mode"], count_include_pad)
    tx = torch.tensor(x, requires_grad=True)
    ty = tF.avg_pool2d(tx, *args)
    y = F.avg_pool2d(x, *args)
    assert y.shape == tuple(ty.shape)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL)
    grad_output = rng.standard_normal(y.shape)
    ty.backward(torch.tensor(grad_output))
    np.testing.assert_allclose(F.avg_pool2d_backward(grad_output, x, *args), tx.grad.numpy(),
                               rtol=0, atol=TOL)


def test_max_pool_gradient_goes_to_the_first_of_tied_maxima():
    x = np.array([[[[5.0, 5.0], [5.0, 5.0]]]])
    grad = F.max_pool2d_backward(np.array([[[[1.0]]]]), x, 2)
    np.testing.assert_array_equal(grad[0, 0], [[1.0, 0.0], [0.0, 0.0]])


def test_max_pool_padding_never_wins_even_against_negative_inputs():
    x = -np.ones((1, 1, 3, 3))
    y, idx = F.max_pool2d(x, 3, stride=1, padding=1, return_indices=True)
    np.testing.assert_array_equal(y, -np.ones((1, 1, 3, 3)))
    assert idx[0, 0, 0, 0] == 0  # the first real value of the corner window


def test_overlapping_max_windows_accumulate_gradient():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0  # the maximum of all four 2x2 windows
    grad = F.max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, stride=1)
    assert grad[0, 0, 1, 1] == 4.0 and grad.sum() == 4.0


def test_avg_pool_counts_padding_only_when_asked():
    x = np.ones((1, 1, 2, 2))
    with_pad = F.avg_pool2d(x, 2, stride=1, padding=1, count_include_pad=True)
    without = F.avg_pool2d(x, 2, stride=1, padding=1, count_include_pad=False)
    assert with_pad[0, 0, 0, 0] == 0.25 and without[0, 0, 0, 0] == 1.0


def test_global_avg_pool2d_and_gradient_match_torch():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 5, 7))
    tx = torch.tensor(x, requires_grad=True)
    ty = tF.adaptive_avg_pool2d(tx, 1)
    y = F.global_avg_pool2d(x)
    assert y.shape == (3, 4, 1, 1)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL)
    g = rng.standard_normal(y.shape)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(F.global_avg_pool2d_backward(g, x), tx.grad.numpy(), rtol=0, atol=TOL)


@settings(max_examples=50, deadline=None)
@given(cfg=pool_configs())
def test_pooling_in_float32_keeps_dtype_and_agrees_with_float64(cfg):
    rng = np.random.default_rng(cfg["seed"])
    x = rng.standard_normal(cfg["shape"])
    x32 = x.astype(np.float32)
    margs = (cfg["kernel"], cfg["stride"], cfg["padding"], cfg["dilation"], cfg["ceil_mode"])
    aargs = (cfg["kernel"], cfg["stride"], cfg["padding"], cfg["ceil_mode"])
    y = F.max_pool2d(x, *margs)
    g = rng.standard_normal(y.shape)
    pairs = [(F.max_pool2d(x32, *margs), y),
             (F.max_pool2d_backward(g.astype(np.float32), x32, *margs),
              F.max_pool2d_backward(g, x, *margs)),
             (F.global_avg_pool2d(x32), F.global_avg_pool2d(x))]
    if cfg["dilation"] == (1, 1):
        ya = F.avg_pool2d(x, *aargs)
        pairs += [(F.avg_pool2d(x32, *aargs), ya),
                  (F.avg_pool2d_backward(g.astype(np.float32), x32, *aargs),
                   F.avg_pool2d_backward(g, x, *aargs))]
    for a32, a64 in pairs:
        assert a32.dtype == np.float32
        np.testing.assert_allclose(a32, a64, rtol=1e-5, atol=1e-5)


def test_dilated_window_over_padding_only_is_minus_inf_and_passes_no_gradient():
    x = np.array([[[[3.0]]]])
    y, idx = F.max_pool2d(x, (1, 2), padding=(0, 1), dilation=(1, 2), return_indices=True)
    t_y, t_idx = tF.max_pool2d(torch.tensor(x), (1, 2), padding=(0, 1), dilation=(1, 2),
                               return_indices=True)
    assert y[0, 0, 0, 0] == -np.inf and idx.tolist() == t_idx.tolist()
    grad = F.max_pool2d_backward(np.ones_like(y), x, (1, 2), padding=(0, 1), dilation=(1, 2))
    np.testing.assert_array_equal(grad, np.zeros_like(x))


@pytest.mark.parametrize("shape", [(2, 3, 8, 8), (1, 2, 7, 9), (3, 1, 2, 2)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_2x2_stride_2_max_pool_with_ties_matches_torch(shape, dtype):
    rng = np.random.default_rng(sum(shape))
    x = rng.integers(-1, 2, shape).astype(dtype)
    tx = torch.tensor(x, requires_grad=True)
    ty = tF.max_pool2d(tx, 2)
    g = rng.standard_normal(tuple(ty.shape)).astype(dtype)
    ty.backward(torch.tensor(g))
    np.testing.assert_array_equal(F.max_pool2d(x, 2), ty.detach().numpy())
    grad = F.max_pool2d_backward(g, x, 2)
    assert grad.dtype == dtype
    np.testing.assert_array_equal(grad, tx.grad.numpy())


@pytest.mark.parametrize("kernel,stride,padding", [(2, 2, 0), (3, 2, 1), (2, 1, 1)])
def test_max_pool_with_minus_inf_inputs_matches_torch(kernel, stride, padding):
    x = np.full((1, 2, 5, 6), -np.inf)
    x[0, 0, 1, 1] = 2.0
    x[0, 1, ::2, ::3] = -1.0
    tx = torch.tensor(x, requires_grad=True)
    ty, t_idx = tF.max_pool2d(tx, kernel, stride, padding, return_indices=True)
    ty.backward(torch.ones_like(ty))
    y, idx = F.max_pool2d(x, kernel, stride, padding, return_indices=True)
    np.testing.assert_array_equal(y, ty.detach().numpy())
    np.testing.assert_array_equal(idx, t_idx.numpy())
    np.testing.assert_array_equal(F.max_pool2d_backward(np.ones_like(y), x, kernel, stride, padding),
                                  tx.grad.numpy())


def test_max_pool_with_nan_matches_torch():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 0, 1] = x[0, 0, 2, 2] = np.nan
    tx = torch.tensor(x, requires_grad=True)
    ty, t_idx = tF.max_pool2d(tx, 2, return_indices=True)
    ty.backward(torch.ones_like(ty))
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(y, ty.detach().numpy())
    np.testing.assert_array_equal(idx, t_idx.numpy())
    np.testing.assert_array_equal(F.max_pool2d_backward(np.ones_like(y), x, 2), tx.grad.numpy())


@pytest.mark.parametrize("kernel,stride", [(2, 2), (3, 2), (2, 1)])
def test_infinite_gradient_reaches_only_the_maximum(kernel, stride):
    x = np.arange(36.0).reshape(1, 1, 6, 6)
    y = F.max_pool2d(x, kernel, stride)
    g = np.zeros_like(y)
    g[0, 0, 0, 0] = np.inf
    tx = torch.tensor(x, requires_grad=True)
    tF.max_pool2d(tx, kernel, stride).backward(torch.tensor(g))
    np.testing.assert_array_equal(F.max_pool2d_backward(g, x, kernel, stride), tx.grad.numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_2x2_max_pool_with_values_whose_sum_overflows_matches_torch(dtype):
    """The 2x2 fast path tests finiteness by a sum; near the largest float the sum
    overflows although every value is finite, and the result must not change."""
    big = np.finfo(dtype).max
    rng = np.random.default_rng(7)
    x = (rng.uniform(0.5, 1.0, (2, 3, 6, 8)) * big).astype(dtype)
    x[0, 0, :2, :2] = x[0, 0, 0, 0]                           # a tie at the largest values
    tx = torch.tensor(x, requires_grad=True)
    ty = tF.max_pool2d(tx, 2)
    g = (rng.uniform(-1, 1, tuple(ty.shape)) * big).astype(dtype)
    g[0, 0, 0, 0] = np.inf                                    # and one infinite gradient
    ty.backward(torch.tensor(g))
    with np.errstate(all="raise"):  # no overflow warning escapes to the caller
        y, grad = F.max_pool2d(x, 2), F.max_pool2d_backward(g, x, 2)
    np.testing.assert_array_equal(y, ty.detach().numpy())
    np.testing.assert_array_equal(grad, tx.grad.numpy())
