"""People in the network: who is connected, who is cut off, and why.

Seen only by the workers assigned to each person. For every person the
network is read once (one graph for the whole area, never rebuilt per
person) and the answer keeps isolation and loneliness side by side: the
status comes from active ties alone, the loneliness measures are reported
as they were answered, and ``need`` is used only to order a worker's list.

Status, from the person's *active* ties (ties, group attendance, matches;
see ``graph.py`` for when each is active):

* ``isolated``: no active tie of any kind;
* ``professionals_only``: every active tie is a professional tie (a paid
  worker or an organisation); attending a group or a match with a volunteer
  is not professional;
* ``weak``: exactly one active tie;
* ``connected``: otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx
import numpy as np

from betterway_map.domain.measures.loneliness import DIRECT_AT_RISK
from betterway_map.domain.network.connectors import Connector, connectors
from betterway_map.domain.network.defaults import ACTIVITY_WINDOW_DAYS
from betterway_map.domain.network.edges import PERSON_EDGE_KINDS
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.network.person_ties import tie_summary

__all__ = [
    "STATUSES",
    "PersonAssessment",
    "PersonStatus",
    "assess_people",
    "person_statuses",
    "at_risk",
    "by_need",
    "Connector",
    "connectors",
]

# In order of need: the first is the most cut off.
STATUSES = ("isolated", "professionals_only", "weak", "connected")
_RANK = {status: rank for rank, status in enumerate(STATUSES)}

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
# How one active tie of each kind is named in a sentence, singular and plural.
_TIE_WORDS = {
    "family": ("a family member", "family members"),
    "friend": ("a friend", "friends"),
    "neighbour": ("a neighbour", "neighbours"),
    "professional": ("a paid worker", "paid workers"),
    "group": ("a group", "groups"),
    "match": ("a volunteer match", "volunteer matches"),
}
_DIRECT_WORDS = {
    "often_always": "feels lonely often or always",
    "some_of_the_time": "feels lonely some of the time",
    "occasionally": "feels lonely occasionally",
    "hardly_ever": "hardly ever feels lonely",
    "never": "never feels lonely",
}
_NEVER = float("inf")


@dataclass(frozen=True, slots=True)
class PersonAssessment:
    """What the network says about one person, with the reasons in words.

    ``active_ties`` counts active ties by kind: the tie kinds (family,
    friend, neighbour, professional), ``group`` for groups attended and
    ``match`` for active volunteer matches. ``last_active`` is the latest
    activity on any of their ties, active or lapsed (None when never known).
    ``need`` orders a worker's list and is never shown as a score.
    """

    person_id: int
    active_ties: dict[str, int]
    status: str
    reasons: list[str]
    need: tuple
    ucla_total: int | None
    direct: str | None
    measured_on: date | None
    lives_alone: bool | None = None
    last_active: date | None = None
    ties_recorded: int = 0


def _format_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _duration(since: date, today: date) -> str:
    """How long ago ``since`` was, in the plainest unit.

    >>> _duration(date(2025, 1, 15), date(2025, 5, 20))
    '4 months'
    >>> _duration(date(2025, 5, 1), date(2025, 5, 22))
    '3 weeks'
    """
    days = (today - since).days
    if days < 14:
        return _plural(max(days, 0), "day")
    if days < 61:
        return _plural(days // 7, "week")
    months = (today.year - since.year) * 12 + today.month - since.month
    if today.day < since.day:
        months -= 1
    if months < 24:
        return _plural(months, "month")
    return _plural(months // 12, "year")


def _status(active_ties: dict[str, int]) -> str:
    total = sum(active_ties.values())
    if total == 0:
        return "isolated"
    if active_ties.get("professional", 0) == total:
        return "professionals_only"
    if total == 1:
        return "weak"
    return "connected"


def _tie_words(active_ties: dict[str, int]) -> str:
    parts = []
    for kind, (one, many) in _TIE_WORDS.items():
        count = active_ties.get(kind, 0)
        if count:
            parts.append(one if count == 1 else f"{count} {many}")
    return ", ".join(parts)


def _reasons(person, status, active_ties, last_active, recorded, today) -> list[str]:
    reasons = []
    if status == "isolated":
        if not recorded:
            reasons.append("no ties recorded")
        elif last_active is None:
            reasons.append("no active ties (date of last contact not known)")
        else:
            reasons.append(f"no active ties for {_duration(last_active, today)}")
    elif status == "professionals_only":
        reasons.append("only in touch with paid workers or organisations")
    elif status == "weak":
        reasons.append(f"only one active tie: {_tie_words(active_ties)}")
    else:
        total = sum(active_ties.values())
        reasons.append(f"{total} active ties: {_tie_words(active_ties)}")
    if person.lives_alone:
        reasons.append("lives alone")
    when = f" ({_format_date(person.measured_on)})" if person.measured_on else ""
    if person.ucla_total is not None:
        reasons.append(f"UCLA-3 score {person.ucla_total}{when}")
    if person.direct is not None:
        reasons.append(_DIRECT_WORDS.get(person.direct, f"feels lonely: {person.direct}") + when)
    return reasons


def _need(person, status, last_active, today) -> tuple:
    """Most in need first: status, then lonely often or always, then higher
    UCLA total, then living alone, then longest without contact (never or
    unknown counts as longest), then the person's id."""
    days_without = _NEVER if last_active is None else (today - last_active).days
    return (
        _RANK[status],
        0 if person.direct in DIRECT_AT_RISK else 1,
        -(person.ucla_total or 0),
        0 if person.lives_alone else 1,
        -days_without,
        person.id,
    )


def _tie_key(data: dict) -> str:
    if data["kind"] == "tie":
        return data["tie_kind"]
    return "group" if data["kind"] == "attends" else "match"


def _ties_in_graph(neighbours) -> tuple[dict[str, int], date | None, int]:
    """(active ties by kind, last active day, edges recorded) read from the
    adjacency of one person's node in ``build_graph``'s MultiGraph (straight
    from the adjacency: much faster than an edge view, 100,000 times)."""
    active_ties: dict[str, int] = {}
    last_active = None
    recorded = 0
    for keyed in neighbours.values():
        for data in keyed.values():
            if data["kind"] not in PERSON_EDGE_KINDS:
                continue
            recorded += 1
            day = data["last_active"]
            if day is not None and (last_active is None or day > last_active):
                last_active = day
            if data["active"]:
                key = _tie_key(data)
                active_ties[key] = active_ties.get(key, 0) + 1
    return active_ties, last_active, recorded


def assess_people(
    area: Area,
    window_days: int = ACTIVITY_WINDOW_DAYS,
    today: date | None = None,
    graph: nx.MultiGraph | None = None,
) -> dict[int, PersonAssessment]:
    """Assess every person of the area from one network.

    Parameters
    ----------
    area : Area
        The plain records.
    window_days : int
        Ties last active longer ago than this are lapsed (default ``ACTIVITY_WINDOW_DAYS``).
    today : date, optional
        The day to measure from; ``area.today`` when not given.
    graph : networkx.MultiGraph, optional
        The network from ``build_graph(area, window_days, today)`` when the
        caller has built it already, read from it. Without one, the same
        figures are summed over the records as arrays
        (``person_ties.tie_summary``: no graph is built).

    Returns
    -------
    dict
        ``{person id: PersonAssessment}`` for everyone in ``area.people``.

    Examples
    --------
    >>> from betterway_map.domain.network.inputs import PersonRecord
    >>> area = Area(today=date(2025, 6, 1),
    ...             people=[PersonRecord(1, "Ann", "85+", None, None, True, ucla_total=8)])
    >>> found = assess_people(area)[1]
    >>> found.status, found.reasons
    ('isolated', ['no ties recorded', 'lives alone', 'UCLA-3 score 8'])
    """
    today = today or area.today
    if graph is None:
        summary = tie_summary(area, window_days, today)
        ties_of = summary.row
    else:
        adjacency = graph.adj

        def ties_of(person_id: int) -> tuple[dict[str, int], date | None, int]:
            return _ties_in_graph(adjacency[("person", person_id)])

    found = {}
    for person in area.people:
        active_ties, last_active, recorded = ties_of(person.id)
        status = _status(active_ties)
        found[person.id] = PersonAssessment(
            person_id=person.id,
            active_ties=active_ties,
            status=status,
            reasons=_reasons(person, status, active_ties, last_active, recorded, today),
            need=_need(person, status, last_active, today),
            ucla_total=person.ucla_total,
            direct=person.direct,
            measured_on=person.measured_on,
            lives_alone=person.lives_alone,
            last_active=last_active,
            ties_recorded=recorded,
        )
    return found


@dataclass(frozen=True, slots=True)
class PersonStatus:
    """A person's status and direct loneliness answer, without the reasons:
    all that the area's figures read (``at_risk``)."""

    person_id: int
    status: str
    direct: str | None


def person_statuses(
    area: Area, window_days: int = ACTIVITY_WINDOW_DAYS, today: date | None = None
) -> dict[int, PersonStatus]:
    """Every person's status, as ``assess_people`` gives it, without the reasons.

    The statuses are worked out over the arrays of ``person_ties`` at once,
    by the rule of ``_status``, in the same order: no active tie, only
    professional ones, exactly one, more.

    >>> from betterway_map.domain.network.inputs import PersonRecord
    >>> area = Area(today=date(2025, 6, 1),
    ...             people=[PersonRecord(1, "Ann", "85+", None, None, True, direct="never")])
    >>> person_statuses(area)
    {1: PersonStatus(person_id=1, status='isolated', direct='never')}
    """
    today = today or area.today
    summary = tie_summary(area, window_days, today)
    none = np.zeros(len(summary.ids), dtype=np.int64)
    total = sum(summary.active.values(), none)
    professional = summary.active.get("professional", none)
    ranks = np.select(
        [total == 0, professional == total, total == 1],
        [_RANK["isolated"], _RANK["professionals_only"], _RANK["weak"]],
        _RANK["connected"],
    )
    rank_of = dict(zip(summary.ids.tolist(), ranks.tolist(), strict=True))
    return {
        person.id: PersonStatus(person.id, STATUSES[rank_of[person.id]], person.direct)
        for person in area.people
    }


def at_risk(assessment: PersonAssessment | PersonStatus) -> bool:
    """True when the person is isolated or feels lonely often or always.

    >>> at_risk(PersonAssessment(1, {}, "isolated", [], (), None, None, None))
    True
    >>> at_risk(PersonAssessment(2, {"friend": 2}, "connected", [], (), 4, "never", None))
    False
    """
    return assessment.status == "isolated" or assessment.direct in DIRECT_AT_RISK


def by_need(assessments) -> list[PersonAssessment]:
    """Assessments ordered most in need first (a worker's list).

    >>> a = PersonAssessment(1, {"friend": 2}, "connected", [], (3, 1, 0, 1, 0, 1), None, None, None)
    >>> b = PersonAssessment(2, {}, "isolated", [], (0, 1, 0, 1, 0, 2), None, None, None)
    >>> [x.person_id for x in by_need([a, b])]
    [2, 1]
    """
    return sorted(assessments, key=lambda assessment: assessment.need)
