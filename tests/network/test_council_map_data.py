"""The council map's data at its own URL (issue 15): named by its digest,
gzip made once and sent to a browser that takes it, kept by that browser,
stale URLs told so, and the same document whichever worker builds it.

On the small area (tests/factories/network.py): cell A is shown with six
people, all at risk, and one group; cells B and C are withheld.
"""

from __future__ import annotations

import gzip
import json

import pytest

from betterway_map.network import map_layers, report_store
from tests.factories.council_map import data_url, drawn_points, fetch_document, near
from tests.factories.maps import needs_assets
from tests.factories.network import CELL_A, CELL_B, CELL_C, add_people, small_area

pytestmark = needs_assets

PAGE = "/council/network"


@pytest.fixture()
def area(app):
    return small_area(app)


@pytest.fixture()
def council(area, signed_in):
    client, _ = signed_in("council")
    return client


def _page(client, query: str = "") -> str:
    response = client.get(PAGE + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_names_its_data_and_carries_none_of_it(council):
    page = _page(council)
    url = data_url(page)
    assert url.startswith("/council/network/map/") and url.endswith(".json")
    document = fetch_document(council, page)
    # The figures and the places are in the document, not in the page.
    assert [cell[:3] for cell in document["cells"]] == [["ZZ1 2", 6, 6]]
    assert "Lunch Club" in json.dumps(document)
    script = page.split("<script nonce=", 1)[1].split("</script>", 1)[0]
    assert "Lunch Club" not in script and "ZZ1 2" not in script and '"rows":' not in script
    assert 'id="council-map-status"' in page and 'role="status"' in page


def test_gzip_to_a_browser_that_takes_it_and_identity_to_one_that_does_not(council):
    url = data_url(_page(council))
    zipped = council.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = council.get(url, headers={"Accept-Encoding": "identity"})
    refused = council.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert zipped.status_code == plain.status_code == refused.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers and "Content-Encoding" not in refused.headers
    assert gzip.decompress(zipped.data) == plain.data == refused.data
    assert len(zipped.data) < len(plain.data)
    assert zipped.mimetype == plain.mimetype == "application/json"
    for response in (zipped, plain):
        assert "Accept-Encoding" in response.vary
        control = response.cache_control
        assert control.private and not control.public and not control.no_store
        # Kept, but asked for again on every use: access is checked each time.
        assert control.no_cache and not control.max_age and not control.immutable
    assert zipped.get_etag()[0] != plain.get_etag()[0]  # different bytes, different tags


def test_a_browser_that_has_it_is_told_304(council):
    url = data_url(_page(council))
    for encoding in ("gzip", "identity"):
        first = council.get(url, headers={"Accept-Encoding": encoding})
        etag = first.headers["ETag"]
        again = council.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == etag and "no-store" not in again.headers["Cache-Control"]


def test_a_url_from_before_the_report_changed_is_stale_404_in_words(app, area, council):
    url = data_url(_page(council))
    # Five more people in cell B: the report is recomputed (the tests
    # compute it in the request), and the map's document with it.
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    new_url = data_url(_page(council))
    assert new_url != url
    stale = council.get(url)
    assert stale.status_code == 404 and stale.mimetype == "text/plain"
    assert "Reload the page" in stale.get_data(as_text=True)
    assert stale.headers["Cache-Control"] == "no-store"
    assert council.get(new_url).status_code == 200


@pytest.mark.parametrize(
    "digest", ["0" * 32, "not-a-digest", "A" * 32, "0" * 64, "%3Cscript%3E"], ids=str
)
def test_an_unknown_digest_is_a_plain_404(council, digest):
    _page(council)
    response = council.get(f"/council/network/map/{digest}.json")
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert "Reload the page" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_bad_filter_on_the_data_url_is_a_clear_400(council):
    url = data_url(_page(council))
    response = council.get(url + "?window=7")
    assert response.status_code == 400 and "30, 90 or 365" in response.get_data(as_text=True)


def test_the_filters_travel_in_the_url_and_change_the_document(council):
    plain = _page(council)
    books = _page(council, "?interest=books&window=30&colour_by=audience")
    url = data_url(books)
    assert "interest=books" in url and "window=30" in url and "colour_by=audience" in url
    assert url.split("?")[0] != data_url(plain).split("?")[0]
    # The books filter keeps no group: cell A has none within a walk.
    assert [cell[4] for cell in fetch_document(council, plain)["cells"]] == [1]
    assert [cell[4] for cell in fetch_document(council, books)["cells"]] == [0]
    # The same digest under other filters is not that document.
    digest = url.split("?")[0]
    assert council.get(digest).status_code == 404


def test_another_worker_builds_the_same_document_from_the_stored_report(app, council):
    """A worker that has not read the report (or kept the filtered one)
    decodes it from the database and builds byte for byte the same
    document, so the page's URL works whichever worker answers it."""
    for query in ("", "?interest=books"):
        url = data_url(_page(council, query))
        first = council.get(url, headers={"Accept-Encoding": "identity"}).data
        report_store._kept.clear()
        map_layers._filtered.clear()
        again = council.get(url, headers={"Accept-Encoding": "identity"})
        assert again.status_code == 200 and again.data == first


def test_the_data_holds_no_one_and_draws_no_home(area, council):
    document = fetch_document(council, _page(council))
    text = json.dumps(document)
    assert "Alpha" not in text and "Beta" not in text and "Cyd" not in text
    assert CELL_A not in text and CELL_B not in text and CELL_C not in text
    drawn = drawn_points(document)
    assert drawn and not any(near(home, drawn) for home in area["homes"])
    for lat, lon in area["homes"]:
        assert str(lat) not in text and str(lon) not in text


def test_the_page_still_reads_a_kept_map_without_building_it_again(app, council):
    _page(council)
    with app.app_context():
        stored = report_store.kept()
        [built] = [entry[1] for key, entry in stored.maps.items() if key[0] == "map"]
    _page(council)
    with app.app_context():
        [again] = [entry[1] for key, entry in report_store.kept().maps.items() if key[0] == "map"]
    assert again is built
