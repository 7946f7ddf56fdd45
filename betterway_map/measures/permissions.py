"""Who may see which measures.

* An organisation's figures: its admins, council viewers and site admins.
* Continuity warnings: a community worker, for their own caseload only.
* The area's figures: council viewers and site admins.

Role checks on routes happen in ``web.access``; these answer for the services.
"""

from __future__ import annotations

from betterway_map.accounts.models import User
from betterway_map.errors import Forbidden
from betterway_map.register.permissions import administers_organisation

__all__ = ["AREA_ROLES", "require_area_viewer", "require_organisation_viewer", "require_worker"]

AREA_ROLES = ("council", "site_admin")


def require_area_viewer(user: User) -> None:
    if not user.has_role(*AREA_ROLES):
        raise Forbidden("Only council viewers and site admins can see the area's measures.")


def require_organisation_viewer(user: User, organisation_id: int) -> None:
    if user.has_role(*AREA_ROLES) or administers_organisation(user, organisation_id):
        return
    raise Forbidden(
        f"You are not an admin of organisation {organisation_id}, so you cannot see its measures."
    )


def require_worker(user: User) -> None:
    if not user.has_role("worker"):
        raise Forbidden("Only community workers have a caseload to see warnings for.")
