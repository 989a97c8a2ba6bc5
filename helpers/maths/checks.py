"""Input checks shared by the maths: each names the argument and what was expected."""

from __future__ import annotations

import math
import numbers

import numpy as np

ACTIVATIONS = ("linear", "sigmoid", "relu")
LOSSES = ("mse", "bce")


def layer_sizes(sizes) -> list[int]:
    """Layer sizes as a list of positive ints, at least an input and an output layer."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"layer_sizes: expected a list of positive integers like [2, 2, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes: expected at least an input and an output layer, got {sizes}")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1:
            raise ValueError(f"layer_sizes: every size must be a positive integer, got {sizes}")
    return [int(s) for s in sizes]


def _spelled(name, known, aliases: dict) -> str:
    """', did you mean 'mse'?' when `name` is a known name in other letters ('MSE') or a name the text uses for it
    ('identity', 'squared error'); else ''."""
    if not isinstance(name, str):
        return ""
    key = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    guess = key if key in known else {" ".join(k.replace("-", " ").split()): v for k, v in aliases.items()}.get(key)
    return f", did you mean {guess!r}?" if guess else ""


def activation(name) -> str:
    """A known activation name."""
    if name not in ACTIVATIONS:
        hint = _spelled(name, ACTIVATIONS, {"identity": "linear"})
        raise ValueError(f"activation: unknown {name!r}; expected one of {list(ACTIVATIONS)}{hint}")
    return name


def loss(name, act: str) -> str:
    """A known loss name that fits the activation (bce needs a sigmoid output)."""
    if name not in LOSSES:
        hint = _spelled(name, LOSSES, {"squared error": "mse", "cross-entropy": "bce", "binary cross-entropy": "bce"})
        raise ValueError(f"loss: unknown {name!r}; expected one of {list(LOSSES)}{hint}")
    if name == "bce" and act != "sigmoid":
        raise ValueError(f"loss: 'bce' needs a sigmoid output (activation='sigmoid'), got activation={act!r}")
    return name


def _ragged(value) -> bool:
    """True for nested lists or tuples whose rows have different lengths, like [[1, 2], [3]]."""
    if not isinstance(value, (list, tuple)) or not value:
        return False
    lengths = {len(v) if isinstance(v, (list, tuple, np.ndarray)) else None for v in value}
    return len(lengths) > 1 or any(_ragged(v) for v in value if isinstance(v, (list, tuple)))


def array(value, name: str) -> np.ndarray:
    """`value` as a float64 array: numbers, lists of numbers or arrays; a clear TypeError for None, text,
    complex values, rows of different lengths and Python ints too large for float64. No shape checks."""
    if value is None:
        raise TypeError(f"{name}: expected numbers, got None")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected numbers, got the text {value!r}")
    if _ragged(value):
        raise ValueError(f"{name}: expected rows of equal length (a rectangular table of numbers), got rows of "
                         f"different lengths: {value!r:.80}")
    if np.iscomplexobj(value):
        raise TypeError(f"{name}: expected real numbers, got complex values")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except OverflowError:
        raise ValueError(f"{name}: a number is too large for float64 (more than about 1.8e308)") from None
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected numbers, got {type(value).__name__} {value!r:.80}") from None
    if arr.dtype != np.float64:      # an object array that numpy could not convert
        raise TypeError(f"{name}: expected numbers, got {type(value).__name__}")
    return arr


def finite_array(value, name: str, ndim: int | tuple[int, ...]) -> np.ndarray:
    """`value` as a float64 array with the given number of dimensions and only finite values."""
    arr = array(value, name)
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in dims:
        want = " or ".join(f"{d}-D" for d in dims)
        raise ValueError(f"{name}: expected a {want} array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinite values; expected finite numbers")
    return arr


def real(value, name: str) -> float:
    """A finite real number (numpy's too; not a bool, text or complex), as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {value!r:.80}")
    try:
        v = float(value)
    except OverflowError:
        raise ValueError(f"{name}: expected a number of ordinary size, got one too large for float64") from None
    if not math.isfinite(v):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return v


def params(p) -> list[int]:
    """Check a parameter dict {'W1', 'b1', ..., 'WL', 'bL'} and return its layer sizes."""
    if not isinstance(p, dict):
        raise TypeError(f"params: expected a dict like {{'W1': ..., 'b1': ..., 'W2': ..., 'b2': ...}}, got "
                        f"{type(p).__name__}")
    n_layers = len(p) // 2
    expected = {k for l in range(1, n_layers + 1) for k in (f"W{l}", f"b{l}")}
    if n_layers < 1 or set(p) != expected:
        raise ValueError(f"params: expected keys W1, b1, ..., WL, bL, got {sorted(p)}")
    sizes = []
    for l in range(1, n_layers + 1):
        W = finite_array(p[f"W{l}"], f"params['W{l}']", 2)
        b = finite_array(p[f"b{l}"], f"params['b{l}']", 1)
        if W.shape[1] == 0:
            raise ValueError(f"params['W{l}']: layer {l} has no neurons (shape {W.shape}); expected at least one")
        if sizes and W.shape[0] != sizes[-1]:
            raise ValueError(f"params['W{l}']: expected {sizes[-1]} rows (the size of layer {l - 1}), "
                             f"got shape {W.shape}")
        if b.shape != (W.shape[1],):
            raise ValueError(f"params['b{l}']: expected shape ({W.shape[1]},) to match W{l} {W.shape}, "
                             f"got {b.shape}")
        if not sizes:
            sizes.append(W.shape[0])
        sizes.append(W.shape[1])
    return sizes


def as_params(p) -> dict:
    """A checked parameter dict as float64 arrays in the course's order (lists of numbers accepted)."""
    sizes = params(p)
    return {k: np.asarray(p[k], dtype=np.float64) for l in range(1, len(sizes)) for k in (f"W{l}", f"b{l}")}


def finite_result(values, what: str = "the result") -> None:
    """Raise, as `predict` does, when a computed result is not finite (weights or inputs too large)."""
    if isinstance(values, dict):
        values = list(values.values())
    if not all(np.all(np.isfinite(v)) for v in (values if isinstance(values, list) else [values])):
        raise ValueError(f"params: {what} is too large for float64 (not finite); expected smaller weights or inputs "
                         f"(a run that diverged leaves such weights)")


def inputs(X, n_inputs: int, name: str = "X") -> np.ndarray:
    """Inputs as (m, n_inputs) or one row (n_inputs,), float64 and finite."""
    X = finite_array(X, name, (1, 2))
    if X.shape[-1] != n_inputs:
        raise ValueError(f"{name}: expected {n_inputs} input value(s) a row to match the network, got shape "
                         f"{X.shape}")
    if X.ndim == 2 and X.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one row, got shape {X.shape}")
    return X


def targets(y, X: np.ndarray, loss_name: str, name: str = "y") -> np.ndarray:
    """Targets matching the inputs: a number for one row (n,), shape (m,) for (m, n); 0..1 for bce."""
    if X.ndim == 1:
        y = finite_array(y, name, (0, 1))
        if y.shape not in ((), (1,)):
            raise ValueError(f"{name}: expected one number for one input row, got shape {y.shape}")
        y = y.reshape(())
    else:
        y = finite_array(y, name, 1)
        if y.shape != (X.shape[0],):
            raise ValueError(f"{name}: expected shape ({X.shape[0]},), one target a row of X, got {y.shape}")
    if loss_name == "bce" and (np.any(y < 0) or np.any(y > 1)):
        raise ValueError(f"{name}: bce needs targets between 0 and 1, got values from {y.min()} to {y.max()}")
    return y


def positive_number(value, name: str) -> float:
    """A finite number greater than 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a positive number, got {value!r:.80}")
    if isinstance(value, numbers.Integral) and value > 0:
        return real(value, name)            # a Python int too large for float64 says so
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a positive finite number, got {value!r}")
    return value


def positive_int(value, name: str) -> int:
    """An integer of at least 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a whole number of at least 1, got {value!r}")
    if value < 1:
        raise ValueError(f"{name}: expected a whole number of at least 1, got {value!r}")
    return int(value)


def seed(value) -> int | None:
    """A seed for numpy's default_rng: None or a whole number of at least 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise TypeError(f"seed: expected None or a whole number of at least 0, got {value!r}")
    return int(value)


def number_in(value, name: str, lo: float, hi: float) -> float:
    """A real number between lo and hi (both included)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number from {lo:g} to {hi:g}, got {value!r:.80}")
    if isinstance(value, numbers.Integral) and not lo <= value <= hi:
        raise ValueError(f"{name}: expected a number from {lo:g} to {hi:g}, got {value!r:.80}")
    value = float(value)
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name}: expected a number from {lo:g} to {hi:g}, got {value!r}")
    return float(value)


def int_in(value, name: str, lo: int, hi: int, hi_text: str = "") -> int:
    """A whole number between lo and hi (both included); numpy integers too, not text or bools."""
    want = f"a whole number from {lo} to {hi_text or hi}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected {want}, got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{name}: expected {want}, got {value!r}")
    return int(value)
