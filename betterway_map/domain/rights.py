"""Data protection rights: the pure rules of erasure and retention review.

No Flask, no database: the services hand in plain values.

An erased person leaves only anonymous traces: a tie someone else recorded
to them keeps its kind and dates under ``ANONYMOUS_LABEL``, and an audit
entry that named them by record number keeps its action and time, with the
number replaced by ``ERASED`` (``scrub_detail``). Record numbers are scrubbed
even though they name no one by themselves, because SQLite may give the
erased person's number to the next person registered, whose subject access
export would then show entries about someone else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

__all__ = [
    "ANONYMOUS_LABEL",
    "ERASED",
    "DEFAULT_RETENTION_REVIEW_DAYS",
    "scrub_detail",
    "mentions",
    "last_activity",
    "due_for_review",
]

ANONYMOUS_LABEL = "someone no longer on the register"
ERASED = "erased"
# Two years without any activity: the person is listed for a retention review.
DEFAULT_RETENTION_REVIEW_DAYS = 730


def scrub_detail(detail: str | None, person_id: int, user_id: int | None = None) -> str | None:
    """An audit entry's detail with the erased person's record number (and
    their account's number, when it is erased too) replaced by ``ERASED``.

    The details name people as ``person=12``, ``about person 12``, in lists
    ``ids=3,12,5`` and accounts as ``to user 7`` or ``user=7``; other numbers
    (groups, matches of others) are left alone.

    >>> scrub_detail("person=12 measures", 12)
    'person=erased measures'
    >>> scrub_detail("caseload: n=3 ids=3,12,120", 12)
    'caseload: n=3 ids=3,erased,120'
    >>> scrub_detail("person=120 group=12", 12)
    'person=120 group=12'
    >>> scrub_detail("to user 7 about attendance 3", 12, 7)
    'to user erased about attendance 3'
    >>> scrub_detail(None, 12) is None
    True
    """
    if not detail:
        return detail
    number = re.escape(str(person_id))
    text = re.sub(rf"(\bperson[= ]){number}\b", rf"\g<1>{ERASED}", detail)
    text = re.sub(r"\bids=[0-9,]+", lambda m: _scrub_ids(m.group(0), person_id), text)
    if user_id is not None:
        account = re.escape(str(user_id))
        text = re.sub(rf"(\buser[= ]){account}\b", rf"\g<1>{ERASED}", text)
    return text


def _scrub_ids(listed: str, person_id: int) -> str:
    ids = listed[len("ids=") :].split(",")
    return "ids=" + ",".join(ERASED if part == str(person_id) else part for part in ids)


def mentions(text: str | None, needles: Iterable[str]) -> bool:
    """Whether ``text`` holds any of ``needles`` (ignoring case; empty or
    very short needles never match, so that "Al" does not match "Also").

    >>> mentions("A welcome for Winifred Secretname", ["Winifred Secretname"])
    True
    >>> mentions("Hello", ["", "x"])
    False
    """
    if not text:
        return False
    lowered = text.lower()
    return any(len(n.strip()) >= 3 and n.strip().lower() in lowered for n in needles)


def last_activity(dates: Iterable[date | None]) -> date | None:
    """The latest of the dates something happened (None when nothing did).

    >>> last_activity([date(2024, 1, 2), None, date(2025, 3, 1)])
    datetime.date(2025, 3, 1)
    >>> last_activity([None]) is None
    True
    """
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def due_for_review(last: date | None, today: date, days: int) -> bool:
    """Whether a person whose last activity was ``last`` is due for review:
    nothing happened in the last ``days`` days.

    >>> due_for_review(date(2023, 1, 1), date(2025, 1, 2), 730)
    True
    >>> due_for_review(date(2024, 1, 1), date(2025, 1, 2), 730)
    False
    """
    return last is None or last < today - timedelta(days=days)
