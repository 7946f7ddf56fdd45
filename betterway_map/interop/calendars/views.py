"""Calendar feeds (``.ics``) that Google, Outlook and Apple calendars
subscribe to: a group's, an organisation's and a nearby search's.

Public, like the pages they come from. A saved search is its address:
``/nearby/calendar.ics`` takes the same query as ``/nearby`` and refuses a
bad one with the page's own messages (400).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, request, url_for
from marshmallow import ValidationError

from betterway_map.errors import InvalidInput
from betterway_map.interop.calendars import feeds
from betterway_map.places.schemas import NearbyQuerySchema
from betterway_map.places.views import query_payload
from betterway_map.web.access import public
from betterway_map.web.forms import flat_errors

__all__ = ["bp", "TEMPLATE_GLOBALS", "nearby_query", "bad_query", "site_address"]

bp = Blueprint("calendars", __name__)


def site_address() -> str:
    """The site's address, without a trailing slash: ``PUBLIC_BASE_URL``
    when set (a forged ``Host`` cannot change a feed's links or UIDs), else
    the request's."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/")


def feed_url(endpoint: str, **values) -> str:
    """The full address of a feed, to copy into a calendar program."""
    return site_address() + url_for(endpoint, **values)


def webcal_url(endpoint: str, **values) -> str:
    """The same address as ``webcal://``, which opens the calendar program
    and asks to subscribe (Apple Calendar, Outlook)."""
    return "webcal://" + feed_url(endpoint, **values).split("://", 1)[1]


TEMPLATE_GLOBALS = {"feed_url": feed_url, "webcal_url": webcal_url}


def _site() -> feeds.Site:
    base = site_address()
    domain = urlsplit(base).hostname or "localhost"
    return feeds.Site(
        domain,
        lambda group_id: base + url_for("groups.detail", group_id=group_id),
        lambda organisation_id: (
            base + url_for("organisations.detail", organisation_id=organisation_id)
        ),
    )


def _calendar(feed: feeds.Feed) -> Response:
    return Response(
        feed.text,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'inline; filename="{feed.filename}"',
            "Cache-Control": "public, max-age=900",
        },
    )


def nearby_query() -> tuple[dict | None, dict]:
    """The nearby search's query from this request, loaded as the page
    loads it: ``(args, {})``, or ``(None, errors)`` with the page's messages
    by field. The place itself is checked when it is looked up."""
    schema = NearbyQuerySchema()
    payload = query_payload(schema, request.args)
    try:
        return schema.load(payload), {}
    except ValidationError as error:
        return None, flat_errors(error.messages)


def bad_query(errors: dict, what: str):
    """A 400 page with the search page's messages, for a bad query."""
    messages = " ".join(message for field in errors.values() for message in field)
    message = f"This {what} is made from a search of what is on nearby, and the search {_needs(errors)}: {messages}"
    return render_template("errors/error.html", code=400, name="Bad Request", message=message), 400


def _needs(errors: dict) -> str:
    return "needs one change" if sum(map(len, errors.values())) == 1 else "needs some changes"


@bp.route("/groups/<int:group_id>/calendar.ics")
@public
def group(group_id: int):
    return _calendar(feeds.group_feed(group_id, _site()))


@bp.route("/organisations/<int:organisation_id>/calendar.ics")
@public
def organisation(organisation_id: int):
    return _calendar(feeds.organisation_feed(organisation_id, _site()))


@bp.route("/nearby/calendar.ics")
@public
def nearby():
    args, errors = nearby_query()
    if errors:
        return bad_query(errors, "calendar")
    try:
        return _calendar(feeds.nearby_feed(args, _site()))
    except InvalidInput as error:
        return bad_query(error.errors, "calendar")
