"""Notebook 01's markdown numbers that no code cell of their section shows: each computed by `helpers` and
compared (CHECKED), or listed as not a quantity with the reason (NOT_QUANTITIES). Used by
test_markdown_numbers.py; one file per notebook so that each notebook's editor owns its own registry."""

import helpers as hp

DS = hp.load_students()


def _worked_epoch():
    return hp.train(hp.init_params([2, 2, 1], weight=1.0), DS.X, DS.y, lr=0.001, epochs=1)


# number as normalised by mdnumbers.normalise -> a check that computes it with helpers
CHECKED = {
    "-16": lambda: hp.one_weight_slope(0.0) / 4 == -16,          # dL/dw = -16 (4 - 8w)
    "1.8": lambda: round(_worked_epoch().steps[1].y_hat, 1) == 1.8,
    "203": lambda: round(_worked_epoch().epoch_loss[0]) == 203,
}

# number -> why it is not a quantity a computation could check
NOT_QUANTITIES = {}
