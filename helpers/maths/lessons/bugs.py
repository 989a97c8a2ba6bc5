"""Hand-written training steps for the 2-2-1 network: one correct, three with the classic bugs.

Each `update_*` function takes one step of gradient descent on one student, written out line by line
the way a learner would write it after notebook 01 (linear activations, per-sample loss L = (y - ŷ)^2):

- `update_by_hand`: correct;
- `update_bias_from_weight`: the bias b21 is updated with the gradient of the weight w21^2 (a copy-paste slip);
- `update_transposed`: the hidden weights' gradient is written row by neuron, so ∂L/∂w12^1 and ∂L/∂w21^1
  trade places (W1 is 2 x 2, so the shape is right and nothing complains);
- `update_too_early`: the output weights are updated in place before the hidden gradients are computed
  from them;
- `backward_overwrite` (bug 4, in a computational graph): `Node.backward` with `=` where `+=` belongs, so a
  node that feeds two others keeps only the last share of its gradient.

All four have the signature `update(params, x, y, lr) -> new params` and leave `params` unchanged.
`step_gradients` recovers the gradient a step really used, `(old - new) / lr`, so any update function can
be put through the gradient check (`check_update`) and trained (`train_by_hand`).
"""

from __future__ import annotations

import math

import numpy as np

from ...text import fmt
from .. import budget, checks, notation
from ..gradcheck import GradCheck, compare_gradients, numerical_gradients
from ..graph import topological_order
from ..network import validate


def _copy(params: dict) -> dict:
    return {k: np.array(v, dtype=np.float64) for k, v in params.items()}


def update_by_hand(params: dict, x, y: float, lr: float) -> dict:
    """One correct step on one student, the 9 derivatives of notebook 01 written out."""
    p = _copy(params)
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    x_i1, x_i2 = x
    # forward
    O11 = W1[0, 0] * x_i1 + W1[1, 0] * x_i2 + b1[0]
    O12 = W1[0, 1] * x_i1 + W1[1, 1] * x_i2 + b1[1]
    y_hat = W2[0, 0] * O11 + W2[1, 0] * O12 + b2[0]
    # backward: ∂L/∂ŷ, then the chain rule
    dL_dyhat = -2 * (y - y_hat)
    g_W2 = np.array([[dL_dyhat * O11], [dL_dyhat * O12]])       # ∂L/∂w11^2, ∂L/∂w21^2
    g_b2 = np.array([dL_dyhat])                                 # ∂L/∂b21
    dL_dO11, dL_dO12 = dL_dyhat * W2[0, 0], dL_dyhat * W2[1, 0]
    g_W1 = np.array([[dL_dO11 * x_i1, dL_dO12 * x_i1],              # ∂L/∂w11^1, ∂L/∂w12^1
                     [dL_dO11 * x_i2, dL_dO12 * x_i2]])             # ∂L/∂w21^1, ∂L/∂w22^1
    g_b1 = np.array([dL_dO11, dL_dO12])                         # ∂L/∂b11, ∂L/∂b12
    # update: w_new = w_old - lr * ∂L/∂w_old
    W2 -= lr * g_W2
    b2 -= lr * g_b2
    W1 -= lr * g_W1
    b1 -= lr * g_b1
    return p


def update_bias_from_weight(params: dict, x, y: float, lr: float) -> dict:
    """Bug 1: b21 is updated with ∂L/∂w21^2, the line above it copied and not fully edited."""
    p = _copy(params)
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    x_i1, x_i2 = x
    O11 = W1[0, 0] * x_i1 + W1[1, 0] * x_i2 + b1[0]
    O12 = W1[0, 1] * x_i1 + W1[1, 1] * x_i2 + b1[1]
    y_hat = W2[0, 0] * O11 + W2[1, 0] * O12 + b2[0]
    dL_dyhat = -2 * (y - y_hat)
    g_W2 = np.array([[dL_dyhat * O11], [dL_dyhat * O12]])
    dL_dO11, dL_dO12 = dL_dyhat * W2[0, 0], dL_dyhat * W2[1, 0]
    g_W1 = np.array([[dL_dO11 * x_i1, dL_dO12 * x_i1],
                     [dL_dO11 * x_i2, dL_dO12 * x_i2]])
    g_b1 = np.array([dL_dO11, dL_dO12])
    W2 -= lr * g_W2
    b2 -= lr * g_W2[1]                  # BUG: ∂L/∂w21^2 = ∂L/∂ŷ · O12, not ∂L/∂b21 = ∂L/∂ŷ
    W1 -= lr * g_W1
    b1 -= lr * g_b1
    return p


def update_transposed(params: dict, x, y: float, lr: float) -> dict:
    """Bug 2: the hidden weights' gradient is written one row a neuron, the transpose of W1's layout."""
    p = _copy(params)
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    x_i1, x_i2 = x
    O11 = W1[0, 0] * x_i1 + W1[1, 0] * x_i2 + b1[0]
    O12 = W1[0, 1] * x_i1 + W1[1, 1] * x_i2 + b1[1]
    y_hat = W2[0, 0] * O11 + W2[1, 0] * O12 + b2[0]
    dL_dyhat = -2 * (y - y_hat)
    g_W2 = np.array([[dL_dyhat * O11], [dL_dyhat * O12]])
    g_b2 = np.array([dL_dyhat])
    dL_dO11, dL_dO12 = dL_dyhat * W2[0, 0], dL_dyhat * W2[1, 0]
    g_W1 = np.array([[dL_dO11 * x_i1, dL_dO11 * x_i2],              # BUG: W1[j-1, k-1] is w_jk^1, from
                     [dL_dO12 * x_i1, dL_dO12 * x_i2]])             # input j to neuron k; these rows are neurons
    g_b1 = np.array([dL_dO11, dL_dO12])
    W2 -= lr * g_W2
    b2 -= lr * g_b2
    W1 -= lr * g_W1
    b1 -= lr * g_b1
    return p


def update_too_early(params: dict, x, y: float, lr: float) -> dict:
    """Bug 3: W2 is updated in place before ∂L/∂O11 and ∂L/∂O12 are computed from it."""
    p = _copy(params)
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    x_i1, x_i2 = x
    O11 = W1[0, 0] * x_i1 + W1[1, 0] * x_i2 + b1[0]
    O12 = W1[0, 1] * x_i1 + W1[1, 1] * x_i2 + b1[1]
    y_hat = W2[0, 0] * O11 + W2[1, 0] * O12 + b2[0]
    dL_dyhat = -2 * (y - y_hat)
    W2 -= lr * np.array([[dL_dyhat * O11], [dL_dyhat * O12]])  # BUG: updated before it is used below
    b2 -= lr * np.array([dL_dyhat])
    dL_dO11, dL_dO12 = dL_dyhat * W2[0, 0], dL_dyhat * W2[1, 0]   # uses the new W2
    W1 -= lr * np.array([[dL_dO11 * x_i1, dL_dO12 * x_i1],
                         [dL_dO11 * x_i2, dL_dO12 * x_i2]])
    b1 -= lr * np.array([dL_dO11, dL_dO12])
    return p


def backward_overwrite(root) -> list:
    """Bug 4: the graph's backward sweep with `=` instead of `+=`, so where paths meet only one share is kept."""
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in node.parents:
            parent.grad = local * node.grad      # BUG: = overwrites the share of every path but the last


def step_source(update, reveal: bool = False) -> str:
    """The backward and update lines of a hand-written step (from `dL_dyhat = ` on), as notebook 02 prints them;
    the `# BUG: ...` comments are dropped unless `reveal`, so a learner can predict before the check says."""
    import inspect
    if update not in UPDATES.values() and update is not update_by_hand:
        raise ValueError(f"update: expected one of the steps in bugs.UPDATES, got {update!r}")
    lines = inspect.getsource(update).splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("dL_dyhat = "))
    out, in_bug_comment = [], False
    for line in lines[start:]:
        if line.strip() == "return p":
            continue
        comment = line.find("#")
        if not reveal and comment >= 0 and ("# BUG" in line or in_bug_comment):   # a BUG comment and its tail
            in_bug_comment = True
            line = line[:comment].rstrip()
        else:
            in_bug_comment = False
        out.append(line[4:])
    return "\n".join(out)


UPDATES = {
    "correct": update_by_hand,
    "bias from a weight": update_bias_from_weight,
    "transposed W1": update_transposed,
    "updated too early": update_too_early,
}


LR_MIN = 1e-8   # step_gradients reads g back as (w - w_new) / lr: about 8 of float64's 16 digits are left


def _check_2_2_1(params, x, y):
    params, x, y = validate(params, x, "linear", y, "mse")
    if notation.layer_sizes_of(params) != [2, 2, 1]:
        raise ValueError(f"params: the hand-written steps are for the 2-2-1 network, got layer sizes "
                         f"{notation.layer_sizes_of(params)}")
    if x.ndim != 1:
        raise ValueError(f"x: expected one student (2,), got shape {x.shape}")
    return x, float(y)


def step_gradients(update, params: dict, x, y: float, lr: float = 0.001) -> dict:
    """The gradient an update function really used: `(old - new) / lr`, for every parameter."""
    if not callable(update):
        raise TypeError(f"update: expected a function update(params, x, y, lr), got {update!r}")
    x, y = _check_2_2_1(params, x, y)
    lr = checks.positive_number(lr, "lr")
    if lr < LR_MIN:
        raise ValueError(f"lr: expected at least {fmt(LR_MIN)}; with a smaller rate the update w - lr·g rounds back "
                         f"to w, so the gradient it used cannot be read back, got {lr!r}")
    params = checks.as_params(params)
    with np.errstate(all="ignore"):
        new = update(_copy(params), x, y, lr)
        out = {k: (params[k] - np.asarray(new[k], dtype=np.float64)) / lr for k in params}
    checks.finite_result(out, "the gradient the update used")
    return out


def check_update(update, params: dict, x, y: float, lr: float = 0.001, eps: float = 1e-5) -> GradCheck:
    """Gradient check of an update function: the gradient it used, (w_old - w_new) / lr, against centred
    differences (its column says "gradient used", not "backprop")."""
    grads = step_gradients(update, params, x, y, lr)
    x, y = _check_2_2_1(params, x, y)
    return compare_gradients(grads, numerical_gradients(params, x, y, eps), label="gradient used")


def train_by_hand(update, params: dict, X, y, lr: float = 0.001, epochs: int = 5,
                  max_memory: float | None = None, max_seconds: float | None = None) -> list[float]:
    """Train with an update function, rows in order; one mean loss an epoch (each row's loss before its step).

    Like `train`, the losses stop at the last full epoch if the weights stop being finite. A run whose
    estimated time (one call of `update` a row) is over `max_seconds`, or whose losses would take more than
    `max_memory` bytes (defaults in `budget`), is refused before it starts.
    """
    if not callable(update):
        raise TypeError(f"update: expected a function update(params, x, y, lr), got {update!r}")
    params, X, y = validate(params, X, "linear", y, "mse")
    if X.ndim != 2 or notation.layer_sizes_of(params) != [2, 2, 1]:
        raise ValueError(f"X and params: expected rows (m, 2) and a 2-2-1 network, got X {X.shape}")
    lr = checks.positive_number(lr, "lr")
    epochs = checks.positive_int(epochs, "epochs")
    budget.check(f"train_by_hand for {budget.count(epochs)} epochs of {len(y)} rows", 8.0 * min(epochs, 10**12),
                 budget.PYTHON_CALL_S * min(epochs, 10**12) * len(y), max_memory, max_seconds, "use fewer epochs")
    p, losses = _copy(params), []
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            total = 0.0
            for x, t in zip(X, y.tolist()):
                O1 = x @ p["W1"] + p["b1"]
                y_hat = float(O1 @ p["W2"][:, 0] + p["b2"][0])
                total += (t - y_hat) * (t - y_hat)
                if not math.isfinite(total):
                    break
                p = update(p, x, t, lr)
            if not math.isfinite(total) or not all(np.all(np.isfinite(v)) for v in p.values()):
                break
            losses.append(total / len(y))
    return losses


def losses_at(curve: list[float], epochs) -> list:
    """The loss of each epoch in `epochs` (counted from 1) of a `train_by_hand` curve, "diverged" past its end."""
    return [curve[e - 1] if 1 <= e <= len(curve) else "diverged" for e in epochs]
