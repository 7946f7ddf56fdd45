"""Group suggestions on the pages, the API and the printed sheet, and who
may see them (the neighbourhood of ``tests/factories/suggestions.py``)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db
from tests.conftest import login, make_user
from tests.factories.people import make_resident_with_profile
from tests.factories.suggestions import MAUD, make_world


@pytest.fixture()
def world(app):
    return make_world(app)


def _as(app, user_id):
    client = app.test_client()
    login(client, app, user_id)
    return client


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    return response.get_data(as_text=True)


def test_a_worker_sees_a_persons_suggestions_with_reasons_and_the_printable_link(app, world):
    page = _page(_as(app, world.worker), f"/people/{world.maud}/group-suggestions")
    assert "Groups that might suit Maud" in page
    assert page.index("Garden Club") < page.index("Choir")
    assert f'href="/groups/{world.groups["Garden Club"]}"' in page
    assert "It is about something you enjoy: gardening and nature." in page
    assert "Every Thursday, 2pm to 3:30pm" in page and "£3.00" in page
    assert f'href="/people/{world.maud}/group-suggestions.pdf"' in page
    assert "Quiz Night" not in page and "Lunch Club" not in page


def test_the_workers_person_page_links_to_the_suggestions(app, world):
    page = _page(_as(app, world.worker), f"/people/{world.maud}")
    assert f'href="/people/{world.maud}/group-suggestions"' in page


def test_a_resident_sees_their_own_suggestions_linked_from_their_profile(app):
    resident, _ = make_resident_with_profile(app, **MAUD)
    make_world(app)
    client = _as(app, resident)
    assert 'href="/me/group-suggestions"' in _page(client, "/profile")
    page = _page(client, "/me/group-suggestions")
    assert "Groups that might suit you" in page and "Garden Club" in page
    assert "It meets on Tuesday mornings, a time you are free." in page


def test_a_resident_without_a_profile_is_asked_to_fill_it_in(app):
    page = _page(_as(app, make_user(app, "resident")), "/me/group-suggestions")
    assert "Fill in your profile" in page


def test_the_choices_narrow_the_suggestions_and_are_kept_in_the_print_link(app, world):
    url = f"/people/{world.maud}/group-suggestions?needs=hearing_loop&max_cost=2.50"
    page = _page(_as(app, world.worker), url)
    assert "Garden Club" in page and "Choir" not in page
    assert "needs=hearing_loop" in page.split("group-suggestions.pdf", 1)[1][:80]
    assert 'value="hearing_loop" checked' in page


def test_an_empty_list_says_why_and_offers_a_wider_search(app):
    world = make_world(app, availability=["sun_eve"])
    page = _page(_as(app, world.worker), f"/people/{world.maud}/group-suggestions")
    assert "but none meets when you are free" in page
    assert "within 5 km either" in page


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("max_cost=lots", "'lots'"),
        ("radius_km=99", "99"),
        ("needs=lift", "'lift'"),
        ("groups_for=pensioners", "'pensioners'"),
    ],
)
def test_bad_choices_are_refused_with_a_message_naming_the_value(app, world, query, named):
    page = _page(_as(app, world.worker), f"/people/{world.maud}/group-suggestions?{query}", 400)
    assert "There is a problem" in page and named in page.replace("&#39;", "'")
    assert "Garden Club" not in page


def test_someone_elses_person_is_not_found(app, world):
    other = _as(app, make_user(app, "worker"))
    for url in (
        f"/people/{world.maud}/group-suggestions",
        f"/people/{world.maud}/group-suggestions.pdf",
        f"/api/v1/people/{world.maud}/group-suggestions",
    ):
        assert other.get(url).status_code == 404, url


def test_a_resident_cannot_see_someone_elses_suggestions(app, world):
    resident, _ = make_resident_with_profile(app)
    assert _as(app, resident).get(f"/people/{world.maud}/group-suggestions").status_code == 404


def test_the_api_lists_suggestions_with_reasons(app, world):
    response = _as(app, world.worker).get(f"/api/v1/people/{world.maud}/group-suggestions")
    assert response.status_code == 200
    body = response.get_json()
    assert [s["name"] for s in body["suggestions"]] == ["Garden Club", "Choir"]
    garden = body["suggestions"][0]
    assert garden["url"] == f"/groups/{world.groups['Garden Club']}"
    assert garden["reasons"][0] == "It is about something you enjoy: gardening and nature."
    assert body["explanation"] is None and body["radius_km"] == 2.0


def test_the_api_refuses_bad_choices_with_422(app, world):
    client = _as(app, world.worker)
    response = client.get(f"/api/v1/people/{world.maud}/group-suggestions?max_cost=£x")
    assert response.status_code == 422
    assert "max_cost" in response.get_json()["errors"]["query"]


def test_the_printed_suggestions_are_a_pdf_with_reasons_and_no_home(app, world):
    client = _as(app, world.worker)
    response = client.get(f"/people/{world.maud}/group-suggestions.pdf?needs=step_free")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.data))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Groups that might suit you" in text
    assert "Garden Club" in text and "Choir" not in text  # the church has steps
    assert "It is about something you enjoy: gardening and nature." in text
    # Distances rounded up to the half kilometre, as on a person's sheet.
    assert re.search(r"Garden Club \(about \d+(\.5)? km away\)", text)
    assert "postcode district ZZ1" in text
    # Neither the exact distance from home nor the name: a sheet may be left about.
    assert "from your home" not in text and "Maud" not in text
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.detail == "group suggestions")
        ).all()
    assert actions == ["print"]


def test_a_printed_sheet_with_nothing_says_why(app):
    world = make_world(app, availability=["sun_eve"])
    response = _as(app, world.worker).get(f"/people/{world.maud}/group-suggestions.pdf")
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "but none meets when you are free" in text


def test_a_bad_choice_on_the_printed_sheet_answers_400(app, world):
    client = _as(app, world.worker)
    response = client.get(f"/people/{world.maud}/group-suggestions.pdf?radius_km=x")
    assert response.status_code == 400
    assert "radius_km must be a number" in response.get_data(as_text=True)
