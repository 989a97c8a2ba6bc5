"""check_answer: the feedback a learner reads in the "Your turn" cells."""

import numpy as np
import pytest

import helpers as hp


def test_not_answered():
    f = hp.check_answer(None, 56.0, "∂L/∂ŷ")
    assert f == "Not answered yet: replace None with your value for ∂L/∂ŷ." and f.ok is False


@pytest.mark.parametrize(("answer", "kind"), [("56", "str '56'"), (True, "bool True"), ([56], "list [56]")])
def test_not_a_number(answer, kind):
    f = hp.check_answer(answer, 56.0, "∂L/∂ŷ")
    assert f == f"∂L/∂ŷ should be a number like 12.5, but you gave {kind}." and not f.ok


def test_not_finite():
    f = hp.check_answer(float("nan"), 56.0, "ŷ")
    assert f == "ŷ should be a finite number, but you gave nan." and not f.ok


@pytest.mark.parametrize("answer", [56, 56.0, 56.00001, np.float64(56.0), np.int64(56)])
def test_right(answer):
    f = hp.check_answer(answer, 56.0, "∂L/∂ŷ")
    assert f == "Right: ∂L/∂ŷ = 56." and f.ok is True
    assert isinstance(f, str) and repr(f) == str(f)


def test_right_shows_the_computed_value():
    assert hp.check_answer(0.6220001, 0.622, "the new w11^1") == "Right: the new w11^1 = 0.622."
    assert hp.check_answer(0, 0.0, "the gap").ok


def test_close_too_high():
    f = hp.check_answer(56.3, 56.0, "∂L/∂ŷ")
    assert f == "Close: ∂L/∂ŷ is 56; yours, 56.3, is 0.3 too high (0.54%). Check your rounding."
    assert f.ok is False


def test_close_too_low():
    f = hp.check_answer(55.5, 56.0, "∂L/∂ŷ")
    assert f == "Close: ∂L/∂ŷ is 56; yours, 55.5, is 0.5 too low (0.89%). Check your rounding."


def test_just_outside_close():
    assert hp.check_answer(56.6, 56.0).startswith("Not yet: ")    # 1.07% off


def test_far_off():
    f = hp.check_answer(60, 56.0, "∂L/∂ŷ")
    assert f == "Not yet: your ∂L/∂ŷ, 60, is 4 too high. Try again." and not f.ok
    assert hp.check_answer(0, 56.0, "ŷ") == "Not yet: your ŷ, 0, is 56 too low. Try again."


def test_sign_hint():
    f = hp.check_answer(-56, 56.0, "∂L/∂ŷ")
    assert f == "Not yet: your ∂L/∂ŷ, -56, is 112 too low. Check the sign. Try again."
    assert "Check the sign." in hp.check_answer(0.622, -0.622, "w")
    assert "Check the sign." not in hp.check_answer(-60, 56.0)


def test_default_name_and_custom_tolerances():
    assert hp.check_answer(1.0, 2.0) == "Not yet: your answer, 1, is 1 too low. Try again."
    assert hp.check_answer(2.0, 2.0) == "Right: your answer = 2."
    assert hp.check_answer(233.0, 233.337, "the ratio", rtol=0.05).ok
    assert hp.check_answer(674, 674, rtol=0).ok
    assert hp.check_answer(680, 674, rtol=0, close=0.05).startswith("Close: ")


@pytest.mark.parametrize("expected", [float("nan"), float("inf"), None, "56"])
def test_expected_must_be_a_finite_number(expected):
    with pytest.raises(ValueError, match="expected: the computed answer must be a finite number"):
        hp.check_answer(56, expected)


def test_check_answer_takes_a_one_number_array():
    assert hp.check_answer(np.array([56.0]), 56.0, name="∂L/∂b21").ok
    assert hp.check_answer(np.array(56.0), 56.0, name="∂L/∂b21").ok
    fb = hp.check_answer(np.array([1.0, 2.0]), 56.0, name="∂L/∂b21")
    assert not fb.ok and "should be a number" in fb
