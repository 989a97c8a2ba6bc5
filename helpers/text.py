"""How the course writes numbers and names: one formatter, one markup of course names (HTML, SVG, LaTeX).

Every number a learner reads goes through `fmt`, so one number has one spelling everywhere; every course
name (`w11^1`, `O11`, `x_i1`, `ŷ`) is marked up by `markup`. Pure string functions: no widgets, no plots.
"""

from __future__ import annotations

import math
import numbers

# ---- numbers ----

def fmt(value, digits: int = 6) -> str:
    """A number as the course shows it: up to `digits` significant digits, no trailing zeros (16, 0.552, -0.056).

    Whole numbers are written in full up to 15 digits (74497); a number within a millionth of a whole
    number, but not whole, keeps the digits that say so (0.9999998875, not 1); exponents are short (1e-7,
    2.5e42); -0 is 0; NaN and infinities are 'nan', 'inf' and '-inf'.
    """
    if not isinstance(value, float):     # floats (numpy's float64 too) skip the slower checks below
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            if hasattr(value, "dtype") and getattr(value, "size", 0) == 1 and value.dtype.kind in "iuf":
                return fmt(value.item(), digits)     # a one-number numpy array
            raise TypeError(f"value: expected a number, got {type(value).__name__} {value!r}")
        if isinstance(value, numbers.Integral) and abs(int(value)) < 10**15:
            return str(int(value))
    if (digits.__class__ is not int and (isinstance(digits, bool) or not isinstance(digits, numbers.Integral))
            or not 1 <= digits <= 17):
        raise ValueError(f"digits: expected a whole number from 1 to 17 (float64 holds 17), got {digits!r:.40}")
    try:
        v = float(value)
    except OverflowError:
        raise ValueError("value: a whole number too large for float64 (more than about 1.8e308)") from None
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return "nan" if v != v else ("inf" if v > 0 else "-inf")
    s = f"{v:.{digits}g}"
    if "e" not in s and "." not in s and float(s) != v and abs(v - float(s)) < 1e-6 * abs(v):
        s = f"{v:.{digits + 4}g}"      # 0.99999989 is not 1: a whole number must not hide a tiny difference
    if "e" in s:
        mantissa, exp = s.split("e")
        s = f"{mantissa}e{int(exp)}"
    return s


def fmt_signed(value) -> str:
    """`fmt`, in parentheses when negative, for use inside a product or a difference: 3·(-2)."""
    s = fmt(value)
    return f"({s})" if s.startswith("-") else s


# ---- course names ----

_HTML = (lambda s: f"<sub>{s}</sub>", lambda s: f"<sup>{s}</sup>")
_SVG = (lambda s: f"<tspan baseline-shift='sub' font-size='75%'>{s}</tspan>",
        lambda s: f"<tspan baseline-shift='super' font-size='75%'>{s}</tspan>")
_LATEX = (lambda s: f"_{{{s}}}", lambda s: f"^{{{s}}}")
_STYLES = {"html": _HTML, "svg": _SVG, "latex": _LATEX}
_LATEX_SYMBOLS = {"ŷ": r"\hat{y}", "η": r"\eta"}


def markup(name: str, style: str = "html") -> str:
    """A course name with its indices marked up: 'w11^1' is w, sub 11, sup 1; 'O11' is O, sub 11.

    `style` is 'html' (<sub>/<sup>), 'svg' (tspans) or 'latex' (w_{11}^{1}).
    """
    if style not in _STYLES:
        raise ValueError(f"style: expected 'html', 'svg' or 'latex', got {style!r}")
    if not isinstance(name, str) or not name:
        raise ValueError(f"name: expected a course name like 'w11^1', 'O11', 'x_i1' or 'ŷ', got {name!r:.40}")
    sub, sup = _STYLES[style]
    if name in ("ŷ", "y", "L", "η"):
        return _LATEX_SYMBOLS.get(name, name) if style == "latex" else name
    if "^" in name:
        base, layer = name.split("^")
        return f"{base[0]}{sub(base[1:])}{sup(layer)}"
    if name.startswith("x_"):
        return f"x{sub(name[2:])}"
    return f"{name[0]}{sub(name[1:])}"


def sym(name: str) -> str:
    """The HTML of a course name: 'w11^1' -> w<sub>11</sub><sup>1</sup>, 'O11' -> O<sub>11</sub>."""
    return markup(name, "html")


def latex(name: str) -> str:
    """The LaTeX of a course name: 'w11^1' -> 'w_{11}^{1}', 'b21' -> 'b_{21}', 'ŷ' -> '\\hat{y}'."""
    return markup(name, "latex")


def partial(top: str, bottom: str, style: str = "html") -> str:
    """The partial derivative ∂top/∂bottom, in HTML or as a LaTeX fraction."""
    if style == "latex":
        return rf"\frac{{\partial {latex(top)}}}{{\partial {latex(bottom)}}}"
    return f"∂{markup(top, style)}/∂{markup(bottom, style)}"


def rule(factor, style: str = "html") -> str:
    """What a chain-rule factor equals, written out: −2(y − ŷ), w11^2, x_i1, O11(1 − O11), [z > 0], 1."""
    arg = markup(factor.arg, style) if factor.arg else ""
    if factor.rule == "mse":
        return r"-2(y - \hat{y})" if style == "latex" else "−2(y − ŷ)"
    if factor.rule == "bce":
        return r"\hat{y} - y" if style == "latex" else "ŷ − y"
    if factor.rule in ("weight", "input"):
        return arg
    if factor.rule == "sigmoid":
        return f"{arg}(1 - {arg})" if style == "latex" else f"{arg}(1 − {arg})"
    if factor.rule == "relu":
        return f"[{arg} > 0]" if style == "latex" else f"[{arg} &gt; 0]"
    if factor.rule == "delta":
        return partial("L", factor.arg, style)
    return "1"
