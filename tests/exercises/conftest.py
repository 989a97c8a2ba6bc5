"""Shared by the exercise tests: the odd answers every checker must survive, and a digits check."""

import re

import numpy as np
import pytest

from helpers.exercises import feedback
from helpers.text import fmt

ODD_ANSWERS = [None, "abc", "57", "", float("nan"), float("inf"), -float("inf"), 10**400, -(10**400), 1e308 * 10,
               np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros(0), np.array(["a"]), [1, 2], [[1], [2, 3]], (), {},
               {"a": 1}, object(), 1 + 2j, True, False, np.bool_(True), print, np.float32(1e30), np.int64(-3)]


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
