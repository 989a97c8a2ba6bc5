"""The figures of the sections on paths that meet and the graph (02), a sigmoid neuron by hand (02), backprop's
memory and non-linear data (03): stored outputs against computations made here, independently of helpers."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

import helpers as hp

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def output_of(name: str, cell_id: str) -> str:
    """The text a code cell (found by its id) showed: streams and text/plain."""
    cells = [c for c in json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"] if c.get("id") == cell_id]
    assert len(cells) == 1, f"{name}: expected one cell with id {cell_id}"
    out = []
    for o in cells[0]["outputs"]:
        out.append("".join(o["text"]) if o["output_type"] == "stream" else "".join(o["data"]["text/plain"]))
    return "".join(out)


def source_of(cell_id: str, name: str = "03_why.ipynb") -> str:
    """The source of a code cell, found by its id."""
    cells = [c for c in json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"] if c.get("id") == cell_id]
    assert len(cells) == 1, f"{name}: expected one cell with id {cell_id}"
    return "".join(cells[0]["source"])


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_two_paths_from_x_i1_add_up():
    # student 1 (8, 8), weights 0.1: O11 = O12 = 1.6, ŷ = 0.32, ∂L/∂ŷ = -2(4 - 0.32) = -7.36
    dL = -2 * (4 - 0.32)
    path = dL * 0.1 * 0.1
    assert hp.fmt(2 * path) == "-0.1472"                              # 02 §6 builds the graph on 01 §12's sum
    # 2 inputs + 9 parameters + y, 4 products and 2 sums (O11, O12), 2 products and 1 sum (ŷ), y − ŷ, its square
    assert 2 + 9 + 1 + 4 + 2 + 2 + 1 + 1 + 1 == 23
    assert output_of("02_how.ipynb", "i14-graph-code") == "23 nodes; ∂L/∂x11 = -0.1472, ∂L/∂w11^1 = -5.888\n"
    assert hp.fmt(dL * 0.1 * 8) == "-5.888"
    rows = output_of("02_how.ipynb", "i14-same-code").splitlines()[1:]
    assert all(r.split()[1] == r.split()[2] for r in rows) and len(rows) == 9


def test_a_sigmoid_hidden_neuron_by_hand():
    start = hp.init_params([2, 2, 1], weight=None, seed=1)
    (w111, w121), (w211, w221) = start["W1"].tolist()
    (w112,), (w212,) = start["W2"].tolist()
    x1, x2, t = 8.0, 8.0, 1.0                                     # the first placement row
    z11, z12 = w111 * x1 + w211 * x2, w121 * x1 + w221 * x2
    O11, O12 = sigmoid(z11), sigmoid(z12)
    y_hat = sigmoid(w112 * O11 + w212 * O12)
    d21 = y_hat - t
    d11 = O11 * (1 - O11) * w112 * d21
    text = output_of("02_how.ipynb", "i14-sig-code")
    weights = f"w11^1 = {hp.fmt(w111)}, w12^1 = {hp.fmt(w121)}, w21^1 = {hp.fmt(w211)}, w22^1 = {hp.fmt(w221)}, "
    assert text.startswith(weights)                                  # the random start, so δ11 can be checked
    assert f"\nz11 = {hp.fmt(z11)}, O11 = σ(z11) = {hp.fmt(O11)}, " in text
    assert f"ŷ = {hp.fmt(y_hat)}, δ21 = ŷ − y = {hp.fmt(d21)}, δ11 = {hp.fmt(d11)}" in text
    assert f"∂L/∂w11^1 = δ11 · x11 = {hp.fmt(d11 * x1)}; hp.gradients: {hp.fmt(d11 * x1)}" in text


def test_memory_table_counts_two_values_a_neuron_a_row():
    text = output_of("03_why.ipynb", "i14-memory-code").splitlines()
    for line, (sizes, rows) in zip(text[1:], [((2, 64, 64, 1), 1), ((2, 64, 64, 1), 256), ((2, 256, 256, 1), 256)]):
        kept = rows * 2 * sum(sizes[1:])
        params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
        assert line.split()[1:] == [str(rows), str(params), str(kept), hp.fmt(round(kept / params, 2)), str(8 * kept)]


def test_the_xor_figures():
    xor = hp.load_xor()
    A = np.c_[xor.X, np.ones(100)]
    line = np.linalg.lstsq(A, xor.y, rcond=None)[0]
    best = np.mean((A @ line - xor.y) ** 2)
    text = output_of("03_why.ipynb", "i14-xor-lin")
    loss = float(text.split("loss ")[1].split(",")[0])
    assert loss == pytest.approx(best, abs=1e-3) and "accuracy 0.5," in text      # "about 0.5 for every point"
    low, high = (float(v) for v in text.rstrip("\n").split("predictions from ")[1].split(" to "))
    assert 0.45 < low < high < 0.55
    text = output_of("03_why.ipynb", "i14-xor-bent")
    assert text.endswith("accuracy 1\nnetwork diagram") and float(text.split("epoch 1, ")[1].split(" in")[0]) < 0.02
    # the picture that stays with the saved notebook: ŷ and the four hidden neurons after the 300 epochs
    bent = hp.train(hp.init_params([2, 4, 1], weight=None, seed=0), xor.X, xor.y, lr=0.5, epochs=300,
                    activation="sigmoid", loss="bce", batch_size=10, shuffle=True, seed=0)
    cell = next(c for c in json.loads((NOTEBOOKS / "03_why.ipynb").read_text(encoding="utf-8"))["cells"]
                if c.get("id") == "i14-xor-bent")
    from helpers.display.widgets import fields_html
    assert "".join(cell["outputs"][-1]["data"]["text/html"]) == fields_html(bent.params, xor.X, xor.y)
    first = float(output_of("03_why.ipynb", "i14-check1").split(" weights ")[1].split(",")[0])
    assert first == pytest.approx(math.log(2), abs=1e-3)
    assert output_of("03_why.ipynb", "i14-check1").endswith(f"ln 2 = {hp.fmt(math.log(2))}\n")
    text = output_of("03_why.ipynb", "i14-check2")
    assert float(text.split()[5].rstrip(",")) < 0.01 and text.endswith("accuracy 1\n")
    X4 = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])       # the four corners, labelled by XOR:
    assert "np.array([1.0, 1.0, 0.0, 0.0])" in source_of("i14-check2")     # no line sorts them
    A = np.c_[X4, np.ones(4)]
    assert np.allclose(np.linalg.lstsq(A, np.array([1.0, 1.0, 0.0, 0.0]), rcond=None)[0][:2], 0)


def test_a_line_cutting_one_cloud_off_sorts_three_quarters():
    xor = hp.load_xor()
    cut = (xor.X[:, 0] + xor.X[:, 1] > -1.5) == (xor.y == 1)
    quadrant = np.sign(xor.X[:, 0]) + 2 * np.sign(xor.X[:, 1])
    above = xor.X[:, 0] + xor.X[:, 1] > -1.5
    assert not above[quadrant == -3].any() and all(above[quadrant == q].all() for q in (3, 1, -1))  # (-,-) cut off
    assert not cut[quadrant == 3].any() and all(cut[quadrant == q].all() for q in (1, -1, -3))     # wrong on (+,+)
    A = np.c_[xor.X, np.ones(len(xor.y))]
    lsq = np.mean((A @ np.linalg.solve(A.T @ A, A.T @ xor.y) > 0.5) == (xor.y == 1))   # normal equations
    assert output_of("03_why.ipynb", "f03-xor-cut") == \
        (f"linear 2-2-1: 50% sorted; least squares: {lsq:.0%} sorted; the line x_i1 + x_i2 = -1.5: "
         f"{cut.mean():.0%} sorted\n")
    assert f"{cut.mean():.0%}" == "75%" and f"{lsq:.0%}" == "50%"             # "sorts no better"
    assert output_of("03_why.ipynb", "i14-check3") == \
        "ε = 1e-5: wrong; relative error above 1%: b11, b21\nε = 1e-8: good; relative error above 1%: none\n"


def test_the_kink_example_is_as_the_text_says():
    # z11 = w11^1 · 2e-6 + w21^1 · 0 = 2e-6, z21 = w11^2 · O11 = 2e-6: five times closer to 0 than ε = 1e-5
    fw = hp.forward(hp.init_params([2, 1, 1], weight=1.0), np.array([2e-6, 0.0]), "relu")
    assert fw.z[1][0] == fw.z[2][0] == 2e-6 and 1e-5 / 2e-6 == pytest.approx(5)
    # "only the biases' centred differences straddle the kink": a weight's nudge moves z by ε · input (2e-11 or 0)
    inputs = {"w11^1": 2e-6, "w21^1": 0.0, "w11^2": fw.O[1][0]}                # O11 = relu(z11) = 2e-6
    assert all(1e-5 * v < 2e-6 for v in inputs.values()) and 1e-5 > 2e-6        # a bias's nudge, ε, is not
