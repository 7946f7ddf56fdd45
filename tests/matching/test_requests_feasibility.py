"""While a worker writes a request: how many volunteers would fit it.

The count comes from the solver's service (``matching.services.feasibility.
feasibility_for_draft``, another part of the matching work). These tests
check the page's side with a stand-in for that service; the last one checks
the wiring to the real service and is skipped until it is merged.
"""

from __future__ import annotations

import importlib.util

import pytest

from betterway_map.matching.models import SupportRequest
from betterway_map.matching.views import records as views
from tests.factories.matching import make_request, make_volunteer
from tests.factories.people import make_assigned_person, make_consent
from tests.factories.person_records import count

FORM = {
    "kind": "befriending_visit",
    "frequency": "weekly",
    "duration_min": "60",
    "availability": ["tue_pm"],
    "languages": ["gu"],
    "comes_to_me": "y",
    "check": "1",
}
ANSWER = {
    "volunteers": 7,
    "fitting": 2,
    "removed_by": {"language": 4},
    "most_limiting": {
        "code": "language",
        "label": "speaks a language the person speaks",
        "removes": 4,
    },
}


@pytest.fixture()
def stand_in(monkeypatch):
    """A stand-in feasibility service that records what it was asked."""
    calls = []

    def feasibility_for_draft(user, person_id, data):
        calls.append((user.id, person_id, data))
        return ANSWER

    monkeypatch.setattr(views, "feasibility_service", lambda: feasibility_for_draft)
    return calls


def _worker_person(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris")
    make_consent(app, person_id, purpose="matching", recorded_by_id=worker)
    return client, worker, person_id


def test_the_form_has_a_live_region_and_a_check_button(app, signed_in, stand_in):
    client, _, person_id = _worker_person(app, signed_in)
    page = client.get(f"/people/{person_id}/requests/new").get_data(as_text=True)
    assert 'id="feasibility-result" role="status" aria-live="polite"' in page
    assert '<button type="submit" name="check" value="1"' in page


def test_checking_without_a_script_shows_the_count_and_saves_nothing(
    app, signed_in, post_form, stand_in
):
    client, worker, person_id = _worker_person(app, signed_in)
    response = post_form(client, f"/people/{person_id}/requests/new", FORM)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 volunteers fit</strong> this request as it stands, of 7" in page
    assert "the volunteer speaks a language the person speaks (4 left out)" in page
    assert 'value="gu" checked' in page  # the draft is shown again as typed
    ((user_id, asked_for, data),) = stand_in
    assert (user_id, asked_for, data["kind"], data["availability"]) == (
        worker,
        person_id,
        "befriending_visit",
        ["tue_pm"],
    )
    assert count(app, SupportRequest) == 0


def test_checking_a_bad_draft_shows_its_errors(app, signed_in, post_form, stand_in):
    client, _, person_id = _worker_person(app, signed_in)
    response = post_form(client, f"/people/{person_id}/requests/new", {**FORM, "kind": "juggling"})
    assert response.status_code == 400 and stand_in == []
    assert "&#39;juggling&#39; is not a kind of support" in response.get_data(as_text=True)


def test_checking_while_editing_asks_about_the_requests_person(app, signed_in, post_form, stand_in):
    client, worker, person_id = _worker_person(app, signed_in)
    request_id = make_request(app, worker, person_id=person_id)
    response = post_form(client, f"/matching/requests/{request_id}/edit", FORM)
    assert response.status_code == 200 and stand_in[0][1] == person_id


def test_a_resident_writing_their_own_request_is_not_shown_counts(app, post_form, stand_in):
    from tests.conftest import login
    from tests.factories.people import make_resident_with_profile

    user_id, person_id = make_resident_with_profile(app)
    client = app.test_client()
    login(client, app, user_id)
    assert "feasibility-result" not in client.get(f"/people/{person_id}/requests/new").get_data(
        as_text=True
    )


@pytest.mark.skipif(
    importlib.util.find_spec(views.FEASIBILITY_MODULE) is None,
    reason="WIRING: the solver's feasibility service (branch matching-solver) is not merged yet",
)
def test_wiring_the_real_feasibility_service_counts_a_fitting_volunteer(app, signed_in, post_form):
    client, worker, person_id = _worker_person(app, signed_in)
    make_volunteer(app, worker, languages=["gu"])
    make_volunteer(app, worker, languages=["en"])
    response = post_form(
        client, f"/people/{person_id}/requests/new", {**FORM, "kind": "befriending_phone"}
    )
    assert response.status_code == 200
    assert "volunteer fits</strong>" in response.get_data(as_text=True)
