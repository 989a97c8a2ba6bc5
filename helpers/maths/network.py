"""The network: parameters, forward pass, losses, backpropagation and the update rule (numpy).

The public edge (`forward`, `predict`, `mean_loss`, `gradients`, `sgd_step`) validates its inputs once.
The core it runs is public too, for the other maths modules: `validate` checks and converts the inputs,
then `forward_pass`, `output_loss` and `backward` compute on arrays that are already checked.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..text import fmt
from . import checks
from .activations import ACTIVATIONS, sigmoid  # noqa: F401  (sigmoid: hp.sigmoid, for the other modules)

# ---- parameters ----

def init_params(layer_sizes=(2, 2, 1), weight: float | None = 1.0, bias: float = 0.0,
                seed: int | None = None, scheme: str = "xavier") -> dict:
    """Parameters for these layer sizes: every weight `weight`, or random by `scheme` when weight=None.

    Schemes: 'xavier' draws N(0, 2 / (n_in + n_out)), 'he' draws N(0, 2 / n_in), 'uniform' draws
    U(-1, 1). The random draws use numpy's default_rng(seed). Biases are all `bias`.
    """
    sizes = checks.layer_sizes(layer_sizes)
    seed = checks.seed(seed)
    bias = _real(bias, "bias")
    if weight is not None:
        weight = _real(weight, "weight")
    elif scheme not in ("xavier", "he", "uniform"):
        raise ValueError(f"scheme: unknown {scheme!r}; expected 'xavier', 'he' or 'uniform'")
    rng = np.random.default_rng(seed)
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        if weight is not None:
            W = np.full((n_in, n_out), weight)
        elif scheme == "uniform":
            W = rng.uniform(-1.0, 1.0, size=(n_in, n_out))
        else:
            var = 2.0 / (n_in + n_out) if scheme == "xavier" else 2.0 / n_in
            W = rng.normal(0.0, np.sqrt(var), size=(n_in, n_out))
        params[f"W{l}"] = W
        params[f"b{l}"] = np.full(n_out, bias)
    return params


def _real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a number, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return float(value)


# ---- forward ----

class Forward(NamedTuple):
    """Every neuron's value, layers counted from 1 as in the text: `O[0]` is the inputs, `O[l]` the outputs of
    layer l and `z[l]` its weighted sums; `z[0]` is None (the inputs have no weighted sum)."""

    z: list
    O: list

    def layer(self, l: int) -> tuple:
        """(z[l], O[l]): the weighted sums and outputs of layer `l`, counted from 1 (layer 0 is the inputs)."""
        n_layers = len(self.z) - 1
        if isinstance(l, bool) or not isinstance(l, int) or not 1 <= l <= n_layers:
            raise ValueError(f"l: expected a layer from 1 to {n_layers}, got {l!r}")
        return self.z[l], self.O[l]


def forward_pass(params: dict, X: np.ndarray, act: str) -> Forward:
    """The forward pass on checked inputs (see `validate`): every layer's weighted sums and outputs."""
    f = ACTIVATIONS[act].value
    z, O = [None], [X]                     # layer 0, the inputs, has no weighted sum
    for l in range(1, len(params) // 2 + 1):
        z.append(O[l - 1] @ params[f"W{l}"] + params[f"b{l}"])
        O.append(f(z[l]))
    return Forward(z, O)


def forward(params: dict, X, activation: str = "linear") -> Forward:
    """The forward pass keeping every neuron's value; X is one row (n0,) or rows (m, n0)."""
    params, X, _ = validate(params, X, activation)
    with np.errstate(over="ignore", invalid="ignore"):
        return forward_pass(params, X, activation)


def predict(params: dict, X, activation: str = "linear"):
    """The network's output: shape (m,) for X of shape (m, n0), one float for one row (n0,)."""
    out = forward(params, X, activation).O[-1]
    if not np.all(np.isfinite(out)):
        raise ValueError("params: the prediction is too large for float64 (not finite); expected smaller weights "
                         "or inputs (a run that diverged leaves such weights)")
    return float(out[0]) if out.ndim == 1 else out[:, 0]


_NO_TARGETS = object()


def validate(params: dict, X, activation: str, y=_NO_TARGETS, loss: str = "mse"):
    """Check a network, its inputs X (and targets y with their loss); return the parameters, X and y in float64.

    The parameters come back as a new dict of float64 arrays in the course's order W1, b1, W2, ... (lists of
    numbers too, whatever the dict's order); y is None when no targets are given.
    """
    sizes = checks.params(params)
    params = {k: np.asarray(params[k], dtype=np.float64) for l in range(1, len(sizes)) for k in (f"W{l}", f"b{l}")}
    checks.activation(activation)
    if sizes[-1] != 1:
        raise ValueError(f"params: the output layer must have 1 neuron (y is one number a row), got {sizes[-1]}")
    X = checks.inputs(X, sizes[0])
    if y is _NO_TARGETS:
        return params, X, None
    if y is None:
        raise TypeError("y: expected the target(s), one number a row of X, got None")
    checks.loss(loss, activation)
    return params, X, checks.targets(y, X, loss)


# ---- losses ----

def per_sample_loss(y, y_hat, loss: str = "mse") -> np.ndarray:
    """Each row's loss: mse `(y - ŷ)^2`, or bce `-(y log ŷ + (1 - y) log(1 - ŷ))`."""
    y, y_hat = np.asarray(y, dtype=np.float64), np.asarray(y_hat, dtype=np.float64)
    if y.shape != y_hat.shape:
        raise ValueError(f"y and y_hat: expected the same shape, got {y.shape} and {y_hat.shape}")
    if loss == "mse":
        return (y - y_hat) ** 2
    if loss == "bce":
        with np.errstate(divide="ignore", invalid="ignore"):   # a term whose factor y or 1 - y is 0 is 0
            return 0.0 - (np.where(y > 0, y * np.log(y_hat), 0.0) + np.where(y < 1, (1 - y) * np.log(1 - y_hat), 0.0))
    raise ValueError(f"loss: unknown {loss!r}; expected one of {list(checks.LOSSES)}")


def output_loss(z_out, a_out, y, loss: str):
    """Per-row losses from the output neuron's z and ŷ; bce is taken from z, so it stays finite when ŷ is 1."""
    if loss == "mse":
        return (y - a_out) ** 2
    return np.logaddexp(0.0, z_out) - y * z_out


def mean_loss(params: dict, X, y, activation: str = "linear", loss: str = "mse") -> float:
    """The mean of the per-row losses over a dataset (the one row's loss for one row)."""
    params, X, y = validate(params, X, activation, y, loss)
    with np.errstate(over="ignore", invalid="ignore"):
        fw = forward_pass(params, X, activation)
        value = float(np.mean(output_loss(fw.z[-1][..., 0], fw.O[-1][..., 0], y, loss)))
    checks.finite_result(value, "the loss")
    return value


# ---- backward ----

def backprop_lines(params: dict, z: list, O: list, y, act: str, loss: str) -> dict:
    """The mean gradient over m rows, cross-entropy at a sigmoid output or squared error at any output.

    `z` and `O` as `hp.forward` gives them: `z[l]` and `O[l]`, shape (m, neurons), are layer l's sums and
    outputs for l = 1 to n_layers; `O[0]` is X and `z[0]` None. y is a column (m, 1).
    """
    slope, n_layers, m = ACTIVATIONS[act].slope, len(z) - 1, len(y)   # slope(z, O): O(1 - O) for the sigmoid
    y_hat = O[n_layers]
    if loss == "bce":                                   # δ of the output layer: σ′ cancels with cross-entropy
        delta = y_hat - y
    else:                                               # squared error: 2(ŷ - y) times the output's slope
        delta = 2 * (y_hat - y) * slope(z[n_layers], y_hat)
    grads = {}
    for l in range(n_layers, 0, -1):                    # from the output layer back
        grads[f"W{l}"] = O[l - 1].T @ delta / m         # ∂L/∂w_jk^l = O_(l-1)j · δ_lk, averaged
        grads[f"b{l}"] = delta.sum(axis=0) / m          # ∂L/∂b_lk = δ_lk, averaged
        if l > 1:
            delta = (delta @ params[f"W{l}"].T) * slope(z[l - 1], O[l - 1])   # the δ recursion
    return grads


def backward(params: dict, fw: Forward, y, act: str, loss: str) -> dict:
    """Backpropagation: the mean gradient over the rows of `fw` (one row: that row's gradient). One row
    becomes a matrix of one row; `backprop_lines`, the lines notebook 02 prints, does the rest."""
    z, O = fw.z, fw.O
    if O[0].ndim == 1:                     # one row: z[0] stays None
        z, O = [None, *(v[None, :] for v in z[1:])], [v[None, :] for v in O]
    grads = backprop_lines(params, z, O, np.reshape(y, (-1, 1)), act, loss)
    return {k: grads[k] for k in params}


def gradients(params: dict, x, y, activation: str = "linear", loss: str = "mse") -> dict:
    """∂L/∂(every parameter) by backpropagation, for one row x (n0,) and its target y.

    Given rows X (m, n0) and targets (m,), it returns the gradient of the mean loss over those rows.
    """
    params, x, y = validate(params, x, activation, y, loss)
    with np.errstate(over="ignore", invalid="ignore"):
        grads = backward(params, forward_pass(params, x, activation), y, activation, loss)
    checks.finite_result(grads, "a gradient")
    return grads


# ---- update ----

def sgd_step(params: dict, grads: dict, lr: float) -> dict:
    """One gradient-descent step, `w_new = w_old - lr * ∂L/∂w_old`, as a new dict; inputs unchanged."""
    checks.params(params)
    lr = checks.positive_number(lr, "lr")
    if not isinstance(grads, dict) or set(grads) != set(params):
        raise ValueError(f"grads: expected the same keys as params {sorted(params)}, got "
                         f"{sorted(grads) if isinstance(grads, dict) else type(grads).__name__}")
    out = {}
    for k, w in params.items():
        g = checks.finite_array(grads[k], f"grads[{k!r}]", np.ndim(w))
        if g.shape != np.shape(w):
            raise ValueError(f"grads[{k!r}]: expected shape {np.shape(w)} like params[{k!r}], got {g.shape}")
        with np.errstate(all="ignore"):
            out[k] = np.asarray(w, dtype=np.float64) - lr * g
        if not np.all(np.isfinite(out[k])):
            raise ValueError(f"lr: the step w - lr·g of params[{k!r}] is too large for float64 (not finite) "
                             f"with lr={fmt(lr)}; expected a smaller learning rate")
    return out
