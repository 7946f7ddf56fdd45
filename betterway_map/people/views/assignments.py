"""Site admins assign community workers to people, and take them off.

The admin sees a person's first name, age band and current workers, never
their profile. Changes need a fresh sign-in and are audited.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate

from betterway_map.errors import InvalidInput, NotFound
from betterway_map.people.services import assignments
from betterway_map.web.access import roles
from betterway_map.web.fields import WholeNumber

bp = Blueprint("assignments", __name__, url_prefix="/admin/assignments")


class SearchSchema(Schema):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=60, error="Search for at most {max} characters."),
    )


class AssignSchema(Schema):
    worker_id = WholeNumber(
        required=True,
        error_messages={
            "required": "Choose a worker.",
            "invalid": "{input!r} is not a worker: choose one from the list.",
        },
    )


def _user():
    return current_user._get_current_object()


@bp.route("/")
@roles("site_admin")
def index():
    try:
        q = SearchSchema().load(request.args.to_dict())["q"].strip()
    except ValidationError as error:
        raise InvalidInput("Search for at most 60 characters.", error.messages) from None
    found = assignments.find_people(_user(), q)
    return render_template(
        "people/assignments/index.html", q=q, found=found, limit=assignments.SEARCH_LIMIT
    )


def _person_page(person_id: int, errors: dict | None = None, status: int = 200):
    person = assignments.person_for_assignment(person_id)
    assigned = {worker.id for worker in person.workers}
    choices = [worker for worker in assignments.workers() if worker.id not in assigned]
    return render_template(
        "people/assignments/person.html", person=person, choices=choices, errors=errors or {}
    ), status


@bp.route("/<int:person_id>")
@roles("site_admin")
def person(person_id: int):
    return _person_page(person_id)


@bp.route("/<int:person_id>", methods=["POST"])
@roles("site_admin", fresh=True)
def assign(person_id: int):
    try:
        raw = request.form.get("worker_id", "").strip()
        worker_id = AssignSchema().load({"worker_id": raw} if raw else {})["worker_id"]
        assignments.assign(_user(), person_id, worker_id)
    except ValidationError as error:
        return _person_page(person_id, error.messages, 400)
    except InvalidInput as error:
        return _person_page(person_id, error.errors, 400)
    flash("The worker is assigned.")
    return redirect(url_for("assignments.person", person_id=person_id))


@bp.route("/<int:person_id>/workers/<int:worker_id>/remove", methods=["GET", "POST"])
@roles("site_admin", fresh=True)
def unassign(person_id: int, worker_id: int):
    """GET asks to confirm; POST removes the worker."""
    if request.method == "GET":
        person = assignments.person_for_assignment(person_id)
        worker = next((w for w in person.workers if w.id == worker_id), None)
        if worker is None:
            raise NotFound(f"Worker {worker_id} is not assigned to person {person_id}.")
        return render_template("people/assignments/remove.html", person=person, worker=worker)
    assignments.unassign(_user(), person_id, worker_id)
    flash("The worker is no longer assigned.")
    return redirect(url_for("assignments.person", person_id=person_id))
