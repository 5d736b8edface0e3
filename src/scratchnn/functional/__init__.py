"""Operations on NCHW NumPy arrays with PyTorch's semantics."""
from .sizes import conv_output_size, conv_transpose_output_size, effective_kernel_size

__all__ = ["conv_output_size", "conv_transpose_output_size", "effective_kernel_size"]
