"""The course's datasets, loaded as float64 arrays with their column names."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from . import checks

# The CSVs are package data (helpers/maths/datasets/), so a wheel, `pip install .` or `pip install git+URL`
# carries them; the scripts that make them and their documentation stay in data/ at the repository's top.
DATASETS = resources.files("helpers.maths") / "datasets"


@dataclass(frozen=True)
class Dataset:
    """Inputs `X` (m, n), targets `y` (m,), and the names of their columns."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str

    def __len__(self) -> int:
        return len(self.y)

    def rows(self) -> list[dict[str, float]]:
        """One dict a row, column name to value, for showing the data as a table."""
        names = (*self.feature_names, self.target_name)
        return [dict(zip(names, (*x, t))) for x, t in zip(self.X.tolist(), self.y.tolist())]


def load_csv(path: str | Path, features: list[str] | tuple[str, ...], target: str) -> Dataset:
    """Read a CSV with a header row into a `Dataset` of the named feature and target columns."""
    if not isinstance(features, (list, tuple)) or not features or not all(isinstance(f, str) for f in features):
        raise TypeError(f"features: expected a list of column names like ['cgpa', 'profile_score'], got {features!r}")
    if not isinstance(target, str):
        raise TypeError(f"target: expected a column name like 'lpa', got {target!r}")
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path: expected a file name (str or pathlib.Path), got {type(path).__name__} {path!r}")
    given = str(path)
    path = Path(path).expanduser()             # '~/x.csv' is the home folder's x.csv, as in a shell
    shown = given if given.startswith("~") else path.name
    if path.is_dir():
        raise ValueError(f"path: {shown!r} is a folder; expected a CSV file (a folder's file: 'folder/name.csv')")
    if not path.is_file():
        home = " ('~' is your home folder)" if given.startswith("~") else ""
        raise ValueError(f"path: no such file {shown!r}{home}; expected a CSV file")
    try:
        return _read_csv(path, features, target)
    except UnicodeDecodeError as e:
        raise ValueError(f"{path.name}: not readable as UTF-8 text (byte {e.start}); expected a CSV file saved "
                         f"as UTF-8 (with or without a byte-order mark)") from None
    except csv.Error as e:                     # in the header line
        raise ValueError(f"{path.name}, line 1: not readable as CSV ({e}); expected a header row of names") from None


def _read_csv(path: Path, features, target: str) -> Dataset:
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{path.name}: the file is empty; expected a header row and data rows")
        header = [h.strip() for h in header]
        doubled = sorted({h for h in header if header.count(h) > 1})
        wanted = [*features, target]
        if any(c in doubled for c in wanted):
            raise ValueError(f"{path.name}: the header names the column(s) {[c for c in doubled if c in wanted]} "
                             f"more than once; expected each column name once")
        missing = [c for c in wanted if c not in header]
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {missing}; the header has {header}")
        cols = [header.index(c) for c in wanted]
        values = []
        try:
            rows = list(reader)
        except csv.Error as e:              # a field over csv's limit (131,072 characters), a stray NUL, ...
            raise ValueError(f"{path.name}, line {reader.line_num}: not readable as CSV ({e}); expected short "
                             f"fields of numbers") from None
        for line_no, row in enumerate(rows, start=2):
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ValueError(
                    f"{path.name}, line {line_no}: {len(row)} cells; expected {len(header)} like the header"
                )
            values.append([_number(row[c], path.name, line_no, wanted[i]) for i, c in enumerate(cols)])
    if not values:
        raise ValueError(f"{path.name}: no data rows after the header; expected at least one row")
    table = np.array(values, dtype=np.float64)
    return Dataset(table[:, :-1].copy(), table[:, -1].copy(), tuple(features), target)


def _number(cell: str, file: str, line_no: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(
            f"{file}, line {line_no}, column {column!r}: {cell!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{file}, line {line_no}, column {column!r}: {cell!r} is not a finite number")
    return value


def _dataset(name: str, features: list[str], target: str) -> Dataset:
    """Load one of the course's CSVs from the installed package."""
    with resources.as_file(DATASETS / name) as path:
        return load_csv(path, features, target)


def load_students() -> Dataset:
    """The four students of the worked example: cgpa, profile_score -> lpa."""
    return _dataset("students.csv", ["cgpa", "profile_score"], "lpa")


def load_placements() -> Dataset:
    """The four students with a 0/1 target: cgpa, profile_score -> placed."""
    return _dataset("placements.csv", ["cgpa", "profile_score"], "placed")


def load_students_large() -> Dataset:
    """The larger generated student dataset: cgpa, iq -> lpa (see data/make_students_large.py)."""
    return _dataset("students_large.csv", ["cgpa", "iq"], "lpa")


def load_xor() -> Dataset:
    """The non-linear dataset: four clouds, x1, x2 -> label 1 where the signs differ (see data/make_xor.py)."""
    return _dataset("xor.csv", ["x1", "x2"], "label")


def standardise(X: np.ndarray, mean: np.ndarray | None = None, std: np.ndarray | None = None):
    """Return `(X - mean) / std` column by column, with the mean and std used (from X unless given)."""
    X = checks.finite_array(X, "X", 2)
    if X.shape[0] == 0:
        raise ValueError(f"X: expected a 2-D array (rows, features) with at least one row, got shape {X.shape}")
    with np.errstate(all="ignore"):          # a spread past float64 shows as inf, refused below
        mean = X.mean(axis=0) if mean is None else checks.finite_array(mean, "mean", 1)
        std = X.std(axis=0) if std is None else checks.finite_array(std, "std", 1)
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std))):
        raise ValueError("X: the columns' mean or spread is too large for float64 (not finite); expected smaller "
                         "values")
    if mean.shape != (X.shape[1],) or std.shape != (X.shape[1],):
        raise ValueError(f"mean and std: expected shape ({X.shape[1]},), got {mean.shape} and {std.shape}")
    if np.any(std == 0):
        raise ValueError("std: a column is constant (std 0); it cannot be standardised")
    if np.any(std < 0):
        raise ValueError(f"std: expected positive values, got {std.tolist()}")
    with np.errstate(all="ignore"):
        out = (X - mean) / std
    if not np.all(np.isfinite(out)):
        raise ValueError(f"std: dividing by {std.tolist()} gives numbers too large for float64; expected a "
                         f"larger spread for each column")
    return out, mean, std

