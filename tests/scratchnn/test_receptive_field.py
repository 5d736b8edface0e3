import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from scratchnn import receptive_field
from scratchnn.layers import (AvgPool2D, Conv2D, Dropout, Flatten, GlobalAvgPool2D, Linear, MaxPool2D, ReLU,
                              Sequential)
from scratchnn.receptive_field import ReceptiveFieldRow


def _column(table, field):
    return [getattr(row, field) for row in table]


def test_input_row_comes_first_with_rf_1_jump_1_start_0():
    row = receptive_field([(3, 1, 1)], 10)[0]
    assert row == ReceptiveFieldRow("input", 1, 1, 0, 1, 10, 1, 1, 0.0)


def test_three_stacked_3x3_convs_see_7_pixels():
    t = receptive_field([(3, 1, 1)] * 3, 32)
    assert _column(t, "receptive_field") == [1, 3, 5, 7]
    assert _column(t, "jump") == [1, 1, 1, 1]
    assert _column(t, "start") == [0.0] * 4
    assert _column(t, "output_size") == [32] * 4


def test_stride_2_layer_doubles_the_jump():
    # Worked by hand, input of 9 pixels, two unpadded 3x3 stride-2 convs:
    # layer 1: outputs 4, output 0 sees pixels 0..2 (centre 1), neighbours 2 apart;
    # layer 2: output 0 sees layer-1 outputs 0..2, i.e. pixels 0..6 (centre 3), jump 4.
    t = receptive_field([(3, 2, 0), (3, 2, 0)], 9)
    assert _column(t, "output_size") == [9, 4, 1]
    assert _column(t, "receptive_field") == [1, 3, 7]
    assert _column(t, "jump") == [1, 2, 4]
    assert _column(t, "start") == [0.0, 1.0, 3.0]


def test_dilations_1_2_4_give_a_field_of_15():
    t = receptive_field([(3, 1, 1, 1), (3, 1, 2, 2), (3, 1, 4, 4)], 32)
    assert _column(t, "receptive_field") == [1, 3, 7, 15]
    assert _column(t, "output_size") == [32] * 4


def test_padding_moves_the_start_left_of_pixel_0():
    t = receptive_field([(5, 2, 2), (3, 2, 0)], 16)
    # layer 1: start = 0 + (4/2 - 2) * 1 = 0; layer 2: start = 0 + (2/2 - 0) * 2 = 2
    assert _column(t, "start") == [0.0, 0.0, 2.0]
    t = receptive_field([(3, 1, 2)], 8)          # over-padded: first window centred at pixel -1
    assert t[1].start == -1.0 and t[1].output_size == 10


def test_vgg16_matches_araujo_et_al():
    # Araujo, Norris & Sim (Distill 2019), Table 1: vgg_16 has r = 212, effective stride S = 32
    # and effective padding P = 90 at its last feature map (pool5); the centre of output 0's
    # field is then (r - 1)/2 - P = 15.5. Same numbers by hand: 13 3x3/pad-1 convs, 5 2x2/2 pools.
    block = lambda n: [(3, 1, 1)] * n + [(2, 2, 0)]
    t = receptive_field(block(2) + block(2) + block(3) + block(3) + block(3), 224)
    assert (t[-1].receptive_field, t[-1].jump, t[-1].output_size) == (212, 32, 7)
    assert t[-1].start == (212 - 1) / 2 - 90
    assert t[-2].receptive_field == 196          # conv5_3, before the last pool


def test_alexnet_v2_matches_araujo_et_al():
    # Araujo et al. (Distill 2019), Table 1: alexnet_v2 (TF-slim) r = 195, S = 32, P = 64.
    # Layers: conv 11/4 valid, pool 3/2, conv 5 same (pad 2), pool 3/2, 3x conv 3 same, pool 3/2.
    layers = [(11, 4, 0), (3, 2, 0), (5, 1, 2), (3, 2, 0), (3, 1, 1), (3, 1, 1), (3, 1, 1), (3, 2, 0)]
    t = receptive_field(layers, 224)
    assert (t[-1].receptive_field, t[-1].jump) == (195, 32)
    assert t[-1].start == (195 - 1) / 2 - 64
    assert _column(t, "output_size") == [224, 54, 26, 26, 12, 12, 12, 12, 5]


def test_sequential_gives_the_same_numbers_as_tuples_and_skips_relu_and_dropout():
    net = Sequential(Conv2D(1, 4, 3, padding=1, rng=0), ReLU(), MaxPool2D(2), Dropout(0.5),
                     Conv2D(4, 4, 3, stride=2, dilation=2, rng=0), AvgPool2D(3, stride=1, padding=1))
    t = receptive_field(net, 32)
    ref = receptive_field([(3, 1, 1), (2, 2, 0), (3, 2, 0, 2), (3, 1, 1)], 32)
    assert _column(t, "name") == ["input", "0: Conv2D", "2: MaxPool2D", "4: Conv2D", "5: AvgPool2D"]
    for field in ReceptiveFieldRow.__dataclass_fields__:
        if field != "name":
            assert _column(t, field) == _column(ref, field)


def test_global_pool_sees_everything_and_flatten_ends_the_table():
    net = Sequential(Conv2D(1, 2, 3, rng=0), GlobalAvgPool2D(), Linear(2, 3, rng=0))
    t = receptive_field(net, 10)
    assert _column(t, "name") == ["input", "0: Conv2D", "1: GlobalAvgPool2D"]
    assert t[-1].receptive_field == 10 and t[-1].output_size == 1 and t[-1].kernel == 8
    t = receptive_field(Sequential(Conv2D(1, 2, 3, rng=0), Flatten(), Linear(128, 2, rng=0)), 10)
    assert len(t) == 2


def test_non_square_layers_need_an_axis():
    net = Sequential(Conv2D(1, 1, (3, 5), stride=(1, 2), padding=(1, 0), rng=0))
    with pytest.raises(ValueError, match=r"kernel_size=\(3, 5\) differs between height and width; pass axis"):
        receptive_field(net, 20)
    assert receptive_field(net, (20, 30), axis=0)[1].receptive_field == 3
    width = receptive_field(net, (20, 30), axis=1)[1]
    assert (width.receptive_field, width.jump, width.output_size, width.start) == (5, 2, 13, 2.0)


def test_same_padding_with_even_kernel_keeps_before_after_padding():
    t = receptive_field(Sequential(Conv2D(1, 1, 4, padding="same", rng=0)), 8)
    assert t[1].padding == (1, 2) and t[1].output_size == 8 and t[1].start == 0.5


def test_table_prints_and_converts_to_dicts():
    t = receptive_field([(3, 2, 1)], 8)
    text = str(t)
    assert text.splitlines()[0].split() == ["layer", "kernel", "stride", "padding", "dilation", "output",
                                            "rf", "jump", "start"]
    assert text.splitlines()[-1].split() == ["layer", "1", "3", "2", "1", "1", "4", "3", "2", "0"]
    assert t.to_dicts()[1] == dict(name="layer 1", kernel=3, stride=2, padding=1, dilation=1,
                                   output_size=4, receptive_field=3, jump=2, start=0.0)


@pytest.mark.parametrize("layers,size,match", [
    ([(0, 1, 0)], 8, r"receptive_field: layers\[0\] kernel=0 must be an integer >= 1"),
    ([(3, 1, -1)], 8, r"receptive_field: layers\[0\] padding=-1 must be an integer >= 0"),
    ([(3, 1)], 8, r"receptive_field: layers\[0\]=\(3, 1\) must be a scratchnn layer or a"),
    ([(3, 1, 0)], 0, r"receptive_field: input_size=0 must be an integer >= 1"),
    ([(5, 1, 0)], 3, r"receptive_field \(layer 1\): effective kernel 5 .* exceeds padded input 3"),
    ("conv", 8, r"receptive_field: layers='conv' must be a Sequential"),
    ([Sequential()], 8, r"layers\[0\] is a nested Sequential"),
])
def test_bad_arguments_are_refused(layers, size, match):
    with pytest.raises(ValueError, match=match):
        receptive_field(layers, size)


def test_bad_axis_is_refused():
    with pytest.raises(ValueError, match="receptive_field: axis=2 must be None, 0"):
        receptive_field([(3, 1, 0)], 8, axis=2)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4))
def test_field_equals_support_of_torch_input_gradient(spec):
    # Independent check: back-propagate from output 0 of an unpadded 1-D conv stack with positive
    # weights; the input pixels with non-zero gradient span exactly rf pixels centred at start.
    size = 1
    for k, s, d in reversed(spec):           # smallest input that leaves one output
        size = (size - 1) * s + d * (k - 1) + 1
    size += 3
    t = receptive_field([(k, s, 0, d) for k, s, d in spec], size)
    x = torch.ones(1, 1, 1, size, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s, d in spec:
        y = torch.nn.functional.conv2d(y, torch.ones(1, 1, 1, k, dtype=torch.float64), stride=(1, s),
                                       dilation=(1, d))
    assert y.shape[-1] == t[-1].output_size
    y[0, 0, 0, 0].backward()
    hit = np.flatnonzero(x.grad[0, 0, 0].numpy())
    assert hit.max() - hit.min() + 1 == t[-1].receptive_field
    assert (hit.max() + hit.min()) / 2 == t[-1].start
    if y.shape[-1] > 1:                      # the next output is one jump further right
        x.grad = None
        y = x
        for k, s, d in spec:
            y = torch.nn.functional.conv2d(y, torch.ones(1, 1, 1, k, dtype=torch.float64), stride=(1, s),
                                           dilation=(1, d))
        y[0, 0, 0, 1].backward()
        assert np.flatnonzero(x.grad[0, 0, 0].numpy()).min() == hit.min() + t[-1].jump


def test_docstring_examples_run():
    import doctest
    import importlib
    import sys
    importlib.import_module("scratchnn.receptive_field")
    result = doctest.testmod(sys.modules["scratchnn.receptive_field"], optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
