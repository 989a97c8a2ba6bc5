"""A network with one weight, for the gradient-descent recap: ŷ = w·x for one student, L(w) = (y - w·x)^2.

With student 1 (cgpa x = 8, package y = 4) the loss is smallest at w = y / x = 0.5.
"""

from __future__ import annotations

import math

from ...text import fmt
from .. import checks

X1, Y1 = 8.0, 4.0   # student 1's cgpa and package


def _number(value, name: str) -> float:
    return checks.finite_array(value, name, 0).item()


def one_weight_loss(w: float, x: float = X1, y: float = Y1) -> float:
    """L(w) = (y - w·x)^2, the squared error of the one-weight prediction ŷ = w·x."""
    w, x, y = _number(w, "w"), _number(x, "x"), _number(y, "y")
    try:
        value = (y - w * x) ** 2
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise ValueError(f"w: the loss at w = {fmt(w)} is too large for float64 (not finite); expected a smaller w")
    return value


def one_weight_slope(w: float, x: float = X1, y: float = Y1) -> float:
    """dL/dw = -2·x·(y - w·x), the slope of the loss at w."""
    w, x, y = _number(w, "w"), _number(x, "x"), _number(y, "y")
    return -2.0 * x * (y - w * x)


def one_weight_step(w: float, lr: float, x: float = X1, y: float = Y1) -> float:
    """One gradient-descent step: w - lr·dL/dw."""
    lr = checks.positive_number(lr, "lr")
    return _number(w, "w") - lr * one_weight_slope(w, x, y)
