"""Small interactive widgets for the notebooks (the stepper has its own module, `stepper`).

Builders return widgets; the notebook displays them. Callbacks update widget values (HTML, Label,
an Output holding a figure) instead of printing, so nbval can compare the notebooks' outputs.
"""

from __future__ import annotations

import html
import math

from ..maths import checks
from ..text import fmt, fmt_signed, markup
from . import palette
from .charts import Chart, contour_paths

# ---- "What" notebook: gradient descent on one weight ----

def _one_weight_svg(w: float, lr: float, x: float = 8.0, y: float = 4.0) -> str:
    """The one-weight loss L(w) = (y - w·x)^2, its tangent at w and the step to w - lr·dL/dw, as SVG."""
    from ..maths.lessons.one_weight import one_weight_loss, one_weight_slope, one_weight_step
    best = y / x
    lo, hi = best - 0.8, best + 0.8
    chart = Chart((lo, hi), (-2, 45), width=360, height=260, xlabel="w", ylabel="L(w)")
    grid = [lo + i * (hi - lo) / 160 for i in range(161)]
    chart.line(grid, [one_weight_loss(g, x, y) for g in grid], palette.TEXT2, label="L(w)")
    L, slope, new = one_weight_loss(w, x, y), one_weight_slope(w, x, y), one_weight_step(w, lr, x, y)
    chart.line([w - 0.2, w + 0.2], [L - 0.2 * slope, L + 0.2 * slope], palette.HI, label="slope dL/dw")
    shown = min(max(new, lo), hi)
    chart.arrow(w, L, shown, one_weight_loss(shown, x, y), palette.GOOD)
    chart.marker(w, L, palette.POS)
    chart.marker(shown, one_weight_loss(shown, x, y), palette.GOOD)
    chart.legend([("L(w)", palette.TEXT2, None), ("slope dL/dw", palette.HI, None), ("w", palette.POS, None),
                  ("w − η·dL/dw", palette.GOOD, None)])
    after = one_weight_loss(new, x, y)
    return chart.svg(f"The loss L(w) = (4 − 8w)²; at w = {fmt(w)}, L = {fmt(L)} and the slope is {fmt(slope)}; "
                     f"one step with η = {fmt(lr)} goes to w = {fmt(new)}, where L = {fmt(after)}.")


def one_weight_slider(w: float = 1.0, lr: float = 0.005):
    """A slider for w (and one for η) on L(w) = (4 - 8w)^2: shows dL/dw and the step w - η·dL/dw."""
    w, lr = checks.number_in(w, "w", -0.2, 1.2), checks.number_in(lr, "lr", 0.001, 0.015)   # the sliders' ranges
    import ipywidgets as widgets

    from ..maths.lessons.one_weight import one_weight_loss, one_weight_slope, one_weight_step
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
        figure.value = _one_weight_svg(w, lr)

    w_slider.observe(update, names="value")
    lr_slider.observe(update, names="value")
    update()
    box = widgets.HBox([widgets.VBox([w_slider, lr_slider, numbers]), figure])
    box.sliders, box.numbers, box.figure = (w_slider, lr_slider), numbers, figure
    return box


# ---- "How" notebook: retrain and redraw the loss curve ----

def training_sliders(params: dict, X, y, lr: float = 0.01, epochs: int = 20, batch_size: int | None = None,
                     reference: float | None = None, activation: str = "linear", loss: str = "mse"):
    """Sliders for the learning rate, epochs and batch size; each change retrains from `params` and redraws.

    `reference` (a loss, e.g. the least-squares one) is drawn as a dashed line and quoted in the summary.
    """
    import ipywidgets as widgets

    from ..maths.network import mean_loss, validate
    from ..maths.training import train, train_more
    params, X, y = validate(params, X, activation, y, loss)     # the slider ranges below
    if X.ndim != 2:
        raise ValueError(f"X: expected rows (m, {X.shape[-1]}), even for one row (X[None, :]), got shape {X.shape}")
    batch_size = min(10, len(y)) if batch_size is None else batch_size
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

    runs = {}      # (lr, batch size) -> the longest History trained so far; fewer epochs are its prefix

    def run(lr, epochs, batch_size):
        hist = runs.get((lr, batch_size))
        if hist is None:
            hist = train(params, X, y, lr=lr, epochs=epochs, activation=activation, loss=loss, batch_size=batch_size)
        elif hist.epochs < epochs:
            hist = train_more(hist, epochs)
        runs[(lr, batch_size)] = hist
        return hist if hist.epochs == epochs else hist.first_epochs(epochs)

    def draw(hist):
        losses = [v for v in hist.epoch_loss if v > 0]
        values = losses + ([reference] if reference is not None and reference > 0 else [])
        lo, hi = (min(values), max(values)) if values else (0.1, 10.0)
        chart = Chart((1, max(hist.epochs, 2)), (10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
                                                  if hi > lo else 10 * hi), width=440, height=290, log_y=True,
                      xlabel="epoch", ylabel="epoch loss", title="Loss by epoch", integer_x=True)
        label = f"η = {fmt(hist.lr, 4)}, batch {hist.batch_size}"
        epochs = range(1, len(hist.epoch_loss) + 1)
        chart.line(epochs, hist.epoch_loss, palette.POS, label=label)
        if hist.epochs < 30:
            for e, v in zip(epochs, hist.epoch_loss):
                chart.marker(e, v, palette.POS, size=2.5)
        entries = [(label, palette.POS, None)]
        if reference is not None:
            chart.line([1, max(hist.epochs, 2)], [reference, reference], palette.TEXT1, width=1, dash="5 4",
                       label="least squares")
            entries.append(("least squares", palette.TEXT1, "5 4"))
        chart.legend(entries)
        last = (f"epoch loss {fmt(hist.epoch_loss[-1])} in epoch {len(hist.epoch_loss)}" if hist.epoch_loss
                else "no epoch")
        return chart.svg(f"Loss by epoch, {label}: {last}" + (" (diverged)" if hist.diverged else ""))

    def update(_=None):
        hist = run(lr_slider.value, ep_slider.value, bs_slider.value)
        if hist.diverged or hist.growing:
            text = hist.message
        else:
            final = mean_loss(hist.params, X, y, activation, loss)
            text = (f"After {hist.epochs} epochs ({hist.n_steps} steps): epoch loss {fmt(hist.epoch_loss[-1])}, "
                    f"loss at the final weights {fmt(final)}")
            if reference is not None:
                text += f"; least squares: {fmt(reference)}"
        summary.value = f"<div style='font-family:monospace;max-width:34em'>{text}</div>"
        figure.value = draw(hist)
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

    params = checks.as_params(params)
    if checks.params(params)[1:] != [2, 1]:
        raise ValueError(f"params: expected a network with exactly two hidden neurons and one output (the table "
                         f"compares neuron 1 with neuron 2), got layer sizes {checks.params(params)}")
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


def init_picker(X, y, lr: float = 0.001, epochs: int = 100, choice: str = "all weights 0.1",
                max_memory: float | None = None, max_seconds: float | None = None):
    """Pick an initialisation for the 2-2-1 network; it trains and shows both hidden neurons side by side.

    `max_memory` and `max_seconds` as in `train`: a run over them is refused before the widget is built."""
    import ipywidgets as widgets

    from ..maths.network import init_params, validate
    from ..maths.training import train
    _, X, y = validate(init_params([2, 2, 1]), X, "linear", y)
    lr, epochs = checks.positive_number(lr, "lr"), checks.positive_int(epochs, "epochs")
    if choice not in INIT_CHOICES:
        raise ValueError(f"choice: expected one of {list(INIT_CHOICES)}, got {choice!r}")
    from ..maths import budget
    limits = {"max_memory": max_memory, "max_seconds": max_seconds}
    budget.check(f"init_picker: training 2-2-1 for {epochs} epochs of {len(y)} rows",
                 *budget.train_cost(9, 3, len(y), 1, epochs, True), max_memory, max_seconds, "use fewer epochs")
    pick = widgets.Dropdown(options=list(INIT_CHOICES), value=choice, description="start")
    result = widgets.HTML()

    def update(_=None):
        start = init_params([2, 2, 1], **INIT_CHOICES[pick.value])
        hist = train(start, X, y, lr=lr, epochs=epochs, **limits)
        box.history = hist
        done = hist.message if hist.diverged or hist.growing else f"epoch loss {fmt(hist.epoch_loss[-1])}"
        result.value = f"<p>After {epochs} epochs at η = {fmt(lr)}: {done}</p>" + symmetry_html(hist.params)

    box = widgets.VBox([pick, result])
    box.picker, box.result = pick, result
    pick.observe(update, names="value")
    update()
    return box


def _axis(values, name: str):
    """A grid axis: at least two finite values, increasing."""
    import numpy as np
    v = checks.finite_array(values, name, 1)
    if len(v) < 2 or np.any(np.diff(v) <= 0):
        raise ValueError(f"{name}: expected at least two increasing values for the grid, got {v.tolist()}")
    return v


def landscape_explorer(params: dict, X, y, names=("w11^1", "w11^2"), lrs=(0.001, 0.002, 0.005, 0.008, 0.011),
                       epochs: int = 100, a_values=None, b_values=None, lr: float | None = None):
    """A slider for η: trains per-sample and full-batch from `params` and draws both paths on the landscape.

    The slider offers the rates `lrs` and opens at `lr` (one of them; the first when None).

    The landscape: the loss over the two named parameters, the others as at the end of the per-sample run
    (as at the start if it diverged).
    """
    import ipywidgets as widgets
    import numpy as np

    from ..maths.lessons.landscape import descent_paths, loss_grid, param_path
    lrs = checks.finite_array(lrs, "lrs", 1)
    if len(lrs) == 0 or np.any(lrs <= 0):
        raise ValueError(f"lrs: expected one or more positive learning rates, got {lrs.tolist()}")
    lrs, epochs = lrs.tolist(), checks.positive_int(epochs, "epochs")
    a_values = np.linspace(-0.6, 0.6, 61) if a_values is None else _axis(a_values, "a_values")
    b_values = np.linspace(-0.2, 1.2, 61) if b_values is None else _axis(b_values, "b_values")
    if lr is None:
        lr = lrs[0]
    elif isinstance(lr, bool) or not isinstance(lr, (int, float)) or float(lr) not in lrs:
        raise ValueError(f"lr: expected one of the rates in lrs {lrs} to open at, got {lr!r}")
    lr_slider = widgets.SelectionSlider(options=list(lrs), value=float(lr), description="η",
                                        continuous_update=False)
    summary, figure = widgets.HTML(), widgets.HTML()

    views = {}      # η -> (figure, summary, runs): every rate is trained and drawn once, when the widget is built

    def draw(lr):
        runs = descent_paths(params, X, y, names, lr=lr, epochs=epochs)
        last = runs["per-sample"]
        grid = loss_grid(params if last.diverged else last.params, X, y, names, a_values, b_values)
        chart = Chart((a_values[0], a_values[-1]), (b_values[0], b_values[-1]), width=420, height=340,
                      xlabel=markup(names[0], "svg"), ylabel=markup(names[1], "svg"), title=f"η = {fmt(lr)}")
        finite = grid[np.isfinite(grid)]
        lo, hi = max(finite.min(), finite.max() * 1e-6, 1e-12), finite.max()
        contour_paths(chart, a_values, b_values, grid, np.geomspace(lo, hi, 18), palette.LEVELS)
        entries, ends = [], []
        paths = {label: param_path(h, names) for label, h in runs.items()}      # each run's path on this slice
        for (label, xy), colour in zip(paths.items(), (palette.NEG, palette.POS)):
            chart.line(xy[:, 0], xy[:, 1], colour, width=1.4, label=label)
            chart.marker(xy[0, 0], xy[0, 1], colour, size=3.5)
            chart.marker(xy[-1, 0], xy[-1, 1], colour, shape="star", size=5)
            entries.append((label, colour, None))
            ends.append(f"{label} ends at ({fmt(xy[-1, 0])}, {fmt(xy[-1, 1])})")
        chart.legend(entries)

        def spread(xy):                # how far the path reaches on this slice: where a rate throws it off
            return "; ".join(f"{markup(n)} from {fmt(xy[:, i].min(), 3)} to {fmt(xy[:, i].max(), 3)}"
                             for i, n in enumerate(names))
        text = "<br>".join(
            f"{k}: {h.message if h.diverged else f'epoch loss {fmt(h.epoch_loss[-1])} in epoch {epochs}'}"
            f" ({spread(paths[k])})" for k, h in runs.items())
        alt = f"Loss contours over {names[0]} and {names[1]} with η = {fmt(lr)}; " + "; ".join(ends)
        return chart.svg(alt), text, runs

    def update(_=None):
        lr = lr_slider.value
        if lr not in views:
            views[lr] = draw(lr)
        figure.value, summary.value, box.runs = views[lr]

    box = widgets.HBox([widgets.VBox([lr_slider, summary]), figure])
    box.slider, box.summary, box.figure = lr_slider, summary, figure
    lr_slider.observe(update, names="value")
    for lr in lrs:                  # a handful of rates, about 40 ms each: then every move only reads
        views[lr] = draw(lr)
    update()
    return box


# ---- "Why" notebook: what hidden units add on data no line separates ----

def fields_html(params: dict, X, y, activation: str = "sigmoid", n: int = 41, title: str = "ŷ") -> str:
    """The network's output over the plane with the rows on it, then each hidden neuron's output O1k."""
    import numpy as np

    from ..maths.network import validate
    if not isinstance(title, str):
        raise TypeError(f"title: expected text, got {type(title).__name__} {title!r:.60}")
    params, X, y = validate(params, X, activation, y, "mse")
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X: expected rows of two inputs (m, 2), got shape {X.shape}")

    from ..maths.lessons.grids import grid_axes, layer_grids
    from . import svg
    a, b = grid_axes(X, margin=0.1, n=n)
    out = layer_grids(params, a, b, activation, layer=len(params) // 2)[0]
    hidden = layer_grids(params, a, b, activation, layer=1) if len(params) > 2 else np.empty((0,))
    main = svg.field_svg(out, a, b, X, y, size=220, title=html.escape(title))    # the caller's text, escaped
    small = "".join(svg.field_svg(h, a, b, size=96, title=f"O<tspan baseline-shift='sub' font-size='75%'>1{k + 1}"
                                  f"</tspan>") for k, h in enumerate(hidden))
    return (f"<div style='display:flex;gap:14px;align-items:flex-start'>{main}"
            f"<div style='display:flex;flex-wrap:wrap;gap:4px;max-width:440px'>{small}</div></div>")


def network_fields(params: dict, X, y, activation: str = "sigmoid", title: str = "ŷ"):
    """A static picture (it also shows on code hosts) of `fields_html`: the output and every hidden neuron."""
    from .stepper import DiagramHTML
    return DiagramHTML(fields_html(params, X, y, activation, title=title))


def training_explorer(hist, every: int = 10, after: int | None = None):
    """A slider over the epochs of a training run on two inputs: the output and each hidden neuron, as they learn.

    The slider moves `every` epochs a notch and opens after `after` epochs (0: the start; None: all of them).
    """
    import ipywidgets as widgets

    from ..maths.history import History
    from ..maths.lessons.grids import accuracy
    from ..maths.network import mean_loss
    if not isinstance(hist, History):
        raise TypeError(f"hist: expected the History of a training run (hp.train(...)), got {type(hist).__name__}")
    every = checks.positive_int(every, "every")
    if hist.n_steps < hist.steps_per_epoch:
        raise ValueError("hist: expected at least one full epoch trained; this run stopped in epoch 1")
    per, n_epochs = hist.steps_per_epoch, hist.n_steps // hist.steps_per_epoch
    if after is not None:
        after = checks.int_in(after, "after", 0, n_epochs, f"the epochs trained ({n_epochs})")
    slider = widgets.IntSlider(value=n_epochs if after is None else after, min=0, max=n_epochs, step=every,
                               description="epochs trained", style={"description_width": "initial"},
                               continuous_update=True)   # a count, 0 at the start: not an epoch's number
    summary, picture = widgets.HTML(), widgets.HTML()

    def update(_=None):
        params = hist.params_at(slider.value * per)
        picture.value = fields_html(params, hist.X, hist.y, hist.activation)
        loss = mean_loss(params, hist.X, hist.y, hist.activation, hist.loss)
        when = "at the start, before epoch 1" if slider.value == 0 else f"after {slider.value} epochs"
        summary.value = (f"{when}: loss at these weights {fmt(loss)}, "
                         f"accuracy {fmt(accuracy(params, hist.X, hist.y, hist.activation))}")

    slider.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([slider, summary]), picture])
    box.slider, box.summary, box.picture = slider, summary, picture
    return box
