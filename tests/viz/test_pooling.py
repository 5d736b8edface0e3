"""The argmax the picture marks is where max_pool2d_backward sends the gradient."""
import numpy as np
import pytest

from scratchnn import functional as F
from scratchnn import viz
from scratchnn.viz.style import cells_of

CASES = [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1), dict(kernel_size=3, stride=1)]


def _one_hot_routes(x, kw, backward):
    y_shape = F.max_pool2d(x[None, None], **kw).shape
    routes = []
    for n in range(int(np.prod(y_shape))):
        g = np.zeros(y_shape)
        g.flat[n] = 1.0
        gi = backward(g, x[None, None], **kw)[0, 0]
        routes.append(sorted(zip(*map(list, np.nonzero(gi)))))
    return routes


@pytest.mark.parametrize("kw", CASES)
@pytest.mark.parametrize("ties", [False, True])
def test_argmax_is_where_max_pool_backward_routes_the_gradient(kw, ties):
    rng = np.random.default_rng(3)
    x = rng.integers(0, 3 if ties else 100, (6, 6)).astype(float)   # ties: many equal maxima
    anim = viz.animate_pooling(x, mode="max", **kw)
    pic = anim.picture
    routes = _one_hot_routes(x, kw, F.max_pool2d_backward)
    assert len(anim.frame_list) == len(routes)
    for t in anim.frame_list:
        anim.update(t)
        assert [pic.argmax(t)] == routes[t]
        assert cells_of(pic.route, pic.gi_org) == routes[t]
    mask = pic.argmax_mask()
    go = np.ones(F.max_pool2d(x[None, None], **kw).shape)
    np.testing.assert_array_equal(mask, F.max_pool2d_backward(go, x[None, None], **kw)[0, 0] != 0)


def test_average_pooling_routes_to_the_whole_window():
    x = np.arange(25.).reshape(5, 5)
    kw = dict(kernel_size=3, stride=2, padding=1)
    pic = viz.animate_pooling(x, mode="avg", **kw).picture
    for t in range(pic.n_frames):
        assert pic.routed_to(t) == _one_hot_routes(x, kw, F.avg_pool2d_backward)[t]


def test_drawn_gradient_numbers_are_the_backward_result():
    x = np.array([[1, 5, 2, 2], [3, 0, 7, 1], [4, 4, 0, 0], [4, 1, 0, 9]], float)
    fig = viz.pooling(x)
    gi = F.max_pool2d_backward(np.arange(1., 5.).reshape(1, 1, 2, 2), x[None, None], 2)[0, 0]
    drawn = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "grad-input-value"]
    assert drawn == [f"{v:g}" for v in gi.ravel()]


def test_pooling_rejects_unknown_mode():
    with pytest.raises(ValueError, match="pooling: mode='min' must be 'max' or 'avg'"):
        viz.pooling(np.ones((4, 4)), mode="min")
