"""Issue 21, defects 11-16 on the display side, each with the issue's exact input: a clear ValueError or
TypeError naming the argument, or the right result, and no warning; accessible names are plain text and
a caller's title is escaped."""

import re

import matplotlib
import numpy as np
import pytest

import helpers as hp
from helpers.display import widgets as W

matplotlib.use("Agg")

DS = hp.load_students()
X, Y = DS.X, DS.y
P = hp.init_params([2, 2, 1], weight=0.1)
SAT = hp.init_params([2, 2, 1], weight=50.0)
H = hp.train(P, X, Y, epochs=3)
XOR = hp.load_xor()
PX = hp.init_params([2, 3, 1], weight=None, seed=0)

REFUSED = [
    ("computational_graph saturated", lambda: hp.computational_graph(SAT, [8, 8], 0.0, "sigmoid", "bce"),
     ValueError, "params: ŷ is exactly 1"),
    ("computational_graph 1e200", lambda: hp.computational_graph(P, [1e200, 1e200]), ValueError, "not finite"),
    ("plot_one_weight(1e200)", lambda: hp.plot_one_weight(1e200, 0.005), ValueError, "w: .*not finite"),
    ("landscape_explorer []", lambda: hp.landscape_explorer(P, X, Y, a_values=[]), ValueError, "a_values"),
    ("landscape_explorer [0.5]", lambda: hp.landscape_explorer(P, X, Y, a_values=[0.5]), ValueError, "a_values"),
    ("landscape_explorer 'abc'", lambda: hp.landscape_explorer(P, X, Y, a_values="abc"), TypeError, "a_values"),
    ("network_fields y=None", lambda: hp.network_fields(P, X, None), TypeError, "^y: "),
    ("fmt 10**400", lambda: hp.fmt(10**400), ValueError, "value: .*too large for float64"),
    ("fmt digits 10**400", lambda: hp.fmt(1.5, digits=10**400), ValueError, "digits"),
    ("fmt digits -1", lambda: hp.fmt(1.5, digits=-1), ValueError, "digits: expected a whole number from 1 to 17"),
    ("symmetry_html 1 hidden", lambda: W.symmetry_html(hp.init_params([2, 1, 1])), ValueError,
     "exactly two hidden neurons"),
    ("symmetry_html 3 hidden", lambda: W.symmetry_html(hp.init_params([2, 3, 1])), ValueError,
     "exactly two hidden neurons"),
    ("training_sliders one row", lambda: hp.training_sliders(P, X[0], Y[0]), ValueError, "^X: expected rows"),
    ("network_diagram highlight=5", lambda: hp.network_diagram(P, highlight=5), TypeError, "^highlight"),
    ("network_diagram unknown highlight", lambda: hp.network_diagram(P, highlight="w99^1"), ValueError, "^highlight"),
    ("computational_graph x=[[8, 8]]", lambda: hp.computational_graph(P, x=[[8, 8]]), ValueError, "^x: "),
    ("stepper.go('a')", lambda: hp.stepper().go("a"), TypeError, "^step: "),
    ("training_explorer(None)", lambda: hp.training_explorer(None), TypeError, "^hist: "),
    ("training_explorer every=0", lambda: hp.training_explorer(H, every=0), ValueError, "^every: "),
    ("training_explorer every=-1", lambda: hp.training_explorer(H, every=-1), ValueError, "^every: "),
    ("markup('')", lambda: hp.markup(""), ValueError, "^name: "),
    ("table ragged dicts", lambda: hp.table([{"a": 1}, {"b": 2}]), ValueError, r"^rows: row 1 lacks"),
    ("plot_lr_curves([H])", lambda: hp.plot_lr_curves([H]), TypeError, "^histories: "),
    ("plot_loss([0.0, 0.0])", lambda: hp.plot_loss([0.0, 0.0]), ValueError, "log=False"),
    ("plot_loss no epoch", lambda: hp.plot_loss(hp.train(hp.init_params([2, 2, 1], weight=1e150), X, Y, lr=1.0,
                                                         epochs=1)), ValueError, "^epoch_loss: "),
]


@pytest.mark.parametrize("name, call, error, match", REFUSED, ids=[c[0] for c in REFUSED])
def test_the_issues_inputs_are_refused_in_words(name, call, error, match, no_warnings):
    with pytest.raises(error, match=match):
        call()


def test_plot_loss_over_the_whole_float_range_warns_nothing(no_warnings):
    ax = hp.plot_loss([1e308, 1e-308])
    ax.figure.canvas.draw()
    assert ax.get_yscale() == "log"


def test_plot_loss_of_zeros_on_a_linear_scale(no_warnings):
    assert hp.plot_loss([0.0, 0.0], log=False).get_yscale() == "linear"


def test_training_sliders_fit_four_students(no_warnings):
    box = hp.training_sliders(P, X, Y)
    batch = box.sliders[2]
    assert batch.value == len(Y) and max(batch.options) == len(Y)
    assert box.history.batch_size == len(Y)


def test_the_stepper_takes_a_dataset_of_lists(no_warnings):
    data = hp.Dataset(X.tolist(), Y.tolist(), DS.feature_names, DS.target_name)
    st = hp.stepper(data)
    assert st.history.n_steps == hp.stepper().history.n_steps
    np.testing.assert_array_equal(st.history.step_loss, hp.stepper().history.step_loss)


def test_the_hidden_unit_pictures_have_plain_text_accessible_names(no_warnings):
    page = W.fields_html(PX, XOR.X, XOR.y)
    labels = re.findall(r"aria-label='([^']*)'", page)
    assert len(labels) == 4 and all("<" not in a and ">" not in a for a in labels), labels
    assert "O11 over the plane" in page


def test_a_callers_title_is_escaped(no_warnings):
    page = W.fields_html(PX, XOR.X, XOR.y, title="<script>alert('x')</script> & ŷ")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    widget = hp.network_fields(PX, XOR.X, XOR.y, title="a ' quote")
    assert "aria-label='a &#x27; quote over the plane" in widget.value
    with pytest.raises(TypeError, match="^title: "):
        W.fields_html(PX, XOR.X, XOR.y, title=5)
