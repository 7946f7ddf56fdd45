"""A partnership one organisation records is pending until an admin of the
partner confirms it: shown only on the two organisations' manage pages until
then, never on a public page or in the public API; the partner confirms or
declines, the recorder may withdraw it. (Issue 12, item 8: a partnership
appeared at once on the other organisation's public page.)"""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.errors import Conflict, Forbidden, NotFound
from betterway_map.extensions import db
from betterway_map.register.models import Partnership
from betterway_map.register.services import partnerships as service
from tests.conftest import make_user
from tests.factories.organisations import make_organisation, make_partnership

RECORDER, PARTNER = "Riverside Trust", "Hillside Surgery"


@pytest.fixture()
def sides(app):
    """Two organisations, each with its own admin: (recorder, partner, their admins)."""
    recorder_admin = make_user(app, "org_admin", name="Ada")
    partner_admin = make_user(app, "org_admin", name="Bea")
    recorder = make_organisation(app, recorder_admin, name=RECORDER)
    partner = make_organisation(app, partner_admin, name=PARTNER, sector="health")
    return {
        "recorder": recorder,
        "partner": partner,
        "recorder_admin": recorder_admin,
        "partner_admin": partner_admin,
    }


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def _partnership(partnership_id: int) -> Partnership | None:
    db.session.expire_all()
    return db.session.get(Partnership, partnership_id)


def _audited(action: str) -> list[int]:
    return list(
        db.session.scalars(
            select(AuditEvent.subject_id).where(
                AuditEvent.subject_type == "partnership", AuditEvent.action == action
            )
        )
    )


# --- every public read shows confirmed partnerships only ----------------------


def _public_page(client, organisation_id: int) -> str:
    page = client.get(f"/organisations/{organisation_id}").get_data(as_text=True)
    return html.unescape(page.split("<h2>Works with</h2>")[1])


def _public_api(client, organisation_id: int) -> str:
    listed = client.get(f"/api/v1/organisations/{organisation_id}/partnerships").get_json()
    return " ".join(f"{p['organisation_name']} {p['partner_name']}" for p in listed)


PUBLIC_READS = {
    "the recorder's public page": (_public_page, "recorder", PARTNER),
    "the partner's public page": (_public_page, "partner", RECORDER),
    "the recorder's partnerships in the API": (_public_api, "recorder", PARTNER),
    "the partner's partnerships in the API": (_public_api, "partner", RECORDER),
}


@pytest.mark.parametrize("read", PUBLIC_READS)
@pytest.mark.parametrize(("pending", "shown"), [(True, False), (False, True)])
def test_a_partnership_is_public_only_once_confirmed(app, client, sides, read, pending, shown):
    reader, whose, other_name = PUBLIC_READS[read]
    make_partnership(app, sides["recorder"], sides["partner"], "joint_work", pending=pending)
    assert (other_name in reader(client, sides[whose])) is shown


# --- recording ----------------------------------------------------------------


def test_a_new_partnership_is_pending(app, app_ctx, sides):
    partnership = service.create_partnership(
        _user(sides["recorder_admin"]),
        sides["recorder"],
        {"partner_id": sides["partner"], "kind": "referral"},
    )
    assert (partnership.status, partnership.confirmed_at, partnership.confirmed_by_id) == (
        "pending",
        None,
        None,
    )
    assert _audited("create") == [partnership.id]


def test_the_manage_pages_sort_pending_partnerships_by_who_must_act(app, app_ctx, sides):
    ours = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    recorder_view = service.partnerships_to_manage(
        _user(sides["recorder_admin"]), sides["recorder"]
    )
    partner_view = service.partnerships_to_manage(_user(sides["partner_admin"]), sides["partner"])
    assert [p.id for p in recorder_view.waiting] == [ours]
    assert recorder_view.to_confirm == [] and recorder_view.confirmed == []
    assert [p.id for p in partner_view.to_confirm] == [ours]
    assert partner_view.waiting == [] and partner_view.confirmed == []


def test_an_admin_of_neither_side_sees_no_pending_partnership(app, app_ctx, sides):
    make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    stranger = make_user(app, "org_admin")
    with pytest.raises(Forbidden):
        service.partnerships_to_manage(_user(stranger), sides["partner"])


# --- confirming ---------------------------------------------------------------


def test_an_admin_of_the_partner_confirms_it(app, app_ctx, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    service.confirm_partnership(_user(sides["partner_admin"]), sides["partner"], partnership_id)
    confirmed = _partnership(partnership_id)
    assert confirmed.status == "confirmed" and confirmed.confirmed_at is not None
    assert confirmed.confirmed_by_id == sides["partner_admin"]
    assert _audited("confirm") == [partnership_id]


def test_the_recorder_cannot_confirm_its_own_partnership(app, app_ctx, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    with pytest.raises(Forbidden, match=f"only an admin of {PARTNER} can confirm it"):
        service.confirm_partnership(
            _user(sides["recorder_admin"]), sides["recorder"], partnership_id
        )
    assert _partnership(partnership_id).confirmed_at is None


@pytest.mark.parametrize(("as_own", "error"), [(True, NotFound), (False, Forbidden)])
def test_an_admin_of_neither_side_cannot_confirm(app, app_ctx, sides, as_own, error):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    stranger = make_user(app, "org_admin")
    theirs = make_organisation(app, stranger)
    with pytest.raises(error):
        service.confirm_partnership(
            _user(stranger), theirs if as_own else sides["partner"], partnership_id
        )
    assert _partnership(partnership_id).confirmed_at is None


def test_confirming_twice_is_refused_clearly(app, app_ctx, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"])
    with pytest.raises(Conflict, match=f"with {RECORDER} is already confirmed"):
        service.confirm_partnership(_user(sides["partner_admin"]), sides["partner"], partnership_id)


# --- declining and withdrawing ------------------------------------------------


def test_an_admin_of_the_partner_declines_it_and_it_is_deleted(app, app_ctx, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    removed = service.decline_partnership(
        _user(sides["partner_admin"]), sides["partner"], partnership_id
    )
    assert removed == service.Removed(RECORDER, was_confirmed=False)
    assert _partnership(partnership_id) is None
    assert _audited("decline") == [partnership_id]


def test_the_recorder_cannot_decline_but_may_withdraw(app, app_ctx, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    recorder_admin = _user(sides["recorder_admin"])
    with pytest.raises(Forbidden, match="You may withdraw it"):
        service.decline_partnership(recorder_admin, sides["recorder"], partnership_id)
    removed = service.delete_partnership(recorder_admin, sides["recorder"], partnership_id)
    assert removed == service.Removed(PARTNER, was_confirmed=False)
    assert _partnership(partnership_id) is None
    assert _audited("withdraw") == [partnership_id]


def test_a_confirmed_partnership_cannot_be_declined_only_removed(app, app_ctx, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"])
    partner_admin = _user(sides["partner_admin"])
    with pytest.raises(Conflict, match="To end it, remove it"):
        service.decline_partnership(partner_admin, sides["partner"], partnership_id)
    assert service.delete_partnership(partner_admin, sides["partner"], partnership_id).was_confirmed
    assert _audited("delete") == [partnership_id]


# --- the pages ----------------------------------------------------------------


def _signed_in(app, user_id: int):
    from tests.conftest import login

    client = app.test_client()
    login(client, app, user_id)
    return client


def _main(response) -> str:
    """The words of the page's main part, as a screen reader reads them."""
    main = response.get_data(as_text=True).split('<main id="main"')[1].split(">", 1)[1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", main)))


def test_recording_says_it_waits_for_the_partner(app, sides, post_form):
    admin = _signed_in(app, sides["recorder_admin"])
    url = f"/organisations/{sides['recorder']}/partnerships/new?q=hillside"
    data = {"partner_id": str(sides["partner"]), "kind": "joint_work"}
    response = post_form(admin, url, data, follow_redirects=True)
    main = _main(response)
    assert f"is waiting for {PARTNER} to confirm it" in main
    assert f"Waiting for {PARTNER} to confirm" in main
    assert f"Withdraw the partnership with {PARTNER}" in main


def test_the_partners_manage_page_asks_to_confirm_or_decline(app, sides):
    make_partnership(app, sides["recorder"], sides["partner"], "referral", pending=True)
    admin = _signed_in(app, sides["partner_admin"])
    response = admin.get(f"/organisations/{sides['partner']}/manage")
    section = _main(response).split("Waiting for you to confirm")[1]
    assert f"{RECORDER} says you work together" in section
    assert "They refer people to us" in section
    assert f"Confirm the partnership with {RECORDER}" in section
    assert f"Decline the partnership with {RECORDER}" in section
    page = response.get_data(as_text=True)
    notice = page.split("Waiting for you to confirm")[1].split("<table>")[0]
    assert "public-notice" in notice and "<strong>public</strong>" in notice


def test_the_recorders_manage_page_offers_no_confirm_button(app, sides):
    make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    admin = _signed_in(app, sides["recorder_admin"])
    main = _main(admin.get(f"/organisations/{sides['recorder']}/manage"))
    assert "Confirm the partnership" not in main and "Waiting for you to confirm" not in main


def test_confirming_on_the_page_shows_it_on_both_public_pages(app, client, sides, post_form):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    admin = _signed_in(app, sides["partner_admin"])
    url = f"/organisations/{sides['partner']}/partnerships/{partnership_id}/confirm"
    response = post_form(admin, url, follow_redirects=True)
    assert "Confirmed: " in _main(response)
    assert PARTNER in _public_page(client, sides["recorder"])
    assert RECORDER in _public_page(client, sides["partner"])


def test_declining_on_the_page_deletes_it(app, sides, post_form):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    admin = _signed_in(app, sides["partner_admin"])
    url = f"/organisations/{sides['partner']}/partnerships/{partnership_id}/decline"
    response = post_form(admin, url, follow_redirects=True)
    assert "It was never shown publicly" in _main(response)
    with app.app_context():
        assert _partnership(partnership_id) is None


def test_withdrawing_on_the_page_deletes_it(app, sides, post_form):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    admin = _signed_in(app, sides["recorder_admin"])
    url = f"/organisations/{sides['recorder']}/partnerships/{partnership_id}/remove"
    response = post_form(admin, url, follow_redirects=True)
    assert f"The partnership with {PARTNER} is withdrawn" in _main(response)
    with app.app_context():
        assert _partnership(partnership_id) is None


@pytest.mark.parametrize("action", ["confirm", "decline"])
def test_the_recorder_is_refused_confirming_or_declining_through_the_page(
    app, sides, post_form, action
):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    admin = _signed_in(app, sides["recorder_admin"])
    url = f"/organisations/{sides['recorder']}/partnerships/{partnership_id}/{action}"
    response = post_form(admin, url)
    assert response.status_code == 403
    assert f"only an admin of {PARTNER} can {action} it" in html.unescape(
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert _partnership(partnership_id).confirmed_at is None


def test_confirming_an_already_confirmed_partnership_says_so(app, sides, post_form):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"])
    admin = _signed_in(app, sides["partner_admin"])
    url = f"/organisations/{sides['partner']}/partnerships/{partnership_id}/confirm"
    response = post_form(admin, url, follow_redirects=True)
    assert response.status_code == 200
    assert "is already confirmed and public" in _main(response)
