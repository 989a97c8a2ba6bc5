"""The 9 derivatives of the 2-2-1 linear network written out link by link, as the chain rule says.

For one student (x_i1, x_i2, y) and the per-sample loss L = (y - ŷ)^2, each derivative is a product of
links: ∂L/∂w11^1 = ∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w11^1 = -2(y - ŷ) · w11^2 · x_i1. This module computes each
link from the forward pass, so the product can be checked against backpropagation and finite differences.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from . import checks, notation
from .network import _checked, _forward

# Output layer first, then the hidden layer, in the order the course derives them.
DERIVATION_ORDER = ("w11^2", "w21^2", "b21", "w11^1", "w21^1", "b11", "w12^1", "w22^1", "b12")


@dataclass(frozen=True)
class ChainRow:
    """One derivative: the parameter, its links (LaTeX symbol, value), and their product."""

    name: str
    links: tuple
    value: float

    @property
    def latex(self) -> str:
        """The chain of links in LaTeX, e.g. ∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w11^1."""
        return r" \cdot ".join(symbol for symbol, _ in self.links)

    @property
    def product(self) -> str:
        """The values of the links as a product, e.g. '56 × 1 × 8'."""
        return " × ".join(_fmt(v) for _, v in self.links)


def _d(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def chain_rows(params: dict, x, y) -> list[ChainRow]:
    """The 9 derivatives of L = (y - ŷ)^2 for one student, each as its chain-rule links (2-2-1, linear)."""
    x, y = _checked(params, x, "linear", y, "mse")
    sizes = checks.params(params)
    if sizes != [2, 2, 1]:
        raise ValueError(f"params: expected the 2-2-1 network of the course, got layer sizes {sizes}")
    if x.ndim != 1:
        raise ValueError(f"x: expected one student's inputs, shape (2,), got shape {x.shape}")
    fw = _forward(params, x, "linear")
    O = fw.a[1]
    y_hat = float(fw.a[2][0])
    dL = -2.0 * (float(y) - y_hat)                      # ∂L/∂ŷ
    get = lambda name: notation.get(params, name)
    L_yhat = (_d("L", r"\hat{y}"), dL)
    rows = {}
    for k in (1, 2):                                    # output layer: ∂ŷ/∂w_k1^2 = O1k
        rows[f"w{k}1^2"] = (L_yhat, (_d(r"\hat{y}", f"w_{{{k}1}}^{{2}}"), float(O[k - 1])))
    rows["b21"] = (L_yhat, (_d(r"\hat{y}", "b_{21}"), 1.0))
    for k in (1, 2):                                    # hidden neuron O1k, reached through w_k1^2
        through = (_d(r"\hat{y}", f"O_{{1{k}}}"), get(f"w{k}1^2"))
        for j in (1, 2):                                # ∂O1k/∂w_jk^1 = x_ij
            rows[f"w{j}{k}^1"] = (L_yhat, through, (_d(f"O_{{1{k}}}", f"w_{{{j}{k}}}^{{1}}"), float(x[j - 1])))
        rows[f"b1{k}"] = (L_yhat, through, (_d(f"O_{{1{k}}}", f"b_{{1{k}}}"), 1.0))
    return [ChainRow(n, rows[n], math.prod(v for _, v in rows[n])) for n in DERIVATION_ORDER]


@dataclass(frozen=True)
class ChainTable:
    """The 9 chain-rule derivatives next to backpropagation's and a finite-difference estimate."""

    rows: list
    backprop: dict
    numeric: dict

    def __repr__(self) -> str:
        head = f"{'parameter':>9}  {'links':<16} {'product':>9} {'backprop':>9} {'nudge':>11}"
        lines = [head] + [f"{r.name:>9}  {r.product:<16} {_fmt(r.value):>9} {_fmt(self.backprop[r.name]):>9} "
                          f"{self.numeric[r.name]:>11.4f}" for r in self.rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = ("<tr><th>parameter</th><th>chain of links</th><th>links' values</th><th>product</th>"
                "<th>backprop</th><th>nudge (finite difference)</th></tr>")
        body = "".join(
            f"<tr><td>${notation.latex(r.name)}$</td><td>${r.latex}$</td><td>{html.escape(r.product)}</td>"
            f"<td><b>{_fmt(r.value)}</b></td><td>{_fmt(self.backprop[r.name])}</td>"
            f"<td>{self.numeric[r.name]:.4f}</td></tr>" for r in self.rows)
        return f"<table>{head}{body}</table>"


def chain_table(params: dict, x, y, eps: float = 1e-5) -> ChainTable:
    """All 9 derivatives for one student: by the chain rule, by backpropagation, and by nudging (eps)."""
    from .gradcheck import numerical_gradients
    from .network import gradients
    rows = chain_rows(params, x, y)
    backprop = notation.as_named(gradients(params, x, y))
    numeric = notation.as_named(numerical_gradients(params, x, y, eps=eps))
    return ChainTable(rows, backprop, numeric)


def _fmt(v: float) -> str:
    return f"{v:.6g}"
