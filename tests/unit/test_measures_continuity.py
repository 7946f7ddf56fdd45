"""Continuity on small hand-built histories whose answers are worked out here."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from betterway_map.domain.measures import continuity
from betterway_map.domain.measures.records import Contacts, Relationship

TODAY = date(2025, 6, 30)
START = date(2025, 1, 1)


def match(i, person, volunteer, started=START, ended=None, end_kind=None, rhythm=None):
    return Relationship(("match", i), person, volunteer, started, ended, end_kind, rhythm)


def test_durations_by_ending_are_worked_out_per_group():
    # Five planned endings after 10, 20, 30, 40, 50 days; five unplanned after 5 each;
    # five ongoing since 1 January (180 days to 30 June).
    rs = [
        match(i, i, 100, ended=START + timedelta(days=10 * (i + 1)), end_kind="planned")
        for i in range(5)
    ]
    rs += [
        match(5 + i, 5 + i, 100, ended=START + timedelta(days=5), end_kind="unplanned")
        for i in range(5)
    ]
    rs += [match(10 + i, 10 + i, 100) for i in range(5)]
    found = continuity.durations(rs, TODAY, min_count=5)
    assert (found["planned"].median, found["planned"].lower_quartile) == (30.0, 20.0)
    assert found["unplanned"].median == 5.0
    assert found["ongoing"].median == 180.0
    assert found["ended"].people == 10
    assert found["all"].people == 15


def test_durations_of_too_few_people_are_withheld():
    rs = [match(i, i, 100, ended=START + timedelta(days=9), end_kind="planned") for i in range(4)]
    assert continuity.durations(rs, TODAY, min_count=5)["planned"].median is None


def test_a_person_with_two_relationships_counts_once_for_suppression():
    # Five relationships but only three people: too few.
    rs = [match(i, i % 3, 100) for i in range(5)]
    assert continuity.durations(rs, TODAY, min_count=5)["all"].people is None


def test_endings_planned_and_unplanned():
    rs = [match(i, i, 1, ended=TODAY, end_kind="planned") for i in range(6)]
    rs += [match(6 + i, 6 + i, 1, ended=TODAY, end_kind="unplanned") for i in range(5)]
    rs += [match(20, 20, 1)]  # ongoing: not an ending
    found = continuity.endings(rs, min_count=5)
    assert found.counts == {"planned": 6, "unplanned": 5}
    assert found.total == 11
    assert found.shares["planned"] == 6 / 11


def test_endings_hide_a_small_kind_and_its_complement():
    rs = [match(i, i, 1, ended=TODAY, end_kind="planned") for i in range(9)]
    rs += [match(9 + i, 9 + i, 1, ended=TODAY, end_kind="unplanned") for i in range(2)]
    found = continuity.endings(rs, min_count=5)
    # 2 unplanned is too few; 11 − 9 would give it away, so planned goes too.
    assert found.counts == {"planned": None, "unplanned": None}
    assert found.total == 11


def test_same_counterpart_share_is_the_most_seen_over_all_named_contacts():
    # Each of five people: three contacts with volunteer code 2, one with code 4,
    # one with no one named (left out): 3 of 4.
    rows = []
    for p in range(5):
        rows += [(p, START + timedelta(days=d), p, 2) for d in range(3)]
        rows += [(p, START + timedelta(days=5), p, 4), (p, START + timedelta(days=6), p, None)]
    found = continuity.same_counterpart(Contacts.from_rows(rows), min_count=5)
    assert found.median == 0.75 and found.people == 5


def test_rhythm_kept_counts_gaps_within_one_and_a_half_times_the_rhythm():
    # Weekly (allowed 10.5 days). Person 0..4 each: contacts on days 0, 7, 17, 40:
    # gaps 7 (kept), 10 (kept), 23 (not): 2 of 3 kept; at least half kept.
    rs = [match(i, i, 100, rhythm="weekly") for i in range(5)]
    rows = [(i, START + timedelta(days=d), i, None) for i in range(5) for d in (0, 7, 17, 40)]
    found = continuity.rhythm_kept(rs, Contacts.from_rows(rows), min_count=5)
    assert found.gaps == 15 and found.gaps_kept == 10 / 15
    assert found.relationships == 5 and found.relationships_kept == 1.0


def test_relationships_without_a_rhythm_have_no_gaps_measured():
    rs = [match(i, i, 100) for i in range(5)]
    rows = [(i, START + timedelta(days=d), i, None) for i in range(5) for d in (0, 30)]
    assert continuity.rhythm_kept(rs, Contacts.from_rows(rows), 5).gaps is None


def test_warning_after_three_weeks_without_contact_on_a_weekly_rhythm():
    r = match(1, 1, 100, rhythm="weekly")
    contacts = Contacts.from_rows([(0, TODAY - timedelta(days=21), 1, None)])
    (warning,) = continuity.warnings([r], contacts, TODAY)
    assert warning.message == "No contact for 3 weeks, agreed weekly."
    assert warning.days_since == 21


def test_no_warning_within_the_margin():
    r = match(1, 1, 100, rhythm="weekly")
    contacts = Contacts.from_rows([(0, TODAY - timedelta(days=10), 1, None)])
    assert continuity.warnings([r], contacts, TODAY) == []


def test_warning_counts_from_the_start_when_there_was_never_a_contact():
    r = match(1, 1, 100, started=TODAY - timedelta(days=40), rhythm="fortnightly")
    (warning,) = continuity.warnings([r], Contacts.from_rows([]), TODAY)
    assert warning.message == "No contact since it started 5 weeks ago, agreed every two weeks."


def test_no_warning_for_an_ended_relationship():
    r = match(1, 1, 100, ended=TODAY - timedelta(days=60), end_kind="planned", rhythm="weekly")
    assert continuity.warnings([r], Contacts.from_rows([]), TODAY) == []


def test_changes_of_volunteer_are_counted_in_order_and_a_worker_is_not_a_change():
    rs = []
    for p in range(5):  # one volunteer throughout, and a worker beside: no change
        rs += [match(p, p, 100), Relationship(("caseload", p, 9), p, 9, START)]
    for p in range(5, 10):  # volunteer 100, then 101, then 100 again: two changes
        rs += [
            match(10 * p, p, 100, started=START),
            match(10 * p + 1, p, 101, started=START + timedelta(days=50)),
            match(10 * p + 2, p, 100, started=START + timedelta(days=90)),
        ]
    found = continuity.changes(rs, min_count=5)
    assert found.counts == {"0": 5, "1": None, "2+": 5}
    assert found.total == 10


def test_last_contacts_ignores_contacts_outside_the_list():
    contacts = Contacts(np.array([0, 0, 1, 5]), np.array([10, 30, 20, 99]), np.array([1, 1, 2, 3]))
    assert continuity.last_contacts(2, contacts).tolist() == [30, 20]
