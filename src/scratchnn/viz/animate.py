"""Animations: one frame per step, saved as a small GIF/WebP or shown inline.

Every animation in :mod:`scratchnn.viz` is a :class:`FrameAnimation`: a
``matplotlib.animation.FuncAnimation`` that also remembers its frame list and
update function, so :func:`save_animation` can render the frames itself and
shrink the file (lower dpi, then every other frame) until it fits ``max_kb``.
"""
from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass

import numpy as np
from matplotlib.animation import Animation, FuncAnimation
from PIL import Image

#: Frames per second of the book's animations.
DEFAULT_FPS = 2
#: Size budget of one animation on the website.
MAX_KB = 300


class FrameAnimation(FuncAnimation):
    """A ``FuncAnimation`` that keeps ``frame_list`` and ``update`` (called as ``update(frame)``).

    ``caption`` is the default caption and alt text when shown; ``geometry``
    is whatever the animation draws, kept for callers (tests, widgets) --
    this module never looks inside it: the animation machinery knows nothing
    of what it animates.
    """

    def __init__(self, fig, update, frame_list, *, fps=DEFAULT_FPS, geometry=None, caption="",
                 dynamic=None, **kw):
        self.frame_list = list(frame_list)
        self.dynamic = list(dynamic or [])   # artists that change between frames (drawn over a cached background)
        self.update = update
        self.geometry = geometry
        self.caption = caption
        self.fps = fps
        self.dpi = fig.dpi   # the resolution the animation was designed for (files use it by default)
        super().__init__(fig, update, frames=self.frame_list, interval=1000 / fps,
                         blit=False, repeat=True, cache_frame_data=False, **kw)
        # Our frames are usually rendered by save_animation/show_animation, not by
        # matplotlib's event loop; its "deleted without rendering" warning would be noise.
        self._draw_was_started = True

    def __len__(self):
        return len(self.frame_list)


def picture_animation(fig, pic, n_frames: int, *, fps=DEFAULT_FPS, geometry=None, caption="",
                      tight: bool = True) -> FrameAnimation:
    """Animate a picture object (``pic.show(frame)`` draws frame ``0 … n_frames-1``).

    Shows frame 0 first (so a static render of ``fig`` is the first frame), lays the figure out
    when ``tight``, and keeps ``pic`` as ``anim.picture``.
    """
    pic.show(0)
    if tight:
        fig.tight_layout()
    anim = FrameAnimation(fig, pic.show, range(n_frames), fps=fps, geometry=geometry,
                          caption=caption, dynamic=pic.dynamic())
    anim.picture = pic
    return anim


@dataclass
class SavedAnimation:
    """What :func:`save_animation` wrote: path, size, and what it gave up to fit."""

    path: str
    size_kb: float
    dpi: float
    n_frames: int
    frame_step: int

    def __str__(self):
        skip = "" if self.frame_step == 1 else f", every {self.frame_step}. frame"
        return f"{os.path.basename(self.path)}: {self.size_kb:.0f} KB, {self.n_frames} frames, dpi {self.dpi:g}{skip}"


def _render_frames(anim: FrameAnimation, dpi: float, step: int) -> list[Image.Image]:
    fig = anim._fig
    old_dpi = fig.dpi
    fig.set_dpi(dpi)
    images = []
    canvas = fig.canvas
    try:
        # Draw the unchanging part once; per frame redraw only the artists that move.
        for a in anim.dynamic:
            a.set_animated(True)
        canvas.draw()
        background = canvas.copy_from_bbox(fig.bbox) if anim.dynamic else None
        for f in anim.frame_list[::step]:
            anim.update(f)
            if background is None:
                canvas.draw()
            else:
                canvas.restore_region(background)
                for a in anim.dynamic:
                    fig.draw_artist(a)
            rgba = np.asarray(canvas.buffer_rgba())
            images.append(Image.fromarray(rgba[..., :3].copy()))
    finally:
        for a in anim.dynamic:
            a.set_animated(False)
        fig.set_dpi(old_dpi)
    # One shared palette keeps colours stable across frames and the file small.
    palette = images[0].quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    return [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]


def _encode(frames: list[Image.Image], fmt: str, fps: float) -> bytes:
    buf = io.BytesIO()
    duration = int(round(1000 / fps))
    if fmt == "WEBP":
        frames = [f.convert("RGB") for f in frames]
        frames[0].save(buf, format="WEBP", save_all=True, append_images=frames[1:],
                       duration=duration, loop=0, lossless=True, method=4)
    else:
        frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:],
                       duration=duration, loop=0, optimize=True, disposal=1)
    return buf.getvalue()


def animation_bytes(anim: FrameAnimation, fps: float | None = None, max_kb: float = MAX_KB,
                    fmt: str = "GIF", dpi: float | None = None, min_dpi: float = 40):
    """Encode ``anim`` as GIF or WebP no larger than ``max_kb``.

    Starts at ``dpi`` (default: the animation's own) and lowers the dpi (by at least 15 % per try, guided by the size) down to ``min_dpi``; if still too large, keeps
    every 2nd, 3rd, ... frame. Returns ``(data, dpi, n_frames, step)``; raises
    ``ValueError`` if even the smallest version exceeds ``max_kb``.
    """
    if not isinstance(anim, FrameAnimation):
        raise ValueError(f"animation_bytes: anim must be a scratchnn.viz FrameAnimation, got {type(anim).__name__}")
    fmt = fmt.upper()
    if fmt not in ("GIF", "WEBP"):
        raise ValueError(f"animation_bytes: fmt={fmt!r} must be 'GIF' or 'WEBP'")
    fps = fps or anim.fps
    dpi = dpi or anim.dpi
    step = 1
    while True:
        d = dpi
        while True:
            data = _encode(_render_frames(anim, d, step), fmt, fps / step)
            if len(data) <= max_kb * 1024:
                return data, d, len(anim.frame_list[::step]), step
            if d <= min_dpi:
                break
            # File size grows roughly with the pixel count, i.e. with dpi squared.
            guess = d * (max_kb * 1024 / len(data)) ** 0.5 * 0.97
            d = max(min_dpi, round(min(d * 0.85, guess), 1))
        if len(anim.frame_list[::step]) <= 2:
            raise ValueError(f"animation_bytes: cannot fit the animation into max_kb={max_kb} "
                             f"(smallest version {len(data) / 1024:.0f} KB)")
        step += 1


def save_animation(anim: Animation, path, fps: float | None = None, max_kb: float = MAX_KB,
                   dpi: float | None = None) -> SavedAnimation:
    """Write ``anim`` to ``path`` (``.gif`` or ``.webp``), at most ``max_kb`` kilobytes.

    Returns a :class:`SavedAnimation` reporting the size, dpi and frames kept.
    """
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    fmts = {".gif": "GIF", ".webp": "WEBP"}
    if ext not in fmts:
        raise ValueError(f"save_animation: path={path!r} must end in .gif or .webp")
    data, d, n, step = animation_bytes(anim, fps, max_kb, fmts[ext], dpi)
    with open(path, "wb") as fh:
        fh.write(data)
    return SavedAnimation(path, len(data) / 1024, d, n, step)


class AnimationHTML:
    """An ``<img>`` with the animation inline as a base64 GIF (shown by Jupyter and Quarto).

    Displayed as Markdown (raw HTML inside Markdown), never as a ``text/html`` output: for any
    ``text/html`` display output Quarto adds require.js and jQuery from a CDN to the page, which
    an offline site cannot load.
    """

    def __init__(self, anim: FrameAnimation, alt: str, fps=None, max_kb=MAX_KB, dpi=None):
        data, self.dpi, self.n_frames, self.step = animation_bytes(anim, fps, max_kb, "GIF", dpi)
        self.size_kb = len(data) / 1024
        self.alt = alt
        self._b64 = base64.b64encode(data).decode("ascii")

    def _repr_markdown_(self):
        return self.html()

    def html(self) -> str:
        alt = self.alt.replace('"', "&quot;")
        return (f'<img src="data:image/gif;base64,{self._b64}" alt="{alt}" '
                f'style="max-width:100%;height:auto" />')


def show_animation(anim: FrameAnimation, alt: str, fps=None, max_kb=MAX_KB, dpi=None) -> AnimationHTML:
    """Display ``anim`` inline in a notebook or book page (closes its figure).

    The GIF is embedded as base64, so the page needs no separate file; ``alt``
    describes the animation for screen readers.
    """
    import matplotlib.pyplot as plt

    html = AnimationHTML(anim, alt, fps, max_kb, dpi)
    plt.close(anim._fig)
    return html


class AnimationGrid:
    """Several inline animations side by side, each with a caption (wraps on narrow screens).

    Displayed as Markdown like :class:`AnimationHTML`, for the same reason.
    """

    def __init__(self, items: list[AnimationHTML], captions: list[str]):
        self.items, self.captions = items, captions

    @property
    def size_kb(self) -> float:
        return sum(item.size_kb for item in self.items)

    def _repr_markdown_(self):
        return self.html()

    def html(self) -> str:
        cells = "".join(
            '<figure style="margin:0.3em;flex:0 1 auto;text-align:center">'
            f'{item.html()}<figcaption style="font-size:0.8em">{_escape(cap)}</figcaption></figure>'
            for item, cap in zip(self.items, self.captions))
        return f'<div style="display:flex;flex-wrap:wrap;align-items:flex-end">{cells}</div>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def show_animations(anims, captions=None, alts=None, fps=None, max_kb=MAX_KB, dpi=None) -> AnimationGrid:
    """Display several animations in a wrapping row, each an inline GIF of at most ``max_kb``.

    ``captions`` and ``alts`` default to each animation's own ``caption`` (the
    convolution animations set the one-line description of their geometry,
    e.g. ``i=5, k=3, s=2, p=1 → o=3``, which reads the same in every language).
    """
    import matplotlib.pyplot as plt

    anims = list(anims)
    default = [getattr(a, "caption", "") for a in anims]
    captions = default if captions is None else list(captions)
    alts = captions if alts is None else list(alts)
    if not (len(captions) == len(alts) == len(anims)):
        raise ValueError(f"show_animations: {len(anims)} animations need as many captions and alts, "
                         f"got {len(captions)} and {len(alts)}")
    items = []
    for a, alt in zip(anims, alts):
        items.append(AnimationHTML(a, alt, fps, max_kb, dpi))
        plt.close(a._fig)
    return AnimationGrid(items, captions)
