"""loss_rows and rising_epochs: the tables and the sentence of notebook 02 that read epoch losses from a run."""

import numpy as np
import pytest

import helpers as hp
from helpers.maths.lessons import bugs

DS, PL = hp.load_students(), hp.load_placements()


def test_loss_rows_shows_the_marks_below_the_run_and_its_last_epoch():
    h = hp.train(hp.init_params([2, 2, 1], weight=0.1), DS.X, DS.y, lr=0.001, epochs=120)
    rows = hp.loss_rows({"run": h}, h.epochs, marks=(5, 100, 500), name="run")
    assert rows == [{"run": "run", "epoch 5": h.epoch_loss[4], "epoch 100": h.epoch_loss[99],
                     "epoch 120": h.epoch_loss[119]}]
    assert list(hp.loss_rows({"a": [3.0, 2.0, 1.0]}, 3)[0]) == ["step", "epoch 1", "epoch 3"]


def test_loss_rows_marks_a_diverged_run():
    assert hp.loss_rows({"short": [3.0, 2.0]}, 3, marks=(1, 2)) == [
        {"step": "short", "epoch 1": 3.0, "epoch 2": 2.0, "epoch 3": "diverged"}]
    curve = bugs.train_by_hand(bugs.update_by_hand, hp.init_params([2, 2, 1], weight=1.0), DS.X, DS.y, lr=0.1,
                               epochs=10)
    assert len(curve) < 10 and hp.loss_rows({"fast": curve}, 10)[0]["epoch 10"] == "diverged"


def test_loss_rows_rejects_bad_input():
    with pytest.raises(TypeError, match="curves"):
        hp.loss_rows([], 3)
    with pytest.raises(TypeError, match="curves"):
        hp.loss_rows({"a": "text"}, 3)
    with pytest.raises((TypeError, ValueError), match="epochs"):
        hp.loss_rows({"a": [1.0]}, 0)


def test_rising_epochs_against_a_direct_count():
    assert hp.rising_epochs([3.0, 2.0, 2.5, 1.0, 1.5, 0.5]) == (3, 5, 2)
    assert hp.rising_epochs([3.0, 2.0, 1.0]) is None and hp.rising_epochs([1.0]) is None
    clf = hp.train(hp.init_params([2, 2, 1], weight=None, seed=1), PL.X, PL.y, lr=0.1, epochs=3000,
                   activation="sigmoid", loss="bce")
    d = np.diff(clf.epoch_loss)
    up = np.flatnonzero(d > 0) + 2
    assert hp.rising_epochs(clf) == (up[0], up[-1], len(up)) == (990, 1352, 193)
    with pytest.raises(TypeError, match="curve"):
        hp.rising_epochs(3)
