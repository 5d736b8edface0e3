import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from scratchnn import gradcheck
from scratchnn.losses import CrossEntropyLoss, MSELoss, log_softmax


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), c=st.integers(2, 7), seed=st.integers(0, 2**16), scale=st.sampled_from([1.0, 50.0]))
def test_cross_entropy_and_gradient_equal_torch(n, c, seed, scale):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, c)) * scale
    target = rng.integers(0, c, size=n)
    loss = CrossEntropyLoss()
    value = loss(logits, target)
    grad = loss.backward()
    t = torch.tensor(logits, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(t, torch.tensor(target))
    ref.backward()
    assert abs(value - ref.item()) <= 1e-10 * max(1.0, abs(ref.item()))
    np.testing.assert_allclose(grad, t.grad.numpy(), rtol=0, atol=1e-12)


def test_cross_entropy_is_stable_for_huge_logits():
    loss = CrossEntropyLoss()
    value = loss(np.array([[1000.0, 0.0, -1000.0]]), np.array([0]))
    assert value == pytest.approx(0.0, abs=1e-12)
    assert np.isfinite(loss.backward()).all()
    assert np.isfinite(log_softmax(np.array([[1e4, -1e4]]))).all()


def test_cross_entropy_backward_passes_gradcheck():
    rng = np.random.default_rng(3)
    logits, target = rng.normal(size=(4, 5)), np.array([0, 4, 2, 2])
    loss = CrossEntropyLoss()
    loss(logits, target)
    assert gradcheck(lambda z: CrossEntropyLoss()(z, target), logits, loss.backward()) < 1e-7


def test_mse_and_gradient_equal_torch():
    rng = np.random.default_rng(4)
    pred, target = rng.normal(size=(3, 2, 4)), rng.normal(size=(3, 2, 4))
    loss = MSELoss()
    value = loss(pred, target)
    t = torch.tensor(pred, requires_grad=True)
    ref = torch.nn.functional.mse_loss(t, torch.tensor(target))
    ref.backward()
    assert value == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(loss.backward(), t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("target,match", [
    (np.array([0, 3]), r"target values must lie in \[0, 3\) for 3 classes, got range \[0, 3\]"),
    (np.array([0.0, 1.0]), "target must hold integer class indices, got dtype float64"),
    (np.array([0, 1, 2]), r"target has shape \(3,\) but logits \(2, 3\) need \(2,\)"),
])
def test_cross_entropy_rejects_bad_targets(target, match):
    with pytest.raises(ValueError, match=match):
        CrossEntropyLoss()(np.zeros((2, 3)), target)


def test_losses_refuse_backward_before_forward_and_shape_mismatch():
    with pytest.raises(ValueError, match="CrossEntropyLoss.backward: called before forward"):
        CrossEntropyLoss().backward()
    with pytest.raises(ValueError, match="MSELoss.backward: called before forward"):
        MSELoss().backward()
    with pytest.raises(ValueError, match=r"MSELoss.forward: target has shape \(3,\) but pred has \(2,\)"):
        MSELoss()(np.zeros(2), np.zeros(3))
