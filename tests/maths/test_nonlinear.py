"""Non-linear data: the xor dataset, what a linear network cannot do, and what hidden sigmoids add."""

import math

import numpy as np
import pytest

import helpers as hp

XOR_RUN = dict(lr=0.5, epochs=300, activation="sigmoid", loss="bce", batch_size=10, shuffle=True, seed=0)


@pytest.fixture(scope="module")
def xor():
    return hp.load_xor()


def test_the_dataset_loads_with_its_names(xor):
    assert xor.X.shape == (100, 2) and xor.feature_names == ("x1", "x2") and xor.target_name == "label"
    assert set(xor.y.tolist()) == {0.0, 1.0}


def test_no_linear_network_fits_it(xor):
    lin = hp.train(hp.init_params([2, 2, 1], weight=None, seed=0), xor.X, xor.y, lr=0.01, epochs=300,
                   batch_size=100)
    best = np.linalg.lstsq(np.c_[xor.X, np.ones(100)], xor.y, rcond=None)[0]      # the best any line can do
    line_loss = np.mean((np.c_[xor.X, np.ones(100)] @ best - xor.y) ** 2)
    assert lin.epoch_loss[-1] == pytest.approx(line_loss, abs=1e-3) and line_loss > 0.24
    assert hp.accuracy(lin.params, xor.X, xor.y, "linear") <= 0.6


def test_four_hidden_sigmoids_fit_it(xor):
    start = hp.init_params([2, 4, 1], weight=None, seed=0)
    hist = hp.train(start, xor.X, xor.y, **XOR_RUN)
    assert hp.accuracy(start, xor.X, xor.y) == 0.5
    assert hp.accuracy(hist.params, xor.X, xor.y) == 1.0
    assert hist.epoch_loss[-1] < 0.02
    for k in (0, 10, hist.n_steps):
        np.testing.assert_array_equal(hp.flatten(hist.params_at(k)), hist.params_flat[k])


def test_small_weights_start_near_ln2(xor):
    """A sanity check: with small weights ŷ ≈ 0.5 for every row, so the mean BCE is about ln 2."""
    small = hp.init_params([2, 4, 1], weight=0.01)
    assert hp.mean_loss(small, xor.X, xor.y, "sigmoid", "bce") == pytest.approx(math.log(2), abs=1e-3)


def test_a_network_can_overfit_four_rows():
    """A sanity check: four rows with random targets are memorised by a network with enough parameters."""
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    hist = hp.train(hp.init_params([2, 8, 1], weight=None, seed=1), X, y, lr=1.0, epochs=2000,
                    activation="sigmoid", loss="bce", batch_size=4)
    assert hist.epoch_loss[-1] < 0.01 and hp.accuracy(hist.params, X, y) == 1.0


def test_layer_grids_are_the_hidden_outputs_on_the_plane():
    params = hp.init_params([2, 3, 1], weight=None, seed=2)
    a, b = np.linspace(-1, 1, 4), np.linspace(0, 2, 3)
    grids = hp.layer_grids(params, a, b, "sigmoid", layer=1)
    assert grids.shape == (3, 3, 4)
    fw = hp.forward(params, np.array([a[1], b[2]]), "sigmoid")
    np.testing.assert_allclose(grids[:, 2, 1], fw.O[1], rtol=1e-15)
    np.testing.assert_allclose(hp.layer_grids(params, a, b, "sigmoid", layer=2)[0],
                               hp.evaluate_grid(params, a, b, "sigmoid").out, rtol=1e-15)
    with pytest.raises(ValueError, match="layer: expected a whole number from 1 to 2"):
        hp.layer_grids(params, a, b, "sigmoid", layer=3)


def test_bad_input_is_named(xor):
    with pytest.raises(ValueError, match="y: expected shape \\(100,\\)"):
        hp.accuracy(hp.init_params(), xor.X, xor.y[:3])
    hist = hp.train(hp.init_params(), xor.X, xor.y, lr=0.01, epochs=1)
    with pytest.raises(ValueError, match="step: expected a whole number from 0 to 100"):
        hist.params_at(101)


def test_forward_memory_counts_what_backprop_keeps():
    m = hp.forward_memory([2, 64, 64, 1], rows=256)
    assert m["values kept"] == 256 * 2 * (64 + 64 + 1) and m["bytes kept"] == 8 * m["values kept"]
    assert m["bytes kept"] <= m["measured bytes"] < m["bytes kept"] + 4096
    assert m["parameters"] == 4417
    with pytest.raises(ValueError, match="rows: expected a whole number"):
        hp.forward_memory([2, 2, 1], rows=0)
