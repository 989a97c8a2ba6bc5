"""The computational-graph view and the views of a network's output over the plane of two inputs."""

import base64
import re
import struct
import zlib

import numpy as np
import pytest

import helpers as hp
from helpers.display import svg
from helpers.maths.graph import loss_graph


def nodes_of(picture: str) -> dict:
    found = re.findall(r"data-node='([^']+)' data-value='([^']+)' data-grad='([^']+)'", picture)
    return {name: (value, grad) for name, value, grad in found}


def test_the_graph_shows_every_named_node_with_its_value_and_gradient():
    picture = hp.computational_graph(highlight={"x_i1", "O11", "O12"}).value
    shown = nodes_of(picture)
    assert shown["L"] == ("784", "1") and shown["ŷ"] == ("32", "56") and shown["O11"] == ("16", "56")
    assert shown["w11^2"] == ("1", "896") and shown["w11^1"] == ("1", "448") and shown["x_i1"] == ("8", "112")
    nodes = loss_graph(hp.init_params(), [8.0, 8.0], 4.0)
    order = nodes["L"].backward()
    assert picture.count("class='bp-gnode'") == len(order)
    assert picture.count("<line") == sum(len(n.parents) for n in order)
    assert "aria-label='computational graph of L" in picture


def test_every_node_sits_left_of_the_nodes_that_use_it():
    nodes = loss_graph(hp.init_params([2, 3, 1], weight=0.5), [1.0, 2.0], 3.0, "sigmoid", "mse")
    nodes["L"].backward()
    picture = svg.graph_svg(nodes["L"])
    for x1, x2 in re.findall(r"<line x1='([-\d.]+)' y1='[-\d.]+' x2='([-\d.]+)'", picture):
        assert float(x1) < float(x2)


def test_a_field_is_a_png_of_the_values_with_the_rows_on_top():
    values = np.array([[0.0, 0.5], [1.0, 0.25]])
    picture = svg.field_svg(values, np.array([-1.0, 1.0]), np.array([0.0, 2.0]), X=[[-1.0, 0.0], [1.0, 2.0]],
                            y=[0.0, 1.0], size=100, title="ŷ")
    png = base64.b64decode(re.search(r"base64,([^']+)'", picture).group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (2, 2)
    raw = zlib.decompress(png[png.index(b"IDAT") + 4: png.index(b"IEND") - 8])
    top_left = tuple(raw[1:4])                        # row 0 of the image is the largest x2: values[1, 0] = 1
    assert top_left == tuple(int(hp_c, 16) for hp_c in ("2f", "6d", "b5"))
    circles = re.findall(r"<circle cx='([-\d.]+)' cy='([-\d.]+)'", picture)
    assert [(float(a), float(b)) for a, b in circles] == [(6.0, 124.0), (106.0, 24.0)]


def test_the_explorer_moves_through_training():
    xor = hp.load_xor()
    hist = hp.train(hp.init_params([2, 4, 1], weight=None, seed=0), xor.X, xor.y, lr=0.5, epochs=30,
                    activation="sigmoid", loss="bce", batch_size=10, shuffle=True, seed=0)
    box = hp.training_explorer(hist, every=10)
    assert box.slider.max == 30 and box.slider.value == 30
    end = hist.params_at(hist.n_steps)
    loss = hp.fmt(hp.mean_loss(end, xor.X, xor.y, 'sigmoid', 'bce'))
    assert box.summary.value == (f"after 30 epochs: loss at these weights {loss}"
                                 f", accuracy {hp.fmt(hp.accuracy(end, xor.X, xor.y))}")
    box.slider.value = 0
    assert box.summary.value.startswith("at the start, before epoch 1: loss at these weights ")
    assert box.summary.value.endswith("accuracy 0.5")
    assert box.picture.value.count("class='bp-field'") == 5          # the output and the four hidden neurons
    static = hp.network_fields(end, xor.X, xor.y)
    assert static._repr_mimebundle_()["text/html"].count("<svg") == 5


def test_the_explorer_opens_after_the_epochs_asked_for():
    xor = hp.load_xor()
    hist = hp.train(hp.init_params([2, 4, 1], weight=None, seed=0), xor.X, xor.y, lr=0.5, epochs=20,
                    activation="sigmoid", loss="bce", batch_size=10, shuffle=True, seed=0)
    box = hp.training_explorer(hist, every=10, after=0)
    assert box.slider.value == 0 and box.summary.value.startswith("at the start, before epoch 1")
    assert box.slider.description == "epochs trained"  # a count of epochs trained, 0 to 20, not an epoch's number
    from helpers.display.widgets import fields_html
    assert box.picture.value == fields_html(hist.params_at(0), xor.X, xor.y)      # the starting weights
    assert box.picture.value != hp.training_explorer(hist).picture.value          # not the last epoch's
    for bad, error in ((21, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match=r"^after: expected a whole number from 0 to the epochs trained \(20\)"):
            hp.training_explorer(hist, after=bad)
