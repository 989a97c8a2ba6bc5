"""The network evaluated on a grid of inputs, for decision boundaries and prediction surfaces (numpy only)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import checks
from ..network import forward, predict, validate


class Grid(NamedTuple):
    """A meshgrid of two inputs and the network's output at every point: `out[i, j]` is at (x1[i, j], x2[i, j])."""

    x1: np.ndarray
    x2: np.ndarray
    out: np.ndarray


def grid_axes(X, margin: float = 0.1, n: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """Two ranges of n points covering the two columns of X, widened by `margin` of each column's span."""
    X = checks.finite_array(X, "X", 2)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected two input columns (m, 2), got shape {X.shape}")
    n = checks.positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n: expected at least 2 points an axis, got {n}")
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not margin >= 0:
        raise ValueError(f"margin: expected a number of at least 0, got {margin!r}")
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.where(hi > lo, (hi - lo) * margin, 1.0)
    return np.linspace(lo[0] - pad[0], hi[0] + pad[0], n), np.linspace(lo[1] - pad[1], hi[1] + pad[1], n)


def evaluate_grid(params: dict, x1_values, x2_values, activation: str = "linear") -> Grid:
    """The network's output at every point of the meshgrid of `x1_values` and `x2_values`."""
    a = checks.finite_array(x1_values, "x1_values", 1)
    b = checks.finite_array(x2_values, "x2_values", 1)
    if a.size == 0 or b.size == 0:
        raise ValueError(f"x1_values and x2_values: expected at least one value each, got {a.size} and {b.size}")
    x1, x2 = np.meshgrid(a, b, indexing="xy")
    out = predict(params, np.column_stack([x1.ravel(), x2.ravel()]), activation)
    return Grid(x1, x2, out.reshape(x1.shape))


def decision_grid(params: dict, X, activation: str = "sigmoid", margin: float = 0.1, n: int = 101) -> Grid:
    """The network's output over a grid covering the rows of X (with a margin), for a decision-boundary plot."""
    return evaluate_grid(params, *grid_axes(X, margin, n), activation)


def layer_grids(params: dict, x1_values, x2_values, activation: str = "sigmoid", layer: int = 1) -> np.ndarray:
    """The outputs O_lk of every neuron of one layer over the meshgrid: shape (neurons, len(x2), len(x1))."""
    a = checks.finite_array(x1_values, "x1_values", 1)
    b = checks.finite_array(x2_values, "x2_values", 1)
    n_layers = len(checks.params(params)) - 1
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 1 <= layer <= n_layers:
        raise ValueError(f"layer: expected a whole number from 1 to {n_layers}, got {layer!r}")
    x1, x2 = np.meshgrid(a, b, indexing="xy")
    out = forward(params, np.column_stack([x1.ravel(), x2.ravel()]), activation).O[int(layer)]
    return out.T.reshape(-1, *x1.shape)


def accuracy(params: dict, X, y, activation: str = "sigmoid", threshold: float = 0.5) -> float:
    """The fraction of rows whose prediction is on the same side of `threshold` as their 0/1 target."""
    params, X, y = validate(params, X, activation, y, "mse")
    if X.ndim != 2:
        raise ValueError(f"X: expected rows (m, n), got shape {X.shape}")
    threshold = checks.number_in(threshold, "threshold", 0.0, 1.0)
    return float(np.mean((predict(params, X, activation) > threshold) == (y > threshold)))
