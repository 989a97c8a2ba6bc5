"""A computational graph with reverse-mode differentiation: every number remembers how it was made.

    a = Node(3.0, "a")
    L = a * a + a           # L = a² + a
    L.backward()            # a.grad == 2·3 + 1 == 7: the three paths from a to L add up

Each `Node` keeps its value, its parents and the local derivative ∂(node)/∂(parent). `backward` visits the
nodes in reverse topological order (every node after all the nodes that use it) and passes each node's
gradient to its parents: `parent.grad += local · node.grad`. The `+=` is the rule "gradients add where paths
meet". This is what PyTorch's `loss.backward()` and JAX's `grad` do, for tensors instead of numbers.
`loss_graph` builds the graph of one row's loss on a network, with course names on the nodes.

Forward mode (`Node.forward`, `forward_mode`) is the other way round: a tangent per node, ∂(node)/∂(seed),
carried from the inputs to L in one sweep per seed parameter. Both modes count the products they execute in
`Node.operations`, so `forward_mode` and `reverse_mode` can say what each costs on the same graph.
"""

from __future__ import annotations

import math
import re

import numpy as np

from ..text import fmt
from . import notation
from .activations import ACTIVATIONS
from .network import validate


class Node:
    """A number in a computation: `value`, the `parents` it was made from with their local derivatives, `grad`."""

    __slots__ = ("value", "grad", "tangent", "name", "op", "parents")
    operations = 0                                    # products `local · grad` or `local · tangent` executed

    def __init__(self, value: float, name: str = "", op: str = "", parents: tuple = ()):
        self.value, self.grad, self.tangent = float(value), 0.0, 0.0
        self.name, self.op, self.parents = name, op, parents

    def __add__(self, other) -> Node:
        other = as_node(other)
        return Node(self.value + other.value, op="+", parents=((self, 1.0), (other, 1.0)))

    def __mul__(self, other) -> Node:
        other = as_node(other)
        return Node(self.value * other.value, op="·", parents=((self, other.value), (other, self.value)))

    def __neg__(self) -> Node:
        return Node(-self.value, op="−", parents=((self, -1.0),))

    def __sub__(self, other) -> Node:
        other = as_node(other)
        return Node(self.value - other.value, op="−", parents=((self, 1.0), (other, -1.0)))

    def __rsub__(self, other) -> Node:
        return as_node(other) - self

    def __pow__(self, k: float) -> Node:
        if isinstance(k, bool) or not isinstance(k, (int, float)):
            raise TypeError(f"k: expected a number for the power, got {k!r}")
        return Node(self.value ** k, op=f"^{fmt(k)}", parents=((self, k * self.value ** (k - 1)),))

    __radd__ = __add__
    __rmul__ = __mul__

    def sigmoid(self) -> Node:
        """σ(node), with the local derivative σ(1 − σ)."""
        return self._activate("sigmoid", "σ")

    def relu(self) -> Node:
        """max(node, 0), with the local derivative 1 where the node is positive, else 0."""
        return self._activate("relu", "relu")

    def _activate(self, name: str, op: str) -> Node:
        f = ACTIVATIONS[name]
        a = f.value_float(self.value)
        return Node(a, op=op, parents=((self, float(f.slope(self.value, a))),))

    def log(self) -> Node:
        """The natural logarithm, with the local derivative 1 / node."""
        if self.value <= 0:
            raise ValueError(f"log: expected a positive value, got {self.value}")
        return Node(math.log(self.value), op="log", parents=((self, 1.0 / self.value),))

    def backward(self) -> list[Node]:
        """Fill `.grad` of every node that this one depends on with ∂(this)/∂(node); return them in order."""
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):                 # every node after all the nodes that use it
            for parent, local in node.parents:
                parent.grad += local * node.grad      # gradients add where paths meet
            Node.operations += len(node.parents)
        return order

    def forward(self, seed: Node) -> float:
        """Forward mode: one sweep from the inputs, filling `.tangent` of every node with ∂(node)/∂(seed).

        Returns ∂(this)/∂(seed): one derivative per sweep, where `backward` gives all of them at once."""
        if not isinstance(seed, Node):
            raise TypeError(f"seed: expected a Node of this graph, got {type(seed).__name__} {seed!r}")
        for node in topological_order(self):         # every node after its parents
            node.tangent = 1.0 if node is seed else 0.0
            if node is not seed:
                for parent, local in node.parents:
                    node.tangent += local * parent.tangent    # tangents add where paths meet, too
                Node.operations += len(node.parents)
        return self.tangent

    def __repr__(self) -> str:
        label = self.name or self.op or "node"
        return f"Node({label} = {fmt(self.value)}, grad {fmt(self.grad)})"


def as_node(value) -> Node:
    """A Node as it is, or a number as a constant Node."""
    if isinstance(value, Node):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"value: expected a Node or a number, got {type(value).__name__} {value!r}")
    return Node(float(value), name=f"{fmt(float(value))}")


def total(*nodes: Node, name: str = "") -> Node:
    """One sum node with many parents (a weighted sum as one node, as the diagrams draw it)."""
    nodes = tuple(as_node(n) for n in nodes)
    return Node(sum(n.value for n in nodes), name=name, op="+", parents=tuple((n, 1.0) for n in nodes))


def named(node: Node, name: str) -> Node:
    """Give a node a course name (O11, ŷ, L) and return it."""
    node.name = name
    return node


def topological_order(root: Node) -> list[Node]:
    """Every node `root` depends on, each after its parents (depth-first, without recursion)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p, _ in node.parents if id(p) not in seen)
    return order


def _total_or_refuse(*nodes):
    """`total` of the nodes; a sum past float64 is refused in words, as `predict` does."""
    try:
        return total(*nodes)
    except OverflowError:
        raise ValueError("params: a weighted sum of the graph is too large for float64 (not finite); expected "
                         "smaller weights or inputs") from None


def input_name(j: int, student: int | None = None) -> str:
    """The name of input j (from 0) of a graph: 'x_i1' for any student, 'x11' for student 1's (9 at most)."""
    return notation.node_name(0, j) if student is None else f"x{student}{j + 1}"


def loss_graph(params: dict, x, y: float, activation: str = "linear", loss: str = "mse",
               student: int | None = None) -> dict[str, Node]:
    """The graph of one row's loss, with a Node for every input, parameter and neuron under its course name.

    Returns {'x_i1': ..., 'w11^1': ..., 'O11': ..., 'ŷ': ..., 'L': ...}; call `nodes['L'].backward()` and each
    parameter node's `.grad` is ∂L/∂(parameter), each input's `.grad` is ∂L/∂x. With `student` (1 to 9, the
    student whose row `x` is), the inputs are named after that student: 'x11', 'x12' for student 1.
    """
    params, x, y = validate(params, x, activation, y, loss)
    if x.ndim != 1:
        raise ValueError(f"x: expected one row of inputs, got shape {x.shape}")
    if student is not None and (isinstance(student, bool) or not isinstance(student, int) or not 1 <= student <= 9):
        raise ValueError(f"student: expected the student whose row x is, a whole number from 1 to 9 (or None for "
                         f"the names x_i1, x_i2), got {student!r:.40}")
    sizes = notation.layer_sizes_of(params)
    nodes = {input_name(j, student): Node(v, input_name(j, student)) for j, v in enumerate(x.tolist())}
    for p in notation.param_list(sizes):
        nodes[p.name] = Node(params[p.key][p.index], p.name)
    out = [nodes[input_name(j, student)] for j in range(sizes[0])]
    L = len(sizes) - 1
    for l in range(1, L + 1):
        layer = []
        for k in range(sizes[l]):
            z = _total_or_refuse(*(nodes[notation.weight_name(j, k, l)] * out[j] for j in range(sizes[l - 1])),
                      nodes[notation.bias_name(l, k)])
            o = z if activation == "linear" else (z.sigmoid() if activation == "sigmoid" else z.relu())
            if activation != "linear":
                nodes[named(z, notation.z_name(l, k)).name] = z
            nodes[named(o, "ŷ" if l == L else notation.node_name(l, k)).name] = o
            layer.append(o)
        out = layer
    y_node = nodes["y"] = Node(float(y), "y")
    y_hat = out[0]
    try:
        if loss == "bce":
            if not 0.0 < y_hat.value < 1.0:
                raise ValueError(f"params: ŷ is exactly {y_hat.value:g} in float64 (a saturated sigmoid), so "
                                 f"log(ŷ) or log(1 - ŷ) of the graph is not finite; expected smaller weights or "
                                 f"inputs (hp.gradients works from the weighted sum z and handles this case)")
            cost = -(y_node * y_hat.log() + (1.0 - y_node) * (1.0 - y_hat).log())
        else:
            cost = (y_node - y_hat) ** 2
    except OverflowError:
        cost = None
    if cost is None or not all(math.isfinite(n.value) for n in nodes.values()) or not math.isfinite(cost.value):
        raise ValueError("params: a node of the graph is too large for float64 (not finite); expected smaller "
                         "weights or inputs")
    nodes["L"] = named(cost, "L")
    return nodes


def _parameter_names(nodes: dict[str, Node], names) -> list[str]:
    if not isinstance(nodes, dict) or "L" not in nodes:
        raise TypeError("nodes: expected the dict of a loss_graph, with its 'L' node")
    names = [n for n in nodes if re.fullmatch(r"w[\d,]+\^\d+|b[\d,]+", n)] if names is None else list(names)
    missing = [n for n in names if n not in nodes]
    if missing:
        raise ValueError(f"names: {missing} are not nodes of this graph; it has {list(nodes)}")
    return names


def reverse_mode(nodes: dict[str, Node], names=None) -> tuple[dict[str, float], dict[str, int]]:
    """∂L/∂(each parameter) by one backward sweep, and its cost: {'sweeps': 1, 'operations': products executed}."""
    names = _parameter_names(nodes, names)
    before = Node.operations
    nodes["L"].backward()
    return {n: nodes[n].grad for n in names}, {"sweeps": 1, "operations": Node.operations - before}


def forward_mode(nodes: dict[str, Node], names=None) -> tuple[dict[str, float], dict[str, int]]:
    """∂L/∂(each parameter) by one forward sweep per parameter, and its cost: sweeps and products executed."""
    names = _parameter_names(nodes, names)
    before = Node.operations
    grads = {n: nodes["L"].forward(nodes[n]) for n in names}
    return grads, {"sweeps": len(names), "operations": Node.operations - before}


def mode_costs(params: dict, x, y: float, eps: float = 1e-6) -> list[dict]:
    """One row's gradient three ways on the course's graph: reverse mode, forward mode, centred differences.

    Each row: the method, its sweeps of the graph, the products `local · grad` or `local · tangent` executed
    (counted by the engine; finite differences evaluate the loss instead), and the largest difference of its
    gradient from reverse mode's."""
    nodes = loss_graph(params, x, y)
    back, back_cost = reverse_mode(nodes)
    ahead, ahead_cost = forward_mode(nodes)
    flat, sizes = notation.flatten(params), notation.layer_sizes_of(params)

    def loss_at(vector):
        return loss_graph(notation.unflatten(vector, sizes), x, y)["L"].value

    nudges = np.eye(len(flat)) * eps
    fd = {n: (loss_at(flat + e) - loss_at(flat - e)) / (2 * eps) for n, e in zip(notation.param_names(sizes), nudges)}
    rows = []
    for method, grads, cost in (("reverse mode (backpropagation)", back, back_cost),
                                ("forward mode", ahead, ahead_cost),
                                ("centred difference", fd, {"sweeps": 2 * len(flat), "operations": "—"})):
        rows.append({"method": method, "sweeps": cost["sweeps"], "products executed": cost["operations"],
                     "largest difference from reverse": max(abs(grads[n] - back[n]) for n in back)})
    return rows
