"""The organisations an admin can choose as a partner: found by part of the
name, never a list of every organisation on the register.

Names that begin with what was typed come first, then the others that
contain it, each by name; at most ``PARTNER_LIST_LIMIT``, and ``more`` says
when others matched too. The search ignores case and takes ``%`` and ``_``
literally (``database.contains``), as the organisations' list does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from betterway_map.database import contains, starts_with
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.register.models import Organisation

__all__ = ["PARTNER_LIST_LIMIT", "MAX_NAME_SEARCH", "PartnerChoices", "partner_choices"]

PARTNER_LIST_LIMIT = 20
MAX_NAME_SEARCH = 100


@dataclass(frozen=True)
class PartnerChoices:
    """What a search for ``name`` found (nothing is searched for an empty name)."""

    name: str
    organisations: list[Organisation] = field(default_factory=list)
    # More organisations matched than are listed.
    more: bool = False
    limit: int = PARTNER_LIST_LIMIT


def partner_choices(
    organisation_id: int, name: str | None, *, limit: int = PARTNER_LIST_LIMIT
) -> PartnerChoices:
    """Other organisations whose name contains ``name``, for ``organisation_id``
    to choose its partner from."""
    name = (name or "").strip()
    if len(name) > MAX_NAME_SEARCH:
        message = (
            f"Use at most {MAX_NAME_SEARCH} characters to search for an organisation's name, "
            f"not {len(name)}: part of the name is enough."
        )
        raise InvalidInput(message, {"q": [message]})
    if not name:
        return PartnerChoices(name="", limit=limit)
    lowered = func.lower(Organisation.name)
    wanted = name.lower()
    rows = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.id != organisation_id, contains(lowered, wanted))
            .order_by(case((starts_with(lowered, wanted), 0), else_=1), lowered, Organisation.id)
            .limit(limit + 1)
        )
    )
    return PartnerChoices(name, rows[:limit], len(rows) > limit, limit)
