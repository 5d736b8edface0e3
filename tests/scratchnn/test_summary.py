import numpy as np
import pytest
import torch
import torchinfo

from scratchnn import summary
from scratchnn.layers import (AvgPool2D, Conv2D, Dropout, Flatten, GlobalAvgPool2D, Linear, MaxPool2D, ReLU,
                              Sequential)

TORCH_NAMES = {"Conv2D": "Conv2d", "MaxPool2D": "MaxPool2d", "AvgPool2D": "AvgPool2d"}


def _models():
    ours = Sequential(
        Conv2D(3, 8, 5, stride=2, padding=2, rng=0), ReLU(), MaxPool2D(3, stride=2, ceil_mode=True),
        Sequential(Conv2D(8, 16, 3, padding=1, groups=2, bias=False, rng=0), ReLU(), AvgPool2D(2)),
        Dropout(0.2), Flatten(), Linear(16 * 4 * 4, 10, rng=0))
    ref = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 5, stride=2, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(3, 2, ceil_mode=True),
        torch.nn.Sequential(torch.nn.Conv2d(8, 16, 3, padding=1, groups=2, bias=False), torch.nn.ReLU(),
                            torch.nn.AvgPool2d(2)),
        torch.nn.Dropout(0.2), torch.nn.Flatten(), torch.nn.Linear(16 * 4 * 4, 10))
    return ours, ref


def test_totals_and_every_row_equal_torchinfo():
    ours, ref = _models()
    s = summary(ours, (2, 3, 32, 32))
    info = torchinfo.summary(ref, input_size=(2, 3, 32, 32), verbose=0)
    assert s.total_params == info.total_params == 8 * 3 * 25 + 8 + 16 * 4 * 9 + 256 * 10 + 10
    assert s.trainable_params == info.trainable_params
    theirs = [(TORCH_NAMES.get(r.name, r.name), r.index, tuple(r.output_shape), r.num_params) for r in s.rows]
    expected = [(li.class_name, f"{li.depth}-{li.depth_index}", tuple(li.output_size), li.num_params)
                for li in info.summary_list[1:]]
    assert theirs == expected
    assert s.output_shape == (2, 10)


def test_global_pool_model_equals_torchinfo_totals():
    ours = Sequential(Conv2D(1, 4, 3, rng=0), ReLU(), GlobalAvgPool2D(), Linear(4, 2, rng=0))
    ref = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(),
                              torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()),
                              torch.nn.Linear(4, 2))
    s = summary(ours, (5, 1, 9, 9))
    info = torchinfo.summary(ref, input_size=(5, 1, 9, 9), verbose=0)
    assert s.total_params == info.total_params
    assert [r.output_shape for r in s.rows] == [tuple(li.output_size) for li in info.summary_list[1:]
                                                if li.depth == 1]


def test_summary_does_not_run_the_model():
    net = Sequential(Dropout(0.5, rng=0), Linear(3, 2, rng=0))
    state = net[0].rng.bit_generator.state
    summary(net, (4, 3))
    assert net[0].rng.bit_generator.state == state and net[1].cache is None


def test_summary_prints_a_table_with_totals():
    ours, _ = _models()
    text = str(summary(ours, (2, 3, 32, 32)))
    lines = text.splitlines()
    assert lines[1].split()[:3] == ["Layer", "(type:depth-idx)", "Output"]
    assert any(line.split() == ["Conv2D:", "1-1", "[2,", "8,", "16,", "16]", "608"] for line in lines)
    assert any(line.split()[:2] == ["Conv2D:", "2-1"] for line in lines)      # nested layers indented
    assert "Total params: 3,754" in text
    assert summary(ours, (1, 3, 32, 32)).to_dicts()[0]["output_shape"] == (1, 8, 16, 16)


def test_single_layer_summary():
    s = summary(Conv2D(2, 3, 3, rng=0), (1, 2, 5, 5))
    assert s.total_params == 57 and s.rows[0].output_shape == (1, 3, 3, 3)


@pytest.mark.parametrize("model,shape,match", [
    ("net", (1, 3), r"summary: model='net' must be a scratchnn Layer"),
    (Linear(3, 2), (0, 3), r"summary: input_shape=\(0, 3\) must be a tuple of positive ints"),
    (Linear(3, 2), 3, r"summary: input_shape=3 must be a tuple of positive ints"),
    (Sequential(Conv2D(3, 2, 3)), (1, 4, 8, 8), r"Conv2D.output_shape: input_shape=\(1, 4, 8, 8\) has 4 channels"),
    (Sequential(Conv2D(3, 2, 9)), (1, 3, 8, 8), r"Conv2D: effective kernel 9 .* exceeds padded input 8"),
])
def test_bad_arguments_are_refused(model, shape, match):
    with pytest.raises(ValueError, match=match):
        summary(model, shape)


def test_docstring_examples_run():
    import doctest
    import importlib
    import sys
    importlib.import_module("scratchnn.summary")
    result = doctest.testmod(sys.modules["scratchnn.summary"], optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
