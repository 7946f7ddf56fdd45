"""Plain words on the pages a resident reads about themself: no survey jargon
("UCLA", "ONS", "measures") and "you"/"your", never "they"/"the person".

Every page a resident can reach about their own record is rendered with a
record that has something in every section (answers, a tie, volunteering,
help, a group, a consent), so every sentence that could be shown is shown.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.factories.person_records import (
    attendance,
    consent,
    listing_of,
    measure,
    organisation_with_group,
    own_person,
    tie_of,
    volunteer,
)

JARGON = re.compile(r"\bUCLA\b|\bONS\b|\bmeasures?\b|\bitem\b", re.IGNORECASE)
# Ways of speaking about the reader as someone else: "they feel", "their
# details", "the person", "themself".
ABOUT_SOMEONE_ELSE = re.compile(
    r"\b(the|this) person\b|\bthemsel(f|ves)\b|\b(their|them|they)\b", re.IGNORECASE
)
# "They" about another person, someone the reader is in touch with, is right.
ABOUT_OTHERS = re.compile(
    r"who (are they|they are) to you|how often (are they|they are) in touch|say who they are",
    re.IGNORECASE,
)


def _resident_with_everything(app, user_id):
    _, person_id = own_person(app, user_id, first_name="Rita", postcode="ZZ1 1AA")
    measure(app, person_id, ucla_companionship=3, ucla_left_out=3, ucla_isolated=2, ucla_total=8)
    measure(app, person_id, direct="often_always")
    tie_id = tie_of(app, person_id)
    volunteer(app, person_id, lived_experience=["caring"])
    listing_id = listing_of(app, person_id, direction="offer")
    _, group_id = organisation_with_group(app)
    attendance(app, person_id, group_id)
    for purpose in ("register", "share_with_groups", "measures", "matching", "contact"):
        consent(app, person_id, purpose, method="online")
    return person_id, tie_id, listing_id


PAGES = [
    "/me",
    "/profile",
    "/profile/edit",
    "/profile/data",
    "/people/{person}/measures",
    "/people/{person}/ties",
    "/people/{person}/ties/{tie}/edit",
    "/people/{person}/volunteer",
    "/people/{person}/help",
    "/people/{person}/help/{listing}/edit",
    "/people/{person}/groups",
    "/account",
]


def _main_text(html: str) -> str:
    """What a person reads in the page's main part (tags dropped, hidden text kept)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture()
def resident_pages(app, signed_in):
    client, user_id = signed_in("resident")
    person_id, tie_id, listing_id = _resident_with_everything(app, user_id)

    def read(path: str) -> str:
        url = path.format(person=person_id, tie=tie_id, listing=listing_id)
        response = client.get(url)
        assert response.status_code == 200, url
        return _main_text(response.get_data(as_text=True))

    return read


@pytest.mark.parametrize("path", PAGES)
def test_a_residents_own_page_has_no_survey_jargon(resident_pages, path):
    text = resident_pages(path)
    assert not JARGON.findall(text), [m.group(0) for m in JARGON.finditer(text)]


@pytest.mark.parametrize("path", PAGES)
def test_a_residents_own_page_speaks_to_them_as_you(resident_pages, path):
    text = ABOUT_OTHERS.sub("…", resident_pages(path))
    found = [text[max(0, m.start() - 50) : m.end() + 30] for m in ABOUT_SOMEONE_ELSE.finditer(text)]
    assert not found, found


@pytest.mark.parametrize(
    "answers",
    [
        {"ucla_companionship": "2", "ucla_left_out": "3"},  # two of the three
        {},  # nothing at all
    ],
)
def test_a_resident_told_to_finish_the_questions_reads_plain_words(
    app, signed_in, post_form, answers
):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    response = post_form(
        client, f"/people/{person_id}/measures", {"measured_on": "2024-01-01", **answers}
    )
    assert response.status_code == 400
    text = _main_text(response.get_data(as_text=True))
    assert "questions about how you feel" in text
    assert not JARGON.findall(text) and not ABOUT_SOMEONE_ELSE.findall(ABOUT_OTHERS.sub("", text))


@pytest.mark.parametrize("path", ["/people/{person}/measures", "/people/{person}/ties"])
def test_a_worker_reads_the_same_pages_about_someone_else(app, signed_in, path):
    """The worker's pages keep the person in the third person; the technical
    name of the scale is a hint for them, not the main label."""
    from tests.factories.person_records import assigned_person

    client, worker_id = signed_in("worker")
    person_id = assigned_person(app, worker_id, first_name="Walter")
    text = _main_text(client.get(path.format(person=person_id)).get_data(as_text=True))
    if path.endswith("measures"):
        assert "Walter’s answers about loneliness" in text
        assert "The three questions about how they feel are the UCLA 3-item" in text
    else:
        assert "Who are they to the person?" in text and "In the person's own words" in text
