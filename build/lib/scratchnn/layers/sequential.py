"""``Sequential``: layers applied one after another; backward runs them in reverse."""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .base import Layer


class Sequential(Layer):
    """``Sequential(l0, l1, ...)``: ``y = l_n(... l1(l0(x)))``.

    Backward is the chain rule, layer by layer in reverse order:
    ``g = l_k.backward(g)``. Parameters are named ``"<index>.<name>"``
    ("0.weight", "3.bias", nested: "2.0.weight"), exactly as in
    ``torch.nn.Sequential``, so ``state_dict`` copies to and from torch when the
    layers line up one to one.
    """

    def __init__(self, *layers: Layer) -> None:
        super().__init__()
        for k, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise ValueError(f"Sequential: argument {k} ({layer!r}) must be a scratchnn Layer")
        self.layers = list(layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        self.cache = True
        return x

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        if self.cache is None:
            raise ValueError("Sequential.backward: called before forward; run forward(x) first")
        g = grad_output
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = layer.output_shape(shape)
        return shape

    def children(self) -> list[Layer]:
        return list(self.layers)

    def named_parameters(self, prefix: str = ""):
        for k, layer in enumerate(self.layers):
            yield from layer.named_parameters(f"{prefix}{k}.")

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def __repr__(self) -> str:
        if not self.layers:
            return "Sequential()"
        lines = []
        for k, layer in enumerate(self.layers):
            child = repr(layer).replace("\n", "\n  ")
            lines.append(f"  ({k}): {child}")
        return "Sequential(\n" + "\n".join(lines) + "\n)"
