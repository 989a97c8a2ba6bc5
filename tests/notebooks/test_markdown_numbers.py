"""Every number in the notebooks' markdown is checked: shown by a code cell's stored output in the same
notebook, or literally in the code cell next to it (see mdnumbers.py), or computed here by `helpers` and
compared, or listed as not a quantity with the reason. A markdown number that nothing checks fails the test."""

import inspect
import json

import numpy as np
import pytest
from mdnumbers import NOTEBOOKS, markdown_numbers, shown

import helpers as hp

DS = hp.load_students()
BIG = hp.load_students_large()
NBS = ("01_what.ipynb", "02_how.ipynb", "03_why.ipynb")


def _worked_epoch():
    return hp.train(hp.init_params([2, 2, 1], weight=1.0), DS.X, DS.y, lr=0.001, epochs=1)


def _source(name):
    return "\n".join("".join(c["source"]) for c in json.loads((NOTEBOOKS / name).read_text("utf-8"))["cells"])


# (notebook, number as written, normalised) -> a check that computes it with helpers
CHECKED = {
    ("01_what.ipynb", "-16"): lambda: hp.one_weight_slope(0.0) / 4 == -16,          # dL/dw = -16 (4 - 8w)
    ("01_what.ipynb", "1.8"): lambda: round(_worked_epoch().steps[1].y_hat, 1) == 1.8,
    ("01_what.ipynb", "203"): lambda: round(_worked_epoch().epoch_loss[0]) == 203,
    ("02_how.ipynb", "12000"): lambda: hp.train(hp.init_params([2, 2, 1], weight=0.1), DS.X, DS.y,
                                                epochs=3000).n_steps == 12000,
    ("02_how.ipynb", "16"): lambda: int(np.sum(DS.X.sum(axis=1) == 16)) == 3,
    ("02_how.ipynb", "0.3"): lambda: np.max(np.abs(hp.predict(hp.train(hp.init_params([2, 2, 1], weight=0.1),
                                                                        DS.X, DS.y, epochs=3000).params, DS.X)
                                                    - DS.y)) < 0.3,
    ("02_how.ipynb", "15"): lambda: round(BIG.X[:, 1].mean() / BIG.X[:, 0].mean()) == 15,
    ("02_how.ipynb", "7.4"): lambda: round(BIG.X[:, 0].mean(), 1) == 7.4,
    ("03_why.ipynb", "896"): lambda: hp.gradients(hp.init_params(), DS.X[0], DS.y[0])["W2"][0, 0] == 896,   # ∂L/∂w11^2
    ("03_why.ipynb", "200"): lambda: inspect.signature(hp.is_stable).parameters["epochs"].default == 200,
    ("03_why.ipynb", "2.5"): lambda: min(r["backprop ÷ forward"] for r in hp.cost_rows(
        [[2, 2, 1]] + [[2, h, h, 1] for h in (2, 4, 8, 16, 32, 64, 128)])) == 2.5,
    ("03_why.ipynb", "17000"): lambda: round(hp.n_params([2, 128, 128, 1]), -3) == 17000,
    ("03_why.ipynb", "80"): lambda: BIG.X[:, 1].min() == 80,
    ("03_why.ipynb", "140"): lambda: BIG.X[:, 1].max() == 140,
    ("03_why.ipynb", "110"): lambda: round(BIG.X[:, 1].mean()) == 110,
    ("03_why.ipynb", "90"): lambda: _source("03_why.ipynb").count("lr=0.9 * ") == 2,        # 90% of each rate
    ("03_why.ipynb", "0.25"): lambda: float(hp.sigmoid(0.0) * (1 - hp.sigmoid(0.0))) == 0.25,
    ("03_why.ipynb", "0.0025"): lambda: round(float(hp.sigmoid(-6.0)), 4) == 0.0025,
}

# (notebook, number) -> why it is not a quantity a computation could check
NOT_QUANTITIES = {
    ("01_what.ipynb", "13"): "a section number ('sections 7 to 13')",
    ("01_what.ipynb", "15"): "a section number ('section 15')",
    ("03_why.ipynb", "0.3"): "a parameter of the 'Your turn' exercise, checked by its checker's tests",
    ("03_why.ipynb", "50"): "a parameter of the 'Your turn' exercise, checked by its checker's tests",
}


def classify():
    """For every notebook: (total, shown by a cell, checked here, not quantities, unchecked list)."""
    result = {}
    for name in NBS:
        out, near = shown(name)
        counts = {"shown": 0, "checked": 0, "not a quantity": 0}
        unchecked = []
        for i, n, line in markdown_numbers(name):
            if n in out or n in near[i]:
                counts["shown"] += 1
            elif (name, n) in CHECKED:
                counts["checked"] += 1
            elif (name, n) in NOT_QUANTITIES:
                counts["not a quantity"] += 1
            else:
                unchecked.append((i, n, line.strip()[:100]))
        result[name] = (counts, unchecked)
    return result


def test_every_markdown_number_is_checked():
    result = classify()
    missing = [f"{name} cell {i}: {n!r} in {line!r}" for name, (_, u) in result.items() for i, n, line in u]
    assert not missing, ("markdown numbers that no code cell shows and no test checks (print them in a cell, or "
                         "add them to CHECKED / NOT_QUANTITIES in this file):\n" + "\n".join(missing))
    for name, (counts, _) in result.items():
        print(f"{name}: {sum(counts.values())} markdown numbers, {counts}")


@pytest.mark.parametrize("key", sorted(CHECKED))
def test_checked_numbers_are_what_helpers_compute(key):
    assert CHECKED[key](), f"{key[0]}: the markdown number {key[1]} is not what helpers computes"


def test_every_table_entry_is_still_in_the_markdown():
    present = {(name, n) for name in NBS for _, n, _ in markdown_numbers(name)}
    stale = (set(CHECKED) | set(NOT_QUANTITIES)) - present
    assert not stale, f"entries for numbers no longer in the markdown: {sorted(stale)}"
