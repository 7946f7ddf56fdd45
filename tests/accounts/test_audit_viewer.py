"""Site admins read, filter and download the audit log; reading it is audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from betterway_map.accounts import audit
from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db
from tests.factories.accounts import make_stale


@pytest.fixture()
def admin(signed_in):
    return signed_in("site_admin", email="boss@example.org", name="Bea Boss")


def _event(app, user_id, action, subject_type, subject_id=None, detail=None, at=None):
    with app.app_context():
        audit.record(user_id, action, subject_type, subject_id, detail)
        db.session.flush()
        if at is not None:
            db.session.scalars(
                db.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
            ).one().at = at
        db.session.commit()


def _rows(html: str) -> list[list[str]]:
    """The cells of the page's table body, as text."""
    import re

    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append([_unescape(cell.strip()) for cell in cells])
    return rows


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_log_lists_newest_first_with_who_in_uk_time(app, admin, user_factory):
    client, admin_id = admin
    wendy = user_factory("worker", email="wendy@example.org", name="Wendy")
    _event(app, wendy, "view", "person", 7, at=datetime(2026, 7, 1, 13, 5, tzinfo=UTC))
    _event(app, None, "close", "support_request", 3, "consent withdrawn: contact")
    response = client.get("/admin/audit")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    rows = _rows(response.get_data(as_text=True))
    subjects = [row[3] for row in rows]
    assert subjects.index("support_request 3") < subjects.index("person 7")
    closed = rows[subjects.index("support_request 3")]
    assert closed[1:] == [
        "the system or an erased person",
        "close",
        "support_request 3",
        "consent withdrawn: contact",
    ]
    viewed = rows[subjects.index("person 7")]
    assert viewed == [
        "2026-07-01 14:05:00 BST",
        "Wendy (wendy@example.org)",
        "view",
        "person 7",
        "",
    ]
    assert rows[-1][0] == "2026-07-01 14:05:00 BST"  # the oldest last


def test_viewing_the_log_is_itself_audited(app, admin):
    client, admin_id = admin
    client.get("/admin/audit?action=login")
    with app.app_context():
        event = db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.action == "view", AuditEvent.subject_type == "audit"
            )
        ).one()
    assert event.user_id == admin_id and "action=login" in event.detail


def test_filters_narrow_the_log(app, admin, user_factory):
    client, _ = admin
    wendy = user_factory("worker", email="wendy@example.org")
    _event(app, wendy, "view", "person", 7, "from the map", at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    _event(
        app, wendy, "update", "person", 8, "changed phone", at=datetime(2026, 3, 5, 12, tzinfo=UTC)
    )
    _event(app, None, "close", "support_request", 8, at=datetime(2026, 3, 9, 12, tzinfo=UTC))

    def details(query):
        response = client.get("/admin/audit?" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [
            row[3]
            for row in _rows(response.get_data(as_text=True))
            if row[2] != "view" or row[3] != "audit"
        ]

    assert details("action=update") == ["person 8"]
    assert details("subject_type=support_request") == ["support_request 8"]
    assert details("subject_id=8") == ["support_request 8", "person 8"]
    assert details("user=WENDY@example.org&subject_type=person") == ["person 8", "person 7"]
    assert details(f"user={wendy}&subject_id=7") == ["person 7"]
    assert details("text=PHONE") == ["person 8"]
    assert details("from=2026-03-02&to=2026-03-05") == ["person 8"]
    assert details("to=2026-03-01&from=") == ["person 7"]


def test_bulk_reads_appear_and_can_be_picked_out(app, admin, signed_in):
    from tests.factories.people import make_assigned_person

    worker, worker_id = signed_in("worker", email="wilf@example.org", name="Wilf")
    make_assigned_person(app, worker_id, first_name="Iris")
    make_assigned_person(app, worker_id, first_name="Ivy")
    assert worker.get("/people/").status_code == 200
    _event(app, worker_id, "view", "person", 1)
    _event(app, worker_id, "view", "group_attendees", 4, audit.people_detail([5, 6]))
    client, _ = admin
    page = client.get("/admin/audit?bulk=on").get_data(as_text=True)
    rows = _rows(page)
    assert rows and all(row[1] == "Wilf (wilf@example.org)" for row in rows)
    assert rows[0][2:] == ["view", "group_attendees 4", "n=2 ids=5,6"]
    assert rows[1][2] == "list" and "n=2" in rows[1][4]
    assert "person 1" not in [row[3] for row in rows]


def test_the_log_is_paged(app, admin):
    client, _ = admin
    for number in range(1, 56):
        _event(app, None, "view", "person", number)
    first = _rows(client.get("/admin/audit?action=view&subject_type=person").get_data(as_text=True))
    second_html = client.get("/admin/audit?action=view&subject_type=person&page=2").get_data(
        as_text=True
    )
    second = _rows(second_html)
    assert len(first) == 50 and len(second) == 5
    assert first[0][3] == "person 55" and second[-1][3] == "person 1"
    assert "Page 2 of 2" in second_html


def test_the_csv_holds_the_pages_rows_neutralised_and_is_audited(app, admin, user_factory):
    client, admin_id = admin
    wendy = user_factory("worker", email="wendy@example.org", name="=Wendy")
    _event(app, wendy, "view", "person", 7, '=HYPERLINK("x")')
    _event(app, wendy, "view", "person", 9, "plain")
    _event(app, None, "view", "person", 11, "by the system")
    page = _rows(
        client.get("/admin/audit?subject_type=person&user=wendy@example.org").get_data(as_text=True)
    )
    response = client.get("/admin/audit/export.csv?subject_type=person&user=wendy@example.org")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "audit-log.csv" in response.headers["Content-Disposition"]
    table = _csv(response)
    assert table[0] == ["When (UK time)", "Who", "Action", "Subject", "Detail"]
    neutral = [[("'" + c if c.startswith("=") else c) for c in row] for row in page]
    assert table[1:] == neutral
    assert len(table) == 3
    assert '\'=HYPERLINK("x")' in [row[4] for row in table[1:]]
    assert all(row[1].startswith("'=Wendy") for row in table[1:])
    with app.app_context():
        event = db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.action == "export", AuditEvent.subject_type == "audit"
            )
        ).one()
    assert event.user_id == admin_id and "subject_type=person" in event.detail


def test_the_csv_needs_a_fresh_sign_in(app, admin):
    client, admin_id = admin
    make_stale(app, admin_id)
    response = client.get("/admin/audit/export.csv")
    assert response.status_code == 302 and "/auth/confirm" in response.headers["Location"]
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "export")
            )
            == 0
        )


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("from=yesterday", "'yesterday'"),
        ("to=2026-02-30", "'2026-02-30'"),
        ("from=2026-03-05&to=2026-03-01", "2026-03-01"),
        ("action=teleport", "'teleport'"),
        ("subject_type=spaceship", "'spaceship'"),
        ("subject_id=seven", "'seven'"),
        ("user=nobody@example.org", "'nobody@example.org'"),
        ("user=Wendy", "'Wendy'"),
        ("bulk=perhaps", "'perhaps'"),
        ("page=0", "0"),
    ],
)
def test_bad_filters_are_named_and_refused(app, admin, query, named):
    client, _ = admin
    _event(app, None, "view", "person", 1, "secret detail")
    response = client.get("/admin/audit?" + query)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert named in _unescape(page)
    assert "secret detail" not in page and "<tbody>" not in page
    csv_response = client.get("/admin/audit/export.csv?" + query)
    assert csv_response.status_code == 400 and named in csv_response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["resident", "worker", "org_admin", "council"])
def test_other_roles_are_refused(app, signed_in, role):
    client, _ = signed_in(role)
    _event(app, None, "view", "person", 1, "secret detail")
    for url in ("/admin/audit", "/admin/audit/export.csv"):
        response = client.get(url)
        assert response.status_code == 403
        assert "secret detail" not in response.get_data(as_text=True)


def test_nobody_signed_in_is_sent_to_sign_in(client):
    response = client.get("/admin/audit")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_dashboard_links_to_the_log(admin):
    client, _ = admin
    assert "/admin/audit" in client.get("/me").get_data(as_text=True)
