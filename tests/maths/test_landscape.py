"""The loss over one and two parameters, descent paths, the collapsed linear network, gradient sizes."""

import numpy as np
import pytest

import helpers as hp

X4 = np.array([[8.0, 8.0], [7.0, 9.0], [6.0, 10.0], [5.0, 12.0]])
Y4 = np.array([4.0, 5.0, 6.0, 7.0])
NAMES = ("w11^1", "w11^2")


def mean_loss_by_hand(p, X=X4, y=Y4):
    """The 2-2-1 linear network written out: O1k = sum_j x_j w_jk^1 + b1k, ŷ = sum_k O1k w_k1^2 + b21."""
    total = 0.0
    for x, t in zip(X, y):
        O = [x[0] * p["W1"][0, k] + x[1] * p["W1"][1, k] + p["b1"][k] for k in range(2)]
        y_hat = O[0] * p["W2"][0, 0] + O[1] * p["W2"][1, 0] + p["b2"][0]
        total += (t - y_hat) ** 2
    return total / len(y)


def start(weight=0.1):
    return hp.init_params([2, 2, 1], weight=weight)


def test_loss_curve_matches_the_network_written_out():
    values = np.array([-0.5, 0.0, 0.3, 1.0])
    curve = hp.loss_curve(start(), X4, Y4, "w21^2", values)
    for v, got in zip(values, curve):
        p = start()
        p["W2"][1, 0] = v
        assert got == pytest.approx(mean_loss_by_hand(p), rel=1e-12)


def test_loss_slope_is_the_slope_of_the_loss_curve():
    p, h = start(), 1e-6
    for name in hp.PARAM_NAMES:
        w = hp.as_named(p)[name]
        up, down = hp.loss_curve(p, X4, Y4, name, [w + h, w - h])
        assert hp.loss_slope(p, X4, Y4, name) == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_loss_grid_layout_and_values():
    a, b = np.array([-0.2, 0.1, 0.4]), np.array([0.0, 0.5])
    grid = hp.loss_grid(start(), X4, Y4, NAMES, a, b)
    assert grid.shape == (2, 3)
    for i, av in enumerate(a):
        for j, bv in enumerate(b):
            p = start()
            p["W1"][0, 0], p["W2"][0, 0] = av, bv
            assert grid[j, i] == pytest.approx(mean_loss_by_hand(p), rel=1e-12)


def test_loss_grid_leaves_params_unchanged():
    p = start()
    hp.loss_grid(p, X4, Y4, NAMES, [0.5, 0.6], [0.5])
    assert np.array_equal(hp.flatten(p), hp.flatten(start()))


@pytest.mark.parametrize("names", [("w11^1", "w11^1"), ("w11^1",), "w11^1", ("w11^1", "w99^1")])
def test_loss_grid_rejects_bad_names(names):
    with pytest.raises(ValueError, match="name"):
        hp.loss_grid(start(), X4, Y4, names, [0.0], [0.0])


def test_loss_grid_rejects_non_finite_values():
    with pytest.raises(ValueError, match="a_values"):
        hp.loss_grid(start(), X4, Y4, NAMES, [0.0, np.nan], [0.0])


def test_param_path_is_the_history_columns():
    hist = hp.train(start(), X4, Y4, lr=0.001, epochs=3)
    xy = hp.param_path(hist, NAMES)
    assert xy.shape == (13, 2)
    assert np.array_equal(xy[0], [0.1, 0.1])
    for k, step in enumerate(hist.steps):
        assert xy[k + 1, 0] == step.after("w11^1") and xy[k + 1, 1] == step.after("w11^2")


def test_param_path_rejects_bad_input():
    hist = hp.train(start(), X4, Y4, lr=0.001, epochs=1)
    with pytest.raises(TypeError, match="history"):
        hp.param_path({"W1": 1}, NAMES)
    with pytest.raises(ValueError, match="names"):
        hp.param_path(hist, ("w11^1", "nope"))
    with pytest.raises(ValueError, match="names"):
        hp.param_path(hist, ("w11^1", "w11^1"))


def test_descent_paths_per_sample_and_full_batch():
    runs = hp.descent_paths(start(), X4, Y4, NAMES, lr=0.001, epochs=5)
    assert set(runs) == {"per-sample", "full batch"}
    assert runs["per-sample"].batch_size == 1 and runs["per-sample"].n_steps == 20
    assert runs["full batch"].batch_size == 4 and runs["full batch"].n_steps == 5
    assert runs["per-sample"].epoch_loss == pytest.approx([26.3456, 19.8594, 10.8816, 3.7770, 1.2238], abs=5e-5)
    # one full-batch step is the mean gradient over the four rows
    g = hp.gradients(start(), X4, Y4)
    assert np.allclose(runs["full batch"].params_flat[1], hp.flatten(start()) - 0.001 * hp.flatten(g), rtol=1e-12)


def test_collapse_linear_gives_the_same_predictions():
    p = hp.init_params([2, 3, 4, 1], weight=None, seed=3, bias=0.0)
    p["b1"], p["b2"], p["b3"] = np.array([0.1, -0.2, 0.3]), np.arange(4.0) / 10, np.array([0.7])
    W, b = hp.collapse_linear(p)
    assert W.shape == (2, 1) and b.shape == (1,)
    assert np.allclose(X4 @ W[:, 0] + b[0], hp.predict(p, X4), rtol=1e-12)


def test_layer_gradient_sizes_against_finite_differences():
    p = hp.init_params([2, 3, 3, 1], weight=None, seed=1)
    Xs = (X4 - X4.mean(0)) / X4.std(0)
    num = hp.numerical_gradients(p, Xs, Y4, activation="sigmoid")
    expected = [np.mean(np.abs(num[f"W{l}"])) for l in (1, 2, 3)]
    assert hp.layer_gradient_sizes(p, Xs, Y4) == pytest.approx(expected, rel=1e-6)


def test_nonlinearity_is_zero_for_linear_networks_and_positive_when_they_bend():
    p = hp.init_params([2, 4, 4, 1], weight=None, seed=2)
    X = np.c_[np.linspace(-3, 3, 41), np.linspace(2, -2, 41) ** 2]
    assert hp.nonlinearity(p, X, "linear") < 1e-12
    assert hp.nonlinearity(p, X, "relu") > 0.01
    # by hand: residual of the least-squares line through the outputs, over their spread
    out = hp.predict(p, X, "sigmoid")
    A = np.c_[X, np.ones(41)]
    res = out - A @ np.linalg.pinv(A) @ out
    assert hp.nonlinearity(p, X, "sigmoid") == pytest.approx(np.sqrt(np.mean(res ** 2)) / np.std(out), rel=1e-8)
    assert hp.nonlinearity(hp.init_params([2, 1], weight=0.0), X) == 0.0
    with pytest.raises(ValueError, match="X"):
        hp.nonlinearity(p, np.ones(2))
