"""Journeys through messages, in headless chromium with axe-core (WCAG 2.2 A
and AA) on every page visited:

* an organiser whose group showed "No one is on the list yet" now sees how
  many come and who would like to come, and welcomes someone; the person
  reads the welcome in their messages and replies; the organiser reads it;
* a visitor finds an offer of help (it was a dead end), signs in on the way
  to ask about it, and the question reaches the helper's community worker,
  whose reply comes back to the visitor's messages.
"""

from __future__ import annotations

import re

import pytest

from tests.factories.browser import (
    assert_accessible,
    serve,
    sign_in,
    skip_reason,
    visit,
)

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

ORGANISER_EMAIL = "olive.organiser@example.org"
INTERESTED_EMAIL = "edna.resident@example.org"
ASKER_EMAIL = "rita.asker@example.org"
WORKER_EMAIL = "wendy.worker@example.org"
GROUP = "Friday Lunch Club"
HALL = "Riverside Hall"
POSTCODE, AT = "ZZ1 1AG", (51.6012, -0.2011)
MEMBERS_UNNAMED = 3


def _seed(app) -> None:
    from betterway_map.extensions import db
    from betterway_map.geocoding.models import PostcodePoint
    from tests.conftest import make_user
    from tests.factories.nearby import offer_at_point
    from tests.factories.organisations import make_group, make_organisation, make_space
    from tests.factories.people import make_assigned_person, make_consent, make_person
    from tests.factories.person_records import attendance

    with app.app_context():
        db.session.add(
            PostcodePoint(postcode=POSTCODE, latitude=AT[0], longitude=AT[1], fictional=True)
        )
        db.session.commit()
    organiser = make_user(app, "org_admin", email=ORGANISER_EMAIL, name="Olive")
    organisation = make_organisation(app, organiser, name="Riverside Community Trust")
    hall = make_space(
        app, organisation, name=HALL, postcode=POSTCODE, latitude=AT[0], longitude=AT[1]
    )
    group = make_group(app, organisation, hall, name=GROUP, weekday="fri")
    # Members who never agreed to their names being shared: counted, not named.
    for n in range(MEMBERS_UNNAMED):
        attendance(app, make_person(app, first_name=f"Hidden{n}"), group)
    edna = make_user(app, "resident", email=INTERESTED_EMAIL, name="Edna")
    attendance(app, make_person(app, first_name="Edna", user_id=edna), group, status="interested")
    make_user(app, "resident", email=ASKER_EMAIL, name="Rita")
    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wendy")
    daniel = make_assigned_person(app, worker, first_name="Daniel", address="7 Secret Lane")
    # Daniel agreed to his first name being shown with his offer (issue 13).
    make_consent(app, daniel, purpose="publish_offer", recorded_by_id=worker)
    offer_at_point(app, (AT[0] + 0.003, AT[1]), first_name="Winifred")  # nobody looks after her
    from betterway_map.people.models import HelpListing, Person

    with app.app_context():
        person = db.session.get(Person, daniel)
        person.latitude, person.longitude = AT[0] - 0.002, AT[1]
        db.session.add(
            HelpListing(person_id=daniel, direction="offer", kind="lifts", status="open")
        )
        db.session.commit()


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def _read_newest_message(page, base: str) -> str:
    """From any page: the header's "Messages (1 new)", then the newest message."""
    visit(page, f"{base}/")
    _click(page, "link", "Messages (1 new)")
    page.locator(".message-subject a").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    return page.inner_text("main")


def test_an_organiser_welcomes_someone_who_would_like_to_come(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, ORGANISER_EMAIL)
    visit(page, f"{base}/groups/")
    _click(page, "link", GROUP)
    _click(page, "link", f"Who comes to {GROUP}")
    main = page.inner_text("main")
    assert f"{MEMBERS_UNNAMED} people come to {GROUP}." in main
    assert "not agreed to share their first name" in main
    assert "No one is on the list yet" not in main
    assert "1 person has said they would like to come." in main
    _click(page, "link", "Welcome Edna")
    assert f"Welcome Edna to {GROUP}" in page.inner_text("h1")
    message = page.get_by_label("Message")
    suggested = message.input_value()
    assert f"would like to come to {GROUP}" in suggested and HALL in suggested
    message.fill("Hello Edna, we would love to see you on Friday. Ask for Olive.")
    _click(page, "button", "Send the welcome")
    main = page.inner_text("main")
    assert "Your welcome is sent" in main and "Welcomed on" in main

    # Edna reads it in her messages and replies.
    edna, edna_watch = person()
    sign_in(edna, base, INTERESTED_EMAIL)
    main = _read_newest_message(edna, base)
    assert f"A welcome from {GROUP}" in main
    assert "we would love to see you on Friday" in main
    assert f"From Olive, for {GROUP}" in main
    edna.get_by_label("Message").fill("Thank you, I will be there.")
    _click(edna, "button", "Send the reply")
    assert "Your reply to Olive, for Friday Lunch Club is sent." in edna.inner_text("main")
    assert "Messages (1 new)" not in edna.inner_text("header")

    # Olive reads the reply.
    main = _read_newest_message(page, base)
    assert f"Re: A welcome from {GROUP}" in main and "Thank you, I will be there." in main
    watch.check(page)
    edna_watch.check(edna)


def test_a_visitor_asks_about_an_offer_and_the_worker_replies(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby")
    page.get_by_label("Postcode").fill(POSTCODE)
    page.get_by_text("More choices").click()
    page.get_by_label("Offers of help").check()
    page.get_by_label("Groups").uncheck()
    page.get_by_label("Spaces").uncheck()
    _click(page, "button", "Search")
    page.get_by_role(
        "link", name=re.compile(r"Sign in to ask about this offer\W+Lifts by Daniel")
    ).click()
    page.wait_for_load_state("load")
    assert "/auth/login" in page.url
    from tests.conftest import PASSWORD

    page.get_by_label("Email address").fill(ASKER_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    _click(page, "button", "Sign in")
    assert "Ask about Daniel’s offer of lifts" in page.inner_text("h1")
    main = page.inner_text("main")
    assert "goes to the community worker who looks after Daniel" in main
    assert "7 Secret Lane" not in page.content()
    # Sending nothing is refused, and says what to do.
    _click(page, "button", "Send the question")
    assert "Enter the message." in page.inner_text("main")
    page.get_by_label("Message").fill("Could someone take me to the surgery on Monday?")
    _click(page, "button", "Send the question")
    assert "Your question about Daniel’s offer is sent" in page.inner_text("main")

    # Daniel's worker reads it and replies.
    wendy, wendy_watch = person()
    sign_in(wendy, base, WORKER_EMAIL)
    main = _read_newest_message(wendy, base)
    assert "A question about Daniel’s offer of lifts" in main
    assert "Rita asks about the offer of lifts by Daniel, whom you look after" in main
    assert "take me to the surgery on Monday" in main
    wendy.get_by_label("Message").fill("Daniel can take you. I will ring to arrange it.")
    _click(wendy, "button", "Send the reply")

    # Rita reads the reply.
    main = _read_newest_message(page, base)
    assert "Daniel can take you" in main and "From Wendy" in main
    watch.check(page, refused_forms=True)
    wendy_watch.check(wendy)
