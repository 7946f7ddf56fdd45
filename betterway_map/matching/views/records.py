"""Pages for what matching records: requests for support and volunteers' offers.

The same pages serve a resident about themself and a worker about a person
assigned to them; the record checks (``NotFound`` for anyone else's person,
consent, who may record safeguarding) are in the services.
"""

from __future__ import annotations

import importlib.util

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.domain import vocab
from betterway_map.errors import InvalidInput
from betterway_map.matching.schemas.offers import OfferSchema, SafeguardingSchema
from betterway_map.matching.schemas.requests import SupportRequestSchema
from betterway_map.matching.services import offers as offers_service
from betterway_map.matching.services import requests as requests_service
from betterway_map.people.permissions import own_person
from betterway_map.web.access import roles
from betterway_map.web.forms import (
    fields_of,
    load_form,
    payload_from_form,
    submit_form,
    values_for_form,
)

bp = Blueprint("matching_records", __name__)

PEOPLE = ("resident", "worker")
# Fields a resident does not fill in about themself.
WORKER_ONLY = ("excluded_volunteer_ids",)


def availability_grid() -> dict:
    """The grid of ``vocab.AVAILABILITY``: a row per day, a column per part of the day."""
    days = dict(vocab.WEEKDAYS)
    parts: list[str] = []
    rows: dict[str, list] = {}
    for value, label in vocab.AVAILABILITY:
        day = value.split("_")[0]
        part = label[len(days[day]) + 1 :]
        if part.capitalize() not in parts:
            parts.append(part.capitalize())
        rows.setdefault(day, []).append((value, label))
    return {"columns": parts, "rows": [(days[day], cells) for day, cells in rows.items()]}


def _own(person) -> bool:
    return person.user_id == current_user.id


def _request_specs(person):
    own = _own(person)
    hidden = WORKER_ONLY if own else ()
    return [spec for spec in fields_of(SupportRequestSchema(), own=own) if spec.name not in hidden]


# "How many volunteers would fit": the solver's service and API (another
# part of the matching work). The form offers the check only where they exist.
FEASIBILITY_MODULE = "betterway_map.matching.services.feasibility"
FEASIBILITY_PATH = "/api/v1/matching/feasibility"


def feasibility_service():
    """``feasibility_for_draft(user, person_id, data) -> dict``, or None where
    the solver's service is not installed."""
    if importlib.util.find_spec(FEASIBILITY_MODULE) is None:
        return None
    module = importlib.import_module(FEASIBILITY_MODULE)
    return getattr(module, "feasibility_for_draft", None)


def _feasibility_url() -> str | None:
    """The feasibility API's address, for the form's script, if it is there."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule == FEASIBILITY_PATH and "GET" in rule.methods:
            return rule.rule
    return None


def _shows_feasibility(person) -> bool:
    """The worker writing a request for a person sees how many volunteers fit."""
    return (
        current_user.has_role("worker") and not _own(person) and feasibility_service() is not None
    )


def _check_draft(schema, person_id: int):
    """The no-script check: the draft loaded as if saved (nothing is saved)
    and what the feasibility service says of it: ``(result, values, errors)``."""
    values = payload_from_form(schema, request.form)
    try:
        data = load_form(schema, request.form)
    except InvalidInput as error:
        return None, values, error.errors
    return feasibility_service()(current_user, person_id, data), values, {}


def _for_form(values: dict) -> dict:
    """Posted values shown again: numbers typed in one box stay in one box."""
    typed = values.get("excluded_volunteer_ids")
    if isinstance(typed, list):
        values = {**values, "excluded_volunteer_ids": ", ".join(str(v) for v in typed)}
    return values


def _page(template: str, errors: dict, **context):
    return render_template(template, errors=errors, grid=availability_grid(), **context), (
        400 if errors else 200
    )


@bp.route("/me/requests/new")
@roles("resident")
def mine_new():
    """A resident's own "Ask for support": the new-request form of their own record."""
    person = own_person(current_user)
    if person is None:
        flash("Please fill in your profile first: a request for support belongs to it.", "info")
        return redirect(url_for("profile.edit"))
    kind = request.args.get("kind")
    known = kind if kind in vocab.values(vocab.HELP_KINDS) else None
    return redirect(url_for(".new_request", person_id=person.id, kind=known))


@bp.route("/me/offer")
@roles("resident")
def mine_offer():
    """A resident's own offer to volunteer."""
    person = own_person(current_user)
    if person is None:
        flash("Please fill in your profile first: an offer to volunteer belongs to it.", "info")
        return redirect(url_for("profile.edit"))
    return redirect(url_for(".offer", person_id=person.id))


@bp.route("/people/<int:person_id>/requests")
@roles(*PEOPLE)
def person_requests(person_id: int):
    person, rows, consent_missing = requests_service.person_requests(current_user, person_id)
    return render_template(
        "matching/requests/index.html",
        person=person,
        requests=rows,
        consent_missing=consent_missing,
    )


@bp.route("/people/<int:person_id>/requests/new", methods=["GET", "POST"])
@roles(*PEOPLE)
def new_request(person_id: int):
    schema = SupportRequestSchema()
    errors: dict = {}
    feasibility = None
    if request.method == "POST" and "check" in request.form and feasibility_service():
        feasibility, values, errors = _check_draft(schema, person_id)
    elif request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: requests_service.create_request(current_user, person_id, data)
        )
        if saved:
            flash("The request for support is saved: it waits for a match.", "success")
            return redirect(url_for(".request_detail", request_id=saved.id))
    person, prefill, consent_missing = requests_service.new_request_form(current_user, person_id)
    if request.method == "GET":
        values = prefill
        if request.args.get("kind") in vocab.values(vocab.HELP_KINDS):
            values["kind"] = request.args["kind"]
    return _request_form(person, None, values, errors, consent_missing, feasibility)


def _request_form(person, row, values, errors, consent_missing, feasibility):
    shows = _shows_feasibility(person)
    return _page(
        "matching/requests/form.html",
        errors,
        person=person,
        support_request=row,
        specs=_request_specs(person),
        values=_for_form(values),
        consent_missing=consent_missing,
        feasibility=feasibility,
        shows_feasibility=shows,
        feasibility_url=_feasibility_url() if shows else None,
    )


@bp.route("/matching/requests/<int:request_id>")
@roles(*PEOPLE)
def request_detail(request_id: int):
    row = requests_service.get_request(current_user, request_id)
    return render_template(
        "matching/requests/detail.html",
        support_request=row,
        person=row.person,
        grid=availability_grid(),
    )


@bp.route("/matching/requests/<int:request_id>/edit", methods=["GET", "POST"])
@roles(*PEOPLE)
def edit_request(request_id: int):
    schema = SupportRequestSchema()
    errors: dict = {}
    feasibility = values = None
    if request.method == "POST" and "check" in request.form and feasibility_service():
        row, _ = requests_service.request_for_edit(current_user, request_id)
        feasibility, values, errors = _check_draft(schema, row.person_id)
    elif request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: requests_service.update_request(current_user, request_id, data)
        )
        if saved:
            flash("The changes to the request are saved.", "success")
            return redirect(url_for(".request_detail", request_id=saved.id))
    row, consent_missing = requests_service.request_for_edit(current_user, request_id)
    if values is None:
        values = values_for_form(schema, row)
    return _request_form(row.person, row, values, errors, consent_missing, feasibility)


@bp.route("/matching/requests/<int:request_id>/close", methods=["POST"])
@roles(*PEOPLE)
def close_request(request_id: int):
    requests_service.close_request(current_user, request_id)
    flash("The request is closed: it will not be matched.", "success")
    return redirect(url_for(".request_detail", request_id=request_id))


@bp.route("/matching/requests/<int:request_id>/reopen", methods=["POST"])
@roles(*PEOPLE)
def reopen_request(request_id: int):
    requests_service.reopen_request(current_user, request_id)
    flash("The request is open again: its wait starts today.", "success")
    return redirect(url_for(".request_detail", request_id=request_id))


@bp.route("/people/<int:person_id>/offer", methods=["GET", "POST"])
@roles(*PEOPLE)
def offer(person_id: int):
    schema = OfferSchema()
    errors: dict = {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: offers_service.save_offer(current_user, person_id, data)
        )
        if saved:
            flash("The offer to volunteer is saved. Thank you.", "success")
            return redirect(url_for(".offer", person_id=person_id))
    person, current = offers_service.get_offer(current_user, person_id)
    if not errors:
        values = offers_service.offer_values(person, current)
    return _page(
        "matching/offers/form.html",
        errors,
        person=person,
        offer=current,
        specs=fields_of(schema, own=_own(person)),
        values=values,
        may_restrict=offers_service.may_restrict(current_user, person),
    )


@bp.route("/people/<int:person_id>/offer/safeguarding", methods=["GET", "POST"])
@roles("worker")
def safeguarding(person_id: int):
    schema = SafeguardingSchema()
    errors: dict = {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: offers_service.save_safeguarding(current_user, person_id, data)
        )
        if saved:
            flash("The safeguarding restrictions are saved.", "success")
            return redirect(url_for(".safeguarding", person_id=person_id))
    person, current = offers_service.get_safeguarding(current_user, person_id)
    if not errors:
        values = values_for_form(schema, current)
    return _page(
        "matching/offers/safeguarding.html",
        errors,
        person=person,
        offer=current,
        specs=fields_of(schema),
        values=values,
    )
