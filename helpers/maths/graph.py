"""A computational graph with reverse-mode differentiation: every number remembers how it was made.

    a = Node(3.0, "a")
    L = a * a + a           # L = a² + a
    L.backward()            # a.grad == 2·3 + 1 == 7: the three paths from a to L add up

Each `Node` keeps its value, its parents and the local derivative ∂(node)/∂(parent). `backward` visits the
nodes in reverse topological order (every node after all the nodes that use it) and passes each node's
gradient to its parents: `parent.grad += local · node.grad`. The `+=` is the rule "gradients add where paths
meet". This is what PyTorch's `loss.backward()` and JAX's `grad` do, for tensors instead of numbers.
`loss_graph` builds the graph of one row's loss on a network, with course names on the nodes.
"""

from __future__ import annotations

import math

import numpy as np

from . import notation
from .network import validate


class Node:
    """A number in a computation: `value`, the `parents` it was made from with their local derivatives, `grad`."""

    __slots__ = ("value", "grad", "name", "op", "parents")

    def __init__(self, value: float, name: str = "", op: str = "", parents: tuple = ()):
        self.value, self.grad, self.name, self.op, self.parents = float(value), 0.0, name, op, parents

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
        return Node(self.value ** k, op=f"^{k:g}", parents=((self, k * self.value ** (k - 1)),))

    __radd__ = __add__
    __rmul__ = __mul__

    def sigmoid(self) -> Node:
        """σ(node), with the local derivative σ(1 − σ)."""
        s = 0.5 * (1.0 + math.tanh(0.5 * self.value))
        return Node(s, op="σ", parents=((self, s * (1.0 - s)),))

    def relu(self) -> Node:
        """max(node, 0), with the local derivative 1 where the node is positive, else 0."""
        return Node(max(self.value, 0.0), op="relu", parents=((self, 1.0 if self.value > 0 else 0.0),))

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
        return order

    def __repr__(self) -> str:
        label = self.name or self.op or "node"
        return f"Node({label} = {self.value:g}, grad {self.grad:g})"


def as_node(value) -> Node:
    """A Node as it is, or a number as a constant Node."""
    if isinstance(value, Node):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"value: expected a Node or a number, got {type(value).__name__} {value!r}")
    return Node(float(value), name=f"{float(value):g}")


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


def loss_graph(params: dict, x, y: float, activation: str = "linear", loss: str = "mse") -> dict[str, Node]:
    """The graph of one row's loss, with a Node for every input, parameter and neuron under its course name.

    Returns {'x_i1': ..., 'w11^1': ..., 'O11': ..., 'ŷ': ..., 'L': ...}; call `nodes['L'].backward()` and each
    parameter node's `.grad` is ∂L/∂(parameter), each input's `.grad` is ∂L/∂x.
    """
    x, y = validate(params, x, activation, y, loss)
    if x.ndim != 1:
        raise ValueError(f"x: expected one row of inputs, got shape {x.shape}")
    params = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    sizes = notation.layer_sizes_of(params)
    nodes = {notation.node_name(0, j): Node(v, notation.node_name(0, j)) for j, v in enumerate(x.tolist())}
    for p in notation.param_list(sizes):
        nodes[p.name] = Node(params[p.key][p.index], p.name)
    out = [nodes[notation.node_name(0, j)] for j in range(sizes[0])]
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
