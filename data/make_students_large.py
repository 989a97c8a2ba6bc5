"""Write the larger student dataset, helpers/maths/datasets/students_large.csv (300 rows: cgpa, iq, lpa).

Each row is drawn with numpy's ``default_rng(seed=2024)``:

- ``cgpa`` uniform on [5, 10], rounded to 2 decimals;
- ``iq`` normal with mean 110 and standard deviation 12, clipped to [80, 140], rounded to an integer;
- ``lpa = 0.9 * cgpa + 0.05 * iq - 4.5 + noise``, computed from the rounded cgpa and iq, with gaussian
  ``noise`` of mean 0 and standard deviation 0.5, rounded to 2 decimals (lakhs per annum, about 2..13).

``iq`` is on a scale about fifteen times larger than ``cgpa``, which is what the "How" notebook uses to
show why feature scaling matters. The same seed gives byte-identical output on every run.

Usage: ``python data/make_students_large.py [--out PATH]`` (default: the package data file
helpers/maths/datasets/students_large.csv).
"""

import argparse
from pathlib import Path

import numpy as np

SEED = 2024
N_ROWS = 300
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "helpers" / "maths" / "datasets" / "students_large.csv"


def make_rows(n: int = N_ROWS, seed: int = SEED) -> list[tuple[float, int, float]]:
    """Draw n rows (cgpa, iq, lpa) as the module docstring describes."""
    rng = np.random.default_rng(seed=seed)
    cgpa = np.round(rng.uniform(5.0, 10.0, size=n), 2)
    iq = np.round(np.clip(rng.normal(110.0, 12.0, size=n), 80, 140)).astype(int)
    noise = rng.normal(0.0, 0.5, size=n)
    lpa = np.round(0.9 * cgpa + 0.05 * iq - 4.5 + noise, 2)
    return [(float(c), int(i), float(s)) for c, i, s in zip(cgpa, iq, lpa)]


def write_csv(path: Path, rows: list[tuple[float, int, float]]) -> None:
    """Write rows to path as CSV with a header and '\\n' line endings."""
    lines = ["cgpa,iq,lpa"] + [f"{c:.2f},{i:d},{s:.2f}" for c, i, s in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def main() -> None:
    """Parse --out and write the dataset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV file to write")
    args = parser.parse_args()
    write_csv(args.out, make_rows())
    print(f"wrote {N_ROWS} rows to {args.out}")


if __name__ == "__main__":
    main()
