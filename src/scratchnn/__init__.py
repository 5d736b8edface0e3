"""scratchnn: convolutional layers from scratch in NumPy, checked against PyTorch.

NCHW tensors and PyTorch's conventions throughout; see ``scratchnn.functional``
for the operations and ``scratchnn.layers`` for layers with backward passes.
"""
from . import functional
from .functional.sizes import conv_output_size, conv_transpose_output_size

__all__ = ["functional", "conv_output_size", "conv_transpose_output_size"]
__version__ = "0.1.0"
