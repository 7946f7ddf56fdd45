"""Pages of a match's journey: the match as its reader may see it, with the
forms of the steps they may take; the other side's address and phone, on
their own page behind a fresh sign-in; and "what waits for me".

Roles are checked here (residents answer and ask to end, workers approve,
review and end); whose match it is, and which step it is at, the services
check (``matching.permissions``).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.errors import InvalidInput
from betterway_map.matching.schemas.journey import (
    AnswerSchema,
    AskToEndSchema,
    EndSchema,
    ReviewSchema,
    WithdrawSchema,
)
from betterway_map.matching.services import journey, journey_view, waiting
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, submit_form

bp = Blueprint("matching_journey", __name__, url_prefix="/matching")

PARTIES = ("resident", "worker")
FORMS = {
    "volunteer_answer": AnswerSchema,
    "person_answer": AnswerSchema,
    "withdraw": WithdrawSchema,
    "review": ReviewSchema,
    "ask_to_end": AskToEndSchema,
    "end": EndSchema,
}


def match_link(match_id: int) -> str:
    """The full address of a match's page, for an email: from
    ``PUBLIC_BASE_URL`` when set (never a forgeable ``Host``), as
    ``accounts.views.links.password_link`` does."""
    path = url_for("matching_journey.detail", match_id=match_id)
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + path
    if current_app.config.get("PUBLIC_BASE_URL_REQUIRED"):
        raise RuntimeError("PUBLIC_BASE_URL is not set; emailed links need it in production.")
    return request.host_url.rstrip("/") + path


def _user():
    return current_user._get_current_object()


def _page(match_id: int, form: str | None = None, values=None, errors=None):
    view = journey_view.view_match(_user(), match_id)
    specs = {name: fields_of(FORMS[name]()) for name in view.actions if name in FORMS}
    return render_template(
        "matching/journey/match.html",
        match=view,
        specs=specs,
        form=form,
        values=values or {},
        errors=errors or {},
    ), (400 if errors else 200)


@bp.route("/mine")
@roles(*PARTIES)
def mine():
    """What waits for me: my matches, and a worker's queue."""
    return render_template("matching/journey/mine.html", waiting=waiting.waiting_for(_user()))


@bp.route("/matches/<int:match_id>")
@roles(*PARTIES)
def detail(match_id: int):
    return _page(match_id)


@bp.route("/matches/<int:match_id>/contact")
@roles(*PARTIES, fresh=True)  # revealing an address needs a fresh sign-in (SECURITY.md)
def contact(match_id: int):
    """The other side's address and phone, on an active match; each reveal is recorded."""
    return render_template(
        "matching/journey/contact.html", contact=journey_view.reveal_contact(_user(), match_id)
    )


def _step(match_id: int, name: str, action, done: str):
    saved, values, errors = submit_form(FORMS[name](), action)
    if saved:
        flash(done, "success")
        return redirect(url_for(".detail", match_id=match_id))
    return _page(match_id, name, values, errors)


@bp.route("/matches/<int:match_id>/volunteer-answer", methods=["POST"])
@roles(*PARTIES)
def volunteer_answer(match_id: int):
    return _step(
        match_id,
        "volunteer_answer",
        lambda data: journey.volunteer_answer(_user(), match_id, data, match_link),
        "Your answer is saved. Thank you.",
    )


@bp.route("/matches/<int:match_id>/person-answer", methods=["POST"])
@roles(*PARTIES)
def person_answer(match_id: int):
    return _step(
        match_id,
        "person_answer",
        lambda data: journey.person_answer(_user(), match_id, data, match_link),
        "The answer is saved. Thank you.",
    )


@bp.route("/matches/<int:match_id>/approve", methods=["POST"])
@roles("worker", fresh=True)  # approving a match needs a fresh sign-in (SECURITY.md)
def approve(match_id: int):
    try:
        journey.approve(_user(), match_id, match_link)
    except InvalidInput as error:
        return _page(match_id, "approve", {}, error.errors or {"_schema": [error.message]})
    flash("The match is approved and has started. Both have been told.", "success")
    return redirect(url_for(".detail", match_id=match_id))


@bp.route("/matches/<int:match_id>/withdraw", methods=["POST"])
@roles("worker")
def withdraw(match_id: int):
    return _step(
        match_id,
        "withdraw",
        lambda data: journey.withdraw(_user(), match_id, data, match_link),
        "The proposal is withdrawn. The volunteer has been told.",
    )


@bp.route("/matches/<int:match_id>/review", methods=["POST"])
@roles("worker")
def review(match_id: int):
    return _step(
        match_id,
        "review",
        lambda data: journey.review(_user(), match_id, data),
        "The review is saved.",
    )


@bp.route("/matches/<int:match_id>/ask-to-end", methods=["POST"])
@roles(*PARTIES)
def ask_to_end(match_id: int):
    return _step(
        match_id,
        "ask_to_end",
        lambda data: journey.ask_to_end(_user(), match_id, data, match_link),
        "A community worker has been told, and will talk it through with you.",
    )


@bp.route("/matches/<int:match_id>/end", methods=["POST"])
@roles("worker")
def end(match_id: int):
    return _step(
        match_id,
        "end",
        lambda data: journey.end(_user(), match_id, data, match_link),
        "The match has ended. Both have been told.",
    )
