"""Regression tests for the defects of issue 12 (found by an adversarial comparison with PyTorch).

Each test failed before its fix: the strided im2col path allocated memory in
proportion to stride_h × stride_w, ``receptive_field`` ignored ``ceil_mode``,
flags such as ``"False"`` counted as true, ``ReLU`` turned NaN into 0 and
blocked its gradient, and zero channels crashed inside NumPy.
"""
import tracemalloc

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import scratchnn.functional as F
from scratchnn import receptive_field
from scratchnn.functional import _workspace
from scratchnn.layers import (AvgPool2D, Conv2D, GlobalAvgPool2D, Linear, MaxPool2D, ReLU,
                              Sequential)
from scratchnn.optim import SGD


def _peak_bytes(fn) -> int:
    """Peak bytes NumPy allocates while ``fn`` runs (fresh scratch buffers)."""
    _workspace.clear()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# 1. the strided path costs what the output costs, not stride_h × stride_w

@pytest.mark.parametrize("stride", [3000, 10 ** 6])
def test_huge_stride_allocates_almost_nothing(stride):
    x, w = np.ones((1, 1, 5, 5)), np.ones((1, 1, 1, 1))
    result = {}
    peak = _peak_bytes(lambda: result.setdefault("y", F.conv2d(x, w, stride=stride)))
    assert result["y"].shape == (1, 1, 1, 1) and result["y"][0, 0, 0, 0] == 1.0
    assert peak < 16 * 1024  # was 9·10⁶ (stride 3000) and 10¹² (stride 10⁶) zeroed values


def test_strided_forward_and_backward_memory_follows_the_input_not_the_stride():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((64, 64, 5, 5)), rng.standard_normal((8, 64, 1, 1))
    g = rng.standard_normal((64, 8, 1, 1))
    out = {}

    def run():
        out["y"] = F.conv2d(x, w, stride=100)
        out["grads"] = F.conv2d_backward(g, x, w, stride=100)
    peak = _peak_bytes(run)
    assert peak < 4 * x.nbytes  # was +315 MiB for an 800 KiB input
    xt, wt = (torch.tensor(a, requires_grad=True) for a in (x, w))
    yt = TF.conv2d(xt, wt, stride=100)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(out["y"], yt.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(out["grads"][0], xt.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(out["grads"][1], wt.grad.numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("stride,dilation,padding", [((3, 4), 1, 1), ((5, 2), (2, 1), 2), (7, 3, 0)])
def test_strides_that_skip_pixels_match_torch(stride, dilation, padding):
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 3, 13, 11)), rng.standard_normal((4, 3, 2, 2))
    y = F.conv2d(x, w, stride=stride, padding=padding, dilation=dilation)
    g = rng.standard_normal(y.shape)
    gx, gw, _ = F.conv2d_backward(g, x, w, stride=stride, padding=padding, dilation=dilation)
    xt, wt = (torch.tensor(a, requires_grad=True) for a in (x, w))
    yt = TF.conv2d(xt, wt, stride=stride, padding=padding, dilation=dilation)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(gx, xt.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(gw, wt.grad.numpy(), rtol=0, atol=1e-10)


# 2. receptive_field follows every pooling argument that changes sizes

def test_receptive_field_honours_ceil_mode():
    model = Sequential(Conv2D(1, 1, 3), MaxPool2D(2, ceil_mode=True), GlobalAvgPool2D())
    table = receptive_field(model, 9)
    x = np.ones((1, 1, 9, 9))
    assert table[2].output_size == model[1](model[0](x)).shape[-1] == 4
    # the global pool averages 4 positions 2 apart: it sees all 9 pixels (and the overhang)
    assert table[3].receptive_field == 10


@pytest.mark.parametrize("pool", [MaxPool2D(3, stride=2, padding=1, ceil_mode=True),
                                  AvgPool2D(2, stride=3, ceil_mode=True),
                                  MaxPool2D(2, stride=1, dilation=2, ceil_mode=True)])
def test_receptive_field_sizes_equal_forward_sizes(pool):
    for size in range(6, 12):
        table = receptive_field(Sequential(pool), size)
        assert table[-1].output_size == pool(np.zeros((1, 1, size, size))).shape[-1]


# 3. flags must be bools

FLAG_CALLS = [
    ("count_include_pad", lambda: F.avg_pool2d(np.ones((1, 1, 4, 4)), 2, padding=1,
                                               count_include_pad="False")),
    ("count_include_pad", lambda: F.avg_pool2d_backward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 4, 4)),
                                                        2, padding=1, count_include_pad=0)),
    ("ceil_mode", lambda: MaxPool2D(2, ceil_mode="no")),
    ("ceil_mode", lambda: F.max_pool2d(np.ones((1, 1, 5, 5)), 2, ceil_mode=1)),
    ("ceil_mode", lambda: F.conv_output_size(5, 2, 2, ceil_mode="yes")),
    ("count_include_pad", lambda: AvgPool2D(2, count_include_pad="False")),
    ("return_indices", lambda: F.max_pool2d(np.ones((1, 1, 4, 4)), 2, return_indices="yes")),
    ("bias", lambda: Conv2D(1, 1, 3, bias="False")),
    ("bias", lambda: Linear(2, 2, bias=None)),
    ("nesterov", lambda: SGD(Linear(2, 2).parameters(), lr=0.1, momentum=0.9, nesterov="no")),
    ("mode", lambda: ReLU().train("False")),
]


@pytest.mark.parametrize("flag,call", FLAG_CALLS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(FLAG_CALLS)])
def test_non_bool_flags_raise_type_error_naming_the_flag(flag, call):
    with pytest.raises(TypeError, match=rf"{flag}=.* must be a bool"):
        call()


def test_numpy_bools_are_flags():
    x = np.arange(25.).reshape(1, 1, 5, 5)
    assert F.max_pool2d(x, 2, ceil_mode=np.bool_(True)).shape == (1, 1, 3, 3)
    assert MaxPool2D(2, ceil_mode=np.True_).ceil_mode is True


# 4. ReLU keeps NaN and passes its gradient, like torch.relu

def test_relu_matches_torch_on_nan_forward_and_backward():
    x = np.array([np.nan, -1.0, 0.0, -0.0, 2.0, np.inf, -np.inf])
    g = np.arange(1.0, 8.0)
    relu = ReLU()
    y = relu(x)
    gx = relu.backward(g)
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.relu(xt)
    yt.backward(torch.tensor(g))
    np.testing.assert_array_equal(y, yt.detach().numpy())   # NaN == NaN here
    np.testing.assert_array_equal(gx, xt.grad.numpy())
    assert np.isnan(y[0]) and gx[0] == 1.0


# 5. zero channels: torch's error (or an empty result where torch gives one)

@pytest.mark.parametrize("impl", ["im2col", "loops"])
@pytest.mark.parametrize("call,message", [
    (lambda impl: F.conv2d(np.ones((1, 0, 5, 5)), np.ones((4, 0, 3, 3)), impl=impl), r"C_in=0"),
    (lambda impl: F.conv2d(np.ones((1, 3, 5, 5)), np.ones((0, 3, 3, 3)), impl=impl), r"C_out=0"),
    (lambda impl: F.conv2d_backward(np.ones((1, 0, 3, 3)), np.ones((1, 3, 5, 5)),
                                    np.ones((0, 3, 3, 3)), impl=impl), r"C_out=0"),
    (lambda impl: F.conv_transpose2d(np.ones((1, 0, 5, 5)), np.ones((0, 2, 3, 3)), impl=impl),
     r"C_in=0"),
    (lambda impl: F.conv_transpose2d(np.ones((1, 2, 5, 5)), np.ones((2, 0, 3, 3)), impl=impl),
     r"C_out/groups=0"),
])
def test_zero_channels_raise_a_value_error_of_ours(impl, call, message):
    with pytest.raises(ValueError, match=message + r".*at least one input and one output channel"):
        call(impl)


@pytest.mark.parametrize("impl", ["im2col", "loops"])
def test_empty_batch_gives_empty_results_like_torch(impl):
    x, w = np.ones((0, 3, 5, 5)), np.ones((4, 3, 3, 3))
    y = F.conv2d(x, w, np.ones(4), impl=impl)
    gx, gw, gb = F.conv2d_backward(np.ones((0, 4, 3, 3)), x, w, impl=impl)
    assert y.shape == (0, 4, 3, 3) and gx.shape == x.shape
    np.testing.assert_array_equal(gw, np.zeros_like(w))
    np.testing.assert_array_equal(gb, np.zeros(4))


def test_pooling_zero_channels_gives_an_empty_result():
    x = np.ones((2, 0, 4, 4))
    assert F.max_pool2d(x, 2).shape == F.avg_pool2d(x, 2).shape == (2, 0, 2, 2)
    assert F.max_pool2d_backward(np.ones((2, 0, 2, 2)), x, 2).shape == x.shape
