"""Multiplication counts of backpropagation and finite differences, checked by counting real products."""

import itertools
import math

import numpy as np
import pytest

import helpers as hp


class Counter:
    """Scalar arithmetic that counts its multiplications."""

    def __init__(self):
        self.n = 0

    def mul(self, a, b):
        self.n += 1
        return a * b


def forward_counted(c, p, sizes, x):
    acts = [list(x)]
    for l in range(1, len(sizes)):
        W, b = p[f"W{l}"], p[f"b{l}"]
        acts.append([sum(c.mul(acts[-1][j], W[j, k]) for j in range(sizes[l - 1])) + b[k]
                     for k in range(sizes[l])])
    return acts


def backprop_counted(p, sizes, x, y):
    """Linear network, L = (y - ŷ)^2, written with scalar products; returns the gradient and the count."""
    c = Counter()
    acts = forward_counted(c, p, sizes, x)
    delta = [c.mul(2.0, acts[-1][0] - y)]                       # ∂L/∂ŷ
    grads = {}
    for l in range(len(sizes) - 1, 0, -1):
        grads[f"W{l}"] = np.array([[c.mul(acts[l - 1][j], delta[k]) for k in range(sizes[l])]
                                   for j in range(sizes[l - 1])])
        grads[f"b{l}"] = np.array(delta)
        if l > 1:
            W = p[f"W{l}"]
            delta = [sum(c.mul(W[j, k], delta[k]) for k in range(sizes[l])) for j in range(sizes[l - 1])]
    return grads, c.n


def fd_counted(p, sizes, x, y):
    c, eps = Counter(), 1e-5
    for key in p:
        for idx in np.ndindex(p[key].shape):
            for s in (+1, -1):
                q = {k: v.copy() for k, v in p.items()}
                q[key][idx] += s * eps
                y_hat = forward_counted(c, q, sizes, x)[-1][0]
                c.mul(y - y_hat, y - y_hat)
    return c.n


SIZES = [[2, 2, 1], [2, 1], [3, 4, 1], [2, 3, 4, 1], [1, 2, 3, 2, 1]]


def test_the_2_2_1_counts():
    assert hp.n_params([2, 2, 1]) == 9
    assert hp.forward_mults([2, 2, 1]) == 6
    assert hp.backprop_mults([2, 2, 1]) == 15
    assert hp.fd_mults([2, 2, 1]) == 126
    assert hp.chain_rule_mults([2, 2, 1]) == {"separate": 21, "shared": 9}


@pytest.mark.parametrize("sizes", SIZES)
def test_backprop_count_is_the_count_of_a_real_backprop(sizes):
    p = hp.init_params(sizes, weight=None, seed=0, bias=0.3)
    x, y = np.linspace(0.5, 1.5, sizes[0]), 0.7
    grads, n = backprop_counted(p, sizes, x, y)
    ref = hp.gradients(p, x, y)
    assert all(np.allclose(grads[k], ref[k], rtol=1e-12) for k in ref)   # it is a real backpropagation
    assert hp.backprop_mults(sizes) == n
    assert hp.n_params(sizes) == hp.flatten(p).size


@pytest.mark.parametrize("sizes", SIZES)
def test_fd_count_is_the_count_of_real_centred_differences(sizes):
    p = hp.init_params(sizes, weight=None, seed=0)
    assert hp.fd_mults(sizes) == fd_counted(p, sizes, np.ones(sizes[0]), 0.5)


def separate_by_paths(sizes):
    """Each derivative on its own: ∂L/∂ŷ (1), then every path's weights, then the input for a weight."""
    L, total = len(sizes) - 1, 0
    for l in range(1, L + 1):
        for k in range(sizes[l]):
            # every path from neuron k of layer l to the output: one neuron in each layer l+1 .. L
            paths = list(itertools.product(*[range(sizes[i]) for i in range(l + 1, L + 1)]))
            per_bias = 1 + sum(len(path) for path in paths)      # 2(ŷ - y), then one product per weight
            total += per_bias + sizes[l - 1] * (per_bias + 1)
    return total


@pytest.mark.parametrize("sizes", SIZES + [[2, 8, 8, 1], [4, 3, 3, 3, 1]])
def test_chain_rule_counts_by_enumerating_paths(sizes):
    counts = hp.chain_rule_mults(sizes)
    assert counts["separate"] == separate_by_paths(sizes)
    assert counts["shared"] == hp.backprop_mults(sizes) - hp.forward_mults(sizes)


def test_cost_table_ratio_grows_with_the_number_of_parameters():
    rows = hp.cost_table([[2, h, h, 1] for h in (2, 8, 32, 128)])
    assert [r.n_params for r in rows] == [15, 105, 1185, 17025]
    ratios = [r.ratio for r in rows]
    assert all(a < b for a, b in zip(ratios, ratios[1:]))
    for r in rows:
        assert r.ratio == pytest.approx(hp.fd_mults(r.layer_sizes) / hp.backprop_mults(r.layer_sizes))
        assert math.isclose(r.ratio, 2 * r.n_params * (hp.forward_mults(r.layer_sizes) + 1)
                            / r.backprop, rel_tol=1e-12)


def test_time_gradients_returns_three_positive_times():
    t = hp.time_gradients([2, 4, 1], repeat=1)
    assert set(t) == {"forward", "backprop", "finite_differences"} and all(v > 0 for v in t.values())


def test_time_gradients_times_no_argument_check(monkeypatch):
    """The three timings compare like with like: inputs are checked once, before any clock starts."""
    from helpers.maths import gradcheck, network
    from helpers.maths.lessons import gradient_cost

    calls = []
    real = network.validate

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(gradient_cost, "validate", counting)
    monkeypatch.setattr(gradcheck, "validate", counting)
    hp.time_gradients([2, 4, 1], repeat=2)
    assert len(calls) == 2      # once for the network, once inside the centred difference's set-up


@pytest.mark.parametrize("fn", [hp.backprop_mults, hp.fd_mults, hp.chain_rule_mults])
def test_counts_reject_bad_sizes(fn):
    with pytest.raises(ValueError, match="layer_sizes"):
        fn([2, 2, 3])
    with pytest.raises(ValueError, match="layer_sizes"):
        fn([2])
    with pytest.raises(TypeError, match="layer_sizes"):
        fn("2-2-1")
