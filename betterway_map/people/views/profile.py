"""The resident's own profile: see it, fill it in, download everything held
(as JSON, as a page to read or print, or as a PDF)."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from betterway_map.people.data_pdf import data_pdf as build_data_pdf
from betterway_map.people.data_report import data_report
from betterway_map.people.permissions import own_person
from betterway_map.people.schemas.person import ProfileSchema
from betterway_map.people.services import directory as people
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, submit_form, values_for_form

bp = Blueprint("profile", __name__, url_prefix="/profile")


def _user():
    return current_user._get_current_object()


@bp.route("")
@roles("resident")
def show():
    person = own_person(_user())
    consents = sorted(person.consents, key=lambda c: c.given_on, reverse=True) if person else []
    return render_template("people/profile/show.html", person=person, consents=consents)


@bp.route("/edit", methods=["GET", "POST"])
@roles("resident")
def edit():
    schema = ProfileSchema()
    person = own_person(_user())
    values = values_for_form(schema, person) if person else {"first_name": _user().display_name}
    errors: dict = {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: people.save_own_profile(_user(), data)
        )
        if saved:
            _, created = saved
            flash("Your profile is saved." if not created else "Thank you: your profile is made.")
            return redirect(url_for("profile.show"))
    return render_template(
        "people/profile/edit.html",
        specs=fields_of(schema),
        values=values,
        errors=errors,
        creating=person is None,
    ), (400 if errors else 200)


@bp.route("/export")
@roles("resident", fresh=True)
def export():
    data = people.export_own_data(_user())
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="my-better-way-map-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/data")
@roles("resident", fresh=True)
def data_page():
    """The same data as the download, as a page to read or print."""
    report = data_report(people.export_own_data(_user()))
    response = current_app.make_response(render_template("people/profile/data.html", report=report))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/data.pdf")
@roles("resident", fresh=True)
def data_pdf():
    """The same data as the page, as a PDF to keep or print."""
    return Response(
        build_data_pdf(people.export_own_data(_user())),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="my-better-way-map-data.pdf"',
            "Cache-Control": "no-store",
        },
    )
