"""Pages for what is recorded about one person: loneliness measures, ties,
volunteering, and help offered or asked for.

The same pages serve a resident about themself and a worker about a person
assigned to them: the role check is here, the record check (``NotFound`` for
anyone else's person) is in the services. Groups attended are in
``people.views.attendance``.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures import loneliness
from betterway_map.people.permissions import own_person
from betterway_map.people.schemas.records import (
    DBS_VALID_YEARS,
    HelpListingSchema,
    MeasureSchema,
    TieSchema,
    VolunteerSchema,
    dbs_status_on,
    dbs_valid_until,
)
from betterway_map.people.services import help as help_service
from betterway_map.people.services import loneliness as measures_service
from betterway_map.people.services import ties as ties_service
from betterway_map.people.services import volunteers as volunteers_service
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, submit_form, values_for_form

bp = Blueprint("person_records", __name__)

PEOPLE = ("resident", "worker")
# A resident's own pages, by the name used in /my/<section>.
SECTIONS = {
    "measures": "person_records.measures",
    "ties": "person_records.ties",
    "volunteer": "person_records.volunteer",
    "help": "person_records.help_listings",
    "groups": "attendance.person_groups",
}


def _endpoint_for(rule_text: str) -> str | None:
    for rule in current_app.url_map.iter_rules():
        if rule.rule == rule_text and "GET" in rule.methods:
            return rule.endpoint
    return None


def person_home(person) -> tuple[str, str]:
    """Where "back" goes: the resident's profile, or the worker's person page."""
    if person.user_id == current_user.id:
        endpoint = _endpoint_for("/profile")
        return (url_for(endpoint) if endpoint else url_for("main.dashboard"), "Your profile")
    endpoint = _endpoint_for("/people/<int:person_id>")
    if endpoint:
        return url_for(endpoint, person_id=person.id), f"{person.first_name}'s page"
    return url_for("main.dashboard"), "My page"


# Template globals of the person-record pages (and the attendance pages that
# include their navigation); create_app registers them.
TEMPLATE_GLOBALS = {
    "person_home": person_home,
    "direct_answer_labels": dict(loneliness.DIRECT_ANSWERS),
}


@bp.route("/my/<any(measures, ties, volunteer, help, groups):section>")
@roles("resident")
def mine(section: str):
    """A resident's own page of one kind, or their profile form if they have none yet."""
    person = own_person(current_user)
    if person is None:
        flash("Please fill in your profile first: these pages belong to it.", "info")
        if "profile.edit" in current_app.view_functions:
            return redirect(url_for("profile.edit"))
        return redirect(url_for("main.dashboard"))
    return redirect(url_for(SECTIONS[section], person_id=person.id))


def _own(person) -> bool:
    """The page is about the signed-in person's own record: it says "you"."""
    return person.user_id == current_user.id


def _page(template: str, errors: dict, **context):
    return render_template(template, errors=errors, **context), (400 if errors else 200)


@bp.route("/people/<int:person_id>/measures", methods=["GET", "POST"])
@roles(*PEOPLE)
def measures(person_id: int):
    schema = MeasureSchema()
    values, errors = {"measured_on": today_in_uk().isoformat()}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: measures_service.record_measure(current_user, person_id, data)
        )
        if saved:
            flash("The answers are saved.", "success")
            return redirect(url_for(".measures", person_id=person_id))
    person, rows = measures_service.list_measures(current_user, person_id)
    return _page(
        "people/records/measures.html",
        errors,
        person=person,
        measures=rows,
        # Their latest answer to "how often do you feel lonely?" was "often or
        # always": the page answers kindly with what is near (never a diagnosis).
        often_lonely=bool(rows) and rows[-1].direct in loneliness.DIRECT_AT_RISK,
        # The optional De Jong Gierveld statements come in a section of their own.
        specs=[s for s in fields_of(schema, own=_own(person)) if not s.name.startswith("djg_")],
        djg_specs=[s for s in fields_of(schema, own=_own(person)) if s.name.startswith("djg_")],
        values=values,
    )


@bp.route("/people/<int:person_id>/ties", methods=["GET", "POST"])
@roles(*PEOPLE)
def ties(person_id: int):
    schema = TieSchema()
    values, errors = {}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: ties_service.add_tie(current_user, person_id, data)
        )
        if saved:
            flash(f"Saved: {saved.other_label}.", "success")
            return redirect(url_for(".ties", person_id=person_id))
    person, rows = ties_service.list_ties(current_user, person_id)
    return _page(
        "people/records/ties.html",
        errors,
        person=person,
        ties=rows,
        specs=fields_of(schema, own=_own(person)),
        values=values,
        linkable=ties_service.linkable_people(current_user, person_id),
        show_links=ties_service.can_link(current_user, person_id),
    )


@bp.route("/people/<int:person_id>/ties/<int:tie_id>/edit", methods=["GET", "POST"])
@roles(*PEOPLE)
def edit_tie(person_id: int, tie_id: int):
    schema = TieSchema()
    errors = {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: ties_service.update_tie(current_user, person_id, tie_id, data)
        )
        if saved:
            flash(f"The changes to {saved.other_label} are saved.", "success")
            return redirect(url_for(".ties", person_id=person_id))
    person, tie = ties_service.get_tie(current_user, person_id, tie_id)
    if not errors:
        values = values_for_form(schema, tie)
    return _page(
        "people/records/tie_edit.html",
        errors,
        person=person,
        tie=tie,
        specs=fields_of(schema, own=_own(person)),
        values=values,
        linkable=ties_service.linkable_people(current_user, person_id),
        show_links=ties_service.can_link(current_user, person_id),
    )


@bp.route("/people/<int:person_id>/ties/<int:tie_id>/remove", methods=["POST"])
@roles(*PEOPLE)
def remove_tie(person_id: int, tie_id: int):
    ties_service.remove_tie(current_user, person_id, tie_id)
    flash("Removed from the list of people in touch.", "success")
    return redirect(url_for(".ties", person_id=person_id))


@bp.route("/people/<int:person_id>/volunteer", methods=["GET", "POST"])
@roles(*PEOPLE)
def volunteer(person_id: int):
    schema = VolunteerSchema()
    errors = {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: volunteers_service.save_volunteer(current_user, person_id, data)
        )
        if saved:
            flash("The volunteering details are saved. Thank you.", "success")
            return redirect(url_for(".volunteer", person_id=person_id))
    person, profile = volunteers_service.get_volunteer(current_user, person_id)
    if not errors:
        values = values_for_form(schema, profile) if profile else {"capacity": 1, "active": True}
    may_record_dbs = volunteers_service.may_record_dbs(current_user, person)
    hidden = () if may_record_dbs else volunteers_service.DBS_FIELDS
    return _page(
        "people/records/volunteer.html",
        errors,
        person=person,
        profile=profile,
        specs=[spec for spec in fields_of(schema, own=_own(person)) if spec.name not in hidden],
        values=values,
        may_record_dbs=may_record_dbs,
        dbs_now=dbs_status_on(
            profile.dbs_status, profile.dbs_checked_on, today_in_uk(), profile.dbs_expires_on
        )
        if profile
        else None,
        dbs_until=dbs_valid_until(profile.dbs_checked_on, profile.dbs_expires_on)
        if profile
        else None,
        dbs_valid_years=DBS_VALID_YEARS,
    )


@bp.route("/people/<int:person_id>/help", methods=["GET", "POST"])
@roles(*PEOPLE)
def help_listings(person_id: int):
    schema = HelpListingSchema()
    values, errors = {"direction": request.args.get("direction", "offer")}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: help_service.add_listing(current_user, person_id, data)
        )
        if saved:
            flash(
                help_service.who_sees(saved, own=saved.person.user_id == current_user.id), "success"
            )
            return redirect(url_for(".help_listings", person_id=person_id))
    person, rows = help_service.list_listings(current_user, person_id)
    return _page(
        "people/records/help.html",
        errors,
        person=person,
        listings=rows,
        specs=fields_of(schema, only=("direction", "kind", "description"), own=_own(person)),
        values=values,
    )


@bp.route("/people/<int:person_id>/help/<int:listing_id>/edit", methods=["GET", "POST"])
@roles(*PEOPLE)
def edit_help(person_id: int, listing_id: int):
    schema = HelpListingSchema()
    errors = {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema,
            lambda data: help_service.update_listing(current_user, listing_id, data, person_id),
        )
        if saved:
            flash(
                help_service.who_sees(saved, own=saved.person.user_id == current_user.id), "success"
            )
            return redirect(url_for(".help_listings", person_id=person_id))
    listing = help_service.get_listing(current_user, listing_id, person_id)
    if not errors:
        values = values_for_form(schema, listing)
    return _page(
        "people/records/help_edit.html",
        errors,
        person=listing.person,
        listing=listing,
        specs=fields_of(schema, own=_own(listing.person)),
        values=values,
    )


@bp.route("/people/<int:person_id>/help/<int:listing_id>/close", methods=["POST"])
@roles(*PEOPLE)
def close_help(person_id: int, listing_id: int):
    help_service.close_listing(current_user, listing_id, person_id)
    flash("Closed: it is no longer listed as open.", "success")
    return redirect(url_for(".help_listings", person_id=person_id))
