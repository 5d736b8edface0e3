"""Saved and inline animations stay within the website's size budget."""
import base64
import re

import numpy as np
import pytest
from PIL import Image

from scratchnn import viz


@pytest.mark.parametrize("name,kw", viz.catalogue(), ids=[n for n, _ in viz.catalogue()])
def test_catalogue_animation_saves_within_300_kb_with_every_frame(name, kw, tmp_path):
    anim = viz.animate_conv(**kw)
    info = viz.save_animation(anim, tmp_path / f"{name}.gif")
    assert info.size_kb <= 300
    assert (tmp_path / f"{name}.gif").stat().st_size == pytest.approx(info.size_kb * 1024)
    with Image.open(tmp_path / f"{name}.gif") as im:
        assert im.n_frames == info.n_frames == len(anim.frame_list)


def test_tight_budget_lowers_dpi_then_drops_frames(tmp_path):
    anim = viz.animate_conv(5, 3, p=1)                      # 25 frames
    full = viz.save_animation(anim, tmp_path / "full.gif")
    small = viz.save_animation(anim, tmp_path / "small.gif", max_kb=full.size_kb / 2)
    assert small.size_kb <= full.size_kb / 2
    assert small.dpi < full.dpi
    tiny = viz.save_animation(anim, tmp_path / "tiny.gif", max_kb=full.size_kb / 8)
    assert tiny.size_kb <= full.size_kb / 8
    assert tiny.frame_step > 1 and tiny.n_frames < 25      # at min_dpi only fewer frames help


def test_impossible_budget_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="animation_bytes: cannot fit the animation into max_kb=0.1"):
        viz.save_animation(viz.animate_conv(4, 3), tmp_path / "x.gif", max_kb=0.1)


def test_webp_and_bad_suffix(tmp_path):
    info = viz.save_animation(viz.animate_conv(4, 3), tmp_path / "a.webp")
    assert info.size_kb <= 300
    with pytest.raises(ValueError, match=r"save_animation: path='a.png' must end in .gif or .webp"):
        viz.save_animation(viz.animate_conv(4, 3), "a.png")


def test_show_animation_embeds_a_gif_with_alt_text():
    html = viz.show_animation(viz.animate_conv(4, 3), alt='A 3×3 "kernel" slides')._repr_markdown_()
    m = re.match(r'<img src="data:image/gif;base64,([A-Za-z0-9+/=]+)" alt="A 3×3 &quot;kernel&quot; slides"', html)
    assert m and base64.b64decode(m.group(1))[:6] == b"GIF89a"


@pytest.mark.parametrize("make", [
    lambda: viz.animate_pooling(np.arange(16.).reshape(4, 4)),
    lambda: viz.animate_conv_backward(5, 3, 2, 1),
    lambda: viz.animate_receptive_field([(3, 1, 0), (2, 2, 0), (3, 1, 0)], 12),
    lambda: viz.animate_numeric_conv(np.ones((2, 3, 3)), np.ones((2, 2, 2, 2))),
], ids=["pooling", "backward", "receptive", "numeric"])
def test_other_animations_fit_the_budget(make, tmp_path):
    assert viz.save_animation(make(), tmp_path / "a.gif").size_kb <= 300


def test_show_animations_lays_out_one_captioned_gif_per_animation():
    anims = [viz.animate_conv(**kw) for _, kw in viz.catalogue()[:3]]
    grid = viz.show_animations(anims)
    html = grid._repr_markdown_()
    assert html.count("<img ") == 3 and html.count("<figcaption") == 3
    assert viz.describe(anims[1].geometry) in html
    assert grid.size_kb <= 3 * 300
    with pytest.raises(ValueError, match="show_animations: 1 animations need as many captions"):
        viz.show_animations(anims[:1], captions=["a", "b"])


@pytest.mark.parametrize("make", [
    lambda: viz.numeric_conv(np.ones((2, 3, 3)), np.ones((2, 2, 2, 2)), np.zeros(2)),
    lambda: viz.pooling(np.arange(25.).reshape(5, 5), 3, 2, 1, mode="avg"),
    lambda: viz.conv_backward(6, 3, 2, 1, 2),
    lambda: viz.receptive_field_growth([(3, 1, 1), (2, 2, 0)], 8, cell=(0, 3)),
], ids=["numeric", "pooling", "backward", "receptive"])
def test_static_figures_render_to_png(make, tmp_path):
    fig = make()
    fig.savefig(tmp_path / "f.png")
    with Image.open(tmp_path / "f.png") as im:
        assert im.width > 200 and im.height > 100


def test_animations_display_as_markdown_never_as_text_html():
    """Quarto adds require.js and jQuery from a CDN for any text/html display output; an offline
    page cannot load them, so animations are displayed as Markdown (raw HTML inside it)."""
    from IPython.core.formatters import DisplayFormatter

    one = viz.show_animation(viz.animate_conv(4, 3), alt="a")
    grid = viz.show_animations([viz.animate_conv(4, 3)])
    for obj in (one, grid):
        data, _ = DisplayFormatter().format(obj)
        assert "text/markdown" in data and "text/html" not in data


def test_animation_machinery_knows_nothing_of_what_it_animates():
    """viz.animate imports no drawing module (the dependency runs one way, issue 12)."""
    import ast
    import inspect

    from scratchnn.viz import animate
    tree = ast.parse(inspect.getsource(animate))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not {m for m in imported if m and m.lstrip(".") in
                {"conv_arithmetic", "geometry", "backward", "numeric", "pooling", "receptive"}}
