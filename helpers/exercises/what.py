"""Checkers for the "Your turn" cells of notebooks/01_what.ipynb.

The set-up is the worked example's: the student data, every weight 1, every bias 0, η = 0.001, per-sample
updates in row order. Each exercise goes one step beyond what the notebook shows (another student, a
prediction, paths that add for another student, a hidden bias, the update rule written as code), its
expected value is computed with `helpers`, and each wrong answer that comes from a classic slip gets a hint
that names the slip, never the number.
"""

from __future__ import annotations

import numpy as np

from ..maths import notation
from ..maths.data import load_students
from ..maths.network import gradients, init_params, predict, sgd_step
from .feedback import (
    Feedback,
    as_array,
    check_answer,
    check_choice,
    not_answered,
    progress,
    record,
    register,
    run_learner,
)

NB = "01_what"
LR = 0.001
HIDDEN_B11 = 2.0

E_YHAT4 = register(NB, 1, "ŷ for student 4 at weights 0.5 (after section 7)", "compute: another student")
E_DIRECTION = register(NB, 2, "which way ŷ moves after one update (after section 10)", "predict, then check")
E_DX42 = register(NB, 3, "∂L/∂x42, the slope for an input of student 4 (after section 12)", "paths that add")
E_BIAS = register(NB, 4, "∂L/∂w11^2 with a hidden bias b11 = 2 (after section 12)", "compute: a hidden bias")
E_STEP = register(NB, 5, "the update rule as code, my_step (after section 13)", "build")


def _start():
    ds = load_students()
    return init_params([2, 2, 1], weight=1.0, bias=0.0), ds.X, ds.y


HALF = 0.5


def expected_yhat_student4() -> float:
    """ŷ for student 4 with every weight 0.5 and every bias 0."""
    _, X, _ = _start()
    return predict(init_params([2, 2, 1], weight=HALF, bias=0.0), X[3])


def check_yhat_student4(answer) -> Feedback:
    """Exercise 1: ŷ for student 4 with every weight 0.5 (biases 0)."""
    ones, X, _ = _start()
    half = init_params([2, 2, 1], weight=HALF, bias=0.0)
    x1, x2 = X[3]
    o11 = HALF * (x1 + x2)
    slips = [(predict(ones, X[3]), "that is ŷ with every weight 1. Here every weight is 0.5."),
             (HALF * o11, "that is one hidden neuron's share. ŷ adds what both hidden neurons send it."),
             (o11 * 2, "the output weights are 0.5 too: ŷ = w11^2·O11 + w21^2·O12 + b21."),
             (predict(half, X[0]), "that is ŷ for student 1. Use student 4's cgpa and profile score.")]
    return record(E_YHAT4, check_answer(answer, expected_yhat_student4(), "ŷ for student 4", slips=slips,
                                        why="Each hidden neuron gives 0.5·(cgpa + profile score); ŷ adds half "
                                            "of each."))


def expected_direction() -> str:
    """'lower' or 'higher': ŷ for student 1 after one update on student 1, compared with before."""
    params, X, y = _start()
    new = sgd_step(params, gradients(params, X[0], y[0]), LR)
    return "lower" if predict(new, X[0]) < predict(params, X[0]) else "higher"


def check_direction(answer) -> Feedback:
    """Exercise 2: after one update on student 1, is ŷ for student 1 higher or lower than before?"""
    slips = {"higher": "look at the sign of ∂L/∂ŷ for student 1, and at which way the update rule moves a "
                       "weight whose gradient has that sign."}
    return record(E_DIRECTION, check_choice(
        answer, ("higher", "lower"), expected_direction(), "the direction", slips=slips,
        why="ŷ is above the target, so every gradient is positive, every weight and bias goes down, and with "
            "positive inputs ŷ goes down too. Check it in the stepper of section 7."))


def input_gradient(params: dict, x, y: float) -> list[float]:
    """∂L/∂x_j for one student of the linear 2-2-1 network: Σ_k w_jk^1 · ∂L/∂b1k (the paths add)."""
    g = gradients(params, x, y)
    return (params["W1"] @ g["b1"]).tolist()


def expected_grad_x42() -> float:
    """∂L/∂x42 (profile score of student 4) with every weight 1 and every bias 0."""
    params, X, y = _start()
    return input_gradient(params, X[3], y[3])[1]


def check_grad_x42(answer) -> Feedback:
    """Exercise 3: ∂L/∂x42 for student 4 (weights 1, biases 0): two paths that add."""
    params, X, y = _start()
    dl_dyhat = float(gradients(params, X[3], y[3])["b2"][0])
    g = expected_grad_x42()
    slips = [(g / 2, "you followed one path. x42 reaches ŷ through both hidden neurons: add the two paths."),
             (input_gradient(params, X[0], y[0])[1], "that is student 1's slope. Student 4 has its own ŷ, so its "
                                                    "own ∂L/∂ŷ = -2(y - ŷ)."),
             (dl_dyhat * X[3][1], "the step from O11 to x42 multiplies by the weight w21^1 (∂O11/∂x42), "
                                  "not by the input x42."),
             (g * X[3][1], "each step from a hidden neuron to x42 multiplies by a weight (w21^1, w22^1), "
                           "not by the input x42."),
             (-g, "check the sign of ∂L/∂ŷ = -2(y - ŷ)."),
             (g / 4, "a factor is missing: the derivative of (y - ŷ)² brings down a 2. Also add both paths.")]
    return record(E_DX42, check_answer(answer, g, "∂L/∂x42", slips=slips,
                                       why="∂L/∂ŷ · (w11^2·w21^1 + w21^2·w22^1): two paths, each a product, "
                                           "added where they meet."))


def _biased():
    params, X, y = _start()
    params["b1"][0] = HIDDEN_B11
    return params, X[0], float(y[0])


def expected_grad_w11_2_biased() -> float:
    """∂L/∂w11^2 for student 1 when b11 = 2 (every weight 1, the other biases 0)."""
    params, x, y = _biased()
    return notation.get(gradients(params, x, y), "w11^2")


def check_grad_w11_2_biased(answer) -> Feedback:
    """Exercise 4: ∂L/∂w11^2 for student 1 with b11 = 2."""
    params, x, y = _biased()
    plain, px, py = _start()
    g = gradients(params, x, y)
    dl_dyhat, o11 = float(g["b2"][0]), float(x @ params["W1"][:, 0] + params["b1"][0])
    o11_plain = float(x @ plain["W1"][:, 0])
    slips = [(notation.get(gradients(plain, px[0], py[0]), "w11^2"),
              "that is the value without the bias. b11 changes O11, and so ŷ and ∂L/∂ŷ."),
             (-2 * (y - predict(plain, x)) * o11, "ŷ changed with the bias, so ∂L/∂ŷ changed too: recompute it."),
             (dl_dyhat * o11_plain, "O11 includes the bias: O11 = w11^1·x11 + w21^1·x12 + b11."),
             (-dl_dyhat * o11, "check the sign of ∂L/∂ŷ = -2(y - ŷ)."),
             (dl_dyhat * o11 / 2, "a factor is missing: the derivative of (y - ŷ)² brings down a 2.")]
    return record(E_BIAS, check_answer(answer, expected_grad_w11_2_biased(), "∂L/∂w11^2", slips=slips,
                                       why="The bias raises O11 and ŷ by the same amount; both factors of "
                                           "∂L/∂ŷ · O11 change."))


def _step_cases(n: int = 3, seed: int = 11):
    """(params, grads, lr) at random weights and biases, with the gradients of a student there."""
    X, y = load_students().X, load_students().y
    rng = np.random.default_rng(seed)
    cases = []
    for case in range(n):
        params = {k: rng.normal(0.0, 0.5, v.shape) for k, v in init_params([2, 2, 1]).items()}
        cases.append((params, gradients(params, X[case], y[case]), float(rng.choice([0.001, 0.01, 0.05]))))
    return cases


def check_my_step(fn) -> Feedback:
    """Exercise 5: `fn(params, grads, lr)` returns the parameters after one gradient-descent step,
    every array w - lr · ∂L/∂w, without changing its inputs; compared with `sgd_step` at random weights."""
    keys = ("W1", "b1", "W2", "b2")
    for case, (params, grads, lr) in enumerate(_step_cases(), start=1):
        got, fail = run_learner(fn, (params, grads, lr), "my_step(params, grads, lr)", case,
                                ("params", "grads", "lr"))
        if fail:
            return record(E_STEP, fail)
        if got is None:
            return record(E_STEP, not_answered("my_step returns None; return a dict of new arrays, like params."))
        if not isinstance(got, dict) or set(got) != set(keys):
            shown = sorted(map(str, got)) if isinstance(got, dict) else type(got).__name__
            return record(E_STEP, Feedback(f"Not yet: return a dict with the keys ['W1', 'W2', 'b1', 'b2'] "
                                           f"like params; you returned {shown}.", False))
        arrays = {}
        for k in keys:
            arrays[k], fail = as_array(got[k], params[k].shape, f"the new {k} with shape {params[k].shape}, "
                                                                f"like params[{k!r}]", part=True)
            if fail:
                return record(E_STEP, fail)
        want = sgd_step(params, grads, lr)
        if all(np.allclose(arrays[k], want[k], rtol=1e-9, atol=1e-12) for k in keys):
            continue
        same = [k for k in keys if np.allclose(arrays[k], params[k], rtol=1e-12, atol=0)]
        slips = [(lambda k: params[k] + lr * grads[k], "check the sign: gradient descent moves against the "
                                                       "slope, w - η·∂L/∂w."),
                 (lambda k: params[k] - grads[k], "the step is the gradient times the learning rate η (lr)."),
                 (lambda k: params[k] - lr * params[k], "the step uses the gradient grads[k], not the weight "
                                                         "itself."),
                 (lambda k: -lr * grads[k], "the new value is the old one minus the step: keep params[k] in it.")]
        hint = next((h for f, h in slips if all(np.allclose(arrays[k], f(k), rtol=1e-9, atol=1e-12)
                                                for k in keys)), "")
        if not hint and same:
            hint = (f"{', '.join(same)} did not change: every weight and every bias takes a step, "
                    f"{len(keys)} arrays in all.")
        hint = hint or "each new array is the old one minus lr times its gradient."
        wrong = [k for k in keys if not np.allclose(arrays[k], want[k], rtol=1e-9, atol=1e-12)]
        return record(E_STEP, Feedback(f"Not yet: on test case {case} (random weights, lr = {lr:g}) the new "
                                       f"{', '.join(wrong)} are wrong: {hint} Try again.", False))
    return record(E_STEP, Feedback("Right: my_step matches hp.sgd_step on every test case. That one line, run "
                                   "for all nine parameters after each backward pass, is all of gradient "
                                   "descent.", True))


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
