"""Small interactive widgets for the notebooks (the stepper has its own module, `stepper`).

Builders return widgets; the notebook displays them. Callbacks update widget values (HTML, Label,
an Output holding a figure) instead of printing, so nbval can compare the notebooks' outputs.
"""

from __future__ import annotations

# ---- "What" notebook: gradient descent on one weight ----

def _figure_html(draw, size=(4.2, 3.0)) -> str:
    """Draw with `draw(ax)` on a figure outside pyplot and return it as an <img> tag (PNG, base64)."""
    import base64
    import io

    from matplotlib.figure import Figure
    fig = Figure(figsize=size, layout="constrained")
    draw(fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return f'<img alt="figure" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}"/>'


def _num(v: float, digits: int = 2) -> str:
    """A number for display: fixed digits, a true minus sign, and never '-0.00'."""
    return f"{round(v, digits) + 0.0:.{digits}f}".replace("-", "−")


def one_weight_slider(w: float = 1.0, lr: float = 0.005):
    """A slider for w (and one for η) on L(w) = (4 - 8w)^2: shows dL/dw and the step w - η·dL/dw."""
    import ipywidgets as widgets

    from .one_weight import one_weight_loss, one_weight_slope, one_weight_step
    from .plots import plot_one_weight
    w_slider = widgets.FloatSlider(value=w, min=-0.2, max=1.2, step=0.05, description="w",
                                   readout_format=".2f", continuous_update=True)
    lr_slider = widgets.FloatSlider(value=lr, min=0.001, max=0.015, step=0.001, description="η",
                                    readout_format=".3f", continuous_update=True)
    numbers, figure = widgets.HTML(), widgets.HTML()

    def update(_=None):
        w, lr = w_slider.value, lr_slider.value
        L, slope, new = one_weight_loss(w), one_weight_slope(w), one_weight_step(w, lr)
        numbers.value = (
            f"<div style='font-family:monospace;line-height:1.6'>ŷ = w·8 = {_num(8 * w)}<br>"
            f"L = (4 − ŷ)² = {_num(L)}<br>dL/dw = −16·(4 − ŷ) = {_num(slope)}<br>"
            f"w − η·dL/dw = {_num(w)} − {_num(lr, 3)}·({_num(slope)}) = <b>{_num(new, 3)}</b><br>"
            f"new loss = {_num(one_weight_loss(new))}</div>")
        figure.value = _figure_html(lambda ax: plot_one_weight(w, lr, ax=ax))

    w_slider.observe(update, names="value")
    lr_slider.observe(update, names="value")
    update()
    box = widgets.HBox([widgets.VBox([w_slider, lr_slider, numbers]), figure])
    box.sliders, box.numbers, box.figure = (w_slider, lr_slider), numbers, figure
    return box
