"""API: the journey of a match, with the same rules as the pages.

A match's existence is private: anyone who neither takes part in it nor
looks after it is answered 404. A step taken at the wrong time is 422
(naming where the match is); by a party who may not take it, 403.
Approving, and revealing the other side's address and phone, need a fresh
sign-in (a browser session whose password was typed in the last few
minutes), as on the pages: an API token alone is answered 401.
"""

from __future__ import annotations

from flask_login import current_user

from betterway_map.matching.schemas.journey import (
    AnswerSchema,
    AskToEndSchema,
    ContactViewSchema,
    EndSchema,
    MatchLineSchema,
    MatchSchema,
    ReviewSchema,
    WithdrawSchema,
)
from betterway_map.matching.services import journey, journey_view, waiting
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint(
    "api_matching_journey", __name__, description="Matches: answering, approving, reviewing, ending"
)

PARTIES = ("resident", "worker")


def _user():
    return current_user._get_current_object()


def _seen(match_id: int):
    return journey_view.view_match(_user(), match_id)


@blp.route("", methods=["GET"])
@roles(*PARTIES)
@blp.response(200, MatchLineSchema(many=True))
def list_matches():
    """Every match you take part in, and every open one you look after, newest first."""
    return waiting.my_match_lines(_user())


@blp.route("/<int:match_id>", methods=["GET"])
@roles(*PARTIES)
@blp.response(200, MatchSchema)
def get_match(match_id: int):
    """A match as you may see it, without anyone's address or phone
    (``contact_available`` says whether you may ask for them)."""
    return _seen(match_id)


@blp.route("/<int:match_id>/contact", methods=["GET"])
@roles(*PARTIES, fresh=True)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, ContactViewSchema)
def get_contact(match_id: int):
    """The other side's address and phone, while the match is active, to its
    parties and the workers who look after it; needs a fresh sign-in in the
    browser (never a token alone), and each time they are given it is recorded."""
    return journey_view.reveal_contact(_user(), match_id)


@blp.route("/<int:match_id>/volunteer-answer", methods=["POST"])
@roles(*PARTIES)
@blp.arguments(AnswerSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, MatchSchema)
def volunteer_answer(data: dict, match_id: int):
    """The volunteer accepts or declines a proposal (a decline says why)."""
    journey.volunteer_answer(_user(), match_id, data)
    return _seen(match_id)


@blp.route("/<int:match_id>/person-answer", methods=["POST"])
@roles(*PARTIES)
@blp.arguments(AnswerSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, MatchSchema)
def person_answer(data: dict, match_id: int):
    """The person, or a worker for them, accepts or declines, after the volunteer accepted."""
    journey.person_answer(_user(), match_id, data)
    return _seen(match_id)


@blp.route("/<int:match_id>/approve", methods=["POST"])
@roles("worker", fresh=True)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, MatchSchema)
def approve(match_id: int):
    """A worker who looks after the person or the volunteer, and is not the
    volunteer, approves an agreed match; capacity and the hard rules are checked again."""
    journey.approve(_user(), match_id)
    return _seen(match_id)


@blp.route("/<int:match_id>/withdraw", methods=["POST"])
@roles("worker")
@blp.arguments(WithdrawSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, MatchSchema)
def withdraw(data: dict, match_id: int):
    """A worker who looks after the match withdraws a proposal not yet
    approved (with a reason); the volunteer is told, and the request is open
    to the next run."""
    journey.withdraw(_user(), match_id, data)
    return _seen(match_id)


@blp.route("/<int:match_id>/review", methods=["POST"])
@roles("worker")
@blp.arguments(ReviewSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, MatchSchema)
def review(data: dict, match_id: int):
    """Record a review of an active match; the next is due six months on."""
    journey.review(_user(), match_id, data)
    return _seen(match_id)


@blp.route("/<int:match_id>/ask-to-end", methods=["POST"])
@roles(*PARTIES)
@blp.arguments(AskToEndSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, MatchSchema)
def ask_to_end(data: dict, match_id: int):
    """The volunteer or the person asks to end an active match; its workers are told."""
    journey.ask_to_end(_user(), match_id, data)
    return _seen(match_id)


@blp.route("/<int:match_id>/end", methods=["POST"])
@roles("worker")
@blp.arguments(EndSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, MatchSchema)
def end(data: dict, match_id: int):
    """End an active match; its request opens again if the person still wants support."""
    journey.end(_user(), match_id, data)
    return _seen(match_id)
