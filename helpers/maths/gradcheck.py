"""Gradient checking: centred finite differences, and a report of how far two gradients differ."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..text import fmt
from . import budget, checks, notation
from .network import forward_pass, gradients, output_loss, validate

GOOD, WRONG = 1e-7, 1e-2   # relative error: below GOOD is right, above WRONG is a bug
EPS_RANGE = (1e-10, 1.0)   # numerical_gradients: below, w + eps rounds back to w; above, it is no nudge


def centred_setup(params: dict, x, y, eps, activation: str, loss: str):
    """Checked inputs and a function d(key, index): the centred difference of the mean loss in one parameter."""
    params, x, y = validate(params, x, activation, y, loss)
    eps = checks.positive_number(eps, "eps")
    if not EPS_RANGE[0] <= eps <= EPS_RANGE[1]:
        raise ValueError(f"eps: expected a step from {fmt(EPS_RANGE[0])} to {fmt(EPS_RANGE[1])} (smaller steps are "
                         f"lost in rounding, larger ones are not small), got {eps!r}")
    work = {k: v.copy() for k, v in params.items()}    # nudged in place below

    def L():
        fw = forward_pass(work, x, activation)
        return float(np.mean(output_loss(fw.z[-1][..., 0], fw.O[-1][..., 0], y, loss)))

    def d(key, i):
        arr = work[key]
        old = arr[i]
        arr[i] = old + eps
        up = L()
        arr[i] = old - eps
        down = L()
        arr[i] = old
        return (up - down) / (2 * eps)

    return work, d, eps


def _finite(values, eps) -> None:
    if not all(np.all(np.isfinite(g)) for g in values):
        raise ValueError(f"params: the loss is too large for float64 near these weights (a centred difference "
                         f"with eps={fmt(eps)} is not finite); expected smaller weights or inputs")


def numerical_gradients(params: dict, x, y, eps: float = 1e-5, activation: str = "linear",
                        loss: str = "mse", max_seconds: float | None = None) -> dict:
    """∂L/∂w for every parameter by centred differences, (L(w + eps) - L(w - eps)) / (2 eps).

    Two forward passes a parameter: a network whose estimated time is over `max_seconds` (default
    `budget.MAX_SECONDS`) is refused; `numerical_gradient` gives one parameter's at the cost of two passes."""
    work, d, eps = centred_setup(params, x, y, eps, activation, loss)
    n, m = notation.n_params(notation.layer_sizes_of(work)), max(len(np.atleast_2d(np.asarray(x))), 1)
    budget.check(f"finite differences over {n} parameters", 0.0, budget.gradient_cost(n, m, 2 * n), None,
                 max_seconds, "use numerical_gradient(params, x, y, name) for one parameter")
    grads = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for key, arr in work.items():
            g = np.empty_like(arr)
            for i in np.ndindex(arr.shape):
                g[i] = d(key, i)
            grads[key] = g
    _finite(grads.values(), eps)
    return grads


def numerical_gradient(params: dict, x, y, name: str, eps: float = 1e-5, activation: str = "linear",
                       loss: str = "mse") -> float:
    """∂L/∂(name) by one centred difference, for the parameter with course name `name` ('w11^1', 'b21', ...)."""
    work, d, eps = centred_setup(params, x, y, eps, activation, loss)
    where = notation.locate(name, notation.layer_sizes_of(work))
    with np.errstate(over="ignore", invalid="ignore"):
        g = d(where.key, where.index)
    _finite([g], eps)
    return float(g)


def relative_error(a, b) -> float:
    """‖a - b‖ / (‖a‖ + ‖b‖) over all entries; 0 when both are zero, inf when an entry is not finite."""
    a = notation.flatten(a) if isinstance(a, dict) else np.ravel(np.asarray(a, dtype=np.float64))
    b = notation.flatten(b) if isinstance(b, dict) else np.ravel(np.asarray(b, dtype=np.float64))
    if a.shape != b.shape:
        raise ValueError(f"a and b: expected the same number of values, got {a.size} and {b.size}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return math.inf
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))   # so that no square overflows
    if scale == 0:
        return 0.0
    a, b = a / scale, b / scale
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


@dataclass(frozen=True)
class GradCheck:
    """How an analytic gradient compares with a numerical one, entry by entry and overall."""

    names: list
    analytic: np.ndarray
    numeric: np.ndarray
    exact: bool
    close: bool
    max_abs_diff: float
    rel_error: float
    label: str = "backprop"   # what the analytic column is: backpropagation, or the gradient a step used

    @property
    def verdict(self) -> str:
        """'good' below 1e-7, 'wrong' above 1e-2 or when an entry is not finite, 'suspicious' between."""
        if not self.finite:
            return "wrong"
        if self.rel_error < GOOD:
            return "good"
        return "wrong" if self.rel_error > WRONG else "suspicious"

    @property
    def finite(self) -> bool:
        """True when every entry of both gradients is a finite number."""
        return bool(np.all(np.isfinite(self.analytic)) and np.all(np.isfinite(self.numeric)))

    @property
    def entry_errors(self) -> np.ndarray:
        """Each entry's relative error |a - n| / (|a| + |n|), 0 where both are 0, inf where one is not finite."""
        return np.array([relative_error([a], [n]) for a, n in zip(self.analytic.tolist(), self.numeric.tolist())])

    def rows(self) -> list[tuple[str, float, float, float]]:
        """One (name, analytic, numeric, relative error) a parameter."""
        return list(zip(self.names, self.analytic.tolist(), self.numeric.tolist(), self.entry_errors.tolist()))

    def __str__(self) -> str:
        head = f"{'parameter':>10} {self.label:>14} {'centred difference':>18} {'rel. error':>10}"
        lines = [head] + [f"{n:>10} {fmt(a):>14} {fmt(b):>18} {fmt(e, 2):>10}" for n, a, b, e in self.rows()]
        if not self.finite:
            lines.append("wrong: some gradient entries are not finite numbers (nan or inf)")
            return "\n".join(lines)
        lines.append(f"overall relative error {fmt(self.rel_error, 2)} ({self.verdict}); "
                     f"max |difference| {fmt(self.max_abs_diff, 2)}")
        return "\n".join(lines)

    __repr__ = __str__


def compare_gradients(analytic: dict, numeric: dict, label: str = "backprop") -> GradCheck:
    """Compare two gradient dicts: exact, close (numpy.allclose), max difference, relative error; `label` heads
    the analytic column."""
    if not isinstance(analytic, dict) or not isinstance(numeric, dict) or set(analytic) != set(numeric):
        raise ValueError("analytic and numeric: expected two gradient dicts with the same keys")
    for k in analytic:
        if np.shape(analytic[k]) != np.shape(numeric[k]):
            raise ValueError(f"analytic[{k!r}] and numeric[{k!r}]: shapes differ, "
                             f"{np.shape(analytic[k])} and {np.shape(numeric[k])}")
    try:
        checks.params(analytic), checks.params(numeric)
    except (TypeError, ValueError) as e:
        if "NaN or infinite" not in str(e):
            raise ValueError(f"analytic and numeric: expected gradient dicts shaped like parameters "
                             f"{{'W1': 2-D, 'b1': 1-D, ...}}; {e}") from None
    a, n = notation.flatten(analytic), notation.flatten(numeric)
    names = notation.param_names(notation.layer_sizes_of(analytic))
    return GradCheck(names, a, n, bool(np.array_equal(a, n)), bool(np.allclose(a, n, rtol=1e-5, atol=1e-8)),
                     _max_abs_diff(a, n), relative_error(a, n), str(label))


def _max_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        d = np.abs(a - b)
    return float(np.max(np.where(np.isnan(d), np.inf, d)))


def check_gradients(params: dict, x, y, activation: str = "linear", loss: str = "mse",
                    eps: float = 1e-5, grads: dict | None = None) -> GradCheck:
    """Backpropagation's gradients (or `grads`, if given) against centred differences."""

    analytic = gradients(params, x, y, activation, loss) if grads is None else grads
    return compare_gradients(analytic, numerical_gradients(params, x, y, eps, activation, loss))
