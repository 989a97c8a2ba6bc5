"""The stepper: walk through training one small stage at a time and see every number computed.

    import helpers as hp
    hp.stepper()                      # the worked example: student data, weights 1, biases 0, lr 0.001
    hp.stepper("placements", activation="sigmoid", loss="bce", lr=0.5)
    hp.stepper(data=[[8, 8, 4], [7, 9, 5]], lr=0.002, weight=1, epochs=3, step=2, stage="derivatives")

Training runs here, in Python, once; the run's trace (`trace.build`: every stage of every step, formatted)
goes to the browser, where `stepper.js` (an anywidget ES module) draws it and answers every move without the
kernel. A change of η, the weights, the epochs or the data comes back as `request`: this trains again and sends
a new trace. `step` (from 1, as the stepper counts) and `stage` (its name) say what is shown first; inside,
the position is a stage index from 0, 4 · (step - 1) + the stage's index. Where no widget is rendered (a code
host), the output is a static picture of the first stage.
"""

from __future__ import annotations

import html
import json
import math
import numbers
from pathlib import Path

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets

from ..maths import checks, notation
from ..maths.data import Dataset, load_placements, load_students
from ..maths.network import forward, init_params
from ..maths.training import train
from ..text import fmt
from . import palette, svg, trace

DATASETS = {"students": load_students, "placements": load_placements}
MAX_ROWS = 20           # rows the stepper walks through (and the widget's table may grow to)
MAX_NEURONS = 16        # neurons a layer may have: the stepper draws every neuron and lists every parameter
MAX_LAYERS = 4          # layers of weights (3 hidden layers): the trace of a deeper network takes seconds to build
MIME = "application/vnd.backprop.stepper+json"
_HERE = Path(__file__).parent


def _number(v, where: str) -> float:
    """One cell of the data: a real number (or its text, from the widget), finite."""
    if isinstance(v, str):
        try:
            v = float(v.strip())
        except ValueError:
            raise ValueError(f"data: {where}: expected a number, got {v!r}") from None
    elif isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"data: {where}: expected a number, got {type(v).__name__} {v!r}")
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"data: {where}: expected a finite number, got {fmt(v)}")
    return v


def rows_dataset(rows, columns=("x_i1", "x_i2", "y")) -> Dataset:
    """A Dataset from rows [[x_i1, x_i2, y], ...] (numbers, or their text); a bad cell is named by row and column."""
    if isinstance(rows, np.ndarray):
        rows = rows.tolist()
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"data: expected 'students', 'placements', a Dataset or a list of rows, got "
                        f"{type(rows).__name__}")
    if len(rows) == 0:
        raise ValueError("data: the table is empty; the stepper needs at least 1 row")
    if len(rows) > MAX_ROWS:
        raise ValueError(f"data: the stepper walks through one student at a time and shows at most {MAX_ROWS} rows, "
                         f"got {len(rows)}; train on more with hp.train")
    cols = list(columns)
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, (list, tuple)) or len(row) != len(cols):
            raise ValueError(f"data: row {i + 1}: expected {len(cols)} numbers ({', '.join(cols)}), got {row!r}")
        out.append([_number(v, f"row {i + 1}, column {c}") for v, c in zip(row, cols)])
    a = np.array(out, dtype=np.float64)
    return Dataset(a[:, :-1], a[:, -1], tuple(cols[:-1]), cols[-1])


def _bad_cell(rows) -> list | None:
    """[row, column] (from 0) of the first cell of `rows` that is not a finite number, or None."""
    for i, row in enumerate(rows if isinstance(rows, (list, tuple)) else []):
        for j, v in enumerate(row if isinstance(row, (list, tuple)) else []):
            try:
                _number(v, "")
            except (ValueError, TypeError):
                return [i, j]
    return None


def _dataset(data) -> Dataset:
    if isinstance(data, Dataset):           # lists of numbers too: as float64 arrays, checked
        X = checks.finite_array(data.X, "data.X", 2)
        y = checks.finite_array(data.y, "data.y", 1)
        if len(y) > MAX_ROWS:
            raise ValueError(f"data: the stepper walks through one student at a time and shows at most {MAX_ROWS} "
                             f"rows, got {len(y)}; train on more with hp.train")
        if len(y) == 0:
            raise ValueError("data: the table is empty; the stepper needs at least 1 row")
        if len(y) != len(X):
            raise ValueError(f"data: expected one target a row, got X {X.shape} and y {y.shape}")
        return Dataset(X, y, tuple(data.feature_names), data.target_name)
    if isinstance(data, str):
        if data in DATASETS:
            return DATASETS[data]()
        raise ValueError(f"data: expected 'students', 'placements', a Dataset or a list of rows, got {data!r}")
    return rows_dataset(data)


def _py(v: float) -> str:
    """A number as Python source that reads back exactly: 8, 0.001, 0.30000000000000004."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


class Stepper(anywidget.AnyWidget):
    """The stepper widget: the browser draws `trace` at `position`; a `request` from it trains again.

    `history` is the current run's History; `data` the rows it trained on. `go`, `step_by` move the position
    (the browser follows), `retrain` trains again with new settings. `setup_line()` is the one line of Python
    that rebuilds what is shown.
    """

    _esm = _HERE / "stepper.js"
    _css = palette.OUTSIDE_LAB_CSS   # Colab's dark theme has no --jp-* variables: dark stand-ins (palette)
    trace = traitlets.Dict().tag(sync=True)
    position = traitlets.Int(0).tag(sync=True)
    request = traitlets.Dict().tag(sync=True)

    def __init__(self, data="students", lr: float = 0.001, epochs: int = 5, weight: float | None = 1.0,
                 bias: float = 0.0, activation: str = "linear", loss: str = "mse", params: dict | None = None,
                 hidden: int = 2, seed: int | None = None, shuffle: bool = False, position: int = 0):
        self.data = _dataset(data)
        self._act, self._loss, self._shuffle, self._seed, self._bias = activation, loss, shuffle, seed, bias
        given = params is not None
        if params is None:
            if isinstance(hidden, bool) or not isinstance(hidden, (int, np.integer)) or hidden < 1:
                raise ValueError(f"hidden: expected a positive whole number of hidden neurons, got {hidden!r}")
            if hidden > MAX_NEURONS:
                raise ValueError(f"hidden: the stepper draws every neuron and lists every parameter, so it shows at "
                                 f"most {MAX_NEURONS} hidden neurons, got {hidden!r}; train larger networks with "
                                 f"hp.train")
            params = init_params([self.data.X.shape[1], int(hidden), 1], weight=weight, bias=bias, seed=seed)
        elif max(checks.params(params)) > MAX_NEURONS or len(checks.params(params)) > MAX_LAYERS + 1:
            raise ValueError(f"params: the stepper draws every neuron and lists every parameter, so it shows layers "
                             f"of at most {MAX_NEURONS} neurons and at most {MAX_LAYERS - 1} hidden layers, got layer "
                             f"sizes {checks.params(params)}; train larger networks with hp.train")
        self._weight, self._hidden = weight, hidden
        self._explicit_params = params if given else None
        self._params0 = params
        self._columns = (*(f"x_i{j + 1}" for j in range(self.data.X.shape[1])), "y")     # the course's names
        super().__init__()
        hist, asked = self._train(params, lr, epochs)
        self._publish(hist, asked, position)
        self.observe(self._on_request, "request")
        self.observe(self._on_position, "position")

    # ---- training ----
    def _train(self, params, lr, epochs):
        run = min(int(epochs), max(1, trace.MAX_STEPS // len(self.data.y)))
        hist = train(params, self.data.X, self.data.y, lr=lr, epochs=run, activation=self._act, loss=self._loss,
                     shuffle=self._shuffle, seed=self._seed)
        return hist, int(epochs)

    def _publish(self, hist, asked: int, position: int) -> None:
        self.history, self._asked = hist, asked
        top = max(4 * min(hist.n_steps, trace.MAX_STEPS) - 1, 0)
        position = min(max(int(position), 0), top)
        status, warning = trace.status_text(hist, asked, hist.epochs)
        rows = [[fmt(v) for v in (*x, t)] for x, t in zip(self.data.X, self.data.y)]
        setup = {"columns": self._columns, "line": self._setup_prefix(), "max_rows": MAX_ROWS}
        self._sending = True
        try:
            self.trace = trace.build(hist, rows, setup, status, warning, step=position // 4)
            self.position = position
        finally:
            self._sending = False

    def _on_position(self, change) -> None:
        """A move beyond the steps the trace holds (a long run): send the steps near the new position."""
        k0, k1 = self.trace["window"]
        if not self._sending and self.trace["n_steps"] and not k0 <= change["new"] // 4 < k1:
            self._publish(self.history, self._asked, change["new"])

    def _setup_prefix(self) -> str:
        h = self.history
        rows = "[" + ", ".join("[" + ", ".join(_py(v) for v in (*x, t)) + "]" for x, t in zip(self.data.X,
                                                                                               self.data.y)) + "]"
        parts = [f"data={rows}", f"lr={_py(h.lr)}"]
        if self._explicit_params is not None:
            parts.append("params={" + ", ".join(f"{k!r}: {np.asarray(v, dtype=float).tolist()!r}"
                                                for k, v in self._explicit_params.items()) + "}")
        else:
            parts.append(f"weight={'None' if self._weight is None else _py(self._weight)}")
            if self._bias:
                parts.append(f"bias={_py(self._bias)}")
            if self._hidden != 2:
                parts.append(f"hidden={int(self._hidden)}")
        parts.append(f"epochs={self._asked}")
        if self._act != "linear":
            parts.append(f"activation={self._act!r}")
        if self._loss != "mse":
            parts.append(f"loss={self._loss!r}")
        if self._seed is not None:
            parts.append(f"seed={self._seed}")
        if self._shuffle:
            parts.append("shuffle=True")
        return "hp.stepper(" + ", ".join(parts)

    def setup_line(self, position: int | None = None) -> str:
        """The one line of Python that rebuilds this stepper as shown (at `position`, by default the current one),
        with the step counted from 1 and the stage by name, as the stepper shows them."""
        step, stage = divmod(self.position if position is None else int(position), 4)
        return f'{self._setup_prefix()}, step={step + 1}, stage="{trace.STAGES[stage]}")'

    def retrain(self, lr=None, weight=None, epochs=None, data=None) -> None:
        """Train again with a new η, initial weight, epochs or rows; the browser gets the new trace.

        A bad value raises the ValueError/TypeError that names it, and the stepper keeps its last good run.
        """
        lr = self.history.lr if lr is None else checks.positive_number(lr, "lr")
        epochs = self._asked if epochs is None else checks.positive_int(epochs, "epochs")
        ds = self.data if data is None else rows_dataset(data, self._columns)
        params = self._params0
        if weight is not None:
            if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not math.isfinite(weight):
                raise ValueError(f"weight: expected a finite number, got {weight!r}")
        old = self.data
        if ds.X.shape[1] != old.X.shape[1]:
            raise ValueError(f"data: expected rows of {old.X.shape[1] + 1} numbers, got {ds.X.shape[1] + 1}")
        new_w = weight is not None and (self._weight is None or float(weight) != float(self._weight)
                                        or self._explicit_params is not None)
        if new_w:
            params = init_params(list(self.history.layer_sizes), weight=float(weight), bias=self._bias)
        self.data = ds
        try:
            hist, asked = self._train(params, lr, epochs)
        except (ValueError, TypeError):
            self.data = old
            raise
        if new_w:
            self._params0, self._weight, self._explicit_params = params, float(weight), None
        self._publish(hist, asked, self.position)

    def _on_request(self, change) -> None:
        """The browser asks to train again: values arrive as text; a bad one is reported beside its field."""
        req = change["new"] or {}
        field, cell = "lr", None
        try:
            lr = _number(req.get("lr", self.history.lr), "lr")
            if lr <= 0:
                raise ValueError(f"expected a positive number, got {req.get('lr')!r}")
            field = "weight"
            w = req.get("weight")
            w = None if self._weight is None or self._explicit_params is not None else _number(w, "weight")
            field = "epochs"
            e = str(req.get("epochs", self._asked)).strip()
            if not e.isdigit() or int(e) < 1:
                raise ValueError(f"expected a whole number of at least 1, got {e!r}")
            field = "data"
            rows = req.get("rows")
            cell = _bad_cell(rows)
            if isinstance(req.get("position"), int) and not isinstance(req.get("position"), bool):
                self.position = max(req["position"], 0)
            self.retrain(lr=lr, weight=w, epochs=int(e), data=rows)
        except (ValueError, TypeError) as err:
            msg = str(err).removeprefix("data: lr: ").removeprefix("data: weight: ")
            msg = msg if msg.startswith(field) else f"{field}: {msg}"
            self.trace = {**self.trace, "error": {"field": field, "message": msg, "id": req.get("id"), "cell": cell}}

    # ---- moving ----
    @property
    def step(self) -> int:
        """The current step (one student's update), from 1, as the stepper shows it."""
        return self.position // 4 + 1

    @property
    def stage(self) -> str:
        """The current stage's name: 'forward', 'loss', 'derivatives' or 'update' (buttons 1 to 4)."""
        return trace.STAGES[self.position % 4]

    def step_by(self, delta: int) -> None:
        """Move by `delta` stages, staying within the recorded steps."""
        self.position = min(max(self.position + int(delta), 0), max(4 * self.trace["n_steps"] - 1, 0))

    def go(self, step: int, stage: str | int = "forward") -> None:
        """Show stage `stage` (its name, its button's label or number 1 to 4) of step `step` (from 1, as the
        stepper counts, up to the run's last step)."""
        if isinstance(step, bool) or not isinstance(step, numbers.Integral):
            raise TypeError(f"step: expected a whole number (steps count from 1, as the stepper shows them), got "
                            f"{step!r:.40}")
        _check_in_run(step, self.trace["n_steps"])
        self.position = 4 * (int(step) - 1) + stage_index(stage)

    # ---- where no widget is drawn ----
    def fallback_html(self) -> str:
        """A static picture of the first stage: the SVG diagram and the forward stage's numbers."""
        t = self.trace
        if not t["n_steps"]:
            return f"<div class='bp-fallback'><p>{html.escape(t['status'])}</p></div>"
        s = t["steps"][0]
        names = t["names"]
        lines = "".join(f"<li>{t['html'][n]} = {s['nodes'][n]}</li>" for n in s["nodes"] if n.startswith(("O", "z")))
        params = ", ".join(f"{t['html'][n]} = {v}" for n, v in zip(names, s["before"]))
        return (f"<div class='bp-fallback'><p><b>The stepper</b> (run the notebook to step through it): epoch 1, "
                f"student {s['row'] + 1}, forward stage; step 1 of {t['n_steps']}.</p>{t['diagram']}"
                f"<ul>{lines}<li>L = {s['L']} (y = {s['y']})</li></ul><p>{params}</p>"
                f"<p>{html.escape(t['status'])}</p></div>")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data, meta = (bundle if isinstance(bundle, tuple) else (bundle, {}))
        data = dict(data or {})
        data["text/html"] = self.fallback_html()
        data[MIME] = json.loads(json.dumps(self.trace))
        data["text/plain"] = repr(self)
        return (data, meta) if isinstance(bundle, tuple) else data

    def __repr__(self) -> str:
        h = self.history
        return (f"Stepper({len(self.data.y)} rows, layers {'-'.join(map(str, h.layer_sizes))}, {h.activation}/"
                f"{h.loss}, lr={fmt(h.lr)}, {h.n_steps} steps)")


def _check_in_run(step: int, n: int) -> None:
    """A ValueError unless `step` (from 1) is one of the run's n steps: a step is refused, never clamped."""
    if not 1 <= step <= n:
        raise ValueError(f"step: expected a step from 1 to {n} (this run has {n}), got {step!r}")


def stage_index(stage) -> int:
    """0 to 3 for a stage as the stepper's buttons show it: its name in any case ('Derivatives'), the button's
    whole label ('3 Derivatives'), its name as the stepper's text says it ('forward stage') or its number, 1 to
    4 ('3' too)."""
    if isinstance(stage, str):
        key = " ".join(stage.lower().split())
        key = key[: -len(" stage")] if key.endswith(" stage") else key
        for i, (name, title) in enumerate(zip(trace.STAGES, trace.STAGE_TITLES)):
            if key in (name, title.lower(), str(i + 1)):
                return i
    if isinstance(stage, numbers.Integral) and not isinstance(stage, bool) and 1 <= stage <= 4:
        return int(stage) - 1
    raise ValueError(f"stage: expected one of {', '.join(repr(s) for s in trace.STAGES)}, a button's label such as "
                     f"'3 Derivatives', or its number 1 to 4, got {stage!r:.40}")


def stepper(data="students", lr: float = 0.001, epochs: int = 5, weight: float | None = 1.0, bias: float = 0.0,
            activation: str = "linear", loss: str = "mse", params: dict | None = None, hidden: int = 2,
            seed: int | None = None, shuffle: bool = False, step: int = 1, stage: str = "forward") -> Stepper:
    """The stepper on a dataset ('students', 'placements', a Dataset or rows [[x_i1, x_i2, y], ...]).

    By default the worked example. Weights all `weight` (None: random, drawn with `seed`) and biases `bias`,
    or the given `params`; `lr`, `epochs`, `activation`, `loss` and `shuffle` as in `train`; `step` (from 1)
    and `stage` ('forward', 'loss', 'derivatives' or 'update', its button's label or number 1 to 4) are shown
    first, as the stepper counts them. At most MAX_ROWS rows,
    MAX_NEURONS neurons a layer, MAX_LAYERS layers and trace.MAX_STEPS steps (longer runs are trained for
    fewer epochs, and the stepper says so): a run the stepper shows stays far below `train`'s limits on memory
    and time.
    """
    checks.positive_number(lr, "lr"), checks.positive_int(epochs, "epochs"), checks.seed(seed)
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 1:
        raise ValueError(f"step: expected a whole number of at least 1 (the stepper counts steps from 1), "
                         f"got {step!r}")
    position = 4 * (int(step) - 1) + stage_index(stage)
    shown = Stepper(data, lr=lr, epochs=epochs, weight=weight, bias=bias, activation=activation, loss=loss,
                    params=params, hidden=hidden, seed=seed, shuffle=shuffle, position=position)
    if shown.trace["n_steps"]:
        _check_in_run(step, shown.trace["n_steps"])
    return shown


class DiagramHTML(widgets.HTML):
    """An HTML widget holding an SVG diagram; where widgets are not rendered (a code host), its SVG still shows.
    `label` names what it draws in its text form ("network diagram" or "computational graph")."""

    def __init__(self, value: str = "", label: str = "network diagram", **kwargs):
        super().__init__(value=value, **kwargs)
        self._label = label

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.value
        bundle["text/plain"] = self._label
        return bundle

    def __repr__(self) -> str:
        return f"DiagramHTML({self._label})"


def _highlight(highlight, known: list[str], aliases: dict | None = None) -> set | None:
    """`highlight` as a set of known names (one name or several), or None; `aliases` maps other spellings
    of a node (the diagram's O21 for the graph's ŷ) to its name here."""
    if highlight is None:
        return None
    names = {highlight} if isinstance(highlight, str) else highlight
    if isinstance(names, (bytes, dict)) or not hasattr(names, "__iter__"):
        raise TypeError(f"highlight: expected a course name like 'w11^1' or a list of them, got {highlight!r:.40}")
    names = {(aliases or {}).get(n, n) if isinstance(n, str) else n for n in names}
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
        if np.ndim(fw.O[0]) != 1:
            raise ValueError(f"x: expected one row of {sizes[0]} inputs, got shape {np.shape(x)}")
        nodes = {notation.node_name(l, k): float(v) for l, O in enumerate(fw.O) for k, v in enumerate(O)}
    aliases = {"ŷ": notation.node_name(len(sizes) - 1, 0)}         # the output node is drawn as ŷ
    aliases.update({f"x{i}{j + 1}": notation.node_name(0, j) for i in range(1, 10) for j in range(min(sizes[0], 9))})
    highlight = _highlight(highlight, notation.param_names(sizes) + [notation.node_name(l, k) for l, n in
                                                                     enumerate(sizes) for k in range(n)], aliases)
    return DiagramHTML(svg.diagram_svg(sizes, notation.as_named(params), nodes, set(highlight) if highlight else None))


def computational_graph(params: dict | None = None, x=None, y=None, activation: str = "linear", loss: str = "mse",
                        highlight=None, student: int | None = None) -> DiagramHTML:
    """The computational graph of one row's loss after `backward()`: every node's value and gradient.

    By default the worked example: weights 1, biases 0, student 1 (x = (8, 8), y = 4). `student` names the
    inputs after the student whose row `x` is, as `loss_graph` does ('x11' for student 1).
    """
    from ..maths.graph import input_name, loss_graph
    params = init_params([2, 2, 1]) if params is None else params
    x = [8.0, 8.0] if x is None else x
    if np.ndim(checks.array(x, "x")) != 1:
        raise ValueError(f"x: expected one row of inputs like [8, 8], got shape {np.shape(checks.array(x, 'x'))}")
    nodes = loss_graph(params, x, 4.0 if y is None else y, activation, loss, student)
    nodes["L"].backward()
    sizes = checks.params(params)                                          # checked by loss_graph already
    aliases = {notation.node_name(len(sizes) - 1, 0): "ŷ"}                  # the diagram's O21 is the graph's ŷ
    if student is not None:                                                  # x_i1 names student 1's x11 here
        aliases.update({input_name(j): input_name(j, student) for j in range(sizes[0])})
    lit = _highlight(highlight, list(nodes), aliases) or set()
    return DiagramHTML(svg.graph_svg(nodes["L"], lit), label="computational graph")
