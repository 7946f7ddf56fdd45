"""The volunteering roles, read from the register (see ``mapping`` for which).

One query for the groups with their spaces and organisations; nothing about
a person is read.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from betterway_map.database import json_list_contains
from betterway_map.extensions import db
from betterway_map.interop.volunteering import mapping
from betterway_map.interop.volunteering.mapping import Links
from betterway_map.register.models import Group

__all__ = ["roles_document"]


def roles_document(links: Links, publisher: str) -> dict:
    """Every active group with the volunteering interest, as one JSON-LD document."""
    groups = list(
        db.session.scalars(
            select(Group)
            .where(
                Group.status == "active",
                json_list_contains(Group.interests, mapping.VOLUNTEERING_INTEREST),
            )
            .options(selectinload(Group.space), selectinload(Group.organisation))
            .order_by(Group.id)
        )
    )
    moments = [
        moment
        for group in groups
        for moment in (
            group.updated_at,
            group.organisation.updated_at,
            group.space.updated_at if group.space is not None else None,
        )
        if moment is not None
    ]
    modified = max(moments).date() if moments else None
    return mapping.document(groups, links, publisher=publisher, modified=modified)
