"""The datasets (package data in helpers/maths/datasets/) hold exactly what COURSE.md and data/README.md say."""

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "helpers" / "maths" / "datasets"   # the CSVs, package data
SCRIPTS = ROOT / "data"                           # the scripts that make them, and their documentation


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Return the header and the rows of a CSV file, as strings."""
    with path.open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


@pytest.mark.parametrize(
    ("name", "header", "rows"),
    [
        ("students.csv", ["cgpa", "profile_score", "lpa"], [[8, 8, 4], [7, 9, 5], [6, 10, 6], [5, 12, 7]]),
        (
            "placements.csv",
            ["cgpa", "profile_score", "placed"],
            [[8, 8, 1], [7, 9, 1], [6, 10, 0], [5, 5, 0]],
        ),
    ],
)
def test_small_dataset_is_exactly_the_worked_example(name, header, rows):
    path = DATA / name
    got_header, got_rows = read_csv(path)
    assert got_header == header
    assert got_rows == [[str(v) for v in row] for row in rows]  # plain integers, no "8.0"
    raw = path.read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n") and not raw.endswith(b"\n\n")


def test_make_students_large_reproduces_the_committed_file(tmp_path):
    out = tmp_path / "students_large.csv"
    subprocess.run(
        [sys.executable, str(SCRIPTS / "make_students_large.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    assert out.read_bytes() == (DATA / "students_large.csv").read_bytes(), (
        "helpers/maths/datasets/students_large.csv differs from what data/make_students_large.py writes: "
        "rerun the script and commit the CSV"
    )


def test_students_large_has_the_documented_shape_and_ranges():
    header, rows = read_csv(DATA / "students_large.csv")
    assert header == ["cgpa", "iq", "lpa"]
    assert len(rows) == 300
    assert all(len(row) == 3 for row in rows)
    cgpa = [float(r[0]) for r in rows]
    iq = [int(r[1]) for r in rows]  # integers: int() rejects "110.0"
    lpa = [float(r[2]) for r in rows]
    assert all(5 <= c <= 10 for c in cgpa)
    assert all(len(r[0].split(".")[-1]) <= 2 for r in rows)
    assert all(80 <= i <= 140 for i in iq)
    assert all(2 <= s <= 15 for s in lpa)
    # lpa follows 0.9*cgpa + 0.05*iq - 4.5 with noise of sd 0.5: residuals centre on 0 with that spread.
    residuals = [s - (0.9 * c + 0.05 * i - 4.5) for c, i, s in zip(cgpa, iq, lpa)]
    mean = sum(residuals) / len(residuals)
    sd = (sum((r - mean) ** 2 for r in residuals) / (len(residuals) - 1)) ** 0.5
    assert abs(mean) < 0.1
    assert 0.4 < sd < 0.6


def test_make_xor_reproduces_the_committed_file(tmp_path):
    out = tmp_path / "xor.csv"
    subprocess.run([sys.executable, str(SCRIPTS / "make_xor.py"), "--out", str(out)], check=True,
                   capture_output=True, cwd=tmp_path)
    assert out.read_bytes() == (DATA / "xor.csv").read_bytes(), (
        "rerun data/make_xor.py and commit helpers/maths/datasets/xor.csv")


def test_xor_is_four_clouds_that_no_line_separates():
    header, rows = read_csv(DATA / "xor.csv")
    assert header == ["x1", "x2", "label"] and len(rows) == 100
    x = [(float(a), float(b), int(c)) for a, b, c in rows]
    assert sum(c for *_, c in x) == 50
    # label 1 exactly where the cloud's centre has coordinates of different signs
    for i, (a, b, c) in enumerate(x):
        centre = ((-1, -1), (-1, 1), (1, -1), (1, 1))[i // 25]
        assert c == int(centre[0] != centre[1]) and abs(a - centre[0]) < 1.6 and abs(b - centre[1]) < 1.6


@pytest.mark.parametrize("script, name", [("make_students_large.py", "students_large.csv"),
                                          ("make_xor.py", "xor.csv")])
def test_the_scripts_write_into_the_package_data_by_default(script, name):
    """Run with no --out, each script writes the very file the package loads."""
    spec = importlib.util.spec_from_file_location(script[:-3], SCRIPTS / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DEFAULT_OUT == DATA / name
