"""The measures dashboards: the pages show the figures the services give,
as charts and tables, the CSVs hold the tables' cells, user-entered names
are escaped, and each person sees only what they may.

The first tests stand the services in with fixed figures (built from the
services' own dataclasses), so that every figure on the page can be traced
to one given; the last ones run the real services on a small caseload.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from defusedxml.ElementTree import fromstring

from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures.continuity import RhythmFigures
from betterway_map.domain.measures.equity import EquityRow
from betterway_map.domain.measures.published import Breakdown, Distribution
from betterway_map.domain.measures.quality import MarkDifference, MarkFigure
from betterway_map.domain.measures.trends import TrendRow
from betterway_map.extensions import db
from betterway_map.matching.models import SupportRequest
from betterway_map.measures.services import figures as services
from betterway_map.measures.views import dashboards
from tests.conftest import login, make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.measures import make_contact, make_rhythm
from tests.factories.organisations import make_organisation
from tests.factories.people import make_assigned_person

HOSTILE = '<script>alert("x")</script> =SUM(A1)'
MARKS = ("understanding", "collaboration", "commitment", "communication", "empowerment")


# ------------------------------------------------------------ fixed figures


def _marks(mean: float | None) -> list[MarkFigure]:
    return [MarkFigure(m, mean, 40 if mean else None, 12 if mean else None) for m in MARKS] + [
        MarkFigure("time_together", None, None, None)
    ]


def _continuity() -> services.ContinuityFigures:
    return services.ContinuityFigures(
        people=24,
        relationships=31,
        durations={
            "all": Distribution(24, 180.0, 90.0, 300.0),
            "ended": Distribution(None, None, None, None),
            "planned": Distribution(None, None, None, None),
            "unplanned": Distribution(None, None, None, None),
            "ongoing": Distribution(20, 200.0, 100.0, 320.0),
        },
        endings=Breakdown(
            {"planned": 8, "unplanned": None}, {"planned": 0.8, "unplanned": None}, 10
        ),
        same_counterpart=Distribution(24, 0.9, 0.75, 1.0),
        rhythm=RhythmFigures(24, 400, 0.73, 31, 0.68),
        changes=Breakdown({"0": 18, "1": 6, "2+": None}, {"0": 0.72, "1": 0.24, "2+": None}, 25),
        overdue=7,
    )


def _quality() -> services.QualityFigures:
    return services.QualityFigures(
        marks=_marks(4.1),
        person_side=_marks(4.3),
        other_side=_marks(3.6),
        differences=[MarkDifference("understanding", -0.7, 1.1, 12, 12)],
    )


def _trends() -> list[TrendRow]:
    return [
        TrendRow(date(2025, 1, 1), 20, 15, 60, 5, None),
        TrendRow(date(2025, 2, 1), 22, None, None, None, 0.75),
        TrendRow(date(2025, 3, 1), 24, 19, 71, 6, 0.8),
    ]


def organisation_figures(user, organisation_id, today=None):
    return services.OrganisationFigures(
        organisation_id=organisation_id,
        name=HOSTILE,
        today=date(2025, 3, 20),
        min_count=5,
        continuity=_continuity(),
        quality=_quality(),
        quality_by_group={f"{HOSTILE} lunch": _marks(4.0)},
        change=services.ChangeFigures(26, [], []),
        trends=_trends(),
    )


def _equity_rows(dimension):
    return [
        EquityRow(dimension, "online", 40, 30, 0.8, 24, 12.0, 0.7, 20, 0.5),
        EquityRow(dimension, "not online", 30, 25, 0.4, 10, 30.0, 0.5, None, None),
        EquityRow(dimension, "all", 70, 55, 0.62, 34, 18.0, 0.6, 25, 0.48),
    ]


def council_figures(user, today=None):
    return services.CouncilFigures(
        today=date(2025, 3, 20),
        min_count=5,
        continuity=_continuity(),
        continuity_by_kind={"match": _continuity(), "group": _continuity()},
        quality=_quality(),
        quality_by_organisation={HOSTILE: _marks(3.9)},
        quality_by_district={"LS6": _marks(4.2)},
        change=services.ChangeFigures(26, [], []),
        equity={name: _equity_rows(name) for name in ("age_band", "online")},
        trends=_trends(),
    )


@pytest.fixture
def fixed_figures(monkeypatch):
    monkeypatch.setattr(dashboards, "organisation_figures", organisation_figures)
    monkeypatch.setattr(dashboards, "council_figures", council_figures)


class Tables(HTMLParser):
    """Every <table> of a page: its id, then its rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def _signed_in(app, client, *roles):
    user = make_user(app, *roles)
    login(client, app, user)
    return user


def _organisation_page(app, client):
    admin = _signed_in(app, client, "org_admin")
    organisation_id = make_organisation(app, admin)
    response = client.get(f"/measures/organisations/{organisation_id}")
    assert response.status_code == 200
    return organisation_id, response.get_data(as_text=True)


# ------------------------------------------------------------ the pages


def test_the_organisation_dashboard_shows_quality_and_continuity(app, client, fixed_figures):
    _, html = _organisation_page(app, client)
    tables = tables_of(html)
    marks = tables["table-organisation-quality-marks"]
    assert marks[0][:3] == [
        "Mark of a good relationship",
        "The person: mean (1 to 5)",
        "The person: answers",
    ]
    assert marks[1] == ["Understanding", "4.3", "40", "3.6", "40"]
    assert marks[-1] == ["Time together", "withheld", "withheld", "withheld", "withheld"]
    continuity = tables["table-organisation-continuity"]
    assert continuity[1] == ["All", "24", "31", "180.0", "80%", "73%", "90%", "7"]
    endings = tables["table-organisation-endings"]
    assert endings[1:] == [
        ["Ended as planned", "8", "80%"],
        ["Ended unplanned", "withheld", "withheld"],
        ["All", "10", "100%"],
    ]
    assert "table-organisation-trends" in tables
    # The charts: one per drawn table, each an accessible image.
    assert html.count('role="img"') >= 5
    assert 'id="chart-organisation-trends"' in html


def test_a_withheld_figure_is_never_shown_as_a_number(app, client, fixed_figures):
    _, html = _organisation_page(app, client)
    changes = tables_of(html)["table-organisation-changes"]
    assert changes[3] == ["Changed twice or more", "withheld", "withheld"]
    svg = html[html.index('id="chart-organisation-changes"') :]
    svg = svg[: svg.index("</svg>")]
    assert "Changed twice or more: withheld" in svg


def test_names_typed_by_users_are_escaped_on_the_page_and_in_the_charts(app, client, fixed_figures):
    _, html = _organisation_page(app, client)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    # Every chart still parses as XML: nothing broke out of its element.
    start = 0
    while (start := html.find("<svg", start)) != -1:
        end = html.index("</svg>", start) + len("</svg>")
        fromstring(html[start:end])
        start = end


def test_each_csv_holds_the_cells_its_table_shows(app, client, fixed_figures):
    organisation_id, html = _organisation_page(app, client)
    tables = tables_of(html)
    names = [n.removeprefix("table-") for n in tables]
    assert len(names) >= 6
    for name in names:
        response = client.get(f"/measures/organisations/{organisation_id}/{name}.csv")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}.csv"'
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        expected = [
            [cell.removeprefix("'") if cell.startswith("'=") else cell for cell in row]
            for row in rows
        ]
        assert expected == tables[f"table-{name}"], name


def test_a_csv_neutralises_names_a_spreadsheet_would_run(app, client, fixed_figures):
    _signed_in(app, client, "council")
    body = client.get("/measures/council/area-quality-by-organisation.csv").get_data(as_text=True)
    row = next(csv.reader(io.StringIO(body.splitlines()[1])))
    assert row[0] == HOSTILE  # does not start with a formula character
    body = client.get("/measures/council/area-quality-by-district.csv").get_data(as_text=True)
    assert "LS6" in body


def test_an_unknown_table_is_not_found(app, client, fixed_figures):
    organisation_id, _ = _organisation_page(app, client)
    assert client.get(f"/measures/organisations/{organisation_id}/nothing.csv").status_code == 404


def test_the_council_dashboard_shows_equity_gaps_against_everyone(app, client, fixed_figures):
    _signed_in(app, client, "council")
    html = client.get("/measures/council?by=online").get_data(as_text=True)
    equity = tables_of(html)["table-equity-online"]
    assert equity[1] == ["online", "40", "30", "80%", "12.0", "70%", "20", "50%"]
    assert equity[2] == ["not online", "30", "25", "40%", "30.0", "50%", "withheld", "withheld"]
    assert equity[3][0] == "Everyone"
    # The gap chart marks everyone and says each group's distance from it.
    assert "Everyone: 62%" in html
    assert "40% (22 points below everyone)" in html
    assert "30.0 (12.0 above everyone)" in html
    assert 'aria-current="page">Online or not' in html


def test_the_council_dashboard_refuses_a_breakdown_it_does_not_offer(app, client, fixed_figures):
    _signed_in(app, client, "council")
    response = client.get("/measures/council?by=postcode")
    assert response.status_code == 400
    assert "&#39;postcode&#39; is not a way to break the figures down" in response.get_data(
        as_text=True
    )


def test_the_council_csv_follows_the_breakdown_asked_for(app, client, fixed_figures):
    _signed_in(app, client, "site_admin")
    assert client.get("/measures/council/equity-online.csv?by=online").status_code == 200
    assert client.get("/measures/council/equity-online.csv").status_code == 404  # age band shown


# ------------------------------------------------------------ who sees what, for real


def test_an_org_admin_cannot_see_another_organisations_dashboard(app, client):
    _signed_in(app, client, "org_admin")
    other = make_organisation(app, make_user(app, "org_admin"))
    assert client.get(f"/measures/organisations/{other}").status_code == 403
    assert (
        client.get(f"/measures/organisations/{other}/organisation-continuity.csv").status_code
        == 403
    )


def test_a_worker_sees_their_own_peoples_warnings_only(app, client):
    worker = _signed_in(app, client, "worker")
    today = today_in_uk()
    late = make_assigned_person(app, worker, first_name="Edna", last_name="Marsh")
    make_rhythm(app, person_id=late, worker_id=worker, agreed_on=today - timedelta(days=60))
    make_contact(app, person_id=late, worker_id=worker, contacted_on=today - timedelta(days=21))
    on_time = make_assigned_person(app, worker, first_name="Albert")
    make_rhythm(app, person_id=on_time, worker_id=worker, agreed_on=today - timedelta(days=60))
    make_contact(app, person_id=on_time, worker_id=worker, contacted_on=today - timedelta(days=2))
    someone_else = make_user(app, "worker")
    theirs = make_assigned_person(app, someone_else, first_name="Hidden")
    make_rhythm(app, person_id=theirs, worker_id=someone_else, agreed_on=today - timedelta(days=60))

    response = client.get("/measures/caseload")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "No contact for 3 weeks, agreed weekly." in html
    assert "Edna Marsh" in html
    assert "Albert" not in html and "Hidden" not in html
    rows = tables_of(html)["table-continuity-warnings"]
    assert rows[1][:5] == [
        "Edna Marsh",
        "You",
        "weekly",
        (today - timedelta(days=21)).isoformat(),
        "21",
    ]
    csv_response = client.get("/measures/caseload/continuity-warnings.csv")
    assert csv_response.headers["Cache-Control"] == "no-store"
    body = csv_response.get_data(as_text=True).lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(body))) == rows


def test_a_warning_about_a_match_links_to_the_match(app, client):
    worker = _signed_in(app, client, "worker")
    today = today_in_uk()
    volunteer = make_volunteer(app, worker)
    request = make_request(app, worker, person={"first_name": "Iris", "last_name": "Lane"})
    match = make_match(app, request, volunteer, "active", started_on=today - timedelta(days=60))
    with app.app_context():
        person = db.session.get(SupportRequest, request).person_id
    make_rhythm(app, person_id=person, match_id=match, agreed_on=today - timedelta(days=60))
    make_contact(app, person_id=person, match_id=match, contacted_on=today - timedelta(days=21))
    # Her caseload is overdue too: that warning links to her only.
    make_rhythm(app, person_id=person, worker_id=worker, agreed_on=today - timedelta(days=60))
    make_contact(app, person_id=person, worker_id=worker, contacted_on=today - timedelta(days=30))

    html = client.get("/measures/caseload").get_data(as_text=True)
    page = f"/matching/matches/{match}"
    assert html.count(f'href="{page}"') == 1
    assert f'<a href="{page}">match with Volunteer Vera</a>' in html
    assert html.count(f'href="/people/{person}"') == 2
    assert client.get(page).status_code == 200


def test_a_worker_with_nobody_overdue_is_told_so(app, client):
    _signed_in(app, client, "worker")
    html = client.get("/measures/caseload").get_data(as_text=True)
    assert "Nobody is overdue a contact." in html
    assert "<svg" not in html


def test_the_council_dashboard_renders_on_real_figures(app, client):
    _signed_in(app, client, "council")
    response = client.get("/measures/council")
    assert response.status_code == 200
    assert "Why some figures are withheld" in response.get_data(as_text=True)
