"""The activations table against independent formulas, and every engine at relu's kink (relu′(0) = 0)."""

import math

import numpy as np
import pytest

import helpers as hp
from helpers.maths import chain
from helpers.maths.activations import ACTIVATIONS
from helpers.maths.graph import Node

STUDENTS = hp.load_students()
Z = np.array([-30.0, -2.5, -0.3, 0.0, 0.4, 1.7, 35.0])
EXACT = {"linear": (lambda z: z, lambda z: 1.0),
         "sigmoid": (lambda z: 1 / (1 + math.exp(-z)), lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2),
         "relu": (lambda z: z if z > 0 else 0.0, lambda z: 1.0 if z > 0 else 0.0)}


def test_the_table_lists_the_course_activations():
    assert set(ACTIVATIONS) == {"linear", "sigmoid", "relu"}


@pytest.mark.parametrize("name", sorted(EXACT))
def test_values_and_slopes_on_arrays_and_floats_match_the_formulas(name):
    f, (value, slope) = ACTIVATIONS[name], EXACT[name]
    a = f.value(Z)
    # 1 + tanh(-15) cancels: far left, σ written with tanh is right to 1e-16 absolute, not relative
    np.testing.assert_allclose(a, [value(z) for z in Z], rtol=1e-15, atol=1e-16)
    assert [f.value_float(float(z)) for z in Z] == pytest.approx([value(z) for z in Z], rel=1e-15, abs=1e-16)
    np.testing.assert_allclose(np.broadcast_to(f.slope(Z, a), Z.shape), [slope(z) for z in Z], rtol=1e-12,
                               atol=1e-16)
    for z in Z:
        assert float(f.slope(float(z), f.value_float(float(z)))) == pytest.approx(slope(z), rel=1e-12, abs=1e-16)


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_slopes_agree_with_centred_differences_away_from_the_kink(name):
    f, h = ACTIVATIONS[name], 1e-6
    for z in (-2.5, -0.3, 0.4, 1.7):
        fd = (f.value_float(z + h) - f.value_float(z - h)) / (2 * h)
        assert float(f.slope(z, f.value_float(z))) == pytest.approx(fd, rel=1e-8, abs=1e-12)


def test_sigmoid_never_overflows():
    assert hp.sigmoid(-1000.0) == 0.0 and hp.sigmoid(1000.0) == 1.0


# ---- relu's kink: z = 0 exactly, where relu′ is taken as 0 in every engine ----

def test_relu_slope_at_the_kink_is_zero_everywhere():
    assert float(ACTIVATIONS["relu"].slope(0.0, 0.0)) == 0.0
    assert ACTIVATIONS["relu"].slope(np.zeros(3), np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    assert chain.slope("relu", 0.0, 0.0) == 0.0
    z = Node(0.0, "z")
    out = z.relu()
    out.backward()
    assert z.grad == 0.0


@pytest.mark.parametrize("batch_size", [1, 2])
def test_engines_agree_at_the_kink_with_zero_weights(batch_size):
    p = hp.init_params([2, 2, 1], weight=0.0, bias=0.0)
    runs = [hp.train(p, STUDENTS.X, STUDENTS.y, lr=0.01, epochs=2, activation="relu", batch_size=batch_size,
                     engine=e) for e in ("python", "numpy")]
    assert runs[0].epoch_loss == pytest.approx(runs[1].epoch_loss, rel=1e-14)
    np.testing.assert_array_equal(runs[0].grads_flat, runs[1].grads_flat)
    # every weight 0: every z is 0, hidden and output, so relu′(0) = 0 zeroes every gradient and nothing moves;
    # ŷ stays 0 and each epoch's loss is the mean of y² (31.5; with relu′(0) = 1 in one engine they differ)
    assert runs[0].epoch_loss == runs[1].epoch_loss == [float(np.mean(STUDENTS.y ** 2))] * 2 == [31.5, 31.5]
    for hist in runs:
        assert not hist.grads_flat.any() and not hist.params_flat.any()


def test_engines_agree_when_only_the_hidden_layer_sits_on_the_kink():
    """W1 = 0 and b1 = 0 put both hidden z at 0; W2 and b21 are not 0, so ŷ's z is not: δ reaches the kink."""
    p = {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.array([[0.5], [0.5]]), "b2": np.array([1.0])}
    a, b = (hp.train(p, STUDENTS.X, STUDENTS.y, lr=0.01, epochs=2, activation="relu", engine=e)
            for e in ("python", "numpy"))
    np.testing.assert_allclose(a.epoch_loss, b.epoch_loss, rtol=1e-14)
    np.testing.assert_array_equal(a.grads_flat, b.grads_flat)
    for hist in (a, b):    # relu′(0) = 0: W1 and b1 get no gradient, so the hidden layer stays on the kink
        assert not hist.params["W1"].any() and not hist.params["b1"].any()
        assert hist.params["b2"][0] != 1.0


def test_backward_chain_and_graph_agree_at_the_kink():
    p = hp.init_params([2, 2, 1], weight=0.0, bias=0.0)
    x, y = STUDENTS.X[0], STUDENTS.y[0]
    grads = hp.as_named(hp.gradients(p, x, y, activation="relu"))
    rows = {r.name: r.value for r in hp.chain_rows(p, x, y, activation="relu")}
    nodes = hp.loss_graph(p, x, y, activation="relu")
    nodes["L"].backward()
    for name in hp.param_names([2, 2, 1]):
        assert grads[name] == rows[name] == nodes[name].grad, name
    assert grads["b21"] == 0.0      # ŷ's own z is 0 too: relu′(0) = 0 stops even the output bias
