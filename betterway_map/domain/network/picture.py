"""A network as a picture: where each node goes, how big it is drawn, where
its name fits and the lines between nodes, as plain numbers for a template
to draw as SVG.

Nothing here draws, escapes or knows what a node stands for: the caller
gives a networkx graph (the layout), what each node's size stands for and
its name, and gets back positions in a ``width`` × ``height`` box of SVG
user units (y grows downwards). The steps, each a function of its own:

1. **Layout** by networkx: ``spring_positions`` (Fruchterman-Reingold,
   seeded, so the same graph always gives the same picture; each connected
   part on its own, the parts side by side) for a network of organisations, ``star_positions`` (``shell_layout``: one node in the
   middle, the others round it in the order given) for one person's ties.
2. **Sizes**: ``node_radii`` makes a node's *area* proportional to its
   size, so that twice the reach reads as twice the ink. A size that is
   not known or withheld (``None``) gets the smallest radius, the same as
   the smallest sizes: the picture says no more than the figures do.
3. **Fitting** the layout into the box (``fit_positions``), keeping every
   circle inside it, then moving circles that overlap apart
   (``separate``), so that every node can be seen and pointed at.
4. **Lines**: ``edge_lines`` draws one line per kind of tie between two
   nodes, side by side (so that a pair who are partners *and* share a
   space show both), from the edge of one circle to the edge of the other.
5. **Labels**: ``place_labels`` tries places round each node in turn
   (right, left, above, below, then the corners) and takes the first whose
   box overlaps no other label, no circle and stays in the box. Nodes that
   must be named (``must_label``: brokers, the person in the middle) go
   first; a node whose name fits nowhere keeps a place for it but is marked
   ``label_shown=False``: the page shows it on focus or hover only, and the
   table beside the picture names every node.

``draw_picture`` runs steps 2 to 5 on positions from step 1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "CHAR_WIDTH_EM",
    "NodeSpec",
    "Picture",
    "PictureLine",
    "PictureNode",
    "draw_picture",
    "edge_lines",
    "fit_positions",
    "label_box",
    "node_radii",
    "place_labels",
    "separate",
    "shorten",
    "spring_positions",
    "star_positions",
]

# A label's width is guessed at this many font sizes a character: a little
# over the average of a sans-serif font, so that guesses err on the wide
# side; bold type (the names that must be shown) is wider still.
CHAR_WIDTH_EM = 0.6
BOLD_WIDTH = 1.15
# The longest label drawn; the full name is in the node's title and the table.
LABEL_CHARS = 30
# Space between a circle and its label, and between parallel lines.
LABEL_GAP = 4.0
LINE_GAP = 5.0
# Rounds of the force-directed layout (networkx's default), and fewer for a
# part of at least LARGE_PART nodes.
LAYOUT_ROUNDS, LAYOUT_ROUNDS_LARGE, LARGE_PART = 50, 20, 300
# How much more a layout may be stretched one way than the other.
MAX_STRETCH = 2.0

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class NodeSpec:
    """What the caller knows of a node: its key in the graph, its name, what
    its size stands for (``None``: not known or withheld) and whether its
    name must be drawn (such names are drawn in bold, so their room is
    guessed wider)."""

    key: Hashable
    name: str
    size: int | float | None = None
    must_label: bool = False


@dataclass(frozen=True)
class PictureNode:
    """A node as drawn: centre, radius, and its label's anchor point and
    alignment (``start``, ``middle`` or ``end``, as SVG's ``text-anchor``)."""

    key: Hashable
    name: str
    label: str
    x: float
    y: float
    radius: float
    label_x: float
    label_y: float
    label_anchor: str
    label_shown: bool


@dataclass(frozen=True)
class PictureLine:
    """One kind of tie between two nodes, as a straight line."""

    source: Hashable
    target: Hashable
    kind: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Picture:
    width: float
    height: float
    nodes: tuple[PictureNode, ...]
    lines: tuple[PictureLine, ...]
    font_size: float


def shorten(text: str, chars: int = LABEL_CHARS) -> str:
    """``text`` cut to ``chars`` characters with an ellipsis.

    >>> shorten("Eastbrook Tenants and Residents Association", 20)
    'Eastbrook Tenants a…'
    >>> shorten("Library", 20)
    'Library'
    """
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _ordered(graph: nx.Graph) -> nx.Graph:
    """The same graph built in one order (nodes and edge ends sorted), so that
    a layout does not depend on the order the caller built it in."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes, key=repr))
    ends = (tuple(sorted((u, v), key=repr)) + (d,) for u, v, d in graph.edges(data=True))
    ordered.add_edges_from(sorted(ends, key=lambda e: (repr(e[0]), repr(e[1]))))
    return ordered


def _component_layout(graph: nx.Graph, seed: int, weight: str | None) -> dict:
    """One connected component in a box from -1 to 1 each way."""
    nodes = list(graph)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-1.0, 0.0), nodes[1]: (1.0, 0.0)}
    # A large part is a tangle however long it is worked on: fewer rounds
    # keep the page quick (networkx's sparse layout, used from 500 nodes,
    # works node by node).
    rounds = LAYOUT_ROUNDS if len(nodes) < LARGE_PART else LAYOUT_ROUNDS_LARGE
    found = nx.spring_layout(graph, seed=seed, weight=weight, iterations=rounds)
    return {node: (float(x), float(y)) for node, (x, y) in found.items()}


def spring_positions(graph: nx.Graph, seed: int = 42, weight: str | None = "weight") -> dict:
    """A force-directed layout (``networkx.spring_layout``) of each connected
    part, the parts then set side by side in rows, largest first (a part of
    ``n`` nodes in a square of side ``sqrt(n)``), so that organisations on
    their own do not drift to the edges and squash the rest. The same for
    the same graph and seed, whatever order the graph was built in.

    Two parts, a triangle and a lone node: the triangle first (left), the
    lone node beside it, right of every node of the triangle.

    >>> graph = nx.Graph([(1, 2), (2, 3), (3, 1)])
    >>> graph.add_node(9)
    >>> found = spring_positions(graph)
    >>> found[9][0] > max(found[n][0] for n in (1, 2, 3))
    True
    >>> spring_positions(nx.path_graph(3)) == spring_positions(nx.path_graph([2, 1, 0]))
    True
    """
    ordered = _ordered(graph)
    parts = sorted(
        (sorted(part, key=repr) for part in nx.connected_components(ordered)),
        key=lambda part: (-len(part), repr(part[0])),
    )
    if not parts:
        return {}
    sides = [math.sqrt(len(part)) for part in parts]
    # Rows about one and a half times as wide as the parts are tall together.
    row_width = max(max(sides), 1.5 * math.sqrt(sum(side * side for side in sides)))
    found: dict = {}
    x = y = row_height = 0.0
    for part, side in zip(parts, sides, strict=True):
        if x > 0 and x + side > row_width + 1e-9:
            x, y, row_height = 0.0, y - row_height, 0.0
        layout = _component_layout(ordered.subgraph(part), seed, weight)
        half = side / 2 * (0.8 if len(part) > 1 else 0.0)
        for node, (px, py) in layout.items():
            found[node] = (x + side / 2 + px * half, y - side / 2 + py * half)
        x += side
        row_height = max(row_height, side)
    return found


def star_positions(centre: Hashable, others: Sequence[Hashable]) -> dict:
    """``centre`` in the middle and ``others`` evenly round it, in order,
    anticlockwise from the right (``networkx.shell_layout``).

    >>> found = star_positions("me", ["a", "b", "c", "d"])
    >>> {k: (round(x, 3) + 0.0, round(y, 3) + 0.0) for k, (x, y) in found.items()}
    {'me': (0.0, 0.0), 'a': (0.5, 0.0), 'b': (0.0, 0.5), 'c': (-0.5, 0.0), 'd': (0.0, -0.5)}
    """
    graph = nx.Graph()
    graph.add_node(centre)
    graph.add_nodes_from(others)
    if not others:
        return {centre: (0.0, 0.0)}
    found = nx.shell_layout(graph, nlist=[[centre], list(others)], rotate=0)
    return {node: (float(x), float(y)) for node, (x, y) in found.items()}


def node_radii(
    sizes: Mapping[Hashable, int | float | None], smallest: float = 8.0, largest: float = 24.0
) -> dict:
    """Each node's radius: area in proportion to its size, the largest size
    at ``largest``; sizes of 0 or ``None`` at ``smallest``.

    >>> node_radii({"a": 100, "b": 25, "c": None, "d": 0})
    {'a': 24.0, 'b': 16.0, 'c': 8.0, 'd': 8.0}
    """
    top = max((s for s in sizes.values() if s is not None and s > 0), default=0)
    radii = {}
    for key, size in sizes.items():
        if size is None or size <= 0 or top <= 0:
            radii[key] = float(smallest)
        else:
            radii[key] = smallest + (largest - smallest) * math.sqrt(size / top)
    return radii


def fit_positions(
    positions: Mapping[Hashable, Point],
    radii: Mapping[Hashable, float],
    width: float,
    height: float,
    margin: float,
    margin_y: float | None = None,
) -> dict:
    """The layout stretched to fill the box, ``margin`` plus the largest
    radius from the left and right (``margin_y``, if given, from the top and
    bottom), y pointing down. Across and down are stretched
    separately (a force-directed layout has no "right way up", and a wide
    page has more room across than down), but never one more than
    ``MAX_STRETCH`` times the other, so that clusters keep their shape.

    >>> fit_positions({"a": (-1.0, -1.0), "b": (1.0, 1.0)}, {"a": 5, "b": 5}, 120, 120, 5)
    {'a': (10.0, 110.0), 'b': (110.0, 10.0)}
    >>> fit_positions({"a": (-1.0, 0.0), "b": (1.0, 1.0)}, {"a": 5, "b": 5}, 220, 120, 5)
    {'a': (10.0, 110.0), 'b': (210.0, 10.0)}
    >>> fit_positions({"a": (3.0, 4.0)}, {"a": 5}, 120, 80, 5)
    {'a': (60.0, 40.0)}
    """
    if not positions:
        return {}
    largest = max(radii.get(key, 0.0) for key in positions)
    pad_x = margin + largest
    pad_y = (margin if margin_y is None else margin_y) + largest
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    scale_x = (width - 2 * pad_x) / span_x if span_x > 0 else None
    scale_y = (height - 2 * pad_y) / span_y if span_y > 0 else None
    if scale_x is None or scale_y is None:
        scale_x = scale_y = scale_x or scale_y or 0.0
    scale_x = min(scale_x, scale_y * MAX_STRETCH)
    scale_y = min(scale_y, scale_x * MAX_STRETCH)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        key: (width / 2 + (x - mid_x) * scale_x, height / 2 - (y - mid_y) * scale_y)
        for key, (x, y) in positions.items()
    }


class _Grid:
    """Boxes filed by the square cells of a grid they touch, so that the few
    that may meet a given box are found without looking at every one."""

    def __init__(self, cell: float):
        self.cell = max(cell, 1.0)
        self.buckets: dict[tuple[int, int], list[int]] = defaultdict(list)

    def _cells(self, box: Box):
        size = self.cell
        for gx in range(math.floor(box[0] / size), math.floor(box[2] / size) + 1):
            for gy in range(math.floor(box[1] / size), math.floor(box[3] / size) + 1):
                yield gx, gy

    def add(self, index: int, box: Box) -> None:
        for cell in self._cells(box):
            self.buckets[cell].append(index)

    def near(self, box: Box) -> list[int]:
        """The indices of the boxes filed in any cell ``box`` touches, in order."""
        found = set()
        for cell in self._cells(box):
            found.update(self.buckets.get(cell, ()))
        return sorted(found)


def separate(
    positions: Mapping[Hashable, Point],
    radii: Mapping[Hashable, float],
    width: float,
    height: float,
    gap: float = LABEL_GAP,
    rounds: int = 30,
) -> dict:
    """Circles that overlap (or come nearer than ``gap``) pushed apart along
    the line between their centres, half each way, a few rounds over, each
    kept inside the box; circles already apart do not move. Two circles at
    one point are parted along the x axis, the first to the left.

    Two circles of radius 10 whose centres are 12 apart, with a gap of 4:
    each moves 6 away from the other, to 24 apart.

    >>> separate({"a": (50.0, 50.0), "b": (62.0, 50.0)}, {"a": 10, "b": 10}, 200, 100)
    {'a': (44.0, 50.0), 'b': (68.0, 50.0)}
    """
    keys = list(positions)
    where = {key: list(positions[key]) for key in keys}
    reach = 2 * max((radii.get(key, 0.0) for key in keys), default=0.0) + gap
    for _ in range(rounds):
        moved = False
        # Only circles filed near each other at the start of the round are
        # compared; one that moves far is compared again next round.
        grid = _Grid(reach)
        for i, key in enumerate(keys):
            grid.add(i, (*where[key], *where[key]))
        for i, a in enumerate(keys):
            ax0, ay0 = where[a]
            for j in grid.near((ax0 - reach, ay0 - reach, ax0 + reach, ay0 + reach)):
                if j <= i:
                    continue
                b = keys[j]
                (ax, ay), (bx, by) = where[a], where[b]
                need = radii.get(a, 0.0) + radii.get(b, 0.0) + gap
                distance = math.hypot(bx - ax, by - ay)
                if distance >= need - 1e-9:
                    continue
                ux, uy = ((bx - ax) / distance, (by - ay) / distance) if distance else (1.0, 0.0)
                push = (need - distance) / 2
                where[a] = [ax - ux * push, ay - uy * push]
                where[b] = [bx + ux * push, by + uy * push]
                moved = True
        for key in keys:
            r = radii.get(key, 0.0)
            where[key] = [
                min(max(where[key][0], r), width - r),
                min(max(where[key][1], r), height - r),
            ]
        if not moved:
            break
    return {key: (where[key][0], where[key][1]) for key in keys}


def edge_lines(
    edges: Iterable[tuple[Hashable, Hashable, Sequence[str]]],
    positions: Mapping[Hashable, Point],
    radii: Mapping[Hashable, float],
    gap: float = LINE_GAP,
) -> list[PictureLine]:
    """One line per kind of each edge ``(u, v, kinds)``, side by side ``gap``
    apart, each from circle edge to circle edge. Kinds keep the order given.

    Two kinds between nodes 100 apart on the x axis (radius 10 each): two
    lines 5 apart, either side of the axis, from x = 10 to x = 90.

    >>> lines = edge_lines([("a", "b", ["partnership", "referral"])],
    ...                    {"a": (0.0, 0.0), "b": (100.0, 0.0)}, {"a": 10, "b": 10})
    >>> [(line.kind, line.x1, line.y1, line.x2, line.y2) for line in lines]
    [('partnership', 10.0, -2.5, 90.0, -2.5), ('referral', 10.0, 2.5, 90.0, 2.5)]
    """
    lines = []
    for u, v, kinds in edges:
        (x1, y1), (x2, y2) = positions[u], positions[v]
        length = math.hypot(x2 - x1, y2 - y1)
        if length == 0:
            continue
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        # The normal, turned so that it does not depend on which end is u.
        nx_, ny_ = -uy, ux
        if (nx_, ny_) < (0.0, 0.0):
            nx_, ny_ = -nx_, -ny_
        trim_u = min(radii.get(u, 0.0), length / 2)
        trim_v = min(radii.get(v, 0.0), length / 2)
        count = len(kinds)
        for i, kind in enumerate(kinds):
            offset = (i - (count - 1) / 2) * gap
            dx, dy = nx_ * offset, ny_ * offset
            lines.append(
                PictureLine(
                    u,
                    v,
                    kind,
                    _round(x1 + ux * trim_u + dx),
                    _round(y1 + uy * trim_u + dy),
                    _round(x2 - ux * trim_v + dx),
                    _round(y2 - uy * trim_v + dy),
                )
            )
    return lines


def _round(value: float) -> float:
    return round(value, 1) + 0.0  # no "-0.0" in the page


def label_box(
    x: float, y: float, anchor: str, text: str, font_size: float, bold: bool = False
) -> Box:
    """The box a label is guessed to take, with ``LABEL_GAP`` / 2 to spare at
    each end: ``(x, y)`` is its anchor on the baseline, as SVG places text.

    >>> label_box(10, 20, "start", "abcde", 10)
    (8.0, 11.0, 42.0, 23.0)
    """
    width = len(text) * font_size * CHAR_WIDTH_EM * (BOLD_WIDTH if bold else 1.0)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    spare = LABEL_GAP / 2
    return (left - spare, y - 0.9 * font_size, left + width + spare, y + 0.3 * font_size)


def _candidates(x: float, y: float, r: float, font_size: float, outward_left: bool):
    """Places for a label round a circle, best first: (x, y, anchor). The
    side away from the middle of the picture comes first (``outward_left``:
    the node is left of the middle), so that names point outwards, away
    from the lines that meet in the middle."""
    gap = LABEL_GAP
    middle = y + 0.35 * font_size  # the text's middle level with the centre
    diagonal = r * 0.7 + gap
    right, left = (x + r + gap, middle, "start"), (x - r - gap, middle, "end")
    return (
        *((left, right) if outward_left else (right, left)),
        (x, y - r - gap - 0.3 * font_size, "middle"),
        (x, y + r + gap + 0.9 * font_size, "middle"),
        (x + diagonal, y - diagonal, "start"),
        (x - diagonal, y - diagonal, "end"),
        (x + diagonal, y + diagonal + 0.6 * font_size, "start"),
        (x - diagonal, y + diagonal + 0.6 * font_size, "end"),
    )


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _hits_circle(box: Box, x: float, y: float, r: float) -> bool:
    nearest_x = min(max(x, box[0]), box[2])
    nearest_y = min(max(y, box[1]), box[3])
    return math.hypot(nearest_x - x, nearest_y - y) < r


def place_labels(
    nodes: Sequence[tuple[Hashable, str, float, float, float, bool]],
    width: float,
    height: float,
    font_size: float,
) -> dict:
    """Where each label goes: ``{key: (x, y, anchor, shown)}``.

    ``nodes`` are ``(key, label, x, y, radius, must_label)``; those that
    must be labelled are placed first, the rest in the order given. A label
    is shown at the first of its places (``_candidates``: outwards, the
    other side, above, below, the corners) that overlaps no label placed
    before, no circle and stays inside the box. One that must be labelled
    and fits nowhere takes the place that overlaps least; any other is not
    shown (its place is kept, for focus and hover).

    In a box 200 wide: "c" must be named, so it goes first; it is left of
    the middle, but its name would cross the box's edge on the left, so it
    goes right. "a", right of the middle, is named on the right. "b", just
    above "c", cannot go left either, and on the right its name would
    overlap c's: it goes above.

    >>> nodes = [("a", "Ab", 150, 50, 5, False), ("b", "Cd", 20, 50, 5, False),
    ...          ("c", "Ef", 20, 58, 5, True)]
    >>> [(k, v[2], v[3]) for k, v in place_labels(nodes, 200, 100, 10).items()]
    [('c', 'start', True), ('a', 'start', True), ('b', 'middle', True)]
    """
    order = sorted(range(len(nodes)), key=lambda i: (not nodes[i][5], i))
    circles = [(x, y, r) for _, _, x, y, r, _ in nodes]
    circle_grid, label_grid = _Grid(4 * font_size), _Grid(4 * font_size)
    for j, (x, y, r) in enumerate(circles):
        circle_grid.add(j, (x - r, y - r, x + r, y + r))
    placed: list[Box] = []
    found = {}
    for i in order:
        key, text, x, y, r, must = nodes[i]
        best, best_cost = None, math.inf
        for cx, cy, anchor in _candidates(x, y, r, font_size, x < width / 2):
            box = label_box(cx, cy, anchor, text, font_size, bold=must)
            outside = box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height
            cost = sum(_overlap(box, placed[k]) for k in label_grid.near(box))
            cost += sum(
                font_size * font_size
                for j in circle_grid.near(box)
                if j != i and _hits_circle(box, *circles[j])
            )
            if outside:
                cost += width * height  # worse than any overlap
            if cost == 0:
                best, best_cost = (cx, cy, anchor, box), 0
                break
            if cost < best_cost:
                best, best_cost = (cx, cy, anchor, box), cost
        cx, cy, anchor, box = best
        shown = best_cost == 0 or must
        if shown:
            label_grid.add(len(placed), box)
            placed.append(box)
        found[key] = (_round(cx), _round(cy), anchor, shown)
    return found


def draw_picture(
    specs: Sequence[NodeSpec],
    positions: Mapping[Hashable, Point],
    edges: Iterable[tuple[Hashable, Hashable, Sequence[str]]],
    *,
    width: float = 1000.0,
    height: float = 640.0,
    smallest: float = 8.0,
    largest: float = 24.0,
    font_size: float = 14.0,
) -> Picture:
    """The whole picture from a layout: sizes, fitting, lines and labels.

    ``specs`` give every node to draw (a node with no position is left out,
    and so are edges to it); ``edges`` are ``(u, v, kinds)``.

    >>> specs = [NodeSpec("a", "Church", 10, must_label=True), NodeSpec("b", "Library", None)]
    >>> picture = draw_picture(specs, {"a": (0.0, 0.0), "b": (1.0, 0.0)}, [("a", "b", ["partnership"])],
    ...                        width=400, height=200)
    >>> [(n.key, n.radius, n.label_shown) for n in picture.nodes]
    [('a', 24.0, True), ('b', 8.0, True)]
    >>> [(line.kind, line.x1 < line.x2) for line in picture.lines]
    [('partnership', True)]
    """
    specs = [spec for spec in specs if spec.key in positions]
    # Many nodes are drawn smaller, so that they fit in the box side by side:
    # the largest circle's width is at most a third of each node's share.
    share = math.sqrt(width * height / max(len(specs), 1))
    largest = min(largest, share / 6)
    smallest = min(smallest, largest / 2)
    radii = node_radii({spec.key: spec.size for spec in specs}, smallest, largest)
    # Room beside the outermost nodes for their names (up to a fifth of the
    # width each side), and above and below for a name over or under a node.
    longest = max((len(shorten(s.name)) for s in specs), default=0)
    margin_x = min(longest * font_size * CHAR_WIDTH_EM + 2 * LABEL_GAP, width / 5)
    margin_y = 2 * font_size + LABEL_GAP
    where = fit_positions(
        {s.key: positions[s.key] for s in specs}, radii, width, height, margin_x, margin_y
    )
    where = separate(where, radii, width, height)
    drawn = set(where)
    lines = edge_lines(
        ((u, v, kinds) for u, v, kinds in edges if u in drawn and v in drawn), where, radii
    )
    labels = place_labels(
        [
            (s.key, shorten(s.name), where[s.key][0], where[s.key][1], radii[s.key], s.must_label)
            for s in specs
        ],
        width,
        height,
        font_size,
    )
    nodes = tuple(
        PictureNode(
            key=spec.key,
            name=spec.name,
            label=shorten(spec.name),
            x=_round(where[spec.key][0]),
            y=_round(where[spec.key][1]),
            radius=_round(radii[spec.key]),
            label_x=labels[spec.key][0],
            label_y=labels[spec.key][1],
            label_anchor=labels[spec.key][2],
            label_shown=labels[spec.key][3],
        )
        for spec in specs
    )
    return Picture(width, height, nodes, tuple(lines), font_size)
