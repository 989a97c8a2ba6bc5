"""The views show exactly the numbers of a step: checked by hand for the worked example, and against History."""

import html
import math
import re

import numpy as np
import pytest

import helpers as hp
from helpers import text as fmt_mod
from helpers.display import palette, views
from helpers.display import svg as svgs
from helpers.maths import chain, notation
from helpers.text import fmt


def text(markup: str) -> str:
    """Visible text of a view, with sub/superscripts written the plain way: w11^1, O11, xi1, (y − ŷ)^2."""
    markup = markup.replace("<sup>", "^")
    markup = re.sub(r"<div class='bp-factors'>.*?</div>", "", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def lines(markup: str, cls: str) -> dict:
    """{data-name or data-param: (attributes, visible text)} of the elements with this class."""
    out = {}
    for m in re.finditer(rf"<div class='{cls}'([^>]*)>(.*?)</div>(?=<div class='bp-|<div class='bp-warn|</div>$|$)",
                         markup):
        attrs = dict(re.findall(r"data-([\w-]+)='([^']*)'", m.group(1)))
        key = attrs.get("name") or attrs.get("param")
        out[key] = (attrs, text(m.group(2)))
    return out


@pytest.fixture(scope="module")
def hist():
    ds = hp.load_students()
    return hp.train(hp.init_params([2, 2, 1], weight=1.0, bias=0.0), ds.X, ds.y, lr=0.001, epochs=5)


def p(v):
    s = fmt(v)
    return f"({s})" if s.startswith("-") else s


# ---- the formatter ----

@pytest.mark.parametrize("value, shown", [(16.0, "16"), (0.552, "0.552"), (-0.056, "-0.056"), (784, "784"),
                                          (0.0, "0"), (-0.0, "0"), (1 / 3, "0.333333"), (1.2e-7, "1.2e-7"),
                                          (2.5e42, "2.5e42"), (np.float64(896.0), "896"), (1 - 0.001 * 448, "0.552"),
                                          (0.9999998874648379, "0.9999998875"), (15.99999, "15.99999"),
                                          (16.000000000001, "16")])
def test_fmt_shows_numbers_as_a_learner_would_write_them(value, shown):
    assert fmt(value) == shown


def test_sym_writes_course_names_with_sub_and_superscripts():
    assert fmt_mod.sym("w11^1") == "w<sub>11</sub><sup>1</sup>"
    assert fmt_mod.sym("b21") == "b<sub>21</sub>"
    assert fmt_mod.sym("O12") == "O<sub>12</sub>"
    assert fmt_mod.sym("x_i2") == "x<sub>i2</sub>"


# ---- step 0 of the worked example, by hand ----

def test_forward_stage_of_the_first_step_by_hand(hist):
    out = views.stage_html(hist.steps[0], 0)
    eqs = lines(out, "bp-eq")
    assert eqs["O11"] == ({"name": "O11", "value": "16"}, "O11 = w11^1·xi1 + w21^1·xi2 + b11 = 1·8 + 1·8 + 0 = 16")
    assert eqs["O12"][1] == "O12 = w12^1·xi1 + w22^1·xi2 + b12 = 1·8 + 1·8 + 0 = 16"
    assert eqs["O21"] == ({"name": "O21", "value": "32"},
                          "ŷ = O21 = w11^2·O11 + w21^2·O12 + b21 = 1·16 + 1·16 + 0 = 32")
    assert "data-stage='forward' data-step='0' data-epoch='0' data-row='0'" in out
    assert "Epoch 1, student 1" in text(out)


def test_loss_stage_of_the_first_step_by_hand(hist):
    eqs = lines(views.stage_html(hist.steps[0], 1), "bp-eq")
    assert eqs == {"L": ({"name": "L", "value": "784"}, "L = (y − ŷ)^2 = (4 − 32)^2 = 784")}


HAND_DERIVATIVES = {   # ∂L/∂ŷ = −2(4 − 32) = 56, O11 = O12 = 16, x = (8, 8), weights 1
    "w11^1": "∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w11^1 = 56 · 1 · 8 = 448",
    "w12^1": "∂L/∂ŷ · ∂ŷ/∂O12 · ∂O12/∂w12^1 = 56 · 1 · 8 = 448",
    "w21^1": "∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w21^1 = 56 · 1 · 8 = 448",
    "w22^1": "∂L/∂ŷ · ∂ŷ/∂O12 · ∂O12/∂w22^1 = 56 · 1 · 8 = 448",
    "b11": "∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂b11 = 56 · 1 · 1 = 56",
    "b12": "∂L/∂ŷ · ∂ŷ/∂O12 · ∂O12/∂b12 = 56 · 1 · 1 = 56",
    "w11^2": "∂L/∂ŷ · ∂ŷ/∂w11^2 = 56 · 16 = 896",
    "w21^2": "∂L/∂ŷ · ∂ŷ/∂w21^2 = 56 · 16 = 896",
    "b21": "∂L/∂ŷ · ∂ŷ/∂b21 = 56 · 1 = 56",
}


def test_all_nine_derivatives_of_the_first_step_by_hand(hist):
    out = views.stage_html(hist.steps[0], 2)
    derivs = lines(out, "bp-deriv")
    assert list(derivs) == hp.PARAM_NAMES
    for name, written in HAND_DERIVATIVES.items():
        attrs, shown = derivs[name]
        assert shown == f"∂L/∂{name} = {written}"
        assert attrs["value"] == attrs["product"] == written.rsplit(" = ", 1)[1]
    assert "∂L/∂ŷ = −2(y − ŷ) = −2(4 − 32) = 56." in text(out)


def test_update_stage_of_the_first_step_by_hand(hist):
    ups = lines(views.stage_html(hist.steps[0], 3), "bp-update")
    assert ups["w11^1"] == ({"param": "w11^1", "old": "1", "new": "0.552", "value": "0.552"},
                            "w11^1 = 1 − 0.001·448 = 0.552")
    assert ups["b11"][1] == "b11 = 0 − 0.001·56 = -0.056"
    assert ups["w21^2"][1] == "w21^2 = 1 − 0.001·896 = 0.104"
    assert len(ups) == 9


# ---- any step: the views show exactly History's numbers ----

@pytest.mark.parametrize("k", [1, 6, 19])
def test_every_stage_shows_the_numbers_of_history_step_k(hist, k):
    st = hist.steps[k]                      # the record, read independently of the views' flat reading
    sn = hist.steps[k]
    W1, b1, W2, b2 = (st.params_before[key] for key in ("W1", "b1", "W2", "b2"))
    x, O, y_hat = st.x, st.a[1], st.y_hat
    eqs = lines(views.stage_html(sn, 0), "bp-eq")
    for kk in range(2):
        name = f"O1{kk + 1}"
        expect = (f"{name} = w1{kk + 1}^1·xi1 + w2{kk + 1}^1·xi2 + b1{kk + 1} = {p(W1[0, kk])}·{p(x[0])} + "
                  f"{p(W1[1, kk])}·{p(x[1])} + {p(b1[kk])} = {fmt(O[kk])}")
        assert eqs[name] == ({"name": name, "value": fmt(O[kk])}, expect)
    assert eqs["O21"][1] == (f"ŷ = O21 = w11^2·O11 + w21^2·O12 + b21 = {p(W2[0, 0])}·{p(O[0])} + {p(W2[1, 0])}·"
                             f"{p(O[1])} + {p(b2[0])} = {fmt(y_hat)}")
    loss = lines(views.stage_html(sn, 1), "bp-eq")["L"]
    assert loss[1] == f"L = (y − ŷ)^2 = ({fmt(st.y)} − {p(y_hat)})^2 = {fmt(st.loss)}"
    assert math.isclose(st.loss, (st.y - y_hat) ** 2, rel_tol=1e-12)
    derivs = lines(views.stage_html(sn, 2), "bp-deriv")
    dy = -2 * (st.y - y_hat)
    for kk in range(2):
        w2 = W2[kk, 0]
        for j in range(2):
            name = f"w{j + 1}{kk + 1}^1"
            assert derivs[name][1] == (f"∂L/∂{name} = ∂L/∂ŷ · ∂ŷ/∂O1{kk + 1} · ∂O1{kk + 1}/∂{name} = "
                                       f"{p(dy)} · {p(w2)} · {p(x[j])} = {fmt(st.grad(name))}")
            assert math.isclose(dy * w2 * x[j], st.grad(name), rel_tol=1e-12)
        assert derivs[f"w{kk + 1}1^2"][1].endswith(f"= {p(dy)} · {p(O[kk])} = {fmt(st.grad(f'w{kk + 1}1^2'))}")
    for name in hp.PARAM_NAMES:
        assert derivs[name][0]["value"] == fmt(st.grad(name))
        assert float(derivs[name][0]["product"]) == pytest.approx(st.grad(name), rel=1e-5)
    ups = lines(views.stage_html(sn, 3), "bp-update")
    for name in hp.PARAM_NAMES:
        assert ups[name][1] == (f"{name} = {fmt(st.before(name))} − 0.001·{p(st.grad(name))} = "
                                f"{fmt(st.after(name))}")
        assert math.isclose(st.after(name), st.before(name) - 0.001 * st.grad(name), rel_tol=1e-12, abs_tol=1e-15)


def test_params_table_lists_before_gradient_after_and_change(hist):
    out = views.params_table(hist.steps[0])
    rows = dict((m[0], m[1:]) for m in re.findall(
        r"<tr data-param='([^']+)' data-before='([^']+)' data-grad='([^']+)' data-after='([^']+)'", out))
    assert list(rows) == hp.PARAM_NAMES
    assert rows["w11^1"] == ("1", "448", "0.552")
    assert rows["b21"] == ("0", "56", "-0.056")
    assert "▼ -0.448" in out and "▼ -0.896" in out


# ---- the chain rule for other activations, losses and sizes ----

def test_sigmoid_bce_chains_multiply_to_the_gradients():
    ds = hp.load_placements()
    h = hp.train(hp.init_params([2, 2, 1]), ds.X, ds.y, lr=0.5, epochs=3, activation="sigmoid", loss="bce")
    for k in (0, 5):
        sn = h.steps[k]
        st = h.steps[k]
        for name in h.names:
            factors = sn.factors(name)
            assert chain.product(factors) == pytest.approx(st.grad(name), rel=1e-9, abs=1e-15)
            assert factors[0].value == pytest.approx(st.y_hat - st.y, rel=1e-12)   # ∂L/∂z21 = ŷ − y
        out = text(views.stage_html(sn, 2))
        assert "(ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y" in out
        assert "∂L/∂w11^1 = ∂L/∂z21 · ∂z21/∂O11 · ∂O11/∂z11 · ∂z11/∂w11^1" in out
        fwd = lines(views.stage_html(sn, 0), "bp-eq")
        assert fwd["O11"][0]["value"] == fmt(st.a[1][0]) and "σ(z11)" in fwd["O11"][1]
        assert "L = −(y·log ŷ + (1 − y)·log(1 − ŷ))" in text(views.stage_html(sn, 1))


@pytest.mark.parametrize("act", ["sigmoid", "relu"])
def test_mse_with_a_hidden_activation_chains_multiply_to_the_gradients(act):
    ds = hp.load_students()
    h = hp.train(hp.init_params([2, 2, 1], weight=None, seed=3), ds.X, ds.y, lr=0.001, epochs=2, activation=act)
    sn = h.steps[3]
    for name in h.names:
        assert chain.product(sn.factors(name)) == pytest.approx(h.steps[3].grad(name), rel=1e-9, abs=1e-14)


@pytest.mark.parametrize("sizes", [[2, 3, 1], [2, 2, 2, 1], [2, 1]])
def test_other_layer_sizes_degrade_gracefully(sizes):
    ds = hp.load_students()
    h = hp.train(hp.init_params(sizes, weight=0.1), ds.X, ds.y, lr=0.001, epochs=1)
    sn = h.steps[2]
    derivs = lines(views.stage_html(sn, 2), "bp-deriv")
    assert list(derivs) == h.names
    for name in h.names:
        assert derivs[name][0]["value"] == fmt(h.steps[2].grad(name))
        assert chain.product(sn.factors(name)) == pytest.approx(h.steps[2].grad(name), rel=1e-9)
    svg = svgs.step_diagram(sn, 0)
    for l, n in enumerate(sizes):
        for k in range(n):
            assert f"data-node='{notation.node_name(l, k)}'" in svg


# ---- the diagram, the curve, the explorer and the status ----

def test_diagram_nodes_show_values_and_edges_follow_the_weights(hist):
    sn = hist.steps[0]
    svg = svgs.step_diagram(sn, 0)
    nodes = dict(re.findall(r"data-node='([^']+)' data-value='([^']+)'", svg))
    assert nodes == {"x_i1": "8", "x_i2": "8", "O11": "16", "O12": "16", "O21": "32", "L": "784"}
    assert svg.startswith("<svg class='bp-diagram'") and "matplotlib" not in svg
    params = {n: 0.5 for n in hp.PARAM_NAMES} | {"w11^1": -2.0}
    svg = svgs.diagram_svg([2, 2, 1], params)
    edge = lambda n: re.search(rf"data-param='{re.escape(n)}' data-value='[^']+' opacity='[^']+'>.*?"  # noqa: E731
                               r"style='stroke:([^']+)' stroke-width='([^']+)'", svg).groups()
    assert edge("w11^1") == (palette.NEG, "6.00")      # widest: |w| is the largest
    assert edge("w12^1") == (palette.POS, "2.25")      # 1 + 5 · 0.5 / 2
    assert "w<tspan baseline-shift='sub' font-size='75%'>11</tspan>" in svg


def test_each_stage_highlights_the_part_of_the_network_it_touches(hist):
    sn = hist.steps[0]
    lit = lambda svg: set(re.findall(r"class='bp-(?:node|edge) bp-on' data-(?:node|param)='([^']+)'", svg))  # noqa
    assert lit(svgs.step_diagram(sn, 1)) == {"O21", "L"}
    assert lit(svgs.step_diagram(sn, 2, "w21^1")) == {"w21^1", "x_i2", "O11", "w11^2", "O21", "L"}
    assert lit(svgs.step_diagram(sn, 2, "w21^2")) == {"w21^2", "O12", "O21", "L"}
    assert {"w11^1", "O11", "x_i1"} <= lit(svgs.step_diagram(sn, 0))
    assert "∂L/∂w<tspan baseline-shift='sub' font-size='75%'>11</tspan>" in svgs.step_diagram(sn, 2)
    assert "1 → 0.552" in svgs.step_diagram(sn, 3)


def test_loss_curve_is_built_once_and_marks_the_current_step(hist):
    curve = svgs.LossCurve(hist.step_loss, hist.steps_per_epoch)
    a, b = curve.svg(0), curve.svg(7)
    assert "data-step='0' data-loss='784'" in a
    assert f"data-step='7' data-loss='{fmt(hist.step_loss[7])}'" in b
    assert curve._line in a and curve._line in b                # the same polyline; only clip and marker move
    assert a.count("<polyline") == 1 and "class='bp-marker'" in b
    assert len(curve._line.split("points='")[1].split("'")[0].split()) == hist.n_steps


def test_explorer_shows_chain_product_and_finite_difference(hist):
    sn = hist.steps[0]
    out = views.explorer_html(sn, "w11^1", 448.00000001)
    assert "data-param='w11^1' data-product='448' data-grad='448' data-numeric='448'" in out
    assert "56 · 1 · 8 = 448" in text(out)
    assert "∂O11/∂w11^1 = xi1 = 8" in text(out.replace("bp-factors", "bp-f"))


def test_status_says_how_training_ended():
    ds = hp.load_students()
    ok = hp.train(hp.init_params([2, 2, 1]), ds.X, ds.y, lr=0.001, epochs=5)
    assert "bp-bad" not in views.status_html(ok) and "20 steps" in views.status_html(ok)
    bad = hp.train(hp.init_params([2, 2, 1]), ds.X, ds.y, lr=0.01, epochs=5)
    out = views.status_html(bad)
    assert "bp-bad" in out and html.escape(bad.message) in out
    assert f"epoch 2, student {int(bad.order[bad.diverged_at]) + 1}" in out


def test_views_never_import_widgets_or_matplotlib():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(views))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(m.startswith(("ipywidgets", "matplotlib")) for m in imported)
