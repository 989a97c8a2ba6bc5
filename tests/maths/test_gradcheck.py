"""Backpropagation against centred finite differences, and the gradient-check report."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import helpers as hp

X4 = np.array([[8.0, 8.0], [7.0, 9.0], [6.0, 10.0], [5.0, 12.0]])
Y4 = np.array([4.0, 5.0, 6.0, 7.0])

floats = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False)


@st.composite
def cases(draw):
    """A random network (1 to 4 weight layers, sizes 1..5, output 1), activation, loss, params and data."""
    n_layers = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 5)) for _ in range(n_layers)] + [1]
    activation = draw(st.sampled_from(["linear", "sigmoid", "relu"]))
    loss = draw(st.sampled_from(["mse", "bce"])) if activation == "sigmoid" else "mse"
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        # weights of moderate size (scaled by 1/sqrt(n_in)) so values stay O(1) through 4 layers
        params[f"W{l}"] = draw(hnp.arrays(np.float64, (n_in, n_out), elements=floats)) * 1.5 / np.sqrt(n_in)
        params[f"b{l}"] = draw(hnp.arrays(np.float64, (n_out,), elements=floats))
    m = draw(st.sampled_from([None, 1, 2, 3, 5]))        # None: one row (n0,); else a batch (m, n0)
    shape = (sizes[0],) if m is None else (m, sizes[0])
    x = draw(hnp.arrays(np.float64, shape, elements=st.floats(-2.0, 2.0)))
    t_elems = st.floats(0.0, 1.0) if loss == "bce" else st.floats(-2.0, 2.0)
    y = draw(t_elems) if m is None else draw(hnp.arrays(np.float64, (m,), elements=t_elems))
    return params, x, y, activation, loss


@settings(max_examples=200, deadline=None)
@given(cases())
def test_backprop_equals_centred_differences(case):
    params, x, y, activation, loss = case
    fw = hp.forward(params, x, activation)
    if activation == "relu":   # away from the kink, where the derivative is not defined
        assume(all(np.min(np.abs(z)) > 1e-3 for z in fw.z[1:]))
    analytic = hp.gradients(params, x, y, activation, loss)
    numeric = hp.numerical_gradients(params, x, y, eps=1e-5, activation=activation, loss=loss)
    assert set(analytic) == set(params)
    assert all(analytic[k].shape == params[k].shape for k in params)
    a, n = hp.flatten(analytic), hp.flatten(numeric)
    if not np.any(a):
        # every path is flat (e.g. all ReLUs off, or ŷ = y exactly): the differences must be ~0 as well
        assert np.max(np.abs(n)) < 1e-9
        return
    # a gradient far smaller than the loss is measured by differences of nearly equal losses: skip it
    assume(np.linalg.norm(a) > 1e-4 * max(1.0, hp.mean_loss(params, x, y, activation, loss)))
    assert hp.relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize(("activation", "loss"), [("linear", "mse"), ("sigmoid", "mse"), ("relu", "mse"),
                                                  ("sigmoid", "bce")])
def test_numerical_gradients_for_a_batch(activation, loss):
    p = hp.init_params([2, 3, 1], weight=None, seed=4)
    X = hp.standardise(X4)[0]
    y = np.array([1.0, 1.0, 0.0, 0.0]) if loss == "bce" else Y4 / 7
    analytic = hp.gradients(p, X, y, activation, loss)
    numeric = hp.numerical_gradients(p, X, y, activation=activation, loss=loss)
    assert hp.relative_error(analytic, numeric) < 1e-7
    rows = np.mean([hp.flatten(hp.numerical_gradients(p, x, t, activation=activation, loss=loss))
                    for x, t in zip(X, y)], axis=0)
    np.testing.assert_allclose(hp.flatten(numeric), rows, rtol=1e-6, atol=1e-9)


def test_numerical_gradients_reference():
    p = hp.init_params([2, 2, 1])
    num = hp.numerical_gradients(p, X4[0], 4.0)
    assert hp.as_named(num) == pytest.approx({"w11^1": 448.0, "w12^1": 448.0, "w21^1": 448.0, "w22^1": 448.0,
                                              "b11": 56.0, "b12": 56.0, "w11^2": 896.0, "w21^2": 896.0,
                                              "b21": 56.0}, rel=1e-8)


def test_numerical_gradients_leave_params_unchanged():
    p = hp.init_params([2, 2, 1], weight=None, seed=0)
    before = {k: v.copy() for k, v in p.items()}
    hp.numerical_gradients(p, X4, Y4)
    assert all(np.array_equal(p[k], before[k]) for k in p)


def test_numerical_gradients_bad_eps():
    with pytest.raises(ValueError, match="eps: expected a positive finite number, got 0"):
        hp.numerical_gradients(hp.init_params([2, 2, 1]), X4[0], 4.0, eps=0)


# ---- relative_error ----

def test_relative_error_values():
    assert hp.relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert hp.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert hp.relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0
    assert hp.relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    g = hp.init_params([2, 2, 1], weight=2.0)
    assert hp.relative_error(g, hp.init_params([2, 2, 1], weight=2.0)) == 0.0


def test_relative_error_sizes_must_match():
    with pytest.raises(ValueError, match="a and b: expected the same number of values, got 2 and 3"):
        hp.relative_error([1.0, 2.0], [1.0, 2.0, 3.0])


# ---- compare_gradients ----

def scaled(grads, factor):
    return {k: v * factor for k, v in grads.items()}


def test_compare_gradients_verdicts():
    g = hp.gradients(hp.init_params([2, 2, 1]), X4[0], 4.0)
    same = hp.compare_gradients(g, g)
    assert (same.verdict, same.exact, same.close, same.rel_error, same.max_abs_diff) == ("good", True, True, 0.0, 0.0)
    # scaling by (1 + d) gives relative error d / (2 + d)
    assert hp.compare_gradients(g, scaled(g, 1 + 1e-8)).verdict == "good"
    assert hp.compare_gradients(g, scaled(g, 1 + 2e-7)).verdict == "good"       # 1.0e-7 - a hair
    assert hp.compare_gradients(g, scaled(g, 1 + 3e-7)).verdict == "suspicious"  # 1.5e-7
    assert hp.compare_gradients(g, scaled(g, 1.01)).verdict == "suspicious"      # 5.0e-3
    assert hp.compare_gradients(g, scaled(g, 1.05)).verdict == "wrong"           # 2.4e-2
    assert hp.compare_gradients(g, scaled(g, -1)).verdict == "wrong"             # 1.0


def test_verdict_at_the_thresholds():
    def check(err):
        return hp.GradCheck(hp.PARAM_NAMES, np.ones(9), np.ones(9), False, False, 0.0, err).verdict
    assert (hp.GOOD, hp.WRONG) == (1e-7, 1e-2)
    assert check(0.99e-7) == "good"
    assert check(1e-7) == "suspicious"
    assert check(1e-2) == "suspicious"
    assert check(1.01e-2) == "wrong"


def test_compare_gradients_fields():
    g = hp.gradients(hp.init_params([2, 2, 1]), X4[0], 4.0)
    n = {k: v.copy() for k, v in g.items()}
    n["W2"][1, 0] += 1.0                          # w21^2: 896 -> 897
    gc = hp.compare_gradients(g, n)
    assert gc.names == hp.PARAM_NAMES
    np.testing.assert_array_equal(gc.analytic, [448, 448, 448, 448, 56, 56, 896, 896, 56])
    np.testing.assert_array_equal(gc.numeric, [448, 448, 448, 448, 56, 56, 896, 897, 56])
    assert gc.exact is False and gc.close is False and gc.max_abs_diff == 1.0
    expected = 1.0 / (np.linalg.norm(gc.analytic) + np.linalg.norm(gc.numeric))
    assert gc.rel_error == pytest.approx(expected, rel=1e-14)
    errs = gc.entry_errors
    assert errs[7] == pytest.approx(1 / (896 + 897)) and np.count_nonzero(errs) == 1
    assert gc.rows()[7] == ("w21^2", 896.0, 897.0, pytest.approx(1 / 1793))


def test_entry_errors_zero_where_both_zero():
    g = hp.init_params([2, 2, 1], weight=0.0)
    assert np.array_equal(hp.compare_gradients(g, g).entry_errors, np.zeros(9))


def test_gradcheck_str_has_nine_named_rows():
    gc = hp.check_gradients(hp.init_params([2, 2, 1]), X4[0], 4.0)
    lines = str(gc).splitlines()
    assert len(lines) == 1 + 9 + 1
    assert lines[0].split() == ["parameter", "backprop", "centred", "difference", "rel.", "error"]
    assert [line.split()[0] for line in lines[1:10]] == hp.PARAM_NAMES
    assert lines[7].split()[:3] == ["w11^2", "896", "896"]      # through fmt, like every number shown
    assert lines[-1].startswith("overall relative error") and "(good)" in lines[-1]
    assert repr(gc) == str(gc)


def test_check_gradients_finds_a_wrong_gradient():
    p = hp.init_params([2, 2, 1], weight=0.1)
    good = hp.check_gradients(p, X4[3], 7.0)
    assert good.verdict == "good" and good.rel_error < 1e-9
    swapped = hp.gradients(p, X4[3], 7.0)
    swapped["W1"] = swapped["W1"][::-1].copy()         # a classic bug: x2 where x1 belongs
    assert hp.check_gradients(p, X4[3], 7.0, grads=swapped).verdict == "wrong"
    sign = hp.gradients(p, X4[3], 7.0)
    sign["b2"] = -sign["b2"]                           # another: the sign of ∂L/∂b21
    assert hp.check_gradients(p, X4[3], 7.0, grads=sign).verdict == "wrong"


def test_compare_gradients_bad_input():
    g = hp.gradients(hp.init_params([2, 2, 1]), X4[0], 4.0)
    with pytest.raises(ValueError, match="analytic and numeric: expected two gradient dicts with the same keys"):
        hp.compare_gradients(g, {"W1": g["W1"]})
    n = dict(g, b1=np.zeros(3))
    with pytest.raises(ValueError, match=r"analytic\['b1'\] and numeric\['b1'\]: shapes differ, \(2,\) and \(3,\)"):
        hp.compare_gradients(g, n)
