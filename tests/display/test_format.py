"""The one number formatter and the one markup of course names."""

import math

import numpy as np
import pytest

from helpers.text import fmt, fmt_signed, latex, markup, partial, sym


@pytest.mark.parametrize("value, shown", [
    (16.0, "16"), (0.552, "0.552"), (-0.056, "-0.056"), (896, "896"), (74497, "74497"),
    (0.9999998874648379, "0.9999998875"),      # near a whole number: the digits that say it is not whole
    (1.0000002, "1.0000002"), (-0.0, "0"), (0.0, "0"),
    (1e-7, "1e-7"), (2.5e42, "2.5e42"), (-3.2e-12, "-3.2e-12"), (10**20, "1e20"),
    (float("nan"), "nan"), (float("inf"), "inf"), (-math.inf, "-inf"),
    (np.float64(0.1 + 0.2), "0.3"), (np.int64(12), "12"), (np.array([56.0]), "56"),
])
def test_awkward_numbers_have_one_spelling(value, shown):
    assert fmt(value) == shown


def test_fewer_digits_round_without_pretending_to_be_whole():
    assert fmt(235.5078, 3) == "236" and fmt(0.00115478, 2) == "0.0012" and fmt(123456.7, 3) == "1.23e5"


def test_signed_numbers_go_in_parentheses_inside_a_product():
    assert (fmt_signed(-5.75), fmt_signed(5.75), fmt_signed(-0.0)) == ("(-5.75)", "5.75", "0")


@pytest.mark.parametrize("bad", ["12", None, True, [1, 2], np.array([1.0, 2.0])])
def test_a_non_number_is_refused_by_name(bad):
    with pytest.raises(TypeError, match="value: expected a number"):
        fmt(bad)


def test_course_names_in_html_svg_and_latex():
    assert sym("w11^1") == "w<sub>11</sub><sup>1</sup>" and sym("O12") == "O<sub>12</sub>"
    assert sym("x_i2") == "x<sub>i2</sub>" and sym("ŷ") == "ŷ"
    assert markup("b21", "svg") == "b<tspan baseline-shift='sub' font-size='75%'>21</tspan>"
    assert latex("w21^2") == "w_{21}^{2}" and latex("ŷ") == r"\hat{y}" and latex("z11") == "z_{11}"
    assert partial("ŷ", "O11", "latex") == r"\frac{\partial \hat{y}}{\partial O_{11}}"
    assert partial("L", "w11^1") == "∂L/∂w<sub>11</sub><sup>1</sup>"
    with pytest.raises(ValueError, match="style: expected 'html', 'svg' or 'latex'"):
        markup("w11^1", "tex")


@pytest.mark.parametrize("value, shown", [
    (10**12, "1000000000000"), (123456789012345, "123456789012345"), (10**15 - 1, "999999999999999"),
    (-(10**15 - 1), "-999999999999999"), (np.int64(10**14), "100000000000000"),
    (10**15, "1e15"), (-(10**15), "-1e15"), (2 * 10**15 + 7, "2e15"),
])
def test_whole_numbers_are_written_in_full_below_ten_to_the_fifteen(value, shown):
    """The docstring's bound: whole numbers in full up to 15 digits, short exponents from 10¹⁵."""
    assert fmt(value) == shown
