"""The scaling figure's helper: grids around each run's path, the path drawn, bad input named."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import helpers as hp  # noqa: E402


def test_plot_descent_pair_frames_each_path_and_rejects_other_input():
    ds = hp.load_students()
    lin = hp.init_params([2, 1], weight=0.0)
    runs = {"a": hp.train(lin, ds.X, ds.y, lr=0.001, epochs=20, batch_size=4),
            "b": hp.train(lin, ds.X, ds.y, lr=0.001, epochs=5)}
    axes = hp.plot_descent_pair(runs, ("w11^1", "w21^1"))
    for ax, (title, h) in zip(axes, runs.items()):
        path = hp.param_path(h, ("w11^1", "w21^1"))
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        assert ax.get_title() == title
        assert x0 <= path[:, 0].min() and path[:, 0].max() <= x1 and y0 <= path[:, 1].min() <= path[:, 1].max() <= y1
        drawn = [line.get_xydata() for line in ax.get_lines() if len(line.get_xydata()) == len(path)]
        assert any(np.allclose(d, path) for d in drawn)
    plt.close("all")
    with pytest.raises(ValueError, match="runs"):
        hp.plot_descent_pair({"a": runs["a"]}, ("w11^1", "w21^1"))


def test_plot_descent_pair_draws_the_equal_panel_to_one_scale_and_labels_the_axes_by_the_notation():
    ds = hp.load_students()
    lin = hp.init_params([2, 1], weight=0.0)     # [2, 1]: layer 1 is the output layer, weights w11^1, w21^1
    runs = {"raw": hp.train(lin, ds.X, ds.y, lr=0.001, epochs=20, batch_size=4),
            "round": hp.train(lin, hp.standardise(ds.X)[0], ds.y, lr=0.1, epochs=20, batch_size=4)}
    raw, eq = hp.plot_descent_pair(runs, ("w11^1", "w21^1"), equal=["round"])
    assert eq.get_aspect() == 1.0 and raw.get_aspect() == "auto"
    (x0, x1), (y0, y1) = eq.get_xlim(), eq.get_ylim()
    assert x1 - x0 == pytest.approx(y1 - y0)
    path = hp.param_path(runs["round"], ("w11^1", "w21^1"))
    assert x0 <= path[:, 0].min() and path[:, 0].max() <= x1 and y0 <= path[:, 1].min() <= path[:, 1].max() <= y1
    for ax in (raw, eq):
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("$w_{11}^{1}$", "$w_{21}^{1}$")
    assert set(hp.as_named(lin)) == {"w11^1", "w21^1", "b11"}
    plt.close("all")
    for bad in ("round", ["flat"]):
        with pytest.raises(ValueError, match="equal"):
            hp.plot_descent_pair(runs, ("w11^1", "w21^1"), equal=bad)


def test_loss_curves_say_they_show_the_epoch_loss():
    ds = hp.load_students()
    run = hp.train(hp.init_params([2, 2, 1], weight=0.1), ds.X, ds.y, lr=0.001, epochs=5)
    for ax in (hp.plot_lr_curves({"η = 0.001": run}), hp.plot_loss(run.epoch_loss)):
        assert ax.get_ylabel() == "epoch loss" and ax.get_xlabel() == "epoch"
        assert np.allclose(ax.get_lines()[0].get_ydata(), run.epoch_loss)     # what the label says is drawn
    plt.close("all")


def test_a_diverged_run_clipped_at_the_top_says_its_real_last_loss():
    ds = hp.load_students()
    start = hp.init_params([2, 2, 1], weight=0.1)                  # notebook 03's four rates, two of them
    runs = {"good": hp.train(start, ds.X, ds.y, lr=0.001, epochs=100),
            "diverging": hp.train(start, ds.X, ds.y, lr=0.02, epochs=100)}
    ax = hp.plot_lr_curves(runs)
    last, top = runs["diverging"].epoch_loss[-1], 1e3 * max(h.epoch_loss[0] for h in runs.values())
    assert runs["diverging"].diverged and last > top and ax.get_ylim()[1] == top   # beyond the plot's top
    assert [t.get_text() for t in ax.texts] == [f"off scale: {last:.2g}"]
    plt.close("all")


def test_the_stability_scan_labels_its_rows_as_its_legend_does():
    ds = hp.load_students()
    edge = hp.stability_edge(hp.init_params([2, 2, 1], weight=1.0), ds.X, ds.y, [0.001, 0.05])
    ax = hp.plot_stability_scan(edge)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["not stable", "stable"]
    assert sorted(ax.get_legend_handles_labels()[1]) == ["not stable", "stable"]
    plt.close("all")
