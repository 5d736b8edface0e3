"""ipywidgets explorers: sliders driving the drawing functions of :mod:`scratchnn.viz`.

Importing this module does not need ipywidgets; calling an explorer does,
and says so clearly if it is missing. An invalid combination of sliders
(e.g. a kernel larger than the padded input) shows the library's error
message in place of the figure instead of raising.
"""
from __future__ import annotations

import matplotlib.pyplot as plt


def _ipywidgets(fn):
    try:
        import ipywidgets
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(f"{fn} needs ipywidgets: pip install ipywidgets "
                          "(or pip install 'scratchnn[notebook]')") from err
    return ipywidgets


class Explorer:
    """A ``VBox`` of controls plus an output area, redrawn on every change.

    ``widget`` is what a notebook displays; ``controls`` maps names to
    widgets; ``figure`` is the last figure drawn (``None`` after an error),
    ``message`` the last error text, ``redraws`` counts redraws.
    """

    def __init__(self, widgets, controls, draw):
        self._w = widgets
        self.controls = controls
        self._draw = draw
        self.output = widgets.Output()
        self.status = widgets.HTML("")
        self.figure = None
        self.message = ""
        self.redraws = 0
        for c in controls.values():
            c.observe(self._changed, names="value")
        self.widget = widgets.VBox([widgets.HBox(list(controls.values())[:4]),
                                    widgets.HBox(list(controls.values())[4:]),
                                    self.status, self.output])
        self.redraw()

    def _changed(self, change):
        self.redraw()

    def redraw(self):
        values = {k: c.value for k, c in self.controls.items()}
        self.redraws += 1
        if self.figure is not None:
            plt.close(self.figure)
        self.output.clear_output(wait=True)
        try:
            self.figure = self._draw(self, **values)
            self.message = ""
            self.status.value = ""
            with self.output:
                from IPython.display import display
                display(self.figure)
            # Shown once, in the output area: keep pyplot from showing it again below the cell.
            plt.close(self.figure)
        except ValueError as err:
            self.figure = None
            self.message = str(err)
            self.status.value = f"<b>Not a valid convolution:</b> {_escape(self.message)}"

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def conv_explorer(i=5, k=3, s=1, p=0, d=1, transposed=False) -> Explorer:
    """Sliders for ``i, k, s, p, d``, a ``transposed`` switch and the output position.

    The position slider's range follows the number of output cells; the figure
    is :func:`~scratchnn.viz.conv_arithmetic` with the chosen frame.
    """
    w = _ipywidgets("conv_explorer")
    slider = lambda name, v, lo, hi: w.IntSlider(value=v, min=lo, max=hi, description=name,
                                                 continuous_update=False)
    controls = {"i": slider("i", i, 1, 9), "k": slider("k", k, 1, 5), "s": slider("s", s, 1, 3),
                "p": slider("p", p, 0, 4), "d": slider("d", d, 1, 3),
                "transposed": w.Checkbox(value=transposed, description="transposed"),
                "t": slider("position", 0, 0, 0)}

    def draw(ex, i, k, s, p, d, transposed, t):
        from .conv_arithmetic import conv_arithmetic
        from .geometry import conv_geometry

        g = conv_geometry(i, k, s, p, d, transposed, fn="conv_explorer")
        pos = ex.controls["t"]
        if pos.max != g.n_frames - 1:
            with pos.hold_trait_notifications():
                pos.max = g.n_frames - 1   # clamps pos.value; the observer redraws again
            t = pos.value
        fig = conv_arithmetic(i, k, s, p, d, transposed, frames=[t])
        return fig

    return Explorer(w, controls, draw)


def receptive_field_explorer(layers=3, kernel=3, stride=1, padding=0, dilation=1,
                             input_size=12) -> Explorer:
    """Sliders for a stack of ``layers`` equal layers (kernel, stride, padding, dilation) and the input size.

    Draws :func:`~scratchnn.viz.receptive_field_growth` of the centre output cell.
    """
    w = _ipywidgets("receptive_field_explorer")
    slider = lambda name, v, lo, hi: w.IntSlider(value=v, min=lo, max=hi, description=name,
                                                 continuous_update=False)
    controls = {"layers": slider("layers", layers, 1, 5), "kernel": slider("kernel", kernel, 1, 5),
                "stride": slider("stride", stride, 1, 3), "padding": slider("padding", padding, 0, 2),
                "dilation": slider("dilation", dilation, 1, 3),
                "input_size": slider("input", input_size, 4, 24)}

    def draw(ex, layers, kernel, stride, padding, dilation, input_size):
        from .receptive import receptive_field_growth

        return receptive_field_growth([(kernel, stride, padding, dilation)] * layers, input_size)

    return Explorer(w, controls, draw)
