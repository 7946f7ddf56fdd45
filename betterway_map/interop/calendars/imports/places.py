"""An event's ``LOCATION`` matched to one of the organisation's spaces.

Calendars hold where as free words ("St Mark's Hall, 12 Church Lane, ZZ1
1AB"). They match a space by its name (the whole text, or its first part
before a comma, ignoring case, punctuation and "&" for "and") or, failing
that, by its postcode appearing in the text; a name or postcode that several
spaces share is narrowed by the other, and otherwise reported as ambiguous,
never guessed. A ``LOCATION`` that is a web address is an online meeting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["SpaceRef", "Where", "where"]

_WEB = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class SpaceRef:
    id: int
    name: str
    postcode: str


@dataclass(frozen=True)
class Where:
    """The space it matched, or a web address to join online, or the words
    that matched nothing (``unmatched``), or several spaces it could be."""

    space_id: int | None = None
    online_url: str | None = None
    unmatched: str | None = None
    ambiguous: tuple[str, ...] = ()


@lru_cache(maxsize=4096)  # a calendar names the same few places again and again
def _words(text: str) -> str:
    """
    >>> _words("St Mark's  Church-Hall & Garden")
    'st marks church hall and garden'
    """
    text = text.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@lru_cache(maxsize=4096)
def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def where(location: str, spaces: Sequence[SpaceRef]) -> Where:
    """Where ``location`` is among ``spaces``.

    >>> spaces = [SpaceRef(1, "St Mark's Hall", "ZZ1 1AB"), SpaceRef(2, "Library", "ZZ2 2CD")]
    >>> where("St Marks Hall, 12 Church Lane", spaces).space_id
    1
    >>> where("Unit 4, ZZ2 2CD", spaces).space_id
    2
    >>> where("The Old Barn", spaces).unmatched
    'The Old Barn'
    >>> where("https://meet.example.org/abc", spaces).online_url
    'https://meet.example.org/abc'
    """
    location = location.strip()
    if not location:
        return Where()
    if _WEB.match(location):
        return Where(online_url=location)
    whole, first = _words(location), _words(location.split(",")[0])
    by_name = [s for s in spaces if _words(s.name) in (whole, first)]
    squashed = _squashed(location)
    by_postcode = [s for s in spaces if len(s.postcode) >= 5 and _squashed(s.postcode) in squashed]
    found = by_name or by_postcode
    if len(found) > 1:
        other = by_postcode if by_name else [s for s in found if _words(s.name) in whole]
        narrowed = [s for s in found if s in other]
        found = narrowed if narrowed else found
    if len(found) == 1:
        return Where(space_id=found[0].id)
    if found:
        return Where(unmatched=location, ambiguous=tuple(s.name for s in found))
    return Where(unmatched=location)
