"""Matrix cases for organisations, spaces, groups and partnerships (helper A).

Reads are public (any role, anyone's record). Writes need org_admin and,
for a record, to administer its organisation: ``record`` makes an
organisation whose admin is the owner, and what hangs off it.
"""

from tests.authorisation.matrix import PUBLIC, Case, roles
from tests.conftest import make_user
from tests.factories.organisations import (
    add_admin,
    make_group,
    make_organisation,
    make_partnership,
    make_space,
)

ORG_ADMIN = roles("org_admin")


def _organisation(app, owner):
    return {"organisation_id": make_organisation(app, owner)}


def _space(app, owner):
    return {"space_id": make_space(app, make_organisation(app, owner))}


def _group(app, owner):
    organisation_id = make_organisation(app, owner)
    return {"group_id": make_group(app, organisation_id, make_space(app, organisation_id))}


def _partnership(app, owner):
    organisation_id = make_organisation(app, owner)
    partnership_id = make_partnership(app, organisation_id, make_organisation(app))
    return {"organisation_id": organisation_id, "partnership_id": partnership_id}


def _partnership_to_confirm(app, owner):
    """A partnership another organisation recorded, pending, with the owner's
    organisation as the partner: the owner may confirm or decline it."""
    organisation_id = make_organisation(app, owner)
    partnership_id = make_partnership(app, make_organisation(app), organisation_id, pending=True)
    return {"organisation_id": organisation_id, "partnership_id": partnership_id}


def _co_admin(app, owner):
    organisation_id = make_organisation(app, owner)
    other = make_user(app, "org_admin")
    add_admin(app, organisation_id, other)
    return {"organisation_id": organisation_id, "user_id": other}


def _read(endpoint, record=None):
    return Case(endpoint, allowed=PUBLIC, record=record, others_allowed=record is not None)


def _write(endpoint, method="POST", record=None, data=None):
    return Case(endpoint, method=method, allowed=ORG_ADMIN, record=record, data=data or {})


PARTNERSHIP = {"partner_id": 1, "kind": "joint_work"}

CASES = [
    # Pages
    _read("organisations.index"),
    _read("organisations.detail", _organisation),
    _write("organisations.new", "GET"),
    _write("organisations.new"),
    _write("organisations.edit", "GET", _organisation),
    _write("organisations.edit", record=_organisation),
    _write("organisations.manage", "GET", _organisation),
    _write("organisations.add_admin", record=_organisation),
    _write("organisations.remove_admin", record=_co_admin),
    _write("organisations.new_partnership", "GET", _organisation),
    _write("organisations.new_partnership", record=_organisation),
    _write("organisations.remove_partnership", record=_partnership),
    _write("organisations.confirm_partnership", record=_partnership_to_confirm),
    _write("organisations.decline_partnership", record=_partnership_to_confirm),
    _read("spaces.index"),
    _read("spaces.detail", _space),
    _write("spaces.new", "GET", _organisation),
    _write("spaces.new", record=_organisation),
    _write("spaces.edit", "GET", _space),
    _write("spaces.edit", record=_space),
    _write("spaces.delete", "GET", _space),
    _write("spaces.delete", record=_space),
    _read("groups.index"),
    _read("groups.detail", _group),
    _write("groups.new", "GET", _organisation),
    _write("groups.new", record=_organisation),
    _write("groups.edit", "GET", _group),
    _write("groups.edit", record=_group),
    _write("groups.status", record=_group, data={"status": "paused"}),
    _write("groups.checked", record=_group),
    _write("groups.delete", "GET", _group),
    _write("groups.delete", record=_group),
    # API
    _read("api_organisations.list_organisations"),
    _read("api_organisations.get_organisation", _organisation),
    _write("api_organisations.create_organisation"),
    _write("api_organisations.update_organisation", "PATCH", _organisation),
    _read("api_organisations.list_partnerships", _organisation),
    _write("api_organisations.create_partnership", record=_organisation, data=PARTNERSHIP),
    _write("api_organisations.delete_partnership", "DELETE", _partnership),
    _write("api_organisations.list_pending_partnerships", "GET", _organisation),
    _write("api_organisations.confirm_partnership", record=_partnership_to_confirm),
    _read("api_spaces.list_spaces"),
    _read("api_spaces.get_space", _space),
    _write("api_spaces.create_space"),
    _write("api_spaces.update_space", "PATCH", _space),
    _write("api_spaces.delete_space", "DELETE", _space),
    _read("api_groups.list_groups"),
    _read("api_groups.get_group", _group),
    _write("api_groups.create_group"),
    _write("api_groups.update_group", "PATCH", _group),
    _write("api_groups.delete_group", "DELETE", _group),
]
