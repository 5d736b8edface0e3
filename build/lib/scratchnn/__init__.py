"""scratchnn: convolutional layers from scratch in NumPy, checked against PyTorch.

NCHW tensors and PyTorch's conventions throughout; see ``scratchnn.functional``
for the operations and ``scratchnn.layers`` for layers with backward passes.

* ``scratchnn.layers``: ``Conv2D``, pooling, ``ReLU``, ``Linear``, ``Sequential``, ...
* ``scratchnn.losses`` / ``scratchnn.optim``: ``CrossEntropyLoss``, ``MSELoss``, ``SGD``, ``Adam``
* ``scratchnn.receptive_field(layers, input_size)``: receptive field per layer
* ``scratchnn.summary(model, input_shape)``: output shapes and parameter counts
* ``scratchnn.gradcheck(fn, inputs, analytic)``: check a backward pass numerically
  (``layer_gradcheck(layer, x)`` for a layer's input and parameters)
* ``scratchnn.data``: offline datasets (``load_digits``, ``make_shapes``)
"""
from . import data, functional, layers, losses, optim
from .functional.sizes import conv_output_size, conv_transpose_output_size
from .gradcheck import gradcheck, layer_gradcheck
from .receptive_field import receptive_field
from .summary import summary

__all__ = ["functional", "conv_output_size", "conv_transpose_output_size", "layers", "losses", "optim",
           "receptive_field", "summary", "gradcheck", "layer_gradcheck", "data"]
__version__ = "0.1.0"
