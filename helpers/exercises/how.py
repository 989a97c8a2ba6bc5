"""Checkers for the "Your turn" cells of the "How" notebook: each runs the learner's function on several cases.

Every checker returns a `Feedback` (a sentence, with `.ok`): right, or what went wrong on which case
(not answered, raised an error, wrong type or shape, changed its inputs, or which value is off).
"""

from __future__ import annotations

import numpy as np

from ..maths import notation
from ..maths.network import gradients, init_params, sgd_step
from .feedback import Feedback


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


def _cases(n: int = 4, rows: int | None = None, seed: int = 7):
    """Test cases: random 2-2-1 weights and biases, a random input (or rows), a target, a learning rate."""
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


def _copy(params):
    return {k: np.array(v, dtype=float) for k, v in params.items()}


def _call(fn, args, what: str, case: int):
    """Run the learner's function; a Feedback instead of the result when it is missing or raises."""
    if fn is None:
        return None, Feedback(f"Not answered yet: define {what} in the cell above and run it again.", False)
    if not callable(fn):
        return None, Feedback(f"{what} should be a function, but it is {type(fn).__name__} {fn!r}.", False)
    try:
        return fn(*args), None
    except Exception as err:  # the learner's code: report any error in words
        return None, Feedback(f"Not yet: on test case {case} your function raised {type(err).__name__}: {err}",
                              False)


def _unchanged(before: dict, after: dict) -> bool:
    return all(np.array_equal(before[k], after[k]) for k in before)


def check_b21_update(fn) -> Feedback:
    """Check `fn(params, x, y, lr)`, which returns the new b21 after one step on one student."""
    for case, (params, x, y, lr) in enumerate(_cases(), start=1):
        got, fail = _call(fn, (_copy(params), x.copy(), y, lr), "update_b21(params, x, y, lr)", case)
        if fail:
            return fail
        if got is None:
            return Feedback("Not answered yet: your function returns None; return the new value of b21.", False)
        try:
            value = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return Feedback(f"Not yet: return one number (the new b21), not {type(got).__name__} {got!r}.", False)
        if value.size != 1:
            return Feedback(f"Not yet: return one number (the new b21), but you returned shape {value.shape}.",
                            False)
        want = float(sgd_step(params, gradients(params, x, y), lr)["b2"][0])
        value = float(value.reshape(()))
        if not np.isclose(value, want, rtol=1e-9, atol=1e-12):
            old = float(params["b2"][0])
            hint = (" Did you add instead of subtract?" if np.isclose(value - old, old - want, rtol=1e-6)
                    else " Check ∂L/∂b21 = ∂L/∂ŷ = -2(y - ŷ).")
            return Feedback(f"Not yet: on test case {case} (b21 = {old:.4f}, x = {x.tolist()}, y = {y}, "
                            f"lr = {lr}) the new b21 is {want:.6f}; yours is {value:.6f}.{hint}", False)
    return Feedback("Right: b21_new = b21 - lr · (-2(y - ŷ)) on every test case.", True)


def check_fixed_update(fn) -> Feedback:
    """Check `fn(params, x, y, lr)`, the learner's fixed `buggy_update`: every new parameter must match."""
    for case, (params, x, y, lr) in enumerate(_cases(), start=1):
        given = _copy(params)
        got, fail = _call(fn, (given, x.copy(), y, lr), "my_update(params, x, y, lr)", case)
        if fail:
            return fail
        if not isinstance(got, dict) or set(got) != set(params):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            return Feedback(f"Not yet: return a dict with the keys ['W1', 'W2', 'b1', 'b2'] like params; you "
                            f"returned {keys}.", False)
        for k in params:
            if np.shape(got[k]) != params[k].shape:
                return Feedback(f"Not yet: the new {k} should have shape {params[k].shape}, like params[{k!r}]; "
                                f"yours has shape {np.shape(got[k])}.", False)
        if not _unchanged(params, given):
            return Feedback("Not yet: your function changed the params it was given; return new arrays "
                            "instead of updating them in place.", False)
        want = sgd_step(params, gradients(params, x, y), lr)
        mine, theirs = notation.flatten(want), notation.flatten(got)
        wrong = [n for n, a, b in zip(notation.PARAM_NAMES, mine, theirs) if not np.isclose(a, b, rtol=1e-9)]
        if wrong:
            return Feedback(f"Not yet: on test case {case} (random weights) these new values are wrong: "
                            f"{', '.join(wrong)}. Which gradients feed them?", False)
    return Feedback("Right: your update matches hp.sgd_step(params, hp.gradients(params, x, y), lr) on every "
                    "test case, equal weights or not.", True)


def check_vectorised_W2(fn) -> Feedback:
    """Check `fn(params, X, y)`, which returns the mean ∂L/∂W2 over the rows of X, shape (2, 1)."""
    for case, (params, X, y, _) in enumerate(_cases(rows=5), start=1):
        X = X[: case + 1]
        y = y[: case + 1]
        got, fail = _call(fn, (_copy(params), X.copy(), y.copy()), "grad_W2(params, X, y)", case)
        if fail:
            return fail
        if got is None:
            return Feedback("Not answered yet: your function returns None; return an array of shape (2, 1).",
                            False)
        got = np.asarray(got, dtype=float)
        if got.shape != (2, 1):
            hint = ""
            if got.size == 2:
                hint = " Keep it a column: O1.T @ delta with delta of shape (m, 1) gives (2, 1)."
            elif got.shape == (2, len(y)):
                hint = " An (m, 1) column minus y of shape (m,) broadcasts to (m, m): use y[:, None]."
            return Feedback(f"Not yet: return shape (2, 1) like params['W2']; yours has shape {got.shape}.{hint}",
                            False)
        want = gradients(params, X, y)["W2"]
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            ratio = float(np.mean(got / want)) if np.all(want != 0) else np.nan
            hint = (f" Yours is {ratio:.0f} times too large: divide by the number of rows."
                    if np.isclose(ratio, len(y)) and len(y) > 1 else "")
            return Feedback(f"Not yet: on test case {case} ({len(y)} rows) the mean ∂L/∂W2 is "
                            f"{want.ravel().round(6).tolist()}; yours is {got.ravel().round(6).tolist()}.{hint}",
                            False)
    return Feedback("Right: your matrix formula gives the mean gradient over the rows, the same as "
                    "hp.gradients(params, X, y)['W2'].", True)
