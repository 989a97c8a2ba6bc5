"""The lines of backpropagation that notebook 02 shows: `hp.backward` without its checks and reshaping.

`backprop_lines` is the same computation as `hp.backward` for rows (m, n0) (the test checks they agree), written
only with what the lesson has introduced, so that printing its source shows the algorithm and nothing else.
"""

from __future__ import annotations

from ..activations import ACTIVATIONS


def backprop_lines(params: dict, zs: list, acts: list, y, act: str, loss: str) -> dict:
    """The mean gradient over m rows, cross-entropy at a sigmoid output or squared error at any output.

    `zs[l-1]` and `acts[l]` are layer l's weighted sums and outputs, shape (m, neurons), `acts[0]` = X; y is
    a column (m, 1).
    """
    slope, L = ACTIVATIONS[act].slope, len(zs)          # slope(z, O): O(1 - O) for the sigmoid
    y_hat, m = acts[L], len(y)
    if loss == "bce":                                   # δ of the output layer: σ′ cancels with cross-entropy
        delta = y_hat - y
    else:                                               # squared error: 2(ŷ - y) times the output's slope
        delta = 2 * (y_hat - y) * slope(zs[L - 1], y_hat)
    grads = {}
    for l in range(L, 0, -1):                           # from the output layer back
        grads[f"W{l}"] = acts[l - 1].T @ delta / m      # ∂L/∂w_jk^l = O_(l-1)j · δ_lk, averaged
        grads[f"b{l}"] = delta.sum(axis=0) / m          # ∂L/∂b_lk = δ_lk, averaged
        if l > 1:
            delta = (delta @ params[f"W{l}"].T) * slope(zs[l - 2], acts[l - 1])   # the δ recursion
    return grads
