#!/usr/bin/env python3
"""Write every animation of the gallery as a GIF and print its size.

    python scripts/animations.py [OUT_DIR] [--max-kb 300]

The book itself embeds the animations inline (``viz.show_animations``), so
nothing here is needed to build it; this script is for looking at the files,
checking the size budget and using them elsewhere (slides, README).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from scratchnn import viz  # noqa: E402


def animations():
    """``(name, animation)`` pairs: the catalogue plus the other gallery animations."""
    for name, kw in viz.catalogue():
        yield name, viz.animate_conv(**kw)
    x = np.array([[[1, 0, 2], [3, 1, 0], [0, 2, 1]], [[2, 1, 0], [0, 1, 3], [1, 0, 2]]], float)
    w = np.array([[[[1, 0], [0, 1]], [[0, 1], [1, 0]]], [[[2, 1], [0, 1]], [[1, 0], [1, 1]]]], float)
    yield "numeric_conv", viz.animate_numeric_conv(x, w, np.array([0.0, 1.0]))
    x_pool = np.array([[1, 5, 2, 2], [3, 0, 7, 1], [4, 4, 0, 0], [4, 1, 0, 9]], float)
    yield "max_pool", viz.animate_pooling(x_pool, 2, mode="max")
    yield "avg_pool", viz.animate_pooling(np.arange(25.).reshape(5, 5) % 7, 3, 2, 1, mode="avg")
    yield "conv_backward", viz.animate_conv_backward(5, 3, s=2, p=1)
    yield "receptive_field", viz.animate_receptive_field([(3, 1, 0), (2, 2, 0), (3, 1, 0)], 12)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?", default="_build/animations")
    ap.add_argument("--max-kb", type=float, default=viz.animate.MAX_KB)
    args = ap.parse_args(argv)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    total = 0.0
    for name, anim in animations():
        info = viz.save_animation(anim, out / f"{name}.gif", max_kb=args.max_kb)
        matplotlib.pyplot.close(anim._fig)
        total += info.size_kb
        print(info)
    print(f"total: {total:.0f} KB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
