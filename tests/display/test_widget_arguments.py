"""Widget factories and display functions check their arguments and name them (issue #11)."""

import re

import numpy as np
import pytest

import helpers as hp

DS = hp.load_students()
BIG = hp.load_students_large()
P = hp.init_params([2, 2, 1], weight=0.1)


pytestmark = pytest.mark.usefixtures("no_warnings")   # every test here fails on any warning (tests/conftest.py)


def test_init_picker_on_data_that_diverges_says_so():
    box = hp.init_picker(BIG.X, BIG.y)
    text = box.result.value
    assert box.history.diverged and "Training diverged at step " in text and " of epoch 1 (student " in text


def test_init_picker_with_a_huge_rate_says_diverging():
    box = hp.init_picker(DS.X, DS.y, lr=10)
    assert "diverg" in box.result.value and len(box.result.value) < 5000
    assert not re.search(r"\d{20}", box.result.value)      # no 130-digit number


@pytest.mark.parametrize("kw, match", [
    (dict(w=5), r"w: expected a number from -0.2 to 1.2, got 5"),
    (dict(lr=0), r"lr: expected a number from 0.001 to 0.015, got 0"),
])
def test_one_weight_slider_refuses_values_off_its_sliders(kw, match):
    with pytest.raises(ValueError, match=match):
        hp.one_weight_slider(**kw)


@pytest.mark.parametrize("kw, error, match", [
    (dict(lr=0), ValueError, r"lr: expected a number from 0.0001 to 1, got 0"),
    (dict(epochs=0), ValueError, r"epochs: expected a whole number from 1 to 100, got 0"),
    (dict(epochs=1000), ValueError, r"epochs: expected a whole number from 1 to 100, got 1000"),
    (dict(epochs="5"), TypeError, r"epochs: expected a whole number from 1 to 100, got '5'"),
    (dict(reference="x"), TypeError, r"reference: expected a number"),
])
def test_training_sliders_refuse_values_off_their_sliders(kw, error, match):
    with pytest.raises(error, match=match):
        hp.training_sliders(P, DS.X, DS.y, **{"batch_size": 1, **kw})


def test_training_sliders_take_a_numpy_integer():
    box = hp.training_sliders(P, DS.X, DS.y, batch_size=np.int64(2), epochs=np.int64(3))
    assert box.history.batch_size == 2 and box.history.epochs == 3


def test_training_sliders_with_a_huge_rate_say_diverging():
    box = hp.training_sliders(P, DS.X, DS.y, lr=1.0, batch_size=1)
    assert "diverg" in box.summary.value


def test_landscape_explorer_needs_rates():
    with pytest.raises(ValueError, match=r"lrs: expected one or more positive learning rates, got \[\]"):
        hp.landscape_explorer(P, DS.X, DS.y, lrs=())


def test_network_diagram_takes_lists():
    lists = {k: v.tolist() for k, v in P.items()}
    assert hp.network_diagram(lists).value == hp.network_diagram(P).value


def test_network_diagram_names_bad_params():
    with pytest.raises(TypeError, match="params: expected a dict"):
        hp.network_diagram([1, 2])


def test_table_of_none_is_named():
    with pytest.raises(TypeError, match="rows: expected a list of dicts or of sequences, got NoneType"):
        hp.table(None)


@pytest.mark.parametrize("kw, error, match", [
    (dict(lr=0), ValueError, "lr: expected a positive finite number"),
    (dict(seed="a"), TypeError, "seed: expected None or a whole number"),
])
def test_stepper_names_bad_arguments(kw, error, match):
    with pytest.raises(error, match=match):
        hp.stepper(**kw)


def test_stepper_caps_a_huge_number_of_epochs_and_says_so():
    st = hp.stepper(epochs=10**9)                 # the stepper shows at most 1000 steps: 250 epochs of 4 students
    assert st.history.epochs == 250 and "not 1000000000" in st.trace["warning"]
