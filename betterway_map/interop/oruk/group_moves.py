"""A service found again by its ORUK id in another organisation than the
one it is now run by: its group moves there (``importing``).

The group keeps its id, so its meetings (cancelled, moved, one-off) and the
people who attend it go with it; its one-off meetings are the new
organisation's. Only an importer who may change both organisations moves
it: the command line, a site admin, or an admin of both.
"""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.register.models import Group, Organisation
from betterway_map.register.permissions import administers_organisation
from betterway_map.register.services.imports import ImportReport

__all__ = ["groups_by_ref", "move_group"]

# Bound parameters per query, well under SQLite's limit.
_REFS_PER_QUERY = 500


def groups_by_ref(source: str, owners: dict[str, int | None]) -> dict[str, Group]:
    """The groups already imported from ``source`` for these services
    (``owners``: each service's ref and the organisation it joins), in
    whatever organisation; where one ref has groups in several (imported
    before groups moved), the one in its organisation now, else the first."""
    refs, found = sorted(owners), {}
    for start in range(0, len(refs), _REFS_PER_QUERY):
        query = select(Group).where(
            Group.source == source, Group.source_ref.in_(refs[start : start + _REFS_PER_QUERY])
        )
        for group in db.session.scalars(query):
            found.setdefault(group.source_ref, []).append(group)
    chosen = {}
    for ref, groups in found.items():
        groups.sort(key=lambda group: (group.organisation_id != owners[ref], group.id))
        chosen[ref] = groups[0]
    return chosen


def _may_change(user: User | None, organisation_id: int) -> bool:
    """Whether the importer may change the organisation's records (None: the command line)."""
    return (
        user is None
        or user.has_role("site_admin")
        or administers_organisation(user, organisation_id)
    )


def move_group(
    group: Group, organisation_id: int, user: User | None, report: ImportReport, label: str
) -> bool:
    """Move ``group`` to ``organisation_id`` with its one-off meetings,
    noted in the report and audited; False (and a skip in the report, saying
    why) when ``user`` may not change the organisation it is in."""
    old = group.organisation
    if not _may_change(user, old.id):
        report.skip(
            label,
            f"it was imported into {old.name}, which you do not administer, and is now run by "
            "another organisation: an admin of both, or a site admin, can import it to move it",
        )
        return False
    new = db.session.get(Organisation, organisation_id)
    group.organisation_id = organisation_id
    for one_off in group.one_offs:
        one_off.organisation_id = organisation_id
    report.note(label, f"moved from {old.name} to {new.name}, with its meetings")
    user_id = user.id if user is not None else None
    audit.record(user_id, "move", "group", group.id, f"organisation {old.id} to {organisation_id}")
    return True
