"""Quality marks on hand-built feedback."""

from __future__ import annotations

from datetime import date

from betterway_map.domain.measures import quality
from betterway_map.domain.measures.records import FeedbackRecord

DAY = date(2025, 3, 1)


def feedback(rel, person, side, marks, day=DAY):
    return FeedbackRecord(("match", rel), person, side, day, marks)


def test_marks_are_means_over_every_answer_with_answers_and_people():
    # Five people answer understanding 5, 4, 4, 3, 2 -> mean 3.6; one leaves time empty.
    rows = [
        feedback(p, p, "person", (u, 3, 3, 3, 3, None if p == 0 else 4))
        for p, u in enumerate((5, 4, 4, 3, 2))
    ]
    figures = {f.mark: f for f in quality.marks(rows, min_count=5)}
    assert figures["understanding"].mean == 3.6
    assert (figures["understanding"].answers, figures["understanding"].people) == (5, 5)
    # Only four people answered "time together": withheld.
    assert figures["time_together"].mean is None and figures["time_together"].people is None


def test_marks_of_one_side():
    rows = [feedback(p, p, "person", (2,) * 6) for p in range(5)]
    rows += [feedback(p, p, "volunteer", (4,) * 6) for p in range(5)]
    assert quality.marks(rows, 5, side="person")[0].mean == 2.0
    assert quality.marks(rows, 5, side="other")[0].mean == 4.0
    assert quality.marks(rows, 5)[0].mean == 3.0


def test_differences_use_the_latest_answer_of_each_side_and_sort_furthest_first():
    rows = []
    for p in range(5):
        rows.append(feedback(p, p, "person", (1, 1, 1, 1, 1, 1), day=date(2025, 1, 1)))
        # The later person answer replaces the earlier one.
        rows.append(feedback(p, p, "person", (3, 3, 3, 3, 3, 3), day=date(2025, 4, 1)))
        rows.append(feedback(p, p, "worker", (3, 3, 5, 3, 3, 2)))
    found = quality.differences(rows, min_count=5)
    assert [d.mark for d in found[:2]] == ["commitment", "time_together"]
    assert (found[0].mean_difference, found[0].mean_gap) == (2.0, 2.0)
    assert found[1].mean_difference == -1.0
    assert found[0].relationships == 5


def test_differences_need_both_sides_from_enough_people():
    rows = [feedback(p, p, "person", (3,) * 6) for p in range(5)]
    rows += [feedback(p, p, "volunteer", (5,) * 6) for p in range(4)]
    assert all(d.mean_difference is None for d in quality.differences(rows, 5))


def test_per_relationship_is_not_suppressed():
    rows = [feedback(1, 1, "person", (5, None, None, None, None, None))]
    assert quality.per_relationship(rows)[("match", 1)].person_side["understanding"] == 5.0


def test_marks_by_group():
    rows = [feedback(p, p, "person", (p % 2 + 1,) * 6) for p in range(10)]
    found = quality.marks_by(rows, lambda f: "even" if f.person_id % 2 == 0 else "odd", 5)
    assert found["even"][0].mean == 1.0 and found["odd"][0].mean == 2.0
