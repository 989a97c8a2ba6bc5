"""What a gradient costs: multiplications counted for backpropagation and for finite differences, and timed.

Counts are for one row, a linear network (every slope is 1, so no multiplications for activations) and the
loss L = (y - ŷ)^2. A multiplication by the constant 2 counts as one.
"""

from __future__ import annotations

import math
import time
import tracemalloc
from dataclasses import dataclass

import numpy as np

from ...text import fmt
from .. import checks
from ..gradcheck import centred_setup
from ..network import backward, forward, forward_pass, init_params, validate
from ..notation import n_params


def forward_mults(layer_sizes) -> int:
    """Multiplications of one forward pass: every weight times its input once."""
    s = checks.layer_sizes(layer_sizes)
    return sum(a * b for a, b in zip(s[:-1], s[1:]))


def _output(s: list[int]) -> None:
    if s[-1] != 1:
        raise ValueError(f"layer_sizes: the output layer must have 1 neuron, got {s}")


def backprop_mults(layer_sizes) -> int:
    """Multiplications for all gradients by backpropagation: a forward pass, ∂L/∂ŷ = 2(ŷ - y) once, then
    ∂L/∂w = input · δ for every weight and δ_(l-1) = W_l δ_l for every layer but the first."""
    s = checks.layer_sizes(layer_sizes)
    _output(s)
    backward = sum(a * b for a, b in zip(s[:-1], s[1:]))          # input · δ for each weight
    backward += sum(a * b for a, b in zip(s[1:-1], s[2:]))         # δ passed back through each weight
    return forward_mults(s) + 1 + backward


def fd_mults(layer_sizes) -> int:
    """Multiplications for all gradients by centred finite differences: two losses per parameter, each a
    forward pass and the square (y - ŷ)^2; the division by 2ε is not counted."""
    s = checks.layer_sizes(layer_sizes)
    _output(s)
    return 2 * n_params(s) * (forward_mults(s) + 1)


def chain_rule_mults(layer_sizes) -> dict[str, int]:
    """Multiplications after the forward pass, with every ∂L/∂w written out separately or with shared factors.

    Separately, each derivative computes ∂L/∂ŷ again and multiplies the weights along every path from its
    neuron to the output (then by its input, for a weight). Shared (backpropagation), ∂L/∂ŷ and each δ
    are computed once. For the 2-2-1 network: 21 against 9.
    """
    s = checks.layer_sizes(layer_sizes)
    _output(s)
    L, separate = len(s) - 1, 0
    for l in range(1, L + 1):
        paths = math.prod(s[l + 1 : L])                 # paths from a neuron of layer l to the output
        per_bias = 1 + paths * (L - l)                  # ∂L/∂ŷ, then (L - l) weights on each path
        separate += s[l] * (s[l - 1] * (per_bias + 1) + per_bias)
    shared = backprop_mults(s) - forward_mults(s)
    return {"separate": separate, "shared": shared}


@dataclass(frozen=True)
class CostRow:
    """One network of the cost table: its size, the counts and their ratio."""

    layer_sizes: tuple
    n_params: int
    backprop: int
    finite_differences: int

    @property
    def ratio(self) -> float:
        """How many times more multiplications finite differences need."""
        return self.finite_differences / self.backprop


def cost_table(networks) -> list[CostRow]:
    """Counts for each network of `networks` (a list of layer-size lists)."""
    return [CostRow(tuple(checks.layer_sizes(s)), n_params(s), backprop_mults(s), fd_mults(s)) for s in networks]


def time_gradients(layer_sizes, repeat: int = 3, seed: int = 0) -> dict[str, float]:
    """Seconds for one forward pass of one row, and for one gradient of it by backpropagation and by finite
    differences (best of `repeat`).

    All three time the engine on inputs checked once beforehand, so no argument check is in any of them.
    Live timings: they change from run to run and from machine to machine.
    """
    s = checks.layer_sizes(layer_sizes)
    repeat = checks.positive_int(repeat, "repeat")
    params, x, y = validate(init_params(s, weight=None, seed=seed), np.linspace(-1.0, 1.0, s[0]), "linear", 0.5)
    work, d, _ = centred_setup(params, x, y, 1e-5, "linear", "mse")
    entries = [(k, i) for k, arr in work.items() for i in np.ndindex(arr.shape)]

    def best(fn, number):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            for _ in range(number):
                fn()
            times.append((time.perf_counter() - t) / number)
        return min(times)

    return {"forward": best(lambda: forward_pass(params, x, "linear"), 100),
            "backprop": best(lambda: backward(params, forward_pass(params, x, "linear"), y, "linear", "mse"), 100),
            "finite_differences": best(lambda: [d(k, i) for k, i in entries], 1)}


def forward_memory(layer_sizes, rows: int = 1, seed: int = 0) -> dict[str, int]:
    """What backpropagation keeps from the forward pass: every neuron's z and O, counted and measured.

    `counted` is rows · 2 · (neurons after the inputs) float64 values; `measured` is what tracemalloc sees
    the forward pass allocate (sigmoid, so z and O are separate arrays); `parameters` for comparison.
    """
    s = checks.layer_sizes(layer_sizes)
    rows = checks.positive_int(rows, "rows")
    if rows * sum(s) > 50_000_000:
        raise ValueError(f"rows: {rows} rows of layers {s} would need more than 400 MB; choose fewer rows")
    params = init_params(s, weight=None, seed=seed)
    X = np.zeros((rows, s[0]))
    tracemalloc.start()
    try:
        fw = forward(params, X, "sigmoid")
        measured = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    kept = sum(z.nbytes for z in fw.z[1:]) + sum(O.nbytes for O in fw.O[1:])      # z[0] is None, O[0] is X
    return {"parameters": n_params(s), "values kept": rows * 2 * sum(s[1:]), "bytes kept": kept,
            "measured bytes": measured}


def cost_rows(networks) -> list[dict]:
    """The counted cost table: multiplications of one forward pass, of backpropagation (forward pass
    included) and of finite differences, and the two ratios the course quotes."""
    rows = []
    for s in networks:
        f, b = forward_mults(s), backprop_mults(s)
        fd = fd_mults(s)
        rows.append({"layers": "-".join(map(str, s)), "parameters": n_params(s), "forward pass": f,
                     "forward + backward": b, "backprop ÷ forward": round(b / f, 1), "centred difference": fd,
                     "centred ÷ backprop": round(fd / b, 1)})
    return rows


def timing_rows(networks, times) -> list[dict]:
    """The measured cost table from `time_gradients` results: milliseconds and the two ratios."""
    rows = []
    for s, t in zip(networks, times):
        if not isinstance(t, dict) or not all(isinstance(t.get(k), (int, float)) and t[k] > 0 and math.isfinite(t[k])
                                              for k in ("forward", "backprop", "finite_differences")):
            raise ValueError(f"times: expected positive timings (seconds) for forward, backprop and "
                             f"finite_differences, as time_gradients gives, got {t!r:.120}")
        rows.append({"parameters": n_params(s), "forward ms": 1e3 * t["forward"], "backprop ms": 1e3 * t["backprop"],
                     "backprop ÷ forward": round(t["backprop"] / t["forward"], 1),
                     "centred difference ms": 1e3 * t["finite_differences"],
                     "centred ÷ backprop": round(t["finite_differences"] / t["backprop"])})
    return rows


def timing_summary(networks, times) -> str:
    """What one timing run measured, in a sentence: its range of backprop ÷ forward against the counted one,
    and how its finite differences ÷ backprop changed from the smallest network to the largest."""
    measured = [r["backprop ÷ forward"] for r in timing_rows(networks, times)]
    counted = [r["backprop ÷ forward"] for r in cost_rows(networks)]
    fd = [r["centred ÷ backprop"] for r in timing_rows(networks, times)]
    return (f"This run: one backpropagation took {fmt(min(measured))} to {fmt(max(measured))} forward passes "
            f"(counted: {fmt(min(counted))} to {fmt(max(counted))}); the centred difference took {fmt(fd[0])} times a "
            f"backpropagation for {n_params(networks[0])} parameters and {fmt(fd[-1])} times for "
            f"{n_params(networks[-1])}.")
