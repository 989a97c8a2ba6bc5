"""Notebook 01's markdown numbers that no code cell of their section shows: each computed by `helpers` and
compared (CHECKED), or listed as not a quantity with the reason (NOT_QUANTITIES). Used by
test_markdown_numbers.py; one file per notebook so that each notebook's editor owns its own registry."""

import inspect

from mdnumbers import source

import helpers as hp
from helpers.exercises import what as ex
from helpers.maths import gradcheck

DS = hp.load_students()
ONES = hp.init_params([2, 2, 1], weight=1.0, bias=0.0)


def _worked_epoch():
    return hp.train(ONES, DS.X, DS.y, lr=0.001, epochs=1)


def _long_run():
    return hp.train(ONES, DS.X, DS.y, lr=0.001, epochs=20_000)


def _centred_error_over_third_derivative(eps=0.1):
    """6 in "ε²/6 times the third derivative": the centred difference of w³ at w = 1 (third derivative 6)
    is off from 3 by ε²·6/6; returned is the denominator that makes that so."""
    off = ((1 + eps) ** 3 - (1 - eps) ** 3) / (2 * eps) - 3
    return round(eps ** 2 * 6 / off, 9)


def _loss_slope_at_the_prediction(h=1e-4):
    """-2 in ∂L/∂ŷ = -2(y - ŷ): a centred difference of the per-sample loss in ŷ, for student 1 at ŷ = 32."""
    y, y_hat = float(DS.y[0]), float(hp.predict(ONES, DS.X[0]))
    slope = (float(hp.per_sample_loss(y, y_hat + h)) - float(hp.per_sample_loss(y, y_hat - h))) / (2 * h)
    return round(slope / (y - y_hat), 9)


# number as normalised by mdnumbers.normalise -> a check that computes it with helpers
CHECKED = {
    "-16": lambda: hp.one_weight_slope(0.0) / 4 == -16,          # dL/dw = -16 (4 - 8w)
    # 01 §13: after the first update, students 1 and 2 (inputs adding to 16) get the same prediction, 1.77
    "1.77": lambda: round(_worked_epoch().steps[1].y_hat, 2) == 1.77 == round(
        float(hp.predict(_worked_epoch().steps[0].params_after, DS.X[0])), 2),
    "16": lambda: DS.X[0].sum() == DS.X[1].sum() == 16,
    "8": lambda: DS.X[0].tolist() == [8.0, 8.0],                 # student 1's cgpa and profile score
    "4": lambda: DS.y[0] == 4 and len(DS.y) == 4,                # student 1's package; four students (updates)
    "32": lambda: hp.predict(ONES, DS.X[0]) == 32,               # ŷ for student 1 at weights 1
    "-2": lambda: _loss_slope_at_the_prediction() == -2,
    "9": lambda: len(hp.param_names([2, 2, 1])) == 9,
    "0.001": lambda: ex.LR == 0.001 and "lr = 0.001" in source("01_what.ipynb"),
    # section 12: the centred difference's step in chain_table, and check_gradients' 'good' threshold
    "6": lambda: _centred_error_over_third_derivative() == 6,
    "1e-05": lambda: inspect.signature(hp.chain_table).parameters["eps"].default == 1e-5,
    "1e-07": lambda: gradcheck.GOOD == 1e-7 and hp.check_gradients(ONES, DS.X[0], DS.y[0]).verdict == "good",
    # the exercises' set-ups: exercise 1's weights, exercise 2's start, section 12's 112 that exercise 3 recalls
    "0.5": lambda: ex.exercise1_params()["W1"].tolist() == [[0.5, 0.5], [0.5, 0.5]],
    "0.25": lambda: ex.exercise1_params()["W2"].ravel().tolist() == [0.25, 0.25],
    "0.32": lambda: ex.SMALL_W == 0.1 and round(hp.predict(hp.init_params([2, 2, 1], weight=0.1, bias=0.0),
                                                            DS.X[0]), 12) == 0.32,
    "112": lambda: ex.input_gradient(ONES, DS.X[0], DS.y[0])[0] == 112,
    # exercise 2's prediction: section 12's ∂L/∂ŷ (56) times the path left, w11^2 · w11^1 = 3 · 0.5
    "56": lambda: float(hp.gradients(ONES, DS.X[0], DS.y[0])["b2"][0]) == 56,
    "3": lambda: ex.CUT_W11_2 == 3 and ex._cut()[0]["W2"][0, 0] == 3,
}

# number -> why it is not a quantity a computation could check
NOT_QUANTITIES = {
    "100": "the time the notebook takes ('about 100 minutes'), an estimate for the learner",
}
