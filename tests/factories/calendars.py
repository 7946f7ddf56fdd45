"""Calendar files (.ics) for tests that import through the pages, dated from
today so that nothing in them is over: a weekly group starting next week
with one meeting left out (EXDATE) and one moved (RECURRENCE-ID), a single
event next month, and a rule the register cannot say."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from betterway_map.domain.clock import today_in_uk

__all__ = ["upcoming_calendar", "first_weekday_after"]


def first_weekday_after(day: date, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) after ``day``."""
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def _stamp(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).strftime("%Y%m%dT%H%M%S")


def upcoming_calendar(today: date | None = None, *, hall: str = "St Mark's Hall") -> bytes:
    """Knit and Natter every Tuesday 10am-12pm from next Tuesday at ``hall``
    (its second meeting left out, its third moved to the Thursday at 2pm);
    a Quiz Night in about a month; Chair Yoga on Mondays and Thursdays."""
    today = today or today_in_uk()
    tuesday = first_weekday_after(today, 1)
    second, third = tuesday + timedelta(days=7), tuesday + timedelta(days=14)
    quiz = today + timedelta(days=30)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Better Way Map tests//EN",
        "BEGIN:VEVENT",
        "UID:knit-and-natter@example.org",
        f"DTSTART;TZID=Europe/London:{_stamp(tuesday, 10)}",
        f"DTEND;TZID=Europe/London:{_stamp(tuesday, 12)}",
        "RRULE:FREQ=WEEKLY;BYDAY=TU",
        f"EXDATE;TZID=Europe/London:{_stamp(second, 10)}",
        "SUMMARY:Knit and Natter",
        f"LOCATION:{hall}",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:knit-and-natter@example.org",
        f"RECURRENCE-ID;TZID=Europe/London:{_stamp(third, 10)}",
        f"DTSTART;TZID=Europe/London:{_stamp(third + timedelta(days=2), 14)}",
        f"DTEND;TZID=Europe/London:{_stamp(third + timedelta(days=2), 16)}",
        "SUMMARY:Knit and Natter",
        f"LOCATION:{hall}",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:quiz-night@example.org",
        f"DTSTART;TZID=Europe/London:{_stamp(quiz, 19, 30)}",
        f"DTEND;TZID=Europe/London:{_stamp(quiz, 21, 30)}",
        "SUMMARY:Quiz Night",
        "LOCATION:The Crown\\, High Street",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:chair-yoga@example.org",
        f"DTSTART;TZID=Europe/London:{_stamp(tuesday - timedelta(days=1), 10)}",
        f"DTEND;TZID=Europe/London:{_stamp(tuesday - timedelta(days=1), 11)}",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
        "SUMMARY:Chair Yoga",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()
