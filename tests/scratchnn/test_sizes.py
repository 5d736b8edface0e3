import pytest
import torch

from scratchnn import conv_output_size, conv_transpose_output_size


@pytest.mark.parametrize("i,k,s,p,d", [(5, 3, 1, 0, 1), (5, 3, 2, 1, 1), (7, 3, 1, 0, 2),
                                       (6, 3, 2, 1, 1), (32, 5, 1, 2, 1), (8, 2, 3, 0, 3)])
def test_conv_output_size_matches_torch_conv(i, k, s, p, d):
    y = torch.nn.functional.conv2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k),
                                   stride=s, padding=p, dilation=d)
    assert conv_output_size(i, k, s, p, d) == y.shape[-1]


@pytest.mark.parametrize("i,k,s,p", [(5, 2, 2, 0), (6, 3, 2, 1), (7, 3, 3, 1), (4, 3, 2, 1), (5, 3, 2, 1)])
def test_ceil_mode_drops_window_starting_in_padding_like_torch(i, k, s, p):
    y = torch.nn.functional.max_pool2d(torch.zeros(1, 1, i, i), k, s, p, ceil_mode=True)
    assert conv_output_size(i, k, s, p, ceil_mode=True) == y.shape[-1]


@pytest.mark.parametrize("i,k,s,p,op,d", [(3, 3, 2, 1, 0, 1), (3, 3, 2, 1, 1, 1), (4, 4, 2, 1, 0, 1),
                                          (5, 3, 1, 0, 0, 2), (2, 3, 3, 0, 2, 1)])
def test_conv_transpose_output_size_matches_torch(i, k, s, p, op, d):
    y = torch.nn.functional.conv_transpose2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k),
                                             stride=s, padding=p, output_padding=op, dilation=d)
    assert conv_transpose_output_size(i, k, s, p, op, d) == y.shape[-1]


def test_kernel_larger_than_padded_input_names_effective_kernel():
    with pytest.raises(ValueError, match=r"effective kernel 9 \(kernel 5, dilation 2\) exceeds padded input 8"):
        conv_output_size(6, 5, p=1, d=2)


@pytest.mark.parametrize("kwargs,arg", [({"s": 0}, "stride"), ({"d": 0}, "dilation"), ({"p": -1}, "padding"),
                                        ({"k": 2.5}, "kernel")])
def test_bad_arguments_name_themselves(kwargs, arg):
    args = {"i": 5, "k": 3} | kwargs
    with pytest.raises(ValueError, match=arg):
        conv_output_size(**args)


def test_output_padding_must_be_below_stride_or_dilation():
    with pytest.raises(ValueError, match="output_padding=2"):
        conv_transpose_output_size(3, 3, s=2, output_padding=2)
