"""Layers and whole networks against torch.nn in float64, weights copied via state_dict."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from scratchnn.layers import (AvgPool2D, Conv2D, Dropout, Flatten, GlobalAvgPool2D, Linear, MaxPool2D, ReLU,
                              Sequential)
from scratchnn.losses import CrossEntropyLoss

TOL = dict(rtol=1e-10, atol=1e-10)


def to_torch(state):
    return {k: torch.from_numpy(v) for k, v in state.items()}


def compare_with_torch(ours, ref, x, seed=0):
    """Same output, same dL/dx and same dL/dparam for a random upstream gradient."""
    ref.load_state_dict(to_torch(ours.state_dict()))
    y = ours.forward(x)
    xt = torch.tensor(x, requires_grad=True)
    yt = ref(xt)
    np.testing.assert_allclose(y, yt.detach().numpy(), **TOL)
    g = np.random.default_rng(seed).normal(size=y.shape)
    yt.backward(torch.from_numpy(g))
    np.testing.assert_allclose(ours.backward(g), xt.grad.numpy(), **TOL)
    for name, param in ref.named_parameters():
        np.testing.assert_allclose(dict((n, gr) for n, _, gr in ours.named_parameters())[name],
                                   param.grad.numpy(), err_msg=name, **TOL)


@settings(max_examples=20, deadline=None)
@given(c_in=st.integers(1, 4), c_out=st.integers(1, 4), kh=st.integers(1, 3), kw=st.integers(1, 3),
       s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2), groups=st.sampled_from([1, 2]),
       bias=st.booleans(), seed=st.integers(0, 1000))
def test_conv2d_equals_torch(c_in, c_out, kh, kw, s, p, d, groups, bias, seed):
    c_in, c_out = c_in * groups, c_out * groups
    ours = Conv2D(c_in, c_out, (kh, kw), stride=s, padding=p, dilation=d, groups=groups, bias=bias, rng=seed)
    ref = torch.nn.Conv2d(c_in, c_out, (kh, kw), stride=s, padding=p, dilation=d, groups=groups,
                          bias=bias).double()
    x = np.random.default_rng(seed).normal(size=(2, c_in, 7, 6))
    compare_with_torch(ours, ref, x, seed)


@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel")
def test_conv2d_same_padding_equals_torch():
    ours = Conv2D(2, 3, (4, 3), padding="same", dilation=(1, 2), rng=0)
    ref = torch.nn.Conv2d(2, 3, (4, 3), padding="same", dilation=(1, 2)).double()
    compare_with_torch(ours, ref, np.random.default_rng(0).normal(size=(1, 2, 7, 8)))


@pytest.mark.parametrize("ours,ref", [
    (MaxPool2D(2), torch.nn.MaxPool2d(2)),
    (MaxPool2D(3, stride=2, padding=1, ceil_mode=True), torch.nn.MaxPool2d(3, 2, 1, ceil_mode=True)),
    (MaxPool2D((2, 3), stride=1, dilation=2), torch.nn.MaxPool2d((2, 3), 1, dilation=2)),
    (AvgPool2D(2), torch.nn.AvgPool2d(2)),
    (AvgPool2D(3, stride=2, padding=1, count_include_pad=False), torch.nn.AvgPool2d(3, 2, 1, count_include_pad=False)),
    (AvgPool2D(3, stride=2, padding=1, ceil_mode=True), torch.nn.AvgPool2d(3, 2, 1, ceil_mode=True)),
    (GlobalAvgPool2D(), torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())),
    (ReLU(), torch.nn.ReLU()),
    (Flatten(), torch.nn.Flatten()),
])
def test_parameter_free_layers_equal_torch(ours, ref):
    compare_with_torch(ours, ref, np.random.default_rng(1).normal(size=(2, 3, 7, 8)))


def test_linear_equals_torch_also_with_extra_leading_dims():
    compare_with_torch(Linear(6, 4, rng=0), torch.nn.Linear(6, 4).double(),
                       np.random.default_rng(2).normal(size=(5, 6)))
    compare_with_torch(Linear(6, 4, bias=False, rng=0), torch.nn.Linear(6, 4, bias=False).double(),
                       np.random.default_rng(2).normal(size=(2, 3, 6)))


def _cnn_pair(head):
    """Conv→ReLU→MaxPool→Conv→ReLU→(GlobalAvgPool→Linear | Flatten→Linear), ours and torch's."""
    ours = [Conv2D(3, 6, 3, padding=1, rng=0), ReLU(), MaxPool2D(2), Conv2D(6, 8, 3, stride=1, padding=1, rng=1),
            ReLU()]
    ref = [torch.nn.Conv2d(3, 6, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
           torch.nn.Conv2d(6, 8, 3, padding=1), torch.nn.ReLU()]
    if head == "global":
        ours += [GlobalAvgPool2D(), Linear(8, 5, rng=2)]
        ref += [torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()), torch.nn.Linear(8, 5)]
    else:
        ours += [Flatten(), Linear(8 * 4 * 4, 5, rng=2)]
        ref += [torch.nn.Flatten(), torch.nn.Linear(8 * 4 * 4, 5)]
    return Sequential(*ours), torch.nn.Sequential(*ref).double()


@pytest.mark.parametrize("head", ["global", "flatten"])
def test_cnn_loss_and_every_parameter_gradient_equal_torch(head):
    ours, ref = _cnn_pair(head)
    assert sorted(ours.state_dict()) == sorted(ref.state_dict())
    ref.load_state_dict(to_torch(ours.state_dict()))
    rng = np.random.default_rng(3)
    x, target = rng.normal(size=(4, 3, 8, 8)), rng.integers(0, 5, size=4)
    loss_fn = CrossEntropyLoss()
    loss = loss_fn(ours(x), target)
    ours.backward(loss_fn.backward())
    ref_loss = torch.nn.functional.cross_entropy(ref(torch.from_numpy(x)), torch.from_numpy(target))
    ref_loss.backward()
    assert abs(loss - ref_loss.item()) <= 1e-10
    grads = {name: g for name, _, g in ours.named_parameters()}
    assert set(grads) == {name for name, _ in ref.named_parameters()}
    for name, param in ref.named_parameters():
        np.testing.assert_allclose(grads[name], param.grad.numpy(), err_msg=name, **TOL)


def test_weights_copy_from_torch_to_ours():
    ours, ref = _cnn_pair("flatten")
    ours.load_state_dict({k: v.numpy() for k, v in ref.state_dict().items()})
    x = np.random.default_rng(4).normal(size=(2, 3, 8, 8))
    np.testing.assert_allclose(ours(x), ref(torch.from_numpy(x)).detach().numpy(), **TOL)


def test_state_dict_names_follow_torch_sequential_including_nesting():
    ours = Sequential(Conv2D(1, 2, 3, rng=0), ReLU(), Sequential(Linear(3, 4, rng=0), Dropout(0.1), Linear(4, 2)))
    ref = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(),
                              torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Dropout(0.1), torch.nn.Linear(4, 2)))
    assert {k: v.shape for k, v in ours.state_dict().items()} == \
        {k: tuple(v.shape) for k, v in ref.state_dict().items()}


def test_repr_reads_like_torch():
    pairs = [
        (Conv2D(3, 16, 3, padding=1), torch.nn.Conv2d(3, 16, 3, padding=1)),
        (Conv2D(3, 16, (3, 5), stride=2, dilation=2, groups=1, bias=False),
         torch.nn.Conv2d(3, 16, (3, 5), stride=2, dilation=2, bias=False)),
        (Conv2D(4, 8, 3, groups=2, padding="same"), torch.nn.Conv2d(4, 8, 3, groups=2, padding="same")),
        (MaxPool2D(2), torch.nn.MaxPool2d(2)),
        (AvgPool2D(3, stride=1, padding=1), torch.nn.AvgPool2d(3, stride=1, padding=1)),
        (Linear(4, 2), torch.nn.Linear(4, 2)),
        (Flatten(), torch.nn.Flatten()),
        (ReLU(), torch.nn.ReLU()),
        (Dropout(0.25), torch.nn.Dropout(0.25)),
    ]
    for ours, ref in pairs:
        expected = repr(ref).replace("2d(", "2D(")
        if isinstance(ref, torch.nn.Dropout):
            expected = expected.replace(", inplace=False", "")
        assert repr(ours) == expected
    assert repr(Sequential(Conv2D(1, 2, 3), ReLU())) == repr(
        torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU())).replace("2d(", "2D(")


@pytest.mark.parametrize("make,make_torch,fan_in", [
    (lambda: Conv2D(8, 64, 3, rng=0), lambda: torch.nn.Conv2d(8, 64, 3), 8 * 9),
    (lambda: Conv2D(8, 64, (5, 3), groups=4, rng=0), lambda: torch.nn.Conv2d(8, 64, (5, 3), groups=4), 2 * 15),
    (lambda: Linear(300, 100, rng=0), lambda: torch.nn.Linear(300, 100), 300),
])
def test_default_init_is_torch_uniform_with_bound_one_over_sqrt_fan_in(make, make_torch, fan_in):
    layer, ref = make(), make_torch()
    assert {k: v.shape for k, v in layer.params.items()} == {k: tuple(v.shape) for k, v in ref.state_dict().items()}
    bound = 1 / np.sqrt(fan_in)
    for name, w in layer.params.items():
        w_torch = ref.state_dict()[name].numpy()
        for values in (w, w_torch):                                  # same bound for torch's own init
            assert np.abs(values).max() <= bound
        assert np.abs(w).max() > 0.9 * bound                         # the whole range is used
    w = layer.params["weight"]
    assert abs(w.mean()) < 0.1 * bound                               # centred
    assert w.std() == pytest.approx(bound / np.sqrt(3), rel=0.1)     # variance of U(-b, b) is b^2/3
    assert w.std() == pytest.approx(ref.weight.detach().numpy().std(), rel=0.1)


def test_same_seed_same_weights_and_dtype_option():
    a, b = Conv2D(2, 3, 3, rng=7), Conv2D(2, 3, 3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.params["weight"], b.params["weight"])
    c = Conv2D(2, 3, 3, rng=7, dtype=np.float32)
    assert c.params["weight"].dtype == np.float32 and c.grads["weight"].dtype == np.float32
    assert c(np.ones((1, 2, 4, 4), dtype=np.float32)).dtype == np.float32
