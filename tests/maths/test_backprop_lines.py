"""The lines of backpropagation notebook 02 prints are the package's own (hp.backward runs them), short, and
right against centred differences."""

import inspect

import numpy as np
import pytest

import helpers as hp
from helpers.maths import network
from helpers.maths.network import backprop_lines


@pytest.mark.parametrize(("sizes", "act", "loss"), [([2, 2, 1], "linear", "mse"), ([2, 2, 1], "sigmoid", "bce"),
                                                    ([2, 2, 1], "sigmoid", "mse"), ([3, 4, 2, 1], "sigmoid", "bce"),
                                                    ([2, 3, 1], "relu", "mse")])
def test_backprop_lines_agree_with_centred_differences(sizes, act, loss):
    rng = np.random.default_rng(5)
    params = hp.init_params(sizes, weight=None, seed=2)
    params = {k: v + rng.uniform(-0.5, 0.5, v.shape) if k.startswith("b") else v for k, v in params.items()}
    X = rng.uniform(-2, 2, (7, sizes[0]))
    y = (rng.random(7) > 0.5).astype(float)
    fw = hp.forward(params, X, act)
    assert min(abs(z).min() for z in fw.z[1:]) > 1e-3           # no row on ReLU's kink, where the check fails
    got = backprop_lines(params, fw.z, fw.O, y[:, None], act, loss)
    numeric = hp.numerical_gradients(params, X, y, activation=act, loss=loss)
    assert set(got) == set(params)
    assert hp.relative_error(hp.flatten({k: got[k] for k in params}), hp.flatten(numeric)) < 1e-7


def test_hp_backward_runs_these_lines():
    """One version of backpropagation: hp.backward hands its rows to backprop_lines, one row as a matrix."""
    assert "backprop_lines(" in inspect.getsource(network.backward)
    params, x = hp.init_params([2, 2, 1], weight=None, seed=1), np.array([7.0, 9.0])
    one = hp.backward(params, hp.forward(params, x, "sigmoid"), 1.0, "sigmoid", "bce")
    fw = hp.forward(params, x[None], "sigmoid")
    rows = backprop_lines(params, fw.z, fw.O, np.array([[1.0]]), "sigmoid", "bce")
    assert all(np.array_equal(one[k], rows[k]) for k in params)


def test_backprop_lines_source_is_short():
    assert len(inspect.getsource(backprop_lines).splitlines()) <= 25


def test_forward_layer_counts_from_1():
    fw = hp.forward(hp.init_params([2, 3, 1], weight=None, seed=0), np.array([[1.0, 2.0]]), "sigmoid")
    z1, O1 = fw.layer(1)
    assert np.array_equal(z1, fw.z[1]) and np.array_equal(O1, fw.O[1]) and fw.layer(2)[1].shape == (1, 1)
    for bad in (0, 3, True, 1.0):
        with pytest.raises(ValueError, match="layer from 1 to 2"):
            fw.layer(bad)


def test_the_printed_lines_index_every_layer_one_way():
    """02 prints backprop_lines: z[l] and O[l] are both layer l's, and no `L` stands beside the loss L."""
    source = inspect.getsource(backprop_lines)
    assert "zs[l" not in source and "acts[l" not in source and "L = " not in source and "n_layers" in source
    assert "[None, *" not in source         # hp.forward's lists come as they are: z[0] is already None
