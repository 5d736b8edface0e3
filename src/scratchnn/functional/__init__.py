"""Operations on NCHW NumPy arrays with PyTorch's semantics.

Where things live:

* ``sizes.py`` -- output sizes and the named paddings ("valid", "same", "full"),
* ``conv.py`` -- ``conv2d``, ``conv2d_backward``, ``conv_transpose2d`` and its
  backward: argument checks, then one of two implementations,
* ``conv_loops.py`` -- ``impl="loops"``, the reference that reads like the equations,
* ``conv_im2col.py`` -- ``impl="im2col"`` (default), the general fast path, built on
  ``columns.py`` (``im2col``/``col2im`` and the contiguous-run column layout),
* ``conv_winograd.py`` -- ``impl="winograd"``/``"winograd2"``: F(4×4, 3×3) and
  F(2×2, 3×3) for 3×3 kernels at stride 1 (Lavin & Gray 2016),
* ``conv_auto.py`` -- ``impl="auto"`` (the layers' default): Winograd where it
  applies and pays off, im2col otherwise,
* ``pooling.py`` -- max, average and global average pooling with backward passes,
* ``padding.py`` -- ``pad2d``,
* ``_conv_args.py`` -- argument checks, the geometry of a call, the size guard's
  estimate and ``trim_padding``; ``_memory.py`` -- the guard's limit
  (``memory_limit``/``set_memory_limit``); ``_memo.py`` -- checks that passed
  are remembered per shapes and arguments (``checked_once``).

Dtypes: float32 and float64 only. float16 and longdouble are refused with a
``ValueError`` (not tested against PyTorch; float16 sums lose most digits).
"""
from .conv import conv2d, conv2d_backward, conv_transpose2d, conv_transpose2d_backward
from .columns import col2im, im2col
from ._memory import memory_limit, set_memory_limit
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
    "same_padding", "full_padding", "resolve_padding", "memory_limit", "set_memory_limit",
]
