"""Group suggestions from the database (``matching.services.suggestions``):
the neighbourhood of ``tests/factories/suggestions.py``, whose groups each
fail one filter or pass them all."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import event, select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.errors import NotFound
from betterway_map.extensions import db
from betterway_map.matching.services.suggestions import Options, own_suggestions, suggestions_for
from tests.conftest import make_user
from tests.factories.days import FromToday, dated
from tests.factories.matching import make_volunteer
from tests.factories.nearby import point_at, space_at
from tests.factories.organisations import make_group
from tests.factories.people import make_resident_with_profile
from tests.factories.suggestions import MAUD, add_members, make_world

ANY = Options()


def _suggest(app, user_id: int, person_id: int, options: Options = ANY):
    with app.app_context():
        return suggestions_for(db.session.get(User, user_id), person_id, options)


def _names(result) -> list[str]:
    return [item.name for item in result.items]


def test_only_groups_passing_every_filter_are_suggested_best_first(app):
    # Garden Club: gardening (2) + nearness 0.75; Choir: music (2) + 0.5.
    world = make_world(app)
    result = _suggest(app, world.worker, world.maud)
    assert _names(result) == ["Garden Club", "Choir"]
    assert result.radius_km == 2.0 and result.explanation is None


def test_each_suggestion_says_why(app):
    world = make_world(app)
    garden = _suggest(app, world.worker, world.maud).items[0]
    assert garden.reasons == (
        "It is about something you enjoy: gardening and nature.",
        "0.5 km from your home: within 2 km.",
        "It meets on Tuesday mornings, a time you are free.",
        "It is free.",
        "It is for older people.",
    )
    assert garden.when == "Every Tuesday, 10am to 12pm"
    assert garden.where.startswith("Eastbrook Hall, 1 Test Street")
    assert garden.access == ("step-free access", "a hearing loop")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (Options(access_needs=frozenset({"hearing_loop"})), ["Garden Club"]),
        (Options(access_needs=frozenset({"step_free"})), ["Garden Club"]),
        (Options(max_cost_pence=299), ["Garden Club"]),
        (Options(max_cost_pence=300), ["Garden Club", "Choir"]),
        (Options(audiences=frozenset({"parents"})), ["Garden Club", "Choir", "Parents Meet"]),
        (Options(radius_km=5), ["Garden Club", "Choir", "Far Walk"]),
    ],
)
def test_the_page_choices_filter(app, options, expected):
    world = make_world(app)
    assert sorted(_names(_suggest(app, world.worker, world.maud, options))) == sorted(expected)


def test_without_a_travel_distance_two_km_is_used(app):
    world = make_world(app, travel_km=None)
    assert _suggest(app, world.worker, world.maud).radius_km == 2.0


def test_nothing_at_a_free_time_says_why_and_how_many_a_wider_search_finds(app):
    world = make_world(app, availability=["tue_am"], interests=[])
    organisation = world.organisation
    make_group(app, organisation, space_at(app, organisation, 4.0), name="Far Coffee")
    result = _suggest(app, world.worker, world.maud, Options(access_needs=frozenset({"parking"})))
    assert result.items == ()
    assert result.explanation == (
        "There are 2 groups within 2 km of your home that meet when you are free, "
        "but none has parking."
    )
    assert (result.wider_radius_km, result.wider_count) == (5.0, 0)
    wider = _suggest(app, world.worker, world.maud)
    assert wider.wider_count is None  # there were suggestions: nothing to widen


def test_an_empty_list_counts_what_a_wider_search_would_suggest(app):
    world = make_world(app, availability=["wed_am"])
    organisation = world.organisation
    far = space_at(app, organisation, 4.0, 90)
    make_group(app, organisation, far, name="Far Wednesday", weekday="wed", start_time=time(10))
    result = _suggest(app, world.worker, world.maud)
    # Garden Club, Choir, Parents Meet and Quiz Night are within 2 km; none on
    # a Wednesday morning. Within 5 km, Far Wednesday is.
    assert result.explanation == (
        "There are 4 groups within 2 km of your home, but none meets when you are free."
    )
    assert (result.wider_radius_km, result.wider_count) == (5.0, 1)


def test_an_unknown_home_is_explained(app):
    world = make_world(app, latitude=None, longitude=None, postcode=None)
    result = _suggest(app, world.worker, world.maud)
    assert not result.home_known and result.items == ()
    assert "do not know where you live" in result.explanation


def test_a_home_from_the_postcode_alone(app):
    world = make_world(app, latitude=None, longitude=None)
    assert _names(_suggest(app, world.worker, world.maud)) == ["Garden Club", "Choir"]


def test_people_like_them_count_from_five(app):
    world = make_world(app)
    add_members(app, world.groups["Choir"], 4)
    choir = _suggest(app, world.worker, world.maud).items[1]
    assert not any("around your age" in reason for reason in choir.reasons)
    add_members(app, world.groups["Choir"], 1, age_band="85+")
    choir = next(i for i in _suggest(app, world.worker, world.maud).items if i.name == "Choir")
    assert "At least 5 people around your age already go." in choir.reasons
    add_members(app, world.groups["Choir"], 3, age_band="18-24")  # not similar: no change
    choir = next(i for i in _suggest(app, world.worker, world.maud).items if i.name == "Choir")
    assert sum("around your age" in r for r in choir.reasons) == 1


def _buddy(app, world, **offer):
    lat, lon = point_at(1.2, 180)  # 0.2 km beyond the Choir's church
    return make_volunteer(
        app,
        world.worker,
        person={"latitude": lat, "longitude": lon},
        **({"kinds": ["go_along"]} | offer),
    )


def _has_buddy(app, world, name="Choir") -> bool:
    items = _suggest(app, world.worker, world.maud).items
    return any(
        "go along" in reason for item in items if item.name == name for reason in item.reasons
    )


def test_a_volunteer_nearby_who_goes_along_is_a_reason(app):
    world = make_world(app)
    _buddy(app, world, travel_km=1.0)
    assert _has_buddy(app, world, "Choir")
    # The Garden Club's hall is about 1.6 km from the volunteer: beyond their 1 km.
    assert not _has_buddy(app, world, "Garden Club")


@pytest.mark.parametrize(
    "offer",
    [
        {"kinds": ["shopping"]},
        {"restricted_kinds": ["go_along"]},
        {"dbs_status": "none"},
        {"dbs_expires_on": FromToday(10)},  # expires before a review
        {"capacity": 0},
    ],
)
def test_a_volunteer_who_could_not_go_along_is_not_a_reason(app, offer):
    world = make_world(app)
    _buddy(app, world, **dated(offer, as_dates=True))
    assert not _has_buddy(app, world)


def test_groups_they_go_to_are_left_out(app):
    world = make_world(app)
    assert "Lunch Club" not in _names(_suggest(app, world.worker, world.maud))


def test_a_worker_not_assigned_gets_not_found(app):
    world = make_world(app)
    other = make_user(app, "worker")
    with pytest.raises(NotFound):
        _suggest(app, other, world.maud)


def test_a_workers_look_is_audited_and_the_persons_own_is_not(app):
    world = make_world(app)
    _suggest(app, world.worker, world.maud)
    resident, person_id = make_resident_with_profile(app, **MAUD)
    with app.app_context():
        own = own_suggestions(db.session.get(User, resident))
        assert _names(own) == ["Garden Club", "Choir", "Lunch Club"] and own.own  # not hers
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.detail == "group suggestions")
        ).all()
    assert [(e.user_id, e.action, e.subject_id, e.detail) for e in events] == [
        (world.worker, "view", world.maud, "group suggestions")
    ]


def test_a_resident_without_a_profile_has_no_suggestions(app):
    resident = make_user(app, "resident")
    with app.app_context():
        assert own_suggestions(db.session.get(User, resident)) is None


def test_the_number_of_queries_does_not_grow_with_the_groups(app):
    world = make_world(app)

    def queries() -> int:
        statements = []
        with app.app_context():
            engine = db.engine
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            try:
                suggestions_for(db.session.get(User, world.worker), world.maud)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    before = queries()
    for number in range(15):
        space = space_at(app, world.organisation, 0.1 * (number + 1), 45)
        group_id = make_group(app, world.organisation, space, interests=["music"])
        add_members(app, group_id, 1)
    _buddy(app, world)
    assert queries() == before
