"""Pages for recording within a relationship: contacts (in a few taps), the
agreed rhythm, and feedback on the six marks.

Each page answers for three kinds of relationship, by three addresses of the
same endpoint (``url_for`` picks the one whose ids are given):

* ``/measures/matches/<match_id>/...``: a volunteer match;
* ``/measures/groups/<group_id>/people/<person_id>/...``: a person in a group;
* ``/measures/caseload/<person_id>/...``: the signed-in worker and a person
  assigned to them.

The role check is here; who has a part in the relationship, and what they
may do in it, the services check (``measures.permissions``).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures.relationships import MARK_SCALE, MARKS, QUICK_DURATIONS_MIN
from betterway_map.errors import NotFound
from betterway_map.measures.schemas.records import ContactRecordSchema, FeedbackSchema, RhythmSchema
from betterway_map.measures.services import contacts, feedback, panel, rhythms
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, submit_form, values_for_form

__all__ = ["bp", "TEMPLATE_GLOBALS", "RELATIONSHIP_PATHS", "relationship_panel"]

bp = Blueprint("measures", __name__, url_prefix="/measures")

# Anyone may be a volunteer or a person supported; workers and organisers look after.
PARTIES = ("resident", "worker", "org_admin")
RELATIONSHIP_PATHS = (
    "/matches/<int:match_id>",
    "/groups/<int:group_id>/people/<int:person_id>",
    "/caseload/<int:person_id>",
)
# Bad input on these pages is answered 422, as on the API.
REFUSED = 422


def _user():
    return current_user._get_current_object()


def relationship_panel(**ids):
    """A relationship's recent contacts and rhythm for the signed-in reader,
    or None (a template global: the match page and the person page show it)."""
    if not current_user.is_authenticated:
        return None
    try:
        return panel.panel(_user(), **ids)
    except NotFound:
        return None


TEMPLATE_GLOBALS = {
    "relationship_panel": relationship_panel,
    "quick_durations": QUICK_DURATIONS_MIN,
    "mark_scale": MARK_SCALE,
    "quality_marks": [(name, label) for name, label, *_ in MARKS],
}


def _each_relationship(suffix: str, methods=("GET",)):
    """Route a view at the three addresses of a relationship."""

    def decorator(view):
        for path in RELATIONSHIP_PATHS:
            bp.add_url_rule(path + suffix, view_func=view, methods=list(methods))
        return view

    return decorator


def back_link(relationship) -> tuple[str, str]:
    """Where "back" goes from a relationship's pages."""
    if relationship.kind == "match":
        return url_for(
            "matching_journey.detail", match_id=relationship.match.id
        ), "Back to the match"
    if relationship.kind == "group":
        if "organiser" in relationship.roles:
            return (
                url_for("attendance.attendees", group_id=relationship.group.id),
                f"Back to who comes to {relationship.group.name}",
            )
        return (
            url_for("attendance.person_groups", person_id=relationship.person.id),
            f"Back to {relationship.person.first_name}’s groups",
        )
    return (
        url_for("people.detail", person_id=relationship.person.id),
        f"Back to {relationship.person.first_name}’s page",
    )


def _duration_reader(form):
    """The minutes: a number typed in ("another length") wins over a quick choice."""
    typed = (form.get("duration_other") or "").strip()
    return typed or (form.get("duration_min") or "").strip() or None


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@roles(*PARTIES)
def edit_contact(contact_id: int):
    schema = ContactRecordSchema()
    values, errors = {}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema,
            lambda data: contacts.update_contact(_user(), contact_id, data),
            readers={"duration_min": _duration_reader},
        )
        if saved:
            flash("The contact is changed.", "success")
            relationship = contacts.get_contact(_user(), contact_id)[1]
            return redirect(url_for(".contacts_page", **relationship.ids))
    line, relationship = contacts.get_contact(_user(), contact_id)
    if not errors:
        values = values_for_form(schema, line)
    return render_template(
        "measures/contact_edit.html",
        contact=line,
        relationship=relationship,
        back=back_link(relationship),
        specs={spec.name: spec for spec in fields_of(schema)},
        values=values,
        duration_other=request.form.get("duration_other", ""),
        errors=errors,
    ), (REFUSED if errors else 200)


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@roles(*PARTIES)
def delete_contact(contact_id: int):
    relationship = contacts.delete_contact(_user(), contact_id)
    flash("The contact is deleted.", "success")
    return redirect(url_for(".contacts_page", **relationship.ids))


@_each_relationship("/contacts", methods=("GET", "POST"))
@roles(*PARTIES)
def contacts_page(**ids):
    """Record a contact in a few taps; the relationship's contacts below."""
    schema = ContactRecordSchema()
    values, errors = {"contacted_on": today_in_uk().isoformat()}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema,
            lambda data: contacts.record_contact(_user(), data, **ids),
            readers={"duration_min": _duration_reader},
        )
        if saved:
            flash(f"Saved: a contact on {saved.contacted_on:%-d %B %Y}.", "success")
            return redirect(url_for(".contacts_page", **ids))
    found = contacts.list_contacts(_user(), **ids)
    return render_template(
        "measures/contacts.html",
        found=found,
        relationship=found.relationship,
        back=back_link(found.relationship),
        specs={spec.name: spec for spec in fields_of(schema)},
        values=values,
        duration_other=request.form.get("duration_other", ""),
        errors=errors,
    ), (REFUSED if errors else 200)


@_each_relationship("/rhythm", methods=("GET", "POST"))
@roles(*PARTIES)
def rhythm(**ids):
    """The agreed rhythm: how often, and for how long."""
    schema = RhythmSchema()
    values, errors = {}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: rhythms.agree_rhythm(_user(), data, **ids)
        )
        if saved:
            flash("The agreed rhythm is saved.", "success")
            return redirect(url_for(".rhythm", **ids))
    relationship, view, may_change = rhythms.view_rhythm(_user(), **ids)
    if not errors:
        values = {
            "frequency": view.frequency,
            "duration_min": view.duration_min,
            "agreed_on": today_in_uk().isoformat(),
        }
    return render_template(
        "measures/rhythm.html",
        relationship=relationship,
        back=back_link(relationship),
        rhythm=view,
        may_change=may_change,
        specs=fields_of(schema),
        values=values,
        errors=errors,
    ), (REFUSED if errors else 200)


@_each_relationship("/feedback", methods=("GET", "POST"))
@roles(*PARTIES)
def feedback_page(**ids):
    """Feedback on the six marks, each a large group of five answers."""
    schema = FeedbackSchema()
    values, errors = {}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            schema, lambda data: feedback.give_feedback(_user(), data, **ids)
        )
        if saved:
            flash("Thank you: the feedback is saved.", "success")
            return redirect(url_for(".feedback_page", **ids))
    form = feedback.feedback_form(_user(), request.args.get("occasion"), **ids)
    side = values.get("side") or request.args.get("side")
    if side not in form.sides:
        side = form.sides[0] if form.sides else None
    values.setdefault("occasion", form.default_occasion)
    values.setdefault("given_on", today_in_uk().isoformat())
    return render_template(
        "measures/feedback.html",
        form=form,
        relationship=form.relationship,
        back=back_link(form.relationship),
        side=side,
        specs={spec.name: spec for spec in fields_of(schema)},
        values=values,
        errors=errors,
    ), (REFUSED if errors else 200)
