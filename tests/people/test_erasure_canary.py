"""The canary: a person with records of every kind erases themself, and no
trace of their name, postcode, home, phone, email or address is left in any
table of the database, in any output anyone can fetch, in the area report's
files or in the outbox.

The same checks are run before the erasure, so that the test cannot pass
by looking in the wrong places.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.domain.rights import ANONYMOUS_LABEL
from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.matching.models import MatchingRun, SupportRequest
from betterway_map.network.map_layers import council_map_data
from betterway_map.network.report import area_report
from betterway_map.network.report_files import write_report
from betterway_map.network.trends import take_snapshot
from betterway_map.people.models import Person, Tie
from tests.conftest import csrf_token, login, make_user
from tests.factories.council_map import data_url, drawn_points, fetch_document
from tests.factories.organisations import add_admin
from tests.factories.rights import (
    CANARY,
    database_text,
    make_canary,
    outbox_text,
    traces_in,
)


def _outputs(canary, run_id: int) -> list[tuple[str | None, str]]:
    """(who, url): every page, API answer and feed that could show the canary."""
    other, group = canary.other_person_id, canary.group_id
    near = "lat=51.47&lon=-0.21&radius_km=5"
    return [
        ("worker", "/people/"),
        ("worker", f"/people/{other}"),
        ("worker", f"/people/{other}/ties"),
        ("worker", f"/people/{other}/network"),
        ("worker", f"/people/{other}/map"),
        ("worker", f"/people/{other}/requests"),
        ("worker", f"/matching/requests/{canary.other_request_id}"),
        ("worker", f"/rights/people/{other}/data"),
        ("worker", f"/rights/people/{other}/data.json"),
        ("worker", f"/api/v1/people/{other}/ties"),
        ("worker", "/api/v1/people?per_page=100"),
        ("worker", "/network/my-people"),
        ("worker", "/network/connectors"),
        ("worker", "/api/v1/network/my-people"),
        ("worker", "/matching/"),
        ("worker", f"/matching/runs/{run_id}"),
        ("worker", "/matching/mine"),
        ("worker", "/api/v1/matching/requests"),
        ("worker", "/inbox"),
        ("worker", "/rights/retention"),
        ("council", "/council"),
        ("council", "/council/network"),
        ("council", "/council/network/organisations"),
        ("council", "/council/network/organisations/files/organisation-network.svg"),
        ("council", "/council/network/organisations/files/organisation-network.csv"),
        ("council", "/api/v1/area/summary"),
        ("council", "/api/v1/network/area"),
        ("site_admin", "/rights/retention"),
        ("site_admin", "/admin/assignments/?q=Zeb"),
        ("site_admin", "/admin/users?q=zeb"),
        ("site_admin", "/api/v1/users?q=zeb"),
        ("org_admin", f"/groups/{group}/attendees"),
        ("org_admin", f"/api/v1/groups/{group}/attendees"),
        (None, f"/nearby?{near}&what=offer"),
        (None, f"/api/v1/nearby?{near}"),
        (None, f"/api/v1/nearby?{near}&what=offer"),
        (None, f"/nearby/calendar.ics?{near}"),
        (None, f"/groups/{group}"),
        (None, f"/groups/{group}/calendar.ics"),
        (None, f"/organisations/{canary.organisation_id}/calendar.ics"),
        (None, "/oruk/services"),
        (None, "/oruk/service_at_locations"),
        (None, "/api/v1/groups"),
        ("org_admin", "/inbox"),
        ("worker", "/me"),
        (None, "/"),
    ]


def _fetch_all(app, canary, run_id: int, org_admin: int) -> dict[str, str]:
    clients = {None: app.test_client()}
    users = {
        "worker": canary.worker_id,
        "council": make_user(app, "council"),
        "site_admin": make_user(app, "site_admin"),
        "org_admin": org_admin,
    }
    for who, user_id in users.items():
        clients[who] = app.test_client()
        login(clients[who], app, user_id)
    found = {}
    for who, url in _outputs(canary, run_id):
        response = clients[who].get(url)
        assert response.status_code < 500, (who, url, response.status_code)
        found[f"{who} {url}"] = response.get_data(as_text=True)
        if url == "/council/network" and "bwCouncilMap(" in found[f"{who} {url}"]:
            # The map's data, which its script fetches (issue 15), with every
            # point it draws in degrees (places are written as steps).
            document = fetch_document(clients[who], found[f"{who} {url}"])
            drawn = " ".join(f"{lat:.5f},{lon:.5f}" for lat, lon in drawn_points(document))
            found[f"{who} {data_url(found[f'{who} {url}'])}"] = json.dumps(document) + drawn
    return found


def _report_files(app, folder) -> str:
    with app.test_request_context():
        paths = write_report(council_map_data(), folder)
        return "\n".join(path.read_text() for path in paths if path.is_file())


def _erase_themself(app, canary) -> None:
    client = app.test_client()
    login(client, app, canary.user_id)
    page = client.get(f"/rights/people/{canary.person_id}/erase")
    assert page.status_code == 200 and "Erase your records" in page.get_data(as_text=True)
    response = client.post(
        f"/rights/people/{canary.person_id}/erase",
        data={"reason": "asked", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/rights/erased"
    assert client.get("/profile").status_code == 302  # signed out: the account is gone


def test_no_trace_of_the_canary_remains_anywhere(app, tmp_path):
    canary = make_canary(app)
    org_admin = make_user(app, "org_admin")
    add_admin(app, canary.organisation_id, org_admin)
    with app.test_request_context():
        take_snapshot()
        run_id = db.session.scalar(select(MatchingRun.id))

    before = database_text(app)
    everywhere = "\n".join(before.values())
    for needle in ("Zebedee", "Quillfeather", "ZZ9 9QX", "51.4731", "-0.2187", "07700 900461"):
        assert needle in everywhere
    assert {"zebedee.quillfeather@example.net", "Wobbleton"} <= set(traces_in(everywhere))
    shown = _fetch_all(app, canary, run_id, org_admin)
    assert traces_in(shown["worker /people/"]) and traces_in(
        shown[f"worker /people/{canary.other_person_id}/ties"]
    )
    assert traces_in(outbox_text(app))

    _erase_themself(app, canary)

    after = database_text(app)
    left = {table: traces_in(text) for table, text in after.items() if traces_in(text)}
    assert left == {}, f"traces of the canary left in tables: {left}"
    assert len(after) == len(before) >= 25
    shown = _fetch_all(app, canary, run_id, org_admin)
    left = {where: traces_in(text) for where, text in shown.items() if traces_in(text)}
    assert left == {}, f"traces of the canary left in outputs: {left}"
    assert traces_in(_report_files(app, tmp_path / "report")) == []
    assert traces_in(outbox_text(app)) == []


def test_erasure_keeps_others_records_coherent(app):
    canary = make_canary(app)
    _erase_themself(app, canary)
    with app.app_context():
        assert db.session.get(Person, canary.person_id) is None
        assert db.session.get(User, canary.user_id) is None
        ties = db.session.scalars(select(Tie).where(Tie.person_id == canary.other_person_id)).all()
        assert [t.other_label for t in ties] == [ANONYMOUS_LABEL, ANONYMOUS_LABEL]
        assert all(t.other_person_id is None for t in ties)
        request = db.session.get(SupportRequest, canary.other_request_id)
        assert (request.status, request.opened_on is not None) == ("open", True)
        notice = db.session.scalar(
            select(Message).where(
                Message.recipient_id == canary.worker_id, Message.about_type == "support_request"
            )
        )
        assert "records were erased" in notice.body and "Zebedee" not in notice.body
        erasure = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase"))
        assert erasure.user_id is None and erasure.subject_id is None
        assert erasure.detail.startswith("reason=asked by=self account=deleted removed: ")
        about = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_type == "person", AuditEvent.subject_id == canary.person_id
            )
        ).all()
        assert about == []


def test_the_canary_was_in_the_area_figures_and_left_them(app):
    canary = make_canary(app)
    with app.test_request_context():
        people = area_report()["totals"]
    _erase_themself(app, canary)
    with app.test_request_context():
        assert area_report()["computed_on"] and people is not None
        from betterway_map.network.loader import load_area

        area = load_area()
    assert canary.person_id not in {p.id for p in area.people}
    assert all(t.other_person_id != canary.person_id for t in area.ties)
    assert CANARY["first_name"] not in {p.first_name for p in area.people}
