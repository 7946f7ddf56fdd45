"""A resident's data as a PDF: built from the plain export dict (no request),
readable (every name, dates in words, plain labels), robust to hostile text,
and served only to the resident after a fresh sign-in."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent, UserSession
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.people.data_pdf import BODY_PT, data_pdf, printable
from betterway_map.people.data_report import data_report
from tests.factories.person_records import measure, own_person

NAMES = ["Zoë", "Łukasz", "Ayşe", "Nguyễn", "Đặng Thị Hương", "Ørsted-Ærø", "Жанна", "Ευτυχία"]


def _export(first_name="Zoë", **person) -> dict:
    """A small export dict of the shape ``export_own_data`` returns."""
    return {
        "exported_at": "2026-12-08T14:00:00+00:00",
        "account": {
            "email": "zoe@example.org",
            "display_name": first_name,
            "roles": ["resident"],
            "created_at": "2026-06-01T09:30:00",
        },
        "person": {
            "id": 3,
            "user_id": 7,
            "first_name": first_name,
            "interests": ["books"],
            "lives_alone": True,
            "what_would_help": None,
            **person,
            "consents": [
                {"id": 1, "purpose": "register", "method": "online", "given_on": "2026-06-01"}
            ],
            "loneliness_measures": [
                {"measured_on": "2026-06-02", "ucla_total": 6, "direct": "often_always"}
            ],
            "ties": [],
            "volunteer": None,
        },
        "note": "To have your details erased, ask your community worker.",
    }


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_a_real_pdf_with_the_title_and_sections():
    pdf = data_pdf(_export())
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    for words in ("Everything we hold about you", "Your account", "Your profile"):
        assert words in text
    assert "What you agreed to" in text and "Keep your details on the register" in text


@pytest.mark.parametrize("name", NAMES)
def test_every_latin_extended_name_is_printed_as_written(name):
    assert name in _text(data_pdf(_export(first_name=name, last_name=name)))


def test_dates_are_in_words_and_stored_moments_in_uk_time():
    text = _text(data_pdf(_export()))
    assert "Made Tuesday 8 December 2026, 2pm" in text
    assert "Monday 1 June 2026, 10:30am" in text  # 09:30 UTC is 10:30 in British Summer Time
    assert "Tuesday 2 June 2026" in text and "2026-06-02" not in text


def test_the_type_is_large_enough_for_older_readers():
    assert BODY_PT >= 12
    page = PdfReader(io.BytesIO(data_pdf(_export()))).pages[0]
    sizes = []

    def seen(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * tm[0])  # the text matrix scales the font size

    page.extract_text(visitor_text=seen)
    assert sizes and min(sizes) >= 12


def test_a_letter_the_font_cannot_draw_is_a_question_mark_and_the_pdf_says_so():
    text = _text(data_pdf(_export(first_name="王伟", last_name="محمد 😀")))
    assert "??" in text and "???? ?" in text
    assert "Some letters cannot be shown in this file" in text


def test_a_name_the_font_draws_gives_no_such_warning():
    assert "Some letters cannot be shown" not in _text(data_pdf(_export(first_name="Nguyễn")))


HOSTILE = [
    "<script>alert(1)</script>",
    "{{ 7*7 }} {% raw %} ${x} `y`",
    "**bold** _under_ --strike--",
    "right\u202eto left, zero\u200bwidth, bell\x07, nul\x00",
    "x" * 3000,
    "a\r\nb\tc\n\n\nd",
    "%PDF-1.4 (BT /F1 12 Tf ET) \\ endstream",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_in_any_field_is_printed_as_text(hostile):
    export = _export(what_would_help=hostile, last_name=hostile[:60])
    export["person"]["consents"][0]["notes"] = hostile
    export["note"] = hostile
    text = _text(data_pdf(export))
    assert "Zoë" in text
    visible, _ = printable(hostile)
    assert visible.split()[0][:20] in text


def test_control_and_invisible_characters_are_dropped_and_lines_kept():
    assert printable("right\u202eto\x07\x00 ok\r\nnext\tline") == ("rightto ok\nnext line", False)


def test_an_account_without_a_profile_still_makes_a_pdf():
    export = _export()
    export["person"] = None
    text = _text(data_pdf(export))
    assert "we hold only your account" in text and "zoe@example.org" in text


def test_the_page_and_the_pdf_show_the_same_labels_and_values():
    report = data_report(_export())
    text = _text(data_pdf(_export()))
    for section in report.sections:
        assert section.title in text
        for entry in section.entries + tuple(e for r in section.records for e in r):
            assert entry.label.split()[0] in text and entry.text.split()[0] in text


# Through the site.


def test_the_resident_downloads_their_data_as_a_pdf(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id, first_name="Łukasz", last_name="Nguyễn")
    measure(app, person_id)
    response = client.get("/profile/data.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="my-better-way-map-data.pdf"' in response.headers["Content-Disposition"]
    text = _text(response.get_data())
    assert "Łukasz" in text and "Nguyễn" in text
    assert "Your answers about loneliness" in text and "UCLA" not in text.upper()
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export"))
        assert [event.subject_id for event in events] == [person_id]


def test_the_pdf_needs_a_fresh_sign_in(app, signed_in):
    client, user_id = signed_in("resident")
    own_person(app, user_id)
    with app.app_context():
        for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)):
            row.authenticated_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    response = client.get("/profile/data.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm")


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/profile/data.pdf")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["worker", "org_admin", "council", "site_admin"])
def test_only_residents_get_the_pdf(signed_in, role):
    client, _ = signed_in(role)
    assert client.get("/profile/data.pdf").status_code == 403


@pytest.mark.parametrize("path", ["/profile", "/me", "/profile/data"])
def test_the_pdf_is_offered_wherever_the_json_download_is(app, signed_in, path):
    client, user_id = signed_in("resident")
    own_person(app, user_id)
    page = client.get(path).get_data(as_text=True)
    assert 'href="/profile/export"' in page and 'href="/profile/data.pdf"' in page


def test_the_page_shows_dates_in_words_and_plain_labels(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    measure(app, person_id, ucla_total=5, direct="never")
    page = client.get("/profile/data").get_data(as_text=True)
    assert "Monday 1 January 2024" in page and "2024-01-01" not in page
    assert "The three questions about how you feel" in page and "Never" in page
    assert "ucla" not in page.lower()
