"""Site admins manage users through the pages: list, add, roles, activation."""

from __future__ import annotations

import pytest

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.extensions import db
from tests.conftest import csrf_token, login
from tests.factories.accounts import clear_outbox, email_of, link_in, make_stale, messages_to, post


@pytest.fixture()
def admin(signed_in):
    return signed_in("site_admin", email="boss@example.org")


def _roles(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).role_names


def test_the_list_shows_users_with_their_roles_and_last_sign_in(app, admin, user_factory):
    client, _ = admin
    user_factory("worker", email="wendy@example.org", name="Wendy")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "wendy@example.org" in page and "Community worker" in page
    assert "Never" in page  # Wendy has not signed in


def test_search_finds_by_email_or_name_and_treats_wildcards_literally(app, admin, user_factory):
    client, _ = admin
    user_factory("resident", email="ada@example.org", name="Ada Lovelace")
    user_factory("resident", email="bob@example.org", name="Bob")
    found = client.get("/admin/users?q=lovelace").get_data(as_text=True)
    assert "ada@example.org" in found and "bob@example.org" not in found
    nothing = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "ada@example.org" not in nothing and "No users found" in nothing


def test_the_list_is_paged(app, admin, user_factory):
    client, _ = admin
    for number in range(26):
        user_factory("resident", email=f"person{number:02d}@example.org")
    first = client.get("/admin/users").get_data(as_text=True)
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "page 1 of 2" in first and "Next page" in first
    assert "page 2 of 2" in second and "Previous page" in second
    assert first.count("@example.org</a>") == 25
    assert second.count("@example.org</a>") == 2  # 27 users: 26 made here and the admin


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=-1", "q=" + "x" * 101])
def test_bad_list_parameters_get_a_clear_4xx(app, admin, query):
    client, _ = admin
    response = client.get(f"/admin/users?{query}")
    assert 400 <= response.status_code < 500


def test_adding_a_user_emails_a_one_off_set_password_link(app, admin):
    client, admin_id = admin
    clear_outbox(app)
    response = post(
        client,
        "/admin/users/new",
        {"email": "New.Worker@Example.org", "display_name": "Nia", "roles": ["worker", "council"]},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "new.worker@example.org"))
        assert user.role_names == {"worker", "council"}
        assert (
            db.session.scalar(
                db.select(db.func.count()).where(
                    AuditEvent.user_id == admin_id,
                    AuditEvent.action == "create",
                    AuditEvent.subject_id == user.id,
                )
            )
            == 1
        )
    link = link_in(messages_to(app, "new.worker@example.org")[0])
    assert link in response.get_data(as_text=True)
    newcomer = app.test_client()
    assert "Choose your password" in newcomer.get(link).get_data(as_text=True)
    chosen = post(
        newcomer, link, {"password": "my own new passphrase", "confirm": "my own new passphrase"}
    )
    assert chosen.headers["Location"] == "/auth/login"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email", "roles": ["worker"]}, "is not an email address"),
        ({"email": "a@example.org"}, "Choose at least one role"),
        ({"email": "a@example.org", "roles": ["emperor"]}, "is not a role"),
        ({"email": "a@example.org", "roles": ["worker"], "display_name": "x" * 101}, "at most 100"),
        ({"email": "boss@example.org", "roles": ["worker"]}, "already an account"),
    ],
)
def test_adding_a_user_refuses_bad_input(app, admin, data, message):
    client, _ = admin
    response = post(client, "/admin/users/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_changing_roles_signs_the_user_out(app, admin, signed_in):
    client, _ = admin
    worker_client, worker_id = signed_in("worker")
    response = post(client, f"/admin/users/{worker_id}/roles", {"roles": ["council"]})
    assert response.status_code == 302
    assert _roles(app, worker_id) == {"council"}
    assert worker_client.get("/me").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(db.select(AuditEvent.detail).where(AuditEvent.action == "roles"))
            == "roles=council"
        )


@pytest.mark.parametrize(
    ("roles", "message"), [([], "Choose at least one role"), (["king"], "is not a role")]
)
def test_changing_roles_refuses_bad_roles(app, admin, user_factory, roles, message):
    client, _ = admin
    user_id = user_factory("worker")
    response = post(client, f"/admin/users/{user_id}/roles", {"roles": roles})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _roles(app, user_id) == {"worker"}


def test_a_site_admin_cannot_remove_their_own_site_admin_role(app, admin):
    client, admin_id = admin
    response = post(client, f"/admin/users/{admin_id}/roles", {"roles": ["worker"]})
    assert response.status_code == 400
    assert "cannot remove your own site admin role" in response.get_data(as_text=True)
    assert _roles(app, admin_id) == {"site_admin"}


def test_a_site_admin_may_add_roles_to_themselves_and_stays_signed_in(app, admin, signed_in):
    client, admin_id = admin
    elsewhere = app.test_client()
    login(elsewhere, app, admin_id)
    post(client, f"/admin/users/{admin_id}/roles", {"roles": ["site_admin", "council"]})
    assert _roles(app, admin_id) == {"site_admin", "council"}
    assert client.get("/council").status_code == 200
    assert elsewhere.get("/me").status_code == 302  # their other sessions end


def test_viewing_a_user_is_audited(app, admin, user_factory):
    client, admin_id = admin
    user_id = user_factory("worker")
    assert client.get(f"/admin/users/{user_id}").status_code == 200
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "view"))
        assert (event.user_id, event.subject_type, event.subject_id) == (admin_id, "user", user_id)


def test_deactivating_signs_the_user_out_and_stops_sign_in(app, admin, signed_in):
    client, _ = admin
    resident_client, resident_id = signed_in("resident")
    assert post(client, f"/admin/users/{resident_id}/active", {"active": "no"}).status_code == 302
    assert resident_client.get("/me").status_code == 302
    again = app.test_client()
    response = again.post(
        "/auth/login",
        data={
            "email": email_of(app, resident_id),
            "password": "correct horse battery staple",
            "csrf_token": csrf_token(again),
        },
    )
    assert response.status_code == 400
    post(client, f"/admin/users/{resident_id}/active", {"active": "yes"})
    with app.app_context():
        assert db.session.get(User, resident_id).active


def test_a_site_admin_cannot_deactivate_themselves(app, admin):
    client, admin_id = admin
    response = post(client, f"/admin/users/{admin_id}/active", {"active": "no"})
    assert response.status_code == 400
    assert "cannot deactivate your own account" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["", "maybe", "true"])
def test_activation_accepts_only_yes_or_no(app, admin, user_factory, value):
    client, _ = admin
    user_id = user_factory("resident")
    response = post(client, f"/admin/users/{user_id}/active", {"active": value})
    assert response.status_code == 400
    assert "send yes or no" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/users/{id}/roles", {"roles": ["council"]}),
        ("/admin/users/{id}/active", {"active": "no"}),
        ("/admin/users/new", {"email": "late@example.org", "roles": ["worker"]}),
    ],
)
def test_changes_need_a_fresh_sign_in(app, admin, user_factory, url, data):
    client, admin_id = admin
    user_id = user_factory("worker")
    make_stale(app, admin_id)
    response = post(client, url.format(id=user_id), data)
    assert response.headers["Location"].startswith("/auth/confirm")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.role_names == {"worker"} and user.active
        assert db.session.scalar(db.select(User).where(User.email == "late@example.org")) is None


def test_an_unknown_user_is_a_404(app, admin):
    client, _ = admin
    assert client.get("/admin/users/999999").status_code == 404


def test_a_site_admin_can_reset_a_lost_phones_two_factor(app, admin, signed_in):
    from tests.factories.accounts import turn_on_two_factor

    client, _ = admin
    resident_client, resident_id = signed_in("resident")
    turn_on_two_factor(app, resident_client, resident_id)
    assert post(client, f"/admin/users/{resident_id}/two-factor/reset").status_code == 302
    with app.app_context():
        assert db.session.get(User, resident_id).totp_secret is None
    assert resident_client.get("/me").status_code == 302  # signed out


def test_the_site_admin_dashboard_links_users_and_assignments(app, admin):
    client, _ = admin
    page = client.get("/me").get_data(as_text=True)
    assert 'href="/admin/users"' in page and 'href="/admin/assignments"' in page


def test_the_users_page_tells_operators_where_mail_goes(app, admin):
    client, _ = admin
    assert "outbox" in client.get("/admin/users").get_data(as_text=True)
