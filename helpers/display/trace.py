"""The stepper's trace: one training run, every stage of every step, as JSON for the browser renderer.

Pure functions of a `History` (no ipywidgets). The browser module `stepper.js` draws everything from this
object and the position; nothing is formatted or marked up in the browser. Every number is `format.fmt`'s
spelling, every course name `format.markup`'s, and each derivative's factors are `maths.chain`'s (through
`Step.factors`), so a test builds the expected text the same way.

Layout of the trace (`steps[k]` is step k, from 0):
- once: `sizes`, `names` (the parameters, course order), `html` / `svg` (name -> marked-up name),
  `chains` (name -> its factors' symbol, rule and argument), `forward` (each neuron's terms), `lit` (what each
  stage highlights; stage 3 per derivative), `diagram` (the SVG of step 1's forward stage, the template the
  browser patches), `curve` (the loss curve as SVG from `charts.Chart`, with each step's point), `colours`;
- `window` [k0, k1): the steps held in full (a run of more than WINDOW steps sends those near the position;
  the browser asks for others by moving `position`); `step_rows`, every step's row (for the jumps);
- per step held: `epoch`, `row`, `x`, `y`, `nodes` (node -> value), `L`, `before`, `grad`, `after`, `change`
  (lists in the order of `names`), `factors` (name -> the factors' values), `product` (name -> their product).
"""

from __future__ import annotations

import math
import re

from ..maths import budget, chain, notation
from ..text import fmt, markup, partial, rule
from . import charts, palette, svg

STAGES = ("forward", "loss", "derivatives", "update")
STAGE_TITLES = ("1 Forward", "2 Loss", "3 Derivatives", "4 Update")
MAX_STEPS = 1000        # the steps a stepper trains at most (a longer run is capped, with a message)
WINDOW = 80             # the steps one trace holds in full, around the position: about 80 kB of JSON, 60 ms to build


def factor_symbol(f) -> str:
    """The HTML symbol of a chain-rule factor: ∂L/∂ŷ, ∂O11/∂w11^1, or δ11 for a δ read from a bias."""
    if f.rule == "delta":
        return f"δ<sub>{f.bottom[1:]}</sub>"
    return partial(f.top, f.bottom)


def _node_names(sizes) -> list[str]:
    return [notation.node_name(l, k) for l in range(len(sizes)) for k in range(sizes[l])]


def _forward_terms(sizes, activation) -> list[dict]:
    """Each neuron's weighted sum: its name, z's name (non-linear), and its (weight, input) terms and bias."""
    out, L = [], len(sizes) - 1
    for l in range(1, L + 1):
        for k in range(sizes[l]):
            z = None if activation == "linear" else notation.z_name(l, k)
            out.append({"node": notation.node_name(l, k), "z": z,
                        "terms": [[notation.weight_name(j, k, l), notation.node_name(l - 1, j)]
                                  for j in range(sizes[l - 1])],
                        "bias": notation.bias_name(l, k), "output": l == L})
    return out


def _curve(hist, n: int, width: int = 440, height: int = 170) -> dict:
    """The loss by step, drawn once by the course's chart code (one log axis), and each step's point on it."""
    losses = [float(v) for v in hist.step_loss[:n]]
    finite = [v for v in losses if math.isfinite(v) and v > 0] or [1.0]
    lo, hi = 10.0 ** math.floor(math.log10(min(finite))), 10.0 ** math.ceil(math.log10(max(finite)))
    hi = hi if hi > lo else lo * 10
    c = charts.Chart((1, max(n, 2)), (lo, hi), width=width, height=height, log_y=True, integer_x=True,
                     xlabel=f"step (one student each; {n} steps)", ylabel="loss L (log)")
    c.line(range(1, n + 1), losses, palette.POS)
    points = [[round(v, 1) for v in c.px(i + 1, max(x, lo))] for i, x in enumerate(losses)]
    picture = re.sub(r"bp-clip-\d+", "bp-clip-curve", c.svg(f"loss by step, {n} steps", cls="bp-curve"))
    return {"svg": picture, "points": points,      # the browser gives the clip path an id of its own
            "clip": [c.left, c.top, c.right - c.left, c.bottom - c.top]}


def _lit(sn) -> dict:
    lit = {str(s): sorted(svg.stage_highlight(sn, s)) for s in range(4)}
    lit["paths"] = {n: sorted(svg.stage_highlight(sn, 2, n)) for n in sn.names}
    return lit


def step_record(sn) -> dict:
    """One step's numbers, formatted: the nodes, the loss, each parameter before, its gradient, after, and its chain."""
    nodes = {notation.node_name(l, k): fmt(v) for l, layer in enumerate(sn.O) for k, v in enumerate(layer)}
    if sn.activation != "linear":              # from layer 1: z[0] is None, the inputs have no weighted sum
        nodes |= {notation.z_name(l, k): fmt(v) for l, layer in enumerate(sn.z[1:], start=1)
                  for k, v in enumerate(layer)}
    names = sn.names
    fs = {n: sn.factors(n) for n in names}
    return {"epoch": sn.epoch - 1, "row": sn.row, "x": [fmt(v) for v in sn.x], "y": fmt(sn.y), "nodes": nodes,
            "L": fmt(sn.loss), "before": [fmt(sn.before(n)) for n in names], "grad": [fmt(sn.grad(n)) for n in names],
            "after": [fmt(sn.after(n)) for n in names], "change": [fmt(sn.after(n) - sn.before(n)) for n in names],
            "factors": {n: [fmt(f.value) for f in fs[n]] for n in names},
            "product": {n: fmt(chain.product(fs[n])) for n in names},
            "one_minus": [fmt(1 - sn.y), fmt(1 - sn.y_hat)]}     # BCE's (1 − y) and (1 − ŷ)


def window(n: int, step: int) -> tuple[int, int]:
    """The WINDOW steps (or all n) held in full around `step`."""
    k0 = min(max(step - WINDOW // 2, 0), max(n - WINDOW, 0))
    return k0, min(k0 + WINDOW, n)


def build(hist, rows: list, setup: dict, status: str, warning: str = "", step: int = 0) -> dict:
    """The trace of `hist`, its steps near `step` in full, with the data `rows` and the set-up line's arguments."""
    n = min(hist.n_steps, MAX_STEPS)
    k0, k1 = window(n, step)
    steps = [hist.steps[k] for k in range(k0, k1)]
    sizes = list(hist.layer_sizes)
    names = list(hist.names)
    every = set(names) | set(_node_names(sizes)) | {"ŷ", "L", "y"}
    every |= {notation.z_name(l, k) for l in range(1, len(sizes)) for k in range(sizes[l])}
    out = {"version": 1, "sizes": sizes, "names": names, "activation": hist.activation, "loss": hist.loss,
           "lr": fmt(hist.lr), "n_steps": n, "steps_per_epoch": hist.steps_per_epoch,
           "stages": list(STAGES), "stage_titles": list(STAGE_TITLES),
           "html": {m: markup(m, "html") for m in sorted(every)}, "svg": {m: markup(m, "svg") for m in sorted(every)},
           "forward": _forward_terms(sizes, hist.activation), "columns": list(setup["columns"]), "rows": rows,
           "setup": setup["line"], "max_rows": setup["max_rows"],
           "status": status, "warning": warning, "diverged": bool(hist.diverged),
           "message": hist.message if hist.diverged else "",
           "colours": {k: getattr(palette, k) for k in ("POS", "NEG", "DIM", "HI", "TEXT0", "TEXT1", "TEXT2", "GRID",
                                                         "PANEL", "PANEL2", "PAGE", "BORDER", "GOOD")},
           "window": [k0, k1], "step_rows": [int(hist.order[hist.starts[k]]) for k in range(n)],
           "steps": [step_record(sn) for sn in steps]}
    if n:
        sn = hist.steps[0]
        out["chains"] = {nm: [{"sym": factor_symbol(f), "rule": rule(f), "arg": f.arg} for f in sn.factors(nm)]
                         for nm in names}
        out["shared"] = _shared_count(sn)
        out["lit"] = _lit(sn)
        out["diagram"] = svg.step_diagram(sn)
        out["curve"] = _curve(hist, n)
    return out


def _shared_count(sn) -> int:
    """How many leading factors every chain of this network shares (the stage's note writes them once)."""
    if len(sn.layer_sizes) != 3:
        return 0
    return len(chain.output_factors(sn.activation, sn.loss_name, sn.y, sn.y_hat, float(sn.z[-1][0]), 2))


def status_text(hist, asked_epochs: int, epochs: int) -> tuple[str, str]:
    """How training ended, in words, and a warning (divergence, or epochs capped) or ''."""
    warn = ""
    if epochs < asked_epochs:
        warn = (f"epochs: the stepper shows at most {MAX_STEPS} steps, so it trains {epochs} epochs of "
                f"{hist.steps_per_epoch} students, not {budget.count(asked_epochs)}; for longer runs use hp.train.")
    if hist.diverged:
        k = hist.diverged_at
        last = f"the slider stops at step {k}, the last one before it" if k else "no step could be shown"
        return f"⚠ {hist.message} {last[0].upper()}{last[1:]}.", warn
    losses = hist.epoch_loss
    tail = f"; epoch loss {fmt(losses[0])} → {fmt(losses[-1])}" if losses else ""
    return (f"Trained for {hist.n_steps} steps ({hist.epochs} epochs of {hist.steps_per_epoch} students), "
            f"learning rate η = {fmt(hist.lr)}{tail}."), warn
