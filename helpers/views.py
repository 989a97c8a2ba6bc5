"""Views of one training step as HTML and SVG strings, built from the numbers a `History` keeps.

Pure functions of numbers: no ipywidgets, no matplotlib. `stepper` puts these strings into widgets;
`network_diagram` shows the SVG on its own. Every number goes through `fmt`, so a test can build the
expected text with the same formatter.

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
import math
from dataclasses import dataclass

from . import notation

STAGES = ("forward", "loss", "derivatives", "update")
STAGE_TITLES = ("1 Forward", "2 Loss", "3 Derivatives", "4 Update")

POS, NEG, HI, DIM = "#2f6db5", "#c2410c", "#e8a400", "#9aa3ad"

STYLE = """<style>
.bp-stage{font:14px/1.55 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2933}
.bp-stage h4{margin:0 0 6px;font-size:15px;color:#243b53}
.bp-stage .bp-note{color:#52606d;font-size:12.5px;margin:2px 0 6px}
.bp-eq,.bp-deriv,.bp-update{margin:3px 0;padding-left:1.6em;text-indent:-1.6em}
.bp-deriv .bp-factors{color:#52606d;font-size:12.5px;margin-left:0.8em;text-indent:0}
.bp-res{font-weight:600;color:#102a43}
.bp-warn{color:#b42318;font-weight:600;margin-top:6px}
.bp-params{border-collapse:collapse;font:13px system-ui,sans-serif}
.bp-params th,.bp-params td{padding:2px 9px;white-space:nowrap;text-align:right;border-bottom:1px solid #e4e7eb}
.bp-params th{color:#486581;font-weight:600}
.bp-params td:first-child,.bp-params th:first-child{text-align:left}
.bp-up{color:#2f6db5}.bp-down{color:#c2410c}
.bp-status{font:13.5px system-ui,sans-serif;padding:4px 8px;border-radius:4px;background:#f0f4f8;color:#243b53}
.bp-status.bp-bad{background:#fdecea;color:#b42318;font-weight:600}
.bp-explorer{font:14px/1.6 system-ui,sans-serif;color:#1f2933}
.bp-explorer .bp-factors{color:#52606d;font-size:13px}
</style>"""


# ---- numbers and names ----

def fmt(value) -> str:
    """A number as the course shows it: up to 6 significant digits, no trailing zeros (16, 0.552, -0.056).

    A number that is close to but not a whole number gets up to 10 digits (0.9999998874, not 1).
    """
    v = float(value)
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return "nan" if v != v else ("inf" if v > 0 else "-inf")
    s = f"{v:.6g}"
    if "e" not in s and "." not in s and float(s) != v:   # 0.99999989 is not 1: show the digits that say so
        s = f"{v:.10g}"
    if "e" in s:
        mantissa, exp = s.split("e")
        s = f"{mantissa}e{int(exp)}"
    return s


def _p(value) -> str:
    """`fmt`, in parentheses when negative, for use inside a product or a difference."""
    s = fmt(value)
    return f"({s})" if s.startswith("-") else s


def _marked(name: str, sub, sup) -> str:
    """A course name with its indices marked up by `sub` and `sup`: w11^1 -> w, sub('11'), sup('1')."""
    if name in ("ŷ", "y", "L", "η"):
        return name
    if "^" in name:
        base, layer = name.split("^")
        return f"{base[0]}{sub(base[1:])}{sup(layer)}"
    if name.startswith("x_"):
        return f"x{sub(name[2:])}"
    return f"{name[0]}{sub(name[1:])}"


def sym(name: str) -> str:
    """The HTML of a course name: 'w11^1' -> w<sub>11</sub><sup>1</sup>, 'O11' -> O<sub>11</sub>."""
    return _marked(name, lambda s: f"<sub>{s}</sub>", lambda s: f"<sup>{s}</sup>")


def _two(a: int, b: int) -> str:
    return f"{a}{b}" if a < 10 and b < 10 else f"{a},{b}"


def node_name(layer: int, k: int) -> str:
    """The plain name of node k (from 0) of a layer: 'x_i1' for the inputs, then 'O11', 'O12', 'O21'."""
    return f"x_i{k + 1}" if layer == 0 else f"O{_two(layer, k + 1)}"


def d(top: str, bottom: str) -> str:
    """The HTML of a partial derivative ∂top/∂bottom."""
    return f"∂{sym(top)}/∂{sym(bottom)}"


# ---- the numbers of one step, read from a History ----

@dataclass(frozen=True)
class StepNumbers:
    """The numbers of step k of a History, as plain floats keyed by course name."""

    k: int
    epoch: int
    row: int
    sizes: tuple
    activation: str
    loss_name: str
    lr: float
    x: list
    y: float
    z: list          # z[l-1][k]: weighted sum of node k of layer l
    a: list          # a[0] = x, a[l][k]: output of node k of layer l
    loss: float
    before: dict
    grad: dict
    after: dict

    @property
    def y_hat(self) -> float:
        """The prediction ŷ."""
        return self.a[-1][0]


def step_numbers(hist, k: int) -> StepNumbers:
    """The numbers of step k of `hist` (per-sample training), read from its flat arrays, nothing recomputed."""
    names = hist.names
    sizes = tuple(hist.layer_sizes)
    row = int(hist.order[hist.starts[k]])
    z_flat, a_flat = hist.z_flat[k].tolist(), hist.a_flat[k].tolist()
    z, a, at = [], [hist.X[row].tolist()], 0
    for n in sizes[1:]:
        z.append(z_flat[at : at + n])
        a.append(a_flat[at : at + n])
        at += n
    return StepNumbers(k, int(hist.epoch[k]), row, sizes, hist.activation, hist.loss, float(hist.lr),
                       a[0], float(hist.y[row]), z, a, float(hist.step_loss[k]),
                       dict(zip(names, hist.params_flat[k].tolist())), dict(zip(names, hist.grads_flat[k].tolist())),
                       dict(zip(names, hist.params_flat[k + 1].tolist())))


# ---- stage 1: forward ----

def _out_name(sn: StepNumbers, layer: int, k: int) -> str:
    return "ŷ" if layer == len(sn.sizes) - 1 else node_name(layer, k)


def _z_name(layer: int, k: int) -> str:
    return f"z{_two(layer, k + 1)}"


def forward_lines(sn: StepNumbers) -> list[str]:
    """Every neuron's weighted sum written out with numbers, layer by layer, then ŷ."""
    lines, L = [], len(sn.sizes) - 1
    linear = sn.activation == "linear"
    f = {"sigmoid": "σ", "relu": "relu"}.get(sn.activation, "")
    for l in range(1, L + 1):
        for k in range(sn.sizes[l]):
            terms = [(f"w{_two(j + 1, k + 1)}^{l}", node_name(l - 1, j)) for j in range(sn.sizes[l - 1])]
            b = f"b{_two(l, k + 1)}"
            name = node_name(l, k)
            left = f"ŷ = {sym(name)}" if l == L else sym(name)
            sum_sym = " + ".join(f"{sym(w)}·{sym(o)}" for w, o in terms) + f" + {sym(b)}"
            sum_num = " + ".join(f"{_p(sn.before[w])}·{_p(sn.a[l - 1][j])}" for j, (w, _) in enumerate(terms))
            sum_num += f" + {_p(sn.before[b])}"
            zv = sn.z[l - 1][k]
            if linear:
                lines.append(_eq(name, zv, f"{left} = {sum_sym} = {sum_num} = <span class='bp-res'>{fmt(zv)}</span>"))
            else:
                zn = _z_name(l, k)
                lines.append(_eq(zn, zv, f"{sym(zn)} = {sum_sym} = {sum_num} = {fmt(zv)}"))
                av = sn.a[l][k]
                lines.append(_eq(name, av, f"{left} = {f}({sym(zn)}) = {f}({fmt(zv)}) = "
                                           f"<span class='bp-res'>{fmt(av)}</span>"))
    return lines


def _eq(name: str, value: float, body: str) -> str:
    return f"<div class='bp-eq' data-name='{name}' data-value='{fmt(value)}' title='{name}'>{body}</div>"


# ---- stage 2: loss ----

def loss_lines(sn: StepNumbers) -> list[str]:
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

@dataclass(frozen=True)
class Factor:
    """One factor of a chain-rule product: its symbol (HTML), what it equals (HTML), its value."""

    symbol: str
    formula: str
    value: float


def output_factors(sn: StepNumbers) -> list[Factor]:
    """The factors shared by every chain: ∂L/∂ŷ (and ŷ's slope), or ∂L/∂z for a sigmoid output with BCE."""
    y, yh, L = sn.y, sn.y_hat, len(sn.sizes) - 1
    zo = _z_name(L, 0)
    if sn.loss_name == "bce":
        return [Factor(d("L", zo), "ŷ − y", yh - y)]
    out = [Factor(d("L", "ŷ"), "−2(y − ŷ)", -2.0 * (y - yh))]
    if sn.activation != "linear":
        out.append(Factor(d("ŷ", zo), _slope_formula(sn.activation, "ŷ"), _slope(sn, L, 0)))
    return out


def _slope_formula(act: str, out: str) -> str:
    return f"{out}(1 − {out})" if act == "sigmoid" else f"[{out} &gt; 0]"


def _slope(sn: StepNumbers, layer: int, k: int) -> float:
    if sn.activation == "sigmoid":
        a = sn.a[layer][k]
        return a * (1.0 - a)
    if sn.activation == "relu":
        return 1.0 if sn.z[layer - 1][k] > 0 else 0.0
    return 1.0


def chain(sn: StepNumbers, name: str) -> list[Factor]:
    """The chain-rule factors of ∂L/∂(name), in the order of the course's derivation.

    For a network with one hidden layer the chain is written in full (∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w11^1);
    for other depths it is δ · input, with δ_lk = ∂L/∂b_lk read from the History.
    """
    L = len(sn.sizes) - 1
    p = notation.locate(name, list(sn.sizes))
    layer = int(p.key[1:])
    k = p.index[-1]
    j = p.index[0] if p.key[0] == "W" else None
    lin = sn.activation == "linear"
    node = lambda l, kk: ("ŷ" if l == L else node_name(l, kk)) if lin else _z_name(l, kk)  # noqa: E731
    last = Factor(d(node(layer, k), name), "1", 1.0) if j is None else \
        Factor(d(node(layer, k), name), sym(node_name(layer - 1, j)), sn.a[layer - 1][j])
    if L != 2:
        b = f"b{_two(layer, k + 1)}"
        delta = Factor(f"δ<sub>{_two(layer, k + 1)}</sub>", f"∂L/∂{sym(b)}", sn.grad[b])
        return [delta, last]
    out = output_factors(sn)
    if layer == 2:
        return out + [last]
    w = f"w{_two(k + 1, 1)}^2"
    hidden = node_name(1, k)
    via = [Factor(d(node(2, 0), hidden), sym(w), sn.before[w])]
    if not lin:
        via.append(Factor(d(hidden, _z_name(1, k)), _slope_formula(sn.activation, sym(hidden)), _slope(sn, 1, k)))
    return out + via + [last]


def product(factors: list[Factor]) -> float:
    """The product of a chain's factor values."""
    return math.prod(f.value for f in factors)


def derivative_line(sn: StepNumbers, name: str) -> str:
    """One derivative: the chain, each factor's value, the product, and History's gradient."""
    fs = chain(sn, name)
    g = sn.grad[name]
    syms = " · ".join(f.symbol for f in fs)
    nums = " · ".join(_p(f.value) for f in fs)
    shared = len(output_factors(sn)) if len(sn.sizes) == 3 else 0   # written once, in the note above
    factors = ", ".join(f"{f.symbol} = {f.formula} = {fmt(f.value)}" for f in fs[shared:] if f.formula != "1")
    return (f"<div class='bp-deriv' data-param='{name}' data-value='{fmt(g)}' data-product='{fmt(product(fs))}' "
            f"title='dL/d{name}'>∂L/∂{sym(name)} = {syms} = {nums} = <span class='bp-res'>{fmt(g)}</span>"
            f"<div class='bp-factors'>{factors}</div></div>")


def derivative_lines(sn: StepNumbers) -> list[str]:
    """The shared factors' note, then every parameter's derivative line."""
    fs = output_factors(sn)
    if sn.loss_name == "bce":
        note = (f"With BCE at a sigmoid output, ∂L/∂ŷ · ∂ŷ/∂z = (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y = "
                f"{fmt(sn.y_hat)} − {_p(sn.y)} = {fmt(fs[0].value)}.")
    else:
        note = f"∂L/∂ŷ = −2(y − ŷ) = −2({fmt(sn.y)} − {_p(sn.y_hat)}) = {fmt(fs[0].value)}."
    note += " All derivatives use the weights before the update."
    return [f"<div class='bp-note'>{note}</div>"] + [derivative_line(sn, n) for n in sn.before]


# ---- stage 4: update ----

def update_lines(sn: StepNumbers) -> list[str]:
    """Every parameter's update, w_new = w_old − η·∂L/∂w, with numbers."""
    out = [f"<div class='bp-note'>w<sub>new</sub> = w<sub>old</sub> − η·∂L/∂w<sub>old</sub>, "
           f"with η = {fmt(sn.lr)}.</div>"]
    for n in sn.before:
        old, g, new = sn.before[n], sn.grad[n], sn.after[n]
        out.append(f"<div class='bp-update' data-param='{n}' data-old='{fmt(old)}' data-new='{fmt(new)}' "
                   f"data-value='{fmt(new)}' title='{n}'>{sym(n)} = {fmt(old)} − {fmt(sn.lr)}·{_p(g)} = "
                   f"<span class='bp-res'>{fmt(new)}</span></div>")
    return out


STAGE_LINES = (forward_lines, loss_lines, derivative_lines, update_lines)


def stage_html(sn: StepNumbers, stage: int, note: str = "") -> str:
    """The equations of one stage (0 forward, 1 loss, 2 derivatives, 3 update) of one step."""
    head = (f"<h4>Epoch {sn.epoch + 1}, student {sn.row + 1} (x<sub>i1</sub> = {fmt(sn.x[0])}"
            + "".join(f", x<sub>i{j + 1}</sub> = {fmt(v)}" for j, v in enumerate(sn.x[1:], start=1))
            + f", y = {fmt(sn.y)}) — {STAGE_TITLES[stage]}</h4>")
    body = "".join(STAGE_LINES[stage](sn))
    warn = f"<div class='bp-warn'>{html.escape(note)}</div>" if note else ""
    return (f"<div class='bp-stage' data-stage='{STAGES[stage]}' data-step='{sn.k}' data-epoch='{sn.epoch}' "
            f"data-row='{sn.row}'>{head}{body}{warn}</div>")


# ---- the parameter table ----

def params_table(sn: StepNumbers) -> str:
    """A table of every parameter: before, gradient, after, and the change."""
    rows = []
    for n in sn.before:
        old, g, new = sn.before[n], sn.grad[n], sn.after[n]
        ch = new - old
        cls, arrow = ("bp-up", "▲") if ch > 0 else (("bp-down", "▼") if ch < 0 else ("", "·"))
        rows.append(f"<tr data-param='{n}' data-before='{fmt(old)}' data-grad='{fmt(g)}' data-after='{fmt(new)}' "
                    f"title='{n}'><td>{sym(n)}</td><td>{fmt(old)}</td><td>{fmt(g)}</td><td>{fmt(new)}</td>"
                    f"<td class='{cls}'>{arrow} {fmt(ch)}</td></tr>")
    return ("<table class='bp-params'><tr><th>parameter</th><th>before</th><th>∂L/∂w</th><th>after</th>"
            "<th>change</th></tr>" + "".join(rows) + "</table>")


# ---- the network diagram ----

def _svg_sym(name: str) -> str:
    """A course name in SVG text: tspans for sub- and superscripts."""
    return _marked(name, lambda s: f"<tspan baseline-shift='sub' font-size='75%'>{s}</tspan>",
                   lambda s: f"<tspan baseline-shift='super' font-size='75%'>{s}</tspan>")


def diagram_svg(sizes, weights: dict, nodes: dict | None = None, highlight=None, edge_labels: dict | None = None,
                loss: tuple | None = None, width: int = 500, height: int = 290) -> str:
    """The network as SVG: nodes with their values, edges as wide as |w| and coloured by sign.

    `weights` maps every course name to its value; `nodes` maps node names ('x_i1', 'O11', 'O21') to
    values; `highlight` is None (all on) or a set of node and parameter names to emphasise, the rest
    dimmed; `edge_labels` replaces the text beside each edge (default 'w = value'); `loss` is (y, L) to
    draw the loss beside the output.
    """
    sizes = list(sizes)
    L = len(sizes) - 1
    nodes = nodes or {}
    on = (lambda key: True) if highlight is None else (lambda key: key in highlight)  # noqa: E731
    right = 124 if loss is not None else 40
    xs = [50 + i * (width - 50 - right) / L for i in range(L + 1)]
    labelled = max(sizes) <= 3           # beyond that, the labels would overlap: values stay in the titles
    edge_text = max(sizes) <= 2 and L <= 2

    def ys(n):
        gap = min(150.0, (height - 100) / max(n - 1, 1))
        return [height / 2 + 5 + (i - (n - 1) / 2) * gap for i in range(n)]

    pos = {node_name(l, k): (xs[l], y) for l in range(L + 1) for k, y in enumerate(ys(sizes[l]))}
    r = min(19.0, (height - 100) / max(max(sizes) - 1, 1) / 2 - 1)   # nodes of a tall layer must not touch
    wmax = max([abs(v) for n, v in weights.items() if n.startswith("w") and math.isfinite(v)] + [1e-12])
    edges, circles, labels = [], [], []
    for l in range(1, L + 1):
        for j in range(sizes[l - 1]):
            for k in range(sizes[l]):
                name = f"w{_two(j + 1, k + 1)}^{l}"
                w = weights[name]
                (x1, y1), (x2, y2) = pos[node_name(l - 1, j)], pos[node_name(l, k)]
                colour = POS if w > 0 else (NEG if w < 0 else DIM)
                sw = 1.0 + 5.0 * min(abs(w) / wmax, 1.0) if math.isfinite(w) else 1.0
                lit = on(name)
                cls = "bp-edge bp-on" if highlight is not None and lit else "bp-edge"
                edges.append(f"<g class='{cls}' data-param='{name}' data-value='{fmt(w)}' "
                             f"opacity='{1.0 if lit else 0.25}'><title>{name} = {fmt(w)}</title>"
                             f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{colour}' "
                             f"stroke-width='{sw:.2f}' stroke-linecap='round'/></g>")
                if edge_text:
                    # into the output: from the middle on, above a falling edge and below a rising one, clear of
                    # the hidden nodes' values; crossing edges: near their source, apart; others: the middle
                    t = 0.42 if l == L else (0.5 if y1 == y2 else 0.38)
                    lx, ly = x1 + t * (x2 - x1), y1 + t * (y2 - y1) + (15 if (l == L and y2 < y1) else -8)
                    anchor = "start" if l == L else "middle"
                    text = edge_labels.get(name) if edge_labels else None
                    text = text if text is not None else f"{_svg_sym(name)} = {fmt(w)}"
                    labels.append(f"<text class='bp-label' data-param='{name}' x='{lx:.1f}' y='{ly:.1f}' "
                                  f"font-size='11' text-anchor='{anchor}' fill='#243b53' "
                                  f"opacity='{1.0 if lit else 0.6}' "
                                  f"stroke='white' stroke-width='4' paint-order='stroke'>{text}</text>")
    for l in range(L + 1):
        for k in range(sizes[l]):
            name = node_name(l, k)
            x, y = pos[name]
            val = nodes.get(name)
            shown = "ŷ" if l == L else name
            lit = on(name)
            stroke = HI if (highlight is not None and lit) else "#486581"
            fill = "#e6f0fa" if l == 0 else ("#fff7e0" if l == L else "#eef2f7")
            cls = "bp-node bp-on" if highlight is not None and lit else "bp-node"
            data_v = f" data-value='{fmt(val)}'" if val is not None else ""
            bias = ""
            if l > 0 and labelled:
                b = f"b{_two(l, k + 1)}"
                b_on = highlight is not None and on(b)
                bx_shift = 14 if (l == L and loss is not None) else 0    # clear of the edge labels beside ŷ
                bias = (f"<text class='bp-bias{' bp-on' if b_on else ''}' data-param='{b}' "
                        f"data-value='{fmt(weights[b])}' x='{x + bx_shift:.1f}' y='{y - 27:.1f}' font-size='11' "
                        f"text-anchor='{'start' if bx_shift else 'middle'}' fill='{'#102a43' if b_on else '#52606d'}' "
                        f"font-weight='{600 if b_on else 400}'>{_svg_sym(b)} = {fmt(weights[b])}</text>")
            value = (f"<text x='{x:.1f}' y='{y + 37:.1f}' font-size='12.5' font-weight='600' text-anchor='middle' "
                     f"fill='#102a43'>{fmt(val)}</text>") if val is not None and labelled else ""
            title = f"{name} = {fmt(val)}" if val is not None else name
            circles.append(f"<g class='{cls}' data-node='{name}'{data_v} opacity='{1.0 if lit else 0.4}'>"
                           f"<title>{title}</title>{bias}"
                           f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' fill='{fill}' stroke='{stroke}' "
                           f"stroke-width='{3 if highlight is not None and lit else 1.5}'/>"
                           f"<text x='{x:.1f}' y='{y + 5:.1f}' font-size='{14 if labelled else 10}' "
                           f"text-anchor='middle' "
                           f"fill='#102a43'>{_svg_sym(shown)}</text>{value}</g>")
    extra = ""
    if loss is not None:
        y_t, lv = loss
        ox, oy = pos[node_name(L, 0)]
        bx, bw = ox + 28, right - 34
        lit = on("L")
        stroke = HI if (highlight is not None and lit) else "#486581"
        cls = "bp-node bp-on" if highlight is not None and lit else "bp-node"
        extra = (f"<g class='{cls}' data-node='L' data-value='{fmt(lv)}' opacity='{1.0 if lit else 0.4}'>"
                 f"<title>L = {fmt(lv)}</title>"
                 f"<line x1='{ox + r:.1f}' y1='{oy:.1f}' x2='{bx:.1f}' y2='{oy:.1f}' stroke='#486581' "
                 f"stroke-width='1.5'/>"
                 f"<rect x='{bx:.1f}' y='{oy - 20:.1f}' width='{bw}' height='40' rx='6' fill='#fff' "
                 f"stroke='{stroke}' stroke-width='{3 if highlight is not None and lit else 1.5}'/>"
                 f"<text x='{bx + bw / 2:.1f}' y='{oy - 4:.1f}' font-size='11.5' text-anchor='middle'>L = "
                 f"{fmt(lv)}</text><text x='{bx + bw / 2:.1f}' y='{oy + 12:.1f}' font-size='11' "
                 f"text-anchor='middle' fill='#52606d'>y = {fmt(y_t)}</text></g>")
    return (f"<svg class='bp-diagram' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' font-family='system-ui,sans-serif' role='img' "
            f"aria-label='network {'-'.join(map(str, sizes))}'>" + "".join(edges) + "".join(circles) + extra
            + "".join(labels) + "</svg>")


def stage_highlight(sn: StepNumbers, stage: int, param: str | None = None) -> set:
    """The nodes and parameters a stage touches (derivatives: the chain of `param`, or everything)."""
    sizes, L = sn.sizes, len(sn.sizes) - 1
    all_nodes = {node_name(l, k) for l in range(L + 1) for k in range(sizes[l])}
    if stage == 0:
        return all_nodes | set(sn.before)
    if stage == 1:
        return {node_name(L, 0), "L"}
    if stage == 3 or param is None or L != 2:
        return all_nodes | set(sn.before) | {"L"}
    p = notation.locate(param, list(sizes))
    k = p.index[-1]
    on = {param, "L", node_name(2, 0)}
    if p.key[1] == "1":
        on |= {node_name(1, k), f"w{_two(k + 1, 1)}^2"}
    if p.key[0] == "W":
        on.add(node_name(int(p.key[1]) - 1, p.index[0]))
    return on


def step_diagram(sn: StepNumbers, stage: int, param: str | None = None) -> str:
    """The diagram for one stage of one step: values at the nodes, the stage's part highlighted."""
    nodes = {node_name(l, k): v for l, layer in enumerate(sn.a) for k, v in enumerate(layer)}
    labels, loss = None, (sn.y, sn.loss)
    if stage == 2:
        labels = {n: f"∂L/∂{_svg_sym(n)} = {fmt(g)}" for n, g in sn.grad.items() if n.startswith("w")}
    if stage == 3:
        labels = {n: f"{fmt(sn.before[n])} → {fmt(sn.after[n])}" for n in sn.before if n.startswith("w")}
    return diagram_svg(sn.sizes, sn.before, nodes, stage_highlight(sn, stage, param), labels, loss)


# ---- the loss curve ----

class LossCurve:
    """The step losses as an SVG polyline, built once per History; `svg(k)` reveals steps 0..k and marks k."""

    _count = 0

    def __init__(self, step_loss, steps_per_epoch: int, width: int = 440, height: int = 170):
        LossCurve._count += 1
        self.clip = f"bp-clip-{LossCurve._count}"
        self.width, self.height = width, height
        self.losses = [float(v) for v in step_loss]
        n = len(self.losses)
        self.left, self.right, self.top, self.bottom = 52, width - 12, 20, height - 30
        logs = [math.log10(max(v, 1e-300)) for v in self.losses] or [0.0]
        lo, hi = math.floor(min(logs)), math.ceil(max(logs))
        hi = hi if hi > lo else lo + 1
        self.lo, self.hi = lo, hi
        sx = (self.right - self.left) / max(n - 1, 1)
        self.xs = [self.left + i * sx for i in range(n)]
        self.ys = [self.bottom - (v - lo) / (hi - lo) * (self.bottom - self.top) for v in logs]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(self.xs, self.ys))
        grid = []
        step = max(1, math.ceil((hi - lo) / 5))
        for e in range(lo, hi + 1, step):
            y = self.bottom - (e - lo) / (hi - lo) * (self.bottom - self.top)
            grid.append(f"<line x1='{self.left}' x2='{self.right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e4e7eb'/>"
                        f"<text x='{self.left - 5}' y='{y + 4:.1f}' font-size='10.5' text-anchor='end' "
                        f"fill='#52606d'>{fmt(10.0 ** e)}</text>")
        epochs = n // steps_per_epoch if steps_per_epoch else 0
        if 1 < epochs <= 60:
            for e in range(1, epochs + (n % steps_per_epoch > 0)):
                x = self.left + e * steps_per_epoch * sx - sx / 2
                grid.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{self.top}' y2='{self.bottom}' stroke='#f0f4f8'/>")
        self._head = (f"<svg class='bp-curve' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
                      f"viewBox='0 0 {width} {height}' font-family='system-ui,sans-serif'")
        self._axes = ("".join(grid) +
                      f"<line x1='{self.left}' x2='{self.left}' y1='{self.top}' y2='{self.bottom}' stroke='#9aa3ad'/>"
                      f"<line x1='{self.left}' x2='{self.right}' y1='{self.bottom}' y2='{self.bottom}' "
                      f"stroke='#9aa3ad'/>"
                      f"<text x='{(self.left + self.right) / 2}' y='{height - 8}' font-size='11' text-anchor='middle' "
                      f"fill='#52606d'>step (one student each; {n} steps)</text>"
                      f"<text x='12' y='{(self.top + self.bottom) / 2}' font-size='11' text-anchor='middle' "
                      f"fill='#52606d' transform='rotate(-90 12 {(self.top + self.bottom) / 2})'>loss L (log)</text>")
        self._line = (f"<polyline points='{pts}' fill='none' stroke='{POS}' stroke-width='1.6' "
                      f"stroke-linejoin='round' clip-path='url(#{self.clip})'/>")

    def svg(self, k: int) -> str:
        """The curve up to step k, with step k marked and its loss written."""
        if not self.losses:
            return self._head + " data-step='' data-loss=''>" + self._axes + "</svg>"
        x, y, v = self.xs[k], self.ys[k], self.losses[k]
        tx, anchor = (x + 8, "start") if x < (self.left + self.right) / 2 else (x - 8, "end")
        return (f"{self._head} data-step='{k}' data-loss='{fmt(v)}'>{self._axes}"
                f"<clipPath id='{self.clip}'><rect x='0' y='0' width='{x + 0.5:.1f}' height='{self.height}'/>"
                f"</clipPath>"
                f"{self._line}<circle class='bp-marker' cx='{x:.1f}' cy='{y:.1f}' r='4.5' fill='{HI}' "
                f"stroke='#102a43'/><text x='{tx:.1f}' y='{min(max(y - 8, 11), self.bottom - 4):.1f}' "
                f"font-size='11.5' text-anchor='{anchor}' fill='#102a43' stroke='white' stroke-width='3' "
                f"paint-order='stroke'>"
                f"step {k}: L = {fmt(v)}</text></svg>")


# ---- the derivative explorer and the status line ----

def explorer_html(sn: StepNumbers, name: str, numeric: float | None = None) -> str:
    """One parameter's chain written out, each factor's value, the product, and a finite-difference estimate."""
    fs = chain(sn, name)
    prod, g = product(fs), sn.grad[name]
    rows = "".join(f"<div class='bp-factors'>{f.symbol} = {f.formula} = {fmt(f.value)}</div>" for f in fs)
    num = ""
    if numeric is not None:
        num = (f"<div>finite differences: (L(w + ε) − L(w − ε)) / 2ε with ε = 10<sup>−5</sup> ≈ "
               f"<b>{fmt(numeric)}</b></div>")
    data_num = f" data-numeric='{fmt(numeric)}'" if numeric is not None else ""
    return (f"<div class='bp-explorer' data-param='{name}' data-product='{fmt(prod)}' data-grad='{fmt(g)}'"
            f"{data_num} title='dL/d{name}'>"
            f"<div>∂L/∂{sym(name)} = {' · '.join(f.symbol for f in fs)}</div>{rows}"
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
