"""The organisation admin's page to import a calendar: upload a ``.ics``
file, or give its web address (fetched only when the site allows it), and
read the report of what was created, updated and skipped, and why.

The upload is bounded by ``MAX_CONTENT_LENGTH`` and ``CALENDAR_IMPORT_MAX_BYTES``;
a refused file or address is shown beside its field (400), and nothing is
written.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from marshmallow import Schema

from betterway_map.errors import Conflict, InvalidInput
from betterway_map.interop.calendars.imports import service
from betterway_map.register.services.organisations import admin_organisation
from betterway_map.web.access import roles
from betterway_map.web.fields import text
from betterway_map.web.forms import fields_of, load_form, payload_from_form

__all__ = ["bp", "CalendarAddressSchema"]

bp = Blueprint("calendar_imports", __name__)


class CalendarAddressSchema(Schema):
    url = text(
        "Or the calendar's web address",
        max_length=2000,
        help="Its address in iCal format, ending .ics (Google: Settings, the calendar, "
        "'Secret address in iCal format'; Outlook: Publish calendar, ICS).",
    )


@bp.route("/organisations/<int:organisation_id>/calendar/import", methods=["GET", "POST"])
@roles("org_admin")
def new(organisation_id: int):
    organisation = admin_organisation(current_user, organisation_id)
    schema = CalendarAddressSchema()
    settings = service.fetch_settings(current_app.config)
    values, errors = {}, {}
    if request.method == "POST":
        values = payload_from_form(schema, request.form)
        upload = request.files.get("calendar")
        chosen = upload is not None and bool(upload.filename)
        try:
            url = load_form(schema, request.form).get("url")
            report = service.import_upload_or_address(
                current_user,
                organisation_id,
                settings,
                data=upload.read(settings.max_bytes + 1) if chosen else None,
                filename=upload.filename if chosen else None,
                url=url,
            )
        except (InvalidInput, Conflict) as error:
            errors = error.errors or {"calendar": [error.message]}
        else:
            return render_template(
                "interop/calendar_imports/imported.html", organisation=organisation, report=report
            )
    page = render_template(
        "interop/calendar_imports/new.html",
        organisation=organisation,
        specs=fields_of(schema) if settings.enabled else [],
        values=values,
        errors=errors,
        max_mb=min(settings.max_bytes, current_app.config.get("MAX_CONTENT_LENGTH") or 10**9) / 1e6,
    )
    return page, (400 if errors else 200)
