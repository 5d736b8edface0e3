"""The arithmetic pictures place window and output cells where the formulas say."""
import io

import numpy as np
import pytest
import torch

from scratchnn import viz
from scratchnn.functional import conv_output_size, conv_transpose_output_size
from scratchnn.viz.style import cells_of

CASES = viz.catalogue()


def _out(kw):
    i, k, s, p, d = (kw.get(n, dflt) for n, dflt in (("i", None), ("k", None), ("s", 1), ("p", 0), ("d", 1)))
    if kw.get("transposed"):
        return conv_transpose_output_size(i, k, s, p, kw.get("output_padding", 0), d)
    return conv_output_size(i, k, s, p, d)


def _expected_window(kw, oh, ow):
    """Canvas cells under the taps, from the textbook formulas (not from viz.geometry)."""
    k, s, p, d = kw["k"], kw.get("s", 1), kw.get("p", 0), kw.get("d", 1)
    if kw.get("transposed"):
        q = d * (k - 1) - p
        start = lambda o: o + max(0, -q)   # stride 1 over the dilated input; crop when q < 0
    else:
        start = lambda o: o * s
    return sorted((start(oh) + a * d, start(ow) + b * d) for a in range(k) for b in range(k))


def test_catalogue_covers_every_case_of_the_guide():
    names = {n for n, _ in CASES}
    for case in ["no_padding_no_strides", "arbitrary_padding_no_strides", "same_padding_no_strides",
                 "full_padding_no_strides", "no_padding_strides", "padding_strides",
                 "padding_strides_odd", "dilation"]:
        assert case in names and case + "_transposed" in names or case == "dilation"


@pytest.mark.parametrize("name,kw", CASES, ids=[n for n, _ in CASES])
def test_one_frame_per_output_position(name, kw):
    o = _out(kw)
    anim = viz.animate_conv(**kw)
    assert len(anim.frame_list) == o * o
    assert anim.geometry.out_shape == (o, o)


@pytest.mark.parametrize("name,kw", CASES, ids=[n for n, _ in CASES])
def test_drawn_window_covers_the_cells_the_formula_says(name, kw):
    anim = viz.animate_conv(**kw)
    pic = anim.picture
    o = _out(kw)
    for t in anim.frame_list:
        anim.update(t)
        oh, ow = divmod(t, o)
        assert cells_of(pic.window) == _expected_window(kw, oh, ow)
        assert cells_of(pic.current, pic.out_origin) == [(oh, ow)]


@pytest.mark.parametrize("name,kw", [c for c in CASES if c[1].get("transposed")],
                         ids=[n for n, kw in CASES if kw.get("transposed")])
def test_transposed_canvas_has_stride_zeros_and_full_padding(name, kw):
    i, k, s, p, d = kw["i"], kw["k"], kw.get("s", 1), kw.get("p", 0), kw.get("d", 1)
    op = kw.get("output_padding", 0)
    roles = viz.conv_geometry(**kw).roles()
    q = d * (k - 1) - p
    line = roles[q + s * (i // 2)]            # a row through input cells
    assert len(line) == 2 * q + (i - 1) * s + 1 + op
    assert list(line[:q]) == ["padding"] * q
    assert list(line[len(line) - q - op:]) == ["padding"] * (q + op)
    inner = list(line[q:q + (i - 1) * s + 1])
    assert inner[::s] == ["input"] * i
    assert inner.count("zero") == (i - 1) * (s - 1)


@pytest.mark.parametrize("kw", [dict(i=3, k=3, s=2, p=1), dict(i=3, k=3, s=2, p=1, output_padding=1),
                                dict(i=4, k=3, s=1, p=0, d=2), dict(i=5, k=3, s=1, p=3)])
def test_transposed_picture_is_the_direct_convolution_that_torch_computes(kw):
    rng = np.random.default_rng(1)
    x = rng.integers(-3, 4, (kw["i"], kw["i"])).astype(float)
    w = rng.integers(-2, 3, (kw["k"], kw["k"])).astype(float)
    g = viz.conv_geometry(transposed=True, **kw)
    canvas = g.canvas_values(x)
    drawn = np.array([sum(canvas[r, c] * wv for (r, c), wv in zip(g.window(t), w.ravel()))
                      for t in range(g.n_frames)]).reshape(g.out_shape)
    ref = torch.nn.functional.conv_transpose2d(
        torch.tensor(x)[None, None], torch.tensor(w[::-1, ::-1].copy())[None, None],
        stride=kw.get("s", 1), padding=kw.get("p", 0), output_padding=kw.get("output_padding", 0),
        dilation=kw.get("d", 1))[0, 0].numpy()
    np.testing.assert_allclose(drawn, ref)


def test_numbers_in_arithmetic_figure_are_conv2d_outputs():
    x = np.arange(16.).reshape(4, 4) % 3
    w = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], float)
    fig = viz.conv_arithmetic(4, 3, values=x, kernel=w)
    drawn = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "output-value"]
    ref = torch.nn.functional.conv2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None])[0, 0]
    assert drawn == [f"{v:g}" for v in ref.numpy().ravel()]


def test_invalid_sizes_raise_the_message_of_sizes_py():
    with pytest.raises(ValueError, match="conv_output_size: effective kernel 5"):
        viz.conv_arithmetic(3, 5)
    with pytest.raises(ValueError, match="conv_transpose_output_size: padding p=3 removes"):
        viz.animate_conv(3, 3, p=3, transposed=True)
    with pytest.raises(ValueError, match="stride"):
        viz.conv_arithmetic(5, 3, s=0)
    with pytest.raises(ValueError, match="conv_arithmetic: values has shape"):
        viz.conv_arithmetic(4, 3, values=np.ones((3, 3)))


def test_rectangular_sizes_are_drawn_per_axis():
    g = viz.conv_geometry((4, 6), (2, 3), s=(1, 2), p=(0, 1))
    assert g.out_shape == (conv_output_size(4, 2), conv_output_size(6, 3, 2, 1))
    assert g.canvas_shape == (4, 8)


@pytest.mark.parametrize("name,kw", CASES[::4], ids=[n for n, _ in CASES[::4]])
def test_static_figure_renders_to_png(name, kw):
    fig = viz.conv_arithmetic(**kw)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(fig.pictures) == min(4, _out(kw) ** 2)


def test_catalogue_figure_has_one_row_of_panels_per_case():
    names = ["padding_strides", "padding_strides_transposed"]
    fig = viz.catalogue_figure(names)
    assert [name for name, _, _ in fig.rows] == names
    for name, g, pics in fig.rows:
        assert len(pics) == 3 and g.out_shape[0] == _out(dict(viz.catalogue())[name])
    with pytest.raises(ValueError, match="catalogue_figure: names \\['nope'\\] are not in viz.catalogue"):
        viz.catalogue_figure(["nope"])


@pytest.mark.parametrize("x,w,centred", [
    (np.arange(25.).reshape(5, 5) % 7, np.array([[0, 1, 0], [1, 2, 1], [0, 1, 0]], float), True),
    (np.array([[0, 1, 12, 3, 4], [5, 6, 0, 1, 2], [3, 4, 5, 6, 0], [1, 2, 3, 4, 5], [6, 0, 1, 2, 3]],
              float), np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], float), False),
], ids=["one-character-labels", "negative-weights-and-a-two-digit-input"])
def test_weight_labels_keep_clear_of_the_input_numbers_and_show_their_sign(x, w, centred):
    """Each weight under the window is drawn in its cell's corner without touching that
    cell's input number, and a negative weight shows a minus (a small hyphen used to
    vanish under the digit, so a reader saw 1 where the kernel had -1). One-character
    labels leave the input numbers centred."""
    fig = viz.conv_arithmetic(5, 3, s=2, values=x, kernel=w)
    renderer = fig.canvas.get_renderer()
    expected = [f"{v:g}".replace("-", "\u2212") for v in w.ravel()]
    for pic in fig.pictures:
        ax = pic.ax
        weights = [t for t in ax.texts if t.get_gid() == "kernel-value"]
        assert [t.get_text() for t in weights] == expected
        numbers = [t for t in ax.texts if t.get_gid() == "input-value"]
        assert all((t.get_position()[0] % 1 == 0.5) == centred for t in numbers)
        for weight in weights:
            box = weight.get_window_extent(renderer)
            cell = (int(weight.get_position()[1]), int(weight.get_position()[0]))
            number = next(t for t in numbers
                          if (int(t.get_position()[1]), int(t.get_position()[0])) == cell)
            assert not box.overlaps(number.get_window_extent(renderer)), (cell, weight.get_text())
