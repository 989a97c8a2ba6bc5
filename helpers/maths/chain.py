"""The chain rule written out: the factors whose product is ∂L/∂(a parameter), in the course's order.

For the 2-2-1 network the chain is written in full, link by link:
∂L/∂w11^1 = ∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w11^1 = -2(y - ŷ) · w11^2 · x_i1. With an activation, the links
through a neuron's weighted sum z appear (∂ŷ/∂z21, ∂O11/∂z11). For other depths the chain is δ · input,
with δ_lk = ∂L/∂z_lk = ∂L/∂b_lk. Each `Factor` names its link with plain course names and says which local
derivative it is (`rule`), so the display layer can write it as HTML or LaTeX; the maths is here, once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import checks, notation
from .activations import ACTIVATIONS
from .network import backward, forward_pass, validate

# Output layer first, then the hidden layer, in the order the course derives them.
DERIVATION_ORDER = ("w11^2", "w21^2", "b21", "w11^1", "w21^1", "b11", "w12^1", "w22^1", "b12")

@dataclass(frozen=True)
class Factor:
    """One link of a chain: ∂top/∂bottom, the local rule it follows (with `arg`), and its value."""

    top: str
    bottom: str
    rule: str
    arg: str
    value: float


def output_factors(activation: str, loss: str, y: float, y_hat: float, z_out: float, n_layers: int) -> list[Factor]:
    """The links every chain shares: ∂L/∂ŷ (and ŷ's slope ∂ŷ/∂z), or ∂L/∂z at a sigmoid output with BCE."""
    z_name = notation.z_name(n_layers, 0)
    if loss == "bce":
        return [Factor("L", z_name, "bce", "", y_hat - y)]
    out = [Factor("L", "ŷ", "mse", "", -2.0 * (y - y_hat))]
    if activation != "linear":
        out.append(Factor("ŷ", z_name, activation, "ŷ", slope(activation, z_out, y_hat)))
    return out


def slope(activation: str, z: float, a: float) -> float:
    """f′(z) of one neuron, from its weighted sum z and its output a = f(z) (the `activations` table)."""
    return float(ACTIVATIONS[activation].slope(z, a))


def factors(name: str, sizes, activation: str, loss: str, y: float, z: list, O: list, weight, grad) -> list[Factor]:
    """The chain-rule factors of ∂L/∂(name) for one row, in the order of the course's derivation.

    `z[l][k]` and `O[l][k]` are the weighted sum and output of node k of layer l, as in `Forward` (`O[0]` the
    inputs, `z[0]` None); `weight(name)` and `grad(name)` give a parameter's value before the update and its
    gradient.
    """
    sizes = list(sizes)
    L = len(sizes) - 1
    p = notation.locate(name, sizes)
    layer, k = int(p.key[1:]), p.index[-1]
    j = p.index[0] if p.key[0] == "W" else None
    linear = activation == "linear"

    def node(l, kk):    # what the parameter's weighted sum is called: the output itself when linear
        return ("ŷ" if l == L else notation.node_name(l, kk)) if linear else notation.z_name(l, kk)

    if j is None:
        last = Factor(node(layer, k), name, "one", "", 1.0)
    else:
        source = notation.node_name(layer - 1, j)
        last = Factor(node(layer, k), name, "input", source, float(O[layer - 1][j]))
    if L != 2:
        bias = notation.bias_name(layer, k)
        return [Factor("L", notation.z_name(layer, k), "delta", bias, float(grad(bias))), last]
    out = output_factors(activation, loss, float(y), float(O[-1][0]), float(z[-1][0]), L)
    if layer == 2:
        return out + [last]
    w = notation.weight_name(k, 0, 2)
    hidden = notation.node_name(1, k)
    via = [Factor(node(2, 0), hidden, "weight", w, float(weight(w)))]
    if not linear:
        via.append(Factor(hidden, notation.z_name(1, k), activation, hidden,
                          slope(activation, float(z[1][k]), float(O[1][k]))))
    return out + via + [last]


def product(chain: list[Factor]) -> float:
    """The product of a chain's factor values."""
    return math.prod(f.value for f in chain)


@dataclass(frozen=True)
class ChainRow:
    """One derivative of the worked example: the parameter, its chain of factors, and their product."""

    name: str
    factors: tuple
    value: float


def chain_rows(params: dict, x, y, activation: str = "linear", loss: str = "mse") -> list[ChainRow]:
    """The 9 derivatives of one student's loss on the 2-2-1 network, each as its chain of factors."""
    params, x, y = validate(params, x, activation, y, loss)
    sizes = notation.layer_sizes_of(params)
    if sizes != [2, 2, 1]:
        raise ValueError(f"params: expected the 2-2-1 network of the course, got layer sizes {sizes}")
    if x.ndim != 1:
        raise ValueError(f"x: expected one student's inputs, shape (2,), got shape {x.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        fw = forward_pass(params, x, activation)
        raw = backward(params, fw, y, activation, loss)
    checks.finite_result([*fw.z[1:], *fw.O, *raw.values()], "a neuron's value or a gradient")
    grads = notation.as_named(raw)
    named = notation.as_named(params)
    rows = []
    for n in DERIVATION_ORDER:
        fs = factors(n, sizes, activation, loss, float(y), fw.z, fw.O, named.__getitem__, grads.__getitem__)
        rows.append(ChainRow(n, tuple(fs), product(fs)))
    return rows
