"""Shared by the exercise tests: the odd answers, and a digits check.

Every checker is a thin wrapper over `feedback.check_answer` or `check_choice`, so the whole list of odd
answers is swept once over those (tests/exercises/test_feedback.py), and each checker gets one odd answer
(`ODD_ANSWERS`: a number typed in quotes, the likeliest slip) to show it hands its input to them.
"""

import re

import numpy as np
import pytest

from helpers.exercises import feedback
from helpers.text import fmt

ALL_ODD_ANSWERS = [None, "abc", "57", "", float("nan"), float("inf"), -float("inf"), 10**400, -(10**400), 1e308 * 10,
               np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros(0), np.array(["a"]), [1, 2], [[1], [2, 3]], (), {},
               {"a": 1}, object(), 1 + 2j, True, False, np.bool_(True), print, np.float32(1e30), np.int64(-3)]
ODD_ANSWERS = ["57"]     # one odd answer per checker


def leaks(text: str, value) -> bool:
    """Whether `text` shows `value` as the course writes it (fmt), as a whole number token."""
    shown = value if isinstance(value, str) else fmt(value)
    return re.search(rf"(?<![\d.]){re.escape(shown)}(?!\.?\d)", text) is not None


@pytest.fixture(autouse=True)
def fresh_progress():
    """Each test starts with no tries recorded."""
    feedback.reset_progress()
    yield
    feedback.reset_progress()
