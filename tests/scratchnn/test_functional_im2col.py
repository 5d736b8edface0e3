"""im2col/col2im against torch's unfold/fold, their adjointness, and pad2d."""
import numpy as np
import pytest
import torch
import torch.nn.functional as tF
from hypothesis import given, settings
from hypothesis import strategies as st

import scratchnn.functional as F


@st.composite
def window_configs(draw):
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    size = tuple(max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 4))
                 for k, d, p in zip(kernel, dilation, padding))
    return dict(shape=(draw(st.integers(1, 3)), draw(st.integers(1, 3))) + size, kernel=kernel,
                stride=stride, padding=padding, dilation=dilation, seed=draw(st.integers(0, 2**31)))


def _args(cfg):
    return cfg["kernel"], cfg["stride"], cfg["padding"], cfg["dilation"]


@settings(max_examples=150, deadline=None)
@given(cfg=window_configs())
def test_im2col_matches_torch_unfold_and_col2im_matches_fold(cfg):
    rng = np.random.default_rng(cfg["seed"])
    x = rng.standard_normal(cfg["shape"])
    k, s, p, d = _args(cfg)
    cols = F.im2col(x, k, s, p, d)
    ref = tF.unfold(torch.tensor(x), k, dilation=d, padding=p, stride=s).numpy()
    np.testing.assert_array_equal(cols, ref)
    c = rng.standard_normal(cols.shape)
    back = F.col2im(c, cfg["shape"][2:], k, s, p, d)
    ref_back = tF.fold(torch.tensor(c), cfg["shape"][2:], k, dilation=d, padding=p, stride=s)
    np.testing.assert_allclose(back, ref_back.numpy(), rtol=0, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(cfg=window_configs())
def test_col2im_is_the_adjoint_of_im2col(cfg):
    rng = np.random.default_rng(cfg["seed"])
    x = rng.standard_normal(cfg["shape"])
    cols = F.im2col(x, *_args(cfg))
    c = rng.standard_normal(cols.shape)
    lhs = np.sum(cols * c)                                         # <im2col(x), c>
    rhs = np.sum(x * F.col2im(c, cfg["shape"][2:], *_args(cfg)))   # <x, col2im(c)>
    assert abs(lhs - rhs) <= 1e-10 * max(1.0, abs(lhs))


def test_conv2d_is_weight_matrix_times_im2col():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((4, 3, 3, 2))
    y = (w.reshape(4, -1) @ F.im2col(x, (3, 2), stride=(2, 1), padding=1)).reshape(2, 4, 3, 6)
    np.testing.assert_allclose(y, F.conv2d(x, w, stride=(2, 1), padding=1), rtol=0, atol=1e-12)


def test_im2col_takes_named_paddings():
    x = np.arange(12.0).reshape(1, 1, 3, 4)
    assert F.im2col(x, 2, padding="same").shape == (1, 4, 12)
    assert F.im2col(x, 2, padding="full").shape == (1, 4, 4 * 5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_pad2d_surrounds_with_value_and_keeps_dtype(dtype):
    x = np.arange(6).reshape(2, 3).astype(dtype)
    y = F.pad2d(x, ((1, 0), (2, 1)), value=7)
    assert y.dtype == dtype and y.shape == (3, 6)
    np.testing.assert_array_equal(y[1:, 2:5], x)
    assert (y[0] == 7).all() and (y[:, :2] == 7).all() and (y[:, 5] == 7).all()


def test_pad2d_matches_numpy_pad_for_int_and_pair():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    np.testing.assert_array_equal(F.pad2d(x, 2), np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2))))
    np.testing.assert_array_equal(F.pad2d(x, (1, 3), value=-np.inf),
                                  np.pad(x, ((0, 0), (0, 0), (1, 1), (3, 3)),
                                         constant_values=-np.inf))


@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
def test_padding_helpers_match_torch_same():
    for k, d in [(3, 1), (4, 1), (2, 3), (5, 2)]:
        before, after = F.same_padding(k, d)
        y = tF.conv2d(torch.zeros(1, 1, 9, 9), torch.zeros(1, 1, k, k), padding="same", dilation=d)
        assert before + after == d * (k - 1) and after - before in (0, 1) and y.shape[-1] == 9
    assert F.full_padding(3, 2) == (4, 4)
