import numpy as np
import pytest
import torch

from scratchnn.layers import Linear, ReLU, Sequential
from scratchnn.losses import MSELoss
from scratchnn.optim import SGD, Adam


def _pair_of_models(seed=0):
    ours = Sequential(Linear(4, 5, rng=seed), ReLU(), Linear(5, 3, rng=seed + 1))
    ref = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3)).double()
    ref.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    return ours, ref


def _trajectories(make_ours, make_ref, steps=5):
    ours, ref = _pair_of_models()
    opt, ref_opt = make_ours(ours), make_ref(ref.parameters())
    rng = np.random.default_rng(7)
    loss = MSELoss()
    for _ in range(steps):
        x, y = rng.normal(size=(8, 4)), rng.normal(size=(8, 3))
        loss(ours(x), y)
        ours.backward(loss.backward())
        opt.step()
        ref_opt.zero_grad()
        torch.nn.functional.mse_loss(ref(torch.from_numpy(x)), torch.from_numpy(y)).backward()
        ref_opt.step()
        for name, value in ref.state_dict().items():
            np.testing.assert_allclose(ours.state_dict()[name], value.numpy(), rtol=0, atol=1e-10,
                                       err_msg=name)


@pytest.mark.parametrize("kwargs", [
    dict(lr=0.1),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.9, weight_decay=0.01),
    dict(lr=0.05, momentum=0.8, dampening=0.3),
    dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1),
])
def test_sgd_trajectory_equals_torch(kwargs):
    _trajectories(lambda m: SGD(m, **kwargs), lambda p: torch.optim.SGD(p, **kwargs))


@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(lr=0.01, betas=(0.8, 0.99)),
    dict(lr=0.02, weight_decay=0.05, eps=1e-6),
])
def test_adam_trajectory_equals_torch(kwargs):
    _trajectories(lambda m: Adam(m, **kwargs), lambda p: torch.optim.Adam(p, **kwargs), steps=6)


def test_optimizer_updates_the_layer_arrays_in_place():
    layer = Linear(2, 2, rng=0)
    weight = layer.params["weight"]
    layer.grads["weight"][...] = 1.0
    before = weight.copy()
    SGD(layer, lr=0.5).step()
    assert layer.params["weight"] is weight
    np.testing.assert_allclose(weight, before - 0.5)


def test_optimizer_accepts_param_grad_pairs_and_zero_grad_clears():
    p, g = np.ones(3), np.full(3, 2.0)
    opt = SGD([(p, g)], lr=0.25)
    opt.step()
    np.testing.assert_allclose(p, 0.5)
    opt.zero_grad()
    np.testing.assert_array_equal(g, 0.0)


@pytest.mark.parametrize("make,match", [
    (lambda m: SGD(m, lr=-0.1), r"SGD: lr=-0.1 must be a number >= 0"),
    (lambda m: SGD(m, lr=0.1, momentum=-1), r"SGD: momentum=-1 must be a number >= 0"),
    (lambda m: SGD(m, lr=0.1, nesterov=True), "SGD: nesterov=True needs momentum > 0"),
    (lambda m: Adam(m, betas=(0.9, 1.0)), r"Adam: betas\[1\]=1.0 must be a number >= 0.0 and < 1.0"),
    (lambda m: Adam(m, betas=0.9), r"Adam: betas=0.9 must be a pair"),
    (lambda m: Adam(m, eps="small"), r"Adam: eps='small' must be a number"),
    (lambda m: SGD(ReLU(), lr=0.1), "SGD: params is empty"),
    (lambda m: SGD([np.ones(2)], lr=0.1), r"SGD: params entry array\(\[1., 1.\]\) must be a Layer"),
    (lambda m: SGD(3, lr=0.1), r"SGD: params=3 must be a Layer"),
])
def test_optimizers_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make(Linear(2, 2, rng=0))
