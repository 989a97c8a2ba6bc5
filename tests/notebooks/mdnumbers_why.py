"""Notebook 03's markdown numbers that no code cell of their section shows: each computed by `helpers` and
compared (CHECKED), or listed as not a quantity with the reason (NOT_QUANTITIES). Used by
test_markdown_numbers.py; one file per notebook so that each notebook's editor owns its own registry."""

import inspect

from mdnumbers import source

import helpers as hp

DS = hp.load_students()
BIG = hp.load_students_large()

# number as normalised by mdnumbers.normalise -> a check that computes it with helpers
CHECKED = {
    "896": lambda: hp.gradients(hp.init_params(), DS.X[0], DS.y[0])["W2"][0, 0] == 896,   # ∂L/∂w11^2
    "200": lambda: inspect.signature(hp.is_stable).parameters["epochs"].default == 200,
    "2.5": lambda: min(r["backprop ÷ forward"] for r in hp.cost_rows(
        [[2, 2, 1]] + [[2, h, h, 1] for h in (2, 4, 8, 16, 32, 64, 128)])) == 2.5,
    "17000": lambda: round(hp.n_params([2, 128, 128, 1]), -3) == 17000,
    "80": lambda: BIG.X[:, 1].min() == 80,
    "140": lambda: BIG.X[:, 1].max() == 140,
    "110": lambda: round(BIG.X[:, 1].mean()) == 110,
    "90": lambda: source("03_why.ipynb").count("lr=0.9 * ") == 2,        # 90% of each rate
    "0.25": lambda: float(hp.sigmoid(0.0) * (1 - hp.sigmoid(0.0))) == 0.25,
    "0.0025": lambda: round(float(hp.sigmoid(-6.0)), 4) == 0.0025,
}

# number -> why it is not a quantity a computation could check
NOT_QUANTITIES = {
    "0.3": "a parameter of the 'Your turn' exercise, checked by its checker's tests",
    "50": "a parameter of the 'Your turn' exercise, checked by its checker's tests",
}
