"""The inbox: a user's messages, newest first; reading one marks it read;
a reply reaches the sender; nobody reads anyone else's messages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from tests.conftest import make_user
from tests.factories.inbox import message_to


def _messages_to(app, user_id) -> list[Message]:
    with app.app_context():
        rows = db.session.scalars(
            select(Message).where(Message.recipient_id == user_id).order_by(Message.id)
        )
        return [(row.subject, row.body, row.sender_label, row.read_at is not None) for row in rows]


def test_the_inbox_lists_the_users_messages_newest_first(app, signed_in):
    client, user_id = signed_in("resident")
    message_to(app, user_id, subject="The first")
    message_to(app, user_id, subject="The second")
    message_to(app, make_user(app), subject="Someone else's")
    page = client.get("/inbox").get_data(as_text=True)
    assert page.index("The second") < page.index("The first")
    assert "Someone else" not in page
    assert page.count(">New</span>") == 2


def test_the_header_says_how_many_messages_are_new(app, signed_in):
    client, user_id = signed_in("resident")
    assert "Messages</a>" in client.get("/").get_data(as_text=True)
    message_id = message_to(app, user_id)
    assert "Messages (1 new)" in client.get("/").get_data(as_text=True)
    client.get(f"/inbox/{message_id}")
    assert "Messages (1 new)" not in client.get("/").get_data(as_text=True)


def test_opening_a_message_shows_it_and_marks_it_read(app, signed_in):
    client, user_id = signed_in("resident")
    message_id = message_to(app, user_id, body="Do come on Tuesday.\nAsk for Sam.")
    response = client.get(f"/inbox/{message_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Do come on Tuesday.\nAsk for Sam." in page
    assert "From Sam, for the Lunch Club" in page
    assert _messages_to(app, user_id)[0][3] is True


def test_someone_elses_message_is_not_found_and_stays_unread(app, signed_in):
    client, _ = signed_in("resident")
    other = make_user(app)
    message_id = message_to(app, other)
    assert client.get(f"/inbox/{message_id}").status_code == 404
    assert _messages_to(app, other)[0][3] is False


def test_a_reply_reaches_the_sender_with_the_conversation(app, signed_in, post_form):
    client, user_id = signed_in("resident", name="Edna")
    organiser = make_user(app, "org_admin", name="Sam")
    message_id = message_to(app, user_id, sender_id=organiser, about_type="attendance", about_id=7)
    response = post_form(client, f"/inbox/{message_id}/reply", {"body": "Thank you, I will."})
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    [(subject, body, label, read)] = _messages_to(app, organiser)
    assert (subject, body, label, read) == (
        "Re: A welcome from the Lunch Club",
        "Thank you, I will.",
        "Edna",
        False,
    )
    # The organiser sees the reply with what it answers.
    from tests.conftest import login

    sam = app.test_client()
    login(sam, app, organiser)
    with app.app_context():
        reply_id = db.session.scalar(select(Message.id).where(Message.recipient_id == organiser))
        assert db.session.get(Message, reply_id).about_type == "attendance"
    page = sam.get(f"/inbox/{reply_id}").get_data(as_text=True)
    assert "Thank you, I will." in page
    assert "The earlier messages (1)" in page
    assert "You wrote" in page and "Do come along on Tuesday." in page


@pytest.mark.parametrize(
    ("body", "error"),
    [("", "Enter the message."), ("   ", "Enter the message."), ("x" * 2001, "at most 2000")],
)
def test_an_empty_or_too_long_reply_is_refused_and_nothing_is_sent(
    app, signed_in, post_form, body, error
):
    client, user_id = signed_in("resident")
    organiser = make_user(app, "org_admin")
    message_id = message_to(app, user_id, sender_id=organiser)
    response = post_form(client, f"/inbox/{message_id}/reply", {"body": body})
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    assert _messages_to(app, organiser) == []


def test_a_message_whose_sender_has_gone_cannot_be_answered(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    organiser = make_user(app, "org_admin")
    message_id = message_to(app, user_id, sender_id=organiser)
    with app.app_context():
        db.session.delete(db.session.get(User, organiser))
        db.session.commit()
    page = client.get(f"/inbox/{message_id}").get_data(as_text=True)
    assert "can no longer be answered here" in page
    assert "Send the reply" not in page
    response = post_form(client, f"/inbox/{message_id}/reply", {"body": "Hello?"})
    assert response.status_code == 400
    assert "can no longer be answered here" in response.get_data(as_text=True)


def test_a_users_messages_go_when_their_account_goes(app):
    user_id = make_user(app)
    message_to(app, user_id)
    with app.app_context():
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()
        assert db.session.scalar(select(Message).where(Message.recipient_id == user_id)) is None


@pytest.mark.parametrize(("page", "shown"), [("0", "page must be 1 or more, not 0"), ("x", "'x'")])
def test_a_bad_page_number_is_named(signed_in, page, shown):
    client, _ = signed_in("resident")
    response = client.get(f"/inbox?page={page}")
    assert response.status_code == 400
    assert shown in response.get_data(as_text=True).replace("&#39;", "'")


def test_hostile_text_in_a_message_is_shown_as_text(app, signed_in):
    client, user_id = signed_in("resident")
    message_id = message_to(
        app, user_id, subject="<b>Hi</b>", body="<script>window.__pwned=1</script>"
    )
    page = client.get(f"/inbox/{message_id}").get_data(as_text=True)
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "<b>Hi</b>" not in page
