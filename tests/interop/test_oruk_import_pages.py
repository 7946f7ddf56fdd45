"""The upload pages: /import/oruk (a feed) and /import/spreadsheet (venues or
groups), for organisation admins into their own organisations and site admins."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from betterway_map.extensions import db
from betterway_map.register.models import Group, Organisation, Space
from tests.conftest import without_tokens
from tests.factories.nearby import add_postcode
from tests.factories.organisations import make_organisation
from tests.factories.oruk_feed import feed_bytes, service


def _upload(post_form, client, url, files, **fields):
    data = {**fields, "file": [(io.BytesIO(content), name) for name, content in files]}
    return post_form(client, url, data, content_type="multipart/form-data")


def test_a_site_admin_imports_a_feed_with_its_organisations(app, signed_in, post_form):
    client, _ = signed_in("site_admin")
    hostile = service(name="<script>alert(1)</script> Choir")
    response = _upload(post_form, client, "/import/oruk", [("feed.json", feed_bytes(hostile))])
    page = without_tokens(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "created: 1 groups, 1 organisations, 1 spaces" in page
    assert "<script>alert" not in page
    with app.app_context():
        assert db.session.scalar(select(Organisation.name)) == "Riverside Trust"


def test_an_organisation_admin_imports_a_csv_set_into_their_organisation(app, signed_in, post_form):
    client, admin_id = signed_in("org_admin")
    mine = make_organisation(app, admin_id, name="Mine")
    files = [
        ("services.csv", b"id,name\ns1,Choir\n"),
        ("schedules.csv", b"id,service_id,byday,opens_at,closes_at\nh1,s1,WE,18:00,19:30\n"),
    ]
    response = _upload(post_form, client, "/import/oruk", files, organisation_id=str(mine))
    assert "created: 1 groups" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Group.organisation_id)) == mine


def test_an_organisation_admin_cannot_import_into_another_organisation(app, signed_in, post_form):
    client, admin_id = signed_in("org_admin")
    make_organisation(app, admin_id)
    theirs = make_organisation(app)
    for url, fields in (
        ("/import/oruk", {"organisation_id": str(theirs)}),
        ("/import/spreadsheet", {"organisation_id": str(theirs), "kind": "spaces"}),
    ):
        response = _upload(post_form, client, url, [("f.csv", b"Name\nx\n")], **fields)
        assert response.status_code == 403, url
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Group)) == 0


def test_a_bad_feed_is_reported_and_writes_nothing(app, signed_in, post_form):
    client, _ = signed_in("site_admin")
    files = [("bad.json", b"<html>Sign in</html>"), ("good.json", feed_bytes(service()))]
    page = _upload(post_form, client, "/import/oruk", files).get_data(as_text=True)
    assert "bad.json is a web page (HTML)" in page and "Nothing was imported." in page
    assert "created: 1 groups" in page


def test_the_spreadsheet_page_reports_bad_rows_by_number(app, signed_in, post_form):
    add_postcode(app, "NE26 1EJ", (55.04, -1.45))
    client, admin_id = signed_in("org_admin")
    mine = make_organisation(app, admin_id)
    sheet = b"Where,Post Code,Address\nLibrary,ne26 1ej.,York Road\nCafe,[Unknown],1 Lane\n"
    response = _upload(
        post_form, client, "/import/spreadsheet", [("libraries.csv", sheet)],
        organisation_id=str(mine), kind="spaces", columns="name=Where",
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert "created: 1 spaces" in page
    assert "Skipped row 3 (&#39;Cafe&#39;): the postcode is &#39;[Unknown]&#39;." in page
    with app.app_context():
        assert db.session.scalar(select(Space.postcode)) == "NE26 1EJ"


def test_the_spreadsheet_page_says_what_is_missing(app, signed_in, post_form):
    client, _ = signed_in("org_admin")
    page = post_form(client, "/import/spreadsheet", {"columns": "postcode"}).get_data(as_text=True)
    for said in ("Choose the spreadsheet", "Choose whether each row", "Choose the organisation",
                 "&#39;postcode&#39; is not FIELD=Header"):  # fmt: skip
        assert said in page
