"""The centred difference in float64 and float32: how the error depends on ε and on the precision."""

from __future__ import annotations

import numpy as np

from .. import checks
from ..gradcheck import relative_error
from ..network import sigmoid


def centred_difference_errors(z: float = 1.0, eps_values=(1e-1, 1e-3, 1e-5, 1e-7, 1e-9, 1e-11),
                              dtypes=("float64", "float32")) -> list[list]:
    """Relative error of the centred difference of the sigmoid at `z`, computed in each dtype, for each ε.

    One row an ε: [ε, error in dtypes[0], error in dtypes[1], ...], against σ(z)(1 - σ(z)) in float64."""
    z = float(z)
    exact = float(sigmoid(z) * (1 - sigmoid(z)))
    rows = []
    with np.errstate(all="ignore"):
        for e in eps_values:
            row = [float(checks.positive_number(e, "eps_values"))]
            for name in dtypes:
                t = np.dtype(name).type
                sig = lambda v: t(1) / (t(1) + np.exp(-v))   # noqa: E731  (stays in dtype t)
                d = (sig(t(z) + t(e)) - sig(t(z) - t(e))) / (t(2) * t(e))
                row.append(relative_error([float(d)], [exact]))
            rows.append(row)
    return rows
