"""A worker's list by need: filtered by status and in pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.network.worker import my_people_page
from tests.factories.person_records import assigned_person, tie_of


def _names(page: str) -> list[str]:
    return re.findall(r'/people/\d+">([^<]+)<', page.split("<tbody>", 1)[1])


@pytest.fixture()
def caseload(app, signed_in):
    """Ada and Bea have no ties (isolated); Cy has a friend and a neighbour
    seen today (connected)."""
    client, worker = signed_in("worker")
    people = {name: assigned_person(app, worker, first_name=name) for name in ("Ada", "Bea", "Cy")}
    tie_of(app, people["Cy"], kind="friend", last_contact_on=today_in_uk())
    tie_of(app, people["Cy"], kind="neighbour", last_contact_on=today_in_uk())
    return client, worker, people


def test_the_list_can_show_one_status_and_counts_each(caseload):
    client, _, _ = caseload
    page = client.get("/network/my-people?status=isolated").get_data(as_text=True)
    assert sorted(_names(page)) == ["Ada", "Bea"]
    assert re.search(r'value="isolated" selected>[^<]*\(2\)', page)
    assert re.search(r'value="connected">[^<]*\(1\)', page)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=lonely", "'lonely' is not a status"),
        ("page=9", "no page 9"),
        ("page=two", "'two' is not a page number"),
    ],
)
def test_bad_filters_are_refused_naming_the_value(caseload, query, message):
    client, _, _ = caseload
    response = client.get(f"/network/my-people?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_pages_split_the_list_and_only_the_people_shown_are_audited(app, caseload):
    client, worker, people = caseload
    with app.test_request_context():
        user = db.session.get(User, worker)
        first = my_people_page(user, page=1, page_size=2)
        second = my_people_page(user, page=2, page_size=2)
        with pytest.raises(InvalidInput):
            my_people_page(user, page=3, page_size=2)
        audited = db.session.scalars(
            select(AuditEvent.subject_id).where(AuditEvent.detail == "network: my people")
        ).all()
    assert (first.pages, first.total, len(first.items), len(second.items)) == (2, 3, 2, 1)
    assert [row.name for row in second.items] == ["Cy"]
    assert sorted(audited) == sorted(people.values())
