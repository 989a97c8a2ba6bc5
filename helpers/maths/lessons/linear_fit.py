"""The best a linear rule can do on the data: least squares, how collinear the inputs are, the mean predictor."""

from __future__ import annotations

import numpy as np

from .. import checks


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


def edge_from_curvature(X) -> float:
    """The edge of stability of full-batch descent for one linear neuron on the mean squared error, exactly.

    The loss is a bowl whose Hessian is (2/m)[X 1]ᵀ[X 1]; along its steepest direction (curvature λ, the
    largest eigenvalue) each step multiplies the distance to the bottom by 1 - ηλ, so every rate below 2/λ
    converges, from any start, and every rate above diverges from almost every start. 2/λ = m / (the largest
    eigenvalue of [X 1]ᵀ[X 1]).
    """
    A = _design(X)
    return float(len(A) / np.linalg.eigvalsh(A.T @ A)[-1])


def mean_predictor_loss(y) -> float:
    """The mean squared error of predicting the mean target for every row: the best a constant can do."""
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1 or len(y) == 0 or not np.all(np.isfinite(y)):
        raise ValueError(f"y: expected a non-empty finite 1-D array of targets, got shape {y.shape}")
    return float(np.mean((y - y.mean()) ** 2))
