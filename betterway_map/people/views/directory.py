"""Community workers' people: their caseload, registering someone who is not
online (with consent), a person's page, changes and consents.

A worker sees only the people assigned to them; any other person id answers
404, whether or not the person exists (the services check).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.people.schemas.consent import (
    ConsentSchema,
    RegistrationConsentSchema,
    WithdrawConsentSchema,
)
from betterway_map.people.schemas.person import (
    PeopleQuerySchema,
    PersonSchema,
    RegisterPersonSchema,
)
from betterway_map.people.services import consent as consents_service
from betterway_map.people.services import directory as people
from betterway_map.web.access import roles
from betterway_map.web.forms import (
    fields_of,
    flat_errors,
    payload_from_form,
    submit_form,
    values_for_form,
)

bp = Blueprint("people", __name__, url_prefix="/people")


def _user():
    return current_user._get_current_object()


def _form(template: str, status: int = 200, **context):
    return render_template(template, **context), status


@bp.route("/")
@roles("worker")
def index():
    try:
        query = PeopleQuerySchema().load(request.args.to_dict())
    except ValidationError as error:
        raise InvalidInput(
            " ".join(" ".join(m) for m in flat_errors(error.messages).values()), error.messages
        ) from None
    page = people.list_people(_user(), query["q"], query["page"], query["per_page"])
    return render_template("people/directory/index.html", page=page, q=query["q"])


@bp.route("/new", methods=["GET", "POST"])
@roles("worker")
def new():
    person_schema, consent_schema = PersonSchema(), RegistrationConsentSchema()
    values = {"given_on": today_in_uk().isoformat(), "purposes": ["register"]}
    errors: dict = {}
    if request.method == "POST":
        person_part = payload_from_form(person_schema, request.form)
        consent_part = payload_from_form(consent_schema, request.form)
        values = {**person_part, **consent_part}  # the two forms' field names do not overlap
        try:
            data = RegisterPersonSchema().load({**person_part, "consent": consent_part})
        except ValidationError as error:
            errors = flat_errors(error.messages)
        else:
            person = people.register_person(_user(), data)
            flash(f"{person.first_name} is registered, with their consent, and assigned to you.")
            return redirect(url_for("people.detail", person_id=person.id))
    return _form(
        "people/directory/new.html",
        400 if errors else 200,
        person_specs=fields_of(person_schema),
        consent_specs=fields_of(consent_schema),
        values=values,
        errors=errors,
    )


@bp.route("/<int:person_id>")
@roles("worker")
def detail(person_id: int):
    person = people.view_person(_user(), person_id)
    consents = consents_service.consents_of(_user(), person_id)
    return render_template("people/directory/detail.html", person=person, consents=consents)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@roles("worker")
def edit(person_id: int):
    schema = PersonSchema()
    person = people.view_person(_user(), person_id)
    values, errors = values_for_form(schema, person), {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: people.update_person(_user(), person_id, data)
        )
        if saved:
            flash(f"{saved.first_name}'s details are saved.")
            return redirect(url_for("people.detail", person_id=person_id))
    return _form(
        "people/directory/edit.html",
        400 if errors else 200,
        person=person,
        specs=fields_of(schema),
        values=values,
        errors=errors,
    )


@bp.route("/<int:person_id>/consents", methods=["GET", "POST"])
@roles("worker")
def consents(person_id: int):
    schema = ConsentSchema()
    values, errors = {"given_on": today_in_uk().isoformat()}, {}
    if request.method == "POST":
        values = payload_from_form(schema, request.form)
        try:
            data = schema.load(values)
        except ValidationError as error:
            consents_service.consents_of(_user(), person_id)  # a stranger still gets 404
            errors = flat_errors(error.messages)
        else:
            rows = consents_service.add_consents(_user(), person_id, data)
            flash(f"Consent recorded ({len(rows)} {'item' if len(rows) == 1 else 'items'}).")
            return redirect(url_for("people.consents", person_id=person_id))
    person = people.view_person(_user(), person_id)
    return _form(
        "people/directory/consents.html",
        400 if errors else 200,
        person=person,
        consents=consents_service.consents_of(_user(), person_id),
        specs=fields_of(schema),
        values=values,
        errors=errors,
    )


@bp.route("/<int:person_id>/consents/<int:consent_id>/withdraw", methods=["GET", "POST"])
@roles("worker")
def withdraw_consent(person_id: int, consent_id: int):
    schema = WithdrawConsentSchema()
    current = {c.id: c for c in consents_service.consents_of(_user(), person_id)}
    consent = current.get(consent_id)
    if consent is None:
        raise NotFound(f"Person {person_id} has no consent {consent_id}.")
    values, errors = {"withdrawn_on": today_in_uk().isoformat()}, {}
    if request.method == "POST":
        values = payload_from_form(schema, request.form)
        try:
            data = schema.load(values)
            consents_service.withdraw_consent(_user(), person_id, consent_id, data["withdrawn_on"])
        except ValidationError as error:
            errors = flat_errors(error.messages)
        except InvalidInput as error:
            errors = error.errors
        else:
            flash("The consent is marked as withdrawn.")
            return redirect(url_for("people.consents", person_id=person_id))
    person = people.view_person(_user(), person_id)
    return _form(
        "people/directory/withdraw.html",
        400 if errors else 200,
        person=person,
        consent=consent,
        specs=fields_of(schema),
        values=values,
        errors=errors,
    )
