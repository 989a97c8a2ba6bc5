"""The stepper widget, driven without a browser: set its controls, read the HTML it shows."""

import re
import warnings

import ipywidgets as widgets
import numpy as np
import pytest

import helpers as hp
from helpers.maths import chain
from helpers.text import fmt


def attrs(markup: str, cls: str) -> dict:
    """{data-name or data-param: {data attributes}} of the elements with this class."""
    out = {}
    for m in re.finditer(rf"class='{cls}'([^>]*)>", markup):
        a = dict(re.findall(r"data-([\w-]+)='([^']*)'", m.group(1)))
        out[a.get("name") or a.get("param")] = a
    return out


@pytest.fixture
def st():
    return hp.stepper()


def test_default_is_the_worked_example(st):
    h = st.history
    assert isinstance(st, widgets.VBox)
    assert (h.lr, h.epochs, h.activation, h.loss, h.n_steps) == (0.001, 5, "linear", "mse", 20)
    assert np.array_equal(h.X, hp.load_students().X)
    assert h.params_flat[0].tolist() == [1, 1, 1, 1, 0, 0, 1, 1, 0]
    assert h.step_loss[0] == 784 and h.step_loss[1] < 784 / 50       # the first update: 784 -> about 10
    assert st.slider.value == 0 and st.slider.max == 4 * 20 - 1
    assert st.position.value.startswith("epoch 1, student 1, forward")
    assert "O11 = " in re.sub("<[^>]+>", "", st.equations.value)
    assert repr(st) == "Stepper(4 rows, layers 2-2-1, linear/mse, lr=0.001, 20 steps)"


def test_controls_are_the_promised_widgets(st):
    assert isinstance(st.play, widgets.Play) and st.play.max == st.slider.max
    for w in (st.lr, st.weight, st.epochs):
        assert w.continuous_update is False
    assert [v for _, v in st.epoch_jump.options] == list(range(5))
    assert [v for _, v in st.student_jump.options] == [0, 1, 2, 3]
    assert list(st.explorer.options) == hp.PARAM_NAMES
    for view in (st.equations, st.diagram, st.table, st.curve, st.explorer_view, st.status):
        assert isinstance(view, widgets.HTML)
    assert st.equations.layout.height and st.equations.layout.overflow == "auto"


@pytest.mark.parametrize("k", [0, 6, 13])
def test_each_stage_shows_exactly_the_numbers_of_step_k(st, k):
    rec = st.history.steps[k]
    st.slider.value = 4 * k + 0                                      # forward
    assert f"data-stage='forward' data-step='{k}'" in st.equations.value
    eqs = attrs(st.equations.value, "bp-eq")
    assert [eqs[n]["value"] for n in ("O11", "O12", "O21")] == [fmt(v) for v in (*rec.a[1], rec.y_hat)]
    nodes = dict(re.findall(r"data-node='([^']+)' data-value='([^']+)'", st.diagram.value))
    assert nodes["O11"] == fmt(rec.a[1][0]) and nodes["O21"] == fmt(rec.y_hat)
    st.slider.value = 4 * k + 1                                      # loss
    assert attrs(st.equations.value, "bp-eq")["L"]["value"] == fmt(rec.loss)
    assert f"data-step='{k}' data-loss='{fmt(rec.loss)}'" in st.curve.value
    st.slider.value = 4 * k + 2                                      # derivatives: all 9
    derivs = attrs(st.equations.value, "bp-deriv")
    assert {n: a["value"] for n, a in derivs.items()} == {n: fmt(rec.grad(n)) for n in hp.PARAM_NAMES}
    st.slider.value = 4 * k + 3                                      # update
    ups = attrs(st.equations.value, "bp-update")
    assert {n: (a["old"], a["new"]) for n, a in ups.items()} == \
        {n: (fmt(rec.before(n)), fmt(rec.after(n))) for n in hp.PARAM_NAMES}
    rows = re.findall(r"<tr data-param='([^']+)' data-before='([^']+)' data-grad='([^']+)' data-after='([^']+)'",
                      st.table.value)
    assert rows == [(n, fmt(rec.before(n)), fmt(rec.grad(n)), fmt(rec.after(n))) for n in hp.PARAM_NAMES]
    assert st.position.value.startswith(f"epoch {rec.epoch + 1}, student {rec.row + 1}, update")


def test_first_step_by_hand(st):
    st.go(0, 2)
    text = re.sub("<[^>]+>", "", st.equations.value.replace("<sup>", "^"))
    assert "∂L/∂w11^1 = ∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w11^1 = 56 · 1 · 8 = 448" in text
    assert "∂L/∂w11^2 = ∂L/∂ŷ · ∂ŷ/∂w11^2 = 56 · 16 = 896" in text
    st.go(0, 3)
    assert attrs(st.equations.value, "bp-update")["w11^1"]["new"] == "0.552"


def test_prev_at_the_first_and_next_at_the_last_stage_do_nothing_harmful(st, capsys):
    st.prev.click()
    assert st.slider.value == 0
    st.next.click()
    assert st.slider.value == 1 and st.stage.value == 1
    st.slider.value = st.slider.max
    before = st.equations.value
    st.next.click()
    st.next.click()
    assert st.slider.value == st.slider.max and st.equations.value == before
    assert "data-stage='update' data-step='19'" in before
    st.prev.click()
    assert st.slider.value == st.slider.max - 1
    assert capsys.readouterr() == ("", "")                          # nothing printed


def test_jumps_move_the_slider_and_the_slider_moves_the_jumps(st):
    st.epoch_jump.value = 2
    st.student_jump.value = 3
    st.stage.value = 2
    assert st.slider.value == 4 * st.history.step_index(2, 3) + 2
    assert "data-stage='derivatives' data-step='11' data-epoch='2' data-row='3'" in st.equations.value
    st.slider.value = 4 * 5 + 1
    assert (st.epoch_jump.value, st.student_jump.value, st.stage.value) == (1, 1, 1)


def test_changing_the_learning_rate_recomputes_once(st, monkeypatch):
    calls = []
    real = hp.stepper.__globals__["train"]
    monkeypatch.setitem(hp.stepper.__globals__, "train", lambda *a, **k: calls.append(k) or real(*a, **k))
    st.slider.value = 9
    old = st.history
    st.lr.value = 0.002
    assert len(calls) == 1 and st.history is not old and st.history.lr == 0.002
    rec = st.history.steps[2]
    assert st.slider.value == 9                                      # the same place in the new run
    assert attrs(st.equations.value, "bp-eq")["L"]["value"] == fmt(rec.loss)
    assert st.lr_readout.value == "0.002"
    expected = hp.train(hp.init_params([2, 2, 1]), st.data.X, st.data.y, lr=0.002, epochs=5)
    assert np.array_equal(st.history.params_flat, expected.params_flat)


def test_changing_weights_and_epochs_recomputes(st):
    st.weight.value = 0.1
    assert st.history.params_flat[0].tolist() == [0.1] * 4 + [0, 0] + [0.1] * 2 + [0]
    st.epochs.value = 250
    h = st.history
    assert h.n_steps == 1000 and st.slider.max == 3999 and len(st.epoch_jump.options) == 250
    assert [round(v, 4) for v in h.epoch_loss[:5]] == [26.3456, 19.8594, 10.8816, 3.7770, 1.2238]


def test_a_diverging_learning_rate_shows_the_message_and_the_controls_still_work(st, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")                               # no overflow warnings
        st.lr.value = 0.01
        h = st.history
        assert h.diverged and h.message in st.status.value.replace("&#x27;", "'")
        assert "bp-bad" in st.status.value
        assert st.slider.max == 4 * h.n_steps - 1
        st.slider.value = st.slider.max
        assert "The next step diverges" in st.equations.value
        st.next.click()
        assert st.slider.value == st.slider.max
        st.epoch_jump.value = 1
        st.student_jump.value = 3                                    # not reached: the last recorded step
        assert st.step == h.n_steps - 1
        st.prev.click()
        st.lr.value = 0.001
    assert not st.history.diverged and "bp-bad" not in st.status.value and st.slider.max == 79
    assert capsys.readouterr() == ("", "")


def test_divergence_at_the_very_first_step_shows_only_the_message():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        st = hp.stepper(weight=1e200)
        assert st.history.n_steps == 0 and st.slider.max == 0
        assert "bp-bad" in st.status.value and "no step" in st.position.value
        st.next.click()
        st.prev.click()
        st.explorer.value = "b21"


def test_explorer_product_equals_the_gradient_and_finite_differences_agree(st):
    for k in (0, 7):
        st.go(k, 2)
        rec = st.history.steps[k]
        for name in hp.PARAM_NAMES:
            st.explorer.value = name
            a = attrs(st.explorer_view.value, "bp-explorer")[name]
            sn = st.history.steps[k]
            assert chain.product(sn.factors(name)) == pytest.approx(rec.grad(name), rel=1e-12)
            assert a["product"] == a["grad"] == fmt(rec.grad(name))
            assert st.finite_difference() == pytest.approx(rec.grad(name), rel=1e-6, abs=1e-6)
            assert a["numeric"] == fmt(st.finite_difference())
            kind = "edge" if name.startswith("w") else "bias"
            assert f"class='bp-{kind} bp-on' data-param='{name}'" in st.diagram.value


def test_placements_with_sigmoid_and_bce():
    st = hp.stepper("placements", activation="sigmoid", loss="bce", lr=0.5)
    st.go(5, 2)
    rec = st.history.steps[5]
    derivs = attrs(st.equations.value, "bp-deriv")
    assert {n: a["value"] for n, a in derivs.items()} == {n: fmt(rec.grad(n)) for n in hp.PARAM_NAMES}
    assert "ŷ − y" in st.equations.value
    st.explorer.value = "w22^1"
    a = attrs(st.explorer_view.value, "bp-explorer")["w22^1"]
    assert float(a["numeric"]) == pytest.approx(rec.grad("w22^1"), rel=1e-4, abs=1e-9)


def test_other_arguments():
    st = hp.stepper(hp.load_students(), epochs=2, weight=None, seed=1, hidden=3, shuffle=True, lr=0.003)
    assert st.history.layer_sizes == [2, 3, 1] and st.history.n_steps == 8 and st.slider.max == 31
    st.go(7, 2)
    assert len(attrs(st.equations.value, "bp-deriv")) == 13
    with pytest.raises(ValueError, match="data"):
        hp.stepper("nope")
    with pytest.raises(ValueError, match="lr"):
        hp.stepper(lr=-1)
    with pytest.raises(ValueError, match="hidden"):
        hp.stepper(hidden=0)


def test_network_diagram():
    d = hp.network_diagram(x=[8, 8])
    assert isinstance(d, widgets.HTML)
    nodes = dict(re.findall(r"data-node='([^']+)' data-value='([^']+)'", d.value))
    assert nodes == {"x_i1": "8", "x_i2": "8", "O11": "16", "O12": "16", "O21": "32"}
    bare = hp.network_diagram(highlight="w11^1").value
    assert "data-value" not in bare.split("data-node")[1].split(">")[0]
    assert "class='bp-edge bp-on' data-param='w11^1'" in bare
    with pytest.raises(ValueError, match="x"):
        hp.network_diagram(x=[[8, 8], [7, 9]])


def test_controls_hold_the_values_they_were_given():
    st = hp.stepper(weight=25.0, epochs=600, lr=1e-6)
    assert (st.weight.value, st.epochs.value, st.lr.value) == (25.0, 600, 1e-6)
    st.lr.value = 2e-6                                             # retrains with the same weights and epochs
    assert st.history.params_flat[0][0] == 25.0 and st.history.epochs == 600


def test_a_bad_value_in_a_box_is_reported_in_the_widget_not_raised(capsys):
    st = hp.stepper()
    st.weight.value = float("inf")
    assert "bp-bad" in st.status.value and "weight" in st.status.value
    assert st.history.n_steps == 20 and capsys.readouterr() == ("", "")


def test_network_diagram_also_shows_its_svg_where_widgets_do_not_render():
    d = hp.network_diagram(x=[8, 8])
    bundle = d._repr_mimebundle_()
    assert bundle["text/html"] == d.value and bundle["text/plain"] == "network diagram"
    assert "application/vnd.jupyter.widget-view+json" in bundle
