"""The geometry of a network picture (``domain.network.picture``), on tiny
graphs whose right answer is worked out in each test."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from betterway_map.domain.network.picture import (
    NodeSpec,
    draw_picture,
    edge_lines,
    fit_positions,
    label_box,
    node_radii,
    place_labels,
    separate,
    spring_positions,
    star_positions,
)


def test_the_same_graph_and_seed_give_the_same_layout_whatever_the_order_it_was_built_in():
    # A triangle with a tail, built in two orders: the layout reads nodes
    # and edges sorted, so both give the same positions.
    first = nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4)])
    second = nx.Graph([(4, 3), (1, 3), (3, 2), (2, 1)])
    assert spring_positions(first, seed=7) == spring_positions(second, seed=7)


def test_another_seed_gives_another_layout():
    graph = nx.cycle_graph(6)
    assert spring_positions(graph, seed=1) != spring_positions(graph, seed=2)


def test_a_star_puts_the_centre_in_the_middle_and_the_others_evenly_round_it_in_order():
    # Three others: 120 degrees apart, the first due right (angle 0).
    found = star_positions("me", ["a", "b", "c"])
    assert found["me"] == (0.0, 0.0)
    angles = [math.degrees(math.atan2(found[k][1], found[k][0])) % 360 for k in "abc"]
    assert angles == pytest.approx([0, 120, 240], abs=1e-4)
    assert [math.hypot(*found[k]) for k in "abc"] == pytest.approx([0.5] * 3)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        # Area in proportion: 25 is a quarter of 100, so half the extra radius.
        ({"a": 100, "b": 25}, {"a": 24.0, "b": 16.0}),
        # Withheld (None) and nothing (0) are drawn at the smallest size.
        ({"a": 9, "b": None, "c": 0}, {"a": 24.0, "b": 8.0, "c": 8.0}),
        # Nothing known at all: everyone at the smallest.
        ({"a": None, "b": None}, {"a": 8.0, "b": 8.0}),
    ],
)
def test_a_node_s_area_is_in_proportion_to_its_size(sizes, expected):
    assert node_radii(sizes, smallest=8, largest=24) == pytest.approx(expected)


def test_a_layout_fills_the_box_inside_its_margins():
    # Corners (0, 0) and (4, 2) in a 500 x 300 box, margin 40, radius 10:
    # x runs 50..450 and y 50..250 (flipped: y grows downwards).
    found = fit_positions({"a": (0.0, 0.0), "b": (4.0, 2.0)}, {"a": 10, "b": 10}, 500, 300, 40)
    assert found == {"a": (50.0, 250.0), "b": (450.0, 50.0)}


def test_a_layout_is_not_stretched_more_than_twice_one_way():
    # A flat layout (x span 10, y span 1) in a square box: filling both ways
    # would stretch y ten times more; it is held at twice.
    found = fit_positions({"a": (0.0, 0.0), "b": (10.0, 1.0)}, {"a": 0, "b": 0}, 220, 220, 10)
    (ax, ay), (bx, by) = found["a"], found["b"]
    assert bx - ax == pytest.approx(200)
    assert ay - by == pytest.approx(2 * 200 / 10)


def test_overlapping_circles_are_pushed_apart_and_others_stay_put():
    # a and b (radius 10) overlap, 5 apart: each moves half of what is
    # missing (10 + 10 + 4 gap - 5 = 19) away from the other. c is far off.
    found = separate(
        {"a": (100.0, 100.0), "b": (105.0, 100.0), "c": (300.0, 100.0)},
        {"a": 10, "b": 10, "c": 10},
        400,
        200,
        gap=4,
    )
    assert found["a"] == pytest.approx((90.5, 100.0))
    assert found["b"] == pytest.approx((114.5, 100.0))
    assert found["c"] == (300.0, 100.0)


def test_circles_pushed_apart_stay_inside_the_box():
    found = separate({"a": (10.0, 50.0), "b": (12.0, 50.0)}, {"a": 10, "b": 10}, 100, 100)
    assert all(10 <= x <= 90 and 10 <= y <= 90 for x, y in found.values())
    assert math.dist(found["a"], found["b"]) >= 20


def test_each_kind_of_tie_is_its_own_line_side_by_side_from_circle_to_circle():
    # Nodes 100 apart on a vertical line, radii 10 and 20: three kinds give
    # three lines 5 apart (x = -5, 0, 5), from y = 10 to y = 80.
    lines = edge_lines(
        [("a", "b", ["partnership", "referral", "shared_space"])],
        {"a": (0.0, 0.0), "b": (0.0, 100.0)},
        {"a": 10, "b": 20},
        gap=5,
    )
    assert [(line.kind, line.x1, line.y1, line.y2) for line in lines] == [
        ("partnership", -5.0, 10.0, 80.0),
        ("referral", 0.0, 10.0, 80.0),
        ("shared_space", 5.0, 10.0, 80.0),
    ]


def test_lines_lie_the_same_way_whichever_end_is_given_first():
    where, radii = {"a": (0.0, 0.0), "b": (30.0, 40.0)}, {"a": 5, "b": 5}
    forward = edge_lines([("a", "b", ["x", "y"])], where, radii)
    backward = edge_lines([("b", "a", ["x", "y"])], where, radii)
    as_set = lambda lines: {  # noqa: E731
        (line.kind, frozenset({(line.x1, line.y1), (line.x2, line.y2)})) for line in lines
    }
    assert as_set(forward) == as_set(backward)


def test_a_label_goes_outwards_first():
    # In a box 400 wide, a node left of the middle is named on its left,
    # one right of the middle on its right.
    found = place_labels(
        [("left", "Ab", 100, 50, 5, False), ("right", "Cd", 300, 50, 5, False)], 400, 100, 10
    )
    assert found["left"][2] == "end" and found["right"][2] == "start"


def test_a_name_that_fits_nowhere_is_hidden_unless_it_must_be_shown():
    # Two nodes at one spot near the left of a box 80 x 24: the only place
    # inside the box is on the right. The first must be named and takes it;
    # the second's right would overlap it and every other place leaves the
    # box, so the second is hidden.
    nodes = [("a", "Abcdef", 20, 12, 4, True), ("b", "Ghijkl", 20, 12, 4, False)]
    found = place_labels(nodes, 80, 24, 10)
    assert found["a"][3] is True
    assert found["b"][3] is False


def test_a_label_s_box_is_where_svg_draws_its_text():
    # "middle": centred on x; the box runs from 0.9 em above the baseline
    # to 0.3 em below it, with 2 units to spare at each end.
    assert label_box(100, 50, "middle", "abcd", 10) == (86.0, 41.0, 114.0, 53.0)


def test_the_picture_draws_every_node_inside_the_box_and_none_on_another():
    # A star of eight round a centre, in a small box: every circle inside
    # and no two overlapping; lines only to nodes that were laid out.
    others = [f"n{i}" for i in range(8)]
    specs = [NodeSpec("c", "Centre", 1, must_label=True)] + [NodeSpec(k, k) for k in others]
    positions = star_positions("c", others)
    picture = draw_picture(
        specs,
        positions,
        [("c", k, ["active"]) for k in others] + [("c", "gone", ["active"])],
        width=300,
        height=200,
        smallest=8,
        largest=12,
    )
    for node in picture.nodes:
        assert node.radius <= node.x <= 300 - node.radius
        assert node.radius <= node.y <= 200 - node.radius
    for i, a in enumerate(picture.nodes):
        for b in picture.nodes[i + 1 :]:
            assert math.dist((a.x, a.y), (b.x, b.y)) >= a.radius + b.radius
    assert len(picture.lines) == 8
    assert next(n for n in picture.nodes if n.key == "c").label_shown


def test_separate_parts_are_laid_out_side_by_side_without_overlapping():
    # A square of four, a pair and two loners: four parts, each in a box of
    # its own, the largest (the square) first, at the top left.
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("p", "q")])
    graph.add_nodes_from(["x", "y"])
    found = spring_positions(graph, seed=3)
    parts = [["a", "b", "c", "d"], ["p", "q"], ["x"], ["y"]]
    boxes = [
        (
            min(found[n][0] for n in part),
            min(found[n][1] for n in part),
            max(found[n][0] for n in part),
            max(found[n][1] for n in part),
        )
        for part in parts
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)
    square = boxes[0]
    assert all(square[0] <= box[0] and square[3] >= box[3] for box in boxes[1:])
