"""The network's maths: the course's reference figures, the chain rule by hand, the update, bad input."""

import copy

import numpy as np
import pytest

import helpers as hp
from helpers.maths import notation

X4 = np.array([[8.0, 8.0], [7.0, 9.0], [6.0, 10.0], [5.0, 12.0]])
Y4 = np.array([4.0, 5.0, 6.0, 7.0])


def ones_221():
    return hp.init_params([2, 2, 1], weight=1.0, bias=0.0)


# ---- the reference figures of COURSE.md (weights 1, biases 0, first student) ----

def test_forward_reference_figures():
    fw = hp.forward(ones_221(), X4[0])
    O11, O12 = fw.O[1]
    y_hat = fw.O[2][0]
    assert (O11, O12) == (16.0, 16.0)
    assert y_hat == 32.0
    assert hp.predict(ones_221(), X4[0]) == 32.0
    assert hp.per_sample_loss(4.0, y_hat) == 784.0
    assert hp.mean_loss(ones_221(), X4[0], 4.0) == 784.0


def test_dL_dyhat_from_the_forward_values():
    y_hat = hp.predict(ones_221(), X4[0])
    assert -2 * (Y4[0] - y_hat) == 56.0


def test_gradient_reference_figures():
    g = hp.gradients(ones_221(), X4[0], Y4[0])
    assert notation.get(g, "w11^2") == 896.0
    assert notation.get(g, "w11^1") == 448.0
    assert notation.get(g, "b11") == 56.0
    assert notation.get(g, "b21") == 56.0  # ∂L/∂b21 = ∂L/∂ŷ
    assert hp.as_named(g) == {"w11^1": 448.0, "w12^1": 448.0, "w21^1": 448.0, "w22^1": 448.0, "b11": 56.0,
                              "b12": 56.0, "w11^2": 896.0, "w21^2": 896.0, "b21": 56.0}


# ---- the 9 chain-rule formulas of the course, written out independently of helpers' backprop ----

def chain_rule_221(p, x, y):
    """The 9 derivatives of L = (y - ŷ)^2 for the 2-2-1 linear network, by the chain rule as in the course."""
    (w11_1, w12_1), (w21_1, w22_1) = p["W1"].tolist()
    b11, b12 = p["b1"].tolist()
    (w11_2,), (w21_2,) = p["W2"].tolist()
    (b21,) = p["b2"].tolist()
    x1, x2 = x
    O11 = w11_1 * x1 + w21_1 * x2 + b11
    O12 = w12_1 * x1 + w22_1 * x2 + b12
    y_hat = w11_2 * O11 + w21_2 * O12 + b21
    dL_dyhat = -2 * (y - y_hat)
    return {
        "w11^1": dL_dyhat * w11_2 * x1,
        "w12^1": dL_dyhat * w21_2 * x1,
        "w21^1": dL_dyhat * w11_2 * x2,
        "w22^1": dL_dyhat * w21_2 * x2,
        "b11": dL_dyhat * w11_2,
        "b12": dL_dyhat * w21_2,
        "w11^2": dL_dyhat * O11,
        "w21^2": dL_dyhat * O12,
        "b21": dL_dyhat,
    }


@pytest.mark.parametrize("seed", range(20))
def test_backprop_equals_the_course_chain_rule(seed):
    rng = np.random.default_rng(seed)
    p = hp.init_params([2, 2, 1], weight=None, seed=seed, scheme="uniform")
    p["b1"], p["b2"] = rng.uniform(-1, 1, 2), rng.uniform(-1, 1, 1)
    x, y = rng.uniform(-10, 10, 2), float(rng.uniform(-10, 10))
    by_hand = chain_rule_221(p, x, y)
    got = hp.as_named(hp.gradients(p, x, y))
    assert list(got) == list(by_hand) == hp.PARAM_NAMES
    for name in hp.PARAM_NAMES:
        assert got[name] == pytest.approx(by_hand[name], rel=1e-12, abs=1e-12), name


def test_batch_gradient_is_the_mean_of_row_gradients():
    p = hp.init_params([2, 3, 1], weight=None, seed=3)
    rows = [hp.flatten(hp.gradients(p, x, y, "sigmoid")) for x, y in zip(X4, Y4)]
    batch = hp.flatten(hp.gradients(p, X4, Y4, "sigmoid"))
    np.testing.assert_allclose(batch, np.mean(rows, axis=0), rtol=1e-12, atol=1e-15)


def test_mean_loss_is_the_mean_of_per_sample_losses():
    p = hp.init_params([2, 2, 1], weight=0.1)
    per = hp.per_sample_loss(Y4, hp.predict(p, X4))
    assert hp.mean_loss(p, X4, Y4) == pytest.approx(per.mean(), rel=1e-15)
    y_hat = 0.1 * 0.1 * X4.sum(axis=1) * 2       # O11 = O12 = 0.1 (x1 + x2), ŷ = 0.1 O11 + 0.1 O12
    np.testing.assert_allclose(per, (Y4 - y_hat) ** 2, rtol=1e-14)


def test_bce_loss_and_its_gradient_at_the_output():
    p = hp.init_params([2, 2, 1], weight=0.1)
    y = np.array([1.0, 1.0, 0.0, 0.0])
    y_hat = hp.predict(p, X4, "sigmoid")
    expected = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    np.testing.assert_allclose(hp.per_sample_loss(y, y_hat, "bce"), expected, rtol=1e-14)
    assert hp.mean_loss(p, X4, y, "sigmoid", "bce") == pytest.approx(expected.mean(), rel=1e-13)
    g = hp.gradients(p, X4[0], 1.0, "sigmoid", "bce")
    assert g["b2"][0] == pytest.approx(y_hat[0] - 1.0, rel=1e-14)   # ∂L/∂z = ŷ - y


def test_bce_stays_finite_when_the_output_saturates():
    p = hp.init_params([2, 2, 1], weight=5.0, bias=50.0)    # z at the output = 5 + 5 + 50 = 60
    assert hp.predict(p, X4[0], "sigmoid") == 1.0
    assert hp.mean_loss(p, X4[0], 0.0, "sigmoid", "bce") == pytest.approx(60.0, rel=1e-15)  # log(1 + e^60)
    assert hp.mean_loss(p, X4[0], 1.0, "sigmoid", "bce") == pytest.approx(np.exp(-60.0), rel=1e-12)


def test_sigmoid_values_and_no_overflow():
    np.testing.assert_allclose(hp.sigmoid([0.0, 2.0, -2.0]), [0.5, 1 / (1 + np.exp(-2)), 1 / (1 + np.exp(2))],
                               rtol=1e-15)
    with np.errstate(all="raise"):
        assert hp.sigmoid(-1000.0) == 0.0 and hp.sigmoid(1000.0) == 1.0


def test_predict_shapes():
    p = ones_221()
    assert isinstance(hp.predict(p, X4[0]), float)
    assert hp.predict(p, X4).shape == (4,)
    np.testing.assert_array_equal(hp.predict(p, X4), [32.0, 32.0, 32.0, 34.0])


def test_relu_forward():
    p = hp.init_params([2, 2, 1], weight=-1.0, bias=0.0)
    fw = hp.forward(p, X4[0], "relu")
    np.testing.assert_array_equal(fw.z[1], [-16.0, -16.0])
    np.testing.assert_array_equal(fw.O[1], [0.0, 0.0])


@pytest.mark.parametrize("X", [X4, X4[0]], ids=["rows", "one row"])
def test_forward_counts_both_lists_from_layer_1(X):
    """One indexing rule: z[l] and O[l] are layer l's; O[0] is the inputs and z[0] None (no weighted sum)."""
    p = hp.init_params([2, 3, 1], weight=None, seed=3, bias=0.25)
    fw = hp.forward(p, X, "sigmoid")
    assert fw._fields == ("z", "O") and len(fw.z) == len(fw.O) == 3
    assert fw.z[0] is None
    np.testing.assert_array_equal(fw.O[0], X)
    for l in (1, 2):
        np.testing.assert_array_equal(fw.z[l], fw.O[l - 1] @ p[f"W{l}"] + p[f"b{l}"])
        np.testing.assert_array_equal(fw.O[l], hp.sigmoid(fw.z[l]))
        z_l, O_l = fw.layer(l)
        assert z_l is fw.z[l] and O_l is fw.O[l]
    assert fw.O[2].shape == X.shape[:-1] + (1,)
    for bad in (0, 3):
        with pytest.raises(ValueError, match="layer from 1 to 2"):
            fw.layer(bad)


# ---- init_params ----

def test_init_params_shapes_and_values():
    p = hp.init_params([2, 8, 8, 1], weight=0.5, bias=0.25)
    assert {k: v.shape for k, v in p.items()} == {"W1": (2, 8), "b1": (8,), "W2": (8, 8), "b2": (8,),
                                                 "W3": (8, 1), "b3": (1,)}
    assert all(np.all(p[k] == 0.5) for k in ("W1", "W2", "W3"))
    assert all(np.all(p[k] == 0.25) for k in ("b1", "b2", "b3"))
    assert all(v.dtype == np.float64 for v in p.values())


def test_init_params_random_is_seeded():
    a = hp.init_params([2, 4, 1], weight=None, seed=1)
    b = hp.init_params([2, 4, 1], weight=None, seed=1)
    c = hp.init_params([2, 4, 1], weight=None, seed=2)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["W1"], c["W1"])
    u = hp.init_params([3, 50, 1], weight=None, seed=0, scheme="uniform")["W1"]
    assert u.min() >= -1 and u.max() <= 1


# ---- sgd_step ----

def test_sgd_step_is_pure_and_correct():
    p = hp.init_params([2, 2, 1], weight=None, seed=5)
    g = hp.gradients(p, X4[1], Y4[1])
    p0, g0 = copy.deepcopy(p), copy.deepcopy(g)
    new = hp.sgd_step(p, g, 0.01)
    for k in p:
        np.testing.assert_array_equal(p[k], p0[k])
        np.testing.assert_array_equal(g[k], g0[k])
        np.testing.assert_array_equal(new[k], p0[k] - 0.01 * g0[k])
        assert new[k] is not p[k] and not np.shares_memory(new[k], p[k])


def test_sgd_step_reference():
    new = hp.sgd_step(ones_221(), hp.gradients(ones_221(), X4[0], Y4[0]), 0.001)
    assert notation.get(new, "w11^1") == pytest.approx(1 - 0.448, abs=1e-15)
    assert notation.get(new, "w11^2") == pytest.approx(1 - 0.896, abs=1e-15)
    assert notation.get(new, "b21") == pytest.approx(-0.056, abs=1e-15)


# ---- bad input: one test each, with the message ----

def bad_params(**change):
    p = ones_221()
    p.update(change)
    return p


def test_X_with_wrong_number_of_columns():
    with pytest.raises(ValueError, match=r"X: expected 2 input value\(s\) a row.*shape \(4, 3\)"):
        hp.predict(ones_221(), np.ones((4, 3)))


def test_one_row_with_wrong_length():
    with pytest.raises(ValueError, match=r"X: expected 2 input value\(s\).*shape \(3,\)"):
        hp.gradients(ones_221(), np.ones(3), 1.0)


def test_X_with_three_dimensions():
    with pytest.raises(ValueError, match=r"X: expected a 1-D or 2-D array, got shape \(1, 4, 2\)"):
        hp.predict(ones_221(), X4[None])


def test_X_with_no_rows():
    with pytest.raises(ValueError, match=r"X: expected at least one row, got shape \(0, 2\)"):
        hp.predict(ones_221(), np.empty((0, 2)))


def test_X_not_numbers():
    with pytest.raises(TypeError, match="X: expected numbers"):
        hp.predict(ones_221(), [["a", "b"]])


def test_y_with_wrong_length():
    with pytest.raises(ValueError, match=r"y: expected shape \(4,\), one target a row of X, got \(3,\)"):
        hp.gradients(ones_221(), X4, Y4[:3])


def test_y_column_is_not_broadcast():
    with pytest.raises(ValueError, match=r"y: expected a 1-D array, got shape \(4, 1\)"):
        hp.gradients(ones_221(), X4, Y4[:, None])
    with pytest.raises(ValueError, match=r"y: expected a 1-D array, got shape \(4, 1\)"):
        hp.mean_loss(ones_221(), X4, Y4[:, None])


def test_y_scalar_for_many_rows_is_not_broadcast():
    with pytest.raises(ValueError, match=r"y: expected a 1-D array, got shape \(\)"):
        hp.gradients(ones_221(), X4, 4.0)


def test_y_several_numbers_for_one_row():
    with pytest.raises(ValueError, match=r"y: expected one number for one input row, got shape \(2,\)"):
        hp.gradients(ones_221(), X4[0], [4.0, 5.0])


def test_params_W_wrong_rows():
    with pytest.raises(ValueError,
                       match=r"params\['W2'\]: expected 2 rows \(the size of layer 1\), got shape \(3, 1\)"):
        hp.predict(bad_params(W2=np.ones((3, 1))), X4)


def test_params_b_wrong_shape():
    with pytest.raises(ValueError, match=r"params\['b1'\]: expected shape \(2,\) to match W1 \(2, 2\), got \(3,\)"):
        hp.predict(bad_params(b1=np.zeros(3)), X4)


def test_params_b_as_column_is_not_broadcast():
    with pytest.raises(ValueError, match=r"params\['b1'\]: expected a 1-D array, got shape \(2, 1\)"):
        hp.predict(bad_params(b1=np.zeros((2, 1))), X4)


def test_params_missing_key():
    p = ones_221()
    del p["b2"]
    with pytest.raises(ValueError, match=r"params: expected keys W1, b1, \.\.\., WL, bL, got \['W1', 'W2', 'b1'\]"):
        hp.predict(p, X4)


def test_params_not_a_dict():
    with pytest.raises(TypeError, match="params: expected a dict"):
        hp.predict([np.ones((2, 2))], X4)


def test_output_layer_not_one():
    p = hp.init_params([2, 2, 3])
    with pytest.raises(ValueError, match="params: the output layer must have 1 neuron.*got 3"):
        hp.predict(p, X4)
    with pytest.raises(ValueError, match="params: the output layer must have 1 neuron.*got 3"):
        hp.gradients(p, X4[0], 1.0)


def test_nan_in_X():
    X = X4.copy()
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match="X: contains NaN or infinite values; expected finite numbers"):
        hp.gradients(ones_221(), X, Y4)


def test_inf_in_X():
    with pytest.raises(ValueError, match="X: contains NaN or infinite values"):
        hp.predict(ones_221(), [np.inf, 1.0])


def test_nan_in_y():
    with pytest.raises(ValueError, match="y: contains NaN or infinite values"):
        hp.mean_loss(ones_221(), X4, [4.0, np.nan, 6.0, 7.0])


def test_inf_in_y():
    with pytest.raises(ValueError, match="y: contains NaN or infinite values"):
        hp.gradients(ones_221(), X4[0], -np.inf)


def test_nan_in_params():
    with pytest.raises(ValueError, match=r"params\['W1'\]: contains NaN or infinite values"):
        hp.predict(bad_params(W1=np.array([[1.0, np.nan], [1.0, 1.0]])), X4)


def test_inf_in_params():
    with pytest.raises(ValueError, match=r"params\['b2'\]: contains NaN or infinite values"):
        hp.gradients(bad_params(b2=np.array([np.inf])), X4[0], 4.0)


def test_unknown_activation():
    with pytest.raises(ValueError,
                       match=r"activation: unknown 'tanh'; expected one of \['linear', 'sigmoid', 'relu'\]"):
        hp.predict(ones_221(), X4, activation="tanh")


def test_unknown_loss():
    with pytest.raises(ValueError, match=r"loss: unknown 'mae'; expected one of \['mse', 'bce'\]"):
        hp.gradients(ones_221(), X4, Y4, loss="mae")


def test_unknown_loss_in_per_sample_loss():
    with pytest.raises(ValueError, match=r"loss: unknown 'l1'"):
        hp.per_sample_loss(Y4, Y4, "l1")


def test_per_sample_loss_shapes_must_match():
    with pytest.raises(ValueError, match=r"y and y_hat: expected the same shape, got \(4,\) and \(4, 1\)"):
        hp.per_sample_loss(Y4, Y4[:, None])


def test_bce_without_sigmoid():
    with pytest.raises(ValueError, match="loss: 'bce' needs a sigmoid output.*activation='linear'"):
        hp.gradients(ones_221(), X4[0], 1.0, activation="linear", loss="bce")


def test_bce_targets_outside_0_1():
    with pytest.raises(ValueError, match="y: bce needs targets between 0 and 1, got values from 4.0 to 7.0"):
        hp.mean_loss(ones_221(), X4, Y4, "sigmoid", "bce")
    with pytest.raises(ValueError, match="y: bce needs targets between 0 and 1"):
        hp.gradients(ones_221(), X4[0], -0.5, "sigmoid", "bce")


@pytest.mark.parametrize("sizes", [[2, 0, 1], [2, -1, 1], [2, 2.5, 1], [2, "abc", 1], [2, [3], 1], [2, True, 1]])
def test_layer_size_not_a_positive_integer(sizes):
    with pytest.raises(ValueError, match="layer_sizes: every size must be a positive integer"):
        hp.init_params(sizes)


def test_layer_sizes_only_one_layer():
    with pytest.raises(ValueError, match=r"layer_sizes: expected at least an input and an output layer, got \[3\]"):
        hp.init_params([3])


@pytest.mark.parametrize("sizes", ["abc", 3])
def test_layer_sizes_not_a_list(sizes):
    with pytest.raises(TypeError, match="layer_sizes: expected a list of positive integers like"):
        hp.init_params(sizes)


def test_init_params_bad_scheme_and_weight():
    with pytest.raises(ValueError, match="scheme: unknown 'glorot'"):
        hp.init_params([2, 2, 1], weight=None, scheme="glorot")
    with pytest.raises(ValueError, match="weight: expected a finite number, got nan"):
        hp.init_params([2, 2, 1], weight=float("nan"))
    with pytest.raises(TypeError, match="bias: expected a number, got '0'"):
        hp.init_params([2, 2, 1], bias="0")


def test_sgd_step_grads_wrong_shape():
    g = hp.gradients(ones_221(), X4[0], 4.0)
    g["W1"] = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"grads\['W1'\]: expected shape \(2, 2\) like params\['W1'\], got \(2, 3\)"):
        hp.sgd_step(ones_221(), g, 0.001)


def test_sgd_step_grads_not_broadcast():
    g = hp.gradients(ones_221(), X4[0], 4.0)
    g["b1"] = np.ones((1, 2))
    with pytest.raises(ValueError, match=r"grads\['b1'\]: expected a 1-D array, got shape \(1, 2\)"):
        hp.sgd_step(ones_221(), g, 0.001)


def test_sgd_step_grads_missing_key():
    g = hp.gradients(ones_221(), X4[0], 4.0)
    del g["b2"]
    with pytest.raises(ValueError, match=r"grads: expected the same keys as params \['W1', 'W2', 'b1', 'b2'\]"):
        hp.sgd_step(ones_221(), g, 0.001)


def test_sgd_step_grads_nan():
    g = hp.gradients(ones_221(), X4[0], 4.0)
    g["W2"] = np.array([[np.nan], [1.0]])
    with pytest.raises(ValueError, match=r"grads\['W2'\]: contains NaN or infinite values"):
        hp.sgd_step(ones_221(), g, 0.001)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_sgd_step_lr_not_positive(lr):
    g = hp.gradients(ones_221(), X4[0], 4.0)
    with pytest.raises(ValueError, match="lr: expected a positive finite number"):
        hp.sgd_step(ones_221(), g, lr)


@pytest.mark.parametrize("lr", [True, "0.1", None])
def test_sgd_step_lr_not_a_number(lr):
    g = hp.gradients(ones_221(), X4[0], 4.0)
    with pytest.raises(TypeError, match="lr: expected a positive number"):
        hp.sgd_step(ones_221(), g, lr)


def test_params_as_lists_of_numbers():
    as_lists = {k: v.tolist() for k, v in ones_221().items()}
    g = hp.gradients(as_lists, X4[0], Y4[0])
    assert hp.as_named(g) == hp.as_named(hp.gradients(ones_221(), X4[0], Y4[0]))
    assert hp.predict(as_lists, X4[0]) == 32.0


def test_params_in_another_key_order():
    p = hp.init_params([2, 3, 1], weight=None, seed=8)
    shuffled = {k: p[k] for k in ["b2", "W1", "W2", "b1"]}
    assert hp.as_named(hp.gradients(shuffled, X4, Y4)) == hp.as_named(hp.gradients(p, X4, Y4))


def test_bce_per_sample_loss_at_certain_predictions():
    # a term whose factor is 0 counts 0 (not 0 · log 0 = nan); a confident wrong answer costs infinity
    with np.errstate(all="raise"):
        got = hp.per_sample_loss([1.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0], "bce")
    assert got.tolist() == [0.0, 0.0, np.inf, np.inf]
    assert not np.signbit(got[0])
    assert hp.per_sample_loss(1.0, 0.7, "bce") == pytest.approx(-np.log(0.7), rel=1e-15)
