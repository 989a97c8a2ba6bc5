"""The course notation in code: `w11^1` is `W1[0, 0]`, `b12` is `b1[1]`, `b21` is `b2[0]`.

`w_jk^l` is the weight from node j of layer l-1 to node k of layer l; `b_lk` is the bias of node k
of layer l. Parameters are listed layer by layer, the weights row by row, then the biases, which for
the 2-2-1 network gives the course's order: w11^1, w12^1, w21^1, w22^1, b11, b12, w11^2, w21^2, b21.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from . import checks


class Param(NamedTuple):
    """One parameter: its course name, its array key and its index in that array."""

    name: str
    key: str
    index: tuple[int, ...]


def _two(a: int, b: int) -> str:
    return f"{a}{b}" if a < 10 and b < 10 else f"{a},{b}"


def weight_name(j: int, k: int, layer: int) -> str:
    """The course name of W{layer}[j, k] (indices from 0): weight_name(0, 1, 1) -> 'w12^1'."""
    return f"w{_two(j + 1, k + 1)}^{layer}"


def bias_name(layer: int, k: int) -> str:
    """The course name of b{layer}[k] (k from 0): bias_name(1, 0) -> 'b11'."""
    return f"b{_two(layer, k + 1)}"


def node_name(layer: int, k: int) -> str:
    """The course name of node k (from 0) of a layer: 'x_i1' for the inputs, then 'O11', 'O12', 'O21'."""
    return f"x_i{k + 1}" if layer == 0 else f"O{_two(layer, k + 1)}"


def z_name(layer: int, k: int) -> str:
    """The course name of the weighted sum of node k (from 0) of a layer: 'z11', 'z12', 'z21'."""
    return f"z{_two(layer, k + 1)}"


def layer_sizes_of(params: dict) -> list[int]:
    """The layer sizes `[n0, n1, ..., nL]` of a parameter dict."""
    n_layers = len(params) // 2
    return [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, n_layers + 1)]


def param_list(layer_sizes: list[int]) -> list[Param]:
    """Every parameter of a network with these layer sizes, in the course's order."""
    return list(_param_list(tuple(checks.layer_sizes(layer_sizes))))


@lru_cache(maxsize=64)
def _param_list(layer_sizes: tuple[int, ...]) -> tuple[Param, ...]:
    out = []
    for l in range(1, len(layer_sizes)):
        n_in, n_out = layer_sizes[l - 1], layer_sizes[l]
        out += [Param(weight_name(j, k, l), f"W{l}", (j, k)) for j in range(n_in) for k in range(n_out)]
        out += [Param(bias_name(l, k), f"b{l}", (k,)) for k in range(n_out)]
    return tuple(out)


def param_names(layer_sizes: list[int] = (2, 2, 1)) -> list[str]:
    """The course names of every parameter, in order (the 9 names for the 2-2-1 network)."""
    return [p.name for p in param_list(layer_sizes)]


PARAM_NAMES = param_names([2, 2, 1])


def locate(name: str, layer_sizes: list[int] = (2, 2, 1)) -> Param:
    """The array key and index of a parameter given by its course name, e.g. 'w21^2' -> ('W2', (1, 0))."""
    for p in param_list(layer_sizes):
        if p.name == name:
            return p
    raise ValueError(f"name: unknown parameter {name!r}; expected one of {param_names(layer_sizes)}")


def get(params: dict, name: str) -> float:
    """The value of one parameter by its course name."""
    p = locate(name, layer_sizes_of(params))
    return float(params[p.key][p.index])


def flatten(params: dict) -> np.ndarray:
    """All parameters as one vector, in the course's order."""
    return np.concatenate([np.ravel(params[k]) for k in _keys(params)])


def n_params(layer_sizes) -> int:
    """How many weights and biases a network with these layer sizes has."""
    s = checks.layer_sizes(layer_sizes)
    return sum(a * b + b for a, b in zip(s[:-1], s[1:]))


def unflatten(vector: np.ndarray, layer_sizes: list[int]) -> dict:
    """The parameter dict for a vector in the course's order (the inverse of `flatten`)."""
    vector = np.asarray(vector, dtype=np.float64)
    sizes = checks.layer_sizes(layer_sizes)
    total = n_params(sizes)
    if vector.shape != (total,):
        raise ValueError(f"vector: expected shape ({total},) for layer sizes {sizes}, got {vector.shape}")
    out, at = {}, 0
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        out[f"W{l}"] = vector[at : at + n_in * n_out].reshape(n_in, n_out).copy()
        at += n_in * n_out
        out[f"b{l}"] = vector[at : at + n_out].copy()
        at += n_out
    return out


def as_named(params: dict) -> dict[str, float]:
    """A dict from course name to value, e.g. {'w11^1': 1.0, ..., 'b21': 0.0}."""
    params = checks.as_params(params)
    return dict(zip(param_names(layer_sizes_of(params)), flatten(params).tolist()))


def _keys(params: dict) -> list[str]:
    n_layers = len(params) // 2
    return [k for l in range(1, n_layers + 1) for k in (f"W{l}", f"b{l}")]
