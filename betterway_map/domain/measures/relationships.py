"""What is recorded within a relationship: contacts, the agreed rhythm and
feedback on the marks of a good relationship. Pure rules, no Flask.

The six marks (understanding, collaboration, commitment, communication,
empowerment, time together) are asked as plain statements, agreed with on
a five-point scale, worded once for the person supported and once for the
volunteer or worker. A mark is 1 (strongly disagree) to 5 (strongly agree);
a mark left out is "not answered", never a 0.
"""

from __future__ import annotations

from datetime import date, time

__all__ = [
    "MARKS",
    "MARK_SCALE",
    "MARK_MIN",
    "MARK_MAX",
    "MAX_DURATION_MIN",
    "QUICK_DURATIONS_MIN",
    "RHYTHM_FREQUENCIES",
    "mark_problem",
    "duration_problem",
    "contact_date_problem",
    "rhythm_from_request",
    "rhythm_from_schedule",
    "statements",
]

MARK_MIN, MARK_MAX = 1, 5
MARK_SCALE = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)

# (mark, what it is called, the statement for the person supported, the
# statement for the volunteer or worker). ``{other}`` is the other side:
# "my volunteer", "my community worker", "the people at the group" /
# "the person I support".
MARKS = (
    (
        "understanding",
        "Understanding",
        "{other} understands what matters to me.",
        "I understand what matters to {other}.",
    ),
    (
        "collaboration",
        "Working together",
        "We decide things together.",
        "We decide things together.",
    ),
    (
        "commitment",
        "Commitment",
        "I can count on {other} to be there when we agreed.",
        "{other} can count on me to be there when we agreed.",
    ),
    (
        "communication",
        "Talking and listening",
        "{other} listens to me, and I can say what I think.",
        "I listen to {other}, and they can say what they think.",
    ),
    (
        "empowerment",
        "Doing more for myself",
        "Since we met I feel more able to do the things I want to do.",
        "Since we met {other} seems more able to do the things they want to do.",
    ),
    (
        "time_together",
        "Time together",
        "We have enough time together.",
        "We have enough time together.",
    ),
)

# A contact lasts at most a day; quick choices on the form, in minutes.
MAX_DURATION_MIN = 24 * 60
QUICK_DURATIONS_MIN = (15, 30, 60)
# The rhythms a relationship can agree (vocab.SUPPORT_FREQUENCIES without "once").
RHYTHM_FREQUENCIES = (
    ("weekly", "Every week"),
    ("fortnightly", "Every two weeks"),
    ("monthly", "Every month"),
)


def mark_problem(name: str, value) -> str | None:
    """Why ``value`` is not a mark for ``name``, or None (None itself is "not answered").

    >>> mark_problem("commitment", 6)
    '6 is not a mark for commitment: give a whole number from 1 (strongly disagree) to 5 (strongly agree), or leave it unanswered.'
    >>> mark_problem("commitment", 5) is None and mark_problem("commitment", None) is None
    True
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MARK_MIN <= value <= MARK_MAX:
        return (
            f"{value!r} is not a mark for {name.replace('_', ' ')}: give a whole number from "
            f"{MARK_MIN} (strongly disagree) to {MARK_MAX} (strongly agree), or leave it "
            "unanswered."
        )
    return None


def duration_problem(minutes) -> str | None:
    """Why ``minutes`` is not how long a contact lasted, or None (None: not said).

    >>> duration_problem(-5)
    '-5 minutes is not a duration: give the minutes the contact lasted, from 1 to 1440 (a whole day).'
    >>> duration_problem(30) is None
    True
    """
    if minutes is None:
        return None
    if not 1 <= minutes <= MAX_DURATION_MIN:
        return (
            f"{minutes} minutes is not a duration: give the minutes the contact lasted, from 1 "
            f"to {MAX_DURATION_MIN} (a whole day)."
        )
    return None


def contact_date_problem(
    day: date, today: date, *, started_on: date | None = None, ended_on: date | None = None
) -> str | None:
    """Why a contact cannot be on ``day``, or None: not after today, and
    within the relationship (a match from its start to its end).

    >>> contact_date_problem(date(2030, 1, 2), date(2030, 1, 1))
    '2030-01-02 is in the future: give the day the contact happened, today (2030-01-01) or earlier.'
    >>> contact_date_problem(date(2029, 12, 1), date(2030, 1, 1), started_on=date(2029, 12, 5))
    '2029-12-01 is before the relationship started on 2029-12-05: give a day from 2029-12-05.'
    >>> contact_date_problem(date(2029, 12, 6), date(2030, 1, 1), started_on=date(2029, 12, 5)) is None
    True
    """
    if day > today:
        return (
            f"{day.isoformat()} is in the future: give the day the contact happened, today "
            f"({today.isoformat()}) or earlier."
        )
    if started_on is not None and day < started_on:
        return (
            f"{day.isoformat()} is before the relationship started on {started_on.isoformat()}: "
            f"give a day from {started_on.isoformat()}."
        )
    if ended_on is not None and day > ended_on:
        return (
            f"{day.isoformat()} is after the relationship ended on {ended_on.isoformat()}: "
            f"give a day up to {ended_on.isoformat()}."
        )
    return None


def rhythm_from_request(frequency: str | None, duration_min: int | None) -> tuple[str, int | None]:
    """The rhythm a match starts with, from what its request asked for; a
    one-off request ("once") has no rhythm, so weekly is proposed.

    >>> rhythm_from_request("fortnightly", 60), rhythm_from_request("once", 30)
    (('fortnightly', 60), ('weekly', 30))
    """
    known = {value for value, _ in RHYTHM_FREQUENCIES}
    return (frequency if frequency in known else "weekly"), duration_min


def rhythm_from_schedule(frequency: str, start_time: time, end_time: time) -> tuple[str, int]:
    """A group member's rhythm, from when the group meets: its recurrence
    (``domain.schedule``: weekly, fortnightly or monthly) and the length of a meeting.

    >>> rhythm_from_schedule("monthly", time(10), time(11, 30))
    ('monthly', 90)
    """
    minutes = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
    return frequency, max(minutes, 1)


def statements(side: str, other: str) -> list[tuple[str, str, str]]:
    """The six statements for one side, as ``(mark, what it is called,
    statement)``: the person's wording for side "person", else the
    volunteer's or worker's; ``other`` names the other side.

    >>> statements("person", "Vera")[0]
    ('understanding', 'Understanding', 'Vera understands what matters to me.')
    >>> statements("volunteer", "Iris")[2][2]
    'Iris can count on me to be there when we agreed.'
    """
    found = []
    for name, label, for_person, for_helper in MARKS:
        text = (for_person if side == "person" else for_helper).format(other=other)
        found.append((name, label, text[:1].upper() + text[1:]))
    return found
