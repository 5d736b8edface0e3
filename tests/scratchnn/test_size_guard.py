"""The size guard, convolutions that read mostly padding, messages and the dtype policy (issue 12)."""
import tracemalloc

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import scratchnn.functional as F
from scratchnn.functional import _workspace
from scratchnn.functional._memory import memory_limit, set_memory_limit
from scratchnn.layers import Conv2D, Linear, ReLU


@pytest.fixture
def limit_64_mib():
    set_memory_limit(64 << 20)
    yield 64 << 20
    set_memory_limit(None)


def _peak_bytes(fn) -> int:
    _workspace.clear()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_default_limit_is_half_the_physical_memory_and_settable():
    set_memory_limit(None)
    default = memory_limit()
    assert default > 1 << 28
    set_memory_limit(12345)
    assert memory_limit() == 12345
    set_memory_limit(None)
    assert memory_limit() == default
    with pytest.raises(ValueError, match=r"set_memory_limit: nbytes=-1 must be a positive int"):
        set_memory_limit(-1)


@pytest.mark.parametrize("impl", ["im2col", "loops"])
def test_huge_padding_is_refused_before_allocating(limit_64_mib, impl):
    x, w = np.ones((1, 1, 8, 8)), np.ones((1, 1, 3, 3))

    def call():
        with pytest.raises(ValueError, match=r"conv2d: x of shape \(1, 1, 8, 8\) and weight of shape "
                           r"\(1, 1, 3, 3\) with stride=1, padding=5000, dilation=1 \(output "
                           r"10006x10006\) would allocate \d+ bytes .*output 763.9 MiB.*more than "
                           r"the limit of 67108864 bytes"):
            F.conv2d(x, w, padding=5000, impl=impl)
    assert _peak_bytes(call) < 1 << 20


@pytest.mark.parametrize("call,message", [
    (lambda: F.conv2d_backward(np.ones((1, 1, 4006, 4006)), np.ones((1, 1, 8, 8)),
                               np.ones((1, 1, 3, 3)), padding=2000), r"conv2d_backward: .*padding=2000"),
    (lambda: F.conv_transpose2d(np.ones((1, 1, 8, 8)), np.ones((1, 1, 3, 3)), stride=10 ** 5),
     r"conv_transpose2d: .*stride=100000.*output 700003x700003.*input gradient 3.6 TiB"),
    (lambda: F.im2col(np.ones((1, 1, 8, 8)), 3, padding=10 ** 5), r"im2col: .*padding=100000"),
    (lambda: F.max_pool2d(np.ones((400, 64, 64, 64)), 1), r"max_pool2d: x of shape \(400, 64, 64, 64\)"),
])
def test_every_entry_point_is_guarded(limit_64_mib, call, message):
    with pytest.raises(ValueError, match=message + r".*more than the limit"):
        call()


def test_dilated_convolution_reading_only_padding_does_not_materialise_it():
    x, w, b = np.ones((1, 1, 1, 1)), np.full((1, 1, 2, 2), 2.0), np.array([0.5])
    out = {}
    peak = _peak_bytes(lambda: out.setdefault("y", F.conv2d(x, w, b, padding=5 * 10 ** 4,
                                                               dilation=10 ** 5)))
    yt = TF.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), padding=5 * 10 ** 4,
                   dilation=10 ** 5)
    np.testing.assert_array_equal(out["y"], yt.numpy())
    assert peak < 1 << 16  # the padded input would be 10¹⁰ values (74.5 GiB)


@pytest.mark.parametrize("shapes,stride,padding,dilation", [
    (((2, 3, 8, 8), (4, 3, 3, 3)), (1, 2), (9, 6), (7, 5)),
    (((2, 3, 5, 6), (4, 3, 3, 2)), 1, (12, 4), (6, 9)),
    (((1, 2, 3, 3), (2, 2, 2, 2)), 1, 50, 100),
    (((2, 2, 4, 4), (4, 2, 3, 3)), 3, 10, 4),
    (((2, 2, 4, 5), (4, 2, 3, 3)), (2, 1), 8, (9, 3)),
])
@pytest.mark.parametrize("nonfinite", [None, "weight", "grad_output"])
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf·0 on purpose
def test_mostly_padding_convolutions_match_torch(shapes, stride, padding, dilation, nonfinite):
    rng = np.random.default_rng(3)
    x, w = (rng.standard_normal(s) for s in shapes)
    b = rng.standard_normal(w.shape[0])
    if nonfinite == "weight":
        w[1, 0, 0, 0] = np.inf
    y = F.conv2d(x, w, b, stride, padding, dilation)
    g = rng.standard_normal(y.shape)
    if nonfinite == "grad_output":
        g[0, -1, 0, 0] = np.nan
    gx, gw, gb = F.conv2d_backward(g, x, w, stride, padding, dilation)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    yt = TF.conv2d(xt, wt, bt, stride, padding, dilation)
    yt.backward(torch.tensor(g))
    for ours, theirs in ((y, yt), (gx, xt.grad), (gw, wt.grad), (gb, bt.grad)):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=0, atol=1e-10)


# messages name the caller's own arguments

@pytest.mark.parametrize("call,message", [
    (lambda: F.conv2d(np.ones((1, 3, 8, 8)), np.ones((4, 3, 0, 3))),
     r"conv2d: weight has shape \(4, 3, 0, 3\), so kH=0 and kW=3; both must be >= 1"),
    (lambda: F.conv2d(np.ones((1, 3, 0, 8)), np.ones((4, 3, 3, 3))),
     r"conv2d: x has shape \(1, 3, 0, 8\), so H=0 and W=8; both must be >= 1"),
    (lambda: F.conv2d_backward(np.ones((1, 4, 1, 1)), np.ones((1, 3, 3, 0)), np.ones((4, 3, 3, 3))),
     r"conv2d_backward: x has shape \(1, 3, 3, 0\), so H=3 and W=0"),
    (lambda: F.conv_transpose2d(np.ones((1, 3, 4, 4)), np.ones((3, 2, 3, 0))),
     r"conv_transpose2d: weight has shape \(3, 2, 3, 0\), so kH=3 and kW=0"),
    (lambda: F.max_pool2d(np.ones((1, 3, 0, 8)), 2), r"max_pool2d: x has shape \(1, 3, 0, 8\), so H=0"),
    (lambda: F.avg_pool2d(np.ones((1, 3, 4, 0)), 2), r"avg_pool2d: x has shape \(1, 3, 4, 0\), so H=4 and W=0"),
    (lambda: F.im2col(np.ones((1, 3, 0, 8)), 2), r"im2col: x has shape \(1, 3, 0, 8\), so H=0"),
])
def test_messages_name_the_callers_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# dtype policy: float32 and float64 only, with our own messages

@pytest.mark.parametrize("call,message", [
    (lambda: Conv2D(1, 1, 3, dtype="float33"), r"Conv2D: dtype='float33' is not a NumPy dtype"),
    (lambda: Linear(2, 2, dtype="bogus"), r"Linear: dtype='bogus' is not a NumPy dtype"),
    (lambda: Conv2D(1, 1, 3, dtype=np.float16), r"Conv2D: dtype=.*float16.*float32 or float64 only"),
    (lambda: Conv2D(1, 1, 3, dtype=np.longdouble), r"Conv2D: dtype=.*float32 or float64 only"),
    (lambda: Conv2D(1, 1, 3, dtype=np.int32), r"Conv2D: dtype=.*got int32"),
    (lambda: F.conv2d(np.ones((1, 1, 4, 4), np.float16), np.ones((1, 1, 3, 3), np.float16)),
     r"conv2d: x must have a floating dtype \(float32 or float64\), got float16; .*only"),
    (lambda: F.max_pool2d(np.ones((1, 1, 4, 4), np.longdouble), 2), r"max_pool2d: x must have .*float32 or float64 only"),
    (lambda: ReLU()(np.ones(3, np.float16)), r"ReLU.forward: x must have .*got float16"),
])
def test_half_and_extended_precision_are_refused_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()
