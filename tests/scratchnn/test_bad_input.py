"""Bad input raises ValueError naming the function, the argument, its value and the rule."""
import numpy as np
import pytest

import scratchnn.functional as F

X = np.zeros((2, 3, 8, 8))
W = np.zeros((4, 3, 3, 3))
G = np.zeros((2, 4, 6, 6))          # grad_output of conv2d(X, W)
X32 = X.astype(np.float32)
P = np.zeros((2, 3, 4, 4))          # output of max_pool2d(X, 2)

CASES = [
    # conv2d: arrays
    ("x_3d", lambda: F.conv2d(np.zeros((3, 8, 8)), W), r"conv2d: x must have 4 dimensions .*\(3, 8, 8\)"),
    ("x_list", lambda: F.conv2d([[1.0]], W), r"conv2d: x must be a numpy.ndarray, got list"),
    ("x_int", lambda: F.conv2d(np.zeros((2, 3, 8, 8), int), W), r"conv2d: x must have a floating dtype.*int64"),
    ("weight_3d", lambda: F.conv2d(X, np.zeros((4, 3, 3))), r"conv2d: weight must have 4 dimensions.*\(4, 3, 3\)"),
    ("channel_mismatch", lambda: F.conv2d(X, np.zeros((4, 4, 3, 3))),
     r"conv2d: x has C_in=3 channels but weight expects C_in/groups\*groups=4\*1=4"),
    ("dtype_mismatch", lambda: F.conv2d(X32, W), r"conv2d: weight has dtype float64 but x has dtype float32"),
    ("bias_shape", lambda: F.conv2d(X, W, np.zeros(3)), r"conv2d: bias has shape \(3,\) but must be \(C_out,\) = \(4,\)"),
    ("bias_dtype", lambda: F.conv2d(X, W, np.zeros(4, np.float32)), r"conv2d: bias has dtype float32"),
    ("bias_list", lambda: F.conv2d(X, W, [0.0] * 4), r"conv2d: bias must be None or a numpy.ndarray, got list"),
    # conv2d: hyper-parameters
    ("stride_zero", lambda: F.conv2d(X, W, stride=(0, 1)), r"conv2d: stride=\(0, 1\) must be positive integers \(>= 1\)"),
    ("stride_float", lambda: F.conv2d(X, W, stride=1.5), r"conv2d: stride=1.5 must be an int or a pair of ints"),
    ("stride_triple", lambda: F.conv2d(X, W, stride=(1, 1, 1)), r"conv2d: stride=\(1, 1, 1\) must be an int or a pair"),
    ("dilation_zero", lambda: F.conv2d(X, W, dilation=0), r"conv2d: dilation=0 must be positive integers"),
    ("padding_negative", lambda: F.conv2d(X, W, padding=-1), r"conv2d: padding=-1 must be non-negative integers"),
    ("padding_pair_negative", lambda: F.conv2d(X, W, padding=(1, -2)), r"conv2d: padding=\(1, -2\) must be non-negative"),
    ("padding_unknown", lambda: F.conv2d(X, W, padding="half"),
     r"conv2d: padding='half' must be an int, a pair of ints, or one of 'valid', 'same', 'full'"),
    ("same_strided", lambda: F.conv2d(X, W, stride=2, padding="same"), r"conv2d: padding='same' needs stride 1, got stride=2"),
    ("kernel_too_big", lambda: F.conv2d(np.zeros((1, 1, 6, 6)), np.zeros((1, 1, 5, 5)), padding=1, dilation=2),
     r"conv2d: effective kernel 9 \(kernel 5, dilation 2\) exceeds padded input 8"),
    ("groups_zero", lambda: F.conv2d(X, W, groups=0), r"conv2d: groups=0 must be an integer >= 1"),
    ("groups_not_dividing_input", lambda: F.conv2d(X, np.zeros((4, 1, 3, 3)), groups=2),
     r"conv2d: groups=2 must divide the input channels C_in=3"),
    ("groups_not_dividing_output", lambda: F.conv2d(np.zeros((1, 4, 5, 5)), np.zeros((3, 2, 3, 3)), groups=2),
     r"conv2d: groups=2 must divide the output channels C_out=3"),
    ("impl_unknown", lambda: F.conv2d(X, W, impl="fft"), r"conv2d: impl='fft' must be one of 'auto', 'im2col', 'winograd', 'winograd2', 'loops'"),
    # conv2d_backward
    ("grad_output_shape", lambda: F.conv2d_backward(np.zeros((2, 4, 8, 8)), X, W),
     r"conv2d_backward: grad_output has shape \(2, 4, 8, 8\) but the forward output has shape \(2, 4, 6, 6\)"),
    ("grad_output_dtype", lambda: F.conv2d_backward(G.astype(np.float32), X, W),
     r"conv2d_backward: grad_output has dtype float32 but x has dtype float64"),
    ("backward_impl", lambda: F.conv2d_backward(G, X, W, impl="Loops"), r"conv2d_backward: impl='Loops'"),
    ("backward_channel_mismatch", lambda: F.conv2d_backward(G, X, np.zeros((4, 2, 3, 3))),
     r"conv2d_backward: x has C_in=3 channels"),
    # conv_transpose2d
    ("transpose_channels", lambda: F.conv_transpose2d(X, np.zeros((4, 2, 3, 3))),
     r"conv_transpose2d: x has C_in=3 channels but weight .* has shape \(4, 2, 3, 3\)"),
    ("transpose_output_padding", lambda: F.conv_transpose2d(X, np.zeros((3, 2, 3, 3)), stride=2, output_padding=2),
     r"conv_transpose2d: output_padding=2 must be smaller than the stride \(2\) or the dilation \(1\)"),
    ("transpose_padding_string", lambda: F.conv_transpose2d(X, np.zeros((3, 2, 3, 3)), padding="same"),
     r"conv_transpose2d: padding='same' must be an int or a pair of ints"),
    ("transpose_padding_eats_output", lambda: F.conv_transpose2d(np.zeros((1, 1, 1, 1)), np.zeros((1, 1, 1, 1)), padding=1),
     r"conv_transpose2d: padding p=1 removes the whole output"),
    ("transpose_bias", lambda: F.conv_transpose2d(X, np.zeros((3, 2, 3, 3)), np.zeros(3)),
     r"conv_transpose2d: bias has shape \(3,\) but must be \(C_out,\) = \(2,\)"),
    ("transpose_groups", lambda: F.conv_transpose2d(X, np.zeros((3, 2, 3, 3)), groups=2),
     r"conv_transpose2d: groups=2 must divide the input channels C_in=3"),
    ("transpose_grad_output", lambda: F.conv_transpose2d_backward(np.zeros((2, 2, 3, 3)), X, np.zeros((3, 2, 3, 3))),
     r"conv_transpose2d_backward: grad_output has shape \(2, 2, 3, 3\) but the forward output has shape \(2, 2, 10, 10\)"),
    # pooling
    ("pool_kernel_zero", lambda: F.max_pool2d(X, 0), r"max_pool2d: kernel_size=0 must be positive integers"),
    ("pool_stride_zero", lambda: F.max_pool2d(X, 2, stride=(2, 0)), r"max_pool2d: stride=\(2, 0\) must be positive"),
    ("pool_padding_too_big", lambda: F.max_pool2d(X, 3, padding=2),
     r"max_pool2d: padding=2 must be at most half the kernel_size=3 \(padding <= kernel_size // 2"),
    ("pool_padding_string", lambda: F.max_pool2d(X, 3, padding="same"), r"max_pool2d: padding='same' must be an int"),
    ("pool_kernel_too_big", lambda: F.max_pool2d(X, 9), r"max_pool2d: effective kernel 9 \(kernel 9, dilation 1\) exceeds padded input 8"),
    ("pool_x_2d", lambda: F.max_pool2d(np.zeros((8, 8)), 2), r"max_pool2d: x must have 4 dimensions .*\(8, 8\)"),
    ("max_backward_shape", lambda: F.max_pool2d_backward(np.zeros((2, 3, 3, 3)), X, 2),
     r"max_pool2d_backward: grad_output has shape \(2, 3, 3, 3\) but the forward output has shape \(2, 3, 4, 4\)"),
    ("avg_padding_too_big", lambda: F.avg_pool2d(X, (4, 2), padding=(2, 2)),
     r"avg_pool2d: padding=\(2, 2\) must be at most half the kernel_size=\(4, 2\)"),
    ("avg_backward_dtype", lambda: F.avg_pool2d_backward(P.astype(np.float32), X, 2),
     r"avg_pool2d_backward: grad_output has dtype float32 but x has dtype float64"),
    ("global_backward_shape", lambda: F.global_avg_pool2d_backward(np.zeros((2, 3)), X),
     r"global_avg_pool2d_backward: grad_output must have 4 dimensions, got shape \(2, 3\)"),
    ("global_x_3d", lambda: F.global_avg_pool2d(np.zeros((3, 4, 4))), r"global_avg_pool2d: x must have 4 dimensions"),
    # pad2d, im2col, col2im
    ("pad_negative", lambda: F.pad2d(X, -1), r"pad2d: padding=-1 must be non-negative integers"),
    ("pad_nested_negative", lambda: F.pad2d(X, ((0, 1), (-1, 0))), r"pad2d: padding=\(-1, 0\) must be non-negative"),
    ("pad_1d", lambda: F.pad2d(np.zeros(5), 1), r"pad2d: x must have at least 2 dimensions .*\(5,\)"),
    ("pad_inf_into_int", lambda: F.pad2d(np.zeros((2, 2), int), 1, value=-np.inf), r"pad2d: value=-inf cannot be stored"),
    ("im2col_kernel", lambda: F.im2col(X, (3, 0)), r"im2col: kernel_size=\(3, 0\) must be positive integers"),
    ("im2col_padding", lambda: F.im2col(X, 3, padding="circular"), r"im2col: padding='circular' must be"),
    ("col2im_shape", lambda: F.col2im(np.zeros((2, 27, 35)), (8, 8), 3),
     r"col2im: cols has shape \(2, 27, 35\) but kernel \(3, 3\) on input_size \(8, 8\) needs \(N, C\*9, 36\)"),
    ("col2im_input_size", lambda: F.col2im(np.zeros((2, 27, 36)), 8, 3), r"col2im: input_size=8 must be a pair \(H, W\)"),
    # sizes
    ("output_size_stride", lambda: F.conv_output_size(5, 3, s=0), r"conv_output_size: s \(stride\)=0 must be an integer >= 1"),
]


@pytest.mark.parametrize("call,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_value_error_naming_argument_and_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30 and len({c[0] for c in CASES}) == len(CASES)
