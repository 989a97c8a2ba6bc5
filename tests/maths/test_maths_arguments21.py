"""Issue 21, defects 11-15 on the maths side, each with the issue's exact input: a clear ValueError or
TypeError naming the argument, or the right result, and no warning."""

import numpy as np
import pytest

import helpers as hp
from helpers.maths import bugs, checks

DS = hp.load_students()
X, Y = DS.X, DS.y
P = hp.init_params([2, 2, 1], weight=0.1)
PL = {k: v.tolist() for k, v in P.items()}
BIG = hp.init_params([2, 2, 1], weight=1e200)
SAT = hp.init_params([2, 2, 1], weight=50.0)
RAGGED = [[1, 2], [3]]
Y01 = (Y > 5).astype(float)

REFUSED = [
    ("loss_graph saturated bce", lambda: hp.loss_graph(SAT, [8, 8], 0.0, "sigmoid", "bce"), ValueError,
     r"params: ŷ is exactly 1 in float64 \(a saturated sigmoid\)"),
    ("loss_graph 1e200 inputs", lambda: hp.loss_graph(P, [1e200, 1e200], 1.0), ValueError, "params: .*not finite"),
    ("loss_graph y=1e200", lambda: hp.loss_graph(P, X[0], 1e200), ValueError, "params: .*not finite"),
    ("one_weight_loss(1e200)", lambda: hp.one_weight_loss(1e200), ValueError, "w: .*not finite"),
    ("accuracy nan", lambda: hp.accuracy(P, X, Y01, threshold=float("nan")), ValueError, "threshold"),
    ("accuracy inf", lambda: hp.accuracy(P, X, Y01, threshold=float("inf")), ValueError, "threshold"),
    ("accuracy 1e308", lambda: hp.accuracy(P, X, Y01, threshold=1e308), ValueError, "threshold"),
    ("accuracy True", lambda: hp.accuracy(P, X, Y01, threshold=True), TypeError, "threshold"),
    ("accuracy 1+2j", lambda: hp.accuracy(P, X, Y01, threshold=1 + 2j), TypeError, "threshold"),
    ("accuracy '0.1'", lambda: hp.accuracy(P, X, Y01, threshold="0.1"), TypeError, "threshold"),
    ("lr 10**400", lambda: hp.train(P, X, Y, lr=10**400), ValueError, "lr: .*too large for float64"),
    ("y 10**400", lambda: hp.train(P, X, [10**400] * 4), ValueError, "y: .*too large for float64"),
    ("w 10**400", lambda: hp.one_weight_loss(10**400), ValueError, "w: .*too large for float64"),
    ("gradients 1e200", lambda: hp.gradients(BIG, X, Y), ValueError, "params: a gradient .*not finite"),
    ("mean_loss 1e200", lambda: hp.mean_loss(BIG, X, Y), ValueError, "params: the loss .*not finite"),
    ("loss_curve 1e200", lambda: hp.loss_curve(BIG, X, Y, "w11^1", [0, 1]), ValueError, "not finite"),
    ("chain_rows 1e200", lambda: hp.chain_rows(BIG, X[0], Y[0]), ValueError, "not finite"),
    ("step_gradients overflow", lambda: bugs.step_gradients(bugs.update_by_hand, BIG, X[0], Y[0]), ValueError,
     "not finite"),
    ("standardise 1e308", lambda: hp.standardise([[-1e308, 2], [1e308, 3]]), ValueError, "X: .*not finite"),
    ("width 0", lambda: hp.predict({"W1": np.zeros((2, 0)), "b1": np.zeros(0), "W2": np.zeros((0, 1)),
                                    "b2": np.zeros(1)}, X), ValueError, r"params\['W1'\]: layer 1 has no neurons"),
    ("timing_rows zero", lambda: hp.timing_rows([[2, 2, 1]], [{"forward": 0.0, "backprop": 0.0,
                                                                "finite_differences": 0.0}]), ValueError, "times"),
    ("full_batch_from empty", lambda: hp.full_batch_from(P, X, Y, 0.001, epochs=()), ValueError, "epochs"),
]

RAGGED_CALLS = [
    ("predict", lambda: hp.predict(P, RAGGED)), ("forward", lambda: hp.forward(P, RAGGED)),
    ("gradients", lambda: hp.gradients(P, RAGGED, [1, 2])), ("mean_loss", lambda: hp.mean_loss(P, RAGGED, [1, 2])),
    ("train", lambda: hp.train(P, RAGGED, [1, 2])), ("standardise", lambda: hp.standardise(RAGGED)),
    ("least_squares", lambda: hp.least_squares(RAGGED, [1, 2])),
    ("numerical_gradients", lambda: hp.numerical_gradients(P, RAGGED, [1, 2])),
    ("loss_curve", lambda: hp.loss_curve(P, RAGGED, [1, 2], "w11^1", [0, 1])),
    ("loss_grid", lambda: hp.loss_grid(P, RAGGED, [1, 2], ("w11^1", "w11^2"), [0, 1], [0, 1])),
    ("accuracy", lambda: hp.accuracy(P, RAGGED, [1, 0])),
    ("train_until", lambda: hp.train_until(P, RAGGED, [1, 2], 0.001)),
    ("chain_rows", lambda: hp.chain_rows(P, RAGGED, 1.0)),
    ("loss_graph", lambda: hp.loss_graph(P, RAGGED, 1.0)),
    ("nonlinearity", lambda: hp.nonlinearity(P, RAGGED)),
    ("train_by_hand", lambda: bugs.train_by_hand(bugs.update_by_hand, P, RAGGED, [1, 2])),
]

LISTS = [
    ("loss_curve", lambda: hp.loss_curve(PL, X, Y, "w11^1", [0.1]), lambda: hp.loss_curve(P, X, Y, "w11^1", [0.1])),
    ("loss_grid", lambda: hp.loss_grid(PL, X, Y, ("w11^1", "w11^2"), [0, 1], [0, 1]),
     lambda: hp.loss_grid(P, X, Y, ("w11^1", "w11^2"), [0, 1], [0, 1])),
    ("descent_paths", lambda: hp.descent_paths(PL, X, Y, ("w11^1", "w11^2"), 0.001, 2)["full batch"].epoch_loss,
     lambda: hp.descent_paths(P, X, Y, ("w11^1", "w11^2"), 0.001, 2)["full batch"].epoch_loss),
    ("step_gradients", lambda: bugs.step_gradients(bugs.update_by_hand, PL, X[0], Y[0])["W1"],
     lambda: bugs.step_gradients(bugs.update_by_hand, P, X[0], Y[0])["W1"]),
    ("train_by_hand", lambda: bugs.train_by_hand(bugs.update_by_hand, PL, X, Y, epochs=2),
     lambda: bugs.train_by_hand(bugs.update_by_hand, P, X, Y, epochs=2)),
    ("as_named", lambda: hp.as_named(PL), lambda: hp.as_named(P)),
]


@pytest.mark.parametrize("name, call, error, match", REFUSED, ids=[c[0] for c in REFUSED])
def test_the_issues_inputs_are_refused_in_words(name, call, error, match, no_warnings):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("name, call", RAGGED_CALLS, ids=[c[0] for c in RAGGED_CALLS])
def test_ragged_rows_get_one_shared_message(name, call, no_warnings):
    with pytest.raises(ValueError, match=r"^(X|x): expected rows of equal length"):
        call()


def test_the_ragged_check_is_in_checks():
    with pytest.raises(ValueError, match="rows of different lengths"):
        checks.array([[1, 2], [3]], "X")
    with pytest.raises(ValueError, match="different lengths"):
        checks.array([[[1], [2, 3]]], "X")
    assert checks.array([[1, 2], [3, 4]], "X").shape == (2, 2)


@pytest.mark.parametrize("name, lists, arrays", LISTS, ids=[c[0] for c in LISTS])
def test_parameters_as_lists_give_the_same_result_as_arrays(name, lists, arrays, no_warnings):
    np.testing.assert_array_equal(np.asarray(lists(), dtype=float) if not isinstance(lists(), dict) else
                                  list(lists().values()),
                                  np.asarray(arrays(), dtype=float) if not isinstance(arrays(), dict) else
                                  list(arrays().values()))


def test_the_saturated_case_still_has_its_gradient_from_backprop(no_warnings):
    g = hp.gradients(SAT, np.array([8.0, 8.0]), 0.0, "sigmoid", "bce")
    assert all(np.all(np.isfinite(v)) for v in g.values())


def test_a_history_with_no_step_says_so():
    h = hp.train(hp.init_params([2, 2, 1], weight=1e150), X, Y, lr=1.0, epochs=1)
    assert h.n_steps == 0 and "no full epoch" in repr(h)


def test_full_batch_from_reads_one_count():
    rows = hp.full_batch_from(P, X, Y, 0.001, epochs=2000)
    assert [r["full-batch epochs"] for r in rows] == [2000]


# ---- CSV ----

def test_csv_duplicate_columns_are_refused(tmp_path):
    f = tmp_path / "dup.csv"
    f.write_text("a,a,b\n1,2,3\n")
    with pytest.raises(ValueError, match=r"dup.csv: the header names the column\(s\) \['a'\] more than once"):
        hp.load_csv(f, ["a"], "b")


def test_csv_a_long_field_names_the_file_and_line(tmp_path):
    f = tmp_path / "long.csv"
    f.write_text("a,b\n1,2\n1," + "9" * 140_000 + "\n")
    with pytest.raises(ValueError, match=r"long.csv, line 3: not readable as CSV \(field larger than field limit"):
        hp.load_csv(f, ["a"], "b")


def test_csv_a_folder_is_called_a_folder(tmp_path):
    (tmp_path / "csv").mkdir()
    with pytest.raises(ValueError, match="is a folder; expected a CSV file"):
        hp.load_csv(tmp_path / "csv", ["a"], "b")


def test_csv_tilde_is_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    assert hp.load_csv("~/x.csv", ["a"], "b").y.tolist() == [2.0]
    with pytest.raises(ValueError, match=r"no such file '~/nope.csv' \('~' is your home folder\)"):
        hp.load_csv("~/nope.csv", ["a"], "b")
