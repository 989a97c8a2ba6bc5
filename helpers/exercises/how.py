"""Checkers for the "Your turn" cells of the "How" notebook.

The code exercises run the learner's function on hidden test cases (random weights and biases, so that a
symmetric start cannot hide a bug) through `feedback.run_learner`: it runs on copies, and an error, a wrong
type or shape, or an input changed in place gets a sentence. A wrong value gets the slip it comes from
(added instead of subtracted, a missing factor, the sum instead of the mean, ...), never the right value.
"""

from __future__ import annotations

import numpy as np

from ..maths import bugs, notation
from ..maths.data import load_placements
from ..maths.network import gradients, init_params, predict, sgd_step
from ..maths.notation import n_params
from .feedback import Feedback, as_array, check_answer, progress, record, register, run_learner

NB = "02_how"
E_B21 = register(NB, 1, "update_b21: the update of b21 as code (after section 2)", "write code")
E_BCE = register(NB, 2, "∂L/∂b21 for a sigmoid network with cross-entropy (after section 3)",
                 "compute: a sigmoid unit")
E_PASSES = register(NB, 3, "forward passes of one gradient check (after section 4)", "predict, then check")
E_FIX = register(NB, 4, "my_update: find and fix the bug (after section 5)", "find the bug")
E_W2 = register(NB, 5, "grad_W2: one gradient, vectorised (after section 6)", "write code")


def _cases(n: int = 4, rows: int | None = None, seed: int = 7):
    """Hidden test cases: random 2-2-1 weights and biases, a random input (or rows), a target, a learning rate."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        params = init_params([2, 2, 1], weight=None, seed=seed + k, scheme="uniform")
        params["b1"] = rng.uniform(-1, 1, 2)
        params["b2"] = rng.uniform(-1, 1, 1)
        if rows is None:
            x, y = rng.uniform(4, 12, 2).round(1), round(float(rng.uniform(3, 8)), 1)
        else:
            x, y = rng.uniform(4, 12, (rows, 2)).round(1), rng.uniform(3, 8, rows).round(1)
        out.append((params, x, y, [0.001, 0.01, 0.05, 0.1][k % 4]))
    return out


def _near(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def _first_slip(value, slips) -> str:
    return next((hint for want, hint in slips if _near(value, want)), "")


# ---- exercise 1: b21 ----

def check_b21_update(fn) -> Feedback:
    """Exercise 1: `fn(params, x, y, lr)` returns the new b21 after one step on one student."""
    for case, (params, x, y, lr) in enumerate(_cases(), start=1):
        got, fail = run_learner(fn, (params, x, y, lr), "update_b21(params, x, y, lr)", case,
                                ("params", "x", "y", "lr"))
        if fail:
            return record(E_B21, fail)
        value, fail = as_array(got, (), "one number (the new b21)")
        if fail:
            return record(E_B21, fail)
        old, g = float(params["b2"][0]), float(gradients(params, x, y)["b2"][0])
        want = old - lr * g
        if _near(value, want):
            continue
        slips = [(old + lr * g, "did you add instead of subtract? The update is b21 - η · ∂L/∂b21."),
                 (old - lr * g / 2, "a factor is missing: the derivative of (y - ŷ)² brings down a 2."),
                 (old - g, "did you forget the learning rate?"),
                 (g, "you returned the gradient; return the new value of b21."),
                 (-lr * g, "you returned the step; add it to the old b21."),
                 (lr * g, "you returned the step; subtract it from the old b21."),
                 (old, "b21 did not change: subtract η · ∂L/∂b21.")]
        hint = _first_slip(value, slips) or ("the new b21 is " + ("too high" if value > want else "too low")
                                             + ". Check ∂L/∂b21 = ∂L/∂ŷ · ∂ŷ/∂b21.")
        return record(E_B21, Feedback(f"Not yet: on test case {case} (random weights, lr = {lr}): {hint} "
                                      f"Try again.", False))
    return record(E_B21, Feedback("Right: b21_new = b21 - η · (-2(y - ŷ)) on every test case. ∂ŷ/∂b21 = 1, so the "
                                  "bias gets ∂L/∂ŷ itself.", True))


# ---- exercise 2: a sigmoid network with binary cross-entropy ----

BCE_STUDENT, BCE_WEIGHT = 3, 0.1


def _bce_case():
    ds = load_placements()
    return init_params([2, 2, 1], weight=BCE_WEIGHT), ds.X[BCE_STUDENT - 1], float(ds.y[BCE_STUDENT - 1])


def expected_bce_b21() -> float:
    """∂L/∂b21 for placement student 3, weights 0.1, biases 0, sigmoid everywhere, binary cross-entropy."""
    params, x, y = _bce_case()
    return float(gradients(params, x, y, activation="sigmoid", loss="bce")["b2"][0])


def check_bce_b21(answer) -> Feedback:
    """Exercise 2: ∂L/∂b21 for placement student 3 (sigmoid, cross-entropy)."""
    params, x, y = _bce_case()
    y_hat = predict(params, x, activation="sigmoid")
    hidden = 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"])))
    z_out = float(hidden @ params["W2"][:, 0] + params["b2"][0])
    z_lin = float((x @ params["W1"] + params["b1"]) @ params["W2"][:, 0] + params["b2"][0])
    slips = [(y - y_hat, "check the sign: with cross-entropy, ∂L/∂z = ŷ - y."),
             ((y_hat - y) * y_hat * (1 - y_hat), "with cross-entropy the σ′ factor cancels: ∂L/∂z21 = ŷ - y. "
                                                 "Multiplying by ŷ(1 - ŷ) again counts it twice."),
             (-2 * (y - y_hat) * y_hat * (1 - y_hat), "that is the squared-error gradient; this network uses "
                                                      "binary cross-entropy."),
             (z_out - y, "ŷ is σ(z21), not z21: apply the sigmoid to the output."),
             (1 / (1 + np.exp(-z_lin)) - y, "the hidden neurons use the sigmoid too: O11 = σ(z11).")]
    return record(E_BCE, check_answer(answer, expected_bce_b21(), "∂L/∂b21", rtol=1e-4, slips=slips,
                                      why="∂L/∂b21 = ∂L/∂z21 · 1 = ŷ - y: the sigmoid's slope and the "
                                          "cross-entropy's 1/(ŷ(1 - ŷ)) cancel."))


# ---- exercise 3: how many forward passes does one gradient check take? ----

def expected_check_passes(sizes=(2, 2, 1)) -> int:
    """Forward passes that centred differences make for one gradient: two per parameter."""
    return 2 * n_params(sizes)


def check_check_passes(answer) -> Feedback:
    """Exercise 3: the forward passes hp.numerical_gradients makes for the 2-2-1 network."""
    n = n_params((2, 2, 1))
    weights = 2 * 2 + 2 * 1
    slips = [(n, "that is one pass per parameter. Centred differences evaluate the loss twice for each: at "
                 "w + ε and at w - ε."),
             (2 * weights, "biases are parameters too: each gets its own pair of passes."),
             (2 * n + 1, "the centred formula (L(w + ε) - L(w - ε)) / 2ε never needs L(w) itself."),
             (n + 1, "that is the one-sided count; the course's check is centred.")]
    return record(E_PASSES, check_answer(answer, expected_check_passes(), "the number of forward passes", rtol=0,
                                         close=0, slips=slips,
                                         why="Two passes per parameter; backpropagation needs one forward and "
                                             "one backward pass for all of them."))


# ---- exercise 4: find the bug ----

def buggy_update(params: dict, x, y: float, lr: float) -> dict:
    """One step on one student with one wrong line: find it (the gradient check at random weights helps)."""
    W1, b1, W2, b2 = (np.array(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    x1, x2 = x
    O11 = W1[0, 0] * x1 + W1[1, 0] * x2 + b1[0]
    O12 = W1[0, 1] * x1 + W1[1, 1] * x2 + b1[1]
    y_hat = W2[0, 0] * O11 + W2[1, 0] * O12 + b2[0]
    dL_dyhat = -2 * (y - y_hat)
    dL_dO11, dL_dO12 = dL_dyhat * W2[0, 0], dL_dyhat * W2[0, 0]
    g = {"W1": np.array([[dL_dO11 * x1, dL_dO12 * x1], [dL_dO11 * x2, dL_dO12 * x2]]),
         "b1": np.array([dL_dO11, dL_dO12]),
         "W2": np.array([[dL_dyhat * O11], [dL_dyhat * O12]]),
         "b2": np.array([dL_dyhat])}
    return {"W1": W1 - lr * g["W1"], "b1": b1 - lr * g["b1"], "W2": W2 - lr * g["W2"], "b2": b2 - lr * g["b2"]}


def _copy(params):
    return {k: np.array(v, dtype=float) for k, v in params.items()}


_KNOWN_BUGS = (
    (buggy_update, "This gives the same numbers as ex.buggy_update: the wrong line is still there."),
    (bugs.update_too_early, "Some gradients use a weight that was already updated. Compute every gradient from "
                            "the old values first, then update."),
    (bugs.update_transposed, "The hidden weights' indices are transposed: W1[j, k] is w_(j+1)(k+1)^1, from "
                             "input j to neuron k."),
    (bugs.update_bias_from_weight, "A bias is updated with a weight's gradient."),
)


def check_fixed_update(fn) -> Feedback:
    """Exercise 4: `fn(params, x, y, lr)`, the learner's fixed `buggy_update`: every new parameter must match."""
    for case, (params, x, y, lr) in enumerate(_cases(), start=1):
        got, fail = run_learner(fn, (params, x, y, lr), "my_update(params, x, y, lr)", case,
                                ("params", "x", "y", "lr"))
        if fail:
            return record(E_FIX, fail)
        if not isinstance(got, dict) or set(got) != set(params):
            keys = sorted(map(str, got)) if isinstance(got, dict) else type(got).__name__
            return record(E_FIX, Feedback(f"Not yet: return a dict with the keys ['W1', 'W2', 'b1', 'b2'] like "
                                          f"params; you returned {keys}.", False))
        arrays = {}
        for k in params:
            arrays[k], fail = as_array(got[k], params[k].shape, f"the new {k} with shape {params[k].shape}, "
                                                                f"like params[{k!r}]", part=True)
            if fail:
                return record(E_FIX, fail)
        want = sgd_step(params, gradients(params, x, y), lr)
        mine, theirs = notation.flatten(want), notation.flatten(arrays)
        wrong = [n for n, a, b in zip(notation.PARAM_NAMES, mine, theirs) if not np.isclose(a, b, rtol=1e-9)]
        if wrong:
            known = next((hint for bug, hint in _KNOWN_BUGS
                          if _near(notation.flatten(bug(_copy(params), x, y, lr)), theirs)), "")
            return record(E_FIX, Feedback(f"Not yet: on test case {case} (random weights) these new values are "
                                          f"wrong: {', '.join(wrong)}. {known or 'Which gradients feed them?'}",
                                          False))
    return record(E_FIX, Feedback("Right: your update matches hp.sgd_step(params, hp.gradients(params, x, y), lr) "
                                  "on every test case. ∂L/∂O12 goes through w21^2, not w11^2; at equal weights "
                                  "the two are the same, which is why the bug hides there.", True))


# ---- exercise 5: vectorise ----

def check_vectorised_W2(fn) -> Feedback:
    """Exercise 5: `fn(params, X, y)` returns the mean ∂L/∂W2 over the rows of X, shape (2, 1)."""
    for case, (params, X, y, _) in enumerate(_cases(rows=5), start=1):
        X, y = X[: case + 1], y[: case + 1]
        got, fail = run_learner(fn, (params, X, y), "grad_W2(params, X, y)", case, ("params", "X", "y"))
        if fail:
            return record(E_W2, fail)
        arr, fail = as_array(got, (2, 1), "an array of shape (2, 1), like params['W2']")
        if fail:
            shape = np.shape(got) if isinstance(got, np.ndarray) else None
            if shape == (1, 2):
                fail = Feedback(f"{fail} Transposed: O1.T @ delta gives (2, 1).", False)
            elif shape == (2,):
                fail = Feedback(f"{fail} Keep it a column: O1.T @ delta with delta of shape (m, 1) gives (2, 1).",
                                False)
            elif shape == (2, len(y)):
                fail = Feedback(f"{fail} An (m, 1) column minus y of shape (m,) broadcasts to (m, m): use "
                                f"y[:, None].", False)
            return record(E_W2, fail)
        want = gradients(params, X, y)["W2"]
        if _near(arr, want):
            continue
        m = len(y)
        slips = [(want * m, "that is the sum over the rows; the gradient is their mean: divide by the number "
                            "of rows."),
                 (gradients(params, X[0], y[0])["W2"], "that is the first row's gradient; average over all rows."),
                 (-want, "check the sign: ∂L/∂ŷ = -2(y - ŷ) = 2(ŷ - y)."),
                 (want / 2, "a factor is missing: the derivative of (y - ŷ)² brings down a 2."),
                 (want[::-1], "the two entries are swapped: row j of O1.T @ delta belongs to w(j)1^2.")]
        hint = _first_slip(arr, slips) or ("check each factor: O1 = X @ W1 + b1, delta = 2(ŷ - y), then "
                                           "O1.T @ delta / m.")
        return record(E_W2, Feedback(f"Not yet: on test case {case} ({m} rows): {hint} Try again.", False))
    return record(E_W2, Feedback("Right: O1.T @ delta / m is the mean of the per-row gradients, the same as "
                                 "hp.gradients(params, X, y)['W2'], without a loop.", True))


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
