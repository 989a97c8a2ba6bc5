"""Write the non-linear dataset, helpers/maths/datasets/xor.csv (100 rows: x1, x2, label).

Four clouds of 25 points, drawn with numpy's ``default_rng(seed=7)``: around (-1, -1), (-1, 1), (1, -1) and
(1, 1), each point the centre plus gaussian noise of standard deviation 0.35 in each coordinate, rounded to
3 decimals. ``label`` is 1 for the two clouds where x1 and x2 have different signs ((-1, 1) and (1, -1)) and
0 for the other two: the "exclusive or" pattern. No straight line separates the 1s from the 0s, which is what
the "Why" notebook uses to show what hidden units with a non-linear activation add. The same seed gives
byte-identical output on every run.

Usage: ``python data/make_xor.py [--out PATH]`` (default: helpers/maths/datasets/xor.csv, the package data).
"""

import argparse
from pathlib import Path

import numpy as np

SEED = 7
PER_CLOUD = 25
CENTRES = ((-1.0, -1.0, 0), (-1.0, 1.0, 1), (1.0, -1.0, 1), (1.0, 1.0, 0))   # (x1, x2, label)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "helpers" / "maths" / "datasets" / "xor.csv"


def make_rows(per_cloud: int = PER_CLOUD, seed: int = SEED) -> list[tuple[float, float, int]]:
    """Draw the rows (x1, x2, label), cloud after cloud, as the module docstring describes."""
    rng = np.random.default_rng(seed=seed)
    rows = []
    for c1, c2, label in CENTRES:
        points = np.round(np.array([c1, c2]) + rng.normal(0.0, 0.35, size=(per_cloud, 2)), 3)
        rows += [(float(a), float(b), label) for a, b in points]
    return rows


def write_csv(path: Path, rows: list[tuple[float, float, int]]) -> None:
    """Write rows to path as CSV with a header and '\\n' line endings."""
    lines = ["x1,x2,label"] + [f"{a:.3f},{b:.3f},{label:d}" for a, b, label in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def main() -> None:
    """Parse --out and write the dataset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV file to write")
    args = parser.parse_args()
    rows = make_rows()
    write_csv(args.out, rows)
    print(f"wrote {len(rows)} rows to {args.out}")


if __name__ == "__main__":
    main()
