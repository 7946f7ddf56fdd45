"""Council figures: counts for the area, small counts about people suppressed."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from betterway_map.extensions import db
from betterway_map.network.summary import suppress
from betterway_map.people.models import HelpListing, Person
from betterway_map.register.models import Group, Organisation, Space


def _area(app, *, offers: dict, requests: dict, people: int, with_names=False):
    """Two organisations, three spaces (two step-free), groups, people and listings."""
    with app.app_context():
        charity = Organisation(name="Riverside Trust", sector="voluntary")
        church = Organisation(name="St Anne's", sector="faith")
        db.session.add_all([charity, church])
        db.session.flush()
        spaces = [
            Space(
                organisation_id=charity.id,
                name=f"Hall {n}",
                address="1 High St",
                postcode="ZZ1 1ZZ",
                step_free=n < 2,
            )
            for n in range(3)
        ]
        db.session.add_all(spaces)
        for name, status, interests in [
            ("Lunch club", "active", ["social", "cooking"]),
            ("Choir", "active", ["music", "social"]),
            ("Old walk", "ended", ["walking"]),
        ]:
            db.session.add(
                Group(
                    organisation_id=charity.id,
                    name=name,
                    status=status,
                    interests=interests,
                    frequency="weekly",
                    weekday="tue",
                    start_time=time(10),
                    end_time=time(12),
                    starts_on=date(2026, 1, 6),
                )
            )
        persons = [
            Person(first_name=f"Secretname{n}" if with_names else f"P{n}", postcode="ZZ1 1ZZ")
            for n in range(people)
        ]
        db.session.add_all(persons)
        db.session.flush()
        for direction, counts in (("offer", offers), ("request", requests)):
            for kind, count in counts.items():
                for n in range(count):
                    db.session.add(
                        HelpListing(
                            person_id=persons[n % len(persons)].id,
                            direction=direction,
                            kind=kind,
                            status="open",
                        )
                    )
        db.session.add(
            HelpListing(person_id=persons[0].id, direction="offer", kind="lifts", status="closed")
        )
        db.session.commit()


def _figure(block, key):
    return next(part for part in block["parts"] if part["key"] == key)


def test_public_counts_are_shown_as_they_are(app, signed_in):
    _area(app, offers={}, requests={}, people=6)
    client, _ = signed_in("council")
    body = client.get("/api/v1/area/summary").get_json()
    assert body["organisations"]["total"]["count"] == 2
    assert _figure(body["organisations"], "faith")["count"] == 1
    assert _figure(body["organisations"], "health")["count"] == 0  # public: no suppression
    assert body["spaces"]["count"] == 3 and body["step_free_spaces"]["count"] == 2
    assert body["active_groups"]["total"]["count"] == 2
    assert _figure(body["active_groups"], "social")["count"] == 2
    assert _figure(body["active_groups"], "walking")["count"] == 0  # the ended group is not counted


def test_small_counts_about_people_are_null_and_flagged(app, signed_in):
    _area(app, offers={"shopping": 7, "lifts": 2}, requests={"digital": 3}, people=4)
    client, _ = signed_in("council")
    body = client.get("/api/v1/area/summary").get_json()
    assert body["people"] == {
        "key": "people",
        "label": "People registered",
        "count": None,
        "suppressed": True,
    }
    assert _figure(body["open_offers"], "lifts")["count"] is None  # 2 open (a closed one too)
    assert _figure(body["open_offers"], "befriending_phone")["suppressed"] is True  # 0 is withheld
    assert body["open_offers"]["total"]["count"] == 9
    # 9 - 7 would give the small figures away, so 7 is withheld as well.
    assert _figure(body["open_offers"], "shopping")["count"] is None
    assert body["open_requests"]["total"] == {
        "key": "open_requests",
        "label": "Open requests for help",
        "count": None,
        "suppressed": True,
    }


def test_counts_at_the_threshold_are_shown(app, signed_in):
    _area(app, offers={"shopping": 5, "lifts": 5}, requests={}, people=5)
    client, _ = signed_in("site_admin")
    body = client.get("/api/v1/area/summary").get_json()
    assert body["people"]["count"] == 5
    assert body["open_offers"]["total"]["count"] == 10
    # The other kinds have no offers: withheld, but adding up to nobody, so
    # they give no one away and hide neither five.
    assert _figure(body["open_offers"], "shopping")["count"] == 5
    assert _figure(body["open_offers"], "lifts")["count"] == 5


def test_the_page_says_suppressed_never_a_small_number(app, signed_in):
    _area(app, offers={"shopping": 2}, requests={"lifts": 1}, people=3)
    client, _ = signed_in("council")
    page = client.get("/council").get_data(as_text=True)
    assert "suppressed" in page
    assert "smaller than 5" in page  # the explanation
    assert "&lt;5" not in page and "<5" not in page
    people_card = page.split("people registered")[0].rsplit('class="figure">', 1)[1]
    assert "suppressed" in people_card and "3" not in people_card


def test_the_page_never_shows_a_row_about_a_person(app, signed_in):
    _area(app, offers={"shopping": 6}, requests={"lifts": 6}, people=8, with_names=True)
    client, _ = signed_in("council")
    for response in (client.get("/council"), client.get("/api/v1/area/summary")):
        assert "Secretname" not in response.get_data(as_text=True)
        assert "ZZ1 1ZZ" not in response.get_data(as_text=True)


def test_the_threshold_comes_from_configuration(app, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "MIN_CELL_COUNT", 10)
    _area(app, offers={}, requests={}, people=8)
    client, _ = signed_in("council")
    body = client.get("/api/v1/area/summary").get_json()
    assert body["min_cell_count"] == 10 and body["people"]["suppressed"] is True


def test_council_dashboard_links_the_figures(app, signed_in):
    client, _ = signed_in("council")
    assert 'href="/council"' in client.get("/me").get_data(as_text=True)


@pytest.mark.parametrize("role", ["resident", "worker", "org_admin"])
def test_other_roles_cannot_see_the_figures(app, signed_in, role):
    client, _ = signed_in(role)
    assert client.get("/council").status_code == 403
    assert client.get("/api/v1/area/summary").status_code == 403


@settings(max_examples=300, deadline=None)
@given(
    counts=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 40), min_size=1),
    min_count=st.integers(1, 12),
)
def test_suppression_never_reveals_a_small_count(counts, min_count):
    total = sum(counts.values())
    parts, shown_total = suppress(counts, total, min_count)
    shown = {key: value for key, value in parts.items() if value is not None}
    # Every figure shown is true and at least the threshold; zero is never shown.
    assert all(counts[key] == value >= min_count for key, value in shown.items())
    # The total is shown exactly when it is at least the threshold.
    assert shown_total == (total if total >= min_count else None)
    # What can be worked out by subtraction (the withheld parts together) is
    # nobody, or at least the threshold. (Withheld zeros may add up to 0:
    # working out that nobody is in them gives no one away, and the one rule
    # shared with the network figures hides no more for them.)
    if shown_total is not None:
        hidden_sum = shown_total - sum(shown.values())
        withheld = [key for key, value in parts.items() if value is None]
        assert hidden_sum == 0 or hidden_sum >= min_count
        # Nothing is withheld needlessly: with no small part, all parts are shown.
        if all(count >= min_count for count in counts.values()):
            assert withheld == []
