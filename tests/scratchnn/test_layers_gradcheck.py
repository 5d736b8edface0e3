"""Every layer's backward pass against central differences (scratchnn.gradcheck)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from scratchnn import gradcheck, layer_gradcheck
from scratchnn.layers import (AvgPool2D, Conv2D, Dropout, Flatten, GlobalAvgPool2D, Linear, MaxPool2D, ReLU,
                              Sequential)


@settings(max_examples=15, deadline=None)
@given(c_in=st.integers(1, 3), c_out=st.integers(1, 3), k=st.integers(1, 3), s=st.integers(1, 2),
       p=st.integers(0, 2), d=st.integers(1, 2), bias=st.booleans(), impl=st.sampled_from(["im2col", "loops"]),
       seed=st.integers(0, 1000))
def test_conv2d_backward_passes_gradcheck(c_in, c_out, k, s, p, d, bias, impl, seed):
    layer = Conv2D(c_in, c_out, k, stride=s, padding=p, dilation=d, bias=bias, rng=seed, impl=impl)
    x = np.random.default_rng(seed).normal(size=(2, c_in, 5, 6))
    assert layer_gradcheck(layer, x, seed) < 1e-7


def test_grouped_conv2d_backward_passes_gradcheck():
    layer = Conv2D(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), groups=2, rng=3)
    x = np.random.default_rng(3).normal(size=(2, 4, 6, 5))
    assert layer_gradcheck(layer, x) < 1e-7


@settings(max_examples=15, deadline=None)
@given(k=st.integers(1, 3), s=st.integers(1, 3), ceil=st.booleans(), seed=st.integers(0, 1000))
def test_max_pool_backward_passes_gradcheck(k, s, ceil, seed):
    # Distinct, well-separated values: no ties, so the maximum does not switch under +-eps.
    x = np.random.default_rng(seed).permutation(2 * 2 * 7 * 7).reshape(2, 2, 7, 7) * 0.1
    assert layer_gradcheck(MaxPool2D(k, stride=s, padding=k // 2, ceil_mode=ceil), x.astype(float), seed) < 1e-7


@settings(max_examples=15, deadline=None)
@given(k=st.integers(1, 3), s=st.integers(1, 3), include=st.booleans(), ceil=st.booleans(),
       seed=st.integers(0, 1000))
def test_avg_pool_backward_passes_gradcheck(k, s, include, ceil, seed):
    x = np.random.default_rng(seed).normal(size=(2, 3, 6, 7))
    layer = AvgPool2D(k, stride=s, padding=k // 2, ceil_mode=ceil, count_include_pad=include)
    assert layer_gradcheck(layer, x, seed) < 1e-7


@pytest.mark.parametrize("layer,shape", [
    (GlobalAvgPool2D(), (2, 3, 4, 5)),
    (ReLU(), (3, 4, 5)),
    (Flatten(), (2, 3, 4, 5)),
    (Linear(5, 4, rng=0), (3, 5)),
    (Linear(5, 4, bias=False, rng=0), (2, 3, 5)),
])
def test_simple_layers_backward_passes_gradcheck(layer, shape):
    x = np.random.default_rng(1).normal(size=shape)
    x[np.abs(x) < 1e-3] = 0.5           # keep ReLU's kink out of reach of +-eps
    assert layer_gradcheck(layer, x) < 1e-7


def test_dropout_backward_passes_gradcheck_with_the_mask_of_its_forward():
    layer = Dropout(0.4, rng=0)
    x = np.random.default_rng(2).normal(size=(4, 6))
    y = layer.forward(x)
    mask_scale = layer.cache
    g = np.random.default_rng(3).normal(size=y.shape)
    err = gradcheck(lambda x: x * mask_scale, x, layer.backward(g), grad_output=g)
    assert err < 1e-8


def test_sequential_cnn_backward_passes_gradcheck():
    net = Sequential(Conv2D(2, 3, 3, padding=1, rng=0), ReLU(), MaxPool2D(2),
                     Conv2D(3, 4, 3, stride=2, padding=1, rng=1), ReLU(), GlobalAvgPool2D(), Linear(4, 3, rng=2))
    x = np.random.default_rng(5).normal(size=(2, 2, 6, 6))
    assert layer_gradcheck(net, x, seed=6) < 1e-6


def test_layer_gradcheck_catches_a_wrong_backward():
    class LeakyDouble(ReLU):                 # forward 2x, backward claims 1x: must be caught
        def forward(self, x):
            return 2 * super().forward(x)
    assert layer_gradcheck(LeakyDouble(), np.random.default_rng(0).normal(size=(3, 4))) > 0.1


def test_layer_gradcheck_checks_parameters_too():
    layer = Linear(3, 2, rng=0)
    original = layer.backward

    def backward_with_wrong_bias(g):
        grad_x = original(g)
        layer.grads["bias"] *= 1.5
        return grad_x
    layer.backward = backward_with_wrong_bias
    assert layer_gradcheck(layer, np.random.default_rng(0).normal(size=(4, 3))) > 0.1
