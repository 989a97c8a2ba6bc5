"""The notebooks' small widgets: each control shows what a fresh computation gives, from cached runs."""

import numpy as np
import pytest

import helpers as hp
from helpers.display import widgets

DS = hp.load_students()
START = hp.init_params([2, 2, 1], weight=0.1)


def test_training_sliders_show_the_run_of_the_controls_whatever_the_order_of_moves():
    box = widgets.training_sliders(START, DS.X, DS.y, lr=0.001, epochs=10, batch_size=1)
    lr, epochs, batch = box.sliders
    for e, b, rate in [(30, 1, 0.001), (12, 1, 0.001), (12, 4, 0.001), (40, 4, 10 ** -2.5), (5, 1, 0.001)]:
        epochs.value, batch.value, lr.value = e, b, rate
        want = hp.train(START, DS.X, DS.y, lr=rate, epochs=e, batch_size=b)
        assert box.history.epoch_loss == want.epoch_loss and box.history.epochs == e
        np.testing.assert_array_equal(box.history.params_flat, want.params_flat)
        assert f"epoch loss {hp.fmt(want.epoch_loss[-1])}," in box.summary.value     # one spelling: the caption's too
        assert f"epoch loss {hp.fmt(want.epoch_loss[-1])} in epoch {e}" in box.figure.value
        # the loss at the final weights, by hand: the mean squared error of the linear 2-2-1 network
        W1, b1, W2, b2 = (want.params[k] for k in ("W1", "b1", "W2", "b2"))
        final = float(np.mean(((DS.X @ W1 + b1) @ W2 + b2 - DS.y[:, None]) ** 2))
        assert f"loss at the final weights {hp.fmt(final)}" in box.summary.value


def test_landscape_explorer_draws_each_rate_once_and_says_where_the_paths_end():
    box = widgets.landscape_explorer(START, DS.X, DS.y, lrs=(0.001, 0.005), epochs=20,
                                     a_values=np.linspace(-0.6, 0.6, 11), b_values=np.linspace(-0.2, 1.2, 11))
    box.slider.value = 0.005
    runs = hp.descent_paths(START, DS.X, DS.y, ("w11^1", "w11^2"), lr=0.005, epochs=20)
    end = hp.param_path(runs["per-sample"], ("w11^1", "w11^2"))[-1]
    assert f"per-sample ends at ({hp.fmt(end[0])}, {hp.fmt(end[1])})" in box.figure.value
    assert "η = 0.005" in box.figure.value and "bp-contour" in box.figure.value
    assert box.runs["full batch"].epoch_loss == runs["full batch"].epoch_loss
    assert f"full batch: epoch loss {hp.fmt(runs['full batch'].epoch_loss[-1])} in epoch 20" in box.summary.value
    path = hp.param_path(runs["per-sample"], ("w11^1", "w11^2"))                   # how far the path reaches
    assert (f"w<sub>11</sub><sup>2</sup> from {hp.fmt(path[:, 1].min(), 3)} to {hp.fmt(path[:, 1].max(), 3)}"
            in box.summary.value.split("<br>")[0])


def test_landscape_explorer_opens_at_the_rate_asked_for_and_refuses_one_it_does_not_offer():
    kw = dict(epochs=5, a_values=np.linspace(-0.6, 0.6, 5), b_values=np.linspace(-0.2, 1.2, 5))
    box = widgets.landscape_explorer(START, DS.X, DS.y, lrs=(0.0005, 0.001, 0.002), lr=0.001, **kw)
    assert box.slider.value == 0.001 and "η = 0.001" in box.figure.value
    assert widgets.landscape_explorer(START, DS.X, DS.y, lrs=(0.0005, 0.001), **kw).slider.value == 0.0005
    for bad in (0.003, "0.001", True):
        with pytest.raises(ValueError, match=r"^lr: expected one of the rates in lrs"):
            widgets.landscape_explorer(START, DS.X, DS.y, lrs=(0.0005, 0.001), lr=bad, **kw)


def test_one_weight_slider_figure_states_the_step():
    box = widgets.one_weight_slider(w=1.0, lr=0.005)
    box.sliders[0].value = 0.75
    assert "at w = 0.75, L = 4" in box.figure.value
    assert f"goes to w = {hp.fmt(hp.one_weight_step(0.75, 0.005))}" in box.figure.value
