"""Computations that back single sentences of the course: least squares, how collinear the inputs are, the
loss at the end of each epoch, one row at a time against full batch, and the centred difference in float32."""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import checks
from .cost import backprop_mults, fd_mults, forward_mults
from .gradcheck import relative_error
from .network import mean_loss, sigmoid, validate
from .notation import n_params
from .stability import train_until
from .training import History


def _design(X) -> np.ndarray:
    X = checks.array(X, "X")
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise ValueError(f"X: expected a finite 2-D array (rows, inputs), got shape {X.shape}")
    return np.column_stack([X, np.ones(len(X))])


def least_squares(X, y, decimals: int = 9) -> np.ndarray:
    """The best linear rule y ≈ X·c + c0 by numpy.linalg.lstsq: (c_1, ..., c_n, c0), rounding noise removed."""
    A, y = _design(X), np.asarray(y, dtype=np.float64)
    if y.shape != (len(A),):
        raise ValueError(f"y: expected {len(A)} targets, got shape {y.shape}")
    return np.linalg.lstsq(A, y, rcond=None)[0].round(decimals) + 0.0   # + 0.0 turns -0.0 into 0.0


def condition_number(X) -> float:
    """How collinear the inputs are: the condition number of [X 1]ᵀ[X 1] (1 for independent, equal-scale ones)."""
    A = _design(X)
    return float(np.linalg.cond(A.T @ A))


def loss_after_epochs(hist: History) -> list[float]:
    """The mean loss over all rows at the parameters reached at the end of each full epoch.

    `hist.epoch_loss` is another number: the mean of the per-row losses measured during the epoch."""
    if not isinstance(hist, History):
        raise TypeError(f"hist: expected a History from train(), got {type(hist).__name__}")
    return [mean_loss(params_after_epoch(hist, e), hist.X, hist.y, hist.activation, hist.loss)
            for e in range(1, len(hist.epoch_loss) + 1)]


def params_after_epoch(hist: History, epoch: int) -> dict:
    """The parameters at the end of epoch `epoch` (counted from 1) of a training run."""
    if not isinstance(hist, History):
        raise TypeError(f"hist: expected a History from train(), got {type(hist).__name__}")
    epoch = checks.positive_int(epoch, "epoch")
    if epoch > len(hist.epoch_loss):
        raise ValueError(f"epoch: expected at most {len(hist.epoch_loss)} (the epochs trained), got {epoch}")
    return hist.params_at(epoch * hist.steps_per_epoch)


def mean_predictor_loss(y) -> float:
    """The mean squared error of predicting the mean target for every row: the best a constant can do."""
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1 or len(y) == 0 or not np.all(np.isfinite(y)):
        raise ValueError(f"y: expected a non-empty finite 1-D array of targets, got shape {y.shape}")
    return float(np.mean((y - y.mean()) ** 2))


def overshoots(path) -> int:
    """How many steps of a path of one parameter cross to the other side of its final value."""
    path = np.asarray(path, dtype=np.float64)
    if path.ndim != 1 or len(path) < 2 or not np.all(np.isfinite(path)):
        raise ValueError(f"path: expected a finite 1-D array of at least 2 values, got shape {path.shape}")
    side = np.sign(path[:-1] - path[-1])
    side = side[side != 0]
    return int(np.sum(side[1:] != side[:-1]))


def full_batch_from(params: dict, X, y, lr: float, epochs=(10, 2000), max_memory: float | None = None,
                    max_seconds: float | None = None) -> list[dict]:
    """Full-batch descent (one step an epoch, mean gradient) from `params`: the loss at the parameters and
    the gradient norm after each number of epochs in `epochs` (one count or several), one record each.
    Limits on memory and time as in `train_until`."""
    X, y = validate(params, X, "linear", y, "mse")
    if isinstance(epochs, numbers.Integral) and not isinstance(epochs, bool):
        epochs = (epochs,)
    if isinstance(epochs, (str, bytes)) or not hasattr(epochs, "__iter__"):
        raise TypeError(f"epochs: expected a whole number of epochs or a list of them like (10, 2000), got "
                        f"{epochs!r}")
    counts = [checks.positive_int(e, "epochs") for e in epochs]
    if not counts:
        raise ValueError("epochs: expected at least one number of epochs, got none")
    run = train_until(params, X, y, lr, max_epochs=max(counts), batch_size=len(y), max_memory=max_memory,
                      max_seconds=max_seconds)
    if run.diverged or len(run.epoch_loss) < max(counts):
        raise ValueError(f"full-batch descent from these weights did not run {max(counts)} epochs: {run.message}")
    # a full-batch epoch's loss is measured before its one update, so the loss after e updates is the next
    # epoch's; after the last one it is computed at the final parameters
    after = [*run.epoch_loss[1:], mean_loss(run.params, X, y)]
    return [{"full-batch epochs": e, "loss": float(after[e - 1]), "gradient norm": float(run.grad_norm[e - 1])}
            for e in counts]


def centred_difference_errors(z: float = 1.0, eps_values=(1e-1, 1e-3, 1e-5, 1e-7, 1e-9, 1e-11),
                              dtypes=("float64", "float32")) -> list[list]:
    """Relative error of the centred difference of the sigmoid at `z`, computed in each dtype, for each ε.

    One row an ε: [ε, error in dtypes[0], error in dtypes[1], ...], against σ(z)(1 - σ(z)) in float64."""
    z = float(z)
    exact = float(sigmoid(z) * (1 - sigmoid(z)))
    rows = []
    with np.errstate(all="ignore"):
        for e in eps_values:
            row = [float(checks.positive_number(e, "eps_values"))]
            for name in dtypes:
                t = np.dtype(name).type
                sig = lambda v: t(1) / (t(1) + np.exp(-v))   # noqa: E731  (stays in dtype t)
                d = (sig(t(z) + t(e)) - sig(t(z) - t(e))) / (t(2) * t(e))
                row.append(relative_error([float(d)], [exact]))
            rows.append(row)
    return rows


def cost_rows(networks) -> list[dict]:
    """The counted cost table: multiplications of one forward pass, of backpropagation (forward pass
    included) and of finite differences, and the two ratios the course quotes."""
    rows = []
    for s in networks:
        f, b = forward_mults(s), backprop_mults(s)
        fd = fd_mults(s)
        rows.append({"layers": "-".join(map(str, s)), "parameters": n_params(s), "forward pass": f,
                     "backprop": b, "backprop ÷ forward": round(b / f, 1), "finite differences": fd,
                     "fd ÷ backprop": round(fd / b, 1)})
    return rows


def timing_rows(networks, times) -> list[dict]:
    """The measured cost table from `time_gradients` results: milliseconds and the two ratios."""
    rows = []
    for s, t in zip(networks, times):
        if not isinstance(t, dict) or not all(isinstance(t.get(k), (int, float)) and t[k] > 0 and math.isfinite(t[k])
                                              for k in ("forward", "backprop", "finite_differences")):
            raise ValueError(f"times: expected positive timings (seconds) for forward, backprop and "
                             f"finite_differences, as time_gradients gives, got {t!r:.120}")
        rows.append({"parameters": n_params(s), "forward ms": 1e3 * t["forward"], "backprop ms": 1e3 * t["backprop"],
                     "backprop ÷ forward": round(t["backprop"] / t["forward"], 1),
                     "finite differences ms": 1e3 * t["finite_differences"],
                     "fd ÷ backprop": round(t["finite_differences"] / t["backprop"])})
    return rows
