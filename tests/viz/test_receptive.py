"""The highlighted receptive field is the support of the gradient of one output cell."""
import numpy as np
import pytest

from scratchnn import functional as F
from scratchnn import viz
from scratchnn.receptive_field import receptive_field

STACKS = [([(3, 1, 0)] * 3, 9, None), ([(3, 1, 1), (2, 2, 0), (3, 1, 1)], 12, (0, 5)),
          ([(3, 1, 0, 2), (3, 2, 1)], 13, (1, 2)), ([(5, 2, 2), (3, 1, 0)], 11, (0, 0))]


def _support(layers, n, cell):
    """Nonzero pattern of d y_L[cell] / d x through the stack, with conv2d_backward."""
    xs, sizes = [np.zeros((1, 1, n, n))], [n]
    for spec in layers:
        k, s, p, d = (list(spec) + [1])[:4]
        xs.append(F.conv2d(xs[-1], np.ones((1, 1, k, k)), stride=s, padding=p, dilation=d))
    g = np.zeros_like(xs[-1])
    g[0, 0][cell] = 1.0
    for x, spec in zip(xs[-2::-1], layers[::-1]):
        k, s, p, d = (list(spec) + [1])[:4]
        g, _, _ = F.conv2d_backward(g, x, np.ones((1, 1, k, k)), stride=s, padding=p, dilation=d)
    return set(zip(*map(lambda a: a.tolist(), np.nonzero(g[0, 0]))))


@pytest.mark.parametrize("layers,n,cell", STACKS)
def test_highlighted_input_pixels_are_the_gradient_support(layers, n, cell):
    fig = viz.receptive_field_growth(layers, n, cell)
    pic = fig.picture
    assert pic.fields[0] == _support(layers, n, pic.cell)
    drawn = set(viz.style.cells_of(pic.colls[0]))
    assert drawn == pic.fields[0]


def test_interior_field_is_as_wide_as_the_table_says():
    layers = [(3, 1, 0), (2, 2, 0), (3, 1, 0)]
    pic = viz.receptive_field_growth(layers, 16).picture
    rf = receptive_field(layers, 16)[-1].receptive_field
    rows = {r for r, _ in pic.fields[0]}
    assert max(rows) - min(rows) + 1 == rf


def test_animation_reveals_one_level_per_frame():
    anim = viz.animate_receptive_field([(3, 1, 0)] * 2, 7)
    pic = anim.picture
    assert len(anim.frame_list) == 3
    anim.update(0)
    assert [len(viz.style.cells_of(c)) for c in pic.colls] == [0, 0, 1]
    anim.update(2)
    assert [len(viz.style.cells_of(c)) for c in pic.colls] == [25, 9, 1]


def test_cell_outside_the_last_map_is_an_error():
    with pytest.raises(ValueError, match=r"receptive_field_growth: cell=\(5, 0\) must lie in the last map"):
        viz.receptive_field_growth([(3, 1, 0)], 5, cell=(5, 0))
