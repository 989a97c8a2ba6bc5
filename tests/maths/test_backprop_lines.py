"""The guard-free backpropagation notebook 02 prints is the same computation as hp.backward."""

import numpy as np
import pytest

import helpers as hp
from helpers.maths.lessons.backprop_lines import backprop_lines


@pytest.mark.parametrize(("sizes", "act", "loss"), [([2, 2, 1], "linear", "mse"), ([2, 2, 1], "sigmoid", "bce"),
                                                    ([2, 2, 1], "sigmoid", "mse"), ([3, 4, 2, 1], "sigmoid", "bce"),
                                                    ([2, 3, 1], "relu", "mse")])
def test_backprop_lines_equal_hp_backward(sizes, act, loss):
    rng = np.random.default_rng(5)
    params = hp.init_params(sizes, weight=None, seed=2)
    params = {k: v + rng.uniform(-0.5, 0.5, v.shape) if k.startswith("b") else v for k, v in params.items()}
    X = rng.uniform(-2, 2, (7, sizes[0]))
    y = (rng.random(7) > 0.5).astype(float)
    fw = hp.forward(params, X, act)
    got = backprop_lines(params, fw.z, fw.a, y[:, None], act, loss)
    want = hp.backward(params, fw, y, act, loss)
    assert set(got) == set(want)
    for k in want:
        np.testing.assert_allclose(got[k], want[k], rtol=1e-13, atol=1e-15)
    numeric = hp.numerical_gradients(params, X, y, activation=act, loss=loss) if act != "relu" else None
    if numeric is not None:                       # and both agree with centred differences
        assert hp.relative_error(hp.flatten(got), hp.flatten(numeric)) < 1e-7


def test_backprop_lines_source_is_short():
    import inspect
    assert len(inspect.getsource(backprop_lines).splitlines()) <= 25
