"""Small tables for the notebooks: rows of numbers shown as HTML in JupyterLab and as aligned text elsewhere."""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass


def fmt_number(value, digits: int = 6) -> str:
    """A number with up to `digits` significant digits, no trailing zeros, integers in full: 0.552 (never -0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    s = f"{v:.{digits}g}"
    return "0" if float(s) == 0 else s


@dataclass(frozen=True)
class Table:
    """A header and rows of cells (numbers or text)."""

    columns: tuple
    rows: tuple
    digits: int = 6

    def _cells(self) -> list[list[str]]:
        return [[fmt_number(c, self.digits) for c in row] for row in self.rows]

    def __repr__(self) -> str:
        cells = [list(map(str, self.columns))] + self._cells()
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in self._cells())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table(rows, columns=None, digits: int = 6) -> Table:
    """A Table from a list of dicts (the keys are the columns) or of sequences (give `columns`)."""
    rows = list(rows)
    if not rows:
        raise ValueError("rows: expected at least one row")
    if isinstance(rows[0], dict):
        columns = tuple(rows[0]) if columns is None else tuple(columns)
        data = tuple(tuple(r[c] for c in columns) for r in rows)
    else:
        if columns is None:
            raise ValueError("columns: expected the column names when the rows are sequences, not dicts")
        columns = tuple(columns)
        data = tuple(tuple(r) for r in rows)
    bad = [i for i, r in enumerate(data) if len(r) != len(columns)]
    if bad:
        raise ValueError(f"rows: row {bad[0]} has {len(data[bad[0]])} cells; expected {len(columns)} like columns")
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 1:
        raise ValueError(f"digits: expected a whole number of at least 1, got {digits!r}")
    return Table(columns, data, digits)
