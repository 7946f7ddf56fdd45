"""Test data for organisations, spaces, groups and partnerships.

Each function opens its own application context, writes one record with
sensible defaults (override any column by keyword) and returns its id, so
tests and matrix cases in other files can use them too::

    org_id = make_organisation(app, admin_user_id=user_id)
    space_id = make_space(app, org_id)
    group_id = make_group(app, org_id, space_id=space_id)
"""

from __future__ import annotations

import itertools
from datetime import date, time

from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.register.models import Group, Organisation, OrganisationAdmin, Partnership, Space

__all__ = [
    "make_organisation",
    "make_space",
    "make_group",
    "make_partnership",
    "add_admin",
    "token_headers",
]

_numbers = itertools.count(1)


def make_organisation(app, admin_user_id: int | None = None, **fields) -> int:
    """An organisation (sector "voluntary"), with ``admin_user_id`` as its admin if given."""
    values = {"name": f"Test Organisation {next(_numbers)}", "sector": "voluntary"} | fields
    with app.app_context():
        organisation = Organisation(**values)
        if admin_user_id is not None:
            organisation.admins.append(OrganisationAdmin(user_id=admin_user_id))
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


def add_admin(app, organisation_id: int, user_id: int) -> None:
    """Make ``user_id`` another admin of the organisation."""
    with app.app_context():
        db.session.add(OrganisationAdmin(organisation_id=organisation_id, user_id=user_id))
        db.session.commit()


def make_space(app, organisation_id: int, **fields) -> int:
    """A step-free hall in the fictional demo area, open on Monday mornings."""
    values = {
        "name": f"Test Hall {next(_numbers)}",
        "address": "1 Test Street, Testville",
        "postcode": "ZZ1 1AA",
        "latitude": 51.5,
        "longitude": -0.1,
        "capacity": 40,
        "opening_times": [{"day": "mon", "opens": "09:00", "closes": "12:00"}],
        "step_free": True,
    } | fields
    with app.app_context():
        space = Space(organisation_id=organisation_id, **values)
        db.session.add(space)
        db.session.commit()
        return space.id


def make_group(app, organisation_id: int, space_id: int | None = None, **fields) -> int:
    """An active, free group meeting every Tuesday 10:00–12:00 (online when no space)."""
    values = {
        "name": f"Test Group {next(_numbers)}",
        "interests": ["social"],
        "audiences": ["everyone"],
        "space_id": space_id,
        "online": space_id is None,
        "online_url": None if space_id else "https://meet.example.org/test",
        "frequency": "weekly",
        "weekday": "tue",
        "start_time": time(10),
        "end_time": time(12),
        "starts_on": date(2026, 1, 6),
        "cost_pence": 0,
        "status": "active",
    } | fields
    with app.app_context():
        group = Group(organisation_id=organisation_id, **values)
        db.session.add(group)
        db.session.commit()
        return group.id


def make_partnership(
    app,
    organisation_id: int,
    partner_id: int,
    kind: str = "joint_work",
    *,
    pending: bool = False,
    **fields,
) -> int:
    """A partnership recorded by ``organisation_id``: confirmed by the partner
    (so public), unless ``pending``."""
    if not pending:
        fields.setdefault("confirmed_at", utcnow())
    with app.app_context():
        partnership = Partnership(
            organisation_id=organisation_id, partner_id=partner_id, kind=kind, **fields
        )
        db.session.add(partnership)
        db.session.commit()
        return partnership.id


def token_headers(app, user_id: int) -> dict:
    """Headers that authenticate API calls as ``user_id`` with a new bearer token."""
    from betterway_map.accounts.services.sessions import issue_api_token

    with app.app_context():
        return {"Authorization": f"Bearer {issue_api_token(user_id)}"}
