"""Printed sheets: a real PDF of one or two A4 pages in type of 16 pt or
more, with the groups; a person's sheet never prints their home; only the
person and their workers get it."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db
from betterway_map.interop.sheets.layout import Sheet, SheetGroup, sheet_pdf
from tests.conftest import login, make_user
from tests.factories.nearby import POSTCODE, add_postcode, point_at, space_at
from tests.factories.organisations import make_group, make_organisation
from tests.factories.people import make_assigned_person, make_resident_with_profile

A4_POINTS = (595, 842)


def _pages(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).pages


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _pages(pdf))


def _sizes(pdf: bytes) -> list[float]:
    sizes = []

    def seen(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * tm[0])  # the text matrix scales the font size

    for page in _pages(pdf):
        page.extract_text(visitor_text=seen)
    return sizes


def _check_print(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    pages = _pages(pdf)
    assert 1 <= len(pages) <= 2
    for page in pages:
        assert (round(page.mediabox.width), round(page.mediabox.height)) == A4_POINTS
    sizes = _sizes(pdf)
    assert sizes and min(sizes) >= 16


def _group(number: int, name: str | None = None) -> SheetGroup:
    return SheetGroup(
        name=name or f"Group {number}",
        distance=f"{number / 10:.1f} km",
        when="Every Tuesday, 10am to 12pm; next on Tuesday 8 December 2026.",
        where="St Mary's Church Hall, 12 Long Road, Eastbrook, ZZ1 2AB",
        access="Step-free access.",
        cost="Free",
        phone="01234 567890",
        point=point_at(number / 10, number * 40),
    )


SHEET = Sheet(
    title="What's on near you",
    near="The nearest groups within 2 km of ZZ1 1AA, nearest first.",
    made="Tuesday 8 December 2026",
    groups=tuple(_group(n) for n in range(1, 9)),
    nothing="Nothing here.",
    more_at="https://map.example.org/nearby",
    map_note="The numbers on the map are the numbers in the list.",
)


def test_eight_groups_fit_on_two_pages_in_large_print():
    pdf = sheet_pdf(SHEET)
    _check_print(pdf)
    text = _text(pdf)
    for number in range(1, 9):
        assert f"{number}. Group {number}" in text
    assert "Made on Tuesday 8 December 2026" in text and "did not fit" not in text


HOSTILE = "Tea, cake; and\nchat <b>{{ 7*7 }}</b> \u202e王 😀 " + "very long name " * 40


def test_long_and_hostile_text_never_makes_a_third_page():
    groups = tuple(replace(_group(n, HOSTILE), where=HOSTILE, cost=HOSTILE) for n in range(1, 21))
    pdf = sheet_pdf(replace(SHEET, groups=groups))
    _check_print(pdf)
    text = _text(pdf)
    assert "more did not fit on this sheet" in text
    assert "Some letters cannot be printed" in text and "<b>{{ 7*7 }}</b>" in text


def test_with_no_groups_the_sheet_says_so_and_draws_no_map():
    pdf = sheet_pdf(replace(SHEET, groups=()))
    _check_print(pdf)
    assert "Nothing here." in _text(pdf) and "numbers on the map" not in _text(pdf)


# Through the site.


@pytest.fixture()
def register(app):
    add_postcode(app)
    add_postcode(app, "ZZ7 7ZZ", point_at(0.2, 180))
    organisation = make_organisation(app, name="Eastbrook Friends", contact_phone="01234 500600")
    ids = {}
    for number in range(1, 11):
        space = space_at(app, organisation, 0.3 * number, 45 * number, postcode="ZZ1 2AB")
        ids[number] = make_group(app, organisation, space, name=f"Club {number:02d}")
    far = space_at(app, organisation, 15, postcode="ZZ1 2AB")
    make_group(app, organisation, far, name="Far Away Club")
    return ids


def test_the_search_sheet_has_the_nearest_groups(client, register):
    response = client.get(f"/nearby/sheet.pdf?postcode={POSTCODE}&radius_km=5")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.get_data()
    _check_print(pdf)
    text = _text(pdf)
    assert "within 5 km of ZZ1 1AA" in text
    assert "Club 01" in text and "Club 08" in text and "Club 09" not in text
    assert "Far Away Club" not in text
    assert "01234 500600 (Eastbrook Friends)" in text  # the organisation's phone, said so
    assert "Every Tuesday, 10am to 12pm; next on Tuesday" in text


HOME = {
    "address": "7 Secret Lane",
    "postcode": "ZZ7 7ZZ",
    "latitude": 52.44821,
    "longitude": -0.98123,
}


def test_a_workers_sheet_for_their_person_never_prints_the_home(app, signed_in, register):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Maud", **HOME)
    response = client.get(f"/people/{person_id}/sheet.pdf")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    pdf = response.get_data()
    _check_print(pdf)
    text = _text(pdf)
    assert "Club 01" in text and "postcode district ZZ7" in text
    assert "(about 1 km away)" in text and not re.search(r"\(\d\.\d km away\)", text)  # rounded
    raw = pdf.decode("latin-1")
    for secret in ("Secret Lane", "ZZ7 7ZZ", "7ZZ", "52.448", "0.981", "Maud"):
        assert secret not in text and secret not in raw
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
        assert [(e.user_id, e.subject_id) for e in events] == [(worker, person_id)]


def test_a_sheet_without_coordinates_searches_from_the_postcode(app, signed_in, register):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, postcode="ZZ7 7ZZ")
    assert "Club 01" in _text(client.get(f"/people/{person_id}/sheet.pdf").get_data())


def test_a_person_with_no_known_home_is_told_what_to_do(app, signed_in, register):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Ida")
    response = client.get(f"/people/{person_id}/sheet.pdf")
    assert response.status_code == 422
    assert "We do not know where Ida lives" in response.get_data(as_text=True)


def test_a_resident_prints_their_own_sheet(app, register):
    user_id, person_id = make_resident_with_profile(app, **HOME)
    client = app.test_client()
    login(client, app, user_id)
    assert "Club 01" in _text(client.get(f"/people/{person_id}/sheet.pdf").get_data())
    assert f'href="/people/{person_id}/sheet.pdf"' in client.get("/profile").get_data(as_text=True)


@pytest.mark.parametrize("role", ["worker", "resident"])
def test_someone_elses_person_is_404(app, signed_in, register, role):
    person_id = make_assigned_person(app, make_user(app, "worker"), **HOME)
    client, _ = signed_in(role)
    assert client.get(f"/people/{person_id}/sheet.pdf").status_code == 404


def test_the_workers_person_page_links_to_the_sheet(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Maud")
    page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert f'href="/people/{person_id}/sheet.pdf"' in page and "Print a sheet" in page
