"""Matrix cases for calendar feeds and printed sheets.

Feeds are public, as the pages they come from; so is the sheet of a
search. A person's sheets (what is on near them, their summary) are for
the person themself (a resident) and the workers assigned to them: anyone
else's person answers 404.
"""

from tests.authorisation.matrix import PUBLIC, Case, roles
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.people import person_of


def _organisation(app, owner):
    return {"organisation_id": make_organisation(app)}


def _group(app, owner):
    organisation_id = make_organisation(app)
    return {"group_id": make_group(app, organisation_id, make_space(app, organisation_id))}


def _person_with_a_home(app, owner):
    """A person the owner may see (their own, or assigned to them), with a home."""
    from betterway_map.extensions import db
    from betterway_map.people.models import Person

    person_id = person_of(app, owner)
    with app.app_context():
        person = db.session.get(Person, person_id)
        person.latitude, person.longitude, person.postcode = 52.45, -0.98, "ZZ1 1AA"
        db.session.commit()
    return {"person_id": person_id}


CASES = [
    Case("calendars.group", allowed=PUBLIC, record=_group, others_allowed=True),
    Case("calendars.organisation", allowed=PUBLIC, record=_organisation, others_allowed=True),
    Case("calendars.nearby", allowed=PUBLIC),
    Case("sheets.nearby", allowed=PUBLIC),
    Case("sheets.person", allowed=roles("worker", "resident"), record=_person_with_a_home),
    Case("sheets.summary", allowed=roles("worker", "resident"), record=_person_with_a_home),
]
