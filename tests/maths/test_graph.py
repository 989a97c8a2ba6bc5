"""The computational graph: reverse-mode gradients add where paths meet, and agree with backpropagation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers as hp
from helpers.maths.graph import Node, as_node, loss_graph, topological_order, total


def test_a_node_used_twice_in_a_product():
    a = Node(3.0, "a")
    (a * a).backward()
    assert a.grad == 6.0                       # two paths, each contributing a = 3


def test_a_node_used_twice_in_a_sum():
    a = Node(3.0, "a")
    (a + a).backward()
    assert a.grad == 2.0


def test_a_node_feeding_three_others():
    a = Node(2.0, "a")
    b, c, d = a * 5.0, a ** 2, a.sigmoid()
    L = b + c + d
    L.backward()
    s = 1 / (1 + math.exp(-2.0))
    assert a.grad == pytest.approx(5.0 + 2 * 2.0 + s * (1 - s), rel=1e-15)
    assert (b.grad, c.grad, d.grad) == (1.0, 1.0, 1.0)


def test_backward_twice_gives_the_same_gradients_not_double():
    a = Node(1.5, "a")
    L = a * a * a
    L.backward()
    L.backward()
    assert a.grad == pytest.approx(3 * 1.5 ** 2)


def test_the_order_puts_every_node_after_its_parents():
    a, b = Node(1.0, "a"), Node(2.0, "b")
    L = total(a * b, a, b * b)
    order = topological_order(L)
    pos = {id(n): i for i, n in enumerate(order)}
    assert all(pos[id(p)] < pos[id(n)] for n in order for p, _ in n.parents) and order[-1] is L


def test_student_one_at_weights_one_by_the_graph():
    nodes = loss_graph(hp.init_params(), [8.0, 8.0], 4.0)
    nodes["L"].backward()
    assert (nodes["L"].value, nodes["ŷ"].value, nodes["O11"].value) == (784.0, 32.0, 16.0)
    assert (nodes["w11^2"].grad, nodes["w11^1"].grad, nodes["b11"].grad) == (896.0, 448.0, 56.0)
    # x_i1 reaches L along two paths, through O11 and through O12: 56·w11^2·w11^1 + 56·w21^2·w12^1 = 56 + 56
    assert nodes["x_i1"].grad == 112.0 and nodes["O11"].grad == 56.0 and nodes["O12"].grad == 56.0


def _expression(ops, values):
    """A random expression over three leaves; leaves are reused, so paths meet."""
    leaves = [Node(v, f"v{i}") for i, v in enumerate(values)]
    pool = list(leaves)
    for op, i, j in ops:
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        pool.append({"add": lambda: a + b, "mul": lambda: a * b, "sub": lambda: a - b,
                     "sig": lambda: a.sigmoid() * b, "sq": lambda: (a + b) ** 2}[op]())
    return leaves, pool[-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "mul", "sub", "sig", "sq"]), st.integers(0, 20),
                          st.integers(0, 20)), min_size=1, max_size=8),
       st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_random_expressions_agree_with_centred_differences(ops, values):
    leaves, out = _expression(ops, values)
    out.backward()
    for i, leaf in enumerate(leaves):
        eps = 1e-6
        up = _expression(ops, [v + eps if k == i else v for k, v in enumerate(values)])[1].value
        down = _expression(ops, [v - eps if k == i else v for k, v in enumerate(values)])[1].value
        numeric = (up - down) / (2 * eps)
        assert leaf.grad == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def random_network_graph(hidden, activation, seed, bce):
    """A random network with `hidden` layer sizes, one random student and the loss graph of that student:
    (params, x, y, activation, loss, nodes). BCE goes with a sigmoid, as the course pairs them."""
    params = hp.init_params([2, *hidden, 1], weight=None, seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=2), float(rng.integers(0, 2))
    act, loss = ("sigmoid", "bce") if bce else (activation, "mse")
    return params, x, y, act, loss, loss_graph(params, x, y, act, loss)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.sampled_from(["linear", "sigmoid", "relu"]),
       st.integers(0, 10**6), st.booleans())
def test_networks_agree_with_backpropagation(hidden, activation, seed, bce):
    params, x, y, act, loss, nodes = random_network_graph(hidden, activation, seed, bce)
    nodes["L"].backward()
    want = hp.as_named(hp.gradients(params, x, y, act, loss))
    assert nodes["L"].value == pytest.approx(hp.mean_loss(params, x, y, act, loss), rel=1e-12, abs=1e-15)
    for name, g in want.items():
        assert nodes[name].grad == pytest.approx(g, rel=1e-9, abs=1e-12)
    if act == "relu":       # finite differences straddle relu's kink when a sum is within eps of 0
        return
    num = hp.as_named(hp.numerical_gradients(params, x, y, activation=act, loss=loss))
    assert hp.relative_error([nodes[n].grad for n in num], list(num.values())) < 1e-7


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="value: expected a Node or a number"):
        Node(1.0) + "2"
    with pytest.raises(TypeError, match="k: expected a number"):
        Node(1.0) ** "2"
    with pytest.raises(ValueError, match="log: expected a positive value"):
        Node(0.0).log()
    with pytest.raises(ValueError, match="x: expected one row"):
        loss_graph(hp.init_params(), [[8.0, 8.0]], [4.0])
    assert as_node(2).value == 2.0


# ---- forward mode: one sweep per parameter, the same gradients ----

def test_forward_mode_on_one_expression():
    a, b = Node(3.0, "a"), Node(2.0, "b")
    L = a * a + a * b                        # ∂L/∂a = 2a + b = 8, ∂L/∂b = a = 3
    assert L.forward(a) == 8.0 and L.forward(b) == 3.0
    assert a.tangent == 0.0 and b.tangent == 1.0          # the last sweep's seed
    with pytest.raises(TypeError, match="seed: expected a Node"):
        L.forward("a")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.sampled_from(["linear", "sigmoid", "relu"]),
       st.integers(0, 10**6), st.booleans())
def test_forward_mode_equals_reverse_mode_and_backpropagation(hidden, activation, seed, bce):
    params, x, y, act, loss, nodes = random_network_graph(hidden, activation, seed, bce)
    sizes = [2, *hidden, 1]
    ahead, cost = hp.forward_mode(nodes)
    back, back_cost = hp.reverse_mode(nodes)
    want = hp.as_named(hp.gradients(params, x, y, act, loss))
    assert list(ahead) == list(back) == list(want)
    for name, g in want.items():
        assert ahead[name] == pytest.approx(back[name], rel=1e-12, abs=1e-15)
        assert ahead[name] == pytest.approx(g, rel=1e-9, abs=1e-12)
    assert cost["sweeps"] == hp.n_params(sizes) and back_cost["sweeps"] == 1
    assert cost["operations"] == hp.n_params(sizes) * back_cost["operations"]   # every sweep visits every link
    if act != "relu":
        num = hp.as_named(hp.numerical_gradients(params, x, y, activation=act, loss=loss))
        assert hp.relative_error([ahead[n] for n in num], list(num.values())) < 1e-7


@pytest.mark.parametrize("sizes", [[2, 2, 1], [2, 3, 1], [2, 4, 3, 1]])
def test_forward_mode_takes_one_sweep_per_parameter(sizes):
    params = hp.init_params(sizes, weight=None, seed=1)
    nodes = loss_graph(params, [8.0, 8.0], 4.0)
    links = sum(len(n.parents) for n in topological_order(nodes["L"]))   # counted here from the graph
    before = Node.operations
    grads, cost = hp.forward_mode(nodes)
    assert len(grads) == cost["sweeps"] == hp.n_params(sizes) == len(hp.param_names(sizes))
    assert cost["operations"] == Node.operations - before == hp.n_params(sizes) * links
    assert hp.reverse_mode(nodes)[1] == {"sweeps": 1, "operations": links}


def test_mode_costs_for_the_course_network():
    params, ds = hp.init_params([2, 2, 1], weight=0.1), hp.load_students()
    rows = hp.mode_costs(params, ds.X[0], ds.y[0])
    assert [r["sweeps"] for r in rows] == [1, 9, 18]
    # 2-2-1: 4 products and 2 sums of 3 terms into O11, O12; 2 products and a sum of 3 into ŷ; y − ŷ; its square
    assert [r["products executed"] for r in rows] == [24, 9 * 24, "—"]
    assert rows[1]["largest difference from reverse"] == 0 and rows[2]["largest difference from reverse"] < 1e-7


def test_modes_name_bad_input():
    with pytest.raises(TypeError, match="nodes: expected the dict of a loss_graph"):
        hp.forward_mode({"a": Node(1.0)})
    with pytest.raises(ValueError, match="names: \\['w99\\^1'\\] are not nodes"):
        hp.reverse_mode(loss_graph(hp.init_params(), [8.0, 8.0], 4.0), ["w99^1"])


def test_a_graph_for_one_student_names_its_inputs_after_the_student():
    """02 §6 draws student 1's graph: its inputs are x11 and x12 (x_i1, x_i2 without a student), same numbers."""
    net, ds = hp.init_params([2, 2, 1], weight=0.1), hp.load_students()
    generic = hp.loss_graph(net, ds.X[0], ds.y[0])
    named = hp.loss_graph(net, ds.X[0], ds.y[0], student=1)
    generic["L"].backward(), named["L"].backward()
    assert {"x_i1", "x_i2"} <= set(generic) and not {"x11", "x12"} & set(generic)
    assert {"x11", "x12"} <= set(named) and not {"x_i1", "x_i2"} & set(named)
    assert named["x11"].grad == generic["x_i1"].grad == pytest.approx(-0.1472, abs=1e-12)
    assert hp.loss_graph(net, ds.X[3], ds.y[3], student=4)["x41"].value == 5.0
    for bad in (0, 10, 1.0, True, "1"):
        with pytest.raises(ValueError, match="student"):
            hp.loss_graph(net, ds.X[0], ds.y[0], student=bad)
    svg = hp.computational_graph(net, ds.X[0], ds.y[0], student=1, highlight={"x11"}).value
    assert "x_i" not in svg and svg == hp.computational_graph(net, ds.X[0], ds.y[0], student=1,
                                                             highlight={"x11"}).value
    # the diagram's, the stepper's and the text's spellings light the same nodes: O21 is ŷ, x_i1 is student 1's x11
    assert hp.network_diagram(net, ds.X[0], highlight={"ŷ", "x11"}).value \
        == hp.network_diagram(net, ds.X[0], highlight={"O21", "x_i1"}).value
    assert svg == hp.computational_graph(net, ds.X[0], ds.y[0], student=1, highlight={"x_i1"}).value
    assert hp.computational_graph(net, ds.X[0], ds.y[0], highlight={"O21", "x_i1"}).value \
        == hp.computational_graph(net, ds.X[0], ds.y[0], highlight={"ŷ", "x_i1"}).value
