"""The computations behind single sentences of the course, against independent computations."""

import numpy as np
import pytest

import helpers as hp

DS = hp.load_students()


def test_least_squares_is_lpa_12_minus_cgpa_and_rejects_bad_shapes():
    assert hp.least_squares(DS.X, DS.y).tolist() == [-1.0, 0.0, 12.0]
    with pytest.raises(ValueError, match="y"):
        hp.least_squares(DS.X, DS.y[:3])
    with pytest.raises(ValueError, match="X"):
        hp.least_squares(DS.y, DS.y)


def test_condition_number_measures_collinearity():
    A = np.c_[DS.X, np.ones(4)]
    ev = np.linalg.eigvalsh(A.T @ A)
    assert hp.condition_number(DS.X) == pytest.approx(ev.max() / ev.min(), rel=1e-6)
    assert round(hp.condition_number(DS.X), -4) == 620_000
    assert round(hp.condition_number(hp.standardise(DS.X)[0])) == 115
    assert hp.condition_number(np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]])) == pytest.approx(1.0)


def test_loss_after_epochs_is_the_mean_loss_at_each_epochs_end():
    p = hp.init_params([2, 2, 1], weight=1.0)
    h = hp.train(p, DS.X, DS.y, lr=0.001, epochs=3)
    for e in (1, 2, 3):
        q = hp.train(p, DS.X, DS.y, lr=0.001, epochs=e).params
        assert hp.loss_after_epochs(h)[e - 1] == pytest.approx(hp.mean_loss(q, DS.X, DS.y), rel=1e-12)
        assert hp.flatten(hp.params_after_epoch(h, e)) == pytest.approx(hp.flatten(q), rel=1e-12)
    with pytest.raises(ValueError, match="epoch"):
        hp.params_after_epoch(h, 4)
    with pytest.raises(TypeError, match="hist"):
        hp.loss_after_epochs({})


def test_mean_predictor_loss_is_the_variance():
    assert hp.mean_predictor_loss(DS.y) == pytest.approx(np.var(DS.y)) == 1.25
    with pytest.raises(ValueError, match="y"):
        hp.mean_predictor_loss([])


def test_overshoots_counts_crossings_of_the_final_value():
    assert hp.overshoots([2.0, -1.0, 0.5, -0.25, 0.0]) == 3
    assert hp.overshoots([3.0, 2.0, 1.0, 0.0]) == 0
    with pytest.raises(ValueError, match="path"):
        hp.overshoots([1.0])


def test_full_batch_from_matches_hand_descent():
    start = hp.init_params([2, 2, 1], weight=0.1)
    p = start
    for _ in range(10):
        p = hp.sgd_step(p, hp.gradients(p, DS.X, DS.y), 0.001)
    row = hp.full_batch_from(start, DS.X, DS.y, lr=0.001, epochs=(10,))[0]
    assert row["loss"] == pytest.approx(hp.mean_loss(p, DS.X, DS.y), rel=1e-9)
    assert row["gradient norm"] == pytest.approx(hp.grad_norm(p, DS.X, DS.y), rel=1e-9)
    assert hp.full_batch_from(start, DS.X, DS.y, lr=0.001, epochs=10) == [row]    # one number, as a learner types
    for bad in ("10", (), None, 2.5):
        with pytest.raises((TypeError, ValueError), match="epochs"):
            hp.full_batch_from(start, DS.X, DS.y, lr=0.001, epochs=bad)


def test_the_stuck_gradient_of_notebook_03_settles_with_full_batch():
    stopped = hp.train_until(hp.init_params([2, 2, 1], weight=0.1), DS.X, DS.y, 0.001, loss_tol=1e-6)
    assert (stopped.epochs, round(stopped.grad_norm[-1], 4), round(stopped.epoch_loss[-1], 5)) == (361, 0.1868, 0.04307)
    ten, many = hp.full_batch_from(stopped.params, DS.X, DS.y, lr=0.001, epochs=(10, 2000))
    assert round(ten["gradient norm"], 3) == 0.094 and round(many["gradient norm"], 4) == 0.0068
    assert round(hp.mean_loss(stopped.params, DS.X, DS.y), 4) == 0.0327


def test_centred_difference_errors_in_float32_are_look_closer_at_best():
    rows = hp.centred_difference_errors(1.0, eps_values=10.0 ** -np.arange(1, 12, 2))
    f64, f32 = [r[1] for r in rows], [r[2] for r in rows]
    assert min(f64) < hp.GOOD and np.argmin(f64) == 2                  # best at ε = 1e-5
    assert hp.GOOD < min(f32) < hp.WRONG and np.argmin(f32) == 1       # "look closer", at ε = 1e-3
    assert f"{min(f32):.0e}" == "2e-05"


def test_cost_rows_ratios_and_timing_rows():
    rows = hp.cost_rows([[2, 2, 1], [2, 128, 128, 1]])
    assert [r["backprop ÷ forward"] for r in rows] == [2.5, 3.0]
    assert rows[0]["centred ÷ backprop"] == round(hp.fd_mults([2, 2, 1]) / hp.backprop_mults([2, 2, 1]), 1)
    t = {"forward": 1e-5, "backprop": 4e-5, "finite_differences": 4e-3}
    r = hp.timing_rows([[2, 2, 1]], [t])[0]
    assert (r["backprop ÷ forward"], r["centred ÷ backprop"], r["parameters"]) == (4.0, 100, 9)
    assert set(hp.time_gradients([2, 2, 1], repeat=1)) == {"forward", "backprop", "finite_differences"}
