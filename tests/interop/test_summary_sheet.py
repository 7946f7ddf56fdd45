"""A person's own summary sheet: a real PDF of one or two A4 pages in type
of 16 pt or more, with their groups, their volunteer's first name (and no
more of them), the next contact expected from the rhythm and the last
contact, and suggestions; for the person and their workers only, a
worker's print audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.dates import long_date
from betterway_map.extensions import db
from betterway_map.interop.sheets.summary_layout import (
    Summary,
    SummaryGroup,
    SummarySupport,
    summary_pdf,
)
from betterway_map.people.models import Consent
from tests.conftest import login, make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.measures import add_member, make_contact, make_rhythm
from tests.factories.nearby import add_postcode, point_at, space_at
from tests.factories.organisations import make_group, make_organisation
from tests.factories.people import (
    make_assigned_person,
    make_consent,
    make_resident_with_profile,
)
from tests.interop.test_sheets import _check_print, _text


@pytest.fixture()
def world(app):
    """Maud, looked after by a worker: a member of the Lunch Club, would like
    to go to the Choir, a member of a paused Art Group; supported by Vera
    (weekly, last phoned 3 days ago); with a Walking Group nearby."""
    add_postcode(app)
    organisation = make_organisation(app, name="Eastbrook Friends", contact_phone="01234 500600")
    groups = {}
    for number, name in enumerate(("Lunch Club", "Choir", "Art Group", "Walking Group"), start=1):
        space = space_at(app, organisation, 0.3 * number, 60 * number, postcode="ZZ1 2AB")
        groups[name] = make_group(
            app,
            organisation,
            space,
            name=name,
            status="paused" if name == "Art Group" else "active",
        )
    worker = make_user(app, "worker")
    lat, lon = point_at(0.2, 200)
    maud = make_assigned_person(
        app, worker, first_name="Maud", postcode="ZZ1 9XY", latitude=lat, longitude=lon
    )
    add_member(app, groups["Lunch Club"], maud)
    add_member(app, groups["Choir"], maud, status="interested")
    add_member(app, groups["Art Group"], maud)
    vera = make_volunteer(
        app, worker, person={"first_name": "Vera", "last_name": "Vandersteen", "phone": "07700 900123",
                             "postcode": "ZZ5 5QQ"}
    )  # fmt: skip
    request_id = make_request(app, worker, person_id=maud, kind="befriending_phone")
    match = make_match(
        app, request_id, vera, status="active", started_on=today_in_uk() - timedelta(days=40)
    )
    make_rhythm(app, match_id=match, frequency="weekly")
    last = today_in_uk() - timedelta(days=3)
    make_contact(app, match_id=match, contacted_on=today_in_uk() - timedelta(days=10))
    make_contact(app, match_id=match, contacted_on=last)
    return {"worker": worker, "maud": maud, "groups": groups, "last": last, "match": match}


def _summary(client, person_id: int) -> bytes:
    response = client.get(f"/people/{person_id}/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    return response.data


def test_a_worker_prints_their_persons_summary_in_large_print(app, client, world):
    login(client, app, world["worker"])
    pdf = _summary(client, world["maud"])
    _check_print(pdf)
    text = " ".join(_text(pdf).split())
    for part in ("Your groups", "Lunch Club", "Choir", "You said you would like to go",
                 "Paused: not meeting now", "Your volunteer", "Vera", "Befriending by phone",
                 "contact weekly", "Groups that might suit you", "Walking Group"):  # fmt: skip
        assert part in text, part


def test_the_next_contact_is_the_last_one_plus_the_rhythm(app, client, world):
    login(client, app, world["worker"])
    text = " ".join(_text(_summary(client, world["maud"])).split())
    assert f"Last contact: {long_date(world['last'])}" in text
    assert f"Next contact: expected by {long_date(world['last'] + timedelta(days=7))}" in text


def test_of_the_volunteer_only_the_first_name_is_printed(app, client, world):
    login(client, app, world["worker"])
    text = _text(_summary(client, world["maud"]))
    for detail in ("Vandersteen", "07700", "ZZ5", "9XY", "Maud"):
        assert detail not in text, detail


def test_a_workers_print_is_in_the_audit_log(app, client, world):
    login(client, app, world["worker"])
    _summary(client, world["maud"])
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.user_id == world["worker"],
                AuditEvent.action == "print",
                AuditEvent.subject_id == world["maud"],
            )
        ).all()
    assert "summary sheet" in details


def test_a_person_prints_their_own_summary(app, client):
    user, person = make_resident_with_profile(app, first_name="Ada", postcode="ZZ1 9XY")
    login(client, app, user)
    text = " ".join(_text(_summary(client, person)).split())
    assert "No groups are recorded for you yet" in text
    assert "No volunteer is supporting you at the moment" in text


def test_after_consent_to_the_register_is_withdrawn_nothing_is_suggested(app, client, world):
    make_consent(app, world["maud"], withdrawn_on=today_in_uk())
    with app.app_context():
        for consent in db.session.scalars(
            select(Consent).filter_by(person_id=world["maud"], purpose="register")
        ):
            consent.withdrawn_on = today_in_uk()
        db.session.commit()
    login(client, app, world["worker"])
    text = " ".join(_text(_summary(client, world["maud"])).split())
    assert "No suggestions: you asked us not to keep you on the register." in text
    assert "Walking Group" not in text and "Lunch Club" in text


@pytest.mark.parametrize("role", ["worker", "resident"])
def test_someone_elses_person_is_not_found(app, client, world, role):
    login(client, app, make_user(app, role))
    assert client.get(f"/people/{world['maud']}/summary.pdf").status_code == 404


def _support(number: int) -> SummarySupport:
    return SummarySupport(f"Volunteer {number}", "Shopping", "contact weekly",
                          "Monday 2 March 2026", "expected by Monday 9 March 2026")  # fmt: skip


LONG = "A long name for a group that keeps going " * 6


def test_a_long_summary_never_makes_a_third_page():
    group = SummaryGroup(LONG, LONG, LONG, "01234 567890", "You said you would like to go.")
    summary = Summary(
        title="Your summary",
        made="Tuesday 8 December 2026",
        groups=(group,) * 12,
        no_groups="",
        supports=tuple(_support(n) for n in range(3)),
        no_support="",
        suggestions=(group,) * 3,
        no_suggestions="Nothing suits you.",
        more_at="https://map.example.org/me",
    )
    pdf = summary_pdf(summary)
    _check_print(pdf)
    text = _text(pdf)
    assert "more groups did not fit on this sheet" in text and "Nothing suits you." in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
