"""The page where an organisation admin or a site admin uploads a spreadsheet
of venues (spaces) or of the groups that meet at them.

The file is bounded by ``MAX_CONTENT_LENGTH``; bigger ones go through
``flask register import``.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from betterway_map.domain.register_rows import KINDS, SYNONYMS
from betterway_map.errors import InvalidInput
from betterway_map.register.services.imports import import_choices
from betterway_map.register.services.sheet_import import import_sheet
from betterway_map.web.access import roles
from betterway_map.web.fields import page_number

bp = Blueprint("register_import", __name__, url_prefix="/import/spreadsheet")


def _columns(text: str) -> tuple[dict[str, str], list[str]]:
    """``field=Header`` lines as a mapping, and the lines that are not such."""
    columns, bad = {}, []
    for line in text.splitlines():
        if not line.strip():
            continue
        field, equals, header = line.partition("=")
        if equals and field.strip() and header.strip():
            columns[field.strip().lower()] = header.strip()
        else:
            bad.append(line.strip())
    return columns, bad


def _form() -> tuple[dict, dict]:
    form, errors = request.form, {}
    kind = form.get("kind", "")
    if kind not in KINDS:
        errors["kind"] = ["Choose whether each row is a space (a venue) or a group."]
    organisation_id = (
        page_number(form.get("organisation_id")) if form.get("organisation_id") else None
    )
    if organisation_id is None:
        errors["organisation_id"] = ["Choose the organisation the rows belong to."]
    columns, bad = _columns(form.get("columns", ""))
    if bad:
        errors["columns"] = [
            f"{bad[0]!r} is not FIELD=Header: write one a line, e.g. postcode=Post Code."
        ]
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors["file"] = ["Choose the spreadsheet, saved as CSV."]
    return {
        "kind": kind,
        "organisation_id": organisation_id,
        "columns": columns,
        "upload": upload,
    }, errors


@bp.route("", methods=["GET", "POST"])
@roles("org_admin", "site_admin")
def upload():
    """Upload a spreadsheet; the answer is its report."""
    errors, report, values = {}, None, dict(request.form)
    if request.method == "POST":
        given, errors = _form()
        if not errors:
            max_bytes = int(current_app.config.get("MAX_CONTENT_LENGTH") or 1_000_000)
            try:
                report = import_sheet(
                    given["upload"].read(max_bytes + 1),
                    given["upload"].filename,
                    given["kind"],
                    given["organisation_id"],
                    current_user,
                    columns=given["columns"],
                )
            except InvalidInput as error:
                errors = error.errors or {"_schema": [error.message]}
    return render_template(
        "register/imports/upload.html",
        choices=import_choices(current_user),
        values=values,
        errors=errors,
        report=report,
        synonyms=SYNONYMS,
    )
