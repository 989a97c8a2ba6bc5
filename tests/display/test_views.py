"""The stepper's pure pieces (the trace's numbers, the diagram, the highlights, the loss curve, the status), checked
by hand for the worked example and against History; the equations drawn from them are checked in the browser."""

import html
import re

import numpy as np
import pytest

import helpers as hp
from helpers import text as fmt_mod
from helpers.display import charts, palette, trace
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


# ---- step 1 of the worked example, by hand: the numbers the stepper's trace sends ----

HAND_DERIVATIVES = {   # ∂L/∂ŷ = −2(4 − 32) = 56, O11 = O12 = 16, x = (8, 8), weights 1: (factors, product)
    "w11^1": (["56", "1", "8"], "448"), "w12^1": (["56", "1", "8"], "448"), "w21^1": (["56", "1", "8"], "448"),
    "w22^1": (["56", "1", "8"], "448"), "b11": (["56", "1", "1"], "56"), "b12": (["56", "1", "1"], "56"),
    "w11^2": (["56", "16"], "896"), "w21^2": (["56", "16"], "896"), "b21": (["56", "1"], "56"),
}


def test_the_first_step_by_hand(hist):
    t = trace.build(hist, [], {"columns": ("x_i1", "x_i2", "y"), "line": "", "max_rows": 20}, "")
    s = t["steps"][0]
    assert s["nodes"] == {"x_i1": "8", "x_i2": "8", "O11": "16", "O12": "16", "O21": "32"} and s["L"] == "784"
    assert {n: (s["factors"][n], s["product"][n]) for n in hp.PARAM_NAMES} == HAND_DERIVATIVES
    assert s["grad"] == ["448", "448", "448", "448", "56", "56", "896", "896", "56"]
    assert dict(zip(t["names"], s["after"]))["w11^1"] == "0.552" and s["after"][-1] == "-0.056"
    assert [text(f["sym"]) for f in t["chains"]["w21^1"]] == ["∂L/∂ŷ", "∂ŷ/∂O11", "∂O11/∂w21^1"]
    assert [text(f["rule"]) for f in t["chains"]["b11"]] == ["−2(y − ŷ)", "w11^2", "1"]
    assert t["forward"][0] == {"node": "O11", "z": None, "terms": [["w11^1", "x_i1"], ["w21^1", "x_i2"]],
                               "bias": "b11", "output": False}


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
        syms = [text(trace.factor_symbol(f)) for f in sn.factors("w11^1")]
        assert syms == ["∂L/∂z21", "∂z21/∂O11", "∂O11/∂z11", "∂z11/∂w11^1"]


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
    rec = trace.step_record(sn)
    for name in h.names:
        assert rec["grad"][h.names.index(name)] == fmt(h.steps[2].grad(name))
        assert chain.product(sn.factors(name)) == pytest.approx(h.steps[2].grad(name), rel=1e-9)
    svg = svgs.step_diagram(sn)
    for l, n in enumerate(sizes):
        for k in range(n):
            assert f"data-node='{notation.node_name(l, k)}'" in svg


# ---- the diagram, the curve, the explorer and the status ----

def test_diagram_nodes_show_values_and_edges_follow_the_weights(hist):
    sn = hist.steps[0]
    svg = svgs.step_diagram(sn)
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
    assert svgs.stage_highlight(sn, 1) == {"O21", "L"}
    assert svgs.stage_highlight(sn, 2, "w21^1") == {"w21^1", "x_i2", "O11", "w11^2", "O21", "L"}
    assert svgs.stage_highlight(sn, 2, "w21^2") == {"w21^2", "O12", "O21", "L"}
    assert {"w11^1", "O11", "x_i1"} <= lit(svgs.step_diagram(sn))


def test_the_stepper_loss_curve_is_the_course_chart_with_one_log_axis(hist):
    c = trace.build(hist, [], {"columns": ("x_i1", "x_i2", "y"), "line": "", "max_rows": 20}, "")["curve"]
    assert c["svg"].count("<polyline") == 1 and "class='bp-curve'" in c["svg"]
    assert [fmt(10.0 ** e) for e in range(-2, 4)] == re.findall(r"text-anchor='end'[^>]*>([^<]+)</text>", c["svg"])
    chart = charts.Chart((1, 20), (0.01, 1000), width=440, height=170, log_y=True, integer_x=True)
    assert c["points"][0] == [round(v, 1) for v in chart.px(1, 784)] and len(c["points"]) == hist.n_steps


def test_status_says_how_training_ended():
    ds = hp.load_students()
    ok = hp.train(hp.init_params([2, 2, 1]), ds.X, ds.y, lr=0.001, epochs=5)
    assert trace.status_text(ok, 5, 5) == ("Trained for 20 steps (5 epochs of 4 students), learning rate η = 0.001; "
                                           f"epoch loss {fmt(ok.epoch_loss[0])} → {fmt(ok.epoch_loss[-1])}.", "")
    bad = hp.train(hp.init_params([2, 2, 1]), ds.X, ds.y, lr=0.01, epochs=5)
    status, warn = trace.status_text(bad, 5, 5)
    assert status.startswith(f"⚠ {bad.message}") and f"step {bad.diverged_at}" in status and warn == ""


def test_the_trace_never_imports_widgets_or_matplotlib():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(trace))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(m.startswith(("ipywidgets", "matplotlib")) for m in imported)
