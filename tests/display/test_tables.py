"""The chain-rule table's HTML and text, cell by cell, against the chain rule worked here by hand."""

import re

import numpy as np

import helpers as hp
from helpers.text import fmt, latex

DS = hp.load_students()
X1, Y1 = DS.X[0], float(DS.y[0])      # student 1: x_i1 = 8, x_i2 = 8, y = 4


def hand_chain(p, x, y):
    """The 9 chains of ∂L/∂w on the linear 2-2-1 network, worked out here with plain floats."""
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    O = [x[0] * W1[0, k] + x[1] * W1[1, k] + b1[k] for k in range(2)]
    y_hat = O[0] * W2[0, 0] + O[1] * W2[1, 0] + b2[0]
    d = -2.0 * (y - y_hat)
    out = {"w11^2": [d, O[0]], "w21^2": [d, O[1]], "b21": [d, 1.0]}
    for k in range(2):
        out[f"w1{k + 1}^1"] = [d, W2[k, 0], x[0]]
        out[f"w2{k + 1}^1"] = [d, W2[k, 0], x[1]]
        out[f"b1{k + 1}"] = [d, W2[k, 0], 1.0]
    return out


def test_the_chain_tables_html_has_every_cell_of_the_9_derivatives():
    p = hp.init_params([2, 2, 1], weight=None, seed=4)
    table = hp.chain_table(p, X1, Y1)
    html = table._repr_html_()
    rows = re.findall(r"<tr><td>\$(.*?)\$</td><td>\$(.*?)\$</td><td>(.*?)</td><td><b>(.*?)</b></td>"
                      r"<td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert len(rows) == 9 and html.startswith("<table><tr><th>parameter</th>")
    assert html.count("<th>") == 6 and "<th>centred difference</th></tr>" in html
    want = hand_chain(p, X1, Y1)
    order = [r[0] for r in rows]      # the course's derivation order: the output layer first
    assert order == [latex(n) for n in ("w11^2", "w21^2", "b21", "w11^1", "w21^1", "b11", "w12^1", "w22^1", "b12")]
    for tex, chain_tex, links, product, backprop, centred in rows:
        name = {latex(n): n for n in want}[tex]
        factors = want[name]
        assert links == " × ".join(fmt(v) for v in factors), name
        value = float(np.prod(factors))
        assert product == backprop == fmt(value), name
        assert chain_tex.count(r"\frac") == len(factors) and chain_tex.endswith(rf"{{\partial {tex}}}")
        h = 1e-5      # the centred-difference column, computed here on the loss itself
        plus, minus = hp.as_named(p), hp.as_named(p)
        plus[name] += h
        minus[name] -= h
        unflat = lambda d: hp.unflatten(np.array([d[n] for n in hp.PARAM_NAMES]), [2, 2, 1])  # noqa: E731
        fd = (hp.mean_loss(unflat(plus), X1, Y1) - hp.mean_loss(unflat(minus), X1, Y1)) / (2 * h)
        assert centred == fmt(table.numeric[name]) and abs(table.numeric[name] - fd) <= 1e-9 * max(1.0, abs(fd))
        assert abs(float(centred) - value) <= 1e-4 * max(1.0, abs(value)), name


def test_the_chain_tables_text_lines_up_the_same_numbers():
    p = hp.init_params([2, 2, 1], weight=1.0)
    lines = repr(hp.chain_table(p, X1, Y1)).splitlines()
    assert lines[0].split() == ["parameter", "links", "product", "backprop", "centred", "difference"]
    assert lines[1].split() == ["w11^2", "56", "×", "16", "896", "896", "896"]   # ∂L/∂ŷ = -2(4 - 32) = 56, O11 = 16
