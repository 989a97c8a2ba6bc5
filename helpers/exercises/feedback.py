"""Feedback for the "Your turn" cells: right, close, or how far off, in plain words."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..display.format import fmt


class Feedback(str):
    """A feedback sentence that also says whether the answer was right (`.ok`)."""

    ok: bool

    def __new__(cls, text: str, ok: bool):
        self = super().__new__(cls, text)
        self.ok = ok
        return self

    def __repr__(self) -> str:
        return str(self)


def check_answer(answer, expected: float, name: str = "your answer", rtol: float = 1e-6,
                 close: float = 0.01) -> Feedback:
    """Compare a learner's number with the computed one: right (within rtol), close (within 1%), or off."""
    if isinstance(expected, bool) or not isinstance(expected, numbers.Real) or not math.isfinite(expected):
        raise ValueError(f"expected: the computed answer must be a finite number, got {expected!r}")
    if answer is None:
        return Feedback(f"Not answered yet: replace None with your value for {name}.", False)
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.item()   # grads['b2'] or a 1x1 slice holds one number: take it
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return Feedback(f"{name} should be a number like 12.5, but you gave {type(answer).__name__} "
                        f"{answer!r}.", False)
    answer, expected = float(answer), float(expected)
    if not math.isfinite(answer):
        return Feedback(f"{name} should be a finite number, but you gave {answer}.", False)
    diff = answer - expected
    scale = max(abs(expected), 1e-12)
    if abs(diff) <= rtol * scale + 1e-12:
        return Feedback(f"Right: {name} = {fmt(expected)}.", True)
    direction = "too high" if diff > 0 else "too low"
    if abs(diff) <= close * scale:
        return Feedback(f"Close: {name} is {fmt(expected)}; yours, {fmt(answer)}, is {fmt(abs(diff))} "
                        f"{direction} ({abs(diff) / scale:.2%}). Check your rounding.", False)
    hint = " Check the sign." if expected != 0 and math.isclose(answer, -expected, rel_tol=close) else ""
    yours = name if name.startswith("your ") else f"your {name}"   # not "your your answer"
    return Feedback(f"Not yet: {yours}, {fmt(answer)}, is {fmt(abs(diff))} {direction}.{hint} "
                    f"Try again.", False)

