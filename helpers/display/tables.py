"""Tables for the notebooks, shown as HTML in JupyterLab and as aligned text elsewhere; numbers through `fmt`."""

from __future__ import annotations

import html
import numbers
from dataclasses import dataclass

from ..maths import notation
from ..maths.chain import chain_rows
from ..maths.gradcheck import numerical_gradients
from ..maths.network import gradients
from ..text import fmt, latex, partial


def _cell(value, digits: int) -> str:
    """A table cell: a number through `fmt`, anything else as text."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return fmt(value, digits)
    return str(value)


@dataclass(frozen=True)
class Table:
    """A header and rows of cells (numbers or text)."""

    columns: tuple
    rows: tuple
    digits: int = 6

    def _cells(self) -> list[list[str]]:
        return [[_cell(c, self.digits) for c in row] for row in self.rows]

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
    if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows: expected a list of dicts or of sequences, got {type(rows).__name__} {rows!r}")
    rows = list(rows)
    if not rows:
        raise ValueError("rows: expected at least one row")
    if isinstance(rows[0], dict):
        columns = tuple(rows[0]) if columns is None else tuple(columns)
        for i, r in enumerate(rows):
            if not isinstance(r, dict) or any(c not in r for c in columns):
                missing = [c for c in columns if c not in r] if isinstance(r, dict) else "all"
                raise ValueError(f"rows: row {i} lacks the column(s) {missing}; expected every row to have the keys "
                                 f"{list(columns)}")
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


def epoch_table(hist, epochs=(1, 10, 100, 1000), digits: int = 4) -> Table:
    """The epoch loss of a run (a History) at the given epochs (counted from 1) that it trained, and at its
    last full epoch; a ValueError with the run's own message when it has no full epoch to show."""
    losses = hist.epoch_loss
    if isinstance(epochs, (str, bytes)) or not hasattr(epochs, "__iter__"):
        raise TypeError(f"epochs: expected a list of whole numbers, got {type(epochs).__name__} {epochs!r}")
    epochs = list(epochs)
    bad = [e for e in epochs if isinstance(e, bool) or not isinstance(e, numbers.Integral) or e < 1]
    if bad:
        raise ValueError(f"epochs: expected whole numbers of at least 1 (epochs count from 1), got {bad[0]!r}")
    if not losses:
        raise ValueError(f"epoch_table: no full epoch to show. {hist.message}")
    picks = sorted({int(e) for e in epochs if e <= len(losses)} | {len(losses)})
    return table([(e, hist.epoch_at(e)) for e in picks], ["epoch", "epoch loss"], digits)


@dataclass(frozen=True)
class ChainTable:
    """The 9 chain-rule derivatives of one student next to backpropagation's and the centred difference's."""

    rows: list
    backprop: dict
    numeric: dict

    def __repr__(self) -> str:
        head = f"{'parameter':>9}  {'links':<16} {'product':>9} {'backprop':>9} {'centred difference':>18}"
        lines = [head] + [f"{r.name:>9}  {_links(r):<16} {fmt(r.value):>9} {fmt(self.backprop[r.name]):>9} "
                          f"{fmt(self.numeric[r.name]):>18}" for r in self.rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = ("<tr><th>parameter</th><th>chain of links</th><th>links' values</th><th>product</th>"
                "<th>backprop</th><th>centred difference</th></tr>")
        body = "".join(
            f"<tr><td>${latex(r.name)}$</td><td>${_chain_latex(r)}$</td>"
            f"<td>{html.escape(_links(r))}</td><td><b>{fmt(r.value)}</b></td><td>{fmt(self.backprop[r.name])}</td>"
            f"<td>{fmt(self.numeric[r.name])}</td></tr>" for r in self.rows)
        return f"<table>{head}{body}</table>"


def _chain_latex(row) -> str:
    """The chain of links in LaTeX: ∂L/∂ŷ · ∂ŷ/∂O11 · ∂O11/∂w11^1."""
    return r" \cdot ".join(partial(f.top, f.bottom, "latex") for f in row.factors)


def _links(row) -> str:
    """The values of a chain's links as a product: '56 × 1 × 8'."""
    return " × ".join(fmt(f.value) for f in row.factors)


def chain_table(params: dict, x, y, eps: float = 1e-5) -> ChainTable:
    """All 9 derivatives for one student: by the chain rule, by backpropagation, and by the centred difference
    (`numerical_gradients`, step eps)."""
    rows = chain_rows(params, x, y)
    backprop = notation.as_named(gradients(params, x, y))
    numeric = notation.as_named(numerical_gradients(params, x, y, eps=eps))
    return ChainTable(rows, backprop, numeric)
