"""The checkers of notebook 01: right answers worked by hand here, each slip's hint, odd answers, solutions."""

import re
from pathlib import Path

import pytest
from conftest import ODD_ANSWERS, leaks

from helpers.exercises import what as ex

SOLUTIONS = Path(__file__).parents[2] / "notebooks" / "solutions" / "01_what_solutions.md"

# Student 1 (8, 8, 4), student 2 (7, 9, 5), student 4 (5, 12, 7); weights 1, biases 0, η = 0.001.
YHAT4 = 0.5 * (0.5 * 5 + 0.5 * 12) * 2                       # weights 0.5
DL1 = -2 * (4 - 32)                                           # ∂L/∂ŷ for student 1 = 56
GRAD_X12 = DL1 * (1 * 1 + 1 * 1)                              # two paths
BIAS_YHAT = (8 + 8 + 2) + (8 + 8)                             # b11 = 2
GRAD_BIAS = -2 * (4 - BIAS_YHAT) * 18
W1_AFTER1, W2_AFTER1, B_AFTER1 = 1 - 0.001 * DL1 * 8, 1 - 0.001 * DL1 * 16, -0.001 * DL1
O_STEP2 = W1_AFTER1 * 7 + W1_AFTER1 * 9 + B_AFTER1
DL2 = -2 * (5 - (2 * W2_AFTER1 * O_STEP2 + B_AFTER1))
W11_STEP2 = W1_AFTER1 - 0.001 * DL2 * W2_AFTER1 * 7

NUMERIC = [  # checker, expected, right answer, {slip answer: a word of its hint}
    (ex.check_yhat_student4, ex.expected_yhat_student4, YHAT4,
     {34: "every weight 1", 4.25: "one hidden neuron", 17: "output weights", 8: "student 1"}),
    (ex.check_grad_x12, ex.expected_grad_x12, GRAD_X12,
     {56: "one path", 448: "not by the input", 896: "not by the input", -112: "sign", 28: "factor"}),
    (ex.check_grad_w11_2_biased, ex.expected_grad_w11_2_biased, GRAD_BIAS,
     {896: "without the bias", 56 * 18: "∂L/∂ŷ changed", 60 * 16: "O11 includes the bias", -1080: "sign",
      540: "factor"}),
    (ex.check_w11_1_step2, ex.expected_w11_1_step2, W11_STEP2,
     {0.552: "first step only", 0.622: "not from 1", 1 - 0.001 * (448 + 378): "starting weights",
      W1_AFTER1 + 0.001 * DL2 * W2_AFTER1 * 7: "add instead of subtract"}),
]


def test_answers_by_hand():
    assert (YHAT4, GRAD_X12, GRAD_BIAS) == (8.5, 112, 1080)
    assert W11_STEP2 == pytest.approx(0.556703741952, rel=1e-12)


@pytest.mark.parametrize(("check", "expected", "right", "slips"), NUMERIC)
def test_numeric_checkers(check, expected, right, slips):
    assert expected() == pytest.approx(right, rel=1e-12)
    assert check(right).ok and check(right).startswith("Right")
    assert check(round(right, 5)).ok
    for slip, word in slips.items():
        f = check(slip)
        assert not f.ok and word in f and not leaks(f, right), (slip, f)
    assert check(right * 1.0005).startswith("Close")
    assert check(right * 3 + 7.5).startswith("Not yet")
    assert check(None).startswith("Not answered yet")


@pytest.mark.parametrize("check", [c for c, *_ in NUMERIC] + [ex.check_direction])
@pytest.mark.parametrize("answer", ODD_ANSWERS)
def test_odd_answers(check, answer):
    f = check(answer)
    assert isinstance(f, str) and not f.ok


def test_direction():
    assert ex.expected_direction() == "lower"
    assert ex.check_direction("lower").ok and ex.check_direction("Lower").ok
    f = ex.check_direction("higher")
    assert not f.ok and "sign of ∂L/∂ŷ" in f and "lower" not in f
    assert "one of 'higher', 'lower'" in ex.check_direction("down")


def test_three_wrong_tries_point_to_the_solution():
    for _ in range(2):
        assert "Stuck" not in ex.check_grad_x12(56)
    assert "01_what_solutions.md, exercise 3" in ex.check_grad_x12(56)
    assert "3. ∂L/∂x12" in ex.show_progress() and "… 3 tries" in ex.show_progress()
    assert ex.check_grad_x12(112).ok and "✓ solved" in ex.show_progress()


def test_progress_lists_five_exercises_of_several_kinds():
    items = ex.show_progress().splitlines()[1:]
    assert len(items) == 5 and len({line.split("[")[-1] for line in items}) >= 4


def test_solutions_file_passes_the_checkers():
    text = SOLUTIONS.read_text(encoding="utf-8")
    answers = dict(re.findall(r"Answer: `(\w+) = ([^`]+)`", text))
    checks = {"yhat_student4": ex.check_yhat_student4, "direction": ex.check_direction,
              "grad_x12": ex.check_grad_x12, "grad_w11_2_biased": ex.check_grad_w11_2_biased,
              "w11_1_step2": ex.check_w11_1_step2}
    assert set(answers) == set(checks)
    for name, check in checks.items():
        assert check(eval(answers[name])).ok, name                      # noqa: S307 (our own file)
    for figure in ("= 8.5", "= 112", "60 · 18 = 1080", "0.556703741952", "-6.461184", "8.776"):
        assert figure in text, figure
