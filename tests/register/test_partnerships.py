"""Recording partnerships through the pages: the partner found by searching
its name, errors explained, duplicates refused, either side removing one.

(Confirmation by the partner: test_partnership_confirmation.py; the API:
test_partnerships_api.py.)
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from betterway_map.extensions import db
from betterway_map.register.models import Partnership
from betterway_map.register.services.partner_choices import PARTNER_LIST_LIMIT
from tests.factories.organisations import make_organisation, make_partnership


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Partnership))


def _choices(page: str) -> list[str]:
    """The names a person reads beside the radio buttons, in order."""
    labels = re.findall(r'<label for="partner-\d+">(.*?)</label>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<.*?>", "", label)).strip() for label in labels]


@pytest.fixture()
def two(app, signed_in):
    """(client, our_organisation_id, partner_id) for a signed-in org admin."""
    client, user_id = signed_in("org_admin")
    ours = make_organisation(app, user_id, name="Our Club")
    return client, ours, make_organisation(app, name="Partner Trust", sector="health")


def test_the_partner_is_chosen_by_searching_its_name(two):
    admin, ours, partner = two
    page = admin.get(f"/organisations/{ours}/partnerships/new?q=trust").get_data(as_text=True)
    assert _choices(page) == ["Partner Trust (health)"]
    assert f'type="radio" id="partner-{partner}" name="partner_id" value="{partner}"' in page
    assert "<select" not in page.split('id="field-partner_id"')[1].split("</fieldset>")[0]
    assert "Name of the organisation, or part of it" in page


def test_before_a_search_no_organisation_is_listed(two):
    admin, ours, _ = two
    page = admin.get(f"/organisations/{ours}/partnerships/new").get_data(as_text=True)
    assert _choices(page) == []
    assert "Partner Trust" not in page and 'name="partner_id"' not in page


def test_the_organisation_itself_is_not_offered(two):
    admin, ours, _ = two
    page = admin.get(f"/organisations/{ours}/partnerships/new?q=club").get_data(as_text=True)
    assert _choices(page) == []
    assert "No other organisation’s name has “club” in it" in page


def test_names_that_begin_with_the_search_come_first_then_by_name(app, two):
    admin, ours, _ = two
    for name in ("Village Age Club", "Age Concern", "Bridge Ages", "age uk"):
        make_organisation(app, name=name)
    page = admin.get(f"/organisations/{ours}/partnerships/new?q=AGE").get_data(as_text=True)
    names = [label.split(" (")[0] for label in _choices(page)]
    assert names == ["Age Concern", "age uk", "Bridge Ages", "Village Age Club"]


def test_a_search_matching_many_lists_a_bounded_number_and_says_so(app, two):
    admin, ours, _ = two
    for n in range(PARTNER_LIST_LIMIT + 1):
        make_organisation(app, name=f"Lunch Club {n:02d}")
    page = admin.get(f"/organisations/{ours}/partnerships/new?q=lunch").get_data(as_text=True)
    assert len(_choices(page)) == PARTNER_LIST_LIMIT
    assert f"More than {PARTNER_LIST_LIMIT} match" in page
    assert "search for more of its name" in page


def test_a_search_matching_exactly_the_limit_does_not_say_there_are_more(app, two):
    admin, ours, _ = two
    for n in range(PARTNER_LIST_LIMIT):
        make_organisation(app, name=f"Lunch Club {n:02d}")
    page = admin.get(f"/organisations/{ours}/partnerships/new?q=lunch").get_data(as_text=True)
    assert len(_choices(page)) == PARTNER_LIST_LIMIT
    assert "More than" not in page


def test_wildcards_in_the_search_match_themselves(app, two):
    admin, ours, _ = two
    make_organisation(app, name="100% Volunteers")
    make_organisation(app, name="1000 Friends")
    page = admin.get(f"/organisations/{ours}/partnerships/new?q=100%25").get_data(as_text=True)
    assert [label.split(" (")[0] for label in _choices(page)] == ["100% Volunteers"]


def test_a_search_too_long_is_explained(two):
    admin, ours, _ = two
    response = admin.get(f"/organisations/{ours}/partnerships/new?q={'a' * 101}")
    assert response.status_code == 400
    assert "Use at most 100 characters" in response.get_data(as_text=True)


def test_the_choice_is_kept_with_the_search_when_the_form_is_refused(two, post_form):
    admin, ours, partner = two
    response = post_form(
        admin,
        f"/organisations/{ours}/partnerships/new?q=trust",
        {"partner_id": str(partner), "kind": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the kind of partnership." in page
    assert f'value="{partner}" checked' in page


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"partner_id": "{ours}", "kind": "joint_work"},
            "An organisation cannot be its own partner",
        ),
        ({"partner_id": "999999", "kind": "joint_work"}, "no organisation with the number 999999"),
        ({"partner_id": "", "kind": "joint_work"}, "Choose the partner organisation."),
        ({"kind": "friends"}, "&#39;friends&#39; is not a choice for kind of partnership"),
        (
            {"partner_id": "abc", "kind": "joint_work"},
            "Partner must be an organisation&#39;s number",
        ),
        ({"kind": ""}, "Choose the kind of partnership."),
        (
            {"kind": "joint_work", "started_on": "2025-05-01", "last_active_on": "2025-01-01"},
            "cannot be before the start",
        ),
        ({"kind": "joint_work", "started_on": "May 2025"}, "Started on must be a date like"),
    ],
)
def test_bad_partnerships_are_explained(app, two, post_form, data, expected):
    admin, ours, partner = two
    data = {"partner_id": str(partner), **data}
    data["partner_id"] = data["partner_id"].replace("{ours}", str(ours))
    response = post_form(admin, f"/organisations/{ours}/partnerships/new?q=trust", data)
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert _count(app) == 0


@pytest.mark.parametrize("pending", [False, True])
@pytest.mark.parametrize(
    ("kind", "reverse", "duplicate"),
    [
        ("joint_work", False, True),
        ("joint_work", True, True),  # mutual: B–A is the same partnership as A–B
        ("shared_space", True, True),
        ("referral", False, True),
        ("referral", True, False),  # directional: B refers to A is a different one
    ],
)
def test_duplicates_are_refused_with_a_clear_message(
    app, two, post_form, kind, reverse, duplicate, pending
):
    admin, ours, partner = two
    if reverse:
        make_partnership(app, partner, ours, kind, pending=pending)
    else:
        make_partnership(app, ours, partner, kind, pending=pending)
    data = {"partner_id": str(partner), "kind": kind}
    response = post_form(admin, f"/organisations/{ours}/partnerships/new", data)
    if duplicate:
        assert response.status_code == 400
        assert "is already recorded" in response.get_data(as_text=True)
        assert _count(app) == 1
    else:
        assert response.status_code == 302
        assert _count(app) == 2


@pytest.mark.parametrize(
    ("reverse", "expected"),
    [
        (False, "waiting for Partner Trust to confirm it"),
        (True, "waiting for you to confirm it: confirm it on the page where you manage Our Club"),
    ],
)
def test_a_duplicate_of_a_pending_partnership_says_who_must_confirm(
    app, two, post_form, reverse, expected
):
    admin, ours, partner = two
    first, second = (partner, ours) if reverse else (ours, partner)
    make_partnership(app, first, second, "joint_work", pending=True)
    data = {"partner_id": str(partner), "kind": "joint_work"}
    response = post_form(admin, f"/organisations/{ours}/partnerships/new", data)
    assert expected in response.get_data(as_text=True)


def test_either_side_may_remove_a_confirmed_partnership(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    ours = make_organisation(app, user_id)
    partnership_id = make_partnership(app, make_organisation(app), ours, "joint_work")
    response = post_form(admin, f"/organisations/{ours}/partnerships/{partnership_id}/remove")
    assert response.status_code == 302
    assert _count(app) == 0


def test_a_partnership_of_other_organisations_cannot_be_removed(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    ours = make_organisation(app, user_id)
    partnership_id = make_partnership(app, make_organisation(app), make_organisation(app))
    response = post_form(admin, f"/organisations/{ours}/partnerships/{partnership_id}/remove")
    assert response.status_code == 404
    assert _count(app) == 1
