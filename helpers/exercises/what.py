"""Checkers for the "Your turn" cells of notebooks/01_what.ipynb.

The set-up is the worked example's: the student data, every weight 1, every bias 0, η = 0.001, per-sample
updates in row order. Each exercise goes one step beyond what the notebook shows (another student, a later
step, a new derivative, a hidden bias), its expected value is computed with `helpers`, and each wrong answer
that comes from a classic slip gets a hint that names the slip.
"""

from __future__ import annotations

from ..maths import notation
from ..maths.data import load_students
from ..maths.network import gradients, init_params, predict, sgd_step
from .feedback import Feedback, check_answer, check_choice, progress, record, register

NB = "01_what"
LR = 0.001
HIDDEN_B11 = 2.0

E_YHAT4 = register(NB, 1, "ŷ for student 4 at weights 0.5 (after section 7)", "compute: another student")
E_DIRECTION = register(NB, 2, "which way ŷ moves after one update (after section 10)", "predict, then check")
E_DX12 = register(NB, 3, "∂L/∂x12, the slope for an input (after section 12)", "derive something new")
E_BIAS = register(NB, 4, "∂L/∂w11^2 with a hidden bias b11 = 2 (after section 12)", "compute: a hidden bias")
E_STEP2 = register(NB, 5, "w11^1 after the second step (after section 13)", "compute: a later step")


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
            "positive inputs ŷ goes down too. Check it in the stepper of section 14."))


def input_gradient(params: dict, x, y: float) -> list[float]:
    """∂L/∂x_j for one student of the linear 2-2-1 network: Σ_k w_jk^1 · ∂L/∂b1k (the paths add)."""
    g = gradients(params, x, y)
    return (params["W1"] @ g["b1"]).tolist()


def expected_grad_x12() -> float:
    """∂L/∂x12 (profile score of student 1) with every weight 1 and every bias 0."""
    params, X, y = _start()
    return input_gradient(params, X[0], y[0])[1]


def check_grad_x12(answer) -> Feedback:
    """Exercise 3: ∂L/∂x12 for student 1 (weights 1, biases 0)."""
    params, X, y = _start()
    dl_dyhat = float(gradients(params, X[0], y[0])["b2"][0])
    g = expected_grad_x12()
    slips = [(g / 2, "you followed one path. x12 reaches ŷ through both hidden neurons: add the two paths."),
             (dl_dyhat * X[0][1], "the step from O11 to x12 multiplies by the weight w21^1 (∂O11/∂x12), "
                                  "not by the input x12."),
             (g * X[0][1], "each step from a hidden neuron to x12 multiplies by a weight (w21^1, w22^1), "
                           "not by the input x12."),
             (-g, "check the sign of ∂L/∂ŷ = -2(y - ŷ)."),
             (g / 4, "a factor is missing: the derivative of (y - ŷ)² brings down a 2. Also add both paths.")]
    return record(E_DX12, check_answer(answer, g, "∂L/∂x12", slips=slips,
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


def expected_w11_1_step2() -> float:
    """w11^1 after two steps: student 1, then student 2 (from weights 1, biases 0, η = 0.001)."""
    params, X, y = _start()
    for i in range(2):
        params = sgd_step(params, gradients(params, X[i], y[i]), LR)
    return notation.get(params, "w11^1")


def check_w11_1_step2(answer) -> Feedback:
    """Exercise 5: w11^1 after the second step (student 1, then student 2)."""
    params, X, y = _start()
    g1, g2_from_start = (notation.get(gradients(params, X[i], y[i]), "w11^1") for i in range(2))
    after1 = sgd_step(params, gradients(params, X[0], y[0]), LR)
    g2 = notation.get(gradients(after1, X[1], y[1]), "w11^1")
    slips = [(1 - LR * g1, "that is w11^1 after the first step only; now take the step on student 2."),
             (1 - LR * g2_from_start, "the second step starts from the weights after the first step, not from 1."),
             (1 - LR * (g1 + g2_from_start), "both gradients were taken at the starting weights. Per-sample "
                                              "descent recomputes the gradient after each update."),
             (1 - LR * g1 + LR * g2, "did you add instead of subtract in the second update?"),
             (1 - g1 - g2, "did you forget the learning rate η?")]
    return record(E_STEP2, check_answer(answer, expected_w11_1_step2(), "w11^1 after step 2", slips=slips,
                                        rtol=1e-4, close=1e-3,
                                        why="Step 2 runs forward again with the weights of step 1, so every "
                                            "factor of ∂L/∂w11^1 is new."))


def show_progress() -> Feedback:
    """Which of this notebook's exercises were solved in this kernel session."""
    return progress(NB)
