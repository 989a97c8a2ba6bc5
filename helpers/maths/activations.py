"""The activations, each written once: its value f(z) and its derivative f′(z), for arrays and for floats.

Every engine reads this table: `network` (forward pass and backpropagation on arrays), `chain` (the
chain-rule factors), `graph` (the computational graph's local derivatives) and `float_loop` (training on
plain Python floats). A derivative is written with z and the activation a = f(z), where that is simpler:
σ′(z) = a(1 − a). At relu's kink the derivative is taken as 0: relu′(0) = [0 > 0] = 0, in every engine.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np


def _sigmoid(z, tanh):
    return 0.5 * (1.0 + tanh(0.5 * z))    # 1 / (1 + e^-z), written with tanh so it never overflows


def _relu(z, maximum):
    return maximum(z, 0.0)


class Activation(NamedTuple):
    """One activation: `value(z)` on arrays, `value_float(z)` on one float, `slope(z, a)` = f′(z) on either."""

    value: Callable
    value_float: Callable
    slope: Callable


ACTIVATIONS = {
    "linear": Activation(lambda z: z, lambda z: z, lambda z, a: 1.0),
    "sigmoid": Activation(lambda z: _sigmoid(z, np.tanh), lambda z: _sigmoid(z, math.tanh),
                          lambda z, a: a * (1.0 - a)),
    "relu": Activation(lambda z: _relu(z, np.maximum), lambda z: _relu(z, max),
                       lambda z, a: (z > 0) * 1.0),      # [z > 0]: 0 at the kink z = 0
}


def sigmoid(z):
    """The logistic function 1 / (1 + e^-z) of a number or an array, in float64; it never overflows."""
    return ACTIVATIONS["sigmoid"].value(np.asarray(z, dtype=np.float64))
