"""The organisation network as a picture for council viewers, its table and
its files (issue 10): the layout repeats, each organisation's reach is
withheld below the minimum in the table and the picture alike, brokers are
named, names are escaped, and no person's home is anywhere in it."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from defusedxml.ElementTree import fromstring

from betterway_map.domain.clock import today_in_uk
from tests.factories.network import small_area
from tests.factories.network_pictures import shows_place
from tests.factories.organisations import make_group, make_organisation, make_partnership
from tests.factories.person_records import assigned_person, attendance

SVG = "{http://www.w3.org/2000/svg}"
PAGE = "/council/network/organisations"


def _chain(app, members: dict[str, int]) -> dict:
    """Organisations in a line, each partnered with the next (the middle
    ones are brokers); each with a group that ``members[name]`` people go to
    (attended last week), their homes a little apart."""
    worker = assigned = None
    ids, homes = {}, []
    previous = None
    for n, (name, count) in enumerate(members.items()):
        organisation = make_organisation(app, name=name, sector="voluntary")
        group = make_group(app, organisation, name=f"{name} club")
        for i in range(count):
            if worker is None:
                from tests.conftest import make_user

                worker = make_user(app, "worker")
            home = (52.40 + 0.003 * n, -1.20 + 0.002 * i)
            assigned = assigned_person(app, worker, latitude=home[0], longitude=home[1])
            attendance(app, assigned, group, last_attended_on=today_in_uk() - timedelta(days=7))
            homes.append(home)
        if previous is not None:
            make_partnership(app, previous, organisation, last_active_on=today_in_uk())
        ids[name] = organisation
        previous = organisation
    return {"ids": ids, "homes": homes}


def _table(client) -> dict[str, dict]:
    response = client.get(f"{PAGE}/files/organisation-network.csv")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    return {row["Organisation"]: row for row in rows}


def test_a_council_viewer_sees_every_organisation_and_the_brokers_named(app, signed_in):
    # Ash - Beech - Cedar: Beech links the other two, so it is a broker.
    _chain(app, {"Ash": 0, "Beech": 0, "Cedar": 0})
    client, _ = signed_in("council")
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in ("Ash", "Beech", "Cedar"):
        assert f'aria-label="{name} (Voluntary or community), community 1' in page
    assert "broker, score 1.000" in page
    assert re.search(r'<text class="np-label"[^>]*font-weight="bold"[^>]*>Beech</text>', page)
    assert not re.search(r'<text class="np-label"[^>]*font-weight="bold"[^>]*>Ash</text>', page)
    assert _table(client)["Beech"]["Broker score"] == "1.000 (broker)"
    assert "Ash (partnership); Cedar (partnership)" in _table(client)["Beech"]["Linked with"]


def test_reach_below_the_minimum_is_withheld_and_drawn_at_the_smallest(app, signed_in):
    # Oak's group has 5 people going (shown), Elm's 4 (withheld, too few).
    _chain(app, {"Oak": 5, "Elm": 4})
    client, _ = signed_in("council")
    table = _table(client)
    assert table["Oak"]["People reached"] == "5"
    assert table["Elm"]["People reached"] == "withheld"
    page = client.get(PAGE).get_data(as_text=True)
    assert "Oak (Voluntary or community), community 1, reaches 5 people" in page
    assert "people reached withheld" in page
    assert "reaches 4 people" not in page


def test_the_picture_is_the_same_every_time(app, signed_in):
    _chain(app, {"Ash": 0, "Beech": 0, "Cedar": 0, "Dell": 0})
    client, _ = signed_in("council")
    first = client.get(f"{PAGE}/files/organisation-network.svg").data
    assert client.get(f"{PAGE}/files/organisation-network.svg").data == first


def test_the_svg_file_is_a_picture_with_its_title_and_description(app, signed_in):
    _chain(app, {"Ash": 0, "Beech": 0})
    client, _ = signed_in("council")
    response = client.get(f"{PAGE}/files/organisation-network.svg")
    assert response.mimetype == "image/svg+xml"
    assert "attachment" in response.headers["Content-Disposition"]
    root = fromstring(response.data)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "How organisations work together"
    assert "2 organisations and the 1 link between them" in root.find(f"{SVG}desc").text
    assert "tabindex" not in response.get_data(as_text=True)


def test_names_are_text_in_the_picture_and_not_formulas_in_the_table(app, signed_in):
    hostile = "<script>alert(1)</script>"
    formula = '=HYPERLINK("http://x")'
    _chain(app, {hostile: 0, formula: 0})
    client, _ = signed_in("council")
    page = client.get(PAGE).get_data(as_text=True)
    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "'" + formula in _table(client)


@pytest.mark.parametrize("name", ["organisation-network.json", "cells.csv", "..%2Fsecret"])
def test_an_unknown_file_is_not_found(app, signed_in, name):
    client, _ = signed_in("council")
    assert client.get(f"{PAGE}/files/{name}").status_code == 404


def test_no_person_s_home_is_in_the_picture_the_table_or_the_files(app, signed_in):
    area = small_area(app)
    chain = _chain(app, {"Oak": 6, "Elm": 5})
    client, _ = signed_in("council")
    everything = "".join(
        client.get(url).get_data(as_text=True)
        for url in (
            PAGE,
            *(
                f"{PAGE}/files/{n}"
                for n in ("organisation-network.svg", "organisation-network.csv")
            ),
        )
    )
    assert "reaches 6 people" in everything
    for home in area["homes"] + chain["homes"]:
        assert not shows_place(everything, home), home
