"""Layer contract: shapes, modes, state_dict, and clear errors for bad input."""
import re

import numpy as np
import pytest

from scratchnn.layers import (AvgPool2D, Conv2D, Dropout, Flatten, GlobalAvgPool2D, Linear, MaxPool2D, ReLU,
                              Sequential)


def small_cnn(dtype=np.float64):
    return Sequential(Conv2D(1, 4, 3, padding=1, rng=0, dtype=dtype), ReLU(), MaxPool2D(2), Dropout(0.5, rng=0),
                      Conv2D(4, 6, 3, stride=2, rng=1, dtype=dtype), ReLU(), Flatten(), Linear(6, 3, rng=2, dtype=dtype))


@pytest.mark.parametrize("layer,shape", [
    (Conv2D(3, 5, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), rng=0), (2, 3, 9, 8)),
    (Conv2D(3, 5, 4, padding="same", rng=0), (1, 3, 6, 7)),
    (Conv2D(2, 2, 3, padding="full", rng=0), (1, 2, 4, 4)),
    (MaxPool2D(3, stride=2, padding=1, ceil_mode=True), (2, 3, 8, 9)),
    (AvgPool2D(2), (1, 2, 5, 5)),
    (GlobalAvgPool2D(), (2, 3, 4, 4)),
    (Flatten(), (2, 3, 4, 4)),
    (Linear(4, 2, rng=0), (3, 4)),
    (ReLU(), (2, 3)),
    (Dropout(0.3, rng=0), (2, 3)),
    (small_cnn(), (2, 1, 8, 8)),
])
def test_output_shape_predicts_forward_shape(layer, shape):
    x = np.random.default_rng(0).normal(size=shape)
    assert layer.forward(x).shape == layer.output_shape(shape)


def test_float32_flows_through_a_network():
    net = small_cnn(np.float32)
    x = np.random.default_rng(0).normal(size=(2, 1, 8, 8)).astype(np.float32)
    y = net(x)
    assert y.dtype == np.float32 and net.backward(np.ones_like(y)).dtype == np.float32
    assert all(g.dtype == np.float32 for _, _, g in net.named_parameters())


def test_dropout_is_identity_in_eval_and_scales_kept_units_in_training():
    x = np.ones((200, 50))
    layer = Dropout(0.2, rng=0)
    y = layer(x)
    assert set(np.unique(y)) == {0.0, 1.25}
    assert (y == 0).mean() == pytest.approx(0.2, abs=0.02)
    assert y.mean() == pytest.approx(1.0, abs=0.03)              # inverted dropout keeps the mean
    np.testing.assert_array_equal(layer.eval()(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)


def test_dropout_masks_repeat_with_the_same_seed_and_extremes_behave():
    x = np.ones((4, 4))
    np.testing.assert_array_equal(Dropout(0.5, rng=3)(x), Dropout(0.5, rng=3)(x))
    np.testing.assert_array_equal(Dropout(0.0)(x), x)
    np.testing.assert_array_equal(Dropout(1.0)(x), np.zeros_like(x))


def test_train_and_eval_reach_every_layer_of_a_sequential():
    net = Sequential(Dropout(0.5), Sequential(ReLU(), Dropout(0.1)))
    net.eval()
    assert not net.training and not net[0].training and not net[1][1].training
    net.train()
    assert net[1][1].training


def test_backward_writes_gradients_in_place_and_replaces_them():
    layer = Linear(3, 2, rng=0)
    grad_w = layer.grads["weight"]
    x = np.ones((1, 3))
    layer(x)
    layer.backward(np.ones((1, 2)))
    layer.backward(np.ones((1, 2)))          # a second backward does not accumulate
    assert layer.grads["weight"] is grad_w
    np.testing.assert_array_equal(grad_w, np.ones((2, 3)))
    layer.zero_grad()
    np.testing.assert_array_equal(grad_w, 0.0)


def test_load_state_dict_copies_in_place():
    net, other = small_cnn(), small_cnn()
    for name, p, _ in other.named_parameters():
        p[...] = np.arange(p.size).reshape(p.shape)
    weight = net[0].params["weight"]
    net.load_state_dict(other.state_dict())
    assert net[0].params["weight"] is weight
    for name, value in other.state_dict().items():
        np.testing.assert_array_equal(net.state_dict()[name], value)


def test_state_dict_returns_copies():
    net = small_cnn()
    state = net.state_dict()
    state["0.weight"][...] = 0
    assert np.abs(net[0].params["weight"]).sum() > 0
    assert list(state) == ["0.weight", "0.bias", "4.weight", "4.bias", "7.weight", "7.bias"]


@pytest.mark.parametrize("edit,match", [
    (lambda s: s.pop("4.bias"), r"keys do not match; missing=\['4.bias'\], unexpected=\[\]"),
    (lambda s: s.update({"9.weight": np.ones(1)}), r"keys do not match; missing=\[\], unexpected=\['9.weight'\]"),
    (lambda s: s.update({"7.weight": np.ones((6, 3))}), r"'7.weight' has shape \(6, 3\) but the layer expects \(3, 6\)"),
])
def test_load_state_dict_rejects_bad_states_and_changes_nothing(edit, match):
    net = small_cnn()
    before = net.state_dict()
    state = {k: v + 1 for k, v in before.items()}
    edit(state)
    with pytest.raises(ValueError, match=r"Sequential.load_state_dict: " + match):
        net.load_state_dict(state)
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_load_state_dict_rejects_a_non_mapping():
    with pytest.raises(ValueError, match="Linear.load_state_dict: state must be a mapping"):
        Linear(2, 2).load_state_dict([np.ones((2, 2))])


@pytest.mark.parametrize("layer", [Conv2D(1, 1, 1), MaxPool2D(2), AvgPool2D(2), GlobalAvgPool2D(), ReLU(),
                                   Flatten(), Linear(2, 2), Dropout(0.5), small_cnn()])
def test_backward_before_forward_is_a_clear_error(layer):
    with pytest.raises(ValueError, match=rf"{type(layer).__name__}.backward: called before forward"):
        layer.backward(np.ones((1, 1, 2, 2)))


@pytest.mark.parametrize("layer,x", [
    (Conv2D(1, 2, 3), np.ones((1, 1, 5, 5))), (MaxPool2D(2), np.ones((1, 1, 4, 4))),
    (ReLU(), np.ones((2, 3))), (Linear(3, 2), np.ones((2, 3))), (Flatten(), np.ones((2, 3, 2))),
    (GlobalAvgPool2D(), np.ones((2, 3, 2, 2))),
])
def test_grad_output_of_the_wrong_shape_is_refused(layer, x):
    y = layer(x)
    message = f"{type(layer).__name__}.backward: grad_output has shape (7,) but the last forward produced {y.shape}"
    with pytest.raises(ValueError, match=re.escape(message)):
        layer.backward(np.ones(7))


@pytest.mark.parametrize("layer,x,match", [
    (Conv2D(3, 4, 3), np.ones((1, 4, 5, 5)),
     r"Conv2D.forward: x has 4 channels \(shape \(1, 4, 5, 5\)\) but the layer was built with in_channels=3"),
    (Conv2D(3, 4, 3), np.ones((3, 5, 5)), r"Conv2D.forward: x must have 4 dimensions \(N, C_in, H, W\)"),
    (Conv2D(1, 1, 5), np.ones((1, 1, 3, 3)), r"effective kernel 5 .* exceeds padded input 3"),
    (Conv2D(1, 1, 3), np.ones((1, 1, 5, 5), dtype=np.float32), r"Conv2D.forward: x has dtype float32 but the layer's weight is float64"),
    (Linear(3, 2), np.ones((4, 5)), r"Linear.forward: x has shape \(4, 5\), its last dimension must equal in_features=3"),
    (Linear(3, 2), np.ones((4, 3), dtype=int), r"Linear.forward: x must have a floating dtype"),
    (Linear(3, 2), np.ones((4, 3), dtype=np.float32), r"Linear.forward: x has dtype float32 but the layer's weight is float64"),
    (MaxPool2D(2), np.ones((2, 2)), r"MaxPool2D.forward: x must have 4 dimensions"),
    (ReLU(), [1.0, -1.0], r"ReLU.forward: x must be a numpy.ndarray, got list"),
    (Flatten(), np.ones(3), r"Flatten.forward: x must have a batch dimension"),
])
def test_bad_input_is_refused_with_the_layer_and_the_rule(layer, x, match):
    with pytest.raises(ValueError, match=match):
        layer(x)


@pytest.mark.parametrize("make,match", [
    (lambda: Conv2D(3, 4, 3, stride=0), r"Conv2D: stride=0 must be positive integers \(>= 1\)"),
    (lambda: Conv2D(3, 4, (3, 0)), r"Conv2D: kernel_size=\(3, 0\) must be positive integers"),
    (lambda: Conv2D(3, 4, 3, padding=-1), r"Conv2D: padding=-1 must be non-negative integers"),
    (lambda: Conv2D(3, 4, 3, padding="half"), r"Conv2D: padding='half' must be an int, a pair of ints, or one of"),
    (lambda: Conv2D(3, 4, 3, stride=2, padding="same"), r"Conv2D: padding='same' needs stride 1"),
    (lambda: Conv2D(3, 4, 3, groups=2), r"Conv2D: groups=2 must divide in_channels=3"),
    (lambda: Conv2D(0, 4, 3), r"Conv2D: in_channels=0 must be an integer >= 1"),
    (lambda: Conv2D(3, 4, 3, rng="seed"), r"Conv2D: rng='seed' must be None, an int seed or a numpy.random.Generator"),
    (lambda: Conv2D(3, 4, 3, dtype=np.int32), r"Conv2D: dtype=.*int32.* must be a floating type"),
    (lambda: Conv2D(3, 4, 3, impl="fft"), r"Conv2D: impl='fft' must be one of 'auto', 'im2col', 'winograd', 'winograd2', 'loops'"),
    (lambda: Linear(3, 0), r"Linear: out_features=0 must be an integer >= 1"),
    (lambda: MaxPool2D(2, padding=2), r"MaxPool2D: padding=2 must be at most half of kernel_size=2"),
    (lambda: AvgPool2D(0), r"AvgPool2D: kernel_size=0 must be positive integers"),
    (lambda: Dropout(1.5), r"Dropout: p=1.5 must be a probability between 0 and 1"),
    (lambda: Sequential(ReLU(), "relu"), r"Sequential: argument 1 \('relu'\) must be a scratchnn Layer"),
])
def test_bad_hyperparameters_are_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_output_shape_refuses_a_mismatched_input_shape():
    with pytest.raises(ValueError, match=r"Conv2D.output_shape: input_shape=\(1, 2, 5, 5\) has 2 channels but in_channels=3"):
        Conv2D(3, 4, 3).output_shape((1, 2, 5, 5))
    with pytest.raises(ValueError, match=r"Linear.output_shape: .* in_features=4"):
        Linear(4, 2).output_shape((1, 3))


def test_sequential_indexing_and_parameters():
    net = small_cnn()
    assert len(net) == 8 and isinstance(net[0], Conv2D) and isinstance(net[-1], Linear)
    assert isinstance(net[:3], Sequential) and len(net[:3]) == 3
    assert net.num_parameters() == (4 * 9 + 4) + (6 * 4 * 9 + 6) + (3 * 6 + 3)
    assert len(net.parameters()) == 6


def test_docstring_examples_run():
    import doctest
    import importlib
    import sys
    importlib.import_module("scratchnn.layers.conv")
    result = doctest.testmod(sys.modules["scratchnn.layers.conv"], optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
