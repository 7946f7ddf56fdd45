"""A worker's pictures of one of their people (issue 10): the person's own
network and the map of what is near their home. Ann and her world are in
``tests/factories/network_pictures.py``."""

from __future__ import annotations

import re

import h3
import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db
from tests.conftest import login, make_user
from tests.factories.maps import needs_assets
from tests.factories.network_pictures import HOME, VOLUNTEER_HOME, person_world, shows_place

PAGES = ("network", "map")


def _page(client, person_id: int, page: str):
    return client.get(f"/people/{person_id}/{page}")


@pytest.fixture()
def world(app):
    return person_world(app)


@pytest.fixture()
def worker_client(app, world):
    client = app.test_client()
    login(client, app, world["worker"])
    return client


def _withdraw_from_the_register(app, person_id: int) -> None:
    from betterway_map.domain.clock import today_in_uk
    from betterway_map.people.models import Consent

    with app.app_context():
        for consent in db.session.scalars(
            select(Consent).where(Consent.person_id == person_id, Consent.purpose == "register")
        ):
            consent.withdrawn_on = today_in_uk()
        db.session.commit()


def _labels(page: str) -> list[str]:
    return re.findall(r'<g class="np-node[^"]*" tabindex="0" role="img" aria-label="([^"]*)"', page)


def test_the_network_shows_ties_groups_and_volunteers_as_the_worker_may_see_them(
    worker_client, world
):
    response = _page(worker_client, world["ann"], "network")
    assert response.status_code == 200
    labels = _labels(response.get_data(as_text=True))
    # Ties by Ann's own words; Cy by Ann's words too; Dot, whom another
    # worker looks after, by the kind of tie only.
    assert any(label.startswith("daughter Sue, Family, At least once a week") for label in labels)
    assert any(label.startswith("old friend Bob, Friend") and "lapsed" in label for label in labels)
    assert any(label.startswith("Cy next door, Neighbour") for label in labels)
    assert any(label.startswith("Friend, Friend, At least once a week") for label in labels)
    assert any(label.startswith("Knit and Natter, Group, goes") for label in labels)
    assert any(label.startswith("Vera, Volunteer, Proposed") for label in labels)
    assert len(labels) == 7  # Ann in the middle and six round her
    page = response.get_data(as_text=True)
    assert "Dot" not in page
    assert "Ann from the choir" not in page


def test_the_network_s_table_says_the_same_in_words(worker_client, world):
    page = _page(worker_client, world["ann"], "network").get_data(as_text=True)
    table = page[page.index('<table id="table-ties">') :]
    for text in ("daughter Sue", "old friend Bob", "Knit and Natter", "Vera", "Lapsed"):
        assert text in table


@pytest.mark.parametrize("page", PAGES)
def test_each_look_is_in_the_audit_log(app, worker_client, world, page):
    assert _page(worker_client, world["ann"], page).status_code == 200
    with app.app_context():
        details = list(
            db.session.scalars(
                select(AuditEvent.detail).where(
                    AuditEvent.user_id == world["worker"],
                    AuditEvent.subject_type == "person",
                    AuditEvent.subject_id == world["ann"],
                    AuditEvent.action == "view",
                )
            )
        )
    assert details == ["network picture" if page == "network" else "worker map"]


@pytest.mark.parametrize("page", PAGES)
def test_another_worker_is_told_the_person_does_not_exist(app, world, page):
    client = app.test_client()
    login(client, app, world["other_worker"])
    assert _page(client, world["ann"], page).status_code == 404
    assert _page(client, 2**31 - 1, page).status_code == 404


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["council", "resident", "org_admin", "site_admin"])
def test_no_one_but_a_worker_may_ask(app, world, page, role):
    client = app.test_client()
    login(client, app, make_user(app, role))
    assert _page(client, world["ann"], page).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_a_person_who_withdrew_from_the_register_is_not_drawn(app, worker_client, world, page):
    _withdraw_from_the_register(app, world["ann"])
    response = _page(worker_client, world["ann"], page)
    assert response.status_code == 409
    assert "withdrew consent" in response.get_data(as_text=True)


@needs_assets
def test_the_map_shows_the_home_groups_offers_and_the_volunteer_s_area(worker_client, world):
    response = _page(worker_client, world["ann"], "map")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert shows_place(page, HOME)
    # The suggestion 1.4 km away, further than walking distance.
    groups = page[page.index('id="groups-heading"') : page.index('id="offers-heading"')]
    assert "Walking Football" in groups and "further than walking distance" in groups
    assert "Knit and Natter" not in groups  # she already goes
    # Hal's offer, with a rounded distance and the name he agreed to show.
    offers = page[page.index('id="offers-heading"') : page.index('id="volunteers-heading"')]
    assert "Shopping" in offers and "Hal" in offers and "1 km" in offers
    # Vera, by her area's name and outline: the corners of the H3 cell.
    cell = h3.latlng_to_cell(*VOLUNTEER_HOME, 8)
    assert "ZZ1 3" in page[page.index('id="volunteers-heading"') :]
    assert all(shows_place(page, corner) for corner in h3.cell_to_boundary(cell))


@needs_assets
def test_the_map_holds_no_one_else_s_home(worker_client, world):
    page = _page(worker_client, world["ann"], "map").get_data(as_text=True)
    assert shows_place(page, HOME)  # the one home it may show: it would be found
    for home in world["other_homes"]:
        assert not shows_place(page, home), home


def test_without_a_home_there_is_no_map_but_the_lists(app, worker_client, world):
    from betterway_map.people.models import Person

    with app.app_context():
        person = db.session.get(Person, world["ann"])
        person.latitude = person.longitude = person.postcode = None
        db.session.commit()
    response = _page(worker_client, world["ann"], "map")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "We do not know where Ann lives" in page
    assert "leaflet" not in page.lower()


def test_the_person_s_page_links_to_both(worker_client, world):
    page = worker_client.get(f"/people/{world['ann']}").get_data(as_text=True)
    assert f'href="/people/{world["ann"]}/network"' in page
    assert f'href="/people/{world["ann"]}/map"' in page


@needs_assets
def test_the_map_asks_no_tile_server_even_where_one_is_set(app, world):
    # A tile server asked for the streets round Ann's home would learn where
    # she lives: her map keeps to the site's own background.
    from tests.factories.apps import app_with

    with app_with(app, MAP_TILES="openstreetmap") as other:
        client = other.test_client()
        login(client, other, world["worker"])
        response = _page(client, world["ann"], "map")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "tile.openstreetmap.org" not in page
    assert "/map/background.geojson" in page


@pytest.mark.parametrize("page", PAGES)
def test_a_volunteer_who_withdrew_from_the_register_is_left_out(app, worker_client, world, page):

    assert "Vera" in _page(worker_client, world["ann"], page).get_data(as_text=True)
    _withdraw_from_the_register(app, world["volunteer"])
    assert "Vera" not in _page(worker_client, world["ann"], page).get_data(as_text=True)
