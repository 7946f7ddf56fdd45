"""Printed sheets (PDF): "What's on near you" for a search, or for a person.

``/nearby/sheet.pdf`` is public and takes the same query as ``/nearby``
(a bad one answers 400 with the page's messages);
``/people/<person_id>/sheet.pdf`` is for the person themself and the
workers assigned to them (anyone else: 404), and so is
``/people/<person_id>/group-suggestions.pdf``, which takes the query of the
suggestions page (``matching.views.suggestions``), and
``/people/<person_id>/summary.pdf``, the person's own summary (their
groups, their volunteer and the next contact, suggestions).
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for
from flask_login import current_user

from betterway_map.errors import InvalidInput
from betterway_map.interop.calendars.views import bad_query, nearby_query, site_address
from betterway_map.interop.sheets import services
from betterway_map.interop.sheets.layout import sheet_pdf
from betterway_map.interop.sheets.summary import summary_sheet
from betterway_map.interop.sheets.summary_layout import summary_pdf
from betterway_map.matching.views.suggestions import suggestion_query
from betterway_map.web.access import public, roles

__all__ = ["bp"]

bp = Blueprint("sheets", __name__)


def _pdf(sheet, filename: str, cache: str, render=sheet_pdf) -> Response:
    return Response(
        render(sheet),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": cache,
        },
    )


@bp.route("/nearby/sheet.pdf")
@public
def nearby():
    args, errors = nearby_query()
    if errors:
        return bad_query(errors, "sheet")
    try:
        sheet = services.search_sheet(args, site_address() + url_for("nearby.search"))
    except InvalidInput as error:
        return bad_query(error.errors, "sheet")
    return _pdf(sheet, "whats-on-near-you.pdf", "no-cache")


@bp.route("/people/<int:person_id>/sheet.pdf")
@roles("worker", "resident")
def person(person_id: int):
    sheet = services.person_sheet(
        current_user._get_current_object(), person_id, site_address() + url_for("nearby.search")
    )
    return _pdf(sheet, "whats-on-near-you.pdf", "no-store")


@bp.route("/people/<int:person_id>/group-suggestions.pdf")
@roles("worker", "resident")
def group_suggestions(person_id: int):
    options, _, errors = suggestion_query()
    if errors:
        messages = " ".join(message for field in errors.values() for message in field)
        message = f"This sheet is made from the group suggestions page, which says: {messages}"
        page = render_template("errors/error.html", code=400, name="Bad Request", message=message)
        return page, 400
    sheet = services.suggestions_sheet(
        current_user._get_current_object(),
        person_id,
        options,
        site_address() + url_for("nearby.search"),
    )
    return _pdf(sheet, "groups-that-might-suit-you.pdf", "no-store")


@bp.route("/people/<int:person_id>/summary.pdf")
@roles("worker", "resident")
def summary(person_id: int):
    sheet = summary_sheet(
        current_user._get_current_object(), person_id, site_address() + url_for("main.dashboard")
    )
    return _pdf(sheet, "your-summary.pdf", "no-store", render=summary_pdf)
