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
