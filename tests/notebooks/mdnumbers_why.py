"""Notebook 03's markdown numbers that no code cell of their section shows: each computed by `helpers` and
compared (CHECKED), or listed as not a quantity with the reason (NOT_QUANTITIES). Used by
test_markdown_numbers.py; one file per notebook so that each notebook's editor owns its own registry."""

import inspect

import numpy as np
from mdnumbers import source

import helpers as hp
from helpers.exercises import why as ex
from helpers.maths.lessons import gradient_cost as cost

DS = hp.load_students()
BIG = hp.load_students_large()
START = hp.init_params([2, 2, 1], weight=0.1)
NB = "03_why.ipynb"

# number as normalised by mdnumbers.normalise -> a check that computes it with helpers
CHECKED = {
    "0.05": lambda: all(ex.check_loss_change(ex.expected_loss_change() + s * 0.049).ok                  # exercise 1
                        and not ex.check_loss_change(ex.expected_loss_change() + s * 0.051).ok for s in (-1, 1)),
    "896": lambda: hp.gradients(hp.init_params(), DS.X[0], DS.y[0])["W2"][0, 0] == 896,   # ∂L/∂w11^2
    "784": lambda: hp.mean_loss(hp.init_params(), DS.X[:1], DS.y[:1]) == 784,            # L, student 1, weights 1
    "4": lambda: hp.one_weight_loss(0.0) == 4**2,                                          # L(w) = (4 - 8w)^2
    "8": lambda: hp.one_weight_slope(0.0) == -2 * 8 * 4,
    "0.5": lambda: hp.one_weight_loss(0.5) == 0,                                           # its minimum
    "9": lambda: hp.n_params([2, 2, 1]) == 9 == hp.mode_costs(START, DS.X[0], DS.y[0])[1]["sweeps"],
    "0.1": lambda: "rtol=1e-3" in source(NB) and "weight=0.1)" in source(NB),              # 0.1% apart; weights 0.1
    "1e-09": lambda: 1e-10 < hp.mode_costs(START, DS.X[0], DS.y[0])[2]["largest difference from reverse"] < 1e-8,
    "0.01": lambda: round(hp.largest_stable_lr(START, DS.X, DS.y, rtol=1e-3), 2) == 0.01,
    "0.0095": lambda: hp.stability_edge(START, DS.X, DS.y, np.linspace(0.0095, 0.0135, 81)).lrs[0] == 0.0095,
    "0.0124": lambda: round(hp.stability_edge(START, DS.X, DS.y, np.linspace(0.0095, 0.0135, 81)).unstable_from,
                            4) == 0.0124,   # the summary's edge, printed in §2  # the edge, about
    "200": lambda: inspect.signature(hp.is_stable).parameters["epochs"].default == 200,
    "2.5": lambda: min(r["backprop ÷ forward"] for r in hp.cost_rows(
        [[2, 2, 1]] + [[2, h, h, 1] for h in (2, 4, 8, 16, 32, 64, 128)])) == 2.5,
    "17000": lambda: round(hp.n_params([2, 128, 128, 1]), -3) == 17000,
    "5": lambda: round(BIG.X[:, 0].min()) == 5,                                             # cgpa 5 to 10
    "10": lambda: round(BIG.X[:, 0].max()) == 10 and ex.SCALE == 10,                        # and exercise 4's factor
    "80": lambda: BIG.X[:, 1].min() == 80,
    "140": lambda: BIG.X[:, 1].max() == 140,
    "110": lambda: round(BIG.X[:, 1].mean()) == 110,
    "90": lambda: source(NB).count("lr=0.9 * ") == 2,        # 90% of each rate
    "1": lambda: hp.condition_number(hp.standardise(BIG.X)[0]) < 1.1,                       # a round bowl
    "0": lambda: np.array_equal(12 - DS.X[:, 0], DS.y),     # a loss of 0 exists: lpa = 12 - cgpa exactly
    "1e-06": lambda: hp.forward(hp.init_params([2, 1, 1], weight=1.0), np.array([2e-6, 0.0]), "relu").z[1][0]
    == 2 * 1e-6,                                             # "2 · 10^-6" (read as 2 and 1e-6) from the kink
    "0.25": lambda: float(hp.sigmoid(0.0) * (1 - hp.sigmoid(0.0))) == 0.25,
    "0.0025": lambda: round(float(hp.sigmoid(-6.0)), 4) == 0.0025,
    "0.001": lambda: ex.FIRST_LR == 0.001,                   # exercise 1's η, as its checker uses it
    "15": lambda: ex.FACTOR_RTOL == 0.15,                    # exercise 4: "within 15% counts"
    "100": lambda: ex.PLOT_EPOCHS == 100,                    # section 2's epochs
    "256": lambda: "([2, 256, 256, 1], 256)" in source(NB),      # section 3's memory table: a batch of 256 rows
    "7": lambda: cost.forward_mults([2, 2, 1]) + 1 == 7 and cost.fd_mults([2, 2, 1]) == 126 == 2 * 9 * 7,
    "20.48": lambda: round(0.005 * hp.one_weight_slope(1.0) ** 2, 10) == 20.48,   # §1: the tangent's promised fall
    "0.0005": lambda: ex.HALF_LR == 0.0005 == ex.PLOT_RATES["η = 0.001"] / 2,   # exercise 2's rate
}

# number -> why it is not a quantity a computation could check
NOT_QUANTITIES = {
    "1989": "the year of Baldi & Hornik's paper (a citation)",
    "2016": "the year of Kawaguchi's paper (a citation)",
    "120": "the minutes the notebook takes, an estimate stated at its top (test_budget checks that it is stated)",
    "1000": "an option of §8's predict-first question (10, 100 or over 1000 times), answered by the printed ratio",
}
