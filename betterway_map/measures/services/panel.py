"""A relationship's recent contacts and rhythm, for a panel on a page of
another capability (the match page, a worker's person page), which cannot
import this one: ``create_app`` gives the pages ``relationship_panel``.

Reading only, and nothing private: the notes stay on the contacts page.
"""

from __future__ import annotations

from dataclasses import dataclass

from betterway_map.accounts.models import User
from betterway_map.measures.permissions import feedback_sides
from betterway_map.measures.services.contacts import RECENT, ContactLine, recent_contacts
from betterway_map.measures.services.rhythms import RhythmView, rhythm_in_force

__all__ = ["Panel", "panel"]


@dataclass(frozen=True)
class Panel:
    kind: str
    ids: dict
    name: str
    contacts: list[ContactLine]
    rhythm: RhythmView
    may_record: bool
    may_give_feedback: bool
    started: bool


def panel(user: User, limit: int = RECENT, **ids) -> Panel | None:
    """The panel of the relationship ``ids`` name, or None when ``user`` has no part in it."""
    found = recent_contacts(user, limit, **ids)
    if found is None:
        return None
    relationship = found.relationship
    match = relationship.match
    started = match is None or (
        match.started_on is not None and match.status in ("active", "ended")
    )
    return Panel(
        kind=relationship.kind,
        ids=relationship.ids,
        name=relationship.name,
        contacts=found.contacts,
        rhythm=rhythm_in_force(relationship),
        may_record=found.may_record and started,
        may_give_feedback=bool(feedback_sides(relationship)) and started,
        started=started,
    )
