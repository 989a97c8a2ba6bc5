"""The stepper: walk through training one small stage at a time and see every number computed.

    import helpers as hp
    hp.stepper()                      # the worked example: student data, weights 1, biases 0, lr 0.001
    hp.stepper("placements", activation="sigmoid", loss="bce", lr=0.5)

Training is computed once by `train`; moving the slider only reads the `History`. The slider position
is a stage index: step k, stage s (0 forward, 1 loss, 2 derivatives, 3 update) is position 4k + s.
Callbacks set widget values (HTML, Label); nothing is printed.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets
import numpy as np

from ..maths import checks, notation
from ..maths.data import Dataset, load_placements, load_students
from ..maths.gradcheck import numerical_gradient
from ..maths.network import forward, init_params
from ..maths.training import train
from . import palette, svg, views
from .format import fmt

DATASETS = {"students": load_students, "placements": load_placements}
MAX_NEURONS = 16     # the stepper draws every neuron and lists every parameter: a layer of at most this many


def _dataset(data) -> Dataset:
    if isinstance(data, Dataset):           # lists of numbers too: as float64 arrays, checked
        X = checks.finite_array(data.X, "data.X", 2)
        y = checks.finite_array(data.y, "data.y", 1)
        if len(y) != len(X) or len(y) == 0:
            raise ValueError(f"data: expected one target a row and at least one row, got X {X.shape} and y {y.shape}")
        return Dataset(X, y, tuple(data.feature_names), data.target_name)
    if isinstance(data, str) and data in DATASETS:
        return DATASETS[data]()
    raise ValueError(f"data: expected 'students', 'placements' or a Dataset, got {data!r}")


class Stepper(widgets.VBox):
    """The stepper widget: controls above, the diagram and table beside the equations and loss curve.

    Controls: `slider` (position 4k + s), `play` (linked to the slider in the browser), `prev`, `next`,
    `stage` (toggle buttons), `epoch_jump`, `student_jump` (drop-downs, values from 0), `lr`, `weight`,
    `epochs` (recompute on change), `explorer` (the parameter the explorer shows). Views (HTML widgets):
    `equations`, `diagram`, `table`, `curve`, `explorer_view`, `status`, and the `position` label.
    `history` is the current History; `step` and `stage_index` read the slider.
    """

    def __init__(self, data="students", lr: float = 0.001, epochs: int = 5, weight: float | None = 1.0,
                 bias: float = 0.0, activation: str = "linear", loss: str = "mse", params: dict | None = None,
                 hidden: int = 2, seed: int | None = None, shuffle: bool = False, max_memory: float | None = None,
                 max_seconds: float | None = None):
        self.data = _dataset(data)
        self._limits = {"max_memory": max_memory, "max_seconds": max_seconds}
        self._act, self._loss, self._shuffle, self._seed, self._bias = activation, loss, shuffle, seed, bias
        if params is None:
            if isinstance(hidden, bool) or not isinstance(hidden, (int, np.integer)) or hidden < 1:
                raise ValueError(f"hidden: expected a positive whole number of hidden neurons, got {hidden!r}")
            if hidden > MAX_NEURONS:
                raise ValueError(f"hidden: the stepper draws every neuron and lists every parameter; expected at "
                                 f"most {MAX_NEURONS} hidden neurons, got {hidden!r}")
            params = init_params([self.data.X.shape[1], int(hidden), 1], weight=weight, bias=bias, seed=seed)
        elif isinstance(params, dict) and max(checks.params(params)) > MAX_NEURONS:
            raise ValueError(f"params: the stepper draws every neuron and lists every parameter; expected layers "
                             f"of at most {MAX_NEURONS} neurons, got layer sizes {checks.params(params)}")
        self._params0 = params
        self.history = train(params, self.data.X, self.data.y, lr=lr, epochs=epochs, activation=activation,
                             loss=loss, shuffle=shuffle, seed=seed, **self._limits)
        self.sizes = list(self.history.layer_sizes)
        self._busy = False
        self._sn_cache: tuple | None = None
        self._numeric_cache: dict = {}
        self._build_controls(lr, epochs, params)
        self._build_views()
        super().__init__(children=self._layout(), layout=widgets.Layout(width="100%"))
        self._new_history(self.history, position=0)

    # ---- construction ----
    def _build_controls(self, lr, epochs, params):
        cu = dict(continuous_update=False)
        self.slider = widgets.IntSlider(value=0, min=0, max=0, description="step", readout=False,
                                        layout=widgets.Layout(width="360px"))
        self.play = widgets.Play(value=0, min=0, max=0, interval=900, description="play")
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.prev = widgets.Button(description="◀ back", tooltip="previous stage", layout=widgets.Layout(width="74px"))
        self.next = widgets.Button(description="next ▶", tooltip="next stage", layout=widgets.Layout(width="74px"))
        self.position = widgets.Label(layout=widgets.Layout(width="420px"))
        self.stage = widgets.ToggleButtons(options=list(zip(views.STAGE_TITLES, range(4))), value=0,
                                           style={"button_width": "112px"})
        hidden = {"description_width": "0px"}     # the options say "epoch 2"; the label is for screen readers
        self.epoch_jump = widgets.Dropdown(options=[("epoch 1", 0)], value=0, layout=widgets.Layout(width="110px"),
                                           description="jump to epoch", style=hidden)
        self.student_jump = widgets.Dropdown(options=[(f"student {i + 1}", i) for i in range(len(self.data.y))],
                                             value=0, layout=widgets.Layout(width="120px"),
                                             description="jump to student", style=hidden)
        lo = min(-4.0, math.floor(math.log10(lr)))
        hi = max(0.0, math.ceil(math.log10(lr)))
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=lo, max=hi, step=0.25, description="η (lr)",
                                         readout=False, **cu)
        self.lr_readout = widgets.Label(fmt(lr), layout=widgets.Layout(width="90px"))   # 0.00177828 fits
        w0 = float(np.ravel(params["W1"])[0])
        self.weight = widgets.FloatText(value=w0, step=0.1, description="weights",
                                        layout=widgets.Layout(width="170px"), **cu)
        self.epochs = widgets.BoundedIntText(value=epochs, min=1, max=max(500, epochs), description="epochs",
                                             layout=widgets.Layout(width="170px"), **cu)
        self.explorer = widgets.Dropdown(options=self.history.names, value=self.history.names[0],
                                         description="∂L/∂", layout=widgets.Layout(width="180px"))
        self.slider.observe(self._on_slider, "value")
        self.prev.on_click(lambda _: self.step_by(-1))
        self.next.on_click(lambda _: self.step_by(1))
        self.stage.observe(self._on_jump, "value")
        self.epoch_jump.observe(self._on_jump, "value")
        self.student_jump.observe(self._on_jump, "value")
        self.explorer.observe(self._on_explorer, "value")
        for w in (self.lr, self.weight, self.epochs):
            w.observe(self._on_settings, "value")

    def _build_views(self):
        L = widgets.Layout
        self.css = widgets.HTML(views.STYLE, layout=L(height="0px"))
        self.status = widgets.HTML(layout=L(height="48px", overflow="auto"))
        self.diagram = widgets.HTML(layout=L(width="510px", height="300px"))
        self.table = widgets.HTML(layout=L(width="510px", height="270px", overflow="auto"))
        self.equations = widgets.HTML(layout=L(height="390px", overflow="auto", border=f"1px solid {palette.GRID}",
                                               padding="4px 10px"))
        self.curve = widgets.HTML(layout=L(height="180px"))
        self.explorer_view = widgets.HTML(layout=L(height="150px", overflow="auto", flex="1 1 auto"))

    def _layout(self):
        box, col, L = widgets.HBox, widgets.VBox, widgets.Layout
        bar = box([self.prev, self.play, self.slider, self.next, self.position])
        jump = box([self.stage, self.epoch_jump, self.student_jump])
        settings = box([self.lr, self.lr_readout, self.weight, self.epochs])
        left = col([self.diagram, self.table], layout=L(width="515px", flex="0 0 auto"))
        right = col([self.equations, self.curve], layout=L(flex="1 1 auto", min_width="420px"))
        explorer = box([self.explorer, self.explorer_view], layout=L(border_top=f"1px solid {palette.GRID}"))
        self.add_class("bp-stepper")
        return [self.css, bar, jump, settings, self.status, box([left, right]), explorer]

    # ---- state ----
    @property
    def step(self) -> int:
        """The current step (one student's update), from 0."""
        return self.slider.value // 4

    @property
    def stage_index(self) -> int:
        """The current stage: 0 forward, 1 loss, 2 derivatives, 3 update."""
        return self.slider.value % 4

    def step_by(self, delta: int) -> None:
        """Move the slider by `delta` stages, staying within the recorded steps."""
        self.slider.value = min(max(self.slider.value + delta, self.slider.min), self.slider.max)

    def go(self, step: int, stage: int = 0) -> None:
        """Show stage `stage` of step `step`, clamped to the recorded steps."""
        for value, name in ((step, "step"), (stage, "stage")):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"{name}: expected a whole number (steps count from 0 here, stages 0 to 3), got "
                                f"{value!r:.40}")
        checks.int_in(stage, "stage", 0, 3)
        self.slider.value = min(max(4 * int(step) + int(stage), 0), self.slider.max)

    def _numbers(self, k: int):
        if self._sn_cache is None or self._sn_cache[0] != k:
            self._sn_cache = (k, self.history.steps[k])
        return self._sn_cache[1]

    # ---- callbacks ----
    def _on_slider(self, change=None):
        self._render()

    def _on_jump(self, change=None):
        if self._busy or self.history.n_steps == 0:
            return
        h = self.history
        try:
            k = h.step_index(self.epoch_jump.value, self.student_jump.value)
        except ValueError:          # not reached: training diverged first
            k = h.n_steps - 1
        position = min(4 * k + self.stage.value, self.slider.max)
        if position == self.slider.value:
            self._render()          # the slider does not move (a jump to a step not reached): resync the controls
        else:
            self.slider.value = position

    def _on_explorer(self, change=None):
        if self.history.n_steps:
            sn = self._numbers(self.step)
            self.explorer_view.value = views.explorer_html(sn, self.explorer.value, self.finite_difference(sn))
            if self.stage_index == 2:
                self.diagram.value = svg.step_diagram(sn, 2, self.explorer.value)

    def _on_settings(self, change=None):
        self.retrain()

    def retrain(self) -> None:
        """Train again with the learning rate, initial weights and epochs in the controls (once)."""
        params = self._params0
        w0 = float(np.ravel(params["W1"])[0])
        try:
            if self.weight.value != w0:
                params = init_params(self.sizes, weight=float(self.weight.value), bias=self._bias)
            hist = train(params, self.data.X, self.data.y, lr=float(self.lr.value), epochs=int(self.epochs.value),
                         activation=self._act, loss=self._loss, shuffle=self._shuffle, seed=self._seed,
                         **self._limits)
        except (ValueError, TypeError) as err:      # say so in the widget; a callback must not raise or print
            self.status.value = f"<div class='bp-status bp-bad'>⚠ {html.escape(str(err))}</div>"
            return
        self._new_history(hist, position=self.slider.value)

    def _new_history(self, hist, position: int) -> None:
        self.history = hist
        self.lr_readout.value = fmt(hist.lr)
        self._sn_cache, self._numeric_cache = None, {}
        self.curve_builder = svg.LossCurve(hist.step_loss, hist.steps_per_epoch)
        self.status.value = views.status_html(hist)
        top = max(4 * hist.n_steps - 1, 0)
        n_epochs = -(-hist.n_steps // hist.steps_per_epoch)
        self._busy = True
        try:
            self.epoch_jump.options = [(f"epoch {e + 1}", e) for e in range(max(n_epochs, 1))]
            self.slider.max = top
            self.play.max = top
            self.slider.value = min(position, top)
        finally:
            self._busy = False
        self._render()

    # ---- drawing ----
    def _render(self) -> None:
        h = self.history
        if h.n_steps == 0:
            self.position.value = "no step recorded"
            self.equations.value = self.status.value
            self.diagram.value = self.table.value = self.explorer_view.value = ""
            self.curve.value = self.curve_builder.svg(0)
            return
        k, s = self.step, self.stage_index
        sn = self._numbers(k)
        self.position.value = (f"epoch {sn.epoch + 1}, student {sn.row + 1}, {views.STAGES[s]} "
                               f"(step {k + 1} of {h.n_steps})")
        note = ""
        if h.diverged and k == h.n_steps - 1:
            note = f"The next step diverges. {h.message}"
        self.equations.value = views.stage_html(sn, s, note)
        self.diagram.value = svg.step_diagram(sn, s, self.explorer.value)
        self.table.value = views.params_table(sn)
        self.curve.value = self.curve_builder.svg(k)
        self.explorer_view.value = views.explorer_html(sn, self.explorer.value, self.finite_difference(sn))
        self._busy = True
        try:
            self.stage.value = s
            self.epoch_jump.value = sn.epoch
            self.student_jump.value = sn.row
        finally:
            self._busy = False

    def finite_difference(self, sn=None) -> float:
        """The centred-difference estimate of ∂L/∂(the explorer's parameter) at the current step (on demand:
        one parameter, two forward passes)."""
        sn = self._numbers(self.step) if sn is None else sn
        key = (sn.index, self.explorer.value)
        if key not in self._numeric_cache:
            self._numeric_cache[key] = numerical_gradient(sn.params_before, sn.x, sn.y, self.explorer.value,
                                                          activation=self._act, loss=self._loss)
        return self._numeric_cache[key]

    def __repr__(self) -> str:
        h = self.history
        return (f"Stepper({len(self.data.y)} rows, layers {'-'.join(map(str, self.sizes))}, {h.activation}/{h.loss}, "
                f"lr={fmt(h.lr)}, {h.n_steps} steps)")


def stepper(data="students", lr: float = 0.001, epochs: int = 5, weight: float | None = 1.0, bias: float = 0.0,
            activation: str = "linear", loss: str = "mse", params: dict | None = None, hidden: int = 2,
            seed: int | None = None, shuffle: bool = False, max_memory: float | None = None,
            max_seconds: float | None = None) -> Stepper:
    """The stepper on a dataset ('students', 'placements' or a Dataset), by default the worked example.

    Weights all `weight` (None: random, drawn with `seed`) and biases `bias`, or the given `params`;
    `lr`, `epochs`, `activation`, `loss`, `shuffle`, `max_memory` and `max_seconds` as in `train`.
    """
    checks.positive_number(lr, "lr"), checks.positive_int(epochs, "epochs"), checks.seed(seed)
    return Stepper(data, lr=lr, epochs=epochs, weight=weight, bias=bias, activation=activation, loss=loss,
                   params=params, hidden=hidden, seed=seed, shuffle=shuffle, max_memory=max_memory,
                   max_seconds=max_seconds)


class DiagramHTML(widgets.HTML):
    """An HTML widget holding an SVG diagram; where widgets are not rendered (a code host), its SVG still shows."""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.value
        bundle["text/plain"] = "network diagram"
        return bundle

    def __repr__(self) -> str:
        return "DiagramHTML(network diagram)"


def _highlight(highlight, known: list[str]) -> set | None:
    """`highlight` as a set of known names (one name or several), or None."""
    if highlight is None:
        return None
    names = {highlight} if isinstance(highlight, str) else highlight
    if isinstance(names, (bytes, dict)) or not hasattr(names, "__iter__"):
        raise TypeError(f"highlight: expected a course name like 'w11^1' or a list of them, got {highlight!r:.40}")
    names = set(names)
    unknown = sorted(str(n) for n in names if n not in known)
    if unknown:
        raise ValueError(f"highlight: unknown name(s) {unknown}; expected some of {known}")
    return names or None


def network_diagram(params: dict | None = None, x=None, activation: str = "linear", highlight=None) -> DiagramHTML:
    """The network as an SVG diagram; with inputs `x`, every node shows its value (weights 1 by default)."""
    params = init_params([2, 2, 1]) if params is None else params
    checks.params(params)
    params = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    sizes = notation.layer_sizes_of(params)
    nodes = None
    if x is not None:
        fw = forward(params, np.asarray(x, dtype=np.float64), activation)
        if np.ndim(fw.a[0]) != 1:
            raise ValueError(f"x: expected one row of {sizes[0]} inputs, got shape {np.shape(x)}")
        nodes = {notation.node_name(l, k): float(v) for l, a in enumerate(fw.a) for k, v in enumerate(a)}
    highlight = _highlight(highlight, notation.param_names(sizes) + [notation.node_name(l, k) for l, n in
                                                                     enumerate(sizes) for k in range(n)])
    return DiagramHTML(svg.diagram_svg(sizes, notation.as_named(params), nodes, set(highlight) if highlight else None))


def computational_graph(params: dict | None = None, x=None, y=None, activation: str = "linear", loss: str = "mse",
                        highlight=None) -> DiagramHTML:
    """The computational graph of one row's loss after `backward()`: every node's value and gradient.

    By default the worked example: weights 1, biases 0, student 1 (x = (8, 8), y = 4).
    """
    from ..maths.graph import loss_graph
    params = init_params([2, 2, 1]) if params is None else params
    x = [8.0, 8.0] if x is None else x
    if np.ndim(checks.array(x, "x")) != 1:
        raise ValueError(f"x: expected one row of inputs like [8, 8], got shape {np.shape(checks.array(x, 'x'))}")
    nodes = loss_graph(params, x, 4.0 if y is None else y, activation, loss)
    nodes["L"].backward()
    lit = _highlight(highlight, list(nodes)) or set()
    return DiagramHTML(svg.graph_svg(nodes["L"], lit))
