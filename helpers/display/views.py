"""Views of one training step as HTML strings, built from a `Step` of a `History` (`hist.steps[k]`).

Pure functions of numbers: no ipywidgets, no matplotlib. The SVG views (the network diagram, the loss
curve) are in `svg`; `stepper` puts these strings into widgets. Every number goes through `format.fmt`
and every course name through `format.markup`, so a test can build the expected text the same way; the
chain-rule factors come from `maths.chain`, this module only writes them out.

DOM hooks (stable class names and data attributes, for browser tests):

- `div.bp-stage[data-stage][data-step][data-epoch][data-row]`: the equations of one stage; `data-stage` is
  `forward`, `loss`, `derivatives` or `update`; `data-step` counts from 0, epoch and row too.
- `div.bp-eq[data-name][data-value]`: one forward or loss line (`O11`, `O12`, `O21`, `L`, ...); the
  value is `fmt` of the number computed in that line.
- `div.bp-deriv[data-param][data-value][data-product]`: one derivative line; `data-param` is the plain
  course name (`w11^1`), `data-value` the gradient kept by History, `data-product` the chain's product.
- `div.bp-update[data-param][data-old][data-new]`: one update line, `w_new = w_old - η·∂L/∂w`.
- `table.bp-params tr[data-param][data-before][data-grad][data-after]`: the parameter table.
- `svg.bp-diagram`: `g.bp-node[data-node][data-value]` (`x_i1`, `O11`, `O21`, `L`),
  `g.bp-edge[data-param][data-value]` (a weight), `text.bp-bias[data-param][data-value]` (a bias) and
  `text.bp-label[data-param]` (an edge's label); highlighted parts carry the class `bp-on`.
- `svg.bp-curve[data-step][data-loss]`: the loss curve, the current step marked by `circle.bp-marker`.
- `div.bp-explorer[data-param][data-product][data-grad][data-numeric]`: the derivative explorer.
- `div.bp-status` (with `bp-bad` when training diverged): the message about how training ended.

Plain names (`w11^1`, `O11`, `x_i1`) sit in `title` and `data-*` attributes; the visible text uses
`w<sub>11</sub><sup>1</sup>`, as in COURSE.md.
"""

from __future__ import annotations

import html

from ..maths import chain, notation
from . import palette
from .format import fmt, partial, rule, sym
from .format import fmt_signed as _p

STAGES = ("forward", "loss", "derivatives", "update")
STAGE_TITLES = ("1 Forward", "2 Loss", "3 Derivatives", "4 Update")

_CSS = """
.bp-stage{font:14px/1.55 system-ui,-apple-system,'Segoe UI',sans-serif;color:TEXT1}
.bp-stage h4{margin:0 0 6px;font-size:15px;color:TEXT0}
.bp-stage .bp-note{color:TEXT2;font-size:12.5px;margin:2px 0 6px}
.bp-eq,.bp-deriv,.bp-update{margin:3px 0;padding-left:1.6em;text-indent:-1.6em}
.bp-deriv .bp-factors{color:TEXT2;font-size:12.5px;margin-left:0.8em;text-indent:0}
.bp-res{font-weight:600;color:TEXT0}
.bp-warn{color:NEG;font-weight:600;margin-top:6px}
.bp-params{border-collapse:collapse;font:13px system-ui,sans-serif;color:TEXT1}
.bp-params th,.bp-params td{padding:2px 9px;white-space:nowrap;text-align:right;border-bottom:1px solid GRID}
.bp-params th{color:TEXT2;font-weight:600}
.bp-params td:first-child,.bp-params th:first-child{text-align:left}
.bp-up{color:POS}.bp-down{color:NEG}
.bp-status{font:13.5px system-ui,sans-serif;padding:4px 8px;border-radius:4px;background:PANEL2;color:TEXT1}
.bp-status.bp-bad{border-left:4px solid NEG;color:TEXT0;font-weight:600}
.bp-explorer{font:14px/1.6 system-ui,sans-serif;color:TEXT1}
.bp-explorer .bp-factors{color:TEXT2;font-size:13px}
.bp-scroll{color:TEXT2;font-size:12.5px;font-style:italic;margin-top:4px}
.bp-widget{color:TEXT1;font:13.5px/1.6 system-ui,sans-serif}
.bp-widget table{border-collapse:collapse}
.bp-widget th,.bp-widget td{padding:2px 9px;border-bottom:1px solid GRID;text-align:right}
.bp-stepper :focus-visible{outline:2px solid POS;outline-offset:1px}
"""


def _themed(css: str) -> str:
    """The CSS with each palette name (TEXT0, GRID, ...) replaced by its colour."""
    for name in ("TEXT0", "TEXT1", "TEXT2", "NEG", "POS", "GRID", "PANEL2"):
        css = css.replace(name, getattr(palette, name))
    return css


STYLE = "<style>" + _themed(_CSS) + palette.OUTSIDE_LAB_CSS + "</style>"   # + Colab dark (palette)


# ---- stage 1: forward ----

def forward_lines(sn) -> list[str]:
    """Every neuron's weighted sum written out with numbers, layer by layer, then ŷ."""
    sizes = sn.layer_sizes
    lines, L = [], len(sizes) - 1
    linear = sn.activation == "linear"
    f = {"sigmoid": "σ", "relu": "relu"}.get(sn.activation, "")
    for l in range(1, L + 1):
        for k in range(sizes[l]):
            terms = [(notation.weight_name(j, k, l), notation.node_name(l - 1, j)) for j in range(sizes[l - 1])]
            b = notation.bias_name(l, k)
            name = notation.node_name(l, k)
            left = f"ŷ = {sym(name)}" if l == L else sym(name)
            sum_sym = " + ".join(f"{sym(w)}·{sym(o)}" for w, o in terms) + f" + {sym(b)}"
            sum_num = " + ".join(f"{_p(sn.before(w))}·{_p(sn.a[l - 1][j])}" for j, (w, _) in enumerate(terms))
            sum_num += f" + {_p(sn.before(b))}"
            zv = sn.z[l - 1][k]
            if linear:
                lines.append(_eq(name, zv, f"{left} = {sum_sym} = {sum_num} = <span class='bp-res'>{fmt(zv)}</span>"))
            else:
                zn = notation.z_name(l, k)
                lines.append(_eq(zn, zv, f"{sym(zn)} = {sum_sym} = {sum_num} = {fmt(zv)}"))
                av = sn.a[l][k]
                lines.append(_eq(name, av, f"{left} = {f}({sym(zn)}) = {f}({fmt(zv)}) = "
                                           f"<span class='bp-res'>{fmt(av)}</span>"))
    return lines


def _eq(name: str, value: float, body: str) -> str:
    return f"<div class='bp-eq' data-name='{name}' data-value='{fmt(value)}' title='{name}'>{body}</div>"


# ---- stage 2: loss ----

def loss_lines(sn) -> list[str]:
    """The loss of this student written out with numbers."""
    y, yh = sn.y, sn.y_hat
    if sn.loss_name == "bce":
        body = (f"L = −(y·log ŷ + (1 − y)·log(1 − ŷ)) = −({fmt(y)}·log {fmt(yh)} + {_p(1 - y)}·log {_p(1 - yh)}) = "
                f"<span class='bp-res'>{fmt(sn.loss)}</span>")
    else:
        body = (f"L = (y − ŷ)<sup>2</sup> = ({fmt(y)} − {_p(yh)})<sup>2</sup> = "
                f"<span class='bp-res'>{fmt(sn.loss)}</span>")
    return [_eq("L", sn.loss, body)]


# ---- stage 3: derivatives by the chain rule ----

def factor_symbol(f) -> str:
    """The HTML symbol of a chain-rule factor: ∂L/∂ŷ, ∂O11/∂w11^1, or δ11 for a δ read from a bias."""
    if f.rule == "delta":
        return f"δ<sub>{f.bottom[1:]}</sub>"
    return partial(f.top, f.bottom)


def shared_count(step) -> int:
    """How many leading factors every chain of this step shares (written once, in the stage's note)."""
    if len(step.layer_sizes) != 3:
        return 0
    return len(chain.output_factors(step.activation, step.loss_name, step.y, step.y_hat, float(step.z[-1][0]), 2))


def derivative_line(step, name: str) -> str:
    """One derivative: the chain, each factor's value, the product, and History's gradient."""
    fs = step.factors(name)
    g = step.grad(name)
    syms = " · ".join(factor_symbol(f) for f in fs)
    nums = " · ".join(_p(f.value) for f in fs)
    factors = ", ".join(f"{factor_symbol(f)} = {rule(f)} = {fmt(f.value)}" for f in fs[shared_count(step):]
                        if f.rule != "one")
    return (f"<div class='bp-deriv' data-param='{name}' data-value='{fmt(g)}' "
            f"data-product='{fmt(chain.product(fs))}' title='dL/d{name}'>∂L/∂{sym(name)} = {syms} = {nums} = "
            f"<span class='bp-res'>{fmt(g)}</span><div class='bp-factors'>{factors}</div></div>")


def derivative_lines(step) -> list[str]:
    """The shared factors' note, then every parameter's derivative line."""
    first = chain.output_factors(step.activation, step.loss_name, step.y, step.y_hat, float(step.z[-1][0]),
                                 len(step.layer_sizes) - 1)[0]
    if step.loss_name == "bce":
        note = (f"With BCE at a sigmoid output, ∂L/∂ŷ · ∂ŷ/∂z = (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y = "
                f"{fmt(step.y_hat)} − {_p(step.y)} = {fmt(first.value)}.")
    else:
        note = f"∂L/∂ŷ = −2(y − ŷ) = −2({fmt(step.y)} − {_p(step.y_hat)}) = {fmt(first.value)}."
    note += " All derivatives use the weights before the update."
    note += f" All {len(step.names)} derivatives follow; scroll this panel to see them all."
    return [f"<div class='bp-note'>{note}</div>"] + [derivative_line(step, n) for n in step.names]


# ---- stage 4: update ----

def update_lines(sn) -> list[str]:
    """Every parameter's update, w_new = w_old − η·∂L/∂w, with numbers."""
    out = [f"<div class='bp-note'>w<sub>new</sub> = w<sub>old</sub> − η·∂L/∂w<sub>old</sub>, "
           f"with η = {fmt(sn.lr)}.</div>"]
    for n in sn.names:
        old, g, new = sn.before(n), sn.grad(n), sn.after(n)
        out.append(f"<div class='bp-update' data-param='{n}' data-old='{fmt(old)}' data-new='{fmt(new)}' "
                   f"data-value='{fmt(new)}' title='{n}'>{sym(n)} = {fmt(old)} − {fmt(sn.lr)}·{_p(g)} = "
                   f"<span class='bp-res'>{fmt(new)}</span></div>")
    return out


STAGE_LINES = (forward_lines, loss_lines, derivative_lines, update_lines)


def stage_html(sn, stage: int, note: str = "") -> str:
    """The equations of one stage (0 forward, 1 loss, 2 derivatives, 3 update) of one step."""
    head = (f"<h4>Epoch {sn.epoch + 1}, student {sn.row + 1} (x<sub>i1</sub> = {fmt(sn.x[0])}"
            + "".join(f", x<sub>i{j + 1}</sub> = {fmt(v)}" for j, v in enumerate(sn.x[1:], start=1))
            + f", y = {fmt(sn.y)}) — {STAGE_TITLES[stage]}</h4>")
    body = "".join(STAGE_LINES[stage](sn))
    warn = f"<div class='bp-warn'>{html.escape(note)}</div>" if note else ""
    return (f"<div class='bp-stage' data-stage='{STAGES[stage]}' data-step='{sn.index}' data-epoch='{sn.epoch}' "
            f"data-row='{sn.row}'>{head}{body}{warn}</div>")


# ---- the parameter table ----

def params_table(sn) -> str:
    """A table of every parameter: before, gradient, after, and the change."""
    rows = []
    for n in sn.names:
        old, g, new = sn.before(n), sn.grad(n), sn.after(n)
        ch = new - old
        cls, arrow = ("bp-up", "▲") if ch > 0 else (("bp-down", "▼") if ch < 0 else ("", "·"))
        rows.append(f"<tr data-param='{n}' data-before='{fmt(old)}' data-grad='{fmt(g)}' data-after='{fmt(new)}' "
                    f"title='{n}'><td>{sym(n)}</td><td>{fmt(old)}</td><td>{fmt(g)}</td><td>{fmt(new)}</td>"
                    f"<td class='{cls}'>{arrow} {fmt(ch)}</td></tr>")
    return ("<table class='bp-params'><tr><th>parameter</th><th>before</th><th>∂L/∂w</th><th>after</th>"
            "<th>change</th></tr>" + "".join(rows) + "</table>")


# ---- the derivative explorer and the status line ----

def explorer_html(sn, name: str, numeric: float | None = None) -> str:
    """One parameter's chain written out, each factor's value, the product, and a finite-difference estimate."""
    fs = sn.factors(name)
    prod, g = chain.product(fs), sn.grad(name)
    rows = "".join(f"<div class='bp-factors'>{factor_symbol(f)} = {rule(f)} = {fmt(f.value)}</div>" for f in fs)
    num = ""
    if numeric is not None:
        num = (f"<div>finite differences: (L(w + ε) − L(w − ε)) / 2ε with ε = 10<sup>−5</sup> ≈ "
               f"<b>{fmt(numeric)}</b></div>")
    data_num = f" data-numeric='{fmt(numeric)}'" if numeric is not None else ""
    return (f"<div class='bp-explorer' data-param='{name}' data-product='{fmt(prod)}' data-grad='{fmt(g)}'"
            f"{data_num} title='dL/d{name}'>"
            f"<div>∂L/∂{sym(name)} = {' · '.join(factor_symbol(f) for f in fs)}</div>{rows}"
            f"<div>product: {' · '.join(_p(f.value) for f in fs)} = <b>{fmt(prod)}</b> "
            f"(backpropagation kept {fmt(g)})</div>{num}</div>")


def status_html(hist) -> str:
    """How training ended: a plain line, or a clear warning when it diverged."""
    if hist.diverged:
        k = hist.diverged_at
        row = int(hist.order[hist.starts[k]]) if hist.batch_size == 1 else None
        where = f"epoch {k // hist.steps_per_epoch + 1}" + (f", student {row + 1}" if row is not None else "")
        last = f"the slider stops at step {k - 1}, the last one before it" if k else "no step could be shown"
        return (f"<div class='bp-status bp-bad'>⚠ {html.escape(hist.message)} Here that is {where}; "
                f"{last}.</div>")
    losses = hist.epoch_loss
    tail = f"; epoch loss {fmt(losses[0])} → {fmt(losses[-1])}" if losses else ""
    return (f"<div class='bp-status'>Trained for {hist.n_steps} steps ({hist.epochs} epochs of "
            f"{hist.steps_per_epoch} students), learning rate η = {fmt(hist.lr)}{tail}.</div>")
