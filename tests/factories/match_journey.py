"""A small world for the journey of a match: a volunteer and a person, each
with their own account and their own worker, and a proposal between them.

    world = make_world(app)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)

The person's private details are distinctive words that a test can look
for in a page or an email (``SECRETS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer

__all__ = [
    "World",
    "make_world",
    "as_user",
    "ACCEPT",
    "DECLINE",
    "PERSON_SECRETS",
    "VOLUNTEER_SECRETS",
]

ACCEPT = {"answer": "accept"}
DECLINE = {"answer": "decline", "reason": "Not the right time for me."}
PERSON_SECRETS = ("Quillfeather", "7 Hidden Lane", "0113 496 0001", "LS2 7EY", "likes rook pie")
VOLUNTEER_SECRETS = ("Brackenbury", "9 Vale Close", "0113 496 0999", "LS1 4AP")


@dataclass(frozen=True)
class World:
    volunteer_user: int
    person_user: int | None
    volunteer_worker: int
    person_worker: int
    volunteer_id: int
    request_id: int
    match_id: int


def make_world(
    app,
    status: str = "proposed",
    *,
    person_account: bool = True,
    volunteer_account: bool = True,
    request: dict | None = None,
    **volunteer,
) -> World:
    """Vera (a volunteer) proposed to Iris; each has an account (unless told)
    and a worker of their own."""
    volunteer_worker = make_user(app, "worker", name="Wanda")
    person_worker = make_user(app, "worker", name="Pat")
    volunteer_user = make_user(app, "resident", name="Vera") if volunteer_account else None
    person_user = make_user(app, "resident", name="Iris") if person_account else None
    volunteer_id = make_volunteer(
        app,
        volunteer_worker,
        person={
            "user_id": volunteer_user,
            "last_name": "Brackenbury",
            "address": "9 Vale Close",
            "phone": "0113 496 0999",
        },
        **volunteer,
    )
    request_id = make_request(
        app,
        person_worker,
        person={
            "user_id": person_user,
            "last_name": "Quillfeather",
            "address": "7 Hidden Lane",
            "phone": "0113 496 0001",
        },
        notes="She likes rook pie.",
        **(request or {}),
    )
    match_id = make_match(app, request_id, volunteer_id, status=status)
    return World(
        volunteer_user,
        person_user,
        volunteer_worker,
        person_worker,
        volunteer_id,
        request_id,
        match_id,
    )


def as_user(app, user_id: int, action, *args):
    """Call a service ``action(user, *args)`` as ``user_id``, in its own
    application context (a test request context, so that ``current_app``
    and the mail outbox work)."""
    with app.test_request_context():
        user = db.session.get(User, user_id)
        try:
            return action(user, *args)
        finally:
            db.session.rollback()
