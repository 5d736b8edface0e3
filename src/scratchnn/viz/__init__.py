"""Figures and animations of convolutions, drawn from :mod:`scratchnn.functional`.

Import as ``from scratchnn import viz``. Every picture exists twice: a static
multi-panel ``Figure`` for print and PDF, and an animation (one frame per
step) for the website and notebooks, in one colour scheme (:mod:`.style`).

=================================== ==============================================
static figure                       animation
=================================== ==============================================
:func:`conv_arithmetic`             :func:`animate_conv`
:func:`numeric_conv`                :func:`animate_numeric_conv`
:func:`pooling`                     :func:`animate_pooling`
:func:`conv_backward`               :func:`animate_conv_backward`
:func:`receptive_field_growth`      :func:`animate_receptive_field`
=================================== ==============================================

:func:`catalogue` lists the named cases of the convolution-arithmetic guide;
:func:`catalogue_figure` stacks several of them for print;
:func:`save_animation` writes GIF/WebP within a size budget and
:func:`show_animation` / :func:`show_animations` embed them in a page; :func:`conv_explorer` and
:func:`receptive_field_explorer` are ipywidgets explorers.
"""
from .animate import FrameAnimation, SavedAnimation, save_animation, show_animation, show_animations
from .backward import animate_conv_backward, conv_backward
from .conv_arithmetic import animate_conv, catalogue, catalogue_figure, conv_arithmetic
from .geometry import ConvGeometry, conv_geometry, describe
from .numeric import animate_numeric_conv, numeric_conv
from .pooling import animate_pooling, pooling
from .receptive import animate_receptive_field, receptive_field_growth
from .widgets import conv_explorer, receptive_field_explorer

__all__ = [
    "FrameAnimation", "SavedAnimation", "save_animation", "show_animation", "show_animations",
    "animate_conv", "catalogue", "catalogue_figure", "conv_arithmetic", "describe", "ConvGeometry", "conv_geometry",
    "numeric_conv", "animate_numeric_conv", "pooling", "animate_pooling",
    "conv_backward", "animate_conv_backward", "receptive_field_growth", "animate_receptive_field",
    "conv_explorer", "receptive_field_explorer",
]
