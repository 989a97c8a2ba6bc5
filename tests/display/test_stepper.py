"""The stepper without a browser: the trace it sends holds History's numbers in the formatter's spelling, the
chain factors of `maths.chain`, and a set-up line that rebuilds it; bad settings and rows get clear messages."""

import json
import re
import time
import warnings
import xml.etree.ElementTree as ET

import anywidget
import numpy as np
import pytest

import helpers as hp
from helpers.display import stepper as stepper_module
from helpers.display import trace
from helpers.maths import chain, notation
from helpers.text import fmt, markup


@pytest.fixture
def st():
    return hp.stepper()


def expected_step(sn) -> dict:
    """What the trace must hold for one step, computed here from the Step and the chain factors."""
    names = sn.names
    nodes = {notation.node_name(l, k): fmt(v) for l, layer in enumerate(sn.O) for k, v in enumerate(layer)}
    if sn.activation != "linear":              # z[0] is None: the inputs have no weighted sum
        nodes |= {notation.z_name(l, k): fmt(v) for l, layer in enumerate(sn.z) if l for k, v in enumerate(layer)}
    grads = notation.as_named(hp.backward(sn.params_before, hp.forward(sn.params_before, sn.x, sn.activation),
                                          sn.y, sn.activation, sn.loss_name))
    assert {n: fmt(grads[n]) for n in names} == {n: fmt(sn.grad(n)) for n in names}   # a second computation
    return {"L": fmt(sn.loss), "nodes": nodes, "before": [fmt(sn.before(n)) for n in names],
            "grad": [fmt(grads[n]) for n in names], "after": [fmt(sn.before(n) - sn.lr * grads[n]) for n in names],
            "epoch": sn.epoch - 1, "row": sn.row}   # the trace counts from 0


def check_trace(t: dict, hist) -> None:
    assert t["n_steps"] == hist.n_steps and t["names"] == hist.names
    assert t["step_rows"] == [hist.steps[k].row for k in range(hist.n_steps)]
    k0, k1 = t["window"]
    assert len(t["steps"]) == k1 - k0 == min(hist.n_steps, trace.WINDOW)
    for k in range(k0, k1):
        sn, rec = hist.steps[k], t["steps"][k - k0]
        exp = expected_step(sn)
        assert {key: rec[key] for key in exp} == exp, k
        for n in hist.names:
            fs = chain.factors(n, sn.layer_sizes, sn.activation, sn.loss_name, sn.y, sn.z, sn.O, sn.before, sn.grad)
            assert rec["factors"][n] == [fmt(f.value) for f in fs]
            assert rec["product"][n] == fmt(chain.product(fs))
            assert chain.product(fs) == pytest.approx(sn.grad(n), rel=1e-12, abs=1e-300)


def test_default_is_the_worked_example(st):
    h = st.history
    assert isinstance(st, anywidget.AnyWidget)
    assert (h.lr, h.epochs, h.activation, h.loss, h.n_steps) == (0.001, 5, "linear", "mse", 20)
    assert np.array_equal(h.X, hp.load_students().X)
    assert h.params_flat[0].tolist() == [1, 1, 1, 1, 0, 0, 1, 1, 0]
    assert st.position == 0 and st.trace["n_steps"] == 20
    assert repr(st) == "Stepper(4 rows, layers 2-2-1, linear/mse, lr=0.001, 20 steps)"
    assert str(stepper_module.Stepper._esm).endswith("export default { render };\n")   # the module, from the file


def test_the_trace_holds_every_step_of_history_in_the_formatters_spelling(st):
    check_trace(st.trace, st.history)
    first = st.trace["steps"][0]
    assert first["nodes"] == {"x_i1": "8", "x_i2": "8", "O11": "16", "O12": "16", "O21": "32"} and first["L"] == "784"
    assert first["factors"]["w11^1"] == ["56", "1", "8"] and first["product"]["w11^1"] == "448"
    assert first["factors"]["w11^2"] == ["56", "16"] and first["after"][0] == "0.552"
    syms = [f["sym"] for f in st.trace["chains"]["w11^1"]]
    assert syms == ["∂L/∂ŷ", "∂ŷ/∂O<sub>11</sub>", "∂O<sub>11</sub>/∂w<sub>11</sub><sup>1</sup>"]
    assert [f["rule"] for f in st.trace["chains"]["w11^1"]] == ["−2(y − ŷ)", "w<sub>11</sub><sup>2</sup>",
                                                                  "x<sub>i1</sub>"]
    assert st.trace["html"]["w11^1"] == markup("w11^1") and st.trace["svg"]["O11"] == markup("O11", "svg")
    assert st.trace["lit"]["paths"]["w11^1"] == sorted({"L", "O11", "O21", "w11^1", "w11^2", "x_i1"})
    assert json.loads(json.dumps(st.trace)) == st.trace                   # plain JSON, as sent


def test_the_placements_with_sigmoid_and_bce():
    st = hp.stepper("placements", activation="sigmoid", loss="bce", lr=0.5)
    check_trace(st.trace, st.history)
    assert [f["rule"] for f in st.trace["chains"]["w11^1"]][0] == "ŷ − y"
    assert "z11" in st.trace["steps"][3]["nodes"]
    sn = st.history.steps[3]
    assert st.trace["steps"][3]["one_minus"] == [fmt(1 - sn.y), fmt(1 - sn.y_hat)]


def test_an_edited_dataset_as_rows():
    rows = [[8, 8, 4], [7, 9, 5], [6, 10, 6], [5, 12, 7], [3, 4, 2]]
    st = hp.stepper(data=rows, lr=0.002, epochs=3, step=3, stage="loss")   # position 9 inside
    ds = hp.Dataset(np.array(rows, float)[:, :2], np.array(rows, float)[:, 2], ("x_i1", "x_i2"), "y")
    hist = hp.train(hp.init_params([2, 2, 1]), ds.X, ds.y, lr=0.002, epochs=3)
    assert np.array_equal(st.history.params_flat, hist.params_flat)
    check_trace(st.trace, st.history)
    assert st.position == 9 and st.trace["rows"][4] == ["3", "4", "2"]


@pytest.mark.parametrize("kwargs", [{}, {"data": "placements", "activation": "sigmoid", "loss": "bce", "lr": 0.5},
                                    {"weight": None, "seed": 3, "hidden": 3, "epochs": 2, "shuffle": True},
                                    {"data": [[1.5, 0.1, 0.30000000000000004], [2, 3, 1]], "bias": 0.25}])
def test_copy_this_setup_rebuilds_an_identical_trace(kwargs):
    st = hp.stepper(**kwargs)
    st.go(3, "update")
    line = st.setup_line()
    assert line.startswith("hp.stepper(data=[[") and line.endswith('step=3, stage="update")')   # counted as shown
    again = eval(line, {"hp": hp})                                  # the one line a teacher pastes
    assert again.trace == st.trace and again.position == st.position == 11


def test_the_setup_line_follows_the_learners_changes(st):
    st.request = {"id": 1, "lr": "0.002", "weight": "0.5", "epochs": "3", "rows": [["8", "8", "4"], ["1", "2", "3"]],
                  "position": 6}
    assert "error" not in st.trace
    assert st.setup_line() == ('hp.stepper(data=[[8, 8, 4], [1, 2, 3]], lr=0.002, weight=0.5, epochs=3, step=2, '
                               'stage="derivatives")')
    assert eval(st.setup_line(), {"hp": hp}).trace == st.trace


def test_a_request_from_the_browser_trains_again_once(st, monkeypatch):
    calls = []
    real = stepper_module.train
    monkeypatch.setattr(stepper_module, "train", lambda *a, **k: calls.append(k) or real(*a, **k))
    st.position = 9
    st.request = {"id": 1, "lr": "0.002", "weight": "1", "epochs": "5", "rows": st.trace["rows"], "position": 9}
    assert len(calls) == 1 and st.history.lr == 0.002 and st.position == 9
    expected = hp.train(hp.init_params([2, 2, 1]), st.data.X, st.data.y, lr=0.002, epochs=5)
    assert np.array_equal(st.history.params_flat, expected.params_flat)
    check_trace(st.trace, expected)
    t0 = time.perf_counter()
    st.request = {"id": 2, "lr": "0.003", "weight": "1", "epochs": "5", "rows": st.trace["rows"], "position": 9}
    assert time.perf_counter() - t0 < 5          # bounded (the benchmark measures it: about 10 ms)


@pytest.mark.parametrize("field, value, message", [
    ("lr", "abc", "lr: expected a number, got 'abc'"), ("lr", "-1", "lr: expected a positive number"),
    ("weight", "nan", "weight: expected a finite number, got nan"), ("epochs", "2.5", "epochs: expected a whole"),
])
def test_a_bad_setting_is_reported_beside_its_field_and_the_run_kept(st, field, value, message, capsys):
    before = st.trace
    req = {"id": 7, "lr": "0.001", "weight": "1", "epochs": "5", "rows": before["rows"], field: value}
    st.request = req
    err = st.trace["error"]
    assert err["field"] == field and err["message"].startswith(message) and err["id"] == 7
    assert {k: v for k, v in st.trace.items() if k != "error"} == before
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("rows, cell, message", [
    ([["8", "eight", "4"]], [0, 1], "data: row 1, column x_i2: expected a number, got 'eight'"),
    ([["8", "8", "4"], ["nan", "1", "2"]], [1, 0], "data: row 2, column x_i1: expected a finite number, got nan"),
    ([], None, "data: the table is empty"),
    ([["1", "2", "3"]] * 21, None, "data: the stepper walks through one student at a time and shows at most 20 rows"),
])
def test_bad_rows_in_the_widget_get_a_message_beside_the_cell(st, rows, cell, message):
    before = st.trace
    st.request = {"id": 3, "lr": "0.001", "weight": "1", "epochs": "5", "rows": rows}
    err = st.trace["error"]
    assert err["field"] == "data" and err["cell"] == cell and err["message"].startswith(message), err
    assert st.trace["rows"] == before["rows"] and st.history.n_steps == 20


@pytest.mark.parametrize("data, error, message", [
    ([[8, "x", 4]], ValueError, "data: row 1, column x_i2: expected a number, got 'x'"),
    ([[8, float("nan"), 4]], ValueError, "data: row 1, column x_i2: expected a finite number, got nan"),
    ([], ValueError, "data: the table is empty"),
    ([[8, 8]], ValueError, r"data: row 1: expected 3 numbers \(x_i1, x_i2, y\)"),
    ("nope", ValueError, "data: expected 'students', 'placements', a Dataset or a list of rows"),
    (np.ones((10**6, 3)), ValueError, "data: the stepper walks through one student at a time and shows at most 20"),
    ([[8, None, 4]], TypeError, "data: row 1, column x_i2: expected a number, got NoneType"),
])
def test_bad_rows_in_the_call_get_a_clear_message(data, error, message):
    t0 = time.perf_counter()
    with pytest.raises(error, match=message):
        hp.stepper(data=data)
    assert time.perf_counter() - t0 < 5          # 10⁶ rows are refused before anything is built


def test_a_million_row_dataset_is_refused_before_a_drop_down_is_built():
    big = hp.Dataset(np.ones((10**6, 2)), np.ones(10**6), ("x_i1", "x_i2"), "y")
    with pytest.raises(ValueError, match="at most 20 rows, got 1000000; train on more with hp.train"):
        hp.stepper(big)


def test_a_long_run_is_capped_with_a_clear_message_and_a_bounded_trace():
    t0 = time.perf_counter()
    st = hp.stepper(epochs=250000)
    assert time.perf_counter() - t0 < 30
    assert st.history.epochs == trace.MAX_STEPS // 4 and st.trace["n_steps"] == trace.MAX_STEPS
    assert st.trace["warning"].startswith("epochs: the stepper shows at most 1000 steps, so it trains 250 epochs")
    assert len(json.dumps(st.trace)) < 500_000 and st.trace["window"] == [0, trace.WINDOW]
    assert "epochs=250000" in st.setup_line()                       # what the learner asked for
    check_trace(st.trace, st.history)
    st.position = 4 * 500 + 2                                       # a move beyond the window: the steps near it
    assert st.trace["window"] == [460, 540] and st.position == 2002
    check_trace(st.trace, st.history)
    st.position = 4 * 510                                           # within: nothing sent
    assert st.trace["window"] == [460, 540]
    st.go(1000, 4)
    assert st.trace["window"] == [920, 1000] and st.position == 3999


def test_buttons_clamp_and_go_refuses_a_step_the_run_does_not_have(st):
    st.go(4, 3)                                                      # button 3, as the stepper shows it
    assert (st.position, st.step, st.stage) == (14, 4, "derivatives")  # step 4 as the stepper shows it
    for label in ("Derivatives", "3 Derivatives", " 3  derivatives ", "3", "derivatives stage"):   # as on screen
        st.go(1)
        st.go(4, label)
        assert st.position == 14
    st.step_by(-100)                                                 # a relative move, as the buttons make
    assert st.position == 0
    st.go(20, "update")
    assert st.position == 79
    for bad in (0, 21, -1):
        with pytest.raises(ValueError, match=r"step: expected a step from 1 to 20 \(this run has 20\)"):
            st.go(bad)
    assert st.position == 79                                         # a refused move leaves it where it was
    with pytest.raises(ValueError, match="stage"):
        st.go(2, "5 Update")
    with pytest.raises(ValueError, match="step: expected a whole number of at least 1"):
        hp.stepper(step=0)
    with pytest.raises(TypeError, match="position"):                   # the stepper's index from 0 stays inside
        hp.stepper(position=5)
    with pytest.raises(ValueError, match="step: expected a step from 1 to 20"):
        hp.stepper(step=21)


def test_step_and_stage_count_as_the_stepper_shows_them():
    """step=2, stage="loss" is what the stepper calls "step 2", its loss stage: position 5 inside."""
    assert hp.stepper(step=2, stage="loss").position == 5 == hp.stepper(step=2, stage=2).position
    assert hp.stepper().position == 0 and hp.stepper(step=20, stage="update").position == 79
    assert hp.stepper(step=2, stage="Loss").position == 5 == hp.stepper(step=2, stage=2).position   # as shown
    for bad, word in (({"step": 0}, "at least 1"), ({"step": 1.5}, "whole number"), ({"step": True}, "step"),
                      ({"stage": "backward"}, "'forward', 'loss', 'derivatives', 'update'"), ({"stage": 0}, "1 to 4"),
                      ({"stage": 5}, "stage")):
        with pytest.raises(ValueError, match=re.escape(word)):
            hp.stepper(**bad)


def test_a_diverging_run_says_so_and_stops_before_it():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        st = hp.stepper(lr=0.01)
        h = st.history
        assert h.diverged and st.trace["diverged"] and h.message in st.trace["status"]
        assert st.trace["n_steps"] == h.n_steps and h.message == st.trace["message"]
        first = hp.stepper(weight=1e200)
        assert first.trace["n_steps"] == 0 and "No step could be shown" in first.trace["status"]
        assert "diagram" not in first.trace and "bp-fallback" in first.fallback_html()


def test_other_sizes_use_the_delta_chain():
    st = hp.stepper(hp.load_students(), epochs=2, weight=None, seed=1, hidden=3, shuffle=True, lr=0.003)
    assert st.history.layer_sizes == [2, 3, 1] and st.trace["n_steps"] == 8 and len(st.trace["names"]) == 13
    check_trace(st.trace, st.history)
    with pytest.raises(ValueError, match="hidden"):
        hp.stepper(hidden=0)
    with pytest.raises(ValueError, match="lr"):
        hp.stepper(lr=-1)


def test_the_static_fallback_is_the_first_stage_as_svg_with_its_numbers(st):
    st.go(6, 3)
    data = st._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert data[stepper_module.MIME] == st.trace
    assert "application/vnd.jupyter.widget-view+json" in data and data["text/plain"] == repr(st)
    page = data["text/html"]
    svg = re.search(r"<svg class='bp-diagram'.*?</svg>", page, re.S).group(0)
    root = ET.fromstring(svg)                                            # an SVG that parses
    values = {g.get("data-node"): g.get("data-value") for g in root.iter("{http://www.w3.org/2000/svg}g")
              if g.get("data-node")}
    sn = st.history.steps[0]
    assert values == {"x_i1": "8", "x_i2": "8", "O11": fmt(sn.O[1][0]), "O12": "16", "O21": fmt(sn.y_hat),
                      "L": fmt(sn.loss)}
    assert "L = 784 (y = 4)" in page and "step 1 of 20" in page


def test_network_diagram():
    d = hp.network_diagram(x=[8, 8])
    nodes = dict(re.findall(r"data-node='([^']+)' data-value='([^']+)'", d.value))
    assert nodes == {"x_i1": "8", "x_i2": "8", "O11": "16", "O12": "16", "O21": "32"}
    bare = hp.network_diagram(highlight="w11^1").value
    assert "data-value" not in bare.split("data-node")[1].split(">")[0]
    assert "class='bp-edge bp-on' data-param='w11^1'" in bare
    with pytest.raises(ValueError, match="x"):
        hp.network_diagram(x=[[8, 8], [7, 9]])


def test_network_diagram_also_shows_its_svg_where_widgets_do_not_render():
    d = hp.network_diagram(x=[8, 8])
    bundle = d._repr_mimebundle_()
    assert bundle["text/html"] == d.value and bundle["text/plain"] == "network diagram"
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_computational_graph_names_itself_in_its_text_form():
    g = hp.computational_graph()
    assert g._repr_mimebundle_()["text/plain"] == "computational graph"
    assert repr(g) == "DiagramHTML(computational graph)"
    assert g._repr_mimebundle_()["text/html"] == g.value
