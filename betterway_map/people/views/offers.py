"""Asking about an offer of help found in "What is on near me"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.inbox.schemas import MessageSchema
from betterway_map.inbox.views import limit_messages
from betterway_map.people.services import offer_questions
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, submit_form

bp = Blueprint("offers", __name__, url_prefix="/offers")


@bp.route("/<int:listing_id>/ask", methods=["GET", "POST"])
@roles("resident", "worker")
@limit_messages
def ask(listing_id: int):
    """A question about an open offer, to whoever arranges it. A visitor who
    is not signed in is sent to sign in and brought back here."""
    values, errors = {}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            MessageSchema(),
            lambda data: offer_questions.ask_about_offer(current_user, listing_id, data),
        )
        if saved:
            flash(
                f"Your question about {saved.first_name}’s offer is sent. A community worker "
                "will reply in your messages; nobody is given your address or phone number.",
                "success",
            )
            return redirect(url_for("inbox.index"))
    return render_template(
        "people/offers/ask.html",
        offer=offer_questions.offer_to_ask_about(listing_id),
        specs=fields_of(MessageSchema()),
        values=values,
        errors=errors,
    ), (400 if errors else 200)
