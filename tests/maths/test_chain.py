"""The chain-rule factors: one list, computed in maths, whose product is backpropagation's gradient."""

import numpy as np
import pytest

import helpers as hp
from helpers.maths import chain

X1, Y1 = np.array([8.0, 8.0]), 4.0


def test_the_worked_example_link_by_link():
    rows = {r.name: r for r in hp.chain_rows(hp.init_params(), X1, Y1)}
    assert list(rows) == list(chain.DERIVATION_ORDER)
    w = rows["w11^1"].factors
    assert [(f.top, f.bottom, f.rule, f.arg, f.value) for f in w] == [
        ("L", "ŷ", "mse", "", 56.0), ("ŷ", "O11", "weight", "w11^2", 1.0), ("O11", "w11^1", "input", "x_i1", 8.0)]
    assert (rows["w11^2"].value, rows["w11^1"].value, rows["b11"].value, rows["b21"].value) == (896, 448, 56, 56)


@pytest.mark.parametrize("activation, loss", [("linear", "mse"), ("sigmoid", "mse"), ("relu", "mse"),
                                              ("sigmoid", "bce")])
def test_every_chain_multiplies_to_the_gradient(activation, loss):
    params = hp.init_params([2, 2, 1], weight=None, seed=3)
    y = 1.0 if loss == "bce" else 4.0
    x = np.array([0.8, -0.3])
    grads = hp.as_named(hp.gradients(params, x, y, activation, loss))
    for r in hp.chain_rows(params, x, y, activation, loss):
        assert r.value == pytest.approx(grads[r.name], rel=1e-12, abs=1e-15)
    rules = {f.rule for r in hp.chain_rows(params, x, y, activation, loss) for f in r.factors}
    assert (activation in rules) == (activation != "linear")     # the hidden neurons' slope f'(z)


def test_deeper_networks_use_delta_times_input():
    hist = hp.train(hp.init_params([2, 3, 3, 1], weight=0.1), [[1.0, 2.0]], [1.0], lr=0.01, epochs=1)
    step = hist.steps[0]
    fs = step.factors("w21^2")
    assert [f.rule for f in fs] == ["delta", "input"] and fs[0].arg == "b21"
    assert chain.product(fs) == pytest.approx(step.grad("w21^2"), rel=1e-12)


def test_bad_names_and_networks_are_refused():
    hist = hp.train(hp.init_params(), [[8.0, 8.0]], [4.0], lr=0.001, epochs=1)
    with pytest.raises(ValueError, match="name: unknown parameter 'w99'"):
        hist.steps[0].factors("w99")
    with pytest.raises(ValueError, match="2-2-1 network"):
        hp.chain_rows(hp.init_params([2, 3, 1]), X1, Y1)


def test_the_chain_table_writes_the_factors_in_latex():
    html = hp.chain_table(hp.init_params(), X1, Y1)._repr_html_()
    assert (r"$\frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial O_{11}} \cdot "
            r"\frac{\partial O_{11}}{\partial w_{11}^{1}}$") in html
    assert "<td>56 × 1 × 8</td><td><b>448</b></td><td>448</td>" in html
