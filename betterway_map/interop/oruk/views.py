"""The page where an organisation admin or a site admin uploads an ORUK feed.

The files (a JSON feed, or the CSV files of an ORUK CSV set) are bounded by
``MAX_CONTENT_LENGTH``; bigger feeds go through ``flask oruk import``.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from betterway_map.errors import InvalidInput
from betterway_map.interop.oruk import importing
from betterway_map.register.services.imports import import_choices
from betterway_map.web.access import roles
from betterway_map.web.fields import page_number

bp = Blueprint("oruk_import", __name__, url_prefix="/import/oruk")


def _files(max_bytes: int) -> dict[str, bytes]:
    return {
        upload.filename: upload.read(max_bytes + 1)
        for upload in request.files.getlist("file")
        if upload and upload.filename
    }


@bp.route("", methods=["GET", "POST"])
@roles("org_admin", "site_admin")
def upload():
    """Upload a feed; the answer is a report per file."""
    choices = import_choices(current_user)
    errors, results, chosen = {}, None, request.form.get("organisation_id", "")
    if request.method == "POST":
        organisation_id = page_number(chosen) if chosen else None
        if chosen and organisation_id is None:
            errors["organisation_id"] = [f"{chosen!r} is not one of the organisations listed."]
        else:
            max_bytes = int(current_app.config.get("MAX_CONTENT_LENGTH") or 1_000_000)
            try:
                results = importing.import_files(
                    _files(max_bytes),
                    current_user,
                    organisation_id=organisation_id,
                    max_bytes=max_bytes,
                )
            except InvalidInput as error:
                errors = error.errors or {"_schema": [error.message]}
    return render_template(
        "interop/oruk_import/upload.html",
        choices=choices,
        chosen=chosen,
        errors=errors,
        results=results,
        site_admin=current_user.has_role("site_admin"),
    )
