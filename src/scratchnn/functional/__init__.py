"""Operations on NCHW NumPy arrays with PyTorch's semantics.

Convolution (``conv2d``, ``conv2d_backward``, ``conv_transpose2d``,
``conv_transpose2d_backward``) in two implementations, ``impl="loops"``
(reads like the equations, ``conv_loops.py``) and ``impl="im2col"`` (fast,
``conv_im2col.py``, built on ``columns.py``); pooling with backward passes; ``pad2d``; ``im2col`` and
``col2im``; the output-size arithmetic of ``sizes.py``.
"""
from .conv import conv2d, conv2d_backward, conv_transpose2d, conv_transpose2d_backward
from .columns import col2im, im2col
from .padding import pad2d
from .pooling import (avg_pool2d, avg_pool2d_backward, global_avg_pool2d,
                      global_avg_pool2d_backward, max_pool2d, max_pool2d_backward)
from .sizes import (conv_output_size, conv_transpose_output_size, effective_kernel_size,
                    full_padding, resolve_padding, same_padding)

__all__ = [
    "conv2d", "conv2d_backward", "conv_transpose2d", "conv_transpose2d_backward",
    "max_pool2d", "max_pool2d_backward", "avg_pool2d", "avg_pool2d_backward",
    "global_avg_pool2d", "global_avg_pool2d_backward",
    "pad2d", "im2col", "col2im",
    "conv_output_size", "conv_transpose_output_size", "effective_kernel_size",
    "same_padding", "full_padding", "resolve_padding",
]
