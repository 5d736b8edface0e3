"""Small offline datasets as NCHW float arrays: nothing is downloaded.

* :func:`load_digits` -- scikit-learn's bundled 8x8 handwritten digits
  (1797 images, 10 classes), split into train and test once and for all.
* :func:`make_shapes` -- generated images of circles, squares, triangles and
  crosses at random positions, sizes and angles, with noise.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_int


class Split(NamedTuple):
    """A train/test split: ``x_*`` ``(N, 1, H, W)`` floats in [0, 1], ``y_*`` ``(N,)`` int64 labels."""
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]


class Dataset(NamedTuple):
    """Images ``x`` ``(N, 1, H, W)`` in [0, 1], labels ``y`` ``(N,)`` int64, and the class names."""
    x: np.ndarray
    y: np.ndarray
    class_names: tuple[str, ...]


def load_digits(test_size: int = 360, seed: int = 0, dtype=np.float64) -> Split:
    """The 8x8 digits bundled with scikit-learn as ``(N, 1, 8, 8)`` arrays in [0, 1].

    Pixel values 0..16 are divided by 16. The split is a fixed permutation
    (``seed``): 1437 training and ``test_size`` = 360 test images by default,
    the same on every machine. Needs scikit-learn (``pip install scikit-learn``),
    which ships the data, so nothing is downloaded.

    >>> d = load_digits()
    >>> d.x_train.shape, d.x_test.shape, d.class_names[3]
    ((1437, 1, 8, 8), (360, 1, 8, 8), '3')
    """
    fn = "load_digits"
    try:
        from sklearn import datasets
    except ImportError as err:
        raise ImportError(f"{fn}: needs scikit-learn, which ships the digits: "
                          "pip install scikit-learn") from err
    digits = datasets.load_digits()
    n = len(digits.target)
    test_size = check_int(test_size, "test_size", fn, 1)
    if test_size >= n:
        raise ValueError(f"{fn}: test_size={test_size} must be smaller than the {n} images")
    seed = check_int(seed, "seed", fn, 0)
    x = (digits.images / 16.0).astype(dtype)[:, None, :, :]
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:test_size], order[test_size:]
    names = tuple(str(c) for c in digits.target_names)
    return Split(x[train], y[train], x[test], y[test], names)


SHAPE_CLASSES = ("circle", "square", "triangle", "cross")


def make_shapes(n: int, size: int = 28, seed: int = 0, noise: float = 0.1, dtype=np.float64) -> Dataset:
    """``n`` generated ``size x size`` images of filled shapes, ``y`` indexing ``SHAPE_CLASSES``.

    Each image holds one shape (circle, square, triangle or cross; classes
    balanced, order shuffled) with a random centre, radius (between 1/6 and
    1/3 of ``size``), rotation and brightness, on a background with Gaussian
    noise of standard deviation ``noise``, clipped to [0, 1]. Harder than the
    digits: position and angle vary, so the network must learn shape, not place.
    Same ``seed``, same images.

    >>> s = make_shapes(8, size=16)
    >>> s.x.shape, s.class_names
    ((8, 1, 16, 16), ('circle', 'square', 'triangle', 'cross'))
    """
    fn = "make_shapes"
    n = check_int(n, "n", fn, 1)
    size = check_int(size, "size", fn, 8)
    seed = check_int(seed, "seed", fn, 0)
    if not (isinstance(noise, (int, float)) and not isinstance(noise, bool) and noise >= 0):
        raise ValueError(f"{fn}: noise={noise!r} must be a number >= 0")
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % len(SHAPE_CLASSES)).astype(np.int64)
    # Pixel centres; shapes are drawn in a frame rotated by a random angle.
    rows, cols = np.mgrid[0:size, 0:size] + 0.5
    x = np.empty((n, 1, size, size), dtype=dtype)
    for k in range(n):
        r = rng.uniform(size / 6, size / 3)
        cy, cx = rng.uniform(r, size - r, size=2)
        angle = rng.uniform(0, 2 * np.pi)
        u = np.cos(angle) * (cols - cx) + np.sin(angle) * (rows - cy)
        v = -np.sin(angle) * (cols - cx) + np.cos(angle) * (rows - cy)
        mask = _shape_mask(SHAPE_CLASSES[y[k]], u, v, r)
        brightness = rng.uniform(0.6, 1.0)
        img = brightness * mask + rng.normal(0.0, noise, size=mask.shape) if noise else brightness * mask
        x[k, 0] = np.clip(img, 0.0, 1.0)
    return Dataset(x, y, SHAPE_CLASSES)


def _shape_mask(kind: str, u: np.ndarray, v: np.ndarray, r: float) -> np.ndarray:
    """Inside-test in the shape's own frame (centre 0, "radius" r)."""
    if kind == "circle":
        inside = u ** 2 + v ** 2 <= r ** 2
    elif kind == "square":
        half = r / np.sqrt(2)                      # corners on the circle of radius r
        inside = (np.abs(u) <= half) & (np.abs(v) <= half)
    elif kind == "triangle":
        # Equilateral, vertices on the circle of radius r: inside all three half-planes.
        inside = np.ones_like(u, dtype=bool)
        for a in (np.pi / 2, np.pi / 2 + 2 * np.pi / 3, np.pi / 2 + 4 * np.pi / 3):
            inside &= u * np.cos(a) + v * np.sin(a) <= r / 2
    else:  # cross: two bars of width r/2 through the centre
        inside = ((np.abs(u) <= r) & (np.abs(v) <= r / 4)) | ((np.abs(v) <= r) & (np.abs(u) <= r / 4))
    return inside.astype(np.float64)
