"""Notebook 02's markdown numbers that no code cell of their section shows: each computed by `helpers` and
compared (CHECKED), or listed as not a quantity with the reason (NOT_QUANTITIES). Used by
test_markdown_numbers.py; one file per notebook so that each notebook's editor owns its own registry."""

import numpy as np

import helpers as hp

DS = hp.load_students()
BIG = hp.load_students_large()

# number as normalised by mdnumbers.normalise -> a check that computes it with helpers
CHECKED = {
    "12000": lambda: hp.train(hp.init_params([2, 2, 1], weight=0.1), DS.X, DS.y, epochs=3000).n_steps == 12000,
    "0.04299": lambda: round(hp.train(hp.init_params([2, 2, 1], weight=0.1), DS.X, DS.y, epochs=3000).epoch_at(500), 5)
    == 0.04299,
    "15": lambda: round(BIG.X[:, 1].mean() / BIG.X[:, 0].mean()) == 15,
    "7.4": lambda: round(BIG.X[:, 0].mean(), 1) == 7.4,
    "12": lambda: np.array_equal(12 - DS.X[:, 0], DS.y),                         # lpa = 12 − cgpa
    "0.01": lambda: hp.WRONG == 1e-2,
    "1e-07": lambda: hp.GOOD == 1e-7,
    "9": lambda: hp.n_params([2, 2, 1]) == 9,
    "6": lambda: hp.init_params([2, 2, 1])["W1"].size + hp.init_params([2, 2, 1])["b1"].size == 6,
    "8": lambda: list(DS.X[0]) == [8, 8],                                          # student 1's cgpa, profile_score
    "7": lambda: list(hp.load_placements().X[1]) == [7, 9] and hp.load_placements().y[1] == 1,   # student 2
    "0.2": lambda: __import__("helpers.exercises.how", fromlist=["MSE_WEIGHT"]).MSE_WEIGHT == 0.2,
    "5e-05": lambda: _band(__import__("helpers.exercises.how", fromlist=["check_mse_b21"]), 5e-5),  # exercise 1
}


def _band(ex, half: float) -> bool:
    """Exercise 1 counts an answer within `half` of the exact value, and not one a little further."""
    exact = ex.expected_mse_b21()
    return all(ex.check_mse_b21(exact + s * 0.98 * half).ok and not ex.check_mse_b21(exact + s * 1.02 * half).ok
               for s in (-1, 1))

# number -> why it is not a quantity a computation could check
NOT_QUANTITIES = {
    "0": "exact zeros: the biases, a loss of 0 that exists, ReLU's kink at 0",
    "1": "where counting starts: Python from 0, the text from 1 (Notation)",
    "0.1": "the start weights and the classification's learning rate: settings the text chooses",
    "140": "the time the notebook takes, an estimate stated at its top (test_budget.py checks that it is there)",
    "0.5": "the decision threshold P(placed) = 0.5, a definition",
}
