"""The SVG views: the network diagram with every value on it, and the computational graph.

Pure string builders (no ipywidgets, no matplotlib); `stepper` and `network_diagram` put them into widgets.
DOM hooks: `svg.bp-diagram`, `g.bp-node[data-node][data-value]` (with `text.bp-value`), `g.bp-edge[data-param]
[data-value]`, `text.bp-bias[data-param]`, `text.bp-label[data-param]`; highlighted parts carry `bp-on`. The
stepper's browser renderer (`stepper.js`) patches these for every stage; its loss curve is a `charts.Chart`.
"""

from __future__ import annotations

import math

from ..maths import notation
from ..maths.notation import node_name
from ..text import fmt, markup
from .palette import (
    BORDER,
    DIM,
    FIELD_HIGH,
    FIELD_INK,
    FIELD_LOW,
    FIELD_MID,
    HI,
    NEG,
    PAGE,
    PANEL,
    PANEL2,
    POS,
    TEXT0,
    TEXT1,
    TEXT2,
    paint,
)


def _svg_sym(name: str) -> str:
    return markup(name, "svg")


def diagram_svg(sizes, weights: dict, nodes: dict | None = None, highlight=None, edge_labels: dict | None = None,
                loss: tuple | None = None, width: int = 500, height: int = 290) -> str:
    """The network as SVG: nodes with their values, edges as wide as |w| and coloured by sign.

    `weights` maps every course name to its value; `nodes` maps node names ('x_i1', 'O11', 'O21') to
    values; `highlight` is None (all on) or a set of node and parameter names to emphasise, the rest
    dimmed; `edge_labels` replaces the text beside each edge (default 'w = value'); `loss` is (y, L) to
    draw the loss beside the output.
    """
    sizes = list(sizes)
    L = len(sizes) - 1
    nodes = nodes or {}
    on = (lambda key: True) if highlight is None else (lambda key: key in highlight)  # noqa: E731
    right = 124 if loss is not None else 40
    xs = [50 + i * (width - 50 - right) / L for i in range(L + 1)]
    labelled = max(sizes) <= 3           # beyond that, the labels would overlap: values stay in the titles
    edge_text = max(sizes) <= 2 and L <= 2

    def ys(n):
        gap = min(150.0, (height - 100) / max(n - 1, 1))
        return [height / 2 + 5 + (i - (n - 1) / 2) * gap for i in range(n)]

    pos = {node_name(l, k): (xs[l], y) for l in range(L + 1) for k, y in enumerate(ys(sizes[l]))}
    r = min(19.0, (height - 100) / max(max(sizes) - 1, 1) / 2 - 1)   # nodes of a tall layer must not touch
    wmax = max([abs(v) for n, v in weights.items() if n.startswith("w") and math.isfinite(v)] + [1e-12])
    edges, circles, labels = [], [], []
    for l in range(1, L + 1):
        for j in range(sizes[l - 1]):
            for k in range(sizes[l]):
                name = notation.weight_name(j, k, l)
                w = weights[name]
                (x1, y1), (x2, y2) = pos[node_name(l - 1, j)], pos[node_name(l, k)]
                colour = POS if w > 0 else (NEG if w < 0 else DIM)
                sw = 1.0 + 5.0 * min(abs(w) / wmax, 1.0) if math.isfinite(w) else 1.0
                lit = on(name)
                cls = "bp-edge bp-on" if highlight is not None and lit else "bp-edge"
                edges.append(f"<g class='{cls}' data-param='{name}' data-value='{fmt(w)}' "
                             f"opacity='{1.0 if lit else 0.3}'><title>{name} = {fmt(w)}</title>"
                             f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}'{paint(stroke=colour)} "
                             f"stroke-width='{sw:.2f}' stroke-linecap='round'/></g>")
                if edge_text:
                    # into the output: from the middle on, above a falling edge and below a rising one, clear of
                    # the hidden nodes' values; crossing edges: near their source, apart; others: the middle
                    t = 0.42 if l == L else (0.5 if y1 == y2 else 0.38)
                    lift = -(sw / 2 + 5) if y1 == y2 else -8     # a level edge: the label clears its stroke
                    lx, ly = x1 + t * (x2 - x1), y1 + t * (y2 - y1) + (15 if (l == L and y2 < y1) else lift)
                    anchor = "start" if l == L else "middle"
                    text = edge_labels.get(name) if edge_labels else None
                    text = text if text is not None else f"{_svg_sym(name)} = {fmt(w)}"
                    labels.append(f"<text class='bp-label' data-param='{name}' x='{lx:.1f}' y='{ly:.1f}' "
                                  f"font-size='11' text-anchor='{anchor}'{paint(TEXT1 if lit else TEXT2, PAGE)} "
                                  f"stroke-width='4' paint-order='stroke'>{text}</text>")
    for l in range(L + 1):
        for k in range(sizes[l]):
            name = node_name(l, k)
            x, y = pos[name]
            val = nodes.get(name)
            shown = "ŷ" if l == L else name
            lit = on(name)
            stroke = HI if (highlight is not None and lit) else (TEXT2 if lit else DIM)
            fill = PANEL2 if l == 0 else PANEL      # opaque: no edge shows through a node
            cls = "bp-node bp-on" if highlight is not None and lit else "bp-node"
            data_v = f" data-value='{fmt(val)}'" if val is not None else ""
            bias = ""
            if l > 0 and labelled:
                b = notation.bias_name(l, k)
                b_on = highlight is not None and on(b)
                bx_shift = 14 if (l == L and loss is not None) else 0    # clear of the edge labels beside ŷ
                bias = (f"<text class='bp-bias{' bp-on' if b_on else ''}' data-param='{b}' "
                        f"data-value='{fmt(weights[b])}' x='{x + bx_shift:.1f}' y='{y - 27:.1f}' font-size='11' "
                        f"text-anchor='{'start' if bx_shift else 'middle'}'{paint(TEXT0 if b_on else TEXT2, PAGE)} "
                        f"stroke-width='4' paint-order='stroke' "
                        f"font-weight='{600 if b_on else 400}'>{_svg_sym(b)} = {fmt(weights[b])}</text>")
            ink = TEXT0 if lit else TEXT2       # a part not in this stage: fainter, still AA (see palette)
            value = (f"<text class='bp-value' x='{x:.1f}' y='{y + 37:.1f}' font-size='12.5' font-weight='600' "
                     f"text-anchor='middle'"
                     f"{paint(ink, PAGE)} stroke-width='4' paint-order='stroke'>{fmt(val)}</text>"
                     ) if val is not None and labelled else ""
            title = f"{name} = {fmt(val)}" if val is not None else name
            circles.append(f"<g class='{cls}' data-node='{name}'{data_v}>"
                           f"<title>{title}</title>{bias}"
                           f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}'{paint(fill, stroke)} "
                           f"stroke-width='{3 if highlight is not None and lit else 1.5}'/>"
                           f"<text class='bp-name' x='{x:.1f}' y='{y + 5:.1f}' font-size='{14 if labelled else 10}' "
                           f"text-anchor='middle'"
                           f"{paint(ink)}>{_svg_sym(shown)}</text>{value}</g>")
    extra = ""
    if loss is not None:
        y_t, lv = loss
        ox, oy = pos[node_name(L, 0)]
        bx, bw = ox + 28, right - 34
        lit = on("L")
        stroke = HI if (highlight is not None and lit) else (TEXT2 if lit else DIM)
        cls = "bp-node bp-on" if highlight is not None and lit else "bp-node"
        extra = (f"<g class='{cls}' data-node='L' data-value='{fmt(lv)}'>"
                 f"<title>L = {fmt(lv)}</title>"
                 f"<line x1='{ox + r:.1f}' y1='{oy:.1f}' x2='{bx:.1f}' y2='{oy:.1f}'{paint(stroke=DIM)} "
                 f"stroke-width='1.5'/>"
                 f"<rect x='{bx:.1f}' y='{oy - 20:.1f}' width='{bw}' height='40' rx='6'{paint(PANEL, stroke)} "
                 f"stroke-width='{3 if highlight is not None and lit else 1.5}'/>"
                 f"<text class='bp-loss-value' x='{bx + bw / 2:.1f}' y='{oy - 4:.1f}' font-size='11.5' "
                 f"text-anchor='middle'"
                 f"{paint(TEXT0 if lit else TEXT2)}>L = "
                 f"{fmt(lv)}</text><text class='bp-loss-y' x='{bx + bw / 2:.1f}' y='{oy + 12:.1f}' font-size='11' "
                 f"text-anchor='middle'{paint(TEXT2)}>y = {fmt(y_t)}</text></g>")
    alt = f"network {'-'.join(map(str, sizes))}"
    values = [f"{n} = {fmt(v)}" for n, v in nodes.items()] + ([f"L = {fmt(loss[1])}"] if loss is not None else [])
    alt += (": " + ", ".join(values)) if values else ""
    return (f"<svg class='bp-diagram' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' font-family='system-ui,sans-serif' role='img' "
            f"aria-label='{alt}'><title>{alt}</title>" + "".join(edges) + "".join(circles) + extra
            + "".join(labels) + "</svg>")


def stage_highlight(sn, stage: int, param: str | None = None) -> set:
    """The nodes and parameters a stage touches (derivatives: the chain of `param`, or everything)."""
    sizes, L = sn.layer_sizes, len(sn.layer_sizes) - 1
    all_nodes = {node_name(l, k) for l in range(L + 1) for k in range(sizes[l])}
    if stage == 0:
        return all_nodes | set(sn.names)
    if stage == 1:
        return {node_name(L, 0), "L"}
    if stage == 3 or param is None or L != 2:
        return all_nodes | set(sn.names) | {"L"}
    p = notation.locate(param, list(sizes))
    k = p.index[-1]
    on = {param, "L", node_name(2, 0)}
    if p.key[1] == "1":
        on |= {node_name(1, k), notation.weight_name(k, 0, 2)}
    if p.key[0] == "W":
        on.add(node_name(int(p.key[1]) - 1, p.index[0]))
    return on


def step_diagram(sn) -> str:
    """The diagram of one step's forward stage: values at the nodes, every weight (the stepper's picture)."""
    nodes = {node_name(l, k): v for l, layer in enumerate(sn.O) for k, v in enumerate(layer)}
    weights = {n: sn.before(n) for n in sn.names}
    return diagram_svg(sn.layer_sizes, weights, nodes, stage_highlight(sn, 0), None, (sn.y, sn.loss))


# ---- the computational graph ----

def graph_svg(root, highlight=None, col_width: int = 96, row_height: int = 50) -> str:
    """The computational graph behind `root` (a `maths.graph.Node`) as SVG, after `root.backward()`.

    Each node is a box with its name (or its operation), its value v and its gradient g = ∂root/∂node.
    Columns follow the distance to `root`: inputs and parameters on the left, the loss on the right. Nodes
    named in `highlight` (a set of course names) and the edges between them are drawn thick.
    """
    from ..maths.graph import topological_order

    order = topological_order(root)
    rank = {id(root): 0}
    for node in reversed(order):                      # children before parents: a parent sits left of every child
        for parent, _ in node.parents:
            rank[id(parent)] = max(rank.get(id(parent), 0), rank[id(node)] + 1)
    top = max(rank.values())
    columns: dict[int, list] = {}
    for node in order:
        columns.setdefault(top - rank[id(node)], []).append(node)
    tallest = max(len(c) for c in columns.values())
    width, height = (top + 1) * col_width + 20, tallest * row_height + 30
    children: dict[int, list] = {}
    for node in order:
        for parent, _ in node.parents:
            children.setdefault(id(parent), []).append(node)
    pos = {}
    for c in range(top, -1, -1):                      # from the loss leftwards: each node beside its children
        nodes = columns.get(c, [])
        nodes.sort(key=lambda n: _mean([pos[id(k)][1] for k in children.get(id(n), [])]))
        y0 = (height - len(nodes) * row_height) / 2 + row_height / 2
        for i, node in enumerate(nodes):
            pos[id(node)] = (14 + c * col_width + (col_width - 22) / 2, y0 + i * row_height)
    lit = highlight or set()
    on = lambda node: bool(node.name) and node.name in lit   # noqa: E731
    edges, boxes = [], []
    half = (col_width - 22) / 2
    for node in order:
        x2, y2 = pos[id(node)]
        for parent, local in node.parents:
            x1, y1 = pos[id(parent)]
            thick = on(node) and on(parent) or (on(parent) and not node.name)
            edges.append(f"<line x1='{x1 + half:.1f}' y1='{y1:.1f}' x2='{x2 - half:.1f}' y2='{y2:.1f}'"
                         f"{paint(stroke=HI if thick else BORDER)} stroke-width='{3 if thick else 1}'>"
                         f"<title>local derivative {fmt(local)}</title></line>")
    for node in order:
        x, y = pos[id(node)]
        label = _svg_sym(node.name) if node.name else node.op
        plain = node.name or node.op
        stroke = HI if on(node) else BORDER
        boxes.append(f"<g class='bp-gnode' data-node='{plain}' data-value='{fmt(node.value)}' "
                     f"data-grad='{fmt(node.grad)}'><title>{plain}: value {fmt(node.value)}, "
                     f"∂L/∂{plain} = {fmt(node.grad)}</title>"
                     f"<rect x='{x - half:.1f}' y='{y - 19:.1f}' width='{2 * half:.1f}' height='38' rx='5'"
                     f"{paint(PANEL, stroke)} stroke-width='{2.5 if on(node) else 1}'/>"
                     f"<text x='{x:.1f}' y='{y - 6:.1f}' font-size='11.5' font-weight='600' text-anchor='middle'"
                     f"{paint(TEXT0)}>{label}</text>"
                     f"<text x='{x:.1f}' y='{y + 7:.1f}' font-size='10' text-anchor='middle'{paint(TEXT1)}>"
                     f"v {fmt(node.value)}</text>"
                     f"<text x='{x:.1f}' y='{y + 17:.1f}' font-size='10' text-anchor='middle'{paint(TEXT1)}>"
                     f"g {fmt(node.grad)}</text></g>")
    return (f"<svg class='bp-graph' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' font-family='system-ui,sans-serif' role='img' "
            f"aria-label='computational graph of {root.name or 'the output'}: {len(order)} nodes'>"
            + "".join(edges) + "".join(boxes) + "</svg>")


def _mean(values: list) -> float:
    return sum(values) / len(values) if values else 0.0


# ---- a network's output over the plane of two inputs ----

def _png(rgb) -> bytes:
    """A PNG file of an (h, w, 3) uint8 image: the few bytes a browser needs, no image library."""
    import struct
    import zlib
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + row.tobytes() for row in rgb)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _plain(text: str) -> str:
    """Marked-up SVG text as a plain accessible name: tags dropped, the rest escaped for an attribute."""
    import html
    import re
    return html.escape(html.unescape(re.sub(r"<[^>]*>", "", text)), quote=True)


def field_svg(values, x1_values, x2_values, X=None, y=None, size: int = 200, title: str = "") -> str:
    """Values in [0, 1] over a grid of two inputs as a coloured square (NEG at 0, light at 0.5, POS at 1).

    `values[i, j]` is at (x1_values[j], x2_values[i]); rows X with 0/1 targets y are drawn on top. The colours
    are data, on a light panel with a border, so they read the same in every theme.
    """
    import base64

    import numpy as np
    v = np.clip(np.asarray(values, dtype=np.float64), 0.0, 1.0)[::-1]          # the top row is the largest x2
    lo, mid, hi = (np.array(_hex(c), dtype=np.float64) for c in (FIELD_LOW, FIELD_MID, FIELD_HIGH))
    t = v[..., None]
    rgb = np.where(t < 0.5, lo + (mid - lo) * (2 * t), mid + (hi - mid) * (2 * t - 1))
    uri = "data:image/png;base64," + base64.b64encode(_png(np.round(rgb).astype(np.uint8))).decode()
    a0, a1, b0, b1 = x1_values[0], x1_values[-1], x2_values[0], x2_values[-1]
    pad, head = 6, (18 if title else 0)
    dots = ""
    if X is not None:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        px = pad + (X[:, 0] - a0) / (a1 - a0) * size
        py = head + pad + (b1 - X[:, 1]) / (b1 - b0) * size
        dots = "".join(f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='3.2' fill='{FIELD_HIGH if t > 0.5 else FIELD_LOW}' "
                       f"stroke='{FIELD_INK}' stroke-width='0.8'/>" for cx, cy, t in zip(px, py, y))
    caption = (f"<text x='{pad + size / 2}' y='13' font-size='12' text-anchor='middle'{paint(TEXT1)}>"
               f"{title}</text>") if title else ""
    label = _plain(title) or "output"          # the accessible name is plain text: tspans stripped, quotes escaped
    return (f"<svg class='bp-field' xmlns='http://www.w3.org/2000/svg' width='{size + 2 * pad}' "
            f"height='{size + 2 * pad + head}' font-family='system-ui,sans-serif' role='img' "
            f"aria-label='{label} over the plane of the two inputs'>{caption}"
            f"<image x='{pad}' y='{head + pad}' width='{size}' height='{size}' preserveAspectRatio='none' "
            f"href='{uri}'/><rect x='{pad}' y='{head + pad}' width='{size}' height='{size}' fill='none' "
            f"stroke='{FIELD_INK}'/>{dots}</svg>")
