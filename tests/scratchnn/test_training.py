"""End-to-end: the layers, loss and optimizer together actually learn."""
import numpy as np

from scratchnn.data import load_digits, make_shapes
from scratchnn.layers import Conv2D, Flatten, GlobalAvgPool2D, Linear, MaxPool2D, ReLU, Sequential
from scratchnn.losses import CrossEntropyLoss
from scratchnn.optim import SGD, Adam


def train(net, opt, x, y, epochs, batch_size=32, seed=0):
    loss_fn, rng = CrossEntropyLoss(), np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            batch = order[start:start + batch_size]
            losses.append(loss_fn(net(x[batch]), y[batch]))
            net.backward(loss_fn.backward())
            opt.step()
    return losses


def accuracy(net, x, y):
    net.eval()
    correct = (net(x).argmax(axis=1) == y).mean()
    net.train()
    return correct


def test_tiny_cnn_reaches_90_percent_on_digits():
    d = load_digits()
    net = Sequential(Conv2D(1, 8, 3, padding=1, rng=0), ReLU(), MaxPool2D(2),
                     Conv2D(8, 16, 3, padding=1, rng=1), ReLU(), MaxPool2D(2), Flatten(), Linear(16 * 2 * 2, 10, rng=2))
    losses = train(net, Adam(net, lr=0.01), d.x_train, d.y_train, epochs=5)
    assert accuracy(net, d.x_test, d.y_test) > 0.90
    assert np.mean(losses[-20:]) < 0.5 * np.mean(losses[:20])


def test_sgd_with_momentum_also_learns_digits():
    d = load_digits()
    net = Sequential(Conv2D(1, 8, 3, padding=1, rng=0), ReLU(), MaxPool2D(2), Flatten(), Linear(8 * 4 * 4, 10, rng=1))
    train(net, SGD(net, lr=0.05, momentum=0.9), d.x_train, d.y_train, epochs=4)
    assert accuracy(net, d.x_test, d.y_test) > 0.90


def test_global_pool_cnn_learns_shapes_well_above_chance():
    train_set, test_set = make_shapes(1200, size=16, seed=0), make_shapes(400, size=16, seed=1)
    net = Sequential(Conv2D(1, 8, 3, padding=1, rng=0), ReLU(), MaxPool2D(2),
                     Conv2D(8, 16, 3, padding=1, rng=1), ReLU(), MaxPool2D(2),
                     Conv2D(16, 32, 3, padding=1, rng=3), ReLU(), GlobalAvgPool2D(), Linear(32, 4, rng=2))
    train(net, Adam(net, lr=0.01), train_set.x, train_set.y, epochs=4)
    assert accuracy(net, test_set.x, test_set.y) > 0.5          # chance is 0.25
