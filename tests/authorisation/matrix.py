"""The authorisation matrix: every route × every role × someone else's record.

Each feature describes its routes in a module ``tests/matrix_<feature>.py``
that defines ``CASES``, a list of ``Case``. ``test_authorisation_matrix.py``
collects them all, fails if any route of the app has no case, and checks for
each case and each role (and for nobody signed in):

* a user holding an allowed role may use the route on a record of their own;
* a user holding any other role is refused (403, or 404 where a record's
  existence is itself private);
* a user holding an allowed role is refused on a record that belongs to
  someone else of the same role, unless ``others_allowed`` (public records,
  or records every holder of the role manages);
* nobody signed in is sent to sign in (pages) or answered 401 (API), unless
  the route is public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from betterway_map.domain import vocab

ALL_ROLES = vocab.values(vocab.ROLES)
PUBLIC = "public"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str = "GET"
    # A set of roles, or PUBLIC (anyone, signed in or not), or SIGNED_IN (any role).
    allowed: frozenset[str] | str = SIGNED_IN
    # record(app, owner_user_id) -> URL values for a record that owner may use,
    # creating whatever it needs. None for routes without a record.
    record: Callable | None = None
    # True where any allowed user may use anyone's record: public records (a
    # group's page) and records every holder of the role manages (a site
    # admin manages every user).
    others_allowed: bool = False
    # Form fields (pages) or JSON body (API) for writes; validity does not
    # matter to the matrix, only who gets past the access checks. A date is
    # ``tests.factories.days.FromToday``, made a date when the case runs.
    data: dict = field(default_factory=dict)
    # unavailable() -> the reason the route cannot answer on this machine
    # (e.g. the map files are not installed), or None; the case then skips.
    unavailable: Callable | None = None

    @property
    def is_api(self) -> bool:
        return self.endpoint.startswith("api_")

    def allows(self, role: str | None) -> bool:
        if self.allowed == PUBLIC:
            return True
        if role is None:
            return False
        if self.allowed == SIGNED_IN:
            return True
        return role in self.allowed


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)
