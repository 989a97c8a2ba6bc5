"""The shape of the loss: over one parameter, over a grid of two, and the paths descent takes on it.

Parameters are named as in the course ('w11^1', 'b21', ...); every other parameter is held at its value
in `params`. Also here: the linear network collapsed to one linear model, and gradient sizes layer by layer.
"""

from __future__ import annotations

import numpy as np

from .. import checks, notation
from ..network import forward_pass, gradients, mean_loss, output_loss, predict, validate
from ..training import History, train


def _with(params: dict, name: str, value: float) -> dict:
    """A copy of `params` with one parameter, by course name, set to `value`."""
    p = notation.locate(name, notation.layer_sizes_of(params))
    out = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    out[p.key][p.index] = value
    return out


def _values(values, name: str) -> np.ndarray:
    return checks.finite_array(values, name, 1)


def _two_names(names, params: dict) -> tuple[str, str]:
    if isinstance(names, str) or len(names) != 2 or names[0] == names[1]:
        raise ValueError(f"names: expected two different course names like ('w11^1', 'w11^2'), got {names!r}")
    sizes = notation.layer_sizes_of(params)
    for n in names:
        notation.locate(n, sizes)
    return names[0], names[1]


def loss_curve(params: dict, X, y, name: str, values, activation: str = "linear", loss: str = "mse"):
    """The mean loss as one parameter takes each of `values`, all the others held fixed; shape (len(values),)."""
    params = checks.as_params(params)
    notation.locate(name, notation.layer_sizes_of(params))
    values = _values(values, "values")
    return np.array([mean_loss(_with(params, name, v), X, y, activation, loss) for v in values.tolist()])


def loss_slope(params: dict, X, y, name: str, activation: str = "linear", loss: str = "mse") -> float:
    """∂(mean loss)/∂(name) at `params`, by backpropagation: the slope of `loss_curve` there."""
    return notation.get(gradients(params, X, y, activation, loss), name)


def loss_grid(params: dict, X, y, names, a_values, b_values, activation: str = "linear",
              loss: str = "mse") -> np.ndarray:
    """The mean loss over a grid of two parameters, the others fixed: `out[j, i]` at a_values[i], b_values[j].

    The layout is the one matplotlib's `contour(a_values, b_values, out)` expects.
    """
    params = checks.as_params(params)
    a_name, b_name = _two_names(names, params)
    a_values, b_values = _values(a_values, "a_values"), _values(b_values, "b_values")
    params, X, y = validate(params, X, activation, y, loss)
    pa, pb = (notation.locate(n, notation.layer_sizes_of(params)) for n in (a_name, b_name))
    # every grid point's network at once: parameters stacked along a leading axis of length len(a) * len(b)
    aa, bb = (v.ravel() for v in np.meshgrid(a_values, b_values))
    out = np.empty(aa.size)
    chunk = max(1, 2_000_000 // (len(y) * max(notation.layer_sizes_of(params))))    # bound the memory
    with np.errstate(over="ignore", invalid="ignore"):
        for s in range(0, aa.size, chunk):
            g = min(chunk, aa.size - s)
            work = {k: np.repeat(np.asarray(v, dtype=np.float64).reshape(1, -1, v.shape[-1] if v.ndim == 2 else
                                                                              v.size), g, axis=0)
                    for k, v in params.items()}
            for p, vals in ((pa, aa), (pb, bb)):
                idx = p.index if p.key.startswith("W") else (0,) + tuple(p.index)
                work[p.key][(slice(None),) + tuple(idx)] = vals[s : s + g]
            fw = forward_pass(work, X, activation)
            out[s : s + g] = np.mean(output_loss(fw.z[-1][..., 0], fw.O[-1][..., 0], y, loss), axis=-1)
    out = out.reshape(len(b_values), len(a_values))
    if not np.all(np.isfinite(out)):
        raise ValueError("params: the loss over this grid is too large for float64 (not finite); expected "
                         "smaller weights (a run that diverged leaves weights too large to draw around)")
    return out


def param_path(history: History, names) -> np.ndarray:
    """The values of two parameters at every step of a training run: shape (n_steps + 1, 2), start first."""
    if not isinstance(history, History):
        raise TypeError(f"history: expected a History from hp.train, got {type(history).__name__}")
    cols = []
    for n in names if not isinstance(names, str) else [names]:
        if n not in history.names:
            raise ValueError(f"names: unknown parameter {n!r}; expected some of {history.names}")
        cols.append(history.names.index(n))
    if len(cols) != 2 or cols[0] == cols[1]:
        raise ValueError(f"names: expected two different course names like ('w11^1', 'w11^2'), got {names!r}")
    return history.params_flat[:, cols].copy()


def descent_paths(params: dict, X, y, names, lr: float, epochs: int, activation: str = "linear",
                  loss: str = "mse", max_memory: float | None = None,
                  max_seconds: float | None = None) -> dict[str, History]:
    """Train twice from one start, per-sample (rows in order) and full-batch: {'per-sample': h, 'full batch': h}.

    Draw them on a `loss_grid` with `param_path(history, names)`: the other parameters move too, so a path is
    the shadow of the real one on the plane of the two chosen parameters.
    """
    params = checks.as_params(params)
    _two_names(names, params)
    params, X, y = validate(params, X, activation, y, loss)
    limits = {"max_memory": max_memory, "max_seconds": max_seconds}      # as in `train`
    return {"per-sample": train(params, X, y, lr=lr, epochs=epochs, activation=activation, loss=loss, **limits),
            "full batch": train(params, X, y, lr=lr, epochs=epochs, activation=activation, loss=loss,
                                batch_size=len(y), **limits)}


# ---- beyond the linear network ----

def collapse_linear(params: dict) -> tuple[np.ndarray, np.ndarray]:
    """The one linear model a linear network computes: ŷ = x @ W + b with W = W1 @ W2 @ ..., b likewise."""
    sizes = checks.params(params)
    W, b = np.array(params["W1"], dtype=np.float64), np.array(params["b1"], dtype=np.float64)
    with np.errstate(all="ignore"):
        for l in range(2, len(sizes)):
            W, b = W @ params[f"W{l}"], b @ params[f"W{l}"] + params[f"b{l}"]
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        raise ValueError("params: the product of the weights is too large for float64 (not finite); expected "
                         "smaller weights")
    return W, b


def nonlinearity(params: dict, X, activation: str = "linear") -> float:
    """The share of the spread of the network's outputs on X that no linear model of X can match.

    RMS gap between the outputs and their least-squares linear fit, over the outputs' standard deviation:
    0 for a linear network, larger the more the network bends; 0 when the outputs are constant.
    """
    out = predict(params, X, activation)
    X = checks.array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X: expected rows (m, n), got shape {X.shape}")
    A = np.c_[X, np.ones(len(X))]
    gap = A @ np.linalg.lstsq(A, out, rcond=None)[0] - out
    spread = np.std(out)
    return 0.0 if spread == 0 else float(np.sqrt(np.mean(gap ** 2)) / spread)


def layer_gradient_sizes(params: dict, X, y, activation: str = "sigmoid", loss: str = "mse") -> np.ndarray:
    """The mean |∂L/∂w| over the weights of each layer (layer 1 first), for the mean loss over the rows."""
    g = gradients(params, X, y, activation, loss)
    return np.array([np.mean(np.abs(g[f"W{l}"])) for l in range(1, len(params) // 2 + 1)])


def overshoots(path) -> int:
    """How many steps of a path of one parameter cross to the other side of its final value."""
    path = np.asarray(path, dtype=np.float64)
    if path.ndim != 1 or len(path) < 2 or not np.all(np.isfinite(path)):
        raise ValueError(f"path: expected a finite 1-D array of at least 2 values, got shape {path.shape}")
    side = np.sign(path[:-1] - path[-1])
    side = side[side != 0]
    return int(np.sum(side[1:] != side[:-1]))
