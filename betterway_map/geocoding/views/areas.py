"""Site admins load, list and delete area indicators (``geocoding.areas``).

The upload is bounded by ``MAX_CONTENT_LENGTH`` (both files together);
bigger files are loaded with ``flask areas import``.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.errors import Conflict, InvalidInput
from betterway_map.geocoding import areas
from betterway_map.geocoding.schemas import AreaIndicatorSchema
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, load_form, payload_from_form

bp = Blueprint("areas", __name__, url_prefix="/admin/areas")

FILES = (
    ("values_file", "The values file (CSV)"),
    ("boundaries_file", "The boundaries file (GeoJSON)"),
)


@bp.route("")
@roles("site_admin")
def index():
    return render_template("geocoding/index.html", indicators=areas.list_indicators())


def _read_files(max_bytes: int) -> tuple[dict[str, bytes], dict[str, list[str]]]:
    files, errors = {}, {}
    for key, label in FILES:
        upload = request.files.get(key)
        if upload is None or not upload.filename:
            errors[key] = [f"Choose {label[0].lower() + label[1:]}."]
            continue
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            errors[key] = [f"The file is larger than {max_bytes / 1e6:g} MB."]
        files[key] = data
    return files, errors


@bp.route("/new", methods=["GET", "POST"])
@roles("site_admin")
def new():
    schema = AreaIndicatorSchema()
    specs = fields_of(schema)
    values, errors = {"higher_is_more_need": True}, {}
    if request.method == "POST":
        values = payload_from_form(schema, request.form)
        max_bytes = int(current_app.config.get("MAX_CONTENT_LENGTH") or 1_000_000)
        files, errors = _read_files(max_bytes)
        try:
            details = load_form(schema, request.form)
        except InvalidInput as error:
            errors.update(error.errors)
        if not errors:
            try:
                report = areas.import_indicator(
                    files["values_file"],
                    files["boundaries_file"],
                    details,
                    current_user.id,
                    max_bytes,
                )
            except (InvalidInput, Conflict) as error:
                errors = error.errors or {"_schema": [error.message]}
            else:
                return render_template(
                    "geocoding/imported.html", name=details["name"], report=report
                )
    return render_template(
        "geocoding/new.html", specs=specs, values=values, errors=errors, files=FILES
    )


@bp.route("/<int:indicator_id>/delete", methods=["POST"])
@roles("site_admin")
def delete(indicator_id: int):
    name = areas.delete_indicator(indicator_id, current_user.id)
    flash(f"The indicator {name!r} and its areas are deleted.", "success")
    return redirect(url_for("areas.index"))
