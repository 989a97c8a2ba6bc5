"""Checkers for the "Your turn" cells of notebooks/01_what.ipynb.

The set-up is the worked example's: the student data, every weight 1, every bias 0, η = 0.001, per-sample
updates in row order. Each exercise goes one step beyond what the notebook shows (another student at other
weights and biases, a path cut at the fork, a hidden bias, a prediction of one update from another start,
the update rule written as code), its expected value is computed with `helpers`, and each wrong answer that
comes from a classic slip gets a hint that names the slip, never the number. Every set-up is chosen so that
each slip the hints name gives a number of its own, different from the right answer.
"""

from __future__ import annotations

import numpy as np

from ..maths import notation
from ..maths.data import load_students
from ..maths.network import gradients, init_params, predict, sgd_step
from .feedback import (
    Feedback,
    as_params,
    check_answer,
    check_choice,
    progress,
    record,
    register,
    run_learner,
)
from .shortcuts import REAL, switched_off

NB = "01_what"
LR = 0.001
HIDDEN_B11 = 2.0

E_YHAT4 = register(NB, 1, "ŷ for student 4 at other weights and biases (after section 7)",
                   "compute: another student")
E_DIRECTION = register(NB, 4, "where one update from weights 0.1 takes ŷ (after section 13)",
                       "predict, then check")
E_CUT = register(NB, 2, "∂L/∂x11 with w12^1 = 0, w11^1 = 0.5 and w11^2 = 3 (after section 12)",
                 "reason: paths that add")
E_BIAS = register(NB, 3, "∂L/∂w11^2 with a hidden bias b11 = 2 (after section 12)", "compute: a hidden bias")
E_STEP = register(NB, 5, "the update rule as code, my_step (after section 13)", "build")


def _start():
    ds = load_students()
    return init_params([2, 2, 1], weight=1.0, bias=0.0), ds.X, ds.y


# exercise 1: hidden weights 0.5, hidden biases 2, output weights 0.25, output bias 0 (each slip differs)
HIDDEN_W, HIDDEN_B, OUTPUT_W = 0.5, 2.0, 0.25


def exercise1_params(hidden_w: float = HIDDEN_W, hidden_b: float = HIDDEN_B, output_w: float = OUTPUT_W) -> dict:
    """The parameters of exercise 1: every hidden weight `hidden_w`, both hidden biases `hidden_b`, both
    output weights `output_w`, the output bias 0."""
    params = init_params([2, 2, 1], weight=1.0, bias=0.0)
    params["W1"][:] = hidden_w
    params["b1"][:] = hidden_b
    params["W2"][:] = output_w
    return params


def expected_y_hat_4() -> float:
    """ŷ for student 4 with hidden weights 0.5, hidden biases 2, output weights 0.25, output bias 0."""
    _, X, _ = _start()
    return predict(exercise1_params(), X[3])


def check_y_hat_4(answer) -> Feedback:
    """Exercise 1: ŷ for student 4 at hidden weights 0.5, hidden biases 2, output weights 0.25."""
    _, X, _ = _start()
    x1, x2 = X[3]
    o1 = HIDDEN_W * (x1 + x2) + HIDDEN_B                 # each hidden neuron's output
    slips = [(o1, "that is a hidden neuron's output O11. Go on to the output neuron: "
                  "ŷ = w11^2·O11 + w21^2·O12 + b21."),
             (OUTPUT_W * o1, "that is what one hidden neuron sends. ŷ adds what both hidden neurons send it."),
             (OUTPUT_W * 2 * (o1 - HIDDEN_B), "a bias is missing: each hidden neuron adds its bias, "
                                             "O11 = w11^1·x41 + w21^1·x42 + b11."),
             (OUTPUT_W * (2 * o1 - HIDDEN_B), "one hidden bias is missing: both hidden neurons add 2."),
             (predict(exercise1_params(output_w=1.0), X[3]), "the output weights are 0.25, not 1."),
             (predict(exercise1_params(OUTPUT_W, HIDDEN_B, HIDDEN_W), X[3]),
              "the weights are swapped: 0.5 on the four hidden weights, 0.25 on the two output weights."),
             (predict(exercise1_params(), X[0]), "that is ŷ for student 1. Use student 4's cgpa and profile score."),
             (predict(init_params([2, 2, 1], weight=1.0, bias=0.0), X[3]),
              "that is ŷ at the worked example's weights 1 and biases 0. Use this exercise's weights and biases.")]
    return record(E_YHAT4, check_answer(answer, expected_y_hat_4(), "ŷ for student 4", slips=slips,
                                        why="Each hidden neuron gives 0.5·(cgpa + profile score) + 2; ŷ adds a "
                                            "quarter of each."))


# exercise 4: one update from every weight 0.1 (biases 0): ŷ is below the target, the step is small
SMALL_W = 0.1
DIRECTIONS = ("lower", "a little higher", "above 4")


def _small_start():
    _, X, y = _start()
    return init_params([2, 2, 1], weight=SMALL_W, bias=0.0), X[0], float(y[0])


def expected_direction() -> str:
    """Where one update on student 1 from every weight 0.1 (biases 0, η = 0.001) takes ŷ for student 1:
    'lower', 'a little higher' (higher but still below the target 4) or 'above 4'."""
    params, x, y = _small_start()
    before, after = predict(params, x), predict(sgd_step(params, gradients(params, x, y), LR), x)
    if after < before:
        return "lower"
    return "above 4" if after > y else "a little higher"


def check_direction(answer) -> Feedback:
    """Exercise 4: one update on student 1 from every weight 0.1: ŷ 'lower', 'a little higher' or 'above 4'?"""
    slips = {"lower": "ŷ is now below the target, so ∂L/∂ŷ = -2(y - ŷ) has the opposite sign to section 13's. "
                      "Which way does w_new = w_old - η·∂L/∂w_old then move each weight?",
             "above 4": "section 13's step overshot because ∂L/∂ŷ was 56 and ŷ was far above 4. Here ŷ is below "
                        "4 and ∂L/∂ŷ much smaller: estimate how far η times each gradient moves each weight.",
             "a little higher": "look again at the sign of ∂L/∂ŷ and at how large η·∂L/∂w is."}
    return record(E_DIRECTION, check_choice(
        answer, DIRECTIONS, expected_direction(), "where ŷ goes", slips=slips,
        why="ŷ is below the target, so every gradient is negative and every weight and bias rises; but η times "
            "those gradients moves each by about a hundredth or less, so ŷ rises only a little."))


def input_gradient(params: dict, x, y: float) -> list[float]:
    """∂L/∂x_j for one student of the linear 2-2-1 network: Σ_k w_jk^1 · ∂L/∂b1k (the paths add)."""
    g = gradients(params, x, y)
    return (params["W1"] @ g["b1"]).tolist()


CUT_W11 = 0.5   # exercise 2's w11^1: not 1, so that ∂L/∂x11 differs from ∂L/∂ŷ, ∂L/∂b11 and ∂L/∂b21
CUT_W11_2 = 3.0  # and its w11^2: not 1, so that skipping the factor ∂ŷ/∂O11 = w11^2 gives a number of its own


def _cut():
    """Exercise 2's parameters: every weight 1, biases 0, but w12^1 = 0 (the path x_i1 → O12 cut),
    w11^1 = CUT_W11 (the other path at half strength) and w11^2 = CUT_W11_2."""
    params, X, y = _start()
    params["W1"][0, 1] = 0.0
    params["W1"][0, 0] = CUT_W11
    params["W2"][0, 0] = CUT_W11_2
    return params, X[0], float(y[0])


def expected_grad_x_cut() -> float:
    """∂L/∂x11 (student 1's cgpa) when w12^1 = 0, w11^1 = CUT_W11, w11^2 = CUT_W11_2 and every other weight is
    1, biases 0."""
    params, x, y = _cut()
    return input_gradient(params, x, y)[0]


def check_grad_x_cut(answer) -> Feedback:
    """Exercise 2: ∂L/∂x11 for student 1 with the path through O12 cut (w12^1 = 0), w11^1 = CUT_W11 and
    w11^2 = CUT_W11_2."""
    params, x, y = _cut()
    plain, _, _ = _start()
    dl_dyhat = float(gradients(params, x, y)["b2"][0])
    dl_dyhat_plain = float(gradients(plain, x, y)["b2"][0])
    g = expected_grad_x_cut()
    slips = [(input_gradient(plain, x, y)[0], "that is section 12's value, with both paths. Cutting w12^1 "
                                              "changes the paths and ŷ."),
             (dl_dyhat_plain * CUT_W11_2 * CUT_W11, "the new weights also change O11 and ŷ, and so ∂L/∂ŷ = "
                                                    "-2(y - ŷ): recompute the forward pass first."),
             (dl_dyhat, "that is ∂L/∂ŷ; follow the path on to x11: times ∂ŷ/∂O11 and ∂O11/∂x11."),
             (dl_dyhat * (CUT_W11_2 * CUT_W11 + 1.0), "the path through O12 now carries the factor w12^1 = 0: "
                                                      "only one path is left."),
             (dl_dyhat * CUT_W11_2 * x[0], "the step from O11 to x11 multiplies by the weight w11^1 "
                                           "(∂O11/∂x11), not by the input x11."),
             (dl_dyhat * CUT_W11, "a link is missing: from ŷ to O11 the path multiplies by ∂ŷ/∂O11 = w11^2."),
             (dl_dyhat * CUT_W11_2, "that is ∂L/∂O11 (= ∂L/∂b11); one more link to x11: ∂O11/∂x11 = w11^1."),
             (-g, "check the sign of ∂L/∂ŷ = -2(y - ŷ)."),
             (g / 2, "a factor is missing: the derivative of (y - ŷ)² brings down a 2.")]
    return record(E_CUT, check_answer(answer, g, "∂L/∂x11", slips=slips,
                                      why="∂L/∂ŷ · (w11^2·w11^1 + w21^2·w12^1): the second path is 0, and the "
                                          "new weights change ŷ, and so ∂L/∂ŷ, too."))


def _biased():
    params, X, y = _start()
    params["b1"][0] = HIDDEN_B11
    return params, X[0], float(y[0])


def expected_grad_w11_2_biased() -> float:
    """∂L/∂w11^2 for student 1 when b11 = 2 (every weight 1, the other biases 0)."""
    params, x, y = _biased()
    return notation.get(gradients(params, x, y), "w11^2")


def check_grad_w11_2_biased(answer) -> Feedback:
    """Exercise 3: ∂L/∂w11^2 for student 1 with b11 = 2."""
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
    """(params, grads, lr) at random weights and biases, with the gradients of a student there; then the worked
    example (weights 1, biases 0, student 1), whose gradients reach 896, and weights 12 and biases -4 on
    student 4, whose gradients pass 10⁵ and whose weights stay above 10: a step that clips or rounds shows."""
    X, y = load_students().X, load_students().y
    rng = np.random.default_rng(seed)
    ones = init_params([2, 2, 1])
    cases = []
    for case in range(n):
        params = {k: rng.normal(0.0, 0.5, v.shape) for k, v in init_params([2, 2, 1]).items()}
        cases.append((params, gradients(params, X[case], y[case]), float(rng.choice([0.001, 0.01, 0.05])),
                      "random weights"))
    cases.append((ones, gradients(ones, X[0], y[0]), 0.001, "weights 1, biases 0, student 1"))
    large = init_params([2, 2, 1], weight=12.0, bias=-4.0)
    cases.append((large, gradients(large, X[3], y[3]), 1e-6, "weights 12, biases -4, student 4"))
    return cases


def check_my_step(fn) -> Feedback:
    """Exercise 5: `fn(params, grads, lr)` returns the parameters after one gradient-descent step,
    every array w - lr · ∂L/∂w, without changing its inputs; compared with `sgd_step` at random weights.
    The package's own step (hp.sgd_step, helpers.maths.network.sgd_step, hp.train, ...) is switched off while
    `fn` runs: a call to it gets "write it by hand" (shortcuts.switched_off)."""
    keys = ("W1", "b1", "W2", "b2")
    if any(fn is real for real in REAL.values()):
        return record(E_STEP, Feedback("Not yet: that is one of the course's own functions. Write the step by "
                                       "hand: def my_step(params, grads, lr) and one line for the new arrays.",
                                       False))
    for case, (params, grads, lr, where) in enumerate(_step_cases(), start=1):
        with switched_off("gradient descent's step", fn):
            got, fail = run_learner(fn, (params, grads, lr), "my_step(params, grads, lr)", case,
                                    ("params", "grads", "lr"))
        if fail:
            return record(E_STEP, fail)
        arrays, fail = as_params(got, params, "my_step")
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
        return record(E_STEP, Feedback(f"Not yet: on test case {case} ({where}, lr = {lr:g}) the new "
                                       f"{', '.join(wrong)} are wrong: {hint} Try again.", False))
    return record(E_STEP, Feedback("Right: my_step matches hp.sgd_step on every test case. That one line, run "
                                   "for all nine parameters after each backward pass, is all of gradient "
                                   "descent.", True))


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
