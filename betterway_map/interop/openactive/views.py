"""OpenActive: the RPDE feed of SessionSeries and the dataset site that lists it.

``/openactive/session-series`` is public JSON with ``Access-Control-Allow-
Origin: *``, paged by ``afterTimestamp`` and ``afterId`` (both or neither,
whole numbers; anything else answers 400 JSON naming the value). The last
page is the one with no items, whose ``next`` is its own address, as RPDE
asks; a consumer polls it. ``/openactive/`` is the dataset site: a page for
people, with the same description as JSON-LD for machines.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify, render_template, request, url_for

from betterway_map.interop.calendars.views import site_address
from betterway_map.interop.openactive import feed, mapping
from betterway_map.interop.openactive.mapping import Links
from betterway_map.web.access import public

__all__ = ["bp", "FEED_MEDIA_TYPE", "site_links", "read_after"]

bp = Blueprint("openactive", __name__, url_prefix="/openactive")

FEED_MEDIA_TYPE = "application/vnd.openactive.rpde+json; version=1"
_LARGEST_MODIFIED = mapping.modified_number(datetime(9999, 12, 31, tzinfo=UTC))
_LARGEST_ID = 2**63 - 1


class BadParameter(ValueError):
    """A feed parameter that is not what RPDE accepts."""


def site_links() -> Links:
    """Full URLs of our own pages (needs a request context)."""
    base = site_address()
    return Links(
        group=lambda number: base + url_for("groups.detail", group_id=number),
        organisation=lambda number: base + url_for("organisations.detail", organisation_id=number),
        space=lambda number: base + url_for("spaces.detail", space_id=number),
    )


def _whole(name: str, text: str, largest: int) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > largest:
        raise BadParameter(
            f"{name} must be a whole number from 0 to {largest} (the '{name}' of an item, "
            f"as the 'next' link gives it), not {text!r}."
        )
    return int(text)


def read_after(args) -> feed.After | None:
    """Where the asked page starts, from ``afterTimestamp`` and ``afterId``."""
    timestamp, item_id = args.get("afterTimestamp"), args.get("afterId")
    if timestamp is None and item_id is None:
        return None
    if timestamp is None or item_id is None:
        raise BadParameter(
            "afterTimestamp and afterId go together: give both (from the 'next' link), "
            "or neither for the first page."
        )
    return feed.After(
        _whole("afterTimestamp", timestamp, _LARGEST_MODIFIED),
        _whole("afterId", item_id, _LARGEST_ID),
    )


def _feed_url(after: feed.After | None) -> str:
    if after is None:
        return site_address() + url_for("openactive.session_series")
    return site_address() + url_for(
        "openactive.session_series", afterTimestamp=after.timestamp, afterId=after.id
    )


@bp.after_request
def _anyone_may_read(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/session-series")
@public
def session_series():
    try:
        after = read_after(request.args)
    except BadParameter as error:
        response = jsonify({"code": 400, "status": "Bad Request", "message": str(error)})
        response.status_code = 400
        return response
    page = feed.feed_page(after, site_links())
    response = jsonify(mapping.page_body(page.items, _feed_url(page.last or after)))
    # OpenActive's advice: pages with items change rarely; the last is polled.
    response.headers["Cache-Control"] = (
        "public, max-age=3600" if page.items else "public, max-age=8"
    )
    return response


@bp.route("/")
@public
def dataset():
    base = site_address()
    feed_url = base + url_for("openactive.session_series")
    description = {
        "@context": ["https://openactive.io/", "https://schema.org/"],
        "@type": "Dataset",
        "@id": base + url_for("openactive.dataset"),
        "url": base + url_for("openactive.dataset"),
        "name": "Better Way Map sessions",
        "description": (
            "Groups on the Better Way Map register that are physical activities (walking, "
            "dance, group exercise), as OpenActive SessionSeries: when they meet, where, "
            "who runs them, access and cost. Nothing about any person."
        ),
        "keywords": ["sessions", "activities", "groups", "community"],
        "license": mapping.LICENSE_URL,
        "inLanguage": ["en-GB"],
        "publisher": {"@type": "Organization", "name": "Better Way Map", "url": base + "/"},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": mapping.KIND,
                "additionalType": "https://openactive.io/SessionSeries",
                "encodingFormat": FEED_MEDIA_TYPE,
                "contentUrl": feed_url,
                "identifier": mapping.KIND,
            }
        ],
    }
    return render_template(
        "interop/openactive/dataset.html", description=description, feed_url=feed_url
    )
