"""The site admin's area indicator pages: upload, list, delete."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from betterway_map.extensions import db
from betterway_map.geocoding.models import AreaIndicator, AreaIndicatorValue
from tests.conftest import csrf_token
from tests.factories.area_indicators import boundaries, codes, ten_areas, values


def _post(client, csv: bytes | None, geojson: bytes | None, **form):
    data = {
        "csrf_token": csrf_token(client),
        "name": "Loneliness index",
        "source": "ONS",
        "licence": "OGL v3.0",
        "higher_is_more_need": "y",
        **form,
    }
    if csv is not None:
        data["values_file"] = (io.BytesIO(csv), "values.csv")
    if geojson is not None:
        data["boundaries_file"] = (io.BytesIO(geojson), "areas.geojson")
    return client.post("/admin/areas/new", data=data, content_type="multipart/form-data")


def _areas(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AreaIndicatorValue))


def test_a_site_admin_uploads_two_files_and_sees_the_report(app, signed_in):
    client, _ = signed_in("site_admin")
    area_codes = codes(6)
    response = _post(client, values([(c, 2) for c in area_codes[:5]]), boundaries(area_codes[1:]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Loneliness index is loaded" in page
    assert "Loaded 4 areas" in page
    assert "1 codes have no boundary (not drawn, but counted in the deciles): E01000001" in page
    assert "1 boundaries have no value (left out): E01000006" in page
    assert _areas(app) == 4


def test_the_list_shows_what_was_loaded_by_whom_and_deletes_it(app, signed_in):
    client, _ = signed_in("site_admin", name="Sam Admin")
    _post(client, *ten_areas())
    page = client.get("/admin/areas").get_data(as_text=True)
    for text in (
        "Loneliness index",
        "ONS",
        "OGL v3.0",
        "10 LSOA (England) 2021 areas",
        "by Sam Admin",
    ):
        assert text in page
    with app.app_context():
        indicator_id = db.session.scalar(select(AreaIndicator.id))
    response = client.post(
        f"/admin/areas/{indicator_id}/delete", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    assert "No area indicator is loaded yet." in client.get("/admin/areas").get_data(as_text=True)
    assert _areas(app) == 0


@pytest.mark.parametrize(
    ("csv", "geojson", "message"),
    [
        (
            b"code,value\nE01000001,high\n",
            boundaries(codes(1)),
            "row 2: &#39;high&#39; is not a number",
        ),
        (
            values([(c, 1) for c in codes(2, "E02")]),
            boundaries(codes(2)),
            "The values use MSOA (England)",
        ),
        (None, boundaries(codes(1)), "Choose the values file (CSV)."),
        (b"code,value\nE01000001,1\n", None, "Choose the boundaries file (GeoJSON)."),
        (b"", boundaries(codes(1)), "The values file is empty."),
    ],
)
def test_a_refused_upload_says_why_and_writes_nothing(app, signed_in, csv, geojson, message):
    client, _ = signed_in("site_admin")
    response = _post(client, csv, geojson)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "There is a problem" in page
    assert _areas(app) == 0


def test_a_missing_name_is_asked_for(app, signed_in):
    client, _ = signed_in("site_admin")
    page = _post(client, *ten_areas(), name="").get_data(as_text=True)
    assert "Enter the name" in page
    assert _areas(app) == 0


def test_an_upload_too_big_is_refused_with_the_limit(app, signed_in):
    client, _ = signed_in("site_admin")
    big = b"code,value\n" + b"E01000001,1\n" * 100_000
    # Encoded in memory: the test client would spool a body this big to a
    # temporary file that nothing closes once the app refuses it unread.
    stream, _, boundary = stream_encode_multipart(
        {
            "csrf_token": csrf_token(client),
            "values_file": FileStorage(io.BytesIO(big), "values.csv"),
            "boundaries_file": FileStorage(io.BytesIO(boundaries(codes(1))), "areas.geojson"),
        },
        use_tempfile=False,
    )
    response = client.post(
        "/admin/areas/new",
        data=stream.getvalue(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert _areas(app) == 0


@pytest.mark.parametrize("role", ["council", "worker", "org_admin", "resident"])
def test_other_roles_are_refused(app, signed_in, role):
    client, _ = signed_in(role)
    assert client.get("/admin/areas").status_code == 403
    assert _post(client, *ten_areas()).status_code == 403
    assert _areas(app) == 0


def test_the_site_admins_dashboard_links_the_page(app, signed_in):
    client, _ = signed_in("site_admin")
    assert "/admin/areas" in client.get("/me").get_data(as_text=True)
