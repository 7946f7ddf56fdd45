"""The dashboards: an organisation's, a worker's caseload, and the area's.

Each page calls one service of ``measures.services.figures`` (which checks
who is asking and returns figures already suppressed), lays them out
(``pages``) and renders them as charts with their tables. Each table's CSV
route builds the same page and serves that one table, so a download holds
the figures the page shows.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from betterway_map.measures.services.continuity_warnings import worker_warnings
from betterway_map.measures.services.figures import council_figures, organisation_figures
from betterway_map.measures.views.pages import (
    DashboardPage,
    council_sections,
    dimension_or_default,
    organisation_sections,
)
from betterway_map.measures.views.panels import EQUITY_DIMENSIONS, find_table
from betterway_map.measures.views.worker_tables import warnings_chart, warnings_table
from betterway_map.web.access import roles
from betterway_map.web.tables import csv_response

bp = Blueprint("measures_dashboards", __name__, url_prefix="/measures")

AREA_ROLES = ("council", "site_admin")


def _csv(sections, table_name: str):
    table = find_table(sections, table_name)
    if table is None:
        abort(404, f"This page has no table called {table_name!r}.")
    return csv_response(table)


def _organisation_page(organisation_id: int):
    figures = organisation_figures(current_user, organisation_id)
    return figures, organisation_sections(figures)


@bp.route("/organisations/<int:organisation_id>")
@roles("org_admin")
def organisation(organisation_id: int):
    figures, sections = _organisation_page(organisation_id)
    page = DashboardPage(
        title=f"How {figures.name}'s relationships are going",
        lead="The relationships in your groups: how their members rate them, how long they "
        "last and whether contacts keep to the rhythm agreed. Figures about fewer than "
        f"{figures.min_count} people are withheld.",
        sections=sections,
        computed_on=figures.today,
    )
    return render_template(
        "measures/dashboard.html",
        page=page,
        min_count=figures.min_count,
        csv_url=lambda name: url_for(
            ".organisation_csv", organisation_id=organisation_id, table_name=name
        ),
        organisation_id=organisation_id,
    )


@bp.route("/organisations/<int:organisation_id>/<table_name>.csv")
@roles("org_admin")
def organisation_csv(organisation_id: int, table_name: str):
    _, sections = _organisation_page(organisation_id)
    return _csv(sections, table_name)


@bp.route("/caseload")
@roles("worker")
def caseload():
    table = warnings_table(worker_warnings(current_user))
    return render_template(
        "measures/caseload.html",
        table=table,
        chart=warnings_chart(table),
        csv_url=url_for(".caseload_csv", table_name=table.name),
    )


@bp.route("/caseload/<table_name>.csv")
@roles("worker")
def caseload_csv(table_name: str):
    table = warnings_table(worker_warnings(current_user))
    if table_name != table.name:
        abort(404, f"This page has no table called {table_name!r}.")
    return csv_response(table)


def _dimension() -> str:
    asked = request.args.get("by")
    dimension = dimension_or_default(asked)
    if dimension is None:
        names = ", ".join(name for name, _ in EQUITY_DIMENSIONS)
        abort(400, f"{asked!r} is not a way to break the figures down: use one of {names}.")
    return dimension


@bp.route("/council")
@roles(*AREA_ROLES)
def council():
    dimension = _dimension()
    figures = council_figures(current_user)
    page = DashboardPage(
        title="Relationships across the area",
        lead="Who is reached, how good and how lasting relationships are, and how that changes "
        "month by month, beside the counts. Figures about fewer than "
        f"{figures.min_count} people are withheld, and never a row about one person.",
        sections=council_sections(figures, dimension),
        computed_on=figures.today,
    )
    return render_template(
        "measures/dashboard.html",
        page=page,
        min_count=figures.min_count,
        csv_url=lambda name: url_for(".council_csv", table_name=name, by=dimension),
        dimensions=EQUITY_DIMENSIONS,
        dimension=dimension,
    )


@bp.route("/council/<table_name>.csv")
@roles(*AREA_ROLES)
def council_csv(table_name: str):
    return _csv(council_sections(council_figures(current_user), _dimension()), table_name)
