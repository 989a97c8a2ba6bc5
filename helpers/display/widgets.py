"""Small interactive widgets for the notebooks (the stepper has its own module, `stepper`).

Builders return widgets; the notebook displays them. Callbacks update widget values (HTML, Label,
an Output holding a figure) instead of printing, so nbval can compare the notebooks' outputs.
"""

from __future__ import annotations

from ..maths import checks
from .format import fmt, fmt_signed

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


def one_weight_slider(w: float = 1.0, lr: float = 0.005):
    """A slider for w (and one for η) on L(w) = (4 - 8w)^2: shows dL/dw and the step w - η·dL/dw."""
    w, lr = checks.number_in(w, "w", -0.2, 1.2), checks.number_in(lr, "lr", 0.001, 0.015)   # the sliders' ranges
    import ipywidgets as widgets

    from ..maths.one_weight import one_weight_loss, one_weight_slope, one_weight_step
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
            f"<div style='font-family:monospace;line-height:1.6'>ŷ = w·8 = {fmt(8 * w)}<br>"
            f"L = (4 − ŷ)² = {fmt(L)}<br>dL/dw = −16·(4 − ŷ) = {fmt(slope)}<br>"
            f"w − η·dL/dw = {fmt(w)} − {fmt(lr)}·{fmt_signed(slope)} = <b>{fmt(new)}</b><br>"
            f"new loss = {fmt(one_weight_loss(new))}</div>")
        figure.value = _figure_html(lambda ax: plot_one_weight(w, lr, ax=ax))

    w_slider.observe(update, names="value")
    lr_slider.observe(update, names="value")
    update()
    box = widgets.HBox([widgets.VBox([w_slider, lr_slider, numbers]), figure])
    box.sliders, box.numbers, box.figure = (w_slider, lr_slider), numbers, figure
    return box


# ---- "How" notebook: retrain and redraw the loss curve ----

def training_sliders(params: dict, X, y, lr: float = 0.01, epochs: int = 20, batch_size: int = 10,
                     reference: float | None = None, activation: str = "linear", loss: str = "mse"):
    """Sliders for the learning rate, epochs and batch size; each change retrains from `params` and redraws.

    `reference` (a loss, e.g. the least-squares one) is drawn as a dashed line and quoted in the summary.
    """
    import ipywidgets as widgets
    from matplotlib.ticker import MaxNLocator

    from ..maths.network import validate
    from ..maths.training import train
    X, y = validate(params, X, activation, y, loss)     # the slider ranges below
    m, lr, epochs = len(y), checks.number_in(lr, "lr", 1e-4, 1.0), checks.int_in(epochs, "epochs", 1, 100)
    batch_size = checks.int_in(batch_size, "batch_size", 1, m, f"the number of rows ({m})")
    reference = None if reference is None else checks.number_in(reference, "reference", 0.0, 1e300)
    sizes = sorted({s for s in (1, 5, 10, 30, 100, m, batch_size) if s <= m})
    lr_slider = widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0, step=0.25, description="η",
                                       readout_format=".4", continuous_update=False)
    ep_slider = widgets.IntSlider(value=epochs, min=1, max=100, description="epochs", continuous_update=False)
    bs_slider = widgets.SelectionSlider(options=sizes, value=batch_size, description="batch size",
                                        continuous_update=False)
    summary, figure = widgets.HTML(), widgets.HTML()

    def draw(ax, hist):
        if hist.epoch_loss:
            ax.plot(range(1, len(hist.epoch_loss) + 1), hist.epoch_loss, marker="." if hist.epochs < 30 else None,
                    label=f"η = {hist.lr:.4g}, batch {hist.batch_size}")
        if reference is not None:
            ax.axhline(reference, color="black", ls="--", lw=1, label="least squares")
        ax.set(xlabel="epoch", ylabel="mean loss", yscale="log", title="Loss by epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend()

    def update(_=None):
        hist = train(params, X, y, lr=lr_slider.value, epochs=ep_slider.value, activation=activation, loss=loss,
                     batch_size=bs_slider.value)
        if hist.diverged or hist.growing:
            text = hist.message
        else:
            text = f"After {hist.epochs} epochs ({hist.n_steps} steps): loss {hist.epoch_loss[-1]:.4f}"
            if reference is not None:
                text += f"; least squares: {reference:.4f}"
        summary.value = f"<div style='font-family:monospace;max-width:34em'>{text}</div>"
        figure.value = _figure_html(lambda ax: draw(ax, hist), size=(5.0, 3.2))
        box.history = hist

    box = widgets.HBox([widgets.VBox([lr_slider, ep_slider, bs_slider, summary]), figure])
    box.sliders, box.summary, box.figure = (lr_slider, ep_slider, bs_slider), summary, figure
    for s in box.sliders:
        s.observe(update, names="value")
    update()
    return box


# ---- "Why" notebook: the initialisation picker and the landscape explorer ----

INIT_CHOICES = {"all weights 0.1": dict(weight=0.1), "all weights 0.5": dict(weight=0.5),
                "random (seed 0)": dict(weight=None, seed=0), "random (seed 1)": dict(weight=None, seed=1),
                "random (seed 2)": dict(weight=None, seed=2)}


def symmetry_html(params: dict) -> str:
    """The two hidden neurons' weights side by side, and whether they are exactly equal."""
    import numpy as np

    W1, W2, b1 = params["W1"], params["W2"], params["b1"]
    same = np.array_equal(W1[:, 0], W1[:, 1]) and np.array_equal(W2[0], W2[1]) and b1[0] == b1[1]
    rows = [("from cgpa, w<sub>1k</sub><sup>1</sup>", W1[0, 0], W1[0, 1]),
            ("from profile_score, w<sub>2k</sub><sup>1</sup>", W1[1, 0], W1[1, 1]),
            ("bias, b<sub>1k</sub>", b1[0], b1[1]), ("to the output, w<sub>k1</sub><sup>2</sup>", W2[0, 0], W2[1, 0])]
    body = "".join(f"<tr><td>{name}</td><td>{fmt(a)}</td><td>{fmt(b)}</td></tr>"
                   for name, a, b in rows)
    verdict = ("<b>identical</b>: the two hidden neurons are copies of each other" if same else
               "<b>different</b>: the two hidden neurons learned different things")
    return (f"<table><thead><tr><th>weight</th><th>neuron 1 (k = 1)</th><th>neuron 2 (k = 2)</th></tr>"
            f"</thead><tbody>{body}</tbody></table><p>{verdict}</p>")


def init_picker(X, y, lr: float = 0.001, epochs: int = 100, choice: str = "all weights 0.1"):
    """Pick an initialisation for the 2-2-1 network; it trains and shows both hidden neurons side by side."""
    import ipywidgets as widgets

    from ..maths.network import init_params, validate
    from ..maths.training import train
    X, y = validate(init_params([2, 2, 1]), X, "linear", y)
    lr, epochs = checks.positive_number(lr, "lr"), checks.positive_int(epochs, "epochs")
    if choice not in INIT_CHOICES:
        raise ValueError(f"choice: expected one of {list(INIT_CHOICES)}, got {choice!r}")
    pick = widgets.Dropdown(options=list(INIT_CHOICES), value=choice, description="start")
    result = widgets.HTML()

    def update(_=None):
        start = init_params([2, 2, 1], **INIT_CHOICES[pick.value])
        hist = train(start, X, y, lr=lr, epochs=epochs)
        box.history = hist
        done = hist.message if hist.diverged or hist.growing else f"loss {fmt(hist.epoch_loss[-1])}"
        result.value = f"<p>After {epochs} epochs at η = {fmt(lr)}: {done}</p>" + symmetry_html(hist.params)

    box = widgets.VBox([pick, result])
    box.picker, box.result = pick, result
    pick.observe(update, names="value")
    update()
    return box


def landscape_explorer(params: dict, X, y, names=("w11^1", "w11^2"), lrs=(0.001, 0.002, 0.005, 0.008, 0.011),
                       epochs: int = 100, a_values=None, b_values=None):
    """A slider for η: trains per-sample and full-batch from `params` and draws both paths on the landscape.

    The landscape: the loss over the two named parameters, the others as at the end of the per-sample run
    (as at the start if it diverged).
    """
    import ipywidgets as widgets
    import numpy as np

    from ..maths.landscape import descent_paths, loss_grid, param_path
    from .plots import plot_landscape
    lrs = checks.finite_array(lrs, "lrs", 1)
    if len(lrs) == 0 or np.any(lrs <= 0):
        raise ValueError(f"lrs: expected one or more positive learning rates, got {lrs.tolist()}")
    lrs, epochs = lrs.tolist(), checks.positive_int(epochs, "epochs")
    a_values = np.linspace(-0.6, 0.6, 61) if a_values is None else np.asarray(a_values, dtype=float)
    b_values = np.linspace(-0.2, 1.2, 61) if b_values is None else np.asarray(b_values, dtype=float)
    lr_slider = widgets.SelectionSlider(options=list(lrs), value=lrs[0], description="η",
                                        continuous_update=False)
    summary, figure = widgets.HTML(), widgets.HTML()

    def update(_=None):
        runs = descent_paths(params, X, y, names, lr=lr_slider.value, epochs=epochs)
        last = runs["per-sample"]
        grid = loss_grid(params if last.diverged else last.params, X, y, names, a_values, b_values)
        paths = {k: param_path(h, names) for k, h in runs.items()}
        figure.value = _figure_html(lambda ax: plot_landscape(a_values, b_values, grid, names, paths, ax=ax,
                                                              title=f"η = {fmt(lr_slider.value)}"), size=(5, 4))
        summary.value = "<br>".join(
            f"{k}: {h.message if h.diverged else f'loss {fmt(h.epoch_loss[-1])} after {epochs} epochs'}"
            for k, h in runs.items())
        box.runs = runs

    box = widgets.HBox([widgets.VBox([lr_slider, summary]), figure])
    box.slider, box.summary, box.figure = lr_slider, summary, figure
    lr_slider.observe(update, names="value")
    update()
    return box


# ---- "Why" notebook: what hidden units add on data no line separates ----

def fields_html(params: dict, X, y, activation: str = "sigmoid", n: int = 41, title: str = "ŷ") -> str:
    """The network's output over the plane with the rows on it, then each hidden neuron's output O1k."""
    import numpy as np

    from ..maths.grids import grid_axes, layer_grids
    from . import svg
    a, b = grid_axes(X, margin=0.1, n=n)
    out = layer_grids(params, a, b, activation, layer=len(params) // 2)[0]
    hidden = layer_grids(params, a, b, activation, layer=1) if len(params) > 2 else np.empty((0,))
    main = svg.field_svg(out, a, b, X, y, size=220, title=title)
    small = "".join(svg.field_svg(h, a, b, size=96, title=f"O<tspan baseline-shift='sub' font-size='75%'>1{k + 1}"
                                  f"</tspan>") for k, h in enumerate(hidden))
    return (f"<div style='display:flex;gap:14px;align-items:flex-start'>{main}"
            f"<div style='display:flex;flex-wrap:wrap;gap:4px;max-width:440px'>{small}</div></div>")


def network_fields(params: dict, X, y, activation: str = "sigmoid", title: str = "ŷ"):
    """A static picture (it also shows on code hosts) of `fields_html`: the output and every hidden neuron."""
    from .stepper import DiagramHTML
    return DiagramHTML(fields_html(params, X, y, activation, title=title))


def training_explorer(hist, every: int = 10):
    """A slider over the epochs of a training run on two inputs: the output and each hidden neuron, as they learn."""
    import ipywidgets as widgets

    from ..maths.grids import accuracy
    from ..maths.network import mean_loss
    per, n_epochs = hist.steps_per_epoch, hist.n_steps // hist.steps_per_epoch
    slider = widgets.IntSlider(value=n_epochs, min=0, max=n_epochs, step=every, description="epoch",
                               continuous_update=True)
    summary, picture = widgets.HTML(), widgets.HTML()

    def update(_=None):
        params = hist.params_at(slider.value * per)
        picture.value = fields_html(params, hist.X, hist.y, hist.activation)
        loss = mean_loss(params, hist.X, hist.y, hist.activation, hist.loss)
        summary.value = (f"after {slider.value} epochs: loss {fmt(loss)}, "
                         f"accuracy {fmt(accuracy(params, hist.X, hist.y, hist.activation))}")

    slider.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([slider, summary]), picture])
    box.slider, box.summary, box.picture = slider, summary, picture
    return box
