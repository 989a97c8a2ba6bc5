"""Small SVG charts for the widgets: a plot area with axes, lines, markers and contour lines.

Pure string builders, like `svg`: a slider move writes a few kilobytes of SVG in about a millisecond, where a
matplotlib PNG takes 100 ms or more. Colours come from `palette` (theme CSS variables), so the charts read in
Light and Dark themes. Every chart is an `<svg role='img'>` with an `aria-label` that states its numbers.
"""

from __future__ import annotations

import html
import math

from ..text import fmt
from .palette import BORDER, GRID, PAGE, TEXT1, TEXT2, paint


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About n round ticks (1, 2, 5 times a power of ten) from lo to hi."""
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9)
    return [round(k * step, 12) for k in range(first, int(math.floor(hi / step + 1e-9)) + 1)]


class Chart:
    """A plot area: data coordinates (x from xlim, y from ylim, y on a log scale if `log_y`) to SVG pixels."""

    def __init__(self, xlim, ylim, width: int = 420, height: int = 280, log_y: bool = False, xlabel: str = "",
                 ylabel: str = "", title: str = "", integer_x: bool = False):
        self.width, self.height, self.log_y, self.integer_x = width, height, log_y, integer_x
        self.left, self.right, self.top, self.bottom = 58, width - 14, 26 if title else 12, height - 40
        self.xlim, self.ylim = (float(xlim[0]), float(xlim[1])), (float(ylim[0]), float(ylim[1]))
        self.xlabel, self.ylabel, self.title = xlabel, ylabel, title
        self.body: list[str] = []

    def _ty(self, v: float) -> float:
        return math.log10(max(v, 1e-300)) if self.log_y else v

    def px(self, x: float, y: float) -> tuple[float, float]:
        """The pixel position of data point (x, y)."""
        (x0, x1), (y0, y1) = self.xlim, (self._ty(self.ylim[0]), self._ty(self.ylim[1]))
        sx = self.left + (x - x0) / ((x1 - x0) or 1) * (self.right - self.left)
        sy = self.bottom - (self._ty(y) - y0) / ((y1 - y0) or 1) * (self.bottom - self.top)
        return sx, sy

    def line(self, xs, ys, colour: str, width: float = 1.6, dash: str | None = None, label: str = "") -> None:
        """A polyline through the finite points (a gap where a value is not finite)."""
        runs, run = [], []
        for x, y in zip(xs, ys):
            if math.isfinite(x) and math.isfinite(y) and not (self.log_y and y <= 0):
                run.append("%.1f,%.1f" % self.px(x, y))
            elif run:
                runs.append(run)
                run = []
        runs += [run] if run else []
        d = f" stroke-dasharray='{dash}'" if dash else ""
        cls = f" data-label='{html.escape(label, quote=True)}'" if label else ""
        for r in runs:
            self.body.append(f"<polyline class='bp-series'{cls} points='{' '.join(r)}'{paint('none', colour)} "
                             f"stroke-width='{width}' stroke-linejoin='round'{d}/>")

    def marker(self, x: float, y: float, colour: str, shape: str = "circle", size: float = 4.5) -> None:
        """A marker at (x, y): 'circle', 'star' or 'cross'."""
        px, py = self.px(x, y)
        if shape == "circle":
            self.body.append(f"<circle cx='{px:.1f}' cy='{py:.1f}' r='{size}'{paint(colour, PAGE)} stroke-width='1'/>")
        elif shape == "cross":
            s = size
            self.body.append(f"<path d='M{px - s:.1f},{py - s:.1f}L{px + s:.1f},{py + s:.1f}M{px - s:.1f},"
                             f"{py + s:.1f}L{px + s:.1f},{py - s:.1f}'{paint('none', colour)} stroke-width='2.2'/>")
        else:
            pts = " ".join(f"{px + (size * 1.8 if k % 2 == 0 else size * 0.75) * math.sin(k * math.pi / 5):.1f},"
                           f"{py - (size * 1.8 if k % 2 == 0 else size * 0.75) * math.cos(k * math.pi / 5):.1f}"
                           for k in range(10))
            self.body.append(f"<polygon points='{pts}'{paint(colour, PAGE)} stroke-width='0.8'/>")

    def arrow(self, x0: float, y0: float, x1: float, y1: float, colour: str) -> None:
        """An arrow from (x0, y0) to (x1, y1)."""
        (a, b), (c, d) = self.px(x0, y0), self.px(x1, y1)
        ang, h = math.atan2(d - b, c - a), 8.0
        if math.hypot(c - a, d - b) < 1:
            return
        tip = [(c - h * math.cos(ang + s), d - h * math.sin(ang + s)) for s in (0.4, -0.4)]
        self.body.append(f"<path d='M{a:.1f},{b:.1f}L{c:.1f},{d:.1f}M{tip[0][0]:.1f},{tip[0][1]:.1f}L{c:.1f},"
                         f"{d:.1f}L{tip[1][0]:.1f},{tip[1][1]:.1f}'{paint('none', colour)} stroke-width='1.8'/>")

    def legend(self, entries, corner: str = "right") -> None:
        """Entries (label, colour, dash or None) as short lines with text, in the top corner."""
        x = self.right - 150 if corner == "right" else self.left + 8
        for i, (label, colour, dash) in enumerate(entries):
            y = self.top + 12 + 15 * i
            d = f" stroke-dasharray='{dash}'" if dash else ""
            self.body.append(f"<line x1='{x}' x2='{x + 18}' y1='{y - 4}' y2='{y - 4}'{paint(stroke=colour)} "
                             f"stroke-width='2'{d}/><text x='{x + 23}' y='{y}' font-size='11'{paint(TEXT1, PAGE)} "
                             f"stroke-width='3' paint-order='stroke'>{html.escape(label)}</text>")

    def _axes(self) -> str:
        out = []
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        if self.log_y:
            lo, hi = math.floor(math.log10(y0)), math.ceil(math.log10(y1))
            every = max(1, math.ceil((hi - lo) / 5))
            yt = [10.0 ** e for e in range(lo, hi + 1, every) if y0 <= 10.0 ** e <= y1]
        else:
            yt = _nice_ticks(y0, y1)
        xt = _nice_ticks(x0, x1)
        if self.integer_x:
            xt = [t for t in xt if float(t).is_integer()]
        for t in yt:
            _, py = self.px(x0, t)
            out.append(f"<line x1='{self.left}' x2='{self.right}' y1='{py:.1f}' y2='{py:.1f}'{paint(stroke=GRID)}/>"
                       f"<text x='{self.left - 5}' y='{py + 4:.1f}' font-size='10.5' text-anchor='end'"
                       f"{paint(TEXT2)}>{fmt(t)}</text>")
        for t in xt:
            px, _ = self.px(t, y0 if not self.log_y else self.ylim[0])
            out.append(f"<line x1='{px:.1f}' x2='{px:.1f}' y1='{self.bottom}' y2='{self.bottom + 4}'"
                       f"{paint(stroke=BORDER)}/><text x='{px:.1f}' y='{self.bottom + 16}' font-size='10.5' "
                       f"text-anchor='middle'{paint(TEXT2)}>{fmt(t)}</text>")
        mid_y = (self.top + self.bottom) / 2
        out.append(f"<rect x='{self.left}' y='{self.top}' width='{self.right - self.left}' "
                   f"height='{self.bottom - self.top}'{paint('none', BORDER)}/>"
                   f"<text x='{(self.left + self.right) / 2}' y='{self.height - 8}' font-size='11.5' "
                   f"text-anchor='middle'{paint(TEXT1)}>{self.xlabel}</text>"
                   f"<text x='13' y='{mid_y}' font-size='11.5' text-anchor='middle'{paint(TEXT1)} "
                   f"transform='rotate(-90 13 {mid_y})'>{self.ylabel}</text>")
        if self.title:
            out.append(f"<text x='{(self.left + self.right) / 2}' y='16' font-size='12.5' font-weight='600' "
                       f"text-anchor='middle'{paint(TEXT1)}>{self.title}</text>")
        return "".join(out)

    def svg(self, alt: str, cls: str = "bp-chart") -> str:
        """The chart as one SVG element, with `alt` as its accessible name (and title)."""
        alt = html.escape(alt, quote=True)
        clip = f"bp-clip-{id(self)}"
        return (f"<svg class='{cls}' xmlns='http://www.w3.org/2000/svg' width='{self.width}' "
                f"height='{self.height}' viewBox='0 0 {self.width} {self.height}' font-family='system-ui,sans-serif'"
                f" role='img' aria-label='{alt}'><title>{alt}</title>{self._axes()}"
                f"<clipPath id='{clip}'><rect x='{self.left}' y='{self.top}' width='{self.right - self.left}' "
                f"height='{self.bottom - self.top}'/></clipPath><g clip-path='url(#{clip})'>{''.join(self.body)}</g>"
                "</svg>")


def contour_paths(chart: Chart, a_values, b_values, grid, levels, colours) -> None:
    """Contour lines of `grid` (`grid[j, i]` at a_values[i], b_values[j]) at `levels`, coloured low to high."""
    import contourpy

    gen = contourpy.contour_generator(a_values, b_values, grid, line_type="Separate")
    n = len(levels)
    for i, level in enumerate(levels):
        colour = colours[min(len(colours) - 1, i * len(colours) // max(n, 1))]
        d = "".join("M" + "L".join("%.1f,%.1f" % chart.px(float(x), float(y)) for x, y in seg)
                    for seg in gen.lines(level) if len(seg) > 1)
        if d:
            chart.body.append(f"<path class='bp-contour' d='{d}'{paint('none', colour)} stroke-width='0.9'/>")
