"""Layers with forward and backward passes, named and initialised like ``torch.nn``.

Read in this order: ``base`` (the contract), ``activation`` (ReLU, Dropout),
``linear`` (Linear, Flatten), ``conv`` (Conv2D), ``pool`` (pooling),
``sequential`` (chaining them).
"""
from .activation import Dropout, ReLU
from .base import Layer
from .conv import Conv2D
from .linear import Flatten, Linear
from .pool import AvgPool2D, GlobalAvgPool2D, MaxPool2D
from .sequential import Sequential

__all__ = ["Layer", "Conv2D", "MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "ReLU", "Flatten",
           "Linear", "Dropout", "Sequential"]
