"""Pages of the rights: erase a person, everything held about a person, one's
own consents, and the retention review.

Erasing and exporting need a fresh sign-in. A resident who erases their own
records is signed out (their account is gone) and sent to a page that
says it is done.
"""

from __future__ import annotations

import json
from dataclasses import replace

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from betterway_map.domain import vocab
from betterway_map.errors import Conflict, InvalidInput
from betterway_map.people.data_report import data_report
from betterway_map.rights.schemas import ErasureSchema, OwnConsentSchema
from betterway_map.rights.services import consents, erasure, retention, subject_access
from betterway_map.web.access import public, roles
from betterway_map.web.forms import fields_of, load_form, payload_from_form

bp = Blueprint("rights", __name__, url_prefix="/rights")

ERASERS = ("resident", "worker", "site_admin")


def _user():
    return current_user._get_current_object()


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@roles(*ERASERS, fresh=True)
def erase(person_id: int):
    schema = ErasureSchema()
    values, errors = {}, {}
    if request.method == "POST":
        values = payload_from_form(schema, request.form)
        try:
            data = load_form(schema, request.form)
            done = erasure.erase_person(_user(), person_id, data["reason"])
        except InvalidInput as error:
            errors = error.errors or {"_schema": [error.message]}
        else:
            return _after_erasure(done)
    plan = erasure.erasure_plan(_user(), person_id)
    return render_template(
        "rights/erase.html", plan=plan, specs=fields_of(schema), values=values, errors=errors
    ), (400 if errors else 200)


def _after_erasure(done: erasure.Erased):
    if done.acting_as == "self":
        if done.deleted_account:
            logout_user()
            session.clear()
        return redirect(url_for("rights.erased"))
    flash("The records are erased. The audit log keeps only that it was done, by you, and why.")
    if done.acting_as == "worker":
        return redirect(url_for("people.index"))
    return redirect(url_for("rights.retention_review"))


@bp.route("/erased")
@public
def erased():
    return render_template("rights/erased.html")


@bp.route("/people/<int:person_id>/data")
@roles("resident", "worker", fresh=True)
def data_page(person_id: int):
    """Everything held about the person, as a page to read or print."""
    export = subject_access.export_for(_user(), person_id)
    return render_template("rights/data.html", report=data_report(export), person_id=person_id)


@bp.route("/people/<int:person_id>/data.json")
@roles("resident", "worker", fresh=True)
def data_json(person_id: int):
    """Everything held about the person, as a JSON file."""
    export = subject_access.export_for(_user(), person_id)
    return Response(
        json.dumps(export, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="person-{person_id}-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/consents", methods=["GET", "POST"])
@roles("resident")
def own_consents():
    schema = OwnConsentSchema()
    errors: dict = {}
    if request.method == "POST":
        try:
            data = load_form(schema, request.form)
            consents.give_own(_user(), data["purposes"])
        except InvalidInput as error:
            errors = error.errors or {"_schema": [error.message]}
        else:
            flash("Thank you: what you agreed to is recorded.")
            return redirect(url_for("rights.own_consents"))
    states = consents.own_consents(_user())
    not_given = tuple((s.purpose, s.label) for s in states if not s.given)
    specs = [replace(spec, choices=not_given) for spec in fields_of(schema, own=True)]
    return render_template(
        "rights/consents.html", states=states, specs=specs, values={}, errors=errors
    ), (400 if errors else 200)


@bp.route("/consents/<purpose>/withdraw", methods=["POST"])
@roles("resident")
def withdraw_own(purpose: str):
    try:
        consents.withdraw_own(_user(), purpose)
    except (InvalidInput, Conflict) as error:
        flash(error.message, "error")
    else:
        label = vocab.labels(vocab.CONSENT_PURPOSES_OWN)[purpose]
        flash(f"Withdrawn from today: {label.lower()}. It takes effect at once.")
    return redirect(url_for("rights.own_consents"))


@bp.route("/retention")
@roles("site_admin", "worker")
def retention_review():
    rows = retention.due_for_retention_review(_user())
    return render_template("rights/retention.html", rows=rows, days=retention.review_days())


@bp.route("/retention/<int:person_id>/keep", methods=["POST"])
@roles("site_admin", "worker")
def keep(person_id: int):
    retention.keep_person(_user(), person_id)
    flash("Recorded: reviewed today and kept.")
    return redirect(url_for("rights.retention_review"))
