"""Stable learning rates (scan, edge, bisection) and the stopping criteria of train_until."""

import numpy as np
import pytest

import helpers as hp

X4 = np.array([[8.0, 8.0], [7.0, 9.0], [6.0, 10.0], [5.0, 12.0]])
Y4 = np.array([4.0, 5.0, 6.0, 7.0])


def start(sizes=(2, 2, 1), weight=0.1):
    return hp.init_params(list(sizes), weight=weight)


def test_is_stable_follows_its_definition():
    p = start()
    for lr in (0.001, 0.005, 0.02, 0.1):
        hist = hp.train(p, X4, Y4, lr=lr, epochs=200)
        expected = not hist.diverged and hist.epoch_loss[-1] < hp.mean_loss(p, X4, Y4)
        assert hp.is_stable(p, X4, Y4, lr) == expected
    assert hp.is_stable(p, X4, Y4, 0.001) and not hp.is_stable(p, X4, Y4, 0.02)


def test_bisection_matches_two_over_the_largest_curvature():
    # full-batch gradient descent on linear regression ([2, 1]) is stable exactly when lr < 2 / λ_max,
    # λ_max the largest eigenvalue of the Hessian (2/m) Xa^T Xa, Xa = [X, 1]
    ds = hp.load_students_large()
    Xa = np.c_[ds.X, np.ones(len(ds.y))]
    theory = 2 / np.linalg.eigvalsh(2 * Xa.T @ Xa / len(ds.y))[-1]
    got = hp.largest_stable_lr(start((2, 1), 0.0), ds.X, ds.y, lo=1e-6, hi=1.0, batch_size=len(ds.y),
                               epochs=200, rtol=1e-3)
    assert got == pytest.approx(theory, rel=3e-3)


def _hessian_by_differences(params, X, y, h=1e-3):
    """The Hessian of the mean loss over the flattened parameters, by centred second differences."""
    flat = hp.flatten(params)
    n = len(flat)
    def loss(v):
        return hp.mean_loss(hp.unflatten(v, [2, 1]), X, y)
    H = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            H[i, j] = (loss(flat + e_i + e_j) - loss(flat + e_i - e_j) - loss(flat - e_i + e_j)
                       + loss(flat - e_i - e_j)) / (4 * h * h)
    return H


@pytest.mark.parametrize("scale", [1.0, 10.0])
def test_edge_from_curvature_is_two_over_the_hessians_largest_eigenvalue(scale):
    ds = hp.load_students_large()
    X = ds.X * np.array([1.0, scale])
    neuron = start((2, 1), 0.0)
    H = _hessian_by_differences(neuron, X, ds.y)          # a quadratic: second differences are exact but for rounding
    edge = hp.edge_from_curvature(X)
    assert edge == pytest.approx(2 / np.linalg.eigvalsh(H)[-1], rel=1e-6)
    m = len(ds.y)
    below = hp.train(neuron, X, ds.y, lr=0.99 * edge, epochs=3000, batch_size=m).epoch_loss
    above = hp.train(neuron, X, ds.y, lr=1.01 * edge, epochs=3000, batch_size=m).epoch_loss
    assert below[-1] < below[1499] < below[0]             # converging
    assert above[-1] > above[1499] > above[0]             # diverging, though slowly


def test_a_finite_test_can_miss_slow_divergence():
    # 03 §6: bisection with 200 epochs lands just past the exact edge on standardised inputs, where the loss
    # still ends below the start after 200 epochs but grows without bound later
    ds = hp.load_students_large()
    Xs, m = hp.standardise(ds.X)[0], len(ds.y)
    neuron = start((2, 1), 0.0)
    found = hp.largest_stable_lr(neuron, Xs, ds.y, batch_size=m)
    assert found > hp.edge_from_curvature(Xs)
    assert hp.is_stable(neuron, Xs, ds.y, found, batch_size=m)
    assert not hp.is_stable(neuron, Xs, ds.y, found, epochs=3000, batch_size=m)


def test_bisection_returns_a_stable_rate_on_the_edge():
    p = start()
    lr = hp.largest_stable_lr(p, X4, Y4, rtol=1e-3)
    assert hp.is_stable(p, X4, Y4, lr)
    assert 0.0095 < lr < 0.013


def test_bisection_rejects_bad_brackets():
    p = start()
    with pytest.raises(ValueError, match="lo"):
        hp.largest_stable_lr(p, X4, Y4, lo=0.05, hi=1.0)
    with pytest.raises(ValueError, match="hi"):
        hp.largest_stable_lr(p, X4, Y4, lo=1e-5, hi=1e-4)
    with pytest.raises(ValueError, match="lo and hi"):
        hp.largest_stable_lr(p, X4, Y4, lo=1e-2, hi=1e-3)
    with pytest.raises(TypeError, match="lo"):
        hp.largest_stable_lr(p, X4, Y4, lo="small")


def test_stability_edge_against_a_scan_by_train():
    p, lrs = start(), np.linspace(0.009, 0.014, 11)
    edge = hp.stability_edge(p, X4, Y4, lrs)
    ok = np.array([hp.is_stable(p, X4, Y4, float(lr)) for lr in lrs])
    assert np.array_equal(edge.stable, ok)
    safe = lrs <= edge.safe_up_to
    assert ok[safe].all() and not ok[np.flatnonzero(~safe)[0]]
    bad = lrs >= edge.unstable_from
    assert not ok[bad].any() and ok[np.flatnonzero(~bad)[-1]]


def test_stability_edge_when_all_or_none_are_stable():
    p = start()
    all_ok = hp.stability_edge(p, X4, Y4, [1e-4, 1e-3])
    assert all_ok.safe_up_to == 1e-3 and all_ok.unstable_from is None
    none_ok = hp.stability_edge(p, X4, Y4, [0.05, 0.1])
    assert none_ok.safe_up_to is None and none_ok.unstable_from == 0.05


def test_stability_edge_rejects_unsorted_rates():
    with pytest.raises(ValueError, match="lrs"):
        hp.stability_edge(start(), X4, Y4, [0.01, 0.001])


def test_train_until_gradient_criterion():
    Xs = (X4 - X4.mean(0)) / X4.std(0)
    c = hp.train_until(start(), Xs, Y4, lr=0.05, grad_tol=1e-3, max_epochs=5000)
    assert c.reason == "gradient"
    assert c.grad_norm[-1] < 1e-3 <= c.grad_norm[-2]
    # the same weights as plain training for that many epochs, and the same gradient norm
    hist = hp.train(start(), Xs, Y4, lr=0.05, epochs=c.epochs)
    assert np.allclose(hp.flatten(c.params), hp.flatten(hist.params), rtol=1e-12, atol=1e-14)
    assert np.allclose(c.epoch_loss, hist.epoch_loss, rtol=1e-12)
    num = hp.numerical_gradients(c.params, Xs, Y4)
    assert c.grad_norm[-1] == pytest.approx(np.linalg.norm(hp.flatten(num)), rel=1e-4)
    assert "gradient norm fell below" in c.message


def test_train_until_loss_criterion():
    c = hp.train_until(start(), X4, Y4, lr=0.001, loss_tol=1e-6)
    assert c.reason == "loss"
    changes = np.abs(np.diff(c.epoch_loss))
    assert changes[-1] < 1e-6 and np.all(changes[:-1] >= 1e-6)


def test_train_until_max_epochs_and_divergence():
    c = hp.train_until(start(), X4, Y4, lr=0.001, max_epochs=250, chunk=100)
    assert c.reason == "max_epochs" and c.epochs == 250
    d = hp.train_until(start(), X4, Y4, lr=0.02)
    assert d.reason == "diverged" and "diverged" in d.message
    assert d.epochs == len(hp.train(start(), X4, Y4, lr=0.02, epochs=10).epoch_loss)


@pytest.mark.parametrize("kw, match", [(dict(lr=0), "lr"), (dict(lr=0.001, loss_tol=-1), "loss_tol"),
                                       (dict(lr=0.001, grad_tol=0), "grad_tol"),
                                       (dict(lr=0.001, max_epochs=0), "max_epochs"),
                                       (dict(lr=0.001, chunk=1.5), "chunk")])
def test_train_until_rejects_bad_arguments(kw, match):
    with pytest.raises((ValueError, TypeError), match=match):
        hp.train_until(start(), X4, Y4, **kw)


def test_grad_norm_is_the_length_of_the_mean_gradient():
    g = hp.gradients(start(), X4, Y4)
    assert hp.grad_norm(start(), X4, Y4) == pytest.approx(np.sqrt(np.sum(hp.flatten(g) ** 2)), rel=1e-12)
