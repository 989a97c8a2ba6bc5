"""Checkers for the "Your turn" cells of notebooks/01_what.ipynb.

Every exercise starts from the worked example's state: all weights 1, all biases 0, learning rate 0.001,
and uses student 2 (cgpa 7, profile_score 9, package 5). Each checker computes the expected value with
`helpers` and says right, close, or how far off.
"""

from __future__ import annotations

from ..maths import notation
from ..maths.data import load_students
from ..maths.network import gradients, init_params, predict, sgd_step
from .feedback import Feedback, check_answer

LR = 0.001
STUDENT = 2   # 1-based, as in the notebook


def _student2():
    ds = load_students()
    return init_params([2, 2, 1], weight=1.0, bias=0.0), ds.X[STUDENT - 1], float(ds.y[STUDENT - 1])


def expected_yhat_student2() -> float:
    """ŷ for student 2 with every weight 1 and every bias 0."""
    params, x, _ = _student2()
    return predict(params, x)


def expected_grad_w21_2_student2() -> float:
    """∂L/∂w21^2 for student 2 with every weight 1 and every bias 0."""
    params, x, y = _student2()
    return notation.get(gradients(params, x, y), "w21^2")


def expected_updated_w11_1_student2() -> float:
    """w11^1 after one update on student 2 (from weights 1, biases 0, η = 0.001)."""
    params, x, y = _student2()
    return notation.get(sgd_step(params, gradients(params, x, y), LR), "w11^1")


def check_yhat_student2(answer) -> Feedback:
    """Check the learner's ŷ for student 2 (weights 1, biases 0)."""
    return check_answer(answer, expected_yhat_student2(), "ŷ for student 2")


def check_grad_w21_2_student2(answer) -> Feedback:
    """Check the learner's ∂L/∂w21^2 for student 2 (weights 1, biases 0)."""
    return check_answer(answer, expected_grad_w21_2_student2(), "∂L/∂w21^2 for student 2")


def check_updated_w11_1_student2(answer) -> Feedback:
    """Check the learner's new w11^1 after one update on student 2 (weights 1, biases 0, η = 0.001)."""
    return check_answer(answer, expected_updated_w11_1_student2(), "the new w11^1")
