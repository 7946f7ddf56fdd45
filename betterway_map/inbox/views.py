"""The inbox pages: the list of messages, one message with its
conversation, and the reply form."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from betterway_map.errors import InvalidInput
from betterway_map.extensions import limiter
from betterway_map.inbox import services as inbox
from betterway_map.inbox.schemas import MessageSchema
from betterway_map.web.access import signed_in
from betterway_map.web.fields import ListQuerySchema
from betterway_map.web.forms import fields_of, list_args, submit_form

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


def unread_messages() -> int:
    """How many unread messages the signed-in user has, for the header's
    "Messages (2 new)" (looked up once a request; 0 when nobody is signed in)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_messages" not in g:
        try:
            g.unread_messages = inbox.unread_count(current_user)
        except SQLAlchemyError:
            # The header must not break a page, least of all an error page
            # shown because the database is failing.
            current_app.logger.warning("Could not count unread messages", exc_info=True)
            g.unread_messages = 0
    return g.unread_messages


def _message_limit() -> str:
    return current_app.config["MESSAGE_RATE_LIMIT"]


def _sender_key() -> str:
    return f"sender:{current_user.get_id()}"


# Every page that sends a message counts against one limit per sender, so
# that nobody can flood people's inboxes.
limit_messages = limiter.shared_limit(
    _message_limit, scope="messages", methods=["POST"], key_func=_sender_key
)


# Template globals of every page (the header); create_app registers them.
TEMPLATE_GLOBALS = {"unread_messages": unread_messages}


@bp.route("")
@signed_in
def index():
    try:
        args = list_args(ListQuerySchema(only=("page",)))
    except InvalidInput as error:
        return render_template("inbox/index.html", page=None, errors=error.errors), 400
    page = inbox.inbox_page(current_user, page=args["page"])
    return render_template("inbox/index.html", page=page, errors={})


def _message_page(message_id: int, values=None, errors=None):
    message, earlier = inbox.open_message(current_user, message_id)
    return render_template(
        "inbox/message.html",
        message=message,
        earlier=earlier,
        specs=fields_of(MessageSchema()),
        values=values or {},
        errors=errors or {},
    ), (400 if errors else 200)


@bp.route("/<int:message_id>")
@signed_in
def message(message_id: int):
    return _message_page(message_id)


@bp.route("/<int:message_id>/reply", methods=["POST"])
@signed_in
@limit_messages
def reply(message_id: int):
    saved, values, errors = submit_form(
        MessageSchema(), lambda data: inbox.reply(current_user, message_id, data)
    )
    if saved:
        flash(f"Your reply to {saved.reply_to.sender_label} is sent.", "success")
        return redirect(url_for(".index"))
    return _message_page(message_id, values, errors)
